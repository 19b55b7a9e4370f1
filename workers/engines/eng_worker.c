/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_worker - the engines worker's life and its Docker connection
 * SYNOPSIS
 *	#include "eng_worker.h"
 * DESCRIPTION
 *	See eng_worker.h. The messages are eng_msg.c's; this file starts,
 *	connects, and stops.
 *
 *	The connection: eng_worker_connect negotiates the API version
 *	(/_ping, /version). On success the worker adopts its containers once
 *	per process (eng_adopt.c) and checks the models root; on failure it
 *	says why in docker.reason and tries again after 1, 2, 4 ... 30 s.
 * DIAGNOSTICS
 *	A bad engines file or an unusable state directory is a permanent
 *	failure (exit 100, the master marks the worker failed and says why
 *	in the log). Docker missing is logged once per change of reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "eng_adopt.h"
#include "eng_engine.h"
#include "eng_logs.h"
#include "eng_store.h"
#include "eng_worker.h"

#define ENG_RETRY_MAX_S		30
#define ENG_EXIT_STOP_S		5	/* stop timeout of engines at exit */

static void	eng_worker_connect(struct eng_worker *);

/* eng_worker_find - the engine called name, or NULL */
struct eng *
eng_worker_find(struct eng_worker *w, const char *name)
{
	struct eng	*e;

	TAILQ_FOREACH(e, &w->engines, entry)
		if (strcmp(e->spec.name, name) == 0)
			return (e);
	return (NULL);
}

/* eng_worker_add - insert e in name order */
void
eng_worker_add(struct eng_worker *w, struct eng *e)
{
	struct eng	*at;

	TAILQ_FOREACH(at, &w->engines, entry)
		if (strcmp(e->spec.name, at->spec.name) < 0) {
			TAILQ_INSERT_BEFORE(at, e, entry);
			return;
		}
	TAILQ_INSERT_TAIL(&w->engines, e, entry);
}

/* eng_worker_forget - take e out of the list and free it */
void
eng_worker_forget(struct eng_worker *w, struct eng *e)
{
	TAILQ_REMOVE(&w->engines, e, entry);
	eng_free(e);
}

/* eng_worker_retry_cb - time to try Docker again */
static void
eng_worker_retry_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	eng_worker_connect(arg);
}

/* eng_worker_negotiated - the answer of /_ping and /version */
static void
eng_worker_negotiated(const struct eng_docker_resp *r, void *arg)
{
	struct eng_worker	*w = arg;
	struct timeval		 tv;
	char			 why[sizeof(w->docker_reason)];

	if (r->status == 200 && r->code == NULL &&
	    eng_docker_version(w->docker) != NULL) {
		w->docker_ok = 1;
		w->docker_reason[0] = '\0';
		w->retry_s = 1;
		log_info("Docker at %s: server %s, API %s", w->ep.display,
		    eng_docker_server_version(w->docker) != NULL ?
		    eng_docker_server_version(w->docker) : "?",
		    eng_docker_version(w->docker));
		if (!w->adopted)
			eng_adopt(w);
		eng_adopt_models(w);
		return;
	}
	if (r->message != NULL && strncmp(r->message, "Docker at ", 10) == 0)
		snprintf(why, sizeof(why), "%s", r->message);
	else
		snprintf(why, sizeof(why), "Docker at %.100s: %.140s",
		    w->ep.display, r->message != NULL ? r->message :
		    "no answer");
	if (strcmp(why, w->docker_reason) != 0)
		log_warnx("%s; trying again", why);
	snprintf(w->docker_reason, sizeof(w->docker_reason), "%s", why);
	tv.tv_sec = w->retry_s;
	tv.tv_usec = 0;
	evtimer_add(w->retry, &tv);
	w->retry_s = w->retry_s * 2 > ENG_RETRY_MAX_S ? ENG_RETRY_MAX_S :
	    w->retry_s * 2;
}

/* eng_worker_connect - negotiate with Docker */
static void
eng_worker_connect(struct eng_worker *w)
{
	if (w->stopping)
		return;
	eng_docker_negotiate(w->docker, eng_worker_negotiated, w);
}

/* eng_worker_dirs - state_root/engines and the models root; 0 or -1 */
static int
eng_worker_dirs(struct eng_worker *w)
{
	const char	*state = worker_config_str(w->rt, "state_root", NULL);

	if (state == NULL || w->models_root == NULL) {
		log_warnx("config without state_root or models_root");
		return (-1);
	}
	xasprintf(&w->dir, "%s/engines", state);
	if (fs_mkdirs(w->dir, 0700) == -1) {
		log_warn("%s", w->dir);
		return (-1);
	}
	if (fs_mkdirs(w->models_root, 0755) == -1)
		log_warn("models root %s", w->models_root);
	return (eng_store_instance(w->dir, w->instance, sizeof(w->instance)));
}

/* eng_init - profiles, records, the Docker endpoint; 0 or exit code */
int
eng_init(struct worker_rt *rt)
{
	struct eng_worker	*w;
	const char		*host, *file;
	char			 err[512];

	w = xcalloc(1, sizeof(*w));
	rt->priv = w;
	w->rt = rt;
	w->retry_s = 1;
	TAILQ_INIT(&w->engines);
	LIST_INIT(&w->logs_gets);
	w->models_root = xstrdup(worker_config_str(rt, "models_root", NULL));
	w->stop_on_exit = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	    rt->config, "engines_stop_on_exit"));
	file = worker_config_str(rt, "engines_file", NULL);
	if ((w->profiles = eng_profiles_load(file, err, sizeof(err))) ==
	    NULL) {
		log_error("%s", err);
		return (WORKER_EXIT_PERMANENT);
	}
	if (eng_worker_dirs(w) == -1)
		return (WORKER_EXIT_PERMANENT);
	if ((w->http = eng_http_new(rt->base)) == NULL) {
		log_error("cannot set up the HTTP client: no resolver");
		return (WORKER_EXIT_TEMPORARY);
	}
	w->retry = evtimer_new(rt->base, eng_worker_retry_cb, w);
	host = worker_config_str(rt, "docker_host", ENG_DOCKER_DEFAULT_HOST);
	if (eng_docker_endpoint(host, &w->ep, err, sizeof(err)) == -1) {
		snprintf(w->docker_reason, sizeof(w->docker_reason),
		    "docker_host %.100s: %.140s", host, err);
		log_error("%s", w->docker_reason);
		snprintf(w->ep.display, sizeof(w->ep.display), "%s", host);
	} else
		w->ep_ok = 1;
	w->docker = eng_docker_new(w->http, &w->ep);
	(void)eng_store_load(w);
	if (w->ep_ok) {
		snprintf(w->docker_reason, sizeof(w->docker_reason),
		    "Docker at %.200s: connecting", w->ep.display);
		eng_worker_connect(w);
	}
	return (0);
}

/* eng_drain - nothing to refuse beyond what eng_msg.c checks */
void
eng_drain(struct worker_rt *rt)
{
	(void)rt;
}

/* eng_worker_exit_stopped - one engine stopped at exit */
static void
eng_worker_exit_stopped(struct eng *e, const char *code, const char *msg,
    void *arg)
{
	struct eng_worker	*w = arg;

	if (code != NULL)
		log_warnx("engine %s: not stopped: %s", e->spec.name, msg);
	else
		eng_worker_forget(w, e);
	if (--w->nstopping == 0)
		worker_exit(w->rt, 0);
}

/* eng_shutdown - stop the engines if asked to, then exit */
void
eng_shutdown(struct worker_rt *rt)
{
	struct eng_worker	*w = rt->priv;
	struct eng		*e, *next;

	if (w == NULL || w->stopping) {
		worker_exit(rt, 0);
		return;
	}
	w->stopping = 1;
	if (!w->stop_on_exit || !rt->daemon_stopping || !w->docker_ok) {
		log_info("leaving the engines running");
		worker_exit(rt, 0);
		return;
	}
	w->nstopping = 1;
	for (e = TAILQ_FIRST(&w->engines); e != NULL; e = next) {
		next = TAILQ_NEXT(e, entry);
		if (e->container_id[0] == '\0' || e->del_pending)
			continue;
		log_info("engine %s: stopping with the daemon", e->spec.name);
		w->nstopping++;
		eng_delete(e, ENG_EXIT_STOP_S, eng_worker_exit_stopped, w);
	}
	if (--w->nstopping == 0)
		worker_exit(rt, 0);
}

/* eng_fini - free everything */
void
eng_fini(struct worker_rt *rt)
{
	struct eng_worker	*w = rt->priv;
	struct eng		*e;

	if (w == NULL)
		return;
	while ((e = TAILQ_FIRST(&w->engines)) != NULL)
		eng_worker_forget(w, e);
	eng_logs_free_all(w);
	if (w->docker != NULL)
		eng_docker_free(w->docker);
	if (w->http != NULL)
		eng_http_free(w->http);
	if (w->retry != NULL)
		event_free(w->retry);
	eng_profiles_free(w->profiles);
	free(w->models_root);
	free(w->dir);
	free(w);
	rt->priv = NULL;
}
