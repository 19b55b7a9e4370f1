/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_skill_prune - unit tests for the retention
 *	(workers/skills/runs_db_prune.c, workers/skills/skill_prune.c)
 * SYNOPSIS
 *	void	skill_prune_tcases(Suite *s);
 * DESCRIPTION
 *	Part of the runs_db suite, on real files in a fresh mkdtemp
 *	directory per test: runs_db_ended_before (order by ended_ms then
 *	submission, the cutoff strict, the limit, terminal states only even
 *	when a queued or running row has an ended_ms, an early stop, a
 *	callback that deletes, the index in the query plan) and
 *	runs_db_delete (terminal only); a version 1 runs.db brought to
 *	version 2 with its rows; skill_prune_tree on a tree holding links
 *	to a folder and a file outside it, a hard link, a FIFO, folders of
 *	modes 0500 and 0, and a tree too deep (refused, one line naming
 *	where); skill_prune_pass on a worker of its own: old ended runs
 *	pruned (folder, log, row), a recent one, a queued and a running one
 *	kept whatever their age, a run still in memory, a bad id and a
 *	folder that cannot be removed kept with their rows, retention 0,
 *	and a backlog cut at SKILL_PRUNE_MAX.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "xmalloc.h"

#include "runs_db.h"
#include "skill_prune.h"
#include "skill_worker.h"

void	skill_prune_tcases(Suite *);

/* 2026-11-25T23:10:00.123Z */
#define T0	(1795648200LL * 1000 + 123)
#define DAY	(86400LL * 1000)

static char	prn_dir[64];

/* prn_rm_cb - nftw: remove one entry */
static int
prn_rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return (0);
}

/* prn_setup - a fresh directory for the test */
static void
prn_setup(void)
{
	snprintf(prn_dir, sizeof(prn_dir), "/tmp/corral-prune.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(prn_dir));
}

/* prn_teardown - remove the directory and all the test left in it */
static void
prn_teardown(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s 2>/dev/null", prn_dir);
	(void)system(cmd);
	nftw(prn_dir, prn_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* prn_path - prn_dir/rel into buf */
static char *
prn_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", prn_dir, rel);
	return (buf);
}

/* prn_mkdir - make prn_dir/rel */
static void
prn_mkdir(const char *rel, mode_t mode)
{
	char	 path[512];

	ck_assert_msg(mkdir(prn_path(path, sizeof(path), rel), mode) == 0,
	    "mkdir %s: %s", path, strerror(errno));
}

/* prn_file - write text to prn_dir/rel */
static void
prn_file(const char *rel, const char *text)
{
	char	 path[512];
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(prn_path(path, sizeof(path), rel),
	    "w"));
	fputs(text, fp);
	fclose(fp);
}

/* prn_exists - whether prn_dir/rel is there (a link counts itself) */
static int
prn_exists(const char *rel)
{
	struct stat	 sb;
	char		 path[512];

	return (lstat(prn_path(path, sizeof(path), rel), &sb) == 0);
}

/* prn_nfds - how many descriptors this process has open */
static int
prn_nfds(void)
{
	struct dirent	*de;
	DIR		*dp;
	int		 n = 0;

	ck_assert_ptr_nonnull(dp = opendir("/proc/self/fd"));
	while ((de = readdir(dp)) != NULL)
		n += de->d_name[0] != '.';
	closedir(dp);
	return (n);
}

/* prn_deep - a chain of n folders "d" under prn_dir/rel, a file last */
static void
prn_deep(const char *rel, int n)
{
	char	 path[512];
	int	 fd, next, i;

	ck_assert_int_ne(fd = open(prn_path(path, sizeof(path), rel),
	    O_RDONLY | O_DIRECTORY), -1);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(mkdirat(fd, "d", 0700), 0);
		ck_assert_int_ne(next = openat(fd, "d", O_RDONLY |
		    O_DIRECTORY), -1);
		close(fd);
		fd = next;
	}
	ck_assert_int_ne(next = openat(fd, "f", O_WRONLY | O_CREAT, 0600), -1);
	close(next);
	close(fd);
}

/* prn_open_db - runs.db in the test's directory */
static struct runs_db *
prn_open_db(const char *rel)
{
	struct runs_db	*db;
	char		 path[512], err[512] = "";

	db = runs_db_open(prn_path(path, sizeof(path), rel), err, sizeof(err));
	ck_assert_msg(db != NULL, "runs_db_open: %s", err);
	return (db);
}

/* prn_add - insert run n in state, created at created, ended at ended
 * (0: null) */
static void
prn_add(struct runs_db *db, unsigned n, int state, int64_t created,
    int64_t ended)
{
	struct run_rec	 r;

	memset(&r, 0, sizeof(r));
	run_rec_clear(&r);
	snprintf(r.id, sizeof(r.id), "%016x", n);
	r.skill = xstrdup("s");
	r.agent = xstrdup("claude");
	r.state = state;
	r.timeout_s = 60;
	r.created_ms = created;
	r.started_ms = state != RUN_QUEUED && ended != 0 ? created + 1 : 0;
	r.ended_ms = ended;
	ck_assert_int_eq(runs_db_insert(db, &r), 0);
	run_rec_clear(&r);
}

/* prn_has - whether runs.db has run n */
static int
prn_has(struct runs_db *db, unsigned n)
{
	struct run_rec	 r;
	char		 id[RUN_ID_LEN + 1];
	int		 rc;

	snprintf(id, sizeof(id), "%016x", n);
	rc = runs_db_get(db, id, &r);
	ck_assert_int_ne(rc, -1);
	run_rec_clear(&r);
	return (rc == 0);
}

/* what runs_db_ended_before handed over */
struct prn_seen {
	struct runs_db	*db;		/* non-NULL: delete each */
	char		 ids[64];	/* the last hex digit of each */
	size_t		 n;
	size_t		 stop_at;	/* 0: never */
};

/* prn_seen_fn - note the id; maybe delete it; stop at stop_at */
static int
prn_seen_fn(const char *id, void *arg)
{
	struct prn_seen	*s = arg;

	ck_assert(run_id_valid(id));
	ck_assert_uint_lt(s->n, sizeof(s->ids) - 1);
	s->ids[s->n++] = id[15];
	if (s->db != NULL)
		ck_assert_int_eq(runs_db_delete(s->db, id), 0);
	return (s->stop_at != 0 && s->n == s->stop_at);
}

/* prn_ended_is - ended_before(cutoff, limit) hands over want, in order */
static void
prn_ended_is(struct runs_db *db, int64_t cutoff, int limit, const char *want)
{
	struct prn_seen	 s;
	int		 n;

	memset(&s, 0, sizeof(s));
	n = runs_db_ended_before(db, cutoff, limit, prn_seen_fn, &s);
	ck_assert_msg(n == (int)strlen(want) && strcmp(s.ids, want) == 0,
	    "ended_before(T0%+lld, %d): got %d '%s', want '%s'",
	    (long long)(cutoff - T0), limit, n, s.ids, want);
}

START_TEST(test_ended_before)
{
	struct runs_db	*db = prn_open_db("runs.db");
	struct prn_seen	 s;
	sqlite3_stmt	*st;
	sqlite3		*h;
	const char	*detail;
	char		 path[512], buf[32];
	int		 used = 0;

	prn_add(db, 1, RUN_SUCCEEDED, T0 - 9 * DAY, T0 + 500);
	prn_add(db, 2, RUN_FAILED, T0 - 9 * DAY, T0 + 100);
	prn_add(db, 3, RUN_QUEUED, T0 - 9 * DAY, 0);
	/* rows no end should have: never listed, never deleted */
	prn_add(db, 4, RUN_RUNNING, T0 - 9 * DAY, T0 - 8 * DAY);
	prn_add(db, 5, RUN_CANCELED, T0 - 9 * DAY, T0 + 100);
	prn_add(db, 6, RUN_TIMED_OUT, T0 - 9 * DAY, T0 + 2000);
	prn_add(db, 7, RUN_QUEUED, T0 - 9 * DAY, T0 - 8 * DAY);

	prn_ended_is(db, T0 + 1000, 100, "251");
	prn_ended_is(db, T0 + 1000, 2, "25");
	prn_ended_is(db, T0 + 500, 100, "25");		/* strictly before */
	prn_ended_is(db, T0 + 501, 100, "251");
	prn_ended_is(db, T0 + 100, 100, "");
	prn_ended_is(db, T0 + 9 * DAY, 100, "2516");
	prn_ended_is(db, T0 + 9 * DAY, 0, "");
	prn_ended_is(db, T0 + 9 * DAY, -1, "");
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	ck_assert_int_eq(runs_db_ended_before(db, T0 + 9 * DAY, 100,
	    prn_seen_fn, &s), 1);
	ck_assert_str_eq(s.ids, "2");

	/* the index on ended_ms serves the query (runs_db.c's
	 * RS_ENDED_BEFORE), for the range and the order: no sort */
	ck_assert_int_eq(sqlite3_open(prn_path(path, sizeof(path), "runs.db"),
	    &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "EXPLAIN QUERY PLAN SELECT id "
	    "FROM runs WHERE ended_ms < 5 AND +state BETWEEN 2 AND 5 ORDER BY "
	    "ended_ms, seq LIMIT 9", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		detail = (const char *)sqlite3_column_text(st, 3);
		if (strstr(detail, "USING INDEX runs_ended") != NULL)
			used++;
		else
			used += 100;	/* anything else: a sort, a scan */
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	ck_assert_msg(used == 1, "the query does not use the index "
	    "runs_ended alone");

	/* delete: terminal runs only; a callback that deletes */
	ck_assert_int_eq(runs_db_delete(db, "0000000000000003"), 1);
	ck_assert_int_eq(runs_db_delete(db, "0000000000000004"), 1);
	ck_assert_int_eq(runs_db_delete(db, "0000000000000007"), 1);
	ck_assert_int_eq(runs_db_delete(db, "00000000000000ff"), 1);
	ck_assert(prn_has(db, 3) && prn_has(db, 4) && prn_has(db, 7));
	memset(&s, 0, sizeof(s));
	s.db = db;
	ck_assert_int_eq(runs_db_ended_before(db, T0 + 1000, 100, prn_seen_fn,
	    &s), 3);
	ck_assert_str_eq(s.ids, "251");
	ck_assert(!prn_has(db, 1) && !prn_has(db, 2) && !prn_has(db, 5));
	ck_assert(prn_has(db, 3) && prn_has(db, 4) && prn_has(db, 6) &&
	    prn_has(db, 7));
	ck_assert_int_eq(runs_db_delete(db, "0000000000000002"), 1);
	prn_ended_is(db, T0 + 9 * DAY, 100, "6");
	/* a seq is never reused */
	prn_add(db, 8, RUN_SUCCEEDED, T0, T0 + 1);
	prn_ended_is(db, T0 + 9 * DAY, 100, "86");
	runs_db_close(db);

	ck_assert_int_eq(run_time_str(T0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2026-11-25T23:10:00.123Z");
	ck_assert_int_eq(run_time_str(T0, buf, 24), -1);
	ck_assert_int_eq(run_time_str(0, buf, sizeof(buf)), -1);
}
END_TEST

/* the schema of version 1, as corral wrote it before the retention */
static const char prn_v1_schema[] =
	"CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" id TEXT NOT NULL UNIQUE, skill TEXT NOT NULL, agent TEXT NOT NULL,"
	" route TEXT, model TEXT, state INTEGER NOT NULL,"
	" timeout_s INTEGER NOT NULL, created_ms INTEGER, started_ms INTEGER,"
	" ended_ms INTEGER, exit_code INTEGER, sig INTEGER, error TEXT,"
	" pid INTEGER, pid_start INTEGER, sandbox TEXT, input TEXT NOT NULL,"
	" prompt TEXT);"
	"CREATE INDEX runs_state ON runs (state, seq);"
	"CREATE INDEX runs_skill ON runs (skill, seq);"
	"PRAGMA journal_mode = WAL;"
	"INSERT INTO runs (id, skill, agent, state, timeout_s, created_ms,"
	" ended_ms, input) VALUES"
	" ('00000000000000a1', 'old', 'codex', 2, 60, 1000, 2000, '{}'),"
	" ('00000000000000a2', 'old', 'codex', 0, 60, 1500, NULL, '{}');"
	"PRAGMA user_version = 1;";

/* prn_sql_int - one integer from SQL on the database prn_dir/rel */
static long long
prn_sql_int(const char *rel, const char *sql)
{
	sqlite3_stmt	*st;
	sqlite3		*h;
	char		 path[512];
	long long	 v;

	ck_assert_int_eq(sqlite3_open(prn_path(path, sizeof(path), rel), &h),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return (v);
}

START_TEST(test_migrate)
{
	struct runs_db	*db;
	struct run_rec	 r;
	sqlite3		*h;
	char		 path[512];

	ck_assert_int_eq(sqlite3_open(prn_path(path, sizeof(path), "runs.db"),
	    &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, prn_v1_schema, NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(h);
	chmod(path, 0600);
	ck_assert_int_eq(prn_sql_int("runs.db", "SELECT count(*) FROM "
	    "sqlite_master WHERE name = 'runs_ended'"), 0);

	db = prn_open_db("runs.db");
	ck_assert_int_eq(prn_sql_int("runs.db", "PRAGMA user_version"), 2);
	ck_assert_int_eq(prn_sql_int("runs.db", "SELECT count(*) FROM "
	    "sqlite_master WHERE type = 'index' AND name = 'runs_ended' AND "
	    "tbl_name = 'runs'"), 1);
	ck_assert_int_eq(runs_db_get(db, "00000000000000a1", &r), 0);
	ck_assert_str_eq(r.skill, "old");
	ck_assert_int_eq(r.ended_ms, 2000);
	run_rec_clear(&r);
	prn_ended_is(db, 3000, 10, "1");
	/* the sequence goes on after the old rows */
	prn_add(db, 0xa3, RUN_QUEUED, 4000, 0);
	ck_assert_int_eq(runs_db_get(db, "00000000000000a3", &r), 0);
	ck_assert_int_eq(r.seq, 3);
	run_rec_clear(&r);
	runs_db_close(db);
	/* once is enough: open again, same version, same rows */
	db = prn_open_db("runs.db");
	ck_assert_int_eq(prn_sql_int("runs.db", "PRAGMA user_version"), 2);
	ck_assert_int_eq(prn_sql_int("runs.db", "SELECT count(*) FROM runs"),
	    3);
	runs_db_close(db);
}
END_TEST

/* prn_tree_outside - a folder outside the tree, with a file */
static void
prn_tree_outside(void)
{
	prn_mkdir("outside", 0700);
	prn_file("outside/keep", "keep me\n");
}

/* prn_outside_ok - the outside folder and its file are as they were */
static void
prn_outside_ok(void)
{
	char	 path[512], buf[32] = "";
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(prn_path(path, sizeof(path),
	    "outside/keep"), "r"));
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	ck_assert_str_eq(buf, "keep me\n");
}

/* prn_tree - a run folder rel holding every kind of entry, links out */
static void
prn_tree(const char *rel)
{
	char	 a[512], b[512], r[256];

	prn_mkdir(rel, 0700);
	snprintf(r, sizeof(r), "%s/a", rel);
	prn_mkdir(r, 0700);
	snprintf(r, sizeof(r), "%s/a/b", rel);
	prn_mkdir(r, 0700);
	snprintf(r, sizeof(r), "%s/a/b/file", rel);
	prn_file(r, "x\n");
	snprintf(r, sizeof(r), "%s/input.json", rel);
	prn_file(r, "{}\n");
	/* links to the outside: a folder, a file; a hard link; a FIFO */
	snprintf(r, sizeof(r), "%s/a/out", rel);
	ck_assert_int_eq(symlink(prn_path(a, sizeof(a), "outside"),
	    prn_path(b, sizeof(b), r)), 0);
	snprintf(r, sizeof(r), "%s/outfile", rel);
	ck_assert_int_eq(symlink("../outside/keep", prn_path(b, sizeof(b),
	    r)), 0);
	snprintf(r, sizeof(r), "%s/hard", rel);
	ck_assert_int_eq(link(prn_path(a, sizeof(a), "outside/keep"),
	    prn_path(b, sizeof(b), r)), 0);
	snprintf(r, sizeof(r), "%s/fifo", rel);
	ck_assert_int_eq(mkfifo(prn_path(b, sizeof(b), r), 0600), 0);
	/* folders the agent locked: read-only, no access at all */
	snprintf(r, sizeof(r), "%s/ro", rel);
	prn_mkdir(r, 0700);
	snprintf(r, sizeof(r), "%s/ro/f", rel);
	prn_file(r, "y\n");
	ck_assert_int_eq(chmod(prn_path(b, sizeof(b), rel), 0700), 0);
	snprintf(r, sizeof(r), "%s/ro", rel);
	ck_assert_int_eq(chmod(prn_path(b, sizeof(b), r), 0500), 0);
	snprintf(r, sizeof(r), "%s/none", rel);
	prn_mkdir(r, 0700);
	snprintf(r, sizeof(r), "%s/none/f", rel);
	prn_file(r, "z\n");
	snprintf(r, sizeof(r), "%s/none", rel);
	ck_assert_int_eq(chmod(prn_path(b, sizeof(b), r), 0), 0);
}

START_TEST(test_tree)
{
	char	 path[512], err[512];
	int	 fd, nfds;

	prn_tree_outside();
	prn_mkdir("runs", 0700);
	prn_tree("runs/00000000000000a1");
	/* the run's folder itself a link to the outside */
	ck_assert_int_eq(symlink(prn_path(path, sizeof(path), "outside"),
	    prn_path(err, sizeof(err), "runs/00000000000000a2")), 0);
	prn_mkdir("runs/00000000000000a3", 0700);
	prn_deep("runs/00000000000000a3", SKILL_PRUNE_DEPTH + 2);
	prn_file("runs/00000000000000a3/first", "f\n");
	prn_mkdir("runs/00000000000000a4", 0700);
	prn_deep("runs/00000000000000a4", SKILL_PRUNE_DEPTH - 1);

	ck_assert_int_ne(fd = open(prn_path(path, sizeof(path), "runs"),
	    O_RDONLY | O_DIRECTORY), -1);
	nfds = prn_nfds();
	err[0] = '\0';
	ck_assert_msg(skill_prune_tree(fd, "00000000000000a1", err,
	    sizeof(err)) == 0, "got '%s'", err);
	ck_assert(!prn_exists("runs/00000000000000a1"));
	prn_outside_ok();
	ck_assert_int_eq(skill_prune_tree(fd, "00000000000000a2", err,
	    sizeof(err)), 0);
	ck_assert(!prn_exists("runs/00000000000000a2"));
	prn_outside_ok();
	/* nothing there: nothing to do */
	ck_assert_int_eq(skill_prune_tree(fd, "00000000000000a1", err,
	    sizeof(err)), 0);
	/* as deep as it goes, and one too many */
	ck_assert_int_eq(skill_prune_tree(fd, "00000000000000a4", err,
	    sizeof(err)), 0);
	ck_assert(!prn_exists("runs/00000000000000a4"));
	ck_assert_int_eq(skill_prune_tree(fd, "00000000000000a3", err,
	    sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "00000000000000a3/d/d/", 21) == 0 &&
	    strstr(err, ": more than 128 folders deep") != NULL &&
	    strchr(err, '\n') == NULL, "got '%s'", err);
	ck_assert(prn_exists("runs/00000000000000a3/d"));
	ck_assert_int_eq(prn_nfds(), nfds);	/* none left open */
	close(fd);
	ck_assert(prn_exists("runs"));
	prn_outside_ok();
}
END_TEST

/* prn_worker - a skills worker of its own: folders, runs.db, no loop */
static struct skill_worker *
prn_worker(void)
{
	struct skill_worker	*w = xcalloc(1, sizeof(*w));
	char			 path[512];

	prn_mkdir("state", 0700);
	prn_mkdir("state/runs", 0700);
	prn_mkdir("ws", 0700);
	prn_mkdir("ws/runs", 0700);
	w->state_root = xstrdup(prn_path(path, sizeof(path), "state"));
	w->workspace_root = xstrdup(prn_path(path, sizeof(path), "ws"));
	w->db = prn_open_db("state/runs.db");
	w->retention_days = 1;
	TAILQ_INIT(&w->runs);
	return (w);
}

/* prn_worker_free - what prn_worker made */
static void
prn_worker_free(struct skill_worker *w)
{
	runs_db_close(w->db);
	free(w->state_root);
	free(w->workspace_root);
	free(w);
}

/* prn_run_files - run n's folder (with links out) and log */
static void
prn_run_files(unsigned n)
{
	char	 rel[128];

	snprintf(rel, sizeof(rel), "ws/runs/%016x", n);
	prn_tree(rel);
	snprintf(rel, sizeof(rel), "state/runs/%016x.log", n);
	prn_file(rel, "a log\n");
}

/* prn_run_there - whether run n's folder, log and row are all there (1)
 * or all gone (0) */
static int
prn_run_there(struct skill_worker *w, unsigned n)
{
	char	 dir[128], log[128];
	int	 d, l, r;

	snprintf(dir, sizeof(dir), "ws/runs/%016x", n);
	snprintf(log, sizeof(log), "state/runs/%016x.log", n);
	d = prn_exists(dir);
	l = prn_exists(log);
	r = prn_has(w->db, n);
	ck_assert_msg(d == l && l == r, "run %x: folder %d, log %d, row %d",
	    n, d, l, r);
	return (r);
}

START_TEST(test_pass)
{
	struct skill_worker	*w;
	struct skill_run	 held;
	int64_t			 now = T0 + 30 * DAY;
	sqlite3			*h;
	char			 path[512];
	unsigned		 i;
	int			 full, nfds;

	prn_tree_outside();
	w = prn_worker();
	prn_add(w->db, 1, RUN_SUCCEEDED, now - 4 * DAY, now - 3 * DAY);
	prn_add(w->db, 2, RUN_FAILED, now - 3 * DAY, now - 2 * DAY);
	prn_add(w->db, 3, RUN_SUCCEEDED, now - 2 * DAY, now - DAY / 24);
	prn_add(w->db, 4, RUN_QUEUED, now - 5 * DAY, 0);
	prn_add(w->db, 5, RUN_RUNNING, now - 5 * DAY, 0);
	prn_add(w->db, 6, RUN_CANCELED, now - 5 * DAY, now - 4 * DAY);
	prn_add(w->db, 7, RUN_TIMED_OUT, now - 5 * DAY, now - 4 * DAY);
	for (i = 1; i <= 7; i++)
		prn_run_files(i);
	/* 6: still held by the worker; 7: a tree too deep to remove */
	memset(&held, 0, sizeof(held));
	snprintf(held.id, sizeof(held.id), "%016x", 6);
	TAILQ_INSERT_TAIL(&w->runs, &held, entry);
	prn_deep("ws/runs/0000000000000007/a", SKILL_PRUNE_DEPTH);
	/* a row whose id is not one, with a folder where it would point */
	prn_mkdir("x", 0700);
	prn_file("x/keep", "k\n");
	ck_assert_int_eq(sqlite3_open(prn_path(path, sizeof(path),
	    "state/runs.db"), &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "INSERT INTO runs (id, skill, agent, "
	    "state, timeout_s, ended_ms, input) VALUES ('../../x', 's', "
	    "'codex', 2, 1, 1, '{}')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	nfds = prn_nfds();
	ck_assert_int_eq(skill_prune_pass(w, now, &full), 2);
	ck_assert_int_eq(full, 0);
	ck_assert(!prn_run_there(w, 1) && !prn_run_there(w, 2));
	ck_assert(prn_run_there(w, 3) && prn_run_there(w, 4) &&
	    prn_run_there(w, 5) && prn_run_there(w, 6));
	ck_assert(prn_has(w->db, 7) && prn_exists("state/runs/"
	    "0000000000000007.log") && prn_exists("ws/runs/0000000000000007/"
	    "a/d"));
	ck_assert(prn_exists("x/keep") && prn_exists("state") &&
	    prn_exists("ws/runs"));
	ck_assert_int_eq(prn_sql_int("state/runs.db", "SELECT count(*) FROM "
	    "runs WHERE id = '../../x'"), 1);
	prn_outside_ok();
	/* let go of: pruned the next time */
	TAILQ_REMOVE(&w->runs, &held, entry);
	ck_assert_int_eq(skill_prune_pass(w, now, &full), 1);
	ck_assert(!prn_run_there(w, 6));
	/* 0 keeps everything, however old */
	w->retention_days = 0;
	ck_assert_int_eq(skill_prune_pass(w, now + 3650 * DAY, &full),
	    0);
	ck_assert(prn_run_there(w, 3));
	w->retention_days = 3650;
	ck_assert_int_eq(skill_prune_pass(w, now, &full), 0);
	ck_assert(prn_run_there(w, 3));

	/* a backlog: SKILL_PRUNE_MAX runs a pass, oldest first; the bad id
	 * (ended first of all) takes a place in each, run 7 (ended last)
	 * too once the backlog is gone */
	w->retention_days = 1;
	for (i = 0x100; i < 0x100 + SKILL_PRUNE_MAX + 3; i++)
		prn_add(w->db, i, RUN_SUCCEEDED, now - 9 * DAY, now - 8 * DAY +
		    (int64_t)i);
	ck_assert_int_eq(skill_prune_pass(w, now, &full),
	    SKILL_PRUNE_MAX - 1);
	ck_assert_int_eq(full, 1);
	ck_assert(!prn_has(w->db, 0x100 + SKILL_PRUNE_MAX - 2));
	ck_assert(prn_has(w->db, 0x100 + SKILL_PRUNE_MAX - 1));
	ck_assert_int_eq(skill_prune_pass(w, now, &full), 4);
	ck_assert_int_eq(full, 0);
	ck_assert_int_eq(skill_prune_pass(w, now, &full), 0);
	ck_assert_int_eq(full, 0);
	ck_assert_int_eq(prn_sql_int("state/runs.db", "SELECT count(*) FROM "
	    "runs"), 5);
	ck_assert(prn_run_there(w, 3) && prn_run_there(w, 4) &&
	    prn_run_there(w, 5) && prn_has(w->db, 7));
	prn_outside_ok();
	ck_assert_int_eq(prn_nfds(), nfds);
	prn_worker_free(w);
}
END_TEST

/* skill_prune_tcases - the retention's tests into s */
void
skill_prune_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("prune");
	tcase_add_checked_fixture(tc, prn_setup, prn_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ended_before);
	tcase_add_test(tc, test_migrate);
	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_pass);
	suite_add_tcase(s, tc);
}
