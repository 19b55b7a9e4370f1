/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_logs.h - an engine's log: read once, or followed into a socket
 * SYNOPSIS
 *	void	eng_logs_get(struct eng_worker *w, struct eng *e,
 *		    const struct frame *req, int tail);
 *	void	eng_logs_follow(struct eng_worker *w, struct eng *e,
 *		    const struct frame *req, int tail);
 *	void	eng_logs_close_all(struct eng *e);
 *	void	eng_logs_free_all(struct eng_worker *w);
 * DESCRIPTION
 *	eng_logs_get answers ENGINE_LOGS without follow: GET
 *	/containers/{id}/logs?stdout=1&stderr=1&tail=N, demultiplexed,
 *	cut to its last ENG_LOGS_TEXT_MAX bytes, invalid UTF-8 replaced;
 *	an engine without a container answers the lines kept from its
 *	failure. tail -1 means all.
 *
 *	eng_logs_follow makes a socketpair, answers with one end (the http
 *	worker reads it) and writes the demultiplexed log of ...&follow=1
 *	on the other as it comes, buffered up to ENG_LOGS_FOLLOW_MAX (a
 *	reader that falls that far behind is cut off). It ends when Docker
 *	ends the stream (the container stopped), when the reader closes
 *	its end, or when eng_logs_close_all runs (the engine is deleted).
 *
 *	eng_logs_free_all ends every log request of w (at exit).
 * DIAGNOSTICS
 *	Errors answer MSG_ERROR: unavailable (Docker), docker_error.
 */
#ifndef CORRAL_ENG_LOGS_H
#define CORRAL_ENG_LOGS_H

#include "frame.h"

#define ENG_LOGS_TEXT_MAX	(512 * 1024)
#define ENG_LOGS_FOLLOW_MAX	(4 * 1024 * 1024)

struct eng;
struct eng_worker;

void	eng_logs_get(struct eng_worker *w, struct eng *e,
	    const struct frame *req, int tail);
void	eng_logs_follow(struct eng_worker *w, struct eng *e,
	    const struct frame *req, int tail);
void	eng_logs_close_all(struct eng *e);
void	eng_logs_free_all(struct eng_worker *w);

#endif
