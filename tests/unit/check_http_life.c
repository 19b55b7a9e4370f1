/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_life - lifetimes of the http worker's requests
 * SYNOPSIS
 *	Suite	*http_life_suite(void);
 * DESCRIPTION
 *	The cases http_call.c exists for: a client that goes away before
 *	the bus reply (answered later, or never), a channel that dies under
 *	a request, a bus request that times out, a keep-alive connection
 *	that closes after its calls are gone, HEAD answers without a body
 *	on a keep-alive connection, calls sharing one MSG_STATUS
 *	(answered, failed, malformed, the channel gone; one client leaving
 *	while it waits), and shutdown with nothing,
 *	something and something endless in flight. Under ASan or valgrind
 *	these are the worker's use-after-free and leak tests.
 */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "msg.h"
#include "worker.h"

#include "../../workers/http/http_server.h"

#include "http_fixture.h"

Suite	*http_life_suite(void);

/* test_client_gone - the client leaves before the bus reply */
START_TEST(test_client_gone)
{
	fx_start(NULL);
	fx_client_start("GET", "/v1/workers", NULL);
	fx_spin(fx_master_saw, 3000);
	ck_assert_int_eq(fx_nreq, 1);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	fx_spin(NULL, 50);
	fx_master_reply(MSG_STATUS, FX_STATUS_JSON);
	fx_spin(fx_calls_gone, 3000);
	ck_assert(fx_calls_gone());
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	fx_stop();
}
END_TEST

/* test_client_gone_no_reply - the client leaves, the reply never comes */
START_TEST(test_client_gone_no_reply)
{
	fx_start(NULL);
	fx_client_start("GET", "/v1/workers", NULL);
	fx_spin(fx_master_saw, 3000);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	fx_spin(NULL, 50);
	fx_stop();		/* ECANCELED, then fini */
}
END_TEST

/* test_channel_down - the channel dies under a request: 503, no hang */
START_TEST(test_channel_down)
{
	fx_start(NULL);
	fx_client_start("GET", "/v1/runtime", NULL);
	fx_spin(fx_master_saw, 3000);
	chan_free(fx_master);
	fx_master = NULL;
	ck_assert_int_eq(fx_client_wait(), 503);
	fx_check_error("unavailable");
	ck_assert_int_eq(fx_exchange("GET", "/v1/workers", NULL), 503);
	fx_check_error("unavailable");
	fx_stop();
}
END_TEST

/* test_bus_timeout - the master never answers: 504 after ~5 s */
START_TEST(test_bus_timeout)
{
	fx_start(NULL);
	fx_client_start("GET", "/v1/workers", NULL);
	fx_spin(fx_master_saw, 3000);
	fx_spin(fx_client_done, 8000);
	ck_assert_int_eq(fx_client_wait(), 504);
	fx_check_error("timeout");
	fx_stop();
}
END_TEST

/* got_two - have two whole /healthz-sized replies arrived? */
static int
got_two(void)
{
	const char	*p;

	fx_client_done();
	p = strstr(fx_cl_buf, "{\"status\":\"ok\"}");
	return (p != NULL && strstr(p + 1, "\"workers\"") != NULL);
}

/* test_keepalive - two requests on one connection, then the client goes */
START_TEST(test_keepalive)
{
	static const char	two[] =
	    "GET /v1/workers HTTP/1.1\r\nHost: t\r\n\r\n";

	fx_start(NULL);
	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_fd = fx_client_raw("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
	ck_assert_int_ge(fx_cl_fd, 0);
	fx_spin(fx_calls_gone, 1000);
	ck_assert_int_eq(write(fx_cl_fd, two, sizeof(two) - 1),
	    (ssize_t)sizeof(two) - 1);
	fx_spin(fx_master_saw, 3000);
	ck_assert_int_eq(fx_nreq, 1);
	fx_master_reply(MSG_STATUS, FX_STATUS_JSON);
	fx_spin(got_two, 3000);
	ck_assert_msg(got_two(), "two replies: %s", fx_cl_buf);
	ck_assert_int_eq(fx_cl_eof, 0);
	close(fx_cl_fd);	/* the connection is idle: evhttp sees EOF */
	fx_cl_fd = -1;
	fx_spin(NULL, 100);
	ck_assert(fx_calls_gone());
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	fx_stop();
}
END_TEST

/* test_head - answers to HEAD carry the GET answer's headers and no body,
 * so a keep-alive client reads the next answer where it starts */
START_TEST(test_head)
{
	const char	*p;

	fx_start(FX_TOKENS);
	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_fd = fx_client_raw("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
	    "HEAD /v1/runtime HTTP/1.1\r\nHost: t\r\n\r\n"
	    "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	ck_assert_int_ge(fx_cl_fd, 0);
	ck_assert_int_eq(fx_client_wait(), 200);
	/* 1: 200 and the length of {"status":"ok"}, then at once 2: 401 */
	ck_assert_ptr_nonnull(p = strstr(fx_cl_buf, "Content-Length: 15\r\n"));
	ck_assert_ptr_nonnull(p = strstr(p, "\r\n\r\n"));
	ck_assert_msg(strncmp(p + 4, "HTTP/1.1 401 ", 13) == 0,
	    "after the HEAD answer: %s", p + 4);
	ck_assert_ptr_nonnull(strstr(p, "Content-Length: "));
	ck_assert_ptr_nonnull(p = strstr(p + 4, "\r\n\r\n"));
	ck_assert_msg(strncmp(p + 4, "HTTP/1.1 200 ", 13) == 0,
	    "after the second HEAD answer: %s", p + 4);
	/* the one body is the GET's, at the end */
	ck_assert_ptr_nonnull(p = strstr(p, "{\"status\":\"ok\"}"));
	ck_assert_str_eq(p, "{\"status\":\"ok\"}");
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_shutdown_inflight - the request in flight finishes, then exit 0 */
START_TEST(test_shutdown_inflight)
{
	int	fd;

	fx_start(NULL);
	fx_client_start("GET", "/v1/workers", NULL);
	fx_spin(fx_master_saw, 3000);
	fx_rt.stopping = 1;
	http_server_shutdown(&fx_rt);
	fx_spin(NULL, 20);
	ck_assert_int_eq(fx_exited(), 0);
	fd = fx_client_open("GET", "/healthz", NULL);
	ck_assert_int_eq(fd, -1);
	fx_master_reply(MSG_STATUS, FX_STATUS_JSON);
	ck_assert_int_eq(fx_client_wait(), 200);
	ck_assert(fx_has_header("\r\nConnection: close\r\n"));
	fx_spin(fx_exited, 3000);
	ck_assert_int_eq(fx_rt.exit_code, WORKER_EXIT_OK);
	fx_stop();
}
END_TEST

/* test_shutdown_deadline - a request that never ends does not hold us */
START_TEST(test_shutdown_deadline)
{
	fx_start("{\"shutdown_timeout\":1}");
	fx_client_start("GET", "/v1/workers", NULL);
	fx_spin(fx_master_saw, 3000);
	fx_rt.stopping = 1;
	http_server_shutdown(&fx_rt);
	fx_spin(fx_exited, 3000);
	ck_assert_int_eq(fx_rt.exit_code, WORKER_EXIT_OK);
	fx_spin(fx_client_done, 1000);
	ck_assert(fx_cl_eof);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	fx_stop();		/* the bus request ends with ECANCELED */
}
END_TEST

/* test_shutdown_idle - nothing in flight: exit at once */
START_TEST(test_shutdown_idle)
{
	fx_start(NULL);
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	fx_spin(fx_calls_gone, 1000);
	http_server_shutdown(&fx_rt);
	fx_spin(fx_exited, 1000);
	ck_assert_int_eq(fx_rt.exit_code, WORKER_EXIT_OK);
	fx_stop();
}
END_TEST

/* the requests that share one status in test_status_shared */
static const struct share_case {
	const char	*path;
	int		 status;
	const char	*has;		/* in the body */
} share_cases[] = {
	{ "/v1/runtime", 200, "\"version\":\"9.9.9\",\"pid\":42" },
	{ "/v1/runtime", 200, "\"version\":\"9.9.9\",\"pid\":42" },
	{ "/v1/workers", 200, "{\"workers\":[{\"name\":\"http\"" },
	{ "/v1/workers/gpu", 200, "{\"name\":\"gpu\",\"enabled\":true" },
	{ "/v1/workers/nope", 404, "no worker named nope" },
	{ "/readyz", 503, "\"not_ready\":[\"gpu\"]" },
	{ "/v1/runtime", 200, "\"workers\":[{\"name\":\"http\"" },
};

#define NSHARE	((int)(sizeof(share_cases) / sizeof(share_cases[0])))

/* share_read - the whole reply on fd into fx_cl_buf; its status */
static int
share_read(int fd)
{
	fx_cl_fd = fd;
	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_buf[0] = '\0';
	return (fx_client_wait());
}

/* test_status_shared - calls waiting at once share one MSG_STATUS, each
 * answered as if alone; one whose client left is freed after the reply */
START_TEST(test_status_shared)
{
	int	fds[NSHARE], gone, i;
	char	first[2048];

	fx_start(NULL);
	for (i = 0; i < NSHARE; i++) {
		fds[i] = fx_client_open("GET", share_cases[i].path, NULL);
		ck_assert_int_ge(fds[i], 0);
		if (i == 0)
			fx_master_wait(1);
	}
	gone = fx_client_open("GET", "/v1/workers", NULL);
	ck_assert_int_ge(gone, 0);
	fx_spin(NULL, 200);
	close(gone);
	fx_spin(NULL, 50);
	ck_assert_int_eq(fx_nreq, 1);		/* one request for all */
	fx_master_reply(MSG_STATUS, FX_STATUS_JSON);
	first[0] = '\0';
	for (i = 0; i < NSHARE; i++) {
		ck_assert_int_eq(share_read(fds[i]), share_cases[i].status);
		ck_assert_msg(strstr(fx_cl_buf, share_cases[i].has) != NULL,
		    "%s: no %s in %s", share_cases[i].path,
		    share_cases[i].has, fx_cl_buf);
		/* the two /v1/runtime bodies are the same text */
		if (i == 0)
			snprintf(first, sizeof(first), "%s",
			    strstr(fx_cl_buf, "\r\n\r\n"));
		if (i == 1)
			ck_assert_str_eq(strstr(fx_cl_buf, "\r\n\r\n"),
			    first);
	}
	fx_spin(fx_calls_gone, 3000);
	ck_assert(fx_calls_gone());
	/* the batch is closed: the next call asks again */
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	ck_assert_int_eq(fx_nreq, 2);
	fx_stop();
}
END_TEST

/* test_status_shared_error - one failure answers every waiting call */
START_TEST(test_status_shared_error)
{
	int	fds[3], i;

	fx_start(NULL);
	for (i = 0; i < 3; i++) {
		fds[i] = fx_client_open("GET", i == 2 ? "/readyz" :
		    "/v1/runtime", NULL);
		ck_assert_int_ge(fds[i], 0);
		if (i == 0)
			fx_master_wait(1);
	}
	fx_spin(NULL, 100);
	ck_assert_int_eq(fx_nreq, 1);
	fx_master_reply(MSG_ERROR, "{\"code\":\"internal\","
	    "\"message\":\"no\"}");
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(share_read(fds[i]), 503);
		fx_check_error("unavailable");
	}
	/* a malformed reply, then the channel gone under a batch */
	for (i = 0; i < 2; i++) {
		fds[i] = fx_client_open("GET", "/v1/workers", NULL);
		ck_assert_int_ge(fds[i], 0);
		if (i == 0)
			fx_master_wait(2);
	}
	fx_spin(NULL, 100);
	fx_master_reply(MSG_STATUS, "[1,2]");
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(share_read(fds[i]), 502);
		fx_check_error("bad_gateway");
	}
	for (i = 0; i < 2; i++) {
		fds[i] = fx_client_open("GET", "/v1/runtime", NULL);
		ck_assert_int_ge(fds[i], 0);
		if (i == 0)
			fx_master_wait(3);
	}
	fx_spin(NULL, 100);
	chan_free(fx_master);
	fx_master = NULL;
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(share_read(fds[i]), 503);
		fx_check_error("unavailable");
	}
	fx_spin(fx_calls_gone, 3000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* http_life_suite - the suite check_main runs */
Suite *
http_life_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_life");
	tc = tcase_create("client");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_client_gone);
	tcase_add_test(tc, test_client_gone_no_reply);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_head);
	suite_add_tcase(s, tc);
	tc = tcase_create("bus");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_channel_down);
	tcase_add_test(tc, test_bus_timeout);
	tcase_add_test(tc, test_status_shared);
	tcase_add_test(tc, test_status_shared_error);
	suite_add_tcase(s, tc);
	tc = tcase_create("shutdown");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_shutdown_inflight);
	tcase_add_test(tc, test_shutdown_deadline);
	tcase_add_test(tc, test_shutdown_idle);
	suite_add_tcase(s, tc);
	return (s);
}
