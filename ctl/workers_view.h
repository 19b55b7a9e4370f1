/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	workers_view.h - show corral workers as a table or as one record
 * SYNOPSIS
 *	#include "workers_view.h"
 *
 *	int	workers_view_table(FILE *fp, const cJSON *workers);
 *	void	workers_view_detail(FILE *fp, const cJSON *worker);
 * DESCRIPTION
 *	Both take the worker objects of the API (GET /v1/workers,
 *	/v1/workers/NAME, /v1/runtime): name, id, enabled, state, pid,
 *	restarts, uptime_s, throttled, next_start_in_s, last_exit,
 *	restart_policy.
 *
 *	workers_view_table prints the columns NAME STATE PID RESTARTS
 *	UPTIME, and LAST EXIT when any worker has one. A pid of 0 and an
 *	uptime of 0 print as "-". It returns -1 (printing nothing) when
 *	workers is not an array.
 *
 *	workers_view_detail prints one "key: value" line per field, known
 *	fields first in a fixed order, then any field this client does not
 *	know, so a newer server still shows everything.
 */
#ifndef CORRAL_WORKERS_VIEW_H
#define CORRAL_WORKERS_VIEW_H

#include <stdio.h>

#include <cjson/cJSON.h>

/* workers_view_table - the workers table; -1 if not an array */
int	workers_view_table(FILE *, const cJSON *);

/* workers_view_detail - one worker as key: value lines */
void	workers_view_detail(FILE *, const cJSON *);

#endif
