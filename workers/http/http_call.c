/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_call - one HTTP request of the http worker, from accept to end
 * SYNOPSIS
 *	#include "http_call.h"
 * DESCRIPTION
 *	http_call_new() is called for every request evhttp hands us. It
 *	notes the method, the path (for the log, without the query, which
 *	may hold anything) and the start time, and hooks two evhttp
 *	callbacks. Between them they end the HTTP side exactly once:
 *
 *	  on_complete	the reply has been written. The connection may
 *			carry another request, so our close callback is
 *			taken off it again.
 *	  closecb	the connection is being freed: a write error, a
 *			timeout, or evhttp_free() at shutdown. A request
 *			not yet answered goes with it (evhttp frees it),
 *			unless evhttp had detached it from the connection,
 *			in which case it is ours to free.
 *
 *	evhttp in libevent 2.1 stops reading a connection once a request
 *	is complete and until it is answered, so a client that goes away
 *	while we wait for the bus is noticed when the reply is written;
 *	either way the call outlives the request, and a bus reply that
 *	comes late finds call->req NULL and is dropped.
 *
 *	http_call_bus() sends a bus request through worker_request() with
 *	HTTP_BUS_TIMEOUT_MS, http_call_bus_ms() with the timeout it is
 *	given; both are the same code. The channel calls back exactly once
 *	(reply, ETIMEDOUT, EPIPE, or ECANCELED when the channel is freed),
 *	and only then does the call stop counting it. fn runs only while
 *	there is a client to answer; it must answer or ask the bus again.
 *	If it does neither, the client gets a 500 rather than a hang.
 *
 *	http_call_bus_arg() does the same for one of several requests in
 *	flight at once: a small record carries its own continuation and
 *	argument, and the continuation runs for every outcome, so the
 *	handler can free its state when the last one is in; the call counts
 *	the request like any other.
 *
 *	http_call_take() hands the request over for answering: it counts
 *	it for /metrics (route, method, status, duration), logs the
 *	one debug line of the request (method, path, status, duration),
 *	clears and empties the request body (it may hold a secret, and
 *	most refusals never look at it) and forgets the request, which
 *	evhttp owns again from here on.
 *
 *	http_call_bus_hold() and http_call_bus_done() count a bus request
 *	that another module made on the call's behalf (http_status.c shares
 *	one MSG_STATUS among many calls): held, the call outlives its
 *	client until done, which also answers 500 if the call's handler
 *	left it unanswered.
 *
 *	http_call_orphan_all() is for the end: every call leaves the
 *	server's list; one still waiting for the bus is freed by the bus
 *	callback, which needs nothing but the call.
 *
 *	http_call_query() parses the query string of the request for the
 *	handlers that take parameters; a malformed one is answered 400
 *	here, the same for every endpoint.
 *
 *	A streaming reply (http_logstream.c) has taken its request but
 *	still writes to the connection, so the call stays live until
 *	on_complete or closecb as for any reply. Its owner's hook is told
 *	in closecb, before the call ends (HTTP_CALL_GONE: it frees the
 *	request if evhttp detached it, and its own state), and by
 *	http_call_stop_all() at shutdown (HTTP_CALL_STOP: it ends the
 *	reply, and on_complete follows once that is written). The hook is
 *	cleared before it runs, so it runs at most once.
 * DIAGNOSTICS
 *	A handler that neither answered nor asked the bus is logged as a
 *	warning (our bug) and answered 500.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "channel.h"
#include "log.h"
#include "worker.h"
#include "xmalloc.h"

#include "http_call.h"
#include "http_metrics.h"
#include "http_reply.h"
#include "http_route.h"
#include "http_server.h"
#include "http_wipe.h"

/* http_call_release - free call once neither side needs it */
static void
http_call_release(struct http_call *call)
{
	if (call->live || call->nbus > 0)
		return;
	if (call->srv != NULL)
		TAILQ_REMOVE(&call->srv->calls, call, entry);
	free(call);
}

/* http_call_end - the HTTP side is over: answered and written, or gone */
static void
http_call_end(struct http_call *call)
{
	struct http_server	*srv = call->srv;

	call->req = NULL;
	call->evcon = NULL;
	call->live = 0;
	http_call_release(call);
	if (srv != NULL) {
		srv->nlive--;
		http_server_idle(srv);
	}
}

/* http_call_complete_cb - evhttp wrote the whole reply */
static void
http_call_complete_cb(struct evhttp_request *req, void *arg)
{
	struct http_call	*call = arg;

	(void)req;
	if (call->evcon != NULL)
		evhttp_connection_set_closecb(call->evcon, NULL, NULL);
	http_call_end(call);
}

/* http_call_close_cb - the connection is being freed under the call */
static void
http_call_close_cb(struct evhttp_connection *evcon, void *arg)
{
	struct http_call	*call = arg;
	http_call_hook_fn	*fn;

	(void)evcon;
	if ((fn = call->hook) != NULL) {
		call->hook = NULL;
		fn(call, HTTP_CALL_GONE, call->hook_arg);
	}
	/* a detached request outlives its connection, and is ours */
	if (call->req != NULL &&
	    evhttp_request_get_connection(call->req) == NULL)
		evhttp_request_free(call->req);
	http_call_end(call);
}

/* http_call_path - copy the path for the log: printable, bounded */
static void
http_call_path(struct http_call *call, struct evhttp_request *req)
{
	const struct evhttp_uri	*uri;
	const char		*p = NULL;
	size_t			 i;

	if ((uri = evhttp_request_get_evhttp_uri(req)) != NULL)
		p = evhttp_uri_get_path(uri);
	if (p == NULL || *p == '\0')
		p = "-";
	for (i = 0; p[i] != '\0' && i < sizeof(call->path) - 1; i++)
		call->path[i] = p[i] > 0x20 && p[i] < 0x7f ? p[i] : '?';
	call->path[i] = '\0';
}

/* http_call_new - start tracking req, which evhttp just handed us */
struct http_call *
http_call_new(struct http_server *srv, struct evhttp_request *req)
{
	struct http_call	*call;

	call = xcalloc(1, sizeof(*call));
	call->srv = srv;
	call->req = req;
	call->evcon = evhttp_request_get_connection(req);
	call->method = (int)evhttp_request_get_command(req);
	call->route = -1;
	call->live = 1;
	(void)clock_gettime(CLOCK_MONOTONIC, &call->start);
	http_call_path(call, req);
	TAILQ_INSERT_TAIL(&srv->calls, call, entry);
	srv->nlive++;
	evhttp_request_set_on_complete_cb(req, http_call_complete_cb, call);
	if (call->evcon != NULL)
		evhttp_connection_set_closecb(call->evcon, http_call_close_cb,
		    call);
	return (call);
}

/* one of several bus requests of a call: its own continuation */
struct http_call_req {
	struct http_call	*call;
	http_bus_arg_fn		*fn;
	void			*arg;
};

/* http_call_bus_hold - a bus request made for call elsewhere is pending */
void
http_call_bus_hold(struct http_call *call, int timeout_ms)
{
	call->bus_ms = timeout_ms;
	call->nbus++;
}

/* http_call_bus_done - a bus request of call is over */
void
http_call_bus_done(struct http_call *call)
{
	call->nbus--;
	if (call->req != NULL && call->nbus == 0) {
		log_warnx("%s %s: handler left the request unanswered",
		    http_route_method_name(call->method), call->path);
		http_reply_error(call, HTTP_ST_INTERNAL, "internal",
		    "the request was not answered");
	}
	http_call_release(call);
}

/* http_call_bus_cb - a bus reply, or its failure, for call */
static void
http_call_bus_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct http_call	*call = arg;

	(void)c;
	if (call->req != NULL && call->bus_fn != NULL)
		call->bus_fn(call, f, err);
	http_call_bus_done(call);
}

/* http_call_bus_arg_cb - the outcome of one of several requests */
static void
http_call_bus_arg_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct http_call_req	*r = arg;
	struct http_call	*call = r->call;

	(void)c;
	r->fn(call, f, err, r->arg);
	free(r);
	http_call_bus_done(call);
}

/* http_call_bus - ask dst on the bus; fn runs if the client still waits */
int
http_call_bus(struct http_call *call, uint8_t dst, uint16_t type,
    const cJSON *body, http_bus_fn *fn)
{
	return (http_call_bus_ms(call, dst, type, body, HTTP_BUS_TIMEOUT_MS,
	    fn));
}

/* http_call_bus_ms - http_call_bus with a timeout of timeout_ms */
int
http_call_bus_ms(struct http_call *call, uint8_t dst, uint16_t type,
    const cJSON *body, int timeout_ms, http_bus_fn *fn)
{
	struct worker_rt	*rt;

	if (call->srv == NULL || (rt = call->srv->rt)->chan == NULL ||
	    !chan_is_open(rt->chan))
		return (-1);
	call->bus_fn = fn;
	call->bus_ms = timeout_ms;
	call->nbus++;
	if (worker_request(rt, dst, type, body, timeout_ms,
	    http_call_bus_cb, call) == -1) {
		call->nbus--;
		return (-1);
	}
	return (0);
}

/* http_call_bus_arg - ask dst; fn(call, reply, err, arg) runs in any case */
int
http_call_bus_arg(struct http_call *call, uint8_t dst, uint16_t type,
    const cJSON *body, http_bus_arg_fn *fn, void *arg)
{
	struct worker_rt	*rt;
	struct http_call_req	*r;

	if (call->srv == NULL || (rt = call->srv->rt)->chan == NULL ||
	    !chan_is_open(rt->chan))
		return (-1);
	r = xcalloc(1, sizeof(*r));
	r->call = call;
	r->fn = fn;
	r->arg = arg;
	call->bus_ms = HTTP_BUS_TIMEOUT_MS;
	call->nbus++;
	if (worker_request(rt, dst, type, body, HTTP_BUS_TIMEOUT_MS,
	    http_call_bus_arg_cb, r) == -1) {
		call->nbus--;
		free(r);
		return (-1);
	}
	return (0);
}

/* http_call_take - the request to answer with status, logged; NULL if gone */
struct evhttp_request *
http_call_take(struct http_call *call, int status)
{
	struct evhttp_request	*req = call->req;
	struct timespec		 now;
	double			 ms;

	if (req == NULL)
		return (NULL);
	call->req = NULL;
	call->status = status;
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - call->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - call->start.tv_nsec) / 1e6;
	log_debug("%s %s %d %.1fms", http_route_method_name(call->method),
	    call->path, status, ms);
	if (call->srv != NULL)
		http_metrics_note(call->srv->metrics, call->route,
		    call->method, status, ms / 1e3);
	http_wipe_evbuffer(evhttp_request_get_input_buffer(req));
	return (req);
}

/* http_call_orphan_all - detach every call from srv, which is going away */
void
http_call_orphan_all(struct http_server *srv)
{
	struct http_call	*call;

	while ((call = TAILQ_FIRST(&srv->calls)) != NULL) {
		TAILQ_REMOVE(&srv->calls, call, entry);
		call->srv = NULL;
		/* evhttp_free() has run, so nothing should be live here */
		if (call->req != NULL)
			evhttp_request_set_on_complete_cb(call->req, NULL,
			    NULL);
		if (call->live && call->evcon != NULL)
			evhttp_connection_set_closecb(call->evcon, NULL, NULL);
		call->req = NULL;
		call->evcon = NULL;
		call->live = 0;
		http_call_release(call);
	}
	srv->nlive = 0;
}

/* http_call_set_hook - fn(call, HTTP_CALL_*, arg) ends a streaming reply */
void
http_call_set_hook(struct http_call *call, http_call_hook_fn *fn, void *arg)
{
	call->hook = fn;
	call->hook_arg = fn != NULL ? arg : NULL;
}

/* http_call_stop_all - HTTP_CALL_STOP to every call with a hook */
void
http_call_stop_all(struct http_server *srv)
{
	struct http_call	*call, *next;
	http_call_hook_fn	*fn;

	/* a hook may end its call, which then leaves the list */
	for (call = TAILQ_FIRST(&srv->calls); call != NULL; call = next) {
		next = TAILQ_NEXT(call, entry);
		if ((fn = call->hook) == NULL)
			continue;
		call->hook = NULL;
		fn(call, HTTP_CALL_STOP, call->hook_arg);
	}
}

/* http_call_query - the query's parameters into q; -1 once answered 400 */
int
http_call_query(struct http_call *call, struct evkeyvalq *q)
{
	const struct evhttp_uri	*uri;
	const char		*query;

	TAILQ_INIT(q);
	uri = evhttp_request_get_evhttp_uri(call->req);
	if (uri == NULL || (query = evhttp_uri_get_query(uri)) == NULL)
		return (0);
	if (evhttp_parse_query_str(query, q) == -1) {
		evhttp_clear_headers(q);
		http_reply_error(call, HTTP_ST_BAD_REQUEST, "bad_request",
		    "the query string is malformed");
		return (-1);
	}
	return (0);
}
