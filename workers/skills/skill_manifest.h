/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_manifest.h - one skill: its skill.json and its prompt
 * SYNOPSIS
 *	int	skill_manifest_parse(const char *text, size_t len,
 *		    const char *dirname, struct skill **out, char *err,
 *		    size_t errlen);
 *	int	skill_manifest_load(const char *skills_dir, const char *name,
 *		    struct skill **out, char *err, size_t errlen);
 *	int	skill_input_check(const struct skill *s, const cJSON *input,
 *		    char *field, size_t fieldlen, char *err, size_t errlen);
 *	cJSON	*skill_json(const struct skill *s, int with_prompt);
 *	void	skill_free(struct skill *s);
 * DESCRIPTION
 *	docs/skills.md is the contract: every field of skill.json, its
 *	rule, and the error lines.
 *
 *	skill_manifest_parse checks the text of a skill.json (at most
 *	SKILL_MANIFEST_MAX bytes, need not be NUL-terminated) found in the
 *	folder dirname (its "name" must equal dirname). It reads no file:
 *	s->prompt stays NULL and s->dir NULL. It is the fuzz target's entry.
 *
 *	skill_manifest_load reads skills_dir/name/skill.json and the prompt
 *	file (regular file, at most SKILL_PROMPT_MAX bytes, no NUL, valid
 *	UTF-8), opened with O_NOFOLLOW; s->dir is skills_dir/name.
 *
 *	skill_input_check checks a run's input (NULL: {}) against s->inputs:
 *	an object; every required input present; no undeclared one; types
 *	match; strings within max_length (bytes). On failure field gets
 *	"input" or "input.NAME" and err the line ("input.text: required").
 *
 *	skill_json is the skill as GET /v1/skills lists it, and with its
 *	"prompt" when with_prompt is set (GET /v1/skills/{name}).
 * DIAGNOSTICS
 *	parse, load and input_check return 0, or -1 with one line in err
 *	naming the field ("inputs.text.type: want \"string\", \"number\" or
 *	\"boolean\""); load's line starts with the file's path.
 */
#ifndef CORRAL_SKILL_MANIFEST_H
#define CORRAL_SKILL_MANIFEST_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define SKILL_MANIFEST_FILE	"skill.json"
#define SKILL_PROMPT_DEFAULT	"SKILL.md"
#define SKILL_MANIFEST_MAX	(64 * 1024)
#define SKILL_PROMPT_MAX	(64 * 1024)
#define SKILL_NAME_MAX		64
#define SKILL_DESC_MAX		1024
#define SKILL_AGENTS_MAX	4
#define SKILL_INPUTS_MAX	32
#define SKILL_INPUT_NAME_MAX	64
#define SKILL_STRING_MAX	65536	/* default and largest max_length */
#define SKILL_TIMEOUT_MAX	86400
#define SKILL_RUNNING_MAX	1024

enum skill_input_type {
	SKILL_IN_STRING,
	SKILL_IN_NUMBER,
	SKILL_IN_BOOLEAN
};

struct skill_input {
	char	*name;		/* [A-Za-z0-9_]{1,64} */
	int	 type;		/* enum skill_input_type */
	int	 required;
	long	 max_length;	/* strings: 1..SKILL_STRING_MAX */
	char	*description;	/* NULL: none */
};

struct skill {
	char			*name;		/* == its folder's name */
	char			*description;	/* NULL: none */
	int			 agents[SKILL_AGENTS_MAX]; /* enum skill_agent */
	size_t			 nagents;	/* >= 1; agents[0] the default */
	char			*prompt_file;	/* file name in dir */
	struct skill_input	*inputs;	/* in the file's order */
	size_t			 ninputs;
	char			*route;		/* NULL: none */
	int			 timeout_s;	/* 0: skills_run_timeout */
	int			 max_running;	/* 0: no limit of its own */
	char			*dir;		/* skills_dir/name; NULL if parsed */
	char			*prompt;	/* the prompt file; NULL if parsed */
};

int	skill_manifest_parse(const char *text, size_t len, const char *dirname,
	    struct skill **out, char *err, size_t errlen);
int	skill_manifest_load(const char *skills_dir, const char *name,
	    struct skill **out, char *err, size_t errlen);
int	skill_input_check(const struct skill *s, const cJSON *input,
	    char *field, size_t fieldlen, char *err, size_t errlen);
cJSON	*skill_json(const struct skill *s, int with_prompt);
void	skill_free(struct skill *s);

#endif
