/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	prom_check.h - read a Prometheus page strictly, for the unit tests
 * SYNOPSIS
 *	int	check_prom_page(const char *page, char *why, size_t whylen);
 *	int	check_has_line(const char *page, const char *line);
 *	extern const char check_metrics_sample[];
 * DESCRIPTION
 *	See prom_check.c. Used by check_http_metrics.c and
 *	check_http_metrics_srv.c.
 */
#ifndef CORRAL_PROM_CHECK_H
#define CORRAL_PROM_CHECK_H

#include <stddef.h>

/* a MSG_GPU_SAMPLE reply: GPU 1 has nulls and an odd name */
extern const char	check_metrics_sample[];

/* check_prom_page - is page good text format 0.0.4? 0, or -1 and why */
int	check_prom_page(const char *page, char *why, size_t whylen);

/* check_has_line - is line one whole line of page? */
int	check_has_line(const char *page, const char *line);

#endif
