/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	supervise - the per-worker supervision state machine
 * SYNOPSIS
 *	void	super_init(struct master *m, struct worker *w);
 *	void	super_event(struct worker *w, enum super_event ev);
 *	const char *super_state_name(const struct worker *w);
 * DESCRIPTION
 *	One table, indexed by state and event, names the action for each
 *	pair (as s6-supervise does); an empty cell means "ignore". State
 *	changes happen only in the actions called from super_event().
 *
 *	Policy (postfix + s6): a worker that was up for SUPER_STABLE_MS
 *	restarts at once when it dies; one that dies before READY, or soon
 *	after, is a bad start and waits a backoff that doubles from 1 s to
 *	60 s (shown as "throttled"); exit code 100 (permanent) or 127 (could
 *	not exec) marks it failed until an operator restarts it. A worker
 *	not READY within SUPER_READY_TIMEOUT_MS is killed and counted as a
 *	bad start. An operator restart is SIGTERM, a deadline, SIGKILL, and
 *	a new start at once. While the master drains nothing is restarted.
 *
 *	Side effects go through struct super_ops, so the unit tests can
 *	drive every cell with a fake clock and no processes.
 * DIAGNOSTICS
 *	One log line per transition that an operator cares about.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "master.h"
#include "msg.h"
#include "supervise.h"

static int	super_default_kill(pid_t, int);
static int	super_default_shutdown(struct worker *);

static struct super_ops super_ops = {
	.clock = master_now_ms,
	.spawn = spawn_worker,
	.kill = super_default_kill,
	.shutdown = super_default_shutdown,
	.changed = super_master_changed,
};

/* super_set_ops - replace side effects (unit tests); NULL restores */
void
super_set_ops(const struct super_ops *ops)
{
	static const struct super_ops defaults = {
		.clock = master_now_ms,
		.spawn = spawn_worker,
		.kill = super_default_kill,
		.shutdown = super_default_shutdown,
		.changed = super_master_changed,
	};

	super_ops = ops != NULL ? *ops : defaults;
}

/* super_default_kill - kill(2) */
static int
super_default_kill(pid_t pid, int sig)
{
	return (kill(pid, sig));
}

/* super_default_shutdown - ask the worker to drain and exit */
static int
super_default_shutdown(struct worker *w)
{
	if (w->chan == NULL)
		return (-1);
	return (chan_send_json(w->chan, MSG_SHUTDOWN, w->id, 0, 0, NULL));
}

/* super_timer_cb - the worker's one timer fired */
static void
super_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	w->deadline_ms = 0;
	super_event(w, w->state == SUPER_DOWN ? SEV_START : SEV_DEADLINE);
}

/* super_arm - (re)arm the worker's timer in ms milliseconds */
static void
super_arm(struct worker *w, int64_t ms)
{
	struct timeval	tv;

	w->deadline_ms = super_ops.clock() + ms;
	if (w->timer == NULL)
		return;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(w->timer, &tv);
}

/* super_disarm - cancel the worker's timer */
static void
super_disarm(struct worker *w)
{
	w->deadline_ms = 0;
	if (w->timer != NULL)
		evtimer_del(w->timer);
}

/* super_exit_text - "exited 1", "killed by signal 9" */
static void
super_exit_text(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status 0x%x", (unsigned)status);
}

/* super_exit_permanent - did the worker say it can never start? */
static int
super_exit_permanent(int status)
{
	return (WIFEXITED(status) && (WEXITSTATUS(status) == 100 ||
	    WEXITSTATUS(status) == 127));
}

/* super_changed - tell the master a state changed (readiness, notify) */
static void
super_changed(struct worker *w)
{
	if (super_ops.changed != NULL)
		super_ops.changed(w);
}

/* super_spawn - start the worker now */
static void
super_spawn(struct worker *w)
{
	super_disarm(w);
	w->killed = 0;
	w->respawn = 0;
	if (w->spawned_ms != 0)
		w->restarts++;
	if (super_ops.spawn(w) == -1) {
		w->backoff_ms = w->backoff_ms == 0 ? SUPER_BACKOFF_MIN_MS :
		    w->backoff_ms * 2;
		if (w->backoff_ms > SUPER_BACKOFF_MAX_MS)
			w->backoff_ms = SUPER_BACKOFF_MAX_MS;
		log_warnx("worker %s: cannot start; next try in %d ms",
		    w->name, w->backoff_ms);
		w->state = SUPER_DOWN;
		super_arm(w, w->backoff_ms);
		super_changed(w);
		return;
	}
	w->spawned_ms = super_ops.clock();
	w->ready_ms = 0;
	w->state = SUPER_STARTING;
	super_arm(w, SUPER_READY_TIMEOUT_MS);
	super_changed(w);
}

/* super_throttle - a bad start: wait a growing delay before the next */
static void
super_throttle(struct worker *w, const char *why)
{
	w->backoff_ms = w->backoff_ms == 0 ? SUPER_BACKOFF_MIN_MS :
	    w->backoff_ms * 2;
	if (w->backoff_ms > SUPER_BACKOFF_MAX_MS)
		w->backoff_ms = SUPER_BACKOFF_MAX_MS;
	log_warnx("worker %s %s; throttled, next start in %d.%03d s",
	    w->name, why, w->backoff_ms / 1000, w->backoff_ms % 1000);
	w->state = SUPER_DOWN;
	super_arm(w, w->backoff_ms);
	super_changed(w);
}

/* super_fail - the worker cannot start; wait for an operator */
static void
super_fail(struct worker *w, const char *why)
{
	log_error("worker %s %s; marked failed, not restarting until "
	    "`corralctl restart %s`", w->name, why, w->name);
	w->state = SUPER_FAILED;
	super_disarm(w);
	super_changed(w);
}

/* super_note_exit - the bookkeeping every exit shares; the exit text */
static void
super_note_exit(struct worker *w, char *text, size_t len)
{
	super_disarm(w);
	super_exit_text(w->exit_status, text, len);
	log_info("worker %s (pid %ld, gen %u) %s", w->name, (long)w->pid,
	    w->gen, text);
	w->pid = 0;
	if (w->chan != NULL) {
		chan_free(w->chan);
		w->chan = NULL;
	}
}

/* super_should_stay_down - no restart while draining or by policy */
static int
super_should_stay_down(struct worker *w)
{
	if (w->master != NULL && w->master->draining)
		return (1);
	return (w->conf != NULL && w->conf->restart == RESTART_NEVER);
}

/* super_exit_starting - died before READY: a bad start */
static void
super_exit_starting(struct worker *w)
{
	char	text[64], why[128];

	super_note_exit(w, text, sizeof(text));
	if (super_should_stay_down(w)) {
		w->state = SUPER_DOWN;
		super_changed(w);
	} else if (super_exit_permanent(w->exit_status) && !w->killed) {
		snprintf(why, sizeof(why), "%s before it was ready", text);
		super_fail(w, why);
	} else {
		snprintf(why, sizeof(why), "%s before it was ready", text);
		super_throttle(w, why);
	}
}

/* super_exit_up - died while serving */
static void
super_exit_up(struct worker *w)
{
	char	text[64], why[128];
	int64_t	up = super_ops.clock() - w->ready_ms;

	super_note_exit(w, text, sizeof(text));
	if (super_should_stay_down(w)) {
		w->state = SUPER_DOWN;
		super_changed(w);
	} else if (super_exit_permanent(w->exit_status)) {
		super_fail(w, text);
	} else if (up >= SUPER_STABLE_MS) {
		w->backoff_ms = 0;
		super_spawn(w);
	} else {
		snprintf(why, sizeof(why), "%s %lld ms after it was ready",
		    text, (long long)up);
		super_throttle(w, why);
	}
}

/* super_exit_stopping - gone as asked; start again if it was a restart */
static void
super_exit_stopping(struct worker *w)
{
	char	text[64];

	super_note_exit(w, text, sizeof(text));
	if (w->respawn && !(w->master != NULL && w->master->draining)) {
		w->backoff_ms = 0;
		super_spawn(w);
	} else {
		w->state = SUPER_DOWN;
		super_changed(w);
	}
}

/* super_kill_now - a deadline passed: SIGKILL, the exit comes by SIGCHLD */
static void
super_kill_now(struct worker *w)
{
	if (w->pid <= 0)
		return;
	log_warnx("worker %s (pid %ld) missed its %s deadline; SIGKILL",
	    w->name, (long)w->pid,
	    w->state == SUPER_STARTING ? "ready" : "stop");
	w->killed = 1;
	(void)super_ops.kill(w->pid, SIGKILL);
}

/* super_stopping - enter STOPPING with the stop deadline */
static void
super_stopping(struct worker *w, int respawn)
{
	w->respawn = respawn;
	w->state = SUPER_STOPPING;
	super_disarm(w);
	super_arm(w, w->master != NULL ?
	    w->master->cfg.shutdown_timeout * 1000 : 10000);
	super_changed(w);
}

/* super_restart_running - operator restart: SIGTERM, deadline, respawn */
static void
super_restart_running(struct worker *w)
{
	log_info("worker %s (pid %ld): restart requested", w->name,
	    (long)w->pid);
	if (w->pid > 0)
		(void)super_ops.kill(w->pid, SIGTERM);
	super_stopping(w, 1);
}

/* super_restart_down - operator restart of a stopped worker: start now */
static void
super_restart_down(struct worker *w)
{
	log_info("worker %s: start requested by the operator", w->name);
	w->backoff_ms = 0;
	super_spawn(w);
}

/* super_stop_running - shutdown: the stop frame and a deadline */
static void
super_stop_running(struct worker *w)
{
	if (super_ops.shutdown(w) == -1 && w->pid > 0)
		(void)super_ops.kill(w->pid, SIGTERM);
	super_stopping(w, 0);
}

/* super_stop_down - shutdown of a stopped worker: cancel its next start */
static void
super_stop_down(struct worker *w)
{
	super_disarm(w);
	super_changed(w);
}

/* super_stop_stopping - shutdown during an operator restart: no respawn */
static void
super_stop_stopping(struct worker *w)
{
	w->respawn = 0;
}

/* super_mark_up - READY: serving */
static void
super_mark_up(struct worker *w)
{
	super_disarm(w);
	w->state = SUPER_UP;
	w->ready_ms = super_ops.clock();
	log_info("worker %s (pid %ld, gen %u) ready in %lld ms", w->name,
	    (long)w->pid, w->gen, (long long)(w->ready_ms - w->spawned_ms));
	super_changed(w);
}

typedef void super_action(struct worker *);

static super_action *const super_tab[SUPER_NSTATES][SUPER_NEVENTS] = {
	[SUPER_DOWN] = {
		[SEV_START] = super_spawn,
		[SEV_CMD_RESTART] = super_restart_down,
		[SEV_CMD_STOP] = super_stop_down,
	},
	[SUPER_STARTING] = {
		[SEV_READY] = super_mark_up,
		[SEV_EXIT] = super_exit_starting,
		[SEV_DEADLINE] = super_kill_now,
		[SEV_CMD_RESTART] = super_restart_running,
		[SEV_CMD_STOP] = super_stop_running,
	},
	[SUPER_UP] = {
		[SEV_EXIT] = super_exit_up,
		[SEV_CMD_RESTART] = super_restart_running,
		[SEV_CMD_STOP] = super_stop_running,
	},
	[SUPER_STOPPING] = {
		[SEV_EXIT] = super_exit_stopping,
		[SEV_DEADLINE] = super_kill_now,
		[SEV_CMD_STOP] = super_stop_stopping,
	},
	[SUPER_FAILED] = {
		[SEV_CMD_RESTART] = super_restart_down,
	},
};

static const char *const super_event_names[SUPER_NEVENTS] = {
	[SEV_START] = "start", [SEV_READY] = "ready", [SEV_EXIT] = "exit",
	[SEV_DEADLINE] = "deadline", [SEV_CMD_RESTART] = "restart",
	[SEV_CMD_STOP] = "stop",
};

/* super_event - feed one event to a worker's state machine */
void
super_event(struct worker *w, enum super_event ev)
{
	super_action	*fn;

	if ((unsigned)w->state >= SUPER_NSTATES ||
	    (unsigned)ev >= SUPER_NEVENTS)
		fatalx("%s: state %d event %d out of range", __func__,
		    (int)w->state, (int)ev);
	if ((fn = super_tab[w->state][ev]) == NULL) {
		log_debug("worker %s: event %s ignored in state %s", w->name,
		    super_event_names[ev], super_state_name(w));
		return;
	}
	fn(w);
}

/* super_state_name - what operators see: starting, ready, throttled, ... */
const char *
super_state_name(const struct worker *w)
{
	switch (w->state) {
	case SUPER_DOWN:
		return (w->deadline_ms != 0 ? "throttled" : "down");
	case SUPER_STARTING:
		return ("starting");
	case SUPER_UP:
		return ("ready");
	case SUPER_STOPPING:
		return ("stopping");
	case SUPER_FAILED:
		return ("failed");
	default:
		return ("unknown");
	}
}

/* super_init - a worker row at rest, with its timer */
void
super_init(struct master *m, struct worker *w)
{
	w->master = m;
	w->state = SUPER_DOWN;
	w->pid = 0;
	w->chan = NULL;
	w->timer = m != NULL && m->base != NULL ?
	    evtimer_new(m->base, super_timer_cb, w) : NULL;
}

/* super_free - release the worker row's timer and channel */
void
super_free(struct worker *w)
{
	if (w->timer != NULL) {
		event_free(w->timer);
		w->timer = NULL;
	}
	if (w->chan != NULL) {
		chan_free(w->chan);
		w->chan = NULL;
	}
}
