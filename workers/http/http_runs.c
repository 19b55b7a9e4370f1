/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_runs - the run endpoints of the http worker
 * SYNOPSIS
 *	#include "http_runs.h"
 * DESCRIPTION
 *	Runs are the skills worker's (bus id PROC_SKILLS; docs/skills.md);
 *	each endpoint is one request to it:
 *
 *	  POST /v1/runs			MSG_RUN_SUBMIT, the body as sent:
 *					202 run, Location: /v1/runs/ID
 *	  GET /v1/runs			MSG_RUN_LIST {"state","skill",
 *					"limit"}: 200 {"runs","counts"}
 *	  GET /v1/runs/{id}		MSG_RUN_GET {"id"}: 200 run with
 *					"input"
 *	  GET /v1/runs/{id}/logs	MSG_RUN_LOGS {"id","tail"}: 200
 *					text/plain, the reply's "text"
 *	  POST /v1/runs/{id}/cancel	MSG_RUN_CANCEL {"id"}: 202 run
 *
 *	POST checks only that the body is one JSON object; the skills
 *	worker checks the rest (the skill, agent, route, input against
 *	the skill's inputs, timeout_s) and names the member at fault in
 *	its error's "field", which http_bus.c passes on. A run's input
 *	may hold credentials, so the body is handled like a secret's:
 *	copied out of the request and cleared there, and the parsed tree
 *	cleared before it is freed. Location is set when the run's "id"
 *	is a run id.
 *
 *	An {id} that is not 16 lowercase hex digits is 404 not_found at
 *	once, without asking the skills worker: no run has such an id.
 *
 *	GET /v1/runs takes ?state= (one of the six states; the payload's
 *	"state" only when given), ?skill= (a skill's name; "skill" only
 *	when given) and ?limit= (1 to 1000, default 100; "limit"
 *	always). logs takes ?tail=N (0 to 10000 lines, or "all", sent as
 *	-1; default 100) and answers text/plain; charset=utf-8 with the
 *	reply's "text", and X-Corral-Log-Truncated: 1 when the reply says
 *	"truncated" (the skills worker reads at most 1 MiB from the end).
 *	Bad query values are 400 bad_request naming the parameter in
 *	"field", without asking the skills worker; other query parameters
 *	are ignored.
 *
 *	Errors of the skills worker map through http_bus_status():
 *	bad_request 400, not_found 404, conflict 409 (cancel of an ended
 *	run), queue_full 429, unavailable and draining 503. A skills worker
 *	that is down or not enabled is 503 unavailable (the master says
 *	so at once).
 * DIAGNOSTICS
 *	A malformed reply is logged by http_bus.c, or here when a logs
 *	reply lacks its text.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

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
#include "http_reply.h"
#include "http_runs.h"
#include "http_skills.h"

#define HTTP_RUNS_DIGITS_MAX	6	/* digits of a query number */
#define HTTP_RUNS_TEXT		"text/plain; charset=utf-8"
#define HTTP_RUNS_LOCATION	"/v1/runs/"
#define HTTP_RUNS_TRUNCATED	"X-Corral-Log-Truncated"

const char *const http_runs_states[HTTP_RUNS_NSTATES] = {
	"queued", "running", "succeeded", "failed", "timed_out", "canceled"
};

/* http_runs_id_ok - 1 for 16 lowercase hex digits */
int
http_runs_id_ok(const char *id)
{
	size_t	i;

	for (i = 0; i < HTTP_RUNS_ID_LEN; i++)
		if (!isdigit((unsigned char)id[i]) &&
		    (id[i] < 'a' || id[i] > 'f'))
			return (0);
	return (id[i] == '\0');
}

/* http_runs_state_ok - 1 for one of the six states of a run */
int
http_runs_state_ok(const char *state)
{
	size_t	i;

	for (i = 0; i < HTTP_RUNS_NSTATES; i++)
		if (strcmp(state, http_runs_states[i]) == 0)
			return (1);
	return (0);
}

/* http_runs_skill_ok - 1 for what can be a skill's name */
int
http_runs_skill_ok(const char *name)
{
	size_t	i;

	if (!islower((unsigned char)name[0]) &&
	    !isdigit((unsigned char)name[0]))
		return (0);
	for (i = 0; name[i] != '\0'; i++)
		if (i == HTTP_SKILLS_NAME_MAX ||
		    (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-'))
			return (0);
	return (1);
}

/* http_runs_number - a whole number from min to max: 0, or -1 */
static int
http_runs_number(const char *s, long min, long max, long *n)
{
	long	v = 0;
	size_t	i;

	for (i = 0; isdigit((unsigned char)s[i]); i++) {
		if (i == HTTP_RUNS_DIGITS_MAX)
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || s[i] != '\0' || v < min || v > max)
		return (-1);
	*n = v;
	return (0);
}

/* http_runs_limit - "100" as 100 (1..1000): 0, or -1 and why */
int
http_runs_limit(const char *s, long *n, const char **why)
{
	if (http_runs_number(s, 1, HTTP_RUNS_LIMIT_MAX, n) == -1) {
		*why = "want a whole number of runs from 1 to 1000";
		return (-1);
	}
	return (0);
}

/* http_runs_tail - "100" or "all" (-1): 0, or -1 and why */
int
http_runs_tail(const char *s, long *lines, const char **why)
{
	if (strcmp(s, "all") == 0) {
		*lines = -1;
		return (0);
	}
	if (http_runs_number(s, 0, HTTP_RUNS_TAIL_MAX, lines) == -1) {
		*why = "want a number of lines from 0 to 10000, or all";
		return (-1);
	}
	return (0);
}

/* http_runs_known - call->arg is a run id; else 404, and 0 */
static int
http_runs_known(struct http_call *call)
{
	if (http_runs_id_ok(call->arg))
		return (1);
	http_reply_error(call, HTTP_ST_NOT_FOUND, "not_found",
	    "no run with that id (a run's id is 16 lowercase hex digits)");
	return (0);
}

/* http_runs_named - a body {"id": call->arg} for the skills worker */
static cJSON *
http_runs_named(const struct http_call *call)
{
	cJSON	*msg;

	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "id", call->arg);
	return (msg);
}

/* http_runs_accepted - 202 with the run, Location when its id is one */
static void
http_runs_accepted(struct http_call *call, cJSON *run)
{
	const cJSON	*id;
	char		 loc[sizeof(HTTP_RUNS_LOCATION) + HTTP_RUNS_ID_LEN];

	id = cJSON_GetObjectItemCaseSensitive(run, "id");
	if (cJSON_IsString(id) && http_runs_id_ok(id->valuestring)) {
		snprintf(loc, sizeof(loc), "%s%s", HTTP_RUNS_LOCATION,
		    id->valuestring);
		http_reply_header(call, "Location", loc);
	}
	http_reply_json(call, HTTP_ST_ACCEPTED, run);
}

/* http_runs_submit_done - the reply to MSG_RUN_SUBMIT: 202 */
static void
http_runs_submit_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_RUN_SUBMIT,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_runs_accepted(call, r);
}

/* http_runs_submit_body - buf (len bytes, then a NUL) as the run to
 * submit: 0 and *in, or -1, *in NULL and why */
int
http_runs_submit_body(const char *buf, size_t len, cJSON **in,
    const char **why)
{
	return (http_body_object(buf, len, "the body must be a JSON object: "
	    "the run to submit, {\"skill\",\"agent\",\"route\",\"input\","
	    "\"timeout_s\"}", "the body is not valid JSON (want one JSON "
	    "object: the run to submit)", in, why));
}

/* http_runs_submit - POST /v1/runs */
void
http_runs_submit(struct http_call *call)
{
	http_bus_ask_body(call, PROC_SKILLS, MSG_RUN_SUBMIT,
	    http_runs_submit_body, http_runs_submit_done);
}

/* http_runs_list_done - the reply to MSG_RUN_LIST */
static void
http_runs_list_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_RUN_LIST,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_runs_list_params - ?state, ?skill, ?limit into msg; NULL or the
 * parameter at fault and why */
static const char *
http_runs_list_params(const struct evkeyvalq *q, cJSON *msg,
    const char **why)
{
	const char	*v;
	long		 limit = HTTP_RUNS_LIMIT_DEFAULT;

	if ((v = evhttp_find_header(q, "state")) != NULL) {
		if (!http_runs_state_ok(v)) {
			*why = "want queued, running, succeeded, failed, "
			    "timed_out or canceled";
			return ("state");
		}
		cJSON_AddStringToObject(msg, "state", v);
	}
	if ((v = evhttp_find_header(q, "skill")) != NULL) {
		if (!http_runs_skill_ok(v)) {
			*why = "want a skill's name (1 to 64 of a-z 0-9 . _ "
			    "-, starting with a letter or a digit)";
			return ("skill");
		}
		cJSON_AddStringToObject(msg, "skill", v);
	}
	if ((v = evhttp_find_header(q, "limit")) != NULL &&
	    http_runs_limit(v, &limit, why) == -1)
		return ("limit");
	cJSON_AddNumberToObject(msg, "limit", (double)limit);
	return (NULL);
}

/* http_runs_list - GET /v1/runs?state=S&skill=K&limit=N */
void
http_runs_list(struct http_call *call)
{
	struct evkeyvalq	 q;
	const char		*param, *why = NULL;
	cJSON			*msg;

	if (http_call_query(call, &q) == -1)
		return;
	msg = cJSON_CreateObject();
	param = http_runs_list_params(&q, msg, &why);
	evhttp_clear_headers(&q);
	if (param != NULL)
		http_reply_bad_param(call, param, why);
	else
		http_bus_ask(call, PROC_SKILLS, MSG_RUN_LIST, msg,
		    http_runs_list_done);
	cJSON_Delete(msg);
}

/* http_runs_get_done - the reply to MSG_RUN_GET */
static void
http_runs_get_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_RUN_GET,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_OK, r);
}

/* http_runs_get - GET /v1/runs/{id} */
void
http_runs_get(struct http_call *call)
{
	cJSON	*msg;

	if (!http_runs_known(call))
		return;
	msg = http_runs_named(call);
	http_bus_ask(call, PROC_SKILLS, MSG_RUN_GET, msg, http_runs_get_done);
	cJSON_Delete(msg);
}

/* http_runs_logs_done - the reply to MSG_RUN_LOGS: the text */
static void
http_runs_logs_done(struct http_call *call, struct frame *f, int err)
{
	struct evbuffer	*out;
	const cJSON	*text;
	cJSON		*r;

	if ((r = http_bus_reply(call, f, err, MSG_RUN_LOGS,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	text = cJSON_GetObjectItemCaseSensitive(r, "text");
	if (!cJSON_IsString(text)) {
		log_warnx("%s: %s sent no log text", __func__,
		    HTTP_SKILLS_WHO);
		http_reply_error(call, HTTP_ST_BAD_GATEWAY, "bad_gateway",
		    "%s sent a malformed reply", HTTP_SKILLS_WHO);
		cJSON_Delete(r);
		return;
	}
	if ((out = evbuffer_new()) == NULL)
		fatalx("%s: evbuffer_new", __func__);
	if (evbuffer_add(out, text->valuestring,
	    strlen(text->valuestring)) == -1)
		fatalx("%s: evbuffer_add", __func__);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "truncated")))
		http_reply_header(call, HTTP_RUNS_TRUNCATED, "1");
	http_reply_text(call, HTTP_ST_OK, HTTP_RUNS_TEXT, out);
	evbuffer_free(out);
	cJSON_Delete(r);
}

/* http_runs_logs - GET /v1/runs/{id}/logs?tail=N */
void
http_runs_logs(struct http_call *call)
{
	struct evkeyvalq	 q;
	const char		*v, *why = NULL;
	cJSON			*msg;
	long			 tail = HTTP_RUNS_TAIL_DEFAULT;
	int			 bad = 0;

	if (!http_runs_known(call) || http_call_query(call, &q) == -1)
		return;
	if ((v = evhttp_find_header(&q, "tail")) != NULL &&
	    http_runs_tail(v, &tail, &why) == -1)
		bad = 1;
	evhttp_clear_headers(&q);
	if (bad) {
		http_reply_bad_param(call, "tail", why);
		return;
	}
	msg = http_runs_named(call);
	cJSON_AddNumberToObject(msg, "tail", (double)tail);
	http_bus_ask(call, PROC_SKILLS, MSG_RUN_LOGS, msg, http_runs_logs_done);
	cJSON_Delete(msg);
}

/* http_runs_cancel_done - the reply to MSG_RUN_CANCEL: 202 */
static void
http_runs_cancel_done(struct http_call *call, struct frame *f, int err)
{
	cJSON	*r;

	if ((r = http_bus_reply(call, f, err, MSG_RUN_CANCEL,
	    HTTP_SKILLS_WHO)) == NULL)
		return;
	http_reply_json(call, HTTP_ST_ACCEPTED, r);
}

/* http_runs_cancel - POST /v1/runs/{id}/cancel */
void
http_runs_cancel(struct http_call *call)
{
	cJSON	*msg;

	if (!http_runs_known(call))
		return;
	msg = http_runs_named(call);
	http_bus_ask(call, PROC_SKILLS, MSG_RUN_CANCEL, msg,
	    http_runs_cancel_done);
	cJSON_Delete(msg);
}
