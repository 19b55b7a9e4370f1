/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_client.h - one blocking HTTP/1.1 request over TCP
 * SYNOPSIS
 *	#include "http_url.h"
 *	#include "http_resp.h"
 *	#include "http_client.h"
 *
 *	char	*http_client_format(const struct http_url *url,
 *		    const struct http_request *req, size_t *lenp);
 *	int	http_client_do(const struct http_url *url,
 *		    const struct http_request *req, int timeout_ms,
 *		    struct http_resp **respp, char *err, size_t errlen);
 * DESCRIPTION
 *	http_client_format renders the request head and body: the method,
 *	url->path followed by req->path, Host, User-Agent, Accept,
 *	Connection: close, Authorization: Bearer when req->bearer is set,
 *	and Content-Length whenever the method may carry a body. The
 *	caller must wipe the result with explicit_bzero before freeing it
 *	(it may hold the token); *lenp is its length.
 *
 *	http_client_do resolves url->host with getaddrinfo, connects to
 *	each address in turn until one answers, sends the request and
 *	reads the whole response into a new struct http_resp (body at most
 *	HTTP_CLIENT_BODY_MAX bytes) that the caller owns. timeout_ms
 *	bounds the connection attempt as a whole and each wait for the
 *	server afterwards. It returns HTTP_CLIENT_OK; HTTP_CLIENT_ECONNECT
 *	when no connection could be made; or HTTP_CLIENT_EANSWER when the
 *	server did not send a complete, well-formed answer in time. On
 *	failure err holds one line (no URL, the caller adds it).
 *
 *	With req->sink set, the body of a 2xx answer goes to the sink as it
 *	arrives (http_resp_set_sink) instead of into the response, and once
 *	that answer's head is in, reads wait as long as it takes: a
 *	followed log may stay quiet for hours. The end of the answer (its
 *	last chunk, or the server closing) ends the call as usual.
 */
#ifndef CORRAL_HTTP_CLIENT_H
#define CORRAL_HTTP_CLIENT_H

#include <stddef.h>

#include "http_resp.h"

#define HTTP_CLIENT_BODY_MAX	(16 * 1024 * 1024)

struct http_url;
struct http_resp;

enum http_client_result {
	HTTP_CLIENT_OK = 0,
	HTTP_CLIENT_ECONNECT = -1,	/* resolve or connect failed */
	HTTP_CLIENT_EANSWER = -2	/* connected, no valid answer */
};

struct http_request {
	const char	*method;	/* "GET", "POST" ... */
	const char	*path;		/* "/v1/workers", already escaped */
	const char	*bearer;	/* token or NULL; never logged */
	const char	*body;		/* NULL: empty */
	size_t		 bodylen;
	const char	*content_type;	/* for a body; NULL: JSON */
	http_resp_sink	*sink;		/* a 2xx body goes there; NULL */
	void		*sink_arg;
};

/* http_client_format - the request as sent; wipe, then free */
char	*http_client_format(const struct http_url *,
	    const struct http_request *, size_t *);

/* http_client_do - send one request, read the whole response */
int	 http_client_do(const struct http_url *, const struct http_request *,
	    int, struct http_resp **, char *, size_t);

#endif
