/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_launch - the steps of a launch: image, pull, create, start
 * SYNOPSIS
 *	#include "eng_engine.h"
 *
 *	void	eng_launch(struct eng *e, cJSON *secrets);
 * DESCRIPTION
 *	GET /images/{image}/json says whether the image is here; if not,
 *	POST /images/create?fromImage=... pulls it, its answer a stream of
 *	JSON lines whose progress becomes e->progress and whose "error"
 *	fails the launch. POST /containers/create?name=corral-NAME makes
 *	the container from eng_spec_create_body; its id is recorded at once,
 *	so a failure (or a restart of this worker) after it knows what to
 *	remove. POST /containers/{id}/start, then eng_watch.
 *
 *	The secret values (secrets: variable -> value) live only in the
 *	create body; both are wiped and freed as soon as the request is
 *	handed to the client.
 * DIAGNOSTICS
 *	Every refusal is a failure of the engine (eng_fail) whose last_error
 *	names the step and says Docker's message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "xmalloc.h"

#include "eng_docker.h"
#include "eng_engine.h"
#include "eng_worker.h"

#define ENG_PULL_TIMEOUT_MS	(6 * 3600 * 1000L)	/* a big image */
#define ENG_PULL_LINE_MAX	(64 * 1024)

static void	eng_launch_pull(struct eng *);
static void	eng_launch_create(struct eng *);

/* eng_launch_secrets_drop - wipe and free the secret values */
static void
eng_launch_secrets_drop(struct eng *e)
{
	eng_wipe_json(e->secrets);
	cJSON_Delete(e->secrets);
	e->secrets = NULL;
}

/* eng_launch_image_done - is the image here? */
static void
eng_launch_image_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;

	if (eng_step_done(e))
		return;
	if (r->status == 200) {
		eng_launch_create(e);
		return;
	}
	if (r->status == 404) {
		eng_launch_pull(e);
		return;
	}
	eng_fail(e, ENG_FAILED, "inspect image %s: %s", e->spec.image,
	    r->message != NULL ? r->message : "no answer");
}

/* eng_launch - pull, create, start, watch; secrets: var -> value or NULL */
void
eng_launch(struct eng *e, cJSON *secrets)
{
	char	path[512];

	e->secrets = secrets;
	eng_set_state(e, ENG_PULLING, "checking the image");
	log_info("engine %s: launching %s (%s) on port %d", e->spec.name,
	    e->spec.engine, e->spec.image, e->spec.port);
	snprintf(path, sizeof(path), "/images/%s/json", e->spec.image);
	if (eng_step(e, "GET", path, NULL, ENG_STEP_TIMEOUT_MS, NULL,
	    eng_launch_image_done) == -1)
		eng_fail(e, ENG_FAILED, "Docker cannot be reached");
}

/* eng_launch_pull_line - one JSON line of the pull stream */
static void
eng_launch_pull_line(struct eng *e, const char *line)
{
	const cJSON	*err, *st, *det, *cur, *tot;
	cJSON		*j;

	if ((j = cJSON_Parse(line)) == NULL)
		return;
	if (cJSON_IsString(err = cJSON_GetObjectItemCaseSensitive(j,
	    "error")) && e->pull_err[0] == '\0')
		snprintf(e->pull_err, sizeof(e->pull_err), "%s",
		    err->valuestring);
	st = cJSON_GetObjectItemCaseSensitive(j, "status");
	det = cJSON_GetObjectItemCaseSensitive(j, "progressDetail");
	cur = cJSON_GetObjectItemCaseSensitive(det, "current");
	tot = cJSON_GetObjectItemCaseSensitive(det, "total");
	if (cJSON_IsNumber(cur) && cJSON_IsNumber(tot) && tot->valuedouble > 0)
		snprintf(e->progress, sizeof(e->progress), "pulling %s %d%%",
		    e->spec.image, (int)(100.0 * cur->valuedouble /
		    tot->valuedouble));
	else if (cJSON_IsString(st))
		snprintf(e->progress, sizeof(e->progress), "pulling %s: %.80s",
		    e->spec.image, st->valuestring);
	cJSON_Delete(j);
}

/* eng_launch_pull_data - a piece of the pull stream, cut into lines */
static int
eng_launch_pull_data(const char *buf, size_t len, void *arg)
{
	struct eng	*e = arg;
	char		*nl;
	size_t		 take;

	while (len > 0) {
		nl = memchr(buf, '\n', len);
		take = nl != NULL ? (size_t)(nl - buf) : len;
		if (e->pull_len + take < ENG_PULL_LINE_MAX) {
			e->pull_buf = realloc(e->pull_buf, e->pull_len +
			    take + 1);
			if (e->pull_buf == NULL)
				return (-1);
			memcpy(e->pull_buf + e->pull_len, buf, take);
			e->pull_len += take;
			e->pull_buf[e->pull_len] = '\0';
		}
		if (nl == NULL)
			break;
		eng_launch_pull_line(e, e->pull_buf);
		e->pull_len = 0;
		buf += take + 1;
		len -= take + 1;
	}
	return (0);
}

/* eng_launch_pull_done - the pull ended: with an error or the image */
static void
eng_launch_pull_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;

	if (e->pull_len > 0)
		eng_launch_pull_line(e, e->pull_buf);
	free(e->pull_buf);
	e->pull_buf = NULL;
	e->pull_len = 0;
	if (eng_step_done(e))
		return;
	if (r->status != 200 || e->pull_err[0] != '\0') {
		eng_fail(e, ENG_FAILED, "pull %s: %s", e->spec.image,
		    e->pull_err[0] != '\0' ? e->pull_err :
		    r->message != NULL ? r->message : "failed");
		return;
	}
	log_info("engine %s: pulled %s", e->spec.name, e->spec.image);
	eng_launch_create(e);
}

/* eng_launch_pull - POST /images/create?fromImage=IMAGE */
static void
eng_launch_pull(struct eng *e)
{
	char	path[1024] = "/images/create?fromImage=";

	eng_set_state(e, ENG_PULLING, "pulling");
	e->pull_err[0] = '\0';
	if (eng_docker_query_escape(path, sizeof(path), e->spec.image) == -1) {
		eng_fail(e, ENG_FAILED, "image name too long");
		return;
	}
	if (eng_step(e, "POST", path, NULL, ENG_PULL_TIMEOUT_MS,
	    eng_launch_pull_data, eng_launch_pull_done) == -1)
		eng_fail(e, ENG_FAILED, "Docker cannot be reached");
}

/* eng_launch_started - the container runs: watch it load */
static void
eng_launch_started(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;

	if (eng_step_done(e))
		return;
	if (r->code != NULL && r->status != 304) {
		eng_fail(e, ENG_FAILED, "start: %s", r->message);
		return;
	}
	e->started = time(NULL);
	eng_set_state(e, ENG_LOADING, "started");
	eng_watch(e);
}

/* eng_launch_created - the container exists: note it, start it */
static void
eng_launch_created(const struct eng_docker_resp *r, void *arg)
{
	struct eng	*e = arg;
	const cJSON	*id;
	char		 path[160];

	id = r->json != NULL ? cJSON_GetObjectItemCaseSensitive(r->json,
	    "Id") : NULL;
	if (r->status == 201 && cJSON_IsString(id) &&
	    strlen(id->valuestring) < sizeof(e->container_id))
		snprintf(e->container_id, sizeof(e->container_id), "%s",
		    id->valuestring);
	if (eng_step_done(e))
		return;
	if (e->container_id[0] == '\0') {
		if (r->status == 409)
			eng_fail(e, ENG_FAILED, "create: a container named "
			    "corral-%s already exists (%s)", e->spec.name,
			    r->message);
		else
			eng_fail(e, ENG_FAILED, "create: %s", r->message != NULL ?
			    r->message : "no container id in the answer");
		return;
	}
	eng_set_state(e, ENG_STARTING, "created");
	snprintf(path, sizeof(path), "/containers/%s/start", e->container_id);
	if (eng_step(e, "POST", path, NULL, ENG_STEP_TIMEOUT_MS, NULL,
	    eng_launch_started) == -1)
		eng_fail(e, ENG_FAILED, "Docker cannot be reached");
}

/* eng_launch_create - POST /containers/create with the spec's body */
static void
eng_launch_create(struct eng *e)
{
	struct eng_spec_err	 err;
	cJSON			*body;
	char			 path[160];
	int			 rc;

	eng_set_state(e, ENG_STARTING, "creating the container");
	body = eng_spec_create_body(&e->spec, e->prof, e->secrets,
	    e->w->instance, &err);
	eng_launch_secrets_drop(e);
	if (body == NULL) {
		eng_fail(e, ENG_FAILED, "%s", err.message);
		return;
	}
	snprintf(path, sizeof(path), "/containers/create?name=corral-%s",
	    e->spec.name);
	rc = eng_step(e, "POST", path, body, ENG_STEP_TIMEOUT_MS, NULL,
	    eng_launch_created);
	eng_wipe_json(body);
	cJSON_Delete(body);
	if (rc == -1)
		eng_fail(e, ENG_FAILED, "Docker cannot be reached");
}
