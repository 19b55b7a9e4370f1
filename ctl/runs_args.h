/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	runs_args.h - the command lines of corralctl skills, runs and run
 * SYNOPSIS
 *	#include "ctl.h"
 *	#include "runs_args.h"
 *
 *	int	runs_args_parse(struct ctl *ctl, const struct ctl_cmd *cmd,
 *		    int argc, char **argv, int submit, struct runs_args *a);
 *	int	runs_args_skills(struct ctl *ctl, const struct ctl_cmd *cmd,
 *		    int argc, char **argv, const char **name);
 *	void	runs_args_free(struct runs_args *a);
 *	cJSON	*runs_args_body(const struct runs_args *a);
 *	int	runs_args_id_ok(const char *id);
 *	int	runs_args_skill_ok(const char *name);
 *	int	runs_args_route_ok(const char *name);
 * DESCRIPTION
 *	runs_args_parse reads the arguments after "runs" (submit 0: the
 *	subcommand, list when there is none, show, logs or cancel, and the
 *	run's id) or after "run" (submit 1: the skill's name), the options
 *	of the subcommand and the global options (ctl_opt_global). It
 *	returns RUNS_ARGS_GO when a is ready, RUNS_ARGS_HELP for -h or
 *	--help (the caller prints the help), or CTL_EXIT_USAGE after
 *	printing one usage line that says what is wrong. The strings in a
 *	point into argv; a->input (run only) is owned by a, which is
 *	freed with runs_args_free whatever the outcome.
 *
 *	--timeout after "run" is the run's timeout (a whole number of
 *	seconds from 1 to RUNS_ARGS_TIMEOUT_MAX; a->timeout, -1 when not
 *	given); after "runs" it is the connect and read timeout.
 *
 *	runs_args_skills reads the arguments after "skills" (a skill's
 *	name, or none) and after "agents" (none): RUNS_ARGS_GO and *name
 *	(NULL: none), RUNS_ARGS_HELP or CTL_EXIT_USAGE.
 *
 *	runs_args_body builds the POST /v1/runs request of run (the
 *	caller deletes it): skill, then what was given of agent, route (a
 *	name, or null for --no-route), input and timeout_s.
 *
 *	runs_args_id_ok says whether id is a run's id (16 lowercase hex
 *	digits); runs_args_skill_ok whether name is a skill's name (1 to
 *	64 of a-z 0-9 . _ -, starting with a letter or a digit);
 *	runs_args_route_ok whether name is a route's name (1 to 64 of A-Z
 *	a-z 0-9 . _ -).
 */
#ifndef CORRAL_RUNS_ARGS_H
#define CORRAL_RUNS_ARGS_H

#include <cjson/cJSON.h>

#define RUNS_ARGS_GO		(-1)	/* parsed: go on */
#define RUNS_ARGS_HELP		(-2)	/* -h or --help */
#define RUNS_ARGS_ID_LEN	16	/* a run's id: lowercase hex */
#define RUNS_ARGS_NAME_MAX	64	/* a skill's or a route's name */
#define RUNS_ARGS_LIMIT_MAX	1000	/* runs --limit */
#define RUNS_ARGS_TAIL_MAX	10000	/* runs logs --tail */
#define RUNS_ARGS_TIMEOUT_MAX	86400	/* run --timeout, seconds */

struct ctl;
struct ctl_cmd;

enum runs_sub {
	RUNS_LIST,
	RUNS_SHOW,
	RUNS_LOGS,
	RUNS_CANCEL,
	RUNS_SUBMIT		/* corralctl run */
};

struct runs_args {
	int		 sub;		/* enum runs_sub */
	const char	*id;		/* show, logs, cancel */
	/* list */
	const char	*state;
	const char	*skill;		/* list: --skill; run: SKILL */
	long		 limit;		/* 0: the server's */
	/* logs */
	const char	*tail;		/* digits or "all"; NULL: default */
	/* run */
	const char	*agent;
	const char	*route;
	int		 no_route;	/* --no-route: route null */
	cJSON		*input;		/* --input, an object; NULL */
	long		 timeout;	/* seconds; -1: the skill's */
	int		 wait;		/* --wait */
};

/* runs_args_parse - RUNS_ARGS_GO, RUNS_ARGS_HELP or CTL_EXIT_USAGE */
int	 runs_args_parse(struct ctl *, const struct ctl_cmd *, int, char **,
	    int, struct runs_args *);

/* runs_args_skills - [NAME] of skills: RUNS_ARGS_GO, _HELP or usage */
int	 runs_args_skills(struct ctl *, const struct ctl_cmd *, int, char **,
	    const char **);

/* runs_args_free - free what parsing built */
void	 runs_args_free(struct runs_args *);

/* runs_args_body - the POST /v1/runs request; the caller deletes it */
cJSON	*runs_args_body(const struct runs_args *);

/* runs_args_id_ok - 1 for 16 lowercase hex digits */
int	 runs_args_id_ok(const char *);

/* runs_args_skill_ok - 1 for a skill's name */
int	 runs_args_skill_ok(const char *);

/* runs_args_route_ok - 1 for a route's name */
int	 runs_args_route_ok(const char *);

#endif
