/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skills_view - show skills and agents for people
 * SYNOPSIS
 *	See skills_view.h.
 * DESCRIPTION
 *	Used by `corralctl skills` and `corralctl agents`. Text from the
 *	server goes through table.c or ctl_fmt_kv, so it cannot drive the
 *	terminal; the prompt goes through engines_view_log_write, which
 *	cleans it the same way when it goes to a terminal and keeps its
 *	newlines.
 *
 *	  NAME       AGENTS        ROUTE   TIMEOUT  MAX  INPUTS  ...
 *	  summarize  claude,codex  gpt-4o  10m00s   2    text*   ...
 *
 *	  NAME    COMMAND  INSTALLED  RUNNING  PATH
 *	  claude  claude   yes        1        /usr/local/bin/claude
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl_fmt.h"
#include "ctl_json.h"
#include "engines_view.h"
#include "skills_view.h"
#include "table.h"

static const char *const skills_view_cols[] = {
	"NAME", "AGENTS", "ROUTE", "TIMEOUT", "MAX", "INPUTS", "DESCRIPTION"
};

static const char *const skills_view_agent_cols[] = {
	"NAME", "COMMAND", "INSTALLED", "RUNNING", "PATH"
};

/* skills_view_str - a non-empty string member, or "-" */
static const char *
skills_view_str(const cJSON *o, const char *key)
{
	const char	*s = ctl_json_str(o, key);

	return (s != NULL && *s != '\0' ? s : "-");
}

/* skills_view_secs - a number of seconds as 10m00s, or "-" */
static char *
skills_view_secs(const cJSON *o, const char *key, char *buf, size_t len)
{
	double	v;

	if (ctl_json_num(o, key, &v) == 0 && isfinite(v) && v >= 0)
		ctl_fmt_duration(v, buf, len);
	else
		snprintf(buf, len, "-");
	return (buf);
}

/* skills_view_join - the strings of an array joined by sep; caller frees */
static char *
skills_view_join(const cJSON *arr, const char *sep)
{
	const cJSON	*e;
	char		*out = NULL, *next;

	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e))
			continue;
		if (out == NULL)
			out = xstrdup(e->valuestring);
		else {
			xasprintf(&next, "%s%s%s", out, sep, e->valuestring);
			free(out);
			out = next;
		}
	}
	return (out != NULL ? out : xstrdup("-"));
}

/* skills_view_inputs - "text*, lines": the names, '*' if required */
static char *
skills_view_inputs(const cJSON *inputs)
{
	const cJSON	*in;
	const char	*name;
	char		*out = NULL, *next;

	cJSON_ArrayForEach(in, inputs) {
		if ((name = ctl_json_str(in, "name")) == NULL)
			continue;
		xasprintf(&next, "%s%s%s%s", out != NULL ? out : "",
		    out != NULL ? ", " : "", name,
		    ctl_json_bool(in, "required") == 1 ? "*" : "");
		free(out);
		out = next;
	}
	return (out != NULL ? out : xstrdup("-"));
}

/* skills_view_first - the first line of a string member; caller frees */
static char *
skills_view_first(const cJSON *o, const char *key)
{
	const char	*s = ctl_json_str(o, key);
	size_t		 n;
	char		*out;

	if (s == NULL || *s == '\0')
		return (xstrdup("-"));
	n = strcspn(s, "\r\n");
	out = xmalloc(n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return (out);
}

/* skills_view_table - the skills table; -1 if not an array */
int
skills_view_table(FILE *fp, const cJSON *skills)
{
	struct table	*t;
	const cJSON	*s;
	char		 buf[CTL_FMT_DURATION_LEN], *v;

	if (!cJSON_IsArray(skills))
		return (-1);
	t = table_new(skills_view_cols, sizeof(skills_view_cols) /
	    sizeof(skills_view_cols[0]));
	cJSON_ArrayForEach(s, skills) {
		table_row(t);
		table_cell(t, "%s", skills_view_str(s, "name"));
		v = skills_view_join(cJSON_GetObjectItemCaseSensitive(s,
		    "agents"), ",");
		table_cell(t, "%s", v);
		free(v);
		table_cell(t, "%s", skills_view_str(s, "route"));
		table_cell(t, "%s", skills_view_secs(s, "timeout_s", buf,
		    sizeof(buf)));
		v = ctl_json_text(cJSON_GetObjectItemCaseSensitive(s,
		    "max_running"));
		table_cell(t, "%s", v);
		free(v);
		v = skills_view_inputs(cJSON_GetObjectItemCaseSensitive(s,
		    "inputs"));
		table_cell(t, "%s", v);
		free(v);
		v = skills_view_first(s, "description");
		table_cell(t, "%s", v);
		free(v);
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* skills_view_input - one input as "NAME TYPE, required, max N: what" */
static void
skills_view_input(FILE *fp, const cJSON *in)
{
	const char	*desc = ctl_json_str(in, "description");
	char		 max[48] = "";
	double		 v;

	if (ctl_json_num(in, "max_length", &v) == 0 && isfinite(v))
		snprintf(max, sizeof(max), ", max %.0f characters", v);
	ctl_fmt_kv(fp, "input", "%s %s%s%s%s%s", skills_view_str(in, "name"),
	    skills_view_str(in, "type"), ctl_json_bool(in, "required") == 1 ?
	    ", required" : "", max, desc != NULL && *desc != '\0' ? ": " : "",
	    desc != NULL ? desc : "");
}

/* skills_view_detail - one skill as key: value lines, then its prompt */
void
skills_view_detail(FILE *fp, const cJSON *skill, int clean)
{
	struct engines_view_log	 l;
	const cJSON		*in;
	const char		*prompt;
	char			 buf[CTL_FMT_DURATION_LEN], *v;
	size_t			 len;

	ctl_fmt_kv(fp, "name", "%s", skills_view_str(skill, "name"));
	ctl_fmt_kv(fp, "description", "%s", skills_view_str(skill,
	    "description"));
	v = skills_view_join(cJSON_GetObjectItemCaseSensitive(skill,
	    "agents"), ", ");
	ctl_fmt_kv(fp, "agents", "%s", v);
	free(v);
	ctl_fmt_kv(fp, "route", "%s", skills_view_str(skill, "route"));
	ctl_fmt_kv(fp, "timeout", "%s", skills_view_secs(skill, "timeout_s",
	    buf, sizeof(buf)));
	v = ctl_json_text(cJSON_GetObjectItemCaseSensitive(skill,
	    "max_running"));
	ctl_fmt_kv(fp, "max running", "%s", v);
	free(v);
	cJSON_ArrayForEach(in, cJSON_GetObjectItemCaseSensitive(skill,
	    "inputs"))
		skills_view_input(fp, in);
	if ((prompt = ctl_json_str(skill, "prompt")) == NULL)
		return;
	fputc('\n', fp);
	len = strlen(prompt);
	engines_view_log_init(&l, clean);
	(void)engines_view_log_write(&l, fp, prompt, len);
	if (len > 0 && prompt[len - 1] != '\n')
		fputc('\n', fp);
}

/* skills_view_agents - the agents table; -1 if not an array */
int
skills_view_agents(FILE *fp, const cJSON *agents)
{
	struct table	*t;
	const cJSON	*a;
	char		*v;
	int		 on;

	if (!cJSON_IsArray(agents))
		return (-1);
	t = table_new(skills_view_agent_cols, sizeof(skills_view_agent_cols) /
	    sizeof(skills_view_agent_cols[0]));
	cJSON_ArrayForEach(a, agents) {
		table_row(t);
		table_cell(t, "%s", skills_view_str(a, "name"));
		table_cell(t, "%s", skills_view_str(a, "command"));
		on = ctl_json_bool(a, "installed");
		table_cell(t, "%s", on == 1 ? "yes" : on == 0 ? "no" : "-");
		v = ctl_json_text(cJSON_GetObjectItemCaseSensitive(a,
		    "running"));
		table_cell(t, "%s", v);
		free(v);
		table_cell(t, "%s", skills_view_str(a, "path"));
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}
