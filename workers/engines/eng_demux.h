/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_demux.h - undo Docker's multiplexed log stream, incrementally
 * SYNOPSIS
 *	void	eng_demux_init(struct eng_demux *d, int raw);
 *	int	eng_demux_feed(struct eng_demux *d, const char *buf,
 *		    size_t len, eng_demux_fn *fn, void *arg);
 * DESCRIPTION
 *	A container without a TTY has its logs sent by Docker as frames: an
 *	8-byte header (stream: 0 stdin, 1 stdout, 2 stderr; three zero
 *	bytes; the payload size as a 32-bit big-endian number) and then the
 *	payload. eng_demux_feed takes the stream in pieces of any size (a
 *	header may be split anywhere) and calls fn(stream, data, len, arg)
 *	for each piece of payload as soon as it has it; a frame's payload
 *	may come in several calls. With raw set (a TTY container, or a
 *	server that says Content-Type application/vnd.docker.raw-stream)
 *	the bytes are passed through as stream 1.
 *
 *	A header whose stream is not 0, 1 or 2 or whose three padding bytes
 *	are not zero is an error: the stream is not what we think it is.
 *	Payloads over ENG_DEMUX_FRAME_MAX are an error too.
 *
 *	eng_demux_lines keeps the last n lines of what it is fed (for
 *	"last log lines" on failure); a line longer than ENG_DEMUX_LINE_MAX
 *	is cut there.
 * DIAGNOSTICS
 *	eng_demux_feed returns 0, -1 on a bad header (and stays failed:
 *	later calls return -1 at once), or the first non-zero value fn
 *	returned.
 */
#ifndef CORRAL_ENG_DEMUX_H
#define CORRAL_ENG_DEMUX_H

#include <stddef.h>
#include <stdint.h>

#define ENG_DEMUX_FRAME_MAX	(16u * 1024 * 1024)
#define ENG_DEMUX_LINE_MAX	1024

struct eng_demux {
	int		raw;
	int		failed;
	unsigned char	hdr[8];
	size_t		hdr_have;	/* header bytes collected */
	uint32_t	left;		/* payload bytes still to come */
	int		stream;		/* of the current frame */
};

typedef int eng_demux_fn(int stream, const char *data, size_t len,
    void *arg);

/* eng_demux_init - start a stream; raw: no framing */
void	eng_demux_init(struct eng_demux *d, int raw);

/* eng_demux_feed - pass payload bytes of buf to fn; 0, -1 or fn's value */
int	eng_demux_feed(struct eng_demux *d, const char *buf, size_t len,
	    eng_demux_fn *fn, void *arg);

/* eng_demux_utf8_fix - bytes that are not UTF-8 (NUL too) made '?', in place */
void	eng_demux_utf8_fix(char *s, size_t len);

struct eng_lines;

/* eng_lines_new - keep the last n lines */
struct eng_lines *eng_lines_new(size_t n);
/* eng_lines_add - add text (any pieces; lines end at '\n') */
void	eng_lines_add(struct eng_lines *l, const char *data, size_t len);
/* eng_lines_json - the kept lines (the unfinished last one too) as a
 * cJSON array of strings, invalid UTF-8 replaced by '?' */
struct cJSON *eng_lines_json(const struct eng_lines *l);
/* eng_lines_free - free l */
void	eng_lines_free(struct eng_lines *l);

#endif
