/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	xmalloc.h - allocation that succeeds or does not return
 * DESCRIPTION
 *	Each function calls fatalx() when memory runs out, so callers never
 *	test for NULL. xstrdup(NULL) returns NULL.
 */
#ifndef CORRAL_XMALLOC_H
#define CORRAL_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
