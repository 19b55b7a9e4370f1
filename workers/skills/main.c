/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skills - the corral skills worker
 * SYNOPSIS
 *	libexec/corral/skills (started by the corral master, never by hand)
 * DESCRIPTION
 *	The skills worker runs the skills of skills_dir: each request to
 *	run one is a run, queued, started under the concurrency policy as
 *	an agent CLI of its own (codex, gemini, iflow or claude), sandboxed,
 *	logged, and recorded in state_root/runs.db, for the http worker
 *	(the 600s of docs/protocol.md). docs/skills.md is the contract;
 *	skill_worker.h says how the parts fit.
 * DIAGNOSTICS
 *	Exit 0 after a shutdown (every agent reaped first); 100 for a bad
 *	registry, routes file or runs.db. A run that fails is a state of
 *	that run, never a failure of the worker.
 */
#include "msg.h"
#include "worker.h"

#include "skill_worker.h"

static const struct worker_handler skill_handlers[] = {
	{ MSG_SKILL_LIST, SKILL_REQ_MAX, skill_on_skill_list },
	{ MSG_SKILL_GET, SKILL_REQ_MAX, skill_on_skill_get },
	{ MSG_AGENT_LIST, SKILL_REQ_MAX, skill_on_agent_list },
	{ MSG_RUN_SUBMIT, SKILL_SUBMIT_MAX, skill_on_run_submit },
	{ MSG_RUN_LIST, SKILL_REQ_MAX, skill_on_run_list },
	{ MSG_RUN_GET, SKILL_REQ_MAX, skill_on_run_get },
	{ MSG_RUN_LOGS, SKILL_REQ_MAX, skill_on_run_logs },
	{ MSG_RUN_CANCEL, SKILL_REQ_MAX, skill_on_run_cancel },
};

static const struct worker_def skill_def = {
	.name = "skills",
	.init = skill_worker_init,
	.reload = skill_worker_reload,
	.drain = skill_worker_drain,
	.shutdown = skill_worker_shutdown,
	.fini = skill_worker_fini,
	.handlers = skill_handlers,
	.nhandlers = sizeof(skill_handlers) / sizeof(skill_handlers[0]),
	.nodump = 1,		/* the routes' secrets pass through */
};

/* main - run the skills worker */
int
main(int argc, char **argv)
{
	return (worker_main(&skill_def, argc, argv));
}
