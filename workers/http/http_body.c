/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_body - a request body as JSON, refusing what cJSON would cut
 * SYNOPSIS
 *	#include "http_body.h"
 * DESCRIPTION
 *	http_body_parse() parses a request body, len bytes at buf followed
 *	by a NUL (as http_wipe_take leaves it), as exactly one JSON value
 *	with nothing but blanks after it. It returns HTTP_BODY_OK with the
 *	value in *out (the caller wipes and deletes it), or, with *out
 *	NULL: HTTP_BODY_EMPTY, HTTP_BODY_INVALID, or HTTP_BODY_NUL when a
 *	string holds the escape \u0000. cJSON keeps strings NUL-terminated,
 *	so such a string would silently end at the NUL: a secret stored
 *	short, an environment value passed to a container cut. Refusing
 *	the body (the caller answers 400 with HTTP_BODY_NUL_WHY) loses
 *	nothing. Every body the API takes goes through here.
 *
 *	http_body_object() is http_body_parse() for a body that must be one
 *	JSON object (POST /v1/engines, POST /v1/runs): 0 with the object in
 *	*out, or -1 with *out NULL and *why the caller's want (no body, or
 *	a value that is no object: the tree is wiped before it is freed,
 *	the body may hold credentials), HTTP_BODY_NUL_WHY, or the caller's
 *	invalid (not JSON). The caller answers 400 with *why.
 *
 *	http_body_has_nul_escape() finds such an escape: a backslash that
 *	is not itself escaped (an odd run of backslashes), then u or U and
 *	0000. It may also match inside what is not a string; that body is
 *	invalid JSON anyway.
 * DIAGNOSTICS
 *	None; the result says what is wrong.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "http_body.h"
#include "http_wipe.h"

/* http_body_has_nul_escape - does the body hold a \u0000 escape? (an
 * even run of backslashes before it is escaped backslashes, not one) */
int
http_body_has_nul_escape(const char *buf, size_t len)
{
	size_t	i = 0, j;

	while (i < len) {
		if (buf[i] != '\\') {
			i++;
			continue;
		}
		for (j = i; j < len && buf[j] == '\\'; j++)
			;
		if ((j - i) % 2 == 1 && j + 5 <= len &&
		    (buf[j] == 'u' || buf[j] == 'U') &&
		    memcmp(buf + j + 1, "0000", 4) == 0)
			return (1);
		i = j;
	}
	return (0);
}

/* http_body_parse - buf (len bytes, then a NUL) as one JSON value */
int
http_body_parse(const char *buf, size_t len, cJSON **out)
{
	*out = NULL;
	if (len == 0)
		return (HTTP_BODY_EMPTY);
	if (http_body_has_nul_escape(buf, len))
		return (HTTP_BODY_NUL);
	/* len + 1: the NUL is part of the buffer, so that
	 * require_null_terminated can see the end */
	if ((*out = cJSON_ParseWithLengthOpts(buf, len + 1, NULL, 1)) == NULL)
		return (HTTP_BODY_INVALID);
	return (HTTP_BODY_OK);
}

/* http_body_object - buf as one JSON object: 0 and *out, or -1, *out NULL
 * and why (invalid when it is not JSON, want when it is no object) */
int
http_body_object(const char *buf, size_t len, const char *want,
    const char *invalid, cJSON **out, const char **why)
{
	switch (http_body_parse(buf, len, out)) {
	case HTTP_BODY_EMPTY:
		*why = want;
		return (-1);
	case HTTP_BODY_NUL:
		*why = HTTP_BODY_NUL_WHY;
		return (-1);
	case HTTP_BODY_INVALID:
		*why = invalid;
		return (-1);
	default:
		break;
	}
	if (cJSON_IsObject(*out))
		return (0);
	*why = want;
	http_wipe_json(*out);
	cJSON_Delete(*out);
	*out = NULL;
	return (-1);
}
