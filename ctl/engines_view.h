/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	engines_view.h - show inference engines for people
 * SYNOPSIS
 *	#include "engines_view.h"
 *
 *	int	engines_view_table(FILE *fp, const cJSON *engines);
 *	char	*engines_view_docker(const cJSON *docker);
 *	void	engines_view_detail(FILE *fp, const cJSON *engine);
 *	void	engines_view_failure(FILE *fp, const cJSON *engine);
 *	char	*engines_view_step(const cJSON *engine);
 *	char	*engines_view_gpus(const cJSON *engine, char *buf,
 *		    size_t len);
 *	void	engines_view_log_init(struct engines_view_log *l, int clean);
 *	int	engines_view_log_write(struct engines_view_log *l, FILE *fp,
 *		    const char *buf, size_t len);
 * DESCRIPTION
 *	The engine objects are those of the API (GET /v1/engines,
 *	/v1/engines/NAME; docs/api.md): name, engine, image,
 *	container_id, state, endpoint, port, gpus, model, args, created,
 *	started, ready_at, uptime_s, progress, last_error, exit_code,
 *	logs, adopted. Any member may be missing or null and shows as "-".
 *
 *	engines_view_table prints NAME ENGINE STATE PORT GPUS UPTIME IMAGE,
 *	the uptime as 3m12s; -1 (nothing printed) if engines is not an
 *	array. engines_view_docker returns (the caller frees) "Docker is
 *	unreachable at ENDPOINT: REASON" ("Docker is unreachable: REASON"
 *	when the reason names the endpoint) when docker.reachable is false,
 *	else NULL.
 *
 *	engines_view_detail prints one "key: value" line per member, the
 *	container id cut to 12 characters, then, for a failed engine,
 *	engines_view_failure: the last error and the container's last log
 *	lines, indented.
 *
 *	engines_view_step is the one-line state of a launch in progress
 *	(the caller frees it): "pulling vllm/vllm-openai:latest 41%" (the
 *	progress, when it starts with the state), "loading: probe /health:
 *	503" (state: progress), "starting", "ready  http://127.0.0.1:8000/v1".
 *
 *	engines_view_gpus writes "all", "none", "0,1" or "-" into buf and
 *	returns it.
 *
 *	engines_view_log_write copies a piece of a log to fp. With clean
 *	set (a terminal), control characters other than newline and tab,
 *	C1 controls in UTF-8 included (even split across pieces), print as
 *	'?', so a container's log cannot drive the terminal (a lone 0xc2
 *	at the very end of a log, not UTF-8 anyway, is dropped); otherwise
 *	the bytes go out as they are. Each piece is flushed at once. It
 *	returns 0, or -1 if fp failed.
 */
#ifndef CORRAL_ENGINES_VIEW_H
#define CORRAL_ENGINES_VIEW_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define ENGINES_VIEW_ID_LEN	12	/* a container id, as shown */
#define ENGINES_VIEW_GPUS_LEN	64

struct engines_view_log {
	int	clean;		/* replace control characters */
	int	c2;		/* the last piece ended in 0xc2 */
};

/* engines_view_table - the engines table; -1 if not an array */
int	 engines_view_table(FILE *, const cJSON *);

/* engines_view_docker - "Docker is unreachable at ...", or NULL */
char	*engines_view_docker(const cJSON *);

/* engines_view_detail - one engine as key: value lines */
void	 engines_view_detail(FILE *, const cJSON *);

/* engines_view_failure - last error and log lines of a failed engine */
void	 engines_view_failure(FILE *, const cJSON *);

/* engines_view_step - "pulling ... 41%", "starting", "ready  URL" */
char	*engines_view_step(const cJSON *);

/* engines_view_gpus - "all", "none", "0,1", or "-"; returns buf */
char	*engines_view_gpus(const cJSON *, char *, size_t);

/* engines_view_log_init - a log writer, cleaning or not */
void	 engines_view_log_init(struct engines_view_log *, int);

/* engines_view_log_write - a piece of a log to fp: 0, or -1 */
int	 engines_view_log_write(struct engines_view_log *, FILE *,
	    const char *, size_t);

#endif
