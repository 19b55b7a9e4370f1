/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	utf8.h - well-formed UTF-8: check it, keep its prefix, repair it
 * SYNOPSIS
 *	#include "utf8.h"
 *
 *	size_t	utf8_seq(const unsigned char *s, size_t len);
 *	size_t	utf8_prefix(const char *s, size_t len);
 *	void	utf8_fix(char *s, size_t len);
 * DESCRIPTION
 *	Well-formed is RFC 3629's: no overlong form, no surrogate (U+D800
 *	to U+DFFF), nothing past U+10FFFF.
 *
 *	utf8_seq is the length (1 to 4) of the well-formed sequence at s,
 *	of which len bytes (at least 1) may be read, or 0 when s does not
 *	start one, a sequence cut short by len included. A NUL is a
 *	sequence of 1.
 *
 *	utf8_prefix is the length of the longest well-formed prefix of
 *	the len bytes at s (NUL bytes included).
 *
 *	utf8_fix replaces each byte of the len at s that does not start a
 *	well-formed sequence, and each NUL, by '?', in place: the length
 *	does not change, and what was well-formed stays as it was.
 */
#ifndef CORRAL_UTF8_H
#define CORRAL_UTF8_H

#include <stddef.h>

/* utf8_seq - length of the well-formed UTF-8 sequence at s, or 0 */
size_t	utf8_seq(const unsigned char *s, size_t len);

/* utf8_prefix - length of the well-formed UTF-8 prefix of s */
size_t	utf8_prefix(const char *s, size_t len);

/* utf8_fix - bytes that are not well-formed UTF-8 (NUL too) made '?' */
void	utf8_fix(char *s, size_t len);

#endif
