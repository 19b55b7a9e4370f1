/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_status - corralctl status: is the daemon up, ready, and how
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_status_entry;
 * DESCRIPTION
 *	Three calls: GET /healthz (is it alive), GET /readyz (can it take
 *	work; 503 with the names of what is not ready), GET /v1/runtime
 *	(version, uptime, roots, workers). The first two need no token,
 *	so an operator without one still learns whether the daemon is up.
 *
 *	The exit code makes status usable as a probe: 0 when healthy and
 *	ready, 1 when the daemon answered but is not healthy, not ready,
 *	or refused /v1/runtime, 3 when it cannot be reached.
 *
 *	With --json it prints one object, {"healthz":..,"readyz":..,
 *	"runtime":..}, each the body the server sent (null if not JSON).
 * DIAGNOSTICS
 *	As ctl_api.c; a refused /v1/runtime is printed after what the
 *	unauthenticated endpoints told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_fmt.h"
#include "ctl_json.h"
#include "workers_view.h"

static int	cmd_status_run(struct ctl *, int, char **);
static int	cmd_status_healthy(const struct ctl_reply *);
static int	cmd_status_ready(const struct ctl_reply *);
static void	cmd_status_ready_text(const struct ctl_reply *, char **);
static void	cmd_status_runtime(const cJSON *);
static void	cmd_status_json(struct ctl_reply *);

const struct ctl_cmd cmd_status_entry = {
	.name = "status",
	.args = "",
	.summary = "daemon version, uptime, readiness and workers",
	.help =
	    "Print the daemon's version, pid, uptime, bind address, state and\n"
	    "workspace roots, auth mode, MCP discovery, health and readiness\n"
	    "(naming what is not ready), then the workers table.\n"
	    "\n"
	    "Exits 0 when the daemon is healthy and ready, 1 when it\n"
	    "answers but is not (or refuses /v1/runtime), 3 when it cannot\n"
	    "be reached. With --json, prints one object:\n"
	    "{\"healthz\":..,\"readyz\":..,\"runtime\":..}.\n"
	    "\n"
	    "Calls GET /healthz, GET /readyz and GET /v1/runtime.\n",
	.run = cmd_status_run,
};

/* cmd_status_healthy - 1 if /healthz said 200 {"status":"ok"} */
static int
cmd_status_healthy(const struct ctl_reply *rep)
{
	const char	*s;

	s = ctl_json_str(rep->json, "status");
	return (rep->status == 200 && s != NULL && strcmp(s, "ok") == 0);
}

/* cmd_status_ready - 1 if /readyz said 200 {"ready":true} */
static int
cmd_status_ready(const struct ctl_reply *rep)
{
	return (rep->status == 200 && ctl_json_bool(rep->json, "ready") == 1);
}

/* cmd_status_ready_text - "yes", or "no (draining; not ready: a, b)" */
static void
cmd_status_ready_text(const struct ctl_reply *rep, char **out)
{
	const cJSON	*nr;
	char		*list = NULL;
	int		 draining;

	if (cmd_status_ready(rep)) {
		*out = xstrdup("yes");
		return;
	}
	if (ctl_json_bool(rep->json, "ready") != 0) {
		xasprintf(out, "unknown (HTTP %d)", rep->status);
		return;
	}
	draining = ctl_json_bool(rep->json, "draining") == 1;
	nr = cJSON_GetObjectItemCaseSensitive(rep->json, "not_ready");
	if (cJSON_IsArray(nr) && cJSON_GetArraySize(nr) > 0)
		list = ctl_json_text(nr);
	if (!draining && list == NULL) {
		*out = xstrdup("no");
		return;
	}
	xasprintf(out, "no (%s%s%s%s)", draining ? "draining" : "",
	    draining && list != NULL ? "; " : "",
	    list != NULL ? "not ready: " : "", list != NULL ? list : "");
	free(list);
}

/* cmd_status_runtime - the key: value lines from /v1/runtime */
static void
cmd_status_runtime(const cJSON *rt)
{
	static const struct {
		const char	*key;
		const char	*label;
	} f[] = {
		{ "bind", "bind" },
		{ "state_root", "state root" },
		{ "workspace_root", "workspace root" },
		{ "auth_mode", "auth mode" },
		{ "mcp_discovery", "mcp discovery" },
	};
	const char	*s;
	char		 buf[CTL_FMT_DURATION_LEN];
	double		 d;
	size_t		 i;

	s = ctl_json_str(rt, "version");
	ctl_fmt_kv(stdout, "version", "%s", s != NULL ? s : "-");
	if (ctl_json_num(rt, "pid", &d) == 0)
		ctl_fmt_kv(stdout, "pid", "%.0f", d);
	if (ctl_json_num(rt, "uptime_s", &d) == 0)
		ctl_fmt_kv(stdout, "uptime", "%s",
		    ctl_fmt_duration(d, buf, sizeof(buf)));
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		s = ctl_json_str(rt, f[i].key);
		ctl_fmt_kv(stdout, f[i].label, "%s", s != NULL ? s : "-");
	}
}

/* cmd_status_json - one object holding the three bodies */
static void
cmd_status_json(struct ctl_reply *rep)
{
	static const char *const names[] = { "healthz", "readyz", "runtime" };
	cJSON	*all;
	int	 i;

	all = cJSON_CreateObject();
	for (i = 0; i < 3; i++) {
		cJSON_AddItemToObject(all, names[i], rep[i].json != NULL ?
		    rep[i].json : cJSON_CreateNull());
		rep[i].json = NULL;	/* all owns it now */
	}
	ctl_json_print(stdout, all);
	cJSON_Delete(all);
}

/* cmd_status_run - three calls, one report, an exit code */
static int
cmd_status_run(struct ctl *ctl, int argc, char **argv)
{
	static const char *const paths[] = { "/healthz", "/readyz",
	    "/v1/runtime" };
	const struct ctl_cmd	*cmd = &cmd_status_entry;
	struct ctl_reply	 rep[3];
	char			*text;
	int			 i, n, rc = CTL_EXIT_OK, healthy, ready, rt_ok;

	if ((rc = ctl_opt_only_global(ctl, cmd, argc, argv)) != -1)
		return (rc);
	rc = CTL_EXIT_OK;

	memset(rep, 0, sizeof(rep));
	for (n = 0; n < 3; n++)
		if ((rc = ctl_api_call(ctl, "GET", paths[n], 0, &rep[n])) !=
		    CTL_EXIT_OK) {
			ctl_api_reply_free(&rep[n]);
			break;
		}
	if (rc != CTL_EXIT_OK)
		goto out;
	healthy = cmd_status_healthy(&rep[0]);
	ready = cmd_status_ready(&rep[1]);
	rt_ok = rep[2].status == 200 && cJSON_IsObject(rep[2].json);

	if (!ctl->json && rt_ok)
		cmd_status_runtime(rep[2].json);
	if (!ctl->json) {
		if (healthy)
			ctl_fmt_kv(stdout, "health", "ok");
		else
			ctl_fmt_kv(stdout, "health", "failing (HTTP %d)",
			    rep[0].status);
		cmd_status_ready_text(&rep[1], &text);
		ctl_fmt_kv(stdout, "ready", "%s", text);
		free(text);
	}
	if (!ctl->json && rt_ok && cJSON_IsArray(
	    cJSON_GetObjectItemCaseSensitive(rep[2].json, "workers"))) {
		fputc('\n', stdout);
		workers_view_table(stdout, cJSON_GetObjectItemCaseSensitive(
		    rep[2].json, "workers"));
	}
	if (!rt_ok && ctl_api_check(ctl, &rep[2]) == CTL_EXIT_OK)
		ctl_errx("GET /v1/runtime: the answer is not an object");
	if (ctl->json)
		cmd_status_json(rep);
	rc = healthy && ready && rt_ok ? CTL_EXIT_OK : CTL_EXIT_FAIL;
out:
	for (i = 0; i < n && i < 3; i++)
		ctl_api_reply_free(&rep[i]);
	return (rc);
}
