/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_args - the command lines of corralctl skills, runs and run
 * SYNOPSIS
 *	See runs_args.h.
 * DESCRIPTION
 *	Options may come before or after the subcommand and the name or
 *	id, each as "--opt VALUE" or "--opt=VALUE"; "--" ends the options
 *	(ctl_opt_scan walks them). They are collected first and checked
 *	against the subcommand once it is known, as engines_args.c does,
 *	so "runs logs ID --state x" is refused by name.
 *
 *	Values are checked here as far as the client can know them, so
 *	that a typo is a usage error naming the option before anything is
 *	sent: a run's id (16 lowercase hex digits), a skill's name, --state
 *	(one of the six states of docs/skills.md), --limit (1 to 1000),
 *	--tail (0 to 10000 or all), --agent (codex, gemini, iflow or
 *	claude), --route (a route's name; --no-route for none, not with
 *	--route), --input (one JSON object) and run's --timeout (1 to
 *	86400 whole seconds). The skills worker checks the rest (that the
 *	skill exists and takes the agent, the route, the input against
 *	the skill's inputs).
 * DIAGNOSTICS
 *	One usage line through ctl_usage: "corralctl: runs: --limit: '0'
 *	is not a number of runs from 1 to 1000 (see corralctl runs
 *	--help)".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl.h"
#include "runs_args.h"

#define RA_SUB(s)	(1 << (s))
#define RA_LIST		RA_SUB(RUNS_LIST)
#define RA_SUBMIT	RA_SUB(RUNS_SUBMIT)
#define RA_ALL		0x1f

enum runs_args_id {
	RA_STATE, RA_SKILL, RA_LIMIT, RA_TAIL, RA_AGENT, RA_ROUTE,
	RA_NO_ROUTE, RA_INPUT, RA_WAIT, RA_TIMEOUT, RA_NOPTS
};

static const struct ctl_opt_def runs_args_opts[RA_NOPTS] = {
	[RA_STATE] = { "--state", CTL_OPT_VALUE, RA_LIST },
	[RA_SKILL] = { "--skill", CTL_OPT_VALUE, RA_LIST },
	[RA_LIMIT] = { "--limit", CTL_OPT_VALUE, RA_LIST },
	[RA_TAIL] = { "--tail", CTL_OPT_VALUE, RA_SUB(RUNS_LOGS) },
	[RA_AGENT] = { "--agent", CTL_OPT_VALUE, RA_SUBMIT },
	[RA_ROUTE] = { "--route", CTL_OPT_VALUE, RA_SUBMIT },
	[RA_NO_ROUTE] = { "--no-route", CTL_OPT_FLAG, RA_SUBMIT },
	[RA_INPUT] = { "--input", CTL_OPT_VALUE, RA_SUBMIT },
	[RA_WAIT] = { "--wait", CTL_OPT_FLAG, RA_SUBMIT },
	[RA_TIMEOUT] = { "--timeout", CTL_OPT_VALUE, RA_ALL },
};

static const char *const runs_args_subs[] = {
	[RUNS_LIST] = "list",
	[RUNS_SHOW] = "show",
	[RUNS_LOGS] = "logs",
	[RUNS_CANCEL] = "cancel",
};

#define RUNS_ARGS_NSUBS	(sizeof(runs_args_subs) / sizeof(runs_args_subs[0]))

static const char *const runs_args_states[] = {
	"queued", "running", "succeeded", "failed", "timed_out", "canceled"
};

static const char *const runs_args_agents[] = {
	"codex", "gemini", "iflow", "claude"
};

/* what the options and words gave, before the subcommand is known */
struct runs_args_seen {
	struct runs_args	*a;		/* being filled */
	const char		*val[RA_NOPTS];
	int			 given[RA_NOPTS];
	const char		*name;		/* the id, or run's skill */
	int			 have_sub;
};

/* runs_args_one_of - is s one of the n words of list? */
static int
runs_args_one_of(const char *s, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return (1);
	return (0);
}

/* runs_args_id_ok - 1 for 16 lowercase hex digits */
int
runs_args_id_ok(const char *id)
{
	size_t	i;

	for (i = 0; i < RUNS_ARGS_ID_LEN; i++)
		if (!isdigit((unsigned char)id[i]) &&
		    (id[i] < 'a' || id[i] > 'f'))
			return (0);
	return (id[i] == '\0');
}

/* runs_args_skill_ok - 1 for a skill's name */
int
runs_args_skill_ok(const char *name)
{
	size_t	i;

	if (!islower((unsigned char)name[0]) &&
	    !isdigit((unsigned char)name[0]))
		return (0);
	for (i = 0; name[i] != '\0'; i++)
		if (i == RUNS_ARGS_NAME_MAX ||
		    (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-'))
			return (0);
	return (1);
}

/* runs_args_route_ok - 1 for a route's name */
int
runs_args_route_ok(const char *name)
{
	size_t	i;

	if (name[0] == '\0')
		return (0);
	for (i = 0; name[i] != '\0'; i++)
		if (i == RUNS_ARGS_NAME_MAX ||
		    (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-'))
			return (0);
	return (1);
}

/* runs_args_opt - one option at argv[*i]: 1 taken, 0 not ours, -1 */
static int
runs_args_opt(const struct ctl_cmd *cmd, int argc, char **argv, int *i,
    void *arg)
{
	struct runs_args_seen	*seen = arg;
	int			 id;

	return (ctl_opt_table(cmd, argc, argv, i, runs_args_opts, RA_NOPTS,
	    seen->given, seen->val, &id));
}

/* runs_args_word - the subcommand, then the id or the skill: 0, usage */
static int
runs_args_word(const struct ctl_cmd *cmd, const char *w, void *arg)
{
	struct runs_args_seen	*seen = arg;
	struct runs_args	*a = seen->a;
	size_t			 i;

	if (!seen->have_sub) {
		for (i = 0; i < RUNS_ARGS_NSUBS; i++)
			if (strcmp(w, runs_args_subs[i]) == 0) {
				a->sub = (int)i;
				seen->have_sub = 1;
				return (0);
			}
		return (ctl_usage(cmd, "unknown subcommand '%s' (list, show, "
		    "logs or cancel)", w));
	}
	if (seen->name != NULL || a->sub == RUNS_LIST)
		return (ctl_usage(cmd, "unexpected argument '%s'", w));
	seen->name = w;
	return (0);
}

/* runs_args_names - the id or the skill the subcommand takes: 0, usage */
static int
runs_args_names(const struct ctl_cmd *cmd, const struct runs_args_seen *seen,
    struct runs_args *a)
{
	if (a->sub == RUNS_SUBMIT) {
		if ((a->skill = seen->name) == NULL)
			return (ctl_usage(cmd, "missing skill name"));
		if (!runs_args_skill_ok(a->skill))
			return (ctl_usage(cmd, "'%s' is not a skill name (1 to "
			    "64 of a-z 0-9 . _ -, starting with a letter or a "
			    "digit)", a->skill));
		return (0);
	}
	if (a->sub == RUNS_LIST)
		return (0);
	if ((a->id = seen->name) == NULL)
		return (ctl_usage(cmd, "%s: missing run id",
		    runs_args_subs[a->sub]));
	if (!runs_args_id_ok(a->id))
		return (ctl_usage(cmd, "'%s' is not a run id (16 lowercase hex "
		    "digits)", a->id));
	return (0);
}

/* runs_args_list - --state, --skill, --limit: 0, or usage */
static int
runs_args_list(const struct ctl_cmd *cmd, const struct runs_args_seen *seen,
    struct runs_args *a)
{
	if ((a->state = seen->val[RA_STATE]) != NULL &&
	    !runs_args_one_of(a->state, runs_args_states,
	    sizeof(runs_args_states) / sizeof(runs_args_states[0])))
		return (ctl_usage(cmd, "--state: '%s' is not queued, running, "
		    "succeeded, failed, timed_out or canceled", a->state));
	if ((a->skill = seen->val[RA_SKILL]) != NULL &&
	    !runs_args_skill_ok(a->skill))
		return (ctl_usage(cmd, "--skill: '%s' is not a skill name",
		    a->skill));
	if (seen->val[RA_LIMIT] != NULL && ctl_opt_long(seen->val[RA_LIMIT],
	    1, RUNS_ARGS_LIMIT_MAX, &a->limit) == -1)
		return (ctl_usage(cmd, "--limit: '%s' is not a number of runs "
		    "from 1 to %d", seen->val[RA_LIMIT], RUNS_ARGS_LIMIT_MAX));
	return (0);
}

/* runs_args_submit - --agent, --route, --input, --timeout: 0, or usage */
static int
runs_args_submit(const struct ctl_cmd *cmd, const struct runs_args_seen *seen,
    struct runs_args *a)
{
	const char	*t = seen->val[RA_TIMEOUT];

	if ((a->agent = seen->val[RA_AGENT]) != NULL &&
	    !runs_args_one_of(a->agent, runs_args_agents,
	    sizeof(runs_args_agents) / sizeof(runs_args_agents[0])))
		return (ctl_usage(cmd, "--agent: '%s' is not codex, gemini, "
		    "iflow or claude", a->agent));
	if (seen->given[RA_ROUTE] && seen->given[RA_NO_ROUTE])
		return (ctl_usage(cmd, "--route and --no-route cannot be used "
		    "together"));
	if ((a->route = seen->val[RA_ROUTE]) != NULL &&
	    !runs_args_route_ok(a->route))
		return (ctl_usage(cmd, "--route: '%s' is not a route name (1 "
		    "to 64 letters, digits, '.', '_', '-')", a->route));
	a->no_route = seen->given[RA_NO_ROUTE];
	a->wait = seen->given[RA_WAIT];
	if (t != NULL && ctl_opt_long(t, 1, RUNS_ARGS_TIMEOUT_MAX,
	    &a->timeout) == -1)
		return (ctl_usage(cmd, "--timeout: '%s' is not a whole number "
		    "of seconds from 1 to %d", t, RUNS_ARGS_TIMEOUT_MAX));
	if (seen->val[RA_INPUT] != NULL) {
		a->input = cJSON_ParseWithOpts(seen->val[RA_INPUT], NULL, 1);
		if (!cJSON_IsObject(a->input))
			return (ctl_usage(cmd, "--input: not a JSON object"));
	}
	return (0);
}

/* runs_args_check - the options against the subcommand; 0 or usage */
static int
runs_args_check(struct ctl *ctl, const struct ctl_cmd *cmd,
    const struct runs_args_seen *seen, struct runs_args *a)
{
	if (ctl_opt_not_of(cmd, runs_args_opts, RA_NOPTS, seen->given, a->sub,
	    a->sub == RUNS_SUBMIT ? "run" : runs_args_subs[a->sub]) != 0 ||
	    runs_args_names(cmd, seen, a) != 0)
		return (CTL_EXIT_USAGE);
	if (a->sub == RUNS_SUBMIT)
		return (runs_args_submit(cmd, seen, a));
	if (seen->val[RA_TIMEOUT] != NULL && ctl_opt_seconds(cmd, "--timeout",
	    seen->val[RA_TIMEOUT], &ctl->timeout) == -1)
		return (CTL_EXIT_USAGE);
	if ((a->tail = seen->val[RA_TAIL]) != NULL &&
	    ctl_opt_tail(cmd, a->tail, RUNS_ARGS_TAIL_MAX) != 0)
		return (CTL_EXIT_USAGE);
	return (runs_args_list(cmd, seen, a));
}

/* runs_args_parse - RUNS_ARGS_GO, RUNS_ARGS_HELP or CTL_EXIT_USAGE */
int
runs_args_parse(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, int submit, struct runs_args *a)
{
	struct runs_args_seen	seen;

	memset(a, 0, sizeof(*a));
	memset(&seen, 0, sizeof(seen));
	a->sub = submit ? RUNS_SUBMIT : RUNS_LIST;
	a->timeout = -1;
	seen.a = a;
	seen.have_sub = submit;
	switch (ctl_opt_scan(ctl, cmd, argc, argv, runs_args_opt,
	    runs_args_word, &seen)) {
	case CTL_OPT_HELP:
		return (RUNS_ARGS_HELP);
	case CTL_OPT_ERROR:
		return (CTL_EXIT_USAGE);
	default:
		break;
	}
	if (runs_args_check(ctl, cmd, &seen, a) != 0)
		return (CTL_EXIT_USAGE);
	return (RUNS_ARGS_GO);
}

/* runs_args_skill_word - the skill's name of skills: 0, or usage */
static int
runs_args_skill_word(const struct ctl_cmd *cmd, const char *w, void *arg)
{
	const char	**name = arg;

	if (*name != NULL || strcmp(cmd->name, "skills") != 0)
		return (ctl_usage(cmd, "unexpected argument '%s'", w));
	if (!runs_args_skill_ok(w))
		return (ctl_usage(cmd, "'%s' is not a skill name (1 to 64 of "
		    "a-z 0-9 . _ -, starting with a letter or a digit)", w));
	*name = w;
	return (0);
}

/* runs_args_skills - [NAME] of skills: RUNS_ARGS_GO, _HELP or usage */
int
runs_args_skills(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, const char **name)
{
	*name = NULL;
	switch (ctl_opt_scan(ctl, cmd, argc, argv, NULL, runs_args_skill_word,
	    name)) {
	case CTL_OPT_HELP:
		return (RUNS_ARGS_HELP);
	case CTL_OPT_ERROR:
		return (CTL_EXIT_USAGE);
	default:
		return (RUNS_ARGS_GO);
	}
}

/* runs_args_free - free what parsing built */
void
runs_args_free(struct runs_args *a)
{
	cJSON_Delete(a->input);
	a->input = NULL;
}

/* runs_args_body - the POST /v1/runs request; the caller deletes it */
cJSON *
runs_args_body(const struct runs_args *a)
{
	cJSON	*body;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "skill", a->skill);
	if (a->agent != NULL)
		cJSON_AddStringToObject(body, "agent", a->agent);
	if (a->route != NULL)
		cJSON_AddStringToObject(body, "route", a->route);
	else if (a->no_route)
		cJSON_AddNullToObject(body, "route");
	if (a->input != NULL)
		cJSON_AddItemReferenceToObject(body, "input", a->input);
	if (a->timeout > 0)
		cJSON_AddNumberToObject(body, "timeout_s", (double)a->timeout);
	return (body);
}
