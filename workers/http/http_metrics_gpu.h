/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_gpu.h - the GPU and host families of /metrics
 * SYNOPSIS
 *	void	http_metrics_gpu_render(struct http_prom *p,
 *		    const cJSON *sample);
 * DESCRIPTION
 *	http_metrics_gpu_render writes the families made from one
 *	MSG_GPU_SAMPLE reply: the sampler's source, one DCGM_FI_DEV_*
 *	family per GPU field under dcgm-exporter's names and labels, the
 *	host and the corral processes.
 */
#ifndef CORRAL_HTTP_METRICS_GPU_H
#define CORRAL_HTTP_METRICS_GPU_H

#include <cjson/cJSON.h>

#include "http_prom.h"

/* http_metrics_gpu_render - the GPU, host and process families */
void	http_metrics_gpu_render(struct http_prom *p, const cJSON *sample);

#endif
