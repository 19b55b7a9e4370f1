/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_store_write - the store's files and its writers
 * SYNOPSIS
 *	void	store_write_tcases(Suite *su);
 * DESCRIPTION
 *	"files": the directory is 0700 and the store and its lock 0600
 *	whatever the umask, a widened directory is narrowed again, a
 *	symbolic link in the directory's place is refused, root gives what
 *	it makes to the owner of the state root, and after puts and a rekey
 *	no file holds any plaintext.
 *
 *	"two writers": a forked child and the test each store their own
 *	entries through their own struct store at the same time (as the
 *	daemon's secrets worker and the offline CLI do); afterwards every
 *	entry of both is there and opens, because each write re-reads the
 *	file under the lock. "killed writer": a child stores entries in a
 *	loop and is killed with SIGKILL after a few milliseconds, several
 *	times over; after each kill the store opens and every entry in it
 *	decrypts to what was written, and the next write sweeps away the
 *	temporary files the dead writer left. "stale temp" checks the sweep
 *	on its own. Children report through their exit status only; they
 *	never call Check.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "check_store.h"
#include "fsutil.h"
#include "store.h"

#define WRITES		40	/* per writer */
#define PLAIN_A		"sk-PLAINTEXT-alpha-0123456789"
#define PLAIN_B		"sk-PLAINTEXT-bravo-9876543210"
#define KILL_ROUNDS	5

/* write_value - the value stored under name */
static void
write_value(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "value-of-%s-PLAINTEXT", name);
}

/* write_child - store prefix-0..n-1 through a store of its own; exits */
static void
write_child(const char *prefix, int n)
{
	struct store	*s;
	char		 name[64], val[256], err[512];
	int		 i;

	if ((s = store_open(store_root, store_key1, err, sizeof(err))) ==
	    NULL)
		_exit(2);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%04d", prefix, i);
		write_value(name, val, sizeof(val));
		if (store_put(s, name, "prov", val, strlen(val), NULL, err,
		    sizeof(err)) == -1)
			_exit(3);
	}
	store_close(s);
	_exit(0);
}

/* write_check_all - open the store; every entry opens to its value;
 * the number of entries */
static size_t
write_check_all(void)
{
	struct store		*s;
	struct store_entry	*e;
	char			 val[256];
	size_t			 n, i;

	s = store_must_open(store_key1);
	store_list(s, &e, &n);
	for (i = 0; i < n; i++) {
		write_value(e[i].name, val, sizeof(val));
		store_want_value(s, e[i].name, val);
	}
	free(e);
	store_close(s);
	return (n);
}

/* write_temps - temporary files in the secrets directory */
static int
write_temps(void)
{
	char		 dir[128];
	DIR		*dp;
	struct dirent	*de;
	int		 n = 0;

	snprintf(dir, sizeof(dir), "%s/secrets", store_root);
	if ((dp = opendir(dir)) == NULL)
		return (0);
	while ((de = readdir(dp)) != NULL)
		if (strstr(de->d_name, ".tmp.") != NULL)
			n++;
	closedir(dp);
	return (n);
}

START_TEST(test_modes)
{
	struct store	*s;
	struct stat	 st;
	char		 path[256];
	mode_t		 old;

	old = umask(0);
	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_close(s);
	umask(old);
	snprintf(path, sizeof(path), "%s/secrets", store_root);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_msg((st.st_mode & 07777) == 0700, "dir: got %o, want 700",
	    st.st_mode & 07777);
	ck_assert_int_eq(stat(store_file, &st), 0);
	ck_assert_msg((st.st_mode & 07777) == 0600, "file: got %o, want 600",
	    st.st_mode & 07777);
	snprintf(path, sizeof(path), "%s/secrets/store.lock", store_root);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_msg((st.st_mode & 07777) == 0600, "lock: got %o, want 600",
	    st.st_mode & 07777);
	/* a directory someone widened is narrowed again by the next write */
	snprintf(path, sizeof(path), "%s/secrets", store_root);
	chmod(path, 0755);
	s = store_must_open(store_key1);
	store_must_put(s, "b", PLAIN_B);
	store_close(s);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
}
END_TEST

START_TEST(test_owner)
{
	struct store	*s;
	struct stat	 st;
	char		 path[256], err[512];

	/* secrets/ may not be a symbolic link: root would chmod its target */
	snprintf(path, sizeof(path), "%s/secrets", store_root);
	ck_assert_int_eq(symlink("/tmp", path), 0);
	s = store_must_open(store_key1);
	ck_assert_int_eq(store_put(s, "a", "p", "v", 1, NULL, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link") != NULL, "got '%s'", err);
	ck_assert_int_eq(unlink(path), 0);
	/* run as root, what the store makes goes to the state root's owner */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(store_root, 65534, 65534), 0);
		store_must_put(s, "a", PLAIN_A);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_int_eq(st.st_uid, 65534);
		ck_assert_int_eq(stat(store_file, &st), 0);
		ck_assert_int_eq(st.st_uid, 65534);
		ck_assert_int_eq(st.st_gid, 65534);
		snprintf(path, sizeof(path), "%s/secrets/store.lock",
		    store_root);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_int_eq(st.st_uid, 65534);
	}
	store_close(s);
}
END_TEST

START_TEST(test_no_plaintext)
{
	struct store	*s;
	char		 dir[256], path[512], *buf;
	size_t		 len;
	DIR		*dp;
	struct dirent	*de;
	int		 files = 0;

	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_must_put(s, "b", PLAIN_B);
	ck_assert_int_eq(store_rekey(s, store_key2, path, sizeof(path)), 0);
	store_close(s);
	snprintf(dir, sizeof(dir), "%s/secrets", store_root);
	ck_assert_ptr_nonnull(dp = opendir(dir));
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_int_eq(fs_read_file(path, 1 << 20, &buf, &len), 0);
		ck_assert_msg(memmem(buf, len, "PLAINTEXT", 9) == NULL,
		    "%s holds a plaintext", path);
		free(buf);
		files++;
	}
	closedir(dp);
	ck_assert_int_eq(files, 2);	/* store.json, store.lock */
}
END_TEST

START_TEST(test_two_writers)
{
	struct store	*s;
	char		 name[64], val[256];
	pid_t		 pid;
	int		 i, status;

	/* make the store first so both writers agree on the key check */
	s = store_must_open(store_key1);
	store_must_put(s, "first", "value-of-first-PLAINTEXT");
	if ((pid = fork()) == 0)
		write_child("child", WRITES);
	ck_assert_int_ne(pid, -1);
	for (i = 0; i < WRITES; i++) {
		snprintf(name, sizeof(name), "parent-%04d", i);
		write_value(name, val, sizeof(val));
		store_must_put(s, name, val);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child: got status %#x, want exit 0", status);
	store_close(s);
	ck_assert_uint_eq(write_check_all(), 2 * WRITES + 1);
}
END_TEST

START_TEST(test_killed_writer)
{
	struct store	*s;
	struct timespec	 nap;
	char		 prefix[32];
	pid_t		 pid;
	size_t		 n = 0;
	int		 round, status;

	for (round = 0; round < KILL_ROUNDS; round++) {
		snprintf(prefix, sizeof(prefix), "round%d", round);
		if ((pid = fork()) == 0)
			write_child(prefix, 100000);
		ck_assert_int_ne(pid, -1);
		nap.tv_sec = 0;
		nap.tv_nsec = (5 + 9 * round) * 1000 * 1000L;
		nanosleep(&nap, NULL);
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFSIGNALED(status), "round %d: got status %#x, "
		    "want killed", round, status);
		n = write_check_all();
	}
	ck_assert_msg(n > 0, "got no entries after %d rounds", KILL_ROUNDS);
	/* the next write sweeps what the dead writers left */
	s = store_must_open(store_key1);
	store_must_put(s, "after", "value-of-after-PLAINTEXT");
	store_close(s);
	ck_assert_int_eq(write_temps(), 0);
	ck_assert_uint_eq(write_check_all(), n + 1);
}
END_TEST

START_TEST(test_stale_temp)
{
	struct store	*s;
	char		 path[256];
	int		 fd;

	s = store_must_open(store_key1);
	store_must_put(s, "a", "value-of-a-PLAINTEXT");
	snprintf(path, sizeof(path), "%s.tmp.1.deadbeef", store_file);
	ck_assert_int_ne(fd = open(path, O_WRONLY | O_CREAT, 0600), -1);
	ck_assert_int_eq(write(fd, "{", 1), 1);
	close(fd);
	ck_assert_int_eq(write_temps(), 1);
	ck_assert_uint_eq(write_check_all(), 1);	/* readers ignore it */
	store_must_put(s, "b", "value-of-b-PLAINTEXT");
	ck_assert_int_eq(write_temps(), 0);
	store_close(s);
}
END_TEST

/* store_write_tcases - files, concurrent writers, a killed writer */
void
store_write_tcases(Suite *su)
{
	TCase	*tc;

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_owner);
	tcase_add_test(tc, test_no_plaintext);
	suite_add_tcase(su, tc);

	tc = tcase_create("writers");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_two_writers);
	tcase_add_test(tc, test_killed_writer);
	tcase_add_test(tc, test_stale_temp);
	suite_add_tcase(su, tc);
}
