/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http - asynchronous HTTP/1.1 client on libevent: the client and
 *	the life of a request
 * SYNOPSIS
 *	#include "eng_http.h"
 * DESCRIPTION
 *	See eng_http.h. Each request has its own connection (the request
 *	says Connection: close), a bufferevent on the worker's loop, and
 *	its own timer for o->timeout_ms. eng_http_conn.c finds the server
 *	and connects; eng_http_req.c builds the request and reads the
 *	answer.
 *
 *	A request is PENDING from eng_http_start until a zero-timeout event
 *	starts it (so done can never run from inside eng_http_start), then
 *	ACTIVE until it ends: eng_http_finish takes it off the list, closes
 *	its connection, marks it DONE, runs done and frees it. The answer
 *	is parsed while the request is busy; a data callback that cancels
 *	its own request (or frees the client) there only marks it
 *	CANCELLED, and the read callback frees it once the parser has
 *	returned. Any other cancel frees the request at once: nothing of
 *	it runs after that, and its connection is closed.
 *
 *	Every callback from the loop is bracketed by eng_http_enter and
 *	eng_http_leave. eng_http_free called inside one (depth > 0)
 *	cancels every request and leaves the rest of the teardown to the
 *	outermost callback, once it is done with h.
 * DIAGNOSTICS
 *	See eng_http.h, eng_http_conn.c and eng_http_req.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_http_priv.h"
#include "xmalloc.h"

static void	eng_http_destroy(struct eng_http *);

/* eng_http_enter - a callback from the loop begins */
void
eng_http_enter(struct eng_http *h)
{
	h->depth++;
}

/* eng_http_leave - end one of our callbacks; the last one may free h */
void
eng_http_leave(struct eng_http *h)
{
	if (--h->depth == 0 && h->dying)
		eng_http_destroy(h);
}

/* eng_http_forget - the caller lets go of r: run its on_free, once */
static void
eng_http_forget(struct eng_http_req *r)
{
	eng_http_free_fn	*fn = r->on_free;

	r->on_free = NULL;
	if (fn != NULL)
		fn(r->arg);
}

/* eng_http_release - free r (already out of the list) */
static void
eng_http_release(struct eng_http_req *r)
{
	eng_http_conn_close(r);
	if (r->start != NULL)
		event_free(r->start);
	if (r->timer != NULL)
		event_free(r->timer);
	free(r->out);
	free(r->body);
	free(r);
}

/* eng_http_finish - r has ended: run done (unless cancelled), free r */
void
eng_http_finish(struct eng_http_req *r, const char *err)
{
	struct eng_http_resp	resp;
	struct eng_http		*h = r->h;

	TAILQ_REMOVE(&h->reqs, r, entry);
	if (r->state == ENG_HTTP_CANCELLED) {
		eng_http_release(r);
		return;
	}
	eng_http_conn_close(r);
	if (r->timer != NULL) {
		event_free(r->timer);
		r->timer = NULL;
	}
	r->state = ENG_HTTP_DONE;
	memset(&resp, 0, sizeof(resp));
	if (err != NULL)
		resp.err = err;
	else {
		resp.status = r->parse.status;
		if (r->data == NULL || resp.status < 200 ||
		    resp.status > 299) {
			resp.body = r->body != NULL ? r->body : "";
			resp.body_len = r->len;
		}
	}
	resp.api_version = r->parse.apiver[0] != '\0' ? r->parse.apiver :
	    NULL;
	r->done(&resp, r->arg);
	eng_http_forget(r);
	eng_http_release(r);
}

/* eng_http_failf - eng_http_finish with a formatted err */
void
eng_http_failf(struct eng_http_req *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	eng_http_finish(r, r->err);
}

/* eng_http_timer_cb - the request's time is up */
static void
eng_http_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_http_req	*r = arg;
	struct eng_http		*h = r->h;

	(void)fd;
	(void)what;
	eng_http_enter(h);
	eng_http_failf(r, "timed out after %ld ms", r->timeout_ms);
	eng_http_leave(h);
}

/* eng_http_start_cb - start a pending request (or fail it) */
static void
eng_http_start_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_http_req	*r = arg;
	struct eng_http		*h = r->h;
	struct timeval		 tv;

	(void)fd;
	(void)what;
	eng_http_enter(h);
	event_free(r->start);
	r->start = NULL;
	r->state = ENG_HTTP_ACTIVE;
	if (r->early[0] == '\0' && r->timeout_ms > 0) {
		tv.tv_sec = r->timeout_ms / 1000;
		tv.tv_usec = (r->timeout_ms % 1000) * 1000;
		if ((r->timer = evtimer_new(h->base, eng_http_timer_cb,
		    r)) == NULL || evtimer_add(r->timer, &tv) == -1)
			snprintf(r->early, sizeof(r->early),
			    "cannot set the request's timer");
	}
	if (r->early[0] != '\0')
		eng_http_finish(r, r->early);
	else
		eng_http_conn_start(r);		/* may end r */
	eng_http_leave(h);
}

/* eng_http_new - a client on base; NULL if it cannot be set up */
struct eng_http *
eng_http_new(struct event_base *base)
{
	struct eng_http	*h;

	if (base == NULL)
		return (NULL);
	h = xcalloc(1, sizeof(*h));
	h->base = base;
	TAILQ_INIT(&h->reqs);
	if ((h->dns = eng_http_dns_new(base)) == NULL) {
		free(h);
		return (NULL);
	}
	return (h);
}

/* eng_http_new_req - a pending request of h, due to start; NULL if none */
static struct eng_http_req *
eng_http_new_req(struct eng_http *h, eng_http_done_fn *done, void *arg)
{
	struct eng_http_req	*r;

	if (h == NULL || h->dying || done == NULL)
		return (NULL);
	r = xcalloc(1, sizeof(*r));
	r->h = h;
	r->done = done;
	r->arg = arg;
	r->state = ENG_HTTP_PENDING;
	eng_http_parse_init(&r->parse, 0);
	if ((r->start = event_new(h->base, -1, 0, eng_http_start_cb,
	    r)) == NULL) {
		free(r);
		return (NULL);
	}
	return (r);
}

/* eng_http_start - start one request; NULL if it cannot even start */
struct eng_http_req *
eng_http_start(struct eng_http *h, const struct eng_http_opts *o,
    eng_http_data_fn *data, eng_http_done_fn *done, void *arg)
{
	struct eng_http_req	*r;

	if (o == NULL || o->url == NULL ||
	    (r = eng_http_new_req(h, done, arg)) == NULL)
		return (NULL);
	r->data = data;
	r->max = o->body_max > 0 ? o->body_max : ENG_HTTP_BODY_MAX;
	r->timeout_ms = o->timeout_ms;
	(void)eng_http_req_setup(r, o);	/* failure: r->early, told by done */
	TAILQ_INSERT_TAIL(&h->reqs, r, entry);
	event_active(r->start, EV_TIMEOUT, 0);
	return (r);
}

/* eng_http_fail - a request whose done only reports err; NULL if none */
struct eng_http_req *
eng_http_fail(struct eng_http *h, const char *err, eng_http_done_fn *done,
    void *arg)
{
	struct eng_http_req	*r;

	if ((r = eng_http_new_req(h, done, arg)) == NULL)
		return (NULL);
	snprintf(r->early, sizeof(r->early), "%s",
	    err != NULL && *err != '\0' ? err : "failed");
	TAILQ_INSERT_TAIL(&h->reqs, r, entry);
	event_active(r->start, EV_TIMEOUT, 0);
	return (r);
}

/* eng_http_on_free - run fn(arg) once when r is let go of */
void
eng_http_on_free(struct eng_http_req *r, eng_http_free_fn *fn)
{
	if (r != NULL)
		r->on_free = fn;
}

/* eng_http_cancel - stop r; its done callback will not run */
void
eng_http_cancel(struct eng_http_req *r)
{
	if (r == NULL || r->state == ENG_HTTP_CANCELLED ||
	    r->state == ENG_HTTP_DONE)
		return;			/* already let go of */
	eng_http_forget(r);
	if (r->busy) {			/* in the parser: the reader frees it */
		r->state = ENG_HTTP_CANCELLED;
		return;
	}
	TAILQ_REMOVE(&r->h->reqs, r, entry);
	eng_http_release(r);
}

/* eng_http_destroy - free h and every request still in it */
static void
eng_http_destroy(struct eng_http *h)
{
	struct eng_http_req	*r;

	while ((r = TAILQ_FIRST(&h->reqs)) != NULL) {
		TAILQ_REMOVE(&h->reqs, r, entry);
		eng_http_forget(r);
		eng_http_release(r);
	}
	eng_http_dns_free(h->dns);
	free(h);
}

/* eng_http_free - cancel every request and free the client */
void
eng_http_free(struct eng_http *h)
{
	struct eng_http_req	*r, *next;

	if (h == NULL || h->dying)
		return;
	if (h->depth == 0) {
		eng_http_destroy(h);
		return;
	}
	/* inside one of our callbacks: the outermost one ends the job */
	h->dying = 1;
	for (r = TAILQ_FIRST(&h->reqs); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		eng_http_cancel(r);
	}
}
