/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_frame - libFuzzer harness for the frame decoder (common/frame.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	Treats the input as bytes read from a channel: decodes whole frames
 *	one after the other, as chan_parse does, until frame_decode asks
 *	for more bytes (0) or reports an error (< 0), and parses each
 *	payload with frame_json. Each input is first copied into a buffer
 *	of exactly its size, so ASan sees any read past the end.
 *
 *	Besides the sanitizers, it checks what the decoder promises and
 *	aborts if any is broken: a decoded frame uses FRAME_HDR_LEN + len
 *	bytes, len <= FRAME_MAX, flags within FRAME_F_ALL, the payload
 *	points just past the header, the header packs back to the same 20
 *	bytes, and every shorter prefix of the frame decodes to 0 (need
 *	more) or to the same error the whole input would give for its
 *	first bytes. frame_json returns NULL or an object.
 *
 *	Build (see the Makefile for the target):
 *	  clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *	      -Icommon $(pkg-config --cflags libcjson) \
 *	      tests/fuzz/fuzz_frame.c common/frame.c \
 *	      $(pkg-config --libs libcjson) -o build/fuzz_frame
 *	  build/fuzz_frame -max_total_time=10 tests/fuzz/corpus/frame
 * DIAGNOSTICS
 *	abort() on a broken invariant; libFuzzer saves the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fuzz_check_frame - the promises about one decoded frame */
static void
fuzz_check_frame(const unsigned char *buf, size_t avail, long n,
    const struct frame *f)
{
	unsigned char	 packed[FRAME_HDR_LEN];
	struct frame	 g;
	size_t		 cut;
	long		 m;

	if (f->hdr.len > FRAME_MAX || (size_t)n != FRAME_HDR_LEN + f->hdr.len ||
	    (size_t)n > avail)
		abort();
	if ((f->hdr.flags & ~FRAME_F_ALL) != 0 ||
	    f->hdr.version != CORRAL_PROTO_VERSION)
		abort();
	if (f->payload != buf + FRAME_HDR_LEN || f->fd != -1)
		abort();
	frame_hdr_pack(&f->hdr, packed);
	if (memcmp(packed, buf, FRAME_HDR_LEN) != 0)
		abort();
	/* a stream cut anywhere inside the frame means "need more" */
	for (cut = 0; cut < (size_t)n; cut += 1 + cut / 4) {
		memset(&g, 0, sizeof(g));
		if ((m = frame_decode(buf, cut, &g)) != 0)
			abort();
	}
}

/* fuzz_check_json - frame_json gives NULL or an object, never a crash */
static void
fuzz_check_json(const struct frame *f)
{
	cJSON	*o;

	if ((o = frame_json(f)) == NULL)
		return;
	if (!cJSON_IsObject(o))
		abort();
	cJSON_Delete(o);
}

/* LLVMFuzzerTestOneInput - decode data as a channel's input stream */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*buf;
	struct frame	 f;
	struct frame_hdr h;
	size_t		 off = 0;
	long		 n;
	int		 rc;

	buf = malloc(size > 0 ? size : 1);
	if (buf == NULL)
		return (0);
	memcpy(buf, data, size);
	for (;;) {
		memset(&f, 0, sizeof(f));
		n = frame_decode(buf + off, size - off, &f);
		if (n <= 0) {
			/* an error is the header's own verdict */
			rc = frame_hdr_unpack(buf + off, size - off, &h);
			if (n < 0 && rc != (int)n)
				abort();
			if (n == 0 && rc != FRAME_OK && rc != FRAME_ESHORT)
				abort();
			break;
		}
		fuzz_check_frame(buf + off, size - off, n, &f);
		fuzz_check_json(&f);
		off += (size_t)n;
	}
	free(buf);
	return (0);
}
