/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_argv.h - corralctl command lines for the unit tests
 * SYNOPSIS
 *	int	ctl_argv_split(const char *line, const char *sep, char **argv,
 *		    int max);
 *	void	ctl_argv_free(void);
 *	void	ctl_argv_start(struct ctl *ctl, struct ctl_argv_err *e);
 *	void	ctl_argv_end(struct ctl_argv_err *e, char *err,
 *		    size_t errlen);
 * DESCRIPTION
 *	See ctl_argv.c. Used by check_ctl_engines.c, check_ctl_mcp.c and
 *	check_ctl_skills.c to drive their argument parsers.
 */
#ifndef CORRAL_CTL_ARGV_H
#define CORRAL_CTL_ARGV_H

#include <stddef.h>

struct ctl;

/* stderr while a parser runs */
struct ctl_argv_err {
	int	fd;		/* the temporary file it goes to */
	int	saved;		/* the real stderr */
};

/* ctl_argv_split - line split at any of sep into argv; argc */
int	ctl_argv_split(const char *line, const char *sep, char **argv,
	    int max);

/* ctl_argv_free - free the words of the last split */
void	ctl_argv_free(void);

/* ctl_argv_start - ctl as main() leaves it; stderr to a file */
void	ctl_argv_start(struct ctl *ctl, struct ctl_argv_err *e);

/* ctl_argv_end - stderr back; what was written to it into err */
void	ctl_argv_end(struct ctl_argv_err *e, char *err, size_t errlen);

#endif
