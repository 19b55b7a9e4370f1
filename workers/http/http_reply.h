/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_reply.h - JSON replies and errors of the http worker
 * SYNOPSIS
 *	void	http_reply_json(struct http_call *call, int status,
 *		    cJSON *body);
 *	void	http_reply_copy(struct http_call *call, int status,
 *		    const char *json);
 *	void	http_reply_static(struct http_call *call, int status,
 *		    const char *json);
 *	void	http_reply_error(struct http_call *call, int status,
 *		    const char *code, const char *fmt, ...);
 *	void	http_reply_error_field(struct http_call *call, int status,
 *		    const char *code, const char *field, const char *fmt,
 *		    ...);
 *	void	http_reply_bad_param(struct http_call *call, const char *name,
 *		    const char *why);
 *	void	http_reply_header(struct http_call *call, const char *name,
 *		    const char *value);
 *	void	http_reply_text(struct http_call *call, int status,
 *		    const char *ctype, struct evbuffer *body);
 * DESCRIPTION
 *	Every reply of the API is JSON; every error is
 *	{"error":{"code":"...","message":"..."}}, and http_reply_error_field
 *	adds "field" (the member or query parameter at fault) unless field
 *	is NULL. http_reply_bad_param is the 400 bad_request of a query
 *	parameter: "NAME: why", with field NAME. A reply to a call whose
 *	client is gone, or that has been answered already, is dropped.
 *	http_reply_text is for the one exception, /metrics: body (drained)
 *	with Content-Type ctype.
 */
#ifndef CORRAL_HTTP_REPLY_H
#define CORRAL_HTTP_REPLY_H

#include <cjson/cJSON.h>
#include <event2/buffer.h>

struct http_call;

/* the statuses the API uses (libevent 2.1 names only some) */
enum http_status {
	HTTP_ST_OK = 200,
	HTTP_ST_ACCEPTED = 202,
	HTTP_ST_BAD_REQUEST = 400,
	HTTP_ST_UNAUTHORIZED = 401,
	HTTP_ST_FORBIDDEN = 403,
	HTTP_ST_NOT_FOUND = 404,
	HTTP_ST_METHOD_NOT_ALLOWED = 405,
	HTTP_ST_CONFLICT = 409,
	HTTP_ST_PAYLOAD_TOO_LARGE = 413,
	HTTP_ST_TOO_MANY_REQUESTS = 429,	/* RFC 6585 */
	HTTP_ST_INTERNAL = 500,
	HTTP_ST_BAD_GATEWAY = 502,
	HTTP_ST_UNAVAILABLE = 503,
	HTTP_ST_GATEWAY_TIMEOUT = 504
};

/* http_reply_json - answer with body printed; takes ownership of body */
void	http_reply_json(struct http_call *call, int status, cJSON *body);

/* http_reply_copy - answer with a copy of json, a printed body */
void	http_reply_copy(struct http_call *call, int status, const char *json);

/* http_reply_static - answer with json, a string that outlives the reply */
void	http_reply_static(struct http_call *call, int status, const char *json);

/* http_reply_error - answer {"error":{"code":code,"message":fmt...}} */
void	http_reply_error(struct http_call *call, int status, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* http_reply_error_field - the same with "field" (NULL: none) */
void	http_reply_error_field(struct http_call *call, int status,
	    const char *code, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* http_reply_text - answer with body (moved, not copied) as ctype */
void	http_reply_text(struct http_call *call, int status, const char *ctype,
	    struct evbuffer *body);

/* http_reply_bad_param - 400 naming the query parameter at fault */
void	http_reply_bad_param(struct http_call *call, const char *name,
	    const char *why);

/* http_reply_header - add a header to the coming reply */
void	http_reply_header(struct http_call *call, const char *name,
	    const char *value);

#endif
