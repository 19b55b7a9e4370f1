/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpus_view.h - show a GPU and host sample for people
 * SYNOPSIS
 *	#include "gpus_view.h"
 *
 *	int	gpus_view_print(FILE *fp, const cJSON *sample);
 *	char	*gpus_view_num(const cJSON *o, const char *key,
 *		    const char *unit, char *buf, size_t len);
 *	char	*gpus_view_pair(const cJSON *o, const char *a, const char *b,
 *		    const char *unit, char *buf, size_t len);
 *	char	*gpus_view_bytes(const cJSON *o, const char *key,
 *		    double scale, char *buf, size_t len);
 * DESCRIPTION
 *	gpus_view_print writes the answer of GET /v1/gpus: a source line
 *	("source: nvml, driver 550.54.15", or "no NVIDIA GPU" and why),
 *	the GPU table INDEX NAME UTIL MEM TEMP POWER FAN, one host line
 *	(CPU, load, memory available of total, free space of each root)
 *	and the table of corral processes NAME PID RSS CPU. It returns -1
 *	(printing nothing) when sample is not an object.
 *
 *	The helpers write one value, or "-" when the member is null or
 *	absent, and return buf (GPUS_VIEW_LEN bytes are always enough):
 *	gpus_view_num a number and its unit, whole numbers without
 *	decimals, others with one ("37%", "88.5 W"); gpus_view_pair two
 *	numbers "used/total unit" with "-" for a missing one ("-/40960
 *	MiB"), or "-" when both are; gpus_view_bytes a size, the member
 *	times scale in bytes, in B, KiB, MiB, GiB or TiB ("1.5 GiB").
 */
#ifndef CORRAL_GPUS_VIEW_H
#define CORRAL_GPUS_VIEW_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define GPUS_VIEW_LEN	64

/* gpus_view_print - the whole sample for people; -1 if not an object */
int	 gpus_view_print(FILE *, const cJSON *);

/* gpus_view_num - "37%", "88.5 W", or "-"; returns buf */
char	*gpus_view_num(const cJSON *, const char *, const char *, char *,
	    size_t);

/* gpus_view_pair - "1024/40960 MiB", "-/40960 MiB", or "-"; returns buf */
char	*gpus_view_pair(const cJSON *, const char *, const char *,
	    const char *, char *, size_t);

/* gpus_view_bytes - "1.5 GiB", "512 B", or "-"; returns buf */
char	*gpus_view_bytes(const cJSON *, const char *, double, char *, size_t);

#endif
