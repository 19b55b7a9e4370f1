/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_server.h - the http worker's evhttp server and its life
 * SYNOPSIS
 *	int	http_server_init(struct worker_rt *rt);
 *	void	http_server_reload(struct worker_rt *rt);
 *	void	http_server_drain(struct worker_rt *rt);
 *	void	http_server_shutdown(struct worker_rt *rt);
 *	void	http_server_fini(struct worker_rt *rt);
 *	void	http_server_idle(struct http_server *srv);
 * DESCRIPTION
 *	The hooks of the http worker's struct worker_def, and the state they
 *	share with the request code (rt->priv).
 */
#ifndef CORRAL_HTTP_SERVER_H
#define CORRAL_HTTP_SERVER_H

#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>

#include "worker.h"

#include "http_auth.h"
#include "http_call.h"

struct http_metrics;
struct http_status_batch;

struct http_server {
	struct worker_rt		*rt;
	struct evhttp			*http;		/* NULL once freed */
	struct evhttp_bound_socket	*bound;		/* NULL once closed */
	struct http_auth		 auth;
	struct http_metrics		*metrics;	/* request counters */
	int				 metrics_open;	/* metrics_auth none */
	char				*bind;		/* as bound at init */
	struct http_calls		 calls;		/* calls not freed */
	struct http_status_batch	*status_batch;	/* MSG_STATUS in
							 * flight, or NULL */
	int				 nlive;		/* with a client */
	int				 draining;	/* refuse changes */
	int				 stopping;	/* shutting down */
	int				 finishing;	/* leaving now */
	size_t				 body_limit;	/* bytes */
	int				 timeout_s;	/* http_timeout */
	struct event			*finish;	/* leave, outside */
	struct event			*deadline;	/* shutdown_timeout */
};

/* http_server_init - bind, set up evhttp; 0 or a WORKER_EXIT_* code */
int	http_server_init(struct worker_rt *rt);

/* http_server_reload - take tokens, auth mode and limits from rt->config */
void	http_server_reload(struct worker_rt *rt);

/* http_server_drain - shutdown has begun: refuse changes, fail /readyz */
void	http_server_drain(struct worker_rt *rt);

/* http_server_shutdown - stop accepting, finish what runs, then leave */
void	http_server_shutdown(struct worker_rt *rt);

/* http_server_fini - free everything init made */
void	http_server_fini(struct worker_rt *rt);

/* http_server_idle - a call ended; leave if that was the last one */
void	http_server_idle(struct http_server *srv);

#endif
