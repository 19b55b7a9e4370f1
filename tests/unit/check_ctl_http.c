/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl_http - unit tests for corralctl's HTTP side
 * SYNOPSIS
 *	void	ctl_http_tcases(Suite *s);
 * DESCRIPTION
 *	URL parsing, the HTTP response parser (statuses, headers, chunked,
 *	counted and to-EOF bodies, every split of the input into two
 *	reads, one byte at a time, malformed and oversize answers), the
 *	request as sent, and one real round trip over loopback TCP (a
 *	server thread answering in slow pieces). ctl_http_tcases adds
 *	these test cases to the ctl suite built in check_ctl.c.
 *	Table-driven tests print "got X, want Y".
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../ctl/http_client.h"
#include "../../ctl/http_resp.h"
#include "../../ctl/http_url.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION	"unknown"
#endif

void	ctl_http_tcases(Suite *);

/* --- URL parsing ------------------------------------------------------ */

static const struct {
	const char	*in;
	const char	*host, *port, *path, *hostport;
	int		 ipv6;
} url_ok[] = {
	{ "http://127.0.0.1:4000", "127.0.0.1", "4000", "", "127.0.0.1:4000",
	    0 },
	{ "http://127.0.0.1:4000/", "127.0.0.1", "4000", "", "127.0.0.1:4000",
	    0 },
	{ "HTTP://localhost", "localhost", "80", "", "localhost:80", 0 },
	{ "http://corral.example:8080/api/corral//", "corral.example", "8080",
	    "/api/corral", "corral.example:8080", 0 },
	{ "http://[::1]:4001", "::1", "4001", "", "[::1]:4001", 1 },
	{ "http://[::1]", "::1", "80", "", "[::1]:80", 1 },
	{ "http://[fe80::1%25eth0]:4000/x", "fe80::1%eth0", "4000", "/x",
	    "[fe80::1]:4000", 1 },
	{ "http://a_b-c.d:00080", "a_b-c.d", "80", "", "a_b-c.d:80", 0 },
};

static const struct {
	const char	*in;
	const char	*err;
} url_bad[] = {
	{ "https://127.0.0.1:4000", "https is not supported" },
	{ "ftp://host", "unsupported scheme" },
	{ "127.0.0.1:4000", "missing http:// scheme" },
	{ "http://", "missing host" },
	{ "http://:4000", "missing host" },
	{ "http://host:", "missing port" },
	{ "http://host:0", "port out of range" },
	{ "http://host:65536", "port out of range" },
	{ "http://host:123456", "port out of range" },
	{ "http://host:4x", "bad port" },
	{ "http://::1:4000", "must be in brackets" },
	{ "http://[::1", "missing ']'" },
	{ "http://[::1]x", "junk after ']'" },
	{ "http://[nope]:1", "bad IPv6 address" },
	{ "http://[fe80::1%eth0]", "bad IPv6 zone" },
	{ "http://user:pw@host", "user info" },
	{ "http://host/x?y=1", "queries and fragments" },
	{ "http://host?y", "queries and fragments" },
	{ "http://host/a b", "bad character in path" },
	{ "http://ho$t", "bad character in host" },
};

START_TEST(test_url_ok)
{
	struct http_url	*u;
	char		 err[128], *hp;

	ck_assert_msg(http_url_parse(url_ok[_i].in, &u, err, sizeof(err)) == 0,
	    "%s: got error %s, want success", url_ok[_i].in, err);
	ck_assert_msg(strcmp(u->host, url_ok[_i].host) == 0,
	    "%s: host: got %s, want %s", url_ok[_i].in, u->host,
	    url_ok[_i].host);
	ck_assert_msg(strcmp(u->port, url_ok[_i].port) == 0,
	    "%s: port: got %s, want %s", url_ok[_i].in, u->port,
	    url_ok[_i].port);
	ck_assert_msg(strcmp(u->path, url_ok[_i].path) == 0,
	    "%s: path: got '%s', want '%s'", url_ok[_i].in, u->path,
	    url_ok[_i].path);
	ck_assert_int_eq(u->ipv6, url_ok[_i].ipv6);
	hp = http_url_hostport(u);
	ck_assert_msg(strcmp(hp, url_ok[_i].hostport) == 0,
	    "%s: hostport: got %s, want %s", url_ok[_i].in, hp,
	    url_ok[_i].hostport);
	free(hp);
	http_url_free(u);
}
END_TEST

START_TEST(test_url_bad)
{
	struct http_url	*u = (struct http_url *)1;
	char		 err[128] = "";

	ck_assert_msg(http_url_parse(url_bad[_i].in, &u, err,
	    sizeof(err)) == -1, "%s: got success, want error %s",
	    url_bad[_i].in, url_bad[_i].err);
	ck_assert_ptr_null(u);
	ck_assert_msg(strstr(err, url_bad[_i].err) != NULL,
	    "%s: got error '%s', want '%s'", url_bad[_i].in, err,
	    url_bad[_i].err);
}
END_TEST

START_TEST(test_url_escape)
{
	char	*s;

	s = http_url_escape("http");
	ck_assert_str_eq(s, "http");
	free(s);
	s = http_url_escape("a b/c?d%~_.-");
	ck_assert_str_eq(s, "a%20b%2Fc%3Fd%25~_.-");
	free(s);
	s = http_url_escape("\xc3\xa9");
	ck_assert_str_eq(s, "%C3%A9");
	free(s);
}
END_TEST

/* --- HTTP response parsing -------------------------------------------- */

#define RAW(s)	s, sizeof(s) - 1

static const struct {
	const char	*raw;
	size_t		 len;
	int		 eof;		/* the body runs to EOF */
	int		 status;
	const char	*reason;
	const char	*body;
	const char	*hname, *hvalue;
} resp_ok[] = {
	{ RAW("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: 15\r\n\r\n{\"status\":\"ok\"}"), 0, 200, "OK",
	    "{\"status\":\"ok\"}", "content-type", "application/json" },
	{ RAW("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n"
	    "X-Multi: a\r\n\r\n5;name=v\r\nhello\r\n1A\r\n"
	    "abcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n"), 0,
	    202, "Accepted", "helloabcdefghijklmnopqrstuvwxyz", "X-MULTI",
	    "a" },
	{ RAW("HTTP/1.0 503 Service Unavailable\nServer: x\n\n"
	    "{\"ready\":false}"), 1, 503, "Service Unavailable",
	    "{\"ready\":false}", "server", "x" },
	{ RAW("HTTP/1.1 100 Continue\r\nX-Gone: 1\r\n\r\nHTTP/1.1 404 Not Found"
	    "\r\nContent-Length: 3\r\n\r\nabc"), 0, 404, "Not Found", "abc",
	    "Content-Length", "3" },
	{ RAW("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"), 0, 204,
	    "No Content", "", "server", "x" },
	{ RAW("HTTP/1.1 200 OK\r\nX-Pad:   spaced value \t\r\n"
	    "content-length: 0\r\n\r\n"), 0, 200, "OK", "", "x-pad",
	    "spaced value" },
	{ RAW("HTTP/1.1 200\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
	    "3 \r\nabc\r\n0\r\n\r\n"), 0, 200, "", "abc", "transfer-encoding",
	    "gzip, chunked" },
	{ RAW("HTTP/1.1 500 Oops\r\nTransfer-Encoding: identity\r\n"
	    "Content-Length: 1\r\n\r\nwhole body"), 1, 500, "Oops",
	    "whole body", "Content-Length", "1" },
};

/* check_ctl_resp_verify - the parsed response matches resp_ok[i] */
static void
check_ctl_resp_verify(const struct http_resp *r, int i, const char *how)
{
	const char	*v;

	ck_assert_msg(r->status == resp_ok[i].status,
	    "fixture %d (%s): status: got %d, want %d", i, how, r->status,
	    resp_ok[i].status);
	ck_assert_msg(strcmp(r->reason, resp_ok[i].reason) == 0,
	    "fixture %d (%s): reason: got '%s', want '%s'", i, how, r->reason,
	    resp_ok[i].reason);
	ck_assert_msg(r->bodylen == strlen(resp_ok[i].body) &&
	    strcmp(r->body, resp_ok[i].body) == 0,
	    "fixture %d (%s): body: got '%s', want '%s'", i, how, r->body,
	    resp_ok[i].body);
	v = http_resp_header(r, resp_ok[i].hname);
	ck_assert_msg(v != NULL && strcmp(v, resp_ok[i].hvalue) == 0,
	    "fixture %d (%s): header %s: got '%s', want '%s'", i, how,
	    resp_ok[i].hname, v != NULL ? v : "(none)", resp_ok[i].hvalue);
}

/* check_ctl_resp_end - finish after all input: done, or eof completes */
static void
check_ctl_resp_end(struct http_resp *r, int rc, int i, const char *how)
{
	if (resp_ok[i].eof) {
		ck_assert_msg(rc == HTTP_RESP_MORE,
		    "fixture %d (%s): before EOF: got %d, want MORE", i, how,
		    rc);
		rc = http_resp_eof(r);
	}
	ck_assert_msg(rc == HTTP_RESP_DONE, "fixture %d (%s): got %d (%s), "
	    "want DONE", i, how, rc, http_resp_error(r));
}

START_TEST(test_resp_whole)
{
	struct http_resp	*r;
	int			 rc;

	r = http_resp_new(1 << 20);
	rc = http_resp_feed(r, resp_ok[_i].raw, resp_ok[_i].len);
	check_ctl_resp_end(r, rc, _i, "whole");
	check_ctl_resp_verify(r, _i, "whole");
	/* Bytes after a complete response are ignored. */
	if (!resp_ok[_i].eof)
		ck_assert_int_eq(http_resp_feed(r, "junk", 4), HTTP_RESP_DONE);
	http_resp_free(r);
}
END_TEST

START_TEST(test_resp_split)
{
	struct http_resp	*r;
	char			 how[32];
	size_t			 k;
	int			 rc;

	for (k = 0; k <= resp_ok[_i].len; k++) {
		snprintf(how, sizeof(how), "split at %zu", k);
		r = http_resp_new(1 << 20);
		rc = http_resp_feed(r, resp_ok[_i].raw, k);
		ck_assert_msg(rc != HTTP_RESP_ERROR, "fixture %d (%s): %s", _i,
		    how, http_resp_error(r));
		rc = http_resp_feed(r, resp_ok[_i].raw + k,
		    resp_ok[_i].len - k);
		check_ctl_resp_end(r, rc, _i, how);
		check_ctl_resp_verify(r, _i, how);
		http_resp_free(r);
	}
}
END_TEST

START_TEST(test_resp_bytewise)
{
	struct http_resp	*r;
	size_t			 k;
	int			 rc = HTTP_RESP_MORE;

	r = http_resp_new(1 << 20);
	for (k = 0; k < resp_ok[_i].len; k++) {
		rc = http_resp_feed(r, resp_ok[_i].raw + k, 1);
		ck_assert_msg(rc != HTTP_RESP_ERROR, "fixture %d byte %zu: %s",
		    _i, k, http_resp_error(r));
	}
	check_ctl_resp_end(r, rc, _i, "bytewise");
	check_ctl_resp_verify(r, _i, "bytewise");
	http_resp_free(r);
}
END_TEST

static const struct {
	const char	*raw;
	size_t		 len;
	const char	*err;
} resp_bad[] = {
	{ RAW(""), "closed without a response" },
	{ RAW("HTTP/2 200 OK\r\n\r\n"), "not an HTTP/1.x status line" },
	{ RAW("ICY 200 OK\r\n\r\n"), "not an HTTP/1.x status line" },
	{ RAW("HTTP/1.1 2000 OK\r\n\r\n"), "bad status code" },
	{ RAW("HTTP/1.1 20x OK\r\n\r\n"), "bad status code" },
	{ RAW("HTTP/1.1 099 Low\r\n\r\n"), "out of range" },
	{ RAW("HTTP/1.1 101 Switching\r\n\r\n"), "unexpected 101" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
	    "closed in the middle" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Le"), "closed in the middle" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n"
	    "\r\n"), "body larger than 16 bytes" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n"),
	    "body larger than 16 bytes" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"),
	    "bad Content-Length" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
	    "bad Content-Length" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"),
	    "bad Content-Length" },
	{ RAW("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
	    "\r\n"), "conflicting Content-Length" },
	{ RAW("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n"), "folded" },
	{ RAW("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n"), "bad header line" },
	{ RAW("HTTP/1.1 200 OK\r\n: empty\r\n\r\n"), "bad header line" },
	{ RAW("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"), "bad header name" },
	{ RAW("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"), "stray CR" },
	{ RAW("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n"), "NUL byte" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
	    "bad chunk size" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n"),
	    "bad chunk size" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabcd\r\n"), "chunk longer than its size" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "11\r\n"), "body larger than 16 bytes" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "a\r\n0123456789\r\na\r\n"), "body larger than 16 bytes" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "fffffffffffffffffffffff\r\n"), "body larger than 16 bytes" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\nhel"), "closed in the middle" },
	{ RAW("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0\r\n"), "closed in the middle" },
	{ RAW("HTTP/1.1 200 OK\r\n\r\n0123456789abcdefXYZ"),
	    "body larger than 16 bytes" },
};

START_TEST(test_resp_bad)
{
	struct http_resp	*r;
	int			 rc;

	r = http_resp_new(16);
	rc = http_resp_feed(r, resp_bad[_i].raw, resp_bad[_i].len);
	if (rc == HTTP_RESP_MORE)
		rc = http_resp_eof(r);
	ck_assert_msg(rc == HTTP_RESP_ERROR, "bad fixture %d: got %d, want "
	    "ERROR (%s)", _i, rc, resp_bad[_i].err);
	ck_assert_msg(strstr(http_resp_error(r), resp_bad[_i].err) != NULL,
	    "bad fixture %d: got error '%s', want '%s'", _i,
	    http_resp_error(r), resp_bad[_i].err);
	/* An error sticks. */
	ck_assert_int_eq(http_resp_feed(r, "\r\n", 2), HTTP_RESP_ERROR);
	ck_assert_int_eq(http_resp_eof(r), HTTP_RESP_ERROR);
	http_resp_free(r);
}
END_TEST

START_TEST(test_resp_limits)
{
	struct http_resp	*r;
	char			*line;
	size_t			 i;
	int			 rc = HTTP_RESP_MORE;

	/* A header line past the limit, fed in pieces. */
	line = malloc(HTTP_RESP_LINE_MAX + 64);
	memset(line, 'a', HTTP_RESP_LINE_MAX + 64);
	memcpy(line, "X-Long: ", 8);
	r = http_resp_new(16);
	ck_assert_int_eq(http_resp_feed(r, RAW("HTTP/1.1 200 OK\r\n")),
	    HTTP_RESP_MORE);
	for (i = 0; i < HTTP_RESP_LINE_MAX + 64 && rc == HTTP_RESP_MORE;
	    i += 1000)
		rc = http_resp_feed(r, line + i, HTTP_RESP_LINE_MAX + 64 - i <
		    1000 ? HTTP_RESP_LINE_MAX + 64 - i : 1000);
	ck_assert_int_eq(rc, HTTP_RESP_ERROR);
	ck_assert_ptr_nonnull(strstr(http_resp_error(r), "line longer"));
	http_resp_free(r);
	free(line);

	/* Too many headers. */
	r = http_resp_new(16);
	rc = http_resp_feed(r, RAW("HTTP/1.1 200 OK\r\n"));
	for (i = 0; i <= HTTP_RESP_HEADERS_MAX && rc == HTTP_RESP_MORE; i++)
		rc = http_resp_feed(r, RAW("X-A: b\r\n"));
	ck_assert_int_eq(rc, HTTP_RESP_ERROR);
	ck_assert_ptr_nonnull(strstr(http_resp_error(r), "more than"));
	http_resp_free(r);

	/* Exactly the limit is fine. */
	r = http_resp_new(16);
	ck_assert_int_eq(http_resp_feed(r, RAW("HTTP/1.1 200 OK\r\n"
	    "Content-Length: 16\r\n\r\n0123456789abcdef")), HTTP_RESP_DONE);
	ck_assert_uint_eq(r->bodylen, 16);
	http_resp_free(r);
	http_resp_free(NULL);
}
END_TEST

/* --- the request as sent, and one real round trip ------------------- */

START_TEST(test_request_format)
{
	struct http_url		*u;
	struct http_request	 req;
	char			 err[128], *s;
	size_t			 len;

	ck_assert_int_eq(http_url_parse("http://127.0.0.1:4000", &u, err,
	    sizeof(err)), 0);
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/healthz";
	s = http_client_format(u, &req, &len);
	ck_assert_str_eq(s, "GET /healthz HTTP/1.1\r\n"
	    "Host: 127.0.0.1:4000\r\n"
	    "User-Agent: corralctl/" CORRAL_VERSION "\r\n"
	    "Accept: application/json\r\n"
	    "Connection: close\r\n\r\n");
	ck_assert_uint_eq(len, strlen(s));
	free(s);
	http_url_free(u);

	ck_assert_int_eq(http_url_parse("http://[::1]:4001/corral/", &u, err,
	    sizeof(err)), 0);
	req.method = "POST";
	req.path = "/v1/workers/http/restart";
	req.bearer = "t0k";
	s = http_client_format(u, &req, &len);
	ck_assert_str_eq(s, "POST /corral/v1/workers/http/restart HTTP/1.1\r\n"
	    "Host: [::1]:4001\r\n"
	    "User-Agent: corralctl/" CORRAL_VERSION "\r\n"
	    "Accept: application/json\r\n"
	    "Connection: close\r\n"
	    "Authorization: Bearer t0k\r\n"
	    "Content-Length: 0\r\n\r\n");
	free(s);

	req.method = "PUT";
	req.body = "{\"v\":1}";
	req.bodylen = 7;
	s = http_client_format(u, &req, &len);
	ck_assert_ptr_nonnull(strstr(s, "Content-Type: application/json\r\n"
	    "Content-Length: 7\r\n\r\n{\"v\":1}"));
	ck_assert_uint_eq(len, strlen(s));
	free(s);
	http_url_free(u);
}
END_TEST

/* check_ctl_listen - a loopback listener; *port set */
static int
check_ctl_listen(int *port)
{
	struct sockaddr_in	sin;
	socklen_t		sl = sizeof(sin);
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ne(fd, -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return (fd);
}

/*
 * check_ctl_server - thread: answer one request in three slow pieces.
 * A thread rather than a child process, so that valgrind sees no
 * second process exit with the test runner's memory still allocated.
 */
static void *
check_ctl_server(void *arg)
{
	static const char *const part[] = {
		"HTTP/1.1 200 OK\r\nTransfer-Enc",
		"oding: chunked\r\n\r\n4\r\n{\"a\"",
		"\r\n3\r\n:1}\r\n0\r\n\r\n",
	};
	int	*lfd = arg;
	char	 req[4096];
	size_t	 len = 0, i;
	ssize_t	 n;
	int	 fd;

	if ((fd = accept(*lfd, NULL, NULL)) == -1)
		return ("accept failed");
	while (len < sizeof(req) - 1 && (n = read(fd, req + len,
	    sizeof(req) - 1 - len)) > 0) {
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	if (len == 0 || strstr(req, "GET /v1/x HTTP/1.1\r\n") != req ||
	    strstr(req, "\r\nAuthorization: Bearer t0k\r\n") == NULL) {
		close(fd);
		return ("unexpected request");
	}
	for (i = 0; i < 3; i++) {
		if (write(fd, part[i], strlen(part[i])) == -1) {
			close(fd);
			return ("write failed");
		}
		usleep(20000);
	}
	close(fd);
	return (NULL);
}

START_TEST(test_client_roundtrip)
{
	struct http_url		*u;
	struct http_request	 req;
	struct http_resp	*r;
	pthread_t		 th;
	char			 url[64], err[128];
	void			*res;
	int			 lfd, port;

	lfd = check_ctl_listen(&port);
	ck_assert_int_eq(pthread_create(&th, NULL, check_ctl_server, &lfd), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	ck_assert_int_eq(http_url_parse(url, &u, err, sizeof(err)), 0);
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/v1/x";
	req.bearer = "t0k";
	ck_assert_msg(http_client_do(u, &req, 5000, &r, err, sizeof(err)) ==
	    HTTP_CLIENT_OK, "got error %s, want success", err);
	ck_assert_int_eq(pthread_join(th, &res), 0);
	ck_assert_msg(res == NULL, "server: got %s, want success",
	    (char *)res);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(r->body, "{\"a\":1}");
	http_resp_free(r);

	/* The listener never accepts and never answers: a read timeout. */
	ck_assert_int_eq(http_client_do(u, &req, 100, &r, err, sizeof(err)),
	    HTTP_CLIENT_EANSWER);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(err, "timed out"));
	close(lfd);

	/* Nothing listens any more: refused. */
	ck_assert_int_eq(http_client_do(u, &req, 1000, &r, err, sizeof(err)),
	    HTTP_CLIENT_ECONNECT);
	ck_assert_ptr_null(r);
	http_url_free(u);
}
END_TEST

/* ctl_http_tcases - add the URL, response and client test cases */
void
ctl_http_tcases(Suite *s)
{
	TCase	*tc;

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
	tc = tcase_create("url");
	tcase_add_loop_test(tc, test_url_ok, 0, NELEM(url_ok));
	tcase_add_loop_test(tc, test_url_bad, 0, NELEM(url_bad));
	tcase_add_test(tc, test_url_escape);
	suite_add_tcase(s, tc);

	tc = tcase_create("resp");
	tcase_add_loop_test(tc, test_resp_whole, 0, NELEM(resp_ok));
	tcase_add_loop_test(tc, test_resp_split, 0, NELEM(resp_ok));
	tcase_add_loop_test(tc, test_resp_bytewise, 0, NELEM(resp_ok));
	tcase_add_loop_test(tc, test_resp_bad, 0, NELEM(resp_bad));
	tcase_add_test(tc, test_resp_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("client");
	tcase_add_test(tc, test_request_format);
	tcase_add_test(tc, test_client_roundtrip);
	suite_add_tcase(s, tc);
#undef NELEM
}
