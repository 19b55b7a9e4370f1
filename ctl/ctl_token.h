/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_token.h - find the bearer token corralctl sends
 * SYNOPSIS
 *	#include "ctl_token.h"
 *
 *	int	ctl_token_load(const char *flag_file, struct ctl_token **tokp,
 *		    char **notep, char *err, size_t errlen);
 *	int	ctl_token_read(const char *path, char **valuep, char *err,
 *		    size_t errlen);
 *	int	ctl_token_valid(const char *value);
 *	void	ctl_token_free(struct ctl_token *tok);
 * DESCRIPTION
 *	The token comes from the first of: the file named by --token-file
 *	(flag_file); $CORRAL_TOKEN; the file named by $CORRAL_TOKEN_FILE;
 *	$CORRAL_STATE_ROOT/admin.token, or ./var/state/admin.token when
 *	CORRAL_STATE_ROOT is unset (the file corral creates on its first
 *	start when no admin token is configured). Empty variables count as
 *	unset. There is deliberately no way to give the token itself on
 *	the command line, where ps(1) would show it.
 *
 *	ctl_token_load returns 0 and sets *tokp, or sets it to NULL when
 *	no source gave a token (then *notep, which the caller frees, says
 *	where it looked, for a hint when the server answers 401). It
 *	returns -1 with err set when a source that was named explicitly
 *	(the flag or a variable) cannot be used: an unreadable or empty
 *	file, a token with characters a header cannot carry. A missing
 *	or unreadable default file is not an error. tok->source names
 *	where the token came from, never the token itself.
 *
 *	ctl_token_read reads a token file: surrounding white space is
 *	dropped; at most CTL_TOKEN_MAX bytes. It returns 0 with *valuep
 *	set, -1 with errno set and err naming the cause.
 *
 *	ctl_token_valid says whether a token may go in a header: 1 to
 *	CTL_TOKEN_MAX visible ASCII characters.
 *
 *	ctl_token_free wipes the token before freeing it; NULL is fine.
 */
#ifndef CORRAL_CTL_TOKEN_H
#define CORRAL_CTL_TOKEN_H

#include <stddef.h>

#define CTL_TOKEN_MAX		4096
#define CTL_TOKEN_DEFAULT_DIR	"./var/state"
#define CTL_TOKEN_FILE_NAME	"admin.token"

struct ctl_token {
	char	*value;		/* secret: never print it */
	char	*source;	/* "--token-file F", "CORRAL_TOKEN", ... */
};

/* ctl_token_load - the token by precedence; 0 (maybe none) or -1 */
int	ctl_token_load(const char *, struct ctl_token **, char **, char *,
	    size_t);

/* ctl_token_read - read and trim a token file; 0 or -1 with err */
int	ctl_token_read(const char *, char **, char *, size_t);

/* ctl_token_valid - 1 if the token can go in a header */
int	ctl_token_valid(const char *);

/* ctl_token_free - wipe and free; NULL is fine */
void	ctl_token_free(struct ctl_token *);

#endif
