/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_server - the http worker's replies, end to end in-process
 * SYNOPSIS
 *	Suite	*http_server_suite(void);
 * DESCRIPTION
 *	Each test starts the real server with a fake master (http_fixture.c)
 *	and checks what a client gets from every endpoint: status, JSON
 *	body, headers, and whether the master was asked at all (/healthz,
 *	401, 403, 404, 405, 413 and draining must not touch the bus).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "msg.h"
#include "worker.h"

#include "../../workers/http/http_server.h"

#include "http_fixture.h"

Suite	*http_server_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* test_healthz - answered locally, JSON, no bus */
START_TEST(test_healthz)
{
	fx_start(NULL);
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	ck_assert(fx_has_header("\r\nContent-Type: application/json\r\n"));
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "\r\n\r\n{\"status\":\"ok\"}"));
	ck_assert_int_eq(fx_exchange("HEAD", "/healthz", NULL), 200);
	ck_assert_int_eq(fx_nreq, 0);
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_workers - GET /v1/workers and /v1/workers/{name} */
START_TEST(test_workers)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	ck_assert_int_eq(fx_req_type, MSG_STATUS);
	j = fx_reply_json();
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "workers")),
	    3);
	cJSON_Delete(j);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers/gpu", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring,
	    "starting");
	cJSON_Delete(j);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers/nope", MSG_STATUS,
	    FX_STATUS_JSON), 404);
	fx_check_error("not_found");
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_runtime - GET /v1/runtime mixes config and master facts */
START_TEST(test_runtime)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(fx_asked("GET", "/v1/runtime", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "version")->valuestring,
	    "9.9.9");
	ck_assert_int_eq(cJSON_GetObjectItem(j, "pid")->valueint, 42);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "bind")->valuestring,
	    "127.0.0.1:0");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state_root")->valuestring,
	    "/s");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "auth_mode")->valuestring,
	    "none");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "mcp_discovery")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "draining")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "ready")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "workers")),
	    3);
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, "uptime_s")));
	cJSON_Delete(j);
	fx_stop();
}
END_TEST

/* test_readyz - ready, not ready (which workers), draining (no bus) */
START_TEST(test_readyz)
{
	cJSON	*j, *nr;

	fx_start(NULL);
	ck_assert_int_eq(fx_asked("GET", "/readyz", MSG_STATUS,
	    "{\"ready\":true,\"draining\":false,\"workers\":[]}"), 200);
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "{\"ready\":true}"));
	ck_assert_int_eq(fx_asked("GET", "/readyz", MSG_STATUS,
	    FX_STATUS_JSON), 503);
	j = fx_reply_json();
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "ready")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "draining")));
	nr = cJSON_GetObjectItem(j, "not_ready");
	ck_assert_int_eq(cJSON_GetArraySize(nr), 1);
	ck_assert_str_eq(cJSON_GetArrayItem(nr, 0)->valuestring, "gpu");
	cJSON_Delete(j);
	fx_rt.draining = 1;
	http_server_drain(&fx_rt);
	fx_nreq = 0;
	ck_assert_int_eq(fx_exchange("GET", "/readyz", NULL), 503);
	j = fx_reply_json();
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "draining")));
	cJSON_Delete(j);
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_draining - changes refused, reads served */
START_TEST(test_draining)
{
	fx_start(NULL);
	fx_rt.draining = 1;
	http_server_drain(&fx_rt);
	ck_assert_int_eq(fx_exchange("POST", "/v1/workers/gpu/restart", NULL),
	    503);
	fx_check_error("draining");
	ck_assert_int_eq(fx_nreq, 0);
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	fx_stop();
}
END_TEST

/* test_restart - 202 with the master's body */
START_TEST(test_restart)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(fx_asked("POST", "/v1/workers/gpu/restart",
	    MSG_RESTART, "{\"name\":\"gpu\",\"state\":\"stopping\","
	    "\"pid\":7}"), 202);
	ck_assert_int_eq(fx_req_type, MSG_RESTART);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"gpu\"}");
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring,
	    "stopping");
	cJSON_Delete(j);
	fx_stop();
}
END_TEST

static const struct restart_error {
	const char	*code;
	int		 status;
} restart_errors[] = {
	{ "not_found", 404 },
	{ "conflict", 409 },
	{ "draining", 503 },
	{ "something_else", 502 },
};

/* test_restart_error - MSG_ERROR codes map to statuses */
START_TEST(test_restart_error)
{
	const struct restart_error	*c = &restart_errors[_i];
	char				 json[128];
	int				 got;

	fx_start(NULL);
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"message\":\"m\"}",
	    c->code);
	got = fx_asked("POST", "/v1/workers/x/restart", MSG_ERROR, json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	fx_check_error(c->code);
	fx_stop();
}
END_TEST

/* test_bad_replies - MSG_ERROR to a status is 503; a wrong type is 502 */
START_TEST(test_bad_replies)
{
	fx_start(NULL);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_ERROR,
	    "{\"code\":\"x\",\"message\":\"no\"}"), 503);
	fx_check_error("unavailable");
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_PONG, "{}"), 502);
	fx_check_error("bad_gateway");
	ck_assert_int_eq(fx_asked("POST", "/v1/workers/a/restart", MSG_STATUS,
	    "{}"), 502);
	fx_stop();
}
END_TEST

/* test_auth - 401 with a challenge, 403, no bus; tokens wiped */
START_TEST(test_auth)
{
	fx_start(FX_TOKENS);
	ck_assert_ptr_null(cJSON_GetObjectItem(fx_rt.config, "admin_token"));
	ck_assert_ptr_null(cJSON_GetObjectItem(fx_rt.config, "readonly_token"));
	ck_assert_int_eq(fx_exchange("GET", "/v1/workers", NULL), 401);
	fx_check_error("unauthorized");
	ck_assert(fx_has_header("\r\nWWW-Authenticate: Bearer"));
	ck_assert_int_eq(fx_exchange("GET", "/v1/nothing", NULL), 401);
	ck_assert_int_eq(fx_exchange("GET", "/v1/workers",
	    "Authorization: Bearer nope\r\n"), 401);
	ck_assert_int_eq(fx_exchange("POST", "/v1/workers/a/restart", FX_H_RO),
	    403);
	fx_check_error("forbidden");
	ck_assert_int_eq(fx_exchange("GET", "/v1/nothing", FX_H_RO), 404);
	fx_check_error("not_found");
	ck_assert_int_eq(fx_exchange("DELETE", "/v1/workers", FX_H_ADMIN), 405);
	fx_check_error("method_not_allowed");
	ck_assert(fx_has_header("\r\nAllow: GET, HEAD\r\n"));
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_reload - new auth settings apply to the next request */
START_TEST(test_reload)
{
	cJSON	*conf;

	fx_start(FX_TOKENS);
	ck_assert_int_eq(fx_exchange("GET", "/v1/workers", NULL), 401);
	conf = cJSON_Duplicate(fx_rt.config, 1);
	cJSON_ReplaceItemInObject(conf, "auth_mode",
	    cJSON_CreateString("none"));
	cJSON_Delete(fx_rt.config);
	fx_rt.config = conf;
	http_server_reload(&fx_rt);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	cJSON_ReplaceItemInObject(fx_rt.config, "auth_mode",
	    cJSON_CreateString("bogus"));
	http_server_reload(&fx_rt);	/* refused: stays "none" */
	ck_assert_int_eq(fx_asked("GET", "/v1/workers", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	fx_stop();
}
END_TEST

/* test_misc - 404, 405 for unrouted methods, 413, a bad target */
START_TEST(test_misc)
{
	fx_start("{\"http_body_limit\":10}");
	ck_assert_int_eq(fx_exchange("GET", "/nope", NULL), 404);
	fx_check_error("not_found");
	ck_assert_int_eq(fx_exchange("PATCH", "/v1/workers", NULL), 405);
	fx_check_error("method_not_allowed");
	ck_assert_int_eq(fx_exchange("OPTIONS", "/healthz", NULL), 405);
	ck_assert_int_eq(fx_exchange("POST", "/v1/workers/a/restart",
	    "Content-Length: 100\r\n"), 413);
	ck_assert_int_eq(fx_exchange("GET", "*", NULL), 400);
	fx_check_error("bad_request");
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_init_errors - bad auth_mode and bad bind are permanent */
START_TEST(test_init_errors)
{
	struct worker_rt	r;

	memset(&r, 0, sizeof(r));
	ck_assert_ptr_nonnull(r.base = event_base_new());
	r.config = cJSON_Parse("{\"bind\":\"127.0.0.1:0\","
	    "\"auth_mode\":\"maybe\"}");
	ck_assert_int_eq(http_server_init(&r), WORKER_EXIT_PERMANENT);
	ck_assert_ptr_null(r.priv);
	cJSON_Delete(r.config);
	r.config = cJSON_Parse("{\"bind\":\"127.0.0.1\"}");
	ck_assert_int_eq(http_server_init(&r), WORKER_EXIT_PERMANENT);
	ck_assert_ptr_null(r.priv);
	http_server_fini(&r);
	cJSON_Delete(r.config);
	event_base_free(r.base);
}
END_TEST

/* http_server_suite - the suite check_main runs */
Suite *
http_server_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_server");
	tc = tcase_create("replies");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_healthz);
	tcase_add_test(tc, test_workers);
	tcase_add_test(tc, test_runtime);
	tcase_add_test(tc, test_readyz);
	tcase_add_test(tc, test_draining);
	tcase_add_test(tc, test_restart);
	tcase_add_loop_test(tc, test_restart_error, 0, NELEM(restart_errors));
	tcase_add_test(tc, test_bad_replies);
	tcase_add_test(tc, test_auth);
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_misc);
	tcase_add_test(tc, test_init_errors);
	suite_add_tcase(s, tc);
	return (s);
}
