/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	store_crypt.h - the store's sealing and text codecs (internal)
 * SYNOPSIS
 *	#include "store_crypt.h"
 * DESCRIPTION
 *	What store.c builds the file from: AES-256-GCM sealing of one value
 *	with associated data (store_seal, store_unseal), strict base64 with
 *	padding (store_b64_*), and RFC 3339 UTC timestamps (store_time_*).
 *	The key functions of store.h (store_key_*) and the name rules
 *	(store_name_valid, store_provider_valid) live in store_crypt.c too.
 *	Only store.c and the unit tests include this header.
 */
#ifndef CORRAL_STORE_CRYPT_H
#define CORRAL_STORE_CRYPT_H

#include <stddef.h>
#include <time.h>

#define STORE_NONCE_LEN		12	/* GCM's 96-bit IV */
#define STORE_TAG_LEN		16	/* full 128-bit tag */
#define STORE_TIME_LEN		20	/* "2006-01-02T15:04:05Z" */

/* store_b64_len - encoded length of n bytes, without the NUL */
#define store_b64_len(n)	(((n) + 2) / 3 * 4)

/* store_b64_encode - n bytes to base64 with padding, NUL-terminated; out
 * holds store_b64_len(n) + 1 bytes */
void	store_b64_encode(const unsigned char *in, size_t n, char *out);

/* store_b64_decode - inlen chars of base64 (padding required, nothing
 * else allowed) into at most outmax bytes; -1 if not base64 or too long */
int	store_b64_decode(const char *in, size_t inlen, unsigned char *out,
	    size_t outmax, size_t *outlen);

/* store_seal - encrypt len bytes under key with a fresh random nonce;
 * ct receives len bytes; -1 if OpenSSL fails */
int	store_seal(const unsigned char *key, const void *aad, size_t aadlen,
	    const void *pt, size_t len, unsigned char nonce[STORE_NONCE_LEN],
	    unsigned char *ct, unsigned char tag[STORE_TAG_LEN]);

/* store_unseal - decrypt and authenticate; pt receives len bytes, wiped
 * again if the tag does not match; -1 then */
int	store_unseal(const unsigned char *key, const void *aad,
	    size_t aadlen, const unsigned char nonce[STORE_NONCE_LEN],
	    const unsigned char *ct, size_t len,
	    const unsigned char tag[STORE_TAG_LEN], unsigned char *pt);

/* store_time_format - t as RFC 3339 UTC into out[STORE_TIME_LEN + 1] */
void	store_time_format(time_t t, char *out);

/* store_time_parse - "YYYY-MM-DDTHH:MM:SSZ" to a time; -1 if malformed */
int	store_time_parse(const char *s, time_t *t);

#endif
