/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_sha256.h - SHA-256 for the http worker's token digests
 * SYNOPSIS
 *	void	http_sha256(const void *buf, size_t len,
 *		    unsigned char md[HTTP_SHA256_LEN]);
 * DESCRIPTION
 *	One-shot SHA-256 (FIPS 180-4) of a buffer. See http_sha256.c for
 *	why the http worker has its own.
 */
#ifndef CORRAL_HTTP_SHA256_H
#define CORRAL_HTTP_SHA256_H

#include <stddef.h>

#define HTTP_SHA256_LEN	32

/* http_sha256 - the SHA-256 digest of len bytes at buf into md */
void	http_sha256(const void *buf, size_t len,
	    unsigned char md[HTTP_SHA256_LEN]);

#endif
