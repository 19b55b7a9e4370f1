/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_opt - corralctl's global options and usage messages
 * SYNOPSIS
 *	See ctl.h.
 * DESCRIPTION
 *	Global options are taken before the command and after it, so both
 *	`corralctl --json workers` and `corralctl workers --json` work.
 *	Each value may be given as "--opt VALUE" or "--opt=VALUE".
 *
 *	The token is deliberately not an option: a value on the command
 *	line shows in ps(1) and in shell history. --token is recognised
 *	only to say so.
 * DIAGNOSTICS
 *	Usage errors are one line on stderr that says what is wrong and
 *	where to read more; the caller exits CTL_EXIT_USAGE.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* ctl_errx - "corralctl: <what>" on stderr */
void
ctl_errx(const char *fmt, ...)
{
	va_list	ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", CTL_PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ctl_usage - one usage error line; returns CTL_EXIT_USAGE */
int
ctl_usage(const struct ctl_cmd *cmd, const char *fmt, ...)
{
	va_list	ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", CTL_PROG);
	if (cmd != NULL)
		fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s%s%s --help)\n", CTL_PROG,
	    cmd != NULL ? " " : "", cmd != NULL ? cmd->name : "");
	return (CTL_EXIT_USAGE);
}

/* ctl_opt_value - match --name VALUE or --name=VALUE: 1, 0, or -1 */
int
ctl_opt_value(const struct ctl_cmd *cmd, int argc, char **argv, int *i,
    const char *name, const char **val)
{
	const char	*arg = argv[*i];
	size_t		 len = strlen(name);

	if (strncmp(arg, name, len) != 0)
		return (0);
	if (arg[len] == '=') {
		*val = arg + len + 1;
	} else if (arg[len] == '\0') {
		if (*i + 1 >= argc) {
			ctl_usage(cmd, "%s needs a value", name);
			return (-1);
		}
		*val = argv[++*i];
	} else
		return (0);
	if (**val == '\0') {
		ctl_usage(cmd, "%s: empty value", name);
		return (-1);
	}
	return (1);
}

/* ctl_opt_seconds - a positive number of seconds; 0 or -1 */
int
ctl_opt_seconds(const struct ctl_cmd *cmd, const char *name, const char *val,
    double *secs)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(val, &end);
	if (errno != 0 || end == val || *end != '\0' || !isfinite(d) ||
	    d <= 0 || d > CTL_MAX_TIMEOUT) {
		ctl_usage(cmd, "%s: '%s' is not a number of seconds "
		    "(0 < SECS <= %.0f)", name, val, CTL_MAX_TIMEOUT);
		return (-1);
	}
	*secs = d;
	return (0);
}

/* ctl_opt_global - consume one global option at argv[*i] */
int
ctl_opt_global(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, int *i)
{
	const char	*arg = argv[*i], *val;
	int		 r;

	if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
		return (CTL_OPT_HELP);
	if (strcmp(arg, "--json") == 0) {
		ctl->json = 1;
		return (CTL_OPT_TAKEN);
	}
	if (strcmp(arg, "--token") == 0 || strncmp(arg, "--token=", 8) == 0) {
		ctl_usage(cmd, "--token is not accepted: the token would show "
		    "in ps; use --token-file FILE or CORRAL_TOKEN");
		return (CTL_OPT_ERROR);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--url", &val)) != 0) {
		if (r == -1)
			return (CTL_OPT_ERROR);
		ctl->url_arg = val;
		return (CTL_OPT_TAKEN);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--token-file",
	    &val)) != 0) {
		if (r == -1)
			return (CTL_OPT_ERROR);
		ctl->token_file = val;
		return (CTL_OPT_TAKEN);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--timeout", &val)) != 0) {
		if (r == -1 || ctl_opt_seconds(cmd, "--timeout", val,
		    &ctl->timeout) == -1)
			return (CTL_OPT_ERROR);
		return (CTL_OPT_TAKEN);
	}
	return (CTL_OPT_NONE);
}
