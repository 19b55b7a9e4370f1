/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_skills - the skill and agent endpoints of the http worker
 * SYNOPSIS
 *	#include "http_skills.h"
 * DESCRIPTION
 *	The skills registry and the agent CLIs are the skills worker's
 *	(bus id PROC_SKILLS; docs/skills.md); each endpoint is one request
 *	to it, its answer passed on as it comes:
 *
 *	  GET /v1/skills		MSG_SKILL_LIST {}: 200 {"skills":
 *					[skill...]}
 *	  GET /v1/skills/{name}	MSG_SKILL_GET {"name"}: 200 the
 *					skill with its "prompt"
 *	  GET /v1/agents		MSG_AGENT_LIST {}: 200 {"agents":
 *					[agent...]}
 *
 *	The {name} segment is at most HTTP_SKILLS_NAME_MAX characters (the
 *	route table refuses a longer one with 404); whether a skill of
 *	that name exists is the skills worker's to say (404 not_found).
 *	Errors map through http_bus_status(); a skills worker that is
 *	down or not enabled is 503 unavailable (the master says so at
 *	once), one that does not answer in 5 seconds 504 timeout.
 * DIAGNOSTICS
 *	A malformed reply is logged by http_bus.c.
 */
#include <cjson/cJSON.h>

#include "frame.h"
#include "msg.h"
#include "proc.h"

#include "http_bus.h"
#include "http_call.h"
#include "http_reply.h"
#include "http_skills.h"

/* http_skills_list_done - the reply to MSG_SKILL_LIST */
static void
http_skills_list_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_SKILL_LIST,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_skills_list - GET /v1/skills */
void
http_skills_list(struct http_call *call)
{
	http_bus_ask(call, PROC_SKILLS, MSG_SKILL_LIST, NULL,
	    http_skills_list_done);
}

/* http_skills_get_done - the reply to MSG_SKILL_GET */
static void
http_skills_get_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_SKILL_GET,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_skills_get - GET /v1/skills/{name} */
void
http_skills_get(struct http_call *call)
{
	cJSON	*msg;

	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "name", call->arg);
	http_bus_ask(call, PROC_SKILLS, MSG_SKILL_GET, msg,
	    http_skills_get_done);
	cJSON_Delete(msg);
}

/* http_skills_agents_done - the reply to MSG_AGENT_LIST */
static void
http_skills_agents_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_AGENT_LIST,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_skills_agents - GET /v1/agents */
void
http_skills_agents(struct http_call *call)
{
	http_bus_ask(call, PROC_SKILLS, MSG_AGENT_LIST, NULL,
	    http_skills_agents_done);
}
