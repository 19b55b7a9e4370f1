/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_mcp - corralctl mcp: servers, tools, call
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_mcp_entry;
 * DESCRIPTION
 *	servers	GET /v1/mcp/servers: the table NAME STATE PID TOOLS
 *		RESTARTS SINCE LAST ERROR.
 *	tools	GET /v1/mcp/servers/NAME/tools: the table NAME DESCRIPTION,
 *		each line cut to the terminal's width (80 columns when
 *		standard output is not a terminal).
 *	call	POST /v1/mcp/servers/NAME/tools/TOOL/call[?timeout=S] with
 *		{"arguments":{...}} from --arg or --json: the text of the
 *		result's content, one item per line, other items as a
 *		one-line summary. A tool that reports an error (isError)
 *		has its content printed all the same, a line on stderr,
 *		and exit 1. The read timeout grows to cover the call's
 *		timeout (without --timeout, the largest the server takes),
 *		since the answer comes when the tool is done.
 *
 *	--json prints the server's JSON instead (for call, the whole
 *	answer; the exit status still says whether the tool failed).
 * DIAGNOSTICS
 *	Usage errors exit 2 (mcp_args.c). Error answers exit 1 with the
 *	server's message, no answer exits 3 (ctl_api.c).
 */
#include <sys/ioctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_fmt.h"
#include "ctl_json.h"
#include "http_url.h"
#include "mcp_args.h"
#include "mcp_view.h"

#define CMD_MCP_EXTRA	10	/* s beyond the call's timeout to answer */

static int	cmd_mcp_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_mcp_entry = {
	.name = "mcp",
	.args = "[SUBCOMMAND]",
	.summary = "MCP servers: servers, tools, call",
	.help =
	    "  mcp [servers]\n"
	    "      NAME STATE PID TOOLS RESTARTS SINCE LAST ERROR of every\n"
	    "      MCP server; SINCE is how long it has been in its state.\n"
	    "  mcp tools NAME\n"
	    "      NAME and the first line of the DESCRIPTION of each tool of\n"
	    "      server NAME, cut to the terminal's width (80 columns when\n"
	    "      not a terminal).\n"
	    "  mcp call NAME TOOL [--arg KEY=VALUE]... [--json OBJ]\n"
	    "      [--timeout SECS]\n"
	    "      call tool TOOL of server NAME (admin token) and print the\n"
	    "      text of its result, one content item per line, other\n"
	    "      items as a summary ([image image/png, 1234 bytes base64]).\n"
	    "      --arg sets one argument: VALUE as JSON when it parses as\n"
	    "      JSON (5, true, null, [1,2], {\"a\":1}), else as a string\n"
	    "      (a JSON string is one too: --arg 'n=\"5\"'). --json OBJ\n"
	    "      gives the whole arguments object instead (not with\n"
	    "      --arg). --timeout is the seconds the tool gets (1 to\n"
	    "      3600; default: the server's call_timeout_s). Exit 1 when\n"
	    "      the tool reports an error (isError), its content printed\n"
	    "      all the same.\n"
	    "\n"
	    "NAME: 1 to 64 letters, digits, '.', '_', '-', not starting with\n"
	    "'.' or '-'. TOOL: 1 to 128 of the same, not starting with '.'.\n"
	    "--json followed by a word starting with '{' (or --json=OBJ) is\n"
	    "call's arguments object; otherwise it is the global --json and\n"
	    "prints the server's JSON. After servers and tools, --timeout is\n"
	    "the connect and read timeout.\n"
	    "\n"
	    "Calls GET /v1/mcp/servers, GET /v1/mcp/servers/NAME/tools,\n"
	    "POST /v1/mcp/servers/NAME/tools/TOOL/call.\n",
	.run = cmd_mcp_run,
};

/* cmd_mcp_width - the terminal's columns, or MCP_VIEW_WIDTH */
static size_t
cmd_mcp_width(void)
{
	struct winsize	ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > 0)
		return (ws.ws_col);
	return (MCP_VIEW_WIDTH);
}

/* cmd_mcp_servers - GET /v1/mcp/servers */
static int
cmd_mcp_servers(struct ctl *ctl)
{
	cJSON	*json;
	int	 rc;

	if ((rc = ctl_api_fetch(ctl, "GET", "/v1/mcp/servers", &json)) !=
	    CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (mcp_view_servers(stdout, cJSON_GetObjectItemCaseSensitive(
	    json, "servers"), time(NULL)) == -1) {
		ctl_errx("GET /v1/mcp/servers: the answer has no servers "
		    "array");
		rc = CTL_EXIT_FAIL;
	}
	cJSON_Delete(json);
	return (rc);
}

/* cmd_mcp_tools - GET /v1/mcp/servers/NAME/tools */
static int
cmd_mcp_tools(struct ctl *ctl, const struct mcp_args *a)
{
	cJSON	*json;
	char	*path;
	int	 rc;

	path = http_url_escape_in("/v1/mcp/servers/", a->server, "/tools");
	rc = ctl_api_fetch(ctl, "GET", path, &json);
	if (rc != CTL_EXIT_OK) {
		free(path);
		return (rc);
	}
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (mcp_view_tools(stdout, cJSON_GetObjectItemCaseSensitive(json,
	    "tools"), cmd_mcp_width()) == -1) {
		ctl_errx("GET %s: the answer has no tools array", path);
		rc = CTL_EXIT_FAIL;
	}
	free(path);
	cJSON_Delete(json);
	return (rc);
}

/* cmd_mcp_path - the call's path, ?timeout=S if given; caller frees */
static char *
cmd_mcp_path(const struct mcp_args *a)
{
	char	*server, *tool, *path, query[32] = "";

	if (a->timeout > 0)
		snprintf(query, sizeof(query), "?timeout=%ld", a->timeout);
	server = http_url_escape(a->server);
	tool = http_url_escape(a->tool);
	xasprintf(&path, "/v1/mcp/servers/%s/tools/%s/call%s", server, tool,
	    query);
	free(server);
	free(tool);
	return (path);
}

/* cmd_mcp_call - POST .../tools/TOOL/call, then the result */
static int
cmd_mcp_call(struct ctl *ctl, const struct mcp_args *a)
{
	cJSON	*body, *answer;
	char	*s, *path, *server, *tool;
	double	 need;
	int	 rc, err;

	body = cJSON_CreateObject();
	cJSON_AddItemReferenceToObject(body, "arguments", a->arguments);
	s = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (s == NULL) {
		ctl_errx("cannot encode the request");
		return (CTL_EXIT_FAIL);
	}
	need = (double)((a->timeout > 0 ? a->timeout : MCP_ARGS_TIMEOUT_MAX) +
	    CMD_MCP_EXTRA);
	if (ctl->timeout < need)
		ctl->timeout = need;	/* the server waits for the tool */
	path = cmd_mcp_path(a);
	rc = ctl_api_send(ctl, "POST", path, s, strlen(s), &answer);
	explicit_bzero(s, strlen(s));	/* arguments may be credentials */
	cJSON_free(s);
	if (rc != CTL_EXIT_OK) {
		free(path);
		return (rc);
	}
	if (ctl->json) {
		ctl_json_print(stdout, answer);
		err = ctl_json_bool(cJSON_GetObjectItemCaseSensitive(answer,
		    "result"), "isError") == 1;
	} else if ((err = mcp_view_result(stdout, answer,
	    isatty(STDOUT_FILENO))) == -1) {
		ctl_errx("POST %s: the answer has no result", path);
		rc = CTL_EXIT_FAIL;
	}
	if (err == 1) {
		server = ctl_fmt_clean(a->server);
		tool = ctl_fmt_clean(a->tool);
		ctl_errx("tool %s of %s reported an error", tool, server);
		free(server);
		free(tool);
		rc = CTL_EXIT_FAIL;
	}
	free(path);
	cJSON_Delete(answer);
	return (rc);
}

/* cmd_mcp_run - parse, then run the subcommand */
static int
cmd_mcp_run(struct ctl *ctl, int argc, char **argv)
{
	struct mcp_args	a;
	int		rc;

	rc = mcp_args_parse(ctl, &cmd_mcp_entry, argc, argv, &a);
	if (rc == MCP_ARGS_HELP) {
		ctl_help_command(stdout, &cmd_mcp_entry);
		rc = CTL_EXIT_OK;
	} else if (rc == MCP_ARGS_GO) {
		switch (a.sub) {
		case MCP_TOOLS:
			rc = cmd_mcp_tools(ctl, &a);
			break;
		case MCP_CALL:
			rc = cmd_mcp_call(ctl, &a);
			break;
		default:
			rc = cmd_mcp_servers(ctl);
			break;
		}
	}
	mcp_args_free(&a);
	return (rc);
}
