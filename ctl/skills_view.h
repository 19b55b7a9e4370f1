/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skills_view.h - show skills and agents for people
 * SYNOPSIS
 *	#include "skills_view.h"
 *
 *	int	skills_view_table(FILE *fp, const cJSON *skills);
 *	void	skills_view_detail(FILE *fp, const cJSON *skill, int clean);
 *	int	skills_view_agents(FILE *fp, const cJSON *agents);
 * DESCRIPTION
 *	The objects are those of the API (docs/skills.md): a skill of GET
 *	/v1/skills and /v1/skills/NAME, an agent of GET /v1/agents. Any
 *	member may be missing or null and shows as "-".
 *
 *	skills_view_table prints NAME AGENTS ROUTE TIMEOUT MAX INPUTS
 *	DESCRIPTION: the agents joined with ",", the default first; the
 *	timeout as 10m00s; MAX the skill's max_running; the inputs'
 *	names, a required one marked with '*'; the description's first
 *	line. -1 (nothing printed) if skills is not an array.
 *
 *	skills_view_detail prints one "key: value" line per member, one
 *	line per input (NAME TYPE, required, max N characters, its
 *	description), then an empty line and the prompt as it is. With
 *	clean set (a terminal) control characters in the prompt other
 *	than newline and tab print as '?'.
 *
 *	skills_view_agents prints NAME COMMAND INSTALLED RUNNING PATH. -1
 *	(nothing printed) if agents is not an array.
 */
#ifndef CORRAL_SKILLS_VIEW_H
#define CORRAL_SKILLS_VIEW_H

#include <stdio.h>

#include <cjson/cJSON.h>

/* skills_view_table - the skills table; -1 if not an array */
int	 skills_view_table(FILE *, const cJSON *);

/* skills_view_detail - one skill as key: value lines, then its prompt */
void	 skills_view_detail(FILE *, const cJSON *, int);

/* skills_view_agents - the agents table; -1 if not an array */
int	 skills_view_agents(FILE *, const cJSON *);

#endif
