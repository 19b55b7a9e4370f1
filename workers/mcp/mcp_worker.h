/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_worker.h - the mcp worker: its servers, its life, its messages
 * SYNOPSIS
 *	int	mcp_init(struct worker_rt *rt);
 *	void	mcp_reload(struct worker_rt *rt);
 *	void	mcp_drain(struct worker_rt *rt);
 *	void	mcp_shutdown(struct worker_rt *rt);
 *	void	mcp_fini(struct worker_rt *rt);
 *	void	mcp_on_list(struct worker_rt *rt, struct frame *f);
 *	void	mcp_on_tools(struct worker_rt *rt, struct frame *f);
 *	void	mcp_on_call(struct worker_rt *rt, struct frame *f);
 *	struct mcp_server *mcp_worker_find(struct mcp_worker *w,
 *		    const char *name);
 * DESCRIPTION
 *	mcp_init reads mcp_file (a file that does not check is a permanent
 *	failure: exit 100, the master marks the worker failed) and makes
 *	one server per entry; they are started from the loop once the
 *	worker is sandboxed, so every server inherits PR_SET_NO_NEW_PRIVS
 *	and no capability.
 *
 *	mcp_reload (MSG_RELOAD, after SIGHUP to the master) reads the file
 *	again: added servers start, removed ones stop, changed ones stop
 *	and their replacement starts once the old process is gone;
 *	unchanged ones keep running. A file that no longer checks is
 *	logged and the running servers are kept.
 *
 *	Before each spawn of a server with secret_env the worker reads its
 *	secrets from the secrets worker (MSG_SECRET_GET, one per variable);
 *	the values are handed to the spawn and wiped right after it, and
 *	never logged. A refusal fails that start with the secrets worker's
 *	message in last_error (the backoff then applies).
 *
 *	mcp_drain refuses new calls from then on; mcp_shutdown stops every
 *	server and exits once all are reaped (at most MCP_WORKER_EXIT_S).
 *
 *	The messages (mcp_msg.c) are taken only from the http worker.
 * DIAGNOSTICS
 *	mcp_init returns WORKER_EXIT_PERMANENT for a servers file that does
 *	not check, with the line in the log. A server that fails is a state
 *	of that server, never a failure of the worker.
 */
#ifndef CORRAL_MCP_WORKER_H
#define CORRAL_MCP_WORKER_H

#include <sys/queue.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "worker.h"

#include "mcp_server.h"

#define MCP_REQ_MAX		(4 * 1024)	/* LIST, TOOLS */
#define MCP_CALL_MAX		FRAME_MAX	/* CALL: the arguments */
#define MCP_WORKER_EXIT_S	10
#define MCP_SECRET_TIMEOUT_MS	5000

/* a server of the list; held: waits for its predecessor to stop */
struct mcp_slot {
	struct mcp_server	*s;
	int			 held;
};

/* a server being stopped because the file dropped or changed it */
struct mcp_retired {
	TAILQ_ENTRY(mcp_retired) entry;
	struct mcp_worker	*w;
	struct mcp_server	*s;
	int			 done;
};

TAILQ_HEAD(mcp_retired_list, mcp_retired);

struct mcp_worker {
	struct worker_rt	*rt;
	struct mcp_server_env	 env;
	char			*workspace_root;
	int			 call_timeout_s;
	struct mcp_slot		*slots;		/* sorted by name */
	size_t			 nslots;
	struct mcp_retired_list	 retired;
	struct event		*start_ev;	/* after the sandbox */
	struct event		*gc_ev;		/* frees what stopped */
	struct event		*exit_ev;	/* the shutdown's deadline */
	int			 stopping;
	int			 nstopping;
};

int	mcp_init(struct worker_rt *rt);
void	mcp_reload(struct worker_rt *rt);
void	mcp_drain(struct worker_rt *rt);
void	mcp_shutdown(struct worker_rt *rt);
void	mcp_fini(struct worker_rt *rt);

void	mcp_on_list(struct worker_rt *rt, struct frame *f);
void	mcp_on_tools(struct worker_rt *rt, struct frame *f);
void	mcp_on_call(struct worker_rt *rt, struct frame *f);

/* mcp_worker_find - the listed server called name, or NULL */
struct mcp_server *mcp_worker_find(struct mcp_worker *w, const char *name);

#endif
