/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_call.h - one tools/call on one MCP server
 * SYNOPSIS
 *	int	mcp_call_start(struct mcp_server *s, const char *tool,
 *		    const cJSON *arguments, int timeout_s, mcp_call_done_fn *done,
 *		    void *arg, struct mcp_call_err *err);
 * DESCRIPTION
 *	mcp_call_start checks that the server is ready and lists the tool,
 *	sends tools/call {"name", "arguments"} (arguments copied; NULL for
 *	none) and returns 0; done is then called exactly once with either
 *	the answer's body {"server","tool","duration_ms","result"} (taken
 *	by done), the server's result object passed through as it came
 *	(content, isError, structuredContent), or an error code and message:
 *
 *	  bad_request  the server answered JSON-RPC -32602 (invalid params)
 *	  bad_gateway  another JSON-RPC error ("server NAME: JSON-RPC error
 *		       CODE: MESSAGE"), a result that is not an object, or
 *		       the server went away during the call
 *	  timeout      no answer within timeout_s: notifications/cancelled
 *		       {"requestId","reason"} is sent to the server
 *
 *	Each outcome is counted on the server (ok, tool_error when the
 *	result says isError, error, timeout).
 * DIAGNOSTICS
 *	mcp_call_start returns -1 with err filled, and done is not called:
 *	not_found (no such tool in the server's list), unavailable (the
 *	server is not ready: its state and last error; or it cannot take
 *	the request now).
 */
#ifndef CORRAL_MCP_CALL_H
#define CORRAL_MCP_CALL_H

#include <cjson/cJSON.h>

#include "mcp_server.h"

struct mcp_call_err {
	const char	*code;		/* NULL: the call worked */
	char		 message[512];
};

/* body: the answer (taken), or NULL and err says what went wrong */
typedef void mcp_call_done_fn(cJSON *body, const struct mcp_call_err *err,
	    void *arg);

/* mcp_call_start - call tool on s; 0 and done later, or -1 and err */
int	mcp_call_start(struct mcp_server *s, const char *tool,
	    const cJSON *arguments, int timeout_s, mcp_call_done_fn *done,
	    void *arg, struct mcp_call_err *err);

#endif
