/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_engines - the engines endpoints of the http worker
 * SYNOPSIS
 *	#include "http_engines.h"
 * DESCRIPTION
 *	The inference engines are run by the engines worker (bus id
 *	PROC_ENGINES); each endpoint is one request to it:
 *
 *	  GET /v1/engines		MSG_ENGINE_LIST {}: 200 {"docker":
 *					{...},"engines":[engine...]}
 *	  GET /v1/engines/{name}	MSG_ENGINE_GET {"name"}: 200 engine
 *	  POST /v1/engines		MSG_ENGINE_LAUNCH, the body as sent:
 *					202 engine, Location:
 *					/v1/engines/NAME
 *	  DELETE /v1/engines/{name}	MSG_ENGINE_DELETE {"name",
 *					"timeout_s"}: 200 {"name",
 *					"deleted":true}
 *	  GET /v1/engines/{name}/logs	MSG_ENGINE_LOGS {"name","tail",
 *					"follow"}: 200 text/plain
 *
 *	The engine objects are docs/protocol.md's and are passed on as the
 *	engines worker sends them, but for an "env" member, which the
 *	protocol says never comes (its values may be credentials) and
 *	which is dropped with a warning should it come all the same.
 *
 *	POST checks only that the body is one JSON object, before the
 *	bus; the engines worker checks the rest and names the member at
 *	fault in its error's "field", which http_bus.c passes on. The body
 *	may hold credentials (in "env"), so it is handled like a secret's:
 *	copied out of the request and cleared there, and the parsed tree
 *	cleared before it is freed.
 *
 *	DELETE takes ?timeout=S, the seconds Docker gives the container
 *	to stop before it kills it (0 to 300, default 10), and waits for
 *	the engines worker S + 20 seconds instead of the usual bus timeout.
 *
 *	logs takes ?tail=N (0 to 10000 lines, or "all"; default 100) and
 *	?follow=0|1|true|false. Without follow the answer is the reply's
 *	"text" as text/plain; charset=utf-8. With follow the engines
 *	worker's reply carries a descriptor on which it writes the log as
 *	it comes, and http_logstream.c turns it into a chunked reply. The
 *	descriptor is taken from the frame first thing, so that it is
 *	closed on every path: handed to the stream, or closed here when
 *	the reply is an error or not what was asked for. (A reply that
 *	comes for a client already gone never reaches this file: the
 *	channel closes its descriptor once the callback has returned.)
 *	HEAD never follows: it would have no body to stream.
 *
 *	Bad query values are 400 bad_request naming the parameter in
 *	"field", without asking the engines worker; other query
 *	parameters are ignored. Errors of the engines worker map through
 *	http_bus_status(): bad_request 400, forbidden 403, not_found 404,
 *	conflict 409, unavailable and draining 503.
 * DIAGNOSTICS
 *	A malformed reply is logged by http_bus.c, or here when a logs
 *	reply lacks its text or its descriptor.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "frame.h"
#include "log.h"
#include "msg.h"
#include "proc.h"

#include "http_body.h"
#include "http_bus.h"
#include "http_call.h"
#include "http_engines.h"
#include "http_logstream.h"
#include "http_reply.h"
#include "http_route.h"
#include "http_wipe.h"

#define HTTP_ENGINES_WHO	"the engines worker"
#define HTTP_ENGINES_DIGITS_MAX	6	/* digits of a query number */
#define HTTP_ENGINES_TEXT	"text/plain; charset=utf-8"
#define HTTP_ENGINES_LOCATION	"/v1/engines/"

/* http_engines_number - a whole number from 0 to max: 0, or -1 and why */
static int
http_engines_number(const char *s, long max, long *n, const char **why)
{
	long	v = 0;
	size_t	i;

	for (i = 0; isdigit((unsigned char)s[i]); i++) {
		if (i == HTTP_ENGINES_DIGITS_MAX) {
			*why = "too long";
			return (-1);
		}
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || s[i] != '\0') {
		*why = "want a whole number";
		return (-1);
	}
	if (v > max) {
		*why = "out of range";
		return (-1);
	}
	*n = v;
	return (0);
}

/* http_engines_timeout - "10" as 10 seconds (0..300): 0, or -1 and why */
int
http_engines_timeout(const char *s, long *secs, const char **why)
{
	if (http_engines_number(s, HTTP_ENGINES_TIMEOUT_MAX, secs,
	    why) == -1) {
		*why = "want a whole number of seconds from 0 to 300";
		return (-1);
	}
	return (0);
}

/* http_engines_tail - "100" or "all" (-1): 0, or -1 and why */
int
http_engines_tail(const char *s, long *lines, const char **why)
{
	if (strcmp(s, "all") == 0) {
		*lines = -1;
		return (0);
	}
	if (http_engines_number(s, HTTP_ENGINES_TAIL_MAX, lines,
	    why) == -1) {
		*why = "want a number of lines from 0 to 10000, or all";
		return (-1);
	}
	return (0);
}

/* http_engines_follow - 0, 1, true, false: 0, or -1 and why */
int
http_engines_follow(const char *s, int *on, const char **why)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
		*on = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		*on = 0;
	else {
		*why = "want 0, 1, true or false";
		return (-1);
	}
	return (0);
}

/* http_engines_scrub - drop what an engine object must never hold */
static void
http_engines_scrub(cJSON *engine)
{
	cJSON	*env;

	if ((env = cJSON_DetachItemFromObjectCaseSensitive(engine,
	    "env")) == NULL)
		return;
	log_warnx("%s: %s sent an engine with its env; dropped", __func__,
	    HTTP_ENGINES_WHO);
	http_wipe_json(env);
	cJSON_Delete(env);
}

/* http_engines_name - the engine's name if it is a valid path segment */
const char *
http_engines_name(const cJSON *engine)
{
	const cJSON	*v;
	const char	*p;

	v = cJSON_GetObjectItemCaseSensitive(engine, "name");
	if (!cJSON_IsString(v) || *v->valuestring == '\0' ||
	    *v->valuestring == '.' ||
	    strlen(v->valuestring) > HTTP_ARG_DEFAULT)
		return (NULL);
	for (p = v->valuestring; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' &&
		    *p != '-')
			return (NULL);
	return (v->valuestring);
}

/* http_engines_list_done - the reply to MSG_ENGINE_LIST */
static void
http_engines_list_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r, *e;

	if ((r = http_bus_reply(call, f, err, MSG_ENGINE_LIST,
	    HTTP_ENGINES_WHO)) == NULL)
		return;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "engines"))
		http_engines_scrub(e);
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_engines_list - GET /v1/engines */
void
http_engines_list(struct http_call *call)
{
	http_bus_ask(call, PROC_ENGINES, MSG_ENGINE_LIST, NULL,
	    http_engines_list_done);
}

/* http_engines_get_done - the reply to MSG_ENGINE_GET */
static void
http_engines_get_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_ENGINE_GET,
	    HTTP_ENGINES_WHO)) == NULL)
		return;
	http_engines_scrub(r);
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_engines_named - a body {"name": call->arg} for the engines worker */
static cJSON *
http_engines_named(const struct http_call *call)
{
	cJSON	*msg;

	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "name", call->arg);
	return (msg);
}

/* http_engines_get - GET /v1/engines/{name} */
void
http_engines_get(struct http_call *call)
{
	cJSON	*msg;

	msg = http_engines_named(call);
	http_bus_ask(call, PROC_ENGINES, MSG_ENGINE_GET, msg,
	    http_engines_get_done);
	cJSON_Delete(msg);
}

/* http_engines_launch_done - the reply to MSG_ENGINE_LAUNCH: 202 */
static void
http_engines_launch_done(struct http_call *call, struct frame *f, int err)
{
	cJSON		*r;
	const char	*name;
	char		 loc[sizeof(HTTP_ENGINES_LOCATION) + HTTP_ARG_DEFAULT];

	if ((r = http_bus_reply(call, f, err, MSG_ENGINE_LAUNCH,
	    HTTP_ENGINES_WHO)) == NULL)
		return;
	http_engines_scrub(r);
	if ((name = http_engines_name(r)) != NULL) {
		snprintf(loc, sizeof(loc), "%s%s", HTTP_ENGINES_LOCATION,
		    name);
		http_reply_header(call, "Location", loc);
	}
	http_reply_json(call, HTTP_ST_ACCEPTED, r);
}

/* http_engines_launch_body - buf (len bytes, then a NUL) as the engine to
 * launch: 0 and *in, or -1, *in NULL and why */
int
http_engines_launch_body(const char *buf, size_t len, cJSON **in,
    const char **why)
{
	return (http_body_object(buf, len, "the body must be a JSON object: "
	    "the engine to launch, {\"name\",\"engine\",\"model\",...}",
	    "the body is not valid JSON (want one JSON object: the engine to "
	    "launch)", in, why));
}

/* http_engines_launch - POST /v1/engines */
void
http_engines_launch(struct http_call *call)
{
	http_bus_ask_body(call, PROC_ENGINES, MSG_ENGINE_LAUNCH,
	    http_engines_launch_body, http_engines_launch_done);
}

/* http_engines_delete_done - the reply to MSG_ENGINE_DELETE */
static void
http_engines_delete_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_ENGINE_DELETE,
	    HTTP_ENGINES_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_engines_delete - DELETE /v1/engines/{name}?timeout=S */
void
http_engines_delete(struct http_call *call)
{
	struct evkeyvalq	 q;
	const char		*v, *why = NULL;
	cJSON			*msg;
	long			 secs = HTTP_ENGINES_TIMEOUT_DEFAULT;

	if (http_call_query(call, &q) == -1)
		return;
	if ((v = evhttp_find_header(&q, "timeout")) != NULL)
		(void)http_engines_timeout(v, &secs, &why);
	evhttp_clear_headers(&q);
	if (why != NULL) {
		http_reply_bad_param(call, "timeout", why);
		return;
	}
	msg = http_engines_named(call);
	cJSON_AddNumberToObject(msg, "timeout_s", (double)secs);
	http_bus_ask_ms(call, PROC_ENGINES, MSG_ENGINE_DELETE, msg,
	    (int)(secs + HTTP_ENGINES_WAIT_EXTRA) * 1000,
	    http_engines_delete_done);
	cJSON_Delete(msg);
}

/* http_engines_logs_done - the reply to MSG_ENGINE_LOGS: the text */
static void
http_engines_logs_done(struct http_call *call, struct frame *f, int err)
{
	struct evbuffer	*out;
	const cJSON	*text;
	cJSON		*r;
	int		 fd;

	fd = f != NULL ? frame_take_fd(f) : -1;
	if (fd != -1)
		close(fd);	/* not asked for */
	if ((r = http_bus_reply(call, f, err, MSG_ENGINE_LOGS,
	    HTTP_ENGINES_WHO)) == NULL)
		return;
	text = cJSON_GetObjectItemCaseSensitive(r, "text");
	if (!cJSON_IsString(text)) {
		log_warnx("%s: %s sent no log text", __func__,
		    HTTP_ENGINES_WHO);
		http_reply_error(call, HTTP_ST_BAD_GATEWAY, "bad_gateway",
		    "%s sent a malformed reply", HTTP_ENGINES_WHO);
	} else {
		if ((out = evbuffer_new()) == NULL)
			fatalx("%s: evbuffer_new", __func__);
		if (evbuffer_add(out, text->valuestring,
		    strlen(text->valuestring)) == -1)
			fatalx("%s: evbuffer_add", __func__);
		http_reply_text(call, HTTP_ST_OK, HTTP_ENGINES_TEXT, out);
		evbuffer_free(out);
	}
	cJSON_Delete(r);
}

/* http_engines_follow_done - the reply to a followed MSG_ENGINE_LOGS */
static void
http_engines_follow_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;
	int	 fd;

	fd = f != NULL ? frame_take_fd(f) : -1;
	if ((r = http_bus_reply(call, f, err, MSG_ENGINE_LOGS,
	    HTTP_ENGINES_WHO)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	cJSON_Delete(r);
	if (fd == -1) {
		log_warnx("%s: %s sent no descriptor to follow the log",
		    __func__, HTTP_ENGINES_WHO);
		http_reply_error(call, HTTP_ST_BAD_GATEWAY, "bad_gateway",
		    "%s sent a malformed reply", HTTP_ENGINES_WHO);
		return;
	}
	http_logstream_start(call, fd, HTTP_ENGINES_TEXT);
}

/* http_engines_logs - GET /v1/engines/{name}/logs?tail=N&follow=B */
void
http_engines_logs(struct http_call *call)
{
	struct evkeyvalq	 q;
	const char		*v, *why = NULL, *param = NULL;
	cJSON			*msg;
	long			 tail = HTTP_ENGINES_TAIL_DEFAULT;
	int			 follow = 0;

	if (http_call_query(call, &q) == -1)
		return;
	if ((v = evhttp_find_header(&q, "tail")) != NULL &&
	    http_engines_tail(v, &tail, &why) == -1)
		param = "tail";
	else if ((v = evhttp_find_header(&q, "follow")) != NULL &&
	    http_engines_follow(v, &follow, &why) == -1)
		param = "follow";
	evhttp_clear_headers(&q);
	if (param != NULL) {
		http_reply_bad_param(call, param, why);
		return;
	}
	if (call->method == EVHTTP_REQ_HEAD)
		follow = 0;
	msg = http_engines_named(call);
	if (tail == -1)
		cJSON_AddStringToObject(msg, "tail", "all");
	else
		cJSON_AddNumberToObject(msg, "tail", (double)tail);
	cJSON_AddBoolToObject(msg, "follow", follow);
	http_bus_ask(call, PROC_ENGINES, MSG_ENGINE_LOGS, msg, follow ?
	    http_engines_follow_done : http_engines_logs_done);
	cJSON_Delete(msg);
}
