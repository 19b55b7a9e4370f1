/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	store_file.h - the store's on-disk format (internal)
 * SYNOPSIS
 *	#include "store_file.h"
 * DESCRIPTION
 *	struct store_data is one reading of store.json: the key-check value
 *	and the entries, sorted by name, each with its sealed value. The
 *	functions read, parse and render the file (docs/secrets.md) and
 *	seal or open one entry with the associated data that binds it to
 *	its name and provider. Only store.c and the unit tests use them.
 */
#ifndef CORRAL_STORE_FILE_H
#define CORRAL_STORE_FILE_H

#include <sys/stat.h>

#include <stddef.h>

#include "store.h"
#include "store_crypt.h"

#define STORE_FORMAT		"corral-secrets"
#define STORE_VERSION		1
#define STORE_CIPHER		"aes-256-gcm"
#define STORE_FILE_MAX		(32 * 1024 * 1024)
#define STORE_CHECK_TEXT	"corral master key check"
#define STORE_CHECK_LEN		(sizeof(STORE_CHECK_TEXT) - 1)

struct store_rec {
	struct store_entry	 meta;
	unsigned char		 nonce[STORE_NONCE_LEN];
	unsigned char		 tag[STORE_TAG_LEN];
	unsigned char		*ct;	/* ctlen bytes */
	size_t			 ctlen;	/* the value's length */
};

struct store_data {
	int			 has_check;
	unsigned char		 check_nonce[STORE_NONCE_LEN];
	unsigned char		 check_tag[STORE_TAG_LEN];
	unsigned char		 check_ct[STORE_CHECK_LEN];
	struct store_rec	*recs;		/* sorted by name */
	size_t			 n, cap;
};

/* store_file_read - the whole file and its stat; 1 read, 0 absent, -1 */
int	store_file_read(const char *path, char **buf, size_t *len,
	    struct stat *st, char *err, size_t errlen);

/* store_file_parse - the JSON text of path into d; -1 (EBADMSG, ENOTSUP) */
int	store_file_parse(const char *path, const char *buf, size_t len,
	    struct store_data *d, char *err, size_t errlen);

/* store_file_render - d as JSON text (caller frees; no plaintext in it) */
char	*store_file_render(const struct store_data *d, size_t *len);

/* store_file_check - 0 if key opens d's key-check value */
int	store_file_check(const unsigned char *key,
	    const struct store_data *d);

/* store_file_new_check - seal a fresh key-check value under key into d */
int	store_file_new_check(const unsigned char *key, struct store_data *d);

/* store_rec_seal - seal len bytes of value into r under key (new nonce) */
int	store_rec_seal(const unsigned char *key, struct store_rec *r,
	    const void *value, size_t len);

/* store_rec_open - r's value into pt (r->ctlen bytes), or -1 and wiped */
int	store_rec_open(const unsigned char *key, const struct store_rec *r,
	    unsigned char *pt);

/* store_data_find - the entry called name, or NULL */
struct store_rec *store_data_find(struct store_data *d, const char *name);

/* store_data_add - a new empty entry called name in its sorted place */
struct store_rec *store_data_add(struct store_data *d, const char *name);

/* store_data_remove - drop the entry called name; -1 if absent */
int	store_data_remove(struct store_data *d, const char *name);

/* store_data_free - free every entry of d and clear it */
void	store_data_free(struct store_data *d);

#endif
