/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_check.h - check-config's look at the master key
 */
#ifndef CORRAL_SECRETS_CHECK_H
#define CORRAL_SECRETS_CHECK_H

#include <stddef.h>

/* secrets_check_key - the configured key is well formed and fits the
 * store under state_root; 0, or 2 with one line in err */
int	secrets_check_key(const char *state_root, char *err, size_t errlen);

#endif
