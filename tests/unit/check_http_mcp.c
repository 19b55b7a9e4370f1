/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_mcp - unit tests for the MCP endpoints
 * SYNOPSIS
 *	Suite	*http_mcp_suite(void);
 * DESCRIPTION
 *	"params" drives http_mcp_timeout and http_mcp_call_body over
 *	tables. "server" runs the real server with the fake master of
 *	http_fixture.c and checks, for each endpoint, what goes to the mcp
 *	worker (dst PROC_MCP, type, payload) and what comes back: the
 *	answers passed on (a server's env never), a tool's isError still a
 *	200, bodies and ?timeout= refused without any bus traffic (with
 *	"field" where a member or the parameter is at fault), the worker's
 *	error codes mapped, the bus timeout of a call (its timeout + 5 s,
 *	or 3605 s without one), the roles, draining, a client that leaves
 *	while a call is out, and a call that outlasts http_timeout (the
 *	idle timeout does not cut a request waiting for its answer).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "../../workers/http/http_mcp.h"
#include "../../workers/http/http_server.h"

#include "http_fixture.h"

Suite	*http_mcp_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

#define T_SERVERS	"{\"servers\":[{\"name\":\"everything\",\"transport\":" \
	"\"stdio\",\"enabled\":true,\"state\":\"ready\",\"pid\":4242," \
	"\"restarts\":0,\"tools\":11,\"last_error\":null,\"since\":" \
	"\"2026-11-25T20:00:00Z\",\"calls\":{\"ok\":3,\"tool_error\":1," \
	"\"error\":0,\"timeout\":0}},{\"name\":\"leaky\",\"state\":" \
	"\"failed\",\"env\":{\"API_KEY\":\"sk-leak\"}}]}"
#define T_TOOLS		"{\"server\":\"everything\",\"tools\":[{\"name\":" \
	"\"echo\",\"description\":\"Echoes back the input\",\"inputSchema\":" \
	"{\"type\":\"object\"}}]}"
#define T_RESULT	"{\"server\":\"everything\",\"tool\":\"echo\"," \
	"\"duration_ms\":3,\"result\":{\"content\":[{\"type\":\"text\"," \
	"\"text\":\"Echo: hi\"}],\"isError\":false}}"
#define T_TOOL_ERROR	"{\"server\":\"everything\",\"tool\":\"echo\"," \
	"\"duration_ms\":1,\"result\":{\"content\":[{\"type\":\"text\"," \
	"\"text\":\"no\"}],\"isError\":true}}"
#define T_UNAVAILABLE	"{\"code\":\"unavailable\",\"message\":\"worker " \
	"mcp is not running\"}"
#define T_CALL		"/v1/mcp/servers/everything/tools/echo/call"

static const struct timeout_case {
	const char	*in;
	long		 want;		/* -1: refused */
} timeout_cases[] = {
	{ "1", 1 }, { "30", 30 }, { "3600", 3600 }, { "007", 7 },
	{ "0", -1 }, { "3601", -1 }, { "-1", -1 }, { "", -1 }, { "x", -1 },
	{ "1.5", -1 }, { "10s", -1 }, { " 1", -1 }, { "+5", -1 },
	{ "0000030", -1 }, { "99999999999999999999", -1 },
};

/* test_timeout - http_mcp_timeout over timeout_cases */
START_TEST(test_timeout)
{
	const struct timeout_case	*c = &timeout_cases[_i];
	const char			*why = NULL;
	long				 secs = -42;
	int				 rc;

	rc = http_mcp_timeout(c->in, &secs, &why);
	if (c->want == -1) {
		ck_assert_msg(rc == -1, "'%s': got %ld, want refused", c->in,
		    secs);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_eq(secs, -42);
	} else
		ck_assert_msg(rc == 0 && secs == c->want, "'%s': got %d/%ld, "
		    "want %ld", c->in, rc, secs, c->want);
}
END_TEST

static const struct body_case {
	const char	*in;
	const char	*want;		/* the arguments, or NULL: refused */
	const char	*field;		/* if refused: "" for the body */
} body_cases[] = {
	{ "", "{}", NULL },
	{ "{}", "{}", NULL },
	{ " { } \n", "{}", NULL },
	{ "{\"arguments\":{}}", "{}", NULL },
	{ "{\"arguments\":{\"message\":\"hi\",\"n\":[1,{\"a\":null}]}}",
	    "{\"message\":\"hi\",\"n\":[1,{\"a\":null}]}", NULL },
	{ "{\"arguments\":{\"k\":\"a\\\\u0000b\"}}", "{\"k\":\"a\\\\u0000b\"}",
	    NULL },
	{ "not json", NULL, "" },
	{ "[]", NULL, "" },
	{ "7", NULL, "" },
	{ "null", NULL, "" },
	{ "\"arguments\"", NULL, "" },
	{ "{\"arguments\":{}} x", NULL, "" },
	{ "{\"arguments\":{\"k\":\"a\\u0000b\"}}", NULL, "" },
	{ "{\"args\":{}}", NULL, "args" },
	{ "{\"arguments\":{},\"timeout_s\":5}", NULL, "timeout_s" },
	{ "{\"arguments\":[]}", NULL, "arguments" },
	{ "{\"arguments\":\"x\"}", NULL, "arguments" },
	{ "{\"arguments\":null}", NULL, "arguments" },
	{ "{\"arguments\":{},\"arguments\":{}}", NULL, "arguments" },
	{ "{\"a b\\u001b\":1}", NULL, "a?b?" },
	{ "{\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxx\":1}", NULL,
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
};

/* test_body - http_mcp_call_body over body_cases */
START_TEST(test_body)
{
	const struct body_case	*c = &body_cases[_i];
	const char		*why = NULL;
	char			 field[HTTP_MCP_FIELD_MAX + 1], *got;
	cJSON			*args = (cJSON *)1;
	int			 rc;

	rc = http_mcp_call_body(c->in, strlen(c->in), &args, field, &why);
	if (c->want == NULL) {
		ck_assert_msg(rc == -1, "'%s': got %d, want refused", c->in,
		    rc);
		ck_assert_ptr_null(args);
		ck_assert_ptr_nonnull(why);
		ck_assert_msg(strcmp(field, c->field) == 0, "'%s': got field "
		    "'%s', want '%s'", c->in, field, c->field);
		return;
	}
	ck_assert_msg(rc == 0, "'%s': got %d (%s)", c->in, rc, why);
	ck_assert(cJSON_IsObject(args));
	got = cJSON_PrintUnformatted(args);
	ck_assert_msg(strcmp(got, c->want) == 0, "'%s': got %s, want %s",
	    c->in, got, c->want);
	cJSON_free(got);
	cJSON_Delete(args);
}
END_TEST

/* mx_asked - one request the mcp worker answers; the status */
static int
mx_asked(const char *method, const char *path, const char *headers,
    const char *body, uint16_t type, const char *json)
{
	return (fx_asked_by(PROC_MCP, method, path, headers, body, type,
	    json));
}

/* mx_bus_ms - the bus timeout of the one call in flight */
static int
mx_bus_ms(void)
{
	struct http_server	*srv = fx_rt.priv;
	struct http_call	*call = TAILQ_FIRST(&srv->calls);

	ck_assert_ptr_nonnull(call);
	return (call->bus_ms);
}

/* test_servers - GET /v1/mcp/servers: {} to PROC_MCP, reply passed on */
START_TEST(test_servers)
{
	cJSON		*j;
	const cJSON	*s;

	fx_start(NULL);
	fx_client_start("GET", "/v1/mcp/servers", NULL);
	fx_master_wait(1);
	ck_assert_int_eq(fx_req_dst, PROC_MCP);
	ck_assert_int_eq(fx_req_type, MSG_MCP_LIST);
	ck_assert_str_eq(fx_req_body, "{}");
	ck_assert_int_eq(mx_bus_ms(), 5000);
	fx_master_reply(MSG_MCP_LIST, T_SERVERS);
	ck_assert_int_eq(fx_client_wait(), 200);
	ck_assert_ptr_null(strstr(fx_cl_buf, "sk-leak"));
	j = fx_reply_json();
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "servers"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "since")->valuestring,
	    "2026-11-25T20:00:00Z");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "calls"),
	    "ok")->valueint, 3);
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "servers"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "state")->valuestring,
	    "failed");
	ck_assert_ptr_null(cJSON_GetObjectItem(s, "env"));
	cJSON_Delete(j);

	/* the worker down or not enabled: the master says unavailable */
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers", NULL, NULL,
	    MSG_ERROR, T_UNAVAILABLE), 503);
	fx_check_error("unavailable");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "worker mcp is not running"));
	/* a reply of another type or shape: 502 */
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers", NULL, NULL,
	    MSG_MCP_TOOLS, "{}"), 502);
	fx_check_error("bad_gateway");
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers", NULL, NULL,
	    MSG_MCP_LIST, "[]"), 502);
	/* HEAD: the same question, no body */
	fx_client_start("HEAD", "/v1/mcp/servers", NULL);
	fx_master_wait(5);
	ck_assert_int_eq(fx_req_type, MSG_MCP_LIST);
	fx_master_reply(MSG_MCP_LIST, "{\"servers\":[]}");
	ck_assert_int_eq(fx_client_wait(), 200);
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "\r\n\r\n"));
	ck_assert_str_eq(strstr(fx_cl_buf, "\r\n\r\n"), "\r\n\r\n");
	fx_stop();
}
END_TEST

/* test_tools - GET /v1/mcp/servers/{name}/tools: {"name"} */
START_TEST(test_tools)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers/everything/tools",
	    NULL, NULL, MSG_MCP_TOOLS, T_TOOLS), 200);
	ck_assert_int_eq(fx_req_type, MSG_MCP_TOOLS);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"everything\"}");
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "tools"), 0), "name")->valuestring, "echo");
	cJSON_Delete(j);
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers/nope/tools", NULL,
	    NULL, MSG_ERROR, "{\"code\":\"not_found\",\"message\":\"no MCP "
	    "server named nope\"}"), 404);
	fx_check_error("not_found");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "no MCP server named nope"));
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers/s/tools", NULL,
	    NULL, MSG_ERROR, "{\"code\":\"unavailable\",\"message\":\"server "
	    "s is starting\"}"), 503);
	ck_assert_int_eq(fx_exchange("GET", "/v1/mcp/servers/.x/tools", NULL),
	    404);
	ck_assert_int_eq(fx_exchange("GET", "/v1/mcp/servers/a%2Fb/tools",
	    NULL), 404);
	ck_assert_int_eq(fx_nreq, 3);
	fx_stop();
}
END_TEST

/* test_call - the call as sent: server, tool, arguments; the bus wait */
START_TEST(test_call)
{
	cJSON	*j;

	fx_start(NULL);
	fx_client_send("POST", T_CALL, NULL,
	    "{\"arguments\":{\"message\":\"hi\"}}");
	fx_master_wait(1);
	ck_assert_int_eq(fx_req_dst, PROC_MCP);
	ck_assert_int_eq(fx_req_type, MSG_MCP_CALL);
	fx_sent_json("{\"server\":\"everything\",\"tool\":\"echo\","
	    "\"arguments\":{\"message\":\"hi\"}}");
	ck_assert_int_eq(mx_bus_ms(), 3605000);
	fx_master_reply(MSG_MCP_CALL, T_RESULT);
	ck_assert_int_eq(fx_client_wait(), 200);
	j = fx_reply_json();
	ck_assert_int_eq(cJSON_GetObjectItem(j, "duration_ms")->valueint, 3);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "result"), "content"),
	    0), "text")->valuestring, "Echo: hi");
	cJSON_Delete(j);

	/* no body, {}: no arguments; ?timeout: timeout_s and S + 5 s */
	fx_client_send("POST", T_CALL "?timeout=30", NULL, NULL);
	fx_master_wait(2);
	fx_sent_json("{\"server\":\"everything\",\"tool\":\"echo\","
	    "\"arguments\":{},\"timeout_s\":30}");
	ck_assert_int_eq(mx_bus_ms(), 35000);
	fx_master_reply(MSG_MCP_CALL, T_RESULT);
	ck_assert_int_eq(fx_client_wait(), 200);
	fx_client_send("POST", T_CALL "?x=1&timeout=3600", NULL, "{}");
	fx_master_wait(3);
	fx_sent_json("{\"server\":\"everything\",\"tool\":\"echo\","
	    "\"arguments\":{},\"timeout_s\":3600}");
	ck_assert_int_eq(mx_bus_ms(), 3605000);
	fx_master_reply(MSG_MCP_CALL, T_RESULT);
	ck_assert_int_eq(fx_client_wait(), 200);
	fx_client_send("POST", "/v1/mcp/servers/s.1/tools/get_sum-2.x/call"
	    "?timeout=1", NULL, NULL);
	fx_master_wait(4);
	fx_sent_json("{\"server\":\"s.1\",\"tool\":\"get_sum-2.x\","
	    "\"arguments\":{},\"timeout_s\":1}");
	ck_assert_int_eq(mx_bus_ms(), 6000);

	/* a tool that says no is still a 200 */
	fx_master_reply(MSG_MCP_CALL, T_TOOL_ERROR);
	ck_assert_int_eq(fx_client_wait(), 200);
	j = fx_reply_json();
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
	    "result"), "isError")));
	cJSON_Delete(j);
	ck_assert_int_eq(mx_asked("POST", T_CALL, NULL, NULL, MSG_MCP_LIST,
	    T_RESULT), 502);
	fx_stop();
}
END_TEST

static const char *const bad_bodies[] = {
	"not json", "[]", "7", "{\"arguments\":{}} x",
	"{\"arguments\":{\"k\":\"a\\u0000b\"}}",
	"{\"args\":{}}", "{\"arguments\":[]}", "{\"arguments\":null}",
	"{\"arguments\":{},\"arguments\":{}}", "{\"arguments\":{},\"x\":1}",
};

/* test_call_bad_body - 400 without asking anybody; field when a member */
START_TEST(test_call_bad_body)
{
	const char	*field;
	cJSON		*j;

	fx_start(NULL);
	fx_client_send("POST", T_CALL, NULL, bad_bodies[_i]);
	ck_assert_int_eq(fx_client_wait(), 400);
	fx_check_error("bad_request");
	field = fx_error_field(&j);
	if (bad_bodies[_i][0] == '{' && strstr(bad_bodies[_i], "\\u0000") ==
	    NULL && strstr(bad_bodies[_i], "} x") == NULL)
		ck_assert_msg(field != NULL && (strcmp(field, "arguments") ==
		    0 || strcmp(field, "args") == 0 || strcmp(field, "x") == 0),
		    "%s: %s", bad_bodies[_i], fx_cl_buf);
	else
		ck_assert_msg(field == NULL, "%s: %s", bad_bodies[_i],
		    fx_cl_buf);
	cJSON_Delete(j);
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

static const char *const bad_timeouts[] = {
	"?timeout=0", "?timeout=3601", "?timeout=-1", "?timeout=x",
	"?timeout=1.5", "?timeout=", "?timeout=10s", "?timeout=9999999",
	"?timeout=x&timeout=30",
};

/* test_call_bad_timeout - 400 naming timeout, nobody asked */
START_TEST(test_call_bad_timeout)
{
	const char	*field;
	char		 path[256];
	cJSON		*j;

	fx_start(NULL);
	snprintf(path, sizeof(path), "%s%s", T_CALL, bad_timeouts[_i]);
	fx_client_send("POST", path, NULL, "{}");
	ck_assert_int_eq(fx_client_wait(), 400);
	fx_check_error("bad_request");
	field = fx_error_field(&j);
	ck_assert_msg(field != NULL && strcmp(field, "timeout") == 0, "%s: %s",
	    path, fx_cl_buf);
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "from 1 to 3600"));
	cJSON_Delete(j);
	/* a query that does not parse: 400 too */
	ck_assert_int_eq(fx_exchange("POST", T_CALL "?timeout", NULL), 400);
	ck_assert_int_eq(fx_nreq, 0);
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
	{ "bad_gateway", 502 },
	{ "unavailable", 503 },
	{ "timeout", 504 },
	{ "something_new", 502 },
};

/* test_call_errors - the worker's code, message and field, mapped */
START_TEST(test_call_errors)
{
	const struct bus_error	*c = &bus_errors[_i];
	const char		*field;
	char			 json[256];
	cJSON			*j;
	int			 got;

	fx_start(NULL);
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"message\":\"echo: "
	    "the server said -32602 invalid params\",\"field\":\"arguments\"}",
	    c->code);
	got = mx_asked("POST", T_CALL, NULL, "{\"arguments\":{\"m\":1}}",
	    MSG_ERROR, json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	fx_check_error(c->code);
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "-32602 invalid params"));
	field = fx_error_field(&j);
	ck_assert_msg(field != NULL && strcmp(field, "arguments") == 0,
	    "no field in %s", fx_cl_buf);
	cJSON_Delete(j);
	got = mx_asked("GET", "/v1/mcp/servers/x/tools", NULL, NULL,
	    MSG_ERROR, json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	got = mx_asked("GET", "/v1/mcp/servers", NULL, NULL, MSG_ERROR, json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	fx_stop();
}
END_TEST

/* test_roles - read-only may list, not call; no token; draining */
START_TEST(test_roles)
{
	fx_start(FX_TOKENS);
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers", FX_H_RO, NULL,
	    MSG_MCP_LIST, "{\"servers\":[]}"), 200);
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers/e/tools", FX_H_RO,
	    NULL, MSG_MCP_TOOLS, T_TOOLS), 200);
	fx_client_send("POST", T_CALL, FX_H_RO, "{}");
	ck_assert_int_eq(fx_client_wait(), 403);
	fx_check_error("forbidden");
	ck_assert_int_eq(fx_exchange("GET", "/v1/mcp/servers", NULL), 401);
	ck_assert_int_eq(fx_exchange("POST", T_CALL, NULL), 401);
	ck_assert_int_eq(fx_exchange("GET", T_CALL, FX_H_ADMIN), 405);
	ck_assert(fx_has_header("\r\nAllow: POST\r\n"));
	ck_assert_int_eq(fx_exchange("DELETE", "/v1/mcp/servers/e/tools",
	    FX_H_ADMIN), 405);
	ck_assert(fx_has_header("\r\nAllow: GET, HEAD\r\n"));
	ck_assert_int_eq(fx_nreq, 2);
	ck_assert_int_eq(mx_asked("POST", T_CALL, FX_H_ADMIN, "{}",
	    MSG_MCP_CALL, T_RESULT), 200);
	fx_rt.draining = 1;
	fx_client_send("POST", T_CALL, FX_H_ADMIN, "{}");
	ck_assert_int_eq(fx_client_wait(), 503);
	fx_check_error("draining");
	ck_assert_int_eq(mx_asked("GET", "/v1/mcp/servers", FX_H_RO, NULL,
	    MSG_MCP_LIST, "{\"servers\":[]}"), 200);
	ck_assert_int_eq(fx_nreq, 4);
	fx_stop();
}
END_TEST

/* test_call_gone - the client leaves while the tool runs: no leak */
START_TEST(test_call_gone)
{
	fx_start(NULL);
	fx_client_send("POST", T_CALL "?timeout=600", NULL,
	    "{\"arguments\":{\"token\":\"secret-ish\"}}");
	fx_master_wait(1);
	close(fx_cl_fd);
	fx_cl_fd = -1;
	fx_spin(NULL, 50);
	fx_master_reply(MSG_MCP_CALL, T_RESULT);	/* for nobody */
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_client_send("POST", T_CALL, NULL, NULL);
	fx_master_wait(2);
	fx_stop();	/* the call out ends with ECANCELED */
	close(fx_cl_fd);
	fx_cl_fd = -1;
}
END_TEST

/* test_call_long - a call that outlasts http_timeout is still answered */
START_TEST(test_call_long)
{
	fx_start("{\"http_timeout\":1}");
	fx_client_send("POST", T_CALL "?timeout=60", NULL, "{}");
	fx_master_wait(1);
	fx_spin(NULL, 2500);		/* the tool takes its time */
	ck_assert_msg(!fx_client_done(), "closed early: %s", fx_cl_buf);
	fx_master_reply(MSG_MCP_CALL, T_RESULT);
	ck_assert_int_eq(fx_client_wait(), 200);
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "Echo: hi"));
	fx_stop();
}
END_TEST

/* http_mcp_suite - the suite check_main runs */
Suite *
http_mcp_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_mcp");
	tc = tcase_create("params");
	tcase_add_loop_test(tc, test_timeout, 0, NELEM(timeout_cases));
	tcase_add_loop_test(tc, test_body, 0, NELEM(body_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("server");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_servers);
	tcase_add_test(tc, test_tools);
	tcase_add_test(tc, test_call);
	tcase_add_loop_test(tc, test_call_bad_body, 0, NELEM(bad_bodies));
	tcase_add_loop_test(tc, test_call_bad_timeout, 0,
	    NELEM(bad_timeouts));
	tcase_add_loop_test(tc, test_call_errors, 0, NELEM(bus_errors));
	tcase_add_test(tc, test_roles);
	tcase_add_test(tc, test_call_gone);
	tcase_add_test(tc, test_call_long);
	suite_add_tcase(s, tc);
	return (s);
}
