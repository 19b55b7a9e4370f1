/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_routes - GET /v1/routes: the routes file's and the engines'
 * SYNOPSIS
 *	#include "http_routes.h"
 * DESCRIPTION
 *	A model route is either a row of the routes file, which the
 *	secrets worker reads and checks against the store (MSG_ROUTES_LIST),
 *	or an inference engine the engines worker runs on this host and
 *	reports ready (MSG_ENGINE_LIST). Both are asked at once, each with
 *	the bus timeout, and the answer goes out when both have answered
 *	or failed:
 *
 *	  {"routes":[{"name","provider","base_url","model","secret",
 *	   "headers","available","reason","source"}, ...]}
 *
 *	The file's rows come first, rebuilt by http_secrets_route() from
 *	the documented members only, with "source":"file". Then each
 *	engine whose state is "ready", in the engines worker's order (by
 *	name), as {"name": the engine's name, "provider":
 *	"openai-compatible", "base_url": its endpoint, "model": the
 *	model name it serves ("served_model": the engine's name, or for
 *	Ollama the model it pulled; its name if the worker sent none),
 *	"secret": null, "headers": [], "available": true, "reason": null,
 *	"source": "engine"}. An engine in any other state is left out:
 *	it cannot take a request.
 *
 *	The secrets worker decides the outcome as it always has: its
 *	errors (not running, slow, refusing, malformed) answer the request
 *	through http_bus.c, whatever the engines worker says. The engines
 *	worker only adds rows: when it is not running, not enabled, slow,
 *	refusing or malformed, the answer holds the file's rows alone.
 * DIAGNOSTICS
 *	A malformed reply of the secrets worker is 502 and a warning; one
 *	of the engines worker is a warning, an error from it a debug line.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "frame.h"
#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#include "http_bus.h"
#include "http_call.h"
#include "http_reply.h"
#include "http_routes.h"
#include "http_secrets.h"

#define HTTP_ROUTES_SECRETS	"the secrets worker"
#define HTTP_ROUTES_ENGINES	"the engines worker"

/* what the two answers leave until both are in */
struct http_routes_join {
	cJSON	*routes;	/* the file's rows, rebuilt; NULL if none */
	cJSON	*engines;	/* the engines worker's reply, or NULL */
	int	 pending;	/* answers still to come, +1 while asking */
	int	 answered;	/* the client has its answer (an error) */
};

/* http_routes_engine - the route of a ready engine; NULL if not ready */
cJSON *
http_routes_engine(const cJSON *engine)
{
	const cJSON	*name, *state, *endpoint, *served;
	cJSON		*out;

	name = cJSON_GetObjectItemCaseSensitive(engine, "name");
	state = cJSON_GetObjectItemCaseSensitive(engine, "state");
	endpoint = cJSON_GetObjectItemCaseSensitive(engine, "endpoint");
	if (!cJSON_IsString(name) || *name->valuestring == '\0' ||
	    !cJSON_IsString(state) || strcmp(state->valuestring, "ready") != 0)
		return (NULL);
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "name", name->valuestring);
	cJSON_AddStringToObject(out, "provider", "openai-compatible");
	if (cJSON_IsString(endpoint))
		cJSON_AddStringToObject(out, "base_url", endpoint->valuestring);
	else
		cJSON_AddNullToObject(out, "base_url");
	served = cJSON_GetObjectItemCaseSensitive(engine, "served_model");
	cJSON_AddStringToObject(out, "model", cJSON_IsString(served) &&
	    *served->valuestring != '\0' ? served->valuestring :
	    name->valuestring);
	cJSON_AddNullToObject(out, "secret");
	cJSON_AddArrayToObject(out, "headers");
	cJSON_AddTrueToObject(out, "available");
	cJSON_AddNullToObject(out, "reason");
	cJSON_AddStringToObject(out, "source", "engine");
	return (out);
}

/* http_routes_file - the file's rows of a MSG_ROUTES_LIST reply; NULL if bad */
static cJSON *
http_routes_file(const cJSON *reply)
{
	const cJSON	*rows, *row;
	cJSON		*list, *r;

	rows = cJSON_GetObjectItemCaseSensitive(reply, "routes");
	if (!cJSON_IsArray(rows))
		return (NULL);
	list = cJSON_CreateArray();
	cJSON_ArrayForEach(row, rows) {
		if (!cJSON_IsObject(row))
			continue;
		r = http_secrets_route(row);
		cJSON_AddStringToObject(r, "source", "file");
		cJSON_AddItemToArray(list, r);
	}
	return (list);
}

/* http_routes_finish - one answer is in; reply once both are */
static void
http_routes_finish(struct http_call *call, struct http_routes_join *j)
{
	const cJSON	*list, *e;
	cJSON		*out, *r;

	if (--j->pending > 0)
		return;
	if (call->req != NULL && !j->answered && j->routes != NULL) {
		list = cJSON_GetObjectItemCaseSensitive(j->engines, "engines");
		if (!cJSON_IsArray(list))
			list = NULL;
		cJSON_ArrayForEach(e, list)
			if ((r = http_routes_engine(e)) != NULL)
				cJSON_AddItemToArray(j->routes, r);
		out = cJSON_CreateObject();
		cJSON_AddItemToObject(out, "routes", j->routes);
		j->routes = NULL;
		http_reply_json(call, HTTP_ST_OK, out);
	}
	cJSON_Delete(j->routes);
	cJSON_Delete(j->engines);
	free(j);
}

/* http_routes_secrets_cb - the secrets worker's answer, or its failure */
static void
http_routes_secrets_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_routes_join	*j = arg;
	cJSON			*r;

	if (call->req != NULL && !j->answered) {
		if ((r = http_bus_reply(call, f, err, MSG_ROUTES_LIST,
		    HTTP_ROUTES_SECRETS)) == NULL)
			j->answered = 1;
		else if ((j->routes = http_routes_file(r)) == NULL) {
			log_warnx("%s: %s sent no routes array", __func__,
			    HTTP_ROUTES_SECRETS);
			http_reply_error(call, HTTP_ST_BAD_GATEWAY,
			    "bad_gateway", "%s sent a malformed reply",
			    HTTP_ROUTES_SECRETS);
			j->answered = 1;
		}
		cJSON_Delete(r);
	}
	http_routes_finish(call, j);
}

/* http_routes_engines_cb - the engines worker's list, or nothing */
static void
http_routes_engines_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_routes_join	*j = arg;
	cJSON			*r = NULL;

	if (f == NULL)
		log_debug("/v1/routes: no answer from %s: %s",
		    HTTP_ROUTES_ENGINES, strerror(err));
	else if (f->hdr.type == MSG_ERROR)
		log_debug("/v1/routes: %s refused", HTTP_ROUTES_ENGINES);
	else if (f->hdr.type == MSG_ENGINE_LIST &&
	    cJSON_IsObject(r = frame_json(f))) {
		j->engines = r;
		r = NULL;
	} else
		log_warnx("%s: bad reply from %s: type %u, %u bytes",
		    __func__, HTTP_ROUTES_ENGINES, f->hdr.type, f->hdr.len);
	cJSON_Delete(r);
	http_routes_finish(call, j);
}

/* http_routes_list - GET /v1/routes */
void
http_routes_list(struct http_call *call)
{
	struct http_routes_join	*j;
	cJSON			*empty;

	j = xcalloc(1, sizeof(*j));
	j->pending = 1;			/* held until both are sent */
	empty = cJSON_CreateObject();
	if (http_call_bus_arg(call, PROC_SECRETS, MSG_ROUTES_LIST, empty,
	    http_routes_secrets_cb, j) == 0) {
		j->pending++;
		if (http_call_bus_arg(call, PROC_ENGINES, MSG_ENGINE_LIST,
		    empty, http_routes_engines_cb, j) == 0)
			j->pending++;
	} else {
		http_reply_error(call, HTTP_ST_UNAVAILABLE, "unavailable",
		    "the master cannot be reached");
		j->answered = 1;
	}
	cJSON_Delete(empty);
	http_routes_finish(call, j);
}
