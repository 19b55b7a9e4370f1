/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_worker - the skills worker's life: load, recover, dispatch, stop
 * SYNOPSIS
 *	#include "skill_worker.h"
 * DESCRIPTION
 *	See skill_worker.h. Runs are started from a zero timer (start_ev),
 *	never from inside a message handler or a reap, and only while the
 *	worker neither drains nor stops; each start takes the run the
 *	policy picks (skill_queue.c) until it picks none. The limits come
 *	from the config object with the contract's defaults and ranges.
 * DIAGNOSTICS
 *	A bad registry, routes file or runs.db at start: log_error and exit
 *	100. At a reload: a warning, and the old registry or routes stay.
 */
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "skill_agent.h"
#include "skill_prune.h"
#include "skill_recover.h"
#include "skill_sandbox.h"
#include "skill_worker.h"

#define SKILL_STATUS_FILE	"agent_status.json"

/* skill_worker_path - a run's folder or log, or an agent's HOME */
void
skill_worker_path(const struct skill_worker *w, int which, const char *name,
    char *buf, size_t len)
{
	switch (which) {
	case SKILL_PATH_RUNDIR:
		snprintf(buf, len, "%s/runs/%s", w->workspace_root, name);
		break;
	case SKILL_PATH_LOG:
		snprintf(buf, len, "%s/runs/%s.log", w->state_root, name);
		break;
	default:
		snprintf(buf, len, "%s/agents/%s", w->state_root, name);
		break;
	}
}

/* skill_worker_route - the route called name, or NULL */
const struct route *
skill_worker_route(const struct skill_worker *w, const char *name)
{
	size_t	i;

	if (w->routes == NULL || name == NULL)
		return (NULL);
	for (i = 0; i < w->routes->n; i++)
		if (strcmp(w->routes->v[i].name, name) == 0)
			return (&w->routes->v[i]);
	return (NULL);
}

/* skill_worker_limit - a skill's max_running now, -1 if it is gone */
static int
skill_worker_limit(const char *skill, void *arg)
{
	struct skill_worker	*w = arg;
	const struct skill	*s = skill_registry_find(w->reg, skill);

	return (s != NULL ? s->max_running : -1);
}

/* skill_worker_int - config integer key in [min, max], else def */
static int
skill_worker_int(struct skill_worker *w, const char *key, long def, long min,
    long max)
{
	long	v = worker_config_int(w->rt, key, def);

	if (v < min || v > max) {
		log_warnx("%s: %ld is out of range %ld to %ld; using %ld", key,
		    v, min, max, def);
		v = def;
	}
	return ((int)v);
}

/* skill_worker_settings - the limits and the agent path, from config */
static void
skill_worker_settings(struct skill_worker *w)
{
	w->max_running = skill_worker_int(w, "skills_max_running", 4, 1,
	    1024);
	w->max_queued = skill_worker_int(w, "skills_max_queued", 10000, 1,
	    1000000);
	w->run_timeout_s = skill_worker_int(w, "skills_run_timeout", 1800, 1,
	    SKILL_TIMEOUT_MAX);
	w->retention_days = skill_worker_int(w, "skills_retention_days", 30,
	    0, 3650);
	w->shutdown_timeout_s = skill_worker_int(w, "shutdown_timeout", 10, 1,
	    3600);
	free(w->agent_path);
	w->agent_path = xstrdup(worker_config_str(w->rt, "skills_agent_path",
	    SKILL_AGENT_PATH_DEF));
}

/* skill_worker_registry - the registry of skills_dir (none without
 * one); NULL and the line */
static struct skill_registry *
skill_worker_registry(struct skill_worker *w, char *err, size_t errlen)
{
	const char	*dir = worker_config_str(w->rt, "skills_dir", NULL);

	if (dir == NULL)
		return (xcalloc(1, sizeof(struct skill_registry)));
	return (skill_registry_load(dir, err, errlen));
}

/* skill_worker_routes - the routes file into *out (NULL without one);
 * 0, or -1 and the line */
static int
skill_worker_routes(struct skill_worker *w, struct routes **out, char *err,
    size_t errlen)
{
	const char	*file = worker_config_str(w->rt, "routes_file", NULL);

	*out = NULL;
	if (file == NULL)
		return (0);
	return ((*out = routes_load(file, err, errlen)) != NULL ? 0 : -1);
}

/* skill_worker_status - write state_root/agent_status.json */
static void
skill_worker_status(struct skill_worker *w)
{
	char	 path[4096], *text;
	cJSON	*j;

	snprintf(path, sizeof(path), "%s/%s", w->state_root,
	    SKILL_STATUS_FILE);
	j = skill_agent_status(w->agent_path, w->queue.by_agent);
	if (j == NULL || (text = cJSON_Print(j)) == NULL)
		fatalx("%s: out of memory", __func__);
	cJSON_Delete(j);
	if (fs_write_atomic(path, text, strlen(text), 0600) == -1)
		log_warn("%s", path);
	cJSON_free(text);
}

/* skill_worker_dirs - state_root/runs, state_root/agents,
 * workspace_root/runs; 0 or -1 (logged) */
static int
skill_worker_dirs(struct skill_worker *w)
{
	char	path[4096];
	int	i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", i < 2 ? w->state_root :
		    w->workspace_root, i == 1 ? "agents" : "runs");
		if (fs_mkdirs(path, 0700) == -1) {
			log_error("%s: %s", path, strerror(errno));
			return (-1);
		}
		(void)chmod(path, 0700);
	}
	return (0);
}

/* skill_worker_dispatch_cb - start every run the policy allows */
static void
skill_worker_dispatch_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct skill_worker	*w = arg;
	struct skill_qrun	*qr;

	(void)fd;
	(void)ev;
	while (!w->stopping && !w->rt->draining && (qr = skill_queue_pick(
	    &w->queue, w->max_running, skill_worker_limit, w)) != NULL) {
		skill_queue_remove(&w->queue, qr);
		skill_run_begin(w, qr);
	}
}

/* skill_worker_dispatch_soon - start what may start, from the loop */
void
skill_worker_dispatch_soon(struct skill_worker *w)
{
	struct timeval	tv = { 0, 0 };

	if (!w->stopping)
		evtimer_add(w->start_ev, &tv);
}

/* skill_worker_finish - every run is over: leave (fini closes runs.db,
 * so a frame read with the shutdown still finds it open) */
static void
skill_worker_finish(struct skill_worker *w)
{
	worker_exit(w->rt, WORKER_EXIT_OK);
}

/* skill_worker_run_gone - a run out of the queue is over */
void
skill_worker_run_gone(struct skill_worker *w)
{
	if (w->stopping) {
		if (TAILQ_EMPTY(&w->runs))
			skill_worker_finish(w);
		return;
	}
	skill_worker_dispatch_soon(w);
}

/* skill_worker_init - config, registry, routes, runs.db, recovery */
int
skill_worker_init(struct worker_rt *rt)
{
	struct skill_worker	*w;
	const char		*sr, *wr;
	char			 path[4096], err[1024];

	w = xcalloc(1, sizeof(*w));
	rt->priv = w;
	w->rt = rt;
	skill_queue_init(&w->queue);
	TAILQ_INIT(&w->runs);
	w->start_ev = evtimer_new(rt->base, skill_worker_dispatch_cb, w);
	w->sigchld_ev = evsignal_new(rt->base, SIGCHLD, skill_run_sigchld_cb,
	    w);
	if (w->start_ev == NULL || w->sigchld_ev == NULL ||
	    evsignal_add(w->sigchld_ev, NULL) == -1)
		fatalx("%s: libevent", __func__);
	sr = worker_config_str(rt, "state_root", NULL);
	wr = worker_config_str(rt, "workspace_root", NULL);
	if (sr == NULL || wr == NULL) {
		log_error("no %s in the config", sr == NULL ? "state_root" :
		    "workspace_root");
		return (WORKER_EXIT_PERMANENT);
	}
	w->state_root = xstrdup(sr);
	w->workspace_root = xstrdup(wr);
	skill_worker_settings(w);
	if ((w->reg = skill_worker_registry(w, err, sizeof(err))) == NULL ||
	    skill_worker_routes(w, &w->routes, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return (WORKER_EXIT_PERMANENT);
	}
	if (skill_worker_dirs(w) == -1)
		return (WORKER_EXIT_PERMANENT);
	snprintf(path, sizeof(path), "%s/runs.db", w->state_root);
	if ((w->db = runs_db_open(path, err, sizeof(err))) == NULL) {
		log_error("%s", err);
		return (WORKER_EXIT_PERMANENT);
	}
	w->landlock_abi = skill_sandbox_probe();
	skill_worker_status(w);
	if (skill_recover(w) == -1)
		return (WORKER_EXIT_TEMPORARY);
	skill_prune_init(w);
	log_info("%zu skills in %s; sandbox %s (Landlock ABI %d); at most %d "
	    "runs at once", w->reg->n, worker_config_str(rt, "skills_dir",
	    "(no skills_dir)"), skill_sandbox_name(w->landlock_abi),
	    w->landlock_abi, w->max_running);
	skill_worker_dispatch_soon(w);
	return (0);
}

/* skill_worker_reload - registry, routes and limits again */
void
skill_worker_reload(struct worker_rt *rt)
{
	struct skill_worker	*w = rt->priv;
	struct skill_registry	*reg;
	struct routes		*routes;
	char			 err[1024];

	if (w == NULL || w->stopping)
		return;
	skill_worker_settings(w);
	if ((reg = skill_worker_registry(w, err, sizeof(err))) == NULL)
		log_warnx("reload: %s; keeping the skills loaded before", err);
	else {
		skill_registry_free(w->reg);
		w->reg = reg;
	}
	if (skill_worker_routes(w, &routes, err, sizeof(err)) == -1)
		log_warnx("reload: %s; keeping the routes loaded before", err);
	else {
		routes_free(w->routes);
		w->routes = routes;
	}
	log_info("reload: %zu skills, %zu routes", w->reg->n,
	    w->routes != NULL ? w->routes->n : 0);
	skill_worker_status(w);
	skill_worker_dispatch_soon(w);
	skill_prune_soon(w);
}

/* skill_worker_drain - submissions are refused, no run starts (rt) */
void
skill_worker_drain(struct worker_rt *rt)
{
	struct skill_worker	*w = rt->priv;

	if (w != NULL)
		evtimer_del(w->start_ev);
}

/* skill_worker_exit_cb - runs not reaped in time: end them, leave */
static void
skill_worker_exit_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct skill_worker	*w = arg;
	struct skill_run	*r;

	(void)fd;
	(void)ev;
	log_warnx("runs still not reaped after SIGKILL; leaving");
	while ((r = TAILQ_FIRST(&w->runs)) != NULL)
		skill_run_end(r);
	skill_worker_finish(w);
}

/* skill_worker_shutdown - stop the running agents, then leave */
void
skill_worker_shutdown(struct worker_rt *rt)
{
	struct skill_worker	*w = rt->priv;
	struct skill_run	*r, *next;
	struct timeval		 tv;
	int			 kill_s, n = 0;

	if (w == NULL || w->stopping || w->db == NULL) {
		worker_exit(rt, WORKER_EXIT_OK);
		return;
	}
	w->stopping = 1;
	evtimer_del(w->start_ev);
	kill_s = w->shutdown_timeout_s - 2 >= 1 ? w->shutdown_timeout_s - 2 :
	    1;
	for (r = TAILQ_FIRST(&w->runs); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->pid <= 0) {
			skill_run_forget(r);	/* stays queued */
			continue;
		}
		skill_run_stop(r, RUN_FAILED, "corral shut down while it ran",
		    kill_s);
		n++;
	}
	if (n == 0) {
		skill_worker_finish(w);
		return;
	}
	log_info("stopping %d runs (SIGKILL in %d s)", n, kill_s);
	tv.tv_sec = kill_s + 1;
	tv.tv_usec = 0;
	if ((w->exit_ev = evtimer_new(rt->base, skill_worker_exit_cb, w)) ==
	    NULL || evtimer_add(w->exit_ev, &tv) == -1)
		fatalx("%s: libevent", __func__);
}

/* skill_worker_fini - free everything; what still runs is killed */
void
skill_worker_fini(struct worker_rt *rt)
{
	struct skill_worker	*w = rt->priv;
	struct skill_run	*r;

	if (w == NULL)
		return;
	while ((r = TAILQ_FIRST(&w->runs)) != NULL) {
		TAILQ_REMOVE(&w->runs, r, entry);
		skill_run_free(r);
	}
	skill_queue_clear(&w->queue);
	if (w->db != NULL)
		runs_db_close(w->db);
	skill_registry_free(w->reg);
	routes_free(w->routes);
	if (w->start_ev != NULL)
		event_free(w->start_ev);
	if (w->sigchld_ev != NULL)
		event_free(w->sigchld_ev);
	if (w->exit_ev != NULL)
		event_free(w->exit_ev);
	skill_prune_fini(w);
	free(w->state_root);
	free(w->workspace_root);
	free(w->agent_path);
	free(w);
	rt->priv = NULL;
}
