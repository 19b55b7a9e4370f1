/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	docker_fake - a tiny fake Docker Engine for the eng_http and
 *	eng_docker tests
 * SYNOPSIS
 *	#include "docker_fake.h"
 * DESCRIPTION
 *	dfake_start() makes a temp dir with three names in it: docker.sock,
 *	a listening unix socket served by evhttp (evhttp_accept_socket) on
 *	the test's event base; refused.sock, bound but never listening
 *	(connect: ECONNREFUSED); missing.sock, never made (ENOENT). Paths
 *	may carry a version prefix (/v1.43/...), which is ignored:
 *
 *	  /_ping		200 "OK" and the ping_hdr header (Api-Version)
 *	  /version		200 {"Version","ApiVersion","MinAPIVersion"}
 *	  /containers/json	200 [{"Id":"abc","Names":["/x"]}]
 *	  /containers/nope/...	404 {"message":"No such container: nope"}
 *	  /containers/x/logs	200, chunked: three log frames (stdout
 *				"hello ", stderr "oops\n", stdout "world\n")
 *				sent in four chunks 20 ms apart, cut inside
 *				a header and inside a payload
 *	  /echo			201, the request's body back, as JSON
 *	  /big			200, big bytes of 'b'
 *	  /text500		500 "boom\nmore" as text/plain
 *	  /hang			never answered
 *	  anything else		404 {"message":"page not found"}
 *
 *	Each request is noted in dfake (method, uri, Content-Type, body).
 *	SIGPIPE is ignored, as in a worker: evhttp writes to clients that
 *	went away.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "docker_fake.h"

struct dfake		 dfake;

static struct evhttp		*dfake_http;
static int			 dfake_refused_fd = -1;
static struct evhttp_request	*dfake_stream;	/* logs being sent */
static struct event		*dfake_stream_ev;
static int			 dfake_stream_step;
static char			 dfake_frames[64];
static size_t			 dfake_frames_len;
static const size_t		 dfake_cuts[] = { 5, 13, 20 };

/* dfake_frame - append a log frame to dfake_frames */
static void
dfake_frame(int stream, const char *s)
{
	unsigned char	*h = (unsigned char *)dfake_frames + dfake_frames_len;
	size_t		 n = strlen(s);

	memset(h, 0, 8);
	h[0] = (unsigned char)stream;
	h[7] = (unsigned char)n;
	memcpy(h + 8, s, n);
	dfake_frames_len += 8 + n;
}

/* dfake_reply - answer with status, content type and body */
static void
dfake_reply(struct evhttp_request *req, int code, const char *ctype,
    const char *body, size_t len)
{
	struct evbuffer	*b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", ctype);
	evbuffer_add(b, body, len);
	evhttp_send_reply(req, code, code < 300 ? "OK" : "Error", b);
	evbuffer_free(b);
}

/* dfake_json - answer JSON */
static void
dfake_json(struct evhttp_request *req, int code, const char *json)
{
	dfake_reply(req, code, "application/json", json, strlen(json));
}

/* dfake_stream_close_cb - the logs' client went away */
static void
dfake_stream_close_cb(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	(void)arg;
	dfake_stream = NULL;
	if (dfake_stream_ev != NULL)
		event_del(dfake_stream_ev);
}

/* dfake_stream_cb - send the next piece of the log stream */
static void
dfake_stream_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval	 tv = { 0, 20000 };
	struct evbuffer	*b;
	size_t		 from, to;
	int		 n = (int)(sizeof(dfake_cuts) / sizeof(dfake_cuts[0]));

	(void)fd;
	(void)what;
	(void)arg;
	if (dfake_stream == NULL)
		return;
	from = dfake_stream_step == 0 ? 0 : dfake_cuts[dfake_stream_step - 1];
	to = dfake_stream_step < n ? dfake_cuts[dfake_stream_step] :
	    dfake_frames_len;
	b = evbuffer_new();
	evbuffer_add(b, dfake_frames + from, to - from);
	evhttp_send_reply_chunk(dfake_stream, b);
	evbuffer_free(b);
	if (dfake_stream_step++ < n) {
		event_add(dfake_stream_ev, &tv);
		return;
	}
	evhttp_connection_set_closecb(evhttp_request_get_connection(
	    dfake_stream), NULL, NULL);
	evhttp_send_reply_end(dfake_stream);
	dfake_stream = NULL;
}

/* dfake_logs - start the chunked log stream */
static void
dfake_logs(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/vnd.docker.multiplexed-stream");
	evhttp_send_reply_start(req, 200, "OK");
	dfake_stream = req;
	dfake_stream_step = 0;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
	    dfake_stream_close_cb, NULL);
	event_active(dfake_stream_ev, EV_TIMEOUT, 0);
}

/* dfake_note - remember the request in dfake */
static void
dfake_note(struct evhttp_request *req)
{
	static const char	*names[] = { "GET", "POST", "HEAD", "PUT",
				    "DELETE", "OPTIONS", "TRACE", "CONNECT",
				    "PATCH" };
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	const char		*ct;
	int			 cmd = evhttp_request_get_command(req), i;

	dfake.nreq++;
	snprintf(dfake.method, sizeof(dfake.method), "?");
	for (i = 0; i < 9; i++)
		if (cmd == 1 << i)
			snprintf(dfake.method, sizeof(dfake.method), "%s",
			    names[i]);
	snprintf(dfake.uri, sizeof(dfake.uri), "%s",
	    evhttp_request_get_uri(req));
	ct = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	snprintf(dfake.ctype, sizeof(dfake.ctype), "%s", ct != NULL ? ct : "");
	dfake.body_len = evbuffer_get_length(in);
	if (dfake.body_len >= sizeof(dfake.body))
		dfake.body_len = sizeof(dfake.body) - 1;
	evbuffer_copyout(in, dfake.body, dfake.body_len);
	dfake.body[dfake.body_len] = '\0';
}

/* dfake_cb - route one request */
static void
dfake_cb(struct evhttp_request *req, void *arg)
{
	const char	*p;
	char		 json[256], *big;

	(void)arg;
	dfake_note(req);
	p = dfake.uri;
	if (p[0] == '/' && p[1] == 'v' && isdigit((unsigned char)p[2])) {
		p = strchr(p + 1, '/');		/* the version prefix */
		if (p == NULL)
			p = "/";
	}
	if (strcmp(p, "/_ping") == 0) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    dfake.ping_hdr, dfake.api);
		dfake_reply(req, 200, "text/plain", "OK", 2);
	} else if (strcmp(p, "/version") == 0) {
		snprintf(json, sizeof(json), "{\"Version\":\"24.0.7\","
		    "\"ApiVersion\":\"%s\",\"MinAPIVersion\":\"%s\"}",
		    dfake.api, dfake.min_api);
		dfake_json(req, 200, json);
	} else if (strcmp(p, "/containers/json") == 0)
		dfake_json(req, 200, "[{\"Id\":\"abc\",\"Names\":[\"/x\"]}]");
	else if (strncmp(p, "/containers/nope/", 17) == 0)
		dfake_json(req, 404, "{\"message\":\"No such container: "
		    "nope\"}");
	else if (strncmp(p, "/containers/x/logs", 18) == 0)
		dfake_logs(req);
	else if (strcmp(p, "/echo") == 0)
		dfake_reply(req, 201, "application/json", dfake.body,
		    dfake.body_len);
	else if (strcmp(p, "/big") == 0) {
		big = malloc(dfake.big + 1);
		ck_assert_ptr_nonnull(big);
		memset(big, 'b', dfake.big);
		dfake_reply(req, 200, "text/plain", big, dfake.big);
		free(big);
	} else if (strcmp(p, "/text500") == 0)
		dfake_reply(req, 500, "text/plain", "boom\nmore", 9);
	else if (strcmp(p, "/hang") == 0)
		dfake.hung++;
	else
		dfake_json(req, 404, "{\"message\":\"page not found\"}");
}

/* dfake_bind - a unix socket bound at path; listening if listen_too */
static int
dfake_bind(const char *path, int listen_too)
{
	struct sockaddr_un	sun;
	int			fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	if (listen_too)
		ck_assert_int_eq(listen(fd, 16), 0);
	return (fd);
}

/* dfake_start - serve on dfake.sock (in a new temp dir) on base */
void
dfake_start(struct event_base *base)
{
	signal(SIGPIPE, SIG_IGN);	/* evhttp writes to gone clients */
	memset(&dfake, 0, sizeof(dfake));
	dfake.base = base;
	dfake.ping_hdr = "Api-Version";
	dfake.api = "1.43";
	dfake.min_api = "1.12";
	dfake.big = 100000;
	snprintf(dfake.dir, sizeof(dfake.dir), "/tmp/corral-dfake-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dfake.dir));
	snprintf(dfake.sock, sizeof(dfake.sock), "%s/docker.sock", dfake.dir);
	snprintf(dfake.host, sizeof(dfake.host), "unix://%s", dfake.sock);
	snprintf(dfake.refused, sizeof(dfake.refused), "%s/refused.sock",
	    dfake.dir);
	snprintf(dfake.missing, sizeof(dfake.missing), "%s/missing.sock",
	    dfake.dir);
	dfake_http = evhttp_new(base);
	ck_assert_ptr_nonnull(dfake_http);
	evhttp_set_allowed_methods(dfake_http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(dfake_http, dfake_cb, NULL);
	ck_assert_ptr_nonnull(evhttp_accept_socket_with_handle(dfake_http,
	    dfake_bind(dfake.sock, 1)));
	dfake_refused_fd = dfake_bind(dfake.refused, 0);
	dfake_frames_len = 0;
	dfake_frame(1, "hello ");
	dfake_frame(2, "oops\n");
	dfake_frame(1, "world\n");
	dfake_stream = NULL;
	dfake_stream_ev = evtimer_new(base, dfake_stream_cb, NULL);
}

/* dfake_stop - stop serving, remove the temp dir */
void
dfake_stop(void)
{
	evhttp_free(dfake_http);	/* closes the listener */
	dfake_http = NULL;
	dfake_stream = NULL;
	event_free(dfake_stream_ev);
	dfake_stream_ev = NULL;
	close(dfake_refused_fd);
	dfake_refused_fd = -1;
	unlink(dfake.sock);
	unlink(dfake.refused);
	rmdir(dfake.dir);
}

/* dfake_tick_cb - keep the loop turning while dfake_spin waits */
static void
dfake_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

/* dfake_spin - run the loop until *flag is set or ms have passed */
void
dfake_spin(const int *flag, int ms)
{
	struct timeval	 tv = { 0, 5000 };
	struct timespec	 t0, t;
	struct event	*tick;

	tick = event_new(dfake.base, -1, EV_PERSIST, dfake_tick_cb, NULL);
	event_add(tick, &tv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (flag != NULL && *flag)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			break;
		event_base_loop(dfake.base, EVLOOP_ONCE);
	}
	event_free(tick);
}
