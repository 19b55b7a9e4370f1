/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_run - unit tests for a run's record (workers/skills/run.c)
 * SYNOPSIS
 *	void	run_tcases(Suite *s);
 * DESCRIPTION
 *	Part of the runs_db suite. run_json: every member in the order of
 *	docs/skills.md, null where unset, times in RFC 3339 UTC with
 *	milliseconds, signal names, "input" parsed back and only when
 *	asked, never the prompt. The state names, run_rec_clear, run ids
 *	(16 hex digits, new each time) and run_now_ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "xmalloc.h"

#include "runs_db.h"

void	run_tcases(Suite *);

/* 2026-11-25T23:10:00.123Z */
#define T0	(1795648200LL * 1000 + 123)

/* rrec_new - a queued run 000000000000009f of "summarize" */
static void
rrec_new(struct run_rec *r)
{
	run_rec_clear(r);
	snprintf(r->id, sizeof(r->id), "000000000000009f");
	r->skill = xstrdup("summarize");
	r->agent = xstrdup("claude");
	r->input = xstrdup("{\"text\":\"hi\"}");
	r->prompt = xstrdup("do it");
	r->timeout_s = 600;
	r->created_ms = T0 + 0x9f;
	r->state = RUN_QUEUED;
}

START_TEST(test_json)
{
	static const char *const keys[] = { "id", "skill", "agent", "route",
	    "model", "state", "created_at", "started_at", "ended_at",
	    "timeout_s", "exit_code", "signal", "error", "pid", "sandbox",
	    "input", NULL };
	struct run_rec	 r = { .exit_code = -1 };
	const cJSON	*k;
	cJSON		*o;
	size_t		 i = 0;
	char		*s;

	rrec_new(&r);
	r.route = xstrdup("gpt-4o");
	r.state = RUN_SUCCEEDED;
	r.started_ms = T0 + 7;
	r.ended_ms = 1795648241502LL;
	r.exit_code = 0;
	r.sandbox = xstrdup("landlock");
	o = run_json(&r, 1);
	cJSON_ArrayForEach(k, o)
		ck_assert_str_eq(k->string, keys[i++]);
	ck_assert_ptr_null(keys[i]);
	cJSON_DeleteItemFromObject(o, "input");
	s = cJSON_PrintUnformatted(o);
	ck_assert_str_eq(s, "{\"id\":\"000000000000009f\",\"skill\":"
	    "\"summarize\",\"agent\":\"claude\",\"route\":\"gpt-4o\","
	    "\"model\":null,\"state\":\"succeeded\",\"created_at\":"
	    "\"2026-11-25T23:10:00.282Z\",\"started_at\":"
	    "\"2026-11-25T23:10:00.130Z\",\"ended_at\":"
	    "\"2026-11-25T23:10:41.502Z\",\"timeout_s\":600,\"exit_code\":0,"
	    "\"signal\":null,\"error\":null,\"pid\":null,\"sandbox\":"
	    "\"landlock\"}");
	cJSON_free(s);
	cJSON_Delete(o);

	/* input only when asked, as an object; never the prompt */
	o = run_json(&r, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "input"),
	    "text")->valuestring, "hi");
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "prompt"));
	cJSON_Delete(o);
	o = run_json(&r, 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "input"));
	cJSON_Delete(o);

	/* signals, a pid, times before 1970 + 1 s, an input gone bad */
	r.sig = 9;
	r.pid = 77;
	r.created_ms = 5;
	r.started_ms = 0;
	free(r.input);
	r.input = xstrdup("{");
	o = run_json(&r, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "signal")->valuestring,
	    "SIGKILL");
	ck_assert_int_eq(cJSON_GetObjectItem(o, "pid")->valueint, 77);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "created_at")->valuestring,
	    "1970-01-01T00:00:00.005Z");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "started_at")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "input")));
	cJSON_Delete(o);
	r.sig = 15;
	o = run_json(&r, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "signal")->valuestring,
	    "SIGTERM");
	cJSON_Delete(o);
	run_rec_clear(&r);
	ck_assert_int_eq(r.exit_code, -1);
	ck_assert_ptr_null(r.skill);
}
END_TEST

START_TEST(test_names)
{
	static const char *const names[RUN_STATE_COUNT] = { "queued",
	    "running", "succeeded", "failed", "timed_out", "canceled" };
	char		 a[RUN_ID_LEN + 1], b[RUN_ID_LEN + 1];
	int64_t		 now;
	int		 i;

	for (i = 0; i < RUN_STATE_COUNT; i++) {
		ck_assert_str_eq(run_state_name(i), names[i]);
		ck_assert_int_eq(run_state_lookup(names[i]), i);
		ck_assert_int_eq(run_state_terminal(i), i >= RUN_SUCCEEDED);
	}
	ck_assert_int_eq(run_state_lookup("done"), -1);
	ck_assert_int_eq(run_state_lookup("Queued"), -1);
	ck_assert_int_eq(run_state_lookup(NULL), -1);
	ck_assert_int_eq(run_state_terminal(-1), 0);
	ck_assert_int_eq(run_state_terminal(RUN_STATE_COUNT), 0);

	ck_assert_int_eq(run_id_new(a), 0);
	ck_assert_int_eq(run_id_new(b), 0);
	ck_assert_uint_eq(strlen(a), RUN_ID_LEN);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), RUN_ID_LEN);
	ck_assert_str_ne(a, b);
	ck_assert(run_id_valid(a));
	ck_assert(!run_id_valid("0123456789ABCDEF"));
	ck_assert(!run_id_valid("0123456789abcde"));
	ck_assert(!run_id_valid("0123456789abcdef0"));
	ck_assert(!run_id_valid(NULL));
	now = run_now_ms();
	ck_assert(now / 1000 - (int64_t)time(NULL) <= 1);
	ck_assert(now / 1000 - (int64_t)time(NULL) >= -1);
}
END_TEST

/* run_tcases - add the record tests to the runs_db suite */
void
run_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("record");
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
}
