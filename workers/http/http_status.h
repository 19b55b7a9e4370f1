/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_status.h - one MSG_STATUS in flight, shared by the calls waiting
 * SYNOPSIS
 *	int	http_status_ask(struct http_call *call, http_status_fn *fn);
 *	void	http_status_orphan(struct http_server *srv);
 * DESCRIPTION
 *	http_status_ask queues call for the master's status and sends
 *	MSG_STATUS unless one is already in flight; fn(call, share) runs
 *	when the answer comes, if the client still waits. -1 if the master
 *	cannot be reached (nothing queued). http_status_orphan forgets srv
 *	before it is freed. See http_status.c.
 */
#ifndef CORRAL_HTTP_STATUS_H
#define CORRAL_HTTP_STATUS_H

#include <cjson/cJSON.h>

#include "frame.h"

#include "http_call.h"

/* bodies the continuations of one answer may render once and share */
enum http_status_body {
	HTTP_STATUS_BODY_RUNTIME,	/* GET /v1/runtime */
	HTTP_STATUS_BODY_WORKERS,	/* GET /v1/workers */
	HTTP_STATUS_NBODIES
};

/* one answer of the master, as every waiting call sees it */
struct http_status_share {
	struct frame	*f;		/* the reply; NULL if it failed */
	int		 err;		/* its errno when f is NULL */
	const cJSON	*json;		/* f parsed, when a MSG_STATUS object */
	char		*body[HTTP_STATUS_NBODIES];	/* rendered; freed after */
};

/* the continuation of a status request: read share, never change json */
typedef void http_status_fn(struct http_call *, struct http_status_share *);

/* http_status_ask - queue call for the master's status; -1 if unreachable */
int	http_status_ask(struct http_call *call, http_status_fn *fn);

/* http_status_orphan - srv is going away: the batch in flight forgets it */
void	http_status_orphan(struct http_server *srv);

#endif
