/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_routes - corralctl routes: the model routes and whether each
 *	can be used
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_routes_entry;
 * DESCRIPTION
 *	GET /v1/routes and print NAME PROVIDER MODEL BASE_URL SECRET
 *	AVAILABLE REASON, one route a line; --json prints the server's
 *	JSON instead. SECRET is the name of the store entry a route uses,
 *	never a value.
 * DIAGNOSTICS
 *	An answer without a "routes" array is reported and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_json.h"
#include "secrets_view.h"

static int	cmd_routes_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_routes_entry = {
	.name = "routes",
	.args = "",
	.summary = "list the model routes and whether each is available",
	.help =
	    "Print one line per model route of the daemon's routes file:\n"
	    "NAME PROVIDER MODEL BASE_URL SECRET AVAILABLE REASON. SECRET is\n"
	    "the name of the secret the route uses (\"-\" for none); a route\n"
	    "whose secret is missing from the store is not available, and\n"
	    "REASON says why.\n"
	    "\n"
	    "Calls GET /v1/routes.\n",
	.run = cmd_routes_run,
};

/* cmd_routes_run - parse arguments, fetch, print */
static int
cmd_routes_run(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd	*cmd = &cmd_routes_entry;
	cJSON			*json;
	int			 rc;

	if ((rc = ctl_opt_only_global(ctl, cmd, argc, argv)) != -1)
		return (rc);
	if ((rc = ctl_api_fetch(ctl, "GET", "/v1/routes", &json)) !=
	    CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (secrets_view_routes(stdout, cJSON_GetObjectItemCaseSensitive(
	    json, "routes")) == -1) {
		ctl_errx("GET /v1/routes: the answer has no routes array");
		rc = CTL_EXIT_FAIL;
	}
	cJSON_Delete(json);
	return (rc);
}
