/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_log.h - what an MCP server says, logged bounded and rate-limited
 * SYNOPSIS
 *	void	mcp_log_init(struct mcp_log *l, const char *server);
 *	void	mcp_log_feed(struct mcp_log *l, const char *data, size_t len);
 *	void	mcp_log_flush(struct mcp_log *l);
 *	void	mcp_log_line(struct mcp_log *l, int level, const char *what,
 *		    const char *text, size_t len);
 * DESCRIPTION
 *	A server's stderr and its notifications/message end up in the mcp
 *	worker's log, one line each, naming the server: "server NAME:
 *	stderr: ...". mcp_log_feed splits stderr bytes into lines (a line
 *	over MCP_LOG_LINE_MAX is cut, the rest of it dropped); mcp_log_flush
 *	logs a last line without its newline (at EOF). mcp_log_line logs
 *	one line at level (LOG_LVL_*).
 *
 *	Control characters are shown as '?'. At most MCP_LOG_BURST lines
 *	per MCP_LOG_WINDOW_S seconds are logged for one server; the lines
 *	over that are counted, and the count is logged when the next window
 *	opens, so a chatty server cannot flood the daemon's log.
 * DIAGNOSTICS
 *	None.
 */
#ifndef CORRAL_MCP_LOG_H
#define CORRAL_MCP_LOG_H

#include <stddef.h>
#include <stdint.h>

#define MCP_LOG_LINE_MAX	1024
#define MCP_LOG_BURST		100
#define MCP_LOG_WINDOW_S	10

struct mcp_log {
	char		server[72];
	char		line[MCP_LOG_LINE_MAX + 1];
	size_t		len;
	int		cut;		/* dropping the rest of a long line */
	int64_t		window_ms;	/* start of the current window */
	unsigned	nlines;		/* logged in the window */
	unsigned long	dropped;	/* not logged in the window */
};

/* mcp_log_init - a log for server (copied) */
void	mcp_log_init(struct mcp_log *l, const char *server);

/* mcp_log_feed - stderr bytes: each whole line logged */
void	mcp_log_feed(struct mcp_log *l, const char *data, size_t len);

/* mcp_log_flush - log the partial line, if any */
void	mcp_log_flush(struct mcp_log *l);

/* mcp_log_line - one line at level, what naming its source */
void	mcp_log_line(struct mcp_log *l, int level, const char *what,
	    const char *text, size_t len);

#endif
