/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	proc.h - process identities on the corral bus
 * DESCRIPTION
 *	Every process on the bus has a one-byte id. The master is 0; the
 *	built-in workers have fixed ids so a worker can address another by
 *	name without asking; extra workers named in the configuration (test
 *	workers, site additions) get ids from PROC_EXTRA_BASE on, in table
 *	order. The master stamps the src of every frame it forwards.
 */
#ifndef CORRAL_PROC_H
#define CORRAL_PROC_H

enum proc_id {
	PROC_MASTER = 0,
	PROC_HTTP = 1,
	PROC_SECRETS = 2,
	PROC_MCP = 3,
	PROC_ENGINES = 4,
	PROC_GPU = 5,
	PROC_SKILLS = 6,
	PROC_EXTRA_BASE = 32,
	PROC_MAX = 64		/* ids are < PROC_MAX */
};

/* proc_builtin_id - fixed id of a built-in worker name, -1 if not built in */
int		 proc_builtin_id(const char *name);

/* proc_builtin_name - name of a fixed id, NULL if not built in */
const char	*proc_builtin_name(int id);

#endif
