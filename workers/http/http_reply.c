/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_reply - JSON replies and errors of the http worker
 * SYNOPSIS
 *	#include "http_reply.h"
 * DESCRIPTION
 *	http_reply_json() prints body without formatting into the request's
 *	own output buffer and sends it; http_reply_static() sends a literal
 *	by reference, without a copy or a JSON tree (the /healthz path);
 *	http_reply_copy() sends a copy of a body printed once for several
 *	replies (http_status.c).
 *	http_reply_error() builds the error object of the API,
 *	http_reply_error_field() the same naming a field. Each sets
 *	Content-Type: application/json and Cache-Control: no-store; once
 *	the worker is shutting down each also says Connection: close, so
 *	keep-alive clients let go and the worker can leave. An answer to
 *	HEAD has the headers of the GET answer, Content-Length included,
 *	and no body. The reason
 *	phrase is libevent's standard one for the status, but for 429,
 *	which libevent 2.1 does not know (it would say "Client Error"):
 *	"Too Many Requests" (RFC 6585).
 *
 *	http_reply_text() sends a body that is not JSON (the Prometheus
 *	page of /metrics) with its own Content-Type, moving the caller's
 *	buffer into the reply without a copy.
 *
 *	http_reply_header() adds a header (WWW-Authenticate, Allow) to the
 *	reply the caller is about to send.
 * DIAGNOSTICS
 *	If a body cannot be printed (cJSON out of memory) the client gets a
 *	fixed 500 error instead. A reply for a call whose client is gone
 *	is dropped silently: that is the normal end of a late bus reply.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "log.h"
#include "worker.h"

#include "http_call.h"
#include "http_reply.h"
#include "http_server.h"

#define HTTP_REPLY_MSG_MAX	512
#define HTTP_REPLY_JSON		"application/json"

static void	http_reply_verror(struct http_call *, int, const char *,
		    const char *, const char *, va_list)
		    __attribute__((format(printf, 5, 0)));

static const char http_reply_oom[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";

/* http_reply_reason - the reason phrase libevent lacks; NULL: its own */
static const char *
http_reply_reason(int status)
{
	return (status == HTTP_ST_TOO_MANY_REQUESTS ? "Too Many Requests" :
	    NULL);
}

/* http_reply_send - common headers, then hand the request to evhttp */
static void
http_reply_send(struct http_call *call, int status, const char *ctype)
{
	struct evkeyvalq	*h;
	struct evhttp_request	*req;
	struct evbuffer		*out;
	char			 len[32];

	h = evhttp_request_get_output_headers(call->req);
	evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (call->srv != NULL && call->srv->stopping)
		evhttp_add_header(h, "Connection", "close");
	if (call->method == EVHTTP_REQ_HEAD) {
		/* the GET answer's headers without its body: libevent 2.1
		 * would write the body after the headers, and a keep-alive
		 * client would read it as the start of the next answer */
		out = evhttp_request_get_output_buffer(call->req);
		snprintf(len, sizeof(len), "%zu", evbuffer_get_length(out));
		evhttp_add_header(h, "Content-Length", len);
		(void)evbuffer_drain(out, evbuffer_get_length(out));
	}
	if ((req = http_call_take(call, status)) != NULL)
		evhttp_send_reply(req, status, http_reply_reason(status),
		    NULL);
}

/* http_reply_static - answer with json, a string that outlives the reply */
void
http_reply_static(struct http_call *call, int status, const char *json)
{
	struct evbuffer	*out;

	if (call->req == NULL)
		return;
	out = evhttp_request_get_output_buffer(call->req);
	if (evbuffer_add_reference(out, json, strlen(json), NULL, NULL) == -1)
		log_warnx("%s: evbuffer_add_reference failed", __func__);
	http_reply_send(call, status, HTTP_REPLY_JSON);
}

/* http_reply_json - answer with body printed; takes ownership of body */
void
http_reply_json(struct http_call *call, int status, cJSON *body)
{
	char	*s;

	if (call->req == NULL) {
		cJSON_Delete(body);
		return;
	}
	s = body != NULL ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (s == NULL) {
		log_warnx("%s: cannot print a reply body", __func__);
		http_reply_static(call, HTTP_ST_INTERNAL, http_reply_oom);
		return;
	}
	http_reply_copy(call, status, s);
	cJSON_free(s);
}

/* http_reply_copy - answer with a copy of json, a printed body */
void
http_reply_copy(struct http_call *call, int status, const char *json)
{
	struct evbuffer	*out;

	if (call->req == NULL)
		return;
	out = evhttp_request_get_output_buffer(call->req);
	if (evbuffer_add(out, json, strlen(json)) == -1)
		log_warnx("%s: evbuffer_add failed", __func__);
	http_reply_send(call, status, HTTP_REPLY_JSON);
}

/* http_reply_text - answer with body (moved, not copied) as ctype */
void
http_reply_text(struct http_call *call, int status, const char *ctype,
    struct evbuffer *body)
{
	if (call->req == NULL)
		return;
	if (evbuffer_add_buffer(evhttp_request_get_output_buffer(call->req),
	    body) == -1)
		log_warnx("%s: evbuffer_add_buffer failed", __func__);
	http_reply_send(call, status, ctype);
}

/* http_reply_verror - the error object, with field unless it is NULL */
static void
http_reply_verror(struct http_call *call, int status, const char *code,
    const char *field, const char *fmt, va_list ap)
{
	cJSON	*body, *err;
	char	 msg[HTTP_REPLY_MSG_MAX];

	if (call->req == NULL)
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	body = cJSON_CreateObject();
	err = cJSON_AddObjectToObject(body, "error");
	if (cJSON_AddStringToObject(err, "code", code) == NULL ||
	    cJSON_AddStringToObject(err, "message", msg) == NULL ||
	    (field != NULL &&
	    cJSON_AddStringToObject(err, "field", field) == NULL)) {
		cJSON_Delete(body);
		body = NULL;
	}
	http_reply_json(call, status, body);
}

/* http_reply_error - answer {"error":{"code":code,"message":fmt...}} */
void
http_reply_error(struct http_call *call, int status, const char *code,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	http_reply_verror(call, status, code, NULL, fmt, ap);
	va_end(ap);
}

/* http_reply_error_field - the same with "field" (NULL: none) */
void
http_reply_error_field(struct http_call *call, int status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	http_reply_verror(call, status, code, field, fmt, ap);
	va_end(ap);
}

/* http_reply_bad_param - 400 naming the query parameter at fault */
void
http_reply_bad_param(struct http_call *call, const char *name,
    const char *why)
{
	http_reply_error_field(call, HTTP_ST_BAD_REQUEST, "bad_request", name,
	    "%s: %s", name, why);
}

/* http_reply_header - add a header to the coming reply */
void
http_reply_header(struct http_call *call, const char *name, const char *value)
{
	if (call->req == NULL)
		return;
	evhttp_add_header(evhttp_request_get_output_headers(call->req), name,
	    value);
}
