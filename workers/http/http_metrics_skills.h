/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_skills.h - the run and agent families of /metrics
 * SYNOPSIS
 *	void	http_metrics_skills_runs(struct http_prom *p,
 *		    const cJSON *list);
 *	void	http_metrics_skills_agents(struct http_prom *p,
 *		    const cJSON *list);
 * DESCRIPTION
 *	http_metrics_skills_runs writes the family made from one
 *	MSG_RUN_LIST reply ({"runs":[],"counts":{...}}, docs/skills.md;
 *	asked with {"limit":1}, the least it takes: only the counts are
 *	used):
 *
 *	  corral_runs{state}			gauge, runs per state
 *						(the six states of
 *						docs/skills.md, 0 included)
 *
 *	http_metrics_skills_agents writes the family made from one
 *	MSG_AGENT_LIST reply ({"agents":[...]}):
 *
 *	  corral_agents_installed{agent}	gauge, 1 if the agent CLI
 *						is installed, else 0
 *
 *	A reply without a "counts" object, or without an "agents" array,
 *	writes nothing.
 */
#ifndef CORRAL_HTTP_METRICS_SKILLS_H
#define CORRAL_HTTP_METRICS_SKILLS_H

#include <cjson/cJSON.h>

#include "http_prom.h"

/* http_metrics_skills_runs - corral_runs{state} */
void	http_metrics_skills_runs(struct http_prom *p, const cJSON *list);

/* http_metrics_skills_agents - corral_agents_installed{agent} */
void	http_metrics_skills_agents(struct http_prom *p, const cJSON *list);

#endif
