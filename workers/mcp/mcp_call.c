/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_call - one tools/call on one MCP server
 * SYNOPSIS
 *	#include "mcp_call.h"
 * DESCRIPTION
 *	See mcp_call.h. The call waits in the server's session (mcp_rpc.c)
 *	with the call's own timeout; its context lives until the session
 *	calls back, which it does exactly once, also when the server dies
 *	or is freed (the session ends first), so the context may point at
 *	the server.
 * DIAGNOSTICS
 *	A timeout is logged at info, a protocol break at warn; the answers
 *	themselves are never logged (they may hold what a tool read).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

#include "mcp_call.h"
#include "mcp_jsonrpc.h"
#include "mcp_server_priv.h"

struct mcp_call {
	struct mcp_server	*s;
	char			*tool;
	int64_t			 started_ms;
	int			 timeout_s;
	mcp_call_done_fn	*done;
	void			*arg;
};

/* mcp_call_fail - end c with code and a message */
static void
mcp_call_fail(struct mcp_call *c, const char *code, enum mcp_outcome o,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
mcp_call_fail(struct mcp_call *c, const char *code, enum mcp_outcome o,
    const char *fmt, ...)
{
	struct mcp_call_err	err;
	va_list			ap;

	err.code = code;
	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	mcp_server_count(c->s, o);
	c->done(NULL, &err, c->arg);
}

/* mcp_call_result - the server's result: the answer's body to done */
static void
mcp_call_result(struct mcp_call *c, struct mcp_rpc_reply *rep)
{
	const char	*name = mcp_server_name(c->s);
	cJSON		*body;

	if (!cJSON_IsObject(rep->result)) {
		log_warnx("server %s: tools/call %.64s: the result is not an "
		    "object", name, c->tool);
		mcp_call_fail(c, "bad_gateway", MCP_OUT_ERROR, "server %s: "
		    "tools/call: the result is not an object", name);
		return;
	}
	mcp_server_count(c->s, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	    rep->result, "isError")) ? MCP_OUT_TOOL_ERROR : MCP_OUT_OK);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "server", name);
	cJSON_AddStringToObject(body, "tool", c->tool);
	cJSON_AddNumberToObject(body, "duration_ms",
	    (double)(mcp_server_now_ms() - c->started_ms));
	cJSON_AddItemToObject(body, "result", rep->result);
	rep->result = NULL;
	c->done(body, NULL, c->arg);
}

/* mcp_call_cancel - tell the server we gave up on request id */
static void
mcp_call_cancel(struct mcp_call *c, struct mcp_rpc *r, int64_t id)
{
	cJSON	*p;
	char	 reason[64];

	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "requestId", (double)id);
	snprintf(reason, sizeof(reason), "timeout after %d s", c->timeout_s);
	cJSON_AddStringToObject(p, "reason", reason);
	(void)mcp_rpc_notify(r, "notifications/cancelled", p);
}

/* mcp_call_reply_cb - the session's answer to the call */
static void
mcp_call_reply_cb(struct mcp_rpc *r, struct mcp_rpc_reply *rep, void *arg)
{
	struct mcp_call	*c = arg;
	const char	*name = mcp_server_name(c->s);

	switch (rep->outcome) {
	case MCP_RPC_RESULT:
		mcp_call_result(c, rep);
		break;
	case MCP_RPC_ERROR:
		mcp_call_fail(c, rep->code == MCP_JSONRPC_INVALID_PARAMS ?
		    "bad_request" : "bad_gateway", MCP_OUT_ERROR, "server %s: "
		    "JSON-RPC error %ld: %.300s", name, rep->code,
		    rep->message);
		break;
	case MCP_RPC_TIMEOUT:
		log_info("server %s: tool %.64s: no answer within %d s; "
		    "cancelled", name, c->tool, c->timeout_s);
		mcp_call_cancel(c, r, rep->id);
		mcp_call_fail(c, "timeout", MCP_OUT_TIMEOUT, "server %s: tool "
		    "%.64s: no answer within %d s", name, c->tool,
		    c->timeout_s);
		break;
	case MCP_RPC_CLOSED:
		mcp_call_fail(c, "bad_gateway", MCP_OUT_ERROR, "server %s "
		    "went away during the call: %.300s", name,
		    mcp_server_last_error(c->s)[0] != '\0' ?
		    mcp_server_last_error(c->s) : rep->why);
		break;
	}
	free(c->tool);
	free(c);
}

/* mcp_call_not_ready - why s cannot take a call, into err */
static void
mcp_call_not_ready(const struct mcp_server *s, struct mcp_call_err *err)
{
	const char	*le = mcp_server_last_error(s);

	err->code = "unavailable";
	snprintf(err->message, sizeof(err->message), "server %s is %s%s%.300s",
	    mcp_server_name(s), mcp_state_name(mcp_server_state(s)),
	    le[0] != '\0' ? ": " : "", le);
}

/* mcp_call_start - call tool on s; 0 and done later, or -1 and err */
int
mcp_call_start(struct mcp_server *s, const char *tool,
    const cJSON *arguments, int timeout_s, mcp_call_done_fn *done, void *arg,
    struct mcp_call_err *err)
{
	struct mcp_call	*c;
	struct mcp_rpc	*r;
	cJSON		*p;

	memset(err, 0, sizeof(*err));
	if ((r = mcp_server_rpc(s)) == NULL) {
		mcp_call_not_ready(s, err);
		return (-1);
	}
	if (mcp_server_tool(s, tool) == NULL) {
		err->code = "not_found";
		snprintf(err->message, sizeof(err->message), "server %s has "
		    "no tool named %.64s", mcp_server_name(s), tool);
		return (-1);
	}
	c = xcalloc(1, sizeof(*c));
	c->s = s;
	c->tool = xstrdup(tool);
	c->started_ms = mcp_server_now_ms();
	c->timeout_s = timeout_s;
	c->done = done;
	c->arg = arg;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", tool);
	cJSON_AddItemToObject(p, "arguments", arguments != NULL ?
	    cJSON_Duplicate(arguments, 1) : cJSON_CreateObject());
	if (mcp_rpc_request(r, "tools/call", p, timeout_s * 1000,
	    mcp_call_reply_cb, c) == -1) {
		err->code = "unavailable";
		snprintf(err->message, sizeof(err->message), "server %s: %s",
		    mcp_server_name(s), mcp_rpc_why(r));
		free(c->tool);
		free(c);
		return (-1);
	}
	return (0);
}
