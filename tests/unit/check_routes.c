/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_routes - unit tests for the routes file (common/routes.c)
 * SYNOPSIS
 *	Suite	*routes_suite(void);
 * DESCRIPTION
 *	One table row per mistake an operator can make in a routes file,
 *	each with the exact line routes_parse must give: the file, the
 *	field path, what is wrong. Then what a good file parses into, the
 *	file checks of routes_load (missing, a directory, a FIFO that must
 *	not block, too large) and the list of local providers.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "routes.h"

#define F_NAME	"\"name\":\"a\""
#define F_PROV	"\"provider\":\"openai\""
#define F_URL	"\"base_url\":\"https://api.openai.com/v1\""
#define F_MODEL	"\"model\":\"gpt-4o\""
#define F_SEC	"\"secret\":\"openai.prod\""
#define C	","
#define GOOD	F_NAME C F_PROV C F_URL C F_MODEL C F_SEC
#define GOOD_B	"\"name\":\"b\"" C F_PROV C F_URL C F_MODEL C F_SEC
#define ONE(f)	"[{" f "}]"		/* one route made of fields f */
#define LOCAL	"\"provider\":\"ollama\"" C \
		"\"base_url\":\"http://127.0.0.1:11434\"" C F_MODEL

Suite	*routes_suite(void);

static const struct bad_case {
	const char	*text;
	const char	*want;	/* after "routes file r.json: " */
} bad_cases[] = {
	{ "", "not valid JSON (line 1)" },
	{ "{\"routes\": [\n{\n", "not valid JSON (line 2)" },
	{ "[\n{\"name\":\"a\",\n\"provider\" 5}]", "not valid JSON (line 3)" },
	{ "{\"routes\": []} []",
	    "not valid JSON: more after the end (line 1)" },
	{ "\"routes\"", "want {\"routes\": [...]} or an array of routes" },
	{ "{\"rutes\": []}",
	    "rutes: unknown field (the file holds only \"routes\")" },
	{ "{}", "routes: missing" },
	{ "{\"routes\": {}}", "routes: must be an array" },
	{ "{\"routes\": [], \"routes\": []}", "routes: given twice" },
	{ "[1]", "routes[0]: must be an object" },
	{ ONE(F_PROV C F_URL C F_MODEL C F_SEC), "routes[0].name: missing" },
	{ ONE("\"name\":5" C F_PROV C F_URL C F_MODEL C F_SEC),
	    "routes[0].name: must be a string" },
	{ ONE("\"name\":\"\"" C F_PROV C F_URL C F_MODEL C F_SEC),
	    "routes[0].name: must not be empty" },
	{ ONE("\"name\":\"a b\"" C F_PROV C F_URL C F_MODEL C F_SEC),
	    "routes[0].name: may only hold A-Z a-z 0-9 . _ -" },
	{ ONE("\"name\":\"a123456789b123456789c123456789d123456789"
	    "e123456789f123456789g1234\"" C F_PROV C F_URL C F_MODEL C F_SEC),
	    "routes[0].name: longer than 64 characters" },
	{ ONE(F_NAME C F_URL C F_MODEL C F_SEC),
	    "routes[0].provider: missing" },
	{ ONE(F_NAME C "\"provider\":\"OpenAI\"" C F_URL C F_MODEL C F_SEC),
	    "routes[0].provider: may only hold a-z 0-9 . _ -" },
	{ ONE(F_NAME C F_PROV C F_MODEL C F_SEC),
	    "routes[0].base_url: missing" },
	{ ONE(F_NAME C F_PROV C "\"base_url\":\"ftp://x\"" C F_MODEL C F_SEC),
	    "routes[0].base_url: must start with http:// or https://" },
	{ ONE(F_NAME C F_PROV C "\"base_url\":\"api.openai.com\"" C F_MODEL C
	    F_SEC), "routes[0].base_url: must start with http:// or https://" },
	{ ONE(F_NAME C F_PROV C "\"base_url\":\"https:///v1\"" C F_MODEL C
	    F_SEC), "routes[0].base_url: has no host after the scheme" },
	{ ONE(F_NAME C F_PROV C "\"base_url\":\"https://u:pw@h/v1\"" C F_MODEL
	    C F_SEC), "routes[0].base_url: must not hold user:password@; "
	    "credentials belong in the secret store" },
	{ ONE(F_NAME C F_PROV C "\"base_url\":\"http://h/a b\"" C F_MODEL C
	    F_SEC),
	    "routes[0].base_url: must not hold blanks or control characters" },
	{ ONE(F_NAME C F_PROV C F_URL C F_SEC), "routes[0].model: missing" },
	{ ONE(F_NAME C F_PROV C F_URL C "\"model\":[]" C F_SEC),
	    "routes[0].model: must be a string" },
	{ ONE(F_NAME C F_PROV C F_URL C "\"model\":\"a\\nb\"" C F_SEC),
	    "routes[0].model: must not hold control characters" },
	{ ONE(F_NAME C F_PROV C F_URL C F_MODEL),
	    "routes[0].secret: missing; provider 'openai' is not local "
	    "(ollama, vllm, llamacpp, exllamav2, sglang, tgi, localai, "
	    "lmstudio, openai-compatible) and needs the name of a store "
	    "entry" },
	{ ONE(F_NAME C F_PROV C F_URL C F_MODEL C "\"secret\":null"),
	    "routes[0].secret: missing; provider 'openai' is not local "
	    "(ollama, vllm, llamacpp, exllamav2, sglang, tgi, localai, "
	    "lmstudio, openai-compatible) and needs the name of a store "
	    "entry" },
	{ ONE(F_NAME C F_PROV C F_URL C F_MODEL C "\"secret\":\"-x\""),
	    "routes[0].secret: must name a store entry: A-Z a-z 0-9 . _ -, "
	    "starting with a letter or digit" },
	{ ONE(F_NAME C F_PROV C F_URL C F_MODEL C "\"secret\":7"),
	    "routes[0].secret: must be a string or null" },
	{ ONE(GOOD C "\"modle\":\"gpt\""),
	    "routes[0].modle: unknown field (known: name, provider, base_url, "
	    "model, secret, headers)" },
	{ ONE(GOOD C "\"x\\u0001y\":1"),
	    "routes[0].x?y: unknown field (known: name, provider, base_url, "
	    "model, secret, headers)" },
	{ ONE(GOOD C "\"model\":\"again\""), "routes[0].model: given twice" },
	{ ONE(GOOD C "\"headers\":[]"), "routes[0].headers: must be an object "
	    "of \"Name\": \"value\" strings" },
	{ ONE(GOOD C "\"headers\":{\"X Y\":\"v\"}"),
	    "routes[0].headers: 'X Y' is not a valid header name" },
	{ ONE(GOOD C "\"headers\":{\"\":\"v\"}"),
	    "routes[0].headers: '' is not a valid header name" },
	{ ONE(GOOD C "\"headers\":{\"Authorization\":\"Bearer sk-1\"}"),
	    "routes[0].headers.Authorization: may not be set here: "
	    "credentials belong in the secret store; name the entry with "
	    "\"secret\"" },
	{ ONE(GOOD C "\"headers\":{\"host\":\"h\"}"),
	    "routes[0].headers.host: may not be set here: is taken from "
	    "base_url" },
	{ ONE(GOOD C "\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}"),
	    "routes[0].headers.X-A: must not hold CR, LF or other control "
	    "characters" },
	{ ONE(GOOD C "\"headers\":{\"X-A\":1}"),
	    "routes[0].headers.X-A: must be a string" },
	{ ONE(GOOD C "\"headers\":{\"X-A\":\"1\",\"x-a\":\"2\"}"),
	    "routes[0].headers.x-a: given twice" },
	{ "[{" GOOD "},{" GOOD "}]",
	    "routes[1].name: 'a' is already the name of routes[0]" },
	{ "{\"routes\":[{" GOOD "},{" GOOD_B "},{\"name\":\"c\"" C LOCAL C
	    "\"base_url\":\"x\"}]}", "routes[2].base_url: given twice" },
	{ "{\"routes\":[{" GOOD "},{" GOOD_B "},{\"name\":\"c\"" C
	    "\"provider\":\"ollama\"" C F_MODEL C "\"base_url\":\"gopher://h\""
	    "}]}", "routes[2].base_url: must start with http:// or https://" },
};

START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct routes		*rs;
	char			 err[512], want[512];

	snprintf(want, sizeof(want), "routes file r.json: %s", c->want);
	strcpy(err, "untouched");
	rs = routes_parse("r.json", c->text, strlen(c->text), err,
	    sizeof(err));
	ck_assert_msg(rs == NULL, "case %d: got a route set, want \"%s\"",
	    _i, want);
	ck_assert_msg(strcmp(err, want) == 0, "case %d: got \"%s\", want "
	    "\"%s\"", _i, err, want);
	ck_assert_msg(strstr(err, "sk-1") == NULL, "case %d: a header value "
	    "in \"%s\"", _i, err);
}
END_TEST

START_TEST(test_nul)
{
	static const char text[] = "[]\0[]";
	char	err[256];

	ck_assert_ptr_null(routes_parse("r.json", text, sizeof(text) - 1, err,
	    sizeof(err)));
	ck_assert_str_eq(err, "routes file r.json: holds a NUL byte");
	/* no room for a message: still NULL, nothing written */
	ck_assert_ptr_null(routes_parse("r.json", "[1]", 3, NULL, 0));
}
END_TEST

START_TEST(test_good)
{
	static const char text[] = "{\"routes\": [\n"
	    "  {" GOOD ", \"headers\": {\"OpenAI-Organization\": \"org-1\","
	    " \"X-Trace\": \"a\\tb\"}},\n"
	    "  {\"name\": \"local.llama_3-8B\", " LOCAL ", \"secret\": null},\n"
	    "  {\"name\": \"vllm\", \"provider\": \"vllm\", \"model\": \"m\","
	    " \"base_url\": \"HTTPS://gpu-1:8000\", \"secret\": \"vllm.key\"}\n"
	    "]}\n";
	struct routes	*rs;
	struct route	*r;
	char		 err[256];

	rs = routes_parse("r.json", text, strlen(text), err, sizeof(err));
	ck_assert_msg(rs != NULL, "got \"%s\", want a route set", err);
	ck_assert_uint_eq(rs->n, 3);
	r = &rs->v[0];
	ck_assert_str_eq(r->name, "a");
	ck_assert_str_eq(r->provider, "openai");
	ck_assert_str_eq(r->base_url, "https://api.openai.com/v1");
	ck_assert_str_eq(r->model, "gpt-4o");
	ck_assert_str_eq(r->secret, "openai.prod");
	ck_assert_uint_eq(r->nheaders, 2);
	ck_assert_str_eq(r->headers[0].name, "OpenAI-Organization");
	ck_assert_str_eq(r->headers[0].value, "org-1");
	ck_assert_str_eq(r->headers[1].value, "a\tb");
	r = &rs->v[1];
	ck_assert_str_eq(r->name, "local.llama_3-8B");
	ck_assert_ptr_null(r->secret);
	ck_assert_uint_eq(r->nheaders, 0);
	ck_assert_str_eq(rs->v[2].secret, "vllm.key");
	routes_free(rs);

	/* a top-level array, and an empty one */
	rs = routes_parse("r.json", "[{" LOCAL C F_NAME "}]", strlen("[{"
	    LOCAL C F_NAME "}]"), err, sizeof(err));
	ck_assert_msg(rs != NULL, "got \"%s\", want a route set", err);
	ck_assert_uint_eq(rs->n, 1);
	routes_free(rs);
	rs = routes_parse("r.json", " [ ] \n", 6, err, sizeof(err));
	ck_assert_msg(rs != NULL && rs->n == 0, "empty list: got \"%s\"", err);
	routes_free(rs);
	routes_free(NULL);
}
END_TEST

START_TEST(test_local)
{
	static const char *const yes[] = { "ollama", "vllm", "llamacpp",
	    "exllamav2", "sglang", "tgi", "localai", "lmstudio",
	    "openai-compatible" };
	static const char *const no[] = { "openai", "anthropic", "", "olla",
	    "ollamaa", "vllm,", " vllm", "openai-compatible2" };
	size_t	k;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++)
		ck_assert_msg(routes_provider_local(yes[k]), "%s: got not "
		    "local, want local", yes[k]);
	for (k = 0; k < sizeof(no) / sizeof(no[0]); k++)
		ck_assert_msg(!routes_provider_local(no[k]), "'%s': got local, "
		    "want not local", no[k]);
	ck_assert_ptr_nonnull(strstr(routes_local_list(), "ollama"));
}
END_TEST

/* load_err - routes_load of path must fail with "routes file path: why" */
static void
load_err(const char *path, const char *why)
{
	char	err[PATH_MAX + 128], want[PATH_MAX + 128];

	snprintf(want, sizeof(want), "routes file %s: %s", path, why);
	ck_assert_ptr_null(routes_load(path, err, sizeof(err)));
	ck_assert_msg(strcmp(err, want) == 0, "got \"%s\", want \"%s\"", err,
	    want);
}

START_TEST(test_load)
{
	char		 dir[] = "/tmp/check_routes.XXXXXX", path[PATH_MAX];
	struct routes	*rs;
	char		 err[PATH_MAX + 128], *big;
	FILE		*fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nope.json", dir);
	load_err(path, "cannot read: No such file or directory");
	load_err(dir, "not a regular file");
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	load_err(path, "not a regular file");	/* and it did not block */
	unlink(path);

	snprintf(path, sizeof(path), "%s/big.json", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	big = calloc(1, ROUTES_FILE_MAX + 1);
	memset(big, ' ', ROUTES_FILE_MAX + 1);
	big[0] = '[';
	big[ROUTES_FILE_MAX] = ']';
	ck_assert_uint_eq(fwrite(big, 1, ROUTES_FILE_MAX + 1, fp),
	    ROUTES_FILE_MAX + 1);
	ck_assert_int_eq(fclose(fp), 0);
	free(big);
	load_err(path, "larger than 1048576 bytes");
	ck_assert_int_eq(truncate(path, ROUTES_FILE_MAX), 0);
	ck_assert_ptr_nonnull(fp = fopen(path, "r+"));
	fseek(fp, ROUTES_FILE_MAX - 1, SEEK_SET);
	fputc(']', fp);
	ck_assert_int_eq(fclose(fp), 0);
	rs = routes_load(path, err, sizeof(err));
	ck_assert_msg(rs != NULL && rs->n == 0, "1 MiB exactly: got \"%s\"",
	    err);
	routes_free(rs);
	unlink(path);

	snprintf(path, sizeof(path), "%s/r.json", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs("[{" GOOD "}]\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	rs = routes_load(path, err, sizeof(err));
	ck_assert_msg(rs != NULL && rs->n == 1, "good file: got \"%s\"", err);
	routes_free(rs);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* routes_suite - the routes file's tests */
Suite *
routes_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("routes");
	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_bad, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_local);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);
	return (s);
}
