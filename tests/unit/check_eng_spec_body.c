/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_spec_body - unit tests for what a spec turns into
 *	(workers/engines/eng_spec_body.c)
 * SYNOPSIS
 *	void	eng_spec_body_tcases(Suite *su);
 * DESCRIPTION
 *	The Docker create body of each built-in profile, compared as text
 *	with the whole body expected (the corral.engine.spec label apart,
 *	compared on its own): host networking, IpcMode for vLLM only, the
 *	model bound read-only at its own path, named volumes, the three
 *	forms of DeviceRequests, Cmd left out when there is nothing to
 *	run, an entrypoint. Secret values appear in Env and nowhere else;
 *	env values not in the labels. Then the failures (a placeholder, a
 *	volume that expands badly, a missing secret, an env value read
 *	back), the stored JSON exactly, its round trip, and what
 *	eng_spec_from_json refuses.
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

#define LABELS(inst, name, prof, port) \
	"\"Labels\":{\"corral.instance\":\"" inst "\",\"corral.engine\":\"" \
	name "\",\"corral.engine.profile\":\"" prof "\"," \
	"\"corral.engine.port\":\"" port "\",\"corral.engine.spec\":\"SPEC\"}"
#define RESTART		"\"RestartPolicy\":{\"Name\":\"no\"}"
#define CAPS		"\"Capabilities\":[[\"gpu\"]]"
#define ALL_GPUS	"\"DeviceRequests\":[{\"Driver\":\"nvidia\"," \
			"\"Count\":-1," CAPS "}]"
#define SECRET		"sk-SECRET-value-1"
#define ENVVAL		"env-VALUE-42"

static const struct body_case {
	const char	*req;		/* '@': the fixture's directory */
	const char	*secrets;	/* JSON, or NULL */
	const char	*instance;
	const char	*want;		/* the body, label spec as "SPEC" */
	const char	*want_spec;	/* the corral.engine.spec label */
} body_cases[] = {
	{ "{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"@/models/m1\","
	    "\"gpus\":[0,1],\"port\":9000,\"args\":[\"--x\"],\"env\":{\"E\":"
	    "\"" ENVVAL "\"},\"secret_env\":{\"HF_TOKEN\":\"hf.read\"}}",
	    "{\"HF_TOKEN\":\"" SECRET "\",\"OTHER\":\"unused\"}", "inst1",
	    "{\"Image\":\"vllm/vllm-openai:latest\",\"Cmd\":[\"--model\","
	    "\"@/models/m1\",\"--served-model-name\",\"a\",\"--host\","
	    "\"127.0.0.1\",\"--port\",\"9000\",\"--x\"],\"Env\":[\"HF_HOME="
	    "/root/.cache/huggingface\",\"E=" ENVVAL "\",\"HF_TOKEN=" SECRET
	    "\"]," LABELS("inst1", "a", "vllm", "9000") ",\"HostConfig\":{"
	    "\"NetworkMode\":\"host\",\"IpcMode\":\"host\",\"Binds\":["
	    "\"@/models/m1:@/models/m1:ro\",\"corral-hf-cache:/root/.cache/"
	    "huggingface\"],\"DeviceRequests\":[{\"Driver\":\"nvidia\","
	    "\"DeviceIDs\":[\"0\",\"1\"]," CAPS "}]," RESTART "}}",
	    "{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"@/models/m1\","
	    "\"image\":\"vllm/vllm-openai:latest\",\"port\":9000,\"gpus\":"
	    "[0,1],\"args\":[\"--x\"],\"env_names\":[\"E\"],\"secret_env\":"
	    "{\"HF_TOKEN\":\"hf.read\"}}" },
	{ "{\"name\":\"l\",\"engine\":\"llamacpp\",\"model\":"
	    "\"@/models/file.gguf\"}", NULL, "i",
	    "{\"Image\":\"ghcr.io/ggerganov/llama.cpp:server\",\"Cmd\":[\"-m\","
	    "\"@/models/file.gguf\",\"--alias\",\"l\",\"--host\","
	    "\"127.0.0.1\",\"--port\",\"8081\"],\"Env\":[],"
	    LABELS("i", "l", "llamacpp", "8081") ",\"HostConfig\":{"
	    "\"NetworkMode\":\"host\",\"Binds\":[\"@/models/file.gguf:"
	    "@/models/file.gguf:ro\"]," ALL_GPUS "," RESTART "}}",
	    "{\"name\":\"l\",\"engine\":\"llamacpp\",\"model\":"
	    "\"@/models/file.gguf\",\"image\":\"ghcr.io/ggerganov/llama.cpp:"
	    "server\",\"port\":8081,\"gpus\":\"all\",\"args\":[],"
	    "\"env_names\":[],\"secret_env\":{}}" },
	{ "{\"name\":\"o\",\"engine\":\"ollama\",\"model\":\"llama3:8b\","
	    "\"gpus\":\"none\",\"port\":11500}", "{}", NULL,
	    "{\"Image\":\"ollama/ollama:latest\",\"Env\":[\"OLLAMA_HOST="
	    "127.0.0.1:11500\"]," LABELS("", "o", "ollama", "11500") ","
	    "\"HostConfig\":{\"NetworkMode\":\"host\",\"Binds\":["
	    "\"corral-ollama:/root/.ollama\"]," RESTART "}}",
	    "{\"name\":\"o\",\"engine\":\"ollama\",\"model\":\"llama3:8b\","
	    "\"image\":\"ollama/ollama:latest\",\"port\":11500,\"gpus\":"
	    "\"none\",\"args\":[],\"env_names\":[],\"secret_env\":{}}" },
	{ "{\"name\":\"x\",\"engine\":\"exllamav2\",\"model\":"
	    "\"@/models/m1\",\"gpus\":\"3\",\"image\":\"me/exl2:1\"}", NULL,
	    "i",
	    "{\"Image\":\"me/exl2:1\",\"Cmd\":[\"--host\",\"127.0.0.1\","
	    "\"--port\",\"8000\",\"--model-dir\",\"@/models\","
	    "\"--model-name\",\"m1\"],\"Env\":[],"
	    LABELS("i", "x", "exllamav2", "8000") ",\"HostConfig\":{"
	    "\"NetworkMode\":\"host\",\"Binds\":[\"@/models/m1:@/models/m1:"
	    "ro\"],\"DeviceRequests\":[{\"Driver\":\"nvidia\",\"DeviceIDs\":"
	    "[\"3\"]," CAPS "}]," RESTART "}}",
	    "{\"name\":\"x\",\"engine\":\"exllamav2\",\"model\":"
	    "\"@/models/m1\",\"image\":\"me/exl2:1\",\"port\":8000,\"gpus\":"
	    "[3],\"args\":[],\"env_names\":[],\"secret_env\":{}}" },
};

/* must_parse - a good request into s */
static void
must_parse(const char *req, struct eng_spec *s)
{
	struct eng_spec_err	e;

	ck_assert_msg(eng_fx_parse(req, s, &e) == 0, "%s", e.message);
}

/* count - how often needle is in hay */
static int
count(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return (n);
}

/* body_text - body printed, its spec label checked and made "SPEC" */
static char *
body_text(cJSON *body, const char *want_spec)
{
	cJSON	*labels, *spec;
	char	*want, *text;

	labels = cJSON_GetObjectItem(body, "Labels");
	spec = cJSON_GetObjectItem(labels, "corral.engine.spec");
	ck_assert(cJSON_IsString(spec));
	want = eng_fx_subst(want_spec);
	ck_assert_str_eq(spec->valuestring, want);
	free(want);
	cJSON_ReplaceItemInObject(labels, "corral.engine.spec",
	    cJSON_CreateString("SPEC"));
	text = cJSON_PrintUnformatted(body);
	ck_assert_ptr_nonnull(text);
	return (text);
}

START_TEST(test_body)
{
	const struct body_case	*c = &body_cases[_i];
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	cJSON			*secrets = NULL, *body;
	char			*text, *want;

	must_parse(c->req, &s);
	if (c->secrets != NULL)
		ck_assert_ptr_nonnull(secrets = cJSON_Parse(c->secrets));
	body = eng_spec_create_body(&s, eng_profiles_find(eng_fx_profiles,
	    s.engine), secrets, c->instance, &e);
	ck_assert_msg(body != NULL, "%s", e.message);
	text = body_text(body, c->want_spec);
	want = eng_fx_subst(c->want);
	ck_assert_str_eq(text, want);
	free(want);
	free(text);
	cJSON_Delete(body);
	cJSON_Delete(secrets);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_secrets_only_in_env)
{
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	cJSON			*secrets, *body, *env;
	char			*text;

	must_parse(body_cases[0].req, &s);
	secrets = cJSON_Parse(body_cases[0].secrets);
	body = eng_spec_create_body(&s, eng_profiles_find(eng_fx_profiles,
	    "vllm"), secrets, "inst1", &e);
	ck_assert_ptr_nonnull(body);
	text = cJSON_PrintUnformatted(body);
	ck_assert_int_eq(count(text, SECRET), 1);
	ck_assert_int_eq(count(text, ENVVAL), 1);
	ck_assert_int_eq(count(text, "unused"), 0);	/* not asked for */
	cJSON_free(text);
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(body, "Labels"));
	ck_assert_int_eq(count(text, SECRET), 0);
	ck_assert_int_eq(count(text, ENVVAL), 0);
	ck_assert_int_eq(count(text, "hf.read"), 1);	/* the name is */
	cJSON_free(text);
	env = cJSON_DetachItemFromObject(body, "Env");
	text = cJSON_PrintUnformatted(body);
	ck_assert_int_eq(count(text, SECRET), 0);
	ck_assert_int_eq(count(text, ENVVAL), 0);
	cJSON_free(text);
	text = cJSON_PrintUnformatted(env);
	ck_assert_int_eq(count(text, SECRET), 1);
	cJSON_free(text);
	cJSON_Delete(env);
	cJSON_Delete(body);
	cJSON_Delete(secrets);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_entrypoint)
{
	static char		*ep[] = { "python3", "/app/main.py", "--port",
				    "{port}" };
	static char		*vols[] = { "/srv/cache/{name}:/cache" };
	struct eng_profile	 pr;
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	cJSON			*body;
	char			*text;

	memset(&pr, 0, sizeof(pr));
	snprintf(pr.name, sizeof(pr.name), "hand");
	pr.image = "hand/img";
	pr.port = 7000;
	pr.has_entrypoint = 1;
	pr.entrypoint.v = ep;
	pr.entrypoint.n = 4;
	pr.volumes.v = vols;
	pr.volumes.n = 1;
	must_parse("{\"name\":\"h\",\"engine\":\"vllm\",\"model\":"
	    "\"@/models/m1\",\"args\":[\"{kept}\"]}", &s);
	body = eng_spec_create_body(&s, &pr, NULL, "i", &e);
	ck_assert_msg(body != NULL, "%s", e.message);
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(body,
	    "Entrypoint"));
	ck_assert_str_eq(text, "[\"python3\",\"/app/main.py\",\"--port\","
	    "\"8000\"]");
	cJSON_free(text);
	/* the request's args are not expanded */
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(body, "Cmd"));
	ck_assert_str_eq(text, "[\"{kept}\"]");
	cJSON_free(text);
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    body, "HostConfig"), "Binds"));
	ck_assert_int_eq(count(text, "\"/srv/cache/h:/cache\""), 1);
	cJSON_free(text);
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(body,
	    "HostConfig"), "IpcMode"));
	cJSON_Delete(body);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_body_fails)
{
	static char		*bad[] = { "--x", "{nope}" };
	static char		*vol[] = { "{model}:/data" };
	struct eng_profile	 pr;
	struct eng_spec		 s;
	struct eng_spec_err	 e;
	cJSON			*secrets;

	memset(&pr, 0, sizeof(pr));
	snprintf(pr.name, sizeof(pr.name), "hand");
	pr.image = "hand/img";
	pr.args.v = bad;
	pr.args.n = 2;
	must_parse(body_cases[1].req, &s);
	ck_assert_ptr_null(eng_spec_create_body(&s, &pr, NULL, "i", &e));
	ck_assert_str_eq(e.code, "bad_request");
	ck_assert_str_eq(e.field, "engine");
	ck_assert_str_eq(e.message, "engine: profile hand: args[1]: unknown "
	    "placeholder {nope} (known: {name}, {port}, {model}, {model_dir},"
	    " {model_base}; {{ and }} are literal braces)");
	/* a volume that is no longer SOURCE:TARGET once expanded */
	memset(&pr.args, 0, sizeof(pr.args));
	pr.model_is_name = 1;
	pr.volumes.v = vol;
	pr.volumes.n = 1;
	eng_spec_free(&s);
	must_parse(body_cases[2].req, &s);
	ck_assert_ptr_null(eng_spec_create_body(&s, &pr, NULL, "i", &e));
	ck_assert_str_eq(e.field, "engine");
	ck_assert_str_eq(e.message, "engine: profile hand: volumes[0]: want "
	    "SOURCE:TARGET or SOURCE:TARGET:ro once expanded");
	eng_spec_free(&s);
	/* secrets: none given, the variable missing, not a string */
	must_parse(body_cases[0].req, &s);
	ck_assert_ptr_null(eng_spec_create_body(&s, eng_profiles_find(
	    eng_fx_profiles, "vllm"), NULL, "i", &e));
	ck_assert_str_eq(e.field, "secret_env");
	ck_assert_str_eq(e.message, "secret_env.HF_TOKEN: no value for "
	    "secret 'hf.read'");
	secrets = cJSON_Parse("{\"OTHER\":\"x\"}");
	ck_assert_ptr_null(eng_spec_create_body(&s, eng_profiles_find(
	    eng_fx_profiles, "vllm"), secrets, "i", &e));
	ck_assert_str_eq(e.field, "secret_env");
	cJSON_Delete(secrets);
	secrets = cJSON_Parse("{\"HF_TOKEN\":5}");
	ck_assert_ptr_null(eng_spec_create_body(&s, eng_profiles_find(
	    eng_fx_profiles, "vllm"), secrets, "i", &e));
	ck_assert_str_eq(e.field, "secret_env");
	cJSON_Delete(secrets);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_json)
{
	const struct body_case	*c = &body_cases[_i];
	struct eng_spec		 s, back;
	cJSON			*j, *j2;
	char			*text, *text2, *want;

	must_parse(c->req, &s);
	j = eng_spec_json(&s);
	text = cJSON_PrintUnformatted(j);
	want = eng_fx_subst(c->want_spec);
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(eng_spec_from_json(j, &back), 0);
	ck_assert_str_eq(back.name, s.name);
	ck_assert_str_eq(back.engine, s.engine);
	ck_assert_str_eq(back.model, s.model);
	ck_assert_int_eq(back.port, s.port);
	ck_assert_int_eq(back.gpus, s.gpus);
	ck_assert_uint_eq(back.ngpus, s.ngpus);
	j2 = eng_spec_json(&back);
	text2 = cJSON_PrintUnformatted(j2);
	ck_assert_str_eq(text2, text);
	cJSON_free(text);
	cJSON_free(text2);
	cJSON_Delete(j);
	cJSON_Delete(j2);
	free(want);
	eng_spec_free(&back);
	eng_spec_free(&s);
}
END_TEST

START_TEST(test_adopted_env)
{
	struct eng_spec		 s, back;
	struct eng_spec_err	 e;
	cJSON			*j, *body, *secrets;

	/* env values are not stored: a spec read back cannot relaunch */
	must_parse(body_cases[0].req, &s);
	j = eng_spec_json(&s);
	ck_assert_int_eq(eng_spec_from_json(j, &back), 0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(back.env, "E")));
	secrets = cJSON_Parse(body_cases[0].secrets);
	ck_assert_ptr_null(eng_spec_create_body(&back, eng_profiles_find(
	    eng_fx_profiles, "vllm"), secrets, "i", &e));
	ck_assert_str_eq(e.field, "env");
	ck_assert_str_eq(e.message, "env.E: its value is not known (the spec "
	    "was read back from a container)");
	eng_spec_free(&back);
	cJSON_Delete(j);
	/* without env it can */
	eng_spec_free(&s);
	must_parse(body_cases[1].req, &s);
	j = eng_spec_json(&s);
	ck_assert_int_eq(eng_spec_from_json(j, &back), 0);
	body = eng_spec_create_body(&back, eng_profiles_find(eng_fx_profiles,
	    "llamacpp"), NULL, "i", &e);
	ck_assert_ptr_nonnull(body);
	cJSON_Delete(body);
	cJSON_Delete(secrets);
	cJSON_Delete(j);
	eng_spec_free(&back);
	eng_spec_free(&s);
}
END_TEST

#define SJ(more)	"{\"name\":\"a\",\"engine\":\"vllm\"," \
			"\"model\":\"/m\",\"image\":\"i\",\"port\":1," \
			"\"gpus\":\"all\"" more "}"

static const char *const from_bad[] = {
	"[]",
	"{\"engine\":\"vllm\",\"model\":\"/m\",\"image\":\"i\",\"port\":1,"
	    "\"gpus\":\"all\"}",
	"{\"name\":\".a\",\"engine\":\"vllm\",\"model\":\"/m\",\"image\":\"i\","
	    "\"port\":1,\"gpus\":\"all\"}",
	"{\"name\":\"a\",\"engine\":\"\",\"model\":\"/m\",\"image\":\"i\","
	    "\"port\":1,\"gpus\":\"all\"}",
	"{\"name\":\"a\",\"engine\":\"vllm\",\"image\":\"i\",\"port\":1,"
	    "\"gpus\":\"all\"}",
	"{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"/m\","
	    "\"image\":\"i i\",\"port\":1,\"gpus\":\"all\"}",
	"{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"/m\",\"image\":\"i\","
	    "\"port\":0,\"gpus\":\"all\"}",
	"{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"/m\",\"image\":\"i\","
	    "\"port\":1}",
	"{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"/m\",\"image\":\"i\","
	    "\"port\":1,\"gpus\":[99]}",
	"{\"name\":\"a\",\"engine\":\"vllm\",\"model\":\"/m\",\"image\":\"i\","
	    "\"port\":1,\"gpus\":\"some\"}",
	SJ(",\"args\":[1]"),
	SJ(",\"args\":\"x\""),
	SJ(",\"env_names\":[\"A-B\"]"),
	SJ(",\"env_names\":[\"A\",\"A\"]"),
	SJ(",\"env_names\":{}"),
	SJ(",\"secret_env\":{\"T\":\"bad name\"}"),
	SJ(",\"secret_env\":[]"),
	SJ(",\"env_names\":[\"T\"],\"secret_env\":{\"T\":\"s\"}"),
};

START_TEST(test_from_bad)
{
	struct eng_spec	 s;
	cJSON		*j;

	j = cJSON_Parse(from_bad[_i]);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(eng_spec_from_json(j, &s), -1);
	ck_assert_ptr_null(s.model);
	ck_assert_ptr_null(s.env);
	eng_spec_free(&s);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_from_lenient)
{
	struct eng_spec	 s;
	cJSON		*j;

	/* gpus of a duplicate key: the first one wins in cJSON */
	j = cJSON_Parse(SJ(",\"later\":{\"x\":1},\"gpus\":\"none\""));
	ck_assert_int_eq(eng_spec_from_json(j, &s), 0);
	ck_assert_int_eq(s.gpus, ENG_GPUS_ALL);
	ck_assert_int_eq(cJSON_GetArraySize(s.args), 0);
	eng_spec_free(&s);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_gpus_json)
{
	struct eng_spec	 s;
	cJSON		*j;
	char		*t;

	memset(&s, 0, sizeof(s));
	s.gpus = ENG_GPUS_LIST;
	s.ngpus = 3;
	s.gpu_idx[0] = 2;
	s.gpu_idx[1] = 0;
	s.gpu_idx[2] = 63;
	t = cJSON_PrintUnformatted(j = eng_spec_gpus_json(&s));
	ck_assert_str_eq(t, "[2,0,63]");
	cJSON_free(t);
	cJSON_Delete(j);
	s.gpus = ENG_GPUS_NONE;
	t = cJSON_PrintUnformatted(j = eng_spec_gpus_json(&s));
	ck_assert_str_eq(t, "\"none\"");
	cJSON_free(t);
	cJSON_Delete(j);
	s.gpus = ENG_GPUS_ALL;
	t = cJSON_PrintUnformatted(j = eng_spec_gpus_json(&s));
	ck_assert_str_eq(t, "\"all\"");
	cJSON_free(t);
	cJSON_Delete(j);
}
END_TEST

/* eng_spec_body_tcases - create body, stored JSON and back */
void
eng_spec_body_tcases(Suite *su)
{
	TCase	*tc;
	int	 n = (int)(sizeof(body_cases) / sizeof(body_cases[0]));

	tc = tcase_create("body");
	tcase_add_checked_fixture(tc, eng_fx_setup, eng_fx_teardown);
	tcase_add_loop_test(tc, test_body, 0, n);
	tcase_add_test(tc, test_secrets_only_in_env);
	tcase_add_test(tc, test_entrypoint);
	tcase_add_test(tc, test_body_fails);
	tcase_add_loop_test(tc, test_json, 0, n);
	tcase_add_test(tc, test_adopted_env);
	tcase_add_loop_test(tc, test_from_bad, 0,
	    (int)(sizeof(from_bad) / sizeof(from_bad[0])));
	tcase_add_test(tc, test_from_lenient);
	tcase_add_test(tc, test_gpus_json);
	suite_add_tcase(su, tc);
}
