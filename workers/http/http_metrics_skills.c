/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_skills - the run and agent families of /metrics
 * SYNOPSIS
 *	#include "http_metrics_skills.h"
 * DESCRIPTION
 *	See http_metrics_skills.h. The six states of docs/skills.md
 *	(http_runs_states, which ?state= of GET /v1/runs is checked
 *	against) are always written, in their order; a count under
 *	another name (a newer skills worker's state) is written after
 *	them under its own name, so it is not lost. A count that is
 *	missing, not a number or negative is 0, and an agent row without
 *	a string name is skipped: the page must stay valid whatever the
 *	worker sends.
 *	Series are per state and per agent (four agents), never per run
 *	or per skill.
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>

#include "http_metrics_skills.h"
#include "http_runs.h"

/* http_metrics_skills_count - a count: its value, or 0 */
static double
http_metrics_skills_count(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0)
		return (0);
	return (v->valuedouble);
}

/* http_metrics_skills_runs - corral_runs{state} */
void
http_metrics_skills_runs(struct http_prom *p, const cJSON *list)
{
	struct http_prom_labels	 l;
	const cJSON		*counts, *c;
	size_t			 i;

	counts = cJSON_GetObjectItemCaseSensitive(list, "counts");
	if (!cJSON_IsObject(counts))
		return;
	http_prom_family(p, "corral_runs", "gauge",
	    "Skill runs by state, as recorded in runs.db.");
	for (i = 0; i < HTTP_RUNS_NSTATES; i++) {
		http_prom_labels_init(&l);
		http_prom_label(&l, "state", http_runs_states[i]);
		http_prom_sample(p, "", &l, http_metrics_skills_count(
		    cJSON_GetObjectItemCaseSensitive(counts,
		    http_runs_states[i])));
	}
	cJSON_ArrayForEach(c, counts) {
		if (c->string == NULL || http_runs_state_ok(c->string))
			continue;
		http_prom_labels_init(&l);
		http_prom_label(&l, "state", c->string);
		http_prom_sample(p, "", &l, http_metrics_skills_count(c));
	}
}

/* http_metrics_skills_agents - corral_agents_installed{agent} */
void
http_metrics_skills_agents(struct http_prom *p, const cJSON *list)
{
	struct http_prom_labels	 l;
	const cJSON		*rows, *a, *name;

	rows = cJSON_GetObjectItemCaseSensitive(list, "agents");
	if (!cJSON_IsArray(rows))
		return;
	http_prom_family(p, "corral_agents_installed", "gauge",
	    "1 if the agent CLI is found in skills_agent_path, else 0.");
	cJSON_ArrayForEach(a, rows) {
		name = cJSON_GetObjectItemCaseSensitive(a, "name");
		if (!cJSON_IsString(name))
			continue;
		http_prom_labels_init(&l);
		http_prom_label(&l, "agent", name->valuestring);
		http_prom_sample(p, "", &l, cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(a, "installed")));
	}
}
