/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_routes - libFuzzer harness for the routes file (common/routes.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	Treats the input as the content of a routes file and hands it to
 *	routes_parse, which the master runs on an operator's file at start
 *	and on SIGHUP. The input is copied into a buffer of exactly its
 *	size plus the NUL routes_load adds, so ASan sees any read past it.
 *
 *	Besides the sanitizers, it checks what the parser promises and
 *	aborts if any is broken: either a route set or one error line that
 *	starts with "routes file F: " and holds no newline; every route has
 *	its required fields, a secret unless its provider is local, header
 *	values without CR or LF, and a name no other route has.
 * DIAGNOSTICS
 *	abort() on a broken invariant; libFuzzer saves the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fuzz_check_route - the promises about route i of rs */
static void
fuzz_check_route(const struct routes *rs, size_t i)
{
	const struct route	*r = &rs->v[i];
	size_t			 k;

	if (r->name == NULL || r->provider == NULL || r->base_url == NULL ||
	    r->model == NULL || *r->name == '\0' ||
	    strlen(r->name) > ROUTES_NAME_MAX)
		abort();
	if (r->secret == NULL && !routes_provider_local(r->provider))
		abort();
	if (r->nheaders > ROUTES_HEADERS_MAX)
		abort();
	for (k = 0; k < r->nheaders; k++)
		if (strpbrk(r->headers[k].value, "\r\n") != NULL ||
		    *r->headers[k].name == '\0')
			abort();
	for (k = 0; k < i; k++)
		if (strcmp(rs->v[k].name, r->name) == 0)
			abort();
}

/* LLVMFuzzerTestOneInput - one routes file */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 prefix[] = "routes file f: ";
	struct routes		*rs;
	char			*buf, err[512];
	size_t			 i;

	if ((buf = malloc(size + 1)) == NULL)
		return (0);
	memcpy(buf, data, size);
	buf[size] = '\0';
	err[0] = '\0';
	rs = routes_parse("f", buf, size, err, sizeof(err));
	if (rs == NULL) {
		if (strncmp(err, prefix, sizeof(prefix) - 1) != 0 ||
		    strchr(err, '\n') != NULL)
			abort();
	} else {
		if (rs->n > ROUTES_MAX)
			abort();
		for (i = 0; i < rs->n; i++)
			fuzz_check_route(rs, i);
		routes_free(rs);
	}
	free(buf);
	return (0);
}
