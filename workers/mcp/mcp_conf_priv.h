/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_conf_priv.h - inside the servers file reader: shared by
 *	mcp_conf.c (the file, its list, each server) and mcp_conf_member.c
 *	(the rules of each member of a server)
 * SYNOPSIS
 *	int	mcp_conf_fail(const struct mcp_cf *f, const char *fmt, ...);
 *	const char *mcp_conf_echo(const char *s, char *buf, size_t len);
 *	extern const struct mcp_conf_member mcp_conf_members[];
 *	extern const size_t mcp_conf_nmembers;
 * DESCRIPTION
 *	struct mcp_cf is the file being read: its path, where the error
 *	line goes, the options, and where in the file the reader is
 *	("servers.NAME"). mcp_conf_fail writes "PATH: WHERE.why" (or
 *	"PATH: why" outside a server) and returns -1. mcp_conf_echo makes
 *	a name from the file printable and short enough for a message.
 *
 *	mcp_conf_members[] has one row per member a server may have: its
 *	key and the function that checks it and stores it in the server.
 * DIAGNOSTICS
 *	None of its own.
 */
#ifndef CORRAL_MCP_CONF_PRIV_H
#define CORRAL_MCP_CONF_PRIV_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcp_conf.h"

#define MCP_CONF_NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789._-"
#define MCP_CONF_ECHO_LEN	72
#define MCP_CONF_SECRET_MAX	128
#define MCP_CONF_KNOWN		"(known: command, args, env, secret_env, cwd, " \
				"enabled, restart, call_timeout_s, type)"

/* the file being read */
struct mcp_cf {
	const char	*path;
	char		*err;
	size_t		 errlen;
	const struct mcp_conf_opts *opts;
	char		 where[MCP_CONF_ECHO_LEN + 16];	/* "servers.NAME" */
};

struct mcp_conf_member {
	const char	*key;
	int		(*read)(const struct mcp_cf *, const cJSON *,
			    struct mcp_conf_server *);
};

extern const struct mcp_conf_member	mcp_conf_members[];
extern const size_t			mcp_conf_nmembers;

/* mcp_conf_fail - "PATH: [servers.NAME.]member: why" into err; -1 */
int		 mcp_conf_fail(const struct mcp_cf *f, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* mcp_conf_echo - s made printable and cut short, for a message */
const char	*mcp_conf_echo(const char *s, char *buf, size_t len);

#endif
