/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_manifest - check the text of a skill.json; a skill as the API
 *	shows it
 * SYNOPSIS
 *	#include "skill_manifest.h"
 * DESCRIPTION
 *	See skill_manifest.h; docs/skills.md is the contract. The text of a
 *	skill.json must be one JSON object and nothing after it, UTF-8
 *	(RFC 8259), without NUL bytes and without a \u0000 escape (a C
 *	string would end there and say something else than the file).
 *	Each top-level field is read by one row of skill_manifest_fields[];
 *	an unknown field or one given twice (cJSON keeps both) is refused.
 *	"inputs" is read by skill_input.c; the files of a skill's folder
 *	by skill_manifest_file.c. The helpers the three share are declared
 *	in skill_manifest_priv.h.
 * DIAGNOSTICS
 *	One line in err, see skill_manifest.h. Running out of memory is
 *	fatal (xmalloc).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "utf8.h"
#include "xmalloc.h"

#include "skill_agent.h"
#include "skill_manifest.h"
#include "skill_manifest_priv.h"

#define SKILL_NAME_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789._-"
#define SKILL_ROUTE_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" SKILL_NAME_CHARS
#define SKILL_ROUTE_MAX		64
#define SKILL_FILE_NAME_MAX	255
#define SKILL_KNOWN		"(known: name, description, agents, " \
				"prompt_file, inputs, route, timeout_s, " \
				"max_running)"

struct skill_manifest_field {
	const char	*key;
	int		(*read)(const cJSON *, const char *, struct skill *,
			    char *, size_t);
};

/* skill_manifest_fail - one line into err; -1 */
int
skill_manifest_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return (-1);
}

/* skill_manifest_echo - s made printable and cut short, for a message */
const char *
skill_manifest_echo(const char *s, char *buf, size_t len)
{
	size_t	i;

	if (s[0] == '\0') {
		snprintf(buf, len, "\"\"");
		return (buf);
	}
	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] != '\0' && len > 4)
		memcpy(buf + len - 4, "...", 4);
	return (buf);
}

/* skill_manifest_text_ok - at most max characters, no control but tab */
int
skill_manifest_text_ok(const char *s, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 chars = 0, len = strlen(s);

	if (utf8_prefix(s, len) != len)
		return (0);
	for (; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return (0);	/* C0, DEL, C1 */
		if ((*p & 0xc0) != 0x80 && ++chars > max)
			return (0);
	}
	return (1);
}

/* skill_manifest_given_before - an earlier member has item's key */
int
skill_manifest_given_before(const cJSON *item)
{
	const cJSON	*o;

	/* prev of the first member is the last one, whose next is NULL */
	for (o = item->prev; o != NULL && o->next != NULL; o = o->prev)
		if (strcmp(o->string, item->string) == 0)
			return (1);
	return (0);
}

/* skill_manifest_whole - v is a whole number from lo to hi */
int
skill_manifest_whole(const cJSON *v, int lo, int hi)
{
	return (cJSON_IsNumber(v) && v->valuedouble >= lo &&
	    v->valuedouble <= hi &&
	    v->valuedouble == (double)(int)v->valuedouble);
}

/* skill_manifest_name - "name": the skill's name, that of its folder */
static int
skill_manifest_name(const cJSON *v, const char *dirname, struct skill *s,
    char *err, size_t errlen)
{
	char	echo[SKILL_ECHO_LEN];
	size_t	n;

	if (!cJSON_IsString(v) || (n = strlen(v->valuestring)) == 0 ||
	    n > SKILL_NAME_MAX ||
	    strspn(v->valuestring, SKILL_NAME_CHARS) != n ||
	    v->valuestring[0] == '.' || v->valuestring[0] == '_' ||
	    v->valuestring[0] == '-')
		return (skill_manifest_fail(err, errlen, "name: want 1 to 64 "
		    "of a-z 0-9 . _ -, starting with a letter or digit"));
	if (dirname != NULL && strcmp(v->valuestring, dirname) != 0)
		return (skill_manifest_fail(err, errlen, "name: \"%s\" is not "
		    "the folder's name \"%s\"", v->valuestring,
		    skill_manifest_echo(dirname, echo, sizeof(echo))));
	s->name = xstrdup(v->valuestring);
	return (0);
}

/* skill_manifest_description - "description": text for people */
static int
skill_manifest_description(const cJSON *v, const char *dirname,
    struct skill *s, char *err, size_t errlen)
{
	(void)dirname;
	if (!cJSON_IsString(v) ||
	    !skill_manifest_text_ok(v->valuestring, SKILL_DESC_MAX))
		return (skill_manifest_fail(err, errlen, "description: want a "
		    "string of " SKILL_TEXT_RULE));
	s->description = xstrdup(v->valuestring);
	return (0);
}

/* skill_manifest_agents - "agents": 1 to 4 distinct agents, default first */
static int
skill_manifest_agents(const cJSON *v, const char *dirname, struct skill *s,
    char *err, size_t errlen)
{
	const cJSON	*el;
	size_t		 i = 0, k;
	int		 a, n;

	(void)dirname;
	if (!cJSON_IsArray(v) || (n = cJSON_GetArraySize(v)) < 1 ||
	    n > SKILL_AGENTS_MAX)
		return (skill_manifest_fail(err, errlen, "agents: want an "
		    "array of 1 to 4 distinct names of \"codex\", \"gemini\", "
		    "\"iflow\", \"claude\""));
	cJSON_ArrayForEach(el, v) {
		if (!cJSON_IsString(el) ||
		    (a = skill_agent_lookup(el->valuestring)) == -1)
			return (skill_manifest_fail(err, errlen, "agents[%zu]: "
			    "want \"codex\", \"gemini\", \"iflow\" or "
			    "\"claude\"", i));
		for (k = 0; k < i; k++)
			if (s->agents[k] == a)
				return (skill_manifest_fail(err, errlen,
				    "agents[%zu]: \"%s\" given twice", i,
				    el->valuestring));
		s->agents[i++] = a;
	}
	s->nagents = i;
	return (0);
}

/* skill_manifest_prompt_file - "prompt_file": a file name in the folder */
static int
skill_manifest_prompt_file(const cJSON *v, const char *dirname,
    struct skill *s, char *err, size_t errlen)
{
	const char	*p;
	size_t		 n;

	(void)dirname;
	if (!cJSON_IsString(v) || (n = strlen(v->valuestring)) == 0 ||
	    n > SKILL_FILE_NAME_MAX || strcmp(v->valuestring, ".") == 0 ||
	    strcmp(v->valuestring, "..") == 0)
		goto bad;
	for (p = v->valuestring; *p != '\0'; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			goto bad;
	free(s->prompt_file);
	s->prompt_file = xstrdup(v->valuestring);
	return (0);
bad:
	return (skill_manifest_fail(err, errlen, "prompt_file: want a file "
	    "name in the skill's folder (1 to 255 bytes, no / or control "
	    "character, not . or ..)"));
}

/* skill_manifest_inputs - "inputs": see skill_input.c */
static int
skill_manifest_inputs(const cJSON *v, const char *dirname, struct skill *s,
    char *err, size_t errlen)
{
	(void)dirname;
	return (skill_input_parse(v, s, err, errlen));
}

/* skill_manifest_route - "route": a route name, or null for none */
static int
skill_manifest_route(const cJSON *v, const char *dirname, struct skill *s,
    char *err, size_t errlen)
{
	size_t	n;

	(void)dirname;
	if (cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsString(v) || (n = strlen(v->valuestring)) == 0 ||
	    n > SKILL_ROUTE_MAX || strspn(v->valuestring, SKILL_ROUTE_CHARS) !=
	    n)
		return (skill_manifest_fail(err, errlen, "route: want a route "
		    "name (1 to 64 of A-Z a-z 0-9 . _ -) or null"));
	s->route = xstrdup(v->valuestring);
	return (0);
}

/* skill_manifest_timeout - "timeout_s": whole seconds, 1 to 86400 */
static int
skill_manifest_timeout(const cJSON *v, const char *dirname, struct skill *s,
    char *err, size_t errlen)
{
	(void)dirname;
	if (!skill_manifest_whole(v, 1, SKILL_TIMEOUT_MAX))
		return (skill_manifest_fail(err, errlen, "timeout_s: want a "
		    "whole number of seconds from 1 to %d", SKILL_TIMEOUT_MAX));
	s->timeout_s = (int)v->valuedouble;
	return (0);
}

/* skill_manifest_max_running - "max_running": 1 to 1024 runs at once */
static int
skill_manifest_max_running(const cJSON *v, const char *dirname,
    struct skill *s, char *err, size_t errlen)
{
	(void)dirname;
	if (!skill_manifest_whole(v, 1, SKILL_RUNNING_MAX))
		return (skill_manifest_fail(err, errlen, "max_running: want a "
		    "whole number from 1 to %d", SKILL_RUNNING_MAX));
	s->max_running = (int)v->valuedouble;
	return (0);
}

static const struct skill_manifest_field skill_manifest_fields[] = {
	{ "name", skill_manifest_name },
	{ "description", skill_manifest_description },
	{ "agents", skill_manifest_agents },
	{ "prompt_file", skill_manifest_prompt_file },
	{ "inputs", skill_manifest_inputs },
	{ "route", skill_manifest_route },
	{ "timeout_s", skill_manifest_timeout },
	{ "max_running", skill_manifest_max_running },
};

#define SKILL_NFIELDS	(sizeof(skill_manifest_fields) / \
			    sizeof(skill_manifest_fields[0]))

/* skill_manifest_line - line number of offset off in text */
int
skill_manifest_line(const char *text, size_t off)
{
	size_t	i;
	int	line = 1;

	for (i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return (line);
}

/* skill_manifest_nul_escape - offset of a \u0000 escape in text, or len */
static size_t
skill_manifest_nul_escape(const char *text, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (text[i] != '\\')
			continue;
		if (i + 5 < len && text[i + 1] == 'u' &&
		    memcmp(text + i + 2, "0000", 4) == 0)
			return (i);
		i++;		/* the escaped character */
	}
	return (len);
}

/* skill_manifest_text - the text as one JSON value; NULL and why */
static cJSON *
skill_manifest_text(const char *text, size_t len, char *err, size_t errlen)
{
	const char	*end = NULL;
	cJSON		*root;
	size_t		 off;

	if (len > SKILL_MANIFEST_MAX) {
		skill_manifest_fail(err, errlen, "larger than %d bytes",
		    SKILL_MANIFEST_MAX);
		return (NULL);
	}
	if (memchr(text, '\0', len) != NULL) {
		skill_manifest_fail(err, errlen, "holds a NUL byte");
		return (NULL);
	}
	if ((off = utf8_prefix(text, len)) != len) {
		skill_manifest_fail(err, errlen, "not UTF-8 text (line %d)",
		    skill_manifest_line(text, off));
		return (NULL);
	}
	if ((off = skill_manifest_nul_escape(text, len)) != len) {
		skill_manifest_fail(err, errlen, "holds a \\u0000 escape "
		    "(line %d)", skill_manifest_line(text, off));
		return (NULL);
	}
	if ((root = cJSON_ParseWithLengthOpts(text, len, &end, 0)) == NULL) {
		if (end == NULL || end < text || end > text + len)
			end = text + len;
		skill_manifest_fail(err, errlen, "not valid JSON (line %d)",
		    skill_manifest_line(text, (size_t)(end - text)));
		return (NULL);
	}
	for (off = (size_t)(end - text); off < len; off++)
		if (strchr(" \t\r\n", text[off]) == NULL) {
			skill_manifest_fail(err, errlen, "not valid JSON: more "
			    "after the end (line %d)",
			    skill_manifest_line(text, off));
			cJSON_Delete(root);
			return (NULL);
		}
	return (root);
}

/* skill_manifest_fields_read - every field of root into s; 0 or -1 */
static int
skill_manifest_fields_read(const cJSON *root, const char *dirname,
    struct skill *s, char *err, size_t errlen)
{
	const cJSON	*item;
	char		 echo[SKILL_ECHO_LEN];
	size_t		 k;

	if (!cJSON_IsObject(root))
		return (skill_manifest_fail(err, errlen, "want an object "
		    "{\"name\": ..., \"agents\": [...], ...}"));
	cJSON_ArrayForEach(item, root) {
		for (k = 0; k < SKILL_NFIELDS; k++)
			if (strcmp(skill_manifest_fields[k].key,
			    item->string) == 0)
				break;
		if (k == SKILL_NFIELDS)
			return (skill_manifest_fail(err, errlen, "%s: unknown "
			    "field " SKILL_KNOWN, skill_manifest_echo(
			    item->string, echo, sizeof(echo))));
		if (skill_manifest_given_before(item))
			return (skill_manifest_fail(err, errlen, "%s: given "
			    "twice", item->string));
		if (skill_manifest_fields[k].read(item, dirname, s, err,
		    errlen) == -1)
			return (-1);
	}
	if (s->name == NULL)
		return (skill_manifest_fail(err, errlen, "name: missing"));
	if (s->nagents == 0)
		return (skill_manifest_fail(err, errlen, "agents: missing"));
	return (0);
}

/* skill_manifest_parse - check the text of a skill.json; 0, or -1 and why */
int
skill_manifest_parse(const char *text, size_t len, const char *dirname,
    struct skill **out, char *err, size_t errlen)
{
	struct skill	*s;
	cJSON		*root;
	int		 rc;

	*out = NULL;
	if ((root = skill_manifest_text(text, len, err, errlen)) == NULL)
		return (-1);
	s = xcalloc(1, sizeof(*s));
	s->prompt_file = xstrdup(SKILL_PROMPT_DEFAULT);
	rc = skill_manifest_fields_read(root, dirname, s, err, errlen);
	cJSON_Delete(root);
	if (rc == -1) {
		skill_free(s);
		return (-1);
	}
	*out = s;
	return (0);
}

/* skill_manifest_null_or - a string, or null when s is NULL */
static cJSON *
skill_manifest_null_or(const char *s)
{
	return (s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* skill_manifest_null_or_int - a number, or null when n is 0 */
static cJSON *
skill_manifest_null_or_int(int n)
{
	return (n != 0 ? cJSON_CreateNumber(n) : cJSON_CreateNull());
}

/* skill_json - the skill as GET /v1/skills lists it, prompt if asked */
cJSON *
skill_json(const struct skill *s, int with_prompt)
{
	cJSON	*o, *agents;
	size_t	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddItemToObject(o, "description",
	    skill_manifest_null_or(s->description));
	agents = cJSON_AddArrayToObject(o, "agents");
	for (i = 0; i < s->nagents; i++)
		cJSON_AddItemToArray(agents, cJSON_CreateString(
		    skill_agent_name(s->agents[i])));
	cJSON_AddItemToObject(o, "route", skill_manifest_null_or(s->route));
	cJSON_AddItemToObject(o, "timeout_s",
	    skill_manifest_null_or_int(s->timeout_s));
	cJSON_AddItemToObject(o, "max_running",
	    skill_manifest_null_or_int(s->max_running));
	cJSON_AddItemToObject(o, "inputs", skill_input_json(s));
	if (with_prompt)
		cJSON_AddItemToObject(o, "prompt",
		    skill_manifest_null_or(s->prompt));
	return (o);
}

/* skill_free - free a skill; NULL is fine */
void
skill_free(struct skill *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ninputs; i++) {
		free(s->inputs[i].name);
		free(s->inputs[i].description);
	}
	free(s->inputs);
	free(s->name);
	free(s->description);
	free(s->prompt_file);
	free(s->route);
	free(s->dir);
	free(s->prompt);
	free(s);
}
