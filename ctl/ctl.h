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
 *	int	ctl_opt_scan(struct ctl *ctl, const struct ctl_cmd *cmd,
 *		    int argc, char **argv, ctl_opt_own_fn *own,
 *		    ctl_opt_word_fn *word, void *arg);
 *	int	ctl_opt_table(const struct ctl_cmd *cmd, int argc,
 *		    char **argv, int *i, const struct ctl_opt_def *defs,
 *		    int n, int *given, const char **val, int *id);
 *	int	ctl_opt_not_of(const struct ctl_cmd *cmd,
 *		    const struct ctl_opt_def *defs, int n, const int *given,
 *		    int sub, const char *subname);
 *	int	ctl_opt_long(const char *s, long lo, long hi, long *out);
 *	int	ctl_opt_tail(const struct ctl_cmd *cmd, const char *val,
 *		    long max);
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
 *	run out, or when mcp call's tool reports an error, or when run
 *	--wait sees the run end other than succeeded;
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
 *	ctl_opt_scan walks argv in order. "--" ends the options; a word
 *	(what does not start with '-', a lone "-", anything after "--")
 *	goes to word(cmd, w, arg), which returns 0, or CTL_EXIT_USAGE
 *	after a usage line. An option goes to own(cmd, argc, argv, &i,
 *	arg) (own may be NULL), which returns 1 when it took it (i past
 *	its value), 0 when it is not the command's, or -1 after a usage
 *	line; then to ctl_opt_global; one neither knows is "unknown
 *	option". It returns CTL_OPT_TAKEN once every argument is taken,
 *	CTL_OPT_HELP at -h or --help (what follows is not read), or
 *	CTL_OPT_ERROR after a usage line.
 *
 *	ctl_opt_table matches argv[*i] against a command's n options,
 *	defs[id] each: a CTL_OPT_FLAG by its name, a CTL_OPT_VALUE or
 *	CTL_OPT_VALUES as ctl_opt_value does. It returns 1 with *id, and
 *	given[*id] and val[*id] (the value, NULL for a flag) set; 0 when
 *	argv[*i] is none of them; or -1 after a usage line (a value
 *	missing, or "--x given twice" but for CTL_OPT_VALUES).
 *	ctl_opt_not_of refuses the first option given that subcommand sub
 *	(bit 1 << sub of defs[id].subs) does not take: "--x is not an
 *	option of subname", CTL_EXIT_USAGE; else 0.
 *
 *	ctl_opt_long parses a whole number from lo to hi, digits only: 0,
 *	or -1. ctl_opt_tail checks a log's --tail, 0 to max lines or
 *	"all": 0, or CTL_EXIT_USAGE after "--tail: 'x' is not a number of
 *	lines from 0 to max, or all".
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
extern const struct ctl_cmd cmd_skills_entry;
extern const struct ctl_cmd cmd_agents_entry;
extern const struct ctl_cmd cmd_runs_entry;
extern const struct ctl_cmd cmd_run_entry;
extern const struct ctl_cmd cmd_help_entry;

/* ctl_time.c */
/* ctl_time_now - monotonic seconds */
double	ctl_time_now(void);
/* ctl_time_sleep - sleep secs, through signals */
void	ctl_time_sleep(double);

/* ctl_opt.c */
/* what ctl_opt_scan hands a command: a word (0, or CTL_EXIT_USAGE after a
 * usage line); an option at argv[*i] (1 taken, 0 not its own, -1 after a
 * usage line) */
typedef int ctl_opt_word_fn(const struct ctl_cmd *, const char *, void *);
typedef int ctl_opt_own_fn(const struct ctl_cmd *, int, char **, int *,
	    void *);

/* an option of a command with subcommands, for ctl_opt_table */
struct ctl_opt_def {
	const char	*name;		/* "--tail" */
	int		 kind;		/* enum ctl_opt_kind */
	int		 subs;		/* 1 << sub of those that take it */
};

enum ctl_opt_kind {
	CTL_OPT_FLAG,			/* no value */
	CTL_OPT_VALUE,			/* one value, given once */
	CTL_OPT_VALUES			/* one value, may be given again */
};

/* ctl_opt_only_global - a command that takes nothing but the global
 * options: -1 when argv is used up, else the exit code (help, usage) */
int	ctl_opt_only_global(struct ctl *, const struct ctl_cmd *, int, char **);
int	ctl_opt_global(struct ctl *, const struct ctl_cmd *, int, char **,
	    int *);
int	ctl_opt_value(const struct ctl_cmd *, int, char **, int *,
	    const char *, const char **);
int	ctl_opt_seconds(const struct ctl_cmd *, const char *, const char *,
	    double *);
/* ctl_opt_scan - words to word, options to own then ctl_opt_global */
int	ctl_opt_scan(struct ctl *, const struct ctl_cmd *, int, char **,
	    ctl_opt_own_fn *, ctl_opt_word_fn *, void *);
/* ctl_opt_table - the option of defs at argv[*i]: 1 and *id, 0, or -1 */
int	ctl_opt_table(const struct ctl_cmd *, int, char **, int *,
	    const struct ctl_opt_def *, int, int *, const char **, int *);
/* ctl_opt_not_of - an option given that sub does not take: usage; 0 */
int	ctl_opt_not_of(const struct ctl_cmd *, const struct ctl_opt_def *, int,
	    const int *, int, const char *);
/* ctl_opt_long - a whole number from lo to hi, digits only: 0, or -1 */
int	ctl_opt_long(const char *, long, long, long *);
/* ctl_opt_tail - --tail: 0 to max lines or "all": 0, or usage */
int	ctl_opt_tail(const struct ctl_cmd *, const char *, long);
int	ctl_usage(const struct ctl_cmd *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	ctl_errx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* main.c */
void	ctl_help_main(FILE *);
void	ctl_help_command(FILE *, const struct ctl_cmd *);
const struct ctl_cmd *ctl_cmd_find(const char *);

#endif
