/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config_priv.h - what the files of the config module share
 * SYNOPSIS
 *	#include "config_priv.h"
 * DESCRIPTION
 *	The config module is five files: config.c walks the settings table
 *	and loads the sources in order, config_file.c reads the "key =
 *	value" syntax, config_workers.c keeps the worker table,
 *	config_check.c holds the guardrails and config_store.c what
 *	concerns the secret store (master key inputs, routes file, the
 *	secrets worker's grants). Only they include this header;
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

/* config_store_env - note the master key inputs of the environment */
void	config_store_env(struct config *cfg);

/* config_store_check - master key inputs and routes file; 0 or 2 + err */
int	config_store_check(const struct config *cfg, char *err,
	    size_t errlen);

/* config_store_json - routes_file and grants for the secrets worker into
 * o; 0, or -1 if out of memory */
int	config_store_json(const struct config *cfg, cJSON *o);

#endif
