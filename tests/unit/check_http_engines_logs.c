/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_engines_logs - the followed log stream on the real server
 * SYNOPSIS
 *	void	http_engines_logs_tcases(Suite *s);
 * DESCRIPTION
 *	GET /v1/engines/{name}/logs?follow=1 with the fake master of
 *	http_fixture.c playing the engines worker: it answers with one end
 *	of a socketpair (FRAME_F_FD) and the test writes the log on the
 *	other end, the "peer". Checked: the client gets each piece as a
 *	chunk as soon as it is written, and the end of the reply when the
 *	peer closes; the server's end of the socketpair is closed (the
 *	peer reads EOF) and every call freed on every path: the client
 *	leaving mid-stream, before the stream starts, after the bus
 *	timeout; an error reply carrying a descriptor; a reply that should
 *	carry one and does not; shutdown; the worker freeing its server
 *	with a stream open; an HTTP/1.0 client. A client
 *	that does not read makes the server stop reading the peer (its
 *	writes block) rather than buffer without bound, and gets
 *	everything once it reads again. Under valgrind or ASan these are
 *	the stream's leak and use-after-free tests.
 *	http_engines_suite() in check_http_engines.c adds these cases.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "../../workers/http/http_server.h"

#include "http_fixture.h"

void	http_engines_logs_tcases(Suite *);

#define T_FOLLOW	"{\"name\":\"e\",\"follow\":true}"
#define T_FILL_MAX	(64 * 1024 * 1024)	/* the most the peer writes */
#define T_FILL_BOUND	(48 * 1024 * 1024)	/* what the server may hold */

static int	t_peer = -1;		/* the engines worker's end */
static size_t	t_filled;		/* bytes the peer wrote */
static int	t_stalls;		/* turns the peer could not write */
static const char *t_want;		/* text t_got waits for */

/* t_has_head - has the client got the reply's headers? */
static int
t_has_head(void)
{
	fx_client_done();
	return (strstr(fx_cl_buf, "\r\n\r\n") != NULL);
}

/* t_peer_closed - has the server closed its end of the socketpair? */
static int
t_peer_closed(void)
{
	char	buf[256];
	ssize_t	n;

	n = recv(t_peer, buf, sizeof(buf), MSG_DONTWAIT);
	return (n == 0 || (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR));
}

/* t_check_peer_closed - wait for it, then close the peer */
static void
t_check_peer_closed(void)
{
	fx_spin(t_peer_closed, 3000);
	ck_assert_msg(t_peer_closed(), "the server kept its end open");
	close(t_peer);
	t_peer = -1;
}

/* t_follow - GET ...?follow=1, answered with a socketpair; the peer */
static int
t_follow(const char *request, int want_head)
{
	int	sv[2], seen = fx_nreq;

	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_buf[0] = '\0';
	ck_assert_int_ge(fx_cl_fd = fx_client_raw(request), 0);
	fx_master_wait(seen + 1);
	ck_assert_int_eq(fx_req_dst, PROC_ENGINES);
	ck_assert_int_eq(fx_req_type, MSG_ENGINE_LOGS);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fx_master_reply_fd(MSG_ENGINE_LOGS, T_FOLLOW, sv[0]);
	t_peer = sv[1];
	if (want_head) {
		fx_spin(t_has_head, 3000);
		ck_assert_msg(t_has_head(), "no headers: %s", fx_cl_buf);
	}
	return (t_peer);
}

/* t_follow_get - the usual followed request */
static int
t_follow_get(void)
{
	return (t_follow("GET /v1/engines/e/logs?follow=1&tail=5 HTTP/1.1\r\n"
	    "Host: t\r\nConnection: close\r\n\r\n", 1));
}

/* t_write - the peer writes s whole */
static void
t_write(const char *s)
{
	ck_assert_int_eq(write(t_peer, s, strlen(s)), (ssize_t)strlen(s));
}

/* t_dechunk - the decoded chunked body of fx_cl_buf; 1 if it ended */
static int
t_dechunk(char *out, size_t len)
{
	const char	*p;
	char		*end;
	size_t		 used = 0;
	unsigned long	 n;

	out[0] = '\0';
	if ((p = strstr(fx_cl_buf, "\r\n\r\n")) == NULL)
		return (0);
	for (p += 4; *p != '\0'; p += n + 2) {
		n = strtoul(p, &end, 16);
		if (end == p || strncmp(end, "\r\n", 2) != 0)
			return (0);
		if (n == 0)
			return (strcmp(end, "\r\n\r\n") == 0);
		p = end + 2;
		if (strlen(p) < n + 2 || used + n >= len)
			return (0);
		memcpy(out + used, p, n);
		out[used += n] = '\0';
	}
	return (0);
}

/* t_got - has the client got t_want (decoded) yet? */
static int
t_got(void)
{
	char	body[4096];

	fx_client_done();
	t_dechunk(body, sizeof(body));
	return (strstr(body, t_want) != NULL);
}

/* test_follow - pieces as chunks as they come, then the end */
START_TEST(test_follow)
{
	char	body[4096];

	fx_start(NULL);
	t_follow_get();
	ck_assert_str_eq(fx_req_body,
	    "{\"name\":\"e\",\"tail\":5,\"follow\":true}");
	ck_assert(fx_has_header("HTTP/1.1 200 OK\r\n"));
	ck_assert(fx_has_header("\r\nTransfer-Encoding: chunked\r\n"));
	ck_assert(fx_has_header("\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\n"));
	t_write("line 1\n");
	t_want = "line 1\n";
	fx_spin(t_got, 3000);
	ck_assert_msg(t_got(), "not streamed: %s", fx_cl_buf);
	ck_assert_int_eq(fx_cl_eof, 0);
	t_write("line 2\nline 3\n");
	t_want = "line 3\n";
	fx_spin(t_got, 3000);
	ck_assert_msg(t_got(), "not streamed: %s", fx_cl_buf);
	close(t_peer);
	t_peer = -1;
	fx_client_wait();
	ck_assert_msg(t_dechunk(body, sizeof(body)), "no end: %s", fx_cl_buf);
	ck_assert_str_eq(body, "line 1\nline 2\nline 3\n");
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	fx_stop();
}
END_TEST

/* test_follow_gone - the client leaves mid-stream: fd closed, all freed */
START_TEST(test_follow_gone)
{
	fx_start(NULL);
	t_follow_get();
	t_write("first\n");
	t_want = "first\n";
	fx_spin(t_got, 3000);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	t_check_peer_closed();
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_follow_gone_early - the client left before the reply came */
START_TEST(test_follow_gone_early)
{
	int	sv[2], seen;

	fx_start(NULL);
	seen = fx_nreq;
	fx_client_start("GET", "/v1/engines/e/logs?follow=true", NULL);
	fx_master_wait(seen + 1);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	fx_spin(NULL, 50);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fx_master_reply_fd(MSG_ENGINE_LOGS, T_FOLLOW, sv[0]);
	t_peer = sv[1];
	t_write("nobody reads this\n");
	t_check_peer_closed();
	fx_spin(fx_calls_gone, 3000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_follow_late - the reply comes after the 504: the channel closes it */
START_TEST(test_follow_late)
{
	int	sv[2];

	fx_start(NULL);
	fx_client_start("GET", "/v1/engines/e/logs?follow=1", NULL);
	fx_master_wait(1);
	fx_spin(fx_client_done, 8000);
	ck_assert_int_eq(fx_client_wait(), 504);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fx_master_reply_fd(MSG_ENGINE_LOGS, T_FOLLOW, sv[0]);
	t_peer = sv[1];
	t_check_peer_closed();
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_follow_bad - an error with a descriptor; a follow without one */
START_TEST(test_follow_bad)
{
	int	sv[2], seen;

	fx_start(NULL);
	seen = fx_nreq;
	fx_client_start("GET", "/v1/engines/e/logs?follow=1", NULL);
	fx_master_wait(seen + 1);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fx_master_reply_fd(MSG_ERROR, "{\"code\":\"not_found\",\"message\":"
	    "\"no engine named e\"}", sv[0]);
	t_peer = sv[1];
	ck_assert_int_eq(fx_client_wait(), 404);
	fx_check_error("not_found");
	t_check_peer_closed();

	/* no descriptor: 502 */
	fx_client_start("GET", "/v1/engines/e/logs?follow=1", NULL);
	fx_master_wait(seen + 2);
	fx_master_reply(MSG_ENGINE_LOGS, T_FOLLOW);
	ck_assert_int_eq(fx_client_wait(), 502);
	fx_check_error("bad_gateway");

	/* a descriptor nobody asked for is closed; the text goes out */
	fx_client_start("GET", "/v1/engines/e/logs", NULL);
	fx_master_wait(seen + 3);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fx_master_reply_fd(MSG_ENGINE_LOGS, "{\"text\":\"t\\n\"}", sv[0]);
	t_peer = sv[1];
	ck_assert_int_eq(fx_client_wait(), 200);
	t_check_peer_closed();
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_follow_stop - shutdown ends the stream as the log's end would */
START_TEST(test_follow_stop)
{
	char	body[4096];

	fx_start(NULL);
	t_follow_get();
	t_write("before\n");
	t_want = "before\n";
	fx_spin(t_got, 3000);
	fx_rt.stopping = 1;
	http_server_shutdown(&fx_rt);
	fx_spin(fx_exited, 3000);
	ck_assert_int_eq(fx_rt.exit_code, WORKER_EXIT_OK);
	fx_client_wait();
	ck_assert_msg(t_dechunk(body, sizeof(body)), "no end: %s", fx_cl_buf);
	ck_assert_str_eq(body, "before\n");
	t_check_peer_closed();
	fx_stop();
}
END_TEST

/* test_follow_fini - the worker ends with a stream open: nothing left */
START_TEST(test_follow_fini)
{
	fx_start(NULL);
	t_follow_get();
	t_write("last words\n");
	t_want = "last words\n";
	fx_spin(t_got, 3000);
	fx_stop();		/* evhttp_free: the connection goes */
	ck_assert(t_peer_closed());
	close(t_peer);
	t_peer = -1;
	close(fx_cl_fd);
	fx_cl_fd = -1;
}
END_TEST

/* test_follow_http10 - an HTTP/1.0 client: the bytes, then the close */
START_TEST(test_follow_http10)
{
	const char	*p;

	fx_start(NULL);
	t_follow("GET /v1/engines/e/logs?follow=1 HTTP/1.0\r\n\r\n", 1);
	ck_assert(!fx_has_header("Transfer-Encoding"));
	t_write("old\n");
	close(t_peer);
	t_peer = -1;
	fx_client_wait();
	p = strstr(fx_cl_buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p + 4, "old\n");
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* t_fill - the peer writes what it can; 1 once it has been held back */
static int
t_fill(void)
{
	static char	buf[64 * 1024];
	ssize_t		n;

	memset(buf, 'x', sizeof(buf));
	n = write(t_peer, buf, sizeof(buf));
	if (n > 0) {
		t_filled += (size_t)n;
		t_stalls = 0;
	} else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		t_stalls++;
	else
		ck_abort_msg("peer write: %s", strerror(errno));
	return (t_stalls >= 200 || t_filled >= T_FILL_MAX);
}

/* test_follow_slow - a client that does not read holds the peer back */
START_TEST(test_follow_slow)
{
	struct pollfd	 pfd;
	static char	 buf[64 * 1024];
	size_t		 got = 0, i;
	ssize_t		 n;
	char		 tail[6] = "";
	const char	*p;

	fx_start(NULL);
	t_follow_get();
	p = strstr(fx_cl_buf, "\r\n\r\n") + 4;
	ck_assert_str_eq(p, "");
	ck_assert_int_ne(fcntl(t_peer, F_SETFL, O_NONBLOCK), -1);
	t_filled = 0;
	t_stalls = 0;
	fx_spin(t_fill, 20000);
	ck_assert_msg(t_stalls >= 200 && t_filled < T_FILL_BOUND,
	    "the peer wrote %zu bytes without being held back", t_filled);
	close(t_peer);
	t_peer = -1;

	/* now read it all: every byte, then the end of the reply */
	for (;;) {
		fx_spin(NULL, 1);
		pfd.fd = fx_cl_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1) == 0)
			continue;
		if ((n = read(fx_cl_fd, buf, sizeof(buf))) <= 0)
			break;
		for (i = 0; i < (size_t)n; i++)
			got += buf[i] == 'x';
		if (n >= 5)
			memcpy(tail, buf + n - 5, 5);
		else {
			memmove(tail, tail + n, 5 - (size_t)n);
			memcpy(tail + 5 - n, buf, (size_t)n);
		}
		tail[5] = '\0';
	}
	close(fx_cl_fd);
	fx_cl_fd = -1;
	ck_assert_uint_eq(got, t_filled);
	ck_assert_str_eq(tail, "0\r\n\r\n");
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* http_engines_logs_tcases - add the followed-log cases to s */
void
http_engines_logs_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("follow");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_follow);
	tcase_add_test(tc, test_follow_gone);
	tcase_add_test(tc, test_follow_gone_early);
	tcase_add_test(tc, test_follow_late);
	tcase_add_test(tc, test_follow_bad);
	tcase_add_test(tc, test_follow_stop);
	tcase_add_test(tc, test_follow_fini);
	tcase_add_test(tc, test_follow_http10);
	tcase_add_test(tc, test_follow_slow);
	suite_add_tcase(s, tc);
}
