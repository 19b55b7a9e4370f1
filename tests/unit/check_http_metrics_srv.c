/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_metrics_srv - /metrics and /v1/gpus on the real server
 * SYNOPSIS
 *	void	http_metrics_srv_tcases(Suite *s);
 * DESCRIPTION
 *	With the server in-process and a fake master (http_fixture.c):
 *	/metrics needs the read-only token unless metrics_auth is none, asks
 *	the master, the gpu, the engines, the mcp and (twice) the skills
 *	worker at once and answers once all have, in either order, leaving
 *	out the part that failed (the MCP families there when the mcp
 *	worker answers, the run and agent families when the skills worker
 *	does, each of its two answers on its own); requests are
 *	counted under their route pattern; /v1/gpus passes the sample on;
 *	/v1/gpus/history turns ?window= into window_s or a 400 naming it.
 *	http_metrics_suite() in check_http_metrics.c adds these cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"

#include "../../workers/http/http_server.h"

#include "http_fixture.h"
#include "prom_check.h"

void	http_metrics_srv_tcases(Suite *);

#define T_TOKENS_OPEN	"{\"auth_mode\":\"bearer\"," \
	"\"admin_token\":\"admin-0123456789abcdef\"," \
	"\"readonly_token\":\"readonly-0123456789abcdef\"," \
	"\"metrics_auth\":\"none\"}"
#define T_ENGINES_DOWN	"{\"code\":\"unavailable\",\"message\":\"worker " \
	"engines is not running\"}"
#define T_UNAVAILABLE	"{\"code\":\"unavailable\",\"message\":\"worker gpu " \
	"is not running\"}"
#define T_MCP_DOWN	"{\"code\":\"unavailable\",\"message\":\"worker " \
	"mcp is not running\"}"

#define T_SKILLS_DOWN	"{\"code\":\"unavailable\",\"message\":\"worker " \
	"skills is not running\"}"
#define T_NPARTS	6	/* requests one scrape makes */

static int	t_want;		/* requests the fake master should have seen */
static uint16_t	t_mcp_type = MSG_ERROR;	/* what the mcp worker answers */
static const char *t_mcp = T_MCP_DOWN;
static uint16_t	t_runs_type = MSG_ERROR;	/* the skills worker's answers */
static const char *t_runs = T_SKILLS_DOWN;
static uint16_t	t_agents_type = MSG_ERROR;
static const char *t_agents = T_SKILLS_DOWN;

/* t_master_has - has the fake master seen t_want requests? */
static int
t_master_has(void)
{
	return (fx_nreq >= t_want);
}

/* t_body - the body of the reply in fx_cl_buf */
static const char *
t_body(void)
{
	const char	*p = strstr(fx_cl_buf, "\r\n\r\n");

	ck_assert_msg(p != NULL, "no body in: %s", fx_cl_buf);
	return (p + 4);
}

/* t_scrape - GET /metrics; the master answers status, the gpu worker gpu */
static int
t_scrape(const char *headers, const char *status, uint16_t gpu_type,
    const char *gpu, int gpu_first)
{
	char	why[256];
	int	code;

	t_want = fx_nreq + T_NPARTS;
	fx_client_start("GET", "/metrics", headers);
	fx_spin(t_master_has, 3000);
	ck_assert_int_eq(fx_nreq, t_want);
	if (gpu_first)
		fx_master_reply_to(MSG_GPU_SAMPLE, gpu_type, gpu);
	fx_master_reply_to(MSG_STATUS, MSG_STATUS, status);
	if (!gpu_first)
		fx_master_reply_to(MSG_GPU_SAMPLE, gpu_type, gpu);
	/* the engines worker is down: its families are left out */
	fx_master_reply_to(MSG_ENGINE_LIST, MSG_ERROR, T_ENGINES_DOWN);
	/* so is the mcp worker, unless a test says what it answers */
	fx_master_reply_to(MSG_MCP_LIST, t_mcp_type, t_mcp);
	/* and the skills worker, unless a test says what it answers */
	fx_master_reply_to(MSG_RUN_LIST, t_runs_type, t_runs);
	fx_master_reply_to(MSG_AGENT_LIST, t_agents_type, t_agents);
	code = fx_client_wait();
	if (code == 200)
		ck_assert_msg(check_prom_page(t_body(), why, sizeof(why)) == 0,
		    "%s in:\n%s", why, t_body());
	return (code);
}

/* test_metrics_auth - the read-only token, unless metrics_auth is none */
START_TEST(test_metrics_auth)
{
	fx_start(FX_TOKENS);
	ck_assert_int_eq(fx_exchange("GET", "/metrics", NULL), 401);
	fx_check_error("unauthorized");
	ck_assert(fx_has_header("\r\nWWW-Authenticate: Bearer"));
	ck_assert_int_eq(fx_exchange("GET", "/metrics",
	    "Authorization: Bearer nope\r\n"), 401);
	ck_assert_int_eq(fx_exchange("POST", "/metrics", FX_H_ADMIN), 405);
	ck_assert_int_eq(fx_nreq, 0);
	ck_assert_int_eq(t_scrape(FX_H_RO, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 0), 200);
	ck_assert(fx_has_header("\r\nContent-Type: text/plain; version=0.0.4; "
	    "charset=utf-8\r\n"));
	ck_assert_int_eq(t_scrape(FX_H_ADMIN, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 1), 200);
	fx_stop();

	fx_start(T_TOKENS_OPEN);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 0), 200);
	ck_assert_int_eq(fx_exchange("GET", "/v1/workers", NULL), 401);
	fx_stop();
}
END_TEST

/* test_metrics_parts - both parts; the gpu worker down; both refused */
START_TEST(test_metrics_parts)
{
	const char	*b;

	fx_start(NULL);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 1), 200);
	b = t_body();
	ck_assert_msg(check_has_line(b, "corral_worker_up{worker=\"gpu\"} 0"),
	    "%s", b);
	ck_assert(check_has_line(b, "corral_worker_up{worker=\"http\"} 1"));
	ck_assert(check_has_line(b, "corral_info{version=\"0.1.0\"} 1"));
	ck_assert_ptr_nonnull(strstr(b, "\nDCGM_FI_DEV_GPU_UTIL{gpu=\"0\""));
	ck_assert_ptr_nonnull(strstr(b, "\ncorral_host_cpu_percent 12.5\n"));

	/* the gpu worker is down: the master says so; the rest is there */
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_ERROR,
	    T_UNAVAILABLE, 1), 200);
	b = t_body();
	ck_assert_msg(check_has_line(b, "corral_worker_up{worker=\"gpu\"} 0"),
	    "%s", b);
	ck_assert_ptr_null(strstr(b, "DCGM_"));
	ck_assert_ptr_null(strstr(b, "corral_host"));
	ck_assert_ptr_null(strstr(b, "corral_gpu_sampler_source"));

	/* nobody answers well: still a page, never an error */
	ck_assert_int_eq(t_scrape(NULL, "{\"code\":\"x\"}", MSG_STATUS,
	    "[1]", 0), 200);
	b = t_body();
	ck_assert(check_has_line(b, "corral_up 1"));
	ck_assert(check_has_line(b, "corral_info{version=\"9.9.9\"} 1"));
	ck_assert_ptr_null(strstr(b, "corral_worker"));
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_metrics_mcp - the mcp worker's list: its families; down: none */
START_TEST(test_metrics_mcp)
{
	const char	*b;

	fx_start(NULL);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 0), 200);
	/* asked: t_scrape answered an MSG_MCP_LIST request */
	ck_assert_ptr_null(strstr(t_body(), "corral_mcp"));
	t_mcp_type = MSG_MCP_LIST;
	t_mcp = "{\"servers\":[{\"name\":\"everything\",\"state\":"
	    "\"ready\",\"restarts\":1,\"calls\":{\"ok\":4,\"tool_error\":0,"
	    "\"error\":1,\"timeout\":0}}]}";
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 1), 200);
	b = t_body();
	ck_assert_msg(check_has_line(b, "corral_mcp_servers{state=\"ready\"} 1"),
	    "%s", b);
	ck_assert(check_has_line(b,
	    "corral_mcp_server_restarts_total{server=\"everything\"} 1"));
	ck_assert(check_has_line(b, "corral_mcp_tool_calls_total{server="
	    "\"everything\",outcome=\"ok\"} 4"));
	ck_assert_ptr_nonnull(strstr(b, "\nDCGM_FI_DEV_GPU_UTIL{gpu=\"0\""));
	/* a reply of the wrong type: left out */
	t_mcp_type = MSG_MCP_TOOLS;
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 0), 200);
	ck_assert_ptr_null(strstr(t_body(), "corral_mcp"));
	t_mcp_type = MSG_ERROR;
	t_mcp = T_MCP_DOWN;
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_metrics_skills - the skills worker's counts and agents; down:
 * none; one of its two answers without the other */
START_TEST(test_metrics_skills)
{
	const char	*b;

	fx_start(NULL);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 0), 200);
	/* the last request: for the counts, the fewest runs */
	ck_assert_int_eq(fx_req_dst, PROC_SKILLS);
	ck_assert_int_eq(fx_req_type, MSG_RUN_LIST);
	ck_assert_str_eq(fx_req_body, "{\"limit\":1}");
	b = t_body();
	ck_assert_ptr_null(strstr(b, "corral_runs"));
	ck_assert_ptr_null(strstr(b, "corral_agents"));
	ck_assert_ptr_nonnull(strstr(b, "\nDCGM_FI_DEV_GPU_UTIL{gpu=\"0\""));
	t_runs_type = MSG_RUN_LIST;
	t_runs = "{\"runs\":[],\"counts\":{\"queued\":3,\"running\":1,"
	    "\"succeeded\":40,\"failed\":2,\"timed_out\":0,\"canceled\":1}}";
	t_agents_type = MSG_AGENT_LIST;
	t_agents = "{\"agents\":[{\"name\":\"codex\",\"command\":\"codex\","
	    "\"path\":null,\"installed\":false,\"running\":0},{\"name\":"
	    "\"claude\",\"command\":\"claude\",\"path\":\"/usr/bin/claude\","
	    "\"installed\":true,\"running\":1}]}";
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 1), 200);
	b = t_body();
	ck_assert_msg(check_has_line(b, "corral_runs{state=\"queued\"} 3"),
	    "%s", b);
	ck_assert(check_has_line(b, "corral_runs{state=\"succeeded\"} 40"));
	ck_assert(check_has_line(b, "corral_runs{state=\"timed_out\"} 0"));
	ck_assert(check_has_line(b,
	    "corral_agents_installed{agent=\"codex\"} 0"));
	ck_assert(check_has_line(b,
	    "corral_agents_installed{agent=\"claude\"} 1"));
	/* the agents failed, the counts came: the runs family alone */
	t_agents_type = MSG_ERROR;
	t_agents = T_SKILLS_DOWN;
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_ERROR,
	    T_UNAVAILABLE, 0), 200);
	b = t_body();
	ck_assert(check_has_line(b, "corral_runs{state=\"running\"} 1"));
	ck_assert_ptr_null(strstr(b, "corral_agents"));
	/* a reply of the wrong type or shape: left out */
	t_runs_type = MSG_RUN_GET;
	t_agents_type = MSG_AGENT_LIST;
	t_agents = "{\"agents\":{}}";
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_GPU_SAMPLE,
	    check_metrics_sample, 0), 200);
	ck_assert_ptr_null(strstr(t_body(), "corral_runs"));
	ck_assert_ptr_null(strstr(t_body(), "corral_agents"));
	t_runs_type = t_agents_type = MSG_ERROR;
	t_runs = t_agents = T_SKILLS_DOWN;
	fx_spin(fx_calls_gone, 1000);
	ck_assert(fx_calls_gone());
	fx_stop();
}
END_TEST

/* test_metrics_gone - the client leaves before the answers: no leak */
START_TEST(test_metrics_gone)
{
	fx_start(NULL);
	t_want = fx_nreq + T_NPARTS;
	fx_client_start("GET", "/metrics", NULL);
	fx_spin(t_master_has, 3000);
	ck_assert_int_eq(fx_nreq, t_want);
	fx_master_reply_to(MSG_STATUS, MSG_STATUS, FX_STATUS_JSON);
	fx_spin(NULL, 50);
	fx_stop();	/* the gpu request ends with ECANCELED */
	close(fx_cl_fd);
	fx_cl_fd = -1;
}
END_TEST

/* test_metrics_counts - requests counted by route pattern, code, method */
START_TEST(test_metrics_counts)
{
	const char	*b;

	fx_start(NULL);
	ck_assert_int_eq(fx_exchange("GET", "/healthz", NULL), 200);
	ck_assert_int_eq(fx_exchange("HEAD", "/healthz", NULL), 200);
	ck_assert_int_eq(fx_exchange("GET", "/nope/../x", NULL), 404);
	ck_assert_int_eq(fx_exchange("DELETE", "/v1/workers", NULL), 405);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers/gpu", MSG_STATUS,
	    FX_STATUS_JSON), 200);
	ck_assert_int_eq(fx_asked("GET", "/v1/workers/zzz", MSG_STATUS,
	    FX_STATUS_JSON), 404);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_ERROR,
	    T_UNAVAILABLE, 0), 200);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_ERROR,
	    T_UNAVAILABLE, 0), 200);
	b = t_body();
	ck_assert_msg(check_has_line(b, "corral_http_requests_total{route="
	    "\"/healthz\",method=\"GET\",code=\"200\"} 1"), "%s", b);
	ck_assert(check_has_line(b, "corral_http_requests_total{route="
	    "\"/healthz\",method=\"HEAD\",code=\"200\"} 1"));
	ck_assert(check_has_line(b, "corral_http_requests_total{route="
	    "\"other\",method=\"GET\",code=\"404\"} 1"));
	ck_assert(check_has_line(b, "corral_http_requests_total{route="
	    "\"other\",method=\"DELETE\",code=\"405\"} 1"));
	ck_assert(check_has_line(b, "corral_http_requests_total{route="
	    "\"/v1/workers/{name}\",method=\"GET\",code=\"200\"} 1"));
	ck_assert(check_has_line(b, "corral_http_requests_total{route="
	    "\"/v1/workers/{name}\",method=\"GET\",code=\"404\"} 1"));
	ck_assert(check_has_line(b, "corral_http_requests_total{route="
	    "\"/metrics\",method=\"GET\",code=\"200\"} 1"));
	ck_assert(check_has_line(b, "corral_http_request_duration_seconds_"
	    "count{route=\"/v1/workers/{name}\"} 2"));
	ck_assert_ptr_null(strstr(b, "zzz"));
	ck_assert_ptr_null(strstr(b, "nope"));
	fx_stop();
}
END_TEST

/* test_gpus - GET /v1/gpus passes the sample on; errors as for any worker */
START_TEST(test_gpus)
{
	cJSON	*j, *want;

	fx_start(NULL);
	ck_assert_int_eq(fx_asked("GET", "/v1/gpus", MSG_GPU_SAMPLE,
	    check_metrics_sample), 200);
	ck_assert_int_eq(fx_req_type, MSG_GPU_SAMPLE);
	ck_assert_int_eq(fx_req_dst, PROC_GPU);
	ck_assert_str_eq(fx_req_body, "{}");
	j = fx_reply_json();
	want = cJSON_Parse(check_metrics_sample);
	ck_assert(cJSON_Compare(j, want, 1));
	cJSON_Delete(want);
	cJSON_Delete(j);
	ck_assert_int_eq(fx_asked("GET", "/v1/gpus", MSG_ERROR, T_UNAVAILABLE),
	    503);
	fx_check_error("unavailable");
	ck_assert_int_eq(fx_asked("GET", "/v1/gpus", MSG_GPU_SAMPLE, "[]"),
	    502);
	ck_assert_int_eq(fx_asked("GET", "/v1/gpus", MSG_GPU_HISTORY, "{}"),
	    502);
	fx_stop();
}
END_TEST

static const struct history_case {
	const char	*path;
	int		 want;		/* 200: asked with window_s */
	long		 window;
} history_cases[] = {
	{ "/v1/gpus/history", 200, 900 },
	{ "/v1/gpus/history?window=2h", 200, 7200 },
	{ "/v1/gpus/history?window=90", 200, 90 },
	{ "/v1/gpus/history?x=1&window=30s&window=1h", 200, 30 },
	{ "/v1/gpus/history?window=%31%35m", 200, 900 },
	{ "/v1/gpus/history?other=1", 200, 900 },
	{ "/v1/gpus/history?window=", 400, 0 },
	{ "/v1/gpus/history?window=5x", 400, 0 },
	{ "/v1/gpus/history?window=0", 400, 0 },
	{ "/v1/gpus/history?window=200h", 400, 0 },
	{ "/v1/gpus/history?window=-5m", 400, 0 },
};

/* test_history - ?window= as window_s, or 400 naming it without the bus */
START_TEST(test_history)
{
	const struct history_case	*c = &history_cases[_i];
	cJSON				*j, *e;
	char				 want[64];
	int				 seen;

	fx_start(FX_TOKENS);
	seen = fx_nreq;
	fx_client_start("GET", c->path, FX_H_RO);
	if (c->want == 200) {
		fx_spin(fx_master_saw, 3000);
		ck_assert_int_eq(fx_nreq, seen + 1);
		ck_assert_int_eq(fx_req_type, MSG_GPU_HISTORY);
		ck_assert_int_eq(fx_req_dst, PROC_GPU);
		snprintf(want, sizeof(want), "{\"window_s\":%ld}", c->window);
		ck_assert_str_eq(fx_req_body, want);
		fx_master_reply(MSG_GPU_HISTORY,
		    "{\"interval_s\":1,\"samples\":[]}");
	}
	ck_assert_int_eq(fx_client_wait(), c->want);
	j = fx_reply_json();
	if (c->want == 200)
		ck_assert(cJSON_IsArray(cJSON_GetObjectItem(j, "samples")));
	else {
		ck_assert_int_eq(fx_nreq, seen);
		e = cJSON_GetObjectItem(j, "error");
		ck_assert_str_eq(cJSON_GetObjectItem(e, "code")->valuestring,
		    "bad_request");
		ck_assert_str_eq(cJSON_GetObjectItem(e, "field")->valuestring,
		    "window");
		ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(e,
		    "message")->valuestring, "window"));
	}
	cJSON_Delete(j);
	ck_assert_int_eq(fx_exchange("GET", c->path, NULL), 401);
	fx_stop();
}
END_TEST

/* test_metrics_reload - metrics_auth follows a reload; a bad one is kept */
START_TEST(test_metrics_reload)
{
	fx_start(FX_TOKENS);
	ck_assert_int_eq(fx_exchange("GET", "/metrics", NULL), 401);
	cJSON_AddStringToObject(fx_rt.config, "metrics_auth", "none");
	http_server_reload(&fx_rt);
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_ERROR,
	    T_UNAVAILABLE, 0), 200);
	cJSON_ReplaceItemInObject(fx_rt.config, "metrics_auth",
	    cJSON_CreateString("open"));
	http_server_reload(&fx_rt);	/* refused: stays open */
	ck_assert_int_eq(t_scrape(NULL, FX_STATUS_JSON, MSG_ERROR,
	    T_UNAVAILABLE, 0), 200);
	fx_stop();
}
END_TEST

/* http_metrics_srv_tcases - the /metrics and /v1/gpus server cases */
void
http_metrics_srv_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("server");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_metrics_auth);
	tcase_add_test(tc, test_metrics_parts);
	tcase_add_test(tc, test_metrics_gone);
	tcase_add_test(tc, test_metrics_mcp);
	tcase_add_test(tc, test_metrics_skills);
	tcase_add_test(tc, test_metrics_counts);
	tcase_add_test(tc, test_gpus);
	tcase_add_loop_test(tc, test_history, 0,
	    (int)(sizeof(history_cases) / sizeof(history_cases[0])));
	tcase_add_test(tc, test_metrics_reload);
	suite_add_tcase(s, tc);
}
