/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_status - one MSG_STATUS in flight, shared by the calls waiting
 * SYNOPSIS
 *	#include "http_status.h"
 * DESCRIPTION
 *	GET /readyz, /v1/runtime, /v1/workers and /v1/workers/{name} answer
 *	from the master's status: its facts and the worker table. Under
 *	load many of them wait at once, and asking the master once for
 *	each, then parsing and printing the same table once for each, was
 *	most of the cost of those endpoints (in both processes). So
 *	http_status_ask() sends MSG_STATUS only when none is in flight and
 *	otherwise queues the call on the one that is (a batch). When the
 *	answer comes, the batch is closed to newcomers, the reply is parsed
 *	once, and each queued call's continuation runs in arrival order
 *	with the shared answer (struct http_status_share): the frame and
 *	errno for error replies, the parsed object, and slots for bodies a
 *	continuation renders once for all (http_master.c renders /v1/runtime
 *	and /v1/workers there). The slots and the parsed object are freed
 *	after the last continuation.
 *
 *	What a call gets is the status as the master saw it when it took
 *	the request in flight, which may be a little before the call came
 *	(at most one bus round trip). Nothing a client can observe orders
 *	against that: the master answers the http worker in order, so an
 *	answer the client already had (a restart's 202) came after any
 *	status requested before it, and that batch has closed.
 *
 *	A queued call is held as if it had its own bus request
 *	(http_call_bus_hold), so it outlives its client until the batch
 *	is answered; the batch does not need srv, which
 *	http_status_orphan() detaches when it is freed first.
 * DIAGNOSTICS
 *	A failed or malformed answer is reported to each call by its
 *	continuation (http_master.c), as for a request of its own.
 */
#include <sys/queue.h>

#include <stdlib.h>

#include "msg.h"
#include "proc.h"
#include "worker.h"
#include "xmalloc.h"

#include "http_call.h"
#include "http_server.h"
#include "http_status.h"

struct http_status_wait {
	TAILQ_ENTRY(http_status_wait)	 entry;
	struct http_call		*call;
	http_status_fn			*fn;
};

struct http_status_batch {
	TAILQ_HEAD(, http_status_wait)	 waits;
	struct http_server		*srv;	/* NULL once orphaned */
};

/* http_status_share_fill - parse f once for every continuation */
static void
http_status_share_fill(struct http_status_share *sh, struct frame *f,
    int err)
{
	cJSON	*json;

	sh->f = f;
	sh->err = err;
	if (f == NULL || f->hdr.type != MSG_STATUS)
		return;
	json = frame_json(f);
	if (cJSON_IsObject(json))
		sh->json = json;
	else
		cJSON_Delete(json);
}

/* http_status_share_free - what the continuations left in the share */
static void
http_status_share_free(struct http_status_share *sh)
{
	int	i;

	for (i = 0; i < HTTP_STATUS_NBODIES; i++)
		cJSON_free(sh->body[i]);	/* cJSON printed them */
	cJSON_Delete((cJSON *)sh->json);
}

/* http_status_cb - the master's answer, or its failure, for a batch */
static void
http_status_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct http_status_batch	*b = arg;
	struct http_status_wait		*w;
	struct http_status_share	 sh = { 0 };

	(void)c;
	if (b->srv != NULL && b->srv->status_batch == b)
		b->srv->status_batch = NULL;	/* closed to newcomers */
	http_status_share_fill(&sh, f, err);
	while ((w = TAILQ_FIRST(&b->waits)) != NULL) {
		TAILQ_REMOVE(&b->waits, w, entry);
		if (w->call->req != NULL)
			w->fn(w->call, &sh);
		http_call_bus_done(w->call);
		free(w);
	}
	http_status_share_free(&sh);
	free(b);
}

/* http_status_send - a new batch in flight for srv; NULL if unreachable */
static struct http_status_batch *
http_status_send(struct http_server *srv)
{
	struct http_status_batch	*b;
	cJSON				*empty;
	int				 rc;

	b = xcalloc(1, sizeof(*b));
	TAILQ_INIT(&b->waits);
	b->srv = srv;
	empty = cJSON_CreateObject();
	rc = worker_request(srv->rt, PROC_MASTER, MSG_STATUS, empty,
	    HTTP_BUS_TIMEOUT_MS, http_status_cb, b);
	cJSON_Delete(empty);
	if (rc == -1) {
		free(b);
		return (NULL);
	}
	return (b);
}

/* http_status_ask - queue call for the master's status; -1 if unreachable */
int
http_status_ask(struct http_call *call, http_status_fn *fn)
{
	struct http_server	*srv = call->srv;
	struct http_status_wait	*w;

	if (srv == NULL || srv->rt->chan == NULL || !chan_is_open(srv->rt->chan))
		return (-1);
	if (srv->status_batch == NULL &&
	    (srv->status_batch = http_status_send(srv)) == NULL)
		return (-1);
	w = xcalloc(1, sizeof(*w));
	w->call = call;
	w->fn = fn;
	TAILQ_INSERT_TAIL(&srv->status_batch->waits, w, entry);
	http_call_bus_hold(call, HTTP_BUS_TIMEOUT_MS);
	return (0);
}

/* http_status_orphan - srv is going away: the batch in flight forgets it */
void
http_status_orphan(struct http_server *srv)
{
	if (srv->status_batch != NULL)
		srv->status_batch->srv = NULL;
	srv->status_batch = NULL;
}
