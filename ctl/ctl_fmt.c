/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_fmt - format values for people: durations, key: value lines
 * SYNOPSIS
 *	See ctl_fmt.h.
 * DESCRIPTION
 *	Durations keep two units at most because an operator reading a
 *	worker table wants "up two hours", not a number of seconds, and
 *	the second unit is zero-padded so that columns of them line up.
 *	Everything the server sends goes through ctl_fmt_clean before it
 *	reaches the terminal.
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#include "ctl_fmt.h"

/* ctl_fmt_duration - 3s, 4m12s, 2h03m, 5d02h; returns buf */
char *
ctl_fmt_duration(double secs, char *buf, size_t len)
{
	unsigned long long	s;

	if (!isfinite(secs) || secs < 0 || secs >= 1e15) {
		snprintf(buf, len, "-");
		return (buf);
	}
	s = (unsigned long long)secs;
	if (s < 60)
		snprintf(buf, len, "%llus", s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%llud%02lluh", s / 86400, s % 86400 / 3600);
	return (buf);
}

/* ctl_fmt_clean - a copy with control characters as '?'; caller frees */
char *
ctl_fmt_clean(const char *s)
{
	const unsigned char	*p;
	char			*out, *q;

	if (s == NULL)
		return (xstrdup(""));
	out = xmalloc(strlen(s) + 1);
	for (p = (const unsigned char *)s, q = out; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*q++ = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*q++ = '?';	/* U+0080..U+009F, the C1 controls */
			p++;
		} else
			*q++ = (char)*p;
	}
	*q = '\0';
	return (out);
}

/* ctl_fmt_kv - one aligned "key: value" line */
void
ctl_fmt_kv(FILE *fp, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*val, *clean, *ckey;
	int	 n;

	va_start(ap, fmt);
	if (vasprintf(&val, fmt, ap) == -1)
		val = NULL;
	va_end(ap);
	clean = ctl_fmt_clean(val != NULL ? val : "?");
	ckey = ctl_fmt_clean(key);
	n = fprintf(fp, "%s:", ckey);
	fprintf(fp, "%*s%s\n", n < CTL_FMT_KEY_WIDTH ? CTL_FMT_KEY_WIDTH - n :
	    1, "", clean);
	free(ckey);
	free(clean);
	free(val);
}
