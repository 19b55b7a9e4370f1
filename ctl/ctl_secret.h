/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_secret.h - a secret's value for corralctl secrets set
 * SYNOPSIS
 *	#include "ctl_secret.h"
 *
 *	int	ctl_secret_name_ok(const char *name);
 *	int	ctl_secret_from_env(const char *var, char **valp,
 *		    size_t *lenp, char *err, size_t errlen);
 *	int	ctl_secret_from_file(const char *path, char **valp,
 *		    size_t *lenp, char *err, size_t errlen);
 *	int	ctl_secret_from_fd(int fd, const char *what, char **valp,
 *		    size_t *lenp, char *err, size_t errlen);
 *	char	*ctl_secret_body(const char *provider, const char *val,
 *		    size_t len, size_t *outlen);
 *	void	ctl_secret_free(char *val, size_t len);
 * DESCRIPTION
 *	A value never comes from the command line, where ps(1) and shell
 *	history would show it: only from a variable, a file or standard
 *	input.
 *
 *	ctl_secret_name_ok says whether name can be a store entry's name:
 *	1 to CTL_SECRET_NAME_MAX letters, digits, '.', '_' and '-',
 *	starting with a letter or digit.
 *
 *	ctl_secret_from_env copies the variable var; ctl_secret_from_file
 *	reads path; ctl_secret_from_fd reads fd to its end, or one line
 *	with echo off when fd is a terminal (what names the source in
 *	messages). The value loses one trailing newline ("\n" or "\r\n"),
 *	as with `corral secrets set`. Each returns 0 with *valp
 *	(NUL-terminated, *lenp bytes, to be released with
 *	ctl_secret_free), or -1 with one line in err that never quotes the
 *	value: unset, empty, unreadable, over CTL_SECRET_VALUE_MAX bytes,
 *	or holding a NUL byte.
 *
 *	ctl_secret_body renders {"provider":...,"value":...} into one
 *	buffer of exactly the size needed (no reallocation leaves copies
 *	behind); the caller releases it with ctl_secret_free(body,
 *	*outlen).
 *
 *	ctl_secret_free clears len bytes and frees; NULL is fine.
 */
#ifndef CORRAL_CTL_SECRET_H
#define CORRAL_CTL_SECRET_H

#include <stddef.h>

#define CTL_SECRET_NAME_MAX	128
#define CTL_SECRET_VALUE_MAX	(64 * 1024)

/* ctl_secret_name_ok - 1 if name can name a secret */
int	 ctl_secret_name_ok(const char *);

/* ctl_secret_from_env - the value of a variable; 0 or -1 with err */
int	 ctl_secret_from_env(const char *, char **, size_t *, char *, size_t);

/* ctl_secret_from_file - the content of a file; 0 or -1 with err */
int	 ctl_secret_from_file(const char *, char **, size_t *, char *,
	    size_t);

/* ctl_secret_from_fd - everything fd holds; 0 or -1 with err */
int	 ctl_secret_from_fd(int, const char *, char **, size_t *, char *,
	    size_t);

/* ctl_secret_body - {"provider","value"} as JSON; release it */
char	*ctl_secret_body(const char *, const char *, size_t, size_t *);

/* ctl_secret_free - clear len bytes, then free; NULL is fine */
void	 ctl_secret_free(char *, size_t);

#endif
