/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_engines - unit tests for the engines endpoints
 * SYNOPSIS
 *	Suite	*http_engines_suite(void);
 * DESCRIPTION
 *	"params" drives the query parsers (timeout, tail, follow) over
 *	tables. "server" runs the real server with the fake master of
 *	http_fixture.c and checks, for each endpoint, what goes to the
 *	engines worker (type, dst, payload) and what comes back: the
 *	reply passed on, 202 and Location for a launch, an engine's env
 *	never, bodies and query values refused without any bus traffic,
 *	the worker's errors mapped with their "field", the longer bus
 *	timeout of DELETE, the roles, and GET /v1/routes merging the ready
 *	engines after the routes file's rows (or not, with the engines
 *	worker down, refusing, or malformed). The followed log stream is
 *	in check_http_engines_logs.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "../../workers/http/http_engines.h"
#include "../../workers/http/http_routes.h"
#include "../../workers/http/http_server.h"

#include "http_fixture.h"

Suite	*http_engines_suite(void);
void	 http_engines_logs_tcases(Suite *);	/* check_http_engines_logs.c */

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

#define T_ENGINE	"{\"name\":\"vllm-1\",\"engine\":\"vllm\"," \
	"\"image\":\"vllm/vllm-openai:latest\",\"state\":\"pulling\"," \
	"\"endpoint\":\"http://127.0.0.1:8000/v1\",\"port\":8000," \
	"\"gpus\":\"all\",\"progress\":\"pulling 3%\"}"
#define T_UNAVAILABLE	"{\"code\":\"unavailable\",\"message\":\"worker " \
	"engines is not running\"}"

static const struct param_case {
	int		 which;		/* 0 timeout, 1 tail, 2 follow */
	const char	*in;
	int		 rc;
	long		 want;
} param_cases[] = {
	{ 0, "0", 0, 0 }, { 0, "10", 0, 10 }, { 0, "300", 0, 300 },
	{ 0, "301", -1, 0 }, { 0, "-1", -1, 0 }, { 0, "", -1, 0 },
	{ 0, "1.5", -1, 0 }, { 0, "10s", -1, 0 }, { 0, "0000010", -1, 0 },
	{ 0, " 1", -1, 0 },
	{ 1, "0", 0, 0 }, { 1, "100", 0, 100 }, { 1, "10000", 0, 10000 },
	{ 1, "all", 0, -1 }, { 1, "10001", -1, 0 }, { 1, "ALL", -1, 0 },
	{ 1, "", -1, 0 }, { 1, "-5", -1, 0 }, { 1, "1e3", -1, 0 },
	{ 2, "1", 0, 1 }, { 2, "true", 0, 1 }, { 2, "0", 0, 0 },
	{ 2, "false", 0, 0 }, { 2, "yes", -1, 0 }, { 2, "", -1, 0 },
	{ 2, "TRUE", -1, 0 }, { 2, "2", -1, 0 },
};

/* test_params - the query parsers over param_cases */
START_TEST(test_params)
{
	const struct param_case	*c = &param_cases[_i];
	const char		*why = NULL;
	long			 n = -42;
	int			 on = -42, rc;

	if (c->which == 0)
		rc = http_engines_timeout(c->in, &n, &why);
	else if (c->which == 1)
		rc = http_engines_tail(c->in, &n, &why);
	else {
		rc = http_engines_follow(c->in, &on, &why);
		n = on;
	}
	ck_assert_msg(rc == c->rc, "case %d '%s': got %d, want %d", _i,
	    c->in, rc, c->rc);
	if (rc == 0)
		ck_assert_msg(n == c->want, "case %d '%s': got %ld, want %ld",
		    _i, c->in, n, c->want);
	else
		ck_assert_ptr_nonnull(why);
}
END_TEST

/* ex_asked - one request the engines worker answers; the status */
static int
ex_asked(const char *method, const char *path, const char *body,
    uint16_t type, const char *json)
{
	return (fx_asked_by(PROC_ENGINES, method, path, NULL, body, type,
	    json));
}

/* test_list - GET /v1/engines: {} to the engines worker, reply passed on */
START_TEST(test_list)
{
	cJSON		*j;
	const cJSON	*e;

	fx_start(NULL);
	ck_assert_int_eq(ex_asked("GET", "/v1/engines", NULL, MSG_ENGINE_LIST,
	    "{\"docker\":{\"endpoint\":\"unix:///var/run/docker.sock\","
	    "\"reachable\":true,\"reason\":null},\"engines\":[" T_ENGINE ","
	    "{\"name\":\"x\",\"env\":{\"HF_TOKEN\":\"hf-leak\"}}]}"), 200);
	ck_assert_int_eq(fx_req_type, MSG_ENGINE_LIST);
	ck_assert_str_eq(fx_req_body, "{}");
	ck_assert_ptr_null(strstr(fx_cl_buf, "hf-leak"));
	j = fx_reply_json();
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
	    "docker"), "reachable")));
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "engines"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(e, "progress")->valuestring,
	    "pulling 3%");
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "engines"), 1);
	ck_assert_ptr_null(cJSON_GetObjectItem(e, "env"));
	cJSON_Delete(j);
	ck_assert_int_eq(ex_asked("GET", "/v1/engines", NULL, MSG_ERROR,
	    T_UNAVAILABLE), 503);
	fx_check_error("unavailable");
	ck_assert_int_eq(ex_asked("GET", "/v1/engines", NULL, MSG_ENGINE_GET,
	    "{}"), 502);
	fx_stop();
}
END_TEST

/* test_get - GET /v1/engines/{name}: {"name"}; not_found is 404 */
START_TEST(test_get)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(ex_asked("GET", "/v1/engines/vllm-1", NULL,
	    MSG_ENGINE_GET, T_ENGINE), 200);
	ck_assert_int_eq(fx_req_type, MSG_ENGINE_GET);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"vllm-1\"}");
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring,
	    "pulling");
	cJSON_Delete(j);
	ck_assert_int_eq(ex_asked("GET", "/v1/engines/nope", NULL, MSG_ERROR,
	    "{\"code\":\"not_found\",\"message\":\"no engine named nope\"}"),
	    404);
	fx_check_error("not_found");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "no engine named nope"));
	ck_assert_int_eq(fx_exchange("GET", "/v1/engines/.x", NULL), 404);
	ck_assert_int_eq(fx_exchange("GET", "/v1/engines/a%2Fb", NULL), 404);
	ck_assert_int_eq(fx_nreq, 2);
	fx_stop();
}
END_TEST

/* test_launch - POST /v1/engines: the body as sent; 202 and Location */
START_TEST(test_launch)
{
	static const char	 body[] = "{\"name\":\"vllm-1\",\"engine\":"
	    "\"vllm\",\"model\":\"/models/m\",\"gpus\":[0,1],\"port\":8000,"
	    "\"args\":[\"--max-model-len\",\"4096\"],\"env\":{\"A\":\"b\"},"
	    "\"secret_env\":{\"HF_TOKEN\":\"hf\"}}";
	cJSON			*j, *sent, *want;

	fx_start(NULL);
	ck_assert_int_eq(ex_asked("POST", "/v1/engines", body,
	    MSG_ENGINE_LAUNCH, T_ENGINE), 202);
	ck_assert_int_eq(fx_req_type, MSG_ENGINE_LAUNCH);
	ck_assert_ptr_nonnull(sent = cJSON_Parse(fx_req_body));
	ck_assert_ptr_nonnull(want = cJSON_Parse(body));
	ck_assert(cJSON_Compare(sent, want, 1));
	cJSON_Delete(sent);
	cJSON_Delete(want);
	ck_assert(fx_has_header("\r\nLocation: /v1/engines/vllm-1\r\n"));
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "name")->valuestring,
	    "vllm-1");
	cJSON_Delete(j);

	/* a name that is no path segment gets no Location */
	ck_assert_int_eq(ex_asked("POST", "/v1/engines", body,
	    MSG_ENGINE_LAUNCH, "{\"name\":\"a/b\",\"state\":\"starting\"}"),
	    202);
	ck_assert(!fx_has_header("\r\nLocation:"));
	fx_stop();
}
END_TEST

static const char *const bad_launch[] = {
	"", "not json", "[]", "\"x\"", "7", "null",
	"{\"name\":\"a\"} trailing", "{\"name\":\"a\"",
};

/* test_launch_bad - 400 without asking anybody, no field */
START_TEST(test_launch_bad)
{
	cJSON	*j;

	fx_start(NULL);
	fx_client_send("POST", "/v1/engines", NULL, bad_launch[_i]);
	ck_assert_int_eq(fx_client_wait(), 400);
	fx_check_error("bad_request");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "JSON"));
	ck_assert_ptr_null(fx_error_field(&j));
	cJSON_Delete(j);
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_launch_nul - an env value holding \u0000 would reach the container
 * cut short: 400, nobody asked; an escaped backslash before u0000 is fine */
START_TEST(test_launch_nul)
{
	fx_start(NULL);
	fx_client_send("POST", "/v1/engines", NULL, "{\"name\":\"a\","
	    "\"env\":{\"K\":\"ab\\u0000cd\"}}");
	ck_assert_int_eq(fx_client_wait(), 400);
	fx_check_error("bad_request");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "a string holds \\\\u0000"));
	ck_assert_int_eq(fx_nreq, 0);
	ck_assert_int_eq(ex_asked("POST", "/v1/engines", "{\"name\":\"a\","
	    "\"env\":{\"K\":\"ab\\\\u0000cd\"}}", MSG_ENGINE_LAUNCH,
	    "{\"name\":\"a\",\"state\":\"pulling\"}"), 202);
	ck_assert_int_eq(fx_nreq, 1);
	fx_stop();
}
END_TEST

static const struct bus_error {
	const char	*code;
	int		 status;
} bus_errors[] = {
	{ "bad_request", 400 },
	{ "forbidden", 403 },
	{ "not_found", 404 },
	{ "conflict", 409 },
	{ "unavailable", 503 },
	{ "draining", 503 },
	{ "internal", 500 },
	{ "something_new", 502 },
};

/* test_launch_errors - the worker's code, message and field, mapped */
START_TEST(test_launch_errors)
{
	const struct bus_error	*c = &bus_errors[_i];
	const char		*field;
	char			 json[256];
	cJSON			*j;
	int			 got;

	fx_start(NULL);
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"message\":\"model: "
	    "/etc is not under the models root\",\"field\":\"model\"}",
	    c->code);
	got = ex_asked("POST", "/v1/engines", "{\"name\":\"a\"}", MSG_ERROR,
	    json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	fx_check_error(c->code);
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "not under the models root"));
	field = fx_error_field(&j);
	ck_assert_msg(field != NULL && strcmp(field, "model") == 0,
	    "no field in %s", fx_cl_buf);
	cJSON_Delete(j);

	/* no field, or one that is not a short printable name: none */
	ck_assert_int_eq(ex_asked("POST", "/v1/engines", "{}", MSG_ERROR,
	    "{\"code\":\"conflict\",\"message\":\"port 8000 is in use\"}"),
	    409);
	ck_assert_ptr_null(fx_error_field(&j));
	cJSON_Delete(j);
	ck_assert_int_eq(ex_asked("POST", "/v1/engines", "{}", MSG_ERROR,
	    "{\"code\":\"bad_request\",\"message\":\"m\",\"field\":\"a b\"}"),
	    400);
	ck_assert_ptr_null(fx_error_field(&j));
	cJSON_Delete(j);
	ck_assert_int_eq(ex_asked("POST", "/v1/engines", "{}", MSG_ERROR,
	    "{\"code\":\"bad_request\",\"message\":\"m\",\"field\":7}"), 400);
	ck_assert_ptr_null(fx_error_field(&j));
	cJSON_Delete(j);
	fx_stop();
}
END_TEST

/* ex_bus_ms - the bus timeout of the one call in flight */
static int
ex_bus_ms(void)
{
	struct http_server	*srv = fx_rt.priv;
	struct http_call	*call = TAILQ_FIRST(&srv->calls);

	ck_assert_ptr_nonnull(call);
	return (call->bus_ms);
}

/* test_delete - timeout_s from ?timeout, the wait S + 20 s; bad values */
START_TEST(test_delete)
{
	static const char *const bad[] = {
		"301", "-1", "x", "1.5", "", "10s"
	};
	const char	*field;
	char		 path[128];
	cJSON		*j;
	size_t		 i;

	fx_start(NULL);
	fx_client_send("DELETE", "/v1/engines/vllm-1", NULL, NULL);
	fx_master_wait(1);
	ck_assert_int_eq(fx_req_type, MSG_ENGINE_DELETE);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"vllm-1\",\"timeout_s\":10}");
	ck_assert_int_eq(ex_bus_ms(), 30000);
	fx_master_reply(MSG_ENGINE_DELETE, "{\"name\":\"vllm-1\","
	    "\"deleted\":true}");
	ck_assert_int_eq(fx_client_wait(), 200);
	j = fx_reply_json();
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "deleted")));
	cJSON_Delete(j);

	fx_client_send("DELETE", "/v1/engines/e?timeout=300&x=1", NULL, NULL);
	fx_master_wait(2);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"e\",\"timeout_s\":300}");
	ck_assert_int_eq(ex_bus_ms(), 320000);
	fx_master_reply(MSG_ERROR, "{\"code\":\"not_found\",\"message\":"
	    "\"no engine named e\"}");
	ck_assert_int_eq(fx_client_wait(), 404);

	fx_client_send("DELETE", "/v1/engines/e?timeout=0", NULL, NULL);
	fx_master_wait(3);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"e\",\"timeout_s\":0}");
	ck_assert_int_eq(ex_bus_ms(), 20000);
	fx_master_reply(MSG_ENGINE_DELETE, "{\"name\":\"e\",\"deleted\":true}");
	ck_assert_int_eq(fx_client_wait(), 200);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/v1/engines/e?timeout=%s",
		    bad[i]);
		ck_assert_int_eq(fx_exchange("DELETE", path, NULL), 400);
		fx_check_error("bad_request");
		field = fx_error_field(&j);
		ck_assert_msg(field != NULL && strcmp(field, "timeout") == 0,
		    "%s: %s", bad[i], fx_cl_buf);
		cJSON_Delete(j);
	}
	ck_assert_int_eq(fx_nreq, 3);
	fx_stop();
}
END_TEST

/* test_logs - tail and follow into the request; the text as text/plain */
START_TEST(test_logs)
{
	const char	*field, *p;
	cJSON		*j;

	fx_start(NULL);
	ck_assert_int_eq(ex_asked("GET", "/v1/engines/e/logs", NULL,
	    MSG_ENGINE_LOGS, "{\"name\":\"e\",\"text\":\"line 1\\nline "
	    "2\\n\"}"), 200);
	ck_assert_int_eq(fx_req_type, MSG_ENGINE_LOGS);
	ck_assert_str_eq(fx_req_body,
	    "{\"name\":\"e\",\"tail\":100,\"follow\":false}");
	ck_assert(fx_has_header("\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\n"));
	p = strstr(fx_cl_buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p + 4, "line 1\nline 2\n");

	ck_assert_int_eq(ex_asked("GET", "/v1/engines/e/logs?tail=all&"
	    "follow=false", NULL, MSG_ENGINE_LOGS, "{\"text\":\"\"}"), 200);
	ck_assert_str_eq(fx_req_body,
	    "{\"name\":\"e\",\"tail\":\"all\",\"follow\":false}");
	ck_assert_int_eq(ex_asked("GET", "/v1/engines/e/logs?tail=0&follow=0",
	    NULL, MSG_ENGINE_LOGS, "{\"text\":\"\"}"), 200);
	ck_assert_str_eq(fx_req_body,
	    "{\"name\":\"e\",\"tail\":0,\"follow\":false}");

	/* no text: 502; an error: mapped */
	ck_assert_int_eq(ex_asked("GET", "/v1/engines/e/logs", NULL,
	    MSG_ENGINE_LOGS, "{\"name\":\"e\"}"), 502);
	ck_assert_int_eq(ex_asked("GET", "/v1/engines/e/logs", NULL,
	    MSG_ERROR, "{\"code\":\"not_found\",\"message\":\"no engine\"}"),
	    404);
	fx_check_error("not_found");

	ck_assert_int_eq(fx_exchange("GET", "/v1/engines/e/logs?tail=10001",
	    NULL), 400);
	field = fx_error_field(&j);
	ck_assert(field != NULL && strcmp(field, "tail") == 0);
	cJSON_Delete(j);
	ck_assert_int_eq(fx_exchange("GET", "/v1/engines/e/logs?follow=yes",
	    NULL), 400);
	field = fx_error_field(&j);
	ck_assert(field != NULL && strcmp(field, "follow") == 0);
	cJSON_Delete(j);
	ck_assert_int_eq(fx_exchange("GET", "/v1/engines/e/logs?tail",
	    NULL), 400);
	ck_assert_int_eq(fx_nreq, 5);

	/* HEAD never follows */
	fx_client_start("HEAD", "/v1/engines/e/logs?follow=1", NULL);
	fx_master_wait(6);
	ck_assert_str_eq(fx_req_body,
	    "{\"name\":\"e\",\"tail\":100,\"follow\":false}");
	fx_master_reply(MSG_ENGINE_LOGS, "{\"text\":\"abc\"}");
	ck_assert_int_eq(fx_client_wait(), 200);
	fx_stop();
}
END_TEST

/* test_roles - read-only may look, not launch or delete; draining */
START_TEST(test_roles)
{
	fx_start(FX_TOKENS);
	fx_client_send("POST", "/v1/engines", FX_H_RO, "{\"name\":\"a\"}");
	ck_assert_int_eq(fx_client_wait(), 403);
	fx_check_error("forbidden");
	ck_assert_int_eq(fx_exchange("DELETE", "/v1/engines/a", FX_H_RO), 403);
	ck_assert_int_eq(fx_exchange("GET", "/v1/engines", NULL), 401);
	ck_assert_int_eq(fx_exchange("PUT", "/v1/engines/a", FX_H_ADMIN),
	    405);
	ck_assert(fx_has_header("\r\nAllow: GET, HEAD, DELETE\r\n"));
	ck_assert_int_eq(fx_exchange("POST", "/v1/engines/a/logs", FX_H_ADMIN),
	    405);
	ck_assert_int_eq(fx_exchange("DELETE", "/v1/engines", FX_H_ADMIN),
	    405);
	ck_assert(fx_has_header("\r\nAllow: GET, HEAD, POST\r\n"));
	ck_assert_int_eq(fx_nreq, 0);
	fx_client_start("GET", "/v1/engines/a/logs", FX_H_RO);
	fx_master_wait(1);
	fx_master_reply(MSG_ENGINE_LOGS, "{\"text\":\"\"}");
	ck_assert_int_eq(fx_client_wait(), 200);
	fx_rt.draining = 1;
	fx_client_send("POST", "/v1/engines", FX_H_ADMIN, "{\"name\":\"a\"}");
	ck_assert_int_eq(fx_client_wait(), 503);
	fx_check_error("draining");
	ck_assert_int_eq(fx_nreq, 1);
	fx_stop();
}
END_TEST

#define T_FILE_ROUTES	"{\"routes\":[{\"name\":\"gpt\",\"provider\":" \
	"\"openai\",\"base_url\":\"https://api.openai.com/v1\",\"model\":" \
	"\"gpt-4o\",\"secret\":\"openai.prod\",\"headers\":[],\"available\":" \
	"true,\"reason\":null}]}"
#define T_ENGINES	"{\"docker\":{\"reachable\":true},\"engines\":[" \
	"{\"name\":\"a-llama\",\"state\":\"ready\",\"endpoint\":" \
	"\"http://127.0.0.1:8001/v1\",\"model\":\"/m/llama\"}," \
	"{\"name\":\"b\",\"state\":\"loading\",\"endpoint\":" \
	"\"http://127.0.0.1:8002/v1\"},{\"state\":\"ready\"},7]}"

/* ex_routes - GET /v1/routes; answer both, engines first or not */
static int
ex_routes(uint16_t etype, const char *engines, uint16_t ftype,
    const char *file, int engines_first)
{
	int	seen = fx_nreq;

	fx_client_start("GET", "/v1/routes", NULL);
	fx_master_wait(seen + 2);
	if (engines_first)
		fx_master_reply_to(MSG_ENGINE_LIST, etype, engines);
	fx_master_reply_to(MSG_ROUTES_LIST, ftype, file);
	if (!engines_first)
		fx_master_reply_to(MSG_ENGINE_LIST, etype, engines);
	return (fx_client_wait());
}

/* ex_nroutes - the number of routes in the reply, the last one's source */
static int
ex_nroutes(const char **last, char *buf, size_t len)
{
	cJSON		*j;
	const cJSON	*r;
	int		 n;

	j = fx_reply_json();
	r = cJSON_GetObjectItem(j, "routes");
	n = cJSON_GetArraySize(r);
	r = cJSON_GetArrayItem(r, n - 1);
	snprintf(buf, len, "%s", cJSON_GetObjectItem(r, "source") != NULL ?
	    cJSON_GetObjectItem(r, "source")->valuestring : "?");
	*last = buf;
	cJSON_Delete(j);
	return (n);
}

/* test_routes - the file's rows, then the ready engines; either order */
START_TEST(test_routes)
{
	const char	*last;
	char		 buf[32];
	cJSON		*j, *want;
	const cJSON	*r;

	fx_start(NULL);
	ck_assert_int_eq(ex_routes(MSG_ENGINE_LIST, T_ENGINES, MSG_ROUTES_LIST,
	    T_FILE_ROUTES, _i), 200);
	j = fx_reply_json();
	r = cJSON_GetObjectItem(j, "routes");
	ck_assert_int_eq(cJSON_GetArraySize(r), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(r, 0),
	    "source")->valuestring, "file");
	ck_assert_ptr_nonnull(want = cJSON_Parse("{\"name\":\"a-llama\","
	    "\"provider\":\"openai-compatible\",\"base_url\":"
	    "\"http://127.0.0.1:8001/v1\",\"model\":\"a-llama\",\"secret\":"
	    "null,\"headers\":[],\"available\":true,\"reason\":null,"
	    "\"source\":\"engine\"}"));
	ck_assert_msg(cJSON_Compare(cJSON_GetArrayItem(r, 1), want, 1),
	    "engine route: %s", fx_cl_buf);
	cJSON_Delete(want);
	cJSON_Delete(j);

	/* the engines worker down, refusing, malformed: the file alone */
	ck_assert_int_eq(ex_routes(MSG_ERROR, T_UNAVAILABLE, MSG_ROUTES_LIST,
	    T_FILE_ROUTES, _i), 200);
	ck_assert_int_eq(ex_nroutes(&last, buf, sizeof(buf)), 1);
	ck_assert_str_eq(last, "file");
	ck_assert_int_eq(ex_routes(MSG_ENGINE_GET, T_ENGINES, MSG_ROUTES_LIST,
	    T_FILE_ROUTES, _i), 200);
	ck_assert_int_eq(ex_nroutes(&last, buf, sizeof(buf)), 1);
	ck_assert_int_eq(ex_routes(MSG_ENGINE_LIST, "{\"engines\":{}}",
	    MSG_ROUTES_LIST, "{\"routes\":[]}", _i), 200);
	ck_assert_int_eq(ex_nroutes(&last, buf, sizeof(buf)), 0);

	/* the secrets worker decides: its errors, whatever the engines */
	ck_assert_int_eq(ex_routes(MSG_ENGINE_LIST, T_ENGINES, MSG_ERROR,
	    "{\"code\":\"unavailable\",\"message\":\"worker secrets is not "
	    "running\"}", _i), 503);
	fx_check_error("unavailable");
	ck_assert_int_eq(ex_routes(MSG_ENGINE_LIST, T_ENGINES, MSG_ROUTES_LIST,
	    "{\"nope\":1}", _i), 502);
	fx_check_error("bad_gateway");
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_routes_engine - http_routes_engine: ready and named only */
START_TEST(test_routes_engine)
{
	static const char *const none[] = {
		"{\"name\":\"a\",\"state\":\"loading\"}",
		"{\"name\":\"a\"}", "{\"state\":\"ready\"}",
		"{\"name\":\"\",\"state\":\"ready\"}",
		"{\"name\":7,\"state\":\"ready\"}", "[]",
	};
	cJSON	*e, *r;
	size_t	 i;

	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		ck_assert_ptr_nonnull(e = cJSON_Parse(none[i]));
		ck_assert_msg(http_routes_engine(e) == NULL, "%s", none[i]);
		cJSON_Delete(e);
	}
	e = cJSON_Parse("{\"name\":\"a\",\"state\":\"ready\"}");
	ck_assert_ptr_nonnull(r = http_routes_engine(e));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r, "base_url")));
	cJSON_Delete(r);
	cJSON_Delete(e);
}
END_TEST

/* test_bus_timeout - a slow engines worker: 504 naming the wait */
START_TEST(test_bus_timeout)
{
	fx_start(NULL);
	fx_client_start("GET", "/v1/engines", NULL);
	fx_master_wait(1);
	fx_spin(fx_client_done, 8000);
	ck_assert_int_eq(fx_client_wait(), 504);
	fx_check_error("timeout");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "the engines worker did not "
	    "answer in 5000 ms"));
	fx_stop();
}
END_TEST

/* http_engines_suite - the suite check_main runs */
Suite *
http_engines_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_engines");
	tc = tcase_create("params");
	tcase_add_loop_test(tc, test_params, 0, NELEM(param_cases));
	tcase_add_test(tc, test_routes_engine);
	suite_add_tcase(s, tc);
	tc = tcase_create("server");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_launch);
	tcase_add_test(tc, test_launch_nul);
	tcase_add_loop_test(tc, test_launch_bad, 0, NELEM(bad_launch));
	tcase_add_loop_test(tc, test_launch_errors, 0, NELEM(bus_errors));
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_logs);
	tcase_add_test(tc, test_roles);
	tcase_add_loop_test(tc, test_routes, 0, 2);
	tcase_add_test(tc, test_bus_timeout);
	suite_add_tcase(s, tc);
	http_engines_logs_tcases(s);
	return (s);
}
