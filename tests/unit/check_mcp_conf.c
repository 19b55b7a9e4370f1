/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_mcp_conf - unit tests for the MCP servers file
 *	(workers/mcp/mcp_conf.c)
 * SYNOPSIS
 *	Suite	*mcp_conf_suite(void);
 * DESCRIPTION
 *	One table row per mistake a servers file can hold, each with the
 *	exact line mcp_conf_parse must give after "f.json: ". Good files:
 *	every member read, the defaults, "mcpServers", the sort by name,
 *	the granted secrets. The file checks of mcp_conf_load (missing, a
 *	directory, a FIFO that must not block, too large). Equality, as a
 *	reload uses it.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "mcp_conf.h"

Suite	*mcp_conf_suite(void);

#define S(x)		"{\"servers\":{" x "}}"
#define A(x)		S("\"a\":{\"command\":\"/bin/true\"," x "}")
#define KNOWN		"(known: command, args, env, secret_env, cwd, " \
			"enabled, restart, call_timeout_s, type)"
#define BAD_NAME	"not a server name (1 to 64 of a-z A-Z 0-9 . _ -, " \
			"not starting with . or -)"
#define N64		"abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" \
			"abcdefghij" "abcdefghij" "abcd"

static const struct bad_case {
	const char	*text;
	const char	*want;	/* after "f.json: " */
} bad_cases[] = {
	/* the file as a whole */
	{ "", "not valid JSON (line 1)" },
	{ "{\n\"servers\": {\n", "not valid JSON (line 2)" },
	{ "{\n\"servers\": {\n\"a\": {\"command\" 1}}}",
	    "not valid JSON (line 3)" },
	{ "{\"servers\":{}} {}", "not valid JSON: more after the end (line 1)" },
	{ "[]", "want {\"servers\": {NAME: {...}}}" },
	{ "{}", "servers: missing" },
	{ "{\"server\":{}}", "server: unknown member (the file holds "
	    "\"servers\" or \"mcpServers\")" },
	{ "{\"servers\":{},\"mcpServers\":{}}", "servers and mcpServers: give "
	    "one, not both" },
	{ "{\"servers\":{},\"servers\":{}}", "servers: given twice" },
	{ "{\"servers\":[]}", "servers: want an object of NAME: {...}" },
	{ "{\"mcpServers\":5}", "mcpServers: want an object of NAME: {...}" },
	{ "{\"servers\":{\"a\":{\"command\":\"x\\u0000y\"}}}", "holds a "
	    "\\u0000 escape (line 1)" },
	/* names */
	{ S("\"\":{\"command\":\"x\"}"), "servers.\"\": " BAD_NAME },
	{ S("\".a\":{\"command\":\"x\"}"), "servers..a: " BAD_NAME },
	{ S("\"-a\":{\"command\":\"x\"}"), "servers.-a: " BAD_NAME },
	{ S("\"a b\":{\"command\":\"x\"}"), "servers.a b: " BAD_NAME },
	{ S("\"a/b\":{\"command\":\"x\"}"), "servers.a/b: " BAD_NAME },
	{ S("\"" N64 "x\":{\"command\":\"x\"}"), "servers." N64 "x: "
	    BAD_NAME },
	{ S("\"a\":{\"command\":\"x\"},\"a\":{\"command\":\"y\"}"),
	    "servers.a: given twice" },
	{ "{\"mcpServers\":{\"a\":{\"command\":\"x\"},\"a\":{}}}",
	    "mcpServers.a: given twice" },
	{ S("\"a\":[]"), "servers.a: want an object {\"command\": ..., "
	    "\"args\": [...]}" },
	/* members */
	{ S("\"a\":{}"), "servers.a.command: missing" },
	{ S("\"a\":{\"args\":[]}"), "servers.a.command: missing" },
	{ S("\"a\":{\"url\":\"http://h/mcp\",\"headers\":{}}"),
	    "servers.a.url: streamable HTTP servers are not supported yet "
	    "(use a stdio command)" },
	{ "{\"mcpServers\":{\"w\":{\"type\":\"http\",\"url\":\"https://x\"}}}",
	    "mcpServers.w.url: streamable HTTP servers are not supported yet "
	    "(use a stdio command)" },
	{ A("\"type\":\"sse\""), "servers.a.type: only \"stdio\" is supported "
	    "(streamable HTTP servers are not supported yet)" },
	{ A("\"comand\":\"x\""), "servers.a.comand: unknown member " KNOWN },
	{ A("\"args\":[],\"args\":[]"), "servers.a.args: given twice" },
	{ S("\"a\":{\"command\":5}"), "servers.a.command: want a non-empty "
	    "string" },
	{ S("\"a\":{\"command\":\"\"}"), "servers.a.command: want a non-empty "
	    "string" },
	{ S("\"a\":{\"command\":\"bin/x\"}"), "servers.a.command: want an "
	    "absolute path or a bare name looked up in PATH" },
	{ S("\"a\":{\"command\":\"x\\ty\"}"), "servers.a.command: want a "
	    "program name of at most 255 characters without control "
	    "characters" },
	{ S("\"a\":{\"command\":\"/x\\n\"}"), "servers.a.command: must not "
	    "hold control characters" },
	{ A("\"args\":\"-v\""), "servers.a.args: want an array of at most "
	    "256 strings" },
	{ A("\"args\":[\"a\",1]"), "servers.a.args[1]: want a string" },
	{ A("\"env\":[]"), "servers.a.env: want an object of at most 256 "
	    "\"NAME\": \"value\" strings" },
	{ A("\"env\":{\"A-B\":\"x\"}"), "servers.a.env: 'A-B' is not a "
	    "variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ A("\"env\":{\"1A\":\"x\"}"), "servers.a.env: '1A' is not a "
	    "variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ A("\"env\":{\"A\":1}"), "servers.a.env.A: want a string" },
	{ A("\"env\":{\"A\":\"x\",\"A\":\"y\"}"), "servers.a.env.A: given "
	    "twice" },
	{ A("\"secret_env\":{\"K\":5}"), "servers.a.secret_env.K: want a "
	    "string" },
	{ A("\"secret_env\":{\"K\":\"a b\"}"), "servers.a.secret_env.K: "
	    "'a b' is not a secret name (1 to 128 of A-Z a-z 0-9 . _ -, "
	    "starting with a letter or digit)" },
	{ A("\"secret_env\":{\"K\":\".x\"}"), "servers.a.secret_env.K: "
	    "'.x' is not a secret name (1 to 128 of A-Z a-z 0-9 . _ -, "
	    "starting with a letter or digit)" },
	{ A("\"secret_env\":{\"K\":\"other\"}"), "servers.a.secret_env.K: "
	    "secret 'other' is not in mcp_secrets" },
	{ A("\"env\":{\"K\":\"v\"},\"secret_env\":{\"K\":\"key1\"}"),
	    "servers.a.secret_env.K: also set in env" },
	{ A("\"cwd\":\"rel/dir\""), "servers.a.cwd: want an absolute path" },
	{ A("\"cwd\":5"), "servers.a.cwd: want an absolute path" },
	{ A("\"enabled\":\"yes\""), "servers.a.enabled: want true or false" },
	{ A("\"restart\":\"sometimes\""), "servers.a.restart: want \"always\" "
	    "or \"never\"" },
	{ A("\"call_timeout_s\":0"), "servers.a.call_timeout_s: want a whole "
	    "number of seconds from 1 to 3600" },
	{ A("\"call_timeout_s\":3601"), "servers.a.call_timeout_s: want a "
	    "whole number of seconds from 1 to 3600" },
	{ A("\"call_timeout_s\":1.5"), "servers.a.call_timeout_s: want a "
	    "whole number of seconds from 1 to 3600" },
	{ A("\"call_timeout_s\":\"60\""), "servers.a.call_timeout_s: want a "
	    "whole number of seconds from 1 to 3600" },
	/* the first bad server is the one named */
	{ S("\"ok\":{\"command\":\"x\"},\"bad\":{\"command\":\"x\",\"x\":1}"),
	    "servers.bad.x: unknown member " KNOWN },
};

static const struct mcp_conf_opts opts_granted = { 0, "key1, key2" };

/* test_bad - each bad text gives its one line */
START_TEST(test_bad)
{
	const struct bad_case	*bc = &bad_cases[_i];
	struct mcp_conf		*c;
	char			 err[512], want[512];

	c = mcp_conf_parse("f.json", bc->text, strlen(bc->text),
	    &opts_granted, err, sizeof(err));
	ck_assert_msg(c == NULL, "case %d: parsed, want an error", _i);
	snprintf(want, sizeof(want), "f.json: %s", bc->want);
	ck_assert_msg(strcmp(err, want) == 0, "case %d: got \"%s\", want "
	    "\"%s\"", _i, err, want);
}
END_TEST

/* test_good - every member, the defaults, the order */
START_TEST(test_good)
{
	static const char text[] = "{\"servers\":{"
	    "\"zeta\":{\"command\":\"python3\"},"
	    "\"everything\":{\"command\":\"/usr/bin/node\","
	    "\"args\":[\"/opt/x/index.js\",\"stdio\"],"
	    "\"env\":{\"LOG_LEVEL\":\"info\",\"PATH\":\"/opt/bin\"},"
	    "\"secret_env\":{\"API_KEY\":\"key1\"},"
	    "\"cwd\":\"/srv/mcp/everything\",\"enabled\":false,"
	    "\"restart\":\"never\",\"call_timeout_s\":3600,\"type\":\"stdio\"},"
	    "\"A.b_c-9\":{\"command\":\"x\",\"args\":[]}}}";
	const struct mcp_conf_opts	 o = { 45, "key1" };
	struct mcp_conf			*c;
	struct mcp_conf_server		*s;
	char				 err[512];

	c = mcp_conf_parse("f.json", text, strlen(text), &o, err,
	    sizeof(err));
	ck_assert_msg(c != NULL, "got \"%s\"", err);
	ck_assert_uint_eq(c->n, 3);
	ck_assert_str_eq(c->v[0]->name, "A.b_c-9");
	ck_assert_str_eq(c->v[1]->name, "everything");
	ck_assert_str_eq(c->v[2]->name, "zeta");
	s = c->v[1];
	ck_assert_str_eq(s->command, "/usr/bin/node");
	ck_assert_uint_eq(s->nargs, 2);
	ck_assert_str_eq(s->args[1], "stdio");
	ck_assert_ptr_null(s->args[2]);
	ck_assert_uint_eq(s->nenv, 2);
	ck_assert_str_eq(s->env_name[1], "PATH");
	ck_assert_str_eq(s->env_value[1], "/opt/bin");
	ck_assert_uint_eq(s->nsecret, 1);
	ck_assert_str_eq(s->secret_var[0], "API_KEY");
	ck_assert_str_eq(s->secret_name[0], "key1");
	ck_assert_str_eq(s->cwd, "/srv/mcp/everything");
	ck_assert_int_eq(s->enabled, 0);
	ck_assert_int_eq(s->restart, MCP_RESTART_NEVER);
	ck_assert_int_eq(s->call_timeout_s, 3600);
	s = c->v[2];		/* the defaults */
	ck_assert_str_eq(s->command, "python3");
	ck_assert_uint_eq(s->nargs, 0);
	ck_assert_ptr_null(s->args[0]);
	ck_assert_ptr_null(s->cwd);
	ck_assert_int_eq(s->enabled, 1);
	ck_assert_int_eq(s->restart, MCP_RESTART_ALWAYS);
	ck_assert_int_eq(s->call_timeout_s, 45);
	s = mcp_conf_take(c, 2);
	ck_assert_ptr_null(c->v[2]);
	ck_assert_ptr_null(mcp_conf_take(c, 3));
	mcp_conf_server_free(s);
	mcp_conf_free(c);
}
END_TEST

/* test_variants - mcpServers, an empty list, no opts, 256 args */
START_TEST(test_variants)
{
	struct mcp_conf	*c;
	char		 err[512], *text;
	size_t		 n, i;

	text = malloc(8192);
	snprintf(text, 8192, "{\"mcpServers\":{\"a\":{\"command\":\"x\","
	    "\"secret_env\":{\"K\":\"any\"}}}}");
	c = mcp_conf_parse("f.json", text, strlen(text), NULL, err,
	    sizeof(err));
	ck_assert_msg(c != NULL, "got \"%s\"", err);
	ck_assert_int_eq(c->v[0]->call_timeout_s, 60);
	mcp_conf_free(c);
	snprintf(text, 8192, " {\"servers\":{}}\n");
	c = mcp_conf_parse("f.json", text, strlen(text), NULL, err,
	    sizeof(err));
	ck_assert_msg(c != NULL, "got \"%s\"", err);
	ck_assert_uint_eq(c->n, 0);
	mcp_conf_free(c);
	/* 256 arguments are fine, 257 are not */
	n = (size_t)snprintf(text, 8192, "{\"servers\":{\"a\":{\"command\":"
	    "\"x\",\"args\":[\"0\"");
	for (i = 1; i < 256; i++)
		n += (size_t)snprintf(text + n, 8192 - n, ",\"%zu\"", i);
	snprintf(text + n, 8192 - n, "]}}}");
	c = mcp_conf_parse("f.json", text, strlen(text), NULL, err,
	    sizeof(err));
	ck_assert_msg(c != NULL, "got \"%s\"", err);
	ck_assert_uint_eq(c->v[0]->nargs, 256);
	mcp_conf_free(c);
	snprintf(text + n, 8192 - n, ",\"x\"]}}}");
	ck_assert_ptr_null(mcp_conf_parse("f.json", text, strlen(text), NULL,
	    err, sizeof(err)));
	ck_assert_str_eq(err, "f.json: servers.a.args: want an array of at "
	    "most 256 strings");
	/* a NUL byte in the text */
	ck_assert_ptr_null(mcp_conf_parse("f.json", "{\"servers\"\0:{}}", 15,
	    NULL, err, sizeof(err)));
	ck_assert_str_eq(err, "f.json: holds a NUL byte");
	free(text);
}
END_TEST

/* test_equal - what a reload compares */
START_TEST(test_equal)
{
	static const char *const texts[] = {
		A("\"args\":[\"x\"]"),
		A("\"args\":[\"y\"]"),
		A("\"args\":[\"x\",\"y\"]"),
		A("\"args\":[\"x\"],\"env\":{\"A\":\"1\"}"),
		A("\"args\":[\"x\"],\"env\":{\"A\":\"2\"}"),
		A("\"args\":[\"x\"],\"cwd\":\"/a\""),
		A("\"args\":[\"x\"],\"enabled\":false"),
		A("\"args\":[\"x\"],\"restart\":\"never\""),
		A("\"args\":[\"x\"],\"call_timeout_s\":5"),
		A("\"args\":[\"x\"],\"secret_env\":{\"K\":\"key1\"}"),
		A("\"args\":[\"x\"],\"secret_env\":{\"K\":\"key2\"}"),
	};
	struct mcp_conf	*a, *b;
	char		 err[512];
	size_t		 i, k;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
			a = mcp_conf_parse("f", texts[i], strlen(texts[i]),
			    NULL, err, sizeof(err));
			b = mcp_conf_parse("f", texts[k], strlen(texts[k]),
			    NULL, err, sizeof(err));
			ck_assert_ptr_nonnull(a);
			ck_assert_ptr_nonnull(b);
			ck_assert_msg(mcp_conf_server_equal(a->v[0], b->v[0]) ==
			    (i == k), "texts %zu and %zu: got %d", i, k,
			    mcp_conf_server_equal(a->v[0], b->v[0]));
			mcp_conf_free(a);
			mcp_conf_free(b);
		}
}
END_TEST

/* test_files - what mcp_conf_load refuses before parsing */
START_TEST(test_files)
{
	struct mcp_conf	*c;
	char		 dir[] = "/tmp/check-mcp-conf.XXXXXX", path[128];
	char		 err[512], want[512], *big;
	FILE		*fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/none.json", dir);
	ck_assert_ptr_null(mcp_conf_load(path, NULL, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: cannot read: No such file or "
	    "directory", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(mcp_conf_load(dir, NULL, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: not a regular file", dir);
	ck_assert_str_eq(err, want);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(mcp_conf_load(path, NULL, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);
	unlink(path);
	snprintf(path, sizeof(path), "%s/big.json", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	big = calloc(1, MCP_CONF_FILE_MAX + 1);
	memset(big, ' ', MCP_CONF_FILE_MAX + 1);
	ck_assert_uint_eq(fwrite(big, 1, MCP_CONF_FILE_MAX + 1, fp),
	    MCP_CONF_FILE_MAX + 1);
	fclose(fp);
	free(big);
	ck_assert_ptr_null(mcp_conf_load(path, NULL, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: larger than 1048576 bytes", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(S("\"a\":{\"command\":\"x\"}") "\n", fp);
	fclose(fp);
	ck_assert_ptr_nonnull(c = mcp_conf_load(path, NULL, err,
	    sizeof(err)));
	ck_assert_str_eq(c->v[0]->name, "a");
	mcp_conf_free(c);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* mcp_conf_suite - the servers file */
Suite *
mcp_conf_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("mcp_conf");
	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_variants);
	tcase_add_test(tc, test_equal);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_add_test(tc, test_files);
	suite_add_tcase(s, tc);
	return (s);
}
