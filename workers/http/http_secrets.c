/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_secrets - the secrets and routes endpoints of the http worker
 * SYNOPSIS
 *	#include "http_secrets.h"
 * DESCRIPTION
 *	The http worker may list, set and delete secrets, never read one:
 *	it sends only MSG_SECRET_LIST, MSG_SECRET_PUT, MSG_SECRET_DELETE
 *	and MSG_ROUTES_LIST (http_routes.c) to the secrets worker, which
 *	checks that against the src the master stamped. Answers:
 *
 *	  GET /v1/secrets		200 {"store":{"path","state","error"},
 *					"secrets":[{"name","provider",
 *					"created","updated"}]}
 *	  PUT /v1/secrets/{name}	200 {"name","provider","created",
 *					"updated"}; the body is
 *					{"provider":"...","value":"..."}
 *	  DELETE /v1/secrets/{name}	200 {"name","deleted":true}, or 404
 *
 *	PUT answers 200 whether the secret is new or replaced: the store's
 *	times have a resolution of one second, so "created == updated"
 *	cannot tell a new entry from one replaced within its first second.
 *
 *	Every answer is rebuilt from the worker's reply with only the
 *	members named above (null when the worker left one out), so
 *	nothing the secrets worker might add, a value least of all,
 *	reaches a client by accident; http_secrets_route() does the same
 *	for a row of MSG_ROUTES_LIST ({"name","provider","base_url",
 *	"model","secret","headers","available","reason"}, "headers"
 *	reduced to its header names) for GET /v1/routes. Errors come
 *	through http_bus.c.
 *
 *	A PUT body holds a secret. It is copied out of the request and
 *	cleared there at once, parsed, checked, and sent on with the value
 *	as a reference into the parsed tree (no further copy of ours); the
 *	parsed tree and the copy are cleared before they are freed. The
 *	body is never logged, and an error names the member at fault
 *	(in "field" as well as in the message), never its content.
 * DIAGNOSTICS
 *	A reply of the wrong shape is 502 bad_gateway and a warning. A
 *	secrets row that holds a "value" is a bug in the secrets worker:
 *	the value is dropped unread and a warning names the row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>

#include "frame.h"
#include "log.h"
#include "msg.h"
#include "proc.h"

#include "http_body.h"
#include "http_bus.h"
#include "http_call.h"
#include "http_reply.h"
#include "http_secrets.h"
#include "http_wipe.h"

#define HTTP_SECRETS_WHO	"the secrets worker"
#define HTTP_SECRETS_FIELD_MAX	64	/* a member named in an error */

static const char *const http_secrets_store_keys[] = {
	"path", "state", "error", NULL
};
static const char *const http_secrets_entry_keys[] = {
	"name", "provider", "created", "updated", NULL
};
static const char *const http_secrets_route_keys[] = {
	"name", "provider", "base_url", "model", "secret", "available",
	"reason", NULL
};

/* http_secrets_pick - a new object with keys copied from from (or null) */
static cJSON *
http_secrets_pick(const cJSON *from, const char *const *keys)
{
	const cJSON	*v;
	cJSON		*out, *dup;

	out = cJSON_CreateObject();
	for (; *keys != NULL; keys++) {
		dup = NULL;
		if ((v = cJSON_GetObjectItemCaseSensitive(from, *keys)) != NULL)
			dup = cJSON_Duplicate(v, 1);
		if (dup == NULL)
			dup = cJSON_CreateNull();
		cJSON_AddItemToObject(out, *keys, dup);
	}
	return (out);
}

/* http_secrets_bad - 400 bad_request naming field (NULL: the body) */
static void
http_secrets_bad(struct http_call *call, const char *field, const char *why)
{
	cJSON	*body, *err;
	char	 name[HTTP_SECRETS_FIELD_MAX + 1], msg[256];
	size_t	 i;

	body = cJSON_CreateObject();
	err = cJSON_AddObjectToObject(body, "error");
	cJSON_AddStringToObject(err, "code", "bad_request");
	if (field == NULL) {
		cJSON_AddStringToObject(err, "message", why);
	} else {
		/* a member's name as sent: bounded, printable ASCII */
		for (i = 0; field[i] != '\0' && i < sizeof(name) - 1; i++)
			name[i] = field[i] > 0x20 && field[i] < 0x7f ?
			    field[i] : '?';
		name[i] = '\0';
		snprintf(msg, sizeof(msg), "%s: %s", name, why);
		cJSON_AddStringToObject(err, "message", msg);
		cJSON_AddStringToObject(err, "field", name);
	}
	http_reply_json(call, HTTP_ST_BAD_REQUEST, body);
}

/* http_secrets_check_str - a required, non-empty string of at most max */
static int
http_secrets_check_str(const cJSON *body, const char *key, size_t max,
    const char *toolong, const char **field, const char **why)
{
	const cJSON	*v;

	*field = key;
	v = cJSON_GetObjectItemCaseSensitive(body, key);
	if (v == NULL)
		*why = "required";
	else if (!cJSON_IsString(v) || v->valuestring == NULL)
		*why = "must be a string";
	else if (v->valuestring[0] == '\0')
		*why = "must not be empty";
	else if (strlen(v->valuestring) > max)
		*why = toolong;
	else
		return (0);
	return (-1);
}

/* http_secrets_check - validate a PUT body: 0, or -1 with field and why */
int
http_secrets_check(const cJSON *body, const char **field, const char **why)
{
	const cJSON	*m, *o;

	*field = NULL;
	if (!cJSON_IsObject(body)) {
		*why = "the body must be a JSON object "
		    "{\"provider\":\"...\",\"value\":\"...\"}";
		return (-1);
	}
	cJSON_ArrayForEach(m, body) {
		*field = m->string;
		if (m->string == NULL || (strcmp(m->string, "provider") != 0 &&
		    strcmp(m->string, "value") != 0)) {
			*why = "unknown field (a body has \"provider\" and "
			    "\"value\")";
			return (-1);
		}
		for (o = body->child; o != m; o = o->next)
			if (strcmp(o->string, m->string) == 0) {
				*why = "given twice";
				return (-1);
			}
	}
	if (http_secrets_check_str(body, "provider",
	    HTTP_SECRETS_PROVIDER_MAX, "longer than 64 characters", field,
	    why) == -1 || http_secrets_check_str(body, "value",
	    HTTP_SECRETS_VALUE_MAX, "longer than 65536 bytes", field,
	    why) == -1)
		return (-1);
	*field = NULL;
	return (0);
}

/* http_secrets_malformed - 502 for a reply without the expected array */
static void
http_secrets_malformed(struct http_call *call, const char *what)
{
	log_warnx("%s: %s sent no %s array", __func__, HTTP_SECRETS_WHO, what);
	http_reply_error(call, HTTP_ST_BAD_GATEWAY, "bad_gateway",
	    "%s sent a malformed reply", HTTP_SECRETS_WHO);
}

/* http_secrets_list_done - the reply to MSG_SECRET_LIST */
static void
http_secrets_list_done(struct http_call *call, struct frame *f, int err)
{
	cJSON		*r, *out, *list;
	const cJSON	*store, *rows, *row;

	if ((r = http_bus_reply(call, f, err, MSG_SECRET_LIST,
	    HTTP_SECRETS_WHO)) == NULL)
		return;
	rows = cJSON_GetObjectItemCaseSensitive(r, "secrets");
	if (!cJSON_IsArray(rows)) {
		cJSON_Delete(r);
		http_secrets_malformed(call, "secrets");
		return;
	}
	out = cJSON_CreateObject();
	store = cJSON_GetObjectItemCaseSensitive(r, "store");
	cJSON_AddItemToObject(out, "store", cJSON_IsObject(store) ?
	    http_secrets_pick(store, http_secrets_store_keys) :
	    cJSON_CreateNull());
	list = cJSON_AddArrayToObject(out, "secrets");
	cJSON_ArrayForEach(row, rows) {
		if (!cJSON_IsObject(row))
			continue;
		if (cJSON_GetObjectItemCaseSensitive(row, "value") != NULL)
			log_warnx("%s: %s listed a value; dropped", __func__,
			    HTTP_SECRETS_WHO);
		cJSON_AddItemToArray(list, http_secrets_pick(row,
		    http_secrets_entry_keys));
	}
	http_wipe_json(r);
	cJSON_Delete(r);
	http_reply_json(call, HTTP_ST_OK, out);
}

/* http_secrets_list - GET /v1/secrets */
void
http_secrets_list(struct http_call *call)
{
	http_bus_ask(call, PROC_SECRETS, MSG_SECRET_LIST, NULL,
	    http_secrets_list_done);
}

/* http_secrets_put_done - the reply to MSG_SECRET_PUT */
static void
http_secrets_put_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r, *out;

	if ((r = http_bus_reply(call, f, err, MSG_SECRET_PUT,
	    HTTP_SECRETS_WHO)) == NULL)
		return;
	out = http_secrets_pick(r, http_secrets_entry_keys);
	http_wipe_json(r);	/* should it hold a value after all */
	cJSON_Delete(r);
	http_reply_json(call, HTTP_ST_OK, out);
}

/* http_secrets_put - PUT /v1/secrets/{name} */
void
http_secrets_put(struct http_call *call)
{
	const char	*field, *why;
	const cJSON	*provider, *value;
	cJSON		*in = NULL, *msg;
	char		*buf;
	size_t		 len;
	int		 rc;

	buf = http_wipe_take(evhttp_request_get_input_buffer(call->req), &len);
	rc = http_body_parse(buf, len, &in);
	explicit_bzero(buf, len);
	free(buf);
	if (rc == HTTP_BODY_NUL) {
		/* cJSON would cut the string there: refuse, store nothing */
		http_secrets_bad(call, NULL, HTTP_BODY_NUL_WHY);
		return;
	}
	if (http_secrets_check(in, &field, &why) == -1) {
		http_secrets_bad(call, field, why);
		http_wipe_json(in);
		cJSON_Delete(in);
		return;
	}
	provider = cJSON_GetObjectItemCaseSensitive(in, "provider");
	value = cJSON_GetObjectItemCaseSensitive(in, "value");
	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "name", call->arg);
	cJSON_AddStringToObject(msg, "provider", provider->valuestring);
	cJSON_AddItemToObject(msg, "value",
	    cJSON_CreateStringReference(value->valuestring));
	http_bus_ask(call, PROC_SECRETS, MSG_SECRET_PUT, msg,
	    http_secrets_put_done);
	cJSON_Delete(msg);	/* the value is a reference: not freed here */
	http_wipe_json(in);
	cJSON_Delete(in);
}

/* http_secrets_delete_done - the reply to MSG_SECRET_DELETE */
static void
http_secrets_delete_done(struct http_call *call, struct frame *f, int err)
{
	cJSON		*r, *out;
	const cJSON	*name;

	if ((r = http_bus_reply(call, f, err, MSG_SECRET_DELETE,
	    HTTP_SECRETS_WHO)) == NULL)
		return;
	name = cJSON_GetObjectItemCaseSensitive(r, "name");
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "name", cJSON_IsString(name) ?
	    name->valuestring : call->arg);
	cJSON_AddTrueToObject(out, "deleted");
	cJSON_Delete(r);
	http_reply_json(call, HTTP_ST_OK, out);
}

/* http_secrets_delete - DELETE /v1/secrets/{name} */
void
http_secrets_delete(struct http_call *call)
{
	cJSON	*msg;

	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "name", call->arg);
	http_bus_ask(call, PROC_SECRETS, MSG_SECRET_DELETE, msg,
	    http_secrets_delete_done);
	cJSON_Delete(msg);
}

/* http_secrets_route - one route row: the known members, header names */
cJSON *
http_secrets_route(const cJSON *row)
{
	const cJSON	*h, *e;
	cJSON		*out, *names;

	out = http_secrets_pick(row, http_secrets_route_keys);
	names = cJSON_AddArrayToObject(out, "headers");
	h = cJSON_GetObjectItemCaseSensitive(row, "headers");
	if (!cJSON_IsArray(h))
		return (out);
	cJSON_ArrayForEach(e, h)
		if (cJSON_IsString(e))
			cJSON_AddItemToArray(names,
			    cJSON_CreateString(e->valuestring));
	return (out);
}
