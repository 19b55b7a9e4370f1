/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_server_priv.h - inside one MCP server: shared by mcp_server.c
 *	(process and life) and mcp_hello.c (handshake and tool list)
 * SYNOPSIS
 *	void	mcp_server_set_state(struct mcp_server *s, enum mcp_state st);
 *	void	mcp_server_broke(struct mcp_server *s, const char *fmt, ...);
 *	void	mcp_server_ready(struct mcp_server *s);
 *	void	mcp_hello_begin(struct mcp_server *s);
 *	void	mcp_hello_notify(struct mcp_rpc *r, const char *method,
 *		    const cJSON *params, void *arg);
 *	void	mcp_hello_reset(struct mcp_server *s);
 * DESCRIPTION
 *	mcp_server_set_state is the one place a state changes (and since
 *	with it). mcp_server_broke records a protocol error in last_error,
 *	marks the server failed and kills it; the reap decides what comes
 *	next. mcp_server_ready takes the tools listed so far and makes the
 *	server ready.
 *
 *	mcp_hello_begin sends initialize on a fresh session; what follows
 *	(the version check, notifications/initialized, tools/list pages)
 *	runs from the answers. mcp_hello_notify is the session's notify
 *	callback (notifications/tools/list_changed lists the tools again).
 *	mcp_hello_reset forgets the handshake and a listing under way.
 * DIAGNOSTICS
 *	mcp_server_broke logs the protocol error with the server's name.
 */
#ifndef CORRAL_MCP_SERVER_PRIV_H
#define CORRAL_MCP_SERVER_PRIV_H

#include <stdint.h>
#include <time.h>

#include "mcp_log.h"
#include "mcp_server.h"
#include "mcp_spawn.h"

struct mcp_server {
	const struct mcp_server_env *env;
	struct mcp_conf_server	*conf;
	enum mcp_state		 state;
	time_t			 since;		/* of the last state change */
	struct mcp_spawn	 sp;		/* pid and our pipe ends */
	struct mcp_rpc		*rpc;
	struct event		*errev;		/* its stderr */
	struct event		*sigchld;
	struct event		*timer;		/* the restart */
	struct event		*stopev;	/* SIGTERM, then SIGKILL */
	int			 stop_phase;	/* 0: TERM next, 1: KILL next */
	int			 stopping;
	mcp_server_stopped_fn	*done;
	void			*done_arg;
	int			 dying;		/* its stdout closed */
	int			 broken;	/* killed for a protocol error */
	int64_t			 ready_ms;	/* 0 if it was not ready */
	int			 backoff_s;
	int			 waiting;	/* the next start is a retry of
						 * this one, not a restart */
	int			 restarts;
	int			 spawns;
	uint64_t		 ticket;
	char			 last_error[MCP_SERVER_ERROR_LEN];
	struct mcp_log		 log;
	char			*protocol_version;
	cJSON			*server_info;
	cJSON			*tools;		/* array, NULL until ready */
	/* the handshake and tool listing */
	cJSON			*next_tools;	/* pages so far */
	int			 pages;
	int			 listing;
	int			 relist;	/* list again once done */
	unsigned long		 calls[MCP_NOUTCOMES];
};

/* mcp_server_set_state - the one place a state changes */
void	mcp_server_set_state(struct mcp_server *s, enum mcp_state st);

/* mcp_server_broke - a protocol error: last_error, failed, killed */
void	mcp_server_broke(struct mcp_server *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* mcp_server_ready - the tools are in: ready */
void	mcp_server_ready(struct mcp_server *s);

/* mcp_server_now_ms - CLOCK_MONOTONIC in milliseconds */
int64_t	mcp_server_now_ms(void);

/* mcp_hello_begin - send initialize on the new session */
void	mcp_hello_begin(struct mcp_server *s);

/* mcp_hello_notify - a notification from the server */
void	mcp_hello_notify(struct mcp_rpc *r, const char *method,
	    const cJSON *params, void *arg);

/* mcp_hello_reset - forget the handshake and any listing */
void	mcp_hello_reset(struct mcp_server *s);

#endif
