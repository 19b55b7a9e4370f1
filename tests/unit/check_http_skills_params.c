/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_skills_params - the checks of the run endpoints, the
 *	skills worker's /metrics families
 * SYNOPSIS
 *	void	http_skills_params_tcases(Suite *s);
 * DESCRIPTION
 *	"params" drives the checks the http worker makes before the bus
 *	over tables (a run's id, ?state=, ?skill=, ?limit=, ?tail=, the
 *	body of POST /v1/runs) and feeds http_metrics_render the skills
 *	worker's two parts (corral_runs{state},
 *	corral_agents_installed{agent}), each page read back by
 *	check_prom_page(). http_skills_suite() in check_http_skills.c adds
 *	these cases.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/buffer.h>

#include "../../workers/http/http_metrics.h"
#include "../../workers/http/http_runs.h"

#include "prom_check.h"

void	http_skills_params_tcases(Suite *);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

#define T_ID		"9f1c0d2e4b7a6c35"
#define T_SUBMIT	"{\"skill\":\"summarize\",\"input\":{\"text\":" \
	"\"hello\",\"api_key\":\"sk-x\"},\"timeout_s\":60}"

static const struct id_case {
	const char	*in;
	int		 ok;
} id_cases[] = {
	{ T_ID, 1 }, { "0000000000000000", 1 }, { "abcdefabcdef0123", 1 },
	{ "9F1C0D2E4B7A6C35", 0 }, { "9f1c0d2e4b7a6c3", 0 },
	{ "9f1c0d2e4b7a6c350", 0 }, { "9f1c0d2e4b7a6c3g", 0 }, { "", 0 },
	{ "9f1c0d2e-b7a6c35", 0 },
};

/* test_id - http_runs_id_ok over id_cases */
START_TEST(test_id)
{
	const struct id_case	*c = &id_cases[_i];

	ck_assert_msg(http_runs_id_ok(c->in) == c->ok, "'%s': got %d, want %d",
	    c->in, !c->ok, c->ok);
}
END_TEST

static const struct num_case {
	int		 tail;		/* 1: http_runs_tail, 0: limit */
	const char	*in;
	long		 want;		/* -2: refused */
} num_cases[] = {
	{ 0, "1", 1 }, { 0, "100", 100 }, { 0, "1000", 1000 }, { 0, "007", 7 },
	{ 0, "0", -2 }, { 0, "1001", -2 }, { 0, "-1", -2 }, { 0, "", -2 },
	{ 0, "all", -2 }, { 0, "1.5", -2 }, { 0, " 5", -2 }, { 0, "+5", -2 },
	{ 0, "99999999999999999999", -2 },
	{ 1, "0", 0 }, { 1, "100", 100 }, { 1, "10000", 10000 },
	{ 1, "all", -1 }, { 1, "10001", -2 }, { 1, "ALL", -2 }, { 1, "", -2 },
	{ 1, "-1", -2 }, { 1, "5x", -2 }, { 1, "0000010", -2 },
};

/* test_numbers - http_runs_limit and http_runs_tail over num_cases */
START_TEST(test_numbers)
{
	const struct num_case	*c = &num_cases[_i];
	const char		*why = NULL;
	long			 n = -42;
	int			 rc;

	rc = c->tail ? http_runs_tail(c->in, &n, &why) :
	    http_runs_limit(c->in, &n, &why);
	if (c->want == -2) {
		ck_assert_msg(rc == -1, "'%s': got %ld, want refused", c->in,
		    n);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_eq(n, -42);
	} else
		ck_assert_msg(rc == 0 && n == c->want, "'%s': got %d/%ld, want "
		    "%ld", c->in, rc, n, c->want);
}
END_TEST

/* test_names - http_runs_state_ok and http_runs_skill_ok */
START_TEST(test_names)
{
	static const char *const states[] = { "queued", "running",
	    "succeeded", "failed", "timed_out", "canceled" };
	size_t	i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		ck_assert_msg(http_runs_state_ok(states[i]), "%s", states[i]);
	ck_assert(!http_runs_state_ok("cancelled"));
	ck_assert(!http_runs_state_ok("Queued"));
	ck_assert(!http_runs_state_ok(""));
	ck_assert(!http_runs_state_ok("queued "));
	ck_assert(http_runs_skill_ok("summarize"));
	ck_assert(http_runs_skill_ok("0a.b_c-d"));
	ck_assert(http_runs_skill_ok("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
	ck_assert(!http_runs_skill_ok("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
	ck_assert(!http_runs_skill_ok(""));
	ck_assert(!http_runs_skill_ok(".x"));
	ck_assert(!http_runs_skill_ok("-x"));
	ck_assert(!http_runs_skill_ok("Summarize"));
	ck_assert(!http_runs_skill_ok("a b"));
	ck_assert(!http_runs_skill_ok("a/b"));
}
END_TEST

static const struct body_case {
	const char	*in;
	int		 ok;
} body_cases[] = {
	{ "{}", 1 }, { T_SUBMIT, 1 }, { " {\"skill\":\"x\"} \n", 1 },
	{ "{\"input\":{\"k\":\"a\\\\u0000b\"}}", 1 },
	{ "", 0 }, { "[]", 0 }, { "7", 0 }, { "null", 0 }, { "not json", 0 },
	{ "{} x", 0 }, { "{\"input\":{\"k\":\"a\\u0000b\"}}", 0 },
	{ "\"skill\"", 0 },
};

/* test_body - http_runs_submit_body over body_cases */
START_TEST(test_body)
{
	const struct body_case	*c = &body_cases[_i];
	const char		*why = NULL;
	cJSON			*in = (cJSON *)1, *want;

	if (!c->ok) {
		ck_assert_msg(http_runs_submit_body(c->in, strlen(c->in), &in,
		    &why) == -1, "'%s': not refused", c->in);
		ck_assert_ptr_null(in);
		ck_assert_ptr_nonnull(why);
		return;
	}
	ck_assert_msg(http_runs_submit_body(c->in, strlen(c->in), &in,
	    &why) == 0, "'%s': %s", c->in, why);
	ck_assert_ptr_nonnull(want = cJSON_Parse(c->in));
	ck_assert(cJSON_Compare(in, want, 1));
	cJSON_Delete(want);
	cJSON_Delete(in);
}
END_TEST

/* t_render - the page of the skills worker's two parts; caller frees */
static char *
t_render(const char *runs, const char *agents)
{
	struct http_metrics_parts	 parts;
	struct evbuffer			*out;
	char				*page, why[256];
	size_t				 len;

	memset(&parts, 0, sizeof(parts));
	if (runs != NULL)
		ck_assert_ptr_nonnull(parts.runs = cJSON_Parse(runs));
	if (agents != NULL)
		ck_assert_ptr_nonnull(parts.agents = cJSON_Parse(agents));
	ck_assert_ptr_nonnull(out = evbuffer_new());
	http_metrics_render(out, NULL, "0.0.7", &parts);
	len = evbuffer_get_length(out);
	ck_assert_ptr_nonnull(page = malloc(len + 1));
	evbuffer_remove(out, page, len);
	page[len] = '\0';
	evbuffer_free(out);
	cJSON_Delete(parts.runs);
	cJSON_Delete(parts.agents);
	ck_assert_msg(check_prom_page(page, why, sizeof(why)) == 0,
	    "%s in:\n%s", why, page);
	return (page);
}

/* test_render - corral_runs{state}, corral_agents_installed{agent} */
START_TEST(test_render)
{
	char	*page;

	page = t_render("{\"runs\":[],\"counts\":{\"queued\":3,\"running\":1,"
	    "\"succeeded\":40,\"failed\":-2,\"timed_out\":\"x\",\"paused\":5}}",
	    "{\"agents\":[{\"name\":\"codex\",\"installed\":false},{\"name\":"
	    "\"claude\",\"installed\":true},{\"name\":\"gemini\"},"
	    "{\"installed\":true},7]}");
	ck_assert_msg(check_has_line(page, "# TYPE corral_runs gauge"), "%s",
	    page);
	ck_assert(check_has_line(page, "corral_runs{state=\"queued\"} 3"));
	ck_assert(check_has_line(page, "corral_runs{state=\"running\"} 1"));
	ck_assert(check_has_line(page, "corral_runs{state=\"succeeded\"} 40"));
	/* not counts, or missing: 0; a state of its own after the six */
	ck_assert(check_has_line(page, "corral_runs{state=\"failed\"} 0"));
	ck_assert(check_has_line(page, "corral_runs{state=\"timed_out\"} 0"));
	ck_assert(check_has_line(page, "corral_runs{state=\"canceled\"} 0"));
	ck_assert(check_has_line(page, "corral_runs{state=\"paused\"} 5"));
	ck_assert(check_has_line(page, "# TYPE corral_agents_installed gauge"));
	ck_assert(check_has_line(page,
	    "corral_agents_installed{agent=\"codex\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_agents_installed{agent=\"claude\"} 1"));
	ck_assert(check_has_line(page,
	    "corral_agents_installed{agent=\"gemini\"} 0"));
	ck_assert_ptr_null(strstr(page, "agent=\"\""));
	free(page);
	/* no counts object, no agents array, no reply: no family */
	page = t_render("{\"runs\":[]}", "{\"agents\":{}}");
	ck_assert_ptr_null(strstr(page, "corral_runs"));
	ck_assert_ptr_null(strstr(page, "corral_agents"));
	free(page);
	page = t_render(NULL, NULL);
	ck_assert_ptr_null(strstr(page, "corral_runs"));
	ck_assert_ptr_nonnull(strstr(page, "corral_up 1"));
	free(page);
	page = t_render("{\"counts\":{}}", "{\"agents\":[]}");
	ck_assert(check_has_line(page, "corral_runs{state=\"queued\"} 0"));
	ck_assert(check_has_line(page, "# TYPE corral_agents_installed gauge"));
	free(page);
}
END_TEST

/* http_skills_params_tcases - the "params" cases */
void
http_skills_params_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("params");
	tcase_add_loop_test(tc, test_id, 0, NELEM(id_cases));
	tcase_add_loop_test(tc, test_numbers, 0, NELEM(num_cases));
	tcase_add_test(tc, test_names);
	tcase_add_loop_test(tc, test_body, 0, NELEM(body_cases));
	tcase_add_test(tc, test_render);
	suite_add_tcase(s, tc);
}
