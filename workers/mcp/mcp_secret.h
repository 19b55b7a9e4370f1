/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_secret.h - the secrets of a server's secret_env, before a spawn
 * SYNOPSIS
 *	void	mcp_secret_prespawn(struct mcp_server *s, uint64_t ticket,
 *		    void *arg);
 * DESCRIPTION
 *	mcp_secret_prespawn is the servers' prespawn hook (arg: the struct
 *	mcp_worker). It asks the secrets worker for each secret of the
 *	server's secret_env (MSG_SECRET_GET {"name"}; the secrets worker
 *	answers only names in mcp_secrets) and, once every answer is in,
 *	spawns the server with "VAR=value" strings, or fails the start with
 *	the first refusal ("secret_env.VAR: ..."). The values are wiped
 *	with explicit_bzero as soon as the spawn has copied them into the
 *	child (and in the received frames' JSON right away); they are never
 *	logged. A server that was stopped, restarted or freed meanwhile is
 *	left alone (its ticket no longer matches, or it is no longer one of
 *	the worker's).
 * DIAGNOSTICS
 *	A refusal or a missing answer goes into the server's last_error.
 */
#ifndef CORRAL_MCP_SECRET_H
#define CORRAL_MCP_SECRET_H

#include <stdint.h>

#include "mcp_server.h"

/* mcp_secret_prespawn - read s's secrets, then spawn it (arg: worker) */
void	mcp_secret_prespawn(struct mcp_server *s, uint64_t ticket, void *arg);

#endif
