/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_mcp_rpc - unit tests for the JSON-RPC lines of the MCP stdio
 *	transport (workers/mcp/mcp_jsonrpc.c)
 * SYNOPSIS
 *	Suite	*mcp_rpc_suite(void);
 * DESCRIPTION
 *	The classifier: one table row per kind of line a server may write
 *	(results, errors, notifications, its own requests, and what is not
 *	JSON-RPC), each with the verdict and what it must pick out. The
 *	line splitter: a stream cut at every byte gives the same lines as
 *	in one piece; CRLF; empty lines; a line of exactly the limit and
 *	one byte over it, whole and in pieces; a callback that stops the
 *	feed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mcp_jsonrpc.h"

Suite	*mcp_rpc_suite(void);

static const struct class_case {
	const char		*line;
	enum mcp_jsonrpc_kind	 kind;
	long long		 rid;		/* responses */
	const char		*method;	/* requests, notifications */
	long			 code;		/* errors */
	const char		*why;		/* invalid: m.why */
} class_cases[] = {
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":"
	    "\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":"
	    "{\"name\":\"x\",\"version\":\"1\"}}}", MCP_JSONRPC_RESPONSE, 1,
	    NULL, 0, NULL },
	{ "{\"result\":{},\"id\":9007199254740992,\"jsonrpc\":\"2.0\"}",
	    MCP_JSONRPC_RESPONSE, 9007199254740992LL, NULL, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{}}",
	    MCP_JSONRPC_RESPONSE, -1, NULL, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"result\":{}}",
	    MCP_JSONRPC_RESPONSE, -1, NULL, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":[]}",
	    MCP_JSONRPC_RESPONSE, -1, NULL, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}",
	    MCP_JSONRPC_RESPONSE, 3, NULL, 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,"
	    "\"message\":\"Invalid params\",\"data\":{}}}", MCP_JSONRPC_ERROR,
	    7, NULL, -32602, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
	    "\"message\":\"Parse error\"}}", MCP_JSONRPC_ERROR, -1, NULL,
	    -32700, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/"
	    "list_changed\"}", MCP_JSONRPC_NOTIFICATION, -1,
	    "notifications/tools/list_changed", 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
	    "\"params\":{\"level\":\"info\",\"data\":\"hi\"}}",
	    MCP_JSONRPC_NOTIFICATION, -1, "notifications/message", 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"srv-1\",\"method\":\"ping\"}",
	    MCP_JSONRPC_REQUEST, -1, "ping", 0, NULL },
	{ "{\"jsonrpc\":\"2.0\",\"id\":-4,\"method\":\"roots/list\","
	    "\"params\":[]}", MCP_JSONRPC_REQUEST, -1, "roots/list", 0, NULL },
	{ "  {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}  \t",
	    MCP_JSONRPC_RESPONSE, 2, NULL, 0, NULL },
	/* not JSON-RPC */
	{ "hello", MCP_JSONRPC_INVALID, -1, NULL, 0, "not JSON" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}", MCP_JSONRPC_INVALID,
	    -1, NULL, 0, "not JSON" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}} {}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "more after the JSON value" },
	{ "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}]",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "a batch (JSON-RPC batches are "
	    "not supported)" },
	{ "42", MCP_JSONRPC_INVALID, -1, NULL, 0, "not a JSON object" },
	{ "{\"id\":1,\"result\":{}}", MCP_JSONRPC_INVALID, -1, NULL, 0,
	    "no \"jsonrpc\": \"2.0\"" },
	{ "{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":{}}", MCP_JSONRPC_INVALID,
	    -1, NULL, 0, "no \"jsonrpc\": \"2.0\"" },
	{ "{\"jsonrpc\":\"2.0\"}", MCP_JSONRPC_INVALID, -1, NULL, 0,
	    "neither a method, a result nor an error" },
	{ "{\"jsonrpc\":\"2.0\",\"result\":{}}", MCP_JSONRPC_INVALID, -1,
	    NULL, 0, "a response without an id" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,"
	    "\"message\":\"x\"}}", MCP_JSONRPC_INVALID, -1, NULL, 0,
	    "both a result and an error" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":{},\"result\":{}}", MCP_JSONRPC_INVALID,
	    -1, NULL, 0, "a response id is neither a string, a number nor "
	    "null" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\","
	    "\"message\":\"m\"}}", MCP_JSONRPC_INVALID, -1, NULL, 0,
	    "an error without an integer code and a string message" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1}}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "an error without an integer "
	    "code and a string message" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1.5,\"message\":"
	    "\"m\"}}", MCP_JSONRPC_INVALID, -1, NULL, 0, "an error code that "
	    "is not an integer" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"bad\"}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "an error without an integer "
	    "code and a string message" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":5}", MCP_JSONRPC_INVALID, -1, NULL,
	    0, "method is not a non-empty string" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"\"}", MCP_JSONRPC_INVALID, -1,
	    NULL, 0, "method is not a non-empty string" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"result\":{}}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "a method with a result or an "
	    "error" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"p\"}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "params is neither an object "
	    "nor an array" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":null}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "a request id is neither a "
	    "string nor an integer" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":2.5}",
	    MCP_JSONRPC_INVALID, -1, NULL, 0, "a request id is neither a "
	    "string nor an integer" },
};

/* test_classify - each line gets its verdict and its parts */
START_TEST(test_classify)
{
	const struct class_case	*cc = &class_cases[_i];
	struct mcp_jsonrpc_msg	 m;
	enum mcp_jsonrpc_kind	 k;

	k = mcp_jsonrpc_classify(cc->line, strlen(cc->line), &m);
	ck_assert_msg(k == cc->kind && m.kind == k, "case %d: got %s, want "
	    "%s (%s)", _i, mcp_jsonrpc_kind_name(k),
	    mcp_jsonrpc_kind_name(cc->kind), m.why);
	switch (k) {
	case MCP_JSONRPC_RESPONSE:
		ck_assert_msg(m.rid == cc->rid, "case %d: got id %lld, want "
		    "%lld", _i, (long long)m.rid, cc->rid);
		ck_assert_ptr_nonnull(m.result);
		break;
	case MCP_JSONRPC_ERROR:
		ck_assert_msg(m.rid == cc->rid, "case %d: got id %lld", _i,
		    (long long)m.rid);
		ck_assert_int_eq(m.code, cc->code);
		ck_assert_ptr_nonnull(m.message);
		break;
	case MCP_JSONRPC_REQUEST:
		ck_assert_ptr_nonnull(m.id);
		/* FALLTHROUGH */
	case MCP_JSONRPC_NOTIFICATION:
		ck_assert_str_eq(m.method, cc->method);
		break;
	default:
		ck_assert_msg(strcmp(m.why, cc->why) == 0, "case %d: got "
		    "\"%s\", want \"%s\"", _i, m.why, cc->why);
		break;
	}
	mcp_jsonrpc_msg_free(&m);
	ck_assert_ptr_null(m.root);
}
END_TEST

/* test_classify_nul - a NUL byte inside the line */
START_TEST(test_classify_nul)
{
	static const char line[] = "{\"jsonrpc\":\"2.0\",\"id\":1,"
	    "\"result\":{}}\0x";
	struct mcp_jsonrpc_msg	m;

	ck_assert_int_eq(mcp_jsonrpc_classify(line, sizeof(line) - 1, &m),
	    MCP_JSONRPC_INVALID);
	ck_assert_str_eq(m.why, "a NUL byte");
	mcp_jsonrpc_msg_free(&m);
	/* the length is what counts, not a NUL after it */
	ck_assert_int_eq(mcp_jsonrpc_classify(line, sizeof(line) - 3, &m),
	    MCP_JSONRPC_RESPONSE);
	mcp_jsonrpc_msg_free(&m);
}
END_TEST

/* the lines a feed gave, joined with '|' */
struct got {
	char	buf[4096];
	size_t	len;
	int	calls;
	int	stop_at;	/* return 7 on this call, 0: never */
};

/* got_line - the splitter's callback: note the line */
static int
got_line(const char *line, size_t len, void *arg)
{
	struct got	*g = arg;

	g->calls++;
	ck_assert_uint_gt(len, 0);
	ck_assert_ptr_null(memchr(line, '\n', len));
	ck_assert_msg(line[len - 1] != '\r', "a CR left at the end");
	if (g->len + len + 1 < sizeof(g->buf)) {
		memcpy(g->buf + g->len, line, len);
		g->len += len;
		g->buf[g->len++] = '|';
		g->buf[g->len] = '\0';
	}
	return (g->calls == g->stop_at ? 7 : 0);
}

static const char	stream[] = "{\"a\":1}\n\n\r\n{\"b\":2}\r\n  \n"
			    "{\"c\":\"x\\ny\"}\nlast";
static const char	want_lines[] = "{\"a\":1}|{\"b\":2}|  |{\"c\":\"x\\ny\"}|";

/* test_lines_whole - the stream in one piece */
START_TEST(test_lines_whole)
{
	struct mcp_jsonrpc_lines	l;
	struct got			g;

	memset(&g, 0, sizeof(g));
	mcp_jsonrpc_lines_init(&l, 64);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, stream, strlen(stream),
	    got_line, &g), 0);
	ck_assert_str_eq(g.buf, want_lines);
	ck_assert_uint_eq(l.len, 4);		/* "last" waits */
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, "\n", 1, got_line, &g),
	    0);
	ck_assert_int_eq(g.calls, 5);
	mcp_jsonrpc_lines_free(&l);
}
END_TEST

/* test_lines_split - cut at every byte: the same lines */
START_TEST(test_lines_split)
{
	struct mcp_jsonrpc_lines	l;
	struct got			g;
	size_t				cut = (size_t)_i, n = strlen(stream);

	memset(&g, 0, sizeof(g));
	mcp_jsonrpc_lines_init(&l, 64);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, stream, cut, got_line,
	    &g), 0);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, stream + cut, n - cut,
	    got_line, &g), 0);
	ck_assert_msg(strcmp(g.buf, want_lines) == 0, "cut at %zu: got "
	    "\"%s\"", cut, g.buf);
	mcp_jsonrpc_lines_free(&l);
}
END_TEST

/* test_lines_bytes - one byte at a time */
START_TEST(test_lines_bytes)
{
	struct mcp_jsonrpc_lines	l;
	struct got			g;
	size_t				i;

	memset(&g, 0, sizeof(g));
	mcp_jsonrpc_lines_init(&l, 64);
	for (i = 0; i < strlen(stream); i++)
		ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, stream + i, 1,
		    got_line, &g), 0);
	ck_assert_str_eq(g.buf, want_lines);
	mcp_jsonrpc_lines_free(&l);
}
END_TEST

/* test_lines_long - the limit: max bytes pass, max + 1 do not */
START_TEST(test_lines_long)
{
	struct mcp_jsonrpc_lines	l;
	struct got			g;
	char				buf[40];

	memset(buf, 'x', sizeof(buf));
	memset(&g, 0, sizeof(g));
	mcp_jsonrpc_lines_init(&l, 16);
	/* exactly 16 bytes, whole and in two pieces */
	buf[16] = '\n';
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf, 17, got_line, &g),
	    0);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf, 10, got_line, &g),
	    0);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf + 10, 7, got_line,
	    &g), 0);
	ck_assert_int_eq(g.calls, 2);
	/* 15 bytes and a CR: the CR counts */
	buf[15] = '\r';
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf, 17, got_line, &g),
	    0);
	ck_assert_int_eq(g.calls, 3);
	buf[15] = 'x';
	buf[16] = 'x';
	/* 17 bytes: over, whole, in pieces, and with no newline yet */
	buf[17] = '\n';
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf, 18, got_line, &g),
	    MCP_JSONRPC_E_LONG);
	mcp_jsonrpc_lines_free(&l);
	mcp_jsonrpc_lines_init(&l, 16);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf, 9, got_line, &g), 0);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf + 9, 9, got_line,
	    &g), MCP_JSONRPC_E_LONG);
	mcp_jsonrpc_lines_free(&l);
	mcp_jsonrpc_lines_init(&l, 16);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, buf, 17, got_line, &g),
	    MCP_JSONRPC_E_LONG);
	ck_assert_int_eq(g.calls, 3);
	ck_assert_uint_le(l.cap, 16);		/* nothing past the limit */
	mcp_jsonrpc_lines_free(&l);
}
END_TEST

/* test_lines_stop - a callback's non-zero ends the feed */
START_TEST(test_lines_stop)
{
	struct mcp_jsonrpc_lines	l;
	struct got			g;

	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	mcp_jsonrpc_lines_init(&l, 0);
	ck_assert_uint_eq(l.max, MCP_JSONRPC_LINE_MAX);
	ck_assert_int_eq(mcp_jsonrpc_lines_feed(&l, "a\nb\nc\n", 6, got_line,
	    &g), 7);
	ck_assert_str_eq(g.buf, "a|b|");
	mcp_jsonrpc_lines_free(&l);
}
END_TEST

/* mcp_rpc_suite - JSON-RPC lines */
Suite *
mcp_rpc_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("mcp_rpc");
	tc = tcase_create("classify");
	tcase_add_loop_test(tc, test_classify, 0,
	    (int)(sizeof(class_cases) / sizeof(class_cases[0])));
	tcase_add_test(tc, test_classify_nul);
	suite_add_tcase(s, tc);
	tc = tcase_create("lines");
	tcase_add_test(tc, test_lines_whole);
	tcase_add_loop_test(tc, test_lines_split, 0, (int)sizeof(stream));
	tcase_add_test(tc, test_lines_bytes);
	tcase_add_test(tc, test_lines_long);
	tcase_add_test(tc, test_lines_stop);
	suite_add_tcase(s, tc);
	return (s);
}
