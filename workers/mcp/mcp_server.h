/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_server.h - one MCP server: its process, handshake, tools and life
 * SYNOPSIS
 *	struct mcp_server *mcp_server_new(const struct mcp_server_env *env,
 *		    struct mcp_conf_server *conf);
 *	void	mcp_server_start(struct mcp_server *s);
 *	int	mcp_server_spawn(struct mcp_server *s, uint64_t ticket,
 *		    char *const *secrets);
 *	void	mcp_server_spawn_failed(struct mcp_server *s, uint64_t ticket,
 *		    const char *why);
 *	int	mcp_server_stop(struct mcp_server *s,
 *		    mcp_server_stopped_fn *done, void *arg);
 *	void	mcp_server_free(struct mcp_server *s);
 *	cJSON	*mcp_server_json(const struct mcp_server *s);
 *	...
 * DESCRIPTION
 *	The states of docs/mcp.md: disabled (enabled false: listed, never
 *	started), starting (spawned, or waiting for its secrets; the
 *	initialize handshake and the tool list under way), ready (the
 *	tools are in), failed (it exited or broke the protocol before it
 *	was ready, or broke it later; started again after the backoff when
 *	restart is always), backoff (it exited after it was ready; started
 *	again after 1 s if it had been up 10 s, else after the backoff, 1,
 *	2, 4 ... 60 s), stopping (a stop is under way), stopped (stopped,
 *	or it exited with restart never).
 *
 *	mcp_server_start starts an enabled server. When the server has
 *	secret_env and env->prespawn is set, every spawn first calls
 *	prespawn with a fresh ticket; the owner reads the secrets and calls
 *	mcp_server_spawn with that ticket and "VAR=value" strings (which it
 *	wipes after the call), or mcp_server_spawn_failed with why, or
 *	mcp_server_spawn_wait when the secrets worker is not up yet (the
 *	server stays starting and asks again every second; no restart is
 *	counted, last_error says what it waits for). A
 *	ticket that is no longer the server's (it was stopped, or restarted)
 *	is refused with -1, so an answer that comes late does no harm.
 *
 *	Once spawned: initialize (protocol MCP_SERVER_PROTOCOL, 30 s), the
 *	version check, notifications/initialized, tools/list page by page
 *	when the server offers tools; then ready. The process is reaped on
 *	SIGCHLD (a libevent signal event of its own; waitpid on its pid
 *	only, so other children of the process are left alone). When the
 *	leader is gone whatever is left of its process group is killed.
 *	last_error holds the protocol error that killed it, or its exit
 *	("exited 1", "killed by signal 9"), or why it could not start.
 *
 *	mcp_server_stop closes the server's stdin, sends SIGTERM to its
 *	group after 2 s and SIGKILL after 5 s; it returns 1 when nothing
 *	runs (done is not called) or 0, and done is called once the process
 *	is reaped. mcp_server_free kills and reaps what still runs (it may
 *	wait up to MCP_SERVER_FREE_WAIT_MS) and frees.
 *
 *	mcp_server_json is the server object of the API (docs/mcp.md).
 *	mcp_server_rpc is the session, only while ready (mcp_call.c).
 * DIAGNOSTICS
 *	State changes and the server's stderr are logged, naming the
 *	server. Running out of memory or libevent failing is fatal.
 */
#ifndef CORRAL_MCP_SERVER_H
#define CORRAL_MCP_SERVER_H

#include <sys/types.h>

#include <stdint.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "mcp_conf.h"
#include "mcp_rpc.h"

#define MCP_SERVER_PROTOCOL		"2025-11-25"
#define MCP_SERVER_INIT_TIMEOUT_MS	30000
#define MCP_SERVER_TERM_AFTER_MS	2000
#define MCP_SERVER_KILL_AFTER_MS	5000
#define MCP_SERVER_BACKOFF_MAX_S	60
#define MCP_SERVER_STEADY_MS		10000	/* up this long: restart in 1 s */
#define MCP_SERVER_PAGES_MAX		100
#define MCP_SERVER_TOOLS_MAX		10000
#define MCP_SERVER_FREE_WAIT_MS		200
#define MCP_SERVER_ERROR_LEN		256

enum mcp_state {
	MCP_DISABLED,
	MCP_STARTING,
	MCP_READY,
	MCP_FAILED,
	MCP_BACKOFF,
	MCP_STOPPING,
	MCP_STOPPED,
	MCP_NSTATES
};

/* what became of the tool calls, for /metrics */
enum mcp_outcome {
	MCP_OUT_OK,
	MCP_OUT_TOOL_ERROR,
	MCP_OUT_ERROR,
	MCP_OUT_TIMEOUT,
	MCP_NOUTCOMES
};

struct mcp_server;

typedef void mcp_server_prespawn_fn(struct mcp_server *, uint64_t ticket,
	    void *);
typedef void mcp_server_stopped_fn(struct mcp_server *, void *);

struct mcp_server_env {
	struct event_base	*base;
	const char		*workspace_root;
	mcp_server_prespawn_fn	*prespawn;	/* NULL: spawn at once */
	void			*arg;
	int			 init_timeout_ms; /* 0: 30 s (tests shorten) */
};

/* mcp_server_new - a server of conf (taken); env is lent for its life */
struct mcp_server *mcp_server_new(const struct mcp_server_env *env,
		    struct mcp_conf_server *conf);

/* mcp_server_start - start it (an enabled one) */
void		 mcp_server_start(struct mcp_server *s);

/* mcp_server_spawn - spawn with secrets, for ticket; 0 or -1 (stale) */
int		 mcp_server_spawn(struct mcp_server *s, uint64_t ticket,
		    char *const *secrets);

/* mcp_server_spawn_wait - the secrets are not to be had yet: retry in 1 s */
void		 mcp_server_spawn_wait(struct mcp_server *s, uint64_t ticket,
		    const char *why);

/* mcp_server_spawn_failed - the secrets could not be had: fail it */
void		 mcp_server_spawn_failed(struct mcp_server *s, uint64_t ticket,
		    const char *why);

/* mcp_server_hold - not running: show it starting until started */
void		 mcp_server_hold(struct mcp_server *s);

/* mcp_server_stop - stop it; 1 if nothing ran, else 0 and done later */
int		 mcp_server_stop(struct mcp_server *s,
		    mcp_server_stopped_fn *done, void *arg);

/* mcp_server_free - kill what runs, free; NULL is fine */
void		 mcp_server_free(struct mcp_server *s);

/* mcp_server_name - its name */
const char	*mcp_server_name(const struct mcp_server *s);

/* mcp_server_conf - its configuration */
const struct mcp_conf_server *mcp_server_conf(const struct mcp_server *s);

/* mcp_server_state - its state */
enum mcp_state	 mcp_server_state(const struct mcp_server *s);

/* mcp_state_name - "ready", ... */
const char	*mcp_state_name(enum mcp_state st);

/* mcp_server_pid - the process, 0 if none */
pid_t		 mcp_server_pid(const struct mcp_server *s);

/* mcp_server_restarts - spawns after the first */
int		 mcp_server_restarts(const struct mcp_server *s);

/* mcp_server_last_error - "" if none */
const char	*mcp_server_last_error(const struct mcp_server *s);

/* mcp_server_ticket - the ticket of the spawn under way, 0 if none */
uint64_t	 mcp_server_ticket(const struct mcp_server *s);

/* mcp_server_tools - the tool list (an array), while ready */
const cJSON	*mcp_server_tools(const struct mcp_server *s);

/* mcp_server_tool - the tool called name in the list, or NULL */
const cJSON	*mcp_server_tool(const struct mcp_server *s, const char *name);

/* mcp_server_rpc - the session, only while ready */
struct mcp_rpc	*mcp_server_rpc(const struct mcp_server *s);

/* mcp_server_count - note one tool call's outcome */
void		 mcp_server_count(struct mcp_server *s, enum mcp_outcome o);

/* mcp_server_counts - the counts by outcome, as a JSON object */
cJSON		*mcp_server_counts(const struct mcp_server *s);

/* mcp_server_json - the server object of the API */
cJSON		*mcp_server_json(const struct mcp_server *s);

#endif
