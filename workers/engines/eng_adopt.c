/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_adopt - find our containers after a start, check the models root
 * SYNOPSIS
 *	void	eng_adopt(struct eng_worker *w);
 *	void	eng_adopt_models(struct eng_worker *w);
 * DESCRIPTION
 *	eng_adopt lists the containers labelled corral.instance=OUR-ID
 *	(never by name: a container named like ours but not labelled is
 *	not ours). Each is matched to its record by its corral.engine
 *	label, or becomes a new engine from its corral.engine.spec label
 *	when the record is lost. A running container is watched again
 *	(eng_watch: one probe and it is ready); one that exited or never
 *	started is failed like any other (its last lines kept, removed).
 *	A record whose container is not in the list is vanished if it had
 *	one, failed ("interrupted") if its launch had not created one yet.
 *
 *	eng_adopt_models runs when corral itself is in a container
 *	(/.dockerenv or /run/.containerenv): the paths it gives Docker are
 *	host paths, so the models root must be mounted at the same path
 *	inside and outside. It inspects its own container (the hostname is
 *	its id) and, if the mount under the models root is missing or maps
 *	another host path, sets w->models_reason: launches with a model
 *	path are then refused with that reason.
 * DIAGNOSTICS
 *	One info line per adopted engine; a failed listing is logged and
 *	tried again with the next connection attempt.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#include "eng_adopt.h"
#include "eng_docker.h"
#include "eng_engine.h"
#include "eng_worker.h"

/* eng_adopt_label - the string label key of container c, or NULL */
static const char *
eng_adopt_label(const cJSON *c, const char *key)
{
	const cJSON	*l;

	l = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c,
	    "Labels"), key);
	return (cJSON_IsString(l) ? l->valuestring : NULL);
}

/* eng_adopt_exit_code - N of a Status "Exited (N) 3 minutes ago", or -1 */
static int
eng_adopt_exit_code(const cJSON *c)
{
	const cJSON	*s = cJSON_GetObjectItemCaseSensitive(c, "Status");
	int		 code;

	if (cJSON_IsString(s) && sscanf(s->valuestring, "Exited (%d)",
	    &code) == 1)
		return (code);
	return (-1);
}

/* eng_adopt_engine - the engine for container c: its record's, or new */
static struct eng *
eng_adopt_engine(struct eng_worker *w, const cJSON *c, const char *name)
{
	struct eng_spec	 spec;
	struct eng	*e;
	const char	*s;
	cJSON		*j;

	if ((e = eng_worker_find(w, name)) != NULL)
		return (e);
	memset(&spec, 0, sizeof(spec));
	s = eng_adopt_label(c, "corral.engine.spec");
	j = s != NULL ? cJSON_Parse(s) : NULL;
	if (j == NULL || eng_spec_from_json(j, &spec) == -1 ||
	    strcmp(spec.name, name) != 0) {
		cJSON_Delete(j);
		eng_spec_free(&spec);
		return (NULL);
	}
	cJSON_Delete(j);
	e = eng_new(w, &spec);
	e->state = ENG_LOADING;
	eng_worker_add(w, e);
	return (e);
}

/* eng_adopt_one - take container c over */
static void
eng_adopt_one(struct eng_worker *w, const cJSON *c)
{
	struct eng	*e;
	const cJSON	*id, *st;
	const char	*name;

	id = cJSON_GetObjectItemCaseSensitive(c, "Id");
	st = cJSON_GetObjectItemCaseSensitive(c, "State");
	if ((name = eng_adopt_label(c, "corral.engine")) == NULL ||
	    !cJSON_IsString(id) || strlen(id->valuestring) >= 72)
		return;
	if ((e = eng_adopt_engine(w, c, name)) == NULL) {
		log_warnx("container %.12s is labelled as engine %s but its "
		    "spec label does not parse; left alone", id->valuestring,
		    name);
		return;
	}
	if (e->seen || e->op != NULL || e->wait != NULL)
		return;		/* a second container, or ours already */
	e->seen = 1;
	e->adopted = 1;
	snprintf(e->container_id, sizeof(e->container_id), "%s",
	    id->valuestring);
	if (cJSON_IsString(st) && strcmp(st->valuestring, "running") == 0) {
		log_info("engine %s: adopted running container %.12s", name,
		    e->container_id);
		if (e->started == 0)
			e->started = time(NULL);
		if (e->state != ENG_READY)
			e->state = ENG_LOADING;
		eng_watch(e);
		return;
	}
	e->exit_code = eng_adopt_exit_code(c);
	eng_fail(e, ENG_FAILED, "found %s at start (exit code %d)",
	    cJSON_IsString(st) ? st->valuestring : "not running",
	    e->exit_code);
}

/* eng_adopt_done - the list of our containers */
static void
eng_adopt_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng_worker	*w = arg;
	struct eng		*e;
	const cJSON		*c;

	if (r->code != NULL || !cJSON_IsArray(r->json)) {
		log_warnx("cannot list our containers: %s", r->message != NULL ?
		    r->message : "not a list");
		w->adopted = 0;
		return;
	}
	TAILQ_FOREACH(e, &w->engines, entry)
		e->seen = 0;
	cJSON_ArrayForEach(c, r->json)
		eng_adopt_one(w, c);
	TAILQ_FOREACH(e, &w->engines, entry) {
		if (e->seen || !eng_is_active(e) || e->op != NULL ||
		    e->wait != NULL)
			continue;
		if (e->container_id[0] != '\0') {
			e->container_id[0] = '\0';
			free(e->last_error);
			e->last_error = xstrdup("its container is gone");
			eng_set_state(e, ENG_VANISHED, NULL);
		} else {
			free(e->last_error);
			e->last_error = xstrdup("the launch was interrupted "
			    "by a restart of the engines worker");
			eng_set_state(e, ENG_FAILED, NULL);
		}
	}
}

/* eng_adopt - list the containers labelled with our instance */
void
eng_adopt(struct eng_worker *w)
{
	char	filt[128], path[512] = "/containers/json?all=1&filters=";

	snprintf(filt, sizeof(filt), "{\"label\":[\"corral.instance=%s\"]}",
	    w->instance);
	if (eng_docker_query_escape(path, sizeof(path), filt) == -1 ||
	    eng_docker_call(w->docker, "GET", path, NULL, ENG_STEP_TIMEOUT_MS,
	    NULL, eng_adopt_done, w) == NULL) {
		log_warnx("cannot list our containers");
		return;
	}
	w->adopted = 1;
}

/* eng_adopt_models_done - our own container: where is the models root? */
static void
eng_adopt_models_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng_worker	*w = arg;
	const cJSON		*m, *src, *dst, *best = NULL;
	size_t			 n, bestn = 0;
	const char		*root = w->models_root;

	if (r->code != NULL) {
		log_warnx("cannot inspect our own container (%s); the models "
		    "root is not checked", r->message);
		return;
	}
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(r->json,
	    "Mounts")) {
		dst = cJSON_GetObjectItemCaseSensitive(m, "Destination");
		if (!cJSON_IsString(dst))
			continue;
		n = strlen(dst->valuestring);
		if (strncmp(root, dst->valuestring, n) == 0 &&
		    (root[n] == '/' || root[n] == '\0') && n >= bestn) {
			best = m;
			bestn = n;
		}
	}
	src = cJSON_GetObjectItemCaseSensitive(best, "Source");
	if (best == NULL || !cJSON_IsString(src))
		snprintf(w->models_reason, sizeof(w->models_reason),
		    "the models root %s is not mounted into corral's "
		    "container; mount the host's %s at the same path", root,
		    root);
	else if (strcmp(src->valuestring, cJSON_GetObjectItemCaseSensitive(
	    best, "Destination")->valuestring) != 0)
		snprintf(w->models_reason, sizeof(w->models_reason),
		    "the models root %s comes from the host's %s; engines would "
		    "see another path: mount it at the same path inside and "
		    "outside", root, src->valuestring);
	else
		w->models_reason[0] = '\0';
	if (w->models_reason[0] != '\0')
		log_warnx("%s", w->models_reason);
}

/* eng_adopt_models - inside a container: is the models root a host path? */
void
eng_adopt_models(struct eng_worker *w)
{
	char	host[HOST_NAME_MAX + 1], path[HOST_NAME_MAX + 32];

	if (access("/.dockerenv", F_OK) == -1 &&
	    access("/run/.containerenv", F_OK) == -1)
		return;
	if (gethostname(host, sizeof(host)) == -1 || host[0] == '\0' ||
	    strchr(host, '/') != NULL)
		return;
	snprintf(path, sizeof(path), "/containers/%s/json", host);
	if (eng_docker_call(w->docker, "GET", path, NULL, ENG_STEP_TIMEOUT_MS,
	    NULL, eng_adopt_models_done, w) == NULL)
		log_warnx("cannot inspect our own container");
}
