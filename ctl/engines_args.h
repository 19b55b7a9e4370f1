/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	engines_args.h - the command line of corralctl engines
 * SYNOPSIS
 *	#include "ctl.h"
 *	#include "engines_args.h"
 *
 *	int	engines_args_parse(struct ctl *ctl, const struct ctl_cmd *cmd,
 *		    int argc, char **argv, struct engines_args *a);
 *	void	engines_args_free(struct engines_args *a);
 *	cJSON	*engines_args_body(const struct engines_args *a);
 *	int	engines_args_name_ok(const char *name);
 * DESCRIPTION
 *	engines_args_parse reads the arguments after "engines": the
 *	subcommand (list when there is none), the engine's name, the
 *	options of the subcommand and the global options (ctl_opt_global).
 *	It returns ENGINES_ARGS_GO when a is ready, ENGINES_ARGS_HELP for
 *	-h or --help (the caller prints the help), or CTL_EXIT_USAGE after
 *	printing one usage line that says what is wrong and where. The
 *	strings in a point into argv. a is freed with engines_args_free
 *	whatever the outcome.
 *
 *	--timeout after the command means: for launch the wait for the
 *	engine to be ready (seconds, default ENGINES_ARGS_WAIT); for
 *	delete the seconds Docker gives the container to stop (0 to 300);
 *	for the others the connect and read timeout, as before it.
 *
 *	engines_args_body builds the POST /v1/engines request of a launch
 *	(the caller deletes it): name, engine and model, then what was
 *	given of gpus ("all", "none" or an array of indices), port, image,
 *	args, env and secret_env.
 *
 *	engines_args_name_ok says whether name is an engine name: 1 to 63
 *	letters, digits, '.', '_' and '-', not starting with '.' or '-'.
 */
#ifndef CORRAL_ENGINES_ARGS_H
#define CORRAL_ENGINES_ARGS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define ENGINES_ARGS_GO		(-1)	/* parsed: go on */
#define ENGINES_ARGS_HELP	(-2)	/* -h or --help */
#define ENGINES_ARGS_WAIT	1800.0	/* launch: seconds to be ready */
#define ENGINES_ARGS_NAME_MAX	63
#define ENGINES_ARGS_STOP_MAX	300	/* delete --timeout */
#define ENGINES_ARGS_TAIL_MAX	10000

struct ctl;
struct ctl_cmd;

enum engines_sub {
	ENGINES_LIST,
	ENGINES_SHOW,
	ENGINES_LAUNCH,
	ENGINES_LOGS,
	ENGINES_DELETE
};

/* repeated options: the values, in order */
struct engines_strs {
	const char	**v;
	size_t		  n;
};

struct engines_args {
	int		 sub;		/* enum engines_sub */
	const char	*name;
	/* launch */
	const char	*engine;
	const char	*model;
	const char	*gpus;		/* "all", "none", "0,1"; NULL */
	const char	*image;
	long		 port;		/* 0: the profile's */
	struct engines_strs args;	/* --arg */
	struct engines_strs env;	/* --env K=V */
	struct engines_strs secret_env;	/* --secret-env VAR=SECRET */
	int		 no_wait;
	double		 wait;		/* seconds */
	/* logs */
	const char	*tail;		/* "N" or "all"; NULL: the server's */
	int		 follow;
	/* delete */
	long		 stop;		/* seconds; -1: the server's */
};

/* engines_args_parse - ENGINES_ARGS_GO, ENGINES_ARGS_HELP or CTL_EXIT_USAGE */
int	 engines_args_parse(struct ctl *, const struct ctl_cmd *, int, char **,
	    struct engines_args *);

/* engines_args_free - free what parsing allocated */
void	 engines_args_free(struct engines_args *);

/* engines_args_body - the launch request; the caller deletes it */
cJSON	*engines_args_body(const struct engines_args *);

/* engines_args_name_ok - 1 for a valid engine name */
int	 engines_args_name_ok(const char *);

#endif
