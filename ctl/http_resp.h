/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_resp.h - incremental HTTP/1.x response parser
 * SYNOPSIS
 *	#include "http_resp.h"
 *
 *	struct http_resp *http_resp_new(size_t maxbody);
 *	int	http_resp_feed(struct http_resp *r, const char *buf,
 *		    size_t len);
 *	int	http_resp_eof(struct http_resp *r);
 *	const char *http_resp_header(const struct http_resp *r,
 *		    const char *name);
 *	const char *http_resp_error(const struct http_resp *r);
 *	void	http_resp_set_sink(struct http_resp *r, http_resp_sink *fn,
 *		    void *arg);
 *	int	http_resp_streaming(const struct http_resp *r);
 *	void	http_resp_free(struct http_resp *r);
 * DESCRIPTION
 *	The parser takes the bytes of one response in pieces of any size,
 *	as read(2) returns them, so it never needs the whole message
 *	at once and never looks past what it was given.
 *
 *	http_resp_new makes an empty parser that refuses a body longer
 *	than maxbody bytes. http_resp_feed gives it the next len bytes;
 *	it returns HTTP_RESP_MORE when it wants more, HTTP_RESP_DONE once
 *	the response is complete (later bytes are ignored), or
 *	HTTP_RESP_ERROR on a malformed or oversize response. The body is
 *	framed by Transfer-Encoding: chunked, else Content-Length, else
 *	the end of the connection; 1xx interim responses are skipped and
 *	204 and 304 have no body. http_resp_eof tells the parser that the
 *	connection ended: it returns HTTP_RESP_DONE if that completes the
 *	response and HTTP_RESP_ERROR if the response was cut short.
 *
 *	Once done, status, reason, headers and body (NUL-terminated,
 *	bodylen bytes) may be read from the structure. http_resp_header
 *	finds a header by name, ignoring case (the first one, if several).
 *	http_resp_error says what was wrong after HTTP_RESP_ERROR.
 *
 *	http_resp_set_sink makes the body of a 2xx response go to fn as it
 *	is parsed, piece by piece (chunk framing removed), instead of into
 *	body, which then stays empty and is not bounded by maxbody: a
 *	followed log has no end known in advance. fn returns 0, or -1
 *	with errno set to stop the parse with an error. The body of any
 *	other status is kept as usual (it is the JSON error).
 *	http_resp_streaming says whether the body is going to the sink
 *	now (the head was a 2xx and has been read).
 *
 *	http_resp_free accepts NULL.
 */
#ifndef CORRAL_HTTP_RESP_H
#define CORRAL_HTTP_RESP_H

#include <stddef.h>

#define HTTP_RESP_LINE_MAX	8192	/* status line, header, chunk size */
#define HTTP_RESP_HEADERS_MAX	100

enum http_resp_result {
	HTTP_RESP_ERROR = -1,
	HTTP_RESP_MORE = 0,
	HTTP_RESP_DONE = 1
};

/* where a streamed body goes: 0, or -1 and errno */
typedef int http_resp_sink(void *, const char *, size_t);

struct http_header {
	char	*name;
	char	*value;
};

struct http_resp {
	int			 status;	/* 100..599 */
	char			*reason;
	struct http_header	*headers;
	size_t			 nheaders;
	char			*body;		/* NUL-terminated */
	size_t			 bodylen;

	/* parser state */
	int			 state;
	int			 framing;	/* how the body ends */
	size_t			 maxbody;
	size_t			 bodycap;
	size_t			 want;		/* bytes left: chunk, body */
	http_resp_sink		*sink;		/* a 2xx body goes there */
	void			*sink_arg;
	int			 sinking;	/* the body goes to sink */
	char			*line;		/* the incomplete line so far */
	size_t			 linelen;
	size_t			 linecap;
	char			 err[128];
};

/* http_resp_new - an empty parser for one response */
struct http_resp *http_resp_new(size_t);

/* http_resp_feed - parse the next bytes: HTTP_RESP_MORE, _DONE or _ERROR */
int		 http_resp_feed(struct http_resp *, const char *, size_t);

/* http_resp_eof - the peer closed: HTTP_RESP_DONE or HTTP_RESP_ERROR */
int		 http_resp_eof(struct http_resp *);

/* http_resp_header - a header value by name, any case; NULL if absent */
const char	*http_resp_header(const struct http_resp *, const char *);

/* http_resp_error - what went wrong, "" if nothing */
const char	*http_resp_error(const struct http_resp *);

/* http_resp_set_sink - a 2xx body goes to fn(arg, bytes, len) */
void		 http_resp_set_sink(struct http_resp *, http_resp_sink *,
		    void *);

/* http_resp_streaming - 1 while the body goes to the sink */
int		 http_resp_streaming(const struct http_resp *);

/* http_resp_free - free a parser and its response; NULL is fine */
void		 http_resp_free(struct http_resp *);

#endif
