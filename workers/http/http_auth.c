/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_auth - bearer token checks of the http worker
 * SYNOPSIS
 *	#include "http_auth.h"
 * DESCRIPTION
 *	http_auth_set() records the auth mode ("bearer" or "none") and the
 *	SHA-256 digests of the admin and the read-only token. An absent or
 *	empty token is no token: nothing matches it. The caller keeps its
 *	strings; only their digests are kept here.
 *
 *	http_auth_role() parses an Authorization header value as
 *	"Bearer <token>" (scheme case-insensitive, RFC 6750) and returns
 *	HTTP_ROLE_ADMIN, HTTP_ROLE_READ or HTTP_ROLE_NONE. In mode "none"
 *	every caller is admin. The presented token is hashed once
 *	(http_sha256.c) and its digest compared with both stored digests
 *	byte by byte without an early exit, always both, so neither the time taken nor its dependence on the length of
 *	the presented token tells anything about the real tokens. The token
 *	may hold any visible byte, not only RFC 6750's token68 characters,
 *	because the configuration accepts any token without blanks or
 *	control characters; leading and trailing blanks are ignored.
 *
 *	http_auth_permit() is the rule of the API: a route that needs
 *	HTTP_ROLE_NONE is public; otherwise GET and HEAD need the route's
 *	role and any other method needs HTTP_ROLE_ADMIN. It returns
 *	HTTP_AUTH_OK, HTTP_AUTH_UNAUTHORIZED (no role at all: 401) or
 *	HTTP_AUTH_FORBIDDEN (a role, too small: 403). http_auth_check()
 *	does both steps for a header value; a public route is not hashed.
 *
 *	http_auth_ct_equal() compares two byte strings of any lengths in
 *	time that depends on their lengths only, by comparing their SHA-256
 *	digests in constant time.
 * DIAGNOSTICS
 *	http_auth_set() returns -1 for an unknown mode and leaves a unchanged.
 */
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "http_auth.h"
#include "http_sha256.h"

#define HTTP_AUTH_TOKEN_MAX	4096	/* longest token we care to hash */

_Static_assert(HTTP_AUTH_DIGEST_LEN == HTTP_SHA256_LEN,
    "a stored digest is a SHA-256 digest");

/* http_auth_digest_eq - 1 if two digests are equal; no early exit */
static int
http_auth_digest_eq(const unsigned char *a, const unsigned char *b)
{
	unsigned int	diff = 0;
	size_t		i;

	for (i = 0; i < HTTP_AUTH_DIGEST_LEN; i++)
		diff |= (unsigned int)(a[i] ^ b[i]);
	/* 1 when diff is 0, without a branch on it */
	return ((int)(1 & ((diff - 1) >> 8)));
}

/* http_auth_token_char - may c appear in a token? any visible byte */
static int
http_auth_token_char(int c)
{
	return (c > 0x20 && c != 0x7f);
}

/* http_auth_parse - find the token in "Bearer <token>"; -1 if malformed */
static int
http_auth_parse(const char *authz, const char **tok, size_t *len)
{
	const char	*p, *start;

	if (authz == NULL)
		return (-1);
	for (p = authz; *p == ' ' || *p == '\t'; p++)
		;
	if (strncasecmp(p, "Bearer", 6) != 0 || (p[6] != ' ' && p[6] != '\t'))
		return (-1);
	for (p += 6; *p == ' ' || *p == '\t'; p++)
		;
	start = p;
	while (http_auth_token_char((unsigned char)*p))
		p++;
	if (p == start)
		return (-1);
	*len = (size_t)(p - start);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' || *len > HTTP_AUTH_TOKEN_MAX)
		return (-1);
	*tok = start;
	return (0);
}

/* http_auth_set - mode "bearer" or "none" and the tokens; -1 if mode is bad */
int
http_auth_set(struct http_auth *a, const char *mode, const char *admin,
    const char *readonly)
{
	struct http_auth	n;

	memset(&n, 0, sizeof(n));
	if (mode == NULL || strcmp(mode, "bearer") == 0)
		n.mode = HTTP_AUTH_MODE_BEARER;
	else if (strcmp(mode, "none") == 0)
		n.mode = HTTP_AUTH_MODE_NONE;
	else
		return (-1);
	if (admin != NULL && *admin != '\0') {
		http_sha256(admin, strlen(admin), n.admin);
		n.has_admin = 1;
	}
	if (readonly != NULL && *readonly != '\0') {
		http_sha256(readonly, strlen(readonly), n.readonly);
		n.has_readonly = 1;
	}
	*a = n;
	explicit_bzero(&n, sizeof(n));
	return (0);
}

/* http_auth_role - the role an Authorization header value proves */
int
http_auth_role(const struct http_auth *a, const char *authz)
{
	unsigned char	 md[HTTP_AUTH_DIGEST_LEN];
	const char	*tok;
	size_t		 len;
	int		 admin, readonly;

	if (a->mode == HTTP_AUTH_MODE_NONE)
		return (HTTP_ROLE_ADMIN);
	if (http_auth_parse(authz, &tok, &len) == -1)
		return (HTTP_ROLE_NONE);
	http_sha256(tok, len, md);
	/* both comparisons, always: no early exit to time */
	admin = http_auth_digest_eq(md, a->admin);
	readonly = http_auth_digest_eq(md, a->readonly);
	explicit_bzero(md, sizeof(md));
	if (admin && a->has_admin)
		return (HTTP_ROLE_ADMIN);
	if (readonly && a->has_readonly)
		return (HTTP_ROLE_READ);
	return (HTTP_ROLE_NONE);
}

/* http_auth_permit - may role use method on a route that needs need? */
int
http_auth_permit(int role, int method, int need)
{
	if (need == HTTP_ROLE_NONE)
		return (HTTP_AUTH_OK);
	if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD)
		need = HTTP_ROLE_ADMIN;
	if (role == HTTP_ROLE_NONE)
		return (HTTP_AUTH_UNAUTHORIZED);
	return (role >= need ? HTTP_AUTH_OK : HTTP_AUTH_FORBIDDEN);
}

/* http_auth_check - may authz use method on a route that needs need? */
int
http_auth_check(const struct http_auth *a, const char *authz, int method,
    int need)
{
	if (need == HTTP_ROLE_NONE)
		return (HTTP_AUTH_OK);
	return (http_auth_permit(http_auth_role(a, authz), method, need));
}

/* http_auth_ct_equal - 1 if a equals b; time depends on neither content */
int
http_auth_ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	unsigned char	mda[HTTP_AUTH_DIGEST_LEN], mdb[HTTP_AUTH_DIGEST_LEN];
	int		eq;

	http_sha256(a, alen, mda);
	http_sha256(b, blen, mdb);
	eq = http_auth_digest_eq(mda, mdb);
	explicit_bzero(mda, sizeof(mda));
	explicit_bzero(mdb, sizeof(mdb));
	return (eq);
}

/* http_auth_clear - forget the digests */
void
http_auth_clear(struct http_auth *a)
{
	explicit_bzero(a, sizeof(*a));
	a->mode = HTTP_AUTH_MODE_BEARER;
}
