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
 *	ctl_opt_scan is the argument loop of engines, mcp, runs, run,
 *	skills and agents: words and options in any order, "--" ending
 *	the options, a lone "-" a word; the command's own options are
 *	tried before the global ones.
 *	ctl_opt_table and ctl_opt_not_of read and check those own options
 *	from a table, so that a command collects them all first and
 *	checks them against its subcommand once that is known.
 *
 *	The token is deliberately not an option: a value on the command
 *	line shows in ps(1) and in shell history. --token is recognised
 *	only to say so.
 * DIAGNOSTICS
 *	Usage errors are one line on stderr that says what is wrong and
 *	where to read more; the caller exits CTL_EXIT_USAGE.
 */
#include <ctype.h>
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

/* ctl_opt_scan - words to word, options to own then ctl_opt_global */
int
ctl_opt_scan(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, ctl_opt_own_fn *own, ctl_opt_word_fn *word, void *arg)
{
	int	i, r, opts = 1;

	for (i = 0; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (!opts || argv[i][0] != '-' || argv[i][1] == '\0') {
			if (word(cmd, argv[i], arg) != 0)
				return (CTL_OPT_ERROR);
			continue;
		}
		if (own != NULL && (r = own(cmd, argc, argv, &i, arg)) != 0) {
			if (r == -1)
				return (CTL_OPT_ERROR);
			continue;
		}
		switch (ctl_opt_global(ctl, cmd, argc, argv, &i)) {
		case CTL_OPT_TAKEN:
			continue;
		case CTL_OPT_HELP:
			return (CTL_OPT_HELP);
		case CTL_OPT_ERROR:
			return (CTL_OPT_ERROR);
		default:
			ctl_usage(cmd, "unknown option '%s'", argv[i]);
			return (CTL_OPT_ERROR);
		}
	}
	return (CTL_OPT_TAKEN);
}

/* ctl_opt_table - the option of defs at argv[*i]: 1 and *id, 0, or -1 */
int
ctl_opt_table(const struct ctl_cmd *cmd, int argc, char **argv, int *i,
    const struct ctl_opt_def *defs, int n, int *given, const char **val,
    int *id)
{
	const char	*v = NULL;
	int		 k, r;

	for (k = 0; k < n; k++) {
		if (defs[k].kind == CTL_OPT_FLAG) {
			if (strcmp(argv[*i], defs[k].name) != 0)
				continue;
		} else if ((r = ctl_opt_value(cmd, argc, argv, i, defs[k].name,
		    &v)) == 0)
			continue;
		else if (r == -1)
			return (-1);
		if (given[k] && defs[k].kind != CTL_OPT_VALUES) {
			ctl_usage(cmd, "%s given twice", defs[k].name);
			return (-1);
		}
		given[k] = 1;
		val[k] = v;
		*id = k;
		return (1);
	}
	return (0);
}

/* ctl_opt_not_of - an option given that sub does not take: usage; 0 */
int
ctl_opt_not_of(const struct ctl_cmd *cmd, const struct ctl_opt_def *defs,
    int n, const int *given, int sub, const char *subname)
{
	int	k;

	for (k = 0; k < n; k++)
		if (given[k] && !(defs[k].subs & (1 << sub)))
			return (ctl_usage(cmd, "%s is not an option of %s",
			    defs[k].name, subname));
	return (0);
}

/* ctl_opt_long - a whole number from lo to hi, digits only: 0, or -1 */
int
ctl_opt_long(const char *s, long lo, long hi, long *out)
{
	char	*end;
	long	 v;

	if (!isdigit((unsigned char)s[0]))
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return (-1);
	*out = v;
	return (0);
}

/* ctl_opt_tail - --tail: 0 to max lines or "all": 0, or usage */
int
ctl_opt_tail(const struct ctl_cmd *cmd, const char *val, long max)
{
	long	lines;

	if (strcmp(val, "all") == 0 || ctl_opt_long(val, 0, max, &lines) == 0)
		return (0);
	return (ctl_usage(cmd, "--tail: '%s' is not a number of lines from 0 "
	    "to %ld, or all", val, max));
}
