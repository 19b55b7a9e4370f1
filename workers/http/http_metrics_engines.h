/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_engines.h - the engines families of /metrics
 * SYNOPSIS
 *	void	http_metrics_engines_render(struct http_prom *p,
 *		    const cJSON *list);
 * DESCRIPTION
 *	http_metrics_engines_render writes the families made from one
 *	MSG_ENGINE_LIST reply:
 *
 *	  corral_engines_docker_up			gauge, 1 if Docker
 *							answers the engines
 *							worker
 *	  corral_engines{state}				gauge, engines per
 *							state (every state)
 *	  corral_engine_ready{engine,profile}		gauge, 1 if ready
 *	  corral_engine_uptime_seconds{engine,profile}	gauge, while it runs
 *
 *	Series are per engine (an operator launches a handful), never per
 *	request.
 */
#ifndef CORRAL_HTTP_METRICS_ENGINES_H
#define CORRAL_HTTP_METRICS_ENGINES_H

#include <cjson/cJSON.h>

#include "http_prom.h"

/* http_metrics_engines_render - the engines families */
void	http_metrics_engines_render(struct http_prom *p, const cJSON *list);

#endif
