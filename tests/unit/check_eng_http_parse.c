/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_http_parse - unit tests for the engines worker's HTTP/1.1
 *	response parser (workers/engines/eng_http_parse.c)
 * SYNOPSIS
 *	Suite	*eng_http_parse_suite(void);
 * DESCRIPTION
 *	A table of responses, each fed whole, cut in two at every byte
 *	position, and a byte at a time: every way must give the same
 *	verdict, status, body, Api-Version and error. The table has Docker
 *	answers with Content-Length, chunked bodies with extensions and
 *	trailers, bad and overflowing chunk sizes, Content-Length lists,
 *	conflicts and overflow, 1xx answers skipped (and 101 refused), a
 *	body until the close, HEAD, 204 and 304, bare LF line ends, broken
 *	status and header lines, obs-fold, and a connection closed at each
 *	stage. Then the limits (64 KiB of head, 100 header lines, chunk
 *	line and trailer lengths), built big, and a body callback that
 *	stops the parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "eng_http_parse.h"

Suite	*eng_http_parse_suite(void);

#define BODY_MAX	(256u * 1024)

/* what a parse gave */
struct got {
	int		 rc;
	int		 status;
	char		*body;		/* BODY_MAX bytes */
	size_t		 len;
	char		 err[128];
	char		 apiver[ENG_HTTP_PARSE_APIVER_LEN];
	const char	*lo, *hi;	/* the piece being fed */
	int		 calls;
	int		 stop_at;	/* return 1 from this call on */
};

/* one response and what it must give */
struct pcase {
	const char	*name;
	int		 head;		/* the request was HEAD */
	const char	*in;
	int		 eof;		/* the connection ends after in */
	int		 rc;
	int		 status;
	const char	*body;
	const char	*err;		/* a part of p->err */
	const char	*apiver;	/* NULL: "" */
};

#define OK200	"HTTP/1.1 200 OK\r\n"
#define CHUNKED	"Transfer-Encoding: chunked\r\n"

static const struct pcase pcases[] = {
	{ "docker json", 0, OK200 "Api-Version: 1.43\r\nContent-Type: "
	    "application/json\r\nContent-Length: 12\r\nServer: Docker/24.0.7"
	    "\r\n\r\n{\"Id\":\"abc\"}", 0, ENG_HTTP_PARSE_DONE, 200,
	    "{\"Id\":\"abc\"}", NULL, "1.43" },
	{ "bytes after the body are ignored", 0, OK200 "Content-Length: 2"
	    "\r\n\r\nokGARBAGE", 0, ENG_HTTP_PARSE_DONE, 200, "ok", NULL,
	    NULL },
	{ "docker 404", 0, "HTTP/1.1 404 Not Found\r\nContent-Length: 37\r\n"
	    "\r\n{\"message\":\"No such container: nope\"}", 0,
	    ENG_HTTP_PARSE_DONE, 404, "{\"message\":\"No such container: "
	    "nope\"}", NULL, NULL },
	{ "chunked, extensions, trailer", 0, OK200 CHUNKED "\r\n"
	    "5;name=val\r\nhello\r\n6 ; a=\"b c\";d\r\n world\r\n"
	    "0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n", 0, ENG_HTTP_PARSE_DONE, 200,
	    "hello world", NULL, NULL },
	{ "chunked, hex sizes", 0, OK200 CHUNKED "Content-Length: 3\r\n\r\n"
	    "00A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", 0,
	    ENG_HTTP_PARSE_DONE, 200, "0123456789abcdefghij", NULL, NULL },
	{ "chunked, bare LF", 0, OK200 CHUNKED "\r\n2\nab\n0\n\n", 0,
	    ENG_HTTP_PARSE_DONE, 200, "ab", NULL, NULL },
	{ "chunked, TE in any case", 0, OK200 "transfer-encoding:  CHUNKED "
	    "\r\n\r\n1\r\nx\r\n0\r\n\r\n", 0, ENG_HTTP_PARSE_DONE, 200, "x",
	    NULL, NULL },
	{ "chunk size not hex", 0, OK200 CHUNKED "\r\nzz\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 200, "", "bad chunk size", NULL },
	{ "chunk size empty", 0, OK200 CHUNKED "\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 200, "", "bad chunk size", NULL },
	{ "chunk size with a sign", 0, OK200 CHUNKED "\r\n-1\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 200, "", "bad chunk size", NULL },
	{ "chunk size junk after", 0, OK200 CHUNKED "\r\n1x\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 200, "", "bad chunk size", NULL },
	{ "chunk size overflow", 0, OK200 CHUNKED "\r\n1ffffffffffffffff\r\n",
	    0, ENG_HTTP_PARSE_ERROR, 200, "", "chunk size too large", NULL },
	{ "chunk size 2^64-1, cut", 0, OK200 CHUNKED "\r\nffffffffffffffff"
	    "\r\nabc", 1, ENG_HTTP_PARSE_ERROR, 200, "abc",
	    "inside the chunked body, after 3 bytes", NULL },
	{ "chunk extension with a control", 0, OK200 CHUNKED "\r\n1;a\001\r\n",
	    0, ENG_HTTP_PARSE_ERROR, 200, "", "bad chunk extension", NULL },
	{ "no CRLF after a chunk", 0, OK200 CHUNKED "\r\n3\r\nabcX", 0,
	    ENG_HTTP_PARSE_ERROR, 200, "abc", "no line end after a chunk",
	    NULL },
	{ "CR then junk after a chunk", 0, OK200 CHUNKED "\r\n3\r\nabc\rX", 0,
	    ENG_HTTP_PARSE_ERROR, 200, "abc", "no line end after a chunk",
	    NULL },
	{ "chunked cut in the trailer", 0, OK200 CHUNKED "\r\n1\r\na\r\n0\r\n"
	    "X: y", 1, ENG_HTTP_PARSE_ERROR, 200, "a",
	    "inside the chunked body, after 1 bytes", NULL },
	{ "chunked cut before the last chunk", 0, OK200 CHUNKED "\r\n1\r\na"
	    "\r\n", 1, ENG_HTTP_PARSE_ERROR, 200, "a", "chunked body", NULL },
	{ "Content-Length twice, same", 0, OK200 "Content-Length: 2\r\n"
	    "content-length: 2\r\n\r\nab", 0, ENG_HTTP_PARSE_DONE, 200, "ab",
	    NULL, NULL },
	{ "Content-Length list, same", 0, OK200 "Content-Length: 2 , 2,2\r\n"
	    "\r\nab", 0, ENG_HTTP_PARSE_DONE, 200, "ab", NULL, NULL },
	{ "Content-Length twice, different", 0, OK200 "Content-Length: 2\r\n"
	    "Content-Length: 3\r\n\r\nabc", 0, ENG_HTTP_PARSE_ERROR, 0, "",
	    "conflicting Content-Length", NULL },
	{ "Content-Length list, different", 0, OK200 "Content-Length: 2, 3"
	    "\r\n\r\nabc", 0, ENG_HTTP_PARSE_ERROR, 0, "",
	    "conflicting Content-Length", NULL },
	{ "Content-Length not digits", 0, OK200 "Content-Length: 2a\r\n\r\n",
	    0, ENG_HTTP_PARSE_ERROR, 0, "", "bad Content-Length", NULL },
	{ "Content-Length negative", 0, OK200 "Content-Length: -1\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad Content-Length", NULL },
	{ "Content-Length empty", 0, OK200 "Content-Length:\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad Content-Length", NULL },
	{ "Content-Length empty list item", 0, OK200 "Content-Length: 1,\r\n"
	    "\r\n", 0, ENG_HTTP_PARSE_ERROR, 0, "", "bad Content-Length",
	    NULL },
	{ "Content-Length overflow", 0, OK200 "Content-Length: "
	    "18446744073709551616\r\n\r\n", 0, ENG_HTTP_PARSE_ERROR, 0, "",
	    "Content-Length too large", NULL },
	{ "Content-Length 2^64-1, cut", 0, OK200 "Content-Length: "
	    "18446744073709551615\r\n\r\nab", 1, ENG_HTTP_PARSE_ERROR, 200,
	    "ab", "with 18446744073709551613 of 18446744073709551615 body "
	    "bytes still to come", NULL },
	{ "Content-Length 0", 0, OK200 "Content-Length: 0\r\n\r\nxyz", 0,
	    ENG_HTTP_PARSE_DONE, 200, "", NULL, NULL },
	{ "Content-Length cut short", 0, OK200 "Content-Length: 5\r\n\r\nab",
	    1, ENG_HTTP_PARSE_ERROR, 200, "ab", "the connection closed with "
	    "3 of 5 body bytes still to come", NULL },
	{ "Transfer-Encoding gzip", 0, OK200 "Transfer-Encoding: gzip\r\n\r\n",
	    0, ENG_HTTP_PARSE_ERROR, 0, "", "unsupported Transfer-Encoding",
	    NULL },
	{ "Transfer-Encoding gzip, chunked", 0, OK200 "Transfer-Encoding: "
	    "gzip, chunked\r\n\r\n", 0, ENG_HTTP_PARSE_ERROR, 0, "",
	    "unsupported Transfer-Encoding", NULL },
	{ "Transfer-Encoding chunked twice", 0, OK200 CHUNKED CHUNKED "\r\n",
	    0, ENG_HTTP_PARSE_ERROR, 0, "", "chunked twice", NULL },
	{ "100 Continue, then 200", 0, "HTTP/1.1 100 Continue\r\n\r\n" OK200
	    "Content-Length: 2\r\n\r\nok", 0, ENG_HTTP_PARSE_DONE, 200, "ok",
	    NULL, NULL },
	{ "two 1xx with headers, then 200", 0, "HTTP/1.1 100 Continue\r\n"
	    "Api-Version: 9.9\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>"
	    "\r\nContent-Length: 99\r\n\r\n" OK200 "Content-Length: 2\r\n\r\n"
	    "ok", 0, ENG_HTTP_PARSE_DONE, 200, "ok", NULL, NULL },
	{ "101 is refused", 0, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: x\r\n\r\n", 0, ENG_HTTP_PARSE_ERROR, 0, "",
	    "101 Switching Protocols", NULL },
	{ "body until the close", 0, "HTTP/1.0 200 OK\r\nServer: x\r\n\r\n"
	    "abc\r\ndef", 1, ENG_HTTP_PARSE_DONE, 200, "abc\r\ndef", NULL,
	    NULL },
	{ "body until the close, not closed yet", 0, OK200 "\r\nabc", 0,
	    ENG_HTTP_PARSE_MORE, 200, "abc", NULL, NULL },
	{ "empty body until the close", 0, "HTTP/1.1 500 Oops\r\n\r\n", 1,
	    ENG_HTTP_PARSE_DONE, 500, "", NULL, NULL },
	{ "HEAD with Content-Length", 1, OK200 "Content-Length: 42\r\n"
	    "Api-Version: 1.41\r\n\r\n", 0, ENG_HTTP_PARSE_DONE, 200, "", NULL,
	    "1.41" },
	{ "HEAD with chunked", 1, OK200 CHUNKED "\r\n", 0,
	    ENG_HTTP_PARSE_DONE, 200, "", NULL, NULL },
	{ "204 has no body", 0, "HTTP/1.1 204 No Content\r\nContent-Length: "
	    "5\r\n\r\nhello", 0, ENG_HTTP_PARSE_DONE, 204, "", NULL, NULL },
	{ "304 has no body", 0, "HTTP/1.1 304 Not Modified\r\n\r\n", 0,
	    ENG_HTTP_PARSE_DONE, 304, "", NULL, NULL },
	{ "bare LF lines", 0, "HTTP/1.1 200 OK\nContent-Length: 2\nApi-Version:"
	    "1.40\n\nok", 0, ENG_HTTP_PARSE_DONE, 200, "ok", NULL, "1.40" },
	{ "no reason phrase", 0, "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n",
	    0, ENG_HTTP_PARSE_DONE, 404, "", NULL, NULL },
	{ "empty reason phrase", 0, "HTTP/1.1 404 \r\nContent-Length: 0\r\n"
	    "\r\n", 0, ENG_HTTP_PARSE_DONE, 404, "", NULL, NULL },
	{ "Api-Version any case, trimmed, the last", 0, OK200 "api-VERSION:"
	    "  1.40 \t\r\nAPI-VERSION: 1.43\r\nContent-Length: 0\r\n\r\n", 0,
	    ENG_HTTP_PARSE_DONE, 200, "", NULL, "1.43" },
	{ "Api-Version cut", 0, OK200 "Api-Version: "
	    "0123456789012345678901234567890123456789\r\nContent-Length: 0"
	    "\r\n\r\n", 0, ENG_HTTP_PARSE_DONE, 200, "", NULL,
	    "0123456789012345678901234567890" },
	{ "a long header name is not ours", 0, OK200
	    "Content-Length-And-Then-Some-More: x\r\nContent-Length: 1\r\n"
	    "\r\nz", 0, ENG_HTTP_PARSE_DONE, 200, "z", NULL, NULL },
	{ "obs-fold", 0, OK200 "X: a\r\n b\r\n\r\n", 0, ENG_HTTP_PARSE_ERROR,
	    0, "", "obsolete line folding", NULL },
	{ "space before the colon", 0, OK200 "Content-Length : 5\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad header line", NULL },
	{ "no colon", 0, OK200 "Content-Length\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad header line", NULL },
	{ "empty header name", 0, OK200 ": x\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad header line", NULL },
	{ "control in a header value", 0, OK200 "X: a\001b\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad header value", NULL },
	{ "CR without LF in a header", 0, OK200 "X: a\rb\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad header line", NULL },
	{ "CR without LF at the end of the head", 0, OK200 "\rX", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad header line", NULL },
	{ "obs-text in a value is fine", 0, OK200 "X: caf\xc3\xa9\r\n"
	    "Content-Length: 1\r\n\r\n!", 0, ENG_HTTP_PARSE_DONE, 200, "!",
	    NULL, NULL },
	{ "HTTP/2", 0, "HTTP/2 200 OK\r\n\r\n", 0, ENG_HTTP_PARSE_ERROR, 0,
	    "", "bad status line", NULL },
	{ "HTTP/1.1 in lower case", 0, "http/1.1 200 OK\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad status line", NULL },
	{ "two-digit status", 0, "HTTP/1.1 20 OK\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad status line", NULL },
	{ "four-digit status", 0, "HTTP/1.1 2000 OK\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad status line", NULL },
	{ "status under 100", 0, "HTTP/1.1 099 Odd\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad status code", NULL },
	{ "not HTTP", 0, "SSH-2.0-OpenSSH_9.2\r\n", 0, ENG_HTTP_PARSE_ERROR,
	    0, "", "bad status line", NULL },
	{ "control in the reason", 0, "HTTP/1.1 200 O\001K\r\n\r\n", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad status line", NULL },
	{ "CR without LF in the status line", 0, "HTTP/1.1 200 OK\rX", 0,
	    ENG_HTTP_PARSE_ERROR, 0, "", "bad status line", NULL },
	{ "closed at once", 0, "", 1, ENG_HTTP_PARSE_ERROR, 0, "",
	    "the connection closed without an answer", NULL },
	{ "closed in the status line", 0, "HTTP/1.1 2", 1,
	    ENG_HTTP_PARSE_ERROR, 0, "", "inside the answer's head", NULL },
	{ "closed in the headers", 0, OK200 "Content-Le", 1,
	    ENG_HTTP_PARSE_ERROR, 0, "", "inside the answer's head", NULL },
	{ "closed after a 100", 0, "HTTP/1.1 100 Continue\r\n\r\n", 1,
	    ENG_HTTP_PARSE_ERROR, 0, "", "inside the answer's head", NULL },
	{ "not closed, headers only", 0, OK200 "X: y\r\n", 0,
	    ENG_HTTP_PARSE_MORE, 0, "", NULL, NULL },
};

/* got_cb - a body piece: inside the piece fed, not empty; keep it */
static int
got_cb(const char *buf, size_t len, void *arg)
{
	struct got	*g = arg;

	ck_assert_uint_gt(len, 0);
	ck_assert_msg(buf >= g->lo && buf + len <= g->hi,
	    "a body piece outside the bytes fed");
	ck_assert_uint_le(g->len + len, BODY_MAX);
	memcpy(g->body + g->len, buf, len);
	g->len += len;
	g->calls++;
	return (g->stop_at > 0 && g->calls >= g->stop_at);
}

/* got_init - an empty result */
static void
got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	g->body = malloc(BODY_MAX);
	ck_assert_ptr_nonnull(g->body);
}

/* feed - feed in[from, to) to p */
static int
feed(struct eng_http_parse *p, const char *in, size_t from, size_t to,
    struct got *g)
{
	g->lo = in + from;
	g->hi = in + to;
	return (eng_http_parse_feed(p, in + from, to - from, got_cb, g));
}

/* run - parse in (len bytes), cut at the offsets in cuts[0..n) */
static void
run(int head, const char *in, size_t len, int eof, const size_t *cuts,
    size_t ncuts, struct got *g)
{
	struct eng_http_parse	p;
	size_t			from = 0, i;
	int			rc = ENG_HTTP_PARSE_MORE;

	eng_http_parse_init(&p, head);
	for (i = 0; i <= ncuts; i++) {
		rc = feed(&p, in, from, i < ncuts ? cuts[i] : len, g);
		ck_assert(rc >= ENG_HTTP_PARSE_ERROR &&
		    rc <= ENG_HTTP_PARSE_STOP);
		if (i < ncuts)
			from = cuts[i];
	}
	if (eof)
		rc = eng_http_parse_eof(&p);
	/* the verdict sticks */
	ck_assert_int_eq(feed(&p, "HTTP", 0, 4, g) == ENG_HTTP_PARSE_MORE,
	    rc == ENG_HTTP_PARSE_MORE);
	if (rc != ENG_HTTP_PARSE_MORE)
		ck_assert_int_eq(eng_http_parse_eof(&p), rc);
	g->rc = rc;
	g->status = p.status;
	snprintf(g->err, sizeof(g->err), "%s", rc == ENG_HTTP_PARSE_ERROR ?
	    p.err : "");
	snprintf(g->apiver, sizeof(g->apiver), "%s", p.apiver);
}

/* check_case - g against what c wants, with how it was cut */
static void
check_case(const struct pcase *c, const struct got *g, const char *how)
{
	size_t	blen = strlen(c->body);

	/* "HTTP" fed after the end counts too for body-until-close */
	ck_assert_msg(g->rc == c->rc, "%s (%s): rc: got %d, want %d (%s)",
	    c->name, how, g->rc, c->rc, g->err);
	ck_assert_msg(g->status == c->status, "%s (%s): status: got %d, "
	    "want %d", c->name, how, g->status, c->status);
	ck_assert_msg(g->len >= blen && memcmp(g->body, c->body, blen) == 0,
	    "%s (%s): body: got %.*s, want %s", c->name, how, (int)g->len,
	    g->body, c->body);
	ck_assert_msg(g->len == blen || (c->rc == ENG_HTTP_PARSE_MORE &&
	    g->len == blen + 4), "%s (%s): body length: got %zu, want %zu",
	    c->name, how, g->len, blen);
	if (c->err != NULL)
		ck_assert_msg(strstr(g->err, c->err) != NULL, "%s (%s): err: "
		    "got %s, want %s", c->name, how, g->err, c->err);
	else
		ck_assert_msg(g->err[0] == '\0', "%s (%s): err: got %s",
		    c->name, how, g->err);
	ck_assert_msg(strcmp(g->apiver, c->apiver != NULL ? c->apiver :
	    "") == 0, "%s (%s): apiver: got %s, want %s", c->name, how,
	    g->apiver, c->apiver != NULL ? c->apiver : "");
}

START_TEST(test_table)
{
	const struct pcase	*c = &pcases[_i];
	struct got		 g;
	char			*in, how[64];
	size_t			 len = strlen(c->in), cut, *cuts, i;

	/* a copy of exactly its size: ASan sees a read past the end */
	in = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(in);
	memcpy(in, c->in, len);
	got_init(&g);
	run(c->head, in, len, c->eof, NULL, 0, &g);
	check_case(c, &g, "whole");
	for (cut = 0; cut <= len; cut++) {
		free(g.body);
		got_init(&g);
		run(c->head, in, len, c->eof, &cut, 1, &g);
		snprintf(how, sizeof(how), "cut at %zu", cut);
		check_case(c, &g, how);
	}
	cuts = malloc((len + 1) * sizeof(*cuts));
	ck_assert_ptr_nonnull(cuts);
	for (i = 0; i < len; i++)
		cuts[i] = i + 1;
	free(g.body);
	got_init(&g);
	run(c->head, in, len, c->eof, cuts, len > 0 ? len - 1 : 0, &g);
	check_case(c, &g, "a byte at a time");
	free(cuts);
	free(g.body);
	free(in);
}
END_TEST

/* big - an answer with n header lines "X-N: " + vlen bytes, then tail */
static char *
big(size_t n, size_t vlen, const char *tail, size_t *len)
{
	char	*s, *p;
	size_t	 i, cap = 64 + n * (vlen + 32) + strlen(tail);

	s = p = malloc(cap);
	ck_assert_ptr_nonnull(s);
	p += sprintf(p, OK200);
	for (i = 0; i < n; i++) {
		p += sprintf(p, "X-%zu: ", i);
		memset(p, 'v', vlen);
		p += vlen;
		p += sprintf(p, "\r\n");
	}
	p += sprintf(p, "%s", tail);
	*len = (size_t)(p - s);
	return (s);
}

/* run_cuts - parse s a few ways; all must agree on rc and err */
static void
run_cuts(const char *s, size_t len, int want, const char *err)
{
	const size_t	 some[] = { 1, 17, len / 2, len - 1 };
	struct got	 g;
	size_t		 i;

	for (i = 0; i <= 4; i++) {
		got_init(&g);
		if (i == 4)
			run(0, s, len, 1, NULL, 0, &g);
		else
			run(0, s, len, 1, &some[i], 1, &g);
		ck_assert_msg(g.rc == want, "got %d, want %d (%s)", g.rc, want,
		    g.err);
		if (err != NULL)
			ck_assert_msg(strstr(g.err, err) != NULL, "got %s, "
			    "want %s", g.err, err);
		free(g.body);
	}
}

START_TEST(test_limits)
{
	char	*s, *t;
	size_t	 len, n;

	/* 100 header lines are fine, 101 are not */
	s = big(100, 4, "Content-Length: 0\r\n\r\n", &len);
	run_cuts(s, len, ENG_HTTP_PARSE_ERROR, "more than 100 header lines");
	free(s);
	s = big(99, 4, "Content-Length: 0\r\n\r\n", &len);
	run_cuts(s, len, ENG_HTTP_PARSE_DONE, NULL);
	free(s);
	/* a head of 64 KiB is fine, one byte more is not */
	s = big(1, 0, "\r\n", &len);
	n = ENG_HTTP_PARSE_HEAD_MAX - len;
	free(s);
	s = big(1, n, "\r\n", &len);
	ck_assert_uint_eq(len, ENG_HTTP_PARSE_HEAD_MAX);
	run_cuts(s, len, ENG_HTTP_PARSE_DONE, NULL);
	free(s);
	s = big(1, n + 1, "\r\n", &len);
	run_cuts(s, len, ENG_HTTP_PARSE_ERROR, "answer head over 64 KiB");
	free(s);
	/* the limit counts every answer's head, 1xx too */
	t = malloc(ENG_HTTP_PARSE_HEAD_MAX + 64);
	ck_assert_ptr_nonnull(t);
	for (len = 0; len < ENG_HTTP_PARSE_HEAD_MAX; len += 25)
		memcpy(t + len, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	run_cuts(t, len, ENG_HTTP_PARSE_ERROR, "answer head over 64 KiB");
	free(t);
	/* a chunk size line of 4096 bytes, of 4097 */
	s = malloc(8192);
	ck_assert_ptr_nonnull(s);
	len = (size_t)sprintf(s, OK200 CHUNKED "\r\n1;");
	memset(s + len, 'e', ENG_HTTP_PARSE_LINE_MAX - 2);
	len += ENG_HTTP_PARSE_LINE_MAX - 2;
	len += (size_t)sprintf(s + len, "\r\nz\r\n0\r\n\r\n");
	run_cuts(s, len, ENG_HTTP_PARSE_DONE, NULL);
	len = (size_t)sprintf(s, OK200 CHUNKED "\r\n1;");
	memset(s + len, 'e', ENG_HTTP_PARSE_LINE_MAX - 1);
	len += ENG_HTTP_PARSE_LINE_MAX - 1;
	len += (size_t)sprintf(s + len, "\r\nz\r\n0\r\n\r\n");
	run_cuts(s, len, ENG_HTTP_PARSE_ERROR, "chunk size line too long");
	/* leading zeros count as line, not as value */
	len = (size_t)sprintf(s, OK200 CHUNKED "\r\n");
	memset(s + len, '0', 100);
	len += 100;
	len += (size_t)sprintf(s + len, "1\r\nz\r\n0\r\n\r\n");
	run_cuts(s, len, ENG_HTTP_PARSE_DONE, NULL);
	free(s);
	/* a trailer over 64 KiB */
	s = malloc(ENG_HTTP_PARSE_HEAD_MAX + 256);
	ck_assert_ptr_nonnull(s);
	len = (size_t)sprintf(s, OK200 CHUNKED "\r\n0\r\nX: ");
	memset(s + len, 't', ENG_HTTP_PARSE_HEAD_MAX);
	len += ENG_HTTP_PARSE_HEAD_MAX;
	len += (size_t)sprintf(s + len, "\r\n\r\n");
	run_cuts(s, len, ENG_HTTP_PARSE_ERROR, "trailer over 64 KiB");
	free(s);
}
END_TEST

START_TEST(test_big_body)
{
	struct got	 g;
	char		*s;
	size_t		 len, i, body = 200000;
	const size_t	 cuts[] = { 10, 100, 5000, 70000, 199999 };

	/* a chunked body in chunks of 1000, cut anywhere */
	s = malloc(body + body / 1000 * 16 + 128);
	ck_assert_ptr_nonnull(s);
	len = (size_t)sprintf(s, OK200 CHUNKED "\r\n");
	for (i = 0; i < body; i += 1000) {
		len += (size_t)sprintf(s + len, "3e8\r\n");
		memset(s + len, 'a' + (int)(i / 1000 % 26), 1000);
		len += 1000;
		len += (size_t)sprintf(s + len, "\r\n");
	}
	len += (size_t)sprintf(s + len, "0\r\n\r\n");
	got_init(&g);
	run(0, s, len, 0, cuts, 5, &g);
	ck_assert_int_eq(g.rc, ENG_HTTP_PARSE_DONE);
	ck_assert_uint_eq(g.len, body);
	for (i = 0; i < body; i++)
		ck_assert_int_eq(g.body[i], 'a' + (int)(i / 1000 % 26));
	free(g.body);
	free(s);
}
END_TEST

START_TEST(test_stop)
{
	struct eng_http_parse	 p;
	struct got		 g;
	const char		*in = OK200 "Content-Length: 10\r\n\r\n"
				    "0123456789";
	size_t			 len = strlen(in);

	/* stop at the first piece: STOP, and it sticks */
	got_init(&g);
	g.stop_at = 1;
	eng_http_parse_init(&p, 0);
	ck_assert_int_eq(feed(&p, in, 0, len - 5, &g), ENG_HTTP_PARSE_STOP);
	ck_assert_int_eq(feed(&p, in, len - 5, len, &g), ENG_HTTP_PARSE_STOP);
	ck_assert_int_eq(eng_http_parse_eof(&p), ENG_HTTP_PARSE_STOP);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_uint_eq(g.len, 5);
	/* a stop on the last piece wins over done */
	free(g.body);
	got_init(&g);
	g.stop_at = 2;
	eng_http_parse_init(&p, 0);
	ck_assert_int_eq(feed(&p, in, 0, len - 5, &g), ENG_HTTP_PARSE_MORE);
	ck_assert_int_eq(feed(&p, in, len - 5, len, &g), ENG_HTTP_PARSE_STOP);
	ck_assert_uint_eq(g.len, 10);
	/* without a callback the body is dropped */
	eng_http_parse_init(&p, 0);
	ck_assert_int_eq(eng_http_parse_feed(&p, in, len, NULL, NULL),
	    ENG_HTTP_PARSE_DONE);
	ck_assert_int_eq(p.status, 200);
	free(g.body);
}
END_TEST

/* eng_http_parse_suite - the response parser */
Suite *
eng_http_parse_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("eng_http_parse");
	tc = tcase_create("table");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_table, 0,
	    (int)(sizeof(pcases) / sizeof(pcases[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_big_body);
	tcase_add_test(tc, test_stop);
	suite_add_tcase(s, tc);
	return (s);
}
