/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_runs_db - unit tests for the run store
 *	(workers/skills/runs_db.c)
 * SYNOPSIS
 *	Suite	*runs_db_suite(void);
 * DESCRIPTION
 *	Real SQLite files in a fresh mkdtemp directory per test: the mode
 *	of a new file, every field through insert and get (NULLs checked
 *	in SQL too), the one-way state moves (start from queued only, end
 *	from queued or running only, once), list order, filters and limits,
 *	counts, each (order, early stop, a callback that writes), reopen,
 *	files that are not ours, and 10,000 runs through insert, each,
 *	counts and a clamped list. The suite also holds the tests of
 *	check_run.c (run.c), check_run_log.c (run_log.c) and
 *	check_skill_prune.c (runs_db_prune.c, skill_prune.c, the schema
 *	update).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "xmalloc.h"

#include "runs_db.h"

Suite	*runs_db_suite(void);
void	 run_tcases(Suite *);		/* check_run.c */
void	 run_log_tcases(Suite *);	/* check_run_log.c */
void	 skill_prune_tcases(Suite *);	/* check_skill_prune.c */

/* 2026-11-25T23:10:00.123Z */
#define T0	(1795648200LL * 1000 + 123)

static char	rdb_dir[64];
static char	rdb_path[128];

/* rdb_setup - a fresh directory for the test */
static void
rdb_setup(void)
{
	snprintf(rdb_dir, sizeof(rdb_dir), "/tmp/corral-runs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(rdb_dir));
	snprintf(rdb_path, sizeof(rdb_path), "%s/runs.db", rdb_dir);
}

/* rdb_teardown - remove the directory and what the test left in it */
static void
rdb_teardown(void)
{
	char		 path[512];
	struct dirent	*de;
	DIR		*dp;

	if ((dp = opendir(rdb_dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", rdb_dir, de->d_name);
		if (unlink(path) == -1 && errno == EISDIR)
			rmdir(path);
	}
	closedir(dp);
	rmdir(rdb_dir);
}

/* rdb_open - open rdb_path or fail the test */
static struct runs_db *
rdb_open(void)
{
	struct runs_db	*db;
	char		 err[512] = "";

	db = runs_db_open(rdb_path, err, sizeof(err));
	ck_assert_msg(db != NULL, "runs_db_open: got '%s', want a db", err);
	return (db);
}

/* rdb_id - the id of run n: n in 16 hex digits */
static void
rdb_id(char id[RUN_ID_LEN + 1], unsigned n)
{
	snprintf(id, RUN_ID_LEN + 1, "%016x", n);
}

/* rdb_new - a queued run n of skill (the caller clears it) */
static void
rdb_new(struct run_rec *r, unsigned n, const char *skill)
{
	run_rec_clear(r);
	rdb_id(r->id, n);
	r->skill = xstrdup(skill);
	r->agent = xstrdup("claude");
	r->input = xstrdup("{\"text\":\"hi\"}");
	r->prompt = xstrdup("do it");
	r->timeout_s = 600;
	r->created_ms = T0 + n;
	r->state = RUN_QUEUED;
}

/* rdb_add - insert run n of skill, queued */
static void
rdb_add(struct runs_db *db, unsigned n, const char *skill)
{
	struct run_rec	 r = { .exit_code = -1 };

	rdb_new(&r, n, skill);
	ck_assert_int_eq(runs_db_insert(db, &r), 0);
	ck_assert_int_gt(r.seq, 0);
	run_rec_clear(&r);
}

/* rdb_get - runs_db_get into r, freeing what r held first */
static int
rdb_get(struct runs_db *db, const char *id, struct run_rec *r)
{
	run_rec_clear(r);
	return (runs_db_get(db, id, r));
}

/* rdb_sql_int - one integer from SQL on rdb_path, by a second connection */
static long long
rdb_sql_int(const char *sql)
{
	sqlite3_stmt	*st;
	sqlite3		*h;
	long long	 v;

	ck_assert_int_eq(sqlite3_open(rdb_path, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return (v);
}

/* rdb_same - every field of got equals want */
static void
rdb_same(const struct run_rec *got, const struct run_rec *want)
{
	ck_assert_str_eq(got->id, want->id);
	ck_assert_int_eq(got->seq, want->seq);
	ck_assert_pstr_eq(got->skill, want->skill);
	ck_assert_pstr_eq(got->agent, want->agent);
	ck_assert_pstr_eq(got->route, want->route);
	ck_assert_pstr_eq(got->model, want->model);
	ck_assert_int_eq(got->state, want->state);
	ck_assert_pstr_eq(got->prompt, want->prompt);
	ck_assert_int_eq(got->timeout_s, want->timeout_s);
	ck_assert_int_eq(got->created_ms, want->created_ms);
	ck_assert_int_eq(got->started_ms, want->started_ms);
	ck_assert_int_eq(got->ended_ms, want->ended_ms);
	ck_assert_int_eq(got->exit_code, want->exit_code);
	ck_assert_int_eq(got->sig, want->sig);
	ck_assert_pstr_eq(got->error, want->error);
	ck_assert_int_eq(got->pid, want->pid);
	ck_assert_int_eq(got->pid_start, want->pid_start);
	ck_assert_pstr_eq(got->sandbox, want->sandbox);
}

START_TEST(test_mode)
{
	struct runs_db	*db;
	struct stat	 sb;
	char		 wal[160];

	db = rdb_open();
	ck_assert_int_eq(stat(rdb_path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	rdb_add(db, 1, "a");
	snprintf(wal, sizeof(wal), "%s-wal", rdb_path);
	ck_assert_int_eq(stat(wal, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	runs_db_close(db);
}
END_TEST

START_TEST(test_round_trip)
{
	struct run_rec	 full = { .exit_code = -1 };
	struct run_rec	 bare = { .exit_code = -1 };
	struct run_rec	 got = { .exit_code = -1 };
	struct runs_db	*db = rdb_open();

	rdb_new(&full, 0xa1, "summarize");
	full.route = xstrdup("gpt-4o");
	full.model = xstrdup("gpt-4o-mini");
	full.state = RUN_TIMED_OUT;
	full.timeout_s = 77;
	full.started_ms = T0 + 7;
	full.ended_ms = T0 + 41379;
	full.exit_code = 3;
	full.sig = 9;
	full.error = xstrdup("ran past its timeout");
	full.pid = 4242;
	full.pid_start = 123456789012LL;
	full.sandbox = xstrdup("landlock");
	ck_assert_int_eq(runs_db_insert(db, &full), 0);
	ck_assert_int_eq(rdb_get(db, full.id, &got), 0);
	rdb_same(&got, &full);
	ck_assert_str_eq(got.input, full.input);

	/* every field that may be null, null; input defaults to {} */
	rdb_id(bare.id, 0xb2);
	bare.skill = xstrdup("s");
	bare.agent = xstrdup("codex");
	ck_assert_int_eq(runs_db_insert(db, &bare), 0);
	ck_assert_int_eq(bare.seq, full.seq + 1);
	ck_assert_int_eq(rdb_get(db, bare.id, &got), 0);
	rdb_same(&got, &bare);
	ck_assert_str_eq(got.input, "{}");
	ck_assert_int_eq(rdb_sql_int("SELECT count(*) FROM runs WHERE "
	    "route IS NULL AND model IS NULL AND prompt IS NULL AND created_ms "
	    "IS NULL AND started_ms IS NULL AND ended_ms IS NULL AND exit_code "
	    "IS NULL AND sig IS NULL AND error IS NULL AND pid IS NULL AND "
	    "pid_start IS NULL AND sandbox IS NULL"), 1);

	/* not there, twice, not an id */
	ck_assert_int_eq(rdb_get(db, "00000000000000ff", &got), 1);
	ck_assert_ptr_null(got.skill);
	ck_assert_int_eq(runs_db_insert(db, &bare), -1);
	snprintf(bare.id, sizeof(bare.id), "../../etc");
	ck_assert_int_eq(runs_db_insert(db, &bare), -1);
	run_rec_clear(&full);
	run_rec_clear(&bare);
	run_rec_clear(&got);
	runs_db_close(db);
}
END_TEST

START_TEST(test_moves)
{
	struct run_rec	 r = { .exit_code = -1 };
	struct runs_db	*db = rdb_open();
	char		 q[RUN_ID_LEN + 1], c[RUN_ID_LEN + 1];

	rdb_add(db, 1, "a");
	rdb_add(db, 2, "a");
	rdb_id(q, 1);
	rdb_id(c, 2);
	ck_assert_int_eq(runs_db_start(db, q, T0 + 10, 100, 5, "basic"), 0);
	ck_assert_int_eq(rdb_get(db, q, &r), 0);
	ck_assert_int_eq(r.state, RUN_RUNNING);
	ck_assert_int_eq(r.started_ms, T0 + 10);
	ck_assert_int_eq(r.pid, 100);
	ck_assert_int_eq(r.pid_start, 5);
	ck_assert_str_eq(r.sandbox, "basic");
	ck_assert_str_eq(r.prompt, "do it");
	ck_assert_int_eq(runs_db_start(db, q, T0 + 11, 101, 6, "x"), 1);

	ck_assert_int_eq(runs_db_end(db, q, RUN_FAILED, T0 + 20, -1, 9,
	    "killed"), 0);
	ck_assert_int_eq(rdb_get(db, q, &r), 0);
	ck_assert_int_eq(r.state, RUN_FAILED);
	ck_assert_int_eq(r.ended_ms, T0 + 20);
	ck_assert_int_eq(r.exit_code, -1);
	ck_assert_int_eq(r.sig, 9);
	ck_assert_str_eq(r.error, "killed");
	ck_assert_int_eq(r.pid, 0);
	ck_assert_int_eq(r.pid_start, 0);
	ck_assert_ptr_null(r.prompt);
	ck_assert_int_eq(r.started_ms, T0 + 10);
	ck_assert_str_eq(r.sandbox, "basic");

	/* ended: neither a second end nor a start changes anything */
	ck_assert_int_eq(runs_db_end(db, q, RUN_SUCCEEDED, T0 + 30, 0, 0,
	    NULL), 1);
	ck_assert_int_eq(runs_db_start(db, q, T0 + 31, 7, 7, NULL), 1);
	ck_assert_int_eq(rdb_get(db, q, &r), 0);
	ck_assert_int_eq(r.state, RUN_FAILED);
	ck_assert_int_eq(r.ended_ms, T0 + 20);
	ck_assert_str_eq(r.error, "killed");
	ck_assert_int_eq(r.pid, 0);

	/* queued -> canceled at once, then never started */
	ck_assert_int_eq(runs_db_end(db, c, RUN_CANCELED, T0 + 40, -1, 0,
	    NULL), 0);
	ck_assert_int_eq(runs_db_start(db, c, T0 + 41, 9, 9, "basic"), 1);
	ck_assert_int_eq(rdb_get(db, c, &r), 0);
	ck_assert_int_eq(r.state, RUN_CANCELED);
	ck_assert_int_eq(r.started_ms, 0);
	ck_assert_ptr_null(r.prompt);
	ck_assert_ptr_null(r.error);

	/* no such run; not a terminal state */
	ck_assert_int_eq(runs_db_start(db, "00000000000000ff", 1, 1, 1, NULL),
	    1);
	ck_assert_int_eq(runs_db_end(db, "00000000000000ff", RUN_FAILED, 1, 1,
	    0, NULL), 1);
	ck_assert_int_eq(runs_db_end(db, c, RUN_RUNNING, 1, 0, 0, NULL), -1);
	ck_assert_int_eq(runs_db_end(db, c, RUN_STATE_COUNT, 1, 0, 0, NULL),
	    -1);
	run_rec_clear(&r);
	runs_db_close(db);
}
END_TEST

/* rdb_six - runs 1..6, skills a b a b a b, states q r s q f q */
static struct runs_db *
rdb_six(void)
{
	struct runs_db	*db = rdb_open();
	char		 id[RUN_ID_LEN + 1];
	unsigned	 i;

	for (i = 1; i <= 6; i++)
		rdb_add(db, i, i % 2 ? "a" : "b");
	rdb_id(id, 2);
	ck_assert_int_eq(runs_db_start(db, id, T0, 2, 2, "basic"), 0);
	rdb_id(id, 3);
	ck_assert_int_eq(runs_db_start(db, id, T0, 3, 3, "basic"), 0);
	ck_assert_int_eq(runs_db_end(db, id, RUN_SUCCEEDED, T0, 0, 0, NULL), 0);
	rdb_id(id, 5);
	ck_assert_int_eq(runs_db_end(db, id, RUN_FAILED, T0, -1, 0, "x"), 0);
	return (db);
}

/* rdb_list_is - list(state, skill, limit) gives the runs of want, in order */
static void
rdb_list_is(struct runs_db *db, int state, const char *skill, int limit,
    const char *want)
{
	const cJSON	*r;
	cJSON		*a = cJSON_CreateArray();
	char		 got[64] = "";
	size_t		 n = 0;

	ck_assert_int_eq(runs_db_list(db, state, skill, limit, a), 0);
	cJSON_ArrayForEach(r, a) {
		ck_assert_ptr_null(cJSON_GetObjectItem(r, "input"));
		ck_assert_ptr_null(cJSON_GetObjectItem(r, "prompt"));
		/* the last hex digit of each id */
		got[n++] = cJSON_GetObjectItem(r, "id")->valuestring[15];
	}
	got[n] = '\0';
	ck_assert_msg(strcmp(got, want) == 0, "list(%d, %s, %d): got '%s', "
	    "want '%s'", state, skill, limit, got, want);
	cJSON_Delete(a);
}

START_TEST(test_list)
{
	struct runs_db	*db = rdb_six();
	long		 counts[RUN_STATE_COUNT];

	rdb_list_is(db, -1, NULL, 100, "654321");
	rdb_list_is(db, RUN_QUEUED, NULL, 100, "641");
	rdb_list_is(db, RUN_RUNNING, NULL, 100, "2");
	rdb_list_is(db, -1, "a", 100, "531");
	rdb_list_is(db, RUN_QUEUED, "a", 100, "1");
	rdb_list_is(db, RUN_QUEUED, "b", 100, "64");
	rdb_list_is(db, RUN_CANCELED, NULL, 100, "");
	rdb_list_is(db, -1, "zz", 100, "");
	rdb_list_is(db, -1, NULL, 2, "65");
	rdb_list_is(db, RUN_QUEUED, "b", 1, "6");
	rdb_list_is(db, -1, NULL, 0, "");
	rdb_list_is(db, -1, NULL, -3, "");

	ck_assert_int_eq(runs_db_counts(db, counts), 0);
	ck_assert_int_eq(counts[RUN_QUEUED], 3);
	ck_assert_int_eq(counts[RUN_RUNNING], 1);
	ck_assert_int_eq(counts[RUN_SUCCEEDED], 1);
	ck_assert_int_eq(counts[RUN_FAILED], 1);
	ck_assert_int_eq(counts[RUN_TIMED_OUT], 0);
	ck_assert_int_eq(counts[RUN_CANCELED], 0);
	runs_db_close(db);
}
END_TEST

struct rdb_walk {
	struct runs_db	*db;
	char		 seen[64];
	size_t		 n;
	size_t		 stop_at;	/* 0: never */
	int		 cancel;	/* end each run seen as canceled */
	int64_t		 last_seq;
};

/* rdb_walk_fn - note the run; maybe cancel it; stop at stop_at */
static int
rdb_walk_fn(const struct run_rec *r, void *arg)
{
	struct rdb_walk	*w = arg;
	long		 counts[RUN_STATE_COUNT];

	ck_assert_int_gt(r->seq, w->last_seq);
	w->last_seq = r->seq;
	ck_assert_str_eq(r->prompt, "do it");
	w->seen[w->n++] = r->id[15];
	if (w->cancel) {
		ck_assert_int_eq(runs_db_end(w->db, r->id, RUN_CANCELED, T0,
		    -1, 0, NULL), 0);
		ck_assert_int_eq(runs_db_counts(w->db, counts), 0);
	}
	return (w->stop_at != 0 && w->n == w->stop_at);
}

START_TEST(test_each)
{
	struct runs_db	*db = rdb_six();
	struct rdb_walk	 w;
	long		 counts[RUN_STATE_COUNT];

	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(runs_db_each(db, RUN_QUEUED, rdb_walk_fn, &w), 0);
	ck_assert_str_eq(w.seen, "146");
	memset(&w, 0, sizeof(w));
	w.stop_at = 2;
	ck_assert_int_eq(runs_db_each(db, RUN_QUEUED, rdb_walk_fn, &w), 0);
	ck_assert_str_eq(w.seen, "14");
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(runs_db_each(db, RUN_RUNNING, rdb_walk_fn, &w), 0);
	ck_assert_str_eq(w.seen, "2");
	ck_assert_int_eq(runs_db_each(db, RUN_STATE_COUNT, rdb_walk_fn, &w),
	    -1);

	/* a callback that writes: every queued run canceled, none missed */
	memset(&w, 0, sizeof(w));
	w.db = db;
	w.cancel = 1;
	ck_assert_int_eq(runs_db_each(db, RUN_QUEUED, rdb_walk_fn, &w), 0);
	ck_assert_str_eq(w.seen, "146");
	ck_assert_int_eq(runs_db_counts(db, counts), 0);
	ck_assert_int_eq(counts[RUN_QUEUED], 0);
	ck_assert_int_eq(counts[RUN_CANCELED], 3);
	runs_db_close(db);
}
END_TEST

START_TEST(test_reopen)
{
	struct run_rec	 r = { .exit_code = -1 };
	struct runs_db	*db = rdb_open();
	int64_t		 seq;

	rdb_add(db, 1, "a");
	rdb_add(db, 2, "a");
	runs_db_close(db);
	ck_assert_int_eq(rdb_sql_int("SELECT count(*) FROM pragma_journal_mode "
	    "WHERE journal_mode = 'wal'"), 1);
	ck_assert_int_eq(rdb_sql_int("PRAGMA user_version"), 2);
	db = rdb_open();
	ck_assert_int_eq(rdb_get(db, "0000000000000002", &r), 0);
	ck_assert_str_eq(r.skill, "a");
	seq = r.seq;
	rdb_new(&r, 3, "b");
	ck_assert_int_eq(runs_db_insert(db, &r), 0);
	ck_assert_int_gt(r.seq, seq);
	run_rec_clear(&r);
	runs_db_close(db);
}
END_TEST

/* rdb_refused - open fails with a line holding want */
static void
rdb_refused(const char *path, const char *want)
{
	char	 err[512] = "";

	ck_assert_ptr_null(runs_db_open(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, want) != NULL && strstr(err, path) != NULL &&
	    strchr(err, '\n') == NULL, "got '%s', want '%s'", err, want);
}

START_TEST(test_refused)
{
	struct runs_db	*db;
	FILE		*fp;
	char		 path[160];
	int		 i;

	ck_assert_ptr_nonnull(fp = fopen(rdb_path, "w"));
	for (i = 0; i < 100; i++)
		fputs("this is not a database at all\n", fp);
	fclose(fp);
	rdb_refused(rdb_path, "file is not a database");
	unlink(rdb_path);

	db = rdb_open();
	runs_db_close(db);
	{
		sqlite3	*h;

		ck_assert_int_eq(sqlite3_open(rdb_path, &h), SQLITE_OK);
		ck_assert_int_eq(sqlite3_exec(h, "PRAGMA user_version = 3",
		    NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
	}
	rdb_refused(rdb_path, "schema version 3 is newer than this corral "
	    "knows (2)");

	rdb_refused(rdb_dir, rdb_dir);
	snprintf(path, sizeof(path), "%s/link.db", rdb_dir);
	ck_assert_int_eq(symlink(rdb_path, path), 0);
	rdb_refused(path, "link.db");
	snprintf(path, sizeof(path), "%s/no/runs.db", rdb_dir);
	rdb_refused(path, "No such file or directory");
}
END_TEST

/* rdb_count_fn - count the runs; they come in seq order */
static int
rdb_count_fn(const struct run_rec *r, void *arg)
{
	int64_t	*n = arg;

	ck_assert_int_eq(r->seq, n[1] + 1);
	n[1] = r->seq;
	n[0]++;
	return (0);
}

START_TEST(test_many)
{
	struct run_rec	 r = { .exit_code = -1 };
	struct runs_db	*db = rdb_open();
	struct timespec	 t0, t1;
	long		 counts[RUN_STATE_COUNT];
	int64_t		 n[2] = { 0, 0 };
	cJSON		*a;
	unsigned	 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i <= 10000; i++) {
		rdb_new(&r, i, i % 2 ? "a" : "b");
		r.state = (int)(i % RUN_STATE_COUNT);
		ck_assert_int_eq(runs_db_insert(db, &r), 0);
		ck_assert_int_eq(r.seq, i);
	}
	run_rec_clear(&r);
	ck_assert_int_eq(runs_db_each(db, -1, rdb_count_fn, n), 0);
	ck_assert_int_eq(n[0], 10000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "runs_db: 10000 inserts + each: %.0f ms\n",
	    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	ck_assert_int_eq(runs_db_counts(db, counts), 0);
	for (i = 0; i < RUN_STATE_COUNT; i++)
		ck_assert_int_eq(counts[i], i >= 1 && i <= 4 ? 1667 : 1666);
	a = cJSON_CreateArray();
	ck_assert_int_eq(runs_db_list(db, -1, NULL, 5000, a), 0);
	ck_assert_int_eq(cJSON_GetArraySize(a), 1000);
	cJSON_Delete(a);
	runs_db_close(db);
}
END_TEST

/* runs_db_suite - the run store and the run log */
Suite *
runs_db_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("runs_db");
	tc = tcase_create("store");
	tcase_add_checked_fixture(tc, rdb_setup, rdb_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_mode);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_moves);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_each);
	tcase_add_test(tc, test_reopen);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	run_tcases(s);
	run_log_tcases(s);
	skill_prune_tcases(s);
	return (s);
}
