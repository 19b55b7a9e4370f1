/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_skills - unit tests for the skill, agent and run endpoints
 * SYNOPSIS
 *	Suite	*http_skills_suite(void);
 * DESCRIPTION
 *	check_http_skills_params.c adds "params", the checks made before
 *	the bus and the /metrics families. "server" runs the real server
 *	with the fake master of http_fixture.c as the skills worker and
 *	checks, for each endpoint, what goes on the bus (dst PROC_SKILLS,
 *	type, payload) and what comes back: the answers passed on, 202 and Location,
 *	logs as text/plain with X-Corral-Log-Truncated, bad query values
 *	400 naming the parameter and a bad id 404, both without any bus
 *	traffic, the worker's error codes mapped (queue_full 429 with its
 *	reason phrase, a worker down 503), the roles, and a client that
 *	leaves while a submission is out.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"


#include "http_fixture.h"

Suite	*http_skills_suite(void);
void	 http_skills_params_tcases(Suite *);	/* check_http_skills_params.c */

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

#define T_ID		"9f1c0d2e4b7a6c35"
#define T_RUN		"{\"id\":\"" T_ID "\",\"skill\":\"summarize\"," \
	"\"agent\":\"claude\",\"route\":null,\"model\":null,\"state\":" \
	"\"queued\",\"created_at\":\"2026-11-25T23:10:00.123Z\"," \
	"\"started_at\":null,\"ended_at\":null,\"timeout_s\":600," \
	"\"exit_code\":null,\"signal\":null,\"error\":null,\"pid\":null," \
	"\"sandbox\":null,\"log_bytes\":0}"
#define T_SKILLS	"{\"skills\":[{\"name\":\"summarize\",\"description\":" \
	"\"Summarize a text\",\"agents\":[\"claude\",\"codex\"],\"route\":" \
	"null,\"timeout_s\":null,\"max_running\":2,\"inputs\":[{\"name\":" \
	"\"text\",\"type\":\"string\",\"required\":true,\"max_length\":" \
	"20000,\"description\":\"\"}]}]}"
#define T_AGENTS	"{\"agents\":[{\"name\":\"claude\",\"command\":" \
	"\"claude\",\"path\":\"/usr/bin/claude\",\"installed\":true," \
	"\"running\":1}]}"
#define T_DOWN		"{\"code\":\"unavailable\",\"message\":\"worker " \
	"skills is not running\"}"
#define T_SUBMIT	"{\"skill\":\"summarize\",\"input\":{\"text\":" \
	"\"hello\",\"api_key\":\"sk-x\"},\"timeout_s\":60}"

/* sx_asked - one request the skills worker answers; the status */
static int
sx_asked(const char *method, const char *path, const char *headers,
    const char *body, uint16_t type, const char *json)
{
	return (fx_asked_by(PROC_SKILLS, method, path, headers, body, type,
	    json));
}

/* sx_sent - the last request was type with a payload equal to want */
static void
sx_sent(uint16_t type, const char *want)
{
	ck_assert_int_eq(fx_req_type, type);
	fx_sent_json(want);
}

/* sx_field - the error in fx_cl_buf names the field want */
static void
sx_field(const char *want)
{
	const char	*f;
	cJSON		*j;

	f = fx_error_field(&j);
	ck_assert_msg(f != NULL && strcmp(f, want) == 0, "want field %s in %s",
	    want, fx_cl_buf);
	cJSON_Delete(j);
}

/* sx_body - the body of the reply in fx_cl_buf */
static const char *
sx_body(void)
{
	const char	*p = strstr(fx_cl_buf, "\r\n\r\n");

	ck_assert_msg(p != NULL, "no body in: %s", fx_cl_buf);
	return (p + 4);
}

/* test_skills - GET /v1/skills, /v1/skills/{name}, /v1/agents */
START_TEST(test_skills)
{
	cJSON	*j, *want;

	fx_start(NULL);
	ck_assert_int_eq(sx_asked("GET", "/v1/skills", NULL, NULL,
	    MSG_SKILL_LIST, T_SKILLS), 200);
	sx_sent(MSG_SKILL_LIST, "{}");
	j = fx_reply_json();
	want = cJSON_Parse(T_SKILLS);
	ck_assert(cJSON_Compare(j, want, 1));
	cJSON_Delete(want);
	cJSON_Delete(j);
	ck_assert_int_eq(sx_asked("GET", "/v1/skills/summarize", NULL, NULL,
	    MSG_SKILL_GET, "{\"name\":\"summarize\",\"prompt\":\"Do it.\"}"),
	    200);
	sx_sent(MSG_SKILL_GET, "{\"name\":\"summarize\"}");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "\"prompt\":\"Do it.\""));
	ck_assert_int_eq(sx_asked("GET", "/v1/skills/nope", NULL, NULL,
	    MSG_ERROR, "{\"code\":\"not_found\",\"message\":\"no skill named "
	    "nope\"}"), 404);
	fx_check_error("not_found");
	ck_assert_int_eq(sx_asked("GET", "/v1/agents", NULL, NULL,
	    MSG_AGENT_LIST, T_AGENTS), 200);
	sx_sent(MSG_AGENT_LIST, "{}");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "/usr/bin/claude"));
	/* the worker down or not enabled; a reply of another type */
	ck_assert_int_eq(sx_asked("GET", "/v1/skills", NULL, NULL, MSG_ERROR,
	    T_DOWN), 503);
	fx_check_error("unavailable");
	ck_assert_int_eq(sx_asked("GET", "/v1/agents", NULL, NULL,
	    MSG_SKILL_LIST, "{}"), 502);
	/* a name of 65 characters is no route */
	ck_assert_int_eq(fx_exchange("GET", "/v1/skills/xxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL), 404);
	ck_assert_int_eq(fx_nreq, 6);
	fx_stop();
}
END_TEST

/* test_submit - POST /v1/runs: the body as sent, 202 and Location */
START_TEST(test_submit)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", NULL, T_SUBMIT,
	    MSG_RUN_SUBMIT, T_RUN), 202);
	sx_sent(MSG_RUN_SUBMIT, T_SUBMIT);
	ck_assert(fx_has_header("\r\nLocation: /v1/runs/" T_ID "\r\n"));
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring,
	    "queued");
	cJSON_Delete(j);
	/* a reply whose id is no run id: no Location */
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", NULL, "{}",
	    MSG_RUN_SUBMIT, "{\"id\":\"../x\",\"state\":\"queued\"}"), 202);
	ck_assert(!fx_has_header("\r\nLocation:"));
	/* the worker's refusal, its field passed on */
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", NULL, "{\"skill\":\"s\","
	    "\"input\":{}}", MSG_ERROR, "{\"code\":\"bad_request\",\"message\":"
	    "\"input.text: required\",\"field\":\"input.text\"}"), 400);
	fx_check_error("bad_request");
	sx_field("input.text");
	/* the queue is full: 429 with its reason phrase */
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", NULL, T_SUBMIT,
	    MSG_ERROR, "{\"code\":\"queue_full\",\"message\":\"10000 runs "
	    "wait already\"}"), 429);
	ck_assert_msg(strncmp(fx_cl_buf, "HTTP/1.1 429 Too Many Requests\r\n",
	    32) == 0, "%s", fx_cl_buf);
	fx_check_error("queue_full");
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", NULL, T_SUBMIT,
	    MSG_ERROR, "{\"code\":\"unavailable\",\"message\":\"agent claude "
	    "is not installed\"}"), 503);
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", NULL, T_SUBMIT,
	    MSG_ERROR, T_DOWN), 503);
	fx_check_error("unavailable");
	ck_assert_int_eq(fx_nreq, 6);
	fx_stop();
}
END_TEST

static const char *const bad_bodies[] = {
	"", "[]", "7", "null", "not json", "{} x",
	"{\"input\":{\"k\":\"a\\u0000b\"}}",
};

/* test_submit_bad - 400 without a field and without the bus */
START_TEST(test_submit_bad)
{
	const cJSON	*e;
	cJSON		*j;

	fx_start(NULL);
	fx_client_send("POST", "/v1/runs", NULL, bad_bodies[_i]);
	ck_assert_int_eq(fx_client_wait(), 400);
	fx_check_error("bad_request");
	j = fx_reply_json();
	e = cJSON_GetObjectItem(j, "error");
	ck_assert_ptr_null(cJSON_GetObjectItem(e, "field"));
	cJSON_Delete(j);
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

static const struct list_case {
	const char	*query;
	const char	*sent;		/* the payload, or NULL: 400 */
	const char	*field;
} list_cases[] = {
	{ "", "{\"limit\":100}", NULL },
	{ "?state=running", "{\"state\":\"running\",\"limit\":100}", NULL },
	{ "?skill=summarize&limit=5&x=1", "{\"skill\":\"summarize\","
	    "\"limit\":5}", NULL },
	{ "?limit=1000&state=timed_out&skill=a.b", "{\"state\":\"timed_out\","
	    "\"skill\":\"a.b\",\"limit\":1000}", NULL },
	{ "?state=%63anceled", "{\"state\":\"canceled\",\"limit\":100}", NULL },
	{ "?limit=0", NULL, "limit" },
	{ "?limit=1001", NULL, "limit" },
	{ "?limit=", NULL, "limit" },
	{ "?limit=ten", NULL, "limit" },
	{ "?state=done", NULL, "state" },
	{ "?state=", NULL, "state" },
	{ "?state=RUNNING&limit=0", NULL, "state" },
	{ "?skill=Bad%20Name", NULL, "skill" },
	{ "?skill=", NULL, "skill" },
};

/* test_list - GET /v1/runs: the query as the payload, or 400 with field */
START_TEST(test_list)
{
	const struct list_case	*c = &list_cases[_i];
	char			 path[128];

	fx_start(NULL);
	snprintf(path, sizeof(path), "/v1/runs%s", c->query);
	if (c->sent != NULL) {
		ck_assert_int_eq(sx_asked("GET", path, NULL, NULL, MSG_RUN_LIST,
		    "{\"runs\":[" T_RUN "],\"counts\":{\"queued\":1}}"), 200);
		sx_sent(MSG_RUN_LIST, c->sent);
		ck_assert_ptr_nonnull(strstr(sx_body(), "\"counts\":"
		    "{\"queued\":1}"));
	} else {
		fx_client_start("GET", path, NULL);
		ck_assert_int_eq(fx_client_wait(), 400);
		fx_check_error("bad_request");
		sx_field(c->field);
		ck_assert_int_eq(fx_nreq, 0);
	}
	fx_stop();
}
END_TEST

/* test_get_cancel - GET /v1/runs/{id}, POST .../cancel: {"id"} */
START_TEST(test_get_cancel)
{
	fx_start(NULL);
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID, NULL, NULL,
	    MSG_RUN_GET, "{\"id\":\"" T_ID "\",\"input\":{\"text\":\"hi\"}}"),
	    200);
	sx_sent(MSG_RUN_GET, "{\"id\":\"" T_ID "\"}");
	ck_assert_ptr_nonnull(strstr(sx_body(), "\"input\":{\"text\":\"hi\"}"));
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID, NULL, NULL,
	    MSG_ERROR, "{\"code\":\"not_found\",\"message\":\"no run "
	    T_ID "\"}"), 404);
	ck_assert_int_eq(sx_asked("POST", "/v1/runs/" T_ID "/cancel", NULL,
	    NULL, MSG_RUN_CANCEL, T_RUN), 202);
	sx_sent(MSG_RUN_CANCEL, "{\"id\":\"" T_ID "\"}");
	ck_assert(!fx_has_header("\r\nLocation:"));
	ck_assert_ptr_nonnull(strstr(sx_body(), "\"state\":\"queued\""));
	ck_assert_int_eq(sx_asked("POST", "/v1/runs/" T_ID "/cancel", NULL,
	    NULL, MSG_ERROR, "{\"code\":\"conflict\",\"message\":\"run "
	    T_ID " has ended\"}"), 409);
	fx_check_error("conflict");
	ck_assert_int_eq(sx_asked("POST", "/v1/runs/" T_ID "/cancel", NULL,
	    NULL, MSG_RUN_GET, T_RUN), 502);
	ck_assert_int_eq(fx_nreq, 5);
	fx_stop();
}
END_TEST

static const char *const bad_ids[] = {
	"9F1C0D2E4B7A6C35", "9f1c0d2e4b7a6c3", "9f1c0d2e4b7a6c350",
	"9f1c0d2e4b7a6c3z", "summarize", "x",
};

/* test_bad_id - 404 for every run route, nothing asked */
START_TEST(test_bad_id)
{
	char	path[128];

	fx_start(NULL);
	snprintf(path, sizeof(path), "/v1/runs/%s", bad_ids[_i]);
	ck_assert_int_eq(fx_exchange("GET", path, NULL), 404);
	fx_check_error("not_found");
	snprintf(path, sizeof(path), "/v1/runs/%s/logs?tail=bad",
	    bad_ids[_i]);
	ck_assert_int_eq(fx_exchange("GET", path, NULL), 404);
	fx_check_error("not_found");
	snprintf(path, sizeof(path), "/v1/runs/%s/cancel", bad_ids[_i]);
	ck_assert_int_eq(fx_exchange("POST", path, NULL), 404);
	fx_check_error("not_found");
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_logs - ?tail as the payload; the text as text/plain; truncated */
START_TEST(test_logs)
{
	fx_start(NULL);
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID "/logs", NULL, NULL,
	    MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"text\":\"line 1\\nline "
	    "2\\n\",\"truncated\":false}"), 200);
	sx_sent(MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"tail\":100}");
	ck_assert(fx_has_header("\r\nContent-Type: text/plain; charset=utf-8"
	    "\r\n"));
	ck_assert(!fx_has_header("X-Corral-Log-Truncated"));
	ck_assert_str_eq(sx_body(), "line 1\nline 2\n");
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID "/logs?tail=all",
	    NULL, NULL, MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"text\":\"x\","
	    "\"truncated\":true}"), 200);
	sx_sent(MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"tail\":-1}");
	ck_assert(fx_has_header("\r\nX-Corral-Log-Truncated: 1\r\n"));
	ck_assert_str_eq(sx_body(), "x");
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID "/logs?tail=0",
	    NULL, NULL, MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"text\":\"\"}"),
	    200);
	sx_sent(MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"tail\":0}");
	ck_assert_str_eq(sx_body(), "");
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID "/logs?tail=10000",
	    NULL, NULL, MSG_RUN_LOGS, "{\"id\":\"" T_ID "\"}"), 502);
	sx_sent(MSG_RUN_LOGS, "{\"id\":\"" T_ID "\",\"tail\":10000}");
	fx_check_error("bad_gateway");
	ck_assert_int_eq(sx_asked("GET", "/v1/runs/" T_ID "/logs", NULL, NULL,
	    MSG_ERROR, "{\"code\":\"not_found\",\"message\":\"no run\"}"), 404);
	fx_check_error("not_found");
	/* bad ?tail: 400 naming it, nothing asked */
	ck_assert_int_eq(fx_exchange("GET", "/v1/runs/" T_ID "/logs?tail=10001",
	    NULL), 400);
	sx_field("tail");
	ck_assert_int_eq(fx_exchange("GET", "/v1/runs/" T_ID "/logs?tail=-1",
	    NULL), 400);
	sx_field("tail");
	ck_assert_int_eq(fx_exchange("GET", "/v1/runs/" T_ID "/logs?tail",
	    NULL), 400);
	ck_assert_int_eq(fx_nreq, 5);
	fx_stop();
}
END_TEST

static const struct bus_error {
	const char	*code;
	int		 status;
} bus_errors[] = {
	{ "bad_request", 400 }, { "not_found", 404 }, { "conflict", 409 },
	{ "queue_full", 429 }, { "internal", 500 }, { "unavailable", 503 },
	{ "draining", 503 }, { "timeout", 504 }, { "something_new", 502 },
};

/* test_errors - the skills worker's codes, mapped on every endpoint */
START_TEST(test_errors)
{
	static const char *const paths[][2] = {
		{ "GET", "/v1/skills" }, { "GET", "/v1/skills/s" },
		{ "GET", "/v1/agents" }, { "POST", "/v1/runs" },
		{ "GET", "/v1/runs" }, { "GET", "/v1/runs/" T_ID },
		{ "GET", "/v1/runs/" T_ID "/logs" },
		{ "POST", "/v1/runs/" T_ID "/cancel" },
	};
	const struct bus_error	*c = &bus_errors[_i];
	char			 json[128];
	size_t			 i;
	int			 got;

	fx_start(NULL);
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"message\":\"m\"}",
	    c->code);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		got = sx_asked(paths[i][0], paths[i][1], NULL,
		    strcmp(paths[i][0], "POST") == 0 ? "{}" : NULL, MSG_ERROR,
		    json);
		ck_assert_msg(got == c->status, "%s %s: %s: got %d, want %d",
		    paths[i][0], paths[i][1], c->code, got, c->status);
		fx_check_error(c->code);
	}
	fx_stop();
}
END_TEST

/* test_roles - read-only may read, not submit or cancel; draining */
START_TEST(test_roles)
{
	fx_start(FX_TOKENS);
	ck_assert_int_eq(sx_asked("GET", "/v1/runs", FX_H_RO, NULL,
	    MSG_RUN_LIST, "{\"runs\":[],\"counts\":{}}"), 200);
	ck_assert_int_eq(sx_asked("GET", "/v1/agents", FX_H_RO, NULL,
	    MSG_AGENT_LIST, T_AGENTS), 200);
	fx_client_send("POST", "/v1/runs", FX_H_RO, T_SUBMIT);
	ck_assert_int_eq(fx_client_wait(), 403);
	fx_check_error("forbidden");
	fx_client_send("POST", "/v1/runs/" T_ID "/cancel", FX_H_RO, NULL);
	ck_assert_int_eq(fx_client_wait(), 403);
	ck_assert_int_eq(fx_exchange("GET", "/v1/skills", NULL), 401);
	ck_assert_int_eq(fx_exchange("DELETE", "/v1/runs/" T_ID, FX_H_ADMIN),
	    405);
	ck_assert(fx_has_header("\r\nAllow: GET, HEAD\r\n"));
	ck_assert_int_eq(fx_exchange("GET", "/v1/runs/" T_ID "/cancel",
	    FX_H_ADMIN), 405);
	ck_assert(fx_has_header("\r\nAllow: POST\r\n"));
	ck_assert_int_eq(fx_nreq, 2);
	ck_assert_int_eq(sx_asked("POST", "/v1/runs", FX_H_ADMIN, T_SUBMIT,
	    MSG_RUN_SUBMIT, T_RUN), 202);
	fx_rt.draining = 1;
	fx_client_send("POST", "/v1/runs", FX_H_ADMIN, T_SUBMIT);
	ck_assert_int_eq(fx_client_wait(), 503);
	fx_check_error("draining");
	ck_assert_int_eq(fx_nreq, 3);
	fx_stop();
}
END_TEST

/* test_submit_gone - the client leaves while the submission is out */
START_TEST(test_submit_gone)
{
	fx_start(NULL);
	fx_client_send("POST", "/v1/runs", NULL, T_SUBMIT);
	fx_master_wait(1);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	fx_spin(NULL, 50);
	fx_master_reply(MSG_RUN_SUBMIT, T_RUN);		/* for nobody */
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* http_skills_suite - the suite check_main runs */
Suite *
http_skills_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_skills");
	http_skills_params_tcases(s);
	tc = tcase_create("server");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_skills);
	tcase_add_test(tc, test_submit);
	tcase_add_loop_test(tc, test_submit_bad, 0, NELEM(bad_bodies));
	tcase_add_loop_test(tc, test_list, 0, NELEM(list_cases));
	tcase_add_test(tc, test_get_cancel);
	tcase_add_loop_test(tc, test_bad_id, 0, NELEM(bad_ids));
	tcase_add_test(tc, test_logs);
	tcase_add_loop_test(tc, test_errors, 0, NELEM(bus_errors));
	tcase_add_test(tc, test_roles);
	tcase_add_test(tc, test_submit_gone);
	suite_add_tcase(s, tc);
	return (s);
}
