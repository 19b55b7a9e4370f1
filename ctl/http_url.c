/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_url - parse the http:// URL corralctl talks to
 * SYNOPSIS
 *	See http_url.h.
 * DESCRIPTION
 *	corral's control plane speaks plain HTTP on a loopback or private
 *	address (TLS, if any, is a proxy's job), so only http:// is taken.
 *	The parser is strict on purpose: a URL that would be read two ways
 *	(a bare IPv6 address, user info, a query) is refused with a reason
 *	rather than guessed at.
 * DIAGNOSTICS
 *	http_url_parse reports what is wrong in err; nothing is printed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

#include "http_url.h"

static int	http_url_fail(char *, size_t, const char *);
static int	http_url_host_v6(struct http_url *, const char *, size_t,
		    char *, size_t);
static int	http_url_host_name(struct http_url *, const char *, size_t,
		    char *, size_t);
static int	http_url_port(struct http_url *, const char *, size_t, char *,
		    size_t);
static int	http_url_path(struct http_url *, const char *, char *, size_t);

/* http_url_fail - copy a reason into err, return -1 */
static int
http_url_fail(char *err, size_t errlen, const char *why)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", why);
	return (-1);
}

/* http_url_host_v6 - the inside of [...]: an IPv6 address, maybe a zone */
static int
http_url_host_v6(struct http_url *url, const char *s, size_t len, char *err,
    size_t errlen)
{
	struct in6_addr	 a6;
	char		 addr[INET6_ADDRSTRLEN + 1], *zone;
	size_t		 alen, i;

	zone = memchr(s, '%', len);
	alen = zone != NULL ? (size_t)(zone - s) : len;
	if (alen == 0 || alen >= sizeof(addr))
		return (http_url_fail(err, errlen, "bad IPv6 address"));
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET6, addr, &a6) != 1)
		return (http_url_fail(err, errlen, "bad IPv6 address"));
	if (zone == NULL) {
		url->host = xstrdup(addr);
		return (0);
	}
	/* RFC 6874: the '%' before a zone is itself encoded as %25. */
	if (len - alen < 4 || strncmp(zone, "%25", 3) != 0)
		return (http_url_fail(err, errlen,
		    "bad IPv6 zone (write it as %25zone)"));
	for (i = alen + 3; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("-._~", s[i]) ==
		    NULL)
			return (http_url_fail(err, errlen, "bad IPv6 zone"));
	xasprintf(&url->host, "%s%%%.*s", addr, (int)(len - alen - 3),
	    zone + 3);
	return (0);
}

/* http_url_host_name - an IPv4 address or a DNS name */
static int
http_url_host_name(struct http_url *url, const char *s, size_t len,
    char *err, size_t errlen)
{
	size_t	i;

	if (len == 0)
		return (http_url_fail(err, errlen, "missing host"));
	if (len > 253)
		return (http_url_fail(err, errlen, "host name too long"));
	for (i = 0; i < len; i++) {
		if (isalnum((unsigned char)s[i]) || s[i] == '-' ||
		    s[i] == '.' || s[i] == '_')
			continue;
		if (s[i] == ':')
			return (http_url_fail(err, errlen,
			    "an IPv6 address must be in brackets"));
		return (http_url_fail(err, errlen, "bad character in host"));
	}
	url->host = xmalloc(len + 1);
	memcpy(url->host, s, len);
	url->host[len] = '\0';
	return (0);
}

/* http_url_port - 1..65535 in decimal, nothing else */
static int
http_url_port(struct http_url *url, const char *s, size_t len, char *err,
    size_t errlen)
{
	unsigned long	port = 0;
	size_t		i;

	if (len == 0)
		return (http_url_fail(err, errlen, "missing port after ':'"));
	if (len > 5)
		return (http_url_fail(err, errlen, "port out of range"));
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (http_url_fail(err, errlen, "bad port"));
		port = port * 10 + (unsigned long)(s[i] - '0');
	}
	if (port == 0 || port > 65535)
		return (http_url_fail(err, errlen, "port out of range"));
	xasprintf(&url->port, "%lu", port);
	return (0);
}

/* http_url_path - the base path: printable, no query, no fragment */
static int
http_url_path(struct http_url *url, const char *s, char *err, size_t errlen)
{
	size_t	len, i;

	len = strlen(s);
	for (i = 0; i < len; i++) {
		if (s[i] == '?' || s[i] == '#')
			return (http_url_fail(err, errlen,
			    "queries and fragments are not supported"));
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return (http_url_fail(err, errlen,
			    "bad character in path"));
	}
	while (len > 0 && s[len - 1] == '/')
		len--;
	url->path = xmalloc(len + 1);
	memcpy(url->path, s, len);
	url->path[len] = '\0';
	return (0);
}

/* http_url_parse - split an http:// URL; 0, or -1 with err set */
int
http_url_parse(const char *s, struct http_url **urlp, char *err,
    size_t errlen)
{
	struct http_url	*url;
	const char	*auth, *end, *hend, *colon;
	int		 rc;

	*urlp = NULL;
	if (strlen(s) > HTTP_URL_MAX)
		return (http_url_fail(err, errlen, "URL too long"));
	if (strncasecmp(s, "https://", 8) == 0)
		return (http_url_fail(err, errlen,
		    "https is not supported (only http://)"));
	if (strncasecmp(s, "http://", 7) != 0)
		return (http_url_fail(err, errlen, strstr(s, "://") != NULL ?
		    "unsupported scheme (only http://)" :
		    "missing http:// scheme"));
	auth = s + 7;
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return (http_url_fail(err, errlen,
		    "user info is not supported"));

	url = xcalloc(1, sizeof(*url));
	if (*auth == '[') {
		if ((hend = memchr(auth, ']', (size_t)(end - auth))) == NULL) {
			http_url_free(url);
			return (http_url_fail(err, errlen, "missing ']'"));
		}
		url->ipv6 = 1;
		rc = http_url_host_v6(url, auth + 1, (size_t)(hend - auth - 1),
		    err, errlen);
		hend++;
		if (rc == 0 && hend != end && *hend != ':')
			rc = http_url_fail(err, errlen,
			    "junk after ']' (want :PORT)");
	} else {
		colon = memchr(auth, ':', (size_t)(end - auth));
		hend = colon != NULL ? colon : end;
		if (colon != NULL && memchr(colon + 1, ':',
		    (size_t)(end - colon - 1)) != NULL)
			hend = end;	/* let the name check explain */
		rc = http_url_host_name(url, auth, (size_t)(hend - auth), err,
		    errlen);
	}
	if (rc == 0 && hend != end)
		rc = http_url_port(url, hend + 1, (size_t)(end - hend - 1), err,
		    errlen);
	else if (rc == 0)
		url->port = xstrdup("80");
	if (rc == 0)
		rc = http_url_path(url, end, err, errlen);
	if (rc != 0) {
		http_url_free(url);
		return (-1);
	}
	*urlp = url;
	return (0);
}

/* http_url_hostport - the Host header value; caller frees */
char *
http_url_hostport(const struct http_url *url)
{
	char	*s, *pct;

	if (!url->ipv6) {
		xasprintf(&s, "%s:%s", url->host, url->port);
		return (s);
	}
	/* A zone means nothing to the server; RFC 6874 says leave it out. */
	pct = strchr(url->host, '%');
	xasprintf(&s, "[%.*s]:%s", pct != NULL ? (int)(pct - url->host) :
	    (int)strlen(url->host), url->host, url->port);
	return (s);
}

/* http_url_escape - percent-encode one path segment; caller frees */
char *
http_url_escape(const char *seg)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*out, *q;

	out = xmalloc(strlen(seg) * 3 + 1);
	for (p = (const unsigned char *)seg, q = out; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' ||
		    *p == '~') {
			*q++ = (char)*p;
			continue;
		}
		*q++ = '%';
		*q++ = hex[*p >> 4];
		*q++ = hex[*p & 0x0f];
	}
	*q = '\0';
	return (out);
}

/* http_url_escape_in - prefix, segment escaped, tail; caller frees */
char *
http_url_escape_in(const char *prefix, const char *seg, const char *tail)
{
	char	*esc, *path;

	esc = http_url_escape(seg);
	xasprintf(&path, "%s%s%s", prefix, esc, tail);
	free(esc);
	return (path);
}

/* http_url_free - free a parsed URL; NULL is fine */
void
http_url_free(struct http_url *url)
{
	if (url == NULL)
		return;
	free(url->host);
	free(url->port);
	free(url->path);
	free(url);
}
