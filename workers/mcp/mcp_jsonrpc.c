/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_jsonrpc - split a stream into lines, classify a JSON-RPC line
 * SYNOPSIS
 *	#include "mcp_jsonrpc.h"
 * DESCRIPTION
 *	See mcp_jsonrpc.h. The splitter looks for "\n" only in the bytes
 *	just fed; whole lines inside one piece go to fn straight from the
 *	caller's buffer, and only a partial line is copied. Its buffer
 *	grows by doubling up to max + 1, never past it.
 *
 *	The classifier parses with cJSON (the line's length, nothing after
 *	the value but blanks) and then only reads: every pointer it hands
 *	out is into m->root, which the caller frees with
 *	mcp_jsonrpc_msg_free.
 * DIAGNOSTICS
 *	None: verdicts are return values and m->why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp_jsonrpc.h"
#include "xmalloc.h"

#define MCP_JSONRPC_BUF_MIN	4096

/* mcp_jsonrpc_lines_init - an empty splitter for lines of at most max */
void
mcp_jsonrpc_lines_init(struct mcp_jsonrpc_lines *l, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->max = max > 0 ? max : MCP_JSONRPC_LINE_MAX;
}

/* mcp_jsonrpc_lines_free - drop the partial line */
void
mcp_jsonrpc_lines_free(struct mcp_jsonrpc_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = l->cap = 0;
}

/* mcp_jsonrpc_lines_emit - one whole line (no "\n") to fn, "\r" cut */
static int
mcp_jsonrpc_lines_emit(const char *line, size_t len, mcp_jsonrpc_line_fn *fn,
    void *arg)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return (0);
	return (fn(line, len, arg));
}

/* mcp_jsonrpc_lines_keep - append data to the partial line; 0 or E_LONG */
static int
mcp_jsonrpc_lines_keep(struct mcp_jsonrpc_lines *l, const char *data,
    size_t len)
{
	size_t	cap;

	if (len > l->max - l->len) {
		l->len = 0;
		return (MCP_JSONRPC_E_LONG);
	}
	if (l->len + len > l->cap) {
		cap = l->cap > 0 ? l->cap : MCP_JSONRPC_BUF_MIN;
		while (cap < l->len + len)
			cap = cap > l->max / 2 ? l->max : cap * 2;
		l->buf = xrealloc(l->buf, cap);
		l->cap = cap;
	}
	memcpy(l->buf + l->len, data, len);
	l->len += len;
	return (0);
}

/* mcp_jsonrpc_lines_feed - split data into lines, fn on each; 0 or error */
int
mcp_jsonrpc_lines_feed(struct mcp_jsonrpc_lines *l, const char *data,
    size_t len, mcp_jsonrpc_line_fn *fn, void *arg)
{
	const char	*nl;
	size_t		 n, total;
	int		 rc;

	while (len > 0) {
		if ((nl = memchr(data, '\n', len)) == NULL)
			return (mcp_jsonrpc_lines_keep(l, data, len));
		n = (size_t)(nl - data);
		if (l->len > 0) {
			if ((rc = mcp_jsonrpc_lines_keep(l, data, n)) != 0) {
				l->len = 0;
				return (rc);
			}
			total = l->len;
			l->len = 0;
			if ((rc = mcp_jsonrpc_lines_emit(l->buf, total, fn,
			    arg)) != 0)
				return (rc);
		} else if (n > l->max)
			return (MCP_JSONRPC_E_LONG);
		else if ((rc = mcp_jsonrpc_lines_emit(data, n, fn, arg)) != 0)
			return (rc);
		data += n + 1;
		len -= n + 1;
	}
	return (0);
}

/* mcp_jsonrpc_kind_name - "response", "error", ... for messages */
const char *
mcp_jsonrpc_kind_name(enum mcp_jsonrpc_kind k)
{
	switch (k) {
	case MCP_JSONRPC_RESPONSE:
		return ("response");
	case MCP_JSONRPC_ERROR:
		return ("error");
	case MCP_JSONRPC_NOTIFICATION:
		return ("notification");
	case MCP_JSONRPC_REQUEST:
		return ("request");
	default:
		return ("invalid");
	}
}

/* mcp_jsonrpc_invalid - m is invalid because of why */
static enum mcp_jsonrpc_kind
mcp_jsonrpc_invalid(struct mcp_jsonrpc_msg *m, const char *why)
{
	snprintf(m->why, sizeof(m->why), "%s", why);
	m->kind = MCP_JSONRPC_INVALID;
	return (m->kind);
}

/* mcp_jsonrpc_int - is v an integer number from lo to 2^53? */
static int
mcp_jsonrpc_int(const cJSON *v, double lo)
{
	double	d;

	if (!cJSON_IsNumber(v))
		return (0);
	d = v->valuedouble;
	return (isfinite(d) && d >= lo && d <= (double)MCP_JSONRPC_ID_MAX &&
	    d == (double)(int64_t)d);
}

/* mcp_jsonrpc_call - a request or a notification: method, params, id */
static enum mcp_jsonrpc_kind
mcp_jsonrpc_call(struct mcp_jsonrpc_msg *m, const cJSON *method,
    cJSON *params, const cJSON *id)
{
	if (!cJSON_IsString(method) || method->valuestring[0] == '\0')
		return (mcp_jsonrpc_invalid(m, "method is not a non-empty "
		    "string"));
	if (cJSON_GetObjectItemCaseSensitive(m->root, "result") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(m->root, "error") != NULL)
		return (mcp_jsonrpc_invalid(m, "a method with a result or an "
		    "error"));
	if (params != NULL && !cJSON_IsObject(params) &&
	    !cJSON_IsArray(params))
		return (mcp_jsonrpc_invalid(m, "params is neither an object "
		    "nor an array"));
	m->method = method->valuestring;
	m->params = params;
	if (id == NULL) {
		m->kind = MCP_JSONRPC_NOTIFICATION;
		return (m->kind);
	}
	if (!cJSON_IsString(id) && !mcp_jsonrpc_int(id, -(double)
	    MCP_JSONRPC_ID_MAX))
		return (mcp_jsonrpc_invalid(m, "a request id is neither a "
		    "string nor an integer"));
	m->id = id;
	m->kind = MCP_JSONRPC_REQUEST;
	return (m->kind);
}

/* mcp_jsonrpc_response - a result or an error, for one of our ids */
static enum mcp_jsonrpc_kind
mcp_jsonrpc_response(struct mcp_jsonrpc_msg *m, cJSON *result, cJSON *error,
    const cJSON *id)
{
	const cJSON	*code, *msg;

	if (id == NULL)
		return (mcp_jsonrpc_invalid(m, "a response without an id"));
	if (result != NULL && error != NULL)
		return (mcp_jsonrpc_invalid(m, "both a result and an error"));
	if (mcp_jsonrpc_int(id, 1))
		m->rid = (int64_t)id->valuedouble;
	else if (cJSON_IsString(id) || cJSON_IsNull(id) ||
	    cJSON_IsNumber(id))
		m->rid = -1;
	else
		return (mcp_jsonrpc_invalid(m, "a response id is neither a "
		    "string, a number nor null"));
	if (result != NULL) {
		m->result = result;
		m->kind = MCP_JSONRPC_RESPONSE;
		return (m->kind);
	}
	code = cJSON_GetObjectItemCaseSensitive(error, "code");
	msg = cJSON_GetObjectItemCaseSensitive(error, "message");
	if (!cJSON_IsObject(error) || !cJSON_IsNumber(code) ||
	    !cJSON_IsString(msg))
		return (mcp_jsonrpc_invalid(m, "an error without an integer "
		    "code and a string message"));
	if (!isfinite(code->valuedouble) || code->valuedouble < -2147483648.0 ||
	    code->valuedouble > 2147483647.0 ||
	    code->valuedouble != (double)(long)code->valuedouble)
		return (mcp_jsonrpc_invalid(m, "an error code that is not an "
		    "integer"));
	m->code = (long)code->valuedouble;
	m->message = msg->valuestring;
	m->kind = MCP_JSONRPC_ERROR;
	return (m->kind);
}

/* mcp_jsonrpc_classify - decode one line into m; m->kind */
enum mcp_jsonrpc_kind
mcp_jsonrpc_classify(const char *line, size_t len, struct mcp_jsonrpc_msg *m)
{
	const cJSON	*v, *id;
	const char	*end = NULL, *p;
	cJSON		*method, *result, *error;

	memset(m, 0, sizeof(*m));
	m->rid = -1;
	if (memchr(line, '\0', len) != NULL)
		return (mcp_jsonrpc_invalid(m, "a NUL byte"));
	m->root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (m->root == NULL)
		return (mcp_jsonrpc_invalid(m, "not JSON"));
	for (p = end; p != NULL && p < line + len; p++)
		if (strchr(" \t\r", *p) == NULL)
			return (mcp_jsonrpc_invalid(m, "more after the JSON "
			    "value"));
	if (cJSON_IsArray(m->root))
		return (mcp_jsonrpc_invalid(m, "a batch (JSON-RPC batches are "
		    "not supported)"));
	if (!cJSON_IsObject(m->root))
		return (mcp_jsonrpc_invalid(m, "not a JSON object"));
	v = cJSON_GetObjectItemCaseSensitive(m->root, "jsonrpc");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "2.0") != 0)
		return (mcp_jsonrpc_invalid(m, "no \"jsonrpc\": \"2.0\""));
	method = cJSON_GetObjectItemCaseSensitive(m->root, "method");
	id = cJSON_GetObjectItemCaseSensitive(m->root, "id");
	if (method != NULL)
		return (mcp_jsonrpc_call(m, method,
		    cJSON_GetObjectItemCaseSensitive(m->root, "params"), id));
	result = cJSON_GetObjectItemCaseSensitive(m->root, "result");
	error = cJSON_GetObjectItemCaseSensitive(m->root, "error");
	if (result == NULL && error == NULL)
		return (mcp_jsonrpc_invalid(m, "neither a method, a result "
		    "nor an error"));
	return (mcp_jsonrpc_response(m, result, error, id));
}

/* mcp_jsonrpc_msg_free - free what m holds; m may be classified again */
void
mcp_jsonrpc_msg_free(struct mcp_jsonrpc_msg *m)
{
	cJSON_Delete(m->root);
	memset(m, 0, sizeof(*m));
	m->rid = -1;
}
