/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpusample - one NVML sample vs one nvidia-smi run, with the gpu
 *	worker's own code
 * SYNOPSIS
 *	gpusample -o OUT -l NVML_LIB [-s NVIDIA_SMI] [-n SAMPLES] [-m RUNS]
 * DESCRIPTION
 *	Links the gpu worker's files (libcorral-gpu.a) and times the two
 *	ways it reads the GPUs:
 *
 *	nvml	gpu_nvml_open(NVML_LIB) once, then SAMPLES calls of
 *		gpu_nvml_sample (every field of every GPU, processes
 *		included), after SAMPLES/10 unmeasured ones: µs per sample.
 *	smi	RUNS runs of the fallback as the worker makes them:
 *		gpu_smi_start (fork, exec NVIDIA_SMI with the worker's
 *		query, output on a pipe, libevent read and SIGCHLD events)
 *		until the done callback, then gpu_smi_result (the parse):
 *		ms per run.
 *
 *	bench/run.sh passes the test doubles (tests/fake-nvml, tests/
 *	fake-nvidia-smi): with no GPU on the machine the figures are those
 *	of the fakes, which answer from tables, not of a driver.
 * DIAGNOSTICS
 *	Exits 1 if the library cannot be opened or a run fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bench_util.h"
#include "gpu_dev.h"
#include "gpu_nvml.h"
#include "gpu_smi.h"

static struct gpu_dev	gs_devs[GPU_MAX];

/* gs_done_cb - one nvidia-smi run is over */
static void
gs_done_cb(struct gpu_smi *s, void *arg)
{
	int	*done = arg;

	(void)s;
	*done = 1;
}

/* gs_nvml - SAMPLES timed gpu_nvml_sample calls */
static void
gs_nvml(FILE *f, const char *lib, int samples)
{
	struct bench_stats st;
	struct gpu_nvml	*nv;
	char		 err[256], reason[256];
	double		*us;
	uint64_t	 t0;
	int		 i, n = 0;

	if ((nv = gpu_nvml_open(lib, "/proc", err, sizeof(err))) == NULL)
		bench_die("gpu_nvml_open %s: %s", lib, err);
	if ((us = calloc((size_t)samples, sizeof(double))) == NULL)
		bench_die("out of memory");
	for (i = 0; i < samples / 10; i++)
		(void)gpu_nvml_sample(nv, gs_devs, GPU_MAX, reason,
		    sizeof(reason));
	for (i = 0; i < samples; i++) {
		t0 = bench_now_ns();
		n = gpu_nvml_sample(nv, gs_devs, GPU_MAX, reason,
		    sizeof(reason));
		us[i] = (double)(bench_now_ns() - t0) / 1e3;
		if (n < 0)
			bench_die("gpu_nvml_sample: %s", reason);
	}
	bench_stats(us, (size_t)samples, &st);
	fprintf(f, "\"nvml\":{\"library\":\"%s\",\"gpus\":%d,\"sample\":", lib,
	    n);
	bench_json_stats(f, "us", &st, NULL, 0);
	fputc('}', f);
	gpu_nvml_close(nv);
	free(us);
}

/* gs_smi - RUNS timed nvidia-smi runs through gpu_smi */
static void
gs_smi(FILE *f, const char *path, int runs)
{
	struct bench_stats	 st;
	struct event_base	*base;
	struct gpu_smi		*s;
	const struct gpu_dev	*devs;
	const char		*driver, *err;
	double			*ms;
	uint64_t		 t0;
	int			 i, n = 0, done;

	if ((base = event_base_new()) == NULL)
		bench_die("event_base_new failed");
	if ((s = gpu_smi_new(base, path, 10000, gs_done_cb, &done)) == NULL)
		bench_die("gpu_smi_new failed");
	if ((ms = calloc((size_t)runs, sizeof(double))) == NULL)
		bench_die("out of memory");
	for (i = 0; i < runs; i++) {
		done = 0;
		t0 = bench_now_ns();
		if (gpu_smi_start(s) == -1)
			bench_die("gpu_smi_start %s failed", path);
		while (!done)
			if (event_base_loop(base, EVLOOP_ONCE) == -1)
				bench_die("event_base_loop failed");
		n = gpu_smi_result(s, &devs, &driver, &err);
		ms[i] = (double)(bench_now_ns() - t0) / 1e6;
		if (n < 0 || (err != NULL && *err != '\0'))
			bench_die("nvidia-smi run: %s", err != NULL ? err : "?");
	}
	bench_stats(ms, (size_t)runs, &st);
	fprintf(f, ",\"smi\":{\"program\":\"%s\",\"gpus\":%d,\"run\":", path, n);
	bench_json_stats(f, "ms", &st, NULL, 0);
	fputc('}', f);
	gpu_smi_free(s);
	event_base_free(base);
	free(ms);
}

int
main(int argc, char **argv)
{
	const char	*out = NULL, *lib = NULL, *smi = NULL;
	FILE		*f;
	int		 c, samples = 1000, runs = 50;

	while ((c = getopt(argc, argv, "o:l:s:n:m:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'l': lib = optarg; break;
		case 's': smi = optarg; break;
		case 'n': samples = atoi(optarg); break;
		case 'm': runs = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (out == NULL || lib == NULL || samples < 1 || runs < 1)
		goto usage;
	if ((f = fopen(out, "w")) == NULL)
		bench_die("%s: %s", out, strerror(errno));
	fputc('{', f);
	gs_nvml(f, lib, samples);
	if (smi != NULL)
		gs_smi(f, smi, runs);
	fputs("}\n", f);
	fclose(f);
	return (0);
usage:
	fprintf(stderr, "usage: gpusample -o OUT -l NVML_LIB [-s NVIDIA_SMI] "
	    "[-n SAMPLES] [-m RUNS]\n");
	return (2);
}
