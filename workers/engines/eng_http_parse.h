/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_parse.h - incremental HTTP/1.1 response parser, fed
 *	pieces of any size
 * SYNOPSIS
 *	void	eng_http_parse_init(struct eng_http_parse *p, int head);
 *	int	eng_http_parse_feed(struct eng_http_parse *p,
 *		    const char *buf, size_t len, eng_http_parse_fn *fn,
 *		    void *arg);
 *	int	eng_http_parse_eof(struct eng_http_parse *p);
 * DESCRIPTION
 *	One struct eng_http_parse reads one response, as the connection
 *	delivers it: a piece may end anywhere (inside the status line, a
 *	header's name, a chunk size, a CRLF). It allocates nothing; all
 *	its state is in the struct, so the same bytes give the same
 *	result however they are cut.
 *
 *	eng_http_parse_init starts a response; head says the request was
 *	HEAD (the answer has no body, whatever its headers say). Then
 *	eng_http_parse_feed takes the bytes as they come. The status line
 *	is "HTTP/1.x NNN reason" (the reason may be empty); header lines
 *	are "name: value" with a token for name; lines end in CRLF or a
 *	bare LF. Interim answers (1xx but 101) are read and dropped. The
 *	final answer's body is framed by Transfer-Encoding: chunked (its
 *	extensions ignored, its trailer skipped), else Content-Length,
 *	else the end of the connection; it is empty after HEAD, for 204
 *	and 304. Each piece of the body (chunk framing removed) goes to
 *	fn(buf, len, arg) as soon as it is there, never empty; buf points
 *	into the caller's buffer. fn returns 0 to go on, anything else to
 *	stop. Once the final answer's head has ended, p->status is its
 *	status (0 before) and p->apiver the last Api-Version header of
 *	that answer (any case; "" if none; cut at
 *	ENG_HTTP_PARSE_APIVER_LEN - 1 bytes).
 *
 *	Limits: the status lines and headers of all the answers together
 *	at most ENG_HTTP_PARSE_HEAD_MAX bytes, at most
 *	ENG_HTTP_PARSE_HDRS_MAX header lines per answer, a chunk-size line
 *	at most ENG_HTTP_PARSE_LINE_MAX bytes, the trailer at most
 *	ENG_HTTP_PARSE_HEAD_MAX bytes. Content-Length and chunk sizes are
 *	unsigned 64-bit numbers; larger ones are errors.
 *
 *	eng_http_parse_eof says that the connection has ended: that
 *	completes a body that runs until the close, and cuts short
 *	anything else.
 * DIAGNOSTICS
 *	eng_http_parse_feed and eng_http_parse_eof return
 *	ENG_HTTP_PARSE_MORE (more bytes wanted), ENG_HTTP_PARSE_DONE (the
 *	response is complete; later bytes are ignored),
 *	ENG_HTTP_PARSE_STOP (fn said stop) or ENG_HTTP_PARSE_ERROR, with
 *	p->err saying what was wrong in a few words ("bad status line",
 *	"conflicting Content-Length values", "the connection closed with
 *	10 of 42 body bytes still to come", ...). Once not MORE the
 *	result sticks: later calls return it and do nothing.
 */
#ifndef CORRAL_ENG_HTTP_PARSE_H
#define CORRAL_ENG_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define ENG_HTTP_PARSE_HEAD_MAX		(64u * 1024)
#define ENG_HTTP_PARSE_HDRS_MAX		100
#define ENG_HTTP_PARSE_LINE_MAX		4096
#define ENG_HTTP_PARSE_APIVER_LEN	32
#define ENG_HTTP_PARSE_NAME_LEN		24	/* longer names: not ours */
#define ENG_HTTP_PARSE_VALUE_LEN	64	/* of the headers we read */

enum eng_http_parse_rc {
	ENG_HTTP_PARSE_ERROR = -1,
	ENG_HTTP_PARSE_MORE = 0,
	ENG_HTTP_PARSE_DONE = 1,
	ENG_HTTP_PARSE_STOP = 2
};

/* a piece of the body; non-zero stops the parse */
typedef int eng_http_parse_fn(const char *buf, size_t len, void *arg);

struct eng_http_parse {
	int		 rc;		/* enum eng_http_parse_rc */
	int		 state;		/* see eng_http_parse.c */
	int		 head;		/* the request was HEAD */
	int		 status;	/* the final answer's, after its head */
	const char	*err;		/* after ENG_HTTP_PARSE_ERROR */
	char		 apiver[ENG_HTTP_PARSE_APIVER_LEN];
	/* the answer being read */
	int		 code;		/* its status */
	unsigned	 pos;		/* bytes of its status line so far */
	unsigned	 nhdrs;		/* its header lines */
	int		 chunked;	/* Transfer-Encoding: chunked */
	int		 has_len;	/* a Content-Length was seen */
	uint64_t	 clen;		/* its value */
	size_t		 head_bytes;	/* of all heads so far (the limit) */
	/* the header line being read */
	int		 which;		/* the header, if one we read */
	size_t		 namelen;
	char		 name[ENG_HTTP_PARSE_NAME_LEN];
	size_t		 vallen;
	int		 vallong;	/* the value did not fit */
	char		 val[ENG_HTTP_PARSE_VALUE_LEN];
	/* the body */
	uint64_t	 left;		/* of the body or the chunk */
	uint64_t	 got;		/* body bytes passed to fn */
	size_t		 line;		/* bytes of a chunk or trailer line */
	size_t		 trailer;	/* bytes of the trailer */
	char		 errbuf[128];
};

/* eng_http_parse_init - start reading a response (head: to a HEAD) */
void	eng_http_parse_init(struct eng_http_parse *p, int head);

/* eng_http_parse_feed - parse len more bytes; an eng_http_parse_rc */
int	eng_http_parse_feed(struct eng_http_parse *p, const char *buf,
	    size_t len, eng_http_parse_fn *fn, void *arg);

/* eng_http_parse_eof - the connection ended; an eng_http_parse_rc */
int	eng_http_parse_eof(struct eng_http_parse *p);

#endif
