/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_watch - watch a started engine: its exit and its readiness
 * SYNOPSIS
 *	#include "eng_engine.h"
 *
 *	void	eng_watch(struct eng *e);
 * DESCRIPTION
 *	Two things run side by side from the start of the container:
 *
 *	  POST /containers/{id}/wait?condition=not-running, without a
 *	  timeout: its answer is the container's exit, whenever it comes.
 *	  While loading that fails the engine at once with the exit code;
 *	  after ready it is stopped (0 or 143) or failed. A 404 means the
 *	  container was removed behind our back: vanished. A lost
 *	  connection is retried after ENG_WAIT_RETRY_MS.
 *
 *	  the probes: GET http://127.0.0.1:PORT/PATH for each of the
 *	  profile's paths in turn, each until it answers 200, ENG_PROBE_MIN_MS
 *	  apart at first and twice as long each time up to ENG_PROBE_MAX_MS,
 *	  until the profile's startup timeout has passed since the start.
 *	  An engine whose model is a name (Ollama) then pulls it through its
 *	  own API (POST /api/pull), within the same timeout.
 *
 *	Adopted engines go through the same watch, so a restart of this
 *	worker shows them loading for one probe and then ready again.
 * DIAGNOSTICS
 *	The last probe answer is the engine's progress ("probe /health:
 *	503"); the timeout's message says it too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "xmalloc.h"

#include "eng_engine.h"
#include "eng_worker.h"

#define ENG_PROBE_MIN_MS	250
#define ENG_PROBE_MAX_MS	2000
#define ENG_PROBE_TIMEOUT_MS	3000
#define ENG_WAIT_RETRY_MS	2000
#define ENG_DEFAULT_TIMEOUT_S	600

static void	eng_watch_probe(struct eng *);
static void	eng_watch_wait(struct eng *);

/* eng_now_ms - the monotonic clock in milliseconds */
static int64_t
eng_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* eng_watch_timer - arm *ev to call fn(e) after ms */
static void
eng_watch_timer(struct eng *e, struct event **ev, int ms, event_callback_fn fn)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	if (*ev != NULL)
		event_free(*ev);
	*ev = evtimer_new(e->w->rt->base, fn, e);
	evtimer_add(*ev, &tv);
}

/* eng_watch_ready - every probe passed */
static void
eng_watch_ready(struct eng *e)
{
	e->ready_at = time(NULL);
	log_info("engine %s: ready at http://127.0.0.1:%d/v1 after %lld s",
	    e->spec.name, e->spec.port, (long long)(e->ready_at -
	    (e->started != 0 ? e->started : e->ready_at)));
	eng_set_state(e, ENG_READY, NULL);
}

/* eng_watch_exited - the /wait answer: the container stopped */
static void
eng_watch_exited(struct eng *e, int code)
{
	e->exit_code = code;
	if (e->state == ENG_READY)
		eng_fail(e, code == 0 || code == 143 ? ENG_STOPPED : ENG_FAILED,
		    "the container exited with code %d", code);
	else
		eng_fail(e, ENG_FAILED, "the container exited with code %d "
		    "while %s", code, eng_state_name(e->state));
}

/* eng_watch_wait_retry - ask /wait again after a lost connection */
static void
eng_watch_wait_retry(evutil_socket_t fd, short ev, void *arg)
{
	struct eng	*e = arg;

	(void)fd;
	(void)ev;
	event_free(e->wtimer);
	e->wtimer = NULL;
	eng_watch_wait(e);
	if (e->state == ENG_LOADING && e->probe == NULL)
		eng_watch_probe(e);
}

/* eng_watch_wait_done - /wait answered */
static void
eng_watch_wait_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;
	const cJSON	*code;

	e->wait = NULL;
	if (e->del_pending || !eng_is_active(e))
		return;
	code = r->json != NULL ? cJSON_GetObjectItemCaseSensitive(r->json,
	    "StatusCode") : NULL;
	if (r->status == 200 && cJSON_IsNumber(code)) {
		eng_watch_exited(e, code->valueint);
		return;
	}
	if (r->status == 404) {
		eng_cancel_all(e);
		e->container_id[0] = '\0';
		free(e->last_error);
		e->last_error = xstrdup("the container was removed outside "
		    "corral");
		eng_set_state(e, ENG_VANISHED, NULL);
		return;
	}
	log_warnx("engine %s: wait: %s; asking again", e->spec.name,
	    r->message != NULL ? r->message : "no answer");
	if (e->probe != NULL) {
		eng_http_cancel(e->probe);
		e->probe = NULL;
	}
	eng_watch_timer(e, &e->wtimer, ENG_WAIT_RETRY_MS,
		    eng_watch_wait_retry);
}

/* eng_watch_wait - POST /containers/{id}/wait, no timeout */
static void
eng_watch_wait(struct eng *e)
{
	char	path[160];

	snprintf(path, sizeof(path),
	    "/containers/%s/wait?condition=not-running", e->container_id);
	e->wait = eng_docker_call(e->w->docker, "POST", path, NULL, 0, NULL,
	    eng_watch_wait_done, e);
	if (e->wait == NULL)
		eng_watch_timer(e, &e->wtimer, ENG_WAIT_RETRY_MS,
		    eng_watch_wait_retry);
}

/* eng_watch_probe_timer - time for the next probe */
static void
eng_watch_probe_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct eng	*e = arg;

	(void)fd;
	(void)ev;
	event_free(e->timer);
	e->timer = NULL;
	eng_watch_probe(e);
}

/* eng_watch_again - a probe did not pass: wait and try, or time out */
static void
eng_watch_again(struct eng *e, const char *what)
{
	int	timeout_s = e->prof != NULL ? e->prof->startup_timeout_s :
		    ENG_DEFAULT_TIMEOUT_S;

	snprintf(e->progress, sizeof(e->progress), "%s", what);
	if (eng_now_ms() >= e->deadline_ms) {
		eng_fail(e, ENG_FAILED, "not ready after %d s (%s)", timeout_s,
		    what);
		return;
	}
	eng_watch_timer(e, &e->timer, e->probe_delay_ms,
	    eng_watch_probe_timer);
	e->probe_delay_ms *= 2;
	if (e->probe_delay_ms > ENG_PROBE_MAX_MS)
		e->probe_delay_ms = ENG_PROBE_MAX_MS;
}

/* eng_watch_pulled - the engine's own model pull answered */
static void
eng_watch_pulled(const struct eng_http_resp *r, void *arg)
{
	struct eng	*e = arg;
	char		 what[160];

	e->probe = NULL;
	if (r->status == 200) {
		eng_watch_ready(e);
		return;
	}
	snprintf(what, sizeof(what), "pull of model %s: %s", e->spec.model,
	    r->err != NULL ? r->err : r->body != NULL ? r->body : "failed");
	eng_fail(e, ENG_FAILED, "%s", what);
}

/* eng_watch_pull_model - POST /api/pull {"name":model} to the engine */
static void
eng_watch_pull_model(struct eng *e)
{
	struct eng_http_opts	 o;
	char			 url[96], *body;
	cJSON			*j;
	int64_t			 left = e->deadline_ms - eng_now_ms();

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "name", e->spec.model);
	cJSON_AddBoolToObject(j, "stream", 0);
	body = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/pull",
	    e->spec.port);
	memset(&o, 0, sizeof(o));
	o.method = "POST";
	o.url = url;
	o.body = body;
	o.body_len = strlen(body);
	o.timeout_ms = left > 1000 ? (long)left : 1000;
	o.body_max = 64 * 1024;
	snprintf(e->progress, sizeof(e->progress), "pulling model %s",
	    e->spec.model);
	e->probe = eng_http_start(e->w->http, &o, NULL, eng_watch_pulled, e);
	free(body);
	if (e->probe == NULL)
		eng_fail(e, ENG_FAILED, "cannot ask the engine to pull %s",
		    e->spec.model);
}

/* eng_watch_probe_done - one probe answered */
static void
eng_watch_probe_done(const struct eng_http_resp *r, void *arg)
{
	struct eng	*e = arg;
	const char	*path = e->prof->probes.v[e->probe_idx];
	char		 what[192];

	e->probe = NULL;
	if (r->status == 200) {
		e->probe_delay_ms = ENG_PROBE_MIN_MS;
		if (++e->probe_idx < (int)e->prof->probes.n) {
			eng_watch_probe(e);
			return;
		}
		if (e->prof->model_is_name && !e->adopted)
			eng_watch_pull_model(e);
		else
			eng_watch_ready(e);
		return;
	}
	if (r->status != 0)
		snprintf(what, sizeof(what), "probe %s: %ld", path, r->status);
	else
		snprintf(what, sizeof(what), "probe %s: %s", path,
		    r->err != NULL ? r->err : "no answer");
	eng_watch_again(e, what);
}

/* eng_watch_probe - GET the current probe path */
static void
eng_watch_probe(struct eng *e)
{
	struct eng_http_opts	o;
	char			url[320];

	if (e->prof == NULL || e->prof->probes.n == 0) {
		eng_watch_ready(e);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", e->spec.port,
	    e->prof->probes.v[e->probe_idx]);
	memset(&o, 0, sizeof(o));
	o.method = "GET";
	o.url = url;
	o.timeout_ms = ENG_PROBE_TIMEOUT_MS;
	o.body_max = 64 * 1024;
	e->probe = eng_http_start(e->w->http, &o, NULL, eng_watch_probe_done,
	    e);
	if (e->probe == NULL)
		eng_watch_again(e, "cannot start a probe");
}

/* eng_watch - wait for exit and probe until ready */
void
eng_watch(struct eng *e)
{
	int	timeout_s = e->prof != NULL ? e->prof->startup_timeout_s :
		    ENG_DEFAULT_TIMEOUT_S;

	e->exited = 0;
	e->probe_idx = 0;
	e->probe_delay_ms = ENG_PROBE_MIN_MS;
	e->deadline_ms = eng_now_ms() + (int64_t)timeout_s * 1000;
	eng_watch_wait(e);
	if (e->state != ENG_READY)
		eng_set_state(e, ENG_LOADING, "waiting for the first probe");
	eng_watch_probe(e);
}
