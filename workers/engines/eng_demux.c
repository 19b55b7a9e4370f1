/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_demux - undo Docker's multiplexed log stream; keep the last lines
 * SYNOPSIS
 *	#include "eng_demux.h"
 * DESCRIPTION
 *	See eng_demux.h. The demuxer is a two-state machine kept in the
 *	caller's struct: while left is 0 it collects header bytes into hdr
 *	(hdr_have of them so far); a complete header is checked and sets
 *	stream and left, and the next left bytes are payload, handed to fn
 *	in as many pieces as they arrive in. An empty frame (size 0) is
 *	valid and calls nothing. A non-zero return of fn also leaves the
 *	demuxer failed, so a caller that ignores it cannot get payload cut
 *	from the middle of a frame later.
 *
 *	eng_lines is a ring of n slots of ENG_DEMUX_LINE_MAX bytes plus the
 *	line being built. A line ends at '\n'; one trailing '\r' is dropped
 *	(a TTY's "\r\n"); bytes past ENG_DEMUX_LINE_MAX are dropped up to the
 *	next '\n'. The kept lines are checked as UTF-8 only when they are
 *	turned into JSON: each byte that does not begin a well-formed
 *	sequence (overlong forms, surrogates and code points past U+10FFFF
 *	are not well-formed), and each NUL, becomes one '?'.
 * DIAGNOSTICS
 *	See eng_demux.h. eng_lines_json returns NULL only if cJSON cannot
 *	allocate.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "eng_demux.h"
#include "xmalloc.h"

struct eng_lines_slot {
	size_t	len;
	char	buf[ENG_DEMUX_LINE_MAX];
};

struct eng_lines {
	size_t			 n;	/* lines kept at most */
	size_t			 count;	/* complete lines in the ring */
	size_t			 next;	/* slot the next line goes to */
	struct eng_lines_slot	*ring;	/* n slots */
	struct eng_lines_slot	 cur;	/* the line being built */
	int			 cut;	/* cur is full: drop to '\n' */
	int			 open;	/* cur has begun (may be empty) */
};

/* eng_demux_init - start a stream; raw: no framing */
void
eng_demux_init(struct eng_demux *d, int raw)
{
	memset(d, 0, sizeof(*d));
	d->raw = raw != 0;
}

/* eng_demux_header - check the collected header; 0, or -1 if bad */
static int
eng_demux_header(struct eng_demux *d)
{
	uint32_t	size;

	if (d->hdr[0] > 2 || d->hdr[1] != 0 || d->hdr[2] != 0 ||
	    d->hdr[3] != 0)
		return (-1);
	size = (uint32_t)d->hdr[4] << 24 | (uint32_t)d->hdr[5] << 16 |
	    (uint32_t)d->hdr[6] << 8 | (uint32_t)d->hdr[7];
	if (size > ENG_DEMUX_FRAME_MAX)
		return (-1);
	d->stream = d->hdr[0];
	d->left = size;
	d->hdr_have = 0;
	return (0);
}

/* eng_demux_feed - pass payload bytes of buf to fn; 0, -1 or fn's value */
int
eng_demux_feed(struct eng_demux *d, const char *buf, size_t len,
    eng_demux_fn *fn, void *arg)
{
	size_t	n;
	int	rc;

	if (d->failed)
		return (-1);
	if (d->raw) {
		if (len > 0 && (rc = fn(1, buf, len, arg)) != 0) {
			d->failed = 1;
			return (rc);
		}
		return (0);
	}
	while (len > 0) {
		if (d->left == 0) {
			n = sizeof(d->hdr) - d->hdr_have;
			if (n > len)
				n = len;
			memcpy(d->hdr + d->hdr_have, buf, n);
			d->hdr_have += n;
			buf += n;
			len -= n;
			if (d->hdr_have == sizeof(d->hdr) &&
			    eng_demux_header(d) == -1) {
				d->failed = 1;
				return (-1);
			}
			continue;
		}
		n = len < d->left ? len : d->left;
		d->left -= (uint32_t)n;
		if ((rc = fn(d->stream, buf, n, arg)) != 0) {
			d->failed = 1;
			return (rc);
		}
		buf += n;
		len -= n;
	}
	return (0);
}

/* eng_lines_new - keep the last n lines */
struct eng_lines *
eng_lines_new(size_t n)
{
	struct eng_lines	*l;

	l = xcalloc(1, sizeof(*l));
	l->n = n;
	l->ring = xcalloc(n > 0 ? n : 1, sizeof(*l->ring));
	return (l);
}

/* eng_lines_end - the line being built is complete: into the ring */
static void
eng_lines_end(struct eng_lines *l)
{
	struct eng_lines_slot	*s;

	if (l->cur.len > 0 && l->cur.buf[l->cur.len - 1] == '\r' && !l->cut)
		l->cur.len--;
	if (l->n > 0) {
		s = &l->ring[l->next];
		memcpy(s->buf, l->cur.buf, l->cur.len);
		s->len = l->cur.len;
		l->next = (l->next + 1) % l->n;
		if (l->count < l->n)
			l->count++;
	}
	l->cur.len = 0;
	l->cut = 0;
	l->open = 0;
}

/* eng_lines_add - add text (any pieces; lines end at '\n') */
void
eng_lines_add(struct eng_lines *l, const char *data, size_t len)
{
	const char	*nl;
	size_t		 n, room;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl != NULL ? (size_t)(nl - data) : len;
		l->open = 1;
		room = sizeof(l->cur.buf) - l->cur.len;
		if (!l->cut) {
			memcpy(l->cur.buf + l->cur.len, data,
			    n < room ? n : room);
			l->cur.len += n < room ? n : room;
			if (n > room)
				l->cut = 1;
		}
		if (nl == NULL)
			break;
		eng_lines_end(l);
		data += n + 1;
		len -= n + 1;
	}
}

/* eng_lines_seq - length of the well-formed UTF-8 sequence at p, or 0 */
static size_t
eng_lines_seq(const unsigned char *p, size_t len)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;

	if (p[0] >= 0x01 && p[0] <= 0x7f)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		if (p[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;		/* past U+10FFFF */
	} else
		return (0);
	if (len < need || p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < need; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	return (need);
}

/* eng_demux_utf8_fix - bytes that are not well-formed UTF-8 (NUL too)
 * made '?', in place: the length does not change */
void
eng_demux_utf8_fix(char *s, size_t len)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 i = 0, k;

	while (i < len) {
		if ((k = eng_lines_seq(p + i, len - i)) == 0) {
			s[i++] = '?';
			continue;
		}
		i += k;
	}
}

/* eng_lines_string - s as a JSON string, invalid UTF-8 made '?' */
static cJSON *
eng_lines_string(const char *s, size_t len)
{
	cJSON	*j;
	char	*out;

	out = xmalloc(len + 1);
	memcpy(out, s, len);
	out[len] = '\0';
	eng_demux_utf8_fix(out, len);
	j = cJSON_CreateString(out);
	free(out);
	return (j);
}

/* eng_lines_json - the kept lines, the unfinished one last, at most n */
cJSON *
eng_lines_json(const struct eng_lines *l)
{
	const struct eng_lines_slot	*s;
	cJSON				*a, *j;
	size_t				 count, i, first;
	int				 partial;

	if ((a = cJSON_CreateArray()) == NULL)
		return (NULL);
	partial = l->open && l->n > 0;
	count = l->count;
	if (partial && count == l->n)
		count--;			/* the unfinished one counts */
	first = (l->next + l->n - count) % (l->n > 0 ? l->n : 1);
	for (i = 0; i < count; i++) {
		s = &l->ring[(first + i) % l->n];
		if ((j = eng_lines_string(s->buf, s->len)) == NULL) {
			cJSON_Delete(a);
			return (NULL);
		}
		cJSON_AddItemToArray(a, j);
	}
	if (partial) {
		if ((j = eng_lines_string(l->cur.buf, l->cur.len)) == NULL) {
			cJSON_Delete(a);
			return (NULL);
		}
		cJSON_AddItemToArray(a, j);
	}
	return (a);
}

/* eng_lines_free - free l */
void
eng_lines_free(struct eng_lines *l)
{
	if (l == NULL)
		return;
	free(l->ring);
	free(l);
}
