/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_run.h - one run out of the queue: start, watch, stop, end
 * SYNOPSIS
 *	void	skill_run_begin(struct skill_worker *w, struct skill_qrun *qr);
 *	struct skill_run *skill_run_find(struct skill_worker *w,
 *		    const char *id);
 *	int	skill_run_cancel(struct skill_run *r);
 *	void	skill_run_stop(struct skill_run *r, int state,
 *		    const char *error, int kill_after_s);
 *	void	skill_run_forget(struct skill_run *r);
 *	void	skill_run_end(struct skill_run *r);
 *	void	skill_run_sigchld_cb(evutil_socket_t sig, short ev, void *arg);
 *	void	skill_run_free(struct skill_run *r);
 * DESCRIPTION
 *	skill_run_begin takes a queued run (qr, taken) the policy picked:
 *	it counts in (skill_queue_started) at once, reads the run's row
 *	(prompt, route, model, input), and, if the route names a secret,
 *	reads it from the secrets worker (skill_secret.c); then it finds
 *	the agent in skills_agent_path and spawns it (skill_spawn.c),
 *	records the start in runs.db (pid, its start time, the sandbox) and
 *	arms the run's timeout. A run that cannot start (the agent is gone,
 *	the route is gone, the secret refused, a folder that cannot be
 *	made) is failed with why, and counted out.
 *
 *	The worker's one SIGCHLD event (skill_run_sigchld_cb, arg the
 *	worker) reaps every child that exited, kills what is left of its
 *	process group first, and ends its run: canceled or timed_out if it
 *	was stopped for that, failed if the worker was shutting down, else
 *	succeeded for exit 0 and failed otherwise ("exited with status N",
 *	"killed by SIGKILL", or why exec failed). A child that is not a
 *	run's is reaped with a warning.
 *
 *	skill_run_stop decides how the run will end (the first decision
 *	stays), sends SIGTERM to its group and SIGKILL kill_after_s later.
 *	skill_run_cancel ends a run that has not started yet as canceled at
 *	once (0), or stops a started one (1); it is canceled when reaped.
 *
 *	skill_run_forget drops a run that has not started from memory (its
 *	row stays queued: at shutdown it starts after the next start).
 *	skill_run_end records a started run that could not be reaped in
 *	time as it was decided to end, and drops it. skill_run_free kills
 *	what is left of a started run's group and frees it.
 * DIAGNOSTICS
 *	Starts, ends and failures are logged at info (failures to start at
 *	warn) with the run's id and skill; a secret value never is.
 */
#ifndef CORRAL_SKILL_RUN_H
#define CORRAL_SKILL_RUN_H

#include <sys/queue.h>
#include <sys/types.h>

#include <event2/event.h>

#include "runs_db.h"
#include "skill_queue.h"
#include "skill_secret.h"

#define SKILL_RUN_KILL_S	5	/* SIGTERM, then SIGKILL after this */

struct skill_worker;

struct skill_run {
	TAILQ_ENTRY(skill_run)	 entry;
	struct skill_worker	*w;
	char			 id[RUN_ID_LEN + 1];
	char			*skill;
	int			 agent;		/* enum skill_agent */
	int			 timeout_s;
	struct run_rec		 rec;		/* its row, until it starts */
	struct skill_secret	*fetch;		/* the route's secret */
	pid_t			 pid;		/* > 0 once started */
	int			 xfd;		/* why exec failed */
	int			 end_state;	/* -1: by how it exits */
	char			*end_error;
	struct event		*timeout_ev;
	struct event		*kill_ev;
};

TAILQ_HEAD(skill_run_list, skill_run);

void	skill_run_begin(struct skill_worker *w, struct skill_qrun *qr);
struct skill_run *skill_run_find(struct skill_worker *w, const char *id);
int	skill_run_cancel(struct skill_run *r);
void	skill_run_stop(struct skill_run *r, int state, const char *error,
	    int kill_after_s);
void	skill_run_forget(struct skill_run *r);
void	skill_run_end(struct skill_run *r);
void	skill_run_sigchld_cb(evutil_socket_t sig, short ev, void *arg);
void	skill_run_free(struct skill_run *r);

#endif
