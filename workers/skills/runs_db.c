/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_db - every run, in state_root/runs.db (SQLite)
 * SYNOPSIS
 *	#include "runs_db.h"
 * DESCRIPTION
 *	See runs_db.h. The file holds one table, runs, with an index on
 *	(state, seq) for the queue and the state filter, one on (skill,
 *	seq) for the skill filter and one on ended_ms for the retention
 *	(runs_db_prune.c); PRAGMA user_version is the schema's version
 *	(RUNS_DB_VERSION). The schema is all CREATE ... IF NOT EXISTS, so
 *	one script makes a new file and brings an older one up to date
 *	(version 1 to 2: the index on ended_ms). The large columns (input,
 *	prompt) come last so a row's small ones sit in its first page;
 *	runs_db_list does not read them at all.
 *
 *	Every statement is prepared once (SQLITE_PREPARE_PERSISTENT), runs
 *	in autocommit (so each call is one transaction) and is reset before
 *	the call returns, so no statement is left open between calls.
 *	runs_db_each reads one row per statement (seq > the last one seen),
 *	so fn may call any function here, runs_db_each included. The SQL
 *	of every statement is here, runs_db_prune.c's too (runs_db_priv.h);
 *	the parts of runs_db.h that need no database are in run.c.
 * DIAGNOSTICS
 *	SQLite's errors are logged with log_warnx and its message, and the
 *	call returns -1. A row with NULL where a value belongs reads as
 *	NULL, 0 or "" rather than crashing.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "xmalloc.h"

#include "runs_db.h"
#include "runs_db_priv.h"

#define RUNS_DB_VERSION		2	/* PRAGMA user_version */
#define RUNS_DB_STR(x)		#x
#define RUNS_DB_XSTR(x)		RUNS_DB_STR(x)
#define RUNS_DB_BUSY_MS		5000
#define RUNS_DB_LIST_MAX	1000

/* the SQL below writes queued as 0, running as 1, the terminal states as
 * 2 to 5 */
_Static_assert(RUN_QUEUED == 0 && RUN_RUNNING == 1 && RUN_SUCCEEDED == 2 &&
    RUN_STATE_COUNT == 6, "run states in SQL");

static const char runs_db_schema[] =
	"BEGIN IMMEDIATE;"
	"CREATE TABLE IF NOT EXISTS runs ("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" id TEXT NOT NULL UNIQUE,"
	" skill TEXT NOT NULL,"
	" agent TEXT NOT NULL,"
	" route TEXT,"
	" model TEXT,"
	" state INTEGER NOT NULL,"
	" timeout_s INTEGER NOT NULL,"
	" created_ms INTEGER,"
	" started_ms INTEGER,"
	" ended_ms INTEGER,"
	" exit_code INTEGER,"
	" sig INTEGER,"
	" error TEXT,"
	" pid INTEGER,"
	" pid_start INTEGER,"
	" sandbox TEXT,"
	" input TEXT NOT NULL,"
	" prompt TEXT);"
	"CREATE INDEX IF NOT EXISTS runs_state ON runs (state, seq);"
	"CREATE INDEX IF NOT EXISTS runs_skill ON runs (skill, seq);"
	"CREATE INDEX IF NOT EXISTS runs_ended ON runs (ended_ms);"
	"PRAGMA user_version = " RUNS_DB_XSTR(RUNS_DB_VERSION) ";"
	"COMMIT;";

/* the columns every SELECT reads, in the order of enum runs_db_col */
#define RUNS_DB_COLS_SMALL "seq, id, skill, agent, route, model, state, " \
	"timeout_s, created_ms, started_ms, ended_ms, exit_code, sig, " \
	"error, pid, pid_start, sandbox"
#define RUNS_DB_COLS	RUNS_DB_COLS_SMALL ", input, prompt"
#define RUNS_DB_COLS_LIST RUNS_DB_COLS_SMALL ", NULL, NULL"
#define RUNS_DB_LIST(where) "SELECT " RUNS_DB_COLS_LIST " FROM runs " \
	where " ORDER BY seq DESC LIMIT ?3"
#define RUNS_DB_EACH(where) "SELECT " RUNS_DB_COLS " FROM runs WHERE " \
	where "seq > ?2 ORDER BY seq LIMIT 1"

enum runs_db_col {
	COL_SEQ, COL_ID, COL_SKILL, COL_AGENT, COL_ROUTE, COL_MODEL,
	COL_STATE, COL_TIMEOUT, COL_CREATED, COL_STARTED, COL_ENDED,
	COL_EXIT, COL_SIG, COL_ERROR, COL_PID, COL_PID_START, COL_SANDBOX,
	COL_INPUT, COL_PROMPT
};

static const char *const runs_db_sql[RS_COUNT] = {
	[RS_INSERT] = "INSERT INTO runs (id, skill, agent, route, model, "
	    "state, timeout_s, created_ms, started_ms, ended_ms, exit_code, "
	    "sig, error, pid, pid_start, sandbox, input, prompt) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "?15, ?16, ?17, ?18)",
	[RS_START] = "UPDATE runs SET state = 1, started_ms = ?2, pid = ?3, "
	    "pid_start = ?4, sandbox = ?5 WHERE id = ?1 AND state = 0",
	[RS_END] = "UPDATE runs SET state = ?2, ended_ms = ?3, exit_code = ?4, "
	    "sig = ?5, error = ?6, pid = NULL, pid_start = NULL, "
	    "prompt = NULL WHERE id = ?1 AND state IN (0, 1)",
	[RS_GET] = "SELECT " RUNS_DB_COLS " FROM runs WHERE id = ?1",
	[RS_LIST] = RUNS_DB_LIST(""),
	[RS_LIST_STATE] = RUNS_DB_LIST("WHERE state = ?1"),
	[RS_LIST_SKILL] = RUNS_DB_LIST("WHERE skill = ?2"),
	[RS_LIST_BOTH] = RUNS_DB_LIST("WHERE state = ?1 AND skill = ?2"),
	[RS_COUNTS] = "SELECT state, count(*) FROM runs GROUP BY state",
	[RS_EACH] = RUNS_DB_EACH(""),
	[RS_EACH_STATE] = RUNS_DB_EACH("state = ?1 AND "),
	/* runs_db_prune.c; by the index on ended_ms, which gives the order
	 * too (the rowid is seq): "+state" keeps the planner off the index
	 * on state, which would read every ended run and sort them */
	[RS_ENDED_BEFORE] = "SELECT id FROM runs WHERE ended_ms < ?1 AND "
	    "+state BETWEEN 2 AND 5 ORDER BY ended_ms, seq LIMIT ?2",
	[RS_DELETE] = "DELETE FROM runs WHERE id = ?1 AND "
	    "state BETWEEN 2 AND 5",
};

/* runs_db_warn - log SQLite's message for what; -1 */
int
runs_db_warn(struct runs_db *db, const char *what, const char *id)
{
	log_warnx("%s: %s%s%s: %s", db->path, what, id != NULL ? " " : "",
	    id != NULL ? id : "", sqlite3_errmsg(db->db));
	return (-1);
}

/* runs_db_done - reset st and drop its bindings for the next call */
void
runs_db_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* runs_db_bind_text - bind s, or NULL */
static int
runs_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return (sqlite3_bind_null(st, i));
	return (sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC));
}

/* runs_db_bind_opt - bind v, or NULL when v is the field's null value */
static int
runs_db_bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t null)
{
	if (v == null)
		return (sqlite3_bind_null(st, i));
	return (sqlite3_bind_int64(st, i, v));
}

/* runs_db_text - a text column, copied; NULL for NULL */
static char *
runs_db_text(sqlite3_stmt *st, int col)
{
	return (xstrdup((const char *)sqlite3_column_text(st, col)));
}

/* runs_db_int - an integer column; null for NULL */
static int64_t
runs_db_int(sqlite3_stmt *st, int col, int64_t null)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return (null);
	return (sqlite3_column_int64(st, col));
}

/* runs_db_row - the current row of st into r (run_rec_clear frees it) */
static void
runs_db_row(sqlite3_stmt *st, struct run_rec *r)
{
	const char	*id;

	run_rec_clear(r);
	r->seq = runs_db_int(st, COL_SEQ, 0);
	if ((id = (const char *)sqlite3_column_text(st, COL_ID)) != NULL)
		snprintf(r->id, sizeof(r->id), "%s", id);
	r->skill = runs_db_text(st, COL_SKILL);
	r->agent = runs_db_text(st, COL_AGENT);
	r->route = runs_db_text(st, COL_ROUTE);
	r->model = runs_db_text(st, COL_MODEL);
	r->state = (int)runs_db_int(st, COL_STATE, -1);
	r->timeout_s = (int)runs_db_int(st, COL_TIMEOUT, 0);
	r->created_ms = runs_db_int(st, COL_CREATED, 0);
	r->started_ms = runs_db_int(st, COL_STARTED, 0);
	r->ended_ms = runs_db_int(st, COL_ENDED, 0);
	r->exit_code = (int)runs_db_int(st, COL_EXIT, -1);
	r->sig = (int)runs_db_int(st, COL_SIG, 0);
	r->error = runs_db_text(st, COL_ERROR);
	r->pid = (pid_t)runs_db_int(st, COL_PID, 0);
	r->pid_start = runs_db_int(st, COL_PID_START, 0);
	r->sandbox = runs_db_text(st, COL_SANDBOX);
	r->input = runs_db_text(st, COL_INPUT);
	r->prompt = runs_db_text(st, COL_PROMPT);
}

/* runs_db_create - make path if missing, 0600, a regular file; 0 or -1 */
static int
runs_db_create(const char *path, char *err, size_t errlen)
{
	struct stat	 sb;
	int		 fd;

	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
	    0600);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/* runs_db_pragma - run a one-row PRAGMA; its text in buf; 0 or -1 */
static int
runs_db_pragma(sqlite3 *h, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt	*st;
	const char	*v;
	int		 rc;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return (-1);
	rc = sqlite3_step(st);
	v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	snprintf(buf, len, "%s", v != NULL ? v : "");
	sqlite3_finalize(st);
	return (rc == SQLITE_ROW ? 0 : -1);
}

/* runs_db_setup - WAL, sync, the schema and the statements; 0 or -1 */
static int
runs_db_setup(struct runs_db *db, char *err, size_t errlen)
{
	sqlite3	*h = db->db;
	char	 mode[32], version[32];
	long	 v;
	int	 i;

	sqlite3_busy_timeout(h, RUNS_DB_BUSY_MS);
	sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (runs_db_pragma(h, "PRAGMA journal_mode = WAL", mode,
	    sizeof(mode)) == -1)
		goto sqlerr;
	if (strcmp(mode, "wal") != 0) {
		snprintf(err, errlen, "%s: cannot use WAL (journal_mode is "
		    "\"%s\")", db->path, mode);
		return (-1);
	}
	if (sqlite3_exec(h, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = OFF;", NULL, NULL, NULL) != SQLITE_OK ||
	    runs_db_pragma(h, "PRAGMA user_version", version,
	    sizeof(version)) == -1)
		goto sqlerr;
	v = strtol(version, NULL, 10);
	if (v > RUNS_DB_VERSION) {
		snprintf(err, errlen, "%s: schema version %ld is newer than "
		    "this corral knows (%d); run a newer corral or move the "
		    "file away", db->path, v, RUNS_DB_VERSION);
		return (-1);
	}
	if (v < RUNS_DB_VERSION && sqlite3_exec(h, runs_db_schema, NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot %s the schema: %s",
		    db->path, v > 0 ? "update" : "create", sqlite3_errmsg(h));
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		return (-1);
	}
	if (v > 0 && v < RUNS_DB_VERSION)
		log_info("%s: schema version %ld updated to %d", db->path, v,
		    RUNS_DB_VERSION);
	for (i = 0; i < RS_COUNT; i++)
		if (sqlite3_prepare_v3(h, runs_db_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &db->st[i], NULL) != SQLITE_OK)
			goto sqlerr;
	return (0);
sqlerr:
	snprintf(err, errlen, "%s: %s", db->path, sqlite3_errmsg(h));
	return (-1);
}

/* runs_db_open - open (or create) the runs database at path */
struct runs_db *
runs_db_open(const char *path, char *err, size_t errlen)
{
	struct runs_db	*db;
	int		 rc;

	if (runs_db_create(path, err, errlen) == -1)
		return (NULL);
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->db != NULL ?
		    sqlite3_errmsg(db->db) : sqlite3_errstr(rc));
		runs_db_close(db);
		return (NULL);
	}
	if (runs_db_setup(db, err, errlen) == -1) {
		runs_db_close(db);
		return (NULL);
	}
	return (db);
}

/* runs_db_close - finalize every statement and close the file */
void
runs_db_close(struct runs_db *db)
{
	int	 i;

	if (db == NULL)
		return;
	for (i = 0; i < RS_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	if (db->db != NULL && sqlite3_close(db->db) != SQLITE_OK)
		log_warnx("%s: close: %s", db->path, sqlite3_errmsg(db->db));
	free(db->path);
	free(db);
}

/* runs_db_insert - add r (a new id); r->seq gets its sequence */
int
runs_db_insert(struct runs_db *db, struct run_rec *r)
{
	sqlite3_stmt	*st = db->st[RS_INSERT];
	int		 rc;

	if (!run_id_valid(r->id) || r->state < 0 ||
	    r->state >= RUN_STATE_COUNT) {
		log_warnx("%s: insert: bad run (id '%s', state %d)", db->path,
		    r->id, r->state);
		return (-1);
	}
	rc = runs_db_bind_text(st, 1, r->id) |
	    runs_db_bind_text(st, 2, r->skill) |
	    runs_db_bind_text(st, 3, r->agent) |
	    runs_db_bind_text(st, 4, r->route) |
	    runs_db_bind_text(st, 5, r->model) |
	    sqlite3_bind_int(st, 6, r->state) |
	    sqlite3_bind_int(st, 7, r->timeout_s) |
	    runs_db_bind_opt(st, 8, r->created_ms, 0) |
	    runs_db_bind_opt(st, 9, r->started_ms, 0) |
	    runs_db_bind_opt(st, 10, r->ended_ms, 0) |
	    runs_db_bind_opt(st, 11, r->exit_code, -1) |
	    runs_db_bind_opt(st, 12, r->sig, 0) |
	    runs_db_bind_text(st, 13, r->error) |
	    runs_db_bind_opt(st, 14, r->pid, 0) |
	    runs_db_bind_opt(st, 15, r->pid_start, 0) |
	    runs_db_bind_text(st, 16, r->sandbox) |
	    runs_db_bind_text(st, 17, r->input != NULL ? r->input : "{}") |
	    runs_db_bind_text(st, 18, r->prompt);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		runs_db_warn(db, "insert", r->id);
		runs_db_done(st);
		return (-1);
	}
	r->seq = sqlite3_last_insert_rowid(db->db);
	runs_db_done(st);
	return (0);
}

/* runs_db_update - step an UPDATE or DELETE; 0 if it changed a row, 1 if
 * none, -1 */
int
runs_db_update(struct runs_db *db, sqlite3_stmt *st, int bind_rc,
    const char *what, const char *id)
{
	int	 changed;

	if (bind_rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		runs_db_warn(db, what, id);
		runs_db_done(st);
		return (-1);
	}
	changed = sqlite3_changes(db->db);
	runs_db_done(st);
	return (changed > 0 ? 0 : 1);
}

/* runs_db_start - queued -> running, with its pid and sandbox */
int
runs_db_start(struct runs_db *db, const char *id, int64_t now_ms, pid_t pid,
    int64_t pid_start, const char *sandbox)
{
	sqlite3_stmt	*st = db->st[RS_START];
	int		 rc;

	rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) |
	    runs_db_bind_opt(st, 2, now_ms, 0) |
	    runs_db_bind_opt(st, 3, pid, 0) |
	    runs_db_bind_opt(st, 4, pid_start, 0) |
	    runs_db_bind_text(st, 5, sandbox);
	return (runs_db_update(db, st, rc, "start", id));
}

/* runs_db_end - queued or running -> the terminal state */
int
runs_db_end(struct runs_db *db, const char *id, int state, int64_t now_ms,
    int exit_code, int sig, const char *error)
{
	sqlite3_stmt	*st = db->st[RS_END];
	int		 rc;

	if (!run_state_terminal(state)) {
		log_warnx("%s: end %s: %d is not a terminal state", db->path,
		    id, state);
		return (-1);
	}
	rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) |
	    sqlite3_bind_int(st, 2, state) |
	    runs_db_bind_opt(st, 3, now_ms, 0) |
	    runs_db_bind_opt(st, 4, exit_code, -1) |
	    runs_db_bind_opt(st, 5, sig, 0) |
	    runs_db_bind_text(st, 6, error);
	return (runs_db_update(db, st, rc, "end", id));
}

/* runs_db_get - the run id into out; 1 if there is none */
int
runs_db_get(struct runs_db *db, const char *id, struct run_rec *out)
{
	sqlite3_stmt	*st = db->st[RS_GET];
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		runs_db_row(st, out);
	else if (rc != SQLITE_DONE)
		runs_db_warn(db, "get", id);
	runs_db_done(st);
	if (rc == SQLITE_ROW)
		return (0);
	run_rec_clear(out);
	return (rc == SQLITE_DONE ? 1 : -1);
}

/* runs_db_list - append the newest runs (in state, of skill) to runs */
int
runs_db_list(struct runs_db *db, int state, const char *skill, int limit,
    cJSON *runs)
{
	struct run_rec	 r;
	sqlite3_stmt	*st;
	int		 rc;

	if (limit <= 0)
		return (0);
	if (limit > RUNS_DB_LIST_MAX)
		limit = RUNS_DB_LIST_MAX;
	if (state >= 0)
		st = db->st[skill != NULL ? RS_LIST_BOTH : RS_LIST_STATE];
	else
		st = db->st[skill != NULL ? RS_LIST_SKILL : RS_LIST];
	memset(&r, 0, sizeof(r));
	rc = sqlite3_bind_int(st, 1, state) | runs_db_bind_text(st, 2, skill) |
	    sqlite3_bind_int(st, 3, limit);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			runs_db_row(st, &r);
			cJSON_AddItemToArray(runs, run_json(&r, 0));
		}
	}
	run_rec_clear(&r);
	if (rc != SQLITE_DONE) {
		runs_db_warn(db, "list", NULL);
		runs_db_done(st);
		return (-1);
	}
	runs_db_done(st);
	return (0);
}

/* runs_db_counts - how many runs are in each state */
int
runs_db_counts(struct runs_db *db, long counts[RUN_STATE_COUNT])
{
	sqlite3_stmt	*st = db->st[RS_COUNTS];
	int64_t		 state;
	int		 rc;

	memset(counts, 0, RUN_STATE_COUNT * sizeof(counts[0]));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		state = runs_db_int(st, 0, -1);
		if (state >= 0 && state < RUN_STATE_COUNT)
			counts[state] = (long)sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE) {
		runs_db_warn(db, "counts", NULL);
		runs_db_done(st);
		return (-1);
	}
	runs_db_done(st);
	return (0);
}

/* runs_db_each - fn for each run in state (-1: any), oldest first */
int
runs_db_each(struct runs_db *db, int state,
    int (*fn)(const struct run_rec *, void *), void *arg)
{
	struct run_rec	 r;
	sqlite3_stmt	*st;
	int64_t		 after = 0;
	int		 rc, stop;

	if (state < -1 || state >= RUN_STATE_COUNT) {
		log_warnx("%s: each: %d is not a run state", db->path, state);
		return (-1);
	}
	st = db->st[state >= 0 ? RS_EACH_STATE : RS_EACH];
	memset(&r, 0, sizeof(r));
	for (;;) {
		/* statement reset before fn runs: fn may use db freely */
		rc = sqlite3_bind_int(st, 1, state) |
		    sqlite3_bind_int64(st, 2, after);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE)
				runs_db_warn(db, "each", NULL);
			runs_db_done(st);
			return (rc == SQLITE_DONE ? 0 : -1);
		}
		runs_db_row(st, &r);
		runs_db_done(st);
		after = r.seq;
		stop = fn(&r, arg);
		run_rec_clear(&r);
		if (stop)
			return (0);
	}
}
