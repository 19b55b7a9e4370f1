/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_runs - corralctl runs and run: list, show, logs, cancel, submit
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_runs_entry;
 *	extern const struct ctl_cmd cmd_run_entry;
 * DESCRIPTION
 *	runs [list]	GET /v1/runs[?state=S&skill=K&limit=N]: the table ID
 *			STATE SKILL AGENT CREATED DURATION EXIT, newest
 *			first, then the counts per state on one line.
 *	runs show ID	GET /v1/runs/ID: key: value lines, the input too.
 *	runs logs ID	GET /v1/runs/ID/logs[?tail=N]: the text as it comes.
 *	runs cancel ID	POST /v1/runs/ID/cancel: the run's state line.
 *	run SKILL	POST /v1/runs with {"skill","agent","route","input",
 *			"timeout_s"} from the options: the run's state line.
 *			With --wait, then GET /v1/runs/ID every 200 ms, one
 *			state line for each new state, until the run has
 *			ended: exit 0 if it succeeded, 1 otherwise. While
 *			waiting, a refused connection or a 502, 503 or 504 is
 *			"not yet" (corral restarting: the run is kept), as
 *			for engines launch.
 *
 *	--json prints the server's JSON instead (for run --wait, the run
 *	once it has ended, and no state lines); logs is text.
 * DIAGNOSTICS
 *	Usage errors exit 2 (runs_args.c). Error answers exit 1 with the
 *	server's message, no answer exits 3 (ctl_api.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_json.h"
#include "runs_args.h"
#include "runs_view.h"

#define CMD_RUNS_POLL	0.2	/* seconds between --wait polls */
#define CMD_RUNS_QUERY	128	/* ?state=...&skill=...&limit=... */

static int	cmd_runs_runs_cmd(struct ctl *, int, char **);
static int	cmd_runs_run_cmd(struct ctl *, int, char **);

const struct ctl_cmd cmd_runs_entry = {
	.name = "runs",
	.args = "[SUBCOMMAND]",
	.summary = "skill runs: list, show, logs, cancel",
	.help =
	    "  runs [list] [--state S] [--skill K] [--limit N]\n"
	    "      ID STATE SKILL AGENT CREATED DURATION EXIT of the newest\n"
	    "      runs (N, 1 to 1000, default 100), then how many runs are\n"
	    "      in each state. S is queued, running, succeeded, failed,\n"
	    "      timed_out or canceled; K a skill's name.\n"
	    "  runs show ID\n"
	    "      every field of run ID, its input too.\n"
	    "  runs logs ID [--tail N|all]\n"
	    "      the agent's output (the last 100 lines unless --tail; at\n"
	    "      most 1 MiB from the end).\n"
	    "  runs cancel ID\n"
	    "      cancel run ID (admin token): a queued run at once, a\n"
	    "      running one once its agent is gone.\n"
	    "\n"
	    "ID: 16 lowercase hex digits. --timeout is the connect and read\n"
	    "timeout.\n"
	    "\n"
	    "Calls GET /v1/runs, GET /v1/runs/ID, GET /v1/runs/ID/logs,\n"
	    "POST /v1/runs/ID/cancel.\n",
	.run = cmd_runs_runs_cmd,
};

const struct ctl_cmd cmd_run_entry = {
	.name = "run",
	.args = "SKILL [OPTIONS]",
	.summary = "run a skill",
	.help =
	    "  run SKILL [--agent A] [--route R | --no-route] [--input JSON]\n"
	    "      [--timeout SECS] [--wait]\n"
	    "      submit a run of skill SKILL (admin token) and print its\n"
	    "      state line. --agent is codex, gemini, iflow or claude (one\n"
	    "      of the skill's; default its first). --route names the\n"
	    "      route (model, key, base URL) the agent uses, --no-route\n"
	    "      none; default the skill's. --input is the run's input, one\n"
	    "      JSON object ({\"text\":\"...\"}; default {}). --timeout is\n"
	    "      the seconds the run may take (1 to 86400; default the\n"
	    "      skill's). --wait then waits until the run has ended,\n"
	    "      printing each new state, and exits 0 if it succeeded, 1 if\n"
	    "      it failed, timed out or was canceled; interrupting\n"
	    "      corralctl stops the wait, not the run.\n"
	    "\n"
	    "SKILL: 1 to 64 of a-z 0-9 . _ -, starting with a letter or a\n"
	    "digit. The input is sent to corral and stored with the run;\n"
	    "mind that a value on the command line shows in ps.\n"
	    "\n"
	    "Calls POST /v1/runs, then GET /v1/runs/ID with --wait.\n",
	.run = cmd_runs_run_cmd,
};

/* cmd_runs_path - "/v1/runs/ID" and tail; caller frees */
static char *
cmd_runs_path(const char *id, const char *tail)
{
	char	*path;

	/* an id is 16 lowercase hex digits (runs_args.c): no escaping */
	xasprintf(&path, "/v1/runs/%s%s", id, tail);
	return (path);
}

/* cmd_runs_print_line - the run's state line on stdout */
static void
cmd_runs_print_line(const cJSON *run)
{
	char	*line;

	line = runs_view_line(run, time(NULL));
	printf("%s\n", line);
	fflush(stdout);
	free(line);
}

/* cmd_runs_param - append ?key=val or &key=val to path, unless val NULL */
static void
cmd_runs_param(char *path, size_t len, const char *key, const char *val)
{
	size_t	n = strlen(path);

	if (val != NULL)
		snprintf(path + n, len - n, "%c%s=%s", strchr(path, '?') !=
		    NULL ? '&' : '?', key, val);
}

/* cmd_runs_list - GET /v1/runs[?state=S&skill=K&limit=N] */
static int
cmd_runs_list(struct ctl *ctl, const struct runs_args *a)
{
	cJSON	*json;
	char	 path[sizeof("/v1/runs") + CMD_RUNS_QUERY] = "/v1/runs";
	char	 limit[32];
	int	 rc;

	/* the values are checked words (runs_args.c): no escaping */
	snprintf(limit, sizeof(limit), "%ld", a->limit);
	cmd_runs_param(path, sizeof(path), "state", a->state);
	cmd_runs_param(path, sizeof(path), "skill", a->skill);
	cmd_runs_param(path, sizeof(path), "limit", a->limit > 0 ? limit :
	    NULL);
	if ((rc = ctl_api_fetch(ctl, "GET", path, &json)) != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (runs_view_table(stdout, cJSON_GetObjectItemCaseSensitive(json,
	    "runs"), time(NULL)) == -1) {
		ctl_errx("GET /v1/runs: the answer has no runs array");
		rc = CTL_EXIT_FAIL;
	} else
		runs_view_counts(stdout, cJSON_GetObjectItemCaseSensitive(json,
		    "counts"));
	cJSON_Delete(json);
	return (rc);
}

/* cmd_runs_one - runs show (GET /v1/runs/ID) or cancel (POST
 * /v1/runs/ID/cancel): the run's detail lines, or its state line */
static int
cmd_runs_one(struct ctl *ctl, const struct runs_args *a)
{
	cJSON	*json;
	char	*path;
	int	 cancel = a->sub == RUNS_CANCEL, rc;

	path = cmd_runs_path(a->id, cancel ? "/cancel" : "");
	rc = ctl_api_fetch(ctl, cancel ? "POST" : "GET", path, &json);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (cancel)
		cmd_runs_print_line(json);
	else
		runs_view_detail(stdout, json, time(NULL));
	cJSON_Delete(json);
	return (CTL_EXIT_OK);
}

/* cmd_runs_logs - GET /v1/runs/ID/logs[?tail=N], to stdout */
static int
cmd_runs_logs(struct ctl *ctl, const struct runs_args *a)
{
	char	*path, query[64];
	int	 rc;

	/* --tail is digits or "all" (runs_args.c): nothing to escape */
	snprintf(query, sizeof(query), "/logs%s%s", a->tail != NULL ?
	    "?tail=" : "", a->tail != NULL ? a->tail : "");
	path = cmd_runs_path(a->id, query);
	rc = ctl_api_log(ctl, path);
	free(path);
	return (rc);
}

/* cmd_runs_wait - poll until the run has ended; 0 if it succeeded */
static int
cmd_runs_wait(struct ctl *ctl, cJSON *run)
{
	const char	*id, *state;
	char		*path, *shown = NULL;
	int		 rc, r;

	if ((id = ctl_json_str(run, "id")) == NULL || !runs_args_id_ok(id)) {
		ctl_errx("POST /v1/runs: the answer has no run id");
		cJSON_Delete(run);
		return (CTL_EXIT_FAIL);
	}
	path = cmd_runs_path(id, "");
	for (;;) {
		state = ctl_json_str(run, "state");
		if (!ctl->json && state != NULL && (shown == NULL ||
		    strcmp(state, shown) != 0))
			cmd_runs_print_line(run);
		if (state != NULL) {
			free(shown);
			shown = xstrdup(state);
		}
		if (runs_view_terminal(state)) {
			if (ctl->json)
				ctl_json_print(stdout, run);
			rc = strcmp(state, "succeeded") == 0 ? CTL_EXIT_OK :
			    CTL_EXIT_FAIL;
			break;
		}
		ctl_time_sleep(CMD_RUNS_POLL);
		if ((r = ctl_api_poll(ctl, path, &run, NULL, 0)) < 0) {
			rc = -r;
			break;
		}
	}
	free(shown);
	free(path);
	cJSON_Delete(run);
	return (rc);
}

/* cmd_runs_submit - POST /v1/runs, then wait with --wait */
static int
cmd_runs_submit(struct ctl *ctl, const struct runs_args *a)
{
	cJSON	*body, *run;
	char	*s;
	int	 rc;

	body = runs_args_body(a);
	s = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (s == NULL) {
		ctl_errx("cannot encode the request");
		return (CTL_EXIT_FAIL);
	}
	rc = ctl_api_send(ctl, "POST", "/v1/runs", s, strlen(s), &run);
	explicit_bzero(s, strlen(s));	/* the input may hold credentials */
	cJSON_free(s);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (a->wait)
		return (cmd_runs_wait(ctl, run));
	if (ctl->json)
		ctl_json_print(stdout, run);
	else
		cmd_runs_print_line(run);
	cJSON_Delete(run);
	return (CTL_EXIT_OK);
}

/* cmd_runs_go - parse for runs (submit 0) or run (1), then act */
static int
cmd_runs_go(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, int submit)
{
	struct runs_args	a;
	int			rc;

	rc = runs_args_parse(ctl, cmd, argc, argv, submit, &a);
	if (rc == RUNS_ARGS_HELP) {
		ctl_help_command(stdout, cmd);
		rc = CTL_EXIT_OK;
	} else if (rc == RUNS_ARGS_GO) {
		switch (a.sub) {
		case RUNS_SHOW:
		case RUNS_CANCEL:
			rc = cmd_runs_one(ctl, &a);
			break;
		case RUNS_LOGS:
			rc = cmd_runs_logs(ctl, &a);
			break;
		case RUNS_SUBMIT:
			rc = cmd_runs_submit(ctl, &a);
			break;
		default:
			rc = cmd_runs_list(ctl, &a);
			break;
		}
	}
	runs_args_free(&a);
	return (rc);
}

/* cmd_runs_runs_cmd - corralctl runs ... */
static int
cmd_runs_runs_cmd(struct ctl *ctl, int argc, char **argv)
{
	return (cmd_runs_go(ctl, &cmd_runs_entry, argc, argv, 0));
}

/* cmd_runs_run_cmd - corralctl run SKILL ... */
static int
cmd_runs_run_cmd(struct ctl *ctl, int argc, char **argv)
{
	return (cmd_runs_go(ctl, &cmd_run_entry, argc, argv, 1));
}
