/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_view - show skill runs for people
 * SYNOPSIS
 *	See runs_view.h.
 * DESCRIPTION
 *	Used by `corralctl runs` and `corralctl run`. Text from the server
 *	goes through table.c, ctl_fmt_kv or ctl_fmt_clean, so it cannot
 *	drive the terminal. Times are read with mcp_view_time (RFC 3339).
 *
 *	  ID                STATE      SKILL      AGENT   CREATED  ...  EXIT
 *	  9f1c0d2e4b7a6c35  succeeded  summarize  claude  2026-... ...  0
 *	  0 queued, 0 running, 1 succeeded, 0 failed, 0 timed_out, ...
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl_fmt.h"
#include "ctl_json.h"
#include "mcp_view.h"
#include "runs_view.h"
#include "table.h"

#define RUNS_VIEW_WHEN_LEN	32	/* "2026-11-25 23:10:00" */
#define RUNS_VIEW_NUM_LEN	32

static const char *const runs_view_cols[] = {
	"ID", "STATE", "SKILL", "AGENT", "CREATED", "DURATION", "EXIT"
};

static const char *const runs_view_states[] = {
	"queued", "running", "succeeded", "failed", "timed_out", "canceled"
};

#define RUNS_VIEW_NSTATES \
	(sizeof(runs_view_states) / sizeof(runs_view_states[0]))

/* runs_view_str - a non-empty string member, or "-" */
static const char *
runs_view_str(const cJSON *o, const char *key)
{
	const char	*s = ctl_json_str(o, key);

	return (s != NULL && *s != '\0' ? s : "-");
}

/* runs_view_terminal - 1 for succeeded, failed, timed_out, canceled */
int
runs_view_terminal(const char *state)
{
	return (state != NULL && (strcmp(state, "succeeded") == 0 ||
	    strcmp(state, "failed") == 0 || strcmp(state, "timed_out") == 0 ||
	    strcmp(state, "canceled") == 0));
}

/* runs_view_when - a time member as "2026-11-25 23:10:00", as it came
 * if it does not read, "-" if absent; returns buf */
static char *
runs_view_when(const cJSON *run, const char *key, char *buf, size_t len)
{
	const char	*s = ctl_json_str(run, key);
	struct tm	 tm;
	time_t		 t;

	if (s == NULL || *s == '\0')
		snprintf(buf, len, "-");
	else if (mcp_view_time(s, &t) == -1 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "%s", s);
	return (buf);
}

/* runs_view_duration - 4m12s, or "-" before the start; returns buf */
char *
runs_view_duration(const cJSON *run, time_t now, char *buf, size_t len)
{
	const char	*end = ctl_json_str(run, "ended_at");
	time_t		 t0, t1 = now;

	if (mcp_view_time(ctl_json_str(run, "started_at"), &t0) == -1 ||
	    (end != NULL && mcp_view_time(end, &t1) == -1))
		snprintf(buf, len, "-");
	else
		ctl_fmt_duration(t1 > t0 ? difftime(t1, t0) : 0, buf, len);
	return (buf);
}

/* runs_view_exit - the exit code, else the signal, else "-" */
static char *
runs_view_exit(const cJSON *run, char *buf, size_t len)
{
	const char	*sig = ctl_json_str(run, "signal");
	double		 code;

	if (ctl_json_num(run, "exit_code", &code) == 0 && isfinite(code))
		snprintf(buf, len, "%.0f", code);
	else
		snprintf(buf, len, "%s", sig != NULL && *sig != '\0' ? sig :
		    "-");
	return (buf);
}

/* runs_view_table - the runs table; -1 if not an array */
int
runs_view_table(FILE *fp, const cJSON *runs, time_t now)
{
	struct table	*t;
	const cJSON	*r;
	char		 buf[RUNS_VIEW_WHEN_LEN + CTL_FMT_DURATION_LEN];

	if (!cJSON_IsArray(runs))
		return (-1);
	t = table_new(runs_view_cols, sizeof(runs_view_cols) /
	    sizeof(runs_view_cols[0]));
	cJSON_ArrayForEach(r, runs) {
		table_row(t);
		table_cell(t, "%s", runs_view_str(r, "id"));
		table_cell(t, "%s", runs_view_str(r, "state"));
		table_cell(t, "%s", runs_view_str(r, "skill"));
		table_cell(t, "%s", runs_view_str(r, "agent"));
		table_cell(t, "%s", runs_view_when(r, "created_at", buf,
		    sizeof(buf)));
		table_cell(t, "%s", runs_view_duration(r, now, buf,
		    sizeof(buf)));
		table_cell(t, "%s", runs_view_exit(r, buf, sizeof(buf)));
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* runs_view_counts - "3 queued, 1 running, ..." or nothing */
void
runs_view_counts(FILE *fp, const cJSON *counts)
{
	double	v;
	size_t	i;

	if (!cJSON_IsObject(counts))
		return;
	for (i = 0; i < RUNS_VIEW_NSTATES; i++) {
		if (ctl_json_num(counts, runs_view_states[i], &v) == -1 ||
		    !isfinite(v) || v < 0)
			v = 0;
		fprintf(fp, "%s%.0f %s", i > 0 ? ", " : "", v,
		    runs_view_states[i]);
	}
	fputc('\n', fp);
}

/* runs_view_text - any member as text for a person; caller frees */
static char *
runs_view_text(const cJSON *run, const char *key)
{
	return (ctl_json_text(cJSON_GetObjectItemCaseSensitive(run, key)));
}

/* runs_view_detail - one run as key: value lines */
void
runs_view_detail(FILE *fp, const cJSON *run, time_t now)
{
	static const struct {
		const char	*key, *label;
	} first[] = {
		{ "id", "id" }, { "skill", "skill" }, { "agent", "agent" },
		{ "route", "route" }, { "model", "model" },
		{ "state", "state" },
	}, last[] = {
		{ "exit_code", "exit code" }, { "signal", "signal" },
		{ "error", "error" }, { "pid", "pid" },
		{ "sandbox", "sandbox" }, { "log_bytes", "log bytes" },
	};
	const cJSON	*in;
	char		 buf[RUNS_VIEW_WHEN_LEN + CTL_FMT_DURATION_LEN];
	char		*v;
	double		 secs;
	size_t		 i;

	for (i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		v = runs_view_text(run, first[i].key);
		ctl_fmt_kv(fp, first[i].label, "%s", v);
		free(v);
	}
	ctl_fmt_kv(fp, "created", "%s", runs_view_when(run, "created_at", buf,
	    sizeof(buf)));
	ctl_fmt_kv(fp, "started", "%s", runs_view_when(run, "started_at", buf,
	    sizeof(buf)));
	ctl_fmt_kv(fp, "ended", "%s", runs_view_when(run, "ended_at", buf,
	    sizeof(buf)));
	ctl_fmt_kv(fp, "duration", "%s", runs_view_duration(run, now, buf,
	    sizeof(buf)));
	if (ctl_json_num(run, "timeout_s", &secs) == 0)
		ctl_fmt_kv(fp, "timeout", "%s", ctl_fmt_duration(secs, buf,
		    sizeof(buf)));
	else
		ctl_fmt_kv(fp, "timeout", "-");
	for (i = 0; i < sizeof(last) / sizeof(last[0]); i++) {
		v = runs_view_text(run, last[i].key);
		ctl_fmt_kv(fp, last[i].label, "%s", v);
		free(v);
	}
	if ((in = cJSON_GetObjectItemCaseSensitive(run, "input")) != NULL) {
		if (cJSON_IsObject(in) || cJSON_IsArray(in)) {
			v = cJSON_PrintUnformatted(in);
			ctl_fmt_kv(fp, "input", "%s", v != NULL ? v : "?");
			cJSON_free(v);
		} else {
			v = ctl_json_text(in);
			ctl_fmt_kv(fp, "input", "%s", v);
			free(v);
		}
	}
}

/* runs_view_line - "run ID STATE (details)[: error]"; caller frees */
char *
runs_view_line(const cJSON *run, time_t now)
{
	const char	*error = ctl_json_str(run, "error");
	char		 dur[CTL_FMT_DURATION_LEN], how[RUNS_VIEW_NUM_LEN];
	char		*raw, *out;
	double		 code;

	if (ctl_json_num(run, "exit_code", &code) == 0 && isfinite(code))
		snprintf(how, sizeof(how), ", exit %.0f", code);
	else if (strcmp(runs_view_str(run, "signal"), "-") != 0)
		snprintf(how, sizeof(how), ", %s", runs_view_str(run,
		    "signal"));
	else
		how[0] = '\0';
	runs_view_duration(run, now, dur, sizeof(dur));
	xasprintf(&raw, "run %s %s (%s with %s%s%s%s)%s%s",
	    runs_view_str(run, "id"), runs_view_str(run, "state"),
	    runs_view_str(run, "skill"), runs_view_str(run, "agent"), how,
	    strcmp(dur, "-") != 0 ? ", " : "", strcmp(dur, "-") != 0 ? dur : "",
	    error != NULL && *error != '\0' ? ": " : "",
	    error != NULL ? error : "");
	out = ctl_fmt_clean(raw);
	free(raw);
	return (out);
}
