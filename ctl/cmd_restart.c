/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_restart - corralctl restart NAME: restart one worker gracefully
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_restart_entry;
 * DESCRIPTION
 *	POST /v1/workers/NAME/restart asks the master to stop the worker
 *	(SIGTERM, then SIGKILL after its deadline) and start it again; the
 *	answer (202) comes at once with the pid being stopped.
 *
 *	With --wait, poll GET /v1/workers/NAME until the worker is ready
 *	with another pid, or the --timeout given after the command runs
 *	out (30 s by default). Restarting the http worker takes the API
 *	itself away for a moment, so while waiting a refused connection
 *	or a 502/503/504 means "not yet", not failure.
 * DIAGNOSTICS
 *	A worker that turns "failed" while we wait is reported at once
 *	(exit 1); so is a timeout, with the last state seen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_fmt.h"
#include "ctl_json.h"
#include "http_url.h"

#define CMD_RESTART_WAIT	30.0	/* seconds, --wait deadline */
#define CMD_RESTART_POLL_MS	250

static int	cmd_restart_run(struct ctl *, int, char **);
static int	cmd_restart_wait(struct ctl *, const char *, const char *,
		    double, double, int);

const struct ctl_cmd cmd_restart_entry = {
	.name = "restart",
	.args = "[--wait] NAME",
	.summary = "restart one worker gracefully",
	.help =
	    "Ask the master to restart worker NAME: SIGTERM, SIGKILL after\n"
	    "its stop deadline, then a fresh start. The other workers keep\n"
	    "running.\n"
	    "Prints \"restarting NAME (pid N)\".\n"
	    "\n"
	    "Options:\n"
	    "  --wait          wait until NAME is ready again with a new pid,\n"
	    "                  then print \"NAME ready (pid M)\"\n"
	    "  --timeout SECS  after the command: how long --wait waits\n"
	    "                  (default 30); exit 1 when it runs out. Before\n"
	    "                  the command it is the connect/read timeout.\n"
	    "\n"
	    "With --json, prints the server's answer to the restart, or with\n"
	    "--wait the worker once it is ready.\n"
	    "\n"
	    "Calls POST /v1/workers/NAME/restart (the admin token is needed),\n"
	    "and with --wait GET /v1/workers/NAME.\n",
	.run = cmd_restart_run,
};

/*
 * cmd_restart_wait - poll until name is ready with a pid other than
 * oldpid; failed_ok says a "failed" state may still be the old one.
 */
static int
cmd_restart_wait(struct ctl *ctl, const char *name, const char *path,
    double oldpid, double wait, int failed_ok)
{
	struct ctl_reply	 rep;
	const char		*state;
	char			 last[300] = "no answer yet";
	double			 deadline, left, pid, timeout = ctl->timeout;
	int			 rc;

	deadline = ctl_time_now() + wait;
	for (;;) {
		left = deadline - ctl_time_now();
		ctl->timeout = left < timeout ? (left > 0.001 ? left : 0.001) :
		    timeout;
		rc = ctl_api_call(ctl, "GET", path, CTL_API_QUIET, &rep);
		ctl->timeout = timeout;
		if (rc == CTL_EXIT_USAGE) {
			ctl_api_reply_free(&rep);
			return (rc);
		}
		if (rc != CTL_EXIT_OK)
			snprintf(last, sizeof(last), "%s", rep.err);
		else if (rep.status == 502 || rep.status == 503 ||
		    rep.status == 504)
			snprintf(last, sizeof(last), "HTTP %d", rep.status);
		else if (rep.status != 200 || !cJSON_IsObject(rep.json)) {
			rc = ctl_api_check(ctl, &rep);
			ctl_api_reply_free(&rep);
			return (rc == CTL_EXIT_OK ? CTL_EXIT_FAIL : rc);
		} else {
			state = ctl_json_str(rep.json, "state");
			if (ctl_json_num(rep.json, "pid", &pid) == -1)
				pid = 0;
			snprintf(last, sizeof(last), "state %s, pid %.0f",
			    state != NULL ? state : "?", pid);
			if (state != NULL && strcmp(state, "ready") == 0 &&
			    pid > 0 && pid != oldpid) {
				if (ctl->json)
					ctl_json_print(stdout, rep.json);
				else
					printf("%s ready (pid %.0f)\n", name,
					    pid);
				ctl_api_reply_free(&rep);
				return (CTL_EXIT_OK);
			}
			if (state != NULL && strcmp(state, "failed") == 0 &&
			    !failed_ok) {
				state = ctl_json_str(rep.json, "last_exit");
				ctl_errx("%s failed (last exit: %s)", name,
				    state != NULL ? state : "unknown");
				ctl_api_reply_free(&rep);
				return (CTL_EXIT_FAIL);
			}
			if (state == NULL || strcmp(state, "failed") != 0)
				failed_ok = 0;	/* any failed from now is new */
		}
		ctl_api_reply_free(&rep);
		left = deadline - ctl_time_now();
		if (left <= 0)
			break;
		ctl_time_sleep(left < CMD_RESTART_POLL_MS / 1000.0 ? left :
		    CMD_RESTART_POLL_MS / 1000.0);
	}
	ctl_errx("timed out after %gs waiting for %s to be ready (last: %s)",
	    wait, name, last);
	return (CTL_EXIT_FAIL);
}

/* cmd_restart_run - parse arguments, ask, maybe wait */
static int
cmd_restart_run(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd	*cmd = &cmd_restart_entry;
	const char		*name = NULL, *val, *state;
	cJSON			*json;
	char			*esc, *path, *wpath, *cname;
	double			 wait = CMD_RESTART_WAIT, pid;
	int			 i, r, rc, dowait = 0, opts = 1, failed_ok;

	for (i = 0; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (!opts || argv[i][0] != '-' || argv[i][1] == '\0') {
			if (name != NULL)
				return (ctl_usage(cmd,
				    "unexpected argument '%s'", argv[i]));
			name = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--wait") == 0) {
			dowait = 1;
			continue;
		}
		if ((r = ctl_opt_value(cmd, argc, argv, &i, "--timeout",
		    &val)) != 0) {
			if (r == -1 || ctl_opt_seconds(cmd, "--timeout", val,
			    &wait) == -1)
				return (CTL_EXIT_USAGE);
			continue;
		}
		switch (ctl_opt_global(ctl, cmd, argc, argv, &i)) {
		case CTL_OPT_TAKEN:
			continue;
		case CTL_OPT_HELP:
			ctl_help_command(stdout, cmd);
			return (CTL_EXIT_OK);
		case CTL_OPT_ERROR:
			return (CTL_EXIT_USAGE);
		default:
			return (ctl_usage(cmd, "unknown option '%s'", argv[i]));
		}
	}
	if (name == NULL || *name == '\0')
		return (ctl_usage(cmd, "missing worker name"));

	esc = http_url_escape(name);
	xasprintf(&path, "/v1/workers/%s/restart", esc);
	xasprintf(&wpath, "/v1/workers/%s", esc);
	free(esc);
	cname = ctl_fmt_clean(name);
	rc = ctl_api_fetch(ctl, "POST", path, &json);
	if (rc != CTL_EXIT_OK)
		goto out;
	if (ctl_json_num(json, "pid", &pid) == -1)
		pid = 0;
	state = ctl_json_str(json, "state");
	failed_ok = state != NULL && strcmp(state, "failed") == 0;
	if (ctl->json && !dowait)
		ctl_json_print(stdout, json);
	else if (!ctl->json && pid > 0)
		printf("restarting %s (pid %.0f)\n", cname, pid);
	else if (!ctl->json)
		printf("restarting %s (not running)\n", cname);
	cJSON_Delete(json);
	if (dowait) {
		fflush(stdout);
		rc = cmd_restart_wait(ctl, cname, wpath, pid, wait, failed_ok);
	}
out:
	free(cname);
	free(path);
	free(wpath);
	return (rc);
}
