/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_gpu_src - unit tests for the gpu worker's two sources
 * SYNOPSIS
 *	Suite	*gpu_src_suite(void);
 * DESCRIPTION
 *	NVML through the fake library (tests/fake-nvml, built next to this
 *	binary as libfake-nvml.so and libfake-nvml-fail.so): every value,
 *	the field that errors on GPU 1 coming out unknown while the rest
 *	report, the process list, an nvmlInit that fails (by the library
 *	built to fail and by FAKE_NVML_FAIL_INIT=1) and a library that is
 *	not there.
 *
 *	nvidia-smi through the fake scripts (tests/fake-nvidia-smi) on a
 *	real event loop: the published rows, a driver that is not loaded
 *	(exit 9 and its message), and a hung nvidia-smi killed by the
 *	timeout, after which the next run starts as soon as the killed one
 *	has been reaped. The loop must keep turning meanwhile: a timer
 *	counts its ticks. Paths are found from /proc/self/exe, so the suite
 *	runs from any directory and from build/ and build-san/ alike.
 */
#include <sys/stat.h>

#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <event2/event.h>

#include "gpu_dev.h"
#include "gpu_host.h"
#include "gpu_nvml.h"
#include "gpu_smi.h"

Suite	*gpu_src_suite(void);

/* src_path - BUILD/tests/name (lib) or TOP/tests/fake-nvidia-smi/name */
static const char *
src_path(const char *name, int script, char *buf, size_t len)
{
	char	exe[PATH_MAX], *dir;
	ssize_t	n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert(n > 0);
	exe[n] = '\0';
	dir = dirname(exe);			/* BUILD/tests */
	if (script)
		snprintf(buf, len, "%s/../../tests/fake-nvidia-smi/%s", dir,
		    name);
	else
		snprintf(buf, len, "%s/%s", dir, name);
	return (buf);
}

START_TEST(test_nvml_values)
{
	static const double want[2][GPU_NFIELDS] = {
		{ 37, 12, 1024, 40960, 41, 71.234, 400, 1410, 1215, 30,
		    1234, 5678 },
		{ 0, 0, 0, 40960, 35, 55, 400, 210, 1215, -1, 0, 0 },
	};
	struct gpu_nvml	*nv;
	struct gpu_dev	 devs[4];
	char		 lib[PATH_MAX], err[256], reason[256], comm[64];
	double		 v;
	int		 n, g, f, has;

	nv = gpu_nvml_open(src_path("libfake-nvml.so", 0, lib, sizeof(lib)),
	    "/proc", err, sizeof(err));
	ck_assert_msg(nv != NULL, "open: %s", err);
	ck_assert_str_eq(gpu_nvml_driver(nv), "535.129.03");
	n = gpu_nvml_sample(nv, devs, 4, reason, sizeof(reason));
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(reason, "");
	for (g = 0; g < 2; g++) {
		ck_assert_int_eq(devs[g].index, g);
		ck_assert_str_eq(devs[g].name, "NVIDIA A100-SXM4-40GB");
		ck_assert_msg(strncmp(devs[g].uuid, "GPU-fa4e0000-", 13) == 0,
		    "uuid: got %s", devs[g].uuid);
		for (f = 0; f < GPU_NFIELDS; f++) {
			has = gpu_dev_get(&devs[g], f, &v);
			if (want[g][f] < 0)
				ck_assert_msg(!has, "GPU %d %s: got %g, want "
				    "null", g, gpu_field_name(f), v);
			else
				ck_assert_msg(has && fabs(v - want[g][f]) <
				    1e-9, "GPU %d %s: got %s%g, want %g", g,
				    gpu_field_name(f), has ? "" : "null ",
				    has ? v : 0, want[g][f]);
		}
	}
	/* GPU 0 lists the caller, 512 MiB; GPU 1 nothing */
	ck_assert_int_eq(devs[0].nprocs, 1);
	ck_assert_uint_eq(devs[0].procs[0].pid, (unsigned int)getpid());
	ck_assert(devs[0].procs[0].used_known &&
	    devs[0].procs[0].used_mib == 512);
	ck_assert_int_eq(gpu_host_comm("/proc", (unsigned int)getpid(), comm,
	    sizeof(comm)), 0);
	ck_assert_str_eq(devs[0].procs[0].name, comm);
	ck_assert_int_eq(devs[1].nprocs, 0);
	/* room for one: the first */
	ck_assert_int_eq(gpu_nvml_sample(nv, devs, 1, reason,
	    sizeof(reason)), 1);
	gpu_nvml_close(nv);
}
END_TEST

static const struct nvml_fail_case {
	const char	*lib;		/* under BUILD/tests */
	int		 env;		/* FAKE_NVML_FAIL_INIT=1 */
	const char	*want;		/* in err */
} nvml_fail_cases[] = {
	{ "libfake-nvml-fail.so", 0, "nvmlInit_v2: Driver Not Loaded" },
	{ "libfake-nvml.so", 1, "nvmlInit_v2: Driver Not Loaded" },
	{ "libnothere.so", 0, "libnothere.so" },
	{ "check_main", 0, "check_main" },	/* not a shared library */
};

START_TEST(test_nvml_fail)
{
	const struct nvml_fail_case	*c = &nvml_fail_cases[_i];
	struct gpu_nvml			*nv;
	char				 lib[PATH_MAX], err[512];

	if (c->env)
		setenv("FAKE_NVML_FAIL_INIT", "1", 1);
	nv = gpu_nvml_open(src_path(c->lib, 0, lib, sizeof(lib)), "/proc",
	    err, sizeof(err));
	unsetenv("FAKE_NVML_FAIL_INIT");
	ck_assert_msg(nv == NULL, "case %d: opened, want a failure", _i);
	ck_assert_msg(strstr(err, c->want) != NULL,
	    "case %d: got \"%s\", want \"%s\" in it", _i, err, c->want);
}
END_TEST

/* What a run of nvidia-smi left for the test. */
struct smi_run {
	struct event_base	*base;
	int			 done;
	int			 ticks;
};

/* smi_done_cb - the run is over: stop the loop */
static void
smi_done_cb(struct gpu_smi *s, void *arg)
{
	struct smi_run	*r = arg;

	(void)s;
	r->done++;
	event_base_loopbreak(r->base);
}

/* smi_tick_cb - the loop is alive */
static void
smi_tick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct smi_run	*r = arg;

	(void)fd;
	(void)ev;
	r->ticks++;
}

/* smi_run - start s and run the loop until it is done (or 10 s) */
static void
smi_run(struct smi_run *r, struct gpu_smi *s)
{
	struct timeval	tv = { 10, 0 };

	r->done = 0;
	ck_assert_int_eq(gpu_smi_start(s), 0);
	ck_assert_int_eq(gpu_smi_start(s), -1);	/* one at a time */
	event_base_loopexit(r->base, &tv);
	event_base_dispatch(r->base);
	ck_assert_int_eq(r->done, 1);
}

START_TEST(test_smi_run)
{
	struct smi_run		 r = { 0 };
	struct gpu_smi		*s;
	const struct gpu_dev	*devs;
	const char		*drv, *err;
	char			 path[PATH_MAX], found[PATH_MAX];
	double			 v;
	int			 n;

	r.base = event_base_new();
	src_path("nvidia-smi", 1, path, sizeof(path));
	ck_assert_int_eq(gpu_smi_find(path, found, sizeof(found)), 0);
	ck_assert_str_eq(found, path);
	s = gpu_smi_new(r.base, path, 5000, smi_done_cb, &r);
	smi_run(&r, s);
	n = gpu_smi_result(s, &devs, &drv, &err);
	ck_assert_msg(n == 3, "got %d GPUs (%s), want 3", n, err);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(drv, "580.126.09");
	ck_assert_str_eq(devs[0].name, "NVIDIA A100-SXM4-40GB");
	ck_assert(gpu_dev_get(&devs[0], GPU_F_POWER, &v) && v == 67);
	ck_assert(!gpu_dev_get(&devs[0], GPU_F_FAN, &v));	/* [N/A] */
	ck_assert(!gpu_dev_get(&devs[0], GPU_F_UTIL_MEM, &v));
	ck_assert(gpu_dev_get(&devs[1], GPU_F_POWER, &v) && v == 176.98);
	ck_assert(!gpu_dev_get(&devs[2], GPU_F_POWER, &v)); /* Not Supp. */
	ck_assert(!gpu_dev_get(&devs[2], GPU_F_FAN, &v));
	ck_assert(gpu_dev_get(&devs[2], GPU_F_MEM_TOTAL, &v) && v == 2004);
	/* again: the runner is reusable */
	smi_run(&r, s);
	ck_assert_int_eq(gpu_smi_result(s, &devs, &drv, &err), 3);
	gpu_smi_free(s);

	/* no driver: the exit status and nvidia-smi's first line */
	src_path("nvidia-smi-nodriver", 1, path, sizeof(path));
	s = gpu_smi_new(r.base, path, 5000, smi_done_cb, &r);
	smi_run(&r, s);
	ck_assert_int_eq(gpu_smi_result(s, &devs, &drv, &err), 0);
	ck_assert_ptr_null(drv);
	ck_assert_msg(strstr(err, "exited 9: NVIDIA-SMI has failed") != NULL,
	    "got \"%s\"", err);
	gpu_smi_free(s);
	event_base_free(r.base);
}
END_TEST

START_TEST(test_smi_hang)
{
	struct smi_run		 r = { 0 };
	struct gpu_smi		*s;
	struct event		*tick;
	struct timeval		 ms50 = { 0, 50000 }, tv = { 5, 0 };
	const struct gpu_dev	*devs;
	const char		*drv, *err;
	char			 path[PATH_MAX];

	r.base = event_base_new();
	tick = event_new(r.base, -1, EV_PERSIST, smi_tick_cb, &r);
	event_add(tick, &ms50);
	src_path("nvidia-smi-hang", 1, path, sizeof(path));
	s = gpu_smi_new(r.base, path, 400, smi_done_cb, &r);
	smi_run(&r, s);
	ck_assert_int_eq(gpu_smi_result(s, &devs, &drv, &err), 0);
	ck_assert_msg(strstr(err, "did not finish within 400 ms and was "
	    "killed") != NULL, "got \"%s\"", err);
	/* A blocking runner would let no tick through at all; how many
	 * come is the machine's business (no timing is asserted). */
	ck_assert_msg(r.ticks >= 1, "the loop ticked %d times in 400 ms, "
	    "want it turning while nvidia-smi hangs", r.ticks);
	/* the killed one is reaped from SIGCHLD; then a run starts again */
	event_base_loopexit(r.base, &tv);
	while (gpu_smi_start(s) == -1) {
		ck_assert_msg(strstr(err, "has not exited yet") != NULL,
		    "got \"%s\"", err);
		event_base_loop(r.base, EVLOOP_ONCE);
	}
	event_base_dispatch(r.base);		/* killed again */
	ck_assert_int_eq(r.done, 2);
	gpu_smi_free(s);
	event_free(tick);
	event_base_free(r.base);
}
END_TEST

START_TEST(test_smi_find)
{
	char	buf[PATH_MAX], dir[PATH_MAX], *old;

	ck_assert_int_eq(gpu_smi_find("/nonexistent/nvidia-smi", buf,
	    sizeof(buf)), -1);
	ck_assert_int_eq(gpu_smi_find("/etc", buf, sizeof(buf)), -1);
	/* in PATH: the first directory that has one */
	src_path("", 1, dir, sizeof(dir));
	dir[strlen(dir) - 1] = '\0';
	old = getenv("PATH") != NULL ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", "relative:/nonexistent", 1);
	ck_assert_int_eq(gpu_smi_find(NULL, buf, sizeof(buf)), -1);
	setenv("PATH", "/nonexistent::", 1);
	ck_assert_int_eq(gpu_smi_find(NULL, buf, sizeof(buf)), -1);
	setenv("PATH", dir, 1);
	ck_assert_int_eq(gpu_smi_find(NULL, buf, sizeof(buf)), 0);
	ck_assert(strstr(buf, "/fake-nvidia-smi/nvidia-smi") != NULL);
	if (old != NULL) {
		setenv("PATH", old, 1);
		free(old);
	} else
		unsetenv("PATH");
}
END_TEST

/* gpu_src_suite - NVML and nvidia-smi against their stand-ins */
Suite *
gpu_src_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("gpu_src");
	tc = tcase_create("nvml");
	tcase_add_test(tc, test_nvml_values);
	tcase_add_loop_test(tc, test_nvml_fail, 0,
	    sizeof(nvml_fail_cases) / sizeof(nvml_fail_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("smi");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_smi_run);
	tcase_add_test(tc, test_smi_hang);
	tcase_add_test(tc, test_smi_find);
	suite_add_tcase(s, tc);
	return (s);
}
