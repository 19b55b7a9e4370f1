/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	routes.h - the model routes file: parse and validate
 * SYNOPSIS
 *	#include "routes.h"
 *
 *	struct routes *routes_load(const char *path, char *err,
 *		    size_t errlen);
 *	struct routes *routes_parse(const char *path, const char *text,
 *		    size_t len, char *err, size_t errlen);
 *	void	routes_free(struct routes *rs);
 *	int	routes_provider_local(const char *provider);
 * DESCRIPTION
 *	A routes file (docs/routes.md) is JSON: {"routes": [...]} or a
 *	top-level array of routes. Each route names a provider endpoint
 *	(name, provider, base_url, model), optionally the store entry that
 *	holds its credential (secret) and extra request headers. The
 *	secret may be left out only for a local provider (ollama, vllm,
 *	llamacpp, ...). Unknown fields are errors, so a typo never passes
 *	unnoticed.
 *
 *	routes_load reads path (a regular file of at most ROUTES_FILE_MAX
 *	bytes) and hands it to routes_parse, which validates every route
 *	and returns the set, or NULL with one line in err naming the file
 *	and the field path ("routes file F: routes[2].base_url: must start
 *	with http:// or https://"). No message ever quotes a header value
 *	or a base_url, which may carry something an operator would not
 *	want in a log.
 *
 *	routes_free frees a set (NULL is fine). routes_provider_local says
 *	whether a provider may go without a secret.
 */
#ifndef CORRAL_ROUTES_H
#define CORRAL_ROUTES_H

#include <stddef.h>

#define ROUTES_FILE_MAX		(1024 * 1024)
#define ROUTES_MAX		1024	/* routes in one file */
#define ROUTES_NAME_MAX		64
#define ROUTES_PROVIDER_MAX	64
#define ROUTES_SECRET_MAX	128	/* as a store entry name */
#define ROUTES_URL_MAX		2048
#define ROUTES_MODEL_MAX	256
#define ROUTES_HEADERS_MAX	32	/* headers of one route */
#define ROUTES_HNAME_MAX	128
#define ROUTES_HVALUE_MAX	4096

struct route_header {
	char	*name;
	char	*value;
};

struct route {
	char			*name;		/* [A-Za-z0-9._-]{1,64}, unique */
	char			*provider;	/* [a-z0-9._-]{1,64} */
	char			*base_url;	/* http:// or https:// */
	char			*model;
	char			*secret;	/* store entry name, NULL: none */
	struct route_header	*headers;
	size_t			 nheaders;
};

struct routes {
	struct route	*v;
	size_t		 n;
};

/* routes_load - read and validate the routes file at path; NULL + err */
struct routes	*routes_load(const char *path, char *err, size_t errlen);

/* routes_parse - validate len bytes of JSON text read from path (path only
 * names it in messages); NULL + err */
struct routes	*routes_parse(const char *path, const char *text, size_t len,
		    char *err, size_t errlen);

/* routes_free - free a set; NULL is fine */
void		 routes_free(struct routes *rs);

/* routes_provider_local - 1 if provider runs locally and needs no secret */
int		 routes_provider_local(const char *provider);

/* routes_local_list - the local providers, ", "-separated, for messages */
const char	*routes_local_list(void);

#endif
