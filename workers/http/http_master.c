/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_master - endpoints answered by asking the master
 * SYNOPSIS
 *	#include "http_master.h"
 * DESCRIPTION
 *	Each handler asks the master (MSG_STATUS, through http_status.c,
 *	which lets the calls waiting at the same time share one request,
 *	or MSG_RESTART {"name"}) and answers its client from the reply:
 *
 *	  GET /readyz			200 {"ready":true}, or 503
 *					{"ready":false,"draining":b,
 *					"not_ready":[names]}: the enabled
 *					workers whose state is not "ready".
 *					Once draining: 503 at once, no bus.
 *	  GET /v1/runtime		the worker's own settings (version,
 *					bind, roots, modes) and the master's
 *					facts (pid, uptime_s, draining, ready,
 *					workers).
 *	  GET /v1/workers		{"workers":[...]} as the master says.
 *	  GET /v1/workers/{name}	that worker's object, or 404.
 *	  POST /v1/workers/{name}/restart  202 and the master's
 *					{"name","state","pid"}.
 *
 *	http_master_reply() turns every failure into an answer, so a
 *	handler only ever sees a good reply: no reply in time (504
 *	timeout), the channel down (503 unavailable), MSG_ERROR (503
 *	unavailable; for a restart the master's code, mapped by
 *	http_master_errors: not_found 404, conflict 409, draining 503,
 *	anything else 502), a reply of the wrong type or not a JSON object
 *	(502 bad_gateway).
 *
 *	Restarting the http worker itself works: the master replies before
 *	it stops us, and shutdown waits for the 202 to be written.
 * DIAGNOSTICS
 *	A malformed reply from the master is logged as a warning.
 */
#include <errno.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "frame.h"
#include "log.h"
#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "http_auth.h"
#include "http_call.h"
#include "http_master.h"
#include "http_reply.h"
#include "http_server.h"
#include "http_status.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION	"unknown"
#endif

static const struct http_master_error {
	const char	*code;
	int		 status;
} http_master_errors[] = {
	{ "not_found", HTTP_ST_NOT_FOUND },
	{ "conflict", HTTP_ST_CONFLICT },
	{ "draining", HTTP_ST_UNAVAILABLE },
};

static const char http_master_draining_body[] =
    "{\"ready\":false,\"draining\":true,\"not_ready\":[]}";
static const char http_master_ready_body[] = "{\"ready\":true}";

/* http_master_is_draining - has shutdown begun, as far as we know? */
static int
http_master_is_draining(const struct http_call *call)
{
	return (call->srv->draining || call->srv->rt->draining);
}

/* http_master_ask - send type to the master for call; 503 if we cannot */
static void
http_master_ask(struct http_call *call, uint16_t type, const cJSON *body,
    http_bus_fn *fn)
{
	cJSON	*empty = NULL;

	if (body == NULL)
		body = empty = cJSON_CreateObject();
	if (http_call_bus(call, PROC_MASTER, type, body, fn) == -1)
		http_reply_error(call, HTTP_ST_UNAVAILABLE, "unavailable",
		    "the master cannot be reached");
	cJSON_Delete(empty);
}

/* http_master_error - answer a MSG_ERROR reply to a request of type want */
static void
http_master_error(struct http_call *call, const cJSON *body, uint16_t want)
{
	const cJSON	*code, *msg;
	const char	*c = "unavailable", *m = "the master refused";
	int		 status = HTTP_ST_UNAVAILABLE;
	size_t		 i;

	code = cJSON_GetObjectItemCaseSensitive(body, "code");
	msg = cJSON_GetObjectItemCaseSensitive(body, "message");
	if (cJSON_IsString(msg))
		m = msg->valuestring;
	if (want == MSG_RESTART) {
		c = cJSON_IsString(code) ? code->valuestring : "bad_gateway";
		status = HTTP_ST_BAD_GATEWAY;
		for (i = 0; i < sizeof(http_master_errors) /
		    sizeof(http_master_errors[0]); i++)
			if (strcmp(c, http_master_errors[i].code) == 0)
				status = http_master_errors[i].status;
	}
	http_reply_error(call, status, c, "%s", m);
}

/* http_master_reply - the JSON of a good reply; NULL once call is answered */
static cJSON *
http_master_reply(struct http_call *call, struct frame *f, int err,
    uint16_t want)
{
	cJSON	*body;

	if (f == NULL) {
		if (err == ETIMEDOUT)
			http_reply_error(call, HTTP_ST_GATEWAY_TIMEOUT,
			    "timeout", "the master did not answer in %d ms",
			    HTTP_BUS_TIMEOUT_MS);
		else
			http_reply_error(call, HTTP_ST_UNAVAILABLE,
			    "unavailable", "the master cannot be reached: %s",
			    strerror(err));
		return (NULL);
	}
	body = frame_json(f);
	if (f->hdr.type == MSG_ERROR) {
		http_master_error(call, body, want);
		cJSON_Delete(body);
		return (NULL);
	}
	if (f->hdr.type != want || !cJSON_IsObject(body)) {
		log_warnx("%s: bad reply to %s: type %u, %u bytes", __func__,
		    msg_type_name(want), f->hdr.type, f->hdr.len);
		http_reply_error(call, HTTP_ST_BAD_GATEWAY, "bad_gateway",
		    "the master sent a malformed reply");
		cJSON_Delete(body);
		return (NULL);
	}
	return (body);
}

/* http_master_copy - out.key = a copy of from.key, or null */
static void
http_master_copy(cJSON *out, const cJSON *from, const char *key)
{
	const cJSON	*v;
	cJSON		*dup = NULL;

	if ((v = cJSON_GetObjectItemCaseSensitive(from, key)) != NULL)
		dup = cJSON_Duplicate(v, 1);
	if (dup == NULL)
		dup = cJSON_CreateNull();
	cJSON_AddItemToObject(out, key, dup);
}

/* http_master_workers_copy - a copy of the workers array; [] if not one */
static cJSON *
http_master_workers_copy(const cJSON *status)
{
	const cJSON	*w;
	cJSON		*dup = NULL;

	w = cJSON_GetObjectItemCaseSensitive(status, "workers");
	if (cJSON_IsArray(w))
		dup = cJSON_Duplicate(w, 1);
	return (dup != NULL ? dup : cJSON_CreateArray());
}

/* http_master_status - the shared status object; NULL once call is answered */
static const cJSON *
http_master_status(struct http_call *call, struct http_status_share *sh)
{
	if (sh->json != NULL)
		return (sh->json);
	/* no reply, MSG_ERROR or malformed: http_master_reply answers those
	 * (a good reply would be in sh->json, so it returns NULL here) */
	cJSON_Delete(http_master_reply(call, sh->f, sh->err, MSG_STATUS));
	return (NULL);
}

/* http_master_shared - answer with body slot i of sh, printing it once */
static void
http_master_shared(struct http_call *call, struct http_status_share *sh,
    enum http_status_body i, cJSON *(*make)(struct http_call *,
    const cJSON *))
{
	const cJSON	*st;
	cJSON		*out;

	if ((st = http_master_status(call, sh)) == NULL)
		return;
	if (sh->body[i] == NULL) {
		out = make(call, st);
		sh->body[i] = out != NULL ? cJSON_PrintUnformatted(out) : NULL;
		cJSON_Delete(out);
		if (sh->body[i] == NULL) {
			http_reply_error(call, HTTP_ST_INTERNAL, "internal",
			    "cannot print the reply");
			return;
		}
	}
	http_reply_copy(call, HTTP_ST_OK, sh->body[i]);
}

/* http_master_readyz_done - the status reply for GET /readyz */
static void
http_master_readyz_done(struct http_call *call, struct http_status_share *sh)
{
	const cJSON	*st, *w, *name, *state;
	cJSON		*out, *list;
	int		 ready, draining;

	if ((st = http_master_status(call, sh)) == NULL)
		return;
	ready = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "ready"));
	draining = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st,
	    "draining")) || http_master_is_draining(call);
	if (ready && !draining) {
		http_reply_static(call, HTTP_ST_OK, http_master_ready_body);
		return;
	}
	out = cJSON_CreateObject();
	cJSON_AddFalseToObject(out, "ready");
	cJSON_AddBoolToObject(out, "draining", draining);
	list = cJSON_AddArrayToObject(out, "not_ready");
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(st, "workers")) {
		name = cJSON_GetObjectItemCaseSensitive(w, "name");
		state = cJSON_GetObjectItemCaseSensitive(w, "state");
		if (!cJSON_IsString(name) || !cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(w, "enabled")) ||
		    (cJSON_IsString(state) &&
		    strcmp(state->valuestring, "ready") == 0))
			continue;
		cJSON_AddItemToArray(list,
		    cJSON_CreateString(name->valuestring));
	}
	http_reply_json(call, HTTP_ST_UNAVAILABLE, out);
}

/* http_master_ask_status - queue call for the status; 503 if we cannot */
static void
http_master_ask_status(struct http_call *call, http_status_fn *fn)
{
	if (http_status_ask(call, fn) == -1)
		http_reply_error(call, HTTP_ST_UNAVAILABLE, "unavailable",
		    "the master cannot be reached");
}

/* http_master_readyz - GET /readyz */
void
http_master_readyz(struct http_call *call)
{
	if (http_master_is_draining(call)) {
		http_reply_static(call, HTTP_ST_UNAVAILABLE,
		    http_master_draining_body);
		return;
	}
	http_master_ask_status(call, http_master_readyz_done);
}

/* http_master_runtime_make - the body of GET /v1/runtime */
static cJSON *
http_master_runtime_make(struct http_call *call, const cJSON *st)
{
	struct worker_rt	*rt = call->srv->rt;
	cJSON			*out;
	const cJSON		*v;
	const char		*version;

	out = cJSON_CreateObject();
	v = cJSON_GetObjectItemCaseSensitive(st, "version");
	version = worker_config_str(rt, "version",
	    cJSON_IsString(v) ? v->valuestring : CORRAL_VERSION);
	cJSON_AddStringToObject(out, "version", version);
	http_master_copy(out, st, "pid");
	http_master_copy(out, st, "uptime_s");
	http_master_copy(out, rt->config, "bind");
	http_master_copy(out, rt->config, "state_root");
	http_master_copy(out, rt->config, "workspace_root");
	cJSON_AddStringToObject(out, "auth_mode",
	    call->srv->auth.mode == HTTP_AUTH_MODE_NONE ? "none" : "bearer");
	http_master_copy(out, rt->config, "mcp_discovery");
	cJSON_AddBoolToObject(out, "draining", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(st, "draining")) ||
	    http_master_is_draining(call));
	cJSON_AddBoolToObject(out, "ready",
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "ready")));
	cJSON_AddItemToObject(out, "workers", http_master_workers_copy(st));
	return (out);
}

/* http_master_runtime_done - the status reply for GET /v1/runtime */
static void
http_master_runtime_done(struct http_call *call, struct http_status_share *sh)
{
	http_master_shared(call, sh, HTTP_STATUS_BODY_RUNTIME,
	    http_master_runtime_make);
}

/* http_master_runtime - GET /v1/runtime */
void
http_master_runtime(struct http_call *call)
{
	http_master_ask_status(call, http_master_runtime_done);
}

/* http_master_workers_make - the body of GET /v1/workers */
static cJSON *
http_master_workers_make(struct http_call *call, const cJSON *st)
{
	cJSON	*out;

	(void)call;
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "workers", http_master_workers_copy(st));
	return (out);
}

/* http_master_workers_done - the status reply for GET /v1/workers */
static void
http_master_workers_done(struct http_call *call, struct http_status_share *sh)
{
	http_master_shared(call, sh, HTTP_STATUS_BODY_WORKERS,
	    http_master_workers_make);
}

/* http_master_workers - GET /v1/workers */
void
http_master_workers(struct http_call *call)
{
	http_master_ask_status(call, http_master_workers_done);
}

/* http_master_worker_done - the status reply for GET /v1/workers/{name} */
static void
http_master_worker_done(struct http_call *call, struct http_status_share *sh)
{
	const cJSON	*st, *w, *name;

	if ((st = http_master_status(call, sh)) == NULL)
		return;
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(st, "workers")) {
		name = cJSON_GetObjectItemCaseSensitive(w, "name");
		if (cJSON_IsString(name) &&
		    strcmp(name->valuestring, call->arg) == 0) {
			http_reply_json(call, HTTP_ST_OK,
			    cJSON_Duplicate(w, 1));
			return;
		}
	}
	http_reply_error(call, HTTP_ST_NOT_FOUND, "not_found",
	    "no worker named %s", call->arg);
}

/* http_master_worker - GET /v1/workers/{name} */
void
http_master_worker(struct http_call *call)
{
	http_master_ask_status(call, http_master_worker_done);
}

/* http_master_restart_done - the master's answer to MSG_RESTART */
static void
http_master_restart_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*body;

	if ((body = http_master_reply(call, f, err, MSG_RESTART)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_ACCEPTED, body);
}

/* http_master_restart - POST /v1/workers/{name}/restart */
void
http_master_restart(struct http_call *call)
{
	cJSON	*body;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", call->arg);
	http_master_ask(call, MSG_RESTART, body, http_master_restart_done);
	cJSON_Delete(body);
}
