/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_logstream - stream what a descriptor gives as a chunked reply
 * SYNOPSIS
 *	#include "http_logstream.h"
 * DESCRIPTION
 *	A followed log (GET /v1/engines/{name}/logs?follow=1) is one end
 *	of a socketpair on which the engines worker writes the container's
 *	log as it comes. This file reads it with a bufferevent and passes
 *	each read on with evhttp_send_reply_chunk(), as one HTTP/1.1 chunk
 *	(an HTTP/1.0 client gets the bytes as they are, and the end of the
 *	connection ends the body).
 *
 *	The reply says Connection: close, so its connection is not used
 *	again and what is set on it below dies with it. While a reply is
 *	written, evhttp keeps reading the connection only to notice the
 *	client closing it, with http_timeout as a read timeout: that would
 *	cut off a log that stays quiet for that long, so the stream drops
 *	the read timeout and keeps the write timeout, which still ends a
 *	client that stops reading. What such a client would send is
 *	bounded too (a read watermark).
 *
 *	Memory is bounded: each read takes at most HTTP_LOGSTREAM_READ_MAX
 *	bytes, and once more than HTTP_LOGSTREAM_OUT_MAX bytes wait on the
 *	connection, reading pauses. Every chunk is sent with a callback
 *	that evhttp runs once the connection's output is written out,
 *	which resumes reading. A paused stream leaves the bytes in the
 *	socketpair, so the engines worker's writes block, or fail, rather
 *	than anything growing here.
 *
 *	The stream ends in one of three ways, each of which frees the
 *	stream, and with it the bufferevent, which closes fd:
 *
 *	  end of fd	(EOF, or an error on it) the reply is ended with
 *			evhttp_send_reply_end(); the call ends when evhttp
 *			has written it (on_complete).
 *	  client gone	evhttp frees the connection (EOF, a reset, a write
 *			timeout); http_call.c tells the hook HTTP_CALL_GONE
 *			from its close callback. evhttp has detached the
 *			request from the connection in that case, and
 *			then the request is ours to free.
 *	  shutdown	http_call_stop_all() tells the hook HTTP_CALL_STOP:
 *			the reply is ended as at the end of fd.
 *
 *	The hook is cleared before the reply is ended, so that exactly
 *	one of these runs.
 * DIAGNOSTICS
 *	A read error on fd is logged at debug level and ends the reply as
 *	its end would. Failing to set up the stream is fatal (memory).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "log.h"
#include "xmalloc.h"

#include "http_call.h"
#include "http_logstream.h"
#include "http_reply.h"
#include "http_server.h"

#define HTTP_LOGSTREAM_CLIENT_MAX	4096	/* read from the client */

struct http_logstream {
	struct http_call	*call;
	struct evhttp_request	*req;		/* ours since taken */
	struct bufferevent	*in;		/* on fd, closes it */
	int			 paused;	/* the client is behind */
};

/* http_logstream_free - close fd and forget the stream */
static void
http_logstream_free(struct http_logstream *s)
{
	bufferevent_free(s->in);
	free(s);
}

/* http_logstream_queued - bytes waiting on the client's connection */
static size_t
http_logstream_queued(struct http_logstream *s)
{
	struct evhttp_connection	*evcon;

	if ((evcon = evhttp_request_get_connection(s->req)) == NULL)
		return (0);
	return (evbuffer_get_length(bufferevent_get_output(
	    evhttp_connection_get_bufferevent(evcon))));
}

/* http_logstream_end - the log is over: end the reply, free the stream */
static void
http_logstream_end(struct http_logstream *s)
{
	struct evbuffer	*rest;

	http_call_set_hook(s->call, NULL, NULL);
	rest = bufferevent_get_input(s->in);
	if (evbuffer_get_length(rest) > 0)
		evhttp_send_reply_chunk(s->req, rest);
	/* may complete the call at once (HTTP/1.0, nothing queued) */
	evhttp_send_reply_end(s->req);
	http_logstream_free(s);
}

/* http_logstream_drained_cb - the connection's output is written out */
static void
http_logstream_drained_cb(struct evhttp_connection *evcon, void *arg)
{
	struct http_logstream	*s = arg;

	(void)evcon;
	if (s->paused) {
		s->paused = 0;
		bufferevent_enable(s->in, EV_READ);
	}
}

/* http_logstream_read_cb - bytes from fd: one chunk, or a pause */
static void
http_logstream_read_cb(struct bufferevent *bev, void *arg)
{
	struct http_logstream	*s = arg;

	evhttp_send_reply_chunk_with_cb(s->req, bufferevent_get_input(bev),
	    http_logstream_drained_cb, s);
	if (http_logstream_queued(s) > HTTP_LOGSTREAM_OUT_MAX) {
		s->paused = 1;
		bufferevent_disable(bev, EV_READ);
	}
}

/* http_logstream_event_cb - fd reached its end, or failed */
static void
http_logstream_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & BEV_EVENT_ERROR)
		log_debug("log stream: read: %s", strerror(errno));
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		http_logstream_end(arg);
}

/* http_logstream_hook - the client is gone, or the server stops */
static void
http_logstream_hook(struct http_call *call, int why, void *arg)
{
	struct http_logstream	*s = arg;

	(void)call;
	if (why == HTTP_CALL_STOP) {
		http_logstream_end(s);
		return;
	}
	/* evhttp frees a request still on the connection; not a detached one */
	if (evhttp_request_get_connection(s->req) == NULL)
		evhttp_request_free(s->req);
	http_logstream_free(s);
}

/* http_logstream_timeouts - no read timeout on the client; keep the write */
static void
http_logstream_timeouts(struct http_call *call, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct timeval			 tv;

	if ((evcon = evhttp_request_get_connection(req)) == NULL)
		return;
	bev = evhttp_connection_get_bufferevent(evcon);
	tv.tv_sec = call->srv != NULL && call->srv->timeout_s > 0 ?
	    call->srv->timeout_s : 30;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(bev, NULL, &tv);
	bufferevent_setwatermark(bev, EV_READ, 0, HTTP_LOGSTREAM_CLIENT_MAX);
}

/* http_logstream_start - answer call with what fd gives, until its end */
void
http_logstream_start(struct http_call *call, int fd, const char *ctype)
{
	struct http_logstream	*s;
	struct evkeyvalq	*h;
	struct evhttp_request	*req;

	if (call->req == NULL || call->srv == NULL) {
		close(fd);
		return;
	}
	h = evhttp_request_get_output_headers(call->req);
	evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Connection", "close");
	req = http_call_take(call, HTTP_ST_OK);
	if (evutil_make_socket_nonblocking(fd) == -1)
		log_warn("%s: fcntl", __func__);
	s = xcalloc(1, sizeof(*s));
	s->call = call;
	s->req = req;
	if ((s->in = bufferevent_socket_new(call->srv->rt->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL)
		fatalx("%s: bufferevent_socket_new", __func__);
	bufferevent_setcb(s->in, http_logstream_read_cb, NULL,
	    http_logstream_event_cb, s);
	bufferevent_setwatermark(s->in, EV_READ, 0, HTTP_LOGSTREAM_READ_MAX);
	evhttp_send_reply_start(req, HTTP_ST_OK, NULL);
	http_logstream_timeouts(call, req);
	http_call_set_hook(call, http_logstream_hook, s);
	bufferevent_enable(s->in, EV_READ);
}
