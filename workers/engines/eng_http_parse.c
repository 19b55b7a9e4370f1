/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_parse - incremental HTTP/1.1 response parser
 * SYNOPSIS
 *	#include "eng_http_parse.h"
 * DESCRIPTION
 *	See eng_http_parse.h. The parser is a state machine that takes the
 *	head (status lines, headers), the chunk framing and the trailer one
 *	byte at a time, so a piece may end anywhere and nothing is ever
 *	buffered but the name of the header being read (to know whether it
 *	is one we want) and, for Content-Length, Transfer-Encoding and
 *	Api-Version only, its value: both in fixed arrays of the struct. A
 *	longer name is no header we want; a longer value of one we want is
 *	an error for Content-Length and Transfer-Encoding and cut for
 *	Api-Version. Body bytes are not looked at: each run of them in the
 *	piece (up to the end of the Content-Length, of the chunk, or of the
 *	piece) goes to the callback at once.
 *
 *	What counts as broken: a status line that is not "HTTP/1.<digit>
 *	<3 digits>" followed by the end of the line or a space and a reason
 *	without control characters, a status under 100; a header line that
 *	starts with white space (obs-fold), whose name is not a token or is
 *	followed by anything but ':' (white space included), or whose value
 *	has a control character other than HT; a CR not followed by LF; a
 *	101 answer (we never ask to switch protocols); a Content-Length that
 *	is not digits (or a list of equal ones, "42, 42"), that overflows,
 *	or that disagrees with an earlier one; a Transfer-Encoding other
 *	than one "chunked"; a chunk size that is not hex, overflows or has a
 *	line too long; a chunk not followed by CRLF; the limits of
 *	eng_http_parse.h. With chunked, Content-Length is ignored.
 *
 *	This file uses nothing but the C library, so that the fuzzer
 *	(tests/fuzz/fuzz_http_response.c) can link it alone.
 * DIAGNOSTICS
 *	See eng_http_parse.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "eng_http_parse.h"

enum eng_http_parse_state {
	P_STATUS,		/* "HTTP/1.x NNN", pos bytes in */
	P_REASON,		/* the reason phrase */
	P_STATUS_LF,		/* the status line's CR was seen */
	P_LINE,			/* a header line or the blank line begins */
	P_NAME,			/* a header's name */
	P_OWS,			/* white space after the colon */
	P_VALUE,		/* a header's value */
	P_VALUE_LF,		/* a header line's CR was seen */
	P_END_LF,		/* the blank line's CR was seen */
	P_BODY_LEN,		/* Content-Length bytes, left to come */
	P_BODY_EOF,		/* a body until the close */
	P_SIZE,			/* a chunk size, line bytes in */
	P_SIZE_WS,		/* white space after it */
	P_EXT,			/* a chunk extension */
	P_SIZE_LF,		/* the chunk size line's CR was seen */
	P_DATA,			/* chunk data, left to come */
	P_DATA_CR,		/* the CRLF after the data */
	P_DATA_LF,
	P_TRAILER,		/* a trailer line or the blank line begins */
	P_TRAILER_LINE,		/* inside a trailer line */
	P_TRAILER_LF,		/* the last blank line's CR was seen */
	P_END			/* done, stopped or failed: see rc */
};

enum eng_http_parse_hdr {
	H_OTHER,
	H_LENGTH,		/* Content-Length */
	H_TE,			/* Transfer-Encoding */
	H_APIVER		/* Api-Version */
};

/* eng_http_parse_init - start reading a response (head: to a HEAD) */
void
eng_http_parse_init(struct eng_http_parse *p, int head)
{
	memset(p, 0, sizeof(*p));
	p->rc = ENG_HTTP_PARSE_MORE;
	p->state = P_STATUS;
	p->head = head != 0;
}

/* eng_http_parse_fail - stop with why; ENG_HTTP_PARSE_ERROR */
static int
eng_http_parse_fail(struct eng_http_parse *p, const char *why)
{
	p->rc = ENG_HTTP_PARSE_ERROR;
	p->state = P_END;
	p->err = why;
	return (p->rc);
}

/* eng_http_parse_done - the response is complete */
static void
eng_http_parse_done(struct eng_http_parse *p)
{
	p->rc = ENG_HTTP_PARSE_DONE;
	p->state = P_END;
}

/* eng_http_parse_tchar - may c be in a header's name (a token)? */
static int
eng_http_parse_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return (1);
	return (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* eng_http_parse_ctl - is c a control character (HT is not)? */
static int
eng_http_parse_ctl(unsigned char c)
{
	return ((c < 0x20 && c != '\t') || c == 0x7f);
}

/* eng_http_parse_hex - c's value as a hex digit, or -1 */
static int
eng_http_parse_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* eng_http_parse_clen - take a Content-Length value; rc */
static int
eng_http_parse_clen(struct eng_http_parse *p)
{
	const char	*s = p->val;
	uint64_t	 v, first = 0;
	int		 n = 0;

	if (p->vallong)
		return (eng_http_parse_fail(p, "bad Content-Length"));
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s < '0' || *s > '9')
			return (eng_http_parse_fail(p, "bad Content-Length"));
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
				return (eng_http_parse_fail(p,
				    "Content-Length too large"));
			v = v * 10 + (uint64_t)(*s - '0');
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (n++ > 0 && v != first)
			return (eng_http_parse_fail(p,
			    "conflicting Content-Length values"));
		first = v;
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return (eng_http_parse_fail(p, "bad Content-Length"));
	}
	if (p->has_len && p->clen != first)
		return (eng_http_parse_fail(p,
		    "conflicting Content-Length values"));
	p->has_len = 1;
	p->clen = first;
	return (p->rc);
}

/* eng_http_parse_header - a header line has ended; rc */
static int
eng_http_parse_header(struct eng_http_parse *p)
{
	size_t	n;

	while (p->vallen > 0 && (p->val[p->vallen - 1] == ' ' ||
	    p->val[p->vallen - 1] == '\t'))
		p->vallen--;
	p->val[p->vallen] = '\0';
	p->state = P_LINE;
	switch (p->which) {
	case H_LENGTH:
		return (eng_http_parse_clen(p));
	case H_TE:
		if (p->vallong || strcasecmp(p->val, "chunked") != 0)
			return (eng_http_parse_fail(p, "unsupported "
			    "Transfer-Encoding (only chunked is)"));
		if (p->chunked)
			return (eng_http_parse_fail(p,
			    "Transfer-Encoding chunked twice"));
		p->chunked = 1;
		break;
	case H_APIVER:
		n = p->vallen < sizeof(p->apiver) - 1 ? p->vallen :
		    sizeof(p->apiver) - 1;
		memcpy(p->apiver, p->val, n);
		p->apiver[n] = '\0';
		break;
	default:
		break;
	}
	return (p->rc);
}

/* eng_http_parse_name - a header's name has ended at its colon */
static void
eng_http_parse_name(struct eng_http_parse *p)
{
	p->which = H_OTHER;
	if (p->namelen < sizeof(p->name)) {
		p->name[p->namelen] = '\0';
		if (strcasecmp(p->name, "Content-Length") == 0)
			p->which = H_LENGTH;
		else if (strcasecmp(p->name, "Transfer-Encoding") == 0)
			p->which = H_TE;
		else if (strcasecmp(p->name, "Api-Version") == 0)
			p->which = H_APIVER;
	}
	p->vallen = 0;
	p->vallong = 0;
	p->state = P_OWS;
}

/* eng_http_parse_status_end - the status line has ended; rc */
static int
eng_http_parse_status_end(struct eng_http_parse *p)
{
	if (p->code < 100)
		return (eng_http_parse_fail(p, "bad status code"));
	p->nhdrs = 0;
	p->chunked = 0;
	p->has_len = 0;
	p->clen = 0;
	p->apiver[0] = '\0';
	p->state = P_LINE;
	return (p->rc);
}

/* eng_http_parse_head_end - an answer's head has ended; rc */
static int
eng_http_parse_head_end(struct eng_http_parse *p)
{
	if (p->code == 101)
		return (eng_http_parse_fail(p,
		    "unexpected 101 Switching Protocols"));
	if (p->code < 200) {		/* interim: the real one follows */
		p->code = 0;
		p->pos = 0;
		p->state = P_STATUS;
		return (p->rc);
	}
	p->status = p->code;
	if (p->head || p->code == 204 || p->code == 304)
		eng_http_parse_done(p);
	else if (p->chunked) {
		p->left = 0;
		p->line = 0;
		p->state = P_SIZE;
	} else if (p->has_len) {
		p->left = p->clen;
		if (p->left == 0)
			eng_http_parse_done(p);
		else
			p->state = P_BODY_LEN;
	} else
		p->state = P_BODY_EOF;
	return (p->rc);
}

/* eng_http_parse_status - one byte of the status line; rc */
static int
eng_http_parse_status(struct eng_http_parse *p, unsigned char c)
{
	static const char	proto[] = "HTTP/1.";
	unsigned		pos = p->pos++;

	if (pos < sizeof(proto) - 1) {
		if (c != (unsigned char)proto[pos])
			return (eng_http_parse_fail(p, "bad status line"));
	} else if (pos == 7 || (pos >= 9 && pos <= 11)) {
		if (c < '0' || c > '9')
			return (eng_http_parse_fail(p, "bad status line"));
		if (pos >= 9)
			p->code = p->code * 10 + (c - '0');
	} else if (pos == 8) {
		if (c != ' ')
			return (eng_http_parse_fail(p, "bad status line"));
	} else if (c == ' ')
		p->state = P_REASON;
	else if (c == '\r')
		p->state = P_STATUS_LF;
	else if (c == '\n')
		return (eng_http_parse_status_end(p));
	else
		return (eng_http_parse_fail(p, "bad status line"));
	return (p->rc);
}

/* eng_http_parse_head - one byte of an answer's head; rc */
static int
eng_http_parse_head(struct eng_http_parse *p, unsigned char c)
{
	if (++p->head_bytes > ENG_HTTP_PARSE_HEAD_MAX)
		return (eng_http_parse_fail(p, "answer head over 64 KiB"));
	switch (p->state) {
	case P_STATUS:
		return (eng_http_parse_status(p, c));
	case P_REASON:
		if (c == '\r')
			p->state = P_STATUS_LF;
		else if (c == '\n')
			return (eng_http_parse_status_end(p));
		else if (eng_http_parse_ctl(c))
			return (eng_http_parse_fail(p, "bad status line"));
		return (p->rc);
	case P_STATUS_LF:
		if (c != '\n')
			return (eng_http_parse_fail(p, "bad status line"));
		return (eng_http_parse_status_end(p));
	case P_LINE:
		if (c == '\r') {
			p->state = P_END_LF;
			return (p->rc);
		}
		if (c == '\n')
			return (eng_http_parse_head_end(p));
		if (c == ' ' || c == '\t')
			return (eng_http_parse_fail(p,
			    "obsolete line folding in the headers"));
		if (!eng_http_parse_tchar(c))
			return (eng_http_parse_fail(p, "bad header line"));
		if (++p->nhdrs > ENG_HTTP_PARSE_HDRS_MAX)
			return (eng_http_parse_fail(p,
			    "more than 100 header lines"));
		p->namelen = 0;
		p->state = P_NAME;
		/* FALLTHROUGH */
	case P_NAME:
		if (c == ':') {
			eng_http_parse_name(p);
			return (p->rc);
		}
		if (!eng_http_parse_tchar(c))
			return (eng_http_parse_fail(p, "bad header line"));
		if (p->namelen < sizeof(p->name) - 1)
			p->name[p->namelen++] = (char)c;
		else
			p->namelen = sizeof(p->name);	/* not ours */
		return (p->rc);
	case P_OWS:
		if (c == ' ' || c == '\t')
			return (p->rc);
		p->state = P_VALUE;
		/* FALLTHROUGH */
	case P_VALUE:
		if (c == '\r')
			p->state = P_VALUE_LF;
		else if (c == '\n')
			return (eng_http_parse_header(p));
		else if (eng_http_parse_ctl(c))
			return (eng_http_parse_fail(p, "bad header value"));
		else if (p->which == H_OTHER)
			;			/* not kept */
		else if (p->vallen < sizeof(p->val) - 1)
			p->val[p->vallen++] = (char)c;
		else
			p->vallong = 1;
		return (p->rc);
	case P_VALUE_LF:
		if (c != '\n')
			return (eng_http_parse_fail(p, "bad header line"));
		return (eng_http_parse_header(p));
	default:			/* P_END_LF */
		if (c != '\n')
			return (eng_http_parse_fail(p, "bad header line"));
		return (eng_http_parse_head_end(p));
	}
}

/* eng_http_parse_size_end - a chunk size line has ended */
static void
eng_http_parse_size_end(struct eng_http_parse *p)
{
	p->line = 0;
	p->state = p->left == 0 ? P_TRAILER : P_DATA;
}

/* eng_http_parse_size - one byte of a chunk size line; rc */
static int
eng_http_parse_size(struct eng_http_parse *p, unsigned char c)
{
	int	d;

	if (p->state == P_SIZE && (d = eng_http_parse_hex(c)) >= 0) {
		if (p->left > (UINT64_MAX >> 4))
			return (eng_http_parse_fail(p, "chunk size too large"));
		p->left = p->left << 4 | (uint64_t)d;
	} else if (p->line == 0)
		return (eng_http_parse_fail(p, "bad chunk size"));
	else if (c == '\r') {
		p->state = P_SIZE_LF;
		return (p->rc);
	} else if (c == '\n') {
		eng_http_parse_size_end(p);
		return (p->rc);
	} else if (p->state == P_EXT) {
		if (eng_http_parse_ctl(c))
			return (eng_http_parse_fail(p,
			    "bad chunk extension"));
	} else if (c == ';')
		p->state = P_EXT;
	else if (c == ' ' || c == '\t')
		p->state = P_SIZE_WS;
	else
		return (eng_http_parse_fail(p, "bad chunk size"));
	if (++p->line > ENG_HTTP_PARSE_LINE_MAX)	/* CRLF not counted */
		return (eng_http_parse_fail(p, "chunk size line too long"));
	return (p->rc);
}

/* eng_http_parse_chunk - one byte of chunk framing or trailer; rc */
static int
eng_http_parse_chunk(struct eng_http_parse *p, unsigned char c)
{
	switch (p->state) {
	case P_SIZE:
	case P_SIZE_WS:
	case P_EXT:
		return (eng_http_parse_size(p, c));
	case P_SIZE_LF:
		if (c != '\n')
			return (eng_http_parse_fail(p,
			    "bad chunk size line"));
		eng_http_parse_size_end(p);
		return (p->rc);
	case P_DATA_CR:
		if (c == '\r') {
			p->state = P_DATA_LF;
			return (p->rc);
		}
		/* FALLTHROUGH */
	case P_DATA_LF:
		if (c != '\n')
			return (eng_http_parse_fail(p,
			    "no line end after a chunk"));
		p->line = 0;
		p->state = P_SIZE;
		return (p->rc);
	default:
		break;
	}
	if (++p->trailer > ENG_HTTP_PARSE_HEAD_MAX)
		return (eng_http_parse_fail(p, "trailer over 64 KiB"));
	if (p->state == P_TRAILER) {
		if (c == '\r')
			p->state = P_TRAILER_LF;
		else if (c == '\n')
			eng_http_parse_done(p);
		else
			p->state = P_TRAILER_LINE;
	} else if (p->state == P_TRAILER_LINE) {
		if (c == '\n')
			p->state = P_TRAILER;
	} else if (c == '\n')		/* P_TRAILER_LF */
		eng_http_parse_done(p);
	else
		return (eng_http_parse_fail(p, "bad end of a chunked body"));
	return (p->rc);
}

/* eng_http_parse_emit - n body bytes at buf to fn; rc */
static int
eng_http_parse_emit(struct eng_http_parse *p, const char *buf, size_t n,
    eng_http_parse_fn *fn, void *arg)
{
	p->got += n;
	if (fn != NULL && fn(buf, n, arg) != 0) {
		p->rc = ENG_HTTP_PARSE_STOP;
		p->state = P_END;
	}
	return (p->rc);
}

/* eng_http_parse_feed - parse len more bytes; an eng_http_parse_rc */
int
eng_http_parse_feed(struct eng_http_parse *p, const char *buf, size_t len,
    eng_http_parse_fn *fn, void *arg)
{
	size_t	i = 0, n;

	while (i < len && p->rc == ENG_HTTP_PARSE_MORE) {
		switch (p->state) {
		case P_BODY_LEN:
		case P_DATA:
			n = len - i < p->left ? len - i : (size_t)p->left;
			p->left -= n;
			if (eng_http_parse_emit(p, buf + i, n, fn, arg) !=
			    ENG_HTTP_PARSE_MORE)
				break;		/* stopped */
			i += n;
			if (p->left > 0)
				break;
			if (p->state == P_DATA)
				p->state = P_DATA_CR;
			else
				eng_http_parse_done(p);
			break;
		case P_BODY_EOF:
			n = len - i;
			(void)eng_http_parse_emit(p, buf + i, n, fn, arg);
			i += n;
			break;
		case P_STATUS:
		case P_REASON:
		case P_STATUS_LF:
		case P_LINE:
		case P_NAME:
		case P_OWS:
		case P_VALUE:
		case P_VALUE_LF:
		case P_END_LF:
			(void)eng_http_parse_head(p, (unsigned char)buf[i++]);
			break;
		default:
			(void)eng_http_parse_chunk(p, (unsigned char)buf[i++]);
			break;
		}
	}
	return (p->rc);
}

/* eng_http_parse_eof - the connection ended; an eng_http_parse_rc */
int
eng_http_parse_eof(struct eng_http_parse *p)
{
	if (p->rc != ENG_HTTP_PARSE_MORE)
		return (p->rc);
	switch (p->state) {
	case P_BODY_EOF:
		eng_http_parse_done(p);
		return (p->rc);
	case P_BODY_LEN:
		snprintf(p->errbuf, sizeof(p->errbuf), "the connection closed "
		    "with %llu of %llu body bytes still to come",
		    (unsigned long long)p->left, (unsigned long long)p->clen);
		return (eng_http_parse_fail(p, p->errbuf));
	case P_SIZE:
	case P_SIZE_WS:
	case P_EXT:
	case P_SIZE_LF:
	case P_DATA:
	case P_DATA_CR:
	case P_DATA_LF:
	case P_TRAILER:
	case P_TRAILER_LINE:
	case P_TRAILER_LF:
		snprintf(p->errbuf, sizeof(p->errbuf), "the connection closed "
		    "inside the chunked body, after %llu bytes of it",
		    (unsigned long long)p->got);
		return (eng_http_parse_fail(p, p->errbuf));
	default:
		break;
	}
	if (p->head_bytes == 0)
		return (eng_http_parse_fail(p,
		    "the connection closed without an answer"));
	return (eng_http_parse_fail(p,
	    "the connection closed inside the answer's head"));
}
