/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_run - one run out of the queue: start, watch, stop, end
 * SYNOPSIS
 *	#include "skill_run.h"
 * DESCRIPTION
 *	See skill_run.h. A run is counted in from the moment it leaves the
 *	queue (its secret may take a while to come) until it is dropped, so
 *	the policy never starts more than it allows.
 *
 *	The reap peeks first (waitid with WNOWAIT): while the leader is a
 *	zombie its pid, and so its process group id, cannot be reused, so
 *	what is left of the group is killed safely before the zombie is
 *	collected. A signal to a group that does not exist yet (the child
 *	has not called setsid) goes to the child itself.
 * DIAGNOSTICS
 *	See skill_run.h. A runs.db that refuses a start kills the agent at
 *	once (the run is failed with why).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#include "skill_agent.h"
#include "skill_sandbox.h"
#include "skill_spawn.h"
#include "skill_worker.h"

/* skill_run_signal - send sig to r's process group (or r, if none yet) */
static void
skill_run_signal(struct skill_run *r, int sig)
{
	if (r->pid <= 0)
		return;
	if (kill(-r->pid, sig) == -1 && errno == ESRCH)
		(void)kill(r->pid, sig);
}

/* skill_run_free - kill what is left of a started run, free it */
void
skill_run_free(struct skill_run *r)
{
	if (r == NULL)
		return;
	if (r->pid > 0)
		skill_run_signal(r, SIGKILL);
	skill_secret_abandon(r->fetch);
	if (r->xfd != -1)
		close(r->xfd);
	event_free(r->timeout_ev);
	event_free(r->kill_ev);
	run_rec_clear(&r->rec);
	free(r->end_error);
	free(r->skill);
	free(r);
}

/* skill_run_drop - count r out, unlink and free it */
static void
skill_run_drop(struct skill_run *r)
{
	struct skill_worker	*w = r->w;

	skill_queue_ended(&w->queue, r->skill, r->agent);
	TAILQ_REMOVE(&w->runs, r, entry);
	skill_run_free(r);
}

/* skill_run_forget - drop a run not started; its row stays queued */
void
skill_run_forget(struct skill_run *r)
{
	r->pid = -1;
	skill_run_drop(r);
}

/* skill_run_fail_start - the run cannot start: failed with why */
static void
skill_run_fail_start(struct skill_run *r, const char *why)
{
	struct skill_worker	*w = r->w;

	log_warnx("run %s (skill %s): cannot start: %s", r->id, r->skill, why);
	if (runs_db_end(w->db, r->id, RUN_FAILED, run_now_ms(), -1, 0,
	    why) == -1)
		log_warnx("run %s: runs.db did not take its end", r->id);
	skill_run_forget(r);
	skill_worker_run_gone(w);
}

/* skill_run_find - the run id out of the queue, or NULL */
struct skill_run *
skill_run_find(struct skill_worker *w, const char *id)
{
	struct skill_run	*r;

	TAILQ_FOREACH(r, &w->runs, entry)
		if (strcmp(r->id, id) == 0)
			return (r);
	return (NULL);
}

/* skill_run_kill_cb - SIGTERM was not enough: SIGKILL */
static void
skill_run_kill_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct skill_run	*r = arg;

	(void)fd;
	(void)ev;
	log_info("run %s (pid %ld): still there; SIGKILL", r->id,
	    (long)r->pid);
	skill_run_signal(r, SIGKILL);
}

/* skill_run_stop - decide how r ends; SIGTERM now, SIGKILL later */
void
skill_run_stop(struct skill_run *r, int state, const char *error,
    int kill_after_s)
{
	struct timeval	tv = { kill_after_s, 0 };

	if (r->end_state < 0) {
		r->end_state = state;
		r->end_error = error != NULL ? xstrdup(error) : NULL;
	}
	evtimer_del(r->timeout_ev);
	skill_run_signal(r, SIGTERM);
	if (!evtimer_pending(r->kill_ev, NULL) ||
	    kill_after_s < SKILL_RUN_KILL_S)
		evtimer_add(r->kill_ev, &tv);
}

/* skill_run_timeout_cb - the run is past its timeout */
static void
skill_run_timeout_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct skill_run	*r = arg;
	char			 why[96];

	(void)fd;
	(void)ev;
	snprintf(why, sizeof(why), "ran past its timeout of %d s",
	    r->timeout_s);
	log_info("run %s (skill %s): %s; stopping it", r->id, r->skill, why);
	skill_run_stop(r, RUN_TIMED_OUT, why, SKILL_RUN_KILL_S);
}

/* skill_run_cancel - canceled now (0: not started) or later (1) */
int
skill_run_cancel(struct skill_run *r)
{
	struct skill_worker	*w = r->w;

	if (r->pid <= 0) {
		if (runs_db_end(w->db, r->id, RUN_CANCELED, run_now_ms(), -1,
		    0, NULL) == -1)
			log_warnx("run %s: runs.db did not take its end",
			    r->id);
		log_info("run %s (skill %s): canceled before it started",
		    r->id, r->skill);
		skill_run_forget(r);
		skill_worker_run_gone(w);
		return (0);
	}
	if (r->end_state >= 0)
		log_info("run %s (skill %s, pid %ld): cancel asked while it "
		    "is already stopping (%s)", r->id, r->skill, (long)r->pid,
		    run_state_name(r->end_state));
	else
		log_info("run %s (skill %s, pid %ld): canceled; stopping it",
		    r->id, r->skill, (long)r->pid);
	skill_run_stop(r, RUN_CANCELED, NULL, SKILL_RUN_KILL_S);
	return (1);
}

/* skill_run_started - the agent runs: record it, arm the timeout */
static void
skill_run_started(struct skill_run *r, pid_t pid, int xfd)
{
	struct skill_worker	*w = r->w;
	struct timeval		 tv = { r->timeout_s, 0 };
	const char		*sandbox = skill_sandbox_name(w->landlock_abi);
	int			 rc;

	r->pid = pid;
	r->xfd = xfd;
	run_rec_clear(&r->rec);		/* the prompt is the agent's now */
	rc = runs_db_start(w->db, r->id, run_now_ms(), pid,
	    skill_spawn_starttime(pid), sandbox);
	if (rc != 0) {
		log_warnx("run %s: runs.db did not take its start; killing "
		    "pid %ld", r->id, (long)pid);
		skill_run_stop(r, RUN_FAILED, "runs.db did not take the start",
		    SKILL_RUN_KILL_S);
		skill_run_signal(r, SIGKILL);
		return;
	}
	evtimer_add(r->timeout_ev, &tv);
	log_info("run %s (skill %s, agent %s): started, pid %ld, sandbox %s",
	    r->id, r->skill, skill_agent_name(r->agent), (long)pid, sandbox);
}

/* skill_run_launch - find the agent, spawn it with key (may be NULL) */
static void
skill_run_launch(struct skill_run *r, const char *key)
{
	struct skill_worker	*w = r->w;
	struct skill_spawn_req	 rq;
	const struct route	*rt = NULL;
	char			 exe[PATH_MAX], rundir[PATH_MAX];
	char			 home[PATH_MAX], logp[PATH_MAX], err[768];
	const char		*name = skill_agent_name(r->agent);
	pid_t			 pid;
	int			 xfd;

	if (r->rec.route != NULL &&
	    (rt = skill_worker_route(w, r->rec.route)) == NULL) {
		snprintf(err, sizeof(err), "route %s is no longer in the "
		    "routes file", r->rec.route);
		skill_run_fail_start(r, err);
		return;
	}
	if (skill_agent_find(w->agent_path, r->agent, exe, sizeof(exe)) ==
	    -1) {
		snprintf(err, sizeof(err), "agent %s is not installed (no %s "
		    "in %.512s)", name, skill_agent_def(r->agent)->command,
		    w->agent_path);
		skill_run_fail_start(r, err);
		return;
	}
	skill_worker_path(w, SKILL_PATH_RUNDIR, r->id, rundir, sizeof(rundir));
	skill_worker_path(w, SKILL_PATH_HOME, name, home, sizeof(home));
	skill_worker_path(w, SKILL_PATH_LOG, r->id, logp, sizeof(logp));
	memset(&rq, 0, sizeof(rq));
	rq.id = r->id;
	rq.skill = r->skill;
	rq.agent = r->agent;
	rq.exe = exe;
	rq.prompt = r->rec.prompt != NULL ? r->rec.prompt : "";
	rq.model = r->rec.model;
	rq.input = r->rec.input != NULL ? r->rec.input : "{}";
	rq.key = key;
	rq.base_url = rt != NULL ? rt->base_url : NULL;
	rq.agent_path = w->agent_path;
	rq.rundir = rundir;
	rq.home = home;
	rq.log_path = logp;
	rq.landlock_abi = w->landlock_abi;
	if (skill_spawn(&rq, &pid, &xfd, err, sizeof(err)) == -1) {
		skill_run_fail_start(r, err);
		return;
	}
	skill_run_started(r, pid, xfd);
}

/* skill_run_secret_done - the route's secret, or why not */
static void
skill_run_secret_done(void *arg, const char *value, const char *err)
{
	struct skill_run	*r = arg;
	struct skill_worker	*w = r->w;

	r->fetch = NULL;
	if (w->rt->chan == NULL || w->stopping)
		skill_run_forget(r);	/* leaving: it stays queued */
	else if (value == NULL)
		skill_run_fail_start(r, err);
	else
		skill_run_launch(r, value);
}

/* skill_run_begin - start the queued run qr (taken) */
void
skill_run_begin(struct skill_worker *w, struct skill_qrun *qr)
{
	struct skill_run	*r;
	const struct route	*rt;
	char			 err[256];
	int			 rc;

	r = xcalloc(1, sizeof(*r));
	r->w = w;
	memcpy(r->id, qr->id, sizeof(r->id));
	r->skill = xstrdup(qr->skill);
	r->agent = qr->agent;
	r->timeout_s = qr->timeout_s;
	r->pid = -1;
	r->xfd = -1;
	r->end_state = -1;
	r->rec.exit_code = -1;
	r->timeout_ev = evtimer_new(w->rt->base, skill_run_timeout_cb, r);
	r->kill_ev = evtimer_new(w->rt->base, skill_run_kill_cb, r);
	if (r->timeout_ev == NULL || r->kill_ev == NULL)
		fatalx("%s: libevent", __func__);
	TAILQ_INSERT_TAIL(&w->runs, r, entry);
	skill_queue_started(&w->queue, r->skill, r->agent);
	skill_qrun_free(qr);
	if ((rc = runs_db_get(w->db, r->id, &r->rec)) != 0 ||
	    r->rec.state != RUN_QUEUED) {
		log_warnx("run %s: %s in runs.db; not started", r->id,
		    rc == -1 ? "cannot be read" : rc == 1 ? "not" :
		    run_state_name(r->rec.state));
		skill_run_forget(r);
		skill_worker_run_gone(w);
		return;
	}
	if (r->rec.route != NULL) {
		if ((rt = skill_worker_route(w, r->rec.route)) == NULL) {
			snprintf(err, sizeof(err), "route %s is no longer in "
			    "the routes file", r->rec.route);
			skill_run_fail_start(r, err);
			return;
		}
		if (rt->secret != NULL) {
			r->fetch = skill_secret_fetch(w->rt, rt->name,
			    rt->secret, skill_run_secret_done, r);
			return;
		}
	}
	skill_run_launch(r, NULL);
}

/* skill_run_how - the end of r as its status says: state, error */
static int
skill_run_how(struct skill_run *r, int status, char *why, size_t len)
{
	const char	*name;

	skill_spawn_exec_error(r->xfd, why, len);
	r->xfd = -1;
	if (r->end_state >= 0) {
		snprintf(why, len, "%s", r->end_error != NULL ? r->end_error :
		    "");
		return (r->end_state);
	}
	if (why[0] != '\0')
		return (RUN_FAILED);	/* it never ran */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (RUN_SUCCEEDED);
	if (WIFEXITED(status))
		snprintf(why, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && (name =
	    sigabbrev_np(WTERMSIG(status))) != NULL)
		snprintf(why, len, "killed by SIG%s", name);
	else
		snprintf(why, len, "killed by signal %d", WTERMSIG(status));
	return (RUN_FAILED);
}

/* skill_run_exited - r's agent is gone with status: record, drop */
static void
skill_run_exited(struct skill_run *r, int status)
{
	struct skill_worker	*w = r->w;
	char			 why[512];
	int			 state, code, sig;

	state = skill_run_how(r, status, why, sizeof(why));
	code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (runs_db_end(w->db, r->id, state, run_now_ms(), code, sig,
	    why[0] != '\0' ? why : NULL) == -1)
		log_warnx("run %s: runs.db did not take its end", r->id);
	log_info("run %s (skill %s, pid %ld): %s%s%s", r->id, r->skill,
	    (long)r->pid, run_state_name(state), why[0] != '\0' ? ": " : "",
	    why);
	r->pid = -1;		/* reaped: nothing left to kill */
	skill_run_drop(r);
	skill_worker_run_gone(w);
}

/* skill_run_end - a started run not reaped in time: end it as decided */
void
skill_run_end(struct skill_run *r)
{
	struct skill_worker	*w = r->w;
	int			 state = r->end_state >= 0 ? r->end_state :
				    RUN_FAILED;

	if (runs_db_end(w->db, r->id, state, run_now_ms(), -1, 0,
	    r->end_error) == -1)
		log_warnx("run %s: runs.db did not take its end", r->id);
	skill_run_drop(r);	/* SIGKILL to what is left */
}

/* skill_run_by_pid - the started run whose agent is pid, or NULL */
static struct skill_run *
skill_run_by_pid(struct skill_worker *w, pid_t pid)
{
	struct skill_run	*r;

	TAILQ_FOREACH(r, &w->runs, entry)
		if (r->pid == pid)
			return (r);
	return (NULL);
}

/* skill_run_sigchld_cb - reap every child that exited (arg: worker) */
void
skill_run_sigchld_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct skill_worker	*w = arg;
	struct skill_run	*r;
	siginfo_t		 si;
	pid_t			 pid;
	int			 status;

	(void)sig;
	(void)ev;
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1 ||
		    si.si_pid <= 0)
			return;
		if ((r = skill_run_by_pid(w, si.si_pid)) != NULL)
			(void)kill(-si.si_pid, SIGKILL);  /* its leftovers */
		do
			pid = waitpid(si.si_pid, &status, 0);
		while (pid == -1 && errno == EINTR);
		if (pid != si.si_pid)
			return;
		if (r != NULL)
			skill_run_exited(r, status);
		else
			log_warnx("reaped pid %ld, which ran no run",
			    (long)pid);
	}
}
