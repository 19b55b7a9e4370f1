/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_run_log - unit tests for the run log tail
 *	(workers/skills/run_log.c)
 * SYNOPSIS
 *	void	run_log_tcases(Suite *s);
 * DESCRIPTION
 *	Part of the runs_db suite, on real files in a fresh mkdtemp
 *	directory: the last lines with and without a last newline, 0 and
 *	all lines, an empty and a missing file, cuts by max_bytes (at a
 *	whole character), bytes that are not UTF-8 and NUL, a symbolic
 *	link and a directory refused, and a 2.4 MB file read across many
 *	blocks. run_log_size.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "xmalloc.h"

#include "run_log.h"

void	run_log_tcases(Suite *);

static char	rlog_dir[64];

/* rlog_setup - a fresh directory for the test */
static void
rlog_setup(void)
{
	snprintf(rlog_dir, sizeof(rlog_dir), "/tmp/corral-runlog.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(rlog_dir));
}

/* rlog_teardown - remove the directory and its files */
static void
rlog_teardown(void)
{
	char		 path[512];
	struct dirent	*de;
	DIR		*dp;

	if ((dp = opendir(rlog_dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", rlog_dir, de->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(rlog_dir);
}

/* rlog_file - write len bytes of text to dir/name; its path in path */
static void
rlog_file(char *path, size_t size, const char *name, const char *text,
    size_t len)
{
	FILE	*fp;

	snprintf(path, size, "%s/%s", rlog_dir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	fclose(fp);
}

/* rlog_tail_is - run_log_tail(path, lines, max) gives want, truncated */
static void
rlog_tail_is(const char *path, long lines, size_t max, const char *want,
    int trunc)
{
	char	*text, err[256];
	int	 t = -1;

	ck_assert_int_eq(run_log_tail(path, lines, max, &text, &t, err,
	    sizeof(err)), 0);
	ck_assert_msg(strcmp(text, want) == 0, "tail(%ld, %zu): got '%s', "
	    "want '%s'", lines, max, text, want);
	ck_assert_int_eq(t, trunc);
	free(text);
}

#define MIB	(1024 * 1024)

START_TEST(test_tail)
{
	char	 p[160], *big, *text, err[256];
	size_t	 i, n = 200000;
	int	 t;

	rlog_file(p, sizeof(p), "a.log", "a\nb\nc\n", 6);
	rlog_tail_is(p, 1, MIB, "c\n", 1);
	rlog_tail_is(p, 2, MIB, "b\nc\n", 1);
	rlog_tail_is(p, 3, MIB, "a\nb\nc\n", 0);
	rlog_tail_is(p, 99, MIB, "a\nb\nc\n", 0);
	rlog_tail_is(p, -1, MIB, "a\nb\nc\n", 0);
	rlog_tail_is(p, 0, MIB, "", 1);
	ck_assert_int_eq(run_log_size(p), 6);
	rlog_file(p, sizeof(p), "b.log", "a\nb\nc", 5);
	rlog_tail_is(p, 1, MIB, "c", 1);
	rlog_tail_is(p, 2, MIB, "b\nc", 1);
	rlog_tail_is(p, 3, MIB, "a\nb\nc", 0);
	rlog_file(p, sizeof(p), "c.log", "\n\n\n", 3);
	rlog_tail_is(p, 2, MIB, "\n\n", 1);
	rlog_file(p, sizeof(p), "d.log", "", 0);
	rlog_tail_is(p, 5, MIB, "", 0);
	rlog_tail_is(p, 0, MIB, "", 0);

	/* cut by max_bytes, at a whole character */
	rlog_file(p, sizeof(p), "e.log", "line1\nline2\nline3\n", 18);
	rlog_tail_is(p, -1, 8, "2\nline3\n", 1);
	rlog_tail_is(p, 1, 8, "line3\n", 1);
	rlog_tail_is(p, 5, 0, "", 1);
	rlog_file(p, sizeof(p), "f.log", "ab\xc3\xa9\xc3\xa9\xc3\xa9", 8);
	rlog_tail_is(p, -1, 5, "\xc3\xa9\xc3\xa9", 1);

	/* not UTF-8: invalid, NUL, surrogate, overlong, cut; an emoji stays */
	rlog_file(p, sizeof(p), "g.log", "h\xc3\xa9 \xff w\n\0\xed\xa0\x80"
	    "\xf0\x9f\x98\x80\xe0\x80\xaf\xc3", 20);
	rlog_tail_is(p, -1, MIB, "h\xc3\xa9 ? w\n????\xf0\x9f\x98\x80????", 0);

	/* missing, a symbolic link, a directory */
	snprintf(p, sizeof(p), "%s/none.log", rlog_dir);
	rlog_tail_is(p, 10, MIB, "", 0);
	ck_assert_int_eq(run_log_size(p), -1);
	ck_assert_int_eq(symlink("a.log", p), 0);
	ck_assert_int_eq(run_log_tail(p, 10, MIB, &text, &t, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(text);
	ck_assert_ptr_nonnull(strstr(err, "none.log: a symbolic link"));
	ck_assert_int_eq(run_log_size(p), -1);
	ck_assert_int_eq(run_log_tail(rlog_dir, 10, MIB, &text, &t, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));

	/* 200,000 lines of 12 bytes: many blocks */
	big = xmalloc(n * 12 + 1);
	for (i = 0; i < n; i++)
		snprintf(big + i * 12, 13, "line %06zu\n", i);
	rlog_file(p, sizeof(p), "big.log", big, n * 12);
	ck_assert_int_eq(run_log_tail(p, 10000, MIB, &text, &t, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(strlen(text), 120000);
	ck_assert_int_eq(strncmp(text, "line 190000\n", 12), 0);
	ck_assert_int_eq(memcmp(text, big + 190000 * 12, 120000), 0);
	ck_assert_int_eq(t, 1);
	free(text);
	ck_assert_int_eq(run_log_tail(p, -1, MIB, &text, &t, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(strlen(text), MIB);
	ck_assert_int_eq(memcmp(text, big + n * 12 - MIB, MIB), 0);
	free(text);
	ck_assert_int_eq(run_log_tail(p, -1, n * 12, &text, &t, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_str_eq(text, big);
	free(text);
	free(big);
}
END_TEST

/* run_log_tcases - add the log tests to the runs_db suite */
void
run_log_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("log");
	tcase_add_checked_fixture(tc, rlog_setup, rlog_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tail);
	suite_add_tcase(s, tc);
}
