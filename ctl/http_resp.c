/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_resp - incremental HTTP/1.x response parser
 * SYNOPSIS
 *	See http_resp.h.
 * DESCRIPTION
 *	A small state machine over lines (status, headers, chunk sizes,
 *	trailers) and counted runs of body bytes. Every line and the body
 *	have a hard size limit checked before anything grows, so a server
 *	that sends garbage costs us at most those limits. A body that goes
 *	to a sink is not kept at all, so it needs no limit. Lines may end in
 *	CRLF or a bare LF; a CR anywhere else, a NUL, obsolete header
 *	folding or a malformed number is an error, not a guess.
 * DIAGNOSTICS
 *	Nothing is printed; http_resp_error() says what went wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

#include "http_resp.h"

#define HTTP_RESP_SINK_MAX	(SIZE_MAX / 32)	/* a streamed body's sizes */

enum http_resp_state {
	RS_STATUS,		/* want the status line */
	RS_HEADERS,		/* want a header line or the blank line */
	RS_BODY,		/* counted body (Content-Length) */
	RS_BODY_EOF,		/* body runs to the end of the connection */
	RS_CHUNK_SIZE,		/* want a chunk-size line */
	RS_CHUNK_DATA,		/* inside a chunk */
	RS_CHUNK_END,		/* want the CRLF after a chunk */
	RS_TRAILERS,		/* want a trailer line or the blank line */
	RS_DONE,
	RS_ERROR
};

static int	http_resp_fail(struct http_resp *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	http_resp_finish(struct http_resp *);
static size_t	http_resp_take_line(struct http_resp *, const char *, size_t,
		    int *);
static int	http_resp_status_line(struct http_resp *, const char *);
static int	http_resp_header_line(struct http_resp *, const char *);
static int	http_resp_headers_end(struct http_resp *);
static int	http_resp_chunk_size(struct http_resp *, const char *);
static int	http_resp_line(struct http_resp *);
static int	http_resp_append(struct http_resp *, const char *, size_t);
static void	http_resp_clear_headers(struct http_resp *);

/* http_resp_new - an empty parser for one response */
struct http_resp *
http_resp_new(size_t maxbody)
{
	struct http_resp	*r;

	r = xcalloc(1, sizeof(*r));
	r->state = RS_STATUS;
	r->maxbody = maxbody;
	return (r);
}

/* http_resp_fail - record why the response is bad; HTTP_RESP_ERROR */
static int
http_resp_fail(struct http_resp *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	r->state = RS_ERROR;
	return (HTTP_RESP_ERROR);
}

/* http_resp_finish - mark the response complete; the body is never NULL */
static void
http_resp_finish(struct http_resp *r)
{
	if (r->body == NULL) {
		r->body = xmalloc(1);
		r->bodycap = 1;
	}
	r->body[r->bodylen] = '\0';
	r->state = RS_DONE;
}

/*
 * http_resp_take_line - add bytes up to and including the next LF to the
 * pending line; *complete says whether the LF was seen. Returns the
 * number of bytes used, or 0 with the parser in error.
 */
static size_t
http_resp_take_line(struct http_resp *r, const char *buf, size_t len,
    int *complete)
{
	const char	*lf;
	size_t		 n, keep;

	lf = memchr(buf, '\n', len);
	n = lf != NULL ? (size_t)(lf - buf) + 1 : len;
	keep = lf != NULL ? n - 1 : n;
	if (r->linelen + keep > HTTP_RESP_LINE_MAX) {
		http_resp_fail(r, "line longer than %d bytes",
		    HTTP_RESP_LINE_MAX);
		return (0);
	}
	if (memchr(buf, '\0', keep) != NULL) {
		http_resp_fail(r, "NUL byte in a header line");
		return (0);
	}
	if (r->linelen + keep + 1 > r->linecap) {
		r->linecap = r->linelen + keep + 1 < 256 ? 256 :
		    HTTP_RESP_LINE_MAX + 1;
		r->line = xrealloc(r->line, r->linecap);
	}
	memcpy(r->line + r->linelen, buf, keep);
	r->linelen += keep;
	r->line[r->linelen] = '\0';
	*complete = lf != NULL;
	if (*complete && r->linelen > 0 && r->line[r->linelen - 1] == '\r')
		r->line[--r->linelen] = '\0';
	return (n);
}

/* http_resp_status_line - "HTTP/1.x NNN reason" */
static int
http_resp_status_line(struct http_resp *r, const char *s)
{
	const char	*p;

	if (strncmp(s, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)s[7]) ||
	    s[8] != ' ')
		return (http_resp_fail(r, "not an HTTP/1.x status line"));
	p = s + 9;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || (p[3] != '\0' && p[3] != ' '))
		return (http_resp_fail(r, "bad status code"));
	r->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (r->status < 100 || r->status > 599)
		return (http_resp_fail(r, "status %d out of range", r->status));
	free(r->reason);
	r->reason = xstrdup(p[3] == ' ' ? p + 4 : "");
	r->state = RS_HEADERS;
	return (HTTP_RESP_MORE);
}

/* http_resp_header_line - "Name: value", OWS around the value dropped */
static int
http_resp_header_line(struct http_resp *r, const char *s)
{
	struct http_header	*h;
	const char		*colon, *v, *e, *p;

	if (*s == ' ' || *s == '\t')
		return (http_resp_fail(r, "folded header line"));
	if ((colon = strchr(s, ':')) == NULL || colon == s)
		return (http_resp_fail(r, "bad header line"));
	for (p = s; p < colon; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return (http_resp_fail(r, "bad header name"));
	if (r->nheaders >= HTTP_RESP_HEADERS_MAX)
		return (http_resp_fail(r, "more than %d headers",
		    HTTP_RESP_HEADERS_MAX));
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	r->headers = xrealloc(r->headers, (r->nheaders + 1) *
	    sizeof(*r->headers));
	h = &r->headers[r->nheaders++];
	h->name = xmalloc((size_t)(colon - s) + 1);
	memcpy(h->name, s, (size_t)(colon - s));
	h->name[colon - s] = '\0';
	h->value = xmalloc((size_t)(e - v) + 1);
	memcpy(h->value, v, (size_t)(e - v));
	h->value[e - v] = '\0';
	return (HTTP_RESP_MORE);
}

/* http_resp_headers_end - choose how the body is framed */
static int
http_resp_headers_end(struct http_resp *r)
{
	const char	*te, *last, *p;
	size_t		 i, n;
	int		 seen = 0;

	if (r->status >= 100 && r->status < 200) {
		if (r->status == 101)
			return (http_resp_fail(r, "unexpected 101 response"));
		/* An interim response: the real one follows. */
		http_resp_clear_headers(r);
		r->state = RS_STATUS;
		return (HTTP_RESP_MORE);
	}
	if (r->status == 204 || r->status == 304) {
		http_resp_finish(r);
		return (HTTP_RESP_DONE);
	}
	r->sinking = r->sink != NULL && r->status >= 200 && r->status < 300;
	if (r->sinking)		/* nothing is kept: only overflow matters */
		r->maxbody = HTTP_RESP_SINK_MAX;
	if ((te = http_resp_header(r, "Transfer-Encoding")) != NULL) {
		last = strrchr(te, ',');
		last = last != NULL ? last + 1 : te;
		while (*last == ' ' || *last == '\t')
			last++;
		if (strcasecmp(last, "chunked") == 0) {
			r->state = RS_CHUNK_SIZE;
			return (HTTP_RESP_MORE);
		}
		r->state = RS_BODY_EOF;
		return (HTTP_RESP_MORE);
	}
	for (i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, "Content-Length") != 0)
			continue;
		p = r->headers[i].value;
		if (*p == '\0')
			return (http_resp_fail(r, "bad Content-Length"));
		for (n = 0; *p != '\0'; p++) {
			if (!isdigit((unsigned char)*p))
				return (http_resp_fail(r,
				    "bad Content-Length"));
			if (n > r->maxbody)
				break;
			n = n * 10 + (size_t)(*p - '0');
		}
		if (n > r->maxbody)
			return (http_resp_fail(r, "body larger than %zu bytes",
			    r->maxbody));
		if (seen && n != r->want)
			return (http_resp_fail(r,
			    "conflicting Content-Length headers"));
		r->want = n;
		seen = 1;
	}
	if (!seen) {
		r->state = RS_BODY_EOF;
		return (HTTP_RESP_MORE);
	}
	if (r->want == 0) {
		http_resp_finish(r);
		return (HTTP_RESP_DONE);
	}
	r->state = RS_BODY;
	return (HTTP_RESP_MORE);
}

/* http_resp_chunk_size - hex size, then optional ";extensions" */
static int
http_resp_chunk_size(struct http_resp *r, const char *s)
{
	const char	*p;
	size_t		 n = 0;
	int		 d;

	for (p = s; isxdigit((unsigned char)*p); p++) {
		d = isdigit((unsigned char)*p) ? *p - '0' :
		    tolower((unsigned char)*p) - 'a' + 10;
		n = n * 16 + (size_t)d;
		if (n > r->maxbody - r->bodylen)
			return (http_resp_fail(r, "body larger than %zu bytes",
			    r->maxbody));
	}
	if (p == s)
		return (http_resp_fail(r, "bad chunk size"));
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' && *p != ';')
		return (http_resp_fail(r, "bad chunk size"));
	if (n == 0) {
		r->state = RS_TRAILERS;
		return (HTTP_RESP_MORE);
	}
	r->want = n;
	r->state = RS_CHUNK_DATA;
	return (HTTP_RESP_MORE);
}

/* http_resp_line - act on one complete line for the current state */
static int
http_resp_line(struct http_resp *r)
{
	const char	*s = r->line;

	if (memchr(s, '\r', r->linelen) != NULL)
		return (http_resp_fail(r, "stray CR in a line"));
	switch (r->state) {
	case RS_STATUS:
		return (http_resp_status_line(r, s));
	case RS_HEADERS:
		return (*s == '\0' ? http_resp_headers_end(r) :
		    http_resp_header_line(r, s));
	case RS_CHUNK_SIZE:
		return (http_resp_chunk_size(r, s));
	case RS_CHUNK_END:
		if (*s != '\0')
			return (http_resp_fail(r,
			    "chunk longer than its size"));
		r->state = RS_CHUNK_SIZE;
		return (HTTP_RESP_MORE);
	case RS_TRAILERS:
		if (*s == '\0') {
			http_resp_finish(r);
			return (HTTP_RESP_DONE);
		}
		return (HTTP_RESP_MORE);	/* trailers are not used */
	default:
		return (http_resp_fail(r, "internal error: line in state %d",
		    r->state));
	}
}

/* http_resp_append - add body bytes, within maxbody, or pass them on */
static int
http_resp_append(struct http_resp *r, const char *buf, size_t len)
{
	size_t	cap;

	if (r->sinking) {
		if (len > 0 && r->sink(r->sink_arg, buf, len) == -1)
			return (http_resp_fail(r, "writing the body: %s",
			    strerror(errno)));
		return (HTTP_RESP_MORE);
	}
	if (len > r->maxbody - r->bodylen)
		return (http_resp_fail(r, "body larger than %zu bytes",
		    r->maxbody));
	if (r->bodylen + len + 1 > r->bodycap) {
		cap = r->bodycap < 4096 ? 4096 : r->bodycap;
		while (cap < r->bodylen + len + 1)
			cap *= 2;
		if (cap > r->maxbody + 1)
			cap = r->maxbody + 1;
		r->body = xrealloc(r->body, cap);
		r->bodycap = cap;
	}
	memcpy(r->body + r->bodylen, buf, len);
	r->bodylen += len;
	return (HTTP_RESP_MORE);
}

/* http_resp_feed - parse the next bytes: HTTP_RESP_MORE, _DONE or _ERROR */
int
http_resp_feed(struct http_resp *r, const char *buf, size_t len)
{
	size_t	n;
	int	complete, rc;

	while (len > 0 && r->state != RS_DONE && r->state != RS_ERROR) {
		switch (r->state) {
		case RS_BODY:
		case RS_CHUNK_DATA:
			n = len < r->want ? len : r->want;
			if (http_resp_append(r, buf, n) == HTTP_RESP_ERROR)
				return (HTTP_RESP_ERROR);
			r->want -= n;
			if (r->want == 0 && r->state == RS_BODY)
				http_resp_finish(r);
			else if (r->want == 0)
				r->state = RS_CHUNK_END;
			break;
		case RS_BODY_EOF:
			n = len;
			if (http_resp_append(r, buf, n) == HTTP_RESP_ERROR)
				return (HTTP_RESP_ERROR);
			break;
		default:
			if ((n = http_resp_take_line(r, buf, len,
			    &complete)) == 0)
				return (HTTP_RESP_ERROR);
			if (!complete)
				break;
			rc = http_resp_line(r);
			r->linelen = 0;
			if (rc == HTTP_RESP_ERROR)
				return (rc);
			break;
		}
		buf += n;
		len -= n;
	}
	if (r->state == RS_ERROR)
		return (HTTP_RESP_ERROR);
	return (r->state == RS_DONE ? HTTP_RESP_DONE : HTTP_RESP_MORE);
}

/* http_resp_eof - the peer closed: HTTP_RESP_DONE or HTTP_RESP_ERROR */
int
http_resp_eof(struct http_resp *r)
{
	switch (r->state) {
	case RS_DONE:
		return (HTTP_RESP_DONE);
	case RS_ERROR:
		return (HTTP_RESP_ERROR);
	case RS_BODY_EOF:
		http_resp_finish(r);
		return (HTTP_RESP_DONE);
	case RS_STATUS:
		if (r->linelen == 0 && r->status == 0)
			return (http_resp_fail(r,
			    "connection closed without a response"));
		/* FALLTHROUGH */
	default:
		return (http_resp_fail(r,
		    "connection closed in the middle of the response"));
	}
}

/* http_resp_header - a header value by name, any case; NULL if absent */
const char *
http_resp_header(const struct http_resp *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return (r->headers[i].value);
	return (NULL);
}

/* http_resp_error - what went wrong, "" if nothing */
const char *
http_resp_error(const struct http_resp *r)
{
	return (r->err);
}

/* http_resp_set_sink - a 2xx body goes to fn(arg, bytes, len) */
void
http_resp_set_sink(struct http_resp *r, http_resp_sink *fn, void *arg)
{
	r->sink = fn;
	r->sink_arg = arg;
}

/* http_resp_streaming - 1 while the body goes to the sink */
int
http_resp_streaming(const struct http_resp *r)
{
	return (r->sinking && r->state != RS_DONE && r->state != RS_ERROR);
}

/* http_resp_clear_headers - forget the headers (after a 1xx response) */
static void
http_resp_clear_headers(struct http_resp *r)
{
	size_t	i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
}

/* http_resp_free - free a parser and its response; NULL is fine */
void
http_resp_free(struct http_resp *r)
{
	if (r == NULL)
		return;
	http_resp_clear_headers(r);
	free(r->reason);
	free(r->body);
	free(r->line);
	free(r);
}
