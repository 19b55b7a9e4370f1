/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_skill_manifest - unit tests for a skill's skill.json, a run's
 *	input and the agent table (workers/skills/skill_manifest.c,
 *	skill_input.c, skill_agent.c)
 * SYNOPSIS
 *	Suite	*skill_manifest_suite(void);
 * DESCRIPTION
 *	One table row per mistake a skill.json can hold, each with the
 *	exact line skill_manifest_parse must give for the folder "demo";
 *	good manifests with every field, the defaults and each limit just
 *	inside and just past. One row per input a run may send against a
 *	skill of three inputs, with the field and line wanted. The shape of
 *	skill_json, and each agent's argv with and without a model.
 *	check_skill_files.c adds the test cases that use real files: load,
 *	the registry, the agent lookup in a path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "skill_agent.h"
#include "skill_manifest.h"

Suite	*skill_manifest_suite(void);
void	 skill_files_tcases(Suite *);

#define M(x)		"{\"name\":\"demo\",\"agents\":[\"claude\"]" x "}"
#define IN(x)		M(",\"inputs\":{" x "}")
#define KNOWN		"(known: name, description, agents, prompt_file, " \
			"inputs, route, timeout_s, max_running)"
#define IKNOWN		"(known: type, required, max_length, description)"
#define NAME_RULE	"name: want 1 to 64 of a-z 0-9 . _ -, starting with " \
			"a letter or digit"
#define DESC_RULE	"want a string of at most 1024 characters without " \
			"control characters but tab"
#define AGENTS_RULE	"agents: want an array of 1 to 4 distinct names of " \
			"\"codex\", \"gemini\", \"iflow\", \"claude\""
#define AGENT_RULE	"want \"codex\", \"gemini\", \"iflow\" or \"claude\""
#define PF_RULE		"prompt_file: want a file name in the skill's " \
			"folder (1 to 255 bytes, no / or control character, " \
			"not . or ..)"
#define TYPE_RULE	"want \"string\", \"number\" or \"boolean\""
#define ML_RULE		"want a whole number from 1 to 65536"
#define ROUTE_RULE	"route: want a route name (1 to 64 of A-Z a-z 0-9 . " \
			"_ -) or null"
#define TIMEOUT_RULE	"timeout_s: want a whole number of seconds from 1 to " \
			"86400"
#define RUNNING_RULE	"max_running: want a whole number from 1 to 1024"
#define OBJ_RULE	"want an object {\"name\": ..., \"agents\": [...], " \
			"...}"
#define N64		"abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" \
			"abcdefghij" "abcdefghij" "abcd"
#define STR(x)		"\"type\":\"string\"" x

static const struct bad_case {
	const char	*text;
	const char	*want;
} bad_cases[] = {
	/* the text as a whole */
	{ "", "not valid JSON (line 1)" },
	{ "{\n\"name\": \"demo\",\n", "not valid JSON (line 2)" },
	{ "{\n\"name\": \"demo\",\n\"agents\": [", "not valid JSON (line 3)" },
	{ "{\n\"name\" \"demo\"}", "not valid JSON (line 2)" },
	{ M("") " {}", "not valid JSON: more after the end (line 1)" },
	{ M("") "\n\n,", "not valid JSON: more after the end (line 3)" },
	{ "[]", OBJ_RULE },
	{ "\"demo\"", OBJ_RULE },
	{ M(",\"description\":\"a\\u0000b\""), "holds a \\u0000 escape "
	    "(line 1)" },
	{ "{\n\"description\":\"caf\xe9\"}", "not UTF-8 text (line 2)" },
	{ M(",\"description\":\"\xc0\xaf\""), "not UTF-8 text (line 1)" },
	{ M(",\"description\":\"\xed\xa0\x80\""), "not UTF-8 text (line 1)" },
	{ M(",\"description\":\"\xf4\x90\x80\x80\""), "not UTF-8 text "
	    "(line 1)" },
	/* the fields */
	{ "{}", "name: missing" },
	{ "{\"agents\":[\"codex\"]}", "name: missing" },
	{ "{\"name\":\"demo\"}", "agents: missing" },
	{ M(",\"nmae\":\"x\""), "nmae: unknown field " KNOWN },
	{ M(",\"a\\nb\":1"), "a?b: unknown field " KNOWN },
	{ M(",\"\":1"), "\"\": unknown field " KNOWN },
	{ M(",\"name\":\"demo\""), "name: given twice" },
	{ M(",\"route\":null,\"route\":null"), "route: given twice" },
	{ M(",\"x\":1,\"timeout_s\":0"), "x: unknown field " KNOWN },
	{ M(",\"timeout_s\":0,\"x\":1"), TIMEOUT_RULE },
	/* name */
	{ "{\"name\":\"Demo\"}", NAME_RULE },
	{ "{\"name\":\"\"}", NAME_RULE },
	{ "{\"name\":\".demo\"}", NAME_RULE },
	{ "{\"name\":\"-demo\"}", NAME_RULE },
	{ "{\"name\":\"_demo\"}", NAME_RULE },
	{ "{\"name\":\"de mo\"}", NAME_RULE },
	{ "{\"name\":\"de/mo\"}", NAME_RULE },
	{ "{\"name\":\"" N64 "x\"}", NAME_RULE },
	{ "{\"name\":5}", NAME_RULE },
	{ "{\"name\":null}", NAME_RULE },
	{ "{\"name\":\"other\",\"agents\":[\"claude\"]}", "name: \"other\" is "
	    "not the folder's name \"demo\"" },
	{ "{\"name\":\"demo.\",\"agents\":[\"claude\"]}", "name: \"demo.\" is "
	    "not the folder's name \"demo\"" },
	/* description */
	{ M(",\"description\":5"), "description: " DESC_RULE },
	{ M(",\"description\":null"), "description: " DESC_RULE },
	{ M(",\"description\":\"a\\nb\""), "description: " DESC_RULE },
	{ M(",\"description\":\"a\\u007fb\""), "description: " DESC_RULE },
	{ M(",\"description\":\"a\\u0085b\""), "description: " DESC_RULE },
	/* agents */
	{ M(",\"agents\":[\"codex\"]"), "agents: given twice" },
	{ "{\"name\":\"demo\",\"agents\":[]}", AGENTS_RULE },
	{ "{\"name\":\"demo\",\"agents\":\"claude\"}", AGENTS_RULE },
	{ "{\"name\":\"demo\",\"agents\":null}", AGENTS_RULE },
	{ "{\"name\":\"demo\",\"agents\":[\"codex\",\"gemini\",\"iflow\","
	    "\"claude\",\"codex\"]}", AGENTS_RULE },
	{ "{\"name\":\"demo\",\"agents\":[1]}", "agents[0]: " AGENT_RULE },
	{ "{\"name\":\"demo\",\"agents\":[\"claude\",\"gpt\"]}",
	    "agents[1]: " AGENT_RULE },
	{ "{\"name\":\"demo\",\"agents\":[\"Claude\"]}", "agents[0]: "
	    AGENT_RULE },
	{ "{\"name\":\"demo\",\"agents\":[\"codex\",\"claude\",\"codex\"]}",
	    "agents[2]: \"codex\" given twice" },
	/* prompt_file */
	{ M(",\"prompt_file\":\"\""), PF_RULE },
	{ M(",\"prompt_file\":\".\""), PF_RULE },
	{ M(",\"prompt_file\":\"..\""), PF_RULE },
	{ M(",\"prompt_file\":\"sub/SKILL.md\""), PF_RULE },
	{ M(",\"prompt_file\":\"/etc/passwd\""), PF_RULE },
	{ M(",\"prompt_file\":\"a\\tb\""), PF_RULE },
	{ M(",\"prompt_file\":5"), PF_RULE },
	{ M(",\"prompt_file\":null"), PF_RULE },
	/* inputs */
	{ M(",\"inputs\":[]"), "inputs: want an object of at most 32 inputs" },
	{ M(",\"inputs\":null"), "inputs: want an object of at most 32 "
	    "inputs" },
	{ IN("\"a-b\":{\"type\":\"string\"}"), "inputs.a-b: not an input name "
	    "(1 to 64 of A-Z a-z 0-9 _)" },
	{ IN("\"\":{\"type\":\"string\"}"), "inputs.\"\": not an input name "
	    "(1 to 64 of A-Z a-z 0-9 _)" },
	{ IN("\"" N64 "x\":{\"type\":\"string\"}"), "inputs." N64 "x: not an "
	    "input name (1 to 64 of A-Z a-z 0-9 _)" },
	{ IN("\"a\":{\"type\":\"string\"},\"a\":{\"type\":\"number\"}"),
	    "inputs.a: given twice" },
	{ IN("\"a\":\"string\""), "inputs.a: want an object {\"type\": ...}" },
	{ IN("\"a\":{}"), "inputs.a.type: missing" },
	{ IN("\"a\":{\"required\":true}"), "inputs.a.type: missing" },
	{ IN("\"text\":{\"type\":\"str\"}"), "inputs.text.type: " TYPE_RULE },
	{ IN("\"text\":{\"type\":\"integer\"}"), "inputs.text.type: "
	    TYPE_RULE },
	{ IN("\"text\":{\"type\":5}"), "inputs.text.type: " TYPE_RULE },
	{ IN("\"a\":{" STR(",\"type\":\"number\"") "}"), "inputs.a.type: "
	    "given twice" },
	{ IN("\"a\":{" STR(",\"default\":\"x\"") "}"), "inputs.a.default: "
	    "unknown field " IKNOWN },
	{ IN("\"a\":{" STR(",\"required\":\"yes\"") "}"), "inputs.a.required: "
	    "want true or false" },
	{ IN("\"a\":{" STR(",\"max_length\":0") "}"), "inputs.a.max_length: "
	    ML_RULE },
	{ IN("\"a\":{" STR(",\"max_length\":65537") "}"),
	    "inputs.a.max_length: " ML_RULE },
	{ IN("\"a\":{" STR(",\"max_length\":1.5") "}"), "inputs.a.max_length: "
	    ML_RULE },
	{ IN("\"a\":{" STR(",\"max_length\":\"10\"") "}"),
	    "inputs.a.max_length: " ML_RULE },
	{ IN("\"a\":{\"max_length\":10,\"type\":\"number\"}"),
	    "inputs.a.max_length: only for \"string\" inputs" },
	{ IN("\"a\":{\"type\":\"boolean\",\"max_length\":10}"),
	    "inputs.a.max_length: only for \"string\" inputs" },
	{ IN("\"a\":{" STR(",\"description\":5") "}"),
	    "inputs.a.description: " DESC_RULE },
	{ IN("\"a\":{" STR(",\"description\":\"x\\ry\"") "}"),
	    "inputs.a.description: " DESC_RULE },
	{ IN("\"ok\":{\"type\":\"number\"},\"bad\":{\"type\":\"date\"}"),
	    "inputs.bad.type: " TYPE_RULE },
	/* route, timeout_s, max_running */
	{ M(",\"route\":5"), ROUTE_RULE },
	{ M(",\"route\":\"\""), ROUTE_RULE },
	{ M(",\"route\":\"gpt 4o\""), ROUTE_RULE },
	{ M(",\"route\":\"a/b\""), ROUTE_RULE },
	{ M(",\"route\":\"" N64 "x\""), ROUTE_RULE },
	{ M(",\"timeout_s\":0"), TIMEOUT_RULE },
	{ M(",\"timeout_s\":86401"), TIMEOUT_RULE },
	{ M(",\"timeout_s\":-5"), TIMEOUT_RULE },
	{ M(",\"timeout_s\":1.5"), TIMEOUT_RULE },
	{ M(",\"timeout_s\":\"600\""), TIMEOUT_RULE },
	{ M(",\"timeout_s\":null"), TIMEOUT_RULE },
	{ M(",\"timeout_s\":1e999"), TIMEOUT_RULE },
	{ M(",\"max_running\":0"), RUNNING_RULE },
	{ M(",\"max_running\":1025"), RUNNING_RULE },
	{ M(",\"max_running\":true"), RUNNING_RULE },
};

#define FULL	"{\n" \
	"  \"name\": \"demo\",\n" \
	"  \"description\": \"Résumé\\tin five lines\",\n" \
	"  \"agents\": [\"codex\", \"claude\", \"iflow\", \"gemini\"],\n" \
	"  \"prompt_file\": \"prompt.txt\",\n" \
	"  \"inputs\": {\n" \
	"    \"text\": {\"type\": \"string\", \"required\": true,\n" \
	"              \"max_length\": 20000,\n" \
	"              \"description\": \"the text\"},\n" \
	"    \"lines\": {\"type\": \"number\"},\n" \
	"    \"Loud_2\": {\"required\": false, \"type\": \"boolean\"}\n" \
	"  },\n" \
	"  \"route\": \"gpt-4o.v2_X\",\n" \
	"  \"timeout_s\": 86400,\n" \
	"  \"max_running\": 1024\n" \
	"}\n"

/* skill_fx_parse - parse text for "demo"; the skill, which must parse */
static struct skill *
skill_fx_parse(const char *text)
{
	struct skill	*s = NULL;
	char		 err[512] = "";

	ck_assert_msg(skill_manifest_parse(text, strlen(text), "demo", &s,
	    err, sizeof(err)) == 0, "got \"%s\"", err);
	ck_assert_ptr_nonnull(s);
	return (s);
}

/* test_bad - each bad text gives its one line */
START_TEST(test_bad)
{
	const struct bad_case	*bc = &bad_cases[_i];
	struct skill		*s = (struct skill *)1;
	char			 err[512] = "";

	ck_assert_msg(skill_manifest_parse(bc->text, strlen(bc->text), "demo",
	    &s, err, sizeof(err)) == -1, "case %d: parsed, want an error", _i);
	ck_assert_ptr_null(s);
	ck_assert_msg(strcmp(err, bc->want) == 0, "case %d: got \"%s\", want "
	    "\"%s\"", _i, err, bc->want);
}
END_TEST

/* test_good - every field read */
START_TEST(test_good)
{
	struct skill	*s = skill_fx_parse(FULL);

	ck_assert_str_eq(s->name, "demo");
	ck_assert_str_eq(s->description, "Résumé\tin five lines");
	ck_assert_uint_eq(s->nagents, 4);
	ck_assert_int_eq(s->agents[0], SKILL_AGENT_CODEX);
	ck_assert_int_eq(s->agents[1], SKILL_AGENT_CLAUDE);
	ck_assert_int_eq(s->agents[2], SKILL_AGENT_IFLOW);
	ck_assert_int_eq(s->agents[3], SKILL_AGENT_GEMINI);
	ck_assert_str_eq(s->prompt_file, "prompt.txt");
	ck_assert_uint_eq(s->ninputs, 3);
	ck_assert_str_eq(s->inputs[0].name, "text");
	ck_assert_int_eq(s->inputs[0].type, SKILL_IN_STRING);
	ck_assert_int_eq(s->inputs[0].required, 1);
	ck_assert_int_eq(s->inputs[0].max_length, 20000);
	ck_assert_str_eq(s->inputs[0].description, "the text");
	ck_assert_str_eq(s->inputs[1].name, "lines");
	ck_assert_int_eq(s->inputs[1].type, SKILL_IN_NUMBER);
	ck_assert_int_eq(s->inputs[1].required, 0);
	ck_assert_ptr_null(s->inputs[1].description);
	ck_assert_str_eq(s->inputs[2].name, "Loud_2");
	ck_assert_int_eq(s->inputs[2].type, SKILL_IN_BOOLEAN);
	ck_assert_str_eq(s->route, "gpt-4o.v2_X");
	ck_assert_int_eq(s->timeout_s, 86400);
	ck_assert_int_eq(s->max_running, 1024);
	ck_assert_ptr_null(s->dir);
	ck_assert_ptr_null(s->prompt);
	skill_free(s);
	/* the defaults */
	s = skill_fx_parse(" {\"agents\":[\"gemini\"],\"name\":\"demo\"}\r\n");
	ck_assert_ptr_null(s->description);
	ck_assert_uint_eq(s->nagents, 1);
	ck_assert_int_eq(s->agents[0], SKILL_AGENT_GEMINI);
	ck_assert_str_eq(s->prompt_file, "SKILL.md");
	ck_assert_uint_eq(s->ninputs, 0);
	ck_assert_ptr_null(s->route);
	ck_assert_int_eq(s->timeout_s, 0);
	ck_assert_int_eq(s->max_running, 0);
	skill_free(s);
	/* route null, a string input's default max_length, empty inputs */
	s = skill_fx_parse(IN("\"s\":{\"type\":\"string\"}") );
	ck_assert_int_eq(s->inputs[0].max_length, SKILL_STRING_MAX);
	skill_free(s);
	s = skill_fx_parse(M(",\"route\":null,\"inputs\":{},\"timeout_s\":1,"
	    "\"max_running\":1.0,\"prompt_file\":\"..x\""));
	ck_assert_ptr_null(s->route);
	ck_assert_uint_eq(s->ninputs, 0);
	ck_assert_int_eq(s->timeout_s, 1);
	ck_assert_int_eq(s->max_running, 1);
	ck_assert_str_eq(s->prompt_file, "..x");
	skill_free(s);
	/* NULL dirname: the name is not compared */
	ck_assert_int_eq(skill_manifest_parse(M(""), strlen(M("")), NULL, &s,
	    NULL, 0), 0);
	skill_free(s);
}
END_TEST

/* skill_fx_text - a manifest with description of n copies of unit and k
 * inputs (malloc'ed) */
static char *
skill_fx_text(const char *unit, size_t n, size_t k)
{
	char	*t;
	size_t	 len, i, cap = 256 + n * strlen(unit) + k * 48;

	t = malloc(cap);
	len = (size_t)snprintf(t, cap, "{\"name\":\"" N64 "\",\"agents\":"
	    "[\"claude\"],\"description\":\"");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len, "%s", unit);
	len += (size_t)snprintf(t + len, cap - len, "\",\"inputs\":{");
	for (i = 0; i < k; i++)
		len += (size_t)snprintf(t + len, cap - len, "%s\"i%zu\":"
		    "{\"type\":\"number\"}", i > 0 ? "," : "", i);
	snprintf(t + len, cap - len, "}}");
	return (t);
}

/* test_limits - each limit just inside and just past */
START_TEST(test_limits)
{
	struct skill	*s;
	char		 err[512], *t, *big;

	/* 1024 characters of two bytes, 32 inputs, a 64-character name */
	t = skill_fx_text("é", 1024, 32);
	ck_assert_int_eq(skill_manifest_parse(t, strlen(t), N64, &s, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(s->ninputs, 32);
	ck_assert_uint_eq(strlen(s->description), 2048);
	skill_free(s);
	free(t);
	t = skill_fx_text("é", 1025, 0);
	ck_assert_int_eq(skill_manifest_parse(t, strlen(t), N64, &s, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "description: " DESC_RULE);
	free(t);
	t = skill_fx_text("x", 1, 33);
	ck_assert_int_eq(skill_manifest_parse(t, strlen(t), N64, &s, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "inputs: want an object of at most 32 inputs");
	free(t);
	/* 64 KiB of text is fine, one byte more is not */
	big = malloc(SKILL_MANIFEST_MAX + 1);
	memset(big, ' ', SKILL_MANIFEST_MAX + 1);
	memcpy(big, M(""), strlen(M("")));
	ck_assert_int_eq(skill_manifest_parse(big, SKILL_MANIFEST_MAX, "demo",
	    &s, err, sizeof(err)), 0);
	skill_free(s);
	ck_assert_int_eq(skill_manifest_parse(big, SKILL_MANIFEST_MAX + 1,
	    "demo", &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "larger than 65536 bytes");
	free(big);
	/* a NUL byte; the text need not end in one */
	ck_assert_int_eq(skill_manifest_parse(M("") "\0", strlen(M("")) + 1,
	    "demo", &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "holds a NUL byte");
	ck_assert_int_eq(skill_manifest_parse(M("") "junk", strlen(M("")),
	    "demo", &s, err, sizeof(err)), 0);
	skill_free(s);
	/* a short err buffer is cut, not overrun */
	ck_assert_int_eq(skill_manifest_parse("{}", 2, "demo", &s, err, 5), -1);
	ck_assert_str_eq(err, "name");
}
END_TEST

static const struct input_case {
	const char	*input;		/* JSON, NULL for none */
	const char	*field;		/* "" when it passes */
	const char	*want;
} input_cases[] = {
	{ NULL, "input.text", "input.text: required" },
	{ "{}", "input.text", "input.text: required" },
	{ "{\"lines\":2}", "input.text", "input.text: required" },
	{ "[]", "input", "input: want an object" },
	{ "\"text\"", "input", "input: want an object" },
	{ "null", "input", "input: want an object" },
	{ "{\"text\":\"abcde\"}", "", "" },
	{ "{\"text\":\"\",\"lines\":-2.5e3,\"flag\":false}", "", "" },
	{ "{\"flag\":true,\"text\":\"ééa\"}", "", "" },
	{ "{\"text\":\"abcdef\"}", "input.text", "input.text: longer than 5 "
	    "bytes" },
	{ "{\"text\":\"ééé\"}", "input.text", "input.text: longer than 5 "
	    "bytes" },
	{ "{\"text\":5}", "input.text", "input.text: want a string" },
	{ "{\"text\":null}", "input.text", "input.text: want a string" },
	{ "{\"text\":[\"a\"]}", "input.text", "input.text: want a string" },
	{ "{\"text\":\"a\",\"lines\":\"3\"}", "input.lines", "input.lines: "
	    "want a number" },
	{ "{\"text\":\"a\",\"lines\":1e999}", "input.lines", "input.lines: "
	    "want a number" },
	{ "{\"text\":\"a\",\"lines\":true}", "input.lines", "input.lines: "
	    "want a number" },
	{ "{\"text\":\"a\",\"flag\":1}", "input.flag", "input.flag: want true "
	    "or false" },
	{ "{\"text\":\"a\",\"flag\":\"true\"}", "input.flag", "input.flag: "
	    "want true or false" },
	{ "{\"text\":\"a\",\"other\":1}", "input.other", "input.other: not an "
	    "input of skill demo" },
	{ "{\"Text\":\"a\"}", "input.Text", "input.Text: not an input of "
	    "skill demo" },
	{ "{\"a\\nb\":\"a\"}", "input.a?b", "input.a?b: not an input of skill "
	    "demo" },
	{ "{\"text\":\"a\",\"text\":\"b\"}", "input.text", "input.text: given "
	    "twice" },
	{ "{\"other\":1}", "input.other", "input.other: not an input of skill "
	    "demo" },
};

/* test_input - each run input against the three inputs of demo */
START_TEST(test_input)
{
	const struct input_case	*ic = &input_cases[_i];
	struct skill		*s;
	cJSON			*in = NULL;
	char			 field[128], err[512];
	int			 rc;

	s = skill_fx_parse(IN("\"text\":{\"type\":\"string\",\"required\":"
	    "true,\"max_length\":5},\"lines\":{\"type\":\"number\"},"
	    "\"flag\":{\"type\":\"boolean\"}"));
	if (ic->input != NULL)
		ck_assert_ptr_nonnull(in = cJSON_Parse(ic->input));
	strcpy(field, "junk");
	strcpy(err, "");
	rc = skill_input_check(s, in, field, sizeof(field), err, sizeof(err));
	ck_assert_msg(rc == (ic->want[0] == '\0' ? 0 : -1), "case %d: got %d "
	    "(%s)", _i, rc, err);
	ck_assert_msg(strcmp(field, ic->field) == 0, "case %d: field got "
	    "\"%s\", want \"%s\"", _i, field, ic->field);
	ck_assert_msg(strcmp(err, ic->want) == 0, "case %d: got \"%s\", want "
	    "\"%s\"", _i, err, ic->want);
	cJSON_Delete(in);
	skill_free(s);
}
END_TEST

/* test_input_none - a skill without inputs takes {} and nothing else */
START_TEST(test_input_none)
{
	struct skill	*s = skill_fx_parse(M(""));
	cJSON		*in;
	char		 field[64], err[256];

	ck_assert_int_eq(skill_input_check(s, NULL, field, sizeof(field), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(field, "");
	in = cJSON_CreateObject();
	ck_assert_int_eq(skill_input_check(s, in, NULL, 0, NULL, 0), 0);
	cJSON_AddNumberToObject(in, "x", 1);
	ck_assert_int_eq(skill_input_check(s, in, field, sizeof(field), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(field, "input.x");
	ck_assert_str_eq(err, "input.x: not an input of skill demo");
	cJSON_Delete(in);
	skill_free(s);
}
END_TEST

/* skill_fx_print - j printed without spaces, then deleted (malloc'ed) */
static char *
skill_fx_print(cJSON *j)
{
	char	*p;

	ck_assert_ptr_nonnull(j);
	p = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return (p);
}

/* test_json - skill_json: every field, nulls, the prompt when asked */
START_TEST(test_json)
{
	struct skill	*s;
	char		*p;

	s = skill_fx_parse(FULL);
	p = skill_fx_print(skill_json(s, 0));
	ck_assert_str_eq(p, "{\"name\":\"demo\",\"description\":"
	    "\"Résumé\\tin five lines\",\"agents\":[\"codex\",\"claude\","
	    "\"iflow\",\"gemini\"],\"route\":\"gpt-4o.v2_X\",\"timeout_s\":"
	    "86400,\"max_running\":1024,\"inputs\":[{\"name\":\"text\","
	    "\"type\":\"string\",\"required\":true,\"max_length\":20000,"
	    "\"description\":\"the text\"},{\"name\":\"lines\",\"type\":"
	    "\"number\",\"required\":false,\"max_length\":null,"
	    "\"description\":null},{\"name\":\"Loud_2\",\"type\":\"boolean\","
	    "\"required\":false,\"max_length\":null,\"description\":null}]}");
	free(p);
	skill_free(s);
	s = skill_fx_parse(IN("\"s\":{\"type\":\"string\"}"));
	p = skill_fx_print(skill_json(s, 0));
	ck_assert_str_eq(p, "{\"name\":\"demo\",\"description\":null,"
	    "\"agents\":[\"claude\"],\"route\":null,\"timeout_s\":null,"
	    "\"max_running\":null,\"inputs\":[{\"name\":\"s\",\"type\":"
	    "\"string\",\"required\":false,\"max_length\":65536,"
	    "\"description\":null}]}");
	free(p);
	/* parsed only: no prompt read, so null */
	p = skill_fx_print(skill_json(s, 1));
	ck_assert_ptr_nonnull(strstr(p, ",\"prompt\":null}"));
	free(p);
	s->prompt = strdup("Do it.\n");
	p = skill_fx_print(skill_json(s, 1));
	ck_assert_ptr_nonnull(strstr(p, "}],\"prompt\":\"Do it.\\n\"}"));
	free(p);
	p = skill_fx_print(skill_json(s, 0));
	ck_assert_ptr_null(strstr(p, "prompt"));
	free(p);
	skill_free(s);
}
END_TEST

static const struct argv_case {
	int		 agent;
	const char	*model;
	const char	*want[10];
} argv_cases[] = {
	{ SKILL_AGENT_CODEX, NULL, { "/bin/codex", "exec",
	    "--skip-git-repo-check", "--sandbox", "workspace-write", "P" } },
	{ SKILL_AGENT_CODEX, "gpt-4o", { "/bin/codex", "exec",
	    "--skip-git-repo-check", "--sandbox", "workspace-write", "-m",
	    "gpt-4o", "P" } },
	{ SKILL_AGENT_GEMINI, NULL, { "/bin/gemini", "--yolo", "-p", "P" } },
	{ SKILL_AGENT_GEMINI, "gemini-2.5-pro", { "/bin/gemini", "--yolo",
	    "-m", "gemini-2.5-pro", "-p", "P" } },
	{ SKILL_AGENT_IFLOW, NULL, { "/bin/iflow", "--yolo", "-p", "P" } },
	{ SKILL_AGENT_IFLOW, "qwen3", { "/bin/iflow", "--yolo", "-m", "qwen3",
	    "-p", "P" } },
	{ SKILL_AGENT_CLAUDE, NULL, { "/bin/claude", "-p",
	    "--dangerously-skip-permissions", "P" } },
	{ SKILL_AGENT_CLAUDE, "opus", { "/bin/claude", "-p",
	    "--dangerously-skip-permissions", "--model", "opus", "P" } },
};

/* test_argv - each agent's argv, with and without a model */
START_TEST(test_argv)
{
	const struct argv_case	*ac = &argv_cases[_i];
	char			*argv[SKILL_AGENT_ARGV_MAX], path[32];
	size_t			 n, want, i;

	for (want = 0; ac->want[want] != NULL; want++)
		;
	snprintf(path, sizeof(path), "/bin/%s", skill_agent_name(ac->agent));
	n = skill_agent_argv(ac->agent, path, "P", ac->model, argv,
	    SKILL_AGENT_ARGV_MAX);
	ck_assert_uint_eq(n, want);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(argv[i], ac->want[i]) == 0, "case %d: "
		    "argv[%zu] got \"%s\", want \"%s\"", _i, i, argv[i],
		    ac->want[i]);
	ck_assert_ptr_null(argv[n]);
	/* exactly room for them and the NULL, then one less */
	ck_assert_uint_eq(skill_agent_argv(ac->agent, path, "P", ac->model,
	    argv, want + 1), want);
	ck_assert_uint_eq(skill_agent_argv(ac->agent, path, "P", ac->model,
	    argv, want), 0);
}
END_TEST

/* test_table - names, lookups, the variables a route sets */
START_TEST(test_table)
{
	static const char *const names[SKILL_AGENT_COUNT] = {
		"codex", "gemini", "iflow", "claude"
	};
	static const char *const keys[SKILL_AGENT_COUNT][2] = {
		{ "OPENAI_API_KEY", "OPENAI_BASE_URL" },
		{ "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL" },
		{ "IFLOW_API_KEY", "IFLOW_BASE_URL" },
		{ "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL" },
	};
	const struct skill_agent_def	*d;
	char				*argv[SKILL_AGENT_ARGV_MAX];
	int				 a;

	for (a = 0; a < SKILL_AGENT_COUNT; a++) {
		ck_assert_int_eq(skill_agent_lookup(names[a]), a);
		ck_assert_str_eq(skill_agent_name(a), names[a]);
		ck_assert_ptr_nonnull(d = skill_agent_def(a));
		ck_assert_str_eq(d->command, names[a]);
		ck_assert_str_eq(d->key_env, keys[a][0]);
		ck_assert_str_eq(d->base_url_env, keys[a][1]);
	}
	ck_assert_int_eq(skill_agent_lookup("gpt"), -1);
	ck_assert_int_eq(skill_agent_lookup("CLAUDE"), -1);
	ck_assert_int_eq(skill_agent_lookup(""), -1);
	ck_assert_int_eq(skill_agent_lookup(NULL), -1);
	ck_assert_ptr_null(skill_agent_name(-1));
	ck_assert_ptr_null(skill_agent_name(SKILL_AGENT_COUNT));
	ck_assert_ptr_null(skill_agent_def(SKILL_AGENT_COUNT));
	ck_assert_uint_eq(skill_agent_argv(SKILL_AGENT_COUNT, "/x", "P", NULL,
	    argv, SKILL_AGENT_ARGV_MAX), 0);
}
END_TEST

/* skill_manifest_suite - skill.json, a run's input, the agents */
Suite *
skill_manifest_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("skill_manifest");
	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	tc = tcase_create("input");
	tcase_add_loop_test(tc, test_input, 0,
	    (int)(sizeof(input_cases) / sizeof(input_cases[0])));
	tcase_add_test(tc, test_input_none);
	suite_add_tcase(s, tc);
	tc = tcase_create("agent");
	tcase_add_loop_test(tc, test_argv, 0,
	    (int)(sizeof(argv_cases) / sizeof(argv_cases[0])));
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	skill_files_tcases(s);
	return (s);
}
