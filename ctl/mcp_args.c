/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_args - the command line of corralctl mcp
 * SYNOPSIS
 *	See mcp_args.h.
 * DESCRIPTION
 *	Options may come before or after the subcommand and the names, as
 *	"--opt VALUE" or "--opt=VALUE" (an --arg value may start with
 *	'-'); "--" ends the options. They are collected first and checked
 *	against the subcommand once it is known, as engines_args.c does,
 *	so "mcp tools x --arg a=1" is refused by name.
 *
 *	--json is both the global "print JSON" flag and call's arguments
 *	object. The object is always a JSON object, so a following word
 *	that starts with '{' (or --json=...) is the object and anything
 *	else leaves --json to ctl_opt_global: "mcp call s t --json" prints
 *	the answer as JSON, "mcp call s t --json '{\"a\":1}'" sends a=1.
 *
 *	Checked here, so that a typo is a usage error before anything is
 *	sent: the names (server: 1 to 64 of A-Z a-z 0-9 . _ -, not
 *	starting with '.' or '-'; tool: 1 to 128 of the same, the
 *	characters a path segment of the API can carry), each --arg is
 *	KEY=VALUE with KEY given once, --json is one JSON object and not
 *	given with --arg, call's --timeout is 1 to 3600 whole seconds.
 * DIAGNOSTICS
 *	One usage line through ctl_usage: "corralctl: mcp: --arg: 'x' is
 *	not KEY=VALUE (see corralctl mcp --help)".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "mcp_args.h"

#define MCP_ARGS_NNAMES	2	/* server, tool */

static const char *const mcp_args_subs[] = {
	[MCP_SERVERS] = "servers",
	[MCP_TOOLS] = "tools",
	[MCP_CALL] = "call",
};

#define MCP_ARGS_NSUBS	(sizeof(mcp_args_subs) / sizeof(mcp_args_subs[0]))

/* what the options and words gave, before the subcommand is known */
struct mcp_args_seen {
	struct mcp_args	 *a;		/* being filled */
	const char	**arg;		/* --arg values, in order */
	size_t		  narg;
	const char	 *json;		/* --json OBJ */
	const char	 *timeout;	/* --timeout */
	const char	 *names[MCP_ARGS_NNAMES];
	size_t		  nnames;
	int		  have_sub;
};

/* mcp_args_name_ok - 1 to max of A-Z a-z 0-9 . _ -, not starting '.' */
static int
mcp_args_name_ok(const char *name, size_t max)
{
	size_t	i;

	if (name == NULL || name[0] == '\0' || name[0] == '.')
		return (0);
	for (i = 0; name[i] != '\0'; i++)
		if (i == max || (!isalnum((unsigned char)name[i]) &&
		    name[i] != '.' && name[i] != '_' && name[i] != '-'))
			return (0);
	return (1);
}

/* mcp_args_server_ok - 1 for a valid MCP server name */
int
mcp_args_server_ok(const char *name)
{
	return (name != NULL && name[0] != '-' &&
	    mcp_args_name_ok(name, MCP_ARGS_SERVER_MAX));
}

/* mcp_args_tool_ok - 1 for a tool name the API can route */
int
mcp_args_tool_ok(const char *name)
{
	return (mcp_args_name_ok(name, MCP_ARGS_TOOL_MAX));
}

/* mcp_args_value - an --arg VALUE: JSON if it parses, else a string */
cJSON *
mcp_args_value(const char *s)
{
	cJSON	*v;

	if ((v = cJSON_ParseWithOpts(s, NULL, 1)) != NULL)
		return (v);
	return (cJSON_CreateString(s));
}

/* mcp_args_objword - does w look like a JSON object (a '{' first)? */
static int
mcp_args_objword(const char *w)
{
	while (*w == ' ' || *w == '\t' || *w == '\n' || *w == '\r')
		w++;
	return (*w == '{');
}

/* mcp_args_opt - one option at argv[*i]: 1 taken, 0 not ours, -1 usage */
static int
mcp_args_opt(const struct ctl_cmd *cmd, int argc, char **argv, int *i,
    void *arg)
{
	struct mcp_args_seen	*seen = arg;
	const char		*val = NULL;
	int			 r;

	if ((r = ctl_opt_value(cmd, argc, argv, i, "--arg", &val)) != 0) {
		if (r == 1) {
			seen->arg = xrealloc(seen->arg, (seen->narg + 1) *
			    sizeof(*seen->arg));
			seen->arg[seen->narg++] = val;
		}
		return (r);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--timeout", &val)) != 0) {
		if (r == 1 && seen->timeout != NULL) {
			ctl_usage(cmd, "--timeout given twice");
			return (-1);
		}
		seen->timeout = val;
		return (r);
	}
	if (strncmp(argv[*i], "--json=", 7) == 0)
		val = argv[*i] + 7;
	else if (strcmp(argv[*i], "--json") == 0 && *i + 1 < argc &&
	    mcp_args_objword(argv[*i + 1]))
		val = argv[++*i];
	else
		return (0);
	if (*val == '\0') {
		ctl_usage(cmd, "--json: empty value");
		return (-1);
	}
	if (seen->json != NULL) {
		ctl_usage(cmd, "--json given twice");
		return (-1);
	}
	seen->json = val;
	return (1);
}

/* mcp_args_word - the subcommand, then the names: 0, or usage */
static int
mcp_args_word(const struct ctl_cmd *cmd, const char *w, void *arg)
{
	struct mcp_args_seen	*seen = arg;
	struct mcp_args		*a = seen->a;
	size_t			 i;

	if (!seen->have_sub) {
		for (i = 0; i < MCP_ARGS_NSUBS; i++)
			if (strcmp(w, mcp_args_subs[i]) == 0) {
				a->sub = (int)i;
				seen->have_sub = 1;
				return (0);
			}
		return (ctl_usage(cmd, "unknown subcommand '%s' (servers, "
		    "tools or call)", w));
	}
	if (seen->nnames == MCP_ARGS_NNAMES)
		return (ctl_usage(cmd, "unexpected argument '%s'", w));
	seen->names[seen->nnames++] = w;
	return (0);
}

/* mcp_args_names - the names the subcommand takes: 0, or usage */
static int
mcp_args_names(const struct ctl_cmd *cmd, const struct mcp_args_seen *seen,
    struct mcp_args *a)
{
	size_t	want = a->sub == MCP_CALL ? 2 : a->sub == MCP_TOOLS ? 1 : 0;

	if (seen->nnames > want)
		return (ctl_usage(cmd, "unexpected argument '%s'",
		    seen->names[want]));
	if (a->sub == MCP_TOOLS && seen->nnames == 0)
		return (ctl_usage(cmd, "tools: missing server name"));
	if (a->sub == MCP_CALL && seen->nnames == 0)
		return (ctl_usage(cmd, "call: missing server name and tool "
		    "name"));
	if (a->sub == MCP_CALL && seen->nnames == 1)
		return (ctl_usage(cmd, "call: missing tool name"));
	a->server = want > 0 ? seen->names[0] : NULL;
	a->tool = want > 1 ? seen->names[1] : NULL;
	if (a->server != NULL && !mcp_args_server_ok(a->server))
		return (ctl_usage(cmd, "'%s' is not a server name (1 to %d "
		    "letters, digits, '.', '_', '-')", a->server,
		    MCP_ARGS_SERVER_MAX));
	if (a->tool != NULL && !mcp_args_tool_ok(a->tool))
		return (ctl_usage(cmd, "'%s' is not a tool name corral can "
		    "call (1 to %d letters, digits, '.', '_', '-')", a->tool,
		    MCP_ARGS_TOOL_MAX));
	return (0);
}

/* mcp_args_build - the arguments object from --arg or --json: 0, usage */
static int
mcp_args_build(const struct ctl_cmd *cmd, const struct mcp_args_seen *seen,
    struct mcp_args *a)
{
	const char	*eq;
	char		*key;
	size_t		 i;

	if (seen->json != NULL && seen->narg > 0)
		return (ctl_usage(cmd, "--json and --arg cannot be used "
		    "together"));
	if (seen->json != NULL) {
		a->arguments = cJSON_ParseWithOpts(seen->json, NULL, 1);
		if (!cJSON_IsObject(a->arguments))
			return (ctl_usage(cmd, "--json: not a JSON object"));
		return (0);
	}
	a->arguments = cJSON_CreateObject();
	for (i = 0; i < seen->narg; i++) {
		if ((eq = strchr(seen->arg[i], '=')) == NULL ||
		    eq == seen->arg[i])
			return (ctl_usage(cmd, "--arg: '%s' is not KEY=VALUE",
			    seen->arg[i]));
		key = xmalloc((size_t)(eq - seen->arg[i]) + 1);
		memcpy(key, seen->arg[i], (size_t)(eq - seen->arg[i]));
		key[eq - seen->arg[i]] = '\0';
		if (cJSON_GetObjectItemCaseSensitive(a->arguments, key) !=
		    NULL) {
			ctl_usage(cmd, "--arg: %s given twice", key);
			free(key);
			return (CTL_EXIT_USAGE);
		}
		cJSON_AddItemToObject(a->arguments, key,
		    mcp_args_value(eq + 1));
		free(key);
	}
	return (0);
}

/* mcp_args_timeout - what --timeout means for the subcommand */
static int
mcp_args_timeout(struct ctl *ctl, const struct ctl_cmd *cmd,
    const char *val, struct mcp_args *a)
{
	if (a->sub != MCP_CALL)
		return (ctl_opt_seconds(cmd, "--timeout", val, &ctl->timeout) ==
		    -1 ? CTL_EXIT_USAGE : 0);
	if (ctl_opt_long(val, 1, MCP_ARGS_TIMEOUT_MAX, &a->timeout) == -1)
		return (ctl_usage(cmd, "--timeout: '%s' is not a whole number "
		    "of seconds from 1 to %d", val, MCP_ARGS_TIMEOUT_MAX));
	return (0);
}

/* mcp_args_check - the options against the subcommand; 0 or usage */
static int
mcp_args_check(struct ctl *ctl, const struct ctl_cmd *cmd,
    const struct mcp_args_seen *seen, struct mcp_args *a)
{
	const char	*sub = mcp_args_subs[a->sub];

	if (a->sub != MCP_CALL && seen->narg > 0)
		return (ctl_usage(cmd, "--arg is not an option of %s", sub));
	if (a->sub != MCP_CALL && seen->json != NULL)
		return (ctl_usage(cmd, "--json OBJ is not an option of %s",
		    sub));
	if (mcp_args_names(cmd, seen, a) != 0)
		return (CTL_EXIT_USAGE);
	if (seen->timeout != NULL &&
	    mcp_args_timeout(ctl, cmd, seen->timeout, a) != 0)
		return (CTL_EXIT_USAGE);
	if (a->sub == MCP_CALL)
		return (mcp_args_build(cmd, seen, a));
	return (0);
}

/* mcp_args_parse - MCP_ARGS_GO, MCP_ARGS_HELP or CTL_EXIT_USAGE */
int
mcp_args_parse(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, struct mcp_args *a)
{
	struct mcp_args_seen	seen;
	int			rc = MCP_ARGS_GO;

	memset(a, 0, sizeof(*a));
	memset(&seen, 0, sizeof(seen));
	a->sub = MCP_SERVERS;
	a->timeout = -1;
	seen.a = a;
	switch (ctl_opt_scan(ctl, cmd, argc, argv, mcp_args_opt,
	    mcp_args_word, &seen)) {
	case CTL_OPT_HELP:
		rc = MCP_ARGS_HELP;
		break;
	case CTL_OPT_ERROR:
		rc = CTL_EXIT_USAGE;
		break;
	default:
		break;
	}
	if (rc == MCP_ARGS_GO && mcp_args_check(ctl, cmd, &seen, a) != 0)
		rc = CTL_EXIT_USAGE;
	free(seen.arg);
	return (rc);
}

/* mcp_args_free - free what parsing built */
void
mcp_args_free(struct mcp_args *a)
{
	cJSON_Delete(a->arguments);
	a->arguments = NULL;
}
