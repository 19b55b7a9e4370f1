/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_routes.h - GET /v1/routes: the routes file's and the engines'
 * SYNOPSIS
 *	void	http_routes_list(struct http_call *call);
 *	cJSON	*http_routes_engine(const cJSON *engine);
 * DESCRIPTION
 *	http_routes_list is the route handler of GET /v1/routes. It asks
 *	the secrets worker (MSG_ROUTES_LIST) and the engines worker
 *	(MSG_ENGINE_LIST) at once and answers {"routes":[...]}: the rows
 *	of the routes file ("source":"file"), then one row per engine that
 *	is ready ("source":"engine").
 *
 *	http_routes_engine returns the route row of one engine object of
 *	MSG_ENGINE_LIST (the caller owns it), or NULL when the engine is
 *	not ready or has no name.
 */
#ifndef CORRAL_HTTP_ROUTES_H
#define CORRAL_HTTP_ROUTES_H

#include <cjson/cJSON.h>

struct http_call;

/* http_routes_list - GET /v1/routes */
void	 http_routes_list(struct http_call *call);

/* http_routes_engine - the route of a ready engine; NULL if not ready */
cJSON	*http_routes_engine(const cJSON *engine);

#endif
