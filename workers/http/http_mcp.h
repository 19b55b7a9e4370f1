/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_mcp.h - the MCP endpoints of the http worker
 * SYNOPSIS
 *	void	http_mcp_servers(struct http_call *call);
 *	void	http_mcp_tools(struct http_call *call);
 *	void	http_mcp_call(struct http_call *call);
 *
 *	int	http_mcp_timeout(const char *s, long *secs, const char **why);
 *	int	http_mcp_call_body(const char *buf, size_t len, cJSON **args,
 *		    char field[HTTP_MCP_FIELD_MAX + 1], const char **why);
 * DESCRIPTION
 *	Route handlers for GET /v1/mcp/servers (MSG_MCP_LIST), GET
 *	/v1/mcp/servers/{name}/tools (MSG_MCP_TOOLS) and POST
 *	/v1/mcp/servers/{name}/tools/{tool}/call[?timeout=S]
 *	(MSG_MCP_CALL); each asks the mcp worker (PROC_MCP).
 *
 *	http_mcp_timeout parses ?timeout=: a whole number of seconds from
 *	1 to HTTP_MCP_TIMEOUT_MAX; 0 and *secs, or -1 and *why.
 *
 *	http_mcp_call_body is the call's own check of its body: buf holds
 *	len bytes and a NUL after them (as http_wipe_take leaves it). No
 *	body, or {}, means no arguments; otherwise the body must be one
 *	JSON object whose only member is "arguments", an object. It
 *	returns 0 and the arguments in *args (an empty object when there
 *	are none; the caller clears and deletes it), or -1, *args NULL,
 *	*why, and in field the name of the member at fault (at most
 *	HTTP_MCP_FIELD_MAX characters of it, anything but printable ASCII
 *	as '?'), or "" when the body as a whole is at fault. A tree it
 *	refuses is cleared before it is freed: arguments may hold
 *	credentials. Both parsers are exported for the unit tests.
 */
#ifndef CORRAL_HTTP_MCP_H
#define CORRAL_HTTP_MCP_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define HTTP_MCP_NAME_MAX	64	/* a server's name (docs/mcp.md) */
#define HTTP_MCP_TOOL_MAX	128	/* a tool's name (the MCP spec) */
#define HTTP_MCP_TIMEOUT_MAX	3600	/* seconds, ?timeout= */
#define HTTP_MCP_WAIT_EXTRA	5	/* s beyond it for the reply */
#define HTTP_MCP_FIELD_MAX	64	/* a member named in an error */

struct http_call;

/* http_mcp_servers - GET /v1/mcp/servers */
void	http_mcp_servers(struct http_call *call);

/* http_mcp_tools - GET /v1/mcp/servers/{name}/tools */
void	http_mcp_tools(struct http_call *call);

/* http_mcp_call - POST /v1/mcp/servers/{name}/tools/{tool}/call */
void	http_mcp_call(struct http_call *call);

/* http_mcp_timeout - "30" as 30 seconds (1..3600): 0, or -1 and why */
int	http_mcp_timeout(const char *s, long *secs, const char **why);

/* http_mcp_call_body - the call's body: 0 and *args, or -1, field, why */
int	http_mcp_call_body(const char *buf, size_t len, cJSON **args,
	    char field[HTTP_MCP_FIELD_MAX + 1], const char **why);

#endif
