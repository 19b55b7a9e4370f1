/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_profile_priv.h - what the files of the profile module share
 * SYNOPSIS
 *	#include "eng_profile_priv.h"
 * DESCRIPTION
 *	The profile module is two files: eng_profile.c holds the built-in
 *	profiles, the set and the placeholder expansion, eng_profile_file.c
 *	reads the engines file over the built-ins. Only they include this
 *	header; everybody else uses eng_profile.h.
 */
#ifndef CORRAL_ENG_PROFILE_PRIV_H
#define CORRAL_ENG_PROFILE_PRIV_H

#include <stddef.h>

#include "eng_profile.h"

#define ENG_PROFILES_MAX	64
#define ENG_PROFILE_EXPAND_MAX	4096
#define ENG_PROFILE_STRV_MAX	64	/* entrypoint, args, env */
#define ENG_PROFILE_VOLUMES_MAX	16
#define ENG_PROFILE_PROBE_LEN	256
#define ENG_PROFILE_TIMEOUT_MAX	86400
/* a new profile's defaults for what it does not give */
#define ENG_PROFILE_DEF_TIMEOUT	600
#define ENG_PROFILE_DEF_PROBE	"/v1/models"

/* the placeholders eng_profile_expand_used marks as used */
#define ENG_PH_NAME		0x01u
#define ENG_PH_PORT		0x02u
#define ENG_PH_MODEL		0x04u
#define ENG_PH_MODEL_DIR	0x08u
#define ENG_PH_MODEL_BASE	0x10u

struct eng_profiles {
	struct eng_profile	*v;
	size_t			 n;
	size_t			 cap;
};

/* eng_profiles_builtin - a set holding the built-in profiles */
struct eng_profiles	*eng_profiles_builtin(void);

/* eng_profiles_add - a new empty profile called name, appended to p */
struct eng_profile	*eng_profiles_add(struct eng_profiles *p,
			    const char *name);

/* eng_profile_is_builtin - 1 if name is one of the built-in profiles */
int			 eng_profile_is_builtin(const char *name);

/* eng_profile_strv_free - free what v holds and empty it */
void			 eng_profile_strv_free(struct eng_strv *v);

/* eng_profile_strv_push - append a copy of s to v */
void			 eng_profile_strv_push(struct eng_strv *v,
			    const char *s);

/* eng_profile_expand_used - eng_profile_expand that also ORs the
 * ENG_PH_* of the placeholders s uses into *used (if not NULL) */
char			*eng_profile_expand_used(const char *s,
			    const struct eng_profile_vars *v, unsigned *used,
			    char *err, size_t errlen);

#endif
