/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_engines.h - the engines endpoints of the http worker
 * SYNOPSIS
 *	void	http_engines_list(struct http_call *call);
 *	void	http_engines_get(struct http_call *call);
 *	void	http_engines_launch(struct http_call *call);
 *	void	http_engines_delete(struct http_call *call);
 *	void	http_engines_logs(struct http_call *call);
 *
 *	int	http_engines_timeout(const char *s, long *secs,
 *		    const char **why);
 *	int	http_engines_tail(const char *s, long *lines,
 *		    const char **why);
 *	int	http_engines_follow(const char *s, int *on, const char **why);
 * DESCRIPTION
 *	Route handlers for GET /v1/engines (MSG_ENGINE_LIST), GET
 *	/v1/engines/{name} (MSG_ENGINE_GET), POST /v1/engines
 *	(MSG_ENGINE_LAUNCH), DELETE /v1/engines/{name}?timeout=S
 *	(MSG_ENGINE_DELETE) and GET /v1/engines/{name}/logs?tail=N&follow=B
 *	(MSG_ENGINE_LOGS); each asks the engines worker (PROC_ENGINES).
 *
 *	The query parsers return 0 and the value, or -1 and *why:
 *	http_engines_timeout a whole number of seconds from 0 to
 *	HTTP_ENGINES_TIMEOUT_MAX; http_engines_tail a number of lines from
 *	0 to HTTP_ENGINES_TAIL_MAX, or "all" (*lines -1);
 *	http_engines_follow 0, 1, true or false.
 */
#ifndef CORRAL_HTTP_ENGINES_H
#define CORRAL_HTTP_ENGINES_H

#define HTTP_ENGINES_TIMEOUT_DEFAULT	10	/* seconds to stop */
#define HTTP_ENGINES_TIMEOUT_MAX	300
#define HTTP_ENGINES_WAIT_EXTRA		20	/* s beyond it for the reply */
#define HTTP_ENGINES_TAIL_DEFAULT	100	/* lines */
#define HTTP_ENGINES_TAIL_MAX		10000

struct http_call;

/* http_engines_list - GET /v1/engines */
void	http_engines_list(struct http_call *call);

/* http_engines_get - GET /v1/engines/{name} */
void	http_engines_get(struct http_call *call);

/* http_engines_launch - POST /v1/engines */
void	http_engines_launch(struct http_call *call);

/* http_engines_delete - DELETE /v1/engines/{name} */
void	http_engines_delete(struct http_call *call);

/* http_engines_logs - GET /v1/engines/{name}/logs */
void	http_engines_logs(struct http_call *call);

/* http_engines_timeout - "10" as 10 seconds (0..300): 0, or -1 and why */
int	http_engines_timeout(const char *s, long *secs, const char **why);

/* http_engines_tail - "100" or "all" (-1): 0, or -1 and why */
int	http_engines_tail(const char *s, long *lines, const char **why);

/* http_engines_follow - 0, 1, true, false: 0, or -1 and why */
int	http_engines_follow(const char *s, int *on, const char **why);

#endif
