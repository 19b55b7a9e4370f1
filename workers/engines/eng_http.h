/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http.h - asynchronous HTTP/1.1 client on libcurl's multi
 *	interface, driven by the worker's libevent loop
 * SYNOPSIS
 *	struct eng_http *eng_http_new(struct event_base *base);
 *	struct eng_http_req *eng_http_start(struct eng_http *h,
 *		    const struct eng_http_opts *o, eng_http_data_fn *data,
 *		    eng_http_done_fn *done, void *arg);
 *	void	eng_http_cancel(struct eng_http_req *r);
 *	void	eng_http_free(struct eng_http *h);
 * DESCRIPTION
 *	One eng_http runs any number of requests at once on one event
 *	base, with curl's sockets and timers as libevent events (no thread,
 *	no blocking call). A request goes to o->url, over o->unix_path if
 *	that is set (the Docker socket: the URL's host is then only the
 *	Host header), with o->method, o->body (o->body_len bytes, sent as
 *	application/json when not NULL) and o->timeout_ms for the whole
 *	exchange (0: none, for a followed log or a /wait).
 *
 *	Without a data callback the response body is collected, up to
 *	o->body_max bytes (more fails the request with "response too
 *	large"). With one, every piece of the body goes to data as it
 *	arrives (chunked encoding already undone), and data returns -1 to
 *	stop the request (done then runs with err "aborted").
 *
 *	done runs exactly once, from the event loop, never from inside
 *	eng_http_start: with the status and the collected body (NUL-
 *	terminated, NULL when streamed), or with status 0 and err saying
 *	what failed (connection refused, timeout, ...). After
 *	eng_http_cancel done never runs. The request is freed after done
 *	returns; the body is the callback's to read only during the call.
 * DIAGNOSTICS
 *	eng_http_new returns NULL if curl cannot be set up. Nothing logs.
 */
#ifndef CORRAL_ENG_HTTP_H
#define CORRAL_ENG_HTTP_H

#include <stddef.h>

#include <event2/event.h>

struct eng_http;
struct eng_http_req;

struct eng_http_opts {
	const char	*method;	/* "GET", "POST", "DELETE" */
	const char	*url;		/* http://docker/v1.41/containers/json */
	const char	*unix_path;	/* NULL, or the socket to connect to */
	const char	*body;		/* NULL, or a JSON body */
	size_t		 body_len;
	long		 timeout_ms;	/* whole request; 0: none */
	size_t		 body_max;	/* collected body limit (no data fn) */
};

struct eng_http_resp {
	long		 status;	/* HTTP status, 0 on failure */
	const char	*body;		/* collected, NUL-terminated, or NULL */
	size_t		 body_len;
	const char	*err;		/* NULL, or why it failed */
	const char	*api_version;	/* the API-Version header, or NULL */
};

/* a piece of a streamed body; -1 stops the request */
typedef int eng_http_data_fn(const char *buf, size_t len, void *arg);
/* the end of a request, once */
typedef void eng_http_done_fn(const struct eng_http_resp *r, void *arg);

/* eng_http_new - a client on base; NULL if curl cannot start */
struct eng_http		*eng_http_new(struct event_base *base);

/* eng_http_start - start one request; NULL if it cannot even start */
struct eng_http_req	*eng_http_start(struct eng_http *h,
			    const struct eng_http_opts *o,
			    eng_http_data_fn *data, eng_http_done_fn *done,
			    void *arg);

/* eng_http_cancel - stop r; its done callback will not run */
void			 eng_http_cancel(struct eng_http_req *r);

/* eng_http_free - cancel every request and free the client */
void			 eng_http_free(struct eng_http *h);

#endif
