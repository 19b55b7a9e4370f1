/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_gpu - unit tests for the gpu worker's pure parts
 * SYNOPSIS
 *	Suite	*gpu_suite(void);
 * DESCRIPTION
 *	The nvidia-smi CSV parser (gpu_smi_parse) over a table of rows:
 *	good ones, "[N/A]", "N/A", "[Not Supported]", "[Unknown Error]",
 *	short and long rows, a bad index, nvidia-smi's own complaint and
 *	empty output. The /proc parsers of gpu_host.c on text as the kernel
 *	prints it (proc(5)), and CPU % arithmetic. The history ring: its
 *	size for a history and interval, what a window holds, wrap-around,
 *	resizing, unknown values, and the window a request asks for. The
 *	JSON of one GPU. NVML and nvidia-smi themselves are check_gpu_src.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "gpu_dev.h"
#include "gpu_host.h"
#include "gpu_ring.h"
#include "gpu_smi.h"
#include "gpu_worker.h"

Suite	*gpu_suite(void);

#define NA	(-1.0)		/* want: unknown */
#define R_A100	"0, NVIDIA A100-SXM4-40GB, GPU-d8594bd4-0fc3-8595-e355-" \
		"7c98138f3b95, 11, [N/A], 598, 40960, 41, 67.00, 400.00, " \
		"1080, 1215, [N/A], 580.126.09"
#define R_2080	"1, GeForce RTX 2080, GPU-22b2c6ac-2d49-4863-197c-" \
		"9c469071178a, 86, 55, N/A, 7979, 45, 176.98, 200.00, 1965, " \
		"7199, 100, 440.64"
#define R_960M	"2, GeForce GTX 960M, GPU-101b1cf0-fdf7-b374-a62c-" \
		"76b25134fcf2, 0, 0, 0, 2004, 44, [Not Supported], " \
		"[Not Supported], [Unknown Error], ERR!, [Not Supported], " \
		"410.72"

static const struct smi_case {
	const char	*text;
	int		 want_n;	/* rows, or -1 */
	const char	*want_err;	/* prefix; "" none */
	const char	*want_driver;
	int		 want_index;	/* of the first GPU */
	double		 want[GPU_NFIELDS];	/* of the first GPU */
} smi_cases[] = {
	{ R_A100 "\n", 1, "", "580.126.09", 0,
	    { 11, NA, 598, 40960, 41, 67, 400, 1080, 1215, NA, NA, NA } },
	{ R_2080 "\r\n", 1, "", "440.64", 1,
	    { 86, 55, NA, 7979, 45, 176.98, 200, 1965, 7199, 100, NA, NA } },
	{ R_960M, 1, "", "410.72", 2,
	    { 0, 0, 0, 2004, 44, NA, NA, NA, NA, NA, NA, NA } },
	{ "\n" R_2080 "\n\n" R_A100 "\n" R_960M "\n", 3, "", "440.64", 1,
	    { 86, 55, NA, 7979, 45, 176.98, 200, 1965, 7199, 100, NA, NA } },
	/* a short row is skipped and named; the good one stays */
	{ "0, NVIDIA A100-SXM4-40GB, GPU-x, 11\n" R_2080 "\n", 1,
	    "nvidia-smi row 1 skipped: got 4 columns, want 14", "440.64", 1,
	    { 86, 55, NA, 7979, 45, 176.98, 200, 1965, 7199, 100, NA, NA } },
	{ R_2080 ", 12\n", -1, "nvidia-smi: 1, GeForce", "", 0, { 0 } },
	{ "x, GeForce, GPU-1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1\n" R_A100, 1,
	    "nvidia-smi row 1 skipped: index 'x' is not a number",
	    "580.126.09", 0,
	    { 11, NA, 598, 40960, 41, 67, 400, 1080, 1215, NA, NA, NA } },
	{ "NVIDIA-SMI has failed because it couldn't communicate with the "
	    "NVIDIA driver. Make sure that the latest NVIDIA driver is "
	    "installed and running.\n\n", -1,
	    "nvidia-smi: NVIDIA-SMI has failed because it couldn't", "", 0,
	    { 0 } },
	{ "\x01\x02 garbage,,,\n", -1, "nvidia-smi: \x01\x02 garbage", "", 0,
	    { 0 } },
	{ "", 0, "", "", 0, { 0 } },
	{ "\n  \n", 0, "", "", 0, { 0 } },
};

START_TEST(test_smi_parse)
{
	const struct smi_case	*c = &smi_cases[_i];
	struct gpu_dev		 devs[4];
	char			 err[GPU_SMI_ERR_LEN];
	char			 drv[GPU_SMI_DRIVER_LEN];
	double			 v;
	int			 n, f, has;

	n = gpu_smi_parse(c->text, devs, 4, drv, sizeof(drv), err,
	    sizeof(err));
	ck_assert_msg(n == c->want_n, "case %d: got %d rows, want %d (%s)",
	    _i, n, c->want_n, err);
	ck_assert_msg(strncmp(err, c->want_err, strlen(c->want_err)) == 0 &&
	    (c->want_err[0] != '\0' || err[0] == '\0'),
	    "case %d: got err \"%s\", want \"%s\"", _i, err, c->want_err);
	if (n <= 0)
		return;
	ck_assert_msg(strcmp(drv, c->want_driver) == 0,
	    "case %d: got driver \"%s\", want \"%s\"", _i, drv,
	    c->want_driver);
	ck_assert_int_eq(devs[0].index, c->want_index);
	ck_assert_int_eq(devs[0].nprocs, -1);
	ck_assert_msg(strncmp(devs[0].uuid, "GPU-", 4) == 0,
	    "case %d: got uuid \"%s\"", _i, devs[0].uuid);
	for (f = 0; f < GPU_NFIELDS; f++) {
		has = gpu_dev_get(&devs[0], f, &v);
		if (c->want[f] == NA)
			ck_assert_msg(!has, "case %d: %s: got %g, want null",
			    _i, gpu_field_name(f), v);
		else
			ck_assert_msg(has && fabs(v - c->want[f]) < 1e-9,
			    "case %d: %s: got %s%g, want %g", _i,
			    gpu_field_name(f), has ? "" : "null ", has ? v : 0,
			    c->want[f]);
	}
}
END_TEST

START_TEST(test_smi_parse_limits)
{
	struct gpu_dev	devs[2];
	char		err[GPU_SMI_ERR_LEN], drv[GPU_SMI_DRIVER_LEN];
	char		q[512];

	/* more rows than room: the first max */
	ck_assert_int_eq(gpu_smi_parse(R_A100 "\n" R_2080 "\n" R_960M "\n",
	    devs, 2, drv, sizeof(drv), err, sizeof(err)), 2);
	ck_assert_str_eq(devs[1].name, "GeForce RTX 2080");
	/* the query names the columns the parser reads */
	snprintf(q, sizeof(q), "%s", gpu_smi_query());
	ck_assert_str_eq(q, "--query-gpu=index,name,uuid,utilization.gpu,"
	    "utilization.memory,memory.used,memory.total,temperature.gpu,"
	    "power.draw,power.limit,clocks.sm,clocks.mem,fan.speed,"
	    "driver_version");
}
END_TEST

static const char stat_text[] =
    "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0\n"
    "cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\n"
    "intr 1462898 31 ...\n";
static const char meminfo_text[] =
    "MemTotal:       16307080 kB\n"
    "MemFree:         1523144 kB\n"
    "MemAvailable:    9871388 kB\n"
    "Buffers:          312824 kB\n";
static const char pidstat_text[] =
    "4242 (corral (x) y) S 1 4242 4242 0 -1 4194560 2201 0 0 0 "
    "150 25 0 0 20 0 1 0 123456 12345678 2345 18446744073709551615 1 1 0 "
    "0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n";

START_TEST(test_host_parsers)
{
	struct gpu_cpu_times	 t, a = { 100, 1000 }, b = { 350, 2000 };
	unsigned long long	 ticks, start;
	long long		 total, avail, pages;
	double			 l[3];

	ck_assert_int_eq(gpu_host_parse_stat(stat_text, &t), 0);
	/* total = user..steal; busy = total - idle - iowait */
	ck_assert(t.total == 10132153ULL + 290696 + 3084719 + 46828483 +
	    16683 + 0 + 25195 + 0);
	ck_assert(t.busy == t.total - 46828483ULL - 16683);
	ck_assert_int_eq(gpu_host_parse_stat("cpu0 1 2 3 4\n", &t), -1);
	ck_assert_int_eq(gpu_host_parse_stat("cpu  1 2\n", &t), -1);
	ck_assert(fabs(gpu_host_cpu_pct(&a, &b) - 25.0) < 1e-9);
	ck_assert(gpu_host_cpu_pct(&b, &a) == 0);	/* went backwards */
	ck_assert(gpu_host_cpu_pct(&a, &a) == 0);

	ck_assert_int_eq(gpu_host_parse_loadavg("0.52 0.58 0.59 1/467 "
	    "12345\n", l), 0);
	ck_assert(l[0] == 0.52 && l[1] == 0.58 && l[2] == 0.59);
	ck_assert_int_eq(gpu_host_parse_loadavg("0.52\n", l), -1);

	ck_assert_int_eq(gpu_host_parse_meminfo(meminfo_text, &total,
	    &avail), 0);
	ck_assert(total == 16307080 && avail == 9871388);
	ck_assert_int_eq(gpu_host_parse_meminfo("MemTotal: 5 kB\n", &total,
	    &avail), -1);
	ck_assert_int_eq(gpu_host_parse_meminfo("MemTotal: 5 MB\n"
	    "MemAvailable: 3 kB\n", &total, &avail), -1);

	ck_assert_int_eq(gpu_host_parse_pidstat(pidstat_text, &ticks,
	    &start), 0);
	ck_assert(ticks == 175 && start == 123456);
	ck_assert_int_eq(gpu_host_parse_pidstat("4242 (x) S 1 2\n", &ticks,
	    &start), -1);
	ck_assert_int_eq(gpu_host_parse_pidstat("4242 x S\n", &ticks,
	    &start), -1);

	ck_assert_int_eq(gpu_host_parse_statm("12345 2345 678 1 0 900 0\n",
	    &pages), 0);
	ck_assert(pages == 2345);
	ck_assert_int_eq(gpu_host_parse_statm("12345\n", &pages), -1);
}
END_TEST

START_TEST(test_host_read)
{
	struct gpu_host_disk	 disks[2] = { { "state_root", "/" },
				    { "workspace_root", "/nonexistent/x" } };
	struct gpu_host_pid	 pids[2] = { { "master", 0 }, { "gpu", 0 } };
	struct gpu_host_sample	 s;
	struct gpu_host		*h;
	cJSON			*o, *a, *d;

	h = gpu_host_new("/proc");
	gpu_host_read(h, &s, disks, 2);
	ck_assert(s.cpu_known && s.cpu_pct >= 0 && s.cpu_pct <= 100);
	ck_assert(s.mem_total_kib > 0 && s.mem_available_kib >= 0);
	ck_assert_int_eq(s.ndisks, 2);
	ck_assert(s.disks[0].known && s.disks[0].total_bytes > 0);
	ck_assert(!s.disks[1].known);
	o = gpu_host_json(&s);
	d = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "disks"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "name")->valuestring,
	    "workspace_root");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(d, "free_bytes")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(o, "load15")));
	cJSON_Delete(o);
	/* our own pid, twice: the second is a delta; pid 0 is skipped */
	pids[1].pid = (long)getpid();
	a = gpu_host_procs(h, pids, 2);
	ck_assert_int_eq(cJSON_GetArraySize(a), 1);
	cJSON_Delete(a);
	a = gpu_host_procs(h, pids, 2);
	d = cJSON_GetArrayItem(a, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "name")->valuestring, "gpu");
	ck_assert(cJSON_GetObjectItem(d, "rss_kib")->valuedouble > 0);
	ck_assert(cJSON_GetObjectItem(d, "cpu_pct")->valuedouble >= 0);
	cJSON_Delete(a);
	gpu_host_free(h);
}
END_TEST

/* ring_dev - a GPU with a few fields known */
static void
ring_dev(struct gpu_dev *d, int index, double util)
{
	gpu_dev_reset(d, index);
	gpu_dev_set(d, GPU_F_UTIL_GPU, util);
	gpu_dev_set(d, GPU_F_POWER, 71.234);
	gpu_dev_set(d, GPU_F_TEMP, -5);
}

/* ring_push - a sample taken at mono s seconds */
static void
ring_push(struct gpu_ring *r, int s, int ngpus)
{
	struct gpu_ring_host	h = { 1700000000000LL + s * 1000LL,
				    s * 1000LL, 1, 12.5, 4096 };
	struct gpu_dev		d[3];
	int			g;

	for (g = 0; g < 3; g++)
		ring_dev(&d[g], g, s % 101);
	gpu_ring_push(r, &h, d, ngpus);
}

static const struct window_case {
	int	pushes;		/* samples at t = 1 .. pushes s */
	size_t	cap;
	int64_t	now_s;
	long	window_s;
	size_t	want_n;
	size_t	want_first;
} window_cases[] = {
	{ 0, 10, 100, 60, 0, 0 },
	{ 5, 10, 5, 60, 5, 0 },		/* all of them */
	{ 5, 10, 5, 2, 3, 2 },		/* t = 3, 4, 5 (>= now - 2) */
	{ 5, 10, 5, 0, 1, 4 },		/* just the one taken now */
	{ 5, 10, 100, 60, 0, 5 },	/* all too old */
	{ 25, 10, 25, 60, 10, 0 },	/* wrapped: the last 10 */
	{ 25, 10, 25, 4, 5, 5 },	/* wrapped: t = 21 .. 25 */
	{ 903, 901, 903, 900, 901, 0 },	/* the default: 15 min at 1 s */
};

START_TEST(test_ring_window)
{
	const struct window_case	*c = &window_cases[_i];
	struct gpu_ring			*r;
	size_t				 first, n;
	int				 s;

	r = gpu_ring_new(c->cap, 2);
	for (s = 1; s <= c->pushes; s++)
		ring_push(r, s, 2);
	n = gpu_ring_window(r, c->now_s * 1000, c->window_s, &first);
	ck_assert_msg(n == c->want_n && first == c->want_first,
	    "case %d: got %zu from %zu, want %zu from %zu", _i, n, first,
	    c->want_n, c->want_first);
	ck_assert_uint_eq(gpu_ring_len(r), (size_t)(c->pushes < (int)c->cap ?
	    c->pushes : (int)c->cap));
	gpu_ring_free(r);
}
END_TEST

START_TEST(test_ring_shape)
{
	struct gpu_ring	*r;
	cJSON		*a, *e, *g;
	int		 s;

	ck_assert_uint_eq(gpu_ring_cap_for(900, 1), 901);
	ck_assert_uint_eq(gpu_ring_cap_for(900, 7), 130);	/* ceil + 1 */
	ck_assert_uint_eq(gpu_ring_cap_for(10, 3600), 2);
	ck_assert_uint_eq(gpu_ring_cap_for(86400, 1), 86401);

	r = gpu_ring_new(4, 1);
	for (s = 1; s <= 6; s++)
		ring_push(r, s, 3);	/* stride 1: first GPU kept */
	a = gpu_ring_json(r, 6000, 60);
	ck_assert_int_eq(cJSON_GetArraySize(a), 4);
	e = cJSON_GetArrayItem(a, 0);		/* oldest: t = 3 */
	ck_assert_str_eq(cJSON_GetObjectItem(e, "time")->valuestring,
	    "2023-11-14T22:13:23Z");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(e, "gpus")),
	    1);
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(e, "gpus"), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(g, "util_gpu_pct")->valueint, 3);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(g, "util_mem_pct")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(g, "mem_used_mib")));
	ck_assert_int_eq(cJSON_GetObjectItem(g, "temp_c")->valueint, -5);
	ck_assert(fabs(cJSON_GetObjectItem(g, "power_w")->valuedouble -
	    71.234) < 1e-9);
	ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "host"),
	    "cpu_pct")->valuedouble == 12.5);
	cJSON_Delete(a);

	/* bigger, wider: the newest kept in order; new samples fill all */
	r = gpu_ring_resize(r, 8, 3);
	ck_assert_uint_eq(gpu_ring_len(r), 4);
	ring_push(r, 7, 3);
	a = gpu_ring_json(r, 7000, 60);
	ck_assert_int_eq(cJSON_GetArraySize(a), 5);
	e = cJSON_GetArrayItem(a, 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(e, "gpus")),
	    1);
	e = cJSON_GetArrayItem(a, 4);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(e, "gpus")),
	    3);
	cJSON_Delete(a);
	/* smaller: only the newest 2 */
	r = gpu_ring_resize(r, 2, 3);
	a = gpu_ring_json(r, 7000, 60);
	ck_assert_int_eq(cJSON_GetArraySize(a), 2);
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1),
	    "gpus"), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(g, "util_gpu_pct")->valueint, 7);
	cJSON_Delete(a);
	gpu_ring_free(r);
}
END_TEST

static const struct win_req_case {
	const char	*req;
	long		 want;
} win_req_cases[] = {
	{ "{}", 900 },
	{ "{\"window_s\":null}", 900 },
	{ "{\"window_s\":60}", 60 },
	{ "{\"window_s\":1}", 1 },
	{ "{\"window_s\":86400}", 900 },
	{ "{\"window_s\":0}", -1 },
	{ "{\"window_s\":-5}", -1 },
	{ "{\"window_s\":\"15m\"}", -1 },
	{ "{\"window_s\":[60]}", -1 },
};

START_TEST(test_history_window)
{
	const struct win_req_case	*c = &win_req_cases[_i];
	cJSON				*req;
	long				 got;

	req = cJSON_Parse(c->req);
	got = gpu_history_window(req, 900);
	ck_assert_msg(got == c->want, "%s: got %ld, want %ld", c->req, got,
	    c->want);
	cJSON_Delete(req);
}
END_TEST

START_TEST(test_dev_json)
{
	struct gpu_dev	 d;
	cJSON		*o, *p;
	char		 t[32];
	int		 f;

	gpu_dev_reset(&d, 3);
	o = gpu_dev_json(&d);
	ck_assert_int_eq(cJSON_GetObjectItem(o, "index")->valueint, 3);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "name")));
	for (f = 0; f < GPU_NFIELDS; f++)
		ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItem(o,
		    gpu_field_name(f))), "%s: got a value, want null",
		    gpu_field_name(f));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o,
	    "processes")), 0);
	cJSON_Delete(o);
	snprintf(d.name, sizeof(d.name), "NVIDIA A100-SXM4-40GB");
	for (f = 0; f < GPU_NFIELDS; f++)
		gpu_dev_set(&d, f, 100 + f);
	gpu_dev_set(&d, GPU_F_FAN, 0);
	d.nprocs = 1;
	d.procs[0].pid = 77;
	o = gpu_dev_json(&d);
	for (f = 0; f < GPU_NFIELDS; f++)
		ck_assert_msg(cJSON_GetObjectItem(o, gpu_field_name(f))->
		    valueint == (f == GPU_F_FAN ? 0 : 100 + f),
		    "%s: got %d, want %d", gpu_field_name(f),
		    cJSON_GetObjectItem(o, gpu_field_name(f))->valueint,
		    f == GPU_F_FAN ? 0 : 100 + f);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "util_gpu_pct")->string,
	    "util_gpu_pct");
	ck_assert_int_eq(cJSON_GetObjectItem(o, "util_gpu_pct")->valueint,
	    100);
	ck_assert_int_eq(cJSON_GetObjectItem(o, "pcie_rx_kbps")->valueint,
	    111);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "processes"), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(p, "pid")->valueint, 77);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "name")->valuestring,
	    "unknown");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "used_mib")));
	cJSON_Delete(o);
	ck_assert_str_eq(gpu_json_time(0, t, sizeof(t)),
	    "1970-01-01T00:00:00Z");
	ck_assert_str_eq(gpu_json_time(1700000000999LL, t, sizeof(t)),
	    "2023-11-14T22:13:20Z");
}
END_TEST

/* gpu_suite - the gpu worker's pure parts */
Suite *
gpu_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("gpu");
	tc = tcase_create("smi_parse");
	tcase_add_loop_test(tc, test_smi_parse, 0,
	    sizeof(smi_cases) / sizeof(smi_cases[0]));
	tcase_add_test(tc, test_smi_parse_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	tcase_add_test(tc, test_host_parsers);
	tcase_add_test(tc, test_host_read);
	suite_add_tcase(s, tc);

	tc = tcase_create("ring");
	tcase_add_loop_test(tc, test_ring_window, 0,
	    sizeof(window_cases) / sizeof(window_cases[0]));
	tcase_add_test(tc, test_ring_shape);
	tcase_add_loop_test(tc, test_history_window, 0,
	    sizeof(win_req_cases) / sizeof(win_req_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_dev_json);
	suite_add_tcase(s, tc);
	return (s);
}
