/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu - the corral GPU and host sampler worker
 * SYNOPSIS
 *	libexec/corral/gpu (started by the corral master, never by hand)
 * DESCRIPTION
 *	The gpu worker samples NVIDIA GPUs and the host every gpu_interval
 *	seconds and keeps gpu_history seconds of samples. It reads the GPUs
 *	through NVML, loaded with dlopen (gpu_nvml.c), else by running
 *	nvidia-smi without blocking (gpu_smi.c), else reports "no NVIDIA
 *	GPU"; the host and corral's processes come from /proc (gpu_host.c).
 *	It answers the 500s of docs/protocol.md: MSG_GPU_SAMPLE (the latest
 *	sample) and MSG_GPU_HISTORY (a window of the history), which the
 *	http worker serves as /v1/gpus, /v1/gpus/history and /metrics.
 *	What each message does is gpu_worker.c.
 * DIAGNOSTICS
 *	Exit 0 after a shutdown. No GPU is a state, not a failure.
 */
#include "msg.h"
#include "worker.h"

#include "gpu_worker.h"

static const struct worker_handler gpu_handlers[] = {
	{ MSG_GPU_SAMPLE, GPU_REQ_MAX, gpu_on_sample },
	{ MSG_GPU_HISTORY, GPU_REQ_MAX, gpu_on_history },
};

static const struct worker_def gpu_def = {
	.name = "gpu",
	.init = gpu_init,
	.reload = gpu_reload,
	.fini = gpu_fini,
	.handlers = gpu_handlers,
	.nhandlers = sizeof(gpu_handlers) / sizeof(gpu_handlers[0]),
};

/* main - run the gpu worker */
int
main(int argc, char **argv)
{
	return (worker_main(&gpu_def, argc, argv));
}
