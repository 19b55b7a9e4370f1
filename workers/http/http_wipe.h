/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_wipe.h - keep request bodies out of freed memory
 * SYNOPSIS
 *	void	http_wipe_init(void);
 *	void	http_wipe_free(void *p);
 *	void	*http_wipe_realloc(void *p, size_t n);
 *	char	*http_wipe_take(struct evbuffer *b, size_t *lenp);
 *	void	http_wipe_evbuffer(struct evbuffer *b);
 *	void	http_wipe_str(char *s);
 *	void	http_wipe_json(cJSON *j);
 * DESCRIPTION
 *	A request body may hold a secret (PUT /v1/secrets/{name}). The
 *	http worker never reads a secret back, but it does pass one on,
 *	and what it frees must not keep it.
 *
 *	http_wipe_init makes cJSON and libevent free through
 *	http_wipe_free and grow through http_wipe_realloc, which clear a
 *	block (all malloc_usable_size bytes of it) before giving it back.
 *	It must run before libevent allocates anything: in main(), before
 *	worker_main().
 *
 *	http_wipe_take copies the whole of b into a new NUL-terminated
 *	buffer (its length in *lenp), then clears b where it lies and
 *	empties it; the caller clears and frees the copy (http_wipe_str
 *	for text, or explicit_bzero and free). http_wipe_evbuffer does the
 *	same without the copy.
 *
 *	http_wipe_str clears a NUL-terminated string in place; NULL is
 *	fine. http_wipe_json clears every string of a parsed tree, the
 *	names of members too, before the caller deletes it; NULL is fine.
 */
#ifndef CORRAL_HTTP_WIPE_H
#define CORRAL_HTTP_WIPE_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>

/* http_wipe_init - cJSON and libevent clear what they free */
void	 http_wipe_init(void);

/* http_wipe_free - clear a malloc'd block, then free it; NULL is fine */
void	 http_wipe_free(void *p);

/* http_wipe_realloc - realloc that clears the block it leaves behind */
void	*http_wipe_realloc(void *p, size_t n);

/* http_wipe_take - copy b out, then clear and empty it; caller frees */
char	*http_wipe_take(struct evbuffer *b, size_t *lenp);

/* http_wipe_evbuffer - clear b's bytes where they lie, then empty it */
void	 http_wipe_evbuffer(struct evbuffer *b);

/* http_wipe_str - clear a string in place; NULL is fine */
void	 http_wipe_str(char *s);

/* http_wipe_json - clear every string in a tree, keys too; NULL is fine */
void	 http_wipe_json(cJSON *j);

#endif
