/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_view - show secrets and model routes as tables
 * SYNOPSIS
 *	See secrets_view.h.
 * DESCRIPTION
 *	Used by `corralctl secrets list` and `corralctl routes`. As in
 *	workers_view.c, a field the server did not send prints as "-"
 *	instead of failing, and every cell goes through table.c, which
 *	replaces control characters.
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ctl_json.h"
#include "secrets_view.h"
#include "table.h"

static const char *const secrets_view_cols[] = {
	"NAME", "PROVIDER", "CREATED", "UPDATED"
};

static const char *const secrets_view_route_cols[] = {
	"NAME", "PROVIDER", "MODEL", "BASE_URL", "SECRET", "AVAILABLE",
	"REASON"
};

#define SECRETS_VIEW_NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

/* secrets_view_str - a string member, "-" when absent or empty */
static const char *
secrets_view_str(const cJSON *o, const char *key)
{
	const char	*s;

	s = ctl_json_str(o, key);
	return (s != NULL && *s != '\0' ? s : "-");
}

/* secrets_view_time - a time for people; returns buf */
char *
secrets_view_time(const cJSON *v, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;

	if (cJSON_IsString(v) && *v->valuestring != '\0')
		snprintf(buf, len, "%s", v->valuestring);
	else if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble >= 0 && v->valuedouble < 253402300800.0) {
		t = (time_t)v->valuedouble;	/* before the year 10000 */
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			snprintf(buf, len, "-");
	} else
		snprintf(buf, len, "-");
	return (buf);
}

/* secrets_view_table - the secrets table; -1 if not an array */
int
secrets_view_table(FILE *fp, const cJSON *secrets)
{
	struct table	*t;
	const cJSON	*s;
	char		 created[SECRETS_VIEW_TIME_LEN];
	char		 updated[SECRETS_VIEW_TIME_LEN];

	if (!cJSON_IsArray(secrets))
		return (-1);
	t = table_new(secrets_view_cols, SECRETS_VIEW_NCOLS(secrets_view_cols));
	cJSON_ArrayForEach(s, secrets) {
		table_row(t);
		table_cell(t, "%s", secrets_view_str(s, "name"));
		table_cell(t, "%s", secrets_view_str(s, "provider"));
		table_cell(t, "%s", secrets_view_time(
		    cJSON_GetObjectItemCaseSensitive(s, "created"), created,
		    sizeof(created)));
		table_cell(t, "%s", secrets_view_time(
		    cJSON_GetObjectItemCaseSensitive(s, "updated"), updated,
		    sizeof(updated)));
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* secrets_view_routes - the routes table; -1 if not an array */
int
secrets_view_routes(FILE *fp, const cJSON *routes)
{
	struct table	*t;
	const cJSON	*r;
	int		 avail;

	if (!cJSON_IsArray(routes))
		return (-1);
	t = table_new(secrets_view_route_cols,
	    SECRETS_VIEW_NCOLS(secrets_view_route_cols));
	cJSON_ArrayForEach(r, routes) {
		table_row(t);
		table_cell(t, "%s", secrets_view_str(r, "name"));
		table_cell(t, "%s", secrets_view_str(r, "provider"));
		table_cell(t, "%s", secrets_view_str(r, "model"));
		table_cell(t, "%s", secrets_view_str(r, "base_url"));
		table_cell(t, "%s", secrets_view_str(r, "secret"));
		avail = ctl_json_bool(r, "available");
		table_cell(t, "%s", avail == 1 ? "yes" : avail == 0 ? "no" :
		    "-");
		table_cell(t, "%s", secrets_view_str(r, "reason"));
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}
