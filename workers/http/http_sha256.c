/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_sha256 - SHA-256 for the http worker's token digests
 * SYNOPSIS
 *	#include "http_sha256.h"
 * DESCRIPTION
 *	http_sha256() computes the SHA-256 digest (FIPS 180-4, section 6.2)
 *	of a buffer in one call. The http worker hashes each bearer token it
 *	is shown and compares digests, so that it keeps only digests of the
 *	real tokens and compares in time that depends on no token.
 *
 *	Written here, from the standard, rather than taken from libcrypto:
 *	the http worker needed nothing else from OpenSSL, and loading,
 *	relocating and initialising libcrypto was most of the worker's
 *	start-up time (about 4 of its 6.8 ms restart) and 3.4 MiB of its
 *	5.7 MiB resident memory. The algorithm has no secret-dependent
 *	branch or table index, so a plain implementation is constant-time;
 *	tests/unit/check_http_auth.c holds it to the standard's test vectors.
 * DIAGNOSTICS
 *	None: every length is hashed.
 */
#include <stdint.h>
#include <string.h>

#include "http_sha256.h"

#define ROTR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

/* the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (FIPS 180-4, 4.2.2) */
static const uint32_t http_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* the initial hash value (FIPS 180-4, 5.3.3) */
static const uint32_t http_sha256_h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
};

/* http_sha256_block - fold one 64-byte block into the hash value h */
static void
http_sha256_block(uint32_t h[8], const unsigned char blk[64])
{
	uint32_t	w[64], a, b, c, d, e, f, g, hh, t1, t2, s0, s1;
	int		i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)blk[4 * i] << 24 |
		    (uint32_t)blk[4 * i + 1] << 16 |
		    (uint32_t)blk[4 * i + 2] << 8 | (uint32_t)blk[4 * i + 3];
	for (i = 16; i < 64; i++) {
		s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^
		    (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) +
		    ((e & f) ^ (~e & g)) + http_sha256_k[i] + w[i];
		t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	explicit_bzero(w, sizeof(w));
}

/* http_sha256 - the SHA-256 digest of len bytes at buf into md */
void
http_sha256(const void *buf, size_t len, unsigned char md[HTTP_SHA256_LEN])
{
	const unsigned char	*p = buf;
	unsigned char		 tail[128];
	uint32_t		 h[8];
	uint64_t		 bits = (uint64_t)len * 8;
	size_t			 rest, padded, i;

	memcpy(h, http_sha256_h0, sizeof(h));
	for (; len >= 64; p += 64, len -= 64)
		http_sha256_block(h, p);
	/* the rest, a 1 bit, zeros, and the length in bits: one or two
	 * blocks (FIPS 180-4, 5.1.1) */
	rest = len;
	padded = rest < 56 ? 64 : 128;
	memset(tail, 0, sizeof(tail));
	if (rest > 0)
		memcpy(tail, p, rest);
	tail[rest] = 0x80;
	for (i = 0; i < 8; i++)
		tail[padded - 1 - i] = (unsigned char)(bits >> (8 * i));
	http_sha256_block(h, tail);
	if (padded == 128)
		http_sha256_block(h, tail + 64);
	for (i = 0; i < 8; i++) {
		md[4 * i] = (unsigned char)(h[i] >> 24);
		md[4 * i + 1] = (unsigned char)(h[i] >> 16);
		md[4 * i + 2] = (unsigned char)(h[i] >> 8);
		md[4 * i + 3] = (unsigned char)h[i];
	}
	explicit_bzero(tail, sizeof(tail));
	explicit_bzero(h, sizeof(h));
}
