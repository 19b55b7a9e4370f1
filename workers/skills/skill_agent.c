/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_agent - the agent CLIs a skill runs through
 * SYNOPSIS
 *	#include "skill_agent.h"
 * DESCRIPTION
 *	skill_agent_table[] is docs/skills.md "Agents", one row per agent:
 *	its name and command, the arguments that come before the model
 *	flag, the model flag, the arguments between the model and the
 *	prompt, and the variables a route sets. skill_agent_argv lays a row
 *	out as
 *
 *	    path PRE... [MODEL_FLAG MODEL] POST... PROMPT
 *
 *	so that codex gives "codex exec --skip-git-repo-check --sandbox
 *	workspace-write [-m MODEL] PROMPT", gemini and iflow "--yolo [-m
 *	MODEL] -p PROMPT", and claude "-p --dangerously-skip-permissions
 *	[--model MODEL] PROMPT".
 *
 *	skill_agent_find walks a PATH-like list: relative or empty folders
 *	are skipped, a path too long for out is skipped, and the first
 *	regular file (symbolic links followed, as a shell would) that the
 *	effective ids may execute wins.
 * DIAGNOSTICS
 *	See skill_agent.h. Running out of memory while building the status
 *	is fatal.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "log.h"

#include "skill_agent.h"

#define SKILL_AGENT_FIXED_MAX	4	/* PRE or POST arguments of a row */

struct skill_agent_row {
	struct skill_agent_def	 def;
	const char		*pre[SKILL_AGENT_FIXED_MAX + 1];
	const char		*model_flag;
	const char		*post[SKILL_AGENT_FIXED_MAX + 1];
};

static const struct skill_agent_row skill_agent_table[SKILL_AGENT_COUNT] = {
	[SKILL_AGENT_CODEX] = {
		{ "codex", "codex", "OPENAI_API_KEY", "OPENAI_BASE_URL" },
		{ "exec", "--skip-git-repo-check", "--sandbox",
		    "workspace-write", NULL },
		"-m", { NULL } },
	[SKILL_AGENT_GEMINI] = {
		{ "gemini", "gemini", "GEMINI_API_KEY",
		    "GOOGLE_GEMINI_BASE_URL" },
		{ "--yolo", NULL }, "-m", { "-p", NULL } },
	[SKILL_AGENT_IFLOW] = {
		{ "iflow", "iflow", "IFLOW_API_KEY", "IFLOW_BASE_URL" },
		{ "--yolo", NULL }, "-m", { "-p", NULL } },
	[SKILL_AGENT_CLAUDE] = {
		{ "claude", "claude", "ANTHROPIC_API_KEY",
		    "ANTHROPIC_BASE_URL" },
		{ "-p", "--dangerously-skip-permissions", NULL },
		"--model", { NULL } },
};

/* skill_agent_lookup - the agent named name, or -1 */
int
skill_agent_lookup(const char *name)
{
	int	a;

	if (name == NULL)
		return (-1);
	for (a = 0; a < SKILL_AGENT_COUNT; a++)
		if (strcmp(skill_agent_table[a].def.name, name) == 0)
			return (a);
	return (-1);
}

/* skill_agent_def - the table row of agent, or NULL out of range */
const struct skill_agent_def *
skill_agent_def(int agent)
{
	if (agent < 0 || agent >= SKILL_AGENT_COUNT)
		return (NULL);
	return (&skill_agent_table[agent].def);
}

/* skill_agent_name - agent's name ("codex"), or NULL out of range */
const char *
skill_agent_name(int agent)
{
	const struct skill_agent_def	*d;

	return ((d = skill_agent_def(agent)) != NULL ? d->name : NULL);
}

/* skill_agent_argv - the agent's argv in argv; its count, or 0 */
size_t
skill_agent_argv(int agent, const char *path, const char *prompt,
    const char *model, char **argv, size_t max)
{
	const struct skill_agent_row	*r;
	const char			*v[SKILL_AGENT_ARGV_MAX];
	size_t				 n = 0, i;

	if (agent < 0 || agent >= SKILL_AGENT_COUNT || path == NULL ||
	    prompt == NULL || argv == NULL)
		return (0);
	r = &skill_agent_table[agent];
	v[n++] = path;
	for (i = 0; r->pre[i] != NULL; i++)
		v[n++] = r->pre[i];
	if (model != NULL) {
		v[n++] = r->model_flag;
		v[n++] = model;
	}
	for (i = 0; r->post[i] != NULL; i++)
		v[n++] = r->post[i];
	v[n++] = prompt;
	if (n + 1 > max)
		return (0);
	/* execv(3) takes char *const[]; the strings are never written */
	for (i = 0; i < n; i++)
		argv[i] = (char *)v[i];
	argv[n] = NULL;
	return (n);
}

/* skill_agent_find - the first executable command in path_list; 0 or -1 */
int
skill_agent_find(const char *path_list, int agent, char *out, size_t outlen)
{
	const struct skill_agent_def	*d;
	struct stat			 st;
	const char			*p;
	char				 buf[4096];
	size_t				 dirlen;
	int				 n;

	if ((d = skill_agent_def(agent)) == NULL || path_list == NULL)
		return (-1);
	for (p = path_list; *p != '\0'; p += dirlen + (p[dirlen] == ':')) {
		dirlen = strcspn(p, ":");
		if (dirlen == 0 || p[0] != '/')
			continue;
		n = snprintf(buf, sizeof(buf), "%.*s/%s", (int)dirlen, p,
		    d->command);
		if (n < 0 || (size_t)n >= sizeof(buf) || (size_t)n >= outlen)
			continue;
		if (stat(buf, &st) == -1 || !S_ISREG(st.st_mode) ||
		    faccessat(AT_FDCWD, buf, X_OK, AT_EACCESS) == -1)
			continue;
		memcpy(out, buf, (size_t)n + 1);
		return (0);
	}
	return (-1);
}

/* skill_agent_status - every agent: installed where, and running how many */
cJSON *
skill_agent_status(const char *path_list,
    const int running[SKILL_AGENT_COUNT])
{
	cJSON	*root, *list, *o;
	char	 path[4096];
	int	 a, found;

	if ((root = cJSON_CreateObject()) == NULL ||
	    (list = cJSON_AddArrayToObject(root, "agents")) == NULL)
		fatalx("%s: out of memory", __func__);
	for (a = 0; a < SKILL_AGENT_COUNT; a++) {
		found = skill_agent_find(path_list, a, path, sizeof(path)) == 0;
		if ((o = cJSON_CreateObject()) == NULL)
			fatalx("%s: out of memory", __func__);
		cJSON_AddItemToArray(list, o);
		if (cJSON_AddStringToObject(o, "name",
		    skill_agent_table[a].def.name) == NULL ||
		    cJSON_AddStringToObject(o, "command",
		    skill_agent_table[a].def.command) == NULL ||
		    (found ? cJSON_AddStringToObject(o, "path", path) :
		    cJSON_AddNullToObject(o, "path")) == NULL ||
		    cJSON_AddBoolToObject(o, "installed", found) == NULL ||
		    cJSON_AddNumberToObject(o, "running",
		    running != NULL ? running[a] : 0) == NULL)
			fatalx("%s: out of memory", __func__);
	}
	return (root);
}
