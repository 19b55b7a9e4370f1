/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_metrics - unit tests for /metrics and the GPU endpoints
 * SYNOPSIS
 *	Suite	*http_metrics_suite(void);
 * DESCRIPTION
 *	"prom" tests the text format writer: values, label escaping (UTF-8
 *	included), HELP escaping, each family and each series once.
 *	"render" feeds http_metrics_render fixed JSON: the GPU families
 *	under dcgm-exporter's names and labels, nulls left out, the host
 *	and process gauges, the worker families, the request counters and
 *	the cumulative histogram, the engines and MCP families, and runs
 *	every page through check_prom_page() (prom_check.c), a strict
 *	reader of the format.
 *	"window" is http_gpu_window. check_http_metrics_srv.c adds the
 *	cases that run the real server.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>

#include "../../workers/http/http_gpu.h"
#include "../../workers/http/http_metrics.h"
#include "../../workers/http/http_prom.h"
#include "../../workers/http/http_route.h"

#include "prom_check.h"

Suite	*http_metrics_suite(void);
void	 http_metrics_srv_tcases(Suite *);	/* check_http_metrics_srv.c */

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* check_metrics_nop - a handler for the test route tables */
static void
check_metrics_nop(struct http_call *call)
{
	(void)call;
}

static const struct http_route t_routes[] = {
	{ EVHTTP_REQ_GET, "/a", 1, check_metrics_nop, 0 },
	{ EVHTTP_REQ_PUT, "/b/{name}", 2, check_metrics_nop, 0 },
	{ EVHTTP_REQ_DELETE, "/b/{name}", 2, check_metrics_nop, 0 },
};

/* t_parse_part - a part's JSON, or NULL for none */
static cJSON *
t_parse_part(const char *json)
{
	cJSON	*j = NULL;

	if (json != NULL)
		ck_assert_ptr_nonnull(j = cJSON_Parse(json));
	return (j);
}

/* render4 - the page for these parts, as a string the caller frees */
static char *
render4(const struct http_metrics *m, const char *status, const char *sample,
    const char *engines, const char *mcp)
{
	struct http_metrics_parts	 parts;
	struct evbuffer			*out;
	char				*page, why[256];
	size_t				 len;

	memset(&parts, 0, sizeof(parts));
	parts.status = t_parse_part(status);
	parts.sample = t_parse_part(sample);
	parts.engines = t_parse_part(engines);
	parts.mcp = t_parse_part(mcp);
	ck_assert_ptr_nonnull(out = evbuffer_new());
	http_metrics_render(out, m, "0.0.7", &parts);
	len = evbuffer_get_length(out);
	page = malloc(len + 1);
	ck_assert_ptr_nonnull(page);
	evbuffer_remove(out, page, len);
	page[len] = '\0';
	evbuffer_free(out);
	cJSON_Delete(parts.status);
	cJSON_Delete(parts.sample);
	cJSON_Delete(parts.engines);
	cJSON_Delete(parts.mcp);
	ck_assert_msg(check_prom_page(page, why, sizeof(why)) == 0,
	    "%s in:\n%s", why, page);
	return (page);
}

/* render3 - the page without the mcp part */
static char *
render3(const struct http_metrics *m, const char *status, const char *sample,
    const char *engines)
{
	return (render4(m, status, sample, engines, NULL));
}

/* render - the page without the engines part */
static char *
render(const struct http_metrics *m, const char *status, const char *sample)
{
	return (render3(m, status, sample, NULL));
}

/* prom_page - what the writer wrote, as a string */
static const char *
prom_page(struct evbuffer *out)
{
	evbuffer_add(out, "", 1);
	return ((const char *)evbuffer_pullup(out, -1));
}

static const struct value_case {
	double		 v;
	const char	*want;
} value_cases[] = {
	{ 1, "1" }, { 0, "0" }, { -0.0, "0" }, { 0.25, "0.25" },
	{ 0.1, "0.1" }, { 0.0005, "0.0005" }, { 2.5, "2.5" },
	{ 1e21, "1e+21" }, { 123456789012.0, "123456789012" },
	{ -3, "-3" }, { 88.5, "88.5" },
};

/* test_value - http_prom_value over value_cases, and the specials */
START_TEST(test_value)
{
	const struct value_case	*c = &value_cases[_i];
	char			 buf[HTTP_PROM_VALUE_LEN];

	http_prom_value(c->v, buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, c->want) == 0, "got %s, want %s", buf,
	    c->want);
	http_prom_value(NAN, buf, sizeof(buf));
	ck_assert_str_eq(buf, "NaN");
	http_prom_value(INFINITY, buf, sizeof(buf));
	ck_assert_str_eq(buf, "+Inf");
	http_prom_value(-INFINITY, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-Inf");
	http_prom_value(1.0 / 3, buf, sizeof(buf));
	ck_assert(strtod(buf, NULL) == 1.0 / 3);
}
END_TEST

static const struct label_case {
	const char	*value;
	const char	*want;
} label_cases[] = {
	{ "plain", "k=\"plain\"" },
	{ "", "k=\"\"" },
	{ "a\"b", "k=\"a\\\"b\"" },
	{ "a\\b", "k=\"a\\\\b\"" },
	{ "a\nb", "k=\"a\\nb\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "k=\"caf\xc3\xa9 "
	    "\xe2\x82\xac \xf0\x9f\x98\x80\"" },
	{ "x\xffy", "k=\"x?y\"" },
	{ "\xc3", "k=\"?\"" },
	{ "\xc0\xaf", "k=\"??\"" },		/* overlong '/' */
	{ "\xed\xa0\x80", "k=\"???\"" },	/* a surrogate */
	{ "\xf4\x90\x80\x80", "k=\"????\"" },	/* past U+10FFFF */
	{ "/v1/workers/{name}", "k=\"/v1/workers/{name}\"" },
};

/* test_label - http_prom_label escapes over label_cases */
START_TEST(test_label)
{
	const struct label_case	*c = &label_cases[_i];
	struct http_prom_labels	 l;

	http_prom_labels_init(&l);
	http_prom_label(&l, "k", c->value);
	ck_assert_msg(strcmp(l.buf, c->want) == 0, "case %d: got %s, want %s",
	    _i, l.buf, c->want);
	http_prom_label_num(&l, "n", 2);
	ck_assert_uint_eq(l.len, strlen(c->want) + 6);
	ck_assert_str_eq(l.buf + strlen(c->want), ",n=\"2\"");
}
END_TEST

/* test_label_full - a label set that does not fit drops its sample */
START_TEST(test_label_full)
{
	struct http_prom_labels	 l;
	struct http_prom	 p;
	struct evbuffer		*out = evbuffer_new();
	char			 big[HTTP_PROM_LABELS_MAX];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	http_prom_labels_init(&l);
	http_prom_label(&l, "k", big);
	ck_assert_int_eq(l.full, 1);
	ck_assert_uint_lt(l.len, sizeof(l.buf));
	http_prom_init(&p, out);
	http_prom_family(&p, "f", "gauge", "h");
	http_prom_sample(&p, "", &l, 1);
	ck_assert_uint_eq(p.nsamples, 0);
	http_prom_fini(&p);
	evbuffer_free(out);
}
END_TEST

/* test_family_once - families and series once; HELP escaped */
START_TEST(test_family_once)
{
	struct http_prom	 p;
	struct http_prom_labels	 l;
	struct evbuffer		*out = evbuffer_new();

	http_prom_init(&p, out);
	ck_assert_int_eq(http_prom_family(&p, "a_total", "counter",
	    "back\\slash\nnewline"), 1);
	http_prom_labels_init(&l);
	http_prom_label(&l, "x", "1");
	http_prom_sample(&p, "", &l, 2);
	http_prom_sample(&p, "", &l, 3);		/* a repeat: dropped */
	http_prom_sample(&p, "", NULL, 4);
	ck_assert_int_eq(http_prom_family(&p, "b", "gauge", "b"), 1);
	http_prom_sample(&p, "", &l, 5);		/* a new family: kept */
	ck_assert_int_eq(http_prom_family(&p, "a_total", "counter", "x"), 0);
	ck_assert_uint_eq(p.nsamples, 3);
	ck_assert_str_eq(prom_page(out),
	    "# HELP a_total back\\\\slash\\nnewline\n"
	    "# TYPE a_total counter\n"
	    "a_total{x=\"1\"} 2\n"
	    "a_total 4\n"
	    "# HELP b b\n"
	    "# TYPE b gauge\n"
	    "b{x=\"1\"} 5\n");
	http_prom_fini(&p);
	evbuffer_free(out);
}
END_TEST

/* test_checker - check_prom_page refuses what Prometheus would */
START_TEST(test_checker)
{
	static const char *const bad[] = {
		"# HELP a x\n# TYPE a gauge\na 1",
		"# HELP a x\n# TYPE a gauge\na 1\n# HELP a x\n# TYPE a gauge\n",
		"# HELP a x\n# TYPE a gauge\nb 1\n",
		"# HELP a x\n# TYPE a gauge\na{x=\"1} 1\n",
		"# HELP a x\n# TYPE a gauge\na{x=\"\\t\"} 1\n",
		"# HELP a x\n# TYPE a gauge\na{1x=\"\"} 1\n",
		"# HELP a x\n# TYPE a gauge\na one\n",
		"# HELP a x\n# TYPE a gauge\na_sum 1\n",
		"# HELP a x\n# TYPE a summary\na 1\n",
		"a 1\n",
	};
	char	why[256];
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(check_prom_page(bad[i], why, sizeof(why)) == -1,
		    "accepted: %s", bad[i]);
	ck_assert_int_eq(check_prom_page("# HELP h x\n# TYPE h histogram\n"
	    "h_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n", why,
	    sizeof(why)), 0);
}
END_TEST

/* test_render_gpu - dcgm-exporter's names and labels, nulls left out */
START_TEST(test_render_gpu)
{
	char	*page;

	page = render(NULL, NULL, check_metrics_sample);
	ck_assert_msg(check_has_line(page, "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\","
	    "UUID=\"GPU-aaaa\",device=\"nvidia0\",modelName=\"NVIDIA "
	    "A100-SXM4-40GB\",Hostname=\"gpu-host-1\"} 37"), "%s", page);
	ck_assert(check_has_line(page, "# TYPE DCGM_FI_DEV_GPU_UTIL gauge"));
	ck_assert(strstr(page, "DCGM_FI_DEV_GPU_UTIL{gpu=\"1\"") == NULL);
	ck_assert(check_has_line(page, "DCGM_FI_DEV_MEM_COPY_UTIL{gpu=\"1\","
	    "UUID=\"GPU-bbbb\",device=\"nvidia1\",modelName=\"Q\\\"B\\\\s"
	    "\\nN?\",Hostname=\"gpu-host-1\"} 5"));
	ck_assert(strstr(page, "DCGM_FI_DEV_FB_FREE{gpu=\"0\"") != NULL);
	ck_assert(strstr(page, "} 39936\n") != NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_FB_FREE{gpu=\"1\"") == NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_FB_USED{gpu=\"1\"") == NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\"") != NULL);
	ck_assert(strstr(page, "} 88.5\n") != NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_POWER_MGMT_LIMIT{gpu=\"0\"") !=
	    NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\"") != NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_SM_CLOCK{gpu=\"0\"") != NULL);
	ck_assert(strstr(page, "DCGM_FI_DEV_MEM_CLOCK{gpu=\"0\"") != NULL);
	/* no GPU has a fan value: no family at all */
	ck_assert(strstr(page, "DCGM_FI_DEV_FAN_SPEED") == NULL);
	ck_assert(check_has_line(page,
	    "corral_gpu_sampler_source{source=\"nvml\"} 1"));
	ck_assert(check_has_line(page,
	    "corral_gpu_sample_duration_seconds 0.003"));
	free(page);
}
END_TEST

/* test_render_host - host, disk and process gauges */
START_TEST(test_render_host)
{
	char	*page;

	page = render(NULL, NULL, check_metrics_sample);
	ck_assert_msg(check_has_line(page, "corral_host_cpu_percent 12.5"),
	    "%s", page);
	ck_assert(check_has_line(page, "corral_host_load1 0.5"));
	ck_assert(check_has_line(page, "corral_host_load5 0.25"));
	ck_assert(check_has_line(page, "corral_host_load15 0.125"));
	ck_assert(check_has_line(page,
	    "corral_host_memory_available_bytes 512000"));
	ck_assert(check_has_line(page,
	    "corral_host_memory_total_bytes 1024000"));
	ck_assert(check_has_line(page,
	    "corral_disk_free_bytes{root=\"state_root\"} 1000000000"));
	ck_assert(strstr(page, "corral_disk_free_bytes{root=\"workspace_root"
	    "\"}") == NULL);
	ck_assert(check_has_line(page,
	    "corral_disk_total_bytes{root=\"workspace_root\"} 3"));
	ck_assert(check_has_line(page,
	    "corral_process_resident_bytes{process=\"master\"} 102400"));
	ck_assert(check_has_line(page,
	    "corral_process_resident_bytes{process=\"http\"} 204800"));
	ck_assert(check_has_line(page,
	    "corral_process_cpu_percent{process=\"master\"} 0.5"));
	ck_assert(strstr(page, "corral_process_cpu_percent{process=\"http\"}")
	    == NULL);
	free(page);
}
END_TEST

/* test_render_none - no GPU: the source, and no DCGM family */
START_TEST(test_render_none)
{
	char	*page;

	page = render(NULL, NULL, "{\"source\":\"none\",\"reason\":\"no "
	    "NVIDIA GPU\",\"gpus\":[],\"host\":{\"hostname\":\"h\","
	    "\"cpu_pct\":null},\"procs\":[]}");
	ck_assert_msg(check_has_line(page,
	    "corral_gpu_sampler_source{source=\"none\"} 1"), "%s", page);
	ck_assert(strstr(page, "DCGM_") == NULL);
	ck_assert(strstr(page, "corral_host_cpu_percent") == NULL);
	free(page);
	/* members of the wrong type count as null */
	page = render(NULL, NULL, "{\"source\":7,\"gpus\":{\"index\":0},"
	    "\"host\":[],\"procs\":\"x\",\"sample_ms\":\"3\"}");
	ck_assert(strstr(page, "corral_gpu") == NULL);
	ck_assert(strstr(page, "DCGM_") == NULL);
	free(page);
}
END_TEST

/* test_render_parts - what is there without the master or the gpu worker */
START_TEST(test_render_parts)
{
	char	*page;

	page = render(NULL, NULL, NULL);
	ck_assert_msg(check_has_line(page, "corral_up 1"), "%s", page);
	ck_assert(check_has_line(page, "corral_info{version=\"0.0.7\"} 1"));
	ck_assert(check_has_line(page,
	    "# TYPE corral_http_requests_total counter"));
	ck_assert(check_has_line(page,
	    "# TYPE corral_http_request_duration_seconds histogram"));
	ck_assert(strstr(page, "corral_worker") == NULL);
	ck_assert(strstr(page, "DCGM_") == NULL);
	ck_assert(strstr(page, "corral_host") == NULL);
	free(page);
}
END_TEST

/* test_render_engines - the engines families from MSG_ENGINE_LIST */
START_TEST(test_render_engines)
{
	char	*page;

	page = render3(NULL, NULL, NULL, "{\"docker\":{\"reachable\":true},"
	    "\"engines\":[{\"name\":\"llama\",\"engine\":\"vllm\","
	    "\"state\":\"ready\",\"uptime_s\":42},{\"name\":\"b\","
	    "\"engine\":\"ollama\",\"state\":\"failed\",\"uptime_s\":null},"
	    "{\"state\":\"ready\"},{\"name\":\"c\",\"engine\":\"x\","
	    "\"state\":\"loading\",\"uptime_s\":3}]}");
	ck_assert_msg(check_has_line(page, "corral_engines_docker_up 1"), "%s",
	    page);
	ck_assert(check_has_line(page, "corral_engines{state=\"ready\"} 1"));
	ck_assert(check_has_line(page, "corral_engines{state=\"failed\"} 1"));
	ck_assert(check_has_line(page, "corral_engines{state=\"loading\"} 1"));
	ck_assert(check_has_line(page, "corral_engines{state=\"vanished\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_engine_ready{engine=\"llama\",profile=\"vllm\"} 1"));
	ck_assert(check_has_line(page,
	    "corral_engine_ready{engine=\"b\",profile=\"ollama\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_engine_uptime_seconds{engine=\"llama\",profile=\"vllm\"} 42"));
	ck_assert(strstr(page, "corral_engine_uptime_seconds{engine=\"b\"") ==
	    NULL);
	free(page);
	page = render3(NULL, NULL, NULL, "{\"docker\":{\"reachable\":false},"
	    "\"engines\":[]}");
	ck_assert(check_has_line(page, "corral_engines_docker_up 0"));
	ck_assert(check_has_line(page, "corral_engines{state=\"ready\"} 0"));
	free(page);
	page = render3(NULL, NULL, NULL, "{\"engines\":7}");
	ck_assert(strstr(page, "corral_engines") == NULL);
	free(page);
}
END_TEST

/* test_render_mcp - the MCP families from MSG_MCP_LIST */
START_TEST(test_render_mcp)
{
	char	*page;

	page = render4(NULL, NULL, NULL, NULL, "{\"servers\":["
	    "{\"name\":\"everything\",\"state\":\"ready\",\"restarts\":2,"
	    "\"calls\":{\"ok\":7,\"tool_error\":1,\"error\":2,"
	    "\"timeout\":3}},"
	    "{\"name\":\"fs\",\"state\":\"ready\",\"restarts\":0},"
	    "{\"name\":\"git\",\"state\":\"backoff\",\"restarts\":\"x\","
	    "\"calls\":{\"ok\":-1,\"error\":\"2\"}},"
	    "{\"name\":\"new\",\"state\":\"hibernating\"},"
	    "{\"state\":\"ready\",\"restarts\":9},7]}");
	ck_assert_msg(check_has_line(page, "# TYPE corral_mcp_servers gauge"),
	    "%s", page);
	ck_assert(check_has_line(page, "corral_mcp_servers{state=\"ready\"} 2"));
	ck_assert(check_has_line(page,
	    "corral_mcp_servers{state=\"backoff\"} 1"));
	ck_assert(check_has_line(page,
	    "corral_mcp_servers{state=\"starting\"} 0"));
	ck_assert(check_has_line(page, "corral_mcp_servers{state=\"failed\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_mcp_servers{state=\"disabled\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_mcp_servers{state=\"stopped\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_mcp_servers{state=\"stopping\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_mcp_servers{state=\"hibernating\"} 1"));
	ck_assert(check_has_line(page,
	    "# TYPE corral_mcp_server_restarts_total counter"));
	ck_assert(check_has_line(page,
	    "corral_mcp_server_restarts_total{server=\"everything\"} 2"));
	ck_assert(check_has_line(page,
	    "corral_mcp_server_restarts_total{server=\"fs\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_mcp_server_restarts_total{server=\"git\"} 0"));
	ck_assert(check_has_line(page,
	    "# TYPE corral_mcp_tool_calls_total counter"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"everything\",outcome=\"ok\"} 7"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"everything\",outcome=\"tool_error\"} 1"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"everything\",outcome=\"error\"} 2"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"everything\",outcome=\"timeout\"} 3"));
	/* no "calls", or counts that are not counts: zeros */
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"fs\",outcome=\"ok\"} 0"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"fs\",outcome=\"timeout\"} 0"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"git\",outcome=\"ok\"} 0"));
	ck_assert(check_has_line(page, "corral_mcp_tool_calls_total{server="
	    "\"git\",outcome=\"error\"} 0"));
	ck_assert(strstr(page, "} 9\n") == NULL);	/* the nameless row */
	free(page);

	/* no servers: every state 0, no per-server series */
	page = render4(NULL, NULL, NULL, NULL, "{\"servers\":[]}");
	ck_assert(check_has_line(page, "corral_mcp_servers{state=\"ready\"} 0"));
	ck_assert(strstr(page, "corral_mcp_tool_calls_total{") == NULL);
	free(page);
	/* not a list, or no mcp worker: no MCP family at all */
	page = render4(NULL, NULL, NULL, NULL, "{\"servers\":{}}");
	ck_assert(strstr(page, "corral_mcp") == NULL);
	free(page);
	page = render4(NULL, NULL, NULL, NULL, NULL);
	ck_assert(strstr(page, "corral_mcp") == NULL);
	free(page);
}
END_TEST

/* test_render_workers - up, restarts and state from MSG_STATUS */
START_TEST(test_render_workers)
{
	char	*page;

	page = render(NULL, "{\"version\":\"1.2.3\",\"workers\":["
	    "{\"name\":\"http\",\"state\":\"ready\",\"restarts\":0},"
	    "{\"name\":\"gpu\",\"state\":\"down\",\"restarts\":3},"
	    "{\"name\":\"odd\",\"state\":\"weird\"},{\"state\":\"ready\"}]}",
	    NULL);
	ck_assert_msg(check_has_line(page, "corral_info{version=\"1.2.3\"} 1"),
	    "%s", page);
	ck_assert(check_has_line(page, "corral_worker_up{worker=\"http\"} 1"));
	ck_assert(check_has_line(page, "corral_worker_up{worker=\"gpu\"} 0"));
	ck_assert(check_has_line(page, "corral_worker_up{worker=\"odd\"} 0"));
	ck_assert(check_has_line(page, "# TYPE corral_worker_restarts_total "
	    "counter"));
	ck_assert(check_has_line(page,
	    "corral_worker_restarts_total{worker=\"gpu\"} 3"));
	ck_assert(strstr(page, "corral_worker_restarts_total{worker=\"odd\"}")
	    == NULL);
	ck_assert(check_has_line(page,
	    "corral_worker_state{worker=\"gpu\",state=\"down\"} 1"));
	ck_assert(check_has_line(page,
	    "corral_worker_state{worker=\"gpu\",state=\"ready\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_worker_state{worker=\"http\",state=\"failed\"} 0"));
	ck_assert(check_has_line(page,
	    "corral_worker_state{worker=\"odd\",state=\"weird\"} 1"));
	ck_assert(check_has_line(page,
	    "corral_worker_state{worker=\"odd\",state=\"ready\"} 0"));
	free(page);
}
END_TEST

/* test_render_http - counters by route pattern; the cumulative histogram */
START_TEST(test_render_http)
{
	struct http_metrics	*m;
	char			*page;
	static const char *const want[] = {
		"corral_http_requests_total{route=\"/a\",method=\"GET\","
		    "code=\"200\"} 2",
		"corral_http_requests_total{route=\"/a\",method=\"GET\","
		    "code=\"500\"} 1",
		"corral_http_requests_total{route=\"/b/{name}\",method="
		    "\"DELETE\",code=\"404\"} 1",
		"corral_http_requests_total{route=\"/b/{name}\",method="
		    "\"PUT\",code=\"200\"} 1",
		"corral_http_requests_total{route=\"other\",method=\"GET\","
		    "code=\"404\"} 2",
		"corral_http_request_duration_seconds_bucket{route=\"/a\","
		    "le=\"0.0005\"} 0",
		"corral_http_request_duration_seconds_bucket{route=\"/a\","
		    "le=\"0.001\"} 1",
		"corral_http_request_duration_seconds_bucket{route=\"/a\","
		    "le=\"0.1\"} 1",
		"corral_http_request_duration_seconds_bucket{route=\"/a\","
		    "le=\"0.25\"} 2",
		"corral_http_request_duration_seconds_bucket{route=\"/a\","
		    "le=\"5\"} 2",
		"corral_http_request_duration_seconds_bucket{route=\"/a\","
		    "le=\"+Inf\"} 3",
		"corral_http_request_duration_seconds_sum{route=\"/a\"} "
		    "8.2509765625",
		"corral_http_request_duration_seconds_count{route=\"/a\"} 3",
		"corral_http_request_duration_seconds_count{route=\"/b/"
		    "{name}\"} 2",
		"corral_http_request_duration_seconds_bucket{route=\"other\","
		    "le=\"0.0005\"} 2",
	};
	size_t	i;

	m = http_metrics_new(t_routes, NELEM(t_routes));
	http_metrics_note(m, 0, EVHTTP_REQ_GET, 200, 0.0009765625);
	http_metrics_note(m, 0, EVHTTP_REQ_GET, 200, 0.25);
	http_metrics_note(m, 0, EVHTTP_REQ_GET, 500, 8);
	http_metrics_note(m, 2, EVHTTP_REQ_DELETE, 404, 0.02);
	http_metrics_note(m, 1, EVHTTP_REQ_PUT, 200, 0.02);
	http_metrics_note(m, -1, EVHTTP_REQ_GET, 404, 0.0001);
	http_metrics_note(m, 99, EVHTTP_REQ_GET, 404, -1);	/* other */
	page = render(m, NULL, NULL);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(check_has_line(page, want[i]), "no line %s in:\n%s",
		    want[i], page);
	/* one histogram per pattern: /b/{name} rows share one */
	ck_assert_ptr_null(strstr(strstr(page,
	    "_count{route=\"/b/{name}\"}") + 1, "_count{route=\"/b/{name}\"}"));
	free(page);
	http_metrics_free(m);
	http_metrics_free(NULL);
}
END_TEST

/* test_render_cumulative - every histogram's buckets never go down */
START_TEST(test_render_cumulative)
{
	struct http_metrics	*m;
	char			*page, *p, *end;
	double			 last = -1, v;
	int			 i, n = 0;

	m = http_metrics_new(t_routes, NELEM(t_routes));
	for (i = 0; i < 200; i++)
		http_metrics_note(m, 0, EVHTTP_REQ_GET, 200,
		    (double)(i * i) / 4000.0);
	page = render(m, NULL, NULL);
	for (p = page; (p = strstr(p, "_bucket{route=\"/a\"")) != NULL; p++) {
		end = strchr(p, '\n');
		while (end[-1] != ' ')
			end--;
		v = strtod(end, NULL);
		ck_assert_msg(v >= last, "bucket went down at %.60s", p);
		last = v;
		n++;
	}
	ck_assert_int_eq(n, HTTP_METRICS_NBUCKETS + 1);
	ck_assert(last == 200);
	free(page);
	http_metrics_free(m);
}
END_TEST

/* test_render_once - with every part, each family once (the checker) */
START_TEST(test_render_once)
{
	struct http_metrics	*m;
	char			*page, *p;
	int			 n = 0;

	m = http_metrics_new(t_routes, NELEM(t_routes));
	http_metrics_note(m, 0, EVHTTP_REQ_GET, 200, 0.001);
	page = render(m, "{\"workers\":[{\"name\":\"http\",\"state\":"
	    "\"ready\",\"restarts\":1}]}", check_metrics_sample);
	for (p = page; (p = strstr(p, "# TYPE ")) != NULL; p++)
		n++;
	ck_assert_int_gt(n, 25);
	free(page);
	http_metrics_free(m);
}
END_TEST

static const struct window_case {
	const char	*s;
	long		 want;		/* -1: refused */
} window_cases[] = {
	{ "900", 900 }, { "90s", 90 }, { "15m", 900 }, { "2h", 7200 },
	{ "1", 1 }, { "1s", 1 }, { "168h", 604800 }, { "604800", 604800 },
	{ "10080m", 604800 }, { "007", 7 },
	{ "", -1 }, { "0", -1 }, { "0s", -1 }, { "0h", -1 }, { "169h", -1 },
	{ "604801", -1 }, { "10081m", -1 }, { "-1", -1 }, { "+5", -1 },
	{ "1.5m", -1 }, { "15M", -1 }, { " 15m", -1 }, { "15m ", -1 },
	{ "m", -1 }, { "1d", -1 }, { "9999999999", -1 },
	{ "999999999h", -1 }, { "15mm", -1 }, { "1e3", -1 }, { NULL, -1 },
};

/* test_window - http_gpu_window over window_cases */
START_TEST(test_window)
{
	const struct window_case	*c = &window_cases[_i];
	const char			*why = NULL;
	long				 secs = -7;
	int				 rc;

	rc = http_gpu_window(c->s, &secs, &why);
	if (c->want == -1) {
		ck_assert_msg(rc == -1, "%s: got %ld, want refused",
		    c->s != NULL ? c->s : "(null)", secs);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_eq(secs, -7);
	} else {
		ck_assert_msg(rc == 0 && secs == c->want, "%s: got %d/%ld, "
		    "want %ld", c->s, rc, secs, c->want);
	}
}
END_TEST

/* http_metrics_suite - the suite check_main runs */
Suite *
http_metrics_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_metrics");
	tc = tcase_create("prom");
	tcase_add_loop_test(tc, test_value, 0, NELEM(value_cases));
	tcase_add_loop_test(tc, test_label, 0, NELEM(label_cases));
	tcase_add_test(tc, test_label_full);
	tcase_add_test(tc, test_family_once);
	tcase_add_test(tc, test_checker);
	suite_add_tcase(s, tc);
	tc = tcase_create("render");
	tcase_add_test(tc, test_render_gpu);
	tcase_add_test(tc, test_render_host);
	tcase_add_test(tc, test_render_none);
	tcase_add_test(tc, test_render_parts);
	tcase_add_test(tc, test_render_workers);
	tcase_add_test(tc, test_render_engines);
	tcase_add_test(tc, test_render_mcp);
	tcase_add_test(tc, test_render_http);
	tcase_add_test(tc, test_render_cumulative);
	tcase_add_test(tc, test_render_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("window");
	tcase_add_loop_test(tc, test_window, 0, NELEM(window_cases));
	suite_add_tcase(s, tc);
	http_metrics_srv_tcases(s);
	return (s);
}
