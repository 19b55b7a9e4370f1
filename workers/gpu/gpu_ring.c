/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_ring - the gpu worker's history of samples
 * SYNOPSIS
 *	#include "gpu_ring.h"
 * DESCRIPTION
 *	See gpu_ring.h. The ring is two arrays allocated once: cap entry
 *	headers and cap * stride compact GPU records. A record keeps each
 *	value in the smallest type that holds it, with an out-of-range
 *	sentinel for "unknown": utilization 0..100 in a byte (0xff),
 *	temperature in an int16_t (INT16_MIN), memory in MiB and power in
 *	mW in a uint32_t (UINT32_MAX). Entry i (oldest first) lives at
 *	(start + i) % cap.
 * DIAGNOSTICS
 *	None; allocation failure is fatal (xmalloc).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gpu_ring.h"
#include "xmalloc.h"

#define GPU_RING_PCT_NONE	0xff
#define GPU_RING_TEMP_NONE	INT16_MIN
#define GPU_RING_U32_NONE	UINT32_MAX

struct gpu_ring_gpu {
	int16_t		index;
	uint8_t		util_gpu;
	uint8_t		util_mem;
	int16_t		temp;
	uint16_t	pad;
	uint32_t	mem_used;	/* MiB */
	uint32_t	power_mw;
};

struct gpu_ring_ent {
	struct gpu_ring_host	host;
	int			ngpus;
};

struct gpu_ring {
	size_t			 cap;
	size_t			 start;		/* oldest entry */
	size_t			 n;
	int			 stride;	/* GPUs per entry */
	struct gpu_ring_ent	*ent;
	struct gpu_ring_gpu	*gpu;		/* cap * stride */
};

/* gpu_ring_cap_for - entries needed for history_s at interval_s */
size_t
gpu_ring_cap_for(long history_s, long interval_s)
{
	if (interval_s < 1)
		interval_s = 1;
	if (history_s < interval_s)
		history_s = interval_s;
	/* ceil, plus the one the window starts on */
	return ((size_t)((history_s + interval_s - 1) / interval_s) + 1);
}

/* gpu_ring_new - an empty ring of cap entries of up to gpus GPUs each */
struct gpu_ring *
gpu_ring_new(size_t cap, int gpus)
{
	struct gpu_ring	*r;

	r = xcalloc(1, sizeof(*r));
	r->cap = cap > 0 ? cap : 1;
	r->stride = gpus > 0 ? gpus : 0;
	r->ent = xcalloc(r->cap, sizeof(*r->ent));
	if (r->stride > 0)
		r->gpu = xcalloc(r->cap * (size_t)r->stride,
		    sizeof(*r->gpu));
	return (r);
}

/* gpu_ring_free - free r; NULL is fine */
void
gpu_ring_free(struct gpu_ring *r)
{
	if (r == NULL)
		return;
	free(r->ent);
	free(r->gpu);
	free(r);
}

/* gpu_ring_slot - array position of entry i, oldest first */
static size_t
gpu_ring_slot(const struct gpu_ring *r, size_t i)
{
	return ((r->start + i) % r->cap);
}

/* gpu_ring_resize - a ring of the new shape holding r's newest entries */
struct gpu_ring *
gpu_ring_resize(struct gpu_ring *r, size_t cap, int gpus)
{
	struct gpu_ring		*nr;
	size_t			 i, from, keep, s, d;
	int			 g, ng;

	nr = gpu_ring_new(cap, gpus);
	keep = r->n < nr->cap ? r->n : nr->cap;
	from = r->n - keep;
	for (i = 0; i < keep; i++) {
		s = gpu_ring_slot(r, from + i);
		d = i;
		nr->ent[d] = r->ent[s];
		ng = r->ent[s].ngpus < nr->stride ? r->ent[s].ngpus :
		    nr->stride;
		nr->ent[d].ngpus = ng;
		for (g = 0; g < ng; g++)
			nr->gpu[d * (size_t)nr->stride + (size_t)g] =
			    r->gpu[s * (size_t)r->stride + (size_t)g];
	}
	nr->n = keep;
	gpu_ring_free(r);
	return (nr);
}

/* gpu_ring_round - v to the nearest whole number (no libm) */
static long long
gpu_ring_round(double v)
{
	return (v >= 0 ? (long long)(v + 0.5) : -(long long)(-v + 0.5));
}

/* gpu_ring_pct - a percentage for a byte, or the sentinel */
static uint8_t
gpu_ring_pct(const struct gpu_dev *d, enum gpu_field f)
{
	double	v;

	if (!gpu_dev_get(d, f, &v) || !(v >= 0 && v < GPU_RING_PCT_NONE))
		return (GPU_RING_PCT_NONE);
	return ((uint8_t)gpu_ring_round(v));
}

/* gpu_ring_u32 - v * scale for a uint32_t, or the sentinel */
static uint32_t
gpu_ring_u32(const struct gpu_dev *d, enum gpu_field f, double scale)
{
	double	v;

	if (!gpu_dev_get(d, f, &v) || !(v >= 0 &&
	    v * scale < (double)GPU_RING_U32_NONE))
		return (GPU_RING_U32_NONE);
	return ((uint32_t)gpu_ring_round(v * scale));
}

/* gpu_ring_pack - one GPU's compact record */
static void
gpu_ring_pack(struct gpu_ring_gpu *g, const struct gpu_dev *d)
{
	double	v;

	memset(g, 0, sizeof(*g));
	g->index = (int16_t)d->index;
	g->util_gpu = gpu_ring_pct(d, GPU_F_UTIL_GPU);
	g->util_mem = gpu_ring_pct(d, GPU_F_UTIL_MEM);
	g->temp = GPU_RING_TEMP_NONE;
	if (gpu_dev_get(d, GPU_F_TEMP, &v) && v > INT16_MIN && v <= INT16_MAX)
		g->temp = (int16_t)gpu_ring_round(v);
	g->mem_used = gpu_ring_u32(d, GPU_F_MEM_USED, 1);
	g->power_mw = gpu_ring_u32(d, GPU_F_POWER, 1000);
}

/* gpu_ring_push - append one sample, dropping the oldest if full */
void
gpu_ring_push(struct gpu_ring *r, const struct gpu_ring_host *host,
    const struct gpu_dev *devs, int ndevs)
{
	size_t	s;
	int	g;

	if (r->n < r->cap)
		s = gpu_ring_slot(r, r->n++);
	else {
		s = r->start;
		r->start = (r->start + 1) % r->cap;
	}
	r->ent[s].host = *host;
	r->ent[s].ngpus = ndevs < r->stride ? ndevs : r->stride;
	for (g = 0; g < r->ent[s].ngpus; g++)
		gpu_ring_pack(&r->gpu[s * (size_t)r->stride + (size_t)g],
		    &devs[g]);
}

/* gpu_ring_len - entries held */
size_t
gpu_ring_len(const struct gpu_ring *r)
{
	return (r->n);
}

/* gpu_ring_cap - entries the ring can hold */
size_t
gpu_ring_cap(const struct gpu_ring *r)
{
	return (r->cap);
}

/* gpu_ring_stride - GPUs an entry can hold */
int
gpu_ring_stride(const struct gpu_ring *r)
{
	return (r->stride);
}

/* gpu_ring_window - entries within window_s of now; *first the oldest */
size_t
gpu_ring_window(const struct gpu_ring *r, int64_t now_mono_ms, long window_s,
    size_t *first)
{
	int64_t	since;
	size_t	k;

	since = now_mono_ms - (int64_t)window_s * 1000;
	/* newest first: entries are in time order */
	for (k = r->n; k > 0; k--)
		if (r->ent[gpu_ring_slot(r, k - 1)].host.mono_ms < since)
			break;
	*first = k;
	return (r->n - k);
}

/* gpu_ring_gpu_json - one GPU of a history entry */
static cJSON *
gpu_ring_gpu_json(const struct gpu_ring_gpu *g)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", g->index);
	gpu_json_num(o, "util_gpu_pct", g->util_gpu != GPU_RING_PCT_NONE,
	    g->util_gpu);
	gpu_json_num(o, "util_mem_pct", g->util_mem != GPU_RING_PCT_NONE,
	    g->util_mem);
	gpu_json_num(o, "mem_used_mib", g->mem_used != GPU_RING_U32_NONE,
	    g->mem_used);
	gpu_json_num(o, "temp_c", g->temp != GPU_RING_TEMP_NONE, g->temp);
	gpu_json_num(o, "power_w", g->power_mw != GPU_RING_U32_NONE,
	    g->power_mw / 1000.0);
	return (o);
}

/* gpu_ring_ent_json - one history entry */
static cJSON *
gpu_ring_ent_json(const struct gpu_ring *r, size_t s)
{
	const struct gpu_ring_ent	*e = &r->ent[s];
	cJSON				*o, *a, *h;
	char				 t[32];
	int				 g;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "time", gpu_json_time(e->host.time_ms, t,
	    sizeof(t)));
	a = cJSON_AddArrayToObject(o, "gpus");
	for (g = 0; g < e->ngpus; g++)
		cJSON_AddItemToArray(a, gpu_ring_gpu_json(
		    &r->gpu[s * (size_t)r->stride + (size_t)g]));
	h = cJSON_AddObjectToObject(o, "host");
	gpu_json_num(h, "cpu_pct", e->host.cpu_known, e->host.cpu_pct);
	gpu_json_num(h, "mem_available_kib", e->host.mem_available_kib >= 0,
	    (double)e->host.mem_available_kib);
	return (o);
}

/* gpu_ring_json - the "samples" array for a window; caller owns it */
cJSON *
gpu_ring_json(const struct gpu_ring *r, int64_t now_mono_ms, long window_s)
{
	cJSON	*a;
	size_t	 first, n, i;

	a = cJSON_CreateArray();
	n = gpu_ring_window(r, now_mono_ms, window_s, &first);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, gpu_ring_ent_json(r,
		    gpu_ring_slot(r, first + i)));
	return (a);
}
