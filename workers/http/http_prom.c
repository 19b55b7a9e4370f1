/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_prom - write the Prometheus text exposition format 0.0.4
 * SYNOPSIS
 *	#include "http_prom.h"
 * DESCRIPTION
 *	The text format, as Prometheus and promtool read it:
 *
 *	  # HELP name text	text with '\' as "\\" and a newline as "\n"
 *	  # TYPE name type	counter, gauge, histogram, summary, untyped
 *	  name{a="x",b="y"} value
 *
 *	Label values escape '\' as "\\", '"' as "\"" and a newline as "\n",
 *	and must be UTF-8: a byte that does not start a well-formed UTF-8
 *	sequence is written as '?', so a GPU name from a driver or a file
 *	name cannot make the whole page unreadable. Values are written the
 *	shortest way that reads back the same (%.15g, else %.17g), with
 *	+Inf, -Inf and NaN spelt as the format wants.
 *
 *	All samples of a family must follow its TYPE line without another
 *	family between them, and a family may appear only once: the
 *	callers write family by family, and http_prom_family() refuses a
 *	name it has written before, so a bug shows as a missing family in
 *	a test rather than a page Prometheus rejects. Within a family a
 *	repeated label set (two GPUs reporting the same index, two disks of
 *	one name) is dropped after the first.
 *
 *	Names of families and labels are our own constants and are not
 *	checked here; the unit tests run every page through the rules.
 * DIAGNOSTICS
 *	None: a label set over HTTP_PROM_LABELS_MAX drops its sample.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "utf8.h"
#include "xmalloc.h"

#include "http_prom.h"

/* http_prom_init - write to out */
void
http_prom_init(struct http_prom *p, struct evbuffer *out)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
}

/* http_prom_series_clear - forget the label sets of the current family */
static void
http_prom_series_clear(struct http_prom *p)
{
	size_t	i;

	for (i = 0; i < p->nseries; i++)
		free(p->series[i]);
	free(p->series);
	p->series = NULL;
	p->nseries = 0;
}

/* http_prom_fini - free what p keeps (not out) */
void
http_prom_fini(struct http_prom *p)
{
	size_t	i;

	http_prom_series_clear(p);
	for (i = 0; i < p->nnames; i++)
		free(p->names[i]);
	free(p->names);
	p->names = NULL;
	p->nnames = 0;
}

/* http_prom_help - the HELP text escaped: '\' and newline */
static void
http_prom_help(struct evbuffer *out, const char *help)
{
	for (; *help != '\0'; help++) {
		if (*help == '\\')
			evbuffer_add(out, "\\\\", 2);
		else if (*help == '\n')
			evbuffer_add(out, "\\n", 2);
		else
			evbuffer_add(out, help, 1);
	}
}

/* http_prom_family - # HELP and # TYPE of a new family; 0 if written before */
int
http_prom_family(struct http_prom *p, const char *name, const char *type,
    const char *help)
{
	size_t	i;

	for (i = 0; i < p->nnames; i++)
		if (strcmp(p->names[i], name) == 0)
			return (0);
	if (strlen(name) >= sizeof(p->family))
		return (0);
	p->names = xrealloc(p->names, (p->nnames + 1) * sizeof(*p->names));
	p->names[p->nnames++] = xstrdup(name);
	snprintf(p->family, sizeof(p->family), "%s", name);
	http_prom_series_clear(p);
	evbuffer_add_printf(p->out, "# HELP %s ", name);
	http_prom_help(p->out, help);
	evbuffer_add_printf(p->out, "\n# TYPE %s %s\n", name, type);
	return (1);
}

/* http_prom_value - v as the format writes it: 1, 0.25, +Inf, NaN */
size_t
http_prom_value(double v, char *buf, size_t len)
{
	int	n;

	if (isnan(v))
		n = snprintf(buf, len, "NaN");
	else if (isinf(v))
		n = snprintf(buf, len, "%s", v > 0 ? "+Inf" : "-Inf");
	else if (v == 0)
		n = snprintf(buf, len, "0");	/* no "-0" */
	else {
		n = snprintf(buf, len, "%.15g", v);
		if (strtod(buf, NULL) != v)
			n = snprintf(buf, len, "%.17g", v);
	}
	return (n < 0 ? 0 : (size_t)n);
}

/* http_prom_seen - note the series key of the current family; 1 if a repeat */
static int
http_prom_seen(struct http_prom *p, const char *key)
{
	size_t	i;

	for (i = 0; i < p->nseries; i++)
		if (strcmp(p->series[i], key) == 0)
			return (1);
	p->series = xrealloc(p->series, (p->nseries + 1) *
	    sizeof(*p->series));
	p->series[p->nseries++] = xstrdup(key);
	return (0);
}

/* http_prom_sample - one sample of the current family; dropped if a repeat */
void
http_prom_sample(struct http_prom *p, const char *suffix,
    const struct http_prom_labels *l, double v)
{
	char	 val[HTTP_PROM_VALUE_LEN], *key;
	int	 labels = l != NULL && l->len > 0;

	if (p->family[0] == '\0' || (l != NULL && l->full))
		return;
	xasprintf(&key, "%s{%s}", suffix, labels ? l->buf : "");
	if (http_prom_seen(p, key)) {
		free(key);
		return;
	}
	free(key);
	http_prom_value(v, val, sizeof(val));
	evbuffer_add_printf(p->out, "%s%s%s%s%s %s\n", p->family, suffix,
	    labels ? "{" : "", labels ? l->buf : "", labels ? "}" : "", val);
	p->nsamples++;
}

/* http_prom_labels_init - an empty label set */
void
http_prom_labels_init(struct http_prom_labels *l)
{
	l->buf[0] = '\0';
	l->len = 0;
	l->full = 0;
}

/* http_prom_put - append n bytes to l; 0 if they do not fit */
static int
http_prom_put(struct http_prom_labels *l, const void *b, size_t n)
{
	if (l->full || l->len + n >= sizeof(l->buf)) {
		l->full = 1;
		return (0);
	}
	memcpy(l->buf + l->len, b, n);
	l->len += n;
	l->buf[l->len] = '\0';
	return (1);
}

/* http_prom_label - add name="value", the value escaped */
void
http_prom_label(struct http_prom_labels *l, const char *name,
    const char *value)
{
	const unsigned char	*s = (const unsigned char *)value;
	const unsigned char	*end = s + strlen(value);
	size_t			 n;

	if (l->len > 0)
		http_prom_put(l, ",", 1);
	http_prom_put(l, name, strlen(name));
	http_prom_put(l, "=\"", 2);
	while (*s != '\0') {
		if (*s == '\\')
			http_prom_put(l, "\\\\", 2);
		else if (*s == '"')
			http_prom_put(l, "\\\"", 2);
		else if (*s == '\n')
			http_prom_put(l, "\\n", 2);
		else if ((n = utf8_seq(s, (size_t)(end - s))) == 0)
			http_prom_put(l, "?", 1);
		else {
			http_prom_put(l, s, n);
			s += n;
			continue;
		}
		s++;
	}
	http_prom_put(l, "\"", 1);
}

/* http_prom_label_num - add name="value" for a number */
void
http_prom_label_num(struct http_prom_labels *l, const char *name,
    double value)
{
	char	buf[HTTP_PROM_VALUE_LEN];

	http_prom_value(value, buf, sizeof(buf));
	http_prom_label(l, name, buf);
}
