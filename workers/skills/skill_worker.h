/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_worker.h - the skills worker: its state, its life, its messages
 * SYNOPSIS
 *	int	skill_worker_init(struct worker_rt *rt);
 *	void	skill_worker_reload(struct worker_rt *rt);
 *	void	skill_worker_drain(struct worker_rt *rt);
 *	void	skill_worker_shutdown(struct worker_rt *rt);
 *	void	skill_worker_fini(struct worker_rt *rt);
 *	void	skill_worker_dispatch_soon(struct skill_worker *w);
 *	void	skill_worker_run_gone(struct skill_worker *w);
 *	const struct route *skill_worker_route(const struct skill_worker *w,
 *		    const char *name);
 *	void	skill_worker_path(const struct skill_worker *w, int which,
 *		    const char *name, char *buf, size_t len);
 *	cJSON	*skill_msg_run_json(const struct skill_worker *w,
 *		    const struct run_rec *r, int with_input);
 *	char	*skill_submit_prompt(const char *prompt, const char *input);
 *	void	skill_on_skill_list(struct worker_rt *rt, struct frame *f);
 *	... one skill_on_* per message (skill_msg.c, skill_submit.c)
 * DESCRIPTION
 *	docs/skills.md is the contract. skill_worker_init reads its config
 *	object (state_root, workspace_root, skills_dir, skills_max_running,
 *	skills_max_queued, skills_run_timeout, skills_retention_days,
 *	skills_agent_path, routes_file, shutdown_timeout), loads the
 *	registry and the routes (a bad one of either is a permanent
 *	failure: exit 100 with the line in the log), makes
 *	state_root/runs, state_root/agents and workspace_root/runs (0700),
 *	opens state_root/runs.db, probes for Landlock, writes
 *	state_root/agent_status.json and recovers: a run left running by
 *	the worker before has what is left of its process group killed and
 *	becomes failed ("the skills worker restarted while it ran"); the
 *	queued runs are queued again in submission order.
 *	Then it arms the retention (skill_prune.c): runs ended more than
 *	skills_retention_days ago are pruned 10 s later and every hour.
 *	Runs start from the loop once the worker is sandboxed, so every
 *	agent inherits PR_SET_NO_NEW_PRIVS and no capability.
 *
 *	skill_worker_reload (SIGHUP to the master) reads the registry, the
 *	routes and the limits again (a registry or routes file that no
 *	longer checks is logged and the old one kept), rewrites
 *	agent_status.json and has a retention pass run at once.
 *	skill_worker_drain refuses submissions (503 draining) and starts no
 *	more runs. skill_worker_shutdown sends
 *	SIGTERM to every running agent's group and SIGKILL after
 *	shutdown_timeout - 2 seconds (at least 1), marks those runs failed
 *	("corral shut down while it ran") as they are reaped, leaves the
 *	queued ones queued, closes runs.db and exits 0.
 *
 *	skill_worker_dispatch_soon starts what the policy allows from the
 *	loop (skill_queue_pick); skill_worker_run_gone is told when a
 *	started run is over. skill_worker_path makes the path of a run's
 *	working directory (SKILL_PATH_RUNDIR), its log (SKILL_PATH_LOG) or
 *	an agent's HOME (SKILL_PATH_HOME).
 *
 *	The messages are taken only from the http worker.
 *	skill_msg_run_json is a run as they answer it: run_json and
 *	"log_bytes"; skill_submit_prompt builds a run's prompt (see
 *	skill_submit.c).
 * DIAGNOSTICS
 *	skill_worker_init returns WORKER_EXIT_PERMANENT for a bad registry,
 *	routes file, missing state_root or workspace_root, or a runs.db
 *	that cannot be opened, with the line in the log.
 */
#ifndef CORRAL_SKILL_WORKER_H
#define CORRAL_SKILL_WORKER_H

#include <stddef.h>

#include <event2/event.h>

#include "routes.h"
#include "worker.h"

#include "runs_db.h"
#include "skill_queue.h"
#include "skill_registry.h"
#include "skill_run.h"

#define SKILL_REQ_MAX		(4 * 1024)	/* every request but SUBMIT */
#define SKILL_SUBMIT_MAX	FRAME_MAX	/* SUBMIT: the input */
#define SKILL_INPUT_MAX		(60 * 1024)	/* a run's input as JSON */
#define SKILL_AGENT_PATH_DEF	"/usr/local/bin:/usr/bin:/bin"

enum skill_path {
	SKILL_PATH_RUNDIR,	/* workspace_root/runs/ID */
	SKILL_PATH_LOG,		/* state_root/runs/ID.log */
	SKILL_PATH_HOME		/* state_root/agents/AGENT */
};

struct skill_worker {
	struct worker_rt	*rt;
	char			*state_root;
	char			*workspace_root;
	char			*agent_path;	/* skills_agent_path */
	int			 max_running;	/* skills_max_running */
	int			 max_queued;	/* skills_max_queued */
	int			 run_timeout_s;	/* skills_run_timeout */
	int			 retention_days; /* skills_retention_days */
	int			 shutdown_timeout_s;
	int			 landlock_abi;	/* 0: basic */
	struct skill_registry	*reg;
	struct routes		*routes;	/* NULL: no routes file */
	struct runs_db		*db;
	struct skill_queue	 queue;
	struct skill_run_list	 runs;		/* out of the queue */
	struct event		*start_ev;	/* dispatch from the loop */
	struct event		*sigchld_ev;
	struct event		*exit_ev;	/* the shutdown's deadline */
	struct event		*prune_ev;	/* skill_prune.c */
	int			 stopping;
};

int	skill_worker_init(struct worker_rt *rt);
void	skill_worker_reload(struct worker_rt *rt);
void	skill_worker_drain(struct worker_rt *rt);
void	skill_worker_shutdown(struct worker_rt *rt);
void	skill_worker_fini(struct worker_rt *rt);

void	skill_worker_dispatch_soon(struct skill_worker *w);
void	skill_worker_run_gone(struct skill_worker *w);
const struct route *skill_worker_route(const struct skill_worker *w,
	    const char *name);
void	skill_worker_path(const struct skill_worker *w, int which,
	    const char *name, char *buf, size_t len);

/* skill_msg.c, skill_submit.c */
cJSON	*skill_msg_run_json(const struct skill_worker *w,
	    const struct run_rec *r, int with_input);
char	*skill_submit_prompt(const char *prompt, const char *input);
void	skill_on_skill_list(struct worker_rt *rt, struct frame *f);
void	skill_on_skill_get(struct worker_rt *rt, struct frame *f);
void	skill_on_agent_list(struct worker_rt *rt, struct frame *f);
void	skill_on_run_submit(struct worker_rt *rt, struct frame *f);
void	skill_on_run_list(struct worker_rt *rt, struct frame *f);
void	skill_on_run_get(struct worker_rt *rt, struct frame *f);
void	skill_on_run_logs(struct worker_rt *rt, struct frame *f);
void	skill_on_run_cancel(struct worker_rt *rt, struct frame *f);

#endif
