/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_json.h - read fields of the server's JSON, print it back
 * SYNOPSIS
 *	#include "ctl_json.h"
 *
 *	const char *ctl_json_str(const cJSON *obj, const char *key);
 *	int	ctl_json_num(const cJSON *obj, const char *key, double *out);
 *	int	ctl_json_bool(const cJSON *obj, const char *key);
 *	char	*ctl_json_text(const cJSON *v);
 *	void	ctl_json_print(FILE *fp, const cJSON *v);
 * DESCRIPTION
 *	The getters never fail on a wrong shape: a field that is missing
 *	or of another type is simply absent, so a newer or older server
 *	still gets a useful display.
 *
 *	ctl_json_str returns a string member or NULL. ctl_json_num sets
 *	*out from a number member and returns 0, or returns -1.
 *	ctl_json_bool returns 1 or 0 for a boolean member, -1 otherwise.
 *
 *	ctl_json_text renders any value for a person (the caller frees the
 *	result): a string as is, a whole number without decimals, true
 *	and false as yes and no, null as "-", an array of scalars joined
 *	with ", ", anything else as compact JSON.
 *
 *	ctl_json_print writes v indented, and a newline.
 */
#ifndef CORRAL_CTL_JSON_H
#define CORRAL_CTL_JSON_H

#include <stdio.h>

#include <cjson/cJSON.h>

/* ctl_json_str - a string member or NULL */
const char	*ctl_json_str(const cJSON *, const char *);

/* ctl_json_num - a number member: 0 and *out, or -1 */
int		 ctl_json_num(const cJSON *, const char *, double *);

/* ctl_json_bool - a boolean member: 1, 0, or -1 if absent */
int		 ctl_json_bool(const cJSON *, const char *);

/* ctl_json_text - any value as text for a person; caller frees */
char		*ctl_json_text(const cJSON *);

/* ctl_json_print - pretty-print v and a newline */
void		 ctl_json_print(FILE *, const cJSON *);

#endif
