/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_call.h - one HTTP request of the http worker, from accept to end
 * SYNOPSIS
 *	struct http_call *http_call_new(struct http_server *srv,
 *		    struct evhttp_request *req);
 *	int	http_call_bus(struct http_call *call, uint8_t dst,
 *		    uint16_t type, const cJSON *body, http_bus_fn *fn);
 *	int	http_call_bus_ms(struct http_call *call, uint8_t dst,
 *		    uint16_t type, const cJSON *body, int timeout_ms,
 *		    http_bus_fn *fn);
 *	int	http_call_bus_arg(struct http_call *call, uint8_t dst,
 *		    uint16_t type, const cJSON *body, http_bus_arg_fn *fn,
 *		    void *arg);
 *	void	http_call_bus_hold(struct http_call *call, int timeout_ms);
 *	void	http_call_bus_done(struct http_call *call);
 *	struct evhttp_request *http_call_take(struct http_call *call,
 *		    int status);
 *	void	http_call_orphan_all(struct http_server *srv);
 *	void	http_call_set_hook(struct http_call *call,
 *		    http_call_hook_fn *fn, void *arg);
 *	void	http_call_stop_all(struct http_server *srv);
 *	int	http_call_query(struct http_call *call, struct evkeyvalq *q);
 * DESCRIPTION
 *	A call ties an evhttp request to the bus requests made for it. It
 *	lives while either side does: the HTTP side ends when the reply has
 *	been written or the connection is gone; the bus side when every bus
 *	request has been answered or has failed. The request pointer is
 *	NULL once the reply is on its way or the client is gone, so a late
 *	bus reply never touches freed memory.
 *
 *	http_call_bus_arg is for a handler that asks several workers at
 *	once (GET /metrics): each request has its own continuation and
 *	argument, and fn runs for every outcome, client gone or not
 *	(call->req is NULL then), so that it can free what arg holds.
 *
 *	http_call_bus_ms is http_call_bus with its own timeout instead of
 *	HTTP_BUS_TIMEOUT_MS (DELETE /v1/engines/{name} waits for a
 *	container to stop); call->bus_ms is the timeout of the last
 *	request, for the message of a 504.
 *
 *	A reply that streams (GET /v1/engines/{name}/logs?follow=1) goes on
 *	after http_call_take. Its owner sets a hook, which is told once,
 *	with HTTP_CALL_GONE when the connection is being freed under the
 *	reply (the hook frees the request if evhttp detached it, as
 *	http_call_close_cb does otherwise), or with HTTP_CALL_STOP when the
 *	server shuts down and the reply should end now. The owner clears
 *	the hook (fn NULL) when it ends the reply itself.
 *	http_call_stop_all sends HTTP_CALL_STOP to every call with a hook.
 *
 *	http_call_query parses the request's query string into q (empty
 *	when there is none; the caller clears it with evhttp_clear_headers)
 *	and returns 0, or answers 400 bad_request "the query string is
 *	malformed" itself and returns -1 (q left empty).
 *
 *	call->route is the index of the matched row of the route table,
 *	or -1, for the request counters (http_metrics.c).
 */
#ifndef CORRAL_HTTP_CALL_H
#define CORRAL_HTTP_CALL_H

#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include <event2/http.h>
#include <cjson/cJSON.h>

#include "frame.h"

#include "http_route.h"

#define HTTP_BUS_TIMEOUT_MS	5000	/* a bus request fails after this */
#define HTTP_CALL_PATH_MAX	128	/* path as logged, truncated */

struct evkeyvalq;
struct http_server;
struct http_call;

/* the continuation of a bus request: the reply, or NULL and an errno */
typedef void http_bus_fn(struct http_call *, struct frame *, int);

/* the same for one of several requests in flight; runs even if gone */
typedef void http_bus_arg_fn(struct http_call *, struct frame *, int, void *);

/* why a streaming reply must end: HTTP_CALL_GONE or HTTP_CALL_STOP */
typedef void http_call_hook_fn(struct http_call *, int, void *);

enum http_call_event {
	HTTP_CALL_GONE,		/* the connection is being freed */
	HTTP_CALL_STOP		/* the server shuts down: end the reply */
};

struct http_call {
	TAILQ_ENTRY(http_call)	 entry;
	struct http_server	*srv;		/* NULL once orphaned */
	struct evhttp_request	*req;		/* NULL once answered or gone */
	struct evhttp_connection *evcon;	/* NULL once that side ended */
	http_bus_fn		*bus_fn;
	http_call_hook_fn	*hook;		/* a streaming reply's owner */
	void			*hook_arg;
	struct timespec		 start;
	int			 method;	/* EVHTTP_REQ_* */
	int			 status;	/* sent; 0 before */
	int			 live;		/* the HTTP side exists */
	int			 nbus;		/* bus requests unanswered */
	int			 route;		/* row of the route table, -1 */
	int			 bus_ms;	/* timeout of the last ask */
	char			 arg[HTTP_ARG_MAX];	/* the {name} segment */
	char			 arg2[HTTP_ARG_MAX];	/* the {tool} segment */
	char			 path[HTTP_CALL_PATH_MAX];	/* logged */
};

TAILQ_HEAD(http_calls, http_call);

/* http_call_new - start tracking req, which evhttp just handed us */
struct http_call	*http_call_new(struct http_server *srv,
			    struct evhttp_request *req);

/* http_call_bus - ask dst on the bus; fn runs if the client still waits */
int			 http_call_bus(struct http_call *call, uint8_t dst,
			    uint16_t type, const cJSON *body, http_bus_fn *fn);

/* http_call_bus_ms - http_call_bus with a timeout of timeout_ms */
int			 http_call_bus_ms(struct http_call *call, uint8_t dst,
			    uint16_t type, const cJSON *body, int timeout_ms,
			    http_bus_fn *fn);

/* http_call_bus_arg - ask dst; fn(call, reply, err, arg) runs in any case */
int			 http_call_bus_arg(struct http_call *call, uint8_t dst,
			    uint16_t type, const cJSON *body,
			    http_bus_arg_fn *fn, void *arg);

/* http_call_bus_hold - a bus request made for call elsewhere is pending */
void			 http_call_bus_hold(struct http_call *call,
			    int timeout_ms);

/* http_call_bus_done - a bus request of call is over */
void			 http_call_bus_done(struct http_call *call);

/* http_call_take - the request to answer with status, logged; NULL if gone */
struct evhttp_request	*http_call_take(struct http_call *call, int status);

/* http_call_orphan_all - detach every call from srv, which is going away */
void			 http_call_orphan_all(struct http_server *srv);

/* http_call_set_hook - fn(call, HTTP_CALL_*, arg) ends a streaming reply */
void			 http_call_set_hook(struct http_call *call,
			    http_call_hook_fn *fn, void *arg);

/* http_call_stop_all - HTTP_CALL_STOP to every call with a hook */
void			 http_call_stop_all(struct http_server *srv);

/* http_call_query - the query's parameters into q; -1 once answered 400 */
int			 http_call_query(struct http_call *call,
			    struct evkeyvalq *q);

#endif
