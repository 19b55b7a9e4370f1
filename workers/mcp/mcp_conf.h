/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_conf.h - the MCP servers file (docs/mcp.md)
 * SYNOPSIS
 *	struct mcp_conf *mcp_conf_load(const char *path,
 *		    const struct mcp_conf_opts *opts, char *err, size_t errlen);
 *	struct mcp_conf *mcp_conf_parse(const char *path, const char *text,
 *		    size_t len, const struct mcp_conf_opts *opts, char *err,
 *		    size_t errlen);
 *	struct mcp_conf_server *mcp_conf_take(struct mcp_conf *c, size_t i);
 *	int	mcp_conf_server_equal(const struct mcp_conf_server *a,
 *		    const struct mcp_conf_server *b);
 *	void	mcp_conf_server_free(struct mcp_conf_server *s);
 *	void	mcp_conf_free(struct mcp_conf *c);
 * DESCRIPTION
 *	The file is one JSON object {"servers": {NAME: {...}}} ("mcpServers"
 *	in place of "servers", not both). A server is a stdio command:
 *	"command" (required: an absolute path or a bare name looked up in
 *	PATH when it starts), "args" (at most MCP_CONF_ARGS_MAX strings),
 *	"env" (object of strings), "secret_env" ({"VAR": "secret-name"}),
 *	"cwd" (absolute), "enabled" (boolean), "restart" ("always" or
 *	"never"), "call_timeout_s" (1 to 3600; opts->call_timeout_s when
 *	not given), and "type" which may only say "stdio" (other MCP
 *	clients write it). A "url" is refused: streamable HTTP is not
 *	supported yet. Unknown members are refused by name.
 *
 *	mcp_conf_load reads the file (regular, at most MCP_CONF_FILE_MAX
 *	bytes, opened without blocking) and hands it to mcp_conf_parse,
 *	which is pure (no I/O, no libevent) for check-config, the unit
 *	tests and the fuzzer. opts->granted, when not NULL, is the
 *	mcp_secrets list ("a, b"): a secret_env naming another secret is
 *	refused. Servers come out sorted by name.
 *
 *	mcp_conf_take hands server i over to the caller (the slot becomes
 *	NULL; mcp_conf_free skips it). mcp_conf_server_equal says whether
 *	two servers would run the same way (a reload keeps such a server).
 * DIAGNOSTICS
 *	NULL with one line in err: "PATH: servers.NAME.member: why", or
 *	"PATH: why" for the file as a whole. Names from the file are echoed
 *	printable and cut short. Running out of memory is fatal (xmalloc).
 */
#ifndef CORRAL_MCP_CONF_H
#define CORRAL_MCP_CONF_H

#include <stddef.h>

#define MCP_CONF_NAME_MAX	64		/* characters of a name */
#define MCP_CONF_ARGS_MAX	256
#define MCP_CONF_ENV_MAX	256		/* variables in env, secret_env */
#define MCP_CONF_SERVERS_MAX	128
#define MCP_CONF_FILE_MAX	(1024 * 1024)
#define MCP_CONF_PATH_MAX	4096
#define MCP_CONF_TIMEOUT_MAX	3600
#define MCP_CONF_TIMEOUT_DEF	60

enum mcp_restart { MCP_RESTART_ALWAYS, MCP_RESTART_NEVER };

struct mcp_conf_opts {
	int		 call_timeout_s;	/* mcp_call_timeout; 0: 60 */
	const char	*granted;		/* mcp_secrets, or NULL */
};

struct mcp_conf_server {
	char		 name[MCP_CONF_NAME_MAX + 1];
	char		*command;
	char		**args;
	size_t		 nargs;
	char		**env_name;	/* env: names and values */
	char		**env_value;
	size_t		 nenv;
	char		**secret_var;	/* secret_env: VAR -> secret name */
	char		**secret_name;
	size_t		 nsecret;
	char		*cwd;		/* NULL: workspace_root/mcp/NAME */
	int		 enabled;
	enum mcp_restart restart;
	int		 call_timeout_s;
};

struct mcp_conf {
	struct mcp_conf_server	**v;	/* sorted by name; a slot may be NULL
					 * once taken */
	size_t			  n;
};

/* mcp_conf_load - read and check the servers file; NULL and why */
struct mcp_conf	*mcp_conf_load(const char *path,
		    const struct mcp_conf_opts *opts, char *err, size_t errlen);

/* mcp_conf_parse - check the text of a servers file; NULL and why */
struct mcp_conf	*mcp_conf_parse(const char *path, const char *text,
		    size_t len, const struct mcp_conf_opts *opts, char *err,
		    size_t errlen);

/* mcp_conf_take - server i, now the caller's (takes it out of c) */
struct mcp_conf_server *mcp_conf_take(struct mcp_conf *c, size_t i);

/* mcp_conf_server_equal - 1 if a and b run the same server */
int		 mcp_conf_server_equal(const struct mcp_conf_server *a,
		    const struct mcp_conf_server *b);

/* mcp_conf_server_free - free one server; NULL is fine */
void		 mcp_conf_server_free(struct mcp_conf_server *s);

/* mcp_conf_free - free the list and the servers still in it */
void		 mcp_conf_free(struct mcp_conf *c);

#endif
