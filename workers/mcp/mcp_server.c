/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_server - one MCP server: its process and its life
 * SYNOPSIS
 *	#include "mcp_server.h"
 * DESCRIPTION
 *	See mcp_server.h. The process side: spawn (mcp_spawn.c), stderr
 *	into the log (mcp_log.c), the reap, the restart with backoff and
 *	the stop. The handshake and the tool list are mcp_hello.c's, what is
 *	shown of a server (the API object, the accessors) mcp_server_view.c's.
 *
 *	The reap peeks first (waitid with WNOWAIT): while the leader is a
 *	zombie its pid, and so its process group id, cannot be reused, so
 *	what is left of the group can be killed safely before the zombie is
 *	collected. A process that closed its stdout is taken to be exiting:
 *	the stop's SIGTERM and SIGKILL follow unless it exits first.
 * DIAGNOSTICS
 *	Each state change is logged at info (failures at warn) with the
 *	server's name and why.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#include "mcp_server_priv.h"

static uint64_t	mcp_server_tickets;	/* unique across all servers */

static const char *const mcp_state_names[MCP_NSTATES] = {
	[MCP_DISABLED] = "disabled",
	[MCP_STARTING] = "starting",
	[MCP_READY] = "ready",
	[MCP_FAILED] = "failed",
	[MCP_BACKOFF] = "backoff",
	[MCP_STOPPING] = "stopping",
	[MCP_STOPPED] = "stopped",
};

static void	mcp_server_spawn_begin(struct mcp_server *);

/* mcp_server_now_ms - CLOCK_MONOTONIC in milliseconds */
int64_t
mcp_server_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* mcp_state_name - "ready", ... */
const char *
mcp_state_name(enum mcp_state st)
{
	return (st < MCP_NSTATES ? mcp_state_names[st] : "unknown");
}

/* mcp_server_set_state - the one place a state changes */
void
mcp_server_set_state(struct mcp_server *s, enum mcp_state st)
{
	if (s->state == st)
		return;
	log_debug("server %s: %s -> %s", s->conf->name,
	    mcp_state_name(s->state), mcp_state_name(st));
	s->state = st;
	s->since = time(NULL);
}

/* mcp_server_signal - sig to the server's process group */
static void
mcp_server_signal(struct mcp_server *s, int sig)
{
	if (s->sp.pid > 0 && kill(-s->sp.pid, sig) == -1 && errno == ESRCH)
		(void)kill(s->sp.pid, sig);
}

/* mcp_server_stop_cb - the stop's escalation: SIGTERM, then SIGKILL */
static void
mcp_server_stop_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_server	*s = arg;
	struct timeval		 tv;

	(void)fd;
	(void)ev;
	if (s->sp.pid <= 0)
		return;
	if (s->stop_phase == 0) {
		log_info("server %s (pid %ld): SIGTERM", s->conf->name,
		    (long)s->sp.pid);
		mcp_server_signal(s, SIGTERM);
		s->stop_phase = 1;
		tv.tv_sec = (MCP_SERVER_KILL_AFTER_MS -
		    MCP_SERVER_TERM_AFTER_MS) / 1000;
		tv.tv_usec = 0;
		evtimer_add(s->stopev, &tv);
		return;
	}
	log_warnx("server %s (pid %ld): still running %d s into its stop: "
	    "SIGKILL", s->conf->name, (long)s->sp.pid,
	    MCP_SERVER_KILL_AFTER_MS / 1000);
	mcp_server_signal(s, SIGKILL);
}

/* mcp_server_wind_down - close its stdin; TERM and KILL follow */
static void
mcp_server_wind_down(struct mcp_server *s)
{
	struct timeval	tv;

	if (s->rpc != NULL)
		mcp_rpc_close_input(s->rpc);
	if (evtimer_pending(s->stopev, NULL))
		return;
	s->stop_phase = 0;
	tv.tv_sec = MCP_SERVER_TERM_AFTER_MS / 1000;
	tv.tv_usec = 0;
	evtimer_add(s->stopev, &tv);
}

/* mcp_server_broke - a protocol error: last_error, failed, killed */
void
mcp_server_broke(struct mcp_server *s, const char *fmt, ...)
{
	va_list	ap;

	if (s->broken || s->sp.pid <= 0)
		return;
	s->broken = 1;
	va_start(ap, fmt);
	vsnprintf(s->last_error, sizeof(s->last_error), fmt, ap);
	va_end(ap);
	log_warnx("server %s (pid %ld): %s; killed", s->conf->name,
	    (long)s->sp.pid, s->last_error);
	if (s->state != MCP_STOPPING)
		mcp_server_set_state(s, MCP_FAILED);
	mcp_server_signal(s, SIGKILL);
	if (s->rpc != NULL)
		mcp_rpc_close(s->rpc, s->last_error);
}

/* mcp_server_ready - the tools are in: ready */
void
mcp_server_ready(struct mcp_server *s)
{
	cJSON_Delete(s->tools);
	s->tools = s->next_tools != NULL ? s->next_tools : cJSON_CreateArray();
	s->next_tools = NULL;
	s->listing = 0;
	s->ready_ms = mcp_server_now_ms();
	s->last_error[0] = '\0';
	mcp_server_set_state(s, MCP_READY);
	log_info("server %s (pid %ld): ready, %d tools, protocol %s",
	    s->conf->name, (long)s->sp.pid, cJSON_GetArraySize(s->tools),
	    s->protocol_version);
}

/* mcp_server_rpc_fail - the session broke, or the server closed stdout */
static void
mcp_server_rpc_fail(struct mcp_rpc *r, int eof, const char *why, void *arg)
{
	struct mcp_server	*s = arg;

	(void)r;
	if (!eof) {
		mcp_server_broke(s, "%s", why);
		return;
	}
	log_debug("server %s: %s", s->conf->name, why);
	s->dying = 1;
	mcp_server_wind_down(s);
}

/* mcp_server_err_cb - the server's stderr, into the log */
static void
mcp_server_err_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_server	*s = arg;
	char			 buf[8192];
	ssize_t			 n;
	int			 k;

	(void)ev;
	for (k = 0; k < 16; k++) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			mcp_log_feed(&s->log, buf, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		mcp_log_flush(&s->log);		/* EOF or an error */
		event_free(s->errev);
		s->errev = NULL;
		close(s->sp.err);
		s->sp.err = -1;
		return;
	}
}

/* mcp_server_exit_text - "exited 1", "killed by signal 9" */
static void
mcp_server_exit_text(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "ended (status %#x)", status);
}

/* mcp_server_restart_cb - the backoff is over: start again */
static void
mcp_server_restart_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_server	*s = arg;

	(void)fd;
	(void)ev;
	if (s->stopping || s->sp.pid > 0)
		return;
	if (!s->waiting)
		s->restarts++;
	s->waiting = 0;
	mcp_server_spawn_begin(s);
}

/* mcp_server_schedule - failed or backoff: start again after the delay */
static void
mcp_server_schedule(struct mcp_server *s, enum mcp_state st, int was_up_ms)
{
	struct timeval	tv;
	int		delay;

	mcp_server_set_state(s, st);
	if (s->conf->restart == MCP_RESTART_NEVER) {
		if (st == MCP_BACKOFF)
			mcp_server_set_state(s, MCP_STOPPED);
		log_warnx("server %s: %s; restart never: left %s",
		    s->conf->name, s->last_error, mcp_state_name(s->state));
		return;
	}
	if (was_up_ms >= MCP_SERVER_STEADY_MS) {
		delay = 1;
		s->backoff_s = 1;
	} else {
		delay = s->backoff_s;
		s->backoff_s = s->backoff_s * 2 > MCP_SERVER_BACKOFF_MAX_S ?
		    MCP_SERVER_BACKOFF_MAX_S : s->backoff_s * 2;
	}
	log_warnx("server %s: %s; starting again in %d s", s->conf->name,
	    s->last_error, delay);
	tv.tv_sec = delay;
	tv.tv_usec = 0;
	evtimer_add(s->timer, &tv);
}

/* mcp_server_died - the leader was reaped with status: what next */
static void
mcp_server_died(struct mcp_server *s, int status)
{
	char	 xerr[MCP_SERVER_ERROR_LEN], text[64];
	int	 was_up_ms = 0;

	if (s->errev != NULL)		/* what it said last */
		mcp_server_err_cb(s->sp.err, EV_READ, s);
	if (s->errev != NULL) {
		mcp_log_flush(&s->log);
		event_free(s->errev);
		s->errev = NULL;
	}
	mcp_spawn_exec_error(&s->sp, xerr, sizeof(xerr));
	mcp_server_exit_text(status, text, sizeof(text));
	if (!s->broken)
		snprintf(s->last_error, sizeof(s->last_error), "%s",
		    xerr[0] != '\0' ? xerr : text);
	log_info("server %s (pid %ld): %s", s->conf->name, (long)s->sp.pid,
	    xerr[0] != '\0' ? xerr : text);
	if (s->ready_ms > 0 && s->state == MCP_READY)
		was_up_ms = (int)(mcp_server_now_ms() - s->ready_ms);
	s->sp.pid = 0;
	mcp_spawn_close(&s->sp);
	evtimer_del(s->stopev);
	mcp_rpc_free(s->rpc);		/* pending calls end here */
	s->rpc = NULL;
	mcp_hello_reset(s);
	cJSON_Delete(s->tools);
	s->tools = NULL;
	cJSON_Delete(s->server_info);
	s->server_info = NULL;
	free(s->protocol_version);
	s->protocol_version = NULL;
	s->ready_ms = 0;
	s->dying = 0;
	if (s->stopping) {
		mcp_server_set_state(s, MCP_STOPPED);
		s->stopping = 0;
		if (s->done != NULL)
			s->done(s, s->done_arg);
		return;
	}
	if (s->state == MCP_READY && !s->broken)
		mcp_server_schedule(s, MCP_BACKOFF, was_up_ms);
	else
		mcp_server_schedule(s, MCP_FAILED, 0);
	s->broken = 0;
}

/* mcp_server_sigchld_cb - reap the leader if it is gone */
static void
mcp_server_sigchld_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct mcp_server	*s = arg;
	siginfo_t		 si;
	int			 status;
	pid_t			 pid;

	(void)sig;
	(void)ev;
	if (s->sp.pid <= 0)
		return;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)s->sp.pid, &si, WEXITED | WNOHANG |
	    WNOWAIT) == -1 || si.si_pid != s->sp.pid)
		return;
	(void)kill(-s->sp.pid, SIGKILL);	/* what is left of its group */
	do
		pid = waitpid(s->sp.pid, &status, WNOHANG);
	while (pid == -1 && errno == EINTR);
	if (pid == s->sp.pid)
		mcp_server_died(s, status);
}

/* mcp_server_start_failed - it could not even be spawned */
static void
mcp_server_start_failed(struct mcp_server *s, const char *why)
{
	snprintf(s->last_error, sizeof(s->last_error), "%s", why);
	s->ticket = 0;
	mcp_server_schedule(s, MCP_FAILED, 0);
}

/* mcp_server_spawn - spawn with secrets, for ticket; 0 or -1 (stale) */
int
mcp_server_spawn(struct mcp_server *s, uint64_t ticket, char *const *secrets)
{
	char	cwd[MCP_CONF_PATH_MAX + MCP_CONF_NAME_MAX + 8];
	char	err[MCP_SERVER_ERROR_LEN];

	if (ticket == 0 || ticket != s->ticket || s->sp.pid > 0 ||
	    s->stopping)
		return (-1);
	s->ticket = 0;
	if (mcp_spawn_cwd(s->conf, s->env->workspace_root, cwd, sizeof(cwd),
	    err, sizeof(err)) == -1 ||
	    mcp_spawn(s->conf, cwd, secrets, &s->sp, err, sizeof(err)) == -1) {
		mcp_server_start_failed(s, err);
		return (0);
	}
	s->spawns++;
	s->broken = 0;
	log_info("server %s: started %s (pid %ld)", s->conf->name,
	    s->conf->command, (long)s->sp.pid);
	s->errev = event_new(s->env->base, s->sp.err, EV_READ | EV_PERSIST,
	    mcp_server_err_cb, s);
	if (s->errev == NULL || event_add(s->errev, NULL) == -1)
		fatalx("%s: libevent", __func__);
	s->rpc = mcp_rpc_new(s->env->base, s->sp.out, s->sp.in, &s->log,
	    mcp_hello_notify, mcp_server_rpc_fail, s);
	s->sp.out = s->sp.in = -1;	/* the session's now */
	mcp_hello_begin(s);
	return (0);
}

/* mcp_server_spawn_failed - the secrets could not be had: fail it */
void
mcp_server_spawn_failed(struct mcp_server *s, uint64_t ticket,
    const char *why)
{
	if (ticket == 0 || ticket != s->ticket || s->sp.pid > 0 ||
	    s->stopping)
		return;
	mcp_server_start_failed(s, why);
}

/* mcp_server_spawn_wait - the secrets cannot be had yet (the secrets
 * worker is starting): stay starting and ask again in a second, which
 * is neither a failure nor a restart */
void
mcp_server_spawn_wait(struct mcp_server *s, uint64_t ticket, const char *why)
{
	struct timeval	tv = { 1, 0 };

	if (ticket == 0 || ticket != s->ticket || s->sp.pid > 0 ||
	    s->stopping)
		return;
	s->ticket = 0;
	snprintf(s->last_error, sizeof(s->last_error), "waiting: %s", why);
	if (!s->waiting)
		log_info("server %s: %s; asking again every second",
		    s->conf->name, why);
	s->waiting = 1;
	evtimer_add(s->timer, &tv);
}

/* mcp_server_spawn_begin - starting: secrets first, if it has any */
static void
mcp_server_spawn_begin(struct mcp_server *s)
{
	mcp_server_set_state(s, MCP_STARTING);
	s->ticket = ++mcp_server_tickets;
	if (s->conf->nsecret > 0 && s->env->prespawn != NULL)
		s->env->prespawn(s, s->ticket, s->env->arg);
	else
		(void)mcp_server_spawn(s, s->ticket, NULL);
}

/* mcp_server_start - start it (an enabled one) */
void
mcp_server_start(struct mcp_server *s)
{
	if (!s->conf->enabled || s->sp.pid > 0 || s->stopping)
		return;
	evtimer_del(s->timer);
	mcp_server_spawn_begin(s);
}

/* mcp_server_hold - not running: show it starting until started */
void
mcp_server_hold(struct mcp_server *s)
{
	if (s->conf->enabled && s->sp.pid <= 0 && !s->stopping)
		mcp_server_set_state(s, MCP_STARTING);
}

/* mcp_server_new - a server of conf (taken); env is lent for its life */
struct mcp_server *
mcp_server_new(const struct mcp_server_env *env, struct mcp_conf_server *conf)
{
	struct mcp_server	*s;

	s = xcalloc(1, sizeof(*s));
	s->env = env;
	s->conf = conf;
	s->sp.in = s->sp.out = s->sp.err = s->sp.xfd = -1;
	s->backoff_s = 1;
	s->state = conf->enabled ? MCP_STOPPED : MCP_DISABLED;
	s->since = time(NULL);
	mcp_log_init(&s->log, conf->name);
	s->sigchld = evsignal_new(env->base, SIGCHLD, mcp_server_sigchld_cb,
	    s);
	s->timer = evtimer_new(env->base, mcp_server_restart_cb, s);
	s->stopev = evtimer_new(env->base, mcp_server_stop_cb, s);
	if (s->sigchld == NULL || s->timer == NULL || s->stopev == NULL ||
	    evsignal_add(s->sigchld, NULL) == -1)
		fatalx("%s: libevent", __func__);
	return (s);
}

/* mcp_server_stop - stop it; 1 if nothing ran, else 0 and done later */
int
mcp_server_stop(struct mcp_server *s, mcp_server_stopped_fn *done, void *arg)
{
	evtimer_del(s->timer);
	s->ticket = 0;			/* a secrets answer now comes late */
	if (s->sp.pid <= 0) {
		if (s->state != MCP_DISABLED)
			mcp_server_set_state(s, MCP_STOPPED);
		return (1);
	}
	s->stopping = 1;
	s->done = done;
	s->done_arg = arg;
	mcp_server_set_state(s, MCP_STOPPING);
	log_info("server %s (pid %ld): stopping", s->conf->name,
	    (long)s->sp.pid);
	mcp_server_wind_down(s);
	return (0);
}

/* mcp_server_free - kill what runs, free; NULL is fine */
void
mcp_server_free(struct mcp_server *s)
{
	struct timespec	ts = { 0, 10 * 1000 * 1000 };
	int		k;

	if (s == NULL)
		return;
	if (s->sp.pid > 0) {
		mcp_server_signal(s, SIGKILL);
		for (k = 0; k < MCP_SERVER_FREE_WAIT_MS / 10; k++) {
			if (waitpid(s->sp.pid, NULL, WNOHANG) != 0)
				break;
			(void)nanosleep(&ts, NULL);
		}
		(void)kill(-s->sp.pid, SIGKILL);
	}
	mcp_rpc_free(s->rpc);
	mcp_spawn_close(&s->sp);
	if (s->errev != NULL)
		event_free(s->errev);
	event_free(s->sigchld);
	event_free(s->timer);
	event_free(s->stopev);
	mcp_hello_reset(s);
	cJSON_Delete(s->tools);
	cJSON_Delete(s->server_info);
	free(s->protocol_version);
	mcp_conf_server_free(s->conf);
	free(s);
}
