/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_worker - the gpu worker's life, its sampling and its messages
 * SYNOPSIS
 *	#include "gpu_worker.h"
 * DESCRIPTION
 *	See gpu_worker.h. gpu_sources[] names the three sources; the state
 *	of the worker is struct gpu_worker, hung from rt->priv.
 *
 *	A sample has up to three parts in flight (pending counts them):
 *	the tick itself, the master's MSG_STATUS reply and, with the
 *	nvidia-smi source, the run of nvidia-smi. gpu_sample_step is called
 *	as each part completes and finishes the sample after the last one.
 *	A tick that comes while a sample is still pending is skipped, so a
 *	slow nvidia-smi (killed after GPU_SMI_TIMEOUT_MS) or a slow master
 *	stretches the interval instead of piling up work. MSG_STATUS
 *	replies that end with ECANCELED come while the worker is being torn
 *	down; they finish nothing.
 *
 *	The latest sample is kept as the cJSON object MSG_GPU_SAMPLE
 *	answers with (a copy per request); the history keeps its compact
 *	form (gpu_ring.h).
 * DIAGNOSTICS
 *	One info line at start naming the source (and why NVML was not
 *	used); nvidia-smi failures are in the sample's reason, and logged
 *	when the reason changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "worker.h"
#include "xmalloc.h"

#include "gpu_dev.h"
#include "gpu_host.h"
#include "gpu_nvml.h"
#include "gpu_ring.h"
#include "gpu_smi.h"
#include "gpu_worker.h"

#define GPU_PROC_ROOT		"/proc"
#define GPU_NO_GPU		"no NVIDIA GPU"
#define GPU_STATUS_TIMEOUT_MS	2000
#define GPU_REASON_LEN		256
#define GPU_PIDS_MAX		(PROC_MAX + 1)

enum gpu_source { GPU_SRC_NVML, GPU_SRC_SMI, GPU_SRC_NONE };

static const char *const gpu_sources[] = {
	[GPU_SRC_NVML] = "nvml",
	[GPU_SRC_SMI] = "nvidia-smi",
	[GPU_SRC_NONE] = "none",
};

struct gpu_worker {
	struct worker_rt	*rt;
	struct event		*tick;
	struct event		*first;	/* the first sample, at once */
	long			 interval_s;
	long			 history_s;
	enum gpu_source		 source;
	struct gpu_nvml		*nvml;
	struct gpu_smi		*smi;
	struct gpu_host		*host;
	struct gpu_ring		*ring;
	char			*nvml_conf; /* as given at start, or NULL */
	char			*smi_conf;
	char			*state_root;
	char			*workspace_root;
	cJSON			*latest;
	/* the sample under way */
	int			 pending;
	int64_t			 start_mono;
	int64_t			 start_wall;
	struct gpu_dev		*devs;		/* GPU_MAX */
	int			 ndevs;
	char			 driver[GPU_NVML_DRIVER_LEN];
	char			 reason[GPU_REASON_LEN];
	char			 last_reason[GPU_REASON_LEN];
	cJSON			*status; /* the master's reply, or NULL */
};

static void	gpu_sample_step(struct gpu_worker *);

/* gpu_now_ms - a clock in ms */
static int64_t
gpu_now_ms(clockid_t clk)
{
	struct timespec	ts;

	(void)clock_gettime(clk, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* gpu_strdup - a copy of s, or NULL */
static char *
gpu_strdup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* gpu_bound - v within lo..hi */
static long
gpu_bound(long v, long lo, long hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* gpu_procs_json - "procs" from the master's MSG_STATUS reply */
static cJSON *
gpu_procs_json(struct gpu_worker *gw)
{
	struct gpu_host_pid	 pids[GPU_PIDS_MAX];
	const cJSON		*w, *name, *pid;
	size_t			 n = 0;

	if (gw->status != NULL) {
		pid = cJSON_GetObjectItemCaseSensitive(gw->status, "pid");
		if (cJSON_IsNumber(pid)) {
			pids[n].name = "master";
			pids[n++].pid = (long)pid->valuedouble;
		}
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(
		    gw->status, "workers")) {
			name = cJSON_GetObjectItemCaseSensitive(w, "name");
			pid = cJSON_GetObjectItemCaseSensitive(w, "pid");
			if (n < GPU_PIDS_MAX && cJSON_IsString(name) &&
			    cJSON_IsNumber(pid) && pid->valuedouble > 0) {
				pids[n].name = name->valuestring;
				pids[n++].pid = (long)pid->valuedouble;
			}
		}
	}
	return (gpu_host_procs(gw->host, pids, n));
}

/* gpu_sample_json - the MSG_GPU_SAMPLE body of what was gathered */
static cJSON *
gpu_sample_json(struct gpu_worker *gw, const struct gpu_host_sample *hs,
    int64_t sample_ms)
{
	cJSON	*o, *a;
	char	 t[32];
	int	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "time", gpu_json_time(gw->start_wall, t,
	    sizeof(t)));
	cJSON_AddStringToObject(o, "source", gpu_sources[gw->source]);
	if (gw->reason[0] != '\0')
		cJSON_AddStringToObject(o, "reason", gw->reason);
	else
		cJSON_AddNullToObject(o, "reason");
	if (gw->driver[0] != '\0')
		cJSON_AddStringToObject(o, "driver_version", gw->driver);
	else
		cJSON_AddNullToObject(o, "driver_version");
	a = cJSON_AddArrayToObject(o, "gpus");
	for (i = 0; i < gw->ndevs; i++)
		cJSON_AddItemToArray(a, gpu_dev_json(&gw->devs[i]));
	cJSON_AddItemToObject(o, "host", gpu_host_json(hs));
	cJSON_AddItemToObject(o, "procs", gpu_procs_json(gw));
	cJSON_AddNumberToObject(o, "sample_ms", (double)sample_ms);
	return (o);
}

/* gpu_host_disks - the two roots, as the host part reports them */
static void
gpu_host_disks(const struct gpu_worker *gw, struct gpu_host_disk d[2])
{
	d[0].name = "state_root";
	d[0].path = gw->state_root;
	d[1].name = "workspace_root";
	d[1].path = gw->workspace_root;
}

/* gpu_sample_finish - read the host, publish the sample, keep history */
static void
gpu_sample_finish(struct gpu_worker *gw)
{
	struct gpu_host_sample	hs;
	struct gpu_host_disk	disks[2];
	struct gpu_ring_host	rh;
	int64_t			ms;

	gpu_host_disks(gw, disks);
	gpu_host_read(gw->host, &hs, disks, 2);
	ms = gpu_now_ms(CLOCK_MONOTONIC) - gw->start_mono;
	cJSON_Delete(gw->latest);
	gw->latest = gpu_sample_json(gw, &hs, ms);
	if (gw->ndevs > gpu_ring_stride(gw->ring))
		gw->ring = gpu_ring_resize(gw->ring, gpu_ring_cap(gw->ring),
		    gw->ndevs);
	rh.time_ms = gw->start_wall;
	rh.mono_ms = gw->start_mono;
	rh.cpu_known = hs.cpu_known;
	rh.cpu_pct = hs.cpu_pct;
	rh.mem_available_kib = hs.mem_available_kib;
	gpu_ring_push(gw->ring, &rh, gw->devs, gw->ndevs);
	if (strcmp(gw->reason, gw->last_reason) != 0) {
		if (gw->reason[0] != '\0' && gw->source != GPU_SRC_NONE)
			log_warnx("sample: %s", gw->reason);
		else if (gw->last_reason[0] != '\0' &&
		    gw->source != GPU_SRC_NONE)
			log_info("sample: %s answers again",
			    gpu_sources[gw->source]);
		snprintf(gw->last_reason, sizeof(gw->last_reason), "%s",
		    gw->reason);
	}
	cJSON_Delete(gw->status);
	gw->status = NULL;
	log_debug("sample: %d GPUs in %lld ms", gw->ndevs, (long long)ms);
}

/* gpu_sample_step - one part of the sample is in; finish after the last */
static void
gpu_sample_step(struct gpu_worker *gw)
{
	if (gw->pending <= 0 || --gw->pending > 0)
		return;
	gpu_sample_finish(gw);
}

/* gpu_status_cb - the master's MSG_STATUS reply (pids), or a failure */
static void
gpu_status_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct gpu_worker	*gw = arg;

	(void)c;
	if (err == ECANCELED)		/* tearing down */
		return;
	cJSON_Delete(gw->status);
	gw->status = NULL;
	if (err != 0)
		log_debug("MSG_STATUS: %s", strerror(err));
	else if (f->hdr.type == MSG_STATUS)
		gw->status = frame_json(f);
	gpu_sample_step(gw);
}

/* gpu_smi_done_cb - nvidia-smi has answered, failed or been killed */
static void
gpu_smi_done_cb(struct gpu_smi *s, void *arg)
{
	struct gpu_worker	*gw = arg;
	const struct gpu_dev	*devs;
	const char		*driver, *err;

	gw->ndevs = gpu_smi_result(s, &devs, &driver, &err);
	memcpy(gw->devs, devs, (size_t)gw->ndevs * sizeof(*devs));
	snprintf(gw->driver, sizeof(gw->driver), "%s",
	    driver != NULL ? driver : "");
	snprintf(gw->reason, sizeof(gw->reason), "%s", err);
	gpu_sample_step(gw);
}

/* gpu_sample_gpus - start this sample's GPU part */
static void
gpu_sample_gpus(struct gpu_worker *gw)
{
	const struct gpu_dev	*devs;
	const char		*driver, *err;
	int			 n;

	gw->reason[0] = '\0';
	switch (gw->source) {
	case GPU_SRC_NVML:
		n = gpu_nvml_sample(gw->nvml, gw->devs, GPU_MAX, gw->reason,
		    sizeof(gw->reason));
		gw->ndevs = n > 0 ? n : 0;
		break;
	case GPU_SRC_SMI:
		gw->pending++;
		if (gpu_smi_start(gw->smi) == -1) {
			gw->ndevs = gpu_smi_result(gw->smi, &devs, &driver,
			    &err);
			snprintf(gw->reason, sizeof(gw->reason), "%s", err);
			gw->pending--;
		}
		break;
	case GPU_SRC_NONE:
		gw->ndevs = 0;
		snprintf(gw->reason, sizeof(gw->reason), GPU_NO_GPU);
		break;
	}
}

/* gpu_tick_cb - time for a sample, unless one is still under way */
static void
gpu_tick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct gpu_worker	*gw = arg;
	cJSON			*req;

	(void)fd;
	(void)ev;
	if (gw->pending > 0) {
		log_debug("sample skipped: the previous one is still under "
		    "way");
		return;
	}
	gw->pending = 1;		/* this function's own part */
	gw->start_mono = gpu_now_ms(CLOCK_MONOTONIC);
	gw->start_wall = gpu_now_ms(CLOCK_REALTIME);
	req = cJSON_CreateObject();
	if (worker_request(gw->rt, PROC_MASTER, MSG_STATUS, req,
	    GPU_STATUS_TIMEOUT_MS, gpu_status_cb, gw) == 0)
		gw->pending++;
	cJSON_Delete(req);
	gpu_sample_gpus(gw);
	gpu_sample_step(gw);
}

/* gpu_tick_arm - (re)arm the timer at interval_s */
static void
gpu_tick_arm(struct gpu_worker *gw)
{
	struct timeval	tv;

	tv.tv_sec = gw->interval_s;
	tv.tv_usec = 0;
	event_del(gw->tick);
	if (event_add(gw->tick, &tv) == -1)
		fatalx("%s: event_add", __func__);
}

/* gpu_detect - NVML, else nvidia-smi, else none */
static void
gpu_detect(struct gpu_worker *gw)
{
	char	err[512], path[4096];

	gw->driver[0] = '\0';
	gw->nvml = gpu_nvml_open(gw->nvml_conf, GPU_PROC_ROOT, err,
	    sizeof(err));
	if (gw->nvml != NULL) {
		gw->source = GPU_SRC_NVML;
		snprintf(gw->driver, sizeof(gw->driver), "%s",
		    gpu_nvml_driver(gw->nvml) != NULL ?
		    gpu_nvml_driver(gw->nvml) : "");
		log_info("source nvml: %s, driver %s", gw->nvml_conf != NULL ?
		    gw->nvml_conf : GPU_NVML_DEFAULT_LIB,
		    gw->driver[0] != '\0' ? gw->driver : "unknown");
		return;
	}
	log_info("NVML cannot be used: %s", err);
	if (gpu_smi_find(gw->smi_conf, path, sizeof(path)) == 0) {
		gw->source = GPU_SRC_SMI;
		gw->smi = gpu_smi_new(gw->rt->base, path, GPU_SMI_TIMEOUT_MS,
		    gpu_smi_done_cb, gw);
		log_info("source nvidia-smi: %s", path);
		return;
	}
	if (gw->smi_conf != NULL)
		log_warnx("nvidia_smi %s cannot be executed", gw->smi_conf);
	gw->source = GPU_SRC_NONE;
	snprintf(gw->reason, sizeof(gw->reason), GPU_NO_GPU);
	log_info("source none: %s (no NVML, no nvidia-smi %s)", GPU_NO_GPU,
	    gw->smi_conf != NULL ? "there" : "in PATH");
}

/* gpu_settings - interval and history from rt->config */
static void
gpu_settings(struct gpu_worker *gw)
{
	struct worker_rt	*rt = gw->rt;

	gw->interval_s = gpu_bound(worker_config_int(rt, "gpu_interval", 1),
	    1, 3600);
	gw->history_s = gpu_bound(worker_config_int(rt, "gpu_history", 900),
	    10, 86400);
	free(gw->state_root);
	free(gw->workspace_root);
	gw->state_root = gpu_strdup(worker_config_str(rt, "state_root",
	    NULL));
	gw->workspace_root = gpu_strdup(worker_config_str(rt,
	    "workspace_root", NULL));
}

/* gpu_init - source, first host reading, timer; 0 */
int
gpu_init(struct worker_rt *rt)
{
	struct gpu_worker	*gw;
	struct gpu_host_sample	 hs;
	struct gpu_host_disk	 disks[2];
	struct timeval		 zero = { 0, 0 };

	gw = xcalloc(1, sizeof(*gw));
	gw->rt = rt;
	rt->priv = gw;
	gpu_settings(gw);
	gw->nvml_conf = gpu_strdup(worker_config_str(rt, "nvml_library",
	    NULL));
	gw->smi_conf = gpu_strdup(worker_config_str(rt, "nvidia_smi", NULL));
	gw->devs = xcalloc(GPU_MAX, sizeof(*gw->devs));
	gw->host = gpu_host_new(GPU_PROC_ROOT);
	gpu_detect(gw);
	gw->ring = gpu_ring_new(gpu_ring_cap_for(gw->history_s,
	    gw->interval_s), 0);
	/* until the first sample: the host, the source, no GPUs */
	gw->start_mono = gpu_now_ms(CLOCK_MONOTONIC);
	gw->start_wall = gpu_now_ms(CLOCK_REALTIME);
	gpu_host_disks(gw, disks);
	gpu_host_read(gw->host, &hs, disks, 2);
	gw->latest = gpu_sample_json(gw, &hs, 0);
	gw->tick = event_new(rt->base, -1, EV_PERSIST, gpu_tick_cb, gw);
	gw->first = evtimer_new(rt->base, gpu_tick_cb, gw);
	if (gw->tick == NULL || gw->first == NULL)
		fatalx("%s: event_new", __func__);
	gpu_tick_arm(gw);
	evtimer_add(gw->first, &zero);
	log_info("sampling every %ld s, keeping %ld s (%zu samples)",
	    gw->interval_s, gw->history_s, gpu_ring_cap(gw->ring));
	return (0);
}

/* gpu_reload - interval and history from the new rt->config */
void
gpu_reload(struct worker_rt *rt)
{
	struct gpu_worker	*gw = rt->priv;
	const char		*lib, *smi;
	long			 old = gw->interval_s;
	size_t			 cap;

	gpu_settings(gw);
	if (gw->interval_s != old)
		gpu_tick_arm(gw);
	cap = gpu_ring_cap_for(gw->history_s, gw->interval_s);
	if (cap != gpu_ring_cap(gw->ring))
		gw->ring = gpu_ring_resize(gw->ring, cap,
		    gpu_ring_stride(gw->ring));
	lib = worker_config_str(rt, "nvml_library", NULL);
	smi = worker_config_str(rt, "nvidia_smi", NULL);
	if ((lib == NULL) != (gw->nvml_conf == NULL) ||
	    (lib != NULL && strcmp(lib, gw->nvml_conf) != 0) ||
	    (smi == NULL) != (gw->smi_conf == NULL) ||
	    (smi != NULL && strcmp(smi, gw->smi_conf) != 0))
		log_info("nvml_library and nvidia_smi changes take effect "
		    "when the gpu worker restarts");
	log_info("reloaded: sampling every %ld s, keeping %ld s",
	    gw->interval_s, gw->history_s);
}

/* gpu_fini - stop nvidia-smi, close NVML, free */
void
gpu_fini(struct worker_rt *rt)
{
	struct gpu_worker	*gw = rt->priv;

	if (gw == NULL)
		return;
	if (gw->tick != NULL)
		event_free(gw->tick);
	if (gw->first != NULL)
		event_free(gw->first);
	gpu_smi_free(gw->smi);
	gpu_nvml_close(gw->nvml);
	gpu_host_free(gw->host);
	gpu_ring_free(gw->ring);
	cJSON_Delete(gw->latest);
	cJSON_Delete(gw->status);
	free(gw->devs);
	free(gw->nvml_conf);
	free(gw->smi_conf);
	free(gw->state_root);
	free(gw->workspace_root);
	free(gw);
	rt->priv = NULL;
}

/* gpu_request - f's payload as a JSON object ({} if empty), or NULL
 * after a bad_request reply */
static cJSON *
gpu_request(struct worker_rt *rt, struct frame *f)
{
	cJSON	*req;

	if (f->hdr.len == 0)
		return (cJSON_CreateObject());
	if ((req = frame_json(f)) == NULL)
		worker_reply_error(rt, f, "bad_request", "the payload is not "
		    "a JSON object");
	return (req);
}

/* gpu_on_sample - MSG_GPU_SAMPLE: the latest sample */
void
gpu_on_sample(struct worker_rt *rt, struct frame *f)
{
	struct gpu_worker	*gw = rt->priv;
	cJSON			*req;

	if ((req = gpu_request(rt, f)) == NULL)
		return;
	cJSON_Delete(req);
	worker_reply(rt, f, MSG_GPU_SAMPLE, cJSON_Duplicate(gw->latest, 1));
}

/* gpu_history_window - seconds asked for, bounded by history_s; -1 bad */
long
gpu_history_window(const cJSON *req, long history_s)
{
	const cJSON	*w;

	w = cJSON_GetObjectItemCaseSensitive(req, "window_s");
	if (w == NULL || cJSON_IsNull(w))
		return (history_s);
	if (!cJSON_IsNumber(w) || !(w->valuedouble >= 1))
		return (-1);
	if (w->valuedouble >= (double)history_s)
		return (history_s);
	return ((long)w->valuedouble);
}

/* gpu_on_history - MSG_GPU_HISTORY: the samples within window_s */
void
gpu_on_history(struct worker_rt *rt, struct frame *f)
{
	struct gpu_worker	*gw = rt->priv;
	cJSON			*req, *body;
	long			 win;

	if ((req = gpu_request(rt, f)) == NULL)
		return;
	win = gpu_history_window(req, gw->history_s);
	cJSON_Delete(req);
	if (win < 0) {
		worker_reply_error(rt, f, "bad_request", "window_s: want a "
		    "number of seconds, at least 1");
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "interval_s", (double)gw->interval_s);
	cJSON_AddItemToObject(body, "samples", gpu_ring_json(gw->ring,
	    gpu_now_ms(CLOCK_MONOTONIC), win));
	worker_reply(rt, f, MSG_GPU_HISTORY, body);
}
