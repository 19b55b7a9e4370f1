/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_spec - unit tests for launch request checks
 *	(workers/engines/eng_spec.c)
 * SYNOPSIS
 *	Suite	*eng_spec_suite(void);
 * DESCRIPTION
 *	One table row per mistake a launch request can hold, each with the
 *	field and the exact line eng_spec_parse must give: names, engines,
 *	models outside the root (plainly, by "..", by a symlink, by a
 *	prefix that is not a directory boundary), missing models, every
 *	form of gpus, port, image, args, env, secret_env and unknown or
 *	repeated members. Then what good requests parse into, the limits
 *	at their edges and eng_spec_model_path on its own. The fixture and
 *	the create body tests are in check_eng_spec_fx.c and
 *	check_eng_spec_body.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "check_eng_spec.h"
#include "eng_profile.h"
#include "eng_spec.h"

Suite	*eng_spec_suite(void);

#define REQ(m, more)	"{\"name\":\"a\",\"engine\":\"vllm\",\"model\":" \
			m more "}"
#define M1		"\"@/models/m1\""
#define R(more)		REQ(M1, more)	/* a good request and more */
#define OLL(m)		"{\"name\":\"a\",\"engine\":\"ollama\",\"model\":" \
			m "}"
#define GPUS_WANT	"gpus: want \"all\", \"none\", an array of GPU " \
			"indices ([0,1]) or a string \"0,1\""
#define ENV_WANT	"env: want an object of at most 64 \"NAME\": " \
			"\"value\" strings"
#define NAME_RULE	"want a model name of 1 to 255 printable characters " \
			"without blanks, as llama3:8b (engine ollama pulls it)"

static const struct bad_case {
	const char	*text;	/* '@': the fixture's directory */
	const char	*field;
	const char	*want;
} bad_cases[] = {
	{ "[]", "request", "request: want a JSON object" },
	{ "\"x\"", "request", "request: want a JSON object" },
	{ R(",\"modle\":1"), "request", "modle: unknown member (known: name, "
	    "engine, model, gpus, port, image, args, env, secret_env)" },
	{ R(",\"x\\u0001y\":1"), "request", "x?y: unknown member (known: "
	    "name, engine, model, gpus, port, image, args, env, secret_env)" },
	{ R(",\"name\":\"b\""), "name", "name: given twice" },
	{ R(",\"port\":null,\"port\":1"), "port", "port: given twice" },
	/* name */
	{ "{\"engine\":\"vllm\",\"model\":" M1 "}", "name", "name: missing" },
	{ "{\"name\":5,\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: must be a string" },
	{ "{\"name\":null,\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: must be a string" },
	{ "{\"name\":\"\",\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: must not be empty" },
	{ "{\"name\":\"a b\",\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: may only hold A-Z a-z 0-9 _ . -" },
	{ "{\"name\":\"a/b\",\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: may only hold A-Z a-z 0-9 _ . -" },
	{ "{\"name\":\"caf\\u00e9\",\"engine\":\"vllm\",\"model\":" M1 "}",
	    "name", "name: may only hold A-Z a-z 0-9 _ . -" },
	{ "{\"name\":\".a\",\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: must not start with '.' or '-'" },
	{ "{\"name\":\"-a\",\"engine\":\"vllm\",\"model\":" M1 "}", "name",
	    "name: must not start with '.' or '-'" },
	/* engine */
	{ "{\"name\":\"a\",\"model\":" M1 "}", "engine", "engine: missing" },
	{ "{\"name\":\"a\",\"engine\":[],\"model\":" M1 "}", "engine",
	    "engine: must be a string" },
	{ "{\"name\":\"a\",\"engine\":\"foo\",\"model\":" M1 "}", "engine",
	    "engine: unknown engine 'foo' (known: vllm, llamacpp, ollama, "
	    "exllamav2)" },
	{ "{\"name\":\"a\",\"engine\":\"VLLM\",\"model\":" M1 "}", "engine",
	    "engine: unknown engine 'VLLM' (known: vllm, llamacpp, ollama, "
	    "exllamav2)" },
	/* model, a path */
	{ "{\"name\":\"a\",\"engine\":\"vllm\"}", "model", "model: missing" },
	{ REQ("7", ""), "model", "model: must be a string" },
	{ REQ("\"models/m1\"", ""), "model", "model: want an absolute path "
	    "under the models root @/models" },
	{ REQ("\"\"", ""), "model", "model: want an absolute path under the "
	    "models root @/models" },
	{ REQ("\"/etc\"", ""), "model",
	    "model: /etc is not under the models root @/models" },
	{ REQ("\"/nonexistent/x\"", ""), "model",
	    "model: /nonexistent/x is not under the models root @/models" },
	{ REQ("\"@/outside/secret\"", ""), "model",
	    "model: @/outside/secret is not under the models root @/models" },
	{ REQ("\"@/outside/nope\"", ""), "model",
	    "model: @/outside/nope is not under the models root @/models" },
	{ REQ("\"@/models/../outside/secret\"", ""), "model",
	    "model: @/models/../outside/secret is not under the models root "
	    "@/models" },
	{ REQ("\"@/models/m1/../../outside\"", ""), "model",
	    "model: @/models/m1/../../outside is not under the models root "
	    "@/models" },
	{ REQ("\"@/models/link/secret\"", ""), "model",
	    "model: @/models/link/secret leads outside the models root "
	    "@/models (through a symlink)" },
	{ REQ("\"@/models/link\"", ""), "model", "model: @/models/link leads "
	    "outside the models root @/models (through a symlink)" },
	{ REQ("\"@/models2/x\"", ""), "model",
	    "model: @/models2/x is not under the models root @/models" },
	{ REQ("\"@/models2\"", ""), "model",
	    "model: @/models2 is not under the models root @/models" },
	{ REQ("\"@/models/nope\"", ""), "model",
	    "model: @/models/nope does not exist" },
	{ REQ("\"@/models/file.gguf/x\"", ""), "model",
	    "model: @/models/file.gguf/x does not exist" },
	{ REQ("\"@/models/m1\\n\"", ""), "model",
	    "model: must not hold control characters" },
	{ REQ("\"@/models/a:b\"", ""), "model", "model: @/models/a:b holds a "
	    "':' or a control character, which a Docker bind cannot carry" },
	/* model, a name */
	{ OLL("\"llama 3\""), "model", "model: " NAME_RULE },
	{ OLL("\"\""), "model", "model: " NAME_RULE },
	{ OLL("\"llama\\t3\""), "model", "model: " NAME_RULE },
	{ OLL("null"), "model", "model: must be a string" },
	/* gpus */
	{ R(",\"gpus\":\"ALL\""), "gpus",
	    "gpus: 'ALL' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"\""), "gpus",
	    "gpus: '' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"0,,1\""), "gpus",
	    "gpus: '0,,1' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"0,1,\""), "gpus",
	    "gpus: '0,1,' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"0 1\""), "gpus",
	    "gpus: '0 1' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"-1\""), "gpus",
	    "gpus: '-1' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"gpu0\""), "gpus",
	    "gpus: 'gpu0' is not a list of GPU indices like \"0,1\"" },
	{ R(",\"gpus\":\"0,64\""), "gpus", "gpus: 64 is not a GPU index "
	    "(0-63)" },
	{ R(",\"gpus\":\"99999999999999999999\""), "gpus",
	    "gpus: 999999 is not a GPU index (0-63)" },
	{ R(",\"gpus\":\"1, 1\""), "gpus", "gpus: GPU 1 is listed twice" },
	{ R(",\"gpus\":[0,0]"), "gpus", "gpus: GPU 0 is listed twice" },
	{ R(",\"gpus\":[64]"), "gpus",
	    "gpus[0]: want a GPU index from 0 to 63" },
	{ R(",\"gpus\":[0,-1]"), "gpus",
	    "gpus[1]: want a GPU index from 0 to 63" },
	{ R(",\"gpus\":[1.5]"), "gpus",
	    "gpus[0]: want a GPU index from 0 to 63" },
	{ R(",\"gpus\":[\"0\"]"), "gpus",
	    "gpus[0]: want a GPU index from 0 to 63" },
	{ R(",\"gpus\":[]"), "gpus",
	    "gpus: an empty list (say \"none\" for no GPU)" },
	{ R(",\"gpus\":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]"), "gpus",
	    "gpus: more than 16 GPUs" },
	{ R(",\"gpus\":true"), "gpus", GPUS_WANT },
	{ R(",\"gpus\":3"), "gpus", GPUS_WANT },
	{ R(",\"gpus\":{}"), "gpus", GPUS_WANT },
	/* port */
	{ R(",\"port\":0"), "port", "port: want a number from 1 to 65535" },
	{ R(",\"port\":65536"), "port", "port: want a number from 1 to 65535" },
	{ R(",\"port\":-80"), "port", "port: want a number from 1 to 65535" },
	{ R(",\"port\":80.5"), "port", "port: want a number from 1 to 65535" },
	{ R(",\"port\":1e99"), "port", "port: want a number from 1 to 65535" },
	{ R(",\"port\":\"8000\""), "port",
	    "port: want a number from 1 to 65535" },
	/* image */
	{ R(",\"image\":\"\""), "image", "image: must not be empty" },
	{ R(",\"image\":\"a b\""), "image",
	    "image: must not hold blanks or control characters" },
	{ R(",\"image\":\"a\\nb\""), "image",
	    "image: must not hold blanks or control characters" },
	{ R(",\"image\":5"), "image", "image: must be a string" },
	/* args */
	{ R(",\"args\":\"--x\""), "args",
	    "args: want an array of at most 64 strings" },
	{ R(",\"args\":{}"), "args",
	    "args: want an array of at most 64 strings" },
	{ R(",\"args\":[\"a\",1]"), "args",
	    "args[1]: want a string of at most 4096 characters" },
	{ R(",\"args\":[null]"), "args",
	    "args[0]: want a string of at most 4096 characters" },
	/* env */
	{ R(",\"env\":[]"), "env", ENV_WANT },
	{ R(",\"env\":\"A=1\""), "env", ENV_WANT },
	{ R(",\"env\":{\"A-B\":\"x\"}"), "env",
	    "env: 'A-B' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ R(",\"env\":{\"1A\":\"x\"}"), "env",
	    "env: '1A' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ R(",\"env\":{\"\":\"x\"}"), "env",
	    "env: '' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ R(",\"env\":{\"A=B\":\"x\"}"), "env",
	    "env: 'A=B' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)" },
	{ R(",\"env\":{\"A\":1}"), "env", "env.A: must be a string" },
	{ R(",\"env\":{\"A\":null}"), "env", "env.A: must be a string" },
	{ R(",\"env\":{\"A\":\"x\",\"A\":\"y\"}"), "env",
	    "env.A: given twice" },
	/* secret_env */
	{ R(",\"secret_env\":[\"hf\"]"), "secret_env", "secret_env: want an "
	    "object of at most 64 \"NAME\": \"secret\" strings" },
	{ R(",\"secret_env\":{\"HF-TOKEN\":\"hf\"}"), "secret_env",
	    "secret_env: 'HF-TOKEN' is not a variable name "
	    "([A-Za-z_][A-Za-z0-9_]*)" },
	{ R(",\"secret_env\":{\"HF_TOKEN\":5}"), "secret_env",
	    "secret_env.HF_TOKEN: must be a string" },
	{ R(",\"secret_env\":{\"HF_TOKEN\":\"hf token\"}"), "secret_env",
	    "secret_env.HF_TOKEN: want a secret name (1-128 of A-Z a-z 0-9 . "
	    "_ -, starting with a letter or digit)" },
	{ R(",\"secret_env\":{\"HF_TOKEN\":\".hf\"}"), "secret_env",
	    "secret_env.HF_TOKEN: want a secret name (1-128 of A-Z a-z 0-9 . "
	    "_ -, starting with a letter or digit)" },
	{ R(",\"secret_env\":{\"HF_TOKEN\":\"\"}"), "secret_env",
	    "secret_env.HF_TOKEN: want a secret name (1-128 of A-Z a-z 0-9 . "
	    "_ -, starting with a letter or digit)" },
	{ R(",\"env\":{\"T\":\"v\"},\"secret_env\":{\"T\":\"hf\"}"),
	    "secret_env", "secret_env.T: also in env; give a variable once" },
	{ R(",\"secret_env\":{\"T\":\"hf\",\"T\":\"hf2\"}"), "secret_env",
	    "secret_env.T: given twice" },
};

/* want_str_array - j is an array holding exactly the n strings of want */
static void
want_str_array(const cJSON *j, const char *const *want, int n)
{
	int	i;

	ck_assert(cJSON_IsArray(j));
	ck_assert_int_eq(cJSON_GetArraySize(j), n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(cJSON_GetArrayItem(j, i)->valuestring,
		    want[i]);
}

START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	char			*want;

	ck_assert_int_eq(eng_fx_parse(c->text, &s, &e), -1);
	want = eng_fx_subst(c->want);
	ck_assert_str_eq(e.code, "bad_request");
	ck_assert_str_eq(e.field, c->field);
	ck_assert_str_eq(e.message, want);
	ck_assert_ptr_null(strchr(e.message, '\n'));
	ck_assert_ptr_null(s.model);
	ck_assert_ptr_null(s.args);
	eng_spec_free(&s);
	free(want);
}
END_TEST

START_TEST(test_minimal)
{
	struct eng_spec		s;
	struct eng_spec_err	e;
	char			want[PATH_MAX];

	ck_assert_int_eq(eng_fx_parse(R(""), &s, &e), 0);
	ck_assert_str_eq(s.name, "a");
	ck_assert_str_eq(s.engine, "vllm");
	snprintf(want, sizeof(want), "%s/m1", eng_fx_root);
	ck_assert_str_eq(s.model, want);
	ck_assert_str_eq(s.image, "vllm/vllm-openai:latest");
	ck_assert_int_eq(s.port, 8000);
	ck_assert_int_eq(s.gpus, ENG_GPUS_ALL);
	ck_assert_uint_eq(s.ngpus, 0);
	ck_assert_int_eq(cJSON_GetArraySize(s.args), 0);
	ck_assert(cJSON_IsObject(s.env) && s.env->child == NULL);
	ck_assert(cJSON_IsObject(s.secret_env) && s.secret_env->child == NULL);
	eng_spec_free(&s);
	eng_spec_free(&s);	/* twice is harmless */
}
END_TEST

START_TEST(test_full)
{
	static const char *const	 args[] = { "--max-model-len", "8192" };
	struct eng_spec			 s;
	struct eng_spec_err		 e;

	ck_assert_int_eq(eng_fx_parse("{\"secret_env\":{\"HF_TOKEN\":"
	    "\"hf.read\"},\"env\":{\"VLLM_X\":\"1\",\"_y\":\"\"},\"args\":"
	    "[\"--max-model-len\",\"8192\"],\"image\":\"me/vllm:0.6\","
	    "\"port\":9000,\"gpus\":[3,0],\"model\":\"@/models/m1\","
	    "\"engine\":\"vllm\",\"name\":\"Qwen2.5-7B_i.1\"}", &s, &e), 0);
	ck_assert_str_eq(s.name, "Qwen2.5-7B_i.1");
	ck_assert_str_eq(s.image, "me/vllm:0.6");
	ck_assert_int_eq(s.port, 9000);
	ck_assert_int_eq(s.gpus, ENG_GPUS_LIST);
	ck_assert_uint_eq(s.ngpus, 2);
	ck_assert_int_eq(s.gpu_idx[0], 3);	/* the order given */
	ck_assert_int_eq(s.gpu_idx[1], 0);
	want_str_array(s.args, args, 2);
	ck_assert_str_eq(cJSON_GetObjectItem(s.env, "VLLM_X")->valuestring,
	    "1");
	ck_assert_str_eq(cJSON_GetObjectItem(s.env, "_y")->valuestring, "");
	ck_assert_str_eq(cJSON_GetObjectItem(s.secret_env,
	    "HF_TOKEN")->valuestring, "hf.read");
	eng_spec_free(&s);
}
END_TEST

static const struct gpus_case {
	const char	*gpus;
	enum eng_gpus	 want;
	int		 idx[ENG_GPUS_MAX];
	size_t		 n;
} gpus_cases[] = {
	{ "\"all\"", ENG_GPUS_ALL, { 0 }, 0 },
	{ "null", ENG_GPUS_ALL, { 0 }, 0 },
	{ "\"none\"", ENG_GPUS_NONE, { 0 }, 0 },
	{ "\"0,1\"", ENG_GPUS_LIST, { 0, 1 }, 2 },
	{ "\" 2 , 3 \"", ENG_GPUS_LIST, { 2, 3 }, 2 },
	{ "\"63\"", ENG_GPUS_LIST, { 63 }, 1 },
	{ "\"007\"", ENG_GPUS_LIST, { 7 }, 1 },
	{ "[5]", ENG_GPUS_LIST, { 5 }, 1 },
	{ "[0,63,2.0]", ENG_GPUS_LIST, { 0, 63, 2 }, 3 },
	{ "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]", ENG_GPUS_LIST,
	    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, 16 },
};

START_TEST(test_gpus)
{
	const struct gpus_case	*c = &gpus_cases[_i];
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	char			 text[256];
	size_t			 k;

	snprintf(text, sizeof(text), R(",\"gpus\":%s"), c->gpus);
	ck_assert_msg(eng_fx_parse(text, &s, &e) == 0, "%s: %s", c->gpus,
	    e.message);
	ck_assert_int_eq(s.gpus, c->want);
	ck_assert_uint_eq(s.ngpus, c->n);
	for (k = 0; k < c->n; k++)
		ck_assert_int_eq(s.gpu_idx[k], c->idx[k]);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_nulls)
{
	struct eng_spec		s;
	struct eng_spec_err	e;

	ck_assert_int_eq(eng_fx_parse(R(",\"gpus\":null,\"port\":null,"
	    "\"image\":null,\"args\":null,\"env\":null,\"secret_env\":null"),
	    &s, &e), 0);
	ck_assert_int_eq(s.port, 8000);
	ck_assert_str_eq(s.image, "vllm/vllm-openai:latest");
	ck_assert_int_eq(s.gpus, ENG_GPUS_ALL);
	ck_assert_int_eq(cJSON_GetArraySize(s.args), 0);
	eng_spec_free(&s);
}
END_TEST

static const struct model_case {
	const char	*model;	/* '@' the fixture */
	const char	*want;	/* resolved */
} model_cases[] = {
	{ "@/models/m1", "@/models/m1" },
	{ "@/models", "@/models" },		/* the root itself */
	{ "@/models/", "@/models" },
	{ "@/models/file.gguf", "@/models/file.gguf" },
	{ "@/models/inlink", "@/models/m1" },	/* a link inside */
	{ "@/models/inlink/config.json", "@/models/m1/config.json" },
	{ "@/models/./m1/../file.gguf", "@/models/file.gguf" },
	{ "@//models//m1", "@/models/m1" },
	{ "@/rootlink/m1", "@/models/m1" },	/* the root by a link */
	{ "@/outside/../models/m1", "@/models/m1" },
};

START_TEST(test_model)
{
	const struct model_case	*c = &model_cases[_i];
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	char			 text[512], *want;

	snprintf(text, sizeof(text), REQ("\"%s\"", ""), c->model);
	ck_assert_msg(eng_fx_parse(text, &s, &e) == 0, "%s: %s", c->model,
	    e.message);
	want = eng_fx_subst(c->want);
	ck_assert_str_eq(s.model, want);
	free(want);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_model_name)
{
	struct eng_spec		s;
	struct eng_spec_err	e;
	char			text[512], name[300];

	ck_assert_int_eq(eng_fx_parse(OLL("\"llama3:8b\""), &s, &e), 0);
	ck_assert_str_eq(s.model, "llama3:8b");
	ck_assert_str_eq(s.image, "ollama/ollama:latest");
	ck_assert_int_eq(s.port, 11434);
	eng_spec_free(&s);
	/* a name is never a path: "/etc/passwd" is just a (bad) name */
	ck_assert_int_eq(eng_fx_parse(OLL("\"/etc/passwd\""), &s, &e), 0);
	ck_assert_str_eq(s.model, "/etc/passwd");
	eng_spec_free(&s);
	memset(name, 'm', 255);
	name[255] = '\0';
	snprintf(text, sizeof(text), OLL("\"%s\""), name);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), 0);
	eng_spec_free(&s);
	name[255] = 'm';
	name[256] = '\0';
	snprintf(text, sizeof(text), OLL("\"%s\""), name);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), -1);
	ck_assert_str_eq(e.message, "model: " NAME_RULE);
}
END_TEST

/* many - "[", n copies of item joined by ",", "]" into buf */
static char *
many(char *buf, size_t len, const char *open, const char *item, int n,
    const char *close)
{
	size_t	o;
	int	i;

	o = (size_t)snprintf(buf, len, "%s", open);
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, i > 0 ? ",%s" : "%s",
		    item);
	ck_assert_uint_lt(o + strlen(close), len);
	snprintf(buf + o, len - o, "%s", close);
	return (buf);
}

START_TEST(test_limits)
{
	struct eng_spec		s;
	struct eng_spec_err	e;
	static char		text[16384], list[12288], env[4096];
	char			name[80], big[4200];
	int			i;

	/* a name of 63 and of 64 characters */
	memset(name, 'n', 64);
	name[63] = '\0';
	snprintf(text, sizeof(text), "{\"name\":\"%s\",\"engine\":\"vllm\","
	    "\"model\":" M1 "}", name);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), 0);
	eng_spec_free(&s);
	name[63] = 'n';
	name[64] = '\0';
	snprintf(text, sizeof(text), "{\"name\":\"%s\",\"engine\":\"vllm\","
	    "\"model\":" M1 "}", name);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), -1);
	ck_assert_str_eq(e.message, "name: longer than 63 characters");
	/* 64 args, then 65 */
	snprintf(text, sizeof(text), R(",\"args\":%s"),
	    many(list, sizeof(list), "[", "\"-x\"", 64, "]"));
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), 0);
	ck_assert_int_eq(cJSON_GetArraySize(s.args), 64);
	eng_spec_free(&s);
	snprintf(text, sizeof(text), R(",\"args\":%s"),
	    many(list, sizeof(list), "[", "\"-x\"", 65, "]"));
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), -1);
	ck_assert_str_eq(e.message, "args: want an array of at most 64 "
	    "strings");
	/* an arg of 4096 characters, then of 4097 */
	memset(big, 'a', 4097);
	big[4096] = '\0';
	snprintf(text, sizeof(text), R(",\"args\":[\"%s\"]"), big);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), 0);
	eng_spec_free(&s);
	big[4096] = 'a';
	big[4097] = '\0';
	snprintf(text, sizeof(text), R(",\"args\":[\"%s\"]"), big);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), -1);
	ck_assert_str_eq(e.message, "args[0]: want a string of at most 4096 "
	    "characters");
	snprintf(text, sizeof(text), R(",\"env\":{\"A\":\"%s\"}"), big);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), -1);
	ck_assert_str_eq(e.message, "env.A: longer than 4096 characters");
	/* 65 variables */
	list[0] = '\0';
	for (i = 0; i < 65; i++) {
		snprintf(env, sizeof(env), "%s%s\"V%d\":\"x\"", list,
		    i > 0 ? "," : "", i);
		snprintf(list, sizeof(list), "%s", env);
	}
	snprintf(text, sizeof(text), R(",\"env\":{%s}"), list);
	ck_assert_int_eq(eng_fx_parse(text, &s, &e), -1);
	ck_assert_str_eq(e.message, ENV_WANT);
}
END_TEST

START_TEST(test_model_path)
{
	struct eng_spec_err	e;
	char			out[PATH_MAX], small[8], want[PATH_MAX];
	char			*m;

	m = eng_fx_subst("@/models/m1");
	ck_assert_int_eq(eng_spec_model_path(eng_fx_root, m, out,
	    sizeof(out), &e), 0);
	ck_assert_str_eq(out, m);
	/* the root given as a link, the model by its resolved path */
	snprintf(want, sizeof(want), "%s/rootlink", eng_fx_dir);
	ck_assert_int_eq(eng_spec_model_path(want, m, out, sizeof(out), &e),
	    0);
	ck_assert_str_eq(out, m);
	ck_assert_int_eq(eng_spec_model_path(eng_fx_root, m, small,
	    sizeof(small), &e), -1);
	ck_assert_str_eq(e.field, "model");
	ck_assert_str_eq(e.message, "model: longer than 7 characters once "
	    "resolved");
	ck_assert_int_eq(eng_spec_model_path(NULL, m, out, sizeof(out), &e),
	    -1);
	ck_assert_str_eq(e.message, "model: no models root is configured");
	ck_assert_int_eq(eng_spec_model_path("", m, out, sizeof(out), &e),
	    -1);
	ck_assert_str_eq(e.message, "model: no models root is configured");
	snprintf(want, sizeof(want), "%s/gone", eng_fx_dir);
	ck_assert_int_eq(eng_spec_model_path(want, m, out, sizeof(out), &e),
	    -1);
	snprintf(want, sizeof(want), "model: the models root %s/gone cannot "
	    "be resolved: No such file or directory", eng_fx_dir);
	ck_assert_str_eq(e.message, want);
	/* "/" as the root takes any existing absolute path */
	ck_assert_int_eq(eng_spec_model_path("/", m, out, sizeof(out), &e),
	    0);
	ck_assert_str_eq(out, m);
	free(m);
}
END_TEST

/* eng_spec_suite - the launch request, the create body, the stored spec */
Suite *
eng_spec_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("eng_spec");
	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, eng_fx_setup, eng_fx_teardown);
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_full);
	tcase_add_loop_test(tc, test_gpus, 0,
	    (int)(sizeof(gpus_cases) / sizeof(gpus_cases[0])));
	tcase_add_test(tc, test_nulls);
	tcase_add_loop_test(tc, test_model, 0,
	    (int)(sizeof(model_cases) / sizeof(model_cases[0])));
	tcase_add_test(tc, test_model_name);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_model_path);
	suite_add_tcase(s, tc);
	eng_spec_body_tcases(s);
	return (s);
}
