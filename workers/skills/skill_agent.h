/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_agent.h - the agent CLIs a skill runs through
 * SYNOPSIS
 *	int	skill_agent_lookup(const char *name);
 *	const char *skill_agent_name(int agent);
 *	const struct skill_agent_def *skill_agent_def(int agent);
 *	size_t	skill_agent_argv(int agent, const char *path,
 *		    const char *prompt, const char *model, char **argv,
 *		    size_t max);
 *	int	skill_agent_find(const char *path_list, int agent, char *out,
 *		    size_t outlen);
 *	cJSON	*skill_agent_status(const char *path_list,
 *		    const int running[SKILL_AGENT_COUNT]);
 * DESCRIPTION
 *	The table of docs/skills.md "Agents": each agent's command, how
 *	its argv is made and which variables a route sets.
 *
 *	skill_agent_argv fills argv (at most max pointers, NULL-terminated)
 *	for agent: argv[0] is path (the executable found), then the
 *	agent's fixed arguments, the model flag and model if model is not
 *	NULL, and the prompt as one argument, in the order of the table.
 *	The strings are not copied. It returns the count (without the
 *	NULL), or 0 if max is too small.
 *
 *	skill_agent_find looks the agent's command up in path_list (':'
 *	separated absolute folders; relative ones are skipped): the first
 *	regular file executable by us. out gets the path.
 *
 *	skill_agent_status is {"agents":[{"name","command","path",
 *	"installed","running"},...]} in table order; path is null when not
 *	installed; running[] is each agent's count (NULL: all 0).
 * DIAGNOSTICS
 *	skill_agent_lookup returns -1 for an unknown name; skill_agent_find
 *	returns 0, or -1 when not found.
 */
#ifndef CORRAL_SKILL_AGENT_H
#define CORRAL_SKILL_AGENT_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum skill_agent {
	SKILL_AGENT_CODEX,
	SKILL_AGENT_GEMINI,
	SKILL_AGENT_IFLOW,
	SKILL_AGENT_CLAUDE,
	SKILL_AGENT_COUNT
};

#define SKILL_AGENT_ARGV_MAX	16

struct skill_agent_def {
	const char	*name;		/* "codex" */
	const char	*command;	/* looked up in skills_agent_path */
	const char	*key_env;	/* the route's secret goes here */
	const char	*base_url_env;	/* the route's base_url */
};

int	skill_agent_lookup(const char *name);
const char *skill_agent_name(int agent);
const struct skill_agent_def *skill_agent_def(int agent);
size_t	skill_agent_argv(int agent, const char *path, const char *prompt,
	    const char *model, char **argv, size_t max);
int	skill_agent_find(const char *path_list, int agent, char *out,
	    size_t outlen);
cJSON	*skill_agent_status(const char *path_list,
	    const int running[SKILL_AGENT_COUNT]);

#endif
