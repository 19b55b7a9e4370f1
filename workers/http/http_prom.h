/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_prom.h - write the Prometheus text exposition format 0.0.4
 * SYNOPSIS
 *	void	http_prom_init(struct http_prom *p, struct evbuffer *out);
 *	void	http_prom_fini(struct http_prom *p);
 *	int	http_prom_family(struct http_prom *p, const char *name,
 *		    const char *type, const char *help);
 *	void	http_prom_sample(struct http_prom *p, const char *suffix,
 *		    const struct http_prom_labels *l, double v);
 *	void	http_prom_labels_init(struct http_prom_labels *l);
 *	void	http_prom_label(struct http_prom_labels *l, const char *name,
 *		    const char *value);
 *	void	http_prom_label_num(struct http_prom_labels *l,
 *		    const char *name, double value);
 *	size_t	http_prom_value(double v, char *buf, size_t len);
 * DESCRIPTION
 *	A struct http_prom appends to an evbuffer. http_prom_family starts
 *	a metric family (its # HELP and # TYPE lines); the samples that
 *	follow belong to it, named after it plus suffix ("" or "_bucket",
 *	"_sum", "_count"). A family already written is refused (0), and
 *	so is a sample whose label set was already written in the current
 *	family: each family appears once, each series once.
 *
 *	A struct http_prom_labels is a label set being built, in order,
 *	values escaped as the format wants.
 */
#ifndef CORRAL_HTTP_PROM_H
#define CORRAL_HTTP_PROM_H

#include <stddef.h>

#include <event2/buffer.h>

#define HTTP_PROM_LABELS_MAX	1024	/* one escaped label set */
#define HTTP_PROM_NAME_MAX	128	/* a family name */
#define HTTP_PROM_VALUE_LEN	32	/* a formatted value, NUL included */

struct http_prom_labels {
	char	buf[HTTP_PROM_LABELS_MAX];	/* a="x",b="y" */
	size_t	len;
	int	full;				/* a label did not fit */
};

struct http_prom {
	struct evbuffer	 *out;
	char		  family[HTTP_PROM_NAME_MAX];	/* "" before one */
	char		**names;	/* families written */
	size_t		  nnames;
	char		**series;	/* label sets of the current family */
	size_t		  nseries;
	size_t		  nsamples;	/* in all */
};

/* http_prom_init - write to out */
void	http_prom_init(struct http_prom *p, struct evbuffer *out);

/* http_prom_fini - free what p keeps (not out) */
void	http_prom_fini(struct http_prom *p);

/* http_prom_family - # HELP and # TYPE of a new family; 0 if written before */
int	http_prom_family(struct http_prom *p, const char *name,
	    const char *type, const char *help);

/* http_prom_sample - one sample of the current family; dropped if a repeat */
void	http_prom_sample(struct http_prom *p, const char *suffix,
	    const struct http_prom_labels *l, double v);

/* http_prom_labels_init - an empty label set */
void	http_prom_labels_init(struct http_prom_labels *l);

/* http_prom_label - add name="value", the value escaped */
void	http_prom_label(struct http_prom_labels *l, const char *name,
	    const char *value);

/* http_prom_label_num - add name="value" for a number */
void	http_prom_label_num(struct http_prom_labels *l, const char *name,
	    double value);

/* http_prom_value - v as the format writes it: 1, 0.25, +Inf, NaN */
size_t	http_prom_value(double v, char *buf, size_t len);

#endif
