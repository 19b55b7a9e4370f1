/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	proc - names and fixed bus ids of the built-in workers
 * DESCRIPTION
 *	One table maps each built-in worker's name to its bus id (proc.h),
 *	so that workers can address each other by a constant and the master
 *	can give each one its id.
 */
#include <stddef.h>
#include <string.h>

#include "proc.h"

static const struct {
	const char	*name;
	int		 id;
} proc_table[] = {
	{ "master", PROC_MASTER },
	{ "http", PROC_HTTP },
	{ "secrets", PROC_SECRETS },
	{ "mcp", PROC_MCP },
	{ "engines", PROC_ENGINES },
	{ "gpu", PROC_GPU },
	{ "skills", PROC_SKILLS },
};

/* proc_builtin_id - fixed id of a built-in worker name, -1 if not built in */
int
proc_builtin_id(const char *name)
{
	size_t	i;

	for (i = 1; i < sizeof(proc_table) / sizeof(proc_table[0]); i++)
		if (strcmp(proc_table[i].name, name) == 0)
			return (proc_table[i].id);
	return (-1);
}

/* proc_builtin_name - name of a fixed id, NULL if not built in */
const char *
proc_builtin_name(int id)
{
	size_t	i;

	for (i = 0; i < sizeof(proc_table) / sizeof(proc_table[0]); i++)
		if (proc_table[i].id == id)
			return (proc_table[i].name);
	return (NULL);
}
