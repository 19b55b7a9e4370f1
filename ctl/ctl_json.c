/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_json - read fields of the server's JSON, print it back
 * SYNOPSIS
 *	See ctl_json.h.
 * DESCRIPTION
 *	Thin, forgiving accessors over cJSON so that the display code
 *	reads as a list of fields rather than a list of type checks.
 * DIAGNOSTICS
 *	None; memory exhaustion is fatal through xmalloc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl_json.h"

static char	*ctl_json_scalar(const cJSON *);

/* ctl_json_str - a string member or NULL */
const char *
ctl_json_str(const cJSON *obj, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* ctl_json_num - a number member: 0 and *out, or -1 */
int
ctl_json_num(const cJSON *obj, const char *key, double *out)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v))
		return (-1);
	*out = v->valuedouble;
	return (0);
}

/* ctl_json_bool - a boolean member: 1, 0, or -1 if absent */
int
ctl_json_bool(const cJSON *obj, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsBool(v))
		return (-1);
	return (cJSON_IsTrue(v) ? 1 : 0);
}

/* ctl_json_scalar - a scalar as text, NULL for arrays and objects */
static char *
ctl_json_scalar(const cJSON *v)
{
	char	*s;
	double	 d;

	if (cJSON_IsString(v))
		return (xstrdup(v->valuestring));
	if (cJSON_IsBool(v))
		return (xstrdup(cJSON_IsTrue(v) ? "yes" : "no"));
	if (v == NULL || cJSON_IsNull(v))
		return (xstrdup("-"));
	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
			xasprintf(&s, "%lld", (long long)d);
		else
			xasprintf(&s, "%g", d);
		return (s);
	}
	return (NULL);
}

/* ctl_json_text - any value as text for a person; caller frees */
char *
ctl_json_text(const cJSON *v)
{
	const cJSON	*e;
	char		*s, *t, *out = NULL;

	if ((s = ctl_json_scalar(v)) != NULL)
		return (s);
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v) {
			if ((t = ctl_json_scalar(e)) == NULL) {
				free(out);
				out = NULL;
				goto compact;
			}
			if (out == NULL)
				out = t;
			else {
				xasprintf(&s, "%s, %s", out, t);
				free(out);
				free(t);
				out = s;
			}
		}
		return (out != NULL ? out : xstrdup("-"));
	}
compact:
	if ((s = cJSON_PrintUnformatted(v)) == NULL)
		return (xstrdup("?"));
	t = xstrdup(s);
	cJSON_free(s);
	return (t);
}

/* ctl_json_print - pretty-print v and a newline */
void
ctl_json_print(FILE *fp, const cJSON *v)
{
	char	*s;

	if ((s = cJSON_Print(v)) == NULL) {
		fputs("null\n", fp);
		return;
	}
	fprintf(fp, "%s\n", s);
	cJSON_free(s);
}

