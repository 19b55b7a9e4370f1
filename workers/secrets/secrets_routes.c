/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_routes - the model routes, as the secrets worker sees them
 * SYNOPSIS
 *	#include "secrets_worker.h"
 *
 *	void	secrets_routes_load(struct secrets *sec);
 *	void	secrets_on_routes(struct worker_rt *rt, struct frame *f);
 * DESCRIPTION
 *	secrets_routes_load reads routes_file from the config at init and
 *	on every reload (routes.h does the validation). The master has
 *	checked the file before it started us or sent MSG_RELOAD, so a file
 *	that fails here was changed in between: it is logged and the routes
 *	loaded before stay (none at init). No routes_file means no routes.
 *
 *	secrets_on_routes answers MSG_ROUTES_LIST after re-reading the
 *	store: each route without its header values, and whether it can be
 *	used now. A route with no secret (a local provider) is available;
 *	one whose secret cannot be handed out says why: no master key
 *	configured, the store cannot be read, or the secret is not in the
 *	store.
 * DIAGNOSTICS
 *	A routes file that does not load is one warning with the routes
 *	module's line, which names the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "msg.h"
#include "routes.h"
#include "store.h"
#include "worker.h"

#include "secrets_worker.h"

/* secrets_routes_load - (re)load routes_file; keep the old set if bad */
void
secrets_routes_load(struct secrets *sec)
{
	struct routes	*rs;
	const char	*path;
	char		 err[SECRETS_ERR_MAX];

	path = worker_config_str(sec->rt, "routes_file", NULL);
	if (path == NULL) {
		routes_free(sec->routes);
		sec->routes = NULL;
		return;
	}
	if ((rs = routes_load(path, err, sizeof(err))) == NULL) {
		log_warnx("%s; %s", err, sec->routes != NULL ?
		    "keeping the routes loaded before" : "no routes");
		return;
	}
	routes_free(sec->routes);
	sec->routes = rs;
	log_debug("%zu routes from %s", rs->n, path);
}

/* secrets_routes_listed - is name among the n entries e? */
static int
secrets_routes_listed(const struct store_entry *e, size_t n,
    const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return (1);
	return (0);
}

/* secrets_routes_reason - why r cannot be used now, NULL if it can */
static const char *
secrets_routes_reason(const struct secrets *sec, const struct route *r,
    const struct store_entry *e, size_t n, char *buf, size_t len)
{
	if (r->secret == NULL)
		return (NULL);
	if (!sec->haskey)
		return ("no master key configured");
	if (sec->error[0] != '\0') {
		snprintf(buf, len, "the secret store cannot be read: %s",
		    sec->error);
		return (buf);
	}
	if (!secrets_routes_listed(e, n, r->secret)) {
		snprintf(buf, len, "secret '%s' is not in the store",
		    r->secret);
		return (buf);
	}
	return (NULL);
}

/* secrets_routes_json - one route, header names only, and availability */
static cJSON *
secrets_routes_json(const struct secrets *sec, const struct route *r,
    const struct store_entry *e, size_t n)
{
	const char	*why;
	char		 buf[SECRETS_ERR_MAX + 64];
	cJSON		*o, *h;
	size_t		 k;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "provider", r->provider);
	cJSON_AddStringToObject(o, "base_url", r->base_url);
	cJSON_AddStringToObject(o, "model", r->model);
	if (r->secret != NULL)
		cJSON_AddStringToObject(o, "secret", r->secret);
	else
		cJSON_AddNullToObject(o, "secret");
	h = cJSON_AddArrayToObject(o, "headers");
	for (k = 0; k < r->nheaders; k++)
		cJSON_AddItemToArray(h, cJSON_CreateString(r->headers[k].name));
	why = secrets_routes_reason(sec, r, e, n, buf, sizeof(buf));
	cJSON_AddBoolToObject(o, "available", why == NULL);
	if (why != NULL)
		cJSON_AddStringToObject(o, "reason", why);
	else
		cJSON_AddNullToObject(o, "reason");
	return (o);
}

/* secrets_on_routes - MSG_ROUTES_LIST: routes and their availability */
void
secrets_on_routes(struct worker_rt *rt, struct frame *f)
{
	struct secrets		*sec = rt->priv;
	struct store_entry	*e;
	cJSON			*req, *body, *a;
	size_t			 i, n;

	if ((req = secrets_request(rt, f)) == NULL)
		return;
	cJSON_Delete(req);
	if (!secrets_allowed(rt, f, SECRETS_OP_ROUTES, NULL))
		return;
	secrets_refresh(sec);
	(void)store_list(sec->store, &e, &n);
	body = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(body, "routes");
	for (i = 0; sec->routes != NULL && i < sec->routes->n; i++)
		cJSON_AddItemToArray(a, secrets_routes_json(sec,
		    &sec->routes->v[i], e, n));
	free(e);
	worker_reply(rt, f, MSG_ROUTES_LIST, body);
}
