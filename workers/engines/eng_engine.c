/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_engine - one engine's life: pull, create, start, fail, stop
 * SYNOPSIS
 *	#include "eng_engine.h"
 * DESCRIPTION
 *	See eng_engine.h. One Docker step is under way at a time (e->op);
 *	each step's callback clears e->op first and, if a delete came in
 *	the meantime, hands over to it (eng_stop.c) instead of going on.
 *	The /wait request and the probes run beside the steps; eng_watch.c
 *	has them.
 *
 *	A failure keeps the last log lines, removes the container and only
 *	then shows the engine failed, so a client that sees "failed" never
 *	finds the container still there.
 * DIAGNOSTICS
 *	One info line per launch, per ready engine and per failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "xmalloc.h"

#include "eng_demux.h"
#include "eng_docker.h"
#include "eng_engine.h"
#include "eng_logs.h"
#include "eng_store.h"
#include "eng_worker.h"


static void	eng_fail_logs_done(const struct eng_docker_resp *, void *);
static void	eng_fail_removed(const struct eng_docker_resp *, void *);

/* eng_tail_line - a piece of demultiplexed log into e->tail */
static int
eng_tail_line(int stream, const char *data, size_t len, void *arg)
{
	struct eng	*e = arg;

	(void)stream;
	if (e->tail != NULL)
		eng_lines_add(e->tail, data, len);
	return (0);
}

/* eng_tail_data - a piece of the log stream of a failing engine */
static int
eng_tail_data(const char *buf, size_t len, void *arg)
{
	struct eng	*e = arg;

	return (eng_demux_feed(&e->demux, buf, len, eng_tail_line, e));
}

static const char *const eng_states[] = {
	[ENG_PULLING] = "pulling",
	[ENG_STARTING] = "starting",
	[ENG_LOADING] = "loading",
	[ENG_READY] = "ready",
	[ENG_FAILED] = "failed",
	[ENG_STOPPED] = "stopped",
	[ENG_VANISHED] = "vanished",
};

/* eng_state_name - "pulling", ... */
const char *
eng_state_name(enum eng_state st)
{
	return ((unsigned)st < sizeof(eng_states) / sizeof(eng_states[0]) ?
	    eng_states[st] : "?");
}

/* eng_state_parse - the state for a name; -1 if unknown */
int
eng_state_parse(const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < sizeof(eng_states) / sizeof(eng_states[0]);
	    i++)
		if (strcmp(s, eng_states[i]) == 0)
			return ((int)i);
	return (-1);
}

/* eng_is_active - pulling, starting, loading or ready */
int
eng_is_active(const struct eng *e)
{
	return (e->state <= ENG_READY);
}

/* eng_new - an engine for spec (taken over), state pulling, recorded */
struct eng *
eng_new(struct eng_worker *w, struct eng_spec *spec)
{
	struct eng	*e;

	e = xcalloc(1, sizeof(*e));
	e->w = w;
	e->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	e->prof = eng_profiles_find(w->profiles, e->spec.engine);
	e->exit_code = -1;
	e->created = time(NULL);
	LIST_INIT(&e->follows);
	return (e);
}

/* eng_set_state - change state, note progress, write the record */
void
eng_set_state(struct eng *e, enum eng_state st, const char *progress)
{
	if (e->state != st)
		log_debug("engine %s: %s -> %s", e->spec.name,
		    eng_state_name(e->state), eng_state_name(st));
	e->state = st;
	snprintf(e->progress, sizeof(e->progress), "%s",
	    progress != NULL ? progress : "");
	eng_store_save(e);
}

/* eng_cancel_all - stop everything under way (no callbacks after) */
void
eng_cancel_all(struct eng *e)
{
	if (e->op != NULL)
		eng_http_cancel(e->op);
	if (e->wait != NULL)
		eng_http_cancel(e->wait);
	if (e->probe != NULL)
		eng_http_cancel(e->probe);
	e->op = e->wait = e->probe = NULL;
	if (e->timer != NULL) {
		event_free(e->timer);
		e->timer = NULL;
	}
	if (e->wtimer != NULL) {
		event_free(e->wtimer);
		e->wtimer = NULL;
	}
	if (e->tail != NULL) {
		eng_lines_free(e->tail);
		e->tail = NULL;
	}
	free(e->pull_buf);
	e->pull_buf = NULL;
	e->pull_len = 0;
}

/* eng_wipe_json - clear every string of j in place (secret values) */
void
eng_wipe_json(cJSON *j)
{
	cJSON	*c;

	if (j == NULL)
		return;
	if (cJSON_IsString(j) && j->valuestring != NULL)
		explicit_bzero(j->valuestring, strlen(j->valuestring));
	for (c = j->child; c != NULL; c = c->next)
		eng_wipe_json(c);
}

/* eng_free - cancel what is under way, close followers, free */
void
eng_free(struct eng *e)
{
	if (e == NULL)
		return;
	eng_cancel_all(e);
	eng_logs_close_all(e);
	eng_wipe_json(e->secrets);
	cJSON_Delete(e->secrets);
	eng_spec_free(&e->spec);
	free(e->last_error);
	cJSON_Delete(e->logs);
	free(e);
}

/* eng_step - start one Docker step for e; -1 if it cannot start */
int
eng_step(struct eng *e, const char *method, const char *path,
    const cJSON *body, long timeout_ms, eng_http_data_fn *data,
    eng_docker_fn *done)
{
	e->op = eng_docker_call(e->w->docker, method, path, body, timeout_ms,
	    data, done, e);
	if (e->op != NULL)
		return (0);
	return (-1);
}

/* eng_step_done - a step ended: 1 if a waiting delete took over */
int
eng_step_done(struct eng *e)
{
	e->op = NULL;
	if (!e->del_pending)
		return (0);
	eng_stop_run(e);
	return (1);
}

/* eng_fail - last logs, remove the container, state failed (or st) */
void
eng_fail(struct eng *e, enum eng_state st, const char *fmt, ...)
{
	char	path[160], msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	eng_cancel_all(e);
	free(e->last_error);
	e->last_error = xstrdup(msg);
	log_info("engine %s: %s", e->spec.name, msg);
	e->pending_state = st;
	if (e->container_id[0] == '\0' || !e->w->docker_ok) {
		eng_set_state(e, st, NULL);
		return;
	}
	snprintf(e->progress, sizeof(e->progress), "failing: %.160s", msg);
	e->tail = eng_lines_new(ENG_LOG_LINES);
	eng_demux_init(&e->demux, 0);
	snprintf(path, sizeof(path),
	    "/containers/%s/logs?stdout=1&stderr=1&tail=%d", e->container_id,
	    ENG_LOG_LINES);
	if (eng_step(e, "GET", path, NULL, ENG_STEP_TIMEOUT_MS,
	    eng_tail_data, eng_fail_logs_done) == -1)
		eng_fail_logs_done(NULL, e);
}

/* eng_fail_logs_done - the last lines are in: remove the container */
static void
eng_fail_logs_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;
	char		 path[128];

	(void)r;
	if (eng_step_done(e))
		return;
	cJSON_Delete(e->logs);
	e->logs = e->tail != NULL ? eng_lines_json(e->tail) : NULL;
	eng_lines_free(e->tail);
	e->tail = NULL;
	snprintf(path, sizeof(path), "/containers/%s?force=1",
	    e->container_id);
	if (eng_step(e, "DELETE", path, NULL, ENG_STEP_TIMEOUT_MS, NULL,
	    eng_fail_removed) == -1)
		eng_fail_removed(NULL, e);
}

/* eng_fail_removed - the container is gone (or could not be removed) */
static void
eng_fail_removed(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;
	char		*msg;

	if (eng_step_done(e))
		return;
	if (r == NULL || (r->code != NULL && r->status != 404)) {
		xasprintf(&msg, "%s (container %.12s not removed: %s)",
		    e->last_error, e->container_id,
		    r != NULL && r->message != NULL ? r->message :
		    "Docker unreachable");
		free(e->last_error);
		e->last_error = msg;
	} else
		e->container_id[0] = '\0';
	eng_set_state(e, e->pending_state, NULL);
}

/* eng_time_add - t as RFC 3339 UTC under key, or null */
static void
eng_time_add(cJSON *o, const char *key, time_t t)
{
	struct tm	tm;
	char		buf[32];

	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(o, key, buf);
}

/* eng_str_add - s under key, or null when empty */
static void
eng_str_add(cJSON *o, const char *key, const char *s)
{
	if (s == NULL || *s == '\0')
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, s);
}

/* eng_json - the engine as docs/protocol.md says */
cJSON *
eng_json(const struct eng *e)
{
	cJSON	*o, *spec;
	char	 url[64];
	time_t	 now = time(NULL);

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", e->spec.name);
	cJSON_AddStringToObject(o, "engine", e->spec.engine);
	eng_str_add(o, "image", e->spec.image);
	eng_str_add(o, "container_id", e->container_id);
	cJSON_AddStringToObject(o, "state", eng_state_name(e->state));
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1", e->spec.port);
	cJSON_AddStringToObject(o, "endpoint", url);
	cJSON_AddNumberToObject(o, "port", e->spec.port);
	cJSON_AddItemToObject(o, "gpus", eng_spec_gpus_json(&e->spec));
	eng_str_add(o, "model", e->spec.model);
	cJSON_AddStringToObject(o, "served_model", e->prof != NULL &&
	    e->prof->model_is_name && e->spec.model != NULL ? e->spec.model :
	    e->spec.name);
	spec = eng_spec_json(&e->spec);
	cJSON_AddItemToObject(o, "args",
	    cJSON_DetachItemFromObjectCaseSensitive(spec, "args"));
	cJSON_AddItemToObject(o, "env_names",
	    cJSON_DetachItemFromObjectCaseSensitive(spec, "env_names"));
	cJSON_AddItemToObject(o, "secret_env",
	    cJSON_DetachItemFromObjectCaseSensitive(spec, "secret_env"));
	cJSON_Delete(spec);
	eng_time_add(o, "created", e->created);
	eng_time_add(o, "started", e->started);
	eng_time_add(o, "ready_at", e->ready_at);
	if (e->started != 0 && (e->state == ENG_LOADING ||
	    e->state == ENG_READY) && now >= e->started)
		cJSON_AddNumberToObject(o, "uptime_s",
		    (double)(now - e->started));
	else
		cJSON_AddNullToObject(o, "uptime_s");
	eng_str_add(o, "progress", e->progress);
	eng_str_add(o, "last_error", e->last_error);
	if (e->exit_code >= 0)
		cJSON_AddNumberToObject(o, "exit_code", e->exit_code);
	else
		cJSON_AddNullToObject(o, "exit_code");
	if (e->logs != NULL)
		cJSON_AddItemToObject(o, "logs", cJSON_Duplicate(e->logs, 1));
	else
		cJSON_AddNullToObject(o, "logs");
	cJSON_AddBoolToObject(o, "adopted", e->adopted);
	return (o);
}
