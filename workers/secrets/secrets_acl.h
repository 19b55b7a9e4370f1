/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_acl.h - who may do what with the secret store
 * SYNOPSIS
 *	#include "secrets_acl.h"
 *
 *	struct secrets_acl *secrets_acl_new(const cJSON *grants);
 *	void	secrets_acl_free(struct secrets_acl *acl);
 *	int	secrets_acl_allowed(const struct secrets_acl *acl,
 *		    int requester, enum secrets_op op, const char *name);
 *	int	secrets_acl_check(const struct secrets_acl *acl,
 *		    int requester, enum secrets_op op, const char *name);
 *	const char *secrets_acl_op_name(enum secrets_op op);
 *	const char *secrets_acl_who(int requester, char *buf, size_t len);
 * DESCRIPTION
 *	The requester is the src the master stamped on the frame, so no
 *	worker can pass for another. One table row per requester says which
 *	operations it may ask for: http may list, put and delete secrets and
 *	list routes, but never read a value; skills, mcp and engines may
 *	read values (GET), each only the names in its grant list, which the
 *	master derives from their configuration and sends in the secrets
 *	worker's config as {"skills": [...], "engines": [...], "mcp": [...]}.
 *	Everybody else, the master included, may do nothing.
 *
 *	secrets_acl_new builds the grant lists (a NULL or malformed grants
 *	object grants nothing). secrets_acl_allowed answers; secrets_acl_check
 *	answers and logs a denial with the requester and the secret name.
 * DIAGNOSTICS
 *	A denial is one warning: "denied: http may not GET 'openai.prod'".
 *	A name is logged only if it is a valid store entry name; no value is
 *	ever seen here.
 */
#ifndef CORRAL_SECRETS_ACL_H
#define CORRAL_SECRETS_ACL_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum secrets_op {
	SECRETS_OP_LIST,	/* MSG_SECRET_LIST */
	SECRETS_OP_PUT,		/* MSG_SECRET_PUT */
	SECRETS_OP_DELETE,	/* MSG_SECRET_DELETE */
	SECRETS_OP_GET,		/* MSG_SECRET_GET: a value */
	SECRETS_OP_ROUTES,	/* MSG_ROUTES_LIST */
	SECRETS_NOPS
};

struct secrets_acl;

/* secrets_acl_new - the grant lists of grants; caller frees */
struct secrets_acl *secrets_acl_new(const cJSON *grants);

/* secrets_acl_free - free acl; NULL is fine */
void		 secrets_acl_free(struct secrets_acl *acl);

/* secrets_acl_allowed - 1 if requester may do op (on name, for GET) */
int		 secrets_acl_allowed(const struct secrets_acl *acl,
		    int requester, enum secrets_op op, const char *name);

/* secrets_acl_check - secrets_acl_allowed, logging a denial */
int		 secrets_acl_check(const struct secrets_acl *acl,
		    int requester, enum secrets_op op, const char *name);

/* secrets_acl_op_name - "LIST", "GET", ... */
const char	*secrets_acl_op_name(enum secrets_op op);

/* secrets_acl_who - a requester's name for messages, into buf */
const char	*secrets_acl_who(int requester, char *buf, size_t len);

#endif
