/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_api.h - the route table and request dispatch of the http worker
 * SYNOPSIS
 *	void	http_api_request_cb(struct evhttp_request *req, void *arg);
 *	const struct http_route *http_api_routes(size_t *n);
 * DESCRIPTION
 *	http_api_request_cb is evhttp's generic callback (arg is the
 *	struct http_server): it checks, routes and hands each request to
 *	its handler. http_api_routes exposes the table to the unit tests.
 */
#ifndef CORRAL_HTTP_API_H
#define CORRAL_HTTP_API_H

#include <stddef.h>

#include <event2/http.h>

#include "http_route.h"

/* http_api_request_cb - evhttp's callback for every request */
void			 http_api_request_cb(struct evhttp_request *req,
			    void *arg);

/* http_api_routes - the route table and its length */
const struct http_route	*http_api_routes(size_t *n);

#endif
