/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_worker.h - the secrets worker's life and message handlers
 * SYNOPSIS
 *	#include "secrets_worker.h"
 *
 *	int	secrets_init(struct worker_rt *rt);
 *	void	secrets_reload(struct worker_rt *rt);
 *	void	secrets_fini(struct worker_rt *rt);
 *	void	secrets_on_list(struct worker_rt *rt, struct frame *f);
 *	void	secrets_on_put(struct worker_rt *rt, struct frame *f);
 *	void	secrets_on_delete(struct worker_rt *rt, struct frame *f);
 *	void	secrets_on_get(struct worker_rt *rt, struct frame *f);
 *	void	secrets_on_routes(struct worker_rt *rt, struct frame *f);
 * DESCRIPTION
 *	The secrets worker is the only corral process that holds the master
 *	key. secrets_init takes the key from its environment and wipes it
 *	there, opens the store under state_root, loads the routes file and
 *	the grants of the config. secrets_reload (MSG_RELOAD, after SIGHUP
 *	to the master) loads the routes and grants again and re-reads the
 *	store. secrets_fini frees it all, the key included.
 *
 *	The handlers serve docs/protocol.md's 200s. Each checks the
 *	requester against secrets_acl.h first; see secrets_worker.c, and
 *	secrets_routes.c for the routes.
 */
#ifndef CORRAL_SECRETS_WORKER_H
#define CORRAL_SECRETS_WORKER_H

#include <cjson/cJSON.h>

#include "frame.h"
#include "worker.h"

#include "secrets_acl.h"

#define SECRETS_REQ_MAX		4096		/* payload of all but PUT */
#define SECRETS_PUT_MAX		FRAME_MAX	/* a value, JSON-escaped */
#define SECRETS_ERR_MAX		512

struct store;
struct routes;
struct secrets_acl;

struct secrets {
	struct worker_rt	*rt;
	struct store		*store;
	int			 haskey;	/* opened with a master key */
	char			 error[SECRETS_ERR_MAX]; /* why the store
						 * cannot be read now; "" */
	struct routes		*routes;	/* NULL: none */
	struct secrets_acl	*acl;
};

/* secrets_init - key, store, routes, grants; 0 or a WORKER_EXIT_* code */
int	secrets_init(struct worker_rt *rt);

/* secrets_reload - routes and grants from the new rt->config; re-read */
void	secrets_reload(struct worker_rt *rt);

/* secrets_fini - close the store (wiping the key), free everything */
void	secrets_fini(struct worker_rt *rt);

/* secrets_refresh - re-read the store if it changed; note a failure */
void	secrets_refresh(struct secrets *sec);

/* secrets_state - "ok", "no_master_key" or "error" */
const char *secrets_state(const struct secrets *sec);

/* secrets_request - f's payload as a JSON object ({} if empty), or NULL
 * after a bad_request reply; caller frees */
cJSON	*secrets_request(struct worker_rt *rt, struct frame *f);

/* secrets_allowed - ask the ACL for f's requester; 0 after a forbidden
 * reply */
int	secrets_allowed(struct worker_rt *rt, struct frame *f,
	    enum secrets_op op, const char *name);

/* secrets_routes_load - (re)load routes_file of rt->config; a file that
 * does not load keeps the routes there were (secrets_routes.c) */
void	secrets_routes_load(struct secrets *sec);

/* secrets_on_list - MSG_SECRET_LIST: names and metadata, never values */
void	secrets_on_list(struct worker_rt *rt, struct frame *f);

/* secrets_on_put - MSG_SECRET_PUT: store a value (wiped afterwards) */
void	secrets_on_put(struct worker_rt *rt, struct frame *f);

/* secrets_on_delete - MSG_SECRET_DELETE: remove an entry */
void	secrets_on_delete(struct worker_rt *rt, struct frame *f);

/* secrets_on_get - MSG_SECRET_GET: a value, to a granted requester only */
void	secrets_on_get(struct worker_rt *rt, struct frame *f);

/* secrets_on_routes - MSG_ROUTES_LIST: routes and their availability */
void	secrets_on_routes(struct worker_rt *rt, struct frame *f);

#endif
