/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_workers - corralctl workers [NAME]: list workers, or show one
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_workers_entry;
 * DESCRIPTION
 *	Without NAME: GET /v1/workers and print the workers table. With
 *	NAME: GET /v1/workers/NAME and print that worker as key: value
 *	lines. --json prints the server's JSON instead.
 * DIAGNOSTICS
 *	An answer without a "workers" array is reported and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_json.h"
#include "http_url.h"
#include "workers_view.h"

static int	cmd_workers_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_workers_entry = {
	.name = "workers",
	.args = "[NAME]",
	.summary = "list the workers, or show one",
	.help =
	    "Without NAME, print one line per worker: NAME STATE PID RESTARTS\n"
	    "UPTIME, and LAST EXIT when a worker has exited. With NAME, print\n"
	    "every field of that worker. A PID or UPTIME of \"-\" means the\n"
	    "worker is not running or not ready.\n"
	    "\n"
	    "States: starting, ready, stopping, down, throttled (waiting\n"
	    "before the next start after crashes), failed (given up on until\n"
	    "an operator restarts it).\n"
	    "\n"
	    "Calls GET /v1/workers or GET /v1/workers/NAME.\n",
	.run = cmd_workers_run,
};

/* cmd_workers_run - parse arguments, fetch, print */
static int
cmd_workers_run(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd	*cmd = &cmd_workers_entry;
	const char		*name = NULL;
	cJSON			*json;
	char			*path;
	int			 i, rc, opts = 1;

	for (i = 0; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (opts && argv[i][0] == '-' && argv[i][1] != '\0') {
			switch (ctl_opt_global(ctl, cmd, argc, argv, &i)) {
			case CTL_OPT_TAKEN:
				continue;
			case CTL_OPT_HELP:
				ctl_help_command(stdout, cmd);
				return (CTL_EXIT_OK);
			case CTL_OPT_ERROR:
				return (CTL_EXIT_USAGE);
			default:
				return (ctl_usage(cmd, "unknown option '%s'",
				    argv[i]));
			}
		}
		if (name != NULL)
			return (ctl_usage(cmd, "unexpected argument '%s'",
			    argv[i]));
		name = argv[i];
	}
	if (name != NULL && *name == '\0')
		return (ctl_usage(cmd, "empty worker name"));

	if (name == NULL)
		path = xstrdup("/v1/workers");
	else {
		path = http_url_escape_in("/v1/workers/", name, "");
	}
	rc = ctl_api_fetch(ctl, "GET", path, &json);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (name != NULL)
		workers_view_detail(stdout, json);
	else if (workers_view_table(stdout, cJSON_GetObjectItemCaseSensitive(
	    json, "workers")) == -1) {
		ctl_errx("GET /v1/workers: the answer has no workers array");
		rc = CTL_EXIT_FAIL;
	}
	cJSON_Delete(json);
	return (rc);
}
