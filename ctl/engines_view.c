/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	engines_view - show inference engines for people
 * SYNOPSIS
 *	See engines_view.h.
 * DESCRIPTION
 *	Used by `corralctl engines`. Text from the server goes through
 *	table.c, ctl_fmt_kv or ctl_fmt_clean, so it cannot drive the
 *	terminal; a log (engines_view_log_write) is cleaned the same way
 *	when it goes to one.
 *
 *	  NAME    ENGINE  STATE  PORT  GPUS  UPTIME  IMAGE
 *	  qwen    vllm    ready  8000  0,1   3m12s   vllm/vllm-openai:latest
 *
 *	  name:           qwen
 *	  state:          failed
 *	  container id:   4f2a9c1b7d3e
 *	  last error:     the container exited with code 1
 *	  logs:
 *	    ValueError: ...
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
#include "table.h"

#define ENGINES_VIEW_LOG_INDENT	"  "

static const char *const engines_view_cols[] = {
	"NAME", "ENGINE", "STATE", "PORT", "GPUS", "UPTIME", "IMAGE"
};

/* engines_view_str - a string member, or "-" */
static const char *
engines_view_str(const cJSON *o, const char *key)
{
	const char	*s = ctl_json_str(o, key);

	return (s != NULL && *s != '\0' ? s : "-");
}

/* engines_view_gpus - "all", "none", "0,1", or "-"; returns buf */
char *
engines_view_gpus(const cJSON *engine, char *buf, size_t len)
{
	const cJSON	*g, *i;
	size_t		 used = 0;
	int		 n;

	g = cJSON_GetObjectItemCaseSensitive(engine, "gpus");
	snprintf(buf, len, "-");
	if (cJSON_IsString(g))
		snprintf(buf, len, "%s", g->valuestring);
	else if (cJSON_IsArray(g) && cJSON_GetArraySize(g) > 0) {
		buf[0] = '\0';
		cJSON_ArrayForEach(i, g) {
			if (!cJSON_IsNumber(i))
				continue;
			n = snprintf(buf + used, len - used, "%s%.0f",
			    used > 0 ? "," : "", i->valuedouble);
			if (n < 0 || (size_t)n >= len - used)
				break;
			used += (size_t)n;
		}
	}
	return (buf);
}

/* engines_view_uptime - uptime_s as 3m12s, or "-" */
static char *
engines_view_uptime(const cJSON *engine, char *buf, size_t len)
{
	double	secs;

	if (ctl_json_num(engine, "uptime_s", &secs) == -1)
		secs = -1;
	return (ctl_fmt_duration(secs, buf, len));
}

/* engines_view_port - the port, or "-" */
static char *
engines_view_port(const cJSON *engine, char *buf, size_t len)
{
	double	port;

	if (ctl_json_num(engine, "port", &port) == 0 && isfinite(port))
		snprintf(buf, len, "%.0f", port);
	else
		snprintf(buf, len, "-");
	return (buf);
}

/* engines_view_table - the engines table; -1 if not an array */
int
engines_view_table(FILE *fp, const cJSON *engines)
{
	struct table	*t;
	const cJSON	*e;
	char		 buf[CTL_FMT_DURATION_LEN + ENGINES_VIEW_GPUS_LEN];

	if (!cJSON_IsArray(engines))
		return (-1);
	t = table_new(engines_view_cols, sizeof(engines_view_cols) /
	    sizeof(engines_view_cols[0]));
	cJSON_ArrayForEach(e, engines) {
		table_row(t);
		table_cell(t, "%s", engines_view_str(e, "name"));
		table_cell(t, "%s", engines_view_str(e, "engine"));
		table_cell(t, "%s", engines_view_str(e, "state"));
		table_cell(t, "%s", engines_view_port(e, buf, sizeof(buf)));
		table_cell(t, "%s", engines_view_gpus(e, buf, sizeof(buf)));
		table_cell(t, "%s", engines_view_uptime(e, buf, sizeof(buf)));
		table_cell(t, "%s", engines_view_str(e, "image"));
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* engines_view_docker - "Docker is unreachable at ...", or NULL */
char *
engines_view_docker(const cJSON *docker)
{
	const char	*endpoint, *reason;
	char		*a, *b, *out;

	if (ctl_json_bool(docker, "reachable") != 0)
		return (NULL);
	endpoint = ctl_json_str(docker, "endpoint");
	reason = ctl_json_str(docker, "reason");
	/* a reason that names the endpoint itself need not have it twice */
	a = ctl_fmt_clean(reason != NULL && endpoint != NULL &&
	    strstr(reason, endpoint) != NULL ? NULL : endpoint);
	b = ctl_fmt_clean(reason);
	xasprintf(&out, "Docker is unreachable%s%s%s%s", *a != '\0' ?
	    " at " : "", a, *b != '\0' ? ": " : "", b);
	free(a);
	free(b);
	return (out);
}

/* engines_view_join - the strings of an array joined with sep; "-" */
static char *
engines_view_join(const cJSON *arr, const char *sep)
{
	const cJSON	*s;
	char		*out = NULL, *next;

	if (!cJSON_IsArray(arr))
		arr = NULL;
	cJSON_ArrayForEach(s, arr) {
		if (!cJSON_IsString(s))
			continue;
		xasprintf(&next, "%s%s%s", out != NULL ? out : "",
		    out != NULL ? sep : "", s->valuestring);
		free(out);
		out = next;
	}
	return (out != NULL ? out : xstrdup("-"));
}

/* engines_view_secret_env - {"VAR":"name"} as "VAR=name, ..."; "-" */
static char *
engines_view_secret_env(const cJSON *obj)
{
	const cJSON	*m;
	char		*out = NULL, *next;

	if (!cJSON_IsObject(obj))
		obj = NULL;
	cJSON_ArrayForEach(m, obj) {
		if (!cJSON_IsString(m) || m->string == NULL)
			continue;
		xasprintf(&next, "%s%s%s=%s", out != NULL ? out : "",
		    out != NULL ? ", " : "", m->string, m->valuestring);
		free(out);
		out = next;
	}
	return (out != NULL ? out : xstrdup("-"));
}

/* engines_view_logs - "logs:" and the container's last lines, indented */
static void
engines_view_logs(FILE *fp, const cJSON *engine)
{
	const cJSON	*logs, *l;
	char		*line;

	logs = cJSON_GetObjectItemCaseSensitive(engine, "logs");
	if (!cJSON_IsArray(logs) || cJSON_GetArraySize(logs) == 0)
		return;
	fprintf(fp, "logs:\n");
	cJSON_ArrayForEach(l, logs) {
		if (!cJSON_IsString(l))
			continue;
		line = ctl_fmt_clean(l->valuestring);
		fprintf(fp, "%s%s\n", ENGINES_VIEW_LOG_INDENT, line);
		free(line);
	}
}

/* engines_view_failure - last error and log lines of a failed engine */
void
engines_view_failure(FILE *fp, const cJSON *engine)
{
	ctl_fmt_kv(fp, "last error", "%s", engines_view_str(engine,
	    "last_error"));
	engines_view_logs(fp, engine);
}

/* engines_view_detail - one engine as key: value lines */
void
engines_view_detail(FILE *fp, const cJSON *e)
{
	static const struct {
		const char	*key, *label;
	} strs[] = {
		{ "name", "name" }, { "engine", "engine" },
		{ "state", "state" }, { "progress", "progress" },
		{ "image", "image" }, { "model", "model" },
		{ "endpoint", "endpoint" },
	}, times[] = {
		{ "created", "created" }, { "started", "started" },
		{ "ready_at", "ready at" },
	};
	const char	*id, *state;
	char		 buf[CTL_FMT_DURATION_LEN + ENGINES_VIEW_GPUS_LEN];
	char		*s;
	double		 code;
	size_t		 i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		ctl_fmt_kv(fp, strs[i].label, "%s", engines_view_str(e,
		    strs[i].key));
	ctl_fmt_kv(fp, "port", "%s", engines_view_port(e, buf, sizeof(buf)));
	ctl_fmt_kv(fp, "gpus", "%s", engines_view_gpus(e, buf, sizeof(buf)));
	id = engines_view_str(e, "container_id");
	ctl_fmt_kv(fp, "container id", "%.*s", ENGINES_VIEW_ID_LEN, id);
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		ctl_fmt_kv(fp, times[i].label, "%s", engines_view_str(e,
		    times[i].key));
	ctl_fmt_kv(fp, "uptime", "%s", engines_view_uptime(e, buf,
	    sizeof(buf)));
	ctl_fmt_kv(fp, "adopted", "%s", ctl_json_bool(e, "adopted") == 1 ?
	    "yes" : "no");
	s = engines_view_join(cJSON_GetObjectItemCaseSensitive(e, "args"),
	    " ");
	ctl_fmt_kv(fp, "args", "%s", s);
	free(s);
	s = engines_view_secret_env(cJSON_GetObjectItemCaseSensitive(e,
	    "secret_env"));
	ctl_fmt_kv(fp, "secret env", "%s", s);
	free(s);
	if (ctl_json_num(e, "exit_code", &code) == 0 && isfinite(code))
		ctl_fmt_kv(fp, "exit code", "%.0f", code);
	else
		ctl_fmt_kv(fp, "exit code", "-");
	ctl_fmt_kv(fp, "last error", "%s", engines_view_str(e, "last_error"));
	state = ctl_json_str(e, "state");
	if (state != NULL && strcmp(state, "failed") == 0)
		engines_view_logs(fp, e);
}

/* engines_view_step - "pulling ... 41%", "starting", "ready  URL" */
char *
engines_view_step(const cJSON *engine)
{
	const char	*state, *progress, *endpoint;
	char		*raw, *out;
	size_t		 len;

	state = engines_view_str(engine, "state");
	progress = ctl_json_str(engine, "progress");
	endpoint = ctl_json_str(engine, "endpoint");
	len = strlen(state);
	if (strcmp(state, "ready") == 0 && endpoint != NULL)
		xasprintf(&raw, "ready  %s", endpoint);
	else if (progress == NULL || *progress == '\0')
		raw = xstrdup(state);
	else if (strncmp(progress, state, len) == 0 &&
	    (progress[len] == ' ' || progress[len] == '\0'))
		raw = xstrdup(progress);
	else
		xasprintf(&raw, "%s: %s", state, progress);
	out = ctl_fmt_clean(raw);
	free(raw);
	return (out);
}

/* engines_view_log_init - a log writer, cleaning or not */
void
engines_view_log_init(struct engines_view_log *l, int clean)
{
	l->clean = clean;
	l->c2 = 0;
}

/* engines_view_log_write - a piece of a log to fp: 0, or -1 */
int
engines_view_log_write(struct engines_view_log *l, FILE *fp,
    const char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)buf;
	char			*out;
	size_t			 i, n = 0;
	int			 rc = 0;

	if (!l->clean)
		return (fwrite(buf, 1, len, fp) == len && fflush(fp) == 0 ?
		    0 : -1);
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (l->c2) {		/* 0xc2 ended the last piece */
			l->c2 = 0;
			if (p[i] >= 0x80 && p[i] <= 0x9f) {
				out[n++] = '?';
				continue;
			}
			out[n++] = (char)0xc2;
		}
		if (p[i] == 0xc2 && i + 1 == len)
			l->c2 = 1;
		else if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			out[n++] = '?';
			i++;
		} else if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') ||
		    p[i] == 0x7f)
			out[n++] = '?';
		else
			out[n++] = (char)p[i];
	}
	if (fwrite(out, 1, n, fp) != n || fflush(fp) != 0)
		rc = -1;
	free(out);
	return (rc);
}
