/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_args.h - the command line of corralctl mcp
 * SYNOPSIS
 *	#include "ctl.h"
 *	#include "mcp_args.h"
 *
 *	int	mcp_args_parse(struct ctl *ctl, const struct ctl_cmd *cmd,
 *		    int argc, char **argv, struct mcp_args *a);
 *	void	mcp_args_free(struct mcp_args *a);
 *	cJSON	*mcp_args_value(const char *s);
 *	int	mcp_args_server_ok(const char *name);
 *	int	mcp_args_tool_ok(const char *name);
 * DESCRIPTION
 *	mcp_args_parse reads the arguments after "mcp": the subcommand
 *	(servers when there is none), the server's and the tool's names,
 *	the options of the subcommand and the global options
 *	(ctl_opt_global). It returns MCP_ARGS_GO when a is ready,
 *	MCP_ARGS_HELP for -h or --help (the caller prints the help), or
 *	CTL_EXIT_USAGE after printing one usage line that says what is
 *	wrong. The names in a point into argv; a->arguments (call only) is
 *	the arguments object built from --arg or --json, owned by a. a is
 *	freed with mcp_args_free whatever the outcome.
 *
 *	--json is the global option (print the server's JSON) unless, in
 *	call, it is given as --json=OBJ or followed by a word that starts
 *	with '{' (after blanks): then that word is the arguments object.
 *	--timeout after "mcp" is, for call, the seconds the tool gets (a
 *	whole number from 1 to MCP_ARGS_TIMEOUT_MAX; a->timeout, -1 when
 *	not given), for the others the connect and read timeout.
 *
 *	mcp_args_value is the value of --arg KEY=VALUE (the caller deletes
 *	it): VALUE as JSON when it parses as one JSON value, else the
 *	string VALUE.
 *
 *	mcp_args_server_ok says whether name is a server name (1 to
 *	MCP_ARGS_SERVER_MAX of letters, digits, '.', '_', '-', not starting
 *	with '.' or '-'); mcp_args_tool_ok whether name is a tool name the
 *	API can route (1 to MCP_ARGS_TOOL_MAX of the same, not starting
 *	with '.').
 */
#ifndef CORRAL_MCP_ARGS_H
#define CORRAL_MCP_ARGS_H

#include <cjson/cJSON.h>

#define MCP_ARGS_GO		(-1)	/* parsed: go on */
#define MCP_ARGS_HELP		(-2)	/* -h or --help */
#define MCP_ARGS_SERVER_MAX	64
#define MCP_ARGS_TOOL_MAX	128
#define MCP_ARGS_TIMEOUT_MAX	3600	/* call --timeout, seconds */

struct ctl;
struct ctl_cmd;

enum mcp_sub {
	MCP_SERVERS,
	MCP_TOOLS,
	MCP_CALL
};

struct mcp_args {
	int		 sub;		/* enum mcp_sub */
	const char	*server;
	const char	*tool;
	cJSON		*arguments;	/* call: the arguments object */
	long		 timeout;	/* call: seconds; -1: the server's */
};

/* mcp_args_parse - MCP_ARGS_GO, MCP_ARGS_HELP or CTL_EXIT_USAGE */
int	 mcp_args_parse(struct ctl *, const struct ctl_cmd *, int, char **,
	    struct mcp_args *);

/* mcp_args_free - free what parsing built */
void	 mcp_args_free(struct mcp_args *);

/* mcp_args_value - an --arg VALUE: JSON if it parses, else a string */
cJSON	*mcp_args_value(const char *);

/* mcp_args_server_ok - 1 for a valid MCP server name */
int	 mcp_args_server_ok(const char *);

/* mcp_args_tool_ok - 1 for a tool name the API can route */
int	 mcp_args_tool_ok(const char *);

#endif
