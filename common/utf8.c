/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	utf8 - well-formed UTF-8: check it, keep its prefix, repair it
 * SYNOPSIS
 *	See utf8.h.
 * DESCRIPTION
 *	One decoder of UTF-8 sequences for every worker that takes text
 *	from outside: a skill's manifest (the skills worker keeps the
 *	well-formed prefix to say where it goes wrong), a run's log (made
 *	valid for JSON), a label of /metrics (the http worker writes '?'
 *	for what is not UTF-8).
 * DIAGNOSTICS
 *	None.
 */
#include <stddef.h>

#include "utf8.h"

/* utf8_seq - length of the well-formed UTF-8 sequence at s, or 0 */
size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* past U+10FFFF */
	} else
		return (0);
	if (n > len || s[1] < lo || s[1] > hi)
		return (0);
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return (0);
	return (n);
}

/* utf8_prefix - length of the well-formed UTF-8 prefix of s */
size_t
utf8_prefix(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (i < len && (n = utf8_seq(p + i, len - i)) > 0)
		i += n;
	return (i);
}

/* utf8_fix - bytes that are not well-formed UTF-8 (NUL too) made '?' */
void
utf8_fix(char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (i < len) {
		if (p[i] == '\0' || (n = utf8_seq(p + i, len - i)) == 0) {
			s[i++] = '?';
			continue;
		}
		i += n;
	}
}
