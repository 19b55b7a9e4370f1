/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_smi.h - the nvidia-smi fallback, run without blocking
 * SYNOPSIS
 *	int	gpu_smi_find(const char *conf, char *buf, size_t len);
 *	struct gpu_smi *gpu_smi_new(struct event_base *base,
 *		    const char *path, int timeout_ms, gpu_smi_done_fn *done,
 *		    void *arg);
 *	int	gpu_smi_start(struct gpu_smi *s);
 *	int	gpu_smi_result(const struct gpu_smi *s,
 *		    const struct gpu_dev **devs, const char **driver,
 *		    const char **err);
 *	const char *gpu_smi_path(const struct gpu_smi *s);
 *	void	gpu_smi_free(struct gpu_smi *s);
 *
 *	const char *gpu_smi_query(void);
 *	int	gpu_smi_parse(const char *text, struct gpu_dev *devs, int max,
 *		    char *driver, size_t dlen, char *err, size_t errlen);
 * DESCRIPTION
 *	When NVML cannot be used the gpu worker runs
 *
 *	    nvidia-smi --query-gpu=index,name,uuid,utilization.gpu,
 *		utilization.memory,memory.used,memory.total,temperature.gpu,
 *		power.draw,power.limit,clocks.sm,clocks.mem,fan.speed,
 *		driver_version --format=csv,noheader,nounits
 *
 *	(one argument, no blanks; gpu_smi_query returns it) once per
 *	sample. gpu_smi_find picks the program: conf (nvidia_smi, an
 *	absolute path) if given, else the first nvidia-smi in PATH; 0 with
 *	the path in buf, or -1 if there is none that may be executed.
 *
 *	gpu_smi_start forks and execs it with its output on a pipe and
 *	returns at once: a libevent read event collects the output (at most
 *	64 KiB), SIGCHLD (a libevent signal event) reaps the child, and a
 *	timer of timeout_ms SIGKILLs a run that has not finished, with its
 *	whole process group (the child leads its own). done(s, arg) is
 *	called once per run that started, when the output has reached EOF
 *	and the child has been reaped, or when the timer fired; then
 *	gpu_smi_result gives the GPUs read, the driver version (or NULL)
 *	and "" or why the run failed. A killed child that cannot die (it
 *	hangs in the driver) is reaped when it does, and no new run starts
 *	until then. gpu_smi_start returns -1 and calls nothing back when it
 *	cannot start a run: one is already under way (which it leaves
 *	alone), or with gpu_smi_result's err set when fork failed or a
 *	killed one has not exited.
 *
 *	gpu_smi_parse is the pure parser: one row per GPU, the columns in
 *	the query's order separated by ", ". "[N/A]", "N/A", "[Not
 *	Supported]" and any other bracketed text ("[Unknown Error]",
 *	"[GPU requires reset]") or a value that is not a number leave that
 *	field unknown. A row with the wrong number of columns or no index
 *	is skipped and named in err; blank lines are ignored. It returns
 *	the rows read (at most max), or -1 when no row was good but the
 *	text was not empty (err then holds the first line of text, which is
 *	where nvidia-smi prints its own errors).
 * DIAGNOSTICS
 *	A run that is killed is one log_warnx naming nvidia-smi, its pid
 *	and the timeout.
 */
#ifndef CORRAL_GPU_SMI_H
#define CORRAL_GPU_SMI_H

#include <stddef.h>

#include <event2/event.h>

#include "gpu_dev.h"

#define GPU_SMI_TIMEOUT_MS	5000
#define GPU_SMI_DRIVER_LEN	80
#define GPU_SMI_ERR_LEN		256

struct gpu_smi;

typedef void gpu_smi_done_fn(struct gpu_smi *, void *);

/* gpu_smi_find - the nvidia-smi to run into buf; 0, or -1 if none */
int		 gpu_smi_find(const char *conf, char *buf, size_t len);

/* gpu_smi_new - a runner of path (copied); SIGCHLD is watched from now */
struct gpu_smi	*gpu_smi_new(struct event_base *base, const char *path,
		    int timeout_ms, gpu_smi_done_fn *done, void *arg);

/* gpu_smi_start - start one run; 0, or -1 with the result's err set */
int		 gpu_smi_start(struct gpu_smi *s);

/* gpu_smi_result - GPUs of the last run; driver NULL if unknown */
int		 gpu_smi_result(const struct gpu_smi *s,
		    const struct gpu_dev **devs, const char **driver,
		    const char **err);

/* gpu_smi_path - the program run */
const char	*gpu_smi_path(const struct gpu_smi *s);

/* gpu_smi_free - kill a run under way, reap it, free; NULL is fine */
void		 gpu_smi_free(struct gpu_smi *s);

/* gpu_smi_query - the --query-gpu=... argument */
const char	*gpu_smi_query(void);

/* gpu_smi_parse - csv,noheader,nounits rows into devs; count or -1 */
int		 gpu_smi_parse(const char *text, struct gpu_dev *devs, int max,
		    char *driver, size_t dlen, char *err, size_t errlen);

#endif
