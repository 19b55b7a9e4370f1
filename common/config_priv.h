/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config_priv.h - what the files of the config module share
 * SYNOPSIS
 *	#include "config_priv.h"
 * DESCRIPTION
 *	The config module is four files: config.c walks the settings table
 *	and loads the sources in order, config_file.c reads the "key =
 *	value" syntax, config_workers.c keeps the worker table and
 *	config_check.c holds the guardrails. Only they include this header;
 *	everybody else uses config.h.
 */
#ifndef CORRAL_CONFIG_PRIV_H
#define CORRAL_CONFIG_PRIV_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

/* config_fail - format the one error line into err; returns 2 */
int	config_fail(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* config_parse_bool - 1 (1 yes true on), 0 (0 no false off) or -1 */
int	config_parse_bool(const char *s);

/* config_file_read - call line_cb(arg, key, value, line) for each setting
 * line of fp, value unquoted; path names fp in messages. 0, or 2 with err
 * set (a syntax or read error, or whatever line_cb returned) */
int	config_file_read(FILE *fp, const char *path,
	    int (*line_cb)(void *, char *, char *, int), void *arg,
	    char *err, size_t errlen);

/* config_worker_is_key - is key a worker table key ("worker NAME",
 * "worker.NAME.ATTR")? */
int	config_worker_is_key(const char *key);

/* config_worker_line - apply one worker table line of cfg->conf_path */
int	config_worker_line(struct config *cfg, char *key, const char *val,
	    int line, char *err, size_t errlen);

/* config_workers_finish - default table, CORRAL_WORKERS, executables */
int	config_workers_finish(struct config *cfg, char *err, size_t errlen);

#endif
