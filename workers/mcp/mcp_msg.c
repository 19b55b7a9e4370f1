/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_msg - the mcp worker's messages (docs/protocol.md)
 * SYNOPSIS
 *	#include "mcp_worker.h"
 * DESCRIPTION
 *	MCP_LIST, MCP_TOOLS and MCP_CALL, from the http worker only (the
 *	master stamps src; anyone else gets ERROR forbidden). A call is
 *	checked here (server, tool, arguments, timeout_s), then handed to
 *	mcp_call.c; its answer comes later, so the request's header is
 *	kept to answer it.
 *
 *	An answer that would not fit in a frame (FRAME_MAX) is replaced by
 *	ERROR bad_gateway saying how big it was: a tool result or a tool
 *	list that large cannot cross the bus.
 * DIAGNOSTICS
 *	Refusals are MSG_ERROR replies; a bad call names its field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#include "mcp_call.h"
#include "mcp_worker.h"

/* a call waiting for its server */
struct mcp_msg_call {
	struct worker_rt	*rt;
	struct frame		 req;		/* header only */
};

/* mcp_msg_reply - answer with body (taken), or bad_gateway if too big */
static void
mcp_msg_reply(struct worker_rt *rt, const struct frame *f, uint16_t type,
    cJSON *body, const char *server)
{
	char	*s;
	size_t	 n;

	if ((s = cJSON_PrintUnformatted(body)) == NULL)
		fatalx("%s: out of memory", __func__);
	n = strlen(s);
	cJSON_free(s);
	if (n > FRAME_MAX) {
		cJSON_Delete(body);
		log_warnx("server %s: an answer of %zu bytes, over the %d a "
		    "frame carries", server, n, FRAME_MAX);
		worker_reply_error(rt, f, "bad_gateway", "server %s: the "
		    "answer is %zu bytes, more than the %d the mcp worker can "
		    "pass on", server, n, FRAME_MAX);
		return;
	}
	worker_reply(rt, f, type, body);
}

/* mcp_on_list - MCP_LIST: every server, with its call counts */
void
mcp_on_list(struct worker_rt *rt, struct frame *f)
{
	struct mcp_worker	*w = rt->priv;
	cJSON			*j, *o, *a, *srv;
	size_t			 i;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	cJSON_Delete(j);
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "servers");
	for (i = 0; i < w->nslots; i++) {
		srv = mcp_server_json(w->slots[i].s);
		cJSON_AddItemToObject(srv, "calls",
		    mcp_server_counts(w->slots[i].s));
		cJSON_AddItemToArray(a, srv);
	}
	worker_reply(rt, f, MSG_MCP_LIST, o);
}

/* mcp_msg_server - the server the request names in key; NULL (answered)
 * if none */
static struct mcp_server *
mcp_msg_server(struct worker_rt *rt, struct frame *f, const cJSON *j,
    const char *key)
{
	const cJSON		*n = cJSON_GetObjectItemCaseSensitive(j, key);
	struct mcp_server	*s;
	char			 msg[128];

	if (!cJSON_IsString(n)) {
		snprintf(msg, sizeof(msg), "%s: want a string", key);
		worker_reply_error_field(rt, f, "bad_request", key, msg);
		return (NULL);
	}
	if ((s = mcp_worker_find(rt->priv, n->valuestring)) == NULL)
		worker_reply_error(rt, f, "not_found", "no MCP server named "
		    "%.64s", n->valuestring);
	return (s);
}

/* mcp_on_tools - MCP_TOOLS {"name"}: the server's tools */
void
mcp_on_tools(struct worker_rt *rt, struct frame *f)
{
	struct mcp_server	*s;
	const cJSON		*tools;
	const char		*le;
	cJSON			*j, *o;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	if ((s = mcp_msg_server(rt, f, j, "name")) == NULL)
		goto done;
	if ((tools = mcp_server_tools(s)) == NULL) {
		le = mcp_server_last_error(s);
		worker_reply_error(rt, f, "unavailable", "server %s is %s%s%.300s",
		    mcp_server_name(s), mcp_state_name(mcp_server_state(s)),
		    le[0] != '\0' ? ": " : "", le);
		goto done;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "server", mcp_server_name(s));
	cJSON_AddItemToObject(o, "tools", cJSON_Duplicate(tools, 1));
	mcp_msg_reply(rt, f, MSG_MCP_TOOLS, o, mcp_server_name(s));
done:
	cJSON_Delete(j);
}

/* mcp_msg_call_done - the call ended: answer it */
static void
mcp_msg_call_done(cJSON *body, const struct mcp_call_err *err, void *arg)
{
	struct mcp_msg_call	*c = arg;
	const cJSON		*srv;

	if (c->rt->chan == NULL)	/* the worker is going away */
		cJSON_Delete(body);
	else if (body != NULL) {
		srv = cJSON_GetObjectItemCaseSensitive(body, "server");
		mcp_msg_reply(c->rt, &c->req, MSG_MCP_CALL, body,
		    cJSON_IsString(srv) ? srv->valuestring : "?");
	} else
		worker_reply_error(c->rt, &c->req, err->code, "%s",
		    err->message);
	free(c);
}

/* mcp_msg_timeout - timeout_s of the call into *out; 0, or -1 (answered) */
static int
mcp_msg_timeout(struct worker_rt *rt, struct frame *f, const cJSON *j,
    const struct mcp_server *s, int *out)
{
	const cJSON	*t = cJSON_GetObjectItemCaseSensitive(j, "timeout_s");

	*out = mcp_server_conf(s)->call_timeout_s;
	if (t == NULL || cJSON_IsNull(t))
		return (0);
	if (!cJSON_IsNumber(t) || t->valuedouble < 1 ||
	    t->valuedouble > MCP_CONF_TIMEOUT_MAX ||
	    t->valuedouble != (double)(int)t->valuedouble) {
		worker_reply_error_field(rt, f, "bad_request", "timeout_s",
		    "timeout_s: want a whole number of seconds from 1 to "
		    "3600");
		return (-1);
	}
	*out = (int)t->valuedouble;
	return (0);
}

/* mcp_on_call - MCP_CALL {"server","tool","arguments","timeout_s"} */
void
mcp_on_call(struct worker_rt *rt, struct frame *f)
{
	struct mcp_server	*s;
	struct mcp_msg_call	*c;
	struct mcp_call_err	 err;
	const cJSON		*tool, *args;
	cJSON			*j;
	int			 timeout_s;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	if (rt->draining) {
		worker_reply_error(rt, f, "draining", "corral is shutting "
		    "down");
		goto done;
	}
	if ((s = mcp_msg_server(rt, f, j, "server")) == NULL)
		goto done;
	tool = cJSON_GetObjectItemCaseSensitive(j, "tool");
	args = cJSON_GetObjectItemCaseSensitive(j, "arguments");
	if (!cJSON_IsString(tool) || tool->valuestring[0] == '\0') {
		worker_reply_error_field(rt, f, "bad_request", "tool",
		    "tool: want a non-empty string");
		goto done;
	}
	if (args != NULL && !cJSON_IsNull(args) && !cJSON_IsObject(args)) {
		worker_reply_error_field(rt, f, "bad_request", "arguments",
		    "arguments: want an object");
		goto done;
	}
	if (mcp_msg_timeout(rt, f, j, s, &timeout_s) == -1)
		goto done;
	c = xcalloc(1, sizeof(*c));
	c->rt = rt;
	c->req.hdr = f->hdr;
	c->req.fd = -1;
	if (mcp_call_start(s, tool->valuestring, cJSON_IsObject(args) ? args :
	    NULL, timeout_s, mcp_msg_call_done, c, &err) == -1) {
		worker_reply_error(rt, f, err.code, "%s", err.message);
		free(c);
	}
done:
	cJSON_Delete(j);
}
