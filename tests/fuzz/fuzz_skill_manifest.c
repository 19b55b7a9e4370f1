/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_skill_manifest - libFuzzer harness for a skill's skill.json
 *	and a run's input checked against it (workers/skills/
 *	skill_manifest.c, skill_input.c, skill_agent.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	The bytes up to the first NUL are a skill.json found in the folder
 *	"demo", given to skill_manifest_parse from a buffer of exactly their
 *	size (ASan sees any read past the end). It must give a skill that
 *	keeps every rule of docs/skills.md (name "demo", 1 to 4 distinct
 *	known agents, a prompt file name without '/', at most 32 well-named
 *	inputs of a known type, a string's max_length within bounds,
 *	timeout_s and max_running 0 or within bounds), or one line of error
 *	without a newline. A skill is then printed with skill_json (which
 *	must hold its name) and laid out as each agent's argv.
 *
 *	If the skill parsed and bytes follow the NUL, they are parsed as
 *	JSON and checked with skill_input_check: 0 leaves field empty, -1
 *	gives a field "input" or "input.NAME" and a line starting with it.
 *
 *	Build: make build-fuzz/fuzz_skill_manifest (see the Makefile).
 *	  build-fuzz/fuzz_skill_manifest -max_total_time=60 \
 *	      tests/fuzz/corpus/skill_manifest
 * DIAGNOSTICS
 *	abort() on a broken invariant; libFuzzer saves the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "skill_agent.h"
#include "skill_manifest.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fuzz_line_ok - err is one non-empty line */
static void
fuzz_line_ok(const char *err)
{
	if (err[0] == '\0' || strchr(err, '\n') != NULL ||
	    strchr(err, '\r') != NULL)
		abort();
}

/* fuzz_skill_ok - s keeps every rule of skill.json */
static void
fuzz_skill_ok(const struct skill *s)
{
	const struct skill_input	*in;
	size_t				 i, k;

	if (strcmp(s->name, "demo") != 0 || s->nagents < 1 ||
	    s->nagents > SKILL_AGENTS_MAX || s->prompt_file == NULL ||
	    s->prompt_file[0] == '\0' || strchr(s->prompt_file, '/') != NULL ||
	    s->ninputs > SKILL_INPUTS_MAX || s->timeout_s < 0 ||
	    s->timeout_s > SKILL_TIMEOUT_MAX || s->max_running < 0 ||
	    s->max_running > SKILL_RUNNING_MAX || s->dir != NULL ||
	    s->prompt != NULL ||
	    (s->route != NULL && (s->route[0] == '\0' ||
	    strlen(s->route) > 64)) ||
	    (s->description != NULL && strlen(s->description) >
	    4 * SKILL_DESC_MAX))
		abort();
	for (i = 0; i < s->nagents; i++) {
		if (skill_agent_name(s->agents[i]) == NULL)
			abort();
		for (k = 0; k < i; k++)
			if (s->agents[k] == s->agents[i])
				abort();
	}
	for (i = 0; i < s->ninputs; i++) {
		in = &s->inputs[i];
		if (in->name[0] == '\0' ||
		    strlen(in->name) > SKILL_INPUT_NAME_MAX ||
		    in->type < SKILL_IN_STRING || in->type > SKILL_IN_BOOLEAN ||
		    (in->type == SKILL_IN_STRING && (in->max_length < 1 ||
		    in->max_length > SKILL_STRING_MAX)))
			abort();
		for (k = 0; k < i; k++)
			if (strcmp(s->inputs[k].name, in->name) == 0)
				abort();
	}
}

/* fuzz_views - skill_json and every agent's argv of s */
static void
fuzz_views(const struct skill *s)
{
	cJSON	*j;
	char	*p, *argv[SKILL_AGENT_ARGV_MAX];
	size_t	 i;

	if ((j = skill_json(s, 1)) == NULL ||
	    (p = cJSON_PrintUnformatted(j)) == NULL)
		abort();
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "name")) ||
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j,
	    "inputs")) != (int)s->ninputs)
		abort();
	free(p);
	cJSON_Delete(j);
	for (i = 0; i < s->nagents; i++)
		if (skill_agent_argv(s->agents[i], "/x", "P",
		    i % 2 ? s->route : NULL, argv, SKILL_AGENT_ARGV_MAX) < 3)
			abort();
}

/* fuzz_input - a run's input (len bytes of JSON) against s */
static void
fuzz_input(const struct skill *s, const char *text, size_t len)
{
	cJSON	*in;
	char	 field[128], err[512];
	size_t	 n;

	if ((in = cJSON_ParseWithLength(text, len)) == NULL)
		return;
	field[0] = 'x';
	field[1] = '\0';
	err[0] = '\0';
	if (skill_input_check(s, in, field, sizeof(field), err,
	    sizeof(err)) == 0) {
		if (field[0] != '\0')
			abort();
	} else {
		fuzz_line_ok(err);
		n = strlen(field);
		if (strncmp(field, "input", 5) != 0 ||
		    (field[5] != '\0' && field[5] != '.') ||
		    strncmp(err, field, n) != 0 || strncmp(err + n, ": ", 2))
			abort();
	}
	cJSON_Delete(in);
}

/* LLVMFuzzerTestOneInput - a skill.json, NUL, and a run's input */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*nul;
	struct skill	*s = NULL;
	char		*copy, err[512];
	size_t		 mlen;

	nul = memchr(data, '\0', size);
	mlen = nul != NULL ? (size_t)(nul - data) : size;
	if ((copy = malloc(mlen > 0 ? mlen : 1)) == NULL)
		abort();
	memcpy(copy, data, mlen);
	err[0] = '\0';
	if (skill_manifest_parse(copy, mlen, "demo", &s, err,
	    sizeof(err)) == -1) {
		if (s != NULL)
			abort();
		fuzz_line_ok(err);
		free(copy);
		return (0);
	}
	free(copy);
	if (s == NULL)
		abort();
	fuzz_skill_ok(s);
	fuzz_views(s);
	if (nul != NULL && mlen + 1 < size) {
		if ((copy = malloc(size - mlen - 1)) == NULL)
			abort();
		memcpy(copy, nul + 1, size - mlen - 1);
		fuzz_input(s, copy, size - mlen - 1);
		free(copy);
	}
	skill_free(s);
	return (0);
}
