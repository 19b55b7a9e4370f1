/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl_gpus - unit tests for corralctl gpus
 * SYNOPSIS
 *	Suite	*ctl_gpus_suite(void);
 * DESCRIPTION
 *	The value helpers of gpus_view.c over tables of members ("-" for
 *	null or absent, units, whole numbers without decimals, sizes), and
 *	the whole display of a sample with GPUs, nulls, a host and
 *	processes, of a host without a GPU, and of something else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "../../ctl/gpus_view.h"

Suite	*ctl_gpus_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const struct num_case {
	const char	*json;
	const char	*unit;
	const char	*want;
} num_cases[] = {
	{ "{\"v\":37}", "%", "37%" },
	{ "{\"v\":88.5}", " W", "88.5 W" },
	{ "{\"v\":12.25}", "%", "12.2%" },
	{ "{\"v\":0}", " C", "0 C" },
	{ "{\"v\":null}", "%", "-" },
	{ "{}", "%", "-" },
	{ "{\"v\":\"37\"}", "%", "-" },
	{ "{\"v\":-3}", " C", "-3 C" },
};

/* test_num - gpus_view_num over num_cases */
START_TEST(test_num)
{
	const struct num_case	*c = &num_cases[_i];
	cJSON			*o = cJSON_Parse(c->json);
	char			 buf[GPUS_VIEW_LEN];

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_eq(gpus_view_num(o, "v", c->unit, buf, sizeof(buf)),
	    buf);
	ck_assert_msg(strcmp(buf, c->want) == 0, "%s: got %s, want %s",
	    c->json, buf, c->want);
	cJSON_Delete(o);
}
END_TEST

static const struct pair_case {
	const char	*json;
	const char	*want;
} pair_cases[] = {
	{ "{\"a\":1024,\"b\":40960}", "1024/40960 MiB" },
	{ "{\"a\":null,\"b\":40960}", "-/40960 MiB" },
	{ "{\"a\":5}", "5/- MiB" },
	{ "{\"a\":null,\"b\":null}", "-" },
	{ "{}", "-" },
	{ "{\"a\":88.5,\"b\":400}", "88.5/400 MiB" },
};

/* test_pair - gpus_view_pair over pair_cases */
START_TEST(test_pair)
{
	const struct pair_case	*c = &pair_cases[_i];
	cJSON			*o = cJSON_Parse(c->json);
	char			 buf[GPUS_VIEW_LEN];

	ck_assert_ptr_nonnull(o);
	gpus_view_pair(o, "a", "b", " MiB", buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, c->want) == 0, "%s: got %s, want %s",
	    c->json, buf, c->want);
	cJSON_Delete(o);
}
END_TEST

static const struct bytes_case {
	const char	*json;
	double		 scale;
	const char	*want;
} bytes_cases[] = {
	{ "{\"v\":512}", 1, "512 B" },
	{ "{\"v\":1023}", 1, "1023 B" },
	{ "{\"v\":1024}", 1, "1.0 KiB" },
	{ "{\"v\":1536}", 1024, "1.5 MiB" },
	{ "{\"v\":32768000}", 1024, "31.2 GiB" },
	{ "{\"v\":5e15}", 1, "4547.5 TiB" },
	{ "{\"v\":0}", 1, "0 B" },
	{ "{\"v\":-1}", 1, "-" },
	{ "{\"v\":null}", 1, "-" },
	{ "{\"v\":true}", 1, "-" },
};

/* test_bytes - gpus_view_bytes over bytes_cases */
START_TEST(test_bytes)
{
	const struct bytes_case	*c = &bytes_cases[_i];
	cJSON			*o = cJSON_Parse(c->json);
	char			 buf[GPUS_VIEW_LEN];

	ck_assert_ptr_nonnull(o);
	gpus_view_bytes(o, "v", c->scale, buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, c->want) == 0, "%s: got %s, want %s",
	    c->json, buf, c->want);
	cJSON_Delete(o);
}
END_TEST

/* show - what gpus_view_print writes for json, and its return in *rc */
static char *
show(const char *json, int *rc)
{
	cJSON	*o = cJSON_Parse(json);
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	*rc = gpus_view_print(fp, o);
	fclose(fp);
	cJSON_Delete(o);
	return (buf);
}

/* test_print - a sample with two GPUs, nulls, the host, the processes */
START_TEST(test_print)
{
	char	*out;
	int	 rc;

	out = show("{\"source\":\"nvml\",\"driver_version\":\"550.54.15\","
	    "\"gpus\":[{\"index\":0,\"name\":\"NVIDIA A100-SXM4-40GB\","
	    "\"util_gpu_pct\":37,\"mem_used_mib\":1024,\"mem_total_mib\":40960,"
	    "\"temp_c\":45,\"power_w\":88.5,\"power_limit_w\":400,"
	    "\"fan_pct\":null},{\"index\":1,\"name\":\"NVIDIA A100-SXM4-40GB\","
	    "\"util_gpu_pct\":null,\"mem_used_mib\":null,\"mem_total_mib\":"
	    "40960,\"temp_c\":null,\"power_w\":null,\"power_limit_w\":null,"
	    "\"fan_pct\":30}],\"host\":{\"hostname\":\"gpu-1\",\"cpu_pct\":"
	    "12.5,\"load1\":0.5,\"load5\":0.25,\"load15\":null,"
	    "\"mem_total_kib\":32768000,\"mem_available_kib\":16384000,"
	    "\"disks\":[{\"name\":\"state_root\",\"free_bytes\":1073741824},"
	    "{\"name\":\"workspace_root\",\"free_bytes\":null}]},"
	    "\"procs\":[{\"name\":\"master\",\"pid\":101,\"rss_kib\":4198,"
	    "\"cpu_pct\":0.1},{\"name\":\"gpu\",\"pid\":105,\"rss_kib\":null,"
	    "\"cpu_pct\":null}]}", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out,
	    "source: nvml, driver 550.54.15\n"
	    "INDEX  NAME                   UTIL  MEM             TEMP  "
	    "POWER       FAN\n"
	    "0      NVIDIA A100-SXM4-40GB  37%   1024/40960 MiB  45 C  "
	    "88.5/400 W  -\n"
	    "1      NVIDIA A100-SXM4-40GB  -     -/40960 MiB     -     "
	    "-           30%\n"
	    "\n"
	    "host gpu-1: cpu 12.5%, load 0.50 0.25 -, memory 15.6 GiB "
	    "available of 31.2 GiB, free: state_root 1.0 GiB, "
	    "workspace_root -\n"
	    "\n"
	    "NAME    PID  RSS      CPU\n"
	    "master  101  4.1 MiB  0.1%\n"
	    "gpu     105  -        -\n");
	free(out);
}
END_TEST

/* test_print_none - no GPU: the reason, no table; control bytes cleaned */
START_TEST(test_print_none)
{
	char	*out;
	int	 rc;

	out = show("{\"source\":\"none\",\"reason\":\"no libnvidia-ml\\u001b\","
	    "\"gpus\":[],\"host\":{\"hostname\":null},\"procs\":[]}", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "no NVIDIA GPU (no libnvidia-ml?)\n\n"
	    "host: cpu -, load - - -, memory - available of -\n");
	free(out);
	out = show("{\"source\":\"nvidia-smi\"}", &rc);
	ck_assert_str_eq(out, "source: nvidia-smi\n");
	free(out);
	out = show("{}", &rc);
	ck_assert_str_eq(out, "no NVIDIA GPU\n");
	free(out);
	/* the worker's own reason is not said twice */
	out = show("{\"source\":\"none\",\"reason\":\"no NVIDIA GPU\"}", &rc);
	ck_assert_str_eq(out, "no NVIDIA GPU\n");
	free(out);
	out = show("[1]", &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

/* ctl_gpus_suite - the suite check_main runs */
Suite *
ctl_gpus_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ctl_gpus");
	tc = tcase_create("values");
	tcase_add_loop_test(tc, test_num, 0, NELEM(num_cases));
	tcase_add_loop_test(tc, test_pair, 0, NELEM(pair_cases));
	tcase_add_loop_test(tc, test_bytes, 0, NELEM(bytes_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("print");
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_print_none);
	suite_add_tcase(s, tc);
	return (s);
}
