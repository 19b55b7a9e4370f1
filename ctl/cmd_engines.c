/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_engines - corralctl engines: list, show, launch, logs, delete
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_engines_entry;
 * DESCRIPTION
 *	list	GET /v1/engines: the table NAME ENGINE STATE PORT GPUS UPTIME
 *		IMAGE, after a line on stderr when Docker is unreachable.
 *	show	GET /v1/engines/NAME: key: value lines; a failed engine's
 *		last error and log lines.
 *	launch	POST /v1/engines, then, unless --no-wait, GET
 *		/v1/engines/NAME every half second, one line for each new
 *		state or progress with the time since the launch began,
 *		until the engine is ready (exit 0), fails (its last error
 *		and log lines, exit 1) or --timeout runs out (exit 1: the
 *		engine goes on loading). While waiting, a refused connection
 *		or a 502, 503 or 504 is "not yet", as for restart --wait.
 *	logs	GET /v1/engines/NAME/logs: the text as it comes; with -f
 *		until the server ends the answer (the container stopped or
 *		the engine was deleted).
 *	delete	DELETE /v1/engines/NAME: "deleted NAME". The read timeout
 *		grows to cover the stop timeout the server waits.
 *
 *	--json prints the server's JSON instead (for launch, the engine
 *	once the wait is over, and no progress lines); logs is text.
 * DIAGNOSTICS
 *	Usage errors exit 2 (engines_args.c). Error answers exit 1 with the
 *	server's message, no answer exits 3 (ctl_api.c).
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
#include "engines_args.h"
#include "engines_view.h"
#include "http_url.h"

#define CMD_ENGINES_POLL	0.5	/* seconds between launch polls */
#define CMD_ENGINES_STOP	10	/* the server's default stop timeout */
#define CMD_ENGINES_STOP_EXTRA	25	/* s beyond it for the answer */

static int	cmd_engines_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_engines_entry = {
	.name = "engines",
	.args = "[SUBCOMMAND]",
	.summary = "inference engines: list, show, launch, logs, delete",
	.help =
	    "  engines [list]\n"
	    "      NAME ENGINE STATE PORT GPUS UPTIME IMAGE of every engine,\n"
	    "      and a line saying why when Docker cannot be reached.\n"
	    "  engines show NAME\n"
	    "      every field of engine NAME; for a failed one its last\n"
	    "      error and the container's last log lines.\n"
	    "  engines launch NAME --engine E --model M [--gpus all|none|0,1]\n"
	    "      [--port N] [--image I] [--arg A]... [--env K=V]...\n"
	    "      [--secret-env VAR=SECRET]... [--no-wait] [--timeout SECS]\n"
	    "      start engine NAME (admin token): E is a profile (vllm,\n"
	    "      llamacpp, ollama, exllamav2, ...), M the model (a path\n"
	    "      under the models root, or for ollama a model name). --arg\n"
	    "      adds an argument, --env a variable, --secret-env a\n"
	    "      variable set from the secret store. Then waits until the\n"
	    "      engine is ready, printing each new state with the time\n"
	    "      taken, at most --timeout seconds (default 1800; the\n"
	    "      engine goes on loading after that); --no-wait returns at\n"
	    "      once. Exit 1 when it fails or the wait runs out.\n"
	    "  engines logs NAME [--tail N|all] [-f|--follow]\n"
	    "      the container's log (the last 100 lines unless --tail);\n"
	    "      with -f, then what comes, until the container stops.\n"
	    "  engines delete NAME [--timeout SECS]\n"
	    "      stop and remove engine NAME (admin token); Docker kills\n"
	    "      it after SECS (0 to 300, default 10).\n"
	    "\n"
	    "NAME: 1 to 63 letters, digits, '.', '_', '-', not starting with\n"
	    "'.' or '-'. After list, show and logs, --timeout is the connect\n"
	    "and read timeout.\n"
	    "\n"
	    "Calls GET and POST /v1/engines, GET and DELETE /v1/engines/NAME,\n"
	    "GET /v1/engines/NAME/logs.\n",
	.run = cmd_engines_run,
};

/* cmd_engines_path - "/v1/engines/NAME" and tail; caller frees */
static char *
cmd_engines_path(const char *name, const char *tail)
{
	return (http_url_escape_in("/v1/engines/", name, tail));
}

/* cmd_engines_list - GET /v1/engines */
static int
cmd_engines_list(struct ctl *ctl)
{
	cJSON	*json;
	char	*docker;
	int	 rc;

	if ((rc = ctl_api_fetch(ctl, "GET", "/v1/engines", &json)) !=
	    CTL_EXIT_OK)
		return (rc);
	if (ctl->json) {
		ctl_json_print(stdout, json);
		cJSON_Delete(json);
		return (CTL_EXIT_OK);
	}
	if ((docker = engines_view_docker(cJSON_GetObjectItemCaseSensitive(
	    json, "docker"))) != NULL) {
		ctl_errx("%s", docker);
		free(docker);
	}
	if (engines_view_table(stdout, cJSON_GetObjectItemCaseSensitive(json,
	    "engines")) == -1) {
		ctl_errx("GET /v1/engines: the answer has no engines array");
		rc = CTL_EXIT_FAIL;
	}
	cJSON_Delete(json);
	return (rc);
}

/* cmd_engines_show - GET /v1/engines/NAME */
static int
cmd_engines_show(struct ctl *ctl, const struct engines_args *a)
{
	cJSON	*json;
	char	*path;
	int	 rc;

	path = cmd_engines_path(a->name, "");
	rc = ctl_api_fetch(ctl, "GET", path, &json);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else
		engines_view_detail(stdout, json);
	cJSON_Delete(json);
	return (CTL_EXIT_OK);
}

/* cmd_engines_delete - DELETE /v1/engines/NAME[?timeout=S] */
static int
cmd_engines_delete(struct ctl *ctl, const struct engines_args *a)
{
	cJSON	*json;
	char	*path, *name, query[32] = "";
	double	 need;
	long	 stop = a->stop >= 0 ? a->stop : CMD_ENGINES_STOP;
	int	 rc;

	if (a->stop >= 0)
		snprintf(query, sizeof(query), "?timeout=%ld", a->stop);
	need = (double)(stop + CMD_ENGINES_STOP_EXTRA);
	if (ctl->timeout < need)
		ctl->timeout = need;	/* the server waits for the stop */
	path = cmd_engines_path(a->name, query);
	rc = ctl_api_fetch(ctl, "DELETE", path, &json);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else {
		name = ctl_fmt_clean(a->name);
		printf("deleted %s\n", name);
		free(name);
	}
	cJSON_Delete(json);
	return (CTL_EXIT_OK);
}

/* cmd_engines_logs - GET /v1/engines/NAME/logs, streamed to stdout */
static int
cmd_engines_logs(struct ctl *ctl, const struct engines_args *a)
{
	char	*path, query[64];
	int	 rc;

	/* --tail is digits or "all" (engines_args.c): nothing to escape */
	snprintf(query, sizeof(query), "/logs%s%s%s", a->tail != NULL ?
	    "?tail=" : "", a->tail != NULL ? a->tail : "", !a->follow ? "" :
	    a->tail != NULL ? "&follow=1" : "?follow=1");
	path = cmd_engines_path(a->name, query);
	rc = ctl_api_log(ctl, path);
	free(path);
	return (rc);
}

/* cmd_engines_ended - a launch that will not get ready: report it */
static int
cmd_engines_ended(struct ctl *ctl, const char *name, const cJSON *engine)
{
	const char	*state = ctl_json_str(engine, "state");
	char		*n;

	if (ctl->json)
		ctl_json_print(stdout, engine);
	n = ctl_fmt_clean(name);
	ctl_errx("engine %s %s", n, state != NULL && strcmp(state,
	    "vanished") == 0 ? "vanished (its container is gone)" : state);
	free(n);
	engines_view_failure(stderr, engine);
	return (CTL_EXIT_FAIL);
}

/* cmd_engines_poll - ctl_api_poll, in the time left: 1, 0 not yet, -exit */
static int
cmd_engines_poll(struct ctl *ctl, const char *path, double left,
    cJSON **enginep, char *last, size_t lastlen)
{
	double	timeout = ctl->timeout;
	int	rc;

	ctl->timeout = left < timeout ? (left > 0.001 ? left : 0.001) :
	    timeout;
	rc = ctl_api_poll(ctl, path, enginep, last, lastlen);
	ctl->timeout = timeout;
	return (rc);
}

/* cmd_engines_wait - poll until ready, failed or out of time */
static int
cmd_engines_wait(struct ctl *ctl, const struct engines_args *a,
    cJSON *engine, double t0)
{
	const char	*state;
	char		*path, *step, *shown = NULL, *n, last[300] = "";
	double		 deadline = t0 + a->wait, left;
	int		 rc = CTL_EXIT_FAIL, r;

	path = cmd_engines_path(a->name, "");
	r = 1;			/* the first answer is the launch's */
	for (;;) {
		state = ctl_json_str(engine, "state");
		if (r == 1 && state != NULL) {
			step = engines_view_step(engine);
			if (!ctl->json && (shown == NULL ||
			    strcmp(step, shown) != 0)) {
				printf("%s  (%.1fs)\n", step,
				    ctl_time_now() - t0);
				fflush(stdout);
			}
			free(shown);
			shown = step;
		}
		if (state != NULL && strcmp(state, "ready") == 0) {
			if (ctl->json)
				ctl_json_print(stdout, engine);
			rc = CTL_EXIT_OK;
			break;
		}
		if (state != NULL && (strcmp(state, "failed") == 0 ||
		    strcmp(state, "stopped") == 0 ||
		    strcmp(state, "vanished") == 0)) {
			rc = cmd_engines_ended(ctl, a->name, engine);
			break;
		}
		if ((left = deadline - ctl_time_now()) <= 0) {
			if (ctl->json)
				ctl_json_print(stdout, engine);
			n = ctl_fmt_clean(a->name);
			ctl_errx("engine %s is still %s after %gs; it goes on "
			    "(corralctl engines show %s)%s%s", n,
			    state != NULL ? state : "starting", a->wait, n,
			    *last != '\0' ? "; last poll: " : "", last);
			free(n);
			break;
		}
		ctl_time_sleep(left < CMD_ENGINES_POLL ? left :
		    CMD_ENGINES_POLL);
		left = deadline - ctl_time_now();
		if ((r = cmd_engines_poll(ctl, path, left, &engine, last,
		    sizeof(last))) < 0) {
			rc = -r;
			break;
		}
		if (r == 1)
			*last = '\0';
	}
	free(shown);
	free(path);
	cJSON_Delete(engine);
	return (rc);
}

/* cmd_engines_launch - POST /v1/engines, then wait unless --no-wait */
static int
cmd_engines_launch(struct ctl *ctl, const struct engines_args *a)
{
	cJSON	*body, *engine;
	char	*s, *step;
	double	 t0 = ctl_time_now();
	int	 rc;

	body = engines_args_body(a);
	if ((s = cJSON_PrintUnformatted(body)) == NULL) {
		cJSON_Delete(body);
		ctl_errx("cannot encode the request");
		return (CTL_EXIT_FAIL);
	}
	cJSON_Delete(body);
	rc = ctl_api_send(ctl, "POST", "/v1/engines", s, strlen(s), &engine);
	explicit_bzero(s, strlen(s));	/* --env values may be credentials */
	cJSON_free(s);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (!a->no_wait)
		return (cmd_engines_wait(ctl, a, engine, t0));
	if (ctl->json)
		ctl_json_print(stdout, engine);
	else {
		step = engines_view_step(engine);
		printf("%s  (%.1fs)\n", step, ctl_time_now() - t0);
		free(step);
	}
	cJSON_Delete(engine);
	return (CTL_EXIT_OK);
}

/* cmd_engines_run - parse, then run the subcommand */
static int
cmd_engines_run(struct ctl *ctl, int argc, char **argv)
{
	struct engines_args	a;
	int			rc;

	rc = engines_args_parse(ctl, &cmd_engines_entry, argc, argv, &a);
	if (rc == ENGINES_ARGS_HELP) {
		ctl_help_command(stdout, &cmd_engines_entry);
		rc = CTL_EXIT_OK;
	} else if (rc == ENGINES_ARGS_GO) {
		switch (a.sub) {
		case ENGINES_SHOW:
			rc = cmd_engines_show(ctl, &a);
			break;
		case ENGINES_LAUNCH:
			rc = cmd_engines_launch(ctl, &a);
			break;
		case ENGINES_LOGS:
			rc = cmd_engines_logs(ctl, &a);
			break;
		case ENGINES_DELETE:
			rc = cmd_engines_delete(ctl, &a);
			break;
		default:
			rc = cmd_engines_list(ctl);
			break;
		}
	}
	engines_args_free(&a);
	return (rc);
}
