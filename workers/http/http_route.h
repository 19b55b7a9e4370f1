/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_route.h - route table matching of the http worker
 * SYNOPSIS
 *	int	http_route_find(const struct http_route *tab, size_t n,
 *		    int method, const char *path, struct http_match *m);
 *	size_t	http_route_allow(int methods, char *buf, size_t len);
 *	const char *http_route_method_name(int method);
 *	int	http_route_is_safe(int method);
 * DESCRIPTION
 *	A route is a method mask, a path pattern with at most two {...}
 *	segments ({name}, then {tool}), the least role it needs, a handler
 *	and the longest segment it takes (0: HTTP_ARG_DEFAULT characters;
 *	a secret's name may be longer than a worker's, an MCP tool's name
 *	too; both segments of a route share the limit). Matching is a pure
 *	function of the table, the method and the path, so it is unit
 *	tested on its own.
 */
#ifndef CORRAL_HTTP_ROUTE_H
#define CORRAL_HTTP_ROUTE_H

#include <stddef.h>

#define HTTP_ARG_DEFAULT	63	/* longest {name} unless a route says */
#define HTTP_ARG_MAX		129	/* any {name} segment, NUL included */
#define HTTP_ROUTE_NARGS	2	/* {...} segments in a pattern, at most */

struct http_call;

struct http_route {
	int		 methods;	/* EVHTTP_REQ_*; GET implies HEAD */
	const char	*pattern;	/* "/v1/workers/{name}/restart" */
	int		 role;		/* enum http_role; NONE: public */
	void		(*fn)(struct http_call *);	/* call->arg, arg2 */
	size_t		 argmax;	/* longest {...}; 0: the default */
};

struct http_match {
	const struct http_route	*route;		/* NULL unless found */
	int			 allow;		/* methods the path takes */
	char			 arg[HTTP_ARG_MAX];	/* the first {...} */
	char			 arg2[HTTP_ARG_MAX];	/* the second, or "" */
};

/* http_route_find - 0 and m->route, or 404 (no such path) or 405 (method) */
int		 http_route_find(const struct http_route *tab, size_t n,
		    int method, const char *path, struct http_match *m);

/* http_route_allow - methods as an Allow header value; its length */
size_t		 http_route_allow(int methods, char *buf, size_t len);

/* http_route_method_name - "GET" for EVHTTP_REQ_GET; "?" if unknown */
const char	*http_route_method_name(int method);

/* http_route_is_safe - 1 for GET and HEAD, which change nothing */
int		 http_route_is_safe(int method);

#endif
