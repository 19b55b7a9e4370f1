/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_secrets.h - the secrets and routes endpoints of the http worker
 * SYNOPSIS
 *	void	http_secrets_list(struct http_call *call);
 *	void	http_secrets_put(struct http_call *call);
 *	void	http_secrets_delete(struct http_call *call);
 *	cJSON	*http_secrets_route(const cJSON *row);
 *	int	http_secrets_check(const cJSON *body, const char **field,
 *		    const char **why);
 * DESCRIPTION
 *	Route handlers (struct http_route) for GET /v1/secrets, PUT and
 *	DELETE /v1/secrets/{name}. Each asks the secrets worker
 *	(MSG_SECRET_LIST, MSG_SECRET_PUT, MSG_SECRET_DELETE) and answers
 *	from its reply. None ever asks for a value (MSG_SECRET_GET), and
 *	no answer carries one.
 *
 *	http_secrets_route rebuilds one row of the secrets worker's
 *	MSG_ROUTES_LIST reply for GET /v1/routes (http_routes.c) from the
 *	documented members only, headers reduced to their names; the
 *	caller owns the result.
 *
 *	http_secrets_check validates a PUT body: 0, or -1 with *field the
 *	member at fault (NULL for the body as a whole; it points into body)
 *	and *why the complaint.
 */
#ifndef CORRAL_HTTP_SECRETS_H
#define CORRAL_HTTP_SECRETS_H

#include <cjson/cJSON.h>

#define HTTP_SECRETS_NAME_MAX	128		/* a secret's name, chars */
#define HTTP_SECRETS_PROVIDER_MAX 64		/* a provider, chars */
#define HTTP_SECRETS_VALUE_MAX	(64 * 1024)	/* a value, bytes */

struct http_call;

/* http_secrets_list - GET /v1/secrets */
void	http_secrets_list(struct http_call *call);

/* http_secrets_put - PUT /v1/secrets/{name} */
void	http_secrets_put(struct http_call *call);

/* http_secrets_delete - DELETE /v1/secrets/{name} */
void	http_secrets_delete(struct http_call *call);

/* http_secrets_route - one route row: the known members, header names */
cJSON	*http_secrets_route(const cJSON *row);

/* http_secrets_check - validate a PUT body: 0, or -1 with field and why */
int	http_secrets_check(const cJSON *body, const char **field,
	    const char **why);

#endif
