/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	store.h - corral's encrypted secret store
 * SYNOPSIS
 *	#include "store.h"
 * DESCRIPTION
 *	The store is one file, state_root/secrets/store.json (0600, in a
 *	0700 directory), documented in docs/secrets.md. Each entry's value is
 *	sealed with AES-256-GCM under the 256-bit master key, with a fresh
 *	random 96-bit nonce per write and the entry's name and provider bound
 *	in as associated data; a key-check value (a fixed plaintext sealed
 *	under the key) tells a wrong key from a damaged store. Writers take
 *	an exclusive flock on state_root/secrets/store.lock, re-read the file,
 *	change it and replace it atomically (temp + fsync + rename + fsync of
 *	the directory), so the daemon and the offline CLI never lose each
 *	other's changes. Key material and plaintexts are wiped with
 *	OPENSSL_cleanse after use; no error message holds either.
 *
 *	The store is used by two programs: the secrets worker (the only
 *	daemon process that holds the key) and `corral secrets ...` (offline).
 *
 *	The implementation is store.c (the API, locking, transactions),
 *	store_file.c (the JSON format) and store_crypt.c (keys, AES-GCM,
 *	base64, times).
 * DIAGNOSTICS
 *	Functions return 0 or -1 with one line in err (no secret in it) and
 *	errno set: EKEYREJECTED for a wrong key, which reads "master key
 *	does not match the store at PATH"; EBADMSG for a damaged file or
 *	entry (the message names the file and the entry); ENOTSUP for a
 *	format version or cipher this corral does not know; ENOENT for a
 *	name that is not there; ENOKEY for store_get or a change on a store
 *	opened without a key; EINVAL for a bad name, provider or value;
 *	otherwise what the system said (EACCES, ENOSPC...).
 */
#ifndef CORRAL_STORE_H
#define CORRAL_STORE_H

#include <stddef.h>
#include <time.h>

#define STORE_KEY_LEN		32
#define STORE_NAME_MAX		128	/* [A-Za-z0-9._-], alnum 1st */
#define STORE_PROVIDER_MAX	64	/* [a-z0-9._-] */
#define STORE_VALUE_MAX		(64 * 1024)

struct store;

struct store_entry {
	char	name[STORE_NAME_MAX + 1];
	char	provider[STORE_PROVIDER_MAX + 1];
	time_t	created;
	time_t	updated;
};

/* store_key_parse - base64 text (44 chars, surrounding blanks allowed) to
 * a 32-byte key; -1 if not base64 or not 32 bytes */
int	store_key_parse(const char *text, unsigned char key[STORE_KEY_LEN],
	    char *err, size_t errlen);

/* store_key_load - the key from an inline value or a file (exactly one of
 * them non-NULL; both: refused); names the source in err */
int	store_key_load(const char *inline_value, const char *file,
	    unsigned char key[STORE_KEY_LEN], char *err, size_t errlen);

/* store_key_generate - 256 random bits as base64 plus '\n' (46 bytes) */
int	store_key_generate(char *out, size_t outlen);

/* store_name_valid, store_provider_valid - 1 if acceptable */
int	store_name_valid(const char *name);
int	store_provider_valid(const char *provider);

/* store_open - the store under state_root with key (copied); a missing
 * file is an empty store (nothing is created before the first write); a
 * wrong key or a damaged file is an error. key NULL: names and metadata
 * only (store_list), no key check, store_get and changes fail ENOKEY */
struct store *store_open(const char *state_root,
	    const unsigned char key[STORE_KEY_LEN], char *err, size_t errlen);

/* store_refresh - re-read the file if another writer replaced it (inode,
 * size, mtime or ctime differ); 0/-1, and on -1 the last good reading
 * stays (a rekey by someone else gives EKEYREJECTED here) */
int	store_refresh(struct store *s, char *err, size_t errlen);

/* store_path - the store file's path */
const char *store_path(const struct store *s);

/* store_list - entries sorted by name (as of the last read or write);
 * caller frees *out (never NULL, even for n == 0); always 0 */
int	store_list(struct store *s, struct store_entry **out, size_t *n);

/* store_get - decrypt one value into *value (NUL-terminated, len in *len;
 * the caller wipes and frees it); -1 and errno ENOENT if absent */
int	store_get(struct store *s, const char *name, char **value,
	    size_t *len, struct store_entry *meta, char *err, size_t errlen);

/* store_put - add or replace one entry (1..STORE_VALUE_MAX bytes;
 * replacing keeps created); meta gets what was stored. Like every change
 * it locks, re-reads the file, writes it atomically, then adopts it */
int	store_put(struct store *s, const char *name, const char *provider,
	    const void *value, size_t len, struct store_entry *meta,
	    char *err, size_t errlen);

/* store_delete - remove one entry; -1 and errno ENOENT if absent */
int	store_delete(struct store *s, const char *name, char *err,
	    size_t errlen);

/* store_rekey - re-encrypt every entry under newkey, atomically; an entry
 * that does not decrypt stops it with nothing changed; s then holds newkey */
int	store_rekey(struct store *s, const unsigned char newkey[STORE_KEY_LEN],
	    char *err, size_t errlen);

/* store_close - wipe the key and every cached secret, free */
void	store_close(struct store *s);

#endif
