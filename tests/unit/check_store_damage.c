/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_store_damage - altered and damaged store files
 * SYNOPSIS
 *	void	store_damage_tcases(Suite *su);
 * DESCRIPTION
 *	"altered" edits one field of the entry "a" in a valid store file
 *	the way an attacker or a bad disk might (a bit of the ciphertext,
 *	nonce or tag, a shorter ciphertext, the name, the provider, two
 *	entries' sealed values swapped) and wants store_get to fail with
 *	EBADMSG and a message naming the file and the entry, with no value
 *	handed out, while untouched entries still open; rekey then refuses
 *	and leaves the file as it was. "damaged" breaks the file itself
 *	(bad JSON, a NUL byte, another format, version or cipher, a bad
 *	key check, entry or time, a name twice) and wants store_open to
 *	refuse with a message naming the file.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "check_store.h"
#include "fsutil.h"
#include "store.h"
#include "store_crypt.h"

#define PLAIN_A	"sk-PLAINTEXT-alpha-0123456789"
#define PLAIN_B	"sk-PLAINTEXT-bravo-9876543210"

/* damage_load - the store file as JSON */
static cJSON *
damage_load(void)
{
	cJSON	*root;
	char	*buf;
	size_t	 len;

	ck_assert_int_eq(fs_read_file(store_file, 1 << 20, &buf, &len), 0);
	root = cJSON_Parse(buf);
	free(buf);
	ck_assert_ptr_nonnull(root);
	return (root);
}

/* damage_save - write root back as the store file and free it */
static void
damage_save(cJSON *root)
{
	char	*text = cJSON_PrintUnformatted(root);

	ck_assert_int_eq(fs_write_atomic(store_file, text, strlen(text),
	    0600), 0);
	cJSON_free(text);
	cJSON_Delete(root);
}

/* damage_entry - the entry called name in root */
static cJSON *
damage_entry(cJSON *root, const char *name)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "entries"))
		if (strcmp(cJSON_GetObjectItem(e, "name")->valuestring,
		    name) == 0)
			return (e);
	ck_abort_msg("no entry %s", name);
	return (NULL);
}

/* damage_flip - flip one bit of the base64 field key of o (or cut one
 * byte off it) */
static void
damage_flip(cJSON *o, const char *key, int cut)
{
	unsigned char	raw[256];
	char		text[512];
	const char	*v = cJSON_GetObjectItem(o, key)->valuestring;
	size_t		n;

	ck_assert_int_eq(store_b64_decode(v, strlen(v), raw, sizeof(raw),
	    &n), 0);
	if (cut)
		n--;
	else
		raw[n / 2] ^= 0x10;
	store_b64_encode(raw, n, text);
	cJSON_ReplaceItemInObject(o, key, cJSON_CreateString(text));
}

/* damage_string - set the string field key of o */
static void
damage_string(cJSON *o, const char *key, const char *val)
{
	cJSON_ReplaceItemInObject(o, key, cJSON_CreateString(val));
}

static const struct {
	const char	*what;
	const char	*field;	/* NULL: see the case */
	int		 cut;
	const char	*target;	/* the name that must not open */
} alter_cases[] = {
	{ "ciphertext bit", "ct", 0, "a" },
	{ "ciphertext cut short", "ct", 1, "a" },
	{ "nonce bit", "nonce", 0, "a" },
	{ "tag bit", "tag", 0, "a" },
	{ "name", NULL, 0, "c" },
	{ "provider", NULL, 0, "a" },
	{ "values swapped", NULL, 0, "a" },
};

START_TEST(test_altered)
{
	struct store	*s;
	cJSON		*root, *a, *b, *tmp;
	char		*v = NULL, *before, *after, err[512];
	size_t		 len, blen, alen;
	static const char *fields[] = { "nonce", "ct", "tag" };
	int		 i;

	s = store_must_open(store_key1);
	store_must_put(s, "a", PLAIN_A);
	store_must_put(s, "b", PLAIN_B);
	store_close(s);
	root = damage_load();
	a = damage_entry(root, "a");
	if (alter_cases[_i].field != NULL)
		damage_flip(a, alter_cases[_i].field, alter_cases[_i].cut);
	else if (_i == 4)
		damage_string(a, "name", "c");
	else if (_i == 5)
		damage_string(a, "provider", "evil");
	else {
		b = damage_entry(root, "b");
		for (i = 0; i < 3; i++) {
			tmp = cJSON_DetachItemFromObject(a, fields[i]);
			cJSON_AddItemToObject(a, fields[i],
			    cJSON_DetachItemFromObject(b, fields[i]));
			cJSON_AddItemToObject(b, fields[i], tmp);
		}
	}
	damage_save(root);

	s = store_must_open(store_key1);
	errno = 0;
	ck_assert_msg(store_get(s, alter_cases[_i].target, &v, &len, NULL,
	    err, sizeof(err)) == -1, "%s: got a value, want an error",
	    alter_cases[_i].what);
	ck_assert_ptr_null(v);
	ck_assert_msg(errno == EBADMSG, "%s: got errno %d, want EBADMSG",
	    alter_cases[_i].what, errno);
	ck_assert_msg(strstr(err, store_file) != NULL && strstr(err, "'") !=
	    NULL && strstr(err, "PLAINTEXT") == NULL, "%s: got '%s', want "
	    "the file and the entry", alter_cases[_i].what, err);
	ck_assert_msg(strstr(err, alter_cases[_i].target) != NULL,
	    "%s: got '%s', want the name '%s'", alter_cases[_i].what, err,
	    alter_cases[_i].target);
	if (_i != 6)
		store_want_value(s, "b", PLAIN_B);
	/* rekey refuses and changes nothing */
	ck_assert_int_eq(fs_read_file(store_file, 1 << 20, &before, &blen), 0);
	ck_assert_int_eq(store_rekey(s, store_key2, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "nothing was changed") != NULL, "got '%s'",
	    err);
	ck_assert_int_eq(fs_read_file(store_file, 1 << 20, &after, &alen), 0);
	ck_assert(blen == alen && memcmp(before, after, blen) == 0);
	free(before);
	free(after);
	/* the damaged entry can still be replaced or deleted */
	store_must_put(s, alter_cases[_i].target, "fresh");
	store_want_value(s, alter_cases[_i].target, "fresh");
	store_close(s);
}
END_TEST

static const struct {
	const char	*what;
	int		 err;		/* errno */
	const char	*want;		/* in the message */
} damage_cases[] = {
	{ "truncated", EBADMSG, "not valid JSON" },
	{ "empty", EBADMSG, "not valid JSON" },
	{ "NUL byte", EBADMSG, "not valid JSON" },
	{ "format", EBADMSG, "not a corral secret store" },
	{ "version 2", ENOTSUP, "version 2 is not supported" },
	{ "version string", EBADMSG, "version" },
	{ "cipher", ENOTSUP, "cipher" },
	{ "key check missing", EBADMSG, "key_check" },
	{ "entries missing", EBADMSG, "entries" },
	{ "short nonce", EBADMSG, "secret 'a': missing or bad nonce" },
	{ "bad time", EBADMSG, "secret 'a': missing or bad created" },
	{ "twice", EBADMSG, "secret 'b': appears twice" },
	{ "bad name", EBADMSG, "entry 1: missing or bad name" },
	{ "key check altered", EKEYREJECTED, "master key does not match" },
};

START_TEST(test_damaged)
{
	struct store	*s, *w;
	cJSON		*root, *a;
	char		*buf, *after, err[512];
	size_t		 len, alen;

	w = store_must_open(store_key1);
	store_must_put(w, "a", PLAIN_A);
	store_must_put(w, "b", PLAIN_B);
	root = damage_load();
	a = damage_entry(root, "a");
	switch (_i) {
	case 0:
	case 1:
	case 2:
		cJSON_Delete(root);
		ck_assert_int_eq(fs_read_file(store_file, 1 << 20, &buf,
		    &len), 0);
		if (_i == 0)
			len /= 2;
		else if (_i == 1)
			len = 0;
		else
			buf[len - 2] = '\0';
		ck_assert_int_eq(fs_write_atomic(store_file, buf, len, 0600),
		    0);
		free(buf);
		root = NULL;
		break;
	case 3:
		damage_string(root, "format", "something-else");
		break;
	case 4:
		cJSON_ReplaceItemInObject(root, "version",
		    cJSON_CreateNumber(2));
		break;
	case 5:
		damage_string(root, "version", "1");
		break;
	case 6:
		damage_string(root, "cipher", "chacha20-poly1305");
		break;
	case 7:
		cJSON_DeleteItemFromObject(root, "key_check");
		break;
	case 8:
		cJSON_DeleteItemFromObject(root, "entries");
		break;
	case 9:
		damage_string(a, "nonce", "AAAAAAAAAAAAAAA=");	/* 11 B */
		break;
	case 10:
		damage_string(a, "created", "yesterday");
		break;
	case 11:
		damage_string(a, "name", "b");
		break;
	case 12:
		damage_string(a, "name", "../../etc/passwd");
		break;
	case 13:
		damage_flip(cJSON_GetObjectItem(root, "key_check"), "ct", 0);
		break;
	}
	if (root != NULL)
		damage_save(root);
	errno = 0;
	s = store_open(store_root, store_key1, err, sizeof(err));
	ck_assert_msg(s == NULL, "%s: got a store, want an error",
	    damage_cases[_i].what);
	ck_assert_msg(errno == damage_cases[_i].err, "%s: got errno %d, want "
	    "%d", damage_cases[_i].what, errno, damage_cases[_i].err);
	ck_assert_msg(strstr(err, store_file) != NULL &&
	    strstr(err, damage_cases[_i].want) != NULL, "%s: got '%s', want "
	    "the file and '%s'", damage_cases[_i].what, err,
	    damage_cases[_i].want);
	/* a writer that opened it before refuses too, and leaves it alone */
	ck_assert_int_eq(fs_read_file(store_file, 1 << 20, &buf, &len), 0);
	ck_assert_int_eq(store_put(w, "c", "p", "v", 1, NULL, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(errno, damage_cases[_i].err);
	ck_assert_int_eq(fs_read_file(store_file, 1 << 20, &after, &alen), 0);
	ck_assert(len == alen && memcmp(buf, after, len) == 0);
	free(buf);
	free(after);
	store_close(w);
	/* without a key only the key check goes unnoticed */
	if (_i != 13)
		ck_assert_ptr_null(store_open(store_root, NULL, err,
		    sizeof(err)));
}
END_TEST

/* store_damage_tcases - altered entries and damaged files */
void
store_damage_tcases(Suite *su)
{
	TCase	*tc;

	tc = tcase_create("altered");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_add_loop_test(tc, test_altered, 0,
	    sizeof(alter_cases) / sizeof(alter_cases[0]));
	suite_add_tcase(su, tc);

	tc = tcase_create("damaged");
	tcase_add_checked_fixture(tc, store_setup, store_teardown);
	tcase_add_loop_test(tc, test_damaged, 0,
	    sizeof(damage_cases) / sizeof(damage_cases[0]));
	suite_add_tcase(su, tc);
}
