/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_fmt.h - format values for people: durations, key: value lines
 * SYNOPSIS
 *	#include "ctl_fmt.h"
 *
 *	char	*ctl_fmt_duration(double secs, char *buf, size_t len);
 *	char	*ctl_fmt_clean(const char *s);
 *	void	ctl_fmt_kv(FILE *fp, const char *key, const char *fmt, ...);
 * DESCRIPTION
 *	ctl_fmt_duration writes a duration in at most two units, the
 *	smaller one zero-padded, fractions dropped: 0s, 3s, 4m12s, 2h03m,
 *	5d02h. A negative or non-finite value gives "-". It returns buf;
 *	CTL_FMT_DURATION_LEN bytes are always enough.
 *
 *	ctl_fmt_clean returns a copy of s (the caller frees it) in which
 *	every control character, C0, DEL or a UTF-8 encoded C1, is
 *	replaced by '?', so text from the server cannot drive the
 *	terminal. NULL gives "".
 *
 *	ctl_fmt_kv prints "key:" padded to CTL_FMT_KEY_WIDTH columns, then
 *	the formatted value and a newline, both cleaned.
 */
#ifndef CORRAL_CTL_FMT_H
#define CORRAL_CTL_FMT_H

#include <stddef.h>
#include <stdio.h>

#define CTL_FMT_DURATION_LEN	32
#define CTL_FMT_KEY_WIDTH	16

/* ctl_fmt_duration - 3s, 4m12s, 2h03m, 5d02h; returns buf */
char	*ctl_fmt_duration(double, char *, size_t);

/* ctl_fmt_clean - a copy with control characters as '?'; caller frees */
char	*ctl_fmt_clean(const char *);

/* ctl_fmt_kv - one aligned "key: value" line */
void	 ctl_fmt_kv(FILE *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
