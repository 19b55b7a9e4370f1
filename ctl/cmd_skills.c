/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_skills - corralctl skills and agents: the registry, the agent CLIs
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_skills_entry;
 *	extern const struct ctl_cmd cmd_agents_entry;
 * DESCRIPTION
 *	skills		GET /v1/skills: the table NAME AGENTS ROUTE
 *			TIMEOUT MAX INPUTS DESCRIPTION.
 *	skills NAME	GET /v1/skills/NAME: key: value lines, one per
 *			input, then the prompt.
 *	agents		GET /v1/agents: the table NAME COMMAND INSTALLED
 *			RUNNING PATH.
 *
 *	--json prints the server's JSON instead.
 * DIAGNOSTICS
 *	Usage errors exit 2 (runs_args.c). Error answers exit 1 with the
 *	server's message, no answer exits 3 (ctl_api.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_json.h"
#include "http_url.h"
#include "runs_args.h"
#include "skills_view.h"

static int	cmd_skills_run(struct ctl *, int, char **);
static int	cmd_skills_agents(struct ctl *, int, char **);

const struct ctl_cmd cmd_skills_entry = {
	.name = "skills",
	.args = "[NAME]",
	.summary = "list the skills, or show one with its prompt",
	.help =
	    "Without NAME, one line per skill of the registry (skills_dir):\n"
	    "NAME AGENTS ROUTE TIMEOUT MAX INPUTS DESCRIPTION. AGENTS are the\n"
	    "agent CLIs the skill runs with, the default first; TIMEOUT and\n"
	    "MAX (its max_running) are \"-\" when the skill leaves them to\n"
	    "the defaults; INPUTS marks a required input with '*'.\n"
	    "With NAME, every field of skill NAME, its inputs, and its\n"
	    "prompt.\n"
	    "\n"
	    "NAME: 1 to 64 of a-z 0-9 . _ -, starting with a letter or a\n"
	    "digit.\n"
	    "\n"
	    "Calls GET /v1/skills, GET /v1/skills/NAME.\n",
	.run = cmd_skills_run,
};

const struct ctl_cmd cmd_agents_entry = {
	.name = "agents",
	.args = "",
	.summary = "list the agent CLIs and whether each is installed",
	.help =
	    "One line per agent CLI skills run through (codex, gemini,\n"
	    "iflow, claude): NAME COMMAND INSTALLED RUNNING PATH. INSTALLED\n"
	    "says whether COMMAND is found in skills_agent_path, PATH where;\n"
	    "RUNNING is how many runs it has running now. A run for an agent\n"
	    "that is not installed is refused.\n"
	    "\n"
	    "Calls GET /v1/agents.\n",
	.run = cmd_skills_agents,
};

/* cmd_skills_table - GET path: its JSON with --json, else the table of its
 * member array */
static int
cmd_skills_table(struct ctl *ctl, const char *path, const char *member,
    int (*table)(FILE *, const cJSON *))
{
	cJSON	*json;
	int	 rc;

	if ((rc = ctl_api_fetch(ctl, "GET", path, &json)) != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (table(stdout, cJSON_GetObjectItemCaseSensitive(json,
	    member)) == -1) {
		ctl_errx("GET %s: the answer has no %s array", path, member);
		rc = CTL_EXIT_FAIL;
	}
	cJSON_Delete(json);
	return (rc);
}

/* cmd_skills_show - GET /v1/skills/NAME */
static int
cmd_skills_show(struct ctl *ctl, const char *name)
{
	cJSON	*json;
	char	*path;
	int	 rc;

	path = http_url_escape_in("/v1/skills/", name, "");
	rc = ctl_api_fetch(ctl, "GET", path, &json);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else
		skills_view_detail(stdout, json, isatty(STDOUT_FILENO));
	cJSON_Delete(json);
	return (CTL_EXIT_OK);
}

/* cmd_skills_args - parse, help printed: RUNS_ARGS_GO, or the exit code */
static int
cmd_skills_args(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, const char **name)
{
	int	rc;

	if ((rc = runs_args_skills(ctl, cmd, argc, argv, name)) ==
	    RUNS_ARGS_HELP) {
		ctl_help_command(stdout, cmd);
		return (CTL_EXIT_OK);
	}
	return (rc);
}

/* cmd_skills_run - skills [NAME] */
static int
cmd_skills_run(struct ctl *ctl, int argc, char **argv)
{
	const char	*name;
	int		 rc;

	if ((rc = cmd_skills_args(ctl, &cmd_skills_entry, argc, argv,
	    &name)) != RUNS_ARGS_GO)
		return (rc);
	if (name != NULL)
		return (cmd_skills_show(ctl, name));
	return (cmd_skills_table(ctl, "/v1/skills", "skills",
	    skills_view_table));
}

/* cmd_skills_agents - agents */
static int
cmd_skills_agents(struct ctl *ctl, int argc, char **argv)
{
	const char	*none;
	int		 rc;

	if ((rc = cmd_skills_args(ctl, &cmd_agents_entry, argc, argv,
	    &none)) != RUNS_ARGS_GO)
		return (rc);
	return (cmd_skills_table(ctl, "/v1/agents", "agents",
	    skills_view_agents));
}
