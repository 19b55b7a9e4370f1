/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_view.h - show skill runs for people
 * SYNOPSIS
 *	#include "runs_view.h"
 *
 *	int	runs_view_table(FILE *fp, const cJSON *runs, time_t now);
 *	void	runs_view_counts(FILE *fp, const cJSON *counts);
 *	void	runs_view_detail(FILE *fp, const cJSON *run, time_t now);
 *	char	*runs_view_line(const cJSON *run, time_t now);
 *	int	runs_view_terminal(const char *state);
 *	char	*runs_view_duration(const cJSON *run, time_t now, char *buf,
 *		    size_t len);
 * DESCRIPTION
 *	The run objects are those of the API (docs/skills.md): id, skill,
 *	agent, route, model, state, created_at, started_at, ended_at,
 *	timeout_s, exit_code, signal, error, pid, sandbox, log_bytes, and
 *	input from GET /v1/runs/ID. Any member may be missing or null and
 *	shows as "-".
 *
 *	runs_view_table prints ID SKILL AGENT STATE CREATED DURATION EXIT,
 *	CREATED as "2026-11-25 23:10:00" (UTC), DURATION from started_at
 *	to ended_at (to now while the run has not ended), EXIT the exit
 *	code or the signal. -1 (nothing printed) if runs is not an array.
 *	runs_view_counts prints the counts of GET /v1/runs as one line,
 *	"3 queued, 1 running, 40 succeeded, 2 failed, 0 timed_out, 1
 *	canceled", or nothing if counts is not an object.
 *
 *	runs_view_detail prints one "key: value" line per member, the
 *	input as compact JSON.
 *
 *	runs_view_line is the one-line state of a run (the caller frees
 *	it, cleaned of control characters): "run 9f1c0d2e4b7a6c35
 *	succeeded (summarize with claude, exit 0, 41s)", with ": ERROR"
 *	after it when the run has an error.
 *
 *	runs_view_terminal says whether state is one a run ends in
 *	(succeeded, failed, timed_out, canceled). runs_view_duration
 *	writes the run's duration (4m12s), or "-" before it has started,
 *	into buf and returns it.
 */
#ifndef CORRAL_RUNS_VIEW_H
#define CORRAL_RUNS_VIEW_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>

/* runs_view_table - the runs table; -1 if not an array */
int	 runs_view_table(FILE *, const cJSON *, time_t);

/* runs_view_counts - "3 queued, 1 running, ..." or nothing */
void	 runs_view_counts(FILE *, const cJSON *);

/* runs_view_detail - one run as key: value lines */
void	 runs_view_detail(FILE *, const cJSON *, time_t);

/* runs_view_line - "run ID STATE (details)[: error]"; caller frees */
char	*runs_view_line(const cJSON *, time_t);

/* runs_view_terminal - 1 for succeeded, failed, timed_out, canceled */
int	 runs_view_terminal(const char *);

/* runs_view_duration - 4m12s, or "-" before the start; returns buf */
char	*runs_view_duration(const cJSON *, time_t, char *, size_t);

#endif
