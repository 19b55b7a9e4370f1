/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_profile - unit tests for engine profiles
 *	(workers/engines/eng_profile.c, eng_profile_file.c)
 * SYNOPSIS
 *	Suite	*eng_profile_suite(void);
 * DESCRIPTION
 *	The four built-in profiles, value by value. One table row per
 *	mistake an engines file can hold, each with the exact line
 *	eng_profiles_load must give after "PATH: ". Good files: a partial
 *	override keeps the other fields, a new profile gets its defaults,
 *	an entrypoint comes and goes. The file checks (missing, a
 *	directory, a FIFO that must not block, too large, a NUL byte).
 *	Placeholder expansion: each placeholder, the brace escapes, the
 *	errors and the length limit.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "eng_profile.h"

Suite	*eng_profile_suite(void);

#define KNOWN_F		"(known: image, port, entrypoint, args, env, " \
			"volumes, probes, startup_timeout_s, ipc_host, " \
			"model_is_name)"
#define KNOWN_PH	"(known: {name}, {port}, {model}, {model_dir}, " \
			"{model_base}; {{ and }} are literal braces)"
#define P(x)		"{\"profiles\":{" x "}}"
#define V(x)		P("\"vllm\":{" x "}")	/* override vllm with x */
#define TINY(x)		P("\"tiny\":{" x "}")
#define T_OK		"\"image\":\"t/t\",\"port\":9000,\"args\":" \
			"[\"--port\",\"{port}\"]"
#define VOL_SHAPE	"want SOURCE:TARGET or SOURCE:TARGET:ro"
#define VOL_SOURCE	"SOURCE must be an absolute path or a volume name " \
			"([A-Za-z0-9][A-Za-z0-9_.-]+)"
#define NO_PORT		"args: no {port} in entrypoint, args or env (with " \
			"host networking the engine must be told the port " \
			"corral gives it)"
#define BAD_NAME	"not a profile name (1-31 of A-Z a-z 0-9 _ . -, " \
			"starting with a letter or digit)"

static char	dir[64];		/* a fresh directory per test */
static char	file[96];		/* dir/engines.json */

static const struct bad_case {
	const char	*text;
	const char	*want;	/* after "PATH: " */
} bad_cases[] = {
	{ "", "not valid JSON (line 1)" },
	{ "{\n\"profiles\": {\n", "not valid JSON (line 2)" },
	{ "{\n\"profiles\": {\n\"vllm\": {\"port\" 1}}}",
	    "not valid JSON (line 3)" },
	{ "{\"profiles\":{}} []", "not valid JSON: more after the end "
	    "(line 1)" },
	{ "[]", "want {\"profiles\": {NAME: {...}}}" },
	{ "{\"profile\":{}}", "profile: unknown field (the file holds only "
	    "\"profiles\")" },
	{ "{}", "profiles: missing" },
	{ "{\"profiles\":[]}", "profiles: want an object of NAME: {...}" },
	{ "{\"profiles\":{},\"profiles\":{}}", "profiles: given twice" },
	/* profiles */
	{ P("\"vllm\":5"), "profile vllm: want an object of fields " KNOWN_F },
	{ P("\"vllm\":{},\"vllm\":{}"), "profile vllm: given twice" },
	{ P("\"tiny\":{" T_OK "},\"tiny\":{}"), "profile tiny: given twice" },
	{ P("\"Bad name\":{" T_OK "}"), "profile Bad name: " BAD_NAME },
	{ P("\"_x\":{" T_OK "}"), "profile _x: " BAD_NAME },
	{ P("\"\":{" T_OK "}"), "profile \"\": " BAD_NAME },
	{ P("\"a23456789b123456789c123456789d12\":{" T_OK "}"),
	    "profile a23456789b123456789c123456789d12: " BAD_NAME },
	{ TINY("\"port\":9000,\"args\":[\"{port}\"]"), "profile tiny: image: "
	    "missing (a new profile gives at least image, port and args)" },
	{ TINY("\"image\":\"t\",\"args\":[\"{port}\"]"), "profile tiny: port: "
	    "missing (a new profile gives at least image, port and args)" },
	{ TINY("\"image\":\"t\",\"port\":9000,\"env\":{\"P\":\"{port}\"}"),
	    "profile tiny: args: missing (a new profile gives at least image, "
	    "port and args)" },
	{ V("\"imgae\":\"x\""), "profile vllm: imgae: unknown field " KNOWN_F },
	{ V("\"image\":\"x\",\"image\":\"y\""), "profile vllm: image: given "
	    "twice" },
	/* fields */
	{ V("\"image\":\"\""), "profile vllm: image: must not be empty" },
	{ V("\"image\":5"), "profile vllm: image: must be a string" },
	{ V("\"image\":\"a b\""), "profile vllm: image: must not hold blanks "
	    "or control characters" },
	{ TINY("\"image\":\"t\",\"port\":0,\"args\":[]"),
	    "profile tiny: port: want a number from 1 to 65535" },
	{ V("\"port\":65536"), "profile vllm: port: want a number from 1 to "
	    "65535" },
	{ V("\"port\":\"80\""), "profile vllm: port: want a number from 1 to "
	    "65535" },
	{ V("\"port\":80.5"), "profile vllm: port: want a number from 1 to "
	    "65535" },
	{ V("\"args\":\"--x\""), "profile vllm: args: want an array of 0 to "
	    "64 strings" },
	{ V("\"args\":[\"{port}\",1]"), "profile vllm: args[1]: must be a "
	    "string" },
	{ V("\"args\":[\"{modle}\"]"), "profile vllm: args[0]: unknown "
	    "placeholder {modle} " KNOWN_PH },
	{ V("\"args\":[\"{port}\",\"{port\"]"), "profile vllm: args[1]: a '{' "
	    "without its '}' (write {{ for a literal brace)" },
	{ V("\"args\":[\"a}\"]"), "profile vllm: args[0]: a lone '}' (write "
	    "}} for a literal brace)" },
	{ V("\"args\":[\"--model\",\"{model}\"]"), "profile vllm: " NO_PORT },
	{ V("\"args\":[\"--port\",\"{{port}}\"]"), "profile vllm: " NO_PORT },
	{ V("\"entrypoint\":[]"), "profile vllm: entrypoint: want an array "
	    "of 1 to 64 strings" },
	{ V("\"entrypoint\":\"/bin/sh\""), "profile vllm: entrypoint: want an "
	    "array of 1 to 64 strings" },
	{ V("\"entrypoint\":[\"{x}\"]"), "profile vllm: entrypoint[0]: "
	    "unknown placeholder {x} " KNOWN_PH },
	{ V("\"env\":[]"), "profile vllm: env: want an object of at most 64 "
	    "\"NAME\": \"value\" strings" },
	{ V("\"env\":{\"A-B\":\"x\"}"), "profile vllm: env: 'A-B' is not a "
	    "variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ V("\"env\":{\"A\":1}"), "profile vllm: env.A: must be a string" },
	{ V("\"env\":{\"A\":\"x\",\"A\":\"y\"}"), "profile vllm: env.A: given "
	    "twice" },
	{ V("\"env\":{\"A\":\"{x}\"}"), "profile vllm: env.A: unknown "
	    "placeholder {x} " KNOWN_PH },
	{ V("\"volumes\":\"v:/x\""), "profile vllm: volumes: want an array "
	    "of 0 to 16 strings" },
	{ V("\"volumes\":[\"x\"]"), "profile vllm: volumes[0]: " VOL_SHAPE },
	{ V("\"volumes\":[\"vv:/x:rw\"]"), "profile vllm: volumes[0]: "
	    VOL_SHAPE },
	{ V("\"volumes\":[\"vv:/x:ro:z\"]"), "profile vllm: volumes[0]: "
	    VOL_SHAPE },
	{ V("\"volumes\":[\":/x\"]"), "profile vllm: volumes[0]: has no "
	    "SOURCE before the ':'" },
	{ V("\"volumes\":[\"v:/x\"]"), "profile vllm: volumes[0]: "
	    VOL_SOURCE },
	{ V("\"volumes\":[\"my vol:/x\"]"), "profile vllm: volumes[0]: "
	    VOL_SOURCE },
	{ V("\"volumes\":[\"-vol:/x\"]"), "profile vllm: volumes[0]: "
	    VOL_SOURCE },
	{ V("\"volumes\":[\"vol:x\"]"), "profile vllm: volumes[0]: TARGET "
	    "must be an absolute path" },
	{ V("\"volumes\":[\"vol:/\"]"), "profile vllm: volumes[0]: TARGET "
	    "must not be /" },
	{ V("\"volumes\":[\"vol:/:ro\"]"), "profile vllm: volumes[0]: TARGET "
	    "must not be /" },
	{ V("\"volumes\":[\"{nope}:/x\"]"), "profile vllm: volumes[0]: "
	    "unknown placeholder {nope} " KNOWN_PH },
	{ V("\"volumes\":[\"a\\tb:/x\"]"), "profile vllm: volumes[0]: must "
	    "not hold control characters" },
	{ V("\"probes\":[]"), "profile vllm: probes: want an array of 1 to 4 "
	    "strings" },
	{ V("\"probes\":[\"/a\",\"/b\",\"/c\",\"/d\",\"/e\"]"), "profile "
	    "vllm: probes: want an array of 1 to 4 strings" },
	{ V("\"probes\":[\"health\"]"), "profile vllm: probes[0]: want an "
	    "absolute path (\"/health\") of at most 256 characters, without "
	    "blanks" },
	{ V("\"probes\":[\"/a b\"]"), "profile vllm: probes[0]: want an "
	    "absolute path (\"/health\") of at most 256 characters, without "
	    "blanks" },
	{ V("\"startup_timeout_s\":0"), "profile vllm: startup_timeout_s: "
	    "want a number of seconds from 1 to 86400" },
	{ V("\"startup_timeout_s\":86401"), "profile vllm: startup_timeout_s: "
	    "want a number of seconds from 1 to 86400" },
	{ V("\"ipc_host\":\"yes\""), "profile vllm: ipc_host: want true or "
	    "false" },
	{ V("\"model_is_name\":1"), "profile vllm: model_is_name: want true "
	    "or false" },
};

/* setup - a fresh directory */
static void
setup(void)
{
	char	tmpl[] = "/tmp/check-eng-profile.XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(file, sizeof(file), "%s/engines.json", dir);
}

/* teardown - remove what the tests may have left */
static void
teardown(void)
{
	char	path[128];

	unlink(file);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

/* put - write len bytes of text to file */
static void
put(const char *text, size_t len)
{
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(file, "w"));
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* load - text written to file, loaded; NULL and err */
static struct eng_profiles *
load(const char *text, char *err, size_t errlen)
{
	put(text, strlen(text));
	err[0] = '\0';
	return (eng_profiles_load(file, err, errlen));
}

/* want_strv - v holds exactly the n strings of want */
static void
want_strv(const struct eng_strv *v, const char *const *want, size_t n)
{
	size_t	i;

	ck_assert_uint_eq(v->n, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(v->v[i], want[i]);
}

static const char *const vllm_args[] = { "--model", "{model}",
	"--served-model-name", "{name}", "--host", "127.0.0.1", "--port",
	"{port}" };
static const char *const vllm_env[] = { "HF_HOME=/root/.cache/huggingface" };
static const char *const vllm_vol[] = {
	"corral-hf-cache:/root/.cache/huggingface" };
static const char *const vllm_probes[] = { "/health", "/v1/models" };

/* want_vllm - pr is vllm as built in, but for its image */
static void
want_vllm(const struct eng_profile *pr)
{
	ck_assert_int_eq(pr->port, 8000);
	ck_assert_int_eq(pr->has_entrypoint, 0);
	want_strv(&pr->args, vllm_args, 8);
	want_strv(&pr->env, vllm_env, 1);
	want_strv(&pr->volumes, vllm_vol, 1);
	want_strv(&pr->probes, vllm_probes, 2);
	ck_assert_int_eq(pr->startup_timeout_s, 1800);
	ck_assert_int_eq(pr->ipc_host, 1);
	ck_assert_int_eq(pr->model_is_name, 0);
}

START_TEST(test_builtins)
{
	static const char *const ll_args[] = { "-m", "{model}", "--alias",
	    "{name}", "--host", "127.0.0.1", "--port", "{port}" };
	static const char *const ll_probes[] = { "/health" };
	static const char *const ol_env[] = { "OLLAMA_HOST=127.0.0.1:{port}" };
	static const char *const ol_vol[] = { "corral-ollama:/root/.ollama" };
	static const char *const ol_probes[] = { "/api/tags" };
	static const char *const ex_args[] = { "--host", "127.0.0.1",
	    "--port", "{port}", "--model-dir", "{model_dir}", "--model-name",
	    "{model_base}" };
	static const char *const ex_probes[] = { "/v1/models" };
	struct eng_profiles		*p;
	const struct eng_profile	*pr;
	char				 err[256], names[128];

	ck_assert_ptr_nonnull(p = eng_profiles_load(NULL, err, sizeof(err)));
	ck_assert_str_eq(eng_profiles_names(p, names, sizeof(names)),
	    "vllm, llamacpp, ollama, exllamav2");
	ck_assert_str_eq(eng_profiles_names(p, names, 9), "vllm, ll");
	ck_assert_ptr_null(eng_profiles_find(p, "tgi"));
	ck_assert_ptr_null(eng_profiles_find(p, NULL));
	ck_assert_ptr_nonnull(pr = eng_profiles_find(p, "vllm"));
	ck_assert_str_eq(pr->image, "vllm/vllm-openai:latest");
	want_vllm(pr);
	ck_assert_ptr_nonnull(pr = eng_profiles_find(p, "llamacpp"));
	ck_assert_str_eq(pr->image, "ghcr.io/ggerganov/llama.cpp:server");
	ck_assert_int_eq(pr->port, 8081);
	want_strv(&pr->args, ll_args, 8);
	ck_assert_uint_eq(pr->env.n + pr->volumes.n, 0);
	want_strv(&pr->probes, ll_probes, 1);
	ck_assert_int_eq(pr->startup_timeout_s, 900);
	ck_assert_int_eq(pr->ipc_host + pr->model_is_name, 0);
	ck_assert_ptr_nonnull(pr = eng_profiles_find(p, "ollama"));
	ck_assert_str_eq(pr->image, "ollama/ollama:latest");
	ck_assert_int_eq(pr->port, 11434);
	ck_assert_uint_eq(pr->args.n, 0);
	want_strv(&pr->env, ol_env, 1);
	want_strv(&pr->volumes, ol_vol, 1);
	want_strv(&pr->probes, ol_probes, 1);
	ck_assert_int_eq(pr->startup_timeout_s, 600);
	ck_assert_int_eq(pr->ipc_host, 0);
	ck_assert_int_eq(pr->model_is_name, 1);
	ck_assert_ptr_nonnull(pr = eng_profiles_find(p, "exllamav2"));
	ck_assert_str_eq(pr->image, "ghcr.io/theroyallab/tabbyapi:latest");
	ck_assert_int_eq(pr->port, 8000);
	ck_assert_int_eq(pr->has_entrypoint, 0);
	want_strv(&pr->args, ex_args, 8);
	ck_assert_uint_eq(pr->env.n + pr->volumes.n, 0);
	want_strv(&pr->probes, ex_probes, 1);
	ck_assert_int_eq(pr->startup_timeout_s, 1800);
	ck_assert_int_eq(pr->ipc_host + pr->model_is_name, 0);
	eng_profiles_free(p);
	eng_profiles_free(NULL);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	char			 err[512], want[1024];

	ck_assert_ptr_null(load(c->text, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: %s", file, c->want);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_override)
{
	struct eng_profiles		*p;
	const struct eng_profile	*pr;
	char				 err[512];
	static const char *const	 env[] = {
	    "OLLAMA_HOST=127.0.0.1:{port}", "OLLAMA_KEEP_ALIVE=-1" };

	p = load(P("\"vllm\":{\"image\":\"me/vllm:0.6\"},\"ollama\":{\"env\":"
	    "{\"OLLAMA_HOST\":\"127.0.0.1:{port}\",\"OLLAMA_KEEP_ALIVE\":"
	    "\"-1\"},\"startup_timeout_s\":60}"), err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	pr = eng_profiles_find(p, "vllm");
	ck_assert_str_eq(pr->image, "me/vllm:0.6");
	want_vllm(pr);
	pr = eng_profiles_find(p, "ollama");
	want_strv(&pr->env, env, 2);
	ck_assert_int_eq(pr->startup_timeout_s, 60);
	ck_assert_int_eq(pr->model_is_name, 1);
	ck_assert_str_eq(pr->image, "ollama/ollama:latest");
	eng_profiles_free(p);
	/* nothing at all */
	ck_assert_ptr_nonnull(p = load("{\"profiles\":{}}\n", err,
	    sizeof(err)));
	eng_profiles_free(p);
}
END_TEST

START_TEST(test_new)
{
	struct eng_profiles		*p;
	const struct eng_profile	*pr;
	char				 err[512], names[128];
	static const char *const	 args[] = { "--port", "{port}" };
	static const char *const	 dflt[] = { "/v1/models" };
	static const char *const	 ep[] = { "python3", "/app/s.py" };
	static const char *const	 env[] = { "PORT={port}", "X={{}}" };
	static const char *const	 vol[] = { "/data/{name}:/data",
	    "tiny-cache:/cache:ro" };
	static const char *const	 probes[] = { "/ping", "/ready" };

	p = load(P("\"tiny\":{" T_OK "},\"full.one\":{\"image\":\"f/f:1\","
	    "\"port\":7000,\"args\":[],\"entrypoint\":[\"python3\","
	    "\"/app/s.py\"],\"env\":{\"PORT\":\"{port}\",\"X\":\"{{}}\"},"
	    "\"volumes\":[\"/data/{name}:/data\",\"tiny-cache:/cache:ro\"],"
	    "\"probes\":[\"/ping\",\"/ready\"],\"startup_timeout_s\":86400,"
	    "\"ipc_host\":true,\"model_is_name\":true}"), err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	ck_assert_str_eq(eng_profiles_names(p, names, sizeof(names)),
	    "vllm, llamacpp, ollama, exllamav2, tiny, full.one");
	pr = eng_profiles_find(p, "tiny");
	ck_assert_str_eq(pr->image, "t/t");
	ck_assert_int_eq(pr->port, 9000);
	want_strv(&pr->args, args, 2);
	want_strv(&pr->probes, dflt, 1);
	ck_assert_int_eq(pr->startup_timeout_s, 600);
	ck_assert_int_eq(pr->has_entrypoint + pr->ipc_host +
	    pr->model_is_name, 0);
	ck_assert_uint_eq(pr->env.n + pr->volumes.n, 0);
	pr = eng_profiles_find(p, "full.one");
	ck_assert_int_eq(pr->has_entrypoint, 1);
	want_strv(&pr->entrypoint, ep, 2);
	ck_assert_uint_eq(pr->args.n, 0);
	want_strv(&pr->env, env, 2);
	want_strv(&pr->volumes, vol, 2);
	want_strv(&pr->probes, probes, 2);
	ck_assert_int_eq(pr->startup_timeout_s, 86400);
	ck_assert_int_eq(pr->ipc_host + pr->model_is_name, 2);
	eng_profiles_free(p);
}
END_TEST

START_TEST(test_entrypoint)
{
	struct eng_profiles		*p;
	const struct eng_profile	*pr;
	char				 err[512];

	p = load(P("\"exllamav2\":{\"image\":\"x/other:1\",\"entrypoint\":"
	    "[\"python3\",\"main.py\"]}"), err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	pr = eng_profiles_find(p, "exllamav2");
	ck_assert_int_eq(pr->has_entrypoint, 1);
	ck_assert_uint_eq(pr->entrypoint.n, 2);
	ck_assert_uint_eq(pr->args.n, 8);
	eng_profiles_free(p);
	p = load(V("\"entrypoint\":null"), err, sizeof(err));
	ck_assert_msg(p != NULL, "%s", err);
	ck_assert_int_eq(eng_profiles_find(p, "vllm")->has_entrypoint, 0);
	eng_profiles_free(p);
}
END_TEST

START_TEST(test_files)
{
	char		 err[512], want[1024], path[128], *big;
	size_t		 n = 256 * 1024 + 1;

	/* missing */
	ck_assert_ptr_null(eng_profiles_load(file, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: cannot read: No such file or "
	    "directory", file);
	ck_assert_str_eq(err, want);
	/* a directory, a FIFO nobody writes to */
	snprintf(path, sizeof(path), "%s/sub", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_ptr_null(eng_profiles_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(eng_profiles_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);
	/* too large, even if blank */
	ck_assert_ptr_nonnull(big = malloc(n));
	memset(big, ' ', n);
	put(big, n);
	free(big);
	ck_assert_ptr_null(eng_profiles_load(file, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: larger than 262144 bytes", file);
	ck_assert_str_eq(err, want);
	/* a NUL byte */
	put("{\"profiles\":{}}\0", 16);
	ck_assert_ptr_null(eng_profiles_load(file, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: holds a NUL byte", file);
	ck_assert_str_eq(err, want);
	/* a short err buffer is cut, not overrun */
	ck_assert_ptr_null(load("[]", err, 8));
	ck_assert_uint_eq(strlen(err), 7);
}
END_TEST

static const struct expand_case {
	const char	*s;
	const char	*model;
	const char	*want;	/* NULL: an error */
	const char	*err;
} expand_cases[] = {
	{ "{name}", "/srv/models/qwen/7b", "qwen", NULL },
	{ "{port}", "/srv/models/qwen/7b", "8123", NULL },
	{ "{model}", "/srv/models/qwen/7b", "/srv/models/qwen/7b", NULL },
	{ "{model_dir}", "/srv/models/qwen/7b", "/srv/models/qwen", NULL },
	{ "{model_base}", "/srv/models/qwen/7b", "7b", NULL },
	{ "--port={port}/{name}:{port}", "/m", "--port=8123/qwen:8123", NULL },
	{ "plain", "/m", "plain", NULL },
	{ "", "/m", "", NULL },
	{ "{{name}}", "/m", "{name}", NULL },
	{ "{{{name}}}", "/m", "{qwen}", NULL },
	{ "a}}b{{", "/m", "a}b{", NULL },
	{ "{\"a\":{{}}}", "/m", NULL, "unknown placeholder {\"a\":{{} "
	    KNOWN_PH },
	{ "{{\"a\":1}}", "/m", "{\"a\":1}", NULL },
	{ "{model_dir}|{model_base}", "/m", "/|m", NULL },
	{ "{model_dir}|{model_base}", "/", "/|/", NULL },
	{ "{model_dir}|{model_base}", "llama3:8b", ".|llama3:8b", NULL },
	{ "{model_dir}|{model_base}", "a/b", "a|b", NULL },
	{ "{nope}", "/m", NULL, "unknown placeholder {nope} " KNOWN_PH },
	{ "{Name}", "/m", NULL, "unknown placeholder {Name} " KNOWN_PH },
	{ "{}", "/m", NULL, "unknown placeholder {} " KNOWN_PH },
	{ "{ name }", "/m", NULL, "unknown placeholder { name } " KNOWN_PH },
	{ "{name", "/m", NULL, "a '{' without its '}' (write {{ for a "
	    "literal brace)" },
	{ "x{", "/m", NULL, "a '{' without its '}' (write {{ for a literal "
	    "brace)" },
	{ "}", "/m", NULL, "a lone '}' (write }} for a literal brace)" },
	{ "{name}}", "/m", NULL, "a lone '}' (write }} for a literal brace)" },
	{ "{na\nme}", "/m", NULL, "unknown placeholder {na?me} " KNOWN_PH },
};

START_TEST(test_expand)
{
	const struct expand_case	*c = &expand_cases[_i];
	struct eng_profile_vars		 v = { "qwen", 8123, c->model };
	char				 err[512], *x;

	err[0] = '\0';
	x = eng_profile_expand(c->s, &v, err, sizeof(err));
	if (c->want != NULL) {
		ck_assert_msg(x != NULL, "%s: %s", c->s, err);
		ck_assert_str_eq(x, c->want);
	} else {
		ck_assert_ptr_null(x);
		ck_assert_str_eq(err, c->err);
	}
	free(x);
}
END_TEST

START_TEST(test_expand_long)
{
	struct eng_profile_vars	 v = { NULL, 1, NULL };
	char			 err[256], *s, *x;

	ck_assert_ptr_nonnull(s = malloc(5000));
	memset(s, 'a', 4096);
	s[4096] = '\0';
	ck_assert_ptr_nonnull(x = eng_profile_expand(s, &v, err,
	    sizeof(err)));
	ck_assert_uint_eq(strlen(x), 4096);
	free(x);
	strcpy(s + 4095, "{port}");		/* 4095 + "1" is fine */
	ck_assert_ptr_nonnull(x = eng_profile_expand(s, &v, err,
	    sizeof(err)));
	free(x);
	strcpy(s + 4095, "{name}{model}x");	/* NULLs are "" */
	ck_assert_ptr_nonnull(x = eng_profile_expand(s, &v, err,
	    sizeof(err)));
	ck_assert_uint_eq(strlen(x), 4096);
	free(x);
	v.port = 10;
	strcpy(s + 4095, "{port}");
	ck_assert_ptr_null(eng_profile_expand(s, &v, err, sizeof(err)));
	ck_assert_str_eq(err, "longer than 4096 characters once expanded");
	memset(s, 'a', 4097);
	s[4097] = '\0';
	ck_assert_ptr_null(eng_profile_expand(s, &v, err, sizeof(err)));
	ck_assert_str_eq(err, "longer than 4096 characters once expanded");
	v.model = s;
	ck_assert_ptr_null(eng_profile_expand("{model}", &v, err,
	    sizeof(err)));
	ck_assert_ptr_null(eng_profile_expand("{nope}", &v, NULL, 0));
	free(s);
}
END_TEST

/* eng_profile_suite - built-ins, the engines file, placeholders */
Suite *
eng_profile_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("eng_profile");
	tc = tcase_create("profiles");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_builtins);
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_override);
	tcase_add_test(tc, test_new);
	tcase_add_test(tc, test_entrypoint);
	tcase_add_test(tc, test_files);
	suite_add_tcase(s, tc);
	tc = tcase_create("expand");
	tcase_add_loop_test(tc, test_expand, 0,
	    (int)(sizeof(expand_cases) / sizeof(expand_cases[0])));
	tcase_add_test(tc, test_expand_long);
	suite_add_tcase(s, tc);
	return (s);
}
