/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_fixture - the http worker's server, in-process, for unit tests
 * SYNOPSIS
 *	#include "http_fixture.h"
 * DESCRIPTION
 *	fx_start() starts the real server (http_server_init) on 127.0.0.1:0
 *	with a struct worker_rt (fx_rt) whose channel is one end of a
 *	socketpair. On the other end a fake master (fx_master, a second
 *	channel on the same event base) records each request (fx_nreq,
 *	fx_req_type, fx_req_dst, fx_req_body) and answers only when a
 *	test calls fx_master_reply(), or never; fx_master_reply_to()
 *	answers the last request of a given type, for a handler that asks
 *	several at once (/metrics); fx_master_reply_fd() answers with a
 *	descriptor (FRAME_F_FD), as the engines worker does for a followed
 *	log; fx_master_wait() runs the loop until the master has seen so
 *	many requests. fx_stop() tears down in worker_main's
 *	order: channel first (pending requests end with ECANCELED), then
 *	http_server_fini().
 *
 *	A raw TCP client (fx_client_*) sends one request, with Connection:
 *	close unless it sends raw bytes, and reads into fx_cl_buf until the
 *	server closes. fx_exchange() and fx_asked() do a whole exchange and
 *	return the status; fx_asked_by() does one that the master must
 *	pass to worker dst (headers and body may be NULL), the endpoints of
 *	the mcp, engines and skills workers. fx_sent_json() compares what
 *	the master got with a JSON text, fx_error_field() reads the field
 *	of an error answer. fx_spin() runs the loop until a condition
 *	holds.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/event.h>
#include <event2/http.h>

#include "channel.h"
#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "../../workers/http/http_server.h"

#include "http_fixture.h"

#define FX_TYPES_MAX	8	/* request types remembered */

static struct event_base	*fx_base;
static int		 fx_port;
static uint32_t		 fx_req_id;	/* of the last request */
static uint32_t		 fx_type_ids[FX_TYPES_MAX];	/* by type, last */
static uint16_t		 fx_type_of[FX_TYPES_MAX];
static size_t		 fx_ntypes;
static int		 fx_want;	/* requests fx_master_wait awaits */

struct worker_rt	 fx_rt;
struct chan		*fx_master;	/* the fake master's end */
int			 fx_nreq;	/* requests the master saw */
uint16_t		 fx_req_type;	/* of the last request */
uint8_t			 fx_req_dst;	/* of the last request */
char			 fx_req_body[FX_BODY_MAX];
int			 fx_cl_fd = -1;
char			 fx_cl_buf[FX_BUF_MAX];
size_t			 fx_cl_len;
int			 fx_cl_eof;

/* fx_master_frame_cb - the fake master notes each request */
static void
fx_master_frame_cb(struct chan *c, struct frame *f, void *arg)
{
	size_t	n, i;

	(void)c;
	(void)arg;
	fx_nreq++;
	fx_req_type = f->hdr.type;
	fx_req_dst = f->hdr.dst;
	fx_req_id = f->hdr.id;
	for (i = 0; i < fx_ntypes && fx_type_of[i] != f->hdr.type; i++)
		;
	if (i < FX_TYPES_MAX) {
		fx_type_of[i] = f->hdr.type;
		fx_type_ids[i] = f->hdr.id;
		if (i == fx_ntypes)
			fx_ntypes++;
	}
	n = f->hdr.len < sizeof(fx_req_body) - 1 ? f->hdr.len :
	    sizeof(fx_req_body) - 1;
	memcpy(fx_req_body, f->payload, n);
	fx_req_body[n] = '\0';
}

/* fx_chan_quiet_cb - on_close of both test channels */
static void
fx_chan_quiet_cb(struct chan *c, int err, void *arg)
{
	(void)c;
	(void)err;
	(void)arg;
}

/* fx_ignore_frame_cb - the worker's end gets no requests in these tests */
static void
fx_ignore_frame_cb(struct chan *c, struct frame *f, void *arg)
{
	(void)c;
	(void)f;
	(void)arg;
}

/* fx_start - the server on 127.0.0.1:0 with config extra merged in */
void
fx_start(const char *extra)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	cJSON			*x, *item;
	int			 sv[2];

	signal(SIGPIPE, SIG_IGN);
	fx_nreq = 0;
	fx_ntypes = 0;
	ck_assert_ptr_nonnull(fx_base = event_base_new());
	memset(&fx_rt, 0, sizeof(fx_rt));
	fx_rt.base = fx_base;
	fx_rt.id = PROC_HTTP;
	fx_rt.exit_code = -1;
	fx_rt.config = cJSON_Parse("{\"bind\":\"127.0.0.1:0\",\"auth_mode\":"
	    "\"none\",\"shutdown_timeout\":2,\"version\":\"9.9.9\","
	    "\"state_root\":\"/s\",\"workspace_root\":\"/w\"}");
	if (extra != NULL) {
		ck_assert_ptr_nonnull(x = cJSON_Parse(extra));
		while ((item = x->child) != NULL) {
			cJSON_DetachItemViaPointer(x, item);
			cJSON_DeleteItemFromObject(fx_rt.config, item->string);
			cJSON_AddItemToObject(fx_rt.config, item->string, item);
		}
		cJSON_Delete(x);
	}
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fx_rt.chan = chan_new(fx_base, sv[0], fx_ignore_frame_cb,
	    fx_chan_quiet_cb, &fx_rt);
	fx_master = chan_new(fx_base, sv[1], fx_master_frame_cb,
	    fx_chan_quiet_cb, NULL);
	ck_assert_ptr_nonnull(fx_rt.chan);
	ck_assert_ptr_nonnull(fx_master);
	chan_set_src(fx_rt.chan, PROC_HTTP);
	ck_assert_int_eq(http_server_init(&fx_rt), 0);
	ck_assert_int_eq(getsockname(evhttp_bound_socket_get_fd(
	    ((struct http_server *)fx_rt.priv)->bound), (struct sockaddr *)&sin,
	    &len), 0);
	fx_port = ntohs(sin.sin_port);
}

/* fx_stop - what worker_main does after its loop */
void
fx_stop(void)
{
	chan_free(fx_rt.chan);
	fx_rt.chan = NULL;
	http_server_fini(&fx_rt);
	if (fx_master != NULL)
		chan_free(fx_master);
	fx_master = NULL;
	cJSON_Delete(fx_rt.config);
	event_base_free(fx_base);
	fx_base = NULL;
}

/* fx_spin - run the loop until done() or ms pass */
void
fx_spin(int (*done)(void), int ms)
{
	struct timespec	t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		event_base_loop(fx_base, EVLOOP_NONBLOCK);
		if (done != NULL && done())
			return;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
			return;
		poll(NULL, 0, 1);
	}
}

/* fx_master_saw - has the fake master got a request? */
int
fx_master_saw(void)
{
	return (fx_nreq > 0);
}

/* fx_calls_gone - has every call been freed? */
int
fx_calls_gone(void)
{
	struct http_server	*srv = fx_rt.priv;

	return (srv->nlive == 0 && TAILQ_EMPTY(&srv->calls));
}

/* fx_client_raw - connect and send bytes; the socket, non-blocking, or -1 */
int
fx_client_raw(const char *bytes)
{
	struct sockaddr_in	sin;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)fx_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return (-1);
	}
	ck_assert_int_eq(write(fd, bytes, strlen(bytes)),
	    (ssize_t)strlen(bytes));
	ck_assert_int_ne(fcntl(fd, F_SETFL, O_NONBLOCK), -1);
	return (fd);
}

/* fx_client_open - connect and send one request; the socket, or -1 */
int
fx_client_open(const char *method, const char *path, const char *headers)
{
	char	buf[1024];

	snprintf(buf, sizeof(buf), "%s %s HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\n%s\r\n", method, path,
	    headers != NULL ? headers : "");
	return (fx_client_raw(buf));
}

/* fx_client_done - read what there is; 1 once the server closed */
int
fx_client_done(void)
{
	ssize_t	n;

	while (!fx_cl_eof && fx_cl_len < sizeof(fx_cl_buf) - 1) {
		n = read(fx_cl_fd, fx_cl_buf + fx_cl_len,
		    sizeof(fx_cl_buf) - 1 - fx_cl_len);
		if (n > 0)
			fx_cl_len += (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			fx_cl_eof = 1;
		else
			break;
	}
	fx_cl_buf[fx_cl_len] = '\0';
	return (fx_cl_eof);
}

/* fx_client_wait - read the whole reply into fx_cl_buf; its status */
int
fx_client_wait(void)
{
	int	status = 0;

	fx_spin(fx_client_done, 3000);
	ck_assert_msg(fx_cl_eof, "no complete reply: %s", fx_cl_buf);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	sscanf(fx_cl_buf, "HTTP/1.1 %d", &status);
	return (status);
}

/* fx_client_start - open a client; reset the reply buffer */
void
fx_client_start(const char *method, const char *path, const char *headers)
{
	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_buf[0] = '\0';
	fx_cl_fd = fx_client_open(method, path, headers);
	ck_assert_int_ge(fx_cl_fd, 0);
}

/* fx_client_send - open a client sending a body (NULL: none) too */
void
fx_client_send(const char *method, const char *path, const char *headers,
    const char *body)
{
	char	buf[4096];

	snprintf(buf, sizeof(buf), "%s %s HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n%s\r\n%s", method, path,
	    body != NULL ? strlen(body) : 0, headers != NULL ? headers : "",
	    body != NULL ? body : "");
	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_buf[0] = '\0';
	fx_cl_fd = fx_client_raw(buf);
	ck_assert_int_ge(fx_cl_fd, 0);
}

/* fx_master_reply - the fake master answers the last request */
void
fx_master_reply(uint16_t type, const char *json)
{
	cJSON	*body = cJSON_Parse(json);

	ck_assert_ptr_nonnull(body);
	ck_assert_int_eq(chan_send_json(fx_master, type, PROC_HTTP, fx_req_id,
	    FRAME_F_REPLY, body), 0);
	cJSON_Delete(body);
}

/* fx_master_reply_to - answer the last request of type req (for /metrics) */
void
fx_master_reply_to(uint16_t req, uint16_t type, const char *json)
{
	cJSON	*body = cJSON_Parse(json);
	size_t	 i;

	for (i = 0; i < fx_ntypes && fx_type_of[i] != req; i++)
		;
	ck_assert_msg(i < fx_ntypes, "no request of type %u", req);
	ck_assert_ptr_nonnull(body);
	ck_assert_int_eq(chan_send_json(fx_master, type, PROC_HTTP,
	    fx_type_ids[i], FRAME_F_REPLY, body), 0);
	cJSON_Delete(body);
}

/* fx_master_reply_fd - answer the last request with json and fd (given) */
void
fx_master_reply_fd(uint16_t type, const char *json, int fd)
{
	struct frame_hdr	h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.flags = FRAME_F_REPLY;
	h.src = PROC_MASTER;
	h.dst = PROC_HTTP;
	h.id = fx_req_id;
	h.len = (uint32_t)strlen(json);
	ck_assert_int_eq(chan_send(fx_master, &h, json, fd), 0);
}

/* fx_master_has - has the fake master seen fx_want requests? */
static int
fx_master_has(void)
{
	return (fx_nreq >= fx_want);
}

/* fx_master_wait - run the loop until the master has seen n requests */
void
fx_master_wait(int n)
{
	fx_want = n;
	fx_spin(fx_master_has, 3000);
	ck_assert_msg(fx_nreq == n, "the master saw %d requests, want %d",
	    fx_nreq, n);
}

/* fx_reply_json - the body of the reply in fx_cl_buf; caller frees */
cJSON *
fx_reply_json(void)
{
	const char	*p;
	cJSON		*j;

	p = strstr(fx_cl_buf, "\r\n\r\n");
	ck_assert_msg(p != NULL, "no body in: %s", fx_cl_buf);
	j = cJSON_Parse(p + 4);
	ck_assert_msg(j != NULL, "body is not JSON: %s", p + 4);
	return (j);
}

/* fx_check_error - the reply in fx_cl_buf is a JSON error with code want */
void
fx_check_error(const char *want)
{
	cJSON		*j;
	const cJSON	*e, *code, *msg;

	j = fx_reply_json();
	e = cJSON_GetObjectItemCaseSensitive(j, "error");
	code = cJSON_GetObjectItemCaseSensitive(e, "code");
	msg = cJSON_GetObjectItemCaseSensitive(e, "message");
	ck_assert_msg(cJSON_IsString(code) && cJSON_IsString(msg),
	    "not a JSON error: %s", fx_cl_buf);
	ck_assert_msg(strcmp(code->valuestring, want) == 0,
	    "got error %s, want %s", code->valuestring, want);
	cJSON_Delete(j);
}

/* fx_has_header - does the reply in fx_cl_buf hold this text? */
int
fx_has_header(const char *line)
{
	return (strcasestr(fx_cl_buf, line) != NULL);
}

/* fx_exchange - one request the master need not see; the status */
int
fx_exchange(const char *method, const char *path, const char *headers)
{
	fx_client_start(method, path, headers);
	return (fx_client_wait());
}

/* fx_asked - one request the master answers with type and json; status */
int
fx_asked(const char *method, const char *path, uint16_t type, const char *json)
{
	int	seen = fx_nreq;

	fx_client_start(method, path, NULL);
	fx_spin(fx_master_saw, 3000);
	ck_assert_int_eq(fx_nreq, seen + 1);
	fx_master_reply(type, json);
	return (fx_client_wait());
}

/* fx_asked_by - one request for worker dst, answered with type and json */
int
fx_asked_by(uint8_t dst, const char *method, const char *path,
    const char *headers, const char *body, uint16_t type, const char *json)
{
	int	seen = fx_nreq;

	fx_client_send(method, path, headers, body);
	fx_master_wait(seen + 1);
	ck_assert_int_eq(fx_req_dst, dst);
	fx_master_reply(type, json);
	return (fx_client_wait());
}

/* fx_sent_json - the last request's payload equals want (JSON) */
void
fx_sent_json(const char *want)
{
	cJSON	*a, *b;

	ck_assert_msg((a = cJSON_Parse(fx_req_body)) != NULL, "sent: %s",
	    fx_req_body);
	ck_assert_ptr_nonnull(b = cJSON_Parse(want));
	ck_assert_msg(cJSON_Compare(a, b, 1), "sent %s, want %s", fx_req_body,
	    want);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* fx_error_field - the error's field in fx_cl_buf, or NULL; caller frees j */
const char *
fx_error_field(cJSON **j)
{
	const cJSON	*f;

	*j = fx_reply_json();
	f = cJSON_GetObjectItem(cJSON_GetObjectItem(*j, "error"), "field");
	return (cJSON_IsString(f) ? f->valuestring : NULL);
}

/* fx_exited - has the worker called worker_exit? */
int
fx_exited(void)
{
	return (fx_rt.exit_code != -1);
}

