/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_store - unit tests for the secret store (workers/secrets/)
 * SYNOPSIS
 *	Suite	*store_suite(void);
 * DESCRIPTION
 *	Each test gets a fresh state root under /tmp (store_setup) that
 *	store_teardown removes. Covered here: master keys (parse, load from
 *	an inline value or a file, generate), name and provider rules, the
 *	base64 and time codecs, seal/open round trips through the file,
 *	list order, replacing, refused puts, delete, store_refresh between
 *	two handles, a store opened without a key, a wrong key ("master key
 *	does not match the store at PATH") and rekey (the old key refused
 *	after). check_store_damage.c adds altered entries and damaged
 *	files; check_store_write.c file modes and owners, the absence of
 *	plaintexts from the files, concurrent writers and a writer killed
 *	in the middle of its writes.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "check_store.h"
#include "fsutil.h"
#include "store.h"
#include "store_crypt.h"

Suite	*store_suite(void);

char			 store_root[64];
char			 store_file[128];
const unsigned char	 store_key1[STORE_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7 };
const unsigned char	 store_key2[STORE_KEY_LEN] = { 9, 8, 7, 6, 5, 4, 3 };

#define PLAIN_A	"sk-PLAINTEXT-alpha-0123456789"
#define PLAIN_B	"sk-PLAINTEXT-bravo-9876543210"

/* store_setup - a fresh state root */
void
store_setup(void)
{
	snprintf(store_root, sizeof(store_root), "/tmp/corral-store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(store_root));
	snprintf(store_file, sizeof(store_file), "%s/secrets/store.json",
	    store_root);
}

/* store_rm_dir - remove a directory's files, then the directory */
static void
store_rm_dir(const char *dir)
{
	char		 path[512];
	DIR		*dp;
	struct dirent	*de;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) == -1 && errno == EISDIR)
			store_rm_dir(path);
		else if (errno == EISDIR || errno == EPERM)
			store_rm_dir(path);
	}
	closedir(dp);
	rmdir(dir);
}

/* store_teardown - remove the state root */
void
store_teardown(void)
{
	store_rm_dir(store_root);
}

/* store_must_open - open with key or fail the test */
struct store *
store_must_open(const unsigned char *key)
{
	struct store	*s;
	char		 err[512];

	s = store_open(store_root, key, err, sizeof(err));
	ck_assert_msg(s != NULL, "store_open: got error '%s', want a store",
	    err);
	return (s);
}

/* store_must_put - put or fail the test */
void
store_must_put(struct store *s, const char *name, const char *value)
{
	char	err[512];

	ck_assert_msg(store_put(s, name, "prov", value, strlen(value), NULL,
	    err, sizeof(err)) == 0, "store_put %s: got '%s', want 0", name,
	    err);
}

/* store_want_value - get name and compare it with want */
void
store_want_value(struct store *s, const char *name, const char *want)
{
	char	*v, err[512];
	size_t	 len;

	ck_assert_msg(store_get(s, name, &v, &len, NULL, err,
	    sizeof(err)) == 0, "store_get %s: got '%s', want 0", name, err);
	ck_assert_msg(len == strlen(want) && memcmp(v, want, len) == 0 &&
	    v[len] == '\0', "store_get %s: got another value", name);
	free(v);
}

/* --- keys ------------------------------------------------------------ */

static const struct {
	const char	*text;
	int		 ok;
} key_cases[] = {
	{ "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", 1 },
	{ "  AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n", 1 },
	{ "\tAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\r\n", 1 },
	{ "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhc=", 0 },		/* 22 bytes */
	{ "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh", 0 },	/* 33 */
	{ "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA", 0 },	/* no = */
	{ "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyB=", 0 },	/* bits */
	{ "AQIDBAUGBwgJCgsM DQ4PEBESExQVFhcYGRobHB0eHyA=", 0 },
	{ "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHy-=", 0 },
	{ "not a key at all", 0 },
	{ "", 0 },
	{ " \t\n", 0 },
};

START_TEST(test_key_parse)
{
	unsigned char	key[STORE_KEY_LEN];
	char		err[256] = "";
	int		rc, i;

	rc = store_key_parse(key_cases[_i].text, key, err, sizeof(err));
	ck_assert_msg(rc == (key_cases[_i].ok ? 0 : -1),
	    "case %d: got %d (%s), want %s", _i, rc, err,
	    key_cases[_i].ok ? "ok" : "refused");
	if (key_cases[_i].ok)
		for (i = 0; i < STORE_KEY_LEN; i++)
			ck_assert_int_eq(key[i], i + 1);
	else
		ck_assert_msg(strstr(err, "master key") != NULL, "case %d: "
		    "got message '%s', want one about the master key", _i,
		    err);
}
END_TEST

START_TEST(test_key_load)
{
	unsigned char	key[STORE_KEY_LEN];
	char		err[512], path[128];
	const char	*good = key_cases[0].text;

	ck_assert_int_eq(store_key_load(good, NULL, key, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(store_key_load(good, "/x", key, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "CORRAL_AUTH_STORE_MASTER_KEY and "
	    "CORRAL_AUTH_STORE_MASTER_KEY_FILE") != NULL, "got '%s'", err);
	ck_assert_int_eq(store_key_load(NULL, NULL, key, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "no master key") != NULL, "got '%s'", err);
	snprintf(path, sizeof(path), "%s/nope", store_root);
	ck_assert_int_eq(store_key_load(NULL, path, key, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "_FILE") != NULL && strstr(err, path) !=
	    NULL, "got '%s', want the variable and the path", err);
	snprintf(path, sizeof(path), "%s/key", store_root);
	ck_assert_int_eq(fs_write_atomic(path, "AAAA\n", 5, 0600), 0);
	ck_assert_int_eq(store_key_load(NULL, path, key, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "3 bytes, want 32") != NULL, "got '%s'",
	    err);
	ck_assert_int_eq(fs_write_atomic(path, good, strlen(good), 0600), 0);
	memset(key, 0, sizeof(key));
	ck_assert_int_eq(store_key_load(NULL, path, key, err, sizeof(err)),
	    0);
	ck_assert_int_eq(key[31], 32);
	ck_assert_int_eq(store_key_load("", NULL, key, err, sizeof(err)), -1);
	ck_assert_int_eq(store_key_load(NULL, "", key, err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_key_generate)
{
	unsigned char	key[STORE_KEY_LEN];
	char		a[64], b[64], err[256];

	ck_assert_int_eq(store_key_generate(a, 10), -1);
	ck_assert_int_eq(store_key_generate(a, sizeof(a)), 0);
	ck_assert_int_eq(store_key_generate(b, sizeof(b)), 0);
	ck_assert_uint_eq(strlen(a), 45);
	ck_assert_int_eq(a[44], '\n');
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(store_key_parse(a, key, err, sizeof(err)), 0);
}
END_TEST

/* --- names and codecs ------------------------------------------------ */

START_TEST(test_names)
{
	static const char *good[] = { "a", "openai.prod", "A-b_c.9",
	    "0x", NULL };
	static const char *bad[] = { "", ".a", "-a", "_a", "a b", "a/b",
	    "a\n", "é", NULL };
	static const char *pgood[] = { "openai", "a.b-c_d", "9", NULL };
	static const char *pbad[] = { "", "OpenAI", ".x", "a b", "a/b",
	    NULL };
	char	 longname[STORE_NAME_MAX + 2];
	int	 i;

	for (i = 0; good[i] != NULL; i++)
		ck_assert_msg(store_name_valid(good[i]), "'%s': got invalid, "
		    "want valid", good[i]);
	for (i = 0; bad[i] != NULL; i++)
		ck_assert_msg(!store_name_valid(bad[i]), "'%s': got valid, "
		    "want invalid", bad[i]);
	for (i = 0; pgood[i] != NULL; i++)
		ck_assert_msg(store_provider_valid(pgood[i]), "'%s'",
		    pgood[i]);
	for (i = 0; pbad[i] != NULL; i++)
		ck_assert_msg(!store_provider_valid(pbad[i]), "'%s'", pbad[i]);
	ck_assert(!store_name_valid(NULL));
	memset(longname, 'a', sizeof(longname));
	longname[STORE_NAME_MAX] = '\0';
	ck_assert(store_name_valid(longname));
	longname[STORE_NAME_MAX] = 'a';
	longname[STORE_NAME_MAX + 1] = '\0';
	ck_assert(!store_name_valid(longname));
}
END_TEST

START_TEST(test_b64)
{
	unsigned char	in[40], out[40];
	char		text[64];
	size_t		n, got;

	for (n = 0; n < sizeof(in); n++)
		in[n] = (unsigned char)(n * 37 + 11);
	for (n = 0; n <= sizeof(in); n++) {
		store_b64_encode(in, n, text);
		ck_assert_uint_eq(strlen(text), store_b64_len(n));
		ck_assert_int_eq(store_b64_decode(text, strlen(text), out,
		    sizeof(out), &got), 0);
		ck_assert_uint_eq(got, n);
		ck_assert(memcmp(in, out, n) == 0);
	}
	ck_assert_int_eq(store_b64_decode("QQ=", 3, out, 40, &got), -1);
	ck_assert_int_eq(store_b64_decode("Q===", 4, out, 40, &got), -1);
	ck_assert_int_eq(store_b64_decode("QQ=A", 4, out, 40, &got), -1);
	ck_assert_int_eq(store_b64_decode("QQ==QQ==", 8, out, 40, &got), -1);
	ck_assert_int_eq(store_b64_decode("QUJD", 4, out, 2, &got), -1);
	ck_assert_int_eq(store_b64_decode("QUJD", 4, out, 3, &got), 0);
}
END_TEST

START_TEST(test_time)
{
	char	buf[STORE_TIME_LEN + 1];
	time_t	t;

	store_time_format(1700000000, buf);
	ck_assert_str_eq(buf, "2023-11-14T22:13:20Z");
	ck_assert_int_eq(store_time_parse(buf, &t), 0);
	ck_assert_int_eq(t, 1700000000);
	ck_assert_int_eq(store_time_parse("2023-11-14 22:13:20Z", &t), -1);
	ck_assert_int_eq(store_time_parse("2023-13-14T22:13:20Z", &t), -1);
	ck_assert_int_eq(store_time_parse("2023-11-14T22:13:20", &t), -1);
}
END_TEST

/* --- the store ------------------------------------------------------- */

START_TEST(test_round_trip)
{
	struct store		*s;
	struct store_entry	*e, meta;
	char			*v, err[512];
	size_t			 n, len;
	time_t			 t0 = time(NULL);

	s = store_must_open(store_key1);
	store_list(s, &e, &n);
	ck_assert_uint_eq(n, 0);
	free(e);
	ck_assert_int_eq(access(store_file, F_OK), -1);	/* not made */
	ck_assert_int_eq(store_put(s, "zulu", "openai", PLAIN_A,
	    strlen(PLAIN_A), &meta, err, sizeof(err)), 0);
	ck_assert_str_eq(meta.name, "zulu");
	ck_assert_str_eq(meta.provider, "openai");
	ck_assert(meta.created >= t0 && meta.updated == meta.created);
	store_must_put(s, "alpha", PLAIN_B);
	store_must_put(s, "mike", "m");
	store_want_value(s, "zulu", PLAIN_A);
	store_close(s);

	s = store_must_open(store_key1);
	store_list(s, &e, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(e[0].name, "alpha");
	ck_assert_str_eq(e[1].name, "mike");
	ck_assert_str_eq(e[2].name, "zulu");
	ck_assert_str_eq(e[2].provider, "openai");
	free(e);
	store_want_value(s, "alpha", PLAIN_B);
	ck_assert_int_eq(store_get(s, "zulu", &v, &len, &meta, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(v, PLAIN_A);
	ck_assert_str_eq(meta.provider, "openai");
	free(v);
	/* replacing keeps created, moves updated, may change provider */
	ck_assert_int_eq(store_put(s, "zulu", "other", "new", 3, &meta, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(meta.provider, "other");
	store_want_value(s, "zulu", "new");
	ck_assert_int_eq(store_get(s, "nope", &v, &len, NULL, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(store_path(s), store_file);
	store_close(s);
}
END_TEST

START_TEST(test_put_refused)
{
	struct store	*s;
	char		 err[512], *big;

	s = store_must_open(store_key1);
	ck_assert_int_eq(store_put(s, "bad name", "p", "v", 1, NULL, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(store_put(s, "n", "Bad", "v", 1, NULL, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(store_put(s, "n", "p", "", 0, NULL, err,
	    sizeof(err)), -1);
	big = calloc(1, STORE_VALUE_MAX + 1);
	memset(big, 'x', STORE_VALUE_MAX + 1);
	ck_assert_int_eq(store_put(s, "n", "p", big, STORE_VALUE_MAX + 1,
	    NULL, err, sizeof(err)), -1);
	ck_assert_int_eq(store_put(s, "n", "p", big, STORE_VALUE_MAX, NULL,
	    err, sizeof(err)), 0);
	free(big);
	store_close(s);
	s = store_must_open(store_key1);
	store_close(s);
}
END_TEST

START_TEST(test_delete)
{
	struct store		*s;
	struct store_entry	*e;
	char			 err[512];
	size_t			 n;

	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_must_put(s, "b", PLAIN_B);
	ck_assert_int_eq(store_delete(s, "a", err, sizeof(err)), 0);
	ck_assert_int_eq(store_delete(s, "a", err, sizeof(err)), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(store_delete(s, "../x", err, sizeof(err)), -1);
	ck_assert_int_eq(errno, ENOENT);
	store_close(s);
	s = store_must_open(store_key1);
	store_list(s, &e, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(e[0].name, "b");
	free(e);
	store_want_value(s, "b", PLAIN_B);
	store_close(s);
}
END_TEST

START_TEST(test_refresh)
{
	struct store		*a, *b;
	struct store_entry	*e;
	char			 err[512];
	size_t			 n;

	a = store_must_open(store_key1);
	b = store_must_open(store_key1);
	ck_assert_int_eq(store_refresh(b, err, sizeof(err)), 0);
	store_must_put(a, "one", PLAIN_A);
	ck_assert_int_eq(store_refresh(b, err, sizeof(err)), 0);
	store_list(b, &e, &n);
	ck_assert_uint_eq(n, 1);
	free(e);
	store_want_value(b, "one", PLAIN_A);
	/* b writes on top of a's change without losing it */
	store_must_put(b, "two", PLAIN_B);
	store_must_put(a, "three", "3");
	store_list(a, &e, &n);
	ck_assert_uint_eq(n, 3);
	free(e);
	ck_assert_int_eq(store_refresh(a, err, sizeof(err)), 0);
	unlink(store_file);
	ck_assert_int_eq(store_refresh(a, err, sizeof(err)), 0);
	store_list(a, &e, &n);
	ck_assert_uint_eq(n, 0);
	free(e);
	store_close(a);
	store_close(b);
}
END_TEST

START_TEST(test_no_key)
{
	struct store		*s;
	struct store_entry	*e;
	char			*v, err[512];
	size_t			 n, len;

	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_close(s);
	s = store_must_open(NULL);
	store_list(s, &e, &n);
	ck_assert_uint_eq(n, 1);
	free(e);
	ck_assert_int_eq(store_get(s, "a", &v, &len, NULL, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, ENOKEY);
	ck_assert_int_eq(store_put(s, "b", "p", "v", 1, NULL, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(errno, ENOKEY);
	store_close(s);
}
END_TEST

START_TEST(test_wrong_key)
{
	struct store	*s;
	char		 err[512], want[512];

	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_close(s);
	ck_assert_ptr_null(store_open(store_root, store_key2, err,
	    sizeof(err)));
	ck_assert_int_eq(errno, EKEYREJECTED);
	snprintf(want, sizeof(want), "master key does not match the store at "
	    "%s", store_file);
	ck_assert_str_eq(err, want);
	/* an empty store takes any key until its first write */
	unlink(store_file);
	s = store_must_open(store_key2);
	store_close(s);
}
END_TEST

START_TEST(test_rekey)
{
	struct store	*s;
	char		 err[512];

	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_must_put(s, "b", PLAIN_B);
	ck_assert_int_eq(store_rekey(s, store_key2, err, sizeof(err)), 0);
	store_want_value(s, "a", PLAIN_A);
	store_must_put(s, "c", "see");
	store_close(s);
	ck_assert_ptr_null(store_open(store_root, store_key1, err,
	    sizeof(err)));
	ck_assert_int_eq(errno, EKEYREJECTED);
	s = store_must_open(store_key2);
	store_want_value(s, "a", PLAIN_A);
	store_want_value(s, "b", PLAIN_B);
	store_want_value(s, "c", "see");
	store_close(s);
}
END_TEST

/* store_suite - every store test case */
Suite *
store_suite(void)
{
	Suite	*su = suite_create("store");
	TCase	*tc;

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_add_loop_test(tc, test_key_parse, 0,
	    sizeof(key_cases) / sizeof(key_cases[0]));
	tcase_add_test(tc, test_key_load);
	tcase_add_test(tc, test_key_generate);
	suite_add_tcase(su, tc);

	tc = tcase_create("codecs");
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_b64);
	tcase_add_test(tc, test_time);
	suite_add_tcase(su, tc);

	tc = tcase_create("store");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_put_refused);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_refresh);
	tcase_add_test(tc, test_no_key);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_rekey);
	suite_add_tcase(su, tc);

	store_damage_tcases(su);
	store_write_tcases(su);
	return (su);
}
