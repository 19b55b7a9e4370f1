/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_ring.h - the gpu worker's history of samples
 * SYNOPSIS
 *	size_t	gpu_ring_cap_for(long history_s, long interval_s);
 *	struct gpu_ring *gpu_ring_new(size_t cap, int gpus);
 *	struct gpu_ring *gpu_ring_resize(struct gpu_ring *r, size_t cap,
 *		    int gpus);
 *	void	gpu_ring_push(struct gpu_ring *r,
 *		    const struct gpu_ring_host *host, const struct gpu_dev *devs,
 *		    int ndevs);
 *	size_t	gpu_ring_len(const struct gpu_ring *r);
 *	size_t	gpu_ring_window(const struct gpu_ring *r, int64_t now_mono_ms,
 *		    long window_s, size_t *first);
 *	cJSON	*gpu_ring_json(const struct gpu_ring *r, int64_t now_mono_ms,
 *		    long window_s);
 *	void	gpu_ring_free(struct gpu_ring *r);
 * DESCRIPTION
 *	A fixed ring of cap entries, each the few numbers a chart needs: the
 *	time, per GPU utilization, memory used, temperature and power, and
 *	the host's CPU % and available memory. Each entry has room for
 *	gpus GPUs (the stride, fixed when the ring is made), so memory is
 *	cap * (header + gpus * 16 bytes) and never grows. A sample with
 *	more GPUs than the stride keeps the first ones; the worker resizes
 *	the ring when the GPU count grows.
 *
 *	gpu_ring_cap_for is the number of entries history_s seconds need at
 *	one sample every interval_s. gpu_ring_resize makes a ring with a
 *	new size and stride that keeps the newest entries of r (and frees
 *	r). Entries are indexed oldest first, 0 .. len - 1.
 *
 *	gpu_ring_window counts the entries taken within window_s seconds
 *	before now_mono_ms (the monotonic clock, so a wall-clock step does
 *	not move the window) and puts the index of the first in *first:
 *	the window is the newest run of entries whose mono_ms >= now -
 *	window. gpu_ring_json prints them as the "samples" array of
 *	MSG_GPU_HISTORY, oldest first.
 */
#ifndef CORRAL_GPU_RING_H
#define CORRAL_GPU_RING_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "gpu_dev.h"

struct gpu_ring;

/* What a history entry keeps of the host. */
struct gpu_ring_host {
	int64_t		time_ms;	/* wall clock, for the "time" string */
	int64_t		mono_ms;	/* monotonic, for windows */
	int		cpu_known;
	double		cpu_pct;
	long long	mem_available_kib;	/* -1: unknown */
};

/* gpu_ring_cap_for - entries needed for history_s at interval_s */
size_t		 gpu_ring_cap_for(long history_s, long interval_s);

/* gpu_ring_new - an empty ring of cap entries of up to gpus GPUs each */
struct gpu_ring	*gpu_ring_new(size_t cap, int gpus);

/* gpu_ring_resize - a ring of the new shape holding r's newest entries;
 * takes ownership of r (freed) */
struct gpu_ring	*gpu_ring_resize(struct gpu_ring *r, size_t cap, int gpus);

/* gpu_ring_push - append one sample, dropping the oldest if full */
void		 gpu_ring_push(struct gpu_ring *r,
		    const struct gpu_ring_host *host, const struct gpu_dev *devs,
		    int ndevs);

/* gpu_ring_len - entries held */
size_t		 gpu_ring_len(const struct gpu_ring *r);

/* gpu_ring_cap - entries the ring can hold */
size_t		 gpu_ring_cap(const struct gpu_ring *r);

/* gpu_ring_stride - GPUs an entry can hold */
int		 gpu_ring_stride(const struct gpu_ring *r);

/* gpu_ring_window - entries within window_s of now; *first the oldest */
size_t		 gpu_ring_window(const struct gpu_ring *r, int64_t now_mono_ms,
		    long window_s, size_t *first);

/* gpu_ring_json - the "samples" array for a window; caller owns it */
cJSON		*gpu_ring_json(const struct gpu_ring *r, int64_t now_mono_ms,
		    long window_s);

/* gpu_ring_free - free r; NULL is fine */
void		 gpu_ring_free(struct gpu_ring *r);

#endif
