/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp - the corral MCP worker
 * SYNOPSIS
 *	libexec/corral/mcp (started by the corral master, never by hand)
 * DESCRIPTION
 *	The mcp worker starts the MCP servers of mcp_file as its own
 *	children (stdio transport: one JSON-RPC message per line on their
 *	stdin and stdout), keeps them running, lists their tools and calls
 *	them for the http worker (the 300s of docs/protocol.md).
 *	docs/mcp.md is the operator's guide; mcp_worker.h says how the
 *	parts fit.
 * DIAGNOSTICS
 *	Exit 0 after a shutdown (every server reaped first); 100 for a bad
 *	servers file. A server that fails is a state, not a failure.
 */
#include "msg.h"
#include "worker.h"

#include "mcp_worker.h"

static const struct worker_handler mcp_handlers[] = {
	{ MSG_MCP_LIST, MCP_REQ_MAX, mcp_on_list },
	{ MSG_MCP_TOOLS, MCP_REQ_MAX, mcp_on_tools },
	{ MSG_MCP_CALL, MCP_CALL_MAX, mcp_on_call },
};

static const struct worker_def mcp_def = {
	.name = "mcp",
	.init = mcp_init,
	.reload = mcp_reload,
	.drain = mcp_drain,
	.shutdown = mcp_shutdown,
	.fini = mcp_fini,
	.handlers = mcp_handlers,
	.nhandlers = sizeof(mcp_handlers) / sizeof(mcp_handlers[0]),
	.nodump = 1,		/* secret_env values pass through */
};

/* main - run the mcp worker */
int
main(int argc, char **argv)
{
	return (worker_main(&mcp_def, argc, argv));
}
