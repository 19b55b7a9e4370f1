/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl.h - corralctl's context, exit codes, options and command table
 * SYNOPSIS
 *	#include "ctl.h"
 *
 *	int	ctl_opt_global(struct ctl *ctl, const struct ctl_cmd *cmd,
 *		    int argc, char **argv, int *i);
 *	int	ctl_opt_value(const struct ctl_cmd *cmd, int argc, char **argv,
 *		    int *i, const char *name, const char **val);
 *	int	ctl_opt_seconds(const struct ctl_cmd *cmd, const char *name,
 *		    const char *val, double *secs);
 *	int	ctl_usage(const struct ctl_cmd *cmd, const char *fmt, ...);
 *	void	ctl_errx(const char *fmt, ...);
 *
 *	void	ctl_help_main(FILE *fp);
 *	void	ctl_help_command(FILE *fp, const struct ctl_cmd *cmd);
 *	const struct ctl_cmd *ctl_cmd_find(const char *name);
 * DESCRIPTION
 *	struct ctl is what every command receives: the global options as
 *	given, and (once ctl_api_init has run) the server URL and bearer
 *	token in use. Each command is one struct ctl_cmd exported by its
 *	cmd_*.c file and listed in main.c's table.
 *
 *	The exit codes are part of corralctl's interface: CTL_EXIT_OK on
 *	success; CTL_EXIT_FAIL when the server answered with an error, or
 *	when status finds the daemon not healthy or not ready, when
 *	restart --wait times out, or when secrets list finds the store in
 *	error, or when engines launch sees the engine fail or its wait
 *	run out, or when mcp call's tool reports an error;
 *	CTL_EXIT_USAGE for a usage error (and for a secret's value that
 *	cannot be read);
 *	CTL_EXIT_CONNECT when the server cannot be reached or gives no
 *	valid HTTP answer.
 *
 *	ctl_opt_global consumes the global option at argv[*i] (--url,
 *	--token-file, --json, --timeout, -h/--help), advancing *i past its
 *	value. It returns CTL_OPT_TAKEN, CTL_OPT_HELP for -h/--help,
 *	CTL_OPT_NONE when argv[*i] is not a global option, or CTL_OPT_ERROR
 *	after printing a usage error. cmd is the command being parsed, or
 *	NULL before the command name.
 *
 *	ctl_opt_value matches "--name VALUE" and "--name=VALUE": 1 when it
 *	matched (val set, *i advanced past a separate value), 0 when not,
 *	-1 after a usage error (the value is missing).
 *
 *	ctl_opt_seconds parses a positive number of seconds (at most a
 *	day): 0, or -1 after a usage error.
 *
 *	ctl_usage prints one line, "corralctl: <what> (see corralctl [CMD]
 *	--help)", and returns CTL_EXIT_USAGE. ctl_errx prints
 *	"corralctl: <what>" on stderr.
 *
 *	ctl_help_main prints the synopsis, the command list, the global
 *	options, the token sources and the exit codes. ctl_help_command
 *	prints one command's help. ctl_cmd_find looks a command up by name.
 */
#ifndef CORRAL_CTL_H
#define CORRAL_CTL_H

#include <stdio.h>

#define CTL_PROG		"corralctl"
#define CTL_DEFAULT_URL		"http://127.0.0.1:4000"
#define CTL_DEFAULT_TIMEOUT	10.0	/* seconds: connect, each read */
#define CTL_MAX_TIMEOUT		86400.0

enum ctl_exit {
	CTL_EXIT_OK = 0,		/* success */
	CTL_EXIT_FAIL = 1,		/* error answer, not ready, timeout */
	CTL_EXIT_USAGE = 2,		/* bad command line or environment */
	CTL_EXIT_CONNECT = 3		/* cannot connect, no valid answer */
};

enum ctl_opt_result {
	CTL_OPT_NONE,			/* not a global option */
	CTL_OPT_TAKEN,			/* consumed */
	CTL_OPT_HELP,			/* -h or --help */
	CTL_OPT_ERROR			/* usage error printed */
};

struct http_url;
struct ctl_token;

struct ctl {
	const char	*url_arg;	/* --url, NULL if not given */
	const char	*token_file;	/* --token-file, NULL if not given */
	double		 timeout;	/* --timeout, seconds */
	int		 json;		/* --json */

	/* filled by ctl_api.c on first need */
	char		*url_str;	/* the URL in use, for messages */
	struct http_url	*url;
	int		 token_done;	/* the token sources were tried */
	struct ctl_token *token;	/* NULL: none found */
	char		*token_note;	/* why there is none, for a 401 hint */
};

struct ctl_cmd {
	const char	*name;
	const char	*args;		/* synopsis after the name */
	const char	*summary;	/* one line for the command list */
	const char	*help;		/* description and options */
	int		(*run)(struct ctl *, int, char **);
};

extern const struct ctl_cmd cmd_status_entry;
extern const struct ctl_cmd cmd_workers_entry;
extern const struct ctl_cmd cmd_restart_entry;
extern const struct ctl_cmd cmd_secrets_entry;
extern const struct ctl_cmd cmd_routes_entry;
extern const struct ctl_cmd cmd_gpus_entry;
extern const struct ctl_cmd cmd_engines_entry;
extern const struct ctl_cmd cmd_mcp_entry;
extern const struct ctl_cmd cmd_help_entry;

/* ctl_time.c */
/* ctl_time_now - monotonic seconds */
double	ctl_time_now(void);
/* ctl_time_sleep - sleep secs, through signals */
void	ctl_time_sleep(double);

/* ctl_opt.c */
/* ctl_opt_only_global - a command that takes nothing but the global
 * options: -1 when argv is used up, else the exit code (help, usage) */
int	ctl_opt_only_global(struct ctl *, const struct ctl_cmd *, int, char **);
int	ctl_opt_global(struct ctl *, const struct ctl_cmd *, int, char **,
	    int *);
int	ctl_opt_value(const struct ctl_cmd *, int, char **, int *,
	    const char *, const char **);
int	ctl_opt_seconds(const struct ctl_cmd *, const char *, const char *,
	    double *);
int	ctl_usage(const struct ctl_cmd *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	ctl_errx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* main.c */
void	ctl_help_main(FILE *);
void	ctl_help_command(FILE *, const struct ctl_cmd *);
const struct ctl_cmd *ctl_cmd_find(const char *);

#endif
