/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_worker.h - the gpu worker's life and its two messages
 * SYNOPSIS
 *	int	gpu_init(struct worker_rt *rt);
 *	void	gpu_reload(struct worker_rt *rt);
 *	void	gpu_fini(struct worker_rt *rt);
 *	void	gpu_on_sample(struct worker_rt *rt, struct frame *f);
 *	void	gpu_on_history(struct worker_rt *rt, struct frame *f);
 *	long	gpu_history_window(const cJSON *req, long history_s);
 * DESCRIPTION
 *	gpu_init runs after MSG_CONFIG and before the sandbox: it picks the
 *	source (NVML if the library loads and nvmlInit succeeds, else
 *	nvidia-smi if there is one, else none: "no NVIDIA GPU", a state and
 *	not an error), takes a first host reading so MSG_GPU_SAMPLE has
 *	something to say from the start, and arms the sampling timer
 *	(gpu_interval seconds, the first sample at once).
 *
 *	Each tick starts one sample unless the previous one is still under
 *	way: NVML is read in place; nvidia-smi is started and answers
 *	later; the master is asked for MSG_STATUS (its pid and each
 *	worker's). When all parts are in, the host is read, the sample
 *	becomes the latest and goes into the history ring.
 *
 *	gpu_reload takes a new gpu_interval and gpu_history at once; a new
 *	nvml_library or nvidia_smi takes effect when the worker restarts
 *	(the library is loaded before the sandbox, once), which it logs.
 *	gpu_fini stops a running nvidia-smi and frees everything.
 *
 *	gpu_on_sample answers MSG_GPU_SAMPLE with the latest sample and
 *	gpu_on_history MSG_GPU_HISTORY with the samples of the window
 *	(docs/protocol.md). gpu_history_window is the window a request asks
 *	for, in seconds: "window_s" (a number >= 1, at most history_s), or
 *	history_s if absent; -1 if it is not such a number.
 * DIAGNOSTICS
 *	gpu_init returns 0: no GPU is a state. Requests that do not parse
 *	get MSG_ERROR bad_request.
 */
#ifndef CORRAL_GPU_WORKER_H
#define CORRAL_GPU_WORKER_H

#include <cjson/cJSON.h>

#include "worker.h"

#define GPU_REQ_MAX	1024	/* largest request payload */

/* gpu_init - source, first host reading, timer; 0 */
int	gpu_init(struct worker_rt *rt);

/* gpu_reload - interval and history from the new rt->config */
void	gpu_reload(struct worker_rt *rt);

/* gpu_fini - stop nvidia-smi, close NVML, free */
void	gpu_fini(struct worker_rt *rt);

/* gpu_on_sample - MSG_GPU_SAMPLE: the latest sample */
void	gpu_on_sample(struct worker_rt *rt, struct frame *f);

/* gpu_on_history - MSG_GPU_HISTORY: the samples within window_s */
void	gpu_on_history(struct worker_rt *rt, struct frame *f);

/* gpu_history_window - seconds asked for, bounded by history_s; -1 bad */
long	gpu_history_window(const cJSON *req, long history_s);

#endif
