/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_auth.h - bearer token checks of the http worker
 * SYNOPSIS
 *	int	http_auth_set(struct http_auth *a, const char *mode,
 *		    const char *admin, const char *readonly);
 *	int	http_auth_role(const struct http_auth *a, const char *authz);
 *	int	http_auth_permit(int role, int method, int need);
 *	int	http_auth_check(const struct http_auth *a, const char *authz,
 *		    int method, int need);
 *	int	http_auth_ct_equal(const void *a, size_t alen,
 *		    const void *b, size_t blen);
 *	void	http_auth_clear(struct http_auth *a);
 * DESCRIPTION
 *	A struct http_auth holds the auth mode and the SHA-256 digests of
 *	the admin and read-only tokens, never the tokens themselves.
 *	http_auth_role tells which role an Authorization header value
 *	proves; http_auth_permit applies the rule of the API to a role: GET
 *	and HEAD need the route's role, every other method the admin role.
 *	http_auth_check is the two in one.
 */
#ifndef CORRAL_HTTP_AUTH_H
#define CORRAL_HTTP_AUTH_H

#include <stddef.h>

#define HTTP_AUTH_DIGEST_LEN	32	/* SHA-256 */

enum http_auth_mode {
	HTTP_AUTH_MODE_BEARER,
	HTTP_AUTH_MODE_NONE
};

/* roles, ordered: a role may do what every lesser role may */
enum http_role {
	HTTP_ROLE_NONE,		/* anonymous; as a need: a public route */
	HTTP_ROLE_READ,		/* the read-only token: GET and HEAD */
	HTTP_ROLE_ADMIN		/* the admin token: everything */
};

enum http_auth_result {
	HTTP_AUTH_OK,
	HTTP_AUTH_UNAUTHORIZED,	/* 401: no, malformed or unknown token */
	HTTP_AUTH_FORBIDDEN	/* 403: a token whose role is too small */
};

struct http_auth {
	int		mode;		/* enum http_auth_mode */
	int		has_admin;
	int		has_readonly;
	unsigned char	admin[HTTP_AUTH_DIGEST_LEN];
	unsigned char	readonly[HTTP_AUTH_DIGEST_LEN];
};

/* http_auth_set - mode "bearer" or "none" and the tokens; -1 if mode is bad */
int	http_auth_set(struct http_auth *a, const char *mode, const char *admin,
	    const char *readonly);

/* http_auth_role - the role an Authorization header value proves */
int	http_auth_role(const struct http_auth *a, const char *authz);

/* http_auth_permit - may role use method on a route that needs need? */
int	http_auth_permit(int role, int method, int need);

/* http_auth_check - may authz use method on a route that needs need? */
int	http_auth_check(const struct http_auth *a, const char *authz,
	    int method, int need);

/* http_auth_ct_equal - 1 if a equals b; time depends on neither content */
int	http_auth_ct_equal(const void *a, size_t alen, const void *b,
	    size_t blen);

/* http_auth_clear - forget the digests */
void	http_auth_clear(struct http_auth *a);

#endif
