/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_engines - the engines families of /metrics
 * SYNOPSIS
 *	#include "http_metrics_engines.h"
 * DESCRIPTION
 *	See http_metrics_engines.h. An engine row without a string name or
 *	state is skipped; an unknown state is counted under its own name.
 */
#include <string.h>

#include "http_metrics_engines.h"

static const char *const http_metrics_engine_states[] = {
	"pulling", "starting", "loading", "ready", "failed", "stopped",
	"vanished"
};

#define HTTP_METRICS_NSTATES (sizeof(http_metrics_engine_states) / \
	sizeof(http_metrics_engine_states[0]))

/* http_metrics_engines_str - a string member, or NULL */
static const char *
http_metrics_engines_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* http_metrics_engines_labels - {engine="NAME",profile="P"} */
static void
http_metrics_engines_labels(struct http_prom_labels *l, const cJSON *e)
{
	const char	*profile = http_metrics_engines_str(e, "engine");

	http_prom_labels_init(l);
	http_prom_label(l, "engine", http_metrics_engines_str(e, "name"));
	http_prom_label(l, "profile", profile != NULL ? profile : "");
}

/* http_metrics_engines_count - engines in state st */
static int
http_metrics_engines_count(const cJSON *rows, const char *st)
{
	const cJSON	*e;
	const char	*s;
	int		 n = 0;

	cJSON_ArrayForEach(e, rows)
		if ((s = http_metrics_engines_str(e, "state")) != NULL &&
		    http_metrics_engines_str(e, "name") != NULL &&
		    strcmp(s, st) == 0)
			n++;
	return (n);
}

/* http_metrics_engines_render - the engines families */
void
http_metrics_engines_render(struct http_prom *p, const cJSON *list)
{
	struct http_prom_labels	 l;
	const cJSON		*rows, *e, *up;
	const char		*st;
	size_t			 i;

	rows = cJSON_GetObjectItemCaseSensitive(list, "engines");
	if (!cJSON_IsArray(rows))
		return;
	http_prom_family(p, "corral_engines_docker_up", "gauge",
	    "1 while the engines worker reaches the Docker Engine API.");
	http_prom_sample(p, "", NULL, cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    list, "docker"), "reachable")));
	http_prom_family(p, "corral_engines", "gauge",
	    "Inference engines by state.");
	for (i = 0; i < HTTP_METRICS_NSTATES; i++) {
		http_prom_labels_init(&l);
		http_prom_label(&l, "state", http_metrics_engine_states[i]);
		http_prom_sample(p, "", &l, http_metrics_engines_count(rows,
		    http_metrics_engine_states[i]));
	}
	http_prom_family(p, "corral_engine_ready", "gauge",
	    "1 while the engine serves (its probes passed), else 0.");
	cJSON_ArrayForEach(e, rows) {
		if (http_metrics_engines_str(e, "name") == NULL ||
		    (st = http_metrics_engines_str(e, "state")) == NULL)
			continue;
		http_metrics_engines_labels(&l, e);
		http_prom_sample(p, "", &l, strcmp(st, "ready") == 0);
	}
	http_prom_family(p, "corral_engine_uptime_seconds", "gauge",
	    "Seconds since the engine's container started, while it runs.");
	cJSON_ArrayForEach(e, rows) {
		up = cJSON_GetObjectItemCaseSensitive(e, "uptime_s");
		if (http_metrics_engines_str(e, "name") == NULL ||
		    !cJSON_IsNumber(up))
			continue;
		http_metrics_engines_labels(&l, e);
		http_prom_sample(p, "", &l, up->valuedouble);
	}
}
