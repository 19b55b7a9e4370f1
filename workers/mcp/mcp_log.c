/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_log - what an MCP server says, logged bounded and rate-limited
 * SYNOPSIS
 *	#include "mcp_log.h"
 * DESCRIPTION
 *	See mcp_log.h. The window runs on CLOCK_MONOTONIC.
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mcp_log.h"

/* mcp_log_now_ms - CLOCK_MONOTONIC in milliseconds */
static int64_t
mcp_log_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* mcp_log_init - a log for server (copied) */
void
mcp_log_init(struct mcp_log *l, const char *server)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->server, sizeof(l->server), "%s", server);
	l->window_ms = mcp_log_now_ms();
}

/* mcp_log_allow - may one more line be logged now? */
static int
mcp_log_allow(struct mcp_log *l)
{
	int64_t	now = mcp_log_now_ms();

	if (now - l->window_ms >= MCP_LOG_WINDOW_S * 1000) {
		if (l->dropped > 0)
			log_warnx("server %s: %lu lines not logged (more than "
			    "%d in %d s)", l->server, l->dropped,
			    MCP_LOG_BURST, MCP_LOG_WINDOW_S);
		l->window_ms = now;
		l->nlines = 0;
		l->dropped = 0;
	}
	if (l->nlines >= MCP_LOG_BURST) {
		l->dropped++;
		return (0);
	}
	l->nlines++;
	return (1);
}

/* mcp_log_line - one line at level, what naming its source */
void
mcp_log_line(struct mcp_log *l, int level, const char *what, const char *text,
    size_t len)
{
	char	buf[MCP_LOG_LINE_MAX + 4];
	size_t	i, n;

	if (!mcp_log_allow(l))
		return;
	n = len < MCP_LOG_LINE_MAX ? len : MCP_LOG_LINE_MAX;
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ?
		    '?' : text[i];
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	switch (level) {
	case LOG_LVL_DEBUG:
		log_debug("server %s: %s: %s", l->server, what, buf);
		break;
	case LOG_LVL_INFO:
		log_info("server %s: %s: %s", l->server, what, buf);
		break;
	case LOG_LVL_WARN:
		log_warnx("server %s: %s: %s", l->server, what, buf);
		break;
	default:
		log_error("server %s: %s: %s", l->server, what, buf);
		break;
	}
}

/* mcp_log_flush - log the partial line, if any */
void
mcp_log_flush(struct mcp_log *l)
{
	size_t	n = l->len;

	if (n > 0 && l->line[n - 1] == '\r')
		n--;
	if (n > 0)
		mcp_log_line(l, LOG_LVL_INFO, "stderr", l->line, n);
	l->len = 0;
}

/* mcp_log_feed - stderr bytes: each whole line logged */
void
mcp_log_feed(struct mcp_log *l, const char *data, size_t len)
{
	const char	*nl;
	size_t		 n, room;

	while (len > 0) {
		nl = memchr(data, '\n', len);
		n = nl != NULL ? (size_t)(nl - data) : len;
		if (!l->cut) {
			room = MCP_LOG_LINE_MAX - l->len;
			memcpy(l->line + l->len, data, n < room ? n : room);
			l->len += n < room ? n : room;
			if (n > room) {
				/* over the limit: log what fits, drop the
				 * rest of the line; one more byte says so */
				l->line[l->len] = '.';
				mcp_log_line(l, LOG_LVL_INFO, "stderr",
				    l->line, l->len + 1);
				l->len = 0;
				l->cut = 1;
			}
		}
		if (nl == NULL)
			return;
		if (l->cut)
			l->cut = 0;
		else
			mcp_log_flush(l);
		data += n + 1;
		len -= n + 1;
	}
}
