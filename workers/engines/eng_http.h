/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http.h - asynchronous HTTP/1.1 client on the worker's libevent
 *	loop
 * SYNOPSIS
 *	struct eng_http *eng_http_new(struct event_base *base);
 *	struct eng_http_req *eng_http_start(struct eng_http *h,
 *		    const struct eng_http_opts *o, eng_http_data_fn *data,
 *		    eng_http_done_fn *done, void *arg);
 *	struct eng_http_req *eng_http_fail(struct eng_http *h,
 *		    const char *err, eng_http_done_fn *done, void *arg);
 *	void	eng_http_on_free(struct eng_http_req *r,
 *		    eng_http_free_fn *fn);
 *	void	eng_http_cancel(struct eng_http_req *r);
 *	void	eng_http_free(struct eng_http *h);
 * DESCRIPTION
 *	One eng_http runs any number of requests at once on one event
 *	base, each on its own connection (a bufferevent) with its own timer
 *	(no thread, no blocking call; host names are looked up with evdns).
 *	A request goes to o->url (http:// only), over o->unix_path if
 *	that is set (the Docker socket: the URL's host is then only the
 *	Host header), with o->method, o->body (o->body_len bytes, sent as
 *	application/json when not NULL) and o->timeout_ms for the whole
 *	exchange (0: none, for a followed log or a /wait).
 *
 *	Without a data callback the response body is collected, up to
 *	o->body_max bytes (0: ENG_HTTP_BODY_MAX; more fails the request
 *	with "response too large"). With one, every piece of a 2xx answer's
 *	body goes to data as it arrives (chunked encoding already undone),
 *	and data returns -1 (any negative value) to stop the request (done
 *	then runs with err "aborted"); the body of any other answer (an
 *	error) is collected as without data, for done to read.
 *
 *	done runs exactly once, from the event loop, never from inside
 *	eng_http_start: with the status and the collected body (NUL-
 *	terminated, NULL when streamed), or with status 0 and err saying
 *	what failed (connection refused, timeout, ...). After
 *	eng_http_cancel done never runs. The request is freed after done
 *	returns; the body is the callback's to read only during the call.
 *	Callbacks may start requests, cancel others and free the client
 *	(eng_http_start then returns NULL until the client is gone). A
 *	request pointer is the caller's until done returns or until it is
 *	cancelled; eng_http_cancel inside the request's own done does
 *	nothing. api_version is the last Api-Version header of the answer,
 *	its name in any case.
 *
 *	eng_http_fail makes a request that only fails: its done runs from
 *	the loop with status 0 and err (for a caller that must answer
 *	asynchronously without asking anything). eng_http_on_free sets fn,
 *	called once with the request's arg when the request is let go of:
 *	right after done returns, or inside eng_http_cancel or
 *	eng_http_free; the place to free arg. fn must not call eng_http.
 * DIAGNOSTICS
 *	eng_http_new returns NULL if it cannot be set up (no memory for
 *	the resolver). Nothing logs. The err of a failed request says what
 *	failed and where: "connect /var/run/docker.sock: No such file or
 *	directory", "connect 127.0.0.1:8080: Connection refused", "cannot
 *	resolve HOST: why", "timed out after N ms", "answer from WHERE:
 *	the connection closed with 10 of 42 body bytes still to come",
 *	"response too large", "aborted", "unsupported URL scheme ...".
 */
#ifndef CORRAL_ENG_HTTP_H
#define CORRAL_ENG_HTTP_H

#include <stddef.h>

#include <event2/event.h>

#define ENG_HTTP_BODY_MAX	(1024u * 1024)	/* when body_max is 0 */

struct eng_http;
struct eng_http_req;

struct eng_http_opts {
	const char	*method;	/* "GET", "POST", "DELETE" */
	const char	*url;		/* http://docker/v1.41/containers/json */
	const char	*unix_path;	/* NULL, or the socket to connect to */
	const char	*body;		/* NULL, or a JSON body */
	size_t		 body_len;
	long		 timeout_ms;	/* whole request; 0: none */
	size_t		 body_max;	/* collected body limit; 0: default */
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
/* the request lets go of arg */
typedef void eng_http_free_fn(void *arg);

/* eng_http_new - a client on base; NULL if it cannot be set up */
struct eng_http		*eng_http_new(struct event_base *base);

/* eng_http_start - start one request; NULL if it cannot even start */
struct eng_http_req	*eng_http_start(struct eng_http *h,
			    const struct eng_http_opts *o,
			    eng_http_data_fn *data, eng_http_done_fn *done,
			    void *arg);

/* eng_http_fail - a request whose done only reports err; NULL if none */
struct eng_http_req	*eng_http_fail(struct eng_http *h, const char *err,
			    eng_http_done_fn *done, void *arg);

/* eng_http_on_free - run fn(arg) once when r is let go of */
void			 eng_http_on_free(struct eng_http_req *r,
			    eng_http_free_fn *fn);

/* eng_http_cancel - stop r; its done callback will not run */
void			 eng_http_cancel(struct eng_http_req *r);

/* eng_http_free - cancel every request and free the client */
void			 eng_http_free(struct eng_http *h);

#endif
