/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	run - one run's record: its states, its id, its JSON
 * SYNOPSIS
 *	#include "runs_db.h"
 * DESCRIPTION
 *	The parts of runs_db.h that need no database: the state names
 *	(queued, running, succeeded, failed, timed_out, canceled), new
 *	ids, the time of day in milliseconds and as text, and run_json,
 *	the run object of docs/skills.md. "log_bytes" is not known here:
 *	the worker adds it. The stored prompt never goes into JSON.
 * DIAGNOSTICS
 *	run_id_new logs when getrandom(2) fails. run_json logs a stored
 *	input that does not parse and gives "input": null.
 */
#include <sys/random.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#include "runs_db.h"

static const char *const run_state_names[RUN_STATE_COUNT] = {
	[RUN_QUEUED] = "queued",
	[RUN_RUNNING] = "running",
	[RUN_SUCCEEDED] = "succeeded",
	[RUN_FAILED] = "failed",
	[RUN_TIMED_OUT] = "timed_out",
	[RUN_CANCELED] = "canceled",
};

/* run_state_name - a state's name; "unknown" for no state */
const char *
run_state_name(int state)
{
	if (state < 0 || state >= RUN_STATE_COUNT)
		return ("unknown");
	return (run_state_names[state]);
}

/* run_state_lookup - the state called name; -1 if none */
int
run_state_lookup(const char *name)
{
	int	 i;

	for (i = 0; name != NULL && i < RUN_STATE_COUNT; i++)
		if (strcmp(name, run_state_names[i]) == 0)
			return (i);
	return (-1);
}

/* run_state_terminal - 1 if a run in state has ended */
int
run_state_terminal(int state)
{
	return (state >= RUN_SUCCEEDED && state < RUN_STATE_COUNT);
}

/* run_rec_clear - free r's strings; every field null (exit_code -1) */
void
run_rec_clear(struct run_rec *r)
{
	free(r->skill);
	free(r->agent);
	free(r->route);
	free(r->model);
	free(r->input);
	free(r->prompt);
	free(r->error);
	free(r->sandbox);
	memset(r, 0, sizeof(*r));
	r->exit_code = -1;
}

/* run_id_new - 16 lowercase hex digits of 64 random bits; 0 or -1 */
int
run_id_new(char id[RUN_ID_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 raw[RUN_ID_LEN / 2];
	ssize_t			 n;
	size_t			 i;

	while ((n = getrandom(raw, sizeof(raw), 0)) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(raw)) {
		log_warn("run id: getrandom");
		id[0] = '\0';
		return (-1);
	}
	for (i = 0; i < sizeof(raw); i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 0xf];
	}
	id[RUN_ID_LEN] = '\0';
	return (0);
}

/* run_id_valid - 1 if id is 16 lowercase hex digits */
int
run_id_valid(const char *id)
{
	return (id != NULL && strlen(id) == RUN_ID_LEN &&
	    strspn(id, "0123456789abcdef") == RUN_ID_LEN);
}

/* run_now_ms - the time of day in milliseconds since the epoch */
int64_t
run_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* run_json_str - key: s, or null */
static void
run_json_str(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* run_json_num - key: v, or null when v is null */
static void
run_json_num(cJSON *o, const char *key, int64_t v, int64_t null)
{
	if (v != null)
		cJSON_AddNumberToObject(o, key, (double)v);
	else
		cJSON_AddNullToObject(o, key);
}

/* run_time_str - ms as "2026-11-25T23:10:00.123Z" (UTC) in buf; 0, or
 * -1 if ms <= 0 or it does not fit */
int
run_time_str(int64_t ms, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t;
	size_t		 n;

	t = (time_t)(ms / 1000);
	if (ms <= 0 || gmtime_r(&t, &tm) == NULL ||
	    (n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) == 0 ||
	    snprintf(buf + n, len - n, ".%03dZ", (int)(ms % 1000)) >=
	    (int)(len - n))
		return (-1);
	return (0);
}

/* run_json_time - key: the time ms (run_time_str), or null if ms <= 0 */
static void
run_json_time(cJSON *o, const char *key, int64_t ms)
{
	char	 buf[64];

	if (run_time_str(ms, buf, sizeof(buf)) == -1)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, buf);
}

/* run_json_signal - "signal": "SIGKILL", or null for 0 */
static void
run_json_signal(cJSON *o, int sig)
{
	const char	*abbrev;
	char		 buf[32];

	if (sig <= 0) {
		cJSON_AddNullToObject(o, "signal");
		return;
	}
	if ((abbrev = sigabbrev_np(sig)) != NULL)
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, sizeof(buf), "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, sizeof(buf), "SIG%d", sig);
	cJSON_AddStringToObject(o, "signal", buf);
}

/* run_json_input - "input": the stored input, parsed back */
static void
run_json_input(cJSON *o, const struct run_rec *r)
{
	cJSON	*in;

	in = r->input != NULL ? cJSON_ParseWithOpts(r->input, NULL, 1) : NULL;
	if (in == NULL) {
		if (r->input != NULL)
			log_warnx("run %s: stored input does not parse", r->id);
		in = cJSON_CreateNull();
	}
	cJSON_AddItemToObject(o, "input", in);
}

/* run_json - the run object of docs/skills.md; with_input adds "input" */
cJSON *
run_json(const struct run_rec *r, int with_input)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", r->id);
	run_json_str(o, "skill", r->skill);
	run_json_str(o, "agent", r->agent);
	run_json_str(o, "route", r->route);
	run_json_str(o, "model", r->model);
	cJSON_AddStringToObject(o, "state", run_state_name(r->state));
	run_json_time(o, "created_at", r->created_ms);
	run_json_time(o, "started_at", r->started_ms);
	run_json_time(o, "ended_at", r->ended_ms);
	cJSON_AddNumberToObject(o, "timeout_s", r->timeout_s);
	run_json_num(o, "exit_code", r->exit_code, -1);
	run_json_signal(o, r->sig);
	run_json_str(o, "error", r->error);
	run_json_num(o, "pid", r->pid, 0);
	run_json_str(o, "sandbox", r->sandbox);
	if (with_input)
		run_json_input(o, r);
	return (o);
}
