/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http - asynchronous HTTP/1.1 client on libcurl's multi interface
 * SYNOPSIS
 *	#include "eng_http.h"
 * DESCRIPTION
 *	See eng_http.h. curl's multi handle tells us, through its socket
 *	and timer callbacks, which descriptors to watch and when to wake
 *	it; each becomes a libevent event that calls
 *	curl_multi_socket_action, after which the finished transfers are
 *	read with curl_multi_info_read and their done callbacks run.
 *
 *	A request is PENDING from eng_http_start until a zero-timeout event
 *	adds its easy handle to the multi handle (so done can never run from
 *	inside eng_http_start, and a handle is never added from inside a
 *	curl callback), then ACTIVE until curl reports it finished. curl
 *	forbids removing a handle from inside its own callbacks, so
 *	eng_http_cancel called there (from a data callback) only marks the
 *	request CANCELLED; its next write fails and the reap event removes
 *	it once curl has returned. eng_http_free called from inside one of
 *	our callbacks (depth > 0) cancels every request and leaves the rest
 *	of the teardown to the outermost callback, once it is done with h.
 *
 *	eng_http_req.c sets up each request's easy handle and has curl's
 *	callbacks for its headers and body.
 * DIAGNOSTICS
 *	See eng_http.h and eng_http_req.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_http_priv.h"
#include "xmalloc.h"

struct eng_http_sock {
	struct eng_http			*h;
	struct event			*ev;
	TAILQ_ENTRY(eng_http_sock)	 entry;
};

struct eng_http {
	struct event_base		*base;
	CURLM				*multi;
	struct event			*timer;
	struct event			*reap;
	TAILQ_HEAD(, eng_http_req)	 reqs;	/* not DONE */
	TAILQ_HEAD(, eng_http_sock)	 socks;
	int				 depth;	/* in our event callbacks */
	int				 in_curl; /* in socket_action */
	int				 dying;	/* freed while depth > 0 */
};

static int	eng_http_inited;

static void	eng_http_destroy(struct eng_http *);

/* eng_http_leave - end one of our callbacks; the last one may free h */
static void
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

/* eng_http_release - free r, out of the list and the multi handle */
static void
eng_http_release(struct eng_http_req *r)
{
	if (r->added)
		curl_multi_remove_handle(r->h->multi, r->easy);
	if (r->start != NULL)
		event_free(r->start);
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	free(r->body);
	free(r);
}

/* eng_http_finish - r has ended: run done (unless cancelled), free r */
static void
eng_http_finish(struct eng_http_req *r, CURLcode rc)
{
	struct eng_http_resp	resp;
	struct eng_http		*h = r->h;

	TAILQ_REMOVE(&h->reqs, r, entry);
	if (r->state == ENG_HTTP_CANCELLED) {
		eng_http_release(r);
		return;
	}
	if (r->added) {
		curl_multi_remove_handle(h->multi, r->easy);
		r->added = 0;
	}
	r->state = ENG_HTTP_DONE;
	memset(&resp, 0, sizeof(resp));
	if (r->early[0] != '\0')
		resp.err = r->early;
	else if (rc != CURLE_OK)
		resp.err = eng_http_req_why(r, rc);
	else {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE,
		    &resp.status);
		if (r->data == NULL || resp.status < 200 ||
		    resp.status > 299) {
			resp.body = r->body != NULL ? r->body : "";
			resp.body_len = r->len;
		}
	}
	resp.api_version = r->apiver[0] != '\0' ? r->apiver : NULL;
	r->done(&resp, r->arg);
	eng_http_forget(r);
	eng_http_release(r);
}

/* eng_http_collect - finish every transfer curl says is over */
static void
eng_http_collect(struct eng_http *h)
{
	struct eng_http_req	*r;
	CURLMsg			*msg;
	char			*priv;
	int			 left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		if ((r = (struct eng_http_req *)(void *)priv) != NULL)
			eng_http_finish(r, msg->data.result);
	}
}

/* eng_http_action - let curl act on fd (or its timeout), then collect */
static void
eng_http_action(struct eng_http *h, curl_socket_t fd, int flags)
{
	int	running;

	h->in_curl = 1;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	h->in_curl = 0;
	eng_http_collect(h);
}

/* eng_http_event_cb - a socket curl watches is ready */
static void
eng_http_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_http_sock	*s = arg;
	struct eng_http		*h = s->h;	/* s may go in the action */
	int			 flags = 0;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	h->depth++;
	eng_http_action(h, fd, flags);
	eng_http_leave(h);
}

/* eng_http_timer_cb - curl's timeout has come */
static void
eng_http_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_http	*h = arg;

	(void)fd;
	(void)what;
	h->depth++;
	eng_http_action(h, CURL_SOCKET_TIMEOUT, 0);
	eng_http_leave(h);
}

/* eng_http_sock_fn - CURLMOPT_SOCKETFUNCTION: watch fd for what */
static int
eng_http_sock_fn(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *socketp)
{
	struct eng_http		*h = userp;
	struct eng_http_sock	*s = socketp;
	short			 ev = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			TAILQ_REMOVE(&h->socks, s, entry);
			if (s->ev != NULL)
				event_free(s->ev);
			free(s);
		}
		return (0);
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof(*s));
		s->h = h;
		TAILQ_INSERT_TAIL(&h->socks, s, entry);
		curl_multi_assign(h->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		ev |= EV_READ;
	if (what & CURL_POLL_OUT)
		ev |= EV_WRITE;
	if (s->ev != NULL)
		event_free(s->ev);
	if ((s->ev = event_new(h->base, fd, ev, eng_http_event_cb,
	    s)) == NULL || event_add(s->ev, NULL) == -1)
		return (-1);
	return (0);
}

/* eng_http_timer_fn - CURLMOPT_TIMERFUNCTION: wake curl in ms (-1 never) */
static int
eng_http_timer_fn(CURLM *multi, long ms, void *userp)
{
	struct eng_http	*h = userp;
	struct timeval	 tv;

	(void)multi;
	if (ms < 0) {
		evtimer_del(h->timer);
		return (0);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return (evtimer_add(h->timer, &tv));
}

/* eng_http_reap_cb - remove the requests cancelled inside curl */
static void
eng_http_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_http		*h = arg;
	struct eng_http_req	*r, *next;

	(void)fd;
	(void)what;
	h->depth++;
	for (r = TAILQ_FIRST(&h->reqs); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->state != ENG_HTTP_CANCELLED)
			continue;
		TAILQ_REMOVE(&h->reqs, r, entry);
		eng_http_release(r);
	}
	eng_http_leave(h);
}

/* eng_http_new - a client on base; NULL if curl cannot start */
struct eng_http *
eng_http_new(struct event_base *base)
{
	struct eng_http	*h;

	if (!eng_http_inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return (NULL);
		eng_http_inited = 1;
	}
	h = xcalloc(1, sizeof(*h));
	h->base = base;
	TAILQ_INIT(&h->reqs);
	TAILQ_INIT(&h->socks);
	h->timer = evtimer_new(base, eng_http_timer_cb, h);
	h->reap = event_new(base, -1, 0, eng_http_reap_cb, h);
	if (h->timer == NULL || h->reap == NULL ||
	    (h->multi = curl_multi_init()) == NULL) {
		eng_http_destroy(h);
		return (NULL);
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION,
	    eng_http_sock_fn);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, eng_http_timer_fn);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return (h);
}

/* eng_http_start_cb - hand a pending request to curl (or fail it) */
static void
eng_http_start_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_http_req	*r = arg;
	struct eng_http		*h = r->h;
	CURLMcode		 mc;

	(void)fd;
	(void)what;
	h->depth++;
	event_free(r->start);
	r->start = NULL;
	r->state = ENG_HTTP_ACTIVE;
	if (r->early[0] == '\0') {
		if ((mc = curl_multi_add_handle(h->multi, r->easy)) ==
		    CURLM_OK)
			r->added = 1;
		else
			snprintf(r->early, sizeof(r->early), "curl: %s",
			    curl_multi_strerror(mc));
	}
	if (r->early[0] != '\0')
		eng_http_finish(r, CURLE_OK);
	eng_http_leave(h);
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
	r->streaming = -1;
	r->state = ENG_HTTP_PENDING;
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
	if ((r->easy = curl_easy_init()) == NULL) {
		eng_http_release(r);
		return (NULL);
	}
	r->data = data;
	r->max = o->body_max > 0 ? o->body_max : ENG_HTTP_BODY_MAX;
	r->timeout_ms = o->timeout_ms;
	snprintf(r->where, sizeof(r->where), "%s",
	    o->unix_path != NULL ? o->unix_path : o->url);
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
	struct eng_http	*h;

	if (r == NULL || r->state == ENG_HTTP_CANCELLED ||
	    r->state == ENG_HTTP_DONE)
		return;			/* already let go of */
	h = r->h;
	eng_http_forget(r);
	if (r->added && h->in_curl) {
		r->state = ENG_HTTP_CANCELLED;
		event_active(h->reap, EV_TIMEOUT, 0);
		return;
	}
	TAILQ_REMOVE(&h->reqs, r, entry);
	eng_http_release(r);
}

/* eng_http_destroy - free h and every request still in it */
static void
eng_http_destroy(struct eng_http *h)
{
	struct eng_http_req	*r;
	struct eng_http_sock	*s;

	while ((r = TAILQ_FIRST(&h->reqs)) != NULL) {
		TAILQ_REMOVE(&h->reqs, r, entry);
		eng_http_forget(r);
		eng_http_release(r);
	}
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	while ((s = TAILQ_FIRST(&h->socks)) != NULL) {
		TAILQ_REMOVE(&h->socks, s, entry);
		if (s->ev != NULL)
			event_free(s->ev);
		free(s);
	}
	if (h->timer != NULL)
		event_free(h->timer);
	if (h->reap != NULL)
		event_free(h->reap);
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
