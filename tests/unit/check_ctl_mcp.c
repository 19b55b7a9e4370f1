/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl_mcp - unit tests for corralctl mcp
 * SYNOPSIS
 *	Suite	*ctl_mcp_suite(void);
 * DESCRIPTION
 *	"args" drives mcp_args_parse over command lines, good ones (what
 *	they set: subcommand, names, the arguments object, the timeouts,
 *	--json as the global flag or as the object) and bad ones (exit 2
 *	and the exact usage line, captured from stderr), and
 *	mcp_args_value over --arg values. "views" checks the servers
 *	table, the tools table cut to a width, a call's result (text,
 *	summaries of other items, structuredContent, isError, cleaning)
 *	and the RFC 3339 reader. Table-driven tests print "got X, want Y".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "../../ctl/ctl.h"
#include "../../ctl/mcp_args.h"
#include "../../ctl/mcp_view.h"
#include "ctl_argv.h"

Suite	*ctl_mcp_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define T_ARGV_MAX	24
#define T_NOW		1795636800	/* 2026-11-25T20:00:00Z */

static const struct ctl_cmd t_cmd = {
	.name = "mcp",
	.args = "",
	.summary = "",
	.help = "",
	.run = NULL,
};

/* t_parse - parse a '|'-separated command line; stderr into err */
static int
t_parse(const char *line, struct ctl *ctl, struct mcp_args *a, char *err,
    size_t errlen)
{
	struct ctl_argv_err	 e;
	char			*argv[T_ARGV_MAX];
	int			 argc, rc;

	argc = ctl_argv_split(line, "|", argv, T_ARGV_MAX);
	ctl_argv_start(ctl, &e);
	rc = mcp_args_parse(ctl, &t_cmd, argc, argv, a);
	ctl_argv_end(&e, err, errlen);
	return (rc);
}

static const struct good_case {
	const char	*line;		/* words split at '|' */
	int		 sub;
	const char	*server;
	const char	*tool;
	const char	*args;		/* the arguments object, or NULL */
	long		 timeout;	/* a.timeout */
	double		 rtimeout;	/* ctl.timeout */
	int		 json;		/* ctl.json */
} good_cases[] = {
	{ "", MCP_SERVERS, NULL, NULL, NULL, -1, 10, 0 },
	{ "servers", MCP_SERVERS, NULL, NULL, NULL, -1, 10, 0 },
	{ "servers|--json", MCP_SERVERS, NULL, NULL, NULL, -1, 10, 1 },
	{ "--timeout|2.5|servers", MCP_SERVERS, NULL, NULL, NULL, -1, 2.5, 0 },
	{ "tools|everything", MCP_TOOLS, "everything", NULL, NULL, -1, 10, 0 },
	{ "tools|--json|a.b_c-9|--timeout=3", MCP_TOOLS, "a.b_c-9", NULL,
	    NULL, -1, 3, 1 },
	{ "call|everything|echo", MCP_CALL, "everything", "echo", "{}", -1,
	    10, 0 },
	{ "call|e|echo|--arg|message=hi|--arg=n=5|--arg|b=true|--arg|z=null",
	    MCP_CALL, "e", "echo",
	    "{\"message\":\"hi\",\"n\":5,\"b\":true,\"z\":null}", -1, 10, 0 },
	{ "call|e|t|--arg|o={\"a\":[1,2]}|--arg|s=\"5\"|--arg|e=|"
	    "--arg|x=a=b|--arg|w=5 apples|--arg|-k=--v",
	    MCP_CALL, "e", "t", "{\"o\":{\"a\":[1,2]},\"s\":\"5\",\"e\":\"\","
	    "\"x\":\"a=b\",\"w\":\"5 apples\",\"-k\":\"--v\"}", -1, 10, 0 },
	{ "call|e|t|--json|{\"a\":1,\"b\":[true]}", MCP_CALL, "e", "t",
	    "{\"a\":1,\"b\":[true]}", -1, 10, 0 },
	{ "call|e|t|--json| {}", MCP_CALL, "e", "t", "{}", -1, 10, 0 },
	{ "call|e|t|--json={\"a\":1}|--json", MCP_CALL, "e", "t", "{\"a\":1}",
	    -1, 10, 1 },
	{ "--json|call|e|t", MCP_CALL, "e", "t", "{}", -1, 10, 1 },
	{ "call|e|--json|t", MCP_CALL, "e", "t", "{}", -1, 10, 1 },
	{ "call|e|t|--timeout|3600|--arg|k=v", MCP_CALL, "e", "t",
	    "{\"k\":\"v\"}", 3600, 10, 0 },
	{ "--timeout=1|call|e|t", MCP_CALL, "e", "t", "{}", 1, 10, 0 },
	{ "call|--|e|-t", MCP_CALL, "e", "-t", "{}", -1, 10, 0 },
	{ "call|e|"
	    "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT"
	    "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT",
	    MCP_CALL, "e",
	    "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT"
	    "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT",
	    "{}", -1, 10, 0 },
};

/* test_good - good command lines and what they set */
START_TEST(test_good)
{
	const struct good_case	*c = &good_cases[_i];
	struct mcp_args		 a;
	struct ctl		 ctl;
	char			 err[512], *got;
	int			 rc;

	rc = t_parse(c->line, &ctl, &a, err, sizeof(err));
	ck_assert_msg(rc == MCP_ARGS_GO, "'%s': got %d (%s)", c->line, rc,
	    err);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(a.sub, c->sub);
	if (c->server == NULL)
		ck_assert_ptr_null(a.server);
	else
		ck_assert_str_eq(a.server, c->server);
	if (c->tool == NULL)
		ck_assert_ptr_null(a.tool);
	else
		ck_assert_str_eq(a.tool, c->tool);
	if (c->args == NULL)
		ck_assert_ptr_null(a.arguments);
	else {
		got = cJSON_PrintUnformatted(a.arguments);
		ck_assert_msg(got != NULL && strcmp(got, c->args) == 0,
		    "'%s': got %s, want %s", c->line, got, c->args);
		cJSON_free(got);
	}
	ck_assert_msg(a.timeout == c->timeout, "'%s': got timeout %ld, want "
	    "%ld", c->line, a.timeout, c->timeout);
	ck_assert_msg(ctl.timeout == c->rtimeout, "'%s': got read timeout %g,"
	    " want %g", c->line, ctl.timeout, c->rtimeout);
	ck_assert_msg(ctl.json == c->json, "'%s': got json %d, want %d",
	    c->line, ctl.json, c->json);
	mcp_args_free(&a);
	mcp_args_free(&a);		/* twice is fine */
}
END_TEST

/* test_help - -h and --help anywhere */
START_TEST(test_help)
{
	struct mcp_args	a;
	struct ctl	ctl;
	char		err[512];

	ck_assert_int_eq(t_parse("call|e|t|--help", &ctl, &a, err,
	    sizeof(err)), MCP_ARGS_HELP);
	mcp_args_free(&a);
	ck_assert_int_eq(t_parse("-h", &ctl, &a, err, sizeof(err)),
	    MCP_ARGS_HELP);
	mcp_args_free(&a);
}
END_TEST

#define T_USAGE(m)	"corralctl: mcp: " m " (see corralctl mcp --help)\n"

static const struct bad_case {
	const char	*line;
	const char	*want;		/* the whole of stderr */
} bad_cases[] = {
	{ "nope", T_USAGE("unknown subcommand 'nope' (servers, tools or "
	    "call)") },
	{ "servers|x", T_USAGE("unexpected argument 'x'") },
	{ "tools", T_USAGE("tools: missing server name") },
	{ "tools|a|b", T_USAGE("unexpected argument 'b'") },
	{ "call", T_USAGE("call: missing server name and tool name") },
	{ "call|e", T_USAGE("call: missing tool name") },
	{ "call|e|t|u", T_USAGE("unexpected argument 'u'") },
	{ "tools|.x", T_USAGE("'.x' is not a server name (1 to 64 letters, "
	    "digits, '.', '_', '-')") },
	{ "tools|--|-x", T_USAGE("'-x' is not a server name (1 to 64 "
	    "letters, digits, '.', '_', '-')") },
	{ "tools|a/b", T_USAGE("'a/b' is not a server name (1 to 64 letters, "
	    "digits, '.', '_', '-')") },
	{ "tools|"
	    "sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss",
	    T_USAGE("'"
	    "sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"
	    "' is not a server name (1 to 64 letters, digits, '.', '_', "
	    "'-')") },
	{ "call|e|a b", T_USAGE("'a b' is not a tool name corral can call (1 "
	    "to 128 letters, digits, '.', '_', '-')") },
	{ "call|e|.t", T_USAGE("'.t' is not a tool name corral can call (1 "
	    "to 128 letters, digits, '.', '_', '-')") },
	{ "call|e|t|--arg|k", T_USAGE("--arg: 'k' is not KEY=VALUE") },
	{ "call|e|t|--arg|=v", T_USAGE("--arg: '=v' is not KEY=VALUE") },
	{ "call|e|t|--arg", T_USAGE("--arg needs a value") },
	{ "call|e|t|--arg=", T_USAGE("--arg: empty value") },
	{ "call|e|t|--arg|k=1|--arg|k=2", T_USAGE("--arg: k given twice") },
	{ "call|e|t|--json|{\"a\":1}|--arg|k=v",
	    T_USAGE("--json and --arg cannot be used together") },
	{ "call|e|t|--arg|k=v|--json={}",
	    T_USAGE("--json and --arg cannot be used together") },
	{ "call|e|t|--json|{\"a\":", T_USAGE("--json: not a JSON object") },
	{ "call|e|t|--json={} x", T_USAGE("--json: not a JSON object") },
	{ "call|e|t|--json=[1]", T_USAGE("--json: not a JSON object") },
	{ "call|e|t|--json=", T_USAGE("--json: empty value") },
	{ "call|e|t|--json={}|--json|{}", T_USAGE("--json given twice") },
	{ "call|e|t|--timeout|0", T_USAGE("--timeout: '0' is not a whole "
	    "number of seconds from 1 to 3600") },
	{ "call|e|t|--timeout|3601", T_USAGE("--timeout: '3601' is not a "
	    "whole number of seconds from 1 to 3600") },
	{ "call|e|t|--timeout|1.5", T_USAGE("--timeout: '1.5' is not a whole "
	    "number of seconds from 1 to 3600") },
	{ "call|e|t|--timeout|-5", T_USAGE("--timeout: '-5' is not a whole "
	    "number of seconds from 1 to 3600") },
	{ "call|e|t|--timeout|5|--timeout|6", T_USAGE("--timeout given "
	    "twice") },
	{ "tools|e|--timeout|0", T_USAGE("--timeout: '0' is not a number of "
	    "seconds (0 < SECS <= 86400)") },
	{ "tools|e|--arg|k=v", T_USAGE("--arg is not an option of tools") },
	{ "servers|--json|{}", T_USAGE("--json OBJ is not an option of "
	    "servers") },
	{ "servers|--bogus", T_USAGE("unknown option '--bogus'") },
	{ "call|e|t|--token|x", T_USAGE("--token is not accepted: the token "
	    "would show in ps; use --token-file FILE or CORRAL_TOKEN") },
};

/* test_bad - exit 2 and the one usage line, exactly */
START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct mcp_args		 a;
	struct ctl		 ctl;
	char			 err[1024];
	int			 rc;

	rc = t_parse(c->line, &ctl, &a, err, sizeof(err));
	ck_assert_msg(rc == CTL_EXIT_USAGE, "'%s': got %d", c->line, rc);
	ck_assert_msg(strcmp(err, c->want) == 0, "'%s': got '%s', want '%s'",
	    c->line, err, c->want);
	mcp_args_free(&a);
}
END_TEST

static const struct value_case {
	const char	*in;
	const char	*want;		/* printed */
} value_cases[] = {
	{ "5", "5" }, { "-1.5", "-1.5" }, { "true", "true" },
	{ "null", "null" }, { "[1,\"a\"]", "[1,\"a\"]" },
	{ "{\"a\":{}}", "{\"a\":{}}" }, { "\"5\"", "\"5\"" },
	{ " 7 ", "7" }, { "", "\"\"" }, { "hello", "\"hello\"" },
	{ "5 apples", "\"5 apples\"" }, { "[1,", "\"[1,\"" },
	{ "True", "\"True\"" }, { "\"open", "\"\\\"open\"" },
};

/* test_value - mcp_args_value: JSON when it parses, else a string */
START_TEST(test_value)
{
	const struct value_case	*c = &value_cases[_i];
	cJSON			*v;
	char			*got;

	ck_assert_ptr_nonnull(v = mcp_args_value(c->in));
	got = cJSON_PrintUnformatted(v);
	ck_assert_msg(strcmp(got, c->want) == 0, "'%s': got %s, want %s",
	    c->in, got, c->want);
	cJSON_free(got);
	cJSON_Delete(v);
}
END_TEST

/* t_show - what fn(fp, json) writes, into a new string; its result */
static char *
t_show(int (*fn)(FILE *, const cJSON *, void *), const char *json,
    void *arg, int *rc)
{
	cJSON	*o = cJSON_Parse(json);
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	ck_assert_msg(o != NULL, "bad test JSON: %s", json);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	*rc = fn(fp, o, arg);
	fclose(fp);
	cJSON_Delete(o);
	return (buf);
}

/* t_servers - mcp_view_servers at T_NOW */
static int
t_servers(FILE *fp, const cJSON *o, void *arg)
{
	(void)arg;
	return (mcp_view_servers(fp, o, T_NOW));
}

/* t_tools - mcp_view_tools in *(size_t *)arg columns */
static int
t_tools(FILE *fp, const cJSON *o, void *arg)
{
	return (mcp_view_tools(fp, o, *(size_t *)arg));
}

/* t_result - mcp_view_result, cleaning if *(int *)arg */
static int
t_result(FILE *fp, const cJSON *o, void *arg)
{
	return (mcp_view_result(fp, o, *(int *)arg));
}

/* test_servers - the servers table; "-" for what is missing */
START_TEST(test_servers)
{
	char	*out;
	int	 rc;

	out = t_show(t_servers, "[{\"name\":\"everything\",\"transport\":"
	    "\"stdio\",\"enabled\":true,\"state\":\"ready\",\"pid\":4242,"
	    "\"restarts\":0,\"tools\":11,\"last_error\":null,\"since\":"
	    "\"2026-11-25T19:55:48Z\"},{\"name\":\"fs\",\"state\":\"backoff\","
	    "\"pid\":0,\"restarts\":3,\"tools\":null,\"last_error\":\"exited "
	    "with code 1\\u001b[2J\",\"since\":\"2026-11-25T21:00:00+02:00\"},"
	    "{\"name\":\"off\",\"state\":\"disabled\",\"since\":\"yesterday\"},"
	    "{}]", NULL, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out,
	    "NAME        STATE     PID   TOOLS  RESTARTS  SINCE      "
	    "LAST ERROR\n"
	    "everything  ready     4242  11     0         4m12s      -\n"
	    "fs          backoff   -     -      3         1h00m      exited "
	    "with code 1?[2J\n"
	    "off         disabled  -     -      -         yesterday  -\n"
	    "-           -         -     -      -         -          -\n");
	free(out);
	out = t_show(t_servers, "[]", NULL, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "NAME  STATE  PID  TOOLS  RESTARTS  SINCE  "
	    "LAST ERROR\n");
	free(out);
	out = t_show(t_servers, "{\"servers\":[]}", NULL, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

#define T_TOOLS	"[{\"name\":\"echo\",\"description\":\"Echoes back the " \
	"input\"},{\"name\":\"longRunningOperation\",\"description\":" \
	"\"\\n  Demonstrates a long running operation with progress " \
	"updates\\nSecond line\"},{\"name\":\"t\",\"title\":\"Just a " \
	"title\"},{\"name\":\"none\"},{\"name\":\"esc\",\"description\":" \
	"\"a\\u001b[31mred\\tand \\u00e9t\\u00e9 \\u00e9t\\u00e9 \\u00e9t" \
	"\\u00e9 \\u00e9t\\u00e9 \\u00e9t\\u00e9 \\u00e9t\\u00e9 \\u00e9t" \
	"\\u00e9 \\u00e9t\\u00e9 \\u00e9t\\u00e9\"}]"

/* test_tools - NAME and the description's first line, cut to the width */
START_TEST(test_tools)
{
	size_t	 width = 80;
	char	*out;
	int	 rc;

	out = t_show(t_tools, T_TOOLS, &width, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out,
	    "NAME                  DESCRIPTION\n"
	    "echo                  Echoes back the input\n"
	    "longRunningOperation  Demonstrates a long running operation "
	    "with progress upd...\n"
	    "t                     Just a title\n"
	    "none                  -\n"
	    "esc                   a?[31mred?and \xc3\xa9t\xc3\xa9 \xc3\xa9t"
	    "\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9 "
	    "\xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9t"
	    "\xc3\xa9\n");
	/* every line fits: 22 + 58 = 80 columns */
	width = 81;
	free(out);
	out = t_show(t_tools, T_TOOLS, &width, &rc);
	ck_assert_ptr_nonnull(strstr(out, "operation with progress updates\n"));
	free(out);
	width = 60;
	out = t_show(t_tools, T_TOOLS, &width, &rc);
	ck_assert_str_eq(out,
	    "NAME                  DESCRIPTION\n"
	    "echo                  Echoes back the input\n"
	    "longRunningOperation  Demonstrates a long running operati...\n"
	    "t                     Just a title\n"
	    "none                  -\n"
	    "esc                   a?[31mred?and \xc3\xa9t\xc3\xa9 \xc3\xa9t"
	    "\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9 "
	    "\xc3\xa9...\n");
	free(out);
	/* never cut shorter than MCP_VIEW_DESC_MIN characters */
	width = 10;
	out = t_show(t_tools, "[{\"name\":\"echo\",\"description\":\"Echoes "
	    "back the input\"}]", &width, &rc);
	ck_assert_str_eq(out, "NAME  DESCRIPTION\necho  Echoes back t...\n");
	free(out);
	out = t_show(t_tools, "{}", &width, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

static const struct result_case {
	const char	*json;
	int		 clean;
	int		 rc;
	const char	*want;
} result_cases[] = {
	{ "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Echo: "
	    "hi\"}],\"isError\":false}}", 1, 0, "Echo: hi\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"a\\nb\\n\"},"
	    "{\"type\":\"text\",\"text\":\"\"},{\"type\":\"text\",\"text\":"
	    "\"c\"}]}}", 1, 0, "a\nb\n\nc\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"no such "
	    "file\"}],\"isError\":true}}", 0, 1, "no such file\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"image\",\"data\":\"iVBORw0K"
	    "GgoAAA==\",\"mimeType\":\"image/png\"},{\"type\":\"audio\","
	    "\"data\":\"UklGRg==\",\"mimeType\":\"audio/wav\"},{\"type\":"
	    "\"image\"}]}}", 1, 0,
	    "[image image/png, 16 bytes base64]\n"
	    "[audio audio/wav, 8 bytes base64]\n[image]\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"resource_link\",\"uri\":"
	    "\"file:///srv/a.txt\",\"name\":\"a\",\"mimeType\":\"text/plain\"},"
	    "{\"type\":\"resource\",\"resource\":{\"uri\":\"file:///b\","
	    "\"mimeType\":\"text/plain\",\"text\":\"hello\"}},{\"type\":"
	    "\"resource\",\"resource\":{\"uri\":\"file:///c.bin\",\"blob\":"
	    "\"AAAA\"}},{\"type\":\"widget\"},{\"text\":\"x\"},7]}}", 1, 0,
	    "[resource_link file:///srv/a.txt, text/plain]\n"
	    "[resource file:///b, text/plain, 5 bytes text]\n"
	    "[resource file:///c.bin, 4 bytes base64]\n"
	    "[widget]\n[item without a type]\n[item without a type]\n" },
	{ "{\"result\":{\"content\":[],\"structuredContent\":{\"sum\":3}}}", 1,
	    0, "{\n\t\"sum\":\t3\n}\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"3\"}],"
	    "\"structuredContent\":{\"sum\":3}}}", 1, 0, "3\n" },
	{ "{\"result\":{}}", 1, 0, "" },
	{ "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"\\u001b[2J"
	    "red\\tok\\r\\n\\u009b\"}]}}", 1, 0, "?[2Jred\tok?\n?\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"\\u001b[2J"
	    "red\"}]}}", 0, 0, "\x1b[2Jred\n" },
	{ "{\"result\":{\"content\":[{\"type\":\"image\",\"mimeType\":"
	    "\"\\u001b]0;x\",\"data\":\"\"}]}}", 0, 0,
	    "[image ?]0;x, 0 bytes base64]\n" },
	{ "{\"server\":\"e\"}", 1, -1, "" },
	{ "{\"result\":[]}", 1, -1, "" },
};

/* test_result - a call's content, summaries, isError, cleaning */
START_TEST(test_result)
{
	const struct result_case	*c = &result_cases[_i];
	char				*out;
	int				 clean = c->clean, rc;

	out = t_show(t_result, c->json, &clean, &rc);
	ck_assert_msg(rc == c->rc, "case %d: got %d, want %d", _i, rc, c->rc);
	ck_assert_msg(strcmp(out, c->want) == 0, "case %d: got '%s', want "
	    "'%s'", _i, out, c->want);
	free(out);
}
END_TEST

static const struct time_case {
	const char	*in;
	int		 ok;
	long		 want;		/* seconds from T_NOW */
} time_cases[] = {
	{ "2026-11-25T20:00:00Z", 1, 0 },
	{ "2026-11-25T19:59:00.123456Z", 1, -60 },
	{ "2026-11-25T22:00:00+02:00", 1, 0 },
	{ "2026-11-25T17:30:00-02:30", 1, 0 },
	{ "2026-11-25t20:00:01z", 1, 1 },
	{ "2026-11-26T00:00:00Z", 1, 14400 },
	{ "2026-11-25T20:00:00", 0, 0 },
	{ "2026-11-25 20:00:00Z", 0, 0 },
	{ "2026-11-25T20:00:00Zx", 0, 0 },
	{ "2026-11-25T20:00:00+0200", 0, 0 },
	{ "2026-11-25T20:00Z", 0, 0 },
	{ "yesterday", 0, 0 },
	{ "", 0, 0 },
};

/* test_time - mcp_view_time over time_cases */
START_TEST(test_time)
{
	const struct time_case	*c = &time_cases[_i];
	time_t			 t = 0;
	int			 rc;

	rc = mcp_view_time(c->in, &t);
	if (!c->ok)
		ck_assert_msg(rc == -1, "'%s': got %ld, want refused", c->in,
		    (long)t);
	else
		ck_assert_msg(rc == 0 && (long)(t - T_NOW) == c->want,
		    "'%s': got %d/%ld, want %ld", c->in, rc, (long)(t - T_NOW),
		    c->want);
	ck_assert_int_eq(mcp_view_time(NULL, &t), -1);
}
END_TEST

/* ctl_mcp_suite - the suite check_main runs */
Suite *
ctl_mcp_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ctl_mcp");
	tc = tcase_create("args");
	tcase_add_checked_fixture(tc, NULL, ctl_argv_free);
	tcase_add_loop_test(tc, test_good, 0, NELEM(good_cases));
	tcase_add_test(tc, test_help);
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad_cases));
	tcase_add_loop_test(tc, test_value, 0, NELEM(value_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("views");
	tcase_add_test(tc, test_servers);
	tcase_add_test(tc, test_tools);
	tcase_add_loop_test(tc, test_result, 0, NELEM(result_cases));
	tcase_add_loop_test(tc, test_time, 0, NELEM(time_cases));
	suite_add_tcase(s, tc);
	return (s);
}
