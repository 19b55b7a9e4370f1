/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_wipe - keep request bodies out of freed memory
 * SYNOPSIS
 *	#include "http_wipe.h"
 * DESCRIPTION
 *	A secret sent to PUT /v1/secrets/{name} passes through several
 *	heaps on its way to the secrets worker: libevent reads it into
 *	evbuffer chains (and may copy it between the connection's buffer
 *	and the request's), cJSON parses it into a tree and prints it
 *	again for the bus. Clearing only the buffers the handler sees
 *	would leave the copies libevent and cJSON made and freed on their
 *	own, so instead both libraries are given a free() that clears the
 *	block first. Blocks are small and the cost is one memset per free.
 *
 *	malloc_usable_size() gives the block's size; it is glibc's, and
 *	both ASan and valgrind provide it. Growing a block through
 *	http_wipe_realloc() copies it and clears the old one, since
 *	realloc() may move the data and free the old block as it is.
 *	With a free hook that is not free(), cJSON stops using realloc()
 *	itself and grows its print buffers by malloc, copy and free.
 *
 *	http_wipe_take() and http_wipe_evbuffer() clear an evbuffer's bytes
 *	in place (evbuffer_peek() points into its chains) before draining
 *	it, so the chains go back to libevent already clear whatever
 *	allocator is in use (the unit tests do not call http_wipe_init).
 * DIAGNOSTICS
 *	None; memory exhaustion is fatal through xmalloc.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>

#include "xmalloc.h"

#include "http_wipe.h"

/* http_wipe_free - clear a malloc'd block, then free it; NULL is fine */
void
http_wipe_free(void *p)
{
	if (p == NULL)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

/* http_wipe_realloc - realloc that clears the block it leaves behind */
void *
http_wipe_realloc(void *p, size_t n)
{
	void	*q;
	size_t	 old;

	if (p == NULL)
		return (malloc(n));
	if (n == 0) {
		http_wipe_free(p);
		return (NULL);
	}
	old = malloc_usable_size(p);
	if (n <= old)
		return (p);	/* shrinking in place keeps the bytes ours */
	if ((q = malloc(n)) == NULL)
		return (NULL);
	memcpy(q, p, old);
	http_wipe_free(p);
	return (q);
}

/* http_wipe_init - cJSON and libevent clear what they free */
void
http_wipe_init(void)
{
	cJSON_Hooks	hooks;

	hooks.malloc_fn = malloc;
	hooks.free_fn = http_wipe_free;
	cJSON_InitHooks(&hooks);
	event_set_mem_functions(malloc, http_wipe_realloc, http_wipe_free);
}

/* http_wipe_drain - copy b into out (if not NULL), clear, empty it */
static size_t
http_wipe_drain(struct evbuffer *b, char *out)
{
	struct evbuffer_iovec	*vec;
	size_t			 len, left, n;
	int			 i, nvec;

	if ((len = evbuffer_get_length(b)) == 0)
		return (0);
	nvec = evbuffer_peek(b, (ev_ssize_t)len, NULL, NULL, 0);
	vec = xcalloc(nvec > 0 ? (size_t)nvec : 1, sizeof(*vec));
	nvec = evbuffer_peek(b, (ev_ssize_t)len, NULL, vec, nvec);
	left = len;
	for (i = 0; i < nvec && left > 0; i++) {
		n = vec[i].iov_len < left ? vec[i].iov_len : left;
		if (out != NULL)
			memcpy(out + (len - left), vec[i].iov_base, n);
		explicit_bzero(vec[i].iov_base, n);
		left -= n;
	}
	free(vec);
	evbuffer_drain(b, len);
	return (len - left);
}

/* http_wipe_take - copy b out, then clear and empty it; caller frees */
char *
http_wipe_take(struct evbuffer *b, size_t *lenp)
{
	char	*out;
	size_t	 len;

	len = evbuffer_get_length(b);
	out = xmalloc(len + 1);
	*lenp = http_wipe_drain(b, out);
	out[*lenp] = '\0';
	return (out);
}

/* http_wipe_evbuffer - clear b's bytes where they lie, then empty it */
void
http_wipe_evbuffer(struct evbuffer *b)
{
	if (b != NULL)
		(void)http_wipe_drain(b, NULL);
}

/* http_wipe_str - clear a string in place; NULL is fine */
void
http_wipe_str(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
}

/* http_wipe_json - clear every string in a tree, keys too; NULL is fine */
void
http_wipe_json(cJSON *j)
{
	cJSON	*c;

	if (j == NULL)
		return;
	if (cJSON_IsString(j))
		http_wipe_str(j->valuestring);
	http_wipe_str(j->string);
	for (c = j->child; c != NULL; c = c->next)
		http_wipe_json(c);
}
