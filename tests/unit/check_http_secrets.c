/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_secrets - unit tests for the secrets and routes endpoints
 * SYNOPSIS
 *	Suite	*http_secrets_suite(void);
 * DESCRIPTION
 *	"check" drives http_secrets_check over a table of PUT bodies;
 *	"wipe" checks that an evbuffer is cleared where its bytes lie;
 *	"server" runs the real server with the fake master of
 *	http_fixture.c and checks what goes to the secrets worker (type,
 *	dst, payload: never MSG_SECRET_GET) and what comes back to the
 *	client: only the documented members, never a value, errors mapped
 *	to statuses, bad bodies refused without any bus traffic. GET
 *	/v1/routes also asks the engines worker, which is down here
 *	(check_http_engines.c merges its engines).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/buffer.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "../../workers/http/http_body.h"
#include "../../workers/http/http_secrets.h"
#include "../../workers/http/http_wipe.h"

#include "http_fixture.h"

Suite	*http_secrets_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const struct check_case {
	const char	*body;		/* NULL: no body at all */
	int		 want;		/* 0 or -1 */
	const char	*field;		/* NULL: the body as a whole */
	const char	*why;		/* a part of the complaint */
} check_cases[] = {
	{ "{\"provider\":\"openai\",\"value\":\"sk-1\"}", 0, NULL, NULL },
	{ "{\"value\":\"sk-1\",\"provider\":\"x\"}", 0, NULL, NULL },
	{ NULL, -1, NULL, "JSON object" },
	{ "[]", -1, NULL, "JSON object" },
	{ "\"x\"", -1, NULL, "JSON object" },
	{ "{}", -1, "provider", "required" },
	{ "{\"value\":\"v\"}", -1, "provider", "required" },
	{ "{\"provider\":1,\"value\":\"v\"}", -1, "provider", "string" },
	{ "{\"provider\":\"\",\"value\":\"v\"}", -1, "provider", "empty" },
	{ "{\"provider\":\"p\"}", -1, "value", "required" },
	{ "{\"provider\":\"p\",\"value\":null}", -1, "value", "string" },
	{ "{\"provider\":\"p\",\"value\":{}}", -1, "value", "string" },
	{ "{\"provider\":\"p\",\"value\":\"\"}", -1, "value", "empty" },
	{ "{\"provider\":\"p\",\"value\":\"v\",\"name\":\"n\"}", -1, "name",
	    "unknown" },
	{ "{\"provider\":\"p\",\"value\":\"v\",\"value\":\"w\"}", -1, "value",
	    "twice" },
	{ "{\"Provider\":\"p\",\"value\":\"v\"}", -1, "Provider", "unknown" },
};

/* test_check - http_secrets_check over check_cases */
START_TEST(test_check)
{
	const struct check_case	*c = &check_cases[_i];
	const char		*field = "unset", *why = NULL;
	cJSON			*j = NULL;
	int			 got;

	if (c->body != NULL)
		ck_assert_ptr_nonnull(j = cJSON_Parse(c->body));
	got = http_secrets_check(j, &field, &why);
	ck_assert_msg(got == c->want, "case %d: got %d, want %d", _i, got,
	    c->want);
	if (c->want == 0) {
		ck_assert_ptr_null(field);
	} else {
		if (c->field == NULL)
			ck_assert_msg(field == NULL, "case %d: got field %s, "
			    "want none", _i, field);
		else
			ck_assert_msg(field != NULL &&
			    strcmp(field, c->field) == 0, "case %d: got field "
			    "%s, want %s", _i, field != NULL ? field : "(none)",
			    c->field);
		ck_assert_msg(why != NULL && strstr(why, c->why) != NULL,
		    "case %d: got why %s, want ...%s...", _i,
		    why != NULL ? why : "(none)", c->why);
	}
	cJSON_Delete(j);
}
END_TEST

/* test_check_sizes - the value and provider limits, to the byte */
START_TEST(test_check_sizes)
{
	static char	 big[HTTP_SECRETS_VALUE_MAX + 2];
	const char	*field, *why;
	cJSON		*j;

	memset(big, 'k', HTTP_SECRETS_VALUE_MAX);
	big[HTTP_SECRETS_VALUE_MAX] = '\0';
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "provider", "openai");
	cJSON_AddStringToObject(j, "value", big);
	ck_assert_int_eq(http_secrets_check(j, &field, &why), 0);
	big[HTTP_SECRETS_VALUE_MAX] = 'k';
	big[HTTP_SECRETS_VALUE_MAX + 1] = '\0';
	cJSON_ReplaceItemInObject(j, "value", cJSON_CreateString(big));
	ck_assert_int_eq(http_secrets_check(j, &field, &why), -1);
	ck_assert_str_eq(field, "value");
	ck_assert_ptr_nonnull(strstr(why, "65536"));
	cJSON_ReplaceItemInObject(j, "value", cJSON_CreateString("v"));
	memset(big, 'p', HTTP_SECRETS_PROVIDER_MAX + 1);
	big[HTTP_SECRETS_PROVIDER_MAX + 1] = '\0';
	cJSON_ReplaceItemInObject(j, "provider", cJSON_CreateString(big));
	ck_assert_int_eq(http_secrets_check(j, &field, &why), -1);
	ck_assert_str_eq(field, "provider");
	cJSON_Delete(j);
}
END_TEST

/* test_nul_escape - a \u0000 escape is found, an escaped backslash is not */
START_TEST(test_nul_escape)
{
	static const struct {
		const char	*body;
		int		 want;
	} c[] = {
		{ "{\"value\":\"abc\\u0000def\"}", 1 },
		{ "{\"value\":\"\\\\\\u0000\"}", 1 },	/* \\ then \u0000 */
		{ "{\"value\":\"\\\\u0000\"}", 0 },	/* \\ then u0000 */
		{ "{\"value\":\"\\u0001\"}", 0 },
		{ "{\"value\":\"abc\\u000\"}", 0 },
		{ "\\u0000", 1 },
		{ "", 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ck_assert_msg(http_body_has_nul_escape(c[i].body,
		    strlen(c[i].body)) == c[i].want, "case %zu: %s", i,
		    c[i].body);
}
END_TEST

/* test_wipe - bytes are cleared where the evbuffer keeps them */
START_TEST(test_wipe)
{
	static char	 a[] = "{\"value\":\"sk-";
	static char	 b[] = "secret\"}";
	struct evbuffer	*e;
	char		*out;
	size_t		 len;

	/* references: the evbuffer's bytes are our arrays */
	ck_assert_ptr_nonnull(e = evbuffer_new());
	ck_assert_int_eq(evbuffer_add_reference(e, a, strlen(a), NULL, NULL),
	    0);
	ck_assert_int_eq(evbuffer_add_reference(e, b, strlen(b), NULL, NULL),
	    0);
	out = http_wipe_take(e, &len);
	ck_assert_uint_eq(len, strlen("{\"value\":\"sk-secret\"}"));
	ck_assert_str_eq(out, "{\"value\":\"sk-secret\"}");
	ck_assert_uint_eq(evbuffer_get_length(e), 0);
	ck_assert(a[0] == '\0' && a[sizeof(a) - 2] == '\0');
	ck_assert(b[0] == '\0' && b[sizeof(b) - 2] == '\0');
	http_wipe_free(out);
	ck_assert_int_eq(evbuffer_add(e, "abc", 3), 0);
	http_wipe_evbuffer(e);
	ck_assert_uint_eq(evbuffer_get_length(e), 0);
	http_wipe_evbuffer(NULL);
	evbuffer_free(e);
	out = http_wipe_realloc(NULL, 10);
	memcpy(out, "012345678", 10);
	out = http_wipe_realloc(out, 5000);
	ck_assert_str_eq(out, "012345678");
	ck_assert_ptr_null(http_wipe_realloc(out, 0));
	http_wipe_free(NULL);
	http_wipe_str(NULL);
}
END_TEST

/* sx_request - send method path with a JSON body and headers */
static void
sx_request(const char *method, const char *path, const char *headers,
    const char *body)
{
	char	buf[2048];

	snprintf(buf, sizeof(buf), "%s %s HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n%s\r\n%s", method, path,
	    body != NULL ? strlen(body) : 0, headers != NULL ? headers : "",
	    body != NULL ? body : "");
	fx_cl_len = 0;
	fx_cl_eof = 0;
	fx_cl_buf[0] = '\0';
	ck_assert_int_ge(fx_cl_fd = fx_client_raw(buf), 0);
}

/* sx_asked - one request the secrets worker answers; the status */
static int
sx_asked(const char *method, const char *path, const char *body,
    uint16_t type, const char *json)
{
	int	seen = fx_nreq;

	sx_request(method, path, NULL, body);
	fx_spin(fx_master_saw, 3000);
	ck_assert_int_eq(fx_nreq, seen + 1);
	ck_assert_int_eq(fx_req_dst, PROC_SECRETS);
	ck_assert_int_ne(fx_req_type, MSG_SECRET_GET);
	fx_master_reply(type, json);
	return (fx_client_wait());
}

/* sx_routes - GET /v1/routes, the engines worker down; the status */
static int
sx_routes(uint16_t type, const char *json)
{
	int	seen = fx_nreq;

	sx_request("GET", "/v1/routes", NULL, NULL);
	fx_master_wait(seen + 2);
	fx_master_reply_to(MSG_ROUTES_LIST, type, json);
	fx_master_reply_to(MSG_ENGINE_LIST, MSG_ERROR, "{\"code\":"
	    "\"unavailable\",\"message\":\"worker engines is not running\"}");
	return (fx_client_wait());
}

/* sx_no_value - the reply in fx_cl_buf holds no "value" and no secret */
static void
sx_no_value(void)
{
	ck_assert_ptr_null(strstr(fx_cl_buf, "\"value\""));
	ck_assert_ptr_null(strstr(fx_cl_buf, "sk-"));
}

/* test_list - GET /v1/secrets keeps only the documented members */
START_TEST(test_list)
{
	cJSON		*j;
	const cJSON	*s, *st;

	fx_start(NULL);
	ck_assert_int_eq(sx_asked("GET", "/v1/secrets", NULL, MSG_SECRET_LIST,
	    "{\"store\":{\"path\":\"/s/secrets/store.json\",\"state\":\"ok\","
	    "\"key_id\":\"k\"},\"secrets\":[{\"name\":\"openai.prod\","
	    "\"provider\":\"openai\",\"created\":1,\"updated\":2,"
	    "\"value\":\"sk-leak\",\"nonce\":\"n\"},7]}"), 200);
	ck_assert_int_eq(fx_req_type, MSG_SECRET_LIST);
	ck_assert_str_eq(fx_req_body, "{}");
	sx_no_value();
	j = fx_reply_json();
	st = cJSON_GetObjectItem(j, "store");
	ck_assert_str_eq(cJSON_GetObjectItem(st, "state")->valuestring, "ok");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(st, "error")));
	ck_assert_ptr_null(cJSON_GetObjectItem(st, "key_id"));
	s = cJSON_GetObjectItem(j, "secrets");
	ck_assert_int_eq(cJSON_GetArraySize(s), 1);
	s = cJSON_GetArrayItem(s, 0);
	ck_assert_int_eq(cJSON_GetArraySize(s), 4);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "name")->valuestring,
	    "openai.prod");
	ck_assert_int_eq(cJSON_GetObjectItem(s, "updated")->valueint, 2);
	cJSON_Delete(j);

	/* no secrets array: 502 */
	ck_assert_int_eq(sx_asked("GET", "/v1/secrets", NULL, MSG_SECRET_LIST,
	    "{\"store\":{}}"), 502);
	fx_check_error("bad_gateway");
	/* the wrong reply type: 502 */
	ck_assert_int_eq(sx_asked("GET", "/v1/secrets", NULL, MSG_ROUTES_LIST,
	    "{\"secrets\":[]}"), 502);
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_put - the body goes on as {"name","provider","value"}; 200 */
START_TEST(test_put)
{
	cJSON	*j, *sent;

	fx_start(NULL);
	ck_assert_int_eq(sx_asked("PUT", "/v1/secrets/openai.prod",
	    "{\"provider\":\"openai\",\"value\":\"sk-abc\\n\\\"x\"}",
	    MSG_SECRET_PUT, "{\"name\":\"openai.prod\",\"provider\":"
	    "\"openai\",\"created\":5,\"updated\":5,\"value\":\"sk-abc\"}"),
	    200);
	ck_assert_int_eq(fx_req_type, MSG_SECRET_PUT);
	ck_assert_ptr_nonnull(sent = cJSON_Parse(fx_req_body));
	ck_assert_int_eq(cJSON_GetArraySize(sent), 3);
	ck_assert_str_eq(cJSON_GetObjectItem(sent, "name")->valuestring,
	    "openai.prod");
	ck_assert_str_eq(cJSON_GetObjectItem(sent, "provider")->valuestring,
	    "openai");
	ck_assert_str_eq(cJSON_GetObjectItem(sent, "value")->valuestring,
	    "sk-abc\n\"x");
	cJSON_Delete(sent);
	sx_no_value();
	j = fx_reply_json();
	ck_assert_int_eq(cJSON_GetArraySize(j), 4);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "created")->valueint, 5);
	cJSON_Delete(j);
	fx_stop();
}
END_TEST

/* test_put_long_name - a secret's name may be 128 characters, not 129 */
START_TEST(test_put_long_name)
{
	char	path[256];

	fx_start(NULL);
	memset(path, 'n', sizeof(path));
	memcpy(path, "/v1/secrets/", 12);
	path[12 + 128] = '\0';
	ck_assert_int_eq(sx_asked("PUT", path, "{\"provider\":\"p\","
	    "\"value\":\"v\"}", MSG_SECRET_PUT, "{\"name\":\"n\"}"), 200);
	path[12 + 128] = 'n';
	path[12 + 129] = '\0';
	sx_request("PUT", path, NULL, "{\"provider\":\"p\",\"value\":\"v\"}");
	ck_assert_int_eq(fx_client_wait(), 404);
	fx_stop();
}
END_TEST

static const struct bad_body {
	const char	*body;
	const char	*field;		/* NULL: none */
} bad_bodies[] = {
	{ "", NULL },
	{ "not json sk-zzz", NULL },
	{ "{\"provider\":\"p\",\"value\":\"sk-zzz\"} trailing", NULL },
	{ "{\"provider\":\"p\",\"value\":\"sk-zzz\"", NULL },
	{ "[\"sk-zzz\"]", NULL },
	{ "{\"value\":\"sk-zzz\"}", "provider" },
	{ "{\"provider\":\"p\",\"value\":\"\"}", "value" },
	{ "{\"provider\":\"p\",\"value\":7}", "value" },
	{ "{\"provider\":\"p\",\"value\":\"sk-zzz\",\"extra\":1}", "extra" },
};

/* test_put_bad - 400 naming the field, no bus, no echo of the value */
START_TEST(test_put_bad)
{
	const struct bad_body	*c = &bad_bodies[_i];
	cJSON			*j;
	const cJSON		*f;

	fx_start(NULL);
	sx_request("PUT", "/v1/secrets/x", NULL, c->body);
	ck_assert_int_eq(fx_client_wait(), 400);
	fx_check_error("bad_request");
	ck_assert_ptr_null(strstr(fx_cl_buf, "sk-zzz"));
	j = fx_reply_json();
	f = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "field");
	if (c->field == NULL)
		ck_assert_ptr_null(f);
	else
		ck_assert_msg(cJSON_IsString(f) &&
		    strcmp(f->valuestring, c->field) == 0,
		    "case %d: no field %s in %s", _i, c->field, fx_cl_buf);
	cJSON_Delete(j);
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* test_delete - {"name","deleted":true}; not_found is 404 */
START_TEST(test_delete)
{
	cJSON	*j;

	fx_start(NULL);
	ck_assert_int_eq(sx_asked("DELETE", "/v1/secrets/a.b", NULL,
	    MSG_SECRET_DELETE, "{\"name\":\"a.b\",\"deleted\":true}"), 200);
	ck_assert_int_eq(fx_req_type, MSG_SECRET_DELETE);
	ck_assert_str_eq(fx_req_body, "{\"name\":\"a.b\"}");
	j = fx_reply_json();
	ck_assert_str_eq(cJSON_GetObjectItem(j, "name")->valuestring, "a.b");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "deleted")));
	cJSON_Delete(j);
	ck_assert_int_eq(sx_asked("DELETE", "/v1/secrets/nope", NULL,
	    MSG_ERROR, "{\"code\":\"not_found\",\"message\":\"no secret "
	    "named nope\"}"), 404);
	fx_check_error("not_found");
	ck_assert_ptr_nonnull(strstr(fx_cl_buf, "no secret named nope"));
	fx_stop();
}
END_TEST

/* test_routes - GET /v1/routes: known members, header names only */
START_TEST(test_routes)
{
	cJSON		*j;
	const cJSON	*r, *h;

	fx_start(NULL);
	ck_assert_int_eq(sx_routes(MSG_ROUTES_LIST,
	    "{\"routes\":[{\"name\":\"gpt\",\"provider\":\"openai\","
	    "\"base_url\":\"https://api.openai.com/v1\",\"model\":\"gpt-4o\","
	    "\"secret\":\"openai.prod\",\"headers\":[\"X-A\",{\"X-B\":"
	    "\"sk-hdr\"}],\"available\":false,\"reason\":\"secret "
	    "openai.prod is missing\",\"header_values\":{\"X-A\":\"sk-h\"}},"
	    "{\"name\":\"local\"}]}"), 200);
	sx_no_value();
	j = fx_reply_json();
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "routes")), 2);
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "routes"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(r), 9);
	ck_assert_str_eq(cJSON_GetObjectItem(r, "source")->valuestring,
	    "file");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r, "available")));
	h = cJSON_GetObjectItem(r, "headers");
	ck_assert_int_eq(cJSON_GetArraySize(h), 1);
	ck_assert_str_eq(cJSON_GetArrayItem(h, 0)->valuestring, "X-A");
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "routes"), 1);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r, "secret")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r,
	    "headers")), 0);
	cJSON_Delete(j);
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
	{ "no_master_key", 503 },
	{ "store_error", 500 },
	{ "unavailable", 503 },
	{ "draining", 503 },
	{ "something_new", 502 },
};

/* test_errors - MSG_ERROR codes of the secrets worker map to statuses */
START_TEST(test_errors)
{
	const struct bus_error	*c = &bus_errors[_i];
	char			 json[128];
	int			 got;

	fx_start(NULL);
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"message\":\"m\"}",
	    c->code);
	got = sx_asked("PUT", "/v1/secrets/x", "{\"provider\":\"p\","
	    "\"value\":\"v\"}", MSG_ERROR, json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	fx_check_error(c->code);
	got = sx_routes(MSG_ERROR, json);
	ck_assert_msg(got == c->status, "%s: got %d, want %d", c->code, got,
	    c->status);
	fx_stop();
}
END_TEST

/* test_roles - read-only may list, not change; nothing reaches the bus */
START_TEST(test_roles)
{
	fx_start(FX_TOKENS);
	sx_request("PUT", "/v1/secrets/x", FX_H_RO,
	    "{\"provider\":\"p\",\"value\":\"sk-ro\"}");
	ck_assert_int_eq(fx_client_wait(), 403);
	fx_check_error("forbidden");
	sx_request("DELETE", "/v1/secrets/x", FX_H_RO, NULL);
	ck_assert_int_eq(fx_client_wait(), 403);
	sx_request("PUT", "/v1/secrets/x", NULL,
	    "{\"provider\":\"p\",\"value\":\"sk-anon\"}");
	ck_assert_int_eq(fx_client_wait(), 401);
	ck_assert_int_eq(fx_exchange("GET", "/v1/secrets/x", FX_H_ADMIN), 405);
	ck_assert(fx_has_header("\r\nAllow: PUT, DELETE\r\n"));
	ck_assert_int_eq(fx_exchange("POST", "/v1/routes", FX_H_ADMIN), 405);
	ck_assert_int_eq(fx_nreq, 0);
	fx_client_start("GET", "/v1/secrets", FX_H_RO);
	fx_spin(fx_master_saw, 3000);
	ck_assert_int_eq(fx_req_type, MSG_SECRET_LIST);
	fx_master_reply(MSG_SECRET_LIST, "{\"store\":{\"state\":"
	    "\"no_master_key\"},\"secrets\":[]}");
	ck_assert_int_eq(fx_client_wait(), 200);
	fx_stop();
}
END_TEST

/* test_draining - no change once shutdown has begun */
START_TEST(test_draining)
{
	fx_start(NULL);
	fx_rt.draining = 1;
	sx_request("PUT", "/v1/secrets/x", NULL,
	    "{\"provider\":\"p\",\"value\":\"v\"}");
	ck_assert_int_eq(fx_client_wait(), 503);
	fx_check_error("draining");
	ck_assert_int_eq(fx_nreq, 0);
	fx_stop();
}
END_TEST

/* http_secrets_suite - the suite check_main runs */
Suite *
http_secrets_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_secrets");
	tc = tcase_create("check");
	tcase_add_loop_test(tc, test_check, 0, NELEM(check_cases));
	tcase_add_test(tc, test_check_sizes);
	tcase_add_test(tc, test_nul_escape);
	tcase_add_test(tc, test_wipe);
	suite_add_tcase(s, tc);
	tc = tcase_create("server");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_put);
	tcase_add_test(tc, test_put_long_name);
	tcase_add_loop_test(tc, test_put_bad, 0, NELEM(bad_bodies));
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_routes);
	tcase_add_loop_test(tc, test_errors, 0, NELEM(bus_errors));
	tcase_add_test(tc, test_roles);
	tcase_add_test(tc, test_draining);
	suite_add_tcase(s, tc);
	return (s);
}
