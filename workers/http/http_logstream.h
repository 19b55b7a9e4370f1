/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_logstream.h - stream what a descriptor gives as a chunked reply
 * SYNOPSIS
 *	void	http_logstream_start(struct http_call *call, int fd,
 *		    const char *ctype);
 * DESCRIPTION
 *	http_logstream_start answers call with 200 and Content-Type ctype,
 *	then sends everything that can be read from fd (a socket or a
 *	pipe, which it owns from here on) as it comes, one chunk per read,
 *	until fd reaches its end; then it ends the reply. A client that
 *	goes away first, or a server that shuts down, ends it early. fd is
 *	closed on every path, and at once when there is no client left to
 *	answer.
 *
 *	HTTP_LOGSTREAM_OUT_MAX bounds what waits for a slow client:
 *	reading fd pauses while more than that is queued on the
 *	connection, and resumes once the queue has been written.
 */
#ifndef CORRAL_HTTP_LOGSTREAM_H
#define CORRAL_HTTP_LOGSTREAM_H

#define HTTP_LOGSTREAM_OUT_MAX	(256 * 1024)	/* queued for the client */
#define HTTP_LOGSTREAM_READ_MAX	(64 * 1024)	/* one read, one chunk */

struct http_call;

/* http_logstream_start - answer call with what fd gives, until its end */
void	http_logstream_start(struct http_call *call, int fd, const char *ctype);

#endif
