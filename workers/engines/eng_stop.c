/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_stop - delete an engine: stop its container, remove it, forget it
 * SYNOPSIS
 *	#include "eng_engine.h"
 *
 *	void	eng_delete(struct eng *e, int timeout_s, eng_done_fn *done,
 *		    void *arg);
 *	void	eng_stop_run(struct eng *e);
 * DESCRIPTION
 *	eng_delete notes the delete; if a Docker step is under way it
 *	waits for it (the step's callback calls eng_stop_run), except a
 *	pull, which is cancelled: it has created nothing. eng_stop_run then
 *	cancels the watch, closes followed logs, asks POST
 *	/containers/{id}/stop?t=timeout_s (Docker kills the container after
 *	that) and DELETE /containers/{id}?force=1 (the container only:
 *	named volumes stay), and removes the record. "Not modified" (already
 *	stopped) and "no such container" count as done.
 *
 *	An engine without a container (failed, vanished, or a launch that
 *	had not created one yet) is only forgotten.
 * DIAGNOSTICS
 *	done gets NULL on success, else an error code (unavailable when
 *	Docker cannot be reached, docker_error for Docker's refusals) and a
 *	message; the engine is then kept, with last_error saying why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

#include "eng_engine.h"
#include "eng_logs.h"
#include "eng_store.h"
#include "eng_worker.h"

static void	eng_stop_removed(const struct eng_docker_resp *, void *);

/* eng_stop_finish - the delete ended: tell whoever asked */
static void
eng_stop_finish(struct eng *e, const char *code, const char *msg)
{
	eng_done_fn	*done = e->del_done;
	void		*arg = e->del_arg;

	e->del_pending = 0;
	e->del_done = NULL;
	if (code == NULL) {
		eng_store_remove(e);
		log_info("engine %s: deleted", e->spec.name);
	} else {
		free(e->last_error);
		e->last_error = xstrdup(msg);
		eng_store_save(e);
	}
	if (done != NULL)
		done(e, code, msg, arg);
}

/* eng_stop_stopped - the container stopped: remove it */
static void
eng_stop_stopped(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;
	char		 path[160], msg[512];

	e->op = NULL;
	if (r->code != NULL && r->status != 304 && r->status != 404) {
		snprintf(msg, sizeof(msg), "stop: %s", r->message);
		eng_stop_finish(e, r->status == 0 ? "unavailable" :
		    "docker_error", msg);
		return;
	}
	snprintf(path, sizeof(path), "/containers/%s?force=1",
	    e->container_id);
	if (eng_step(e, "DELETE", path, NULL, ENG_STEP_TIMEOUT_MS, NULL,
	    eng_stop_removed) == -1)
		eng_stop_finish(e, "unavailable", "Docker cannot be reached");
}

/* eng_stop_removed - the container is gone */
static void
eng_stop_removed(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;
	char		 msg[512];

	e->op = NULL;
	if (r->code != NULL && r->status != 404) {
		snprintf(msg, sizeof(msg), "remove: %s", r->message);
		eng_stop_finish(e, r->status == 0 ? "unavailable" :
		    "docker_error", msg);
		return;
	}
	e->container_id[0] = '\0';
	eng_stop_finish(e, NULL, NULL);
}

/* eng_stop_run - cancel the watch, stop and remove the container */
void
eng_stop_run(struct eng *e)
{
	char	path[160];

	eng_cancel_all(e);
	eng_logs_close_all(e);
	if (e->container_id[0] == '\0') {
		eng_stop_finish(e, NULL, NULL);
		return;
	}
	if (!e->w->docker_ok) {
		eng_stop_finish(e, "unavailable", e->w->docker_reason);
		return;
	}
	snprintf(e->progress, sizeof(e->progress), "stopping");
	snprintf(path, sizeof(path), "/containers/%s/stop?t=%d",
	    e->container_id, e->del_timeout_s);
	if (eng_step(e, "POST", path, NULL,
	    (long)(e->del_timeout_s + 30) * 1000, NULL, eng_stop_stopped) == -1)
		eng_stop_finish(e, "unavailable", "Docker cannot be reached");
}

/* eng_delete - stop, remove, forget; done once */
void
eng_delete(struct eng *e, int timeout_s, eng_done_fn *done, void *arg)
{
	if (e->del_pending) {
		done(e, "conflict", "a delete of this engine is under way",
		    arg);
		return;
	}
	e->del_pending = 1;
	e->del_timeout_s = timeout_s;
	e->del_done = done;
	e->del_arg = arg;
	if (e->op != NULL && e->state == ENG_PULLING) {
		eng_http_cancel(e->op);
		e->op = NULL;
	}
	if (e->op == NULL)
		eng_stop_run(e);
	/* else the step's callback calls eng_stop_run */
}
