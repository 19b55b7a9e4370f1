/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_worker - the mcp worker's life: load, start, reload, stop
 * SYNOPSIS
 *	#include "mcp_worker.h"
 * DESCRIPTION
 *	See mcp_worker.h. The servers are kept in an array sorted by name
 *	(the order of the list answer). A server the file dropped or
 *	changed moves to the retired list until its process is reaped; a
 *	changed server's replacement is held (shown starting) until then,
 *	so two processes of one name never run at once in the same cwd.
 *	Servers are freed from a zero timer (gc_ev), never from inside
 *	their own callbacks.
 * DIAGNOSTICS
 *	A bad servers file at start: log_error and exit 100. At a reload:
 *	a warning, and nothing changes.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

#include "mcp_conf.h"
#include "mcp_secret.h"
#include "mcp_worker.h"

static void	mcp_worker_retire_done(struct mcp_server *, void *);

/* mcp_worker_find - the listed server called name, or NULL */
struct mcp_server *
mcp_worker_find(struct mcp_worker *w, const char *name)
{
	size_t	i;

	for (i = 0; i < w->nslots; i++)
		if (strcmp(mcp_server_name(w->slots[i].s), name) == 0)
			return (w->slots[i].s);
	return (NULL);
}

/* mcp_worker_load - the servers file as the config names it; NULL and
 * why (an empty list without a file) */
static struct mcp_conf *
mcp_worker_load(struct mcp_worker *w, char *err, size_t errlen)
{
	struct mcp_conf_opts	 opts;
	const char		*file;

	memset(&opts, 0, sizeof(opts));
	w->call_timeout_s = (int)worker_config_int(w->rt, "mcp_call_timeout",
	    MCP_CONF_TIMEOUT_DEF);
	if (w->call_timeout_s < 1 || w->call_timeout_s > MCP_CONF_TIMEOUT_MAX)
		w->call_timeout_s = MCP_CONF_TIMEOUT_DEF;
	opts.call_timeout_s = w->call_timeout_s;
	if ((file = worker_config_str(w->rt, "mcp_file", NULL)) == NULL)
		return (xcalloc(1, sizeof(struct mcp_conf)));
	return (mcp_conf_load(file, &opts, err, errlen));
}

/* mcp_worker_gc_cb - free the retired servers that are done */
static void
mcp_worker_gc_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_worker	*w = arg;
	struct mcp_retired	*r, *next;

	(void)fd;
	(void)ev;
	for (r = TAILQ_FIRST(&w->retired); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (!r->done)
			continue;
		TAILQ_REMOVE(&w->retired, r, entry);
		mcp_server_free(r->s);
		free(r);
	}
}

/* mcp_worker_unhold - start the held server called name, if any */
static void
mcp_worker_unhold(struct mcp_worker *w, const char *name)
{
	size_t	i;

	for (i = 0; i < w->nslots; i++)
		if (w->slots[i].held &&
		    strcmp(mcp_server_name(w->slots[i].s), name) == 0) {
			w->slots[i].held = 0;
			if (!w->stopping)
				mcp_server_start(w->slots[i].s);
		}
}

/* mcp_worker_retire_done - a retired server's process is gone */
static void
mcp_worker_retire_done(struct mcp_server *s, void *arg)
{
	struct mcp_retired	*r = arg;
	struct mcp_worker	*w = r->w;
	struct timeval		 tv = { 0, 0 };

	r->done = 1;
	evtimer_add(w->gc_ev, &tv);
	mcp_worker_unhold(w, mcp_server_name(s));
	if (w->stopping && --w->nstopping == 0)
		worker_exit(w->rt, WORKER_EXIT_OK);
}

/* mcp_worker_retire - stop s and free it once stopped; 1 if it was not
 * running (a successor may start at once) */
static int
mcp_worker_retire(struct mcp_worker *w, struct mcp_server *s)
{
	struct mcp_retired	*r;
	struct timeval		 tv = { 0, 0 };

	r = xcalloc(1, sizeof(*r));
	r->w = w;
	r->s = s;
	TAILQ_INSERT_TAIL(&w->retired, r, entry);
	if (mcp_server_stop(s, mcp_worker_retire_done, r) == 0)
		return (0);
	r->done = 1;
	evtimer_add(w->gc_ev, &tv);
	return (1);
}

/* mcp_worker_start_cb - the worker is sandboxed: start the servers */
static void
mcp_worker_start_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_worker	*w = arg;
	size_t			 i;

	(void)fd;
	(void)ev;
	if (w->stopping)
		return;
	for (i = 0; i < w->nslots; i++)
		if (!w->slots[i].held)
			mcp_server_start(w->slots[i].s);
}

/* mcp_worker_start_soon - start what is not running from the loop */
static void
mcp_worker_start_soon(struct mcp_worker *w)
{
	struct timeval	tv = { 0, 0 };

	evtimer_add(w->start_ev, &tv);
}

/* mcp_init - the servers file, the servers; 0 or an exit code */
int
mcp_init(struct worker_rt *rt)
{
	struct mcp_worker	*w;
	struct mcp_conf		*c;
	char			 err[512];
	size_t			 i;

	w = xcalloc(1, sizeof(*w));
	rt->priv = w;
	w->rt = rt;
	TAILQ_INIT(&w->retired);
	if (worker_config_str(rt, "workspace_root", NULL) != NULL)
		w->workspace_root = xstrdup(worker_config_str(rt,
		    "workspace_root", NULL));
	w->env.base = rt->base;
	w->env.workspace_root = w->workspace_root;
	w->env.prespawn = mcp_secret_prespawn;
	w->env.arg = w;
	w->start_ev = evtimer_new(rt->base, mcp_worker_start_cb, w);
	w->gc_ev = evtimer_new(rt->base, mcp_worker_gc_cb, w);
	if (w->start_ev == NULL || w->gc_ev == NULL)
		fatalx("%s: libevent", __func__);
	if ((c = mcp_worker_load(w, err, sizeof(err))) == NULL) {
		log_error("%s", err);
		return (WORKER_EXIT_PERMANENT);
	}
	w->slots = xcalloc(c->n + 1, sizeof(*w->slots));
	for (i = 0; i < c->n; i++)
		w->slots[w->nslots++].s = mcp_server_new(&w->env,
		    mcp_conf_take(c, i));
	mcp_conf_free(c);
	log_info("%zu MCP servers in %s", w->nslots,
	    worker_config_str(rt, "mcp_file", "(no mcp_file)"));
	mcp_worker_start_soon(w);
	return (0);
}

/* mcp_worker_old - the slot of old named name, or NULL */
static struct mcp_slot *
mcp_worker_old(struct mcp_slot *old, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (old[i].s != NULL && strcmp(mcp_server_name(old[i].s),
		    name) == 0)
			return (&old[i]);
	return (NULL);
}

/* mcp_reload - the servers file again: start, stop, restart, keep */
void
mcp_reload(struct worker_rt *rt)
{
	struct mcp_worker	*w = rt->priv;
	struct mcp_conf		*c;
	struct mcp_slot		*old, *o, *slots;
	struct mcp_conf_server	*cs;
	char			 err[512];
	size_t			 i, n = 0, nold;
	int			 added = 0, changed = 0, removed = 0;

	if (w == NULL || w->stopping)
		return;
	if ((c = mcp_worker_load(w, err, sizeof(err))) == NULL) {
		log_warnx("reload: %s; keeping the running servers", err);
		return;
	}
	old = w->slots;
	nold = w->nslots;
	slots = xcalloc(c->n + 1, sizeof(*slots));
	for (i = 0; i < c->n; i++) {
		cs = mcp_conf_take(c, i);
		if ((o = mcp_worker_old(old, nold, cs->name)) != NULL &&
		    mcp_conf_server_equal(mcp_server_conf(o->s), cs)) {
			slots[n++] = *o;		/* unchanged */
			o->s = NULL;
			mcp_conf_server_free(cs);
			continue;
		}
		slots[n].s = mcp_server_new(&w->env, cs);
		if (o != NULL) {
			changed++;
			log_info("reload: server %s changed: restarting",
			    cs->name);
			slots[n].held = o->held ||
			    mcp_worker_retire(w, o->s) == 0;
			o->s = NULL;
		} else {
			added++;
			log_info("reload: server %s added", cs->name);
		}
		n++;
	}
	for (i = 0; i < nold; i++)
		if (old[i].s != NULL) {
			removed++;
			log_info("reload: server %s removed: stopping",
			    mcp_server_name(old[i].s));
			(void)mcp_worker_retire(w, old[i].s);
		}
	free(old);
	mcp_conf_free(c);
	w->slots = slots;
	w->nslots = n;
	for (i = 0; i < n; i++)
		if (slots[i].held)
			mcp_server_hold(slots[i].s);
	log_info("reload: %zu MCP servers (%d added, %d changed, %d removed)",
	    n, added, changed, removed);
	mcp_worker_start_soon(w);
}

/* mcp_drain - new calls are refused from now on (mcp_msg.c) */
void
mcp_drain(struct worker_rt *rt)
{
	(void)rt;
}

/* mcp_worker_exit_cb - the shutdown took too long: leave anyway */
static void
mcp_worker_exit_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_worker	*w = arg;

	(void)fd;
	(void)ev;
	log_warnx("%d MCP servers still not reaped after %d s; leaving "
	    "(they are killed)", w->nstopping, MCP_WORKER_EXIT_S);
	worker_exit(w->rt, WORKER_EXIT_OK);
}

/* mcp_worker_stopped - one server stopped at shutdown */
static void
mcp_worker_stopped(struct mcp_server *s, void *arg)
{
	struct mcp_worker	*w = arg;

	(void)s;
	if (--w->nstopping == 0)
		worker_exit(w->rt, WORKER_EXIT_OK);
}

/* mcp_shutdown - stop every server, exit once all are reaped */
void
mcp_shutdown(struct worker_rt *rt)
{
	struct mcp_worker	*w = rt->priv;
	struct mcp_retired	*r;
	struct timeval		 tv = { MCP_WORKER_EXIT_S, 0 };
	size_t			 i;

	if (w == NULL || w->stopping) {
		worker_exit(rt, WORKER_EXIT_OK);
		return;
	}
	w->stopping = 1;
	w->nstopping = 1;		/* until every stop is asked */
	evtimer_del(w->start_ev);
	for (i = 0; i < w->nslots; i++)
		if (mcp_server_stop(w->slots[i].s, mcp_worker_stopped, w) ==
		    0)
			w->nstopping++;
	TAILQ_FOREACH(r, &w->retired, entry)
		if (!r->done)
			w->nstopping++;	/* mcp_worker_retire_done counts */
	if (--w->nstopping == 0) {
		worker_exit(rt, WORKER_EXIT_OK);
		return;
	}
	log_info("stopping %d MCP servers", w->nstopping);
	if ((w->exit_ev = evtimer_new(rt->base, mcp_worker_exit_cb, w)) ==
	    NULL || evtimer_add(w->exit_ev, &tv) == -1)
		fatalx("%s: libevent", __func__);
}

/* mcp_fini - free everything; what still runs is killed */
void
mcp_fini(struct worker_rt *rt)
{
	struct mcp_worker	*w = rt->priv;
	struct mcp_retired	*r;
	size_t			 i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nslots; i++)
		mcp_server_free(w->slots[i].s);
	free(w->slots);
	while ((r = TAILQ_FIRST(&w->retired)) != NULL) {
		TAILQ_REMOVE(&w->retired, r, entry);
		mcp_server_free(r->s);
		free(r);
	}
	if (w->start_ev != NULL)
		event_free(w->start_ev);
	if (w->gc_ev != NULL)
		event_free(w->gc_ev);
	if (w->exit_ev != NULL)
		event_free(w->exit_ev);
	free(w->workspace_root);
	free(w);
	rt->priv = NULL;
}
