/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_db.h - every run, in state_root/runs.db (SQLite)
 * SYNOPSIS
 *	struct runs_db *runs_db_open(const char *path, char *err,
 *		    size_t errlen);
 *	int	runs_db_insert(struct runs_db *db, struct run_rec *r);
 *	int	runs_db_start(struct runs_db *db, const char *id, int64_t now_ms,
 *		    pid_t pid, int64_t pid_start, const char *sandbox);
 *	int	runs_db_end(struct runs_db *db, const char *id, int state,
 *		    int64_t now_ms, int exit_code, int sig, const char *error);
 *	int	runs_db_get(struct runs_db *db, const char *id,
 *		    struct run_rec *out);
 *	int	runs_db_list(struct runs_db *db, int state, const char *skill,
 *		    int limit, cJSON *runs);
 *	int	runs_db_counts(struct runs_db *db, long counts[RUN_STATE_COUNT]);
 *	int	runs_db_each(struct runs_db *db, int state,
 *		    int (*fn)(const struct run_rec *, void *), void *arg);
 *	int	runs_db_ended_before(struct runs_db *db, int64_t cutoff_ms,
 *		    int limit, int (*fn)(const char *id, void *), void *arg);
 *	int	runs_db_delete(struct runs_db *db, const char *id);
 *	cJSON	*run_json(const struct run_rec *r, int with_input);
 *	void	run_rec_clear(struct run_rec *r);
 *	void	runs_db_close(struct runs_db *db);
 *	int	run_id_new(char id[RUN_ID_LEN + 1]);
 *	int	run_id_valid(const char *id);
 *	int64_t	run_now_ms(void);
 *	int	run_time_str(int64_t ms, char *buf, size_t len);
 * DESCRIPTION
 *	One table, runs, keyed by a sequence (submission order) and the
 *	run's id; indexes on state, skill and ended_ms. runs_db_open creates the file (0600)
 *	and the schema if missing, sets WAL and synchronous=NORMAL (a
 *	commit survives a crash of the process; docs/skills.md) and a busy
 *	timeout, and prepares every statement once. A file of an older
 *	schema version is brought up to date (version 1 lacks the index on
 *	ended_ms); a newer one is refused.
 *
 *	Each call is one transaction (runs_db_each: one per run it reads).
 *	A terminal state is never left: runs_db_start moves queued ->
 *	running only, runs_db_end moves queued or running -> a terminal
 *	state only (and clears the stored prompt, which only a run yet to
 *	start needs, and the pid). So a run reaches exactly one terminal
 *	state, once, whoever calls what.
 *
 *	runs_db_list appends run_json(r, 0) of the newest runs first (state
 *	-1: any; skill NULL: any; limit rows at most) to the array runs.
 *	runs_db_each calls fn for every run in state (-1: any), oldest
 *	first, until fn returns non-zero; the record is valid during the
 *	call only. fn may call any runs_db function (runs_db_end on the run
 *	it is given, say): no statement is open while it runs.
 *	runs_db_get fills out, which run_rec_clear frees; run_rec_clear
 *	leaves every field null (exit_code -1).
 *
 *	runs_db_ended_before calls fn with the id of each run in a
 *	terminal state that ended before cutoff_ms (ended_ms < cutoff_ms),
 *	the longest ended first (then by submission), limit runs at most
 *	(clamped to 10000), until fn returns non-zero. The ids are read
 *	first, so fn may call any runs_db function (runs_db_delete on its
 *	id, say); an id is as stored (the caller checks it with
 *	run_id_valid before it makes a path of it). runs_db_delete removes
 *	the row of the run id if it is in a terminal state (a queued or
 *	running run is never deleted).
 *
 *	run_json is the run object of docs/skills.md (times as RFC 3339 UTC
 *	with milliseconds; null where not set); with_input adds "input".
 *
 *	run_id_new makes a new run id: 16 lowercase hex digits of 64 bits
 *	from getrandom(2), NUL-terminated. run_id_valid says whether id is
 *	such an id (so it is safe in a path). run_now_ms is the time of day
 *	(CLOCK_REALTIME) in milliseconds since the epoch; run_time_str
 *	writes such a time as RFC 3339 UTC with milliseconds
 *	("2026-11-25T23:10:00.123Z", 25 bytes with the NUL).
 * DIAGNOSTICS
 *	open returns NULL with one line in err. insert, list, counts and
 *	each return 0, or -1 (logged with SQLite's message). ended_before
 *	returns how many runs fn was called for, or -1 (logged). start,
 *	end, get and delete return 0, 1 when the run is not in a state
 *	that allows it (or not there), or -1. run_id_new returns 0, or -1
 *	(logged) when no random bytes are to be had. run_time_str returns
 *	0, or -1 for a time <= 0 or a buf too small.
 */
#ifndef CORRAL_RUNS_DB_H
#define CORRAL_RUNS_DB_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define RUN_ID_LEN	16		/* lowercase hex digits */

enum run_state {
	RUN_QUEUED,
	RUN_RUNNING,
	RUN_SUCCEEDED,
	RUN_FAILED,
	RUN_TIMED_OUT,
	RUN_CANCELED,
	RUN_STATE_COUNT
};

struct run_rec {
	char	 id[RUN_ID_LEN + 1];
	int64_t	 seq;		/* submission order; set by insert */
	char	*skill;
	char	*agent;
	char	*route;		/* NULL: none */
	char	*model;		/* the route's model; NULL: none */
	int	 state;		/* enum run_state */
	char	*input;		/* JSON text of the input object */
	char	*prompt;	/* the agent's prompt; NULL once ended */
	int	 timeout_s;
	int64_t	 created_ms;	/* ms since the epoch; 0: null */
	int64_t	 started_ms;
	int64_t	 ended_ms;
	int	 exit_code;	/* -1: null */
	int	 sig;		/* 0: null */
	char	*error;		/* NULL: null */
	pid_t	 pid;		/* 0: null (only while running) */
	int64_t	 pid_start;	/* /proc/PID/stat starttime of pid */
	char	*sandbox;	/* "landlock", "basic"; NULL: null */
};

struct runs_db;

const char	*run_state_name(int state);
int		 run_state_lookup(const char *name);	/* -1: none */
int		 run_state_terminal(int state);

struct runs_db	*runs_db_open(const char *path, char *err, size_t errlen);
int	runs_db_insert(struct runs_db *db, struct run_rec *r);
int	runs_db_start(struct runs_db *db, const char *id, int64_t now_ms,
	    pid_t pid, int64_t pid_start, const char *sandbox);
int	runs_db_end(struct runs_db *db, const char *id, int state,
	    int64_t now_ms, int exit_code, int sig, const char *error);
int	runs_db_get(struct runs_db *db, const char *id, struct run_rec *out);
int	runs_db_list(struct runs_db *db, int state, const char *skill,
	    int limit, cJSON *runs);
int	runs_db_counts(struct runs_db *db, long counts[RUN_STATE_COUNT]);
int	runs_db_each(struct runs_db *db, int state,
	    int (*fn)(const struct run_rec *, void *), void *arg);
int	runs_db_ended_before(struct runs_db *db, int64_t cutoff_ms, int limit,
	    int (*fn)(const char *id, void *), void *arg);
int	runs_db_delete(struct runs_db *db, const char *id);
cJSON	*run_json(const struct run_rec *r, int with_input);
void	run_rec_clear(struct run_rec *r);
void	runs_db_close(struct runs_db *db);

int	run_id_new(char id[RUN_ID_LEN + 1]);
int	run_id_valid(const char *id);
int64_t	run_now_ms(void);
int	run_time_str(int64_t ms, char *buf, size_t len);

#endif
