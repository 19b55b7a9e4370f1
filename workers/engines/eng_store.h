/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_store.h - engine records and the instance id, under state_root
 * SYNOPSIS
 *	int	eng_store_instance(const char *dir, char *out, size_t outlen);
 *	void	eng_store_save(struct eng *e);
 *	void	eng_store_remove(struct eng *e);
 *	int	eng_store_load(struct eng_worker *w);
 * DESCRIPTION
 *	state_root/engines holds one record per engine, NAME.json (0600,
 *	written atomically), with the spec as eng_spec_json gives it (no
 *	secret value), the state, container id, times, last error, exit
 *	code and kept log lines; and "instance", 16 random hex digits made
 *	once, which labels every container this corral creates so that a
 *	restart finds its own and nobody else's.
 *
 *	eng_store_load reads every record into w->engines (a record that
 *	does not parse is logged and left alone).
 * DIAGNOSTICS
 *	eng_store_instance and eng_store_load return 0, or -1 with errno
 *	after logging what failed. eng_store_save logs a failed write; the
 *	engine goes on (its container carries its labels).
 */
#ifndef CORRAL_ENG_STORE_H
#define CORRAL_ENG_STORE_H

#include <stddef.h>

struct eng;
struct eng_worker;

int	eng_store_instance(const char *dir, char *out, size_t outlen);
void	eng_store_save(struct eng *e);
void	eng_store_remove(struct eng *e);
int	eng_store_load(struct eng_worker *w);

#endif
