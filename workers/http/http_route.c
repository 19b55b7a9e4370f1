/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_route - route table matching of the http worker
 * SYNOPSIS
 *	#include "http_route.h"
 * DESCRIPTION
 *	http_route_find() walks the table in order. A pattern matches a
 *	path character for character, except that "{...}" matches one
 *	non-empty path segment of letters, digits, '.', '_' and '-' (not
 *	starting with '.', at most the route's argmax characters, else
 *	HTTP_ARG_DEFAULT), copied to m->arg; a second "{...}" in the same
 *	pattern (/v1/mcp/servers/{name}/tools/{tool}/call) matches by the
 *	same rules and goes to m->arg2. A pattern with a third matches
 *	nothing.
 *	There is no normalisation: "/v1/workers/" and "/v1//workers" are
 *	not "/v1/workers". The first route whose pattern and method both
 *	match wins; every route whose pattern matches adds its methods to
 *	m->allow, so a 405 reply can say what is allowed. A route that
 *	takes GET takes HEAD too.
 *
 *	http_route_allow() writes a method mask as "GET, HEAD, POST", in
 *	a fixed order, for the Allow header of a 405 reply.
 *
 *	http_route_method_name() names one EVHTTP_REQ_* method for logs.
 * DIAGNOSTICS
 *	http_route_find() returns 0, HTTP_NOTFOUND or HTTP_BADMETHOD.
 *	A pattern without its closing '}' matches nothing.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "http_route.h"

static const struct http_route_method {
	int		 method;
	const char	*name;
} http_route_methods[] = {
	{ EVHTTP_REQ_GET, "GET" },
	{ EVHTTP_REQ_HEAD, "HEAD" },
	{ EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
	{ EVHTTP_REQ_DELETE, "DELETE" },
	{ EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" },
	{ EVHTTP_REQ_CONNECT, "CONNECT" },
};

#define HTTP_ROUTE_NMETHODS \
	(sizeof(http_route_methods) / sizeof(http_route_methods[0]))

/* http_route_seg_char - may c appear in a {name} segment? */
static int
http_route_seg_char(int c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
}

/* http_route_match - does path fit pat? the {...} segments go to args */
static int
http_route_match(const char *pat, const char *path,
    char args[HTTP_ROUTE_NARGS][HTTP_ARG_MAX], size_t arglen)
{
	const char	*close;
	size_t		 n, k = 0;

	while (*pat != '\0') {
		if (*pat != '{') {
			if (*pat++ != *path++)
				return (0);
			continue;
		}
		if ((close = strchr(pat, '}')) == NULL ||
		    k == HTTP_ROUTE_NARGS)
			return (0);
		for (n = 0; path[n] != '\0' && path[n] != '/'; n++)
			if (!http_route_seg_char((unsigned char)path[n]))
				return (0);
		if (n == 0 || n >= arglen || path[0] == '.')
			return (0);
		memcpy(args[k], path, n);
		args[k++][n] = '\0';
		path += n;
		pat = close + 1;
	}
	return (*path == '\0');
}

/* http_route_find - 0 and m->route, or 404 (no such path) or 405 (method) */
int
http_route_find(const struct http_route *tab, size_t n, int method,
    const char *path, struct http_match *m)
{
	char	args[HTTP_ROUTE_NARGS][HTTP_ARG_MAX];
	size_t	i, arglen;
	int	methods;

	memset(m, 0, sizeof(*m));
	if (path == NULL)
		return (HTTP_NOTFOUND);
	for (i = 0; i < n; i++) {
		args[0][0] = args[1][0] = '\0';
		arglen = (tab[i].argmax > 0 ? tab[i].argmax :
		    HTTP_ARG_DEFAULT) + 1;
		if (arglen > HTTP_ARG_MAX)
			arglen = HTTP_ARG_MAX;
		if (!http_route_match(tab[i].pattern, path, args, arglen))
			continue;
		methods = tab[i].methods;
		if (methods & EVHTTP_REQ_GET)
			methods |= EVHTTP_REQ_HEAD;
		m->allow |= methods;
		if ((methods & method) != 0 && m->route == NULL) {
			m->route = &tab[i];
			memcpy(m->arg, args[0], sizeof(m->arg));
			memcpy(m->arg2, args[1], sizeof(m->arg2));
		}
	}
	if (m->route != NULL)
		return (0);
	return (m->allow != 0 ? HTTP_BADMETHOD : HTTP_NOTFOUND);
}

/* http_route_allow - methods as an Allow header value; its length */
size_t
http_route_allow(int methods, char *buf, size_t len)
{
	size_t	i, used = 0;
	int	k;

	if (len == 0)
		return (0);
	buf[0] = '\0';
	for (i = 0; i < HTTP_ROUTE_NMETHODS; i++) {
		if ((methods & http_route_methods[i].method) == 0)
			continue;
		k = snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? ", " : "", http_route_methods[i].name);
		if (k < 0 || (size_t)k >= len - used) {
			buf[used] = '\0';	/* whole names only */
			break;
		}
		used += (size_t)k;
	}
	return (used);
}

/* http_route_method_name - "GET" for EVHTTP_REQ_GET; "?" if unknown */
const char *
http_route_method_name(int method)
{
	size_t	i;

	for (i = 0; i < HTTP_ROUTE_NMETHODS; i++)
		if (http_route_methods[i].method == method)
			return (http_route_methods[i].name);
	return ("?");
}

/* http_route_is_safe - 1 for GET and HEAD, which change nothing */
int
http_route_is_safe(int method)
{
	return (method == EVHTTP_REQ_GET || method == EVHTTP_REQ_HEAD);
}
