/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_gpus - corralctl gpus: the GPUs, the host and corral's processes
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_gpus_entry;
 * DESCRIPTION
 *	GET /v1/gpus and print the gpu worker's latest sample with
 *	gpus_view_print: where it comes from, one line per GPU, the host,
 *	and the corral processes. --json prints the server's JSON instead.
 * DIAGNOSTICS
 *	An answer that is not a JSON object is reported and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_json.h"
#include "gpus_view.h"

static int	cmd_gpus_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_gpus_entry = {
	.name = "gpus",
	.args = "",
	.summary = "show the GPUs, the host and corral's processes",
	.help =
	    "Print the gpu worker's latest sample: the source line (\"source:\n"
	    "nvml\" or \"nvidia-smi\" with the driver version, or \"no NVIDIA\n"
	    "GPU\" and why), one line per GPU (INDEX NAME UTIL MEM TEMP POWER\n"
	    "FAN: utilization, memory used/total MiB, temperature, power\n"
	    "draw/limit W, fan), one line for the host (CPU, load averages,\n"
	    "memory available of total, free space of state_root and\n"
	    "workspace_root) and one line per corral process (NAME PID RSS\n"
	    "CPU). \"-\" stands for a value the driver or the system does not\n"
	    "report.\n"
	    "\n"
	    "Calls GET /v1/gpus; the gpu worker must be enabled.\n",
	.run = cmd_gpus_run,
};

/* cmd_gpus_run - parse arguments, fetch, print */
static int
cmd_gpus_run(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd	*cmd = &cmd_gpus_entry;
	cJSON			*json;
	int			 rc;

	if ((rc = ctl_opt_only_global(ctl, cmd, argc, argv)) != -1)
		return (rc);
	if ((rc = ctl_api_fetch(ctl, "GET", "/v1/gpus", &json)) !=
	    CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (gpus_view_print(stdout, json) == -1) {
		ctl_errx("GET /v1/gpus: the answer is not a JSON object");
		rc = CTL_EXIT_FAIL;
	}
	cJSON_Delete(json);
	return (rc);
}
