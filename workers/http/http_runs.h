/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_runs.h - the run endpoints of the http worker
 * SYNOPSIS
 *	void	http_runs_submit(struct http_call *call);
 *	void	http_runs_list(struct http_call *call);
 *	void	http_runs_get(struct http_call *call);
 *	void	http_runs_logs(struct http_call *call);
 *	void	http_runs_cancel(struct http_call *call);
 *
 *	extern const char *const http_runs_states[HTTP_RUNS_NSTATES];
 *
 *	int	http_runs_id_ok(const char *id);
 *	int	http_runs_state_ok(const char *state);
 *	int	http_runs_skill_ok(const char *name);
 *	int	http_runs_limit(const char *s, long *n, const char **why);
 *	int	http_runs_tail(const char *s, long *lines, const char **why);
 *	int	http_runs_submit_body(const char *buf, size_t len, cJSON **in,
 *		    const char **why);
 * DESCRIPTION
 *	Route handlers for POST /v1/runs (MSG_RUN_SUBMIT), GET /v1/runs
 *	(MSG_RUN_LIST), GET /v1/runs/{id} (MSG_RUN_GET), GET
 *	/v1/runs/{id}/logs (MSG_RUN_LOGS) and POST /v1/runs/{id}/cancel
 *	(MSG_RUN_CANCEL); each asks the skills worker (PROC_SKILLS).
 *
 *	http_runs_states are the six states of a run, in the order of
 *	docs/skills.md (the /metrics family corral_runs writes them so).
 *
 *	The checks made before the bus, exported for the unit tests:
 *	http_runs_id_ok says whether id is a run's id (HTTP_RUNS_ID_LEN
 *	lowercase hex digits); http_runs_state_ok whether state is one of
 *	the six states of docs/skills.md; http_runs_skill_ok whether name
 *	can be a skill's name (1 to HTTP_SKILLS_NAME_MAX of a-z 0-9 . _ -,
 *	starting with a letter or a digit). http_runs_limit parses
 *	?limit= (1 to HTTP_RUNS_LIMIT_MAX) and http_runs_tail ?tail= (0 to
 *	HTTP_RUNS_TAIL_MAX lines, or "all": *lines -1): 0 and the value,
 *	or -1 and *why.
 *
 *	http_runs_submit_body is POST /v1/runs's check of its body: buf
 *	holds len bytes and a NUL after them (as http_wipe_take leaves
 *	it) and must be exactly one JSON object, no string of it holding
 *	\u0000. It returns 0 and the object in *in (the caller clears and
 *	deletes it: a run's input may hold credentials), or -1, *in NULL
 *	and *why; a tree it refuses is cleared before it is freed.
 */
#ifndef CORRAL_HTTP_RUNS_H
#define CORRAL_HTTP_RUNS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define HTTP_RUNS_ID_LEN	16	/* lowercase hex digits */
#define HTTP_RUNS_LIMIT_DEFAULT	100	/* runs listed */
#define HTTP_RUNS_LIMIT_MAX	1000
#define HTTP_RUNS_TAIL_DEFAULT	100	/* log lines */
#define HTTP_RUNS_TAIL_MAX	10000
#define HTTP_RUNS_NSTATES	6	/* queued ... canceled */

struct http_call;

/* the states of a run: queued, running, succeeded, failed, timed_out,
 * canceled */
extern const char *const http_runs_states[HTTP_RUNS_NSTATES];

/* http_runs_submit - POST /v1/runs */
void	http_runs_submit(struct http_call *call);

/* http_runs_list - GET /v1/runs?state=S&skill=K&limit=N */
void	http_runs_list(struct http_call *call);

/* http_runs_get - GET /v1/runs/{id} */
void	http_runs_get(struct http_call *call);

/* http_runs_logs - GET /v1/runs/{id}/logs?tail=N */
void	http_runs_logs(struct http_call *call);

/* http_runs_cancel - POST /v1/runs/{id}/cancel */
void	http_runs_cancel(struct http_call *call);

/* http_runs_id_ok - 1 for 16 lowercase hex digits */
int	http_runs_id_ok(const char *id);

/* http_runs_state_ok - 1 for queued, running, succeeded, failed,
 * timed_out or canceled */
int	http_runs_state_ok(const char *state);

/* http_runs_skill_ok - 1 for what can be a skill's name */
int	http_runs_skill_ok(const char *name);

/* http_runs_limit - "100" as 100 (1..1000): 0, or -1 and why */
int	http_runs_limit(const char *s, long *n, const char **why);

/* http_runs_tail - "100" or "all" (-1): 0, or -1 and why */
int	http_runs_tail(const char *s, long *lines, const char **why);

/* http_runs_submit_body - buf (len bytes, then a NUL) as one JSON
 * object: 0 and *in, or -1, *in NULL and why */
int	http_runs_submit_body(const char *buf, size_t len, cJSON **in,
	    const char **why);

#endif
