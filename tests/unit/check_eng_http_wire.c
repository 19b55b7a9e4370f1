/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_http_wire - eng_http against a raw TCP server: what goes
 *	over the wire, and answers evhttp would never send
 * SYNOPSIS
 *	void	eng_http_wire_tcases(Suite *s);
 * DESCRIPTION
 *	Adds the "wire" test case to eng_http_suite (check_eng_http.c). A
 *	tiny server on 127.0.0.1 (an ephemeral port), run by the test's own
 *	loop, reads a request (its head and Content-Length bytes of body),
 *	keeps its bytes, and answers with canned bytes: at once or a few
 *	bytes per loop turn (1 ms apart), then closes or keeps the
 *	connection open, or never answers. The tests: the request's bytes
 *	(request line, Host, User-Agent, Accept, Content-Type,
 *	Content-Length, Connection: close, the body) for GET, POST and
 *	DELETE; answers a byte at a time (100 Continue, chunked with
 *	extensions and a trailer, streamed and collected); an answer
 *	complete by its Content-Length on a connection left open; HEAD;
 *	a body until the close; a server that closes mid-body, before
 *	answering, or answers garbage; one that never answers (timeout);
 *	connection refused on TCP and on a unix socket, a missing socket,
 *	each named in the message; "localhost" (from /etc/hosts); a name
 *	the name servers must answer (.invalid: never resolved), and
 *	lookups let go of while under way; bad URLs and methods.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <event2/event.h>

#include "eng_http.h"

#include "docker_fake.h"

void	eng_http_wire_tcases(Suite *);

/* the raw server */
struct wsrv {
	int		 lfd;		/* listening */
	int		 fd;		/* the connection, or -1 */
	unsigned	 port;
	struct event	*accept_ev;
	struct event	*read_ev;
	struct event	*tick;
	char		 req[8192];	/* what the client sent */
	size_t		 req_len;
	int		 nconn;
	int		 requested;	/* a whole request came */
	const char	*answer;	/* NULL: never answer */
	size_t		 answer_len;
	size_t		 sent;
	size_t		 piece;		/* bytes per turn; 0: all */
	int		 close_after;	/* close once all is sent */
};

/* what a done callback saw */
struct wres {
	int		 done;
	long		 status;
	int		 body_null;
	char		 body[4096];
	size_t		 body_len;
	char		 err[256];
	char		 apiver[32];
	char		 streamed[4096];
	size_t		 streamed_len;
	int		 data_calls;
};

static struct event_base	*wbase;
static struct eng_http		*wh;
static struct wsrv		 ws;

/* wsrv_close - close the connection */
static void
wsrv_close(void)
{
	if (ws.read_ev != NULL)
		event_free(ws.read_ev);
	ws.read_ev = NULL;
	if (ws.tick != NULL)
		evtimer_del(ws.tick);
	if (ws.fd != -1)
		close(ws.fd);
	ws.fd = -1;
}

/* wsrv_tick_cb - send the next piece of the answer */
static void
wsrv_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval	tv = { 0, 1000 };
	size_t		n = ws.answer_len - ws.sent;
	ssize_t		w;

	(void)fd;
	(void)what;
	(void)arg;
	if (ws.fd == -1)
		return;
	if (ws.piece > 0 && n > ws.piece)
		n = ws.piece;
	if ((w = write(ws.fd, ws.answer + ws.sent, n)) > 0)
		ws.sent += (size_t)w;
	if (ws.sent < ws.answer_len)
		evtimer_add(ws.tick, &tv);
	else if (ws.close_after)
		wsrv_close();
}

/* wsrv_complete - is the request in ws.req whole? */
static int
wsrv_complete(void)
{
	const char	*end, *cl;
	size_t		 want = 0;

	if ((end = strstr(ws.req, "\r\n\r\n")) == NULL)
		return (0);
	if ((cl = strstr(ws.req, "\r\nContent-Length: ")) != NULL && cl < end)
		want = strtoul(cl + 18, NULL, 10);
	return (ws.req_len >= (size_t)(end + 4 - ws.req) + want);
}

/* wsrv_read_cb - bytes of the request, or the client's close */
static void
wsrv_read_cb(evutil_socket_t fd, short what, void *arg)
{
	ssize_t	n;

	(void)what;
	(void)arg;
	n = read(fd, ws.req + ws.req_len, sizeof(ws.req) - 1 - ws.req_len);
	if (n <= 0) {
		wsrv_close();
		return;
	}
	ws.req_len += (size_t)n;
	ws.req[ws.req_len] = '\0';
	if (!ws.requested && wsrv_complete()) {
		ws.requested = 1;
		if (ws.answer != NULL)
			event_active(ws.tick, EV_TIMEOUT, 0);
	}
}

/* wsrv_accept_cb - a new connection: it replaces the last one */
static void
wsrv_accept_cb(evutil_socket_t fd, short what, void *arg)
{
	int	c;

	(void)what;
	(void)arg;
	if ((c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1)
		return;
	wsrv_close();
	ws.fd = c;
	ws.nconn++;
	ws.req_len = 0;
	ws.req[0] = '\0';
	ws.requested = 0;
	ws.sent = 0;
	ws.read_ev = event_new(wbase, c, EV_READ | EV_PERSIST, wsrv_read_cb,
	    NULL);
	event_add(ws.read_ev, NULL);
}

/* wsrv_bound - a TCP socket bound to 127.0.0.1 (any port); *port */
static int
wsrv_bound(unsigned *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return (fd);
}

/* wsrv_answer - what the server answers next, piece bytes at a time */
static void
wsrv_answer(const char *answer, size_t piece, int close_after)
{
	ws.answer = answer;
	ws.answer_len = answer != NULL ? strlen(answer) : 0;
	ws.piece = piece;
	ws.close_after = close_after;
}

/* setup - a loop, the fake Docker (for its socket paths), the server,
 * a client */
static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	wbase = event_base_new();
	ck_assert_ptr_nonnull(wbase);
	dfake_start(wbase);
	memset(&ws, 0, sizeof(ws));
	ws.fd = -1;
	ws.lfd = wsrv_bound(&ws.port);
	ck_assert_int_eq(listen(ws.lfd, 16), 0);
	ws.accept_ev = event_new(wbase, ws.lfd, EV_READ | EV_PERSIST,
	    wsrv_accept_cb, NULL);
	event_add(ws.accept_ev, NULL);
	ws.tick = evtimer_new(wbase, wsrv_tick_cb, NULL);
	wh = eng_http_new(wbase);
	ck_assert_ptr_nonnull(wh);
}

/* teardown - free it all */
static void
teardown(void)
{
	eng_http_free(wh);
	wsrv_close();
	event_free(ws.tick);
	event_free(ws.accept_ev);
	close(ws.lfd);
	dfake_stop();
	event_base_free(wbase);
}

/* wdata_cb - a piece of a streamed body */
static int
wdata_cb(const char *buf, size_t len, void *arg)
{
	struct wres	*r = arg;

	ck_assert_uint_lt(r->streamed_len + len, sizeof(r->streamed));
	memcpy(r->streamed + r->streamed_len, buf, len);
	r->streamed_len += len;
	r->data_calls++;
	return (0);
}

/* wdone_cb - note what eng_http said */
static void
wdone_cb(const struct eng_http_resp *hr, void *arg)
{
	struct wres	*r = arg;

	r->done++;
	r->status = hr->status;
	r->body_null = hr->body == NULL;
	r->body_len = hr->body_len;
	if (hr->body != NULL) {
		ck_assert_uint_lt(hr->body_len, sizeof(r->body));
		memcpy(r->body, hr->body, hr->body_len + 1);
	}
	snprintf(r->err, sizeof(r->err), "%s", hr->err != NULL ? hr->err : "");
	snprintf(r->apiver, sizeof(r->apiver), "%s",
	    hr->api_version != NULL ? hr->api_version : "");
}

/* wrun - one request to url, run to its end */
static void
wrun(const char *method, const char *url, const char *sock,
    const char *body, long ms, int stream, struct wres *r)
{
	struct eng_http_opts	o;

	memset(r, 0, sizeof(*r));
	memset(&o, 0, sizeof(o));
	o.method = method;
	o.url = url;
	o.unix_path = sock;
	o.body = body;
	o.body_len = body != NULL ? strlen(body) : 0;
	o.timeout_ms = ms;
	ck_assert_ptr_nonnull(eng_http_start(wh, &o, stream ? wdata_cb : NULL,
	    wdone_cb, r));
	dfake_spin(&r->done, 5000);
	ck_assert_int_eq(r->done, 1);
}

/* wurl - http://127.0.0.1:PORT + path */
static const char *
wurl(const char *path)
{
	static char	url[256];

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", ws.port, path);
	return (url);
}

/* has - is s in the request the server got? */
static void
has(const char *s)
{
	ck_assert_msg(strstr(ws.req, s) != NULL, "%s not in the request:\n%s",
	    s, ws.req);
}

START_TEST(test_request)
{
	struct wres	r;
	char		host[64];

	snprintf(host, sizeof(host), "\r\nHost: 127.0.0.1:%u\r\n", ws.port);
	wsrv_answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 0, 1);
	wrun("GET", wurl("/v1/models?a=1&b=%20#frag"), NULL, NULL, 5000, 0,
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "hi");
	ck_assert_str_eq(r.err, "");
	ck_assert_msg(strncmp(ws.req, "GET /v1/models?a=1&b=%20 HTTP/1.1\r\n",
	    35) == 0, "%s", ws.req);
	has(host);
	has("\r\nUser-Agent: corral/");
	has("\r\nAccept: */*\r\n");
	has("\r\nConnection: close\r\n\r\n");
	ck_assert_ptr_null(strstr(ws.req, "Content-"));
	/* a body: JSON with its length */
	wrun("POST", wurl("/api/pull"), NULL, "{\"a\":1}", 5000, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strncmp(ws.req, "POST /api/pull HTTP/1.1\r\n", 25) == 0,
	    "%s", ws.req);
	has("\r\nContent-Type: application/json\r\n");
	has("\r\nContent-Length: 7\r\n");
	ck_assert_str_eq(ws.req + ws.req_len - 11, "\r\n\r\n{\"a\":1}");
	/* no body: Content-Length 0, no Content-Type */
	wrun("DELETE", wurl("?force=1"), NULL, NULL, 5000, 0, &r);
	ck_assert_msg(strncmp(ws.req, "DELETE /?force=1 HTTP/1.1\r\n", 27) ==
	    0, "%s", ws.req);
	has("\r\nContent-Length: 0\r\n");
	ck_assert_ptr_null(strstr(ws.req, "Content-Type"));
	/* the Host header is the URL's, the socket the unix one */
	wrun(NULL, "http://docker/_ping", dfake.sock, NULL, 5000, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(dfake.method, "GET");
	ck_assert_int_eq(ws.nconn, 3);
}
END_TEST

START_TEST(test_pieces)
{
	static const char	*chunked = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\naPI-vERSION: 1.44\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n6;x=y\r\nhello \r\n5\r\nworld\r\n0\r\nT: 1\r\n\r\n";
	struct wres		 r;

	/* a byte at a time, streamed, the connection left open */
	wsrv_answer(chunked, 1, 0);
	wrun("GET", wurl("/logs"), NULL, NULL, 10000, 1, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq(r.body_null, 1);
	ck_assert_uint_eq(r.streamed_len, 11);
	ck_assert(memcmp(r.streamed, "hello world", 11) == 0);
	ck_assert_int_ge(r.data_calls, 2);
	ck_assert_str_eq(r.apiver, "1.44");
	ck_assert_uint_eq(ws.sent, strlen(chunked));
	/* a byte at a time, collected */
	wsrv_answer(chunked, 1, 1);
	wrun("GET", wurl("/x"), NULL, NULL, 10000, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "hello world");
	ck_assert_uint_eq(r.body_len, 11);
	/* three bytes at a time, a 404 with a data callback: collected */
	wsrv_answer("HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\n\r\n"
	    "{\"message\":1}", 3, 0);
	wrun("GET", wurl("/x"), NULL, NULL, 10000, 1, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(r.body, "{\"message\":1}");
	ck_assert_int_eq(r.data_calls, 0);
	/* HEAD: no body, whatever Content-Length says; left open */
	wsrv_answer("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 0, 0);
	wrun("HEAD", wurl("/_ping"), NULL, NULL, 5000, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.err, "");
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_ptr_null(strstr(ws.req, "Content-Length"));
	/* a body until the close */
	wsrv_answer("HTTP/1.0 200 OK\r\n\r\nuntil the end", 4, 1);
	wrun("GET", wurl("/"), NULL, NULL, 5000, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "until the end");
}
END_TEST

START_TEST(test_broken)
{
	struct wres	r;
	char		want[256];

	/* closed mid-body */
	wsrv_answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789",
	    0, 1);
	wrun("GET", wurl("/"), NULL, NULL, 5000, 0, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(r.body_null, 1);
	snprintf(want, sizeof(want), "answer from 127.0.0.1:%u: the connection "
	    "closed with 90 of 100 body bytes still to come", ws.port);
	ck_assert_str_eq(r.err, want);
	/* closed mid-chunk, streamed: what came went to data */
	wsrv_answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "a\r\n01234", 2, 1);
	wrun("GET", wurl("/"), NULL, NULL, 5000, 1, &r);
	ck_assert_msg(strstr(r.err, "inside the chunked body") != NULL, "%s",
	    r.err);
	ck_assert_uint_eq(r.streamed_len, 5);
	/* closed without a word */
	wsrv_answer("", 0, 1);
	wrun("GET", wurl("/"), NULL, NULL, 5000, 0, &r);
	snprintf(want, sizeof(want), "answer from 127.0.0.1:%u: the connection "
	    "closed without an answer", ws.port);
	ck_assert_str_eq(r.err, want);
	/* garbage */
	wsrv_answer("SSH-2.0-OpenSSH_9.2\r\n", 0, 0);
	wrun("GET", wurl("/"), NULL, NULL, 5000, 0, &r);
	snprintf(want, sizeof(want), "answer from 127.0.0.1:%u: bad status "
	    "line", ws.port);
	ck_assert_str_eq(r.err, want);
	wsrv_answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2"
	    "\r\n\r\nab", 0, 0);
	wrun("GET", wurl("/"), NULL, NULL, 5000, 0, &r);
	ck_assert_msg(strstr(r.err, "conflicting Content-Length") != NULL,
	    "%s", r.err);
	/* never answered */
	wsrv_answer(NULL, 0, 0);
	wrun("GET", wurl("/"), NULL, NULL, 300, 0, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "timed out after 300 ms");
	ck_assert_int_eq(ws.requested, 1);
	/* the client let go of the connection */
	dfake_spin(NULL, 100);
	ck_assert_int_eq(ws.fd, -1);
}
END_TEST

START_TEST(test_connect)
{
	struct wres	r;
	char		url[64], want[256];
	unsigned	port;
	int		fd;

	/* refused on TCP: a bound port nobody listens on */
	fd = wsrv_bound(&port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", port);
	wrun("GET", url, NULL, NULL, 5000, 0, &r);
	snprintf(want, sizeof(want), "connect 127.0.0.1:%u: Connection "
	    "refused", port);
	ck_assert_str_eq(r.err, want);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(r.body_null, 1);
	close(fd);
	/* refused on a unix socket, and no socket at all */
	wrun("GET", "http://docker/_ping", dfake.refused, NULL, 5000, 0, &r);
	snprintf(want, sizeof(want), "connect %s: Connection refused",
	    dfake.refused);
	ck_assert_str_eq(r.err, want);
	wrun("GET", "http://docker/_ping", dfake.missing, NULL, 5000, 0, &r);
	snprintf(want, sizeof(want), "connect %s: No such file or directory",
	    dfake.missing);
	ck_assert_str_eq(r.err, want);
	/* a name, from /etc/hosts */
	wsrv_answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, 1);
	snprintf(url, sizeof(url), "http://localhost:%u/", ws.port);
	wrun("GET", url, NULL, NULL, 5000, 0, &r);
	ck_assert_msg(r.status == 200, "%s", r.err);
	ck_assert_str_eq(r.body, "ok");
	snprintf(want, sizeof(want), "\r\nHost: localhost:%u\r\n", ws.port);
	has(want);
	/* a numeric IPv6 host: refused or unreachable, never a lookup */
	wrun("GET", "http://[::1]:1/", NULL, NULL, 5000, 0, &r);
	ck_assert_msg(strncmp(r.err, "connect [::1]:1: ", 17) == 0, "%s",
	    r.err);
}
END_TEST

START_TEST(test_lookup)
{
	struct eng_http_req	*req;
	struct eng_http_opts	 o;
	struct wres		 r, r2, r3;
	int			 done, done3;

	/* a name not in /etc/hosts goes to the name servers: .invalid never
	 * resolves; without a reachable server it times out */
	wrun("GET", "http://corral-test.invalid:1/", NULL, NULL, 2000, 0, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strncmp(r.err, "cannot resolve corral-test.invalid: ",
	    36) == 0 || strcmp(r.err, "timed out after 2000 ms") == 0, "%s",
	    r.err);
	/* let go of while the lookup runs: cancelled, then the client freed
	 * (ASan and valgrind see the rest). Without a name server a lookup
	 * may fail, and its done run, within the first pass of the loop;
	 * a request whose done ran is not the caller's to cancel. */
	memset(&o, 0, sizeof(o));
	o.url = "http://corral-test.invalid:1/";
	memset(&r2, 0, sizeof(r2));
	req = eng_http_start(wh, &o, NULL, wdone_cb, &r2);
	ck_assert_ptr_nonnull(req);
	event_base_loop(wbase, EVLOOP_NONBLOCK);
	done = r2.done;
	if (done == 0)
		eng_http_cancel(req);
	memset(&r3, 0, sizeof(r3));
	ck_assert_ptr_nonnull(eng_http_start(wh, &o, NULL, wdone_cb, &r3));
	event_base_loop(wbase, EVLOOP_NONBLOCK);
	done3 = r3.done;
	eng_http_free(wh);
	wh = eng_http_new(wbase);
	dfake_spin(NULL, 300);
	/* neither the cancel nor the free added a done */
	ck_assert_int_eq(r2.done, done);
	ck_assert_int_eq(r3.done, done3);
	ck_assert_int_le(done + done3, 2);
}
END_TEST

START_TEST(test_bad_url)
{
	static const struct {
		const char	*method, *url, *want;
	} t[] = {
		{ "GET", "https://docker/_ping", "unsupported URL scheme "
		    "'https' in https://docker/_ping (only http:// is)" },
		{ "GET", "ftp://x/", "unsupported URL scheme 'ftp'" },
		{ "GET", "docker/_ping", "bad URL docker/_ping: not http://" },
		{ "GET", "http:///x", "bad URL http:///x: no host" },
		{ "GET", "http://a@b/", "user info is not supported" },
		{ "GET", "http://a b/", "bad character in the host" },
		{ "GET", "http://a/b c", "bad character in the path" },
		{ "GET", "http://a/b\r\nX: y", "bad character in the path" },
		{ "GET", "http://a:99999/", "bad port" },
		{ "GET", "http://a:/", "bad port" },
		{ "GET", "http://a:8x/", "bad port" },
		{ "GET", "http://[::1/", "no ']'" },
		{ "GET", "http://[::1]x/", "bad port" },
		{ "GET", "http://[zz]:80/", "bad IPv6 address" },
		{ "G T", "http://a/", "bad method 'G T'" },
		{ "", "http://a/", "bad method ''" },
	};
	struct wres	r;
	size_t		i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		wrun(t[i].method, t[i].url, NULL, NULL, 5000, 0, &r);
		ck_assert_int_eq(r.status, 0);
		ck_assert_msg(strstr(r.err, t[i].want) != NULL, "%s: got %s, "
		    "want %s", t[i].url, r.err, t[i].want);
	}
	ck_assert_int_eq(ws.nconn, 0);
}
END_TEST

/* eng_http_wire_tcases - add the wire test case to s */
void
eng_http_wire_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("wire");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_request);
	tcase_add_test(tc, test_pieces);
	tcase_add_test(tc, test_broken);
	tcase_add_test(tc, test_connect);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_bad_url);
	suite_add_tcase(s, tc);
}
