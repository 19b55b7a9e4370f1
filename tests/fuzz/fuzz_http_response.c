/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_http_response - libFuzzer harness for the engines worker's
 *	HTTP/1.1 response parser (workers/engines/eng_http_parse.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	The first byte holds flags (bit 0: the request was HEAD; bit 1:
 *	the connection ends after the input; bits 2-7: on which body call
 *	a third run stops, 0 for never); the second seeds the sizes of the
 *	pieces (1 to 64 bytes, from a xorshift generator). The rest is the
 *	response, copied into a buffer of exactly its size so ASan sees
 *	any read past the end.
 *
 *	The response is parsed whole and in those pieces. Both must agree
 *	on the verdict, the status, the Api-Version, the error and every
 *	byte of the body; every body piece must be non-empty and lie
 *	inside the bytes fed; the body cannot be longer than the input; a
 *	verdict sticks (a later feed or eof returns it); an error has a
 *	message; a body only comes after a final status (200 or more). In
 *	the third run, in pieces, the body callback says stop at its nth
 *	call: the verdict must be STOP if there were n calls, the whole
 *	run's verdict otherwise, and the body a prefix of the whole one.
 *
 *	Build: make build-fuzz/fuzz_http_response (see the Makefile); it
 *	links eng_http_parse.c alone.
 *	  build-fuzz/fuzz_http_response -max_total_time=60 \
 *	      tests/fuzz/corpus/http_response
 * DIAGNOSTICS
 *	abort() on a broken invariant; libFuzzer saves the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_http_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_out {
	char		*body;		/* cap bytes */
	size_t		 len;
	size_t		 cap;
	const char	*lo, *hi;	/* the piece being fed */
	int		 calls;
	int		 stop_at;	/* say stop at this call; 0: never */
	int		 rc;
	int		 status;
	char		 apiver[ENG_HTTP_PARSE_APIVER_LEN];
	char		 err[160];
};

/* fuzz_cb - a body piece: check it, keep it */
static int
fuzz_cb(const char *buf, size_t len, void *arg)
{
	struct fuzz_out	*o = arg;

	if (len == 0 || buf < o->lo || buf + len > o->hi ||
	    len > o->cap - o->len)
		abort();
	memcpy(o->body + o->len, buf, len);
	o->len += len;
	return (o->stop_at > 0 && ++o->calls == o->stop_at);
}

/* fuzz_feed - one piece to p */
static int
fuzz_feed(struct eng_http_parse *p, const char *buf, size_t n,
    struct fuzz_out *o)
{
	o->lo = buf;
	o->hi = buf + n;
	return (eng_http_parse_feed(p, buf, n, fuzz_cb, o));
}

/* fuzz_run - parse buf (size bytes) whole, or in pieces from seed */
static void
fuzz_run(const char *buf, size_t size, int head, int eof, int whole,
    uint32_t seed, struct fuzz_out *o)
{
	struct eng_http_parse	p;
	size_t			off = 0, n;
	int			rc = ENG_HTTP_PARSE_MORE, prev;

	eng_http_parse_init(&p, head);
	seed = seed * 2654435761u | 1;
	do {
		n = size - off;
		if (!whole) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			if (n > 1 + seed % 64)
				n = 1 + seed % 64;
		}
		prev = rc;
		rc = fuzz_feed(&p, buf + off, n, o);
		if (prev != ENG_HTTP_PARSE_MORE && rc != prev)
			abort();		/* a verdict sticks */
		off += n;
	} while (off < size);
	if (eof) {
		prev = rc;
		rc = eng_http_parse_eof(&p);
		if ((prev != ENG_HTTP_PARSE_MORE && rc != prev) ||
		    rc == ENG_HTTP_PARSE_MORE)
			abort();		/* the end decides */
	}
	if (rc != ENG_HTTP_PARSE_MORE && (fuzz_feed(&p, "x", 1, o) != rc ||
	    eng_http_parse_eof(&p) != rc))
		abort();
	if (rc == ENG_HTTP_PARSE_ERROR && (p.err == NULL || *p.err == '\0'))
		abort();
	if ((o->len > 0 || rc == ENG_HTTP_PARSE_DONE) && p.status < 200)
		abort();
	if (p.status != 0 && (p.status < 200 || p.status > 999))
		abort();
	if (memchr(p.apiver, '\0', sizeof(p.apiver)) == NULL)
		abort();
	o->rc = rc;
	o->status = p.status;
	memcpy(o->apiver, p.apiver, sizeof(o->apiver));
	snprintf(o->err, sizeof(o->err), "%s", rc == ENG_HTTP_PARSE_ERROR ?
	    p.err : "");
}

/* fuzz_out_init - an empty result with room for size bytes of body */
static int
fuzz_out_init(struct fuzz_out *o, size_t size, int stop_at)
{
	memset(o, 0, sizeof(*o));
	o->cap = size;
	o->stop_at = stop_at;
	return ((o->body = malloc(size > 0 ? size : 1)) == NULL ? -1 : 0);
}

/* LLVMFuzzerTestOneInput - parse data whole and in pieces, compare */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_out	 a, b, c;
	char		*buf;
	int		 head, eof, stop_at;
	uint32_t	 seed;

	if (size < 2)
		return (0);
	head = data[0] & 1;
	eof = (data[0] >> 1) & 1;
	stop_at = data[0] >> 2;
	seed = data[1];
	size -= 2;
	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		return (0);
	memcpy(buf, data + 2, size);
	if (fuzz_out_init(&a, size, 0) == -1 ||
	    fuzz_out_init(&b, size, 0) == -1 ||
	    fuzz_out_init(&c, size, stop_at) == -1)
		abort();
	fuzz_run(buf, size, head, eof, 1, 0, &a);
	fuzz_run(buf, size, head, eof, 0, seed, &b);
	if (a.rc != b.rc || a.status != b.status || a.len != b.len ||
	    memcmp(a.body, b.body, a.len) != 0 ||
	    strcmp(a.apiver, b.apiver) != 0 || strcmp(a.err, b.err) != 0)
		abort();
	if (stop_at > 0) {
		fuzz_run(buf, size, head, eof, 0, seed, &c);
		if (c.calls == stop_at ? c.rc != ENG_HTTP_PARSE_STOP :
		    c.rc != a.rc)
			abort();
		if (c.len > a.len || memcmp(c.body, a.body, c.len) != 0)
			abort();
	}
	free(a.body);
	free(b.body);
	free(c.body);
	free(buf);
	return (0);
}
