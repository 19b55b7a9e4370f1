/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_mcp.h - the MCP families of /metrics
 * SYNOPSIS
 *	void	http_metrics_mcp_render(struct http_prom *p,
 *		    const cJSON *list);
 * DESCRIPTION
 *	http_metrics_mcp_render writes the families made from one
 *	MSG_MCP_LIST reply ({"servers":[...]}, docs/mcp.md):
 *
 *	  corral_mcp_servers{state}		gauge, servers per state
 *						(every state of docs/mcp.md
 *						and stopping, 0 included)
 *	  corral_mcp_server_restarts_total{server}
 *						counter, the server's
 *						"restarts"
 *	  corral_mcp_tool_calls_total{server,outcome}
 *						counter, the server's
 *						"calls": ok, tool_error,
 *						error, timeout (0 when the
 *						worker sends no "calls")
 *
 *	Series are per server (an operator lists a handful) and per
 *	outcome, never per tool or per request. A reply without a
 *	"servers" array writes nothing.
 */
#ifndef CORRAL_HTTP_METRICS_MCP_H
#define CORRAL_HTTP_METRICS_MCP_H

#include <cjson/cJSON.h>

#include "http_prom.h"

/* http_metrics_mcp_render - the MCP families */
void	http_metrics_mcp_render(struct http_prom *p, const cJSON *list);

#endif
