/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_recover - take the runs back after a restart
 * SYNOPSIS
 *	#include "skill_recover.h"
 * DESCRIPTION
 *	See skill_recover.h. Both passes go through runs_db_each, which
 *	allows runs_db_end on the run it hands over. Why a dead leader's
 *	group can be killed safely: Linux keeps a pid number allocated
 *	while any process still has it as its process group id, so a pid
 *	with no process behind it names either our leftovers or nothing.
 * DIAGNOSTICS
 *	See skill_recover.h.
 */
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "log.h"

#include "skill_agent.h"
#include "skill_recover.h"
#include "skill_spawn.h"
#include "skill_worker.h"

#define SKILL_RECOVER_WHY	"the skills worker restarted while it ran"

/* one pass over runs.db */
struct skill_recover_pass {
	struct skill_worker	*w;
	int			 failed;	/* runs.db refused an end */
};

/* skill_recover_kill - SIGKILL to what is left of the run's group */
void
skill_recover_kill(const char *id, pid_t pid, int64_t pid_start)
{
	int64_t	now;

	if (pid <= 0)
		return;
	now = skill_spawn_starttime(pid);
	if (now != -1 && now != pid_start)
		return;			/* another process has that pid */
	if (kill(-pid, SIGKILL) == 0)
		log_info("run %s: killed what was left of its process group "
		    "(pid %ld)", id, (long)pid);
	else if (errno != ESRCH)
		log_warn("run %s: kill -%ld", id, (long)pid);
}

/* skill_recover_running - a run left running: kill, fail */
static int
skill_recover_running(const struct run_rec *r, void *arg)
{
	struct skill_recover_pass	*p = arg;

	skill_recover_kill(r->id, r->pid, r->pid_start);
	if (runs_db_end(p->w->db, r->id, RUN_FAILED, run_now_ms(), -1, 0,
	    SKILL_RECOVER_WHY) == -1) {
		p->failed = 1;
		return (1);
	}
	log_info("run %s (skill %s): failed: %s", r->id, r->skill,
	    SKILL_RECOVER_WHY);
	return (0);
}

/* skill_recover_queued - a queued run: back into the queue */
static int
skill_recover_queued(const struct run_rec *r, void *arg)
{
	struct skill_recover_pass	*p = arg;
	struct skill_worker		*w = p->w;
	const struct skill		*s;
	int				 agent;

	if ((agent = skill_agent_lookup(r->agent)) == -1) {
		log_warnx("run %s: unknown agent %s; failed", r->id, r->agent);
		if (runs_db_end(w->db, r->id, RUN_FAILED, run_now_ms(), -1,
		    0, "unknown agent") == -1) {
			p->failed = 1;
			return (1);
		}
		return (0);
	}
	s = skill_registry_find(w->reg, r->skill);
	skill_queue_add(&w->queue, skill_qrun_new(r->id, r->skill, agent,
	    r->seq, r->timeout_s, s != NULL ? s->max_running : 0));
	return (0);
}

/* skill_recover - fail what ran, queue again what waited; 0 or -1 */
int
skill_recover(struct skill_worker *w)
{
	struct skill_recover_pass	p = { w, 0 };

	if (runs_db_each(w->db, RUN_RUNNING, skill_recover_running, &p) != 0 ||
	    p.failed ||
	    runs_db_each(w->db, RUN_QUEUED, skill_recover_queued, &p) != 0 ||
	    p.failed) {
		log_warnx("runs.db: cannot recover the runs");
		return (-1);
	}
	if (w->queue.nqueued > 0)
		log_info("%zu runs queued", w->queue.nqueued);
	return (0);
}
