/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	workers_view - show corral workers as a table or as one record
 * SYNOPSIS
 *	See workers_view.h.
 * DESCRIPTION
 *	Used by `corralctl workers` and by the tail of `corralctl status`.
 *	Values the server did not send print as "-" rather than failing:
 *	the display is for people, and the exact shape is checked by the
 *	API tests, not here.
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl_fmt.h"
#include "ctl_json.h"
#include "table.h"
#include "workers_view.h"

static const char *const workers_view_cols[] = {
	"NAME", "STATE", "PID", "RESTARTS", "UPTIME", "LAST EXIT"
};

/* The detail fields in display order, with their labels. */
static const struct workers_view_field {
	const char	*key;
	const char	*label;
} workers_view_fields[] = {
	{ "name",		"name" },
	{ "id",			"id" },
	{ "enabled",		"enabled" },
	{ "state",		"state" },
	{ "pid",		"pid" },
	{ "restarts",		"restarts" },
	{ "uptime_s",		"uptime" },
	{ "throttled",		"throttled" },
	{ "next_start_in_s",	"next start in" },
	{ "last_exit",		"last exit" },
	{ "restart_policy",	"restart policy" },
};

static void	workers_view_pid(char *, size_t, const cJSON *);
static void	workers_view_secs(char *, size_t, const cJSON *,
		    const char *);
static int	workers_view_known(const char *);

/* workers_view_pid - the pid, "-" when 0 or absent */
static void
workers_view_pid(char *buf, size_t len, const cJSON *w)
{
	double	pid;

	if (ctl_json_num(w, "pid", &pid) == -1 || pid <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", pid);
}

/* workers_view_secs - a duration field, "-" when 0 or absent */
static void
workers_view_secs(char *buf, size_t len, const cJSON *w, const char *key)
{
	double	s;

	if (ctl_json_num(w, key, &s) == -1 || !(s > 0))
		snprintf(buf, len, "-");
	else
		ctl_fmt_duration(s, buf, len);
}

/* workers_view_table - the workers table; -1 if not an array */
int
workers_view_table(FILE *fp, const cJSON *workers)
{
	struct table	*t;
	const cJSON	*w;
	const char	*s;
	char		 pid[32], up[CTL_FMT_DURATION_LEN];
	double		 n;
	int		 lastexit = 0;

	if (!cJSON_IsArray(workers))
		return (-1);
	cJSON_ArrayForEach(w, workers)
		if ((s = ctl_json_str(w, "last_exit")) != NULL && *s != '\0')
			lastexit = 1;
	t = table_new(workers_view_cols, lastexit ? 6 : 5);
	cJSON_ArrayForEach(w, workers) {
		table_row(t);
		s = ctl_json_str(w, "name");
		table_cell(t, "%s", s != NULL ? s : "-");
		s = ctl_json_str(w, "state");
		table_cell(t, "%s", s != NULL ? s : "-");
		workers_view_pid(pid, sizeof(pid), w);
		table_cell(t, "%s", pid);
		if (ctl_json_num(w, "restarts", &n) == 0)
			table_cell(t, "%.0f", n);
		else
			table_cell(t, "-");
		workers_view_secs(up, sizeof(up), w, "uptime_s");
		table_cell(t, "%s", up);
		s = ctl_json_str(w, "last_exit");
		table_cell(t, "%s", s != NULL && *s != '\0' ? s : "-");
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* workers_view_known - 1 if key is one of the fields shown in order */
static int
workers_view_known(const char *key)
{
	size_t	i;

	for (i = 0; i < sizeof(workers_view_fields) /
	    sizeof(workers_view_fields[0]); i++)
		if (strcmp(workers_view_fields[i].key, key) == 0)
			return (1);
	return (0);
}

/* workers_view_detail - one worker as key: value lines */
void
workers_view_detail(FILE *fp, const cJSON *w)
{
	const struct workers_view_field	*f;
	const cJSON			*v;
	char				 buf[CTL_FMT_DURATION_LEN], *text;
	size_t				 i;

	for (i = 0; i < sizeof(workers_view_fields) /
	    sizeof(workers_view_fields[0]); i++) {
		f = &workers_view_fields[i];
		if ((v = cJSON_GetObjectItemCaseSensitive(w, f->key)) == NULL)
			continue;
		if (strcmp(f->key, "pid") == 0) {
			workers_view_pid(buf, sizeof(buf), w);
			ctl_fmt_kv(fp, f->label, "%s", buf);
		} else if (strcmp(f->key, "uptime_s") == 0 ||
		    strcmp(f->key, "next_start_in_s") == 0) {
			workers_view_secs(buf, sizeof(buf), w, f->key);
			ctl_fmt_kv(fp, f->label, "%s", buf);
		} else {
			text = ctl_json_text(v);
			ctl_fmt_kv(fp, f->label, "%s", text);
			free(text);
		}
	}
	cJSON_ArrayForEach(v, w) {
		if (v->string == NULL || workers_view_known(v->string))
			continue;
		text = ctl_json_text(v);
		ctl_fmt_kv(fp, v->string, "%s", text);
		free(text);
	}
}
