/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_req - one request's URL, its bytes on the wire, and the
 *	reading of its answer
 * SYNOPSIS
 *	#include "eng_http_priv.h"
 * DESCRIPTION
 *	eng_http_req_setup reads o->url, "http://host[:port][/path][?query]"
 *	(the scheme in any case; no user info; a fragment is dropped; the
 *	port 80 by default; an IPv6 host in brackets). With o->unix_path the
 *	connection goes to that socket and the URL's host is only the Host
 *	header; otherwise a numeric IPv4 or IPv6 host is the address and
 *	any other host is looked up when the request starts.
 *
 *	The request is built once, in r->out:
 *
 *	  METHOD /path?query HTTP/1.1
 *	  Host: host[:port]		(as the URL has it)
 *	  User-Agent: corral/VERSION
 *	  Accept: * / *			(without the spaces)
 *	  Content-Type: application/json	(with a body)
 *	  Content-Length: N		(with a body; 0 for a method other
 *					 than GET and HEAD without one)
 *	  Connection: close
 *
 *	and the body. Everything in the request line and the Host header
 *	must be printable ASCII without spaces: a URL or method with
 *	anything else is refused rather than sent.
 *
 *	eng_http_req_read_cb feeds what the connection has read to the
 *	request's parser (eng_http_parse, told whether the method is HEAD).
 *	The body of a 2xx answer goes to the data callback, if there is
 *	one; any other body is collected, up to r->max bytes. The request
 *	is busy while the parser runs, so that the data callback may cancel
 *	it or free the client: it is then freed here, once the parser has
 *	returned. eng_http_req_eof is the server's close.
 * DIAGNOSTICS
 *	eng_http_req_setup: "unsupported URL scheme 'S' in URL (only
 *	http:// is)", "bad URL U: why", "socket path too long: P". The
 *	answer: "aborted", "response too large", "answer from WHERE: what
 *	the parser says".
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "eng_http_priv.h"
#include "xmalloc.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION		"0.0.0"
#endif
#define ENG_HTTP_REQ_AGENT	"corral/" CORRAL_VERSION

/* the parts of a URL, pointing into it */
struct eng_http_req_url {
	const char	*auth;		/* host[:port] */
	size_t		 authlen;
	const char	*host;		/* without brackets */
	size_t		 hostlen;
	int		 bracket;	/* [IPv6] */
	unsigned	 port;
	const char	*target;	/* /path?query, or "" for "/" */
	size_t		 targetlen;
};

/* eng_http_req_printable - are the n bytes at s printable, no space? */
static int
eng_http_req_printable(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return (0);
	return (1);
}

/* eng_http_req_port - the port after a colon; 0 if bad */
static unsigned
eng_http_req_port(const char *s, size_t n)
{
	unsigned	port = 0;
	size_t		i;

	if (n == 0 || n > 5)
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		port = port * 10 + (unsigned)(s[i] - '0');
	}
	return (port <= 65535 ? port : 0);
}

/* eng_http_req_url - split url into u; NULL, or why it is bad */
static const char *
eng_http_req_url(const char *url, struct eng_http_req_url *u)
{
	const char	*p, *end, *close;

	memset(u, 0, sizeof(*u));
	u->auth = url + 7;		/* after http:// */
	u->authlen = strcspn(u->auth, "/?#");
	end = u->auth + u->authlen;
	if (u->authlen == 0)
		return ("no host");
	if (memchr(u->auth, '@', u->authlen) != NULL)
		return ("user info is not supported");
	if (!eng_http_req_printable(u->auth, u->authlen))
		return ("bad character in the host");
	u->port = 80;
	if (u->auth[0] == '[') {
		if ((close = memchr(u->auth, ']', u->authlen)) == NULL)
			return ("no ']' after the IPv6 address");
		u->bracket = 1;
		u->host = u->auth + 1;
		u->hostlen = (size_t)(close - u->host);
		p = close + 1;
	} else {
		u->host = u->auth;
		p = memchr(u->auth, ':', u->authlen);
		if (p == NULL)
			p = end;
		u->hostlen = (size_t)(p - u->host);
	}
	if (p < end && (*p != ':' ||
	    (u->port = eng_http_req_port(p + 1, (size_t)(end - p - 1))) == 0))
		return ("bad port");
	if (u->hostlen == 0 || u->hostlen >= ENG_HTTP_HOST_LEN)
		return ("bad host");
	u->target = end;
	u->targetlen = strcspn(end, "#");
	if (!eng_http_req_printable(u->target, u->targetlen))
		return ("bad character in the path");
	return (NULL);
}

/* eng_http_req_addr - r's address from o and u; 0, or -1 and r->early */
static int
eng_http_req_addr(struct eng_http_req *r, const struct eng_http_opts *o,
    const struct eng_http_req_url *u)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&r->addr[0];
	struct sockaddr_in	*sin = (struct sockaddr_in *)&r->addr[0];
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&r->addr[0];

	if (o->unix_path != NULL) {
		snprintf(r->where, sizeof(r->where), "%s", o->unix_path);
		if (strlen(o->unix_path) >= sizeof(sun->sun_path)) {
			snprintf(r->early, sizeof(r->early),
			    "socket path too long: %s", o->unix_path);
			return (-1);
		}
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, o->unix_path, strlen(o->unix_path) + 1);
		r->addrlen[0] = sizeof(*sun);
		r->naddr = 1;
		return (0);
	}
	memcpy(r->host, u->host, u->hostlen);
	r->host[u->hostlen] = '\0';
	r->port = u->port;
	snprintf(r->where, sizeof(r->where), u->bracket ? "[%s]:%u" :
	    "%s:%u", r->host, r->port);
	if (u->bracket) {
		if (inet_pton(AF_INET6, r->host, &sin6->sin6_addr) != 1) {
			snprintf(r->early, sizeof(r->early), "bad URL %s: "
			    "bad IPv6 address", o->url);
			return (-1);
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)r->port);
		r->addrlen[0] = sizeof(*sin6);
		r->naddr = 1;
	} else if (inet_pton(AF_INET, r->host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)r->port);
		r->addrlen[0] = sizeof(*sin);
		r->naddr = 1;
	}				/* else a name, looked up at start */
	return (0);
}

/* eng_http_req_build - the request's bytes into r->out */
static void
eng_http_req_build(struct eng_http_req *r, const struct eng_http_opts *o,
    const char *method, const struct eng_http_req_url *u)
{
	char	*head, clen[64];
	size_t	 blen = o->body != NULL ? o->body_len : 0;
	int	 n;

	clen[0] = '\0';
	if (o->body != NULL)
		snprintf(clen, sizeof(clen), "Content-Type: application/json"
		    "\r\nContent-Length: %zu\r\n", blen);
	else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		snprintf(clen, sizeof(clen), "Content-Length: 0\r\n");
	n = xasprintf(&head, "%s %s%.*s HTTP/1.1\r\nHost: %.*s\r\n"
	    "User-Agent: " ENG_HTTP_REQ_AGENT "\r\nAccept: */*\r\n%s"
	    "Connection: close\r\n\r\n", method,
	    u->targetlen == 0 || u->target[0] != '/' ? "/" : "",
	    (int)u->targetlen, u->target, (int)u->authlen, u->auth, clen);
	r->out_len = (size_t)n + blen;
	r->out = xrealloc(head, r->out_len + 1);
	if (blen > 0)
		memcpy(r->out + n, o->body, blen);
}

/* eng_http_req_setup - r's target and request from o; 0, or -1 and
 * r->early */
int
eng_http_req_setup(struct eng_http_req *r, const struct eng_http_opts *o)
{
	struct eng_http_req_url	 u;
	const char		*m = o->method != NULL ? o->method : "GET";
	const char		*why, *colon;

	if (strncasecmp(o->url, "http://", 7) != 0) {
		if ((colon = strstr(o->url, "://")) != NULL)
			snprintf(r->early, sizeof(r->early), "unsupported URL "
			    "scheme '%.*s' in %s (only http:// is)",
			    (int)(colon - o->url), o->url, o->url);
		else
			snprintf(r->early, sizeof(r->early), "bad URL %s: not "
			    "http://host/path", o->url);
		return (-1);
	}
	if ((why = eng_http_req_url(o->url, &u)) != NULL) {
		snprintf(r->early, sizeof(r->early), "bad URL %s: %s", o->url,
		    why);
		return (-1);
	}
	if (*m == '\0' || !eng_http_req_printable(m, strlen(m))) {
		snprintf(r->early, sizeof(r->early), "bad method '%s'", m);
		return (-1);
	}
	if (eng_http_req_addr(r, o, &u) == -1)
		return (-1);
	eng_http_parse_init(&r->parse, strcmp(m, "HEAD") == 0);
	eng_http_req_build(r, o, m, &u);
	return (0);
}

/* eng_http_req_body_cb - a piece of the body: to data, or collect it */
static int
eng_http_req_body_cb(const char *buf, size_t n, void *arg)
{
	struct eng_http_req	*r = arg;
	int			 st = r->parse.status;

	if (r->state != ENG_HTTP_ACTIVE)
		return (-1);
	if (r->data != NULL && st >= 200 && st <= 299) {
		if (r->data(buf, n, r->arg) < 0) {
			r->aborted = 1;
			return (-1);
		}
		/* data may have cancelled r or freed the client */
		return (r->state == ENG_HTTP_ACTIVE ? 0 : -1);
	}
	if (n > r->max - r->len) {
		r->toolarge = 1;
		return (-1);
	}
	if (r->len + n + 1 > r->cap) {
		r->cap = r->cap == 0 ? 4096 : r->cap;
		while (r->cap < r->len + n + 1)
			r->cap *= 2;
		r->body = xrealloc(r->body, r->cap);
	}
	memcpy(r->body + r->len, buf, n);
	r->len += n;
	r->body[r->len] = '\0';
	return (0);
}

/* eng_http_req_ended - act on the parser's verdict rc */
static void
eng_http_req_ended(struct eng_http_req *r, int rc)
{
	if (r->state == ENG_HTTP_CANCELLED)
		eng_http_finish(r, NULL);	/* only frees it */
	else if (rc == ENG_HTTP_PARSE_DONE)
		eng_http_finish(r, NULL);
	else if (rc == ENG_HTTP_PARSE_ERROR)
		eng_http_failf(r, "answer from %s: %s", r->where,
		    r->parse.err);
	else if (rc == ENG_HTTP_PARSE_STOP)
		eng_http_finish(r, r->aborted ? "aborted" :
		    "response too large");
}

/* eng_http_req_read_cb - bytes of the answer have come */
void
eng_http_req_read_cb(struct bufferevent *bev, void *arg)
{
	struct eng_http_req	*r = arg;
	struct eng_http		*h = r->h;
	struct evbuffer		*in = bufferevent_get_input(bev);
	const char		*p;
	size_t			 n;
	int			 rc = ENG_HTTP_PARSE_MORE;

	eng_http_enter(h);
	r->busy = 1;
	while (rc == ENG_HTTP_PARSE_MORE &&
	    (n = evbuffer_get_contiguous_space(in)) > 0) {
		p = (const char *)evbuffer_pullup(in, (ev_ssize_t)n);
		rc = eng_http_parse_feed(&r->parse, p, n,
		    eng_http_req_body_cb, r);
		if (rc == ENG_HTTP_PARSE_MORE)
			evbuffer_drain(in, n);
	}
	r->busy = 0;
	eng_http_req_ended(r, rc);
	eng_http_leave(h);
}

/* eng_http_req_eof - the server closed the connection */
void
eng_http_req_eof(struct eng_http_req *r)
{
	eng_http_req_ended(r, eng_http_parse_eof(&r->parse));
}
