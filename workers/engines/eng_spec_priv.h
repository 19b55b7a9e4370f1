/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_spec_priv.h - what the files of the spec module share
 * SYNOPSIS
 *	#include "eng_spec_priv.h"
 * DESCRIPTION
 *	The spec module is two files: eng_spec.c checks a launch request
 *	and resolves its model, eng_spec_body.c turns a spec into the
 *	Docker create body and into its stored JSON and back. Only they
 *	include this header; everybody else uses eng_spec.h.
 */
#ifndef CORRAL_ENG_SPEC_PRIV_H
#define CORRAL_ENG_SPEC_PRIV_H

#include <cjson/cJSON.h>

#include "eng_spec.h"

#define ENG_SPEC_VALUE_MAX	4096	/* an arg, an env value */
#define ENG_SPEC_MODEL_NAME_MAX	255

/* eng_spec_fail - code, field and the formatted line into e (if not
 * NULL); returns -1 */
int		 eng_spec_fail(struct eng_spec_err *e, const char *field,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* eng_spec_name_why - NULL if s is a good engine name, else why */
const char	*eng_spec_name_why(const char *s);

/* eng_spec_gpus - gpus (NULL or null: "all") into s; 0, or -1 and e */
int		 eng_spec_gpus(const cJSON *j, struct eng_spec *s,
		    struct eng_spec_err *e);

/* eng_spec_strings - 1 if j is an array of at most max strings of at
 * most ENG_SPEC_VALUE_MAX bytes, else 0 and the bad index in *bad (-1:
 * not an array or too many) */
int		 eng_spec_strings(const cJSON *j, int max, int *bad);

#endif
