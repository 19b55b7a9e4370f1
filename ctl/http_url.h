/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_url.h - parse the http:// URL corralctl talks to
 * SYNOPSIS
 *	#include "http_url.h"
 *
 *	int	http_url_parse(const char *s, struct http_url **urlp,
 *		    char *err, size_t errlen);
 *	char	*http_url_hostport(const struct http_url *url);
 *	char	*http_url_escape(const char *segment);
 *	char	*http_url_escape_in(const char *prefix, const char *segment,
 *		    const char *tail);
 *	void	http_url_free(struct http_url *url);
 * DESCRIPTION
 *	http_url_parse accepts http://HOST[:PORT][/PATH], where HOST is an
 *	IPv4 address, a name, or an IPv6 address in brackets (a zone is
 *	written %25zone, as RFC 6874 says). PORT defaults to 80. PATH, if
 *	any, is a prefix put before every API path (a reverse proxy that
 *	mounts corral under /corral); its trailing slashes are dropped.
 *	Other schemes, user info, queries and fragments are refused. It
 *	returns 0 and sets *urlp (the caller owns it), or -1 with one
 *	line in err.
 *
 *	http_url_hostport returns the Host header value, "host:port" or
 *	"[v6]:port". http_url_escape percent-encodes one path segment
 *	(everything but RFC 3986 unreserved characters);
 *	http_url_escape_in is prefix, segment so escaped, then tail (an
 *	API path: "/v1/engines/", name, "/logs"). The caller owns the
 *	results.
 *
 *	http_url_free accepts NULL.
 */
#ifndef CORRAL_HTTP_URL_H
#define CORRAL_HTTP_URL_H

#include <stddef.h>

#define HTTP_URL_MAX	2048

struct http_url {
	char	*host;		/* name or address, no brackets, zone decoded */
	char	*port;		/* decimal, 1..65535 */
	char	*path;		/* "" or "/prefix", no trailing slash */
	int	 ipv6;		/* host was given in brackets */
};

/* http_url_parse - split an http:// URL; 0, or -1 with err set */
int	 http_url_parse(const char *, struct http_url **, char *, size_t);

/* http_url_hostport - the Host header value; caller frees */
char	*http_url_hostport(const struct http_url *);

/* http_url_escape - percent-encode one path segment; caller frees */
char	*http_url_escape(const char *);

/* http_url_escape_in - prefix, segment escaped, tail; caller frees */
char	*http_url_escape_in(const char *, const char *, const char *);

/* http_url_free - free a parsed URL; NULL is fine */
void	 http_url_free(struct http_url *);

#endif
