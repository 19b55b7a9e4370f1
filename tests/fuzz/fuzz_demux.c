/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_demux - libFuzzer harness for Docker's log stream demuxer and
 *	the last-lines keeper (workers/engines/eng_demux.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	The first byte picks the mode (bit 0: raw) and how many lines
 *	eng_lines keeps (bits 1-3); the second seeds the sizes of the pieces
 *	the rest is fed in (1 to 64 bytes, from a xorshift generator). The
 *	rest is the stream, copied into a buffer of exactly its size so
 *	ASan sees any read past the end.
 *
 *	The stream is decoded twice: by eng_demux_feed in those pieces and
 *	by a plain whole-buffer decoder written here. They must agree on
 *	the bytes of each stream and on the verdict (0, or -1 for a bad
 *	header), and every callback must get a stream of 0-2 and a
 *	non-empty piece that lies inside the piece fed. In raw mode the
 *	output is the input. A callback that returns non-zero (every 7th
 *	call in a third run) must have that value returned once, then -1.
 *
 *	The payload bytes then go to eng_lines: its JSON must be an array
 *	of at most n strings, each at most ENG_DEMUX_LINE_MAX bytes, each
 *	well-formed UTF-8 with no NUL.
 *
 *	Build: make build-fuzz/fuzz_demux (see the Makefile).
 *	  build-fuzz/fuzz_demux -max_total_time=60 tests/fuzz/corpus/demux
 * DIAGNOSTICS
 *	abort() on a broken invariant; libFuzzer saves the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "eng_demux.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_out {
	unsigned char	*buf[3];	/* by stream, each size bytes */
	size_t		 len[3];
	const char	*lo, *hi;	/* the piece being fed */
	int		 calls;
	int		 fail_every;	/* return 5 on every nth call */
	struct eng_lines *lines;
};

/* fuzz_cb - the demux callback: check the piece, keep it */
static int
fuzz_cb(int stream, const char *data, size_t len, void *arg)
{
	struct fuzz_out	*o = arg;

	if (stream < 0 || stream > 2 || len == 0 || data < o->lo ||
	    data + len > o->hi)
		abort();
	memcpy(o->buf[stream] + o->len[stream], data, len);
	o->len[stream] += len;
	if (o->lines != NULL)
		eng_lines_add(o->lines, data, len);
	if (o->fail_every > 0 && ++o->calls % o->fail_every == 0)
		return (5);
	return (0);
}

/* fuzz_ref - the whole stream decoded at once into o; 0 or -1 */
static int
fuzz_ref(const unsigned char *p, size_t size, int raw, struct fuzz_out *o)
{
	size_t		off = 0, n;
	uint32_t	len;

	if (raw) {
		memcpy(o->buf[1], p, size);
		o->len[1] = size;
		return (0);
	}
	while (size - off >= 8) {
		if (p[off] > 2 || p[off + 1] != 0 || p[off + 2] != 0 ||
		    p[off + 3] != 0)
			return (-1);
		len = (uint32_t)p[off + 4] << 24 | (uint32_t)p[off + 5] << 16 |
		    (uint32_t)p[off + 6] << 8 | p[off + 7];
		if (len > ENG_DEMUX_FRAME_MAX)
			return (-1);
		off += 8;
		n = size - off < len ? size - off : len;
		memcpy(o->buf[p[off - 8]] + o->len[p[off - 8]], p + off, n);
		o->len[p[off - 8]] += n;
		off += n;
	}
	return (0);
}

/* fuzz_feed - feed buf in pieces sized from seed; the first non-zero rc */
static int
fuzz_feed(const char *buf, size_t size, int raw, uint32_t seed,
    struct fuzz_out *o)
{
	struct eng_demux	d;
	size_t			off = 0, n;
	int			rc, first = 0, failed = 0;

	eng_demux_init(&d, raw);
	seed = seed * 2654435761u | 1;
	while (off < size) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		n = 1 + seed % 64;
		if (n > size - off)
			n = size - off;
		o->lo = buf + off;
		o->hi = buf + off + n;
		rc = eng_demux_feed(&d, buf + off, n, fuzz_cb, o);
		if (failed && rc != -1)
			abort();		/* stays failed */
		if (rc != 0 && !failed) {
			first = rc;
			failed = 1;
		}
		off += n;
	}
	return (first);
}

/* fuzz_utf8_ok - is s (len bytes) well-formed UTF-8 without NUL? */
static int
fuzz_utf8_ok(const unsigned char *s, size_t len)
{
	size_t		i = 0, k, need;
	uint32_t	cp;

	while (i < len) {
		if (s[i] == 0)
			return (0);
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 4;
			cp = s[i] & 0x07;
		} else
			return (0);
		if (i + need > len)
			return (0);
		for (k = 1; k < need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
		    (need == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		i += need;
	}
	return (1);
}

/* fuzz_lines - check the kept lines */
static void
fuzz_lines(const struct eng_lines *l, size_t n)
{
	const cJSON	*s;
	cJSON		*a;
	size_t		 len;

	if ((a = eng_lines_json(l)) == NULL || !cJSON_IsArray(a) ||
	    (size_t)cJSON_GetArraySize(a) > n)
		abort();
	cJSON_ArrayForEach(s, a) {
		if (!cJSON_IsString(s))
			abort();
		len = strlen(s->valuestring);
		if (len > ENG_DEMUX_LINE_MAX ||
		    !fuzz_utf8_ok((const unsigned char *)s->valuestring, len))
			abort();
	}
	cJSON_Delete(a);
}

/* fuzz_out_init - empty outputs of size bytes each */
static int
fuzz_out_init(struct fuzz_out *o, size_t size)
{
	int	i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < 3; i++)
		if ((o->buf[i] = malloc(size > 0 ? size : 1)) == NULL)
			return (-1);
	return (0);
}

/* fuzz_out_free - free o's buffers */
static void
fuzz_out_free(struct fuzz_out *o)
{
	int	i;

	for (i = 0; i < 3; i++)
		free(o->buf[i]);
	eng_lines_free(o->lines);
}

/* LLVMFuzzerTestOneInput - demux data both ways and compare */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_out	 a, b, c;
	char		*buf;
	size_t		 n;
	int		 raw, ra, rb, rc, i;

	if (size < 2)
		return (0);
	raw = data[0] & 1;
	n = (data[0] >> 1) & 7;
	size -= 2;
	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		return (0);
	memcpy(buf, data + 2, size);
	if (fuzz_out_init(&a, size) == -1 || fuzz_out_init(&b, size) == -1 ||
	    fuzz_out_init(&c, size) == -1)
		abort();
	b.lines = eng_lines_new(n);
	ra = fuzz_ref((const unsigned char *)buf, size, raw, &a);
	rb = fuzz_feed(buf, size, raw, data[1], &b);
	if (ra != rb)
		abort();
	for (i = 0; i < 3; i++)
		if (a.len[i] != b.len[i] ||
		    memcmp(a.buf[i], b.buf[i], a.len[i]) != 0)
			abort();
	fuzz_lines(b.lines, n);
	/* a callback that says stop */
	c.fail_every = 7;
	rc = fuzz_feed(buf, size, raw, data[1], &c);
	if (c.calls >= 7 ? rc != 5 : rc != rb)
		abort();
	fuzz_out_free(&a);
	fuzz_out_free(&b);
	fuzz_out_free(&c);
	free(buf);
	return (0);
}
