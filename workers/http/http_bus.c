/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_bus - ask another worker over the bus for an HTTP request
 * SYNOPSIS
 *	#include "http_bus.h"
 * DESCRIPTION
 *	The endpoints that are answered by a worker other than the master
 *	(the secrets worker today) share one way of turning the bus's
 *	outcomes into HTTP answers, so that every such endpoint reports a
 *	worker that is down, slow or refusing the same way:
 *
 *	  no reply in HTTP_BUS_TIMEOUT_MS	504 timeout
 *	  (or the timeout of http_bus_ask_ms)
 *	  the channel to the master is down	503 unavailable
 *	  MSG_ERROR {"code","message","field"}	http_bus_errors[] by code,
 *						with that code and message,
 *						and field when the worker
 *						named one; an unknown code
 *						is 502
 *	  another type, or not a JSON object	502 bad_gateway
 *
 *	The master itself answers "unavailable" for a worker that is not
 *	running or not enabled, so a stopped secrets worker is a 503, not
 *	a hang. A worker's error message is passed on as it is: workers
 *	never put secret material in one. Its "field" (the member of the
 *	request at fault) is passed on when it is a short name of
 *	printable ASCII, and dropped otherwise.
 * DIAGNOSTICS
 *	A malformed reply is logged as a warning, by type and length only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/http.h>

#include "frame.h"
#include "log.h"
#include "msg.h"

#include "http_bus.h"
#include "http_call.h"
#include "http_reply.h"
#include "http_wipe.h"

static const struct http_bus_error {
	const char	*code;
	int		 status;
} http_bus_errors[] = {
	{ "bad_request", HTTP_ST_BAD_REQUEST },
	{ "forbidden", HTTP_ST_FORBIDDEN },
	{ "not_found", HTTP_ST_NOT_FOUND },
	{ "conflict", HTTP_ST_CONFLICT },
	{ "queue_full", HTTP_ST_TOO_MANY_REQUESTS },
	{ "store_error", HTTP_ST_INTERNAL },
	{ "internal", HTTP_ST_INTERNAL },
	{ "no_master_key", HTTP_ST_UNAVAILABLE },
	{ "unavailable", HTTP_ST_UNAVAILABLE },
	{ "draining", HTTP_ST_UNAVAILABLE },
	{ "timeout", HTTP_ST_GATEWAY_TIMEOUT },
};

#define HTTP_BUS_FIELD_MAX	64	/* longest field passed on */

#define HTTP_BUS_NERRORS \
	(sizeof(http_bus_errors) / sizeof(http_bus_errors[0]))

/* http_bus_status - the HTTP status for an MSG_ERROR code */
int
http_bus_status(const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < HTTP_BUS_NERRORS; i++)
		if (strcmp(code, http_bus_errors[i].code) == 0)
			return (http_bus_errors[i].status);
	return (HTTP_ST_BAD_GATEWAY);
}

/* http_bus_ask - send type to dst for call; 503 if it cannot be sent */
void
http_bus_ask(struct http_call *call, uint8_t dst, uint16_t type,
    const cJSON *body, http_bus_fn *fn)
{
	http_bus_ask_ms(call, dst, type, body, HTTP_BUS_TIMEOUT_MS, fn);
}

/* http_bus_ask_ms - http_bus_ask with a timeout of timeout_ms */
void
http_bus_ask_ms(struct http_call *call, uint8_t dst, uint16_t type,
    const cJSON *body, int timeout_ms, http_bus_fn *fn)
{
	cJSON	*empty = NULL;

	if (body == NULL)
		body = empty = cJSON_CreateObject();
	if (http_call_bus_ms(call, dst, type, body, timeout_ms, fn) == -1)
		http_reply_error(call, HTTP_ST_UNAVAILABLE, "unavailable",
		    "the master cannot be reached");
	cJSON_Delete(empty);
}

/* http_bus_ask_body - the request's body, as check makes it, to dst; the
 * body wiped; 400 with check's why if it is refused */
void
http_bus_ask_body(struct http_call *call, uint8_t dst, uint16_t type,
    http_bus_body_fn *check, http_bus_fn *fn)
{
	cJSON		*in;
	const char	*why = NULL;
	char		*buf;
	size_t		 len;
	int		 rc;

	buf = http_wipe_take(evhttp_request_get_input_buffer(call->req), &len);
	rc = check(buf, len, &in, &why);
	explicit_bzero(buf, len);
	free(buf);
	if (rc == -1)
		http_reply_error(call, HTTP_ST_BAD_REQUEST, "bad_request",
		    "%s", why);
	else
		http_bus_ask(call, dst, type, in, fn);
	http_wipe_json(in);
	cJSON_Delete(in);
}

/* http_bus_field - the error's field if it is a short printable name */
static const char *
http_bus_field(const cJSON *body)
{
	const cJSON	*v;
	const char	*p;

	v = cJSON_GetObjectItemCaseSensitive(body, "field");
	if (!cJSON_IsString(v) || *v->valuestring == '\0' ||
	    strlen(v->valuestring) > HTTP_BUS_FIELD_MAX)
		return (NULL);
	for (p = v->valuestring; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return (NULL);
	return (v->valuestring);
}

/* http_bus_error - answer an MSG_ERROR reply from who */
static void
http_bus_error(struct http_call *call, const cJSON *body, const char *who)
{
	const cJSON	*code, *msg;
	const char	*c = "bad_gateway", *field;

	code = cJSON_GetObjectItemCaseSensitive(body, "code");
	msg = cJSON_GetObjectItemCaseSensitive(body, "message");
	field = http_bus_field(body);
	if (cJSON_IsString(code) && *code->valuestring != '\0')
		c = code->valuestring;
	if (cJSON_IsString(msg) && *msg->valuestring != '\0')
		http_reply_error_field(call, http_bus_status(c), c, field,
		    "%s", msg->valuestring);
	else
		http_reply_error_field(call, http_bus_status(c), c, field,
		    "%s refused (%s)", who, c);
}

/* http_bus_reply - a good reply's JSON; NULL once the call is answered */
cJSON *
http_bus_reply(struct http_call *call, struct frame *f, int err,
    uint16_t want, const char *who)
{
	cJSON	*body;

	if (f == NULL) {
		if (err == ETIMEDOUT)
			http_reply_error(call, HTTP_ST_GATEWAY_TIMEOUT,
			    "timeout", "%s did not answer in %d ms", who,
			    call->bus_ms > 0 ? call->bus_ms :
			    HTTP_BUS_TIMEOUT_MS);
		else
			http_reply_error(call, HTTP_ST_UNAVAILABLE,
			    "unavailable", "%s cannot be reached: %s", who,
			    strerror(err));
		return (NULL);
	}
	body = frame_json(f);
	if (f->hdr.type == MSG_ERROR) {
		http_bus_error(call, body, who);
		cJSON_Delete(body);
		return (NULL);
	}
	if (f->hdr.type != want || !cJSON_IsObject(body)) {
		log_warnx("%s: bad reply to %s from %s: type %u, %u bytes",
		    __func__, msg_type_name(want), who, f->hdr.type,
		    f->hdr.len);
		http_reply_error(call, HTTP_ST_BAD_GATEWAY, "bad_gateway",
		    "%s sent a malformed reply", who);
		cJSON_Delete(body);
		return (NULL);
	}
	return (body);
}
