/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_api - unit tests for the http worker's routing and life
 * SYNOPSIS
 *	Suite	*http_api_suite(void);
 * DESCRIPTION
 *	"route" drives http_route_find over the real route table (status,
 *	matched pattern, {name}, the second segment {tool}, Allow) and a
 *	table of its own (two segments, never three); "allow" and "method" the helpers;
 *	"listen" http_listen_parse and the exit codes of http_listen_open.
 *	check_http_server.c runs the server itself.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <event2/http.h>

#include "worker.h"

#include "../../workers/http/http_api.h"
#include "../../workers/http/http_listen.h"
#include "../../workers/http/http_route.h"

Suite	*http_api_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define LONG63	"abcdefghijabcdefghijabcdefghij" \
	"abcdefghijabcdefghijabcdefghij123"

static const struct route_case {
	int		 method;
	const char	*path;
	int		 want;		/* 0, 404 or 405 */
	const char	*pattern;	/* of the match, if 0 */
	const char	*arg;
	const char	*allow;		/* if 405 */
} route_cases[] = {
	{ EVHTTP_REQ_GET, "/healthz", 0, "/healthz", "", NULL },
	{ EVHTTP_REQ_HEAD, "/healthz", 0, "/healthz", "", NULL },
	{ EVHTTP_REQ_POST, "/healthz", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/readyz", 0, "/readyz", "", NULL },
	{ EVHTTP_REQ_OPTIONS, "/readyz", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/runtime", 0, "/v1/runtime", "", NULL },
	{ EVHTTP_REQ_GET, "/v1/workers", 0, "/v1/workers", "", NULL },
	{ EVHTTP_REQ_DELETE, "/v1/workers", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/workers/http", 0, "/v1/workers/{name}",
	    "http", NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/a.b-c_D9", 0, "/v1/workers/{name}",
	    "a.b-c_D9", NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/" LONG63, 0, "/v1/workers/{name}",
	    LONG63, NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/" LONG63 "4", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/workers/http", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_POST, "/v1/workers/http/restart", 0,
	    "/v1/workers/{name}/restart", "http", NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/http/restart", 405, NULL, NULL,
	    "POST" },
	{ EVHTTP_REQ_PUT, "/v1/workers/http/restart", 405, NULL, NULL,
	    "POST" },
	{ EVHTTP_REQ_GET, "/v1/workers/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/http/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/workers//restart", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/.hidden", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/..", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/a%2Fb", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/workers/a b", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1//workers", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/workersx", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, NULL, 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/HEALTHZ", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/healthz/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/secrets", 0, "/v1/secrets", "", NULL },
	{ EVHTTP_REQ_HEAD, "/v1/secrets", 0, "/v1/secrets", "", NULL },
	{ EVHTTP_REQ_PUT, "/v1/secrets", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_PUT, "/v1/secrets/openai.prod", 0, "/v1/secrets/{name}",
	    "openai.prod", NULL },
	{ EVHTTP_REQ_DELETE, "/v1/secrets/openai.prod", 0,
	    "/v1/secrets/{name}", "openai.prod", NULL },
	{ EVHTTP_REQ_GET, "/v1/secrets/openai.prod", 405, NULL, NULL,
	    "PUT, DELETE" },
	{ EVHTTP_REQ_PUT, "/v1/secrets/" LONG63 LONG63 "ab", 0,
	    "/v1/secrets/{name}", LONG63 LONG63 "ab", NULL },
	{ EVHTTP_REQ_PUT, "/v1/secrets/" LONG63 LONG63 "abc", 404, NULL, NULL,
	    NULL },
	{ EVHTTP_REQ_PUT, "/v1/secrets/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_PUT, "/v1/secrets/.x", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/routes", 0, "/v1/routes", "", NULL },
	{ EVHTTP_REQ_DELETE, "/v1/routes", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/routes/x", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/gpus", 0, "/v1/gpus", "", NULL },
	{ EVHTTP_REQ_HEAD, "/v1/gpus", 0, "/v1/gpus", "", NULL },
	{ EVHTTP_REQ_POST, "/v1/gpus", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/gpus/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/gpus/0", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/gpus/history", 0, "/v1/gpus/history", "",
	    NULL },
	{ EVHTTP_REQ_DELETE, "/v1/gpus/history", 405, NULL, NULL,
	    "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/engines", 0, "/v1/engines", "", NULL },
	{ EVHTTP_REQ_POST, "/v1/engines", 0, "/v1/engines", "", NULL },
	{ EVHTTP_REQ_PUT, "/v1/engines", 405, NULL, NULL, "GET, HEAD, POST" },
	{ EVHTTP_REQ_GET, "/v1/engines/qwen-2.5_7b", 0, "/v1/engines/{name}",
	    "qwen-2.5_7b", NULL },
	{ EVHTTP_REQ_DELETE, "/v1/engines/qwen", 0, "/v1/engines/{name}",
	    "qwen", NULL },
	{ EVHTTP_REQ_POST, "/v1/engines/qwen", 405, NULL, NULL,
	    "GET, HEAD, DELETE" },
	{ EVHTTP_REQ_GET, "/v1/engines/" LONG63, 0, "/v1/engines/{name}",
	    LONG63, NULL },
	{ EVHTTP_REQ_GET, "/v1/engines/" LONG63 "4", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/engines/.q", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/engines/qwen/logs", 0,
	    "/v1/engines/{name}/logs", "qwen", NULL },
	{ EVHTTP_REQ_DELETE, "/v1/engines/qwen/logs", 405, NULL, NULL,
	    "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/engines/qwen/logs/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/engines//logs", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers", 0, "/v1/mcp/servers", "", NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/everything", 404, NULL, NULL,
	    NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/every.thing-1_x/tools", 0,
	    "/v1/mcp/servers/{name}/tools", "every.thing-1_x", NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/" LONG63 "4/tools", 0,
	    "/v1/mcp/servers/{name}/tools", LONG63 "4", NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/" LONG63 "45/tools", 404, NULL,
	    NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/.x/tools", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools", 405, NULL, NULL,
	    "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/e/tools/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/e/tools/echo", 404, NULL, NULL,
	    NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/echo/call", 0,
	    "/v1/mcp/servers/{name}/tools/{tool}/call", "e", NULL },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/e/tools/echo/call", 405, NULL,
	    NULL, "POST" },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/echo/call/", 404, NULL,
	    NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools//call", 404, NULL, NULL,
	    NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers//tools/echo/call", 404, NULL,
	    NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/.echo/call", 404, NULL,
	    NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/a%2Fb/call", 404, NULL,
	    NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/a b/call", 404, NULL,
	    NULL, NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/" LONG63 LONG63 "ab/call",
	    0, "/v1/mcp/servers/{name}/tools/{tool}/call", "e", NULL },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/e/tools/" LONG63 LONG63 "abc/call",
	    404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/metrics", 0, "/metrics", "", NULL },
	{ EVHTTP_REQ_PUT, "/metrics", 405, NULL, NULL, "GET, HEAD" },
	{ EVHTTP_REQ_GET, "/metrics/", 404, NULL, NULL, NULL },
	{ EVHTTP_REQ_GET, "/v1/metrics", 404, NULL, NULL, NULL },
};

/* test_route - http_route_find over route_cases and the real table */
START_TEST(test_route)
{
	const struct route_case	*c = &route_cases[_i];
	const struct http_route	*tab;
	struct http_match	 m;
	char			 allow[64];
	size_t			 n;
	int			 got;

	tab = http_api_routes(&n);
	got = http_route_find(tab, n, c->method, c->path, &m);
	ck_assert_msg(got == c->want, "case %d %s: got %d, want %d", _i,
	    c->path != NULL ? c->path : "(null)", got, c->want);
	if (got == 0) {
		ck_assert_ptr_nonnull(m.route);
		ck_assert_str_eq(m.route->pattern, c->pattern);
		ck_assert_str_eq(m.arg, c->arg);
		ck_assert_ptr_nonnull(m.route->fn);
	} else
		ck_assert_ptr_null(m.route);
	if (got == 405) {
		http_route_allow(m.allow, allow, sizeof(allow));
		ck_assert_msg(strcmp(allow, c->allow) == 0,
		    "case %d: got Allow %s, want %s", _i, allow, c->allow);
	}
}
END_TEST

static const struct arg2_case {
	const char	*path;
	const char	*arg;
	const char	*arg2;
} arg2_cases[] = {
	{ "/v1/mcp/servers/e/tools/echo/call", "e", "echo" },
	{ "/v1/mcp/servers/every.thing/tools/get-sum_2.x/call", "every.thing",
	    "get-sum_2.x" },
	{ "/v1/mcp/servers/e/tools/" LONG63 LONG63 "ab/call", "e",
	    LONG63 LONG63 "ab" },
	{ "/v1/mcp/servers/" LONG63 LONG63 "ab/tools/-t/call",
	    LONG63 LONG63 "ab", "-t" },
	{ "/v1/mcp/servers/e/tools", "e", "" },
	{ "/v1/workers/http/restart", "http", "" },
};

/* test_route_arg2 - the second {...} segment goes to m.arg2 */
START_TEST(test_route_arg2)
{
	const struct arg2_case	*c = &arg2_cases[_i];
	const struct http_route	*tab;
	struct http_match	 m;
	size_t			 n;
	int			 got;

	tab = http_api_routes(&n);
	got = http_route_find(tab, n, strstr(c->path, "/tools") != NULL &&
	    strstr(c->path, "/call") == NULL ? EVHTTP_REQ_GET :
	    EVHTTP_REQ_POST, c->path, &m);
	ck_assert_msg(got == 0, "%s: got %d, want 0", c->path, got);
	ck_assert_msg(strcmp(m.arg, c->arg) == 0 && strcmp(m.arg2, c->arg2) ==
	    0, "%s: got %s and %s, want %s and %s", c->path, m.arg, m.arg2,
	    c->arg, c->arg2);
}
END_TEST

/* t_nop - a handler for the test tables */
static void
t_nop(struct http_call *call)
{
	(void)call;
}

/* test_route_params - two segments in a table of one's own; three never */
START_TEST(test_route_params)
{
	static const struct http_route	tab[] = {
		{ EVHTTP_REQ_GET, "/a/{x}/{y}", 1, t_nop, 0 },
		{ EVHTTP_REQ_GET, "/b/{x}/{y}/{z}", 1, t_nop, 0 },
		{ EVHTTP_REQ_GET, "/c/{x}/{y}", 1, t_nop, 3 },
	};
	struct http_match		m;

	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/a/p/q",
	    &m), 0);
	ck_assert_str_eq(m.arg, "p");
	ck_assert_str_eq(m.arg2, "q");
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET,
	    "/a/" LONG63 "/" LONG63, &m), 0);
	ck_assert_str_eq(m.arg2, LONG63);
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET,
	    "/a/p/" LONG63 "x", &m), HTTP_NOTFOUND);
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET,
	    "/a/" LONG63 "x/q", &m), HTTP_NOTFOUND);
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/a/p/.q",
	    &m), HTTP_NOTFOUND);
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/a/p/",
	    &m), HTTP_NOTFOUND);
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/a/p", &m),
	    HTTP_NOTFOUND);
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/b/p/q/r",
	    &m), HTTP_NOTFOUND);
	/* the route's argmax (3) holds for both segments */
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/c/abc/def",
	    &m), 0);
	ck_assert_str_eq(m.arg2, "def");
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET,
	    "/c/abc/defg", &m), HTTP_NOTFOUND);
	ck_assert_str_eq(m.arg2, "");
	ck_assert_int_eq(http_route_find(tab, 3, EVHTTP_REQ_GET, "/c/abcd/d",
	    &m), HTTP_NOTFOUND);
}
END_TEST

/* test_table - every route names a handler and a sane role */
START_TEST(test_table)
{
	const struct http_route	*tab;
	size_t			 n, i;

	tab = http_api_routes(&n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(tab[i].fn);
		ck_assert_int_ne(tab[i].methods, 0);
		if (strncmp(tab[i].pattern, "/v1/", 4) == 0)
			ck_assert_int_gt(tab[i].role, 0);
	}
}
END_TEST

/* test_allow - method masks as Allow values, cut at whole names */
START_TEST(test_allow)
{
	char	buf[32];

	http_route_allow(EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST,
	    buf, sizeof(buf));
	ck_assert_str_eq(buf, "GET, HEAD, POST");
	http_route_allow(EVHTTP_REQ_DELETE | EVHTTP_REQ_PUT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "PUT, DELETE");
	http_route_allow(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(http_route_allow(EVHTTP_REQ_GET | EVHTTP_REQ_HEAD,
	    buf, 10), 9);
	ck_assert_str_eq(buf, "GET, HEAD");
	http_route_allow(EVHTTP_REQ_GET | EVHTTP_REQ_HEAD, buf, 9);
	ck_assert_str_eq(buf, "GET");
}
END_TEST

/* test_method - names and safety of methods */
START_TEST(test_method)
{
	ck_assert_str_eq(http_route_method_name(EVHTTP_REQ_GET), "GET");
	ck_assert_str_eq(http_route_method_name(EVHTTP_REQ_PATCH), "PATCH");
	ck_assert_str_eq(http_route_method_name(0), "?");
	ck_assert_int_eq(http_route_is_safe(EVHTTP_REQ_GET), 1);
	ck_assert_int_eq(http_route_is_safe(EVHTTP_REQ_HEAD), 1);
	ck_assert_int_eq(http_route_is_safe(EVHTTP_REQ_POST), 0);
	ck_assert_int_eq(http_route_is_safe(EVHTTP_REQ_OPTIONS), 0);
}
END_TEST

static const struct bind_case {
	const char	*bind;
	int		 want;
	const char	*host;
	const char	*port;
} bind_cases[] = {
	{ "127.0.0.1:4000", 0, "127.0.0.1", "4000" },
	{ "0.0.0.0:0", 0, "0.0.0.0", "0" },
	{ "localhost:65535", 0, "localhost", "65535" },
	{ "[::1]:4000", 0, "::1", "4000" },
	{ "[::]:80", 0, "::", "80" },
	{ "127.0.0.1:65536", -1, NULL, NULL },
	{ "127.0.0.1:123456", -1, NULL, NULL },
	{ "127.0.0.1:", -1, NULL, NULL },
	{ "127.0.0.1", -1, NULL, NULL },
	{ ":4000", -1, NULL, NULL },
	{ "::1:4000", -1, NULL, NULL },
	{ "[::1]4000", -1, NULL, NULL },
	{ "[::1:4000", -1, NULL, NULL },
	{ "[]:4000", -1, NULL, NULL },
	{ "host:40a0", -1, NULL, NULL },
	{ "host:-1", -1, NULL, NULL },
	{ "host: 80", -1, NULL, NULL },
	{ "", -1, NULL, NULL },
	{ NULL, -1, NULL, NULL },
};

/* test_bind_parse - http_listen_parse over bind_cases */
START_TEST(test_bind_parse)
{
	const struct bind_case	*c = &bind_cases[_i];
	char			 host[HTTP_LISTEN_HOST_MAX];
	char			 port[HTTP_LISTEN_PORT_MAX];
	int			 got;

	got = http_listen_parse(c->bind, host, sizeof(host), port,
	    sizeof(port));
	ck_assert_msg(got == c->want, "case %d %s: got %d, want %d", _i,
	    c->bind != NULL ? c->bind : "(null)", got, c->want);
	if (got == 0) {
		ck_assert_str_eq(host, c->host);
		ck_assert_str_eq(port, c->port);
	}
}
END_TEST

/* test_listen_codes - exit codes of http_listen_open */
START_TEST(test_listen_codes)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	char			bind[64];
	int			fd, fd2, code = -1;

	ck_assert_int_eq(http_listen_open("nonsense", &code), -1);
	ck_assert_int_eq(code, WORKER_EXIT_PERMANENT);
	code = -1;
	ck_assert_int_eq(http_listen_open("127.0.0.1:99999", &code), -1);
	ck_assert_int_eq(code, WORKER_EXIT_PERMANENT);
	fd = http_listen_open("127.0.0.1:0", &code);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(bind, sizeof(bind), "127.0.0.1:%u", ntohs(sin.sin_port));
	code = -1;
	fd2 = http_listen_open(bind, &code);
	ck_assert_int_eq(fd2, -1);
	ck_assert_int_eq(code, WORKER_EXIT_TEMPORARY);
	close(fd);
}
END_TEST

/* http_api_suite - the suite check_main runs */
Suite *
http_api_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_api");
	tc = tcase_create("route");
	tcase_add_loop_test(tc, test_route, 0, NELEM(route_cases));
	tcase_add_loop_test(tc, test_route_arg2, 0, NELEM(arg2_cases));
	tcase_add_test(tc, test_route_params);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_allow);
	tcase_add_test(tc, test_method);
	suite_add_tcase(s, tc);
	tc = tcase_create("listen");
	tcase_add_loop_test(tc, test_bind_parse, 0, NELEM(bind_cases));
	tcase_add_test(tc, test_listen_codes);
	suite_add_tcase(s, tc);
	return (s);
}
