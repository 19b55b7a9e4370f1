/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_body.h - a request body as JSON, refusing what cJSON would cut
 * SYNOPSIS
 *	int	http_body_parse(const char *buf, size_t len, cJSON **out);
 *	int	http_body_object(const char *buf, size_t len, const char *want,
 *		    const char *invalid, cJSON **out, const char **why);
 *	int	http_body_has_nul_escape(const char *buf, size_t len);
 * DESCRIPTION
 *	See http_body.c.
 */
#ifndef CORRAL_HTTP_BODY_H
#define CORRAL_HTTP_BODY_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* what http_body_parse found */
enum http_body_result {
	HTTP_BODY_OK,		/* *out is the parsed value */
	HTTP_BODY_EMPTY,	/* no body at all */
	HTTP_BODY_NUL,		/* a string holds \u0000 */
	HTTP_BODY_INVALID	/* not one JSON value, or more after it */
};

#define HTTP_BODY_NUL_WHY	"a string holds \\u0000 (a NUL character)"

/* http_body_parse - buf (len bytes, then a NUL) as one JSON value */
int	http_body_parse(const char *buf, size_t len, cJSON **out);

/* http_body_object - buf as one JSON object: 0 and *out, or -1, *out NULL
 * and why (invalid when it is not JSON, want when it is no object) */
int	http_body_object(const char *buf, size_t len, const char *want,
	    const char *invalid, cJSON **out, const char **why);

/* http_body_has_nul_escape - does the body hold a \u0000 escape? */
int	http_body_has_nul_escape(const char *buf, size_t len);

#endif
