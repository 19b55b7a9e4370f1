/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_rpc.h - JSON-RPC 2.0 with one MCP server over its stdin and stdout
 * SYNOPSIS
 *	struct mcp_rpc *mcp_rpc_new(struct event_base *base, int rfd, int wfd,
 *		    struct mcp_log *log, mcp_rpc_notify_fn *notify,
 *		    mcp_rpc_fail_fn *fail, void *arg);
 *	int64_t	mcp_rpc_request(struct mcp_rpc *r, const char *method,
 *		    cJSON *params, int timeout_ms, mcp_rpc_reply_fn *cb,
 *		    void *arg);
 *	int	mcp_rpc_notify(struct mcp_rpc *r, const char *method,
 *		    cJSON *params);
 *	void	mcp_rpc_forget(struct mcp_rpc *r, int64_t id);
 *	void	mcp_rpc_close_input(struct mcp_rpc *r);
 *	void	mcp_rpc_close(struct mcp_rpc *r, const char *why);
 *	void	mcp_rpc_free(struct mcp_rpc *r);
 * DESCRIPTION
 *	One session with one server: rfd is the server's stdout, wfd its
 *	stdin (both taken, made non-blocking). Lines are split and
 *	classified by mcp_jsonrpc.c.
 *
 *	mcp_rpc_request sends a request with the next integer id and calls
 *	cb exactly once: with the result (the callback may take
 *	reply->result and set it to NULL), the server's error, a timeout
 *	after timeout_ms, or "closed" with the reason once the session
 *	ends. mcp_rpc_forget drops a pending request without calling cb (a
 *	late answer is then ignored, as an answer to an unknown id is).
 *	mcp_rpc_notify sends a notification.
 *
 *	What comes from the server: answers go to their request;
 *	notifications/message is logged (mcp_log.c, at the level it gives);
 *	any other notification goes to notify, which ignores what it does
 *	not know; a ping request is answered {} and any other request gets
 *	error -32601 (corral offers no client capabilities).
 *
 *	A line that is not JSON-RPC, a line over MCP_JSONRPC_LINE_MAX, EOF
 *	on the server's stdout or an error writing its stdin end the
 *	session: fail is called once (eof says whether the server simply
 *	closed its side), then every pending request ends "closed".
 *	Output waits in a buffer of at most MCP_RPC_OUT_MAX bytes; a request
 *	that does not fit is refused.
 *
 *	mcp_rpc_close ends the session at once (idempotent, allowed in any
 *	callback). mcp_rpc_close_input closes only the server's stdin (a
 *	stop starts so), answers still being read. mcp_rpc_free ends and
 *	frees; called from inside one of the session's callbacks, the free
 *	waits until that callback returns.
 * DIAGNOSTICS
 *	mcp_rpc_request returns the id, or -1 when the session is closed,
 *	its output buffer is full or MCP_RPC_PENDING_MAX requests wait;
 *	mcp_rpc_why() then says which. Running out of memory is fatal.
 */
#ifndef CORRAL_MCP_RPC_H
#define CORRAL_MCP_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "mcp_log.h"

#define MCP_RPC_OUT_MAX		(32 * 1024 * 1024)
#define MCP_RPC_PENDING_MAX	1024

struct mcp_rpc;

enum mcp_rpc_outcome {
	MCP_RPC_RESULT,
	MCP_RPC_ERROR,
	MCP_RPC_TIMEOUT,
	MCP_RPC_CLOSED
};

struct mcp_rpc_reply {
	enum mcp_rpc_outcome	 outcome;
	int64_t			 id;
	cJSON			*result;	/* RESULT; may be taken */
	long			 code;		/* ERROR */
	const char		*message;	/* ERROR */
	const char		*why;		/* CLOSED */
};

typedef void mcp_rpc_reply_fn(struct mcp_rpc *, struct mcp_rpc_reply *,
	    void *);
typedef void mcp_rpc_notify_fn(struct mcp_rpc *, const char *method,
	    const cJSON *params, void *);
typedef void mcp_rpc_fail_fn(struct mcp_rpc *, int eof, const char *why,
	    void *);

/* mcp_rpc_new - a session on rfd (server's stdout) and wfd (its stdin) */
struct mcp_rpc	*mcp_rpc_new(struct event_base *base, int rfd, int wfd,
		    struct mcp_log *log, mcp_rpc_notify_fn *notify,
		    mcp_rpc_fail_fn *fail, void *arg);

/* mcp_rpc_request - send method(params) (params taken); the id or -1 */
int64_t		 mcp_rpc_request(struct mcp_rpc *r, const char *method,
		    cJSON *params, int timeout_ms, mcp_rpc_reply_fn *cb,
		    void *arg);

/* mcp_rpc_notify - send a notification (params taken); 0 or -1 */
int		 mcp_rpc_notify(struct mcp_rpc *r, const char *method,
		    cJSON *params);

/* mcp_rpc_forget - drop pending request id without calling back */
void		 mcp_rpc_forget(struct mcp_rpc *r, int64_t id);

/* mcp_rpc_pending - requests awaiting an answer */
size_t		 mcp_rpc_pending(const struct mcp_rpc *r);

/* mcp_rpc_why - why the last request was refused */
const char	*mcp_rpc_why(const struct mcp_rpc *r);

/* mcp_rpc_close_input - close the server's stdin; keep reading */
void		 mcp_rpc_close_input(struct mcp_rpc *r);

/* mcp_rpc_close - end the session; pending requests end "closed" */
void		 mcp_rpc_close(struct mcp_rpc *r, const char *why);

/* mcp_rpc_free - end and free; NULL is fine */
void		 mcp_rpc_free(struct mcp_rpc *r);

#endif
