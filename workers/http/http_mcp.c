/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_mcp - the MCP endpoints of the http worker
 * SYNOPSIS
 *	#include "http_mcp.h"
 * DESCRIPTION
 *	The MCP servers are run by the mcp worker (bus id PROC_MCP); each
 *	endpoint is one request to it (docs/mcp.md, docs/protocol.md):
 *
 *	  GET /v1/mcp/servers		MSG_MCP_LIST {}: 200 {"servers":
 *					[server...]}
 *	  GET /v1/mcp/servers/{name}/tools
 *					MSG_MCP_TOOLS {"name"}: 200
 *					{"server","tools":[...]}
 *	  POST /v1/mcp/servers/{name}/tools/{tool}/call[?timeout=S]
 *					MSG_MCP_CALL {"server","tool",
 *					"arguments","timeout_s"}: 200
 *					{"server","tool","duration_ms",
 *					"result"}
 *
 *	The answers are passed on as the mcp worker sends them, but for
 *	an "env" member of a server object, which the worker never sends
 *	(its values may be credentials) and which is dropped with a
 *	warning should it come all the same. A tool that reports its own
 *	failure (result.isError) is still a 200: the call worked.
 *
 *	A call's body is checked here, before the bus: none, or {}, means
 *	no arguments (an empty object is sent); else one JSON object with
 *	the one member "arguments", an object. Anything else is 400
 *	bad_request naming the member at fault in "field" (no field when
 *	the body as a whole is not JSON or not an object). Tool arguments
 *	may hold credentials, so the body is handled like a secret's:
 *	copied out of the request and cleared there, the parsed tree
 *	cleared before it is freed, never logged.
 *
 *	?timeout=S is the seconds the mcp worker gives the tool (1 to
 *	3600); without it "timeout_s" is left out and the worker uses the
 *	server's call_timeout_s or its mcp_call_timeout, which this worker
 *	does not know. The bus timeout is S + 5 seconds, so the worker's
 *	own 504 (and its notifications/cancelled to the server) comes
 *	first; without ?timeout it is the largest S + 5 seconds. A bad
 *	value is 400 naming "timeout" without asking the mcp worker;
 *	other query parameters are ignored.
 *
 *	Errors of the mcp worker map through http_bus_status(): bad_request
 *	400, forbidden 403, not_found 404, unavailable 503, timeout 504;
 *	bad_gateway, like any code the API does not map, is 502 with the
 *	worker's code and message. A worker that is down or not enabled
 *	is 503 unavailable (the master says so at once).
 * DIAGNOSTICS
 *	A malformed reply is logged by http_bus.c; an "env" member of a
 *	server object here.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "frame.h"
#include "log.h"
#include "msg.h"
#include "proc.h"

#include "http_body.h"
#include "http_bus.h"
#include "http_call.h"
#include "http_mcp.h"
#include "http_reply.h"
#include "http_wipe.h"

#define HTTP_MCP_WHO		"the mcp worker"
#define HTTP_MCP_DIGITS_MAX	6	/* digits of ?timeout= */
#define HTTP_MCP_BODY_WANT	"the body must be a JSON object " \
	"{\"arguments\":{...}}, or empty for no arguments"

/* http_mcp_timeout - "30" as 30 seconds (1..3600): 0, or -1 and why */
int
http_mcp_timeout(const char *s, long *secs, const char **why)
{
	long	v = 0;
	size_t	i;

	for (i = 0; isdigit((unsigned char)s[i]); i++) {
		if (i == HTTP_MCP_DIGITS_MAX)
			break;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || s[i] != '\0' || v < 1 || v > HTTP_MCP_TIMEOUT_MAX) {
		*why = "want a whole number of seconds from 1 to 3600";
		return (-1);
	}
	*secs = v;
	return (0);
}

/* http_mcp_field - a member's name as sent: bounded, printable ASCII */
static void
http_mcp_field(char field[HTTP_MCP_FIELD_MAX + 1], const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && name[i] != '\0' &&
	    i < HTTP_MCP_FIELD_MAX; i++)
		field[i] = name[i] > 0x20 && name[i] < 0x7f ? name[i] : '?';
	field[i] = '\0';
}

/* http_mcp_check - the parsed body: "arguments", an object, at most */
static int
http_mcp_check(const cJSON *in, char field[HTTP_MCP_FIELD_MAX + 1],
    const char **why)
{
	const cJSON	*m, *o;

	if (!cJSON_IsObject(in)) {
		*why = HTTP_MCP_BODY_WANT;
		return (-1);
	}
	cJSON_ArrayForEach(m, in) {
		http_mcp_field(field, m->string);
		if (m->string == NULL || strcmp(m->string, "arguments") != 0) {
			*why = "unknown field (a body has only \"arguments\")";
			return (-1);
		}
		for (o = in->child; o != m; o = o->next)
			if (strcmp(o->string, m->string) == 0) {
				*why = "given twice";
				return (-1);
			}
		if (!cJSON_IsObject(m)) {
			*why = "must be an object";
			return (-1);
		}
	}
	field[0] = '\0';
	return (0);
}

/* http_mcp_call_body - the call's body: 0 and *args, or -1, field, why */
int
http_mcp_call_body(const char *buf, size_t len, cJSON **args,
    char field[HTTP_MCP_FIELD_MAX + 1], const char **why)
{
	cJSON	*in;

	*args = NULL;
	field[0] = '\0';
	switch (http_body_parse(buf, len, &in)) {
	case HTTP_BODY_EMPTY:
		*args = cJSON_CreateObject();
		return (0);
	case HTTP_BODY_NUL:
		*why = HTTP_BODY_NUL_WHY;
		return (-1);
	case HTTP_BODY_INVALID:
		*why = "the body is not valid JSON (want {\"arguments\":"
		    "{...}}, or no body)";
		return (-1);
	default:
		break;
	}
	if (http_mcp_check(in, field, why) == -1) {
		http_wipe_json(in);
		cJSON_Delete(in);
		return (-1);
	}
	if ((*args = cJSON_DetachItemFromObjectCaseSensitive(in,
	    "arguments")) == NULL)
		*args = cJSON_CreateObject();
	cJSON_Delete(in);		/* empty now */
	return (0);
}

/* http_mcp_scrub - drop what a server object must never hold */
static void
http_mcp_scrub(cJSON *server)
{
	cJSON	*env;

	if ((env = cJSON_DetachItemFromObjectCaseSensitive(server,
	    "env")) == NULL)
		return;
	log_warnx("%s: %s sent a server with its env; dropped", __func__,
	    HTTP_MCP_WHO);
	http_wipe_json(env);
	cJSON_Delete(env);
}

/* http_mcp_servers_done - the reply to MSG_MCP_LIST */
static void
http_mcp_servers_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r, *s;

	if ((r = http_bus_reply(call, f, err, MSG_MCP_LIST,
	    HTTP_MCP_WHO)) == NULL)
		return;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(r, "servers"))
		http_mcp_scrub(s);
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_mcp_servers - GET /v1/mcp/servers */
void
http_mcp_servers(struct http_call *call)
{
	http_bus_ask(call, PROC_MCP, MSG_MCP_LIST, NULL,
	    http_mcp_servers_done);
}

/* http_mcp_tools_done - the reply to MSG_MCP_TOOLS */
static void
http_mcp_tools_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_MCP_TOOLS,
	    HTTP_MCP_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_mcp_tools - GET /v1/mcp/servers/{name}/tools */
void
http_mcp_tools(struct http_call *call)
{
	cJSON	*msg;

	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "name", call->arg);
	http_bus_ask(call, PROC_MCP, MSG_MCP_TOOLS, msg, http_mcp_tools_done);
	cJSON_Delete(msg);
}

/* http_mcp_call_done - the reply to MSG_MCP_CALL */
static void
http_mcp_call_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_MCP_CALL,
	    HTTP_MCP_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_mcp_query_timeout - ?timeout= into *secs (-1: none); -1 if answered */
static int
http_mcp_query_timeout(struct http_call *call, long *secs)
{
	struct evkeyvalq	 q;
	const char		*v, *why = NULL;

	*secs = -1;
	if (http_call_query(call, &q) == -1)
		return (-1);
	if ((v = evhttp_find_header(&q, "timeout")) != NULL)
		(void)http_mcp_timeout(v, secs, &why);
	evhttp_clear_headers(&q);
	if (why != NULL) {
		http_reply_bad_param(call, "timeout", why);
		return (-1);
	}
	return (0);
}

/* http_mcp_call - POST /v1/mcp/servers/{name}/tools/{tool}/call */
void
http_mcp_call(struct http_call *call)
{
	cJSON		*args, *msg;
	const char	*why = NULL;
	char		 field[HTTP_MCP_FIELD_MAX + 1], *buf;
	size_t		 len;
	long		 secs;
	int		 rc;

	buf = http_wipe_take(evhttp_request_get_input_buffer(call->req), &len);
	if (http_mcp_query_timeout(call, &secs) == -1) {
		explicit_bzero(buf, len);
		free(buf);
		return;
	}
	rc = http_mcp_call_body(buf, len, &args, field, &why);
	explicit_bzero(buf, len);
	free(buf);
	if (rc == -1) {
		if (field[0] == '\0')
			http_reply_error(call, HTTP_ST_BAD_REQUEST,
			    "bad_request", "%s", why);
		else
			http_reply_error_field(call, HTTP_ST_BAD_REQUEST,
			    "bad_request", field, "%s: %s", field, why);
		return;
	}
	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "server", call->arg);
	cJSON_AddStringToObject(msg, "tool", call->arg2);
	cJSON_AddItemToObject(msg, "arguments", args);
	if (secs > 0)
		cJSON_AddNumberToObject(msg, "timeout_s", (double)secs);
	http_bus_ask_ms(call, PROC_MCP, MSG_MCP_CALL, msg, (int)((secs > 0 ?
	    secs : HTTP_MCP_TIMEOUT_MAX) + HTTP_MCP_WAIT_EXTRA) * 1000,
	    http_mcp_call_done);
	http_wipe_json(msg);
	cJSON_Delete(msg);
}
