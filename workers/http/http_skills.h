/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_skills.h - the skill and agent endpoints of the http worker
 * SYNOPSIS
 *	void	http_skills_list(struct http_call *call);
 *	void	http_skills_get(struct http_call *call);
 *	void	http_skills_agents(struct http_call *call);
 * DESCRIPTION
 *	Route handlers for GET /v1/skills (MSG_SKILL_LIST), GET
 *	/v1/skills/{name} (MSG_SKILL_GET) and GET /v1/agents
 *	(MSG_AGENT_LIST); each asks the skills worker (PROC_SKILLS) and
 *	passes its answer on. The run endpoints are in http_runs.h.
 */
#ifndef CORRAL_HTTP_SKILLS_H
#define CORRAL_HTTP_SKILLS_H

#define HTTP_SKILLS_NAME_MAX	64	/* a skill's name (docs/skills.md) */
#define HTTP_SKILLS_WHO		"the skills worker"

struct http_call;

/* http_skills_list - GET /v1/skills */
void	http_skills_list(struct http_call *call);

/* http_skills_get - GET /v1/skills/{name} */
void	http_skills_get(struct http_call *call);

/* http_skills_agents - GET /v1/agents */
void	http_skills_agents(struct http_call *call);

#endif
