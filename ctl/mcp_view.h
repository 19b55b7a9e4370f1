/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_view.h - show MCP servers, tools and tool results for people
 * SYNOPSIS
 *	#include "mcp_view.h"
 *
 *	int	mcp_view_servers(FILE *fp, const cJSON *servers, time_t now);
 *	int	mcp_view_tools(FILE *fp, const cJSON *tools, size_t width);
 *	int	mcp_view_result(FILE *fp, const cJSON *answer, int clean);
 *	char	*mcp_view_item(const cJSON *item);
 *	int	mcp_view_time(const char *s, time_t *t);
 * DESCRIPTION
 *	The objects are those of the API (docs/mcp.md): a server of GET
 *	/v1/mcp/servers, a tool of GET /v1/mcp/servers/NAME/tools, the
 *	answer of POST .../call. Any member may be missing or null.
 *
 *	mcp_view_servers prints NAME STATE PID TOOLS RESTARTS SINCE LAST
 *	ERROR, SINCE as the time from "since" to now (4m12s); "-" for a
 *	value that is missing, and for a pid of 0. -1 (nothing printed) if
 *	servers is not an array.
 *
 *	mcp_view_tools prints NAME DESCRIPTION, the description's first
 *	line that is not blank, cut with "..." so that each line fits in
 *	width columns (never to less than MCP_VIEW_DESC_MIN characters).
 *	-1 (nothing printed) if tools is not an array.
 *
 *	mcp_view_result prints each item of result.content on its own
 *	line: a text item's text (a newline added unless it ends with
 *	one), any other item as the one-line summary of mcp_view_item.
 *	Without content items, result.structuredContent is printed as
 *	JSON. With clean set (a terminal) control characters in a text
 *	other than newline and tab print as '?'. It returns 1 when
 *	result.isError is true, 0 otherwise, or -1 (nothing printed) when
 *	the answer has no result object.
 *
 *	mcp_view_item returns (the caller frees) the summary of one
 *	content item that is not text: "[image image/png, 1234 bytes
 *	base64]", "[audio audio/wav, 88 bytes base64]", "[resource_link
 *	file:///x, text/plain]", "[resource file:///x, text/plain, 12 bytes
 *	text]", "[TYPE]", cleaned of control characters.
 *
 *	mcp_view_time reads an RFC 3339 time (2026-11-25T20:00:00Z,
 *	fractions and a +hh:mm offset allowed): 0 and *t, or -1.
 */
#ifndef CORRAL_MCP_VIEW_H
#define CORRAL_MCP_VIEW_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>

#define MCP_VIEW_WIDTH		80	/* columns, when not a terminal */
#define MCP_VIEW_DESC_MIN	16	/* a description is cut no shorter */

/* mcp_view_servers - the servers table; -1 if not an array */
int	 mcp_view_servers(FILE *, const cJSON *, time_t);

/* mcp_view_tools - the tools table in width columns; -1 if not an array */
int	 mcp_view_tools(FILE *, const cJSON *, size_t);

/* mcp_view_result - a call's content; 1 if isError, 0, or -1 */
int	 mcp_view_result(FILE *, const cJSON *, int);

/* mcp_view_item - "[image image/png, 1234 bytes base64]"; caller frees */
char	*mcp_view_item(const cJSON *);

/* mcp_view_time - an RFC 3339 time: 0 and *t, or -1 */
int	 mcp_view_time(const char *, time_t *);

#endif
