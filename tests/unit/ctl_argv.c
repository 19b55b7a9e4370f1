/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_argv - corralctl command lines for the unit tests
 * SYNOPSIS
 *	#include "ctl_argv.h"
 * DESCRIPTION
 *	The tests of corralctl's argument parsers write a command line as
 *	one string and want the one usage line a bad one prints.
 *
 *	ctl_argv_split() splits line at any character of sep ("|" keeps
 *	words with blanks whole) into at most max words and returns how
 *	many. The words are a copy that lives until the next split or
 *	ctl_argv_free() (a test fixture's teardown): what a parser sets
 *	points into it.
 *
 *	ctl_argv_start() gives ctl the defaults of main() (no options,
 *	CTL_DEFAULT_TIMEOUT) and sends stderr to a temporary file, already
 *	unlinked; ctl_argv_end() puts stderr back and reads what was
 *	written into err (NUL-terminated, cut to errlen - 1 bytes).
 * DIAGNOSTICS
 *	A temporary file that cannot be made fails the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "../../ctl/ctl.h"
#include "ctl_argv.h"

static char	*ctl_argv_copy;		/* the words of the last split */

/* ctl_argv_split - line split at any of sep into argv; argc */
int
ctl_argv_split(const char *line, const char *sep, char **argv, int max)
{
	char	*tok, *save = NULL;
	int	 argc = 0;

	free(ctl_argv_copy);
	ctl_argv_copy = strdup(line);
	for (tok = strtok_r(ctl_argv_copy, sep, &save); tok != NULL &&
	    argc < max; tok = strtok_r(NULL, sep, &save))
		argv[argc++] = tok;
	return (argc);
}

/* ctl_argv_free - free the words of the last split */
void
ctl_argv_free(void)
{
	free(ctl_argv_copy);
	ctl_argv_copy = NULL;
}

/* ctl_argv_start - ctl as main() leaves it; stderr to a file */
void
ctl_argv_start(struct ctl *ctl, struct ctl_argv_err *e)
{
	char	path[] = "/tmp/check_ctl_argv.XXXXXX";

	memset(ctl, 0, sizeof(*ctl));
	ctl->timeout = CTL_DEFAULT_TIMEOUT;
	ck_assert_int_ge(e->fd = mkstemp(path), 0);
	unlink(path);
	fflush(stderr);
	e->saved = dup(STDERR_FILENO);
	dup2(e->fd, STDERR_FILENO);
}

/* ctl_argv_end - stderr back; what was written to it into err */
void
ctl_argv_end(struct ctl_argv_err *e, char *err, size_t errlen)
{
	ssize_t	n;

	fflush(stderr);
	dup2(e->saved, STDERR_FILENO);
	close(e->saved);
	n = pread(e->fd, err, errlen - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(e->fd);
}
