/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_acl - who may do what with the secret store
 * SYNOPSIS
 *	#include "secrets_acl.h"
 * DESCRIPTION
 *	secrets_acl_rules[] is the policy, one row per requester that may do
 *	anything at all: its bus id and the operations it may ask for. A
 *	requester without a row is denied everything. GET is further limited
 *	to the names in the requester's grant list, kept per bus id in
 *	struct secrets_acl; a grant list can only name what the master put
 *	in the config, and a worker without GET in its row reads nothing
 *	whatever its grants say.
 * DIAGNOSTICS
 *	secrets_acl_check logs each denial once with the requester's name
 *	and the secret name (or "?" when the request named none, or none
 *	that is valid). secrets_acl_new ignores, with a warning, grants for
 *	a worker that is not built in and names that are not strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "proc.h"
#include "store.h"
#include "xmalloc.h"

#include "secrets_acl.h"

#define OP(o)	(1u << SECRETS_OP_##o)

static const struct {
	int		 id;	/* bus id of the requester (proc.h) */
	unsigned	 ops;	/* OP(...) it may ask for */
} secrets_acl_rules[] = {
	{ PROC_HTTP, OP(LIST) | OP(PUT) | OP(DELETE) | OP(ROUTES) },
	{ PROC_SKILLS, OP(GET) },
	{ PROC_MCP, OP(GET) },
	{ PROC_ENGINES, OP(GET) },
};

static const char *const secrets_acl_ops[SECRETS_NOPS] = {
	[SECRETS_OP_LIST] = "LIST",
	[SECRETS_OP_PUT] = "PUT",
	[SECRETS_OP_DELETE] = "DELETE",
	[SECRETS_OP_GET] = "GET",
	[SECRETS_OP_ROUTES] = "ROUTES_LIST",
};

struct secrets_acl {
	char	**names[PROC_MAX];	/* GET grants per bus id */
	size_t	  n[PROC_MAX];
};

/* secrets_acl_op_name - "LIST", "GET", ... */
const char *
secrets_acl_op_name(enum secrets_op op)
{
	return ((unsigned)op < SECRETS_NOPS ? secrets_acl_ops[op] : "?");
}

/* secrets_acl_who - a requester's name for messages, into buf */
const char *
secrets_acl_who(int requester, char *buf, size_t len)
{
	const char	*name;

	if ((name = proc_builtin_name(requester)) != NULL)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "worker %d", requester);
	return (buf);
}

/* secrets_acl_add - grant the names of array a to bus id */
static void
secrets_acl_add(struct secrets_acl *acl, int id, const cJSON *a)
{
	const cJSON	*s;
	int		 n = cJSON_GetArraySize(a);

	acl->names[id] = xcalloc(n > 0 ? (size_t)n : 1, sizeof(char *));
	cJSON_ArrayForEach(s, a) {
		if (!cJSON_IsString(s) || !store_name_valid(s->valuestring)) {
			log_warnx("grants of %s: an entry that is not a "
			    "secret name is ignored", proc_builtin_name(id));
			continue;
		}
		acl->names[id][acl->n[id]++] = xstrdup(s->valuestring);
	}
}

/* secrets_acl_new - the grant lists of grants; caller frees */
struct secrets_acl *
secrets_acl_new(const cJSON *grants)
{
	struct secrets_acl	*acl;
	const cJSON		*g;
	int			 id;

	acl = xcalloc(1, sizeof(*acl));
	if (!cJSON_IsObject(grants))
		return (acl);
	cJSON_ArrayForEach(g, grants) {
		if ((id = proc_builtin_id(g->string)) == -1 ||
		    !cJSON_IsArray(g)) {
			log_warnx("grants: '%s' is not a built-in worker with "
			    "a list of names; ignored", g->string);
			continue;
		}
		if (acl->names[id] != NULL) {
			log_warnx("grants: %s given twice; the first counts",
			    g->string);
			continue;
		}
		secrets_acl_add(acl, id, g);
	}
	return (acl);
}

/* secrets_acl_free - free acl; NULL is fine */
void
secrets_acl_free(struct secrets_acl *acl)
{
	size_t	id, k;

	if (acl == NULL)
		return;
	for (id = 0; id < PROC_MAX; id++) {
		for (k = 0; k < acl->n[id]; k++)
			free(acl->names[id][k]);
		free(acl->names[id]);
	}
	free(acl);
}

/* secrets_acl_ops_of - the operations requester may ask for */
static unsigned
secrets_acl_ops_of(int requester)
{
	size_t	i;

	for (i = 0; i < sizeof(secrets_acl_rules) /
	    sizeof(secrets_acl_rules[0]); i++)
		if (secrets_acl_rules[i].id == requester)
			return (secrets_acl_rules[i].ops);
	return (0);
}

/* secrets_acl_granted - is name in requester's grant list? */
static int
secrets_acl_granted(const struct secrets_acl *acl, int requester,
    const char *name)
{
	size_t	k;

	if (acl == NULL || name == NULL || requester < 0 ||
	    requester >= PROC_MAX)
		return (0);
	for (k = 0; k < acl->n[requester]; k++)
		if (strcmp(acl->names[requester][k], name) == 0)
			return (1);
	return (0);
}

/* secrets_acl_allowed - 1 if requester may do op (on name, for GET) */
int
secrets_acl_allowed(const struct secrets_acl *acl, int requester,
    enum secrets_op op, const char *name)
{
	if ((unsigned)op >= SECRETS_NOPS ||
	    !(secrets_acl_ops_of(requester) & (1u << op)))
		return (0);
	if (op == SECRETS_OP_GET)
		return (secrets_acl_granted(acl, requester, name));
	return (1);
}

/* secrets_acl_check - secrets_acl_allowed, logging a denial */
int
secrets_acl_check(const struct secrets_acl *acl, int requester,
    enum secrets_op op, const char *name)
{
	char	who[32];
	int	may;

	if (secrets_acl_allowed(acl, requester, op, name))
		return (1);
	may = (unsigned)op < SECRETS_NOPS &&
	    (secrets_acl_ops_of(requester) & (1u << op));
	log_warnx("denied: %s may not %s '%s'%s",
	    secrets_acl_who(requester, who, sizeof(who)),
	    secrets_acl_op_name(op),
	    name != NULL && store_name_valid(name) ? name : "?",
	    may ? ": not in its grants" : "");
	return (0);
}
