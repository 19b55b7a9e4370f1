/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_spawn.h - start one MCP server process
 * SYNOPSIS
 *	int	mcp_spawn(const struct mcp_conf_server *c, const char *cwd,
 *		    char *const *secrets, struct mcp_spawn *sp, char *err,
 *		    size_t errlen);
 *	int	mcp_spawn_cwd(const struct mcp_conf_server *c,
 *		    const char *workspace_root, char *buf, size_t len,
 *		    char *err, size_t errlen);
 *	void	mcp_spawn_exec_error(struct mcp_spawn *sp, char *buf,
 *		    size_t len);
 *	void	mcp_spawn_close(struct mcp_spawn *sp);
 * DESCRIPTION
 *	mcp_spawn_cwd says where the server runs: its cwd, or
 *	workspace_root/mcp/NAME, made 0700 (with workspace_root/mcp) if
 *	missing. It must be a directory.
 *
 *	mcp_spawn resolves the command (an absolute path as it is, a bare
 *	name through the server's PATH), builds its environment exactly as
 *	docs/mcp.md says (PATH, HOME = cwd, LANG=C.UTF-8, then env, then
 *	secrets, "VAR=value" strings the caller wipes afterwards; nothing
 *	of corral's own) and forks. The child leads a new process group,
 *	asks for SIGKILL when the mcp worker dies, resets signal
 *	dispositions and mask, puts pipes on 0, 1 and 2, closes every other
 *	descriptor, changes to cwd and execs. sp gets the pid and the
 *	parent's ends: in (the server's stdin), out (its stdout), err (its
 *	stderr), and xfd, a close-on-exec pipe on which a child that could
 *	not exec wrote why; mcp_spawn_exec_error reads that once the child
 *	is gone ("" if it did exec).
 *
 *	mcp_spawn_close closes whatever of sp is still open.
 * DIAGNOSTICS
 *	mcp_spawn and mcp_spawn_cwd return 0, or -1 with one line in err
 *	(command not found, cwd unusable, pipe or fork failed).
 */
#ifndef CORRAL_MCP_SPAWN_H
#define CORRAL_MCP_SPAWN_H

#include <sys/types.h>

#include <stddef.h>

#include "mcp_conf.h"

#define MCP_SPAWN_PATH_DEFAULT	"/usr/local/bin:/usr/bin:/bin"

struct mcp_spawn {
	pid_t	pid;
	int	in;	/* write: the server's stdin */
	int	out;	/* read: its stdout */
	int	err;	/* read: its stderr */
	int	xfd;	/* read: why exec failed, if it did */
};

/* mcp_spawn_cwd - the server's working directory into buf; 0 or -1 */
int	mcp_spawn_cwd(const struct mcp_conf_server *c,
	    const char *workspace_root, char *buf, size_t len, char *err,
	    size_t errlen);

/* mcp_spawn - fork and exec the server; 0 or -1 and why */
int	mcp_spawn(const struct mcp_conf_server *c, const char *cwd,
	    char *const *secrets, struct mcp_spawn *sp, char *err,
	    size_t errlen);

/* mcp_spawn_exec_error - why the child could not exec, "" if it did */
void	mcp_spawn_exec_error(struct mcp_spawn *sp, char *buf, size_t len);

/* mcp_spawn_close - close the descriptors of sp still open */
void	mcp_spawn_close(struct mcp_spawn *sp);

#endif
