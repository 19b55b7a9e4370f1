/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_master.h - endpoints answered by asking the master
 * SYNOPSIS
 *	void	http_master_readyz(struct http_call *call);
 *	void	http_master_runtime(struct http_call *call);
 *	void	http_master_workers(struct http_call *call);
 *	void	http_master_worker(struct http_call *call);
 *	void	http_master_restart(struct http_call *call);
 * DESCRIPTION
 *	Route handlers (struct http_route) for GET /readyz, GET /v1/runtime,
 *	GET /v1/workers, GET /v1/workers/{name} and POST
 *	/v1/workers/{name}/restart. Each sends MSG_STATUS or MSG_RESTART to
 *	the master and answers the client when the reply comes.
 */
#ifndef CORRAL_HTTP_MASTER_H
#define CORRAL_HTTP_MASTER_H

struct http_call;

/* http_master_readyz - GET /readyz */
void	http_master_readyz(struct http_call *call);

/* http_master_runtime - GET /v1/runtime */
void	http_master_runtime(struct http_call *call);

/* http_master_workers - GET /v1/workers */
void	http_master_workers(struct http_call *call);

/* http_master_worker - GET /v1/workers/{name} */
void	http_master_worker(struct http_call *call);

/* http_master_restart - POST /v1/workers/{name}/restart */
void	http_master_restart(struct http_call *call);

#endif
