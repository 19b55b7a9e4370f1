/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_input - a skill's declared inputs, and a run's input checked
 *	against them
 * SYNOPSIS
 *	#include "skill_manifest.h"
 *	#include "skill_manifest_priv.h"
 *
 *	int	skill_input_parse(const cJSON *v, struct skill *s, char *err,
 *		    size_t errlen);
 *	cJSON	*skill_input_json(const struct skill *s);
 *	int	skill_input_check(const struct skill *s, const cJSON *input,
 *		    char *field, size_t fieldlen, char *err, size_t errlen);
 * DESCRIPTION
 *	skill_input_parse reads the "inputs" field of a skill.json
 *	(docs/skills.md): an object of at most 32 inputs, each named 1 to
 *	64 of A-Z a-z 0-9 _, each an object of "type" (required),
 *	"required", "max_length" (for strings only; default 65536) and
 *	"description". A name or a field given twice is refused. The inputs
 *	keep the file's order.
 *
 *	skill_input_json is the "inputs" array of a listed skill: every
 *	input with its name, type, required, max_length (null but for
 *	strings) and description (null when none).
 *
 *	skill_input_check checks a run's input: an object (NULL stands for
 *	{}) whose members are each declared once, of the declared type (a
 *	finite number for "number"), strings at most max_length bytes; then
 *	every required input present. The first fault found is the one
 *	named.
 * DIAGNOSTICS
 *	-1 and one line in err, "inputs.NAME.FIELD: why" or "input.NAME:
 *	why" (field then holds "input.NAME", or "input" when the input is
 *	not an object). Running out of memory is fatal (xmalloc).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "skill_manifest.h"
#include "skill_manifest_priv.h"

#define SKILL_INPUT_NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789_"
#define SKILL_INPUT_KNOWN	"(known: type, required, max_length, " \
				"description)"

enum skill_input_field {
	SKILL_INF_TYPE,
	SKILL_INF_REQUIRED,
	SKILL_INF_MAX_LENGTH,
	SKILL_INF_DESCRIPTION,
	SKILL_INF_COUNT
};

static const char *const skill_input_fields[SKILL_INF_COUNT] = {
	"type", "required", "max_length", "description"
};

static const char *const skill_input_types[] = {
	[SKILL_IN_STRING] = "string",
	[SKILL_IN_NUMBER] = "number",
	[SKILL_IN_BOOLEAN] = "boolean",
};

static int	skill_input_bad(char *, size_t, char *, size_t, const char *,
		    const char *, ...) __attribute__((format(printf, 6, 7)));

/* skill_input_type - "string", "number" or "boolean" into in; 0 or -1 */
static int
skill_input_type(const cJSON *v, struct skill_input *in)
{
	int	t;

	if (!cJSON_IsString(v))
		return (-1);
	for (t = SKILL_IN_STRING; t <= SKILL_IN_BOOLEAN; t++)
		if (strcmp(v->valuestring, skill_input_types[t]) == 0) {
			in->type = t;
			return (0);
		}
	return (-1);
}

/* skill_input_field - one field of an input's object into in; 0 or -1 */
static int
skill_input_field(const cJSON *m, enum skill_input_field k,
    struct skill_input *in, char *err, size_t errlen)
{
	switch (k) {
	case SKILL_INF_TYPE:
		if (skill_input_type(m, in) == -1)
			return (skill_manifest_fail(err, errlen, "inputs.%s."
			    "type: want \"string\", \"number\" or "
			    "\"boolean\"", in->name));
		break;
	case SKILL_INF_REQUIRED:
		if (!cJSON_IsBool(m))
			return (skill_manifest_fail(err, errlen, "inputs.%s."
			    "required: want true or false", in->name));
		in->required = cJSON_IsTrue(m);
		break;
	case SKILL_INF_MAX_LENGTH:
		if (!skill_manifest_whole(m, 1, SKILL_STRING_MAX))
			return (skill_manifest_fail(err, errlen, "inputs.%s."
			    "max_length: want a whole number from 1 to %d",
			    in->name, SKILL_STRING_MAX));
		in->max_length = (long)m->valuedouble;
		break;
	case SKILL_INF_DESCRIPTION:
		if (!cJSON_IsString(m) ||
		    !skill_manifest_text_ok(m->valuestring, SKILL_DESC_MAX))
			return (skill_manifest_fail(err, errlen, "inputs.%s."
			    "description: want a string of " SKILL_TEXT_RULE,
			    in->name));
		in->description = xstrdup(m->valuestring);
		break;
	default:
		break;
	}
	return (0);
}

/* skill_input_one - the object of the input in->name; 0 or -1 */
static int
skill_input_one(const cJSON *obj, struct skill_input *in, char *err,
    size_t errlen)
{
	const cJSON	*m;
	char		 echo[SKILL_ECHO_LEN];
	unsigned	 seen = 0;
	int		 k;

	if (!cJSON_IsObject(obj))
		return (skill_manifest_fail(err, errlen, "inputs.%s: want an "
		    "object {\"type\": ...}", in->name));
	cJSON_ArrayForEach(m, obj) {
		for (k = 0; k < SKILL_INF_COUNT; k++)
			if (strcmp(skill_input_fields[k], m->string) == 0)
				break;
		if (k == SKILL_INF_COUNT)
			return (skill_manifest_fail(err, errlen,
			    "inputs.%s.%s: unknown field " SKILL_INPUT_KNOWN,
			    in->name, skill_manifest_echo(m->string, echo,
			    sizeof(echo))));
		if (seen & (1u << k))
			return (skill_manifest_fail(err, errlen,
			    "inputs.%s.%s: given twice", in->name, m->string));
		seen |= 1u << k;
		if (skill_input_field(m, (enum skill_input_field)k, in, err,
		    errlen) == -1)
			return (-1);
	}
	if (!(seen & (1u << SKILL_INF_TYPE)))
		return (skill_manifest_fail(err, errlen, "inputs.%s.type: "
		    "missing", in->name));
	if (in->type != SKILL_IN_STRING) {
		if (seen & (1u << SKILL_INF_MAX_LENGTH))
			return (skill_manifest_fail(err, errlen, "inputs.%s."
			    "max_length: only for \"string\" inputs",
			    in->name));
	} else if (!(seen & (1u << SKILL_INF_MAX_LENGTH)))
		in->max_length = SKILL_STRING_MAX;
	return (0);
}

/* skill_input_name_ok - 1 to 64 of A-Z a-z 0-9 _ */
static int
skill_input_name_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= SKILL_INPUT_NAME_MAX &&
	    strspn(s, SKILL_INPUT_NAME_CHARS) == n);
}

/* skill_input_parse - the "inputs" field into s; 0, or -1 and the line */
int
skill_input_parse(const cJSON *v, struct skill *s, char *err, size_t errlen)
{
	const cJSON	*el;
	char		 echo[SKILL_ECHO_LEN];
	int		 n;

	if (!cJSON_IsObject(v) || (n = cJSON_GetArraySize(v)) >
	    SKILL_INPUTS_MAX)
		return (skill_manifest_fail(err, errlen, "inputs: want an "
		    "object of at most %d inputs", SKILL_INPUTS_MAX));
	s->inputs = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*s->inputs));
	cJSON_ArrayForEach(el, v) {
		if (!skill_input_name_ok(el->string))
			return (skill_manifest_fail(err, errlen, "inputs.%s: "
			    "not an input name (1 to 64 of A-Z a-z 0-9 _)",
			    skill_manifest_echo(el->string, echo,
			    sizeof(echo))));
		if (skill_manifest_given_before(el))
			return (skill_manifest_fail(err, errlen, "inputs.%s: "
			    "given twice", el->string));
		s->inputs[s->ninputs].name = xstrdup(el->string);
		if (skill_input_one(el, &s->inputs[s->ninputs++], err,
		    errlen) == -1)
			return (-1);
	}
	return (0);
}

/* skill_input_json - the inputs as GET /v1/skills lists them */
cJSON *
skill_input_json(const struct skill *s)
{
	const struct skill_input	*in;
	cJSON				*list, *o;
	size_t				 i;

	list = cJSON_CreateArray();
	for (i = 0; i < s->ninputs; i++) {
		in = &s->inputs[i];
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(list, o);
		cJSON_AddStringToObject(o, "name", in->name);
		cJSON_AddStringToObject(o, "type", skill_input_types[in->type]);
		cJSON_AddBoolToObject(o, "required", in->required);
		if (in->type == SKILL_IN_STRING)
			cJSON_AddNumberToObject(o, "max_length",
			    (double)in->max_length);
		else
			cJSON_AddNullToObject(o, "max_length");
		if (in->description != NULL)
			cJSON_AddStringToObject(o, "description",
			    in->description);
		else
			cJSON_AddNullToObject(o, "description");
	}
	return (list);
}

/* skill_input_bad - field "input[.NAME]", err "FIELD: why"; -1 */
static int
skill_input_bad(char *field, size_t fieldlen, char *err, size_t errlen,
    const char *name, const char *fmt, ...)
{
	char	 where[SKILL_ECHO_LEN + 8], echo[SKILL_ECHO_LEN], why[256];
	va_list	 ap;

	if (name != NULL)
		snprintf(where, sizeof(where), "input.%s",
		    skill_manifest_echo(name, echo, sizeof(echo)));
	else
		snprintf(where, sizeof(where), "input");
	if (field != NULL && fieldlen > 0)
		snprintf(field, fieldlen, "%s", where);
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return (skill_manifest_fail(err, errlen, "%s: %s", where, why));
}

/* skill_input_find - the input of s called name, or NULL */
static const struct skill_input *
skill_input_find(const struct skill *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->ninputs; i++)
		if (strcmp(s->inputs[i].name, name) == 0)
			return (&s->inputs[i]);
	return (NULL);
}

/* skill_input_value - one member v of a run's input against in; 0 or -1 */
static int
skill_input_value(const struct skill_input *in, const cJSON *v, char *field,
    size_t fieldlen, char *err, size_t errlen)
{
	switch (in->type) {
	case SKILL_IN_STRING:
		if (!cJSON_IsString(v) || v->valuestring == NULL)
			return (skill_input_bad(field, fieldlen, err, errlen,
			    in->name, "want a string"));
		if (strlen(v->valuestring) > (size_t)in->max_length)
			return (skill_input_bad(field, fieldlen, err, errlen,
			    in->name, "longer than %ld bytes",
			    in->max_length));
		break;
	case SKILL_IN_NUMBER:
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			return (skill_input_bad(field, fieldlen, err, errlen,
			    in->name, "want a number"));
		break;
	default:
		if (!cJSON_IsBool(v))
			return (skill_input_bad(field, fieldlen, err, errlen,
			    in->name, "want true or false"));
		break;
	}
	return (0);
}

/* skill_input_check - a run's input against s->inputs; 0, or -1 and why */
int
skill_input_check(const struct skill *s, const cJSON *input, char *field,
    size_t fieldlen, char *err, size_t errlen)
{
	const struct skill_input	*in;
	const cJSON			*m;
	size_t				 i;

	if (field != NULL && fieldlen > 0)
		field[0] = '\0';
	if (input != NULL && !cJSON_IsObject(input))
		return (skill_input_bad(field, fieldlen, err, errlen, NULL,
		    "want an object"));
	cJSON_ArrayForEach(m, input) {
		if (m->string == NULL ||
		    (in = skill_input_find(s, m->string)) == NULL)
			return (skill_input_bad(field, fieldlen, err, errlen,
			    m->string != NULL ? m->string : "",
			    "not an input of skill %s", s->name));
		if (skill_manifest_given_before(m))
			return (skill_input_bad(field, fieldlen, err, errlen,
			    m->string, "given twice"));
		if (skill_input_value(in, m, field, fieldlen, err,
		    errlen) == -1)
			return (-1);
	}
	for (i = 0; i < s->ninputs; i++)
		if (s->inputs[i].required && (input == NULL ||
		    cJSON_GetObjectItemCaseSensitive(input,
		    s->inputs[i].name) == NULL))
			return (skill_input_bad(field, fieldlen, err, errlen,
			    s->inputs[i].name, "required"));
	return (0);
}
