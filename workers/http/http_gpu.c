/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_gpu - the GPU endpoints of the http worker
 * SYNOPSIS
 *	#include "http_gpu.h"
 * DESCRIPTION
 *	Both endpoints are answered by the gpu worker (bus id PROC_GPU):
 *
 *	  GET /v1/gpus			MSG_GPU_SAMPLE {}: the latest
 *					sample, {"time","source","reason",
 *					"driver_version","gpus","host",
 *					"procs","sample_ms"}
 *	  GET /v1/gpus/history		MSG_GPU_HISTORY {"window_s":N}:
 *					{"interval_s","samples"}
 *
 *	The replies are passed on as the gpu worker sends them, once
 *	http_bus_reply() has checked that each is a JSON object of the
 *	right type: unlike the secrets worker's, they hold nothing that
 *	must not reach a reader of the API. The sample is docs/gpu.md's to
 *	describe.
 *
 *	?window= takes 90, 90s, 15m or 2h (HTTP_GPU_WINDOW_MAX at most);
 *	without it the window is 15 minutes. Anything else is 400
 *	bad_request with "field":"window"; other query parameters are
 *	ignored. A window longer than the history the gpu worker keeps
 *	gets what it keeps.
 *
 *	Errors come through http_bus.c: 503 unavailable when the gpu
 *	worker is not running or not enabled, 504 timeout, 502 for a
 *	malformed reply.
 * DIAGNOSTICS
 *	A malformed reply is logged by http_bus.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "frame.h"
#include "msg.h"
#include "proc.h"

#include "http_bus.h"
#include "http_call.h"
#include "http_gpu.h"
#include "http_reply.h"

#define HTTP_GPU_WHO		"the gpu worker"
#define HTTP_GPU_DIGITS_MAX	9	/* digits of a window */

/* http_gpu_window - "15m" as 900 seconds: 0, or -1 and why */
int
http_gpu_window(const char *s, long *secs, const char **why)
{
	long	n = 0, unit = 1;
	size_t	i;

	for (i = 0; s != NULL && isdigit((unsigned char)s[i]); i++) {
		if (i == HTTP_GPU_DIGITS_MAX) {
			*why = "too long";
			return (-1);
		}
		n = n * 10 + (s[i] - '0');
	}
	if (s == NULL || i == 0) {
		*why = "want a number of seconds, or N followed by s, m or h";
		return (-1);
	}
	switch (s[i]) {
	case '\0':
		break;
	case 's':
		i++;
		break;
	case 'm':
		unit = 60;
		i++;
		break;
	case 'h':
		unit = 3600;
		i++;
		break;
	default:
		*why = "want a number of seconds, or N followed by s, m or h";
		return (-1);
	}
	if (s[i] != '\0') {
		*why = "want a number of seconds, or N followed by s, m or h";
		return (-1);
	}
	if (n < 1 || n > HTTP_GPU_WINDOW_MAX / unit) {
		*why = "out of range (1s to 168h)";
		return (-1);
	}
	*secs = n * unit;
	return (0);
}

/* http_gpu_bad_window - 400 bad_request naming the window parameter */
static void
http_gpu_bad_window(struct http_call *call, const char *why)
{
	cJSON	*body, *err;
	char	 msg[128];

	snprintf(msg, sizeof(msg), "window: %s", why);
	body = cJSON_CreateObject();
	err = cJSON_AddObjectToObject(body, "error");
	cJSON_AddStringToObject(err, "code", "bad_request");
	cJSON_AddStringToObject(err, "message", msg);
	cJSON_AddStringToObject(err, "field", "window");
	http_reply_json(call, HTTP_ST_BAD_REQUEST, body);
}

/* http_gpu_query_window - the window the query asks for; -1 if answered */
static long
http_gpu_query_window(struct http_call *call)
{
	struct evkeyvalq	 q;
	const struct evhttp_uri	*uri;
	const char		*query, *v, *why = NULL;
	long			 secs = HTTP_GPU_WINDOW_DEFAULT;

	uri = evhttp_request_get_evhttp_uri(call->req);
	if (uri == NULL || (query = evhttp_uri_get_query(uri)) == NULL)
		return (secs);
	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query, &q) == -1)
		why = "the query string is malformed";
	else if ((v = evhttp_find_header(&q, "window")) != NULL)
		(void)http_gpu_window(v, &secs, &why);
	evhttp_clear_headers(&q);
	if (why != NULL) {
		http_gpu_bad_window(call, why);
		return (-1);
	}
	return (secs);
}

/* http_gpu_pass - the gpu worker's reply of type want, passed on */
static void
http_gpu_pass(struct http_call *call, struct frame *f, int err, uint16_t want)
{
	cJSON	*body;

	if ((body = http_bus_reply(call, f, err, want, HTTP_GPU_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, body);
}

/* http_gpu_sample_done - the reply to MSG_GPU_SAMPLE */
static void
http_gpu_sample_done(struct http_call *call, struct frame *f, int err)
{
	http_gpu_pass(call, f, err, MSG_GPU_SAMPLE);
}

/* http_gpu_sample - GET /v1/gpus */
void
http_gpu_sample(struct http_call *call)
{
	http_bus_ask(call, PROC_GPU, MSG_GPU_SAMPLE, NULL,
	    http_gpu_sample_done);
}

/* http_gpu_history_done - the reply to MSG_GPU_HISTORY */
static void
http_gpu_history_done(struct http_call *call, struct frame *f, int err)
{
	http_gpu_pass(call, f, err, MSG_GPU_HISTORY);
}

/* http_gpu_history - GET /v1/gpus/history */
void
http_gpu_history(struct http_call *call)
{
	cJSON	*body;
	long	 secs;

	if ((secs = http_gpu_query_window(call)) == -1)
		return;
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "window_s", (double)secs);
	http_bus_ask(call, PROC_GPU, MSG_GPU_HISTORY, body,
	    http_gpu_history_done);
	cJSON_Delete(body);
}
