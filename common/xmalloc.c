/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	xmalloc - allocation that succeeds or does not return
 * DESCRIPTION
 *	Thin wrappers over the C library allocators. Running out of memory
 *	is not something a corral process can recover from in a useful way,
 *	so each wrapper calls fatalx() instead of returning NULL, and callers
 *	stay free of NULL checks. A request for zero bytes is our own bug.
 * DIAGNOSTICS
 *	fatalx on exhaustion, on overflow of nmemb * size, and on size 0.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* xmalloc - malloc or die */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatalx("xmalloc: allocating %zu bytes: out of memory", size);
	return (p);
}

/* xcalloc - calloc or die */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if (SIZE_MAX / nmemb < size)
		fatalx("xcalloc: %zu * %zu overflows", nmemb, size);
	if ((p = calloc(nmemb, size)) == NULL)
		fatalx("xcalloc: allocating %zu * %zu bytes: out of memory",
		    nmemb, size);
	return (p);
}

/* xrealloc - realloc or die */
void *
xrealloc(void *ptr, size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xrealloc: zero size");
	if ((p = realloc(ptr, size)) == NULL)
		fatalx("xrealloc: allocating %zu bytes: out of memory", size);
	return (p);
}

/* xstrdup - strdup or die; NULL stays NULL */
char *
xstrdup(const char *s)
{
	char	*p;

	if (s == NULL)
		return (NULL);
	if ((p = strdup(s)) == NULL)
		fatalx("xstrdup: out of memory");
	return (p);
}

/* xasprintf - vasprintf or die; returns the length */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatalx("xasprintf: out of memory");
	return (n);
}
