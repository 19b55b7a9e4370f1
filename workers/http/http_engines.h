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
 *
 *	int	http_engines_launch_body(const char *buf, size_t len,
 *		    cJSON **in, const char **why);
 *	const char *http_engines_name(const cJSON *engine);
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
 *
 *	http_engines_launch_body is POST's own check of its body: buf
 *	holds len bytes and a NUL after them (as http_wipe_take leaves
 *	it), and must be exactly one JSON object, no string of it holding
 *	\u0000 (http_body.c: cJSON would cut an environment value there).
 *	It returns 0 and the
 *	parsed object in *in (the caller clears and deletes it), or -1,
 *	*in NULL and *why; a tree it refuses is cleared before it is
 *	freed. http_engines_name returns the "name" member of an engine
 *	object if it can go in the Location header as one path segment
 *	(1 to HTTP_ARG_DEFAULT of A-Z a-z 0-9 . _ -, not starting with
 *	'.'), else NULL. Both are exported for tests/fuzz/fuzz_http_body.c.
 */
#ifndef CORRAL_HTTP_ENGINES_H
#define CORRAL_HTTP_ENGINES_H

#include <stddef.h>

#include <cjson/cJSON.h>

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

/* http_engines_launch_body - buf (len bytes, then a NUL) as one JSON
 * object: 0 and *in, or -1, *in NULL and why */
int	http_engines_launch_body(const char *buf, size_t len, cJSON **in,
	    const char **why);

/* http_engines_name - an engine's "name" if it is one path segment */
const char *http_engines_name(const cJSON *engine);

#endif
