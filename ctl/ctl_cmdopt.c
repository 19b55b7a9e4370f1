/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_cmdopt - the argument loop of commands that take no arguments
 * DESCRIPTION
 *	ctl_opt_only_global serves commands such as `gpus` and `routes`
 *	that accept nothing but the global options. It lives apart from
 *	ctl_opt.c because it prints command help (main.c), which the unit
 *	tests of the option parser do not link.
 */
#include <stdio.h>

#include "ctl.h"

/* ctl_opt_only_global - only global options; -1 when used up, else exit */
int
ctl_opt_only_global(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	int	i;

	for (i = 0; i < argc; i++) {
		switch (ctl_opt_global(ctl, cmd, argc, argv, &i)) {
		case CTL_OPT_TAKEN:
			continue;
		case CTL_OPT_HELP:
			ctl_help_command(stdout, cmd);
			return (CTL_EXIT_OK);
		case CTL_OPT_ERROR:
			return (CTL_EXIT_USAGE);
		default:
			break;
		}
		if (argv[i][0] == '-')
			return (ctl_usage(cmd, "unknown option '%s'", argv[i]));
		return (ctl_usage(cmd, "unexpected argument '%s'", argv[i]));
	}
	return (-1);
}
