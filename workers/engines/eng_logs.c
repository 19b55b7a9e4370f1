/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_logs - an engine's log for ENGINE_LOGS, once or followed
 * SYNOPSIS
 *	#include "eng_logs.h"
 * DESCRIPTION
 *	See eng_logs.h. A one-off read is a struct eng_logs_get on the
 *	worker's list (w->logs_gets, so that exit frees it); it keeps the request's
 *	header to answer later. A follower is a struct eng_follow on its
 *	engine's list: the Docker stream, the demuxer and a bufferevent on
 *	our end of the socketpair.
 * DIAGNOSTICS
 *	A follower cut off for falling behind is logged.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "log.h"
#include "msg.h"
#include "worker.h"
#include "xmalloc.h"

#include "eng_demux.h"
#include "eng_docker.h"
#include "eng_engine.h"
#include "eng_logs.h"
#include "eng_worker.h"

struct eng_logs_get {
	LIST_ENTRY(eng_logs_get) entry;
	struct eng_worker	*w;
	struct frame		 req;		/* header only */
	char			 name[ENG_NAME_MAX + 1];
	struct eng_http_req	*r;
	struct eng_demux	 demux;
	struct evbuffer		*text;
};

struct eng_follow {
	LIST_ENTRY(eng_follow)	 entry;
	struct eng		*e;
	struct eng_http_req	*r;
	struct eng_demux	 demux;
	struct bufferevent	*bev;
	int			 ended;		/* Docker's stream is over */
};

/* eng_logs_reply_text - answer {"name","text"} with text of len bytes */
static void
eng_logs_reply_text(struct eng_worker *w, const struct frame *req,
    const char *name, char *text, size_t len)
{
	cJSON	*o;
	char	*s;

	if (len > ENG_LOGS_TEXT_MAX) {
		text += len - ENG_LOGS_TEXT_MAX;
		len = ENG_LOGS_TEXT_MAX;
	}
	s = xmalloc(len + 1);
	memcpy(s, text, len);
	s[len] = '\0';
	eng_demux_utf8_fix(s, len);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "text", s);
	free(s);
	worker_reply(w->rt, req, MSG_ENGINE_LOGS, o);
}

/* eng_logs_get_piece - demultiplexed bytes into the text */
static int
eng_logs_get_piece(int stream, const char *data, size_t len, void *arg)
{
	struct eng_logs_get	*g = arg;
	size_t			 have;

	(void)stream;
	evbuffer_add(g->text, data, len);
	if ((have = evbuffer_get_length(g->text)) > 2 * ENG_LOGS_TEXT_MAX)
		evbuffer_drain(g->text, have - ENG_LOGS_TEXT_MAX);
	return (0);
}

/* eng_logs_get_data - a piece of the Docker stream */
static int
eng_logs_get_data(const char *buf, size_t len, void *arg)
{
	struct eng_logs_get	*g = arg;

	return (eng_demux_feed(&g->demux, buf, len, eng_logs_get_piece, g) ==
	    0 ? 0 : -1);
}

/* eng_logs_get_free - forget a one-off read */
static void
eng_logs_get_free(struct eng_logs_get *g)
{
	LIST_REMOVE(g, entry);
	evbuffer_free(g->text);
	free(g);
}

/* eng_logs_get_done - the log is in: answer */
static void
eng_logs_get_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng_logs_get	*g = arg;
	size_t			 len;

	g->r = NULL;
	if (r->code != NULL)
		worker_reply_error(g->w->rt, &g->req, r->status == 0 ?
		    "unavailable" : r->status == 404 ? "not_found" :
		    "docker_error", "logs: %s", r->message);
	else {
		len = evbuffer_get_length(g->text);
		eng_logs_reply_text(g->w, &g->req, g->name,
		    (char *)evbuffer_pullup(g->text, -1), len);
	}
	eng_logs_get_free(g);
}

/* eng_logs_kept - the lines kept from a failure, as one text */
static void
eng_logs_kept(struct eng_worker *w, struct eng *e, const struct frame *req)
{
	struct evbuffer	*b = evbuffer_new();
	const cJSON	*line;

	cJSON_ArrayForEach(line, e->logs)
		if (cJSON_IsString(line))
			evbuffer_add_printf(b, "%s\n", line->valuestring);
	eng_logs_reply_text(w, req, e->spec.name,
	    (char *)evbuffer_pullup(b, -1), evbuffer_get_length(b));
	evbuffer_free(b);
}

/* eng_logs_path - the logs path for e with tail (-1: all) */
static void
eng_logs_path(const struct eng *e, int tail, int follow, char *buf,
    size_t len)
{
	char	t[16];

	if (tail < 0)
		snprintf(t, sizeof(t), "all");
	else
		snprintf(t, sizeof(t), "%d", tail);
	snprintf(buf, len, "/containers/%s/logs?stdout=1&stderr=1&tail=%s%s",
	    e->container_id, t, follow ? "&follow=1" : "");
}

/* eng_logs_get - answer ENGINE_LOGS without follow */
void
eng_logs_get(struct eng_worker *w, struct eng *e, const struct frame *req,
    int tail)
{
	struct eng_logs_get	*g;
	char			 path[192];

	if (e->container_id[0] == '\0') {
		eng_logs_kept(w, e, req);
		return;
	}
	if (!w->docker_ok) {
		worker_reply_error(w->rt, req, "unavailable", "%s",
		    w->docker_reason);
		return;
	}
	g = xcalloc(1, sizeof(*g));
	g->w = w;
	g->req.hdr = req->hdr;
	g->req.fd = -1;
	snprintf(g->name, sizeof(g->name), "%s", e->spec.name);
	g->text = evbuffer_new();
	eng_demux_init(&g->demux, 0);
	LIST_INSERT_HEAD(&w->logs_gets, g, entry);
	eng_logs_path(e, tail, 0, path, sizeof(path));
	g->r = eng_docker_call(w->docker, "GET", path, NULL,
	    ENG_STEP_TIMEOUT_MS, eng_logs_get_data, eng_logs_get_done, g);
	if (g->r == NULL) {
		worker_reply_error(w->rt, req, "unavailable",
		    "Docker cannot be reached");
		eng_logs_get_free(g);
	}
}

/* eng_follow_close - end a follower: cancel the stream, close our end */
static void
eng_follow_close(struct eng_follow *fl)
{
	LIST_REMOVE(fl, entry);
	if (fl->r != NULL)
		eng_http_cancel(fl->r);
	bufferevent_free(fl->bev);
	free(fl);
}

/* eng_follow_piece - demultiplexed bytes to the reader */
static int
eng_follow_piece(int stream, const char *data, size_t len, void *arg)
{
	struct eng_follow	*fl = arg;

	(void)stream;
	return (bufferevent_write(fl->bev, data, len));
}

/* eng_follow_data - a piece of the followed stream; -1 stops it */
static int
eng_follow_data(const char *buf, size_t len, void *arg)
{
	struct eng_follow	*fl = arg;

	if (evbuffer_get_length(bufferevent_get_output(fl->bev)) >
	    ENG_LOGS_FOLLOW_MAX) {
		log_warnx("engine %s: a log reader fell %d bytes behind; "
		    "cut off", fl->e->spec.name, ENG_LOGS_FOLLOW_MAX);
		return (-1);
	}
	return (eng_demux_feed(&fl->demux, buf, len, eng_follow_piece, fl) ==
	    0 ? 0 : -1);
}

/* eng_follow_flushed - all written after the stream ended: close */
static void
eng_follow_flushed(struct bufferevent *bev, void *arg)
{
	struct eng_follow	*fl = arg;

	(void)bev;
	if (fl->ended)
		eng_follow_close(fl);
}

/* eng_follow_done - Docker ended the stream: flush, then close */
static void
eng_follow_done(const struct eng_http_resp *r, void *arg)
{
	struct eng_follow	*fl = arg;

	(void)r;
	fl->r = NULL;
	fl->ended = 1;
	if (evbuffer_get_length(bufferevent_get_output(fl->bev)) == 0)
		eng_follow_close(fl);
}

/* eng_follow_event - the reader closed its end, or an error */
static void
eng_follow_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	eng_follow_close(arg);
}

/* eng_follow_read - the reader sent something: ignore it */
static void
eng_follow_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev),
	    evbuffer_get_length(bufferevent_get_input(bev)));
}

/* eng_follow_docker_done - adapt the Docker callback to the follower */
static void
eng_follow_docker_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng_http_resp	hr;

	memset(&hr, 0, sizeof(hr));
	hr.status = r->status;
	eng_follow_done(&hr, arg);
}

/* eng_logs_follow - answer ENGINE_LOGS with follow: a socket to read */
void
eng_logs_follow(struct eng_worker *w, struct eng *e, const struct frame *req,
    int tail)
{
	struct eng_follow	*fl;
	cJSON			*o;
	char			 path[192];
	int			 sv[2];

	if (e->container_id[0] == '\0' || !w->docker_ok) {
		worker_reply_error(w->rt, req, e->container_id[0] == '\0' ?
		    "conflict" : "unavailable", "%s", e->container_id[0] ==
		    '\0' ? "the engine has no container to follow" :
		    w->docker_reason);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0, sv) == -1) {
		worker_reply_error(w->rt, req, "internal", "socketpair: %s",
		    strerror(errno));
		return;
	}
	fl = xcalloc(1, sizeof(*fl));
	fl->e = e;
	eng_demux_init(&fl->demux, 0);
	fl->bev = bufferevent_socket_new(w->rt->base, sv[0],
	    BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(fl->bev, eng_follow_read, eng_follow_flushed,
	    eng_follow_event, fl);
	bufferevent_enable(fl->bev, EV_READ | EV_WRITE);
	LIST_INSERT_HEAD(&e->follows, fl, entry);
	eng_logs_path(e, tail, 1, path, sizeof(path));
	fl->r = eng_docker_call(w->docker, "GET", path, NULL, 0,
	    eng_follow_data, eng_follow_docker_done, fl);
	if (fl->r == NULL) {
		close(sv[1]);
		eng_follow_close(fl);
		worker_reply_error(w->rt, req, "unavailable",
		    "Docker cannot be reached");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", e->spec.name);
	cJSON_AddBoolToObject(o, "follow", 1);
	worker_reply_fd(w->rt, req, MSG_ENGINE_LOGS, o, sv[1]);
}

/* eng_logs_close_all - end every follower of e */
void
eng_logs_close_all(struct eng *e)
{
	while (!LIST_EMPTY(&e->follows))
		eng_follow_close(LIST_FIRST(&e->follows));
}

/* eng_logs_free_all - end every one-off read (at exit) */
void
eng_logs_free_all(struct eng_worker *w)
{
	struct eng_logs_get	*g, *next;

	for (g = LIST_FIRST(&w->logs_gets); g != NULL; g = next) {
		next = LIST_NEXT(g, entry);
		if (g->r != NULL)
			eng_http_cancel(g->r);
		eng_logs_get_free(g);
	}
}
