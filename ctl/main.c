/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	corralctl - command-line client of corral's HTTP control plane
 * SYNOPSIS
 *	corralctl [--url URL] [--token-file FILE] [--json] [--timeout SECS]
 *		COMMAND [ARGS]
 * DESCRIPTION
 *	main() takes the global options that come before the command,
 *	finds the command in ctl_cmds[] and hands it the rest of the
 *	arguments; each command takes the global options again, so they
 *	may come after it too. This file also prints the help, since it
 *	owns the command table.
 *
 *	Exit codes: 0 success; 1 the server answered with an error, or
 *	status found the daemon not healthy or not ready, or restart
 *	--wait timed out, or engines launch saw the engine fail or not get
 *	ready in time, or mcp call's tool reported an error, or run --wait
 *	saw the run end other than succeeded; 2 usage
 *	error; 3 cannot connect or no valid answer. See corralctl(1).
 * DIAGNOSTICS
 *	Every message is one line on stderr starting "corralctl: ".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#include "ctl.h"
#include "ctl_api.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION	"unknown"
#endif

static int	ctl_help_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_help_entry = {
	.name = "help",
	.args = "[COMMAND]",
	.summary = "list the commands, or explain one",
	.help = "Without COMMAND, the same as corralctl --help.\n",
	.run = ctl_help_run,
};

static const struct ctl_cmd *const ctl_cmds[] = {
	&cmd_status_entry,
	&cmd_workers_entry,
	&cmd_restart_entry,
	&cmd_secrets_entry,
	&cmd_routes_entry,
	&cmd_gpus_entry,
	&cmd_engines_entry,
	&cmd_mcp_entry,
	&cmd_skills_entry,
	&cmd_agents_entry,
	&cmd_runs_entry,
	&cmd_run_entry,
	&cmd_help_entry,
};

#define CTL_NCMDS	(sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static const char ctl_help_globals[] =
    "Options (before or after the command):\n"
    "  --url URL          server, http://HOST[:PORT][/PREFIX] (default:\n"
    "                     $CORRAL_URL, else " CTL_DEFAULT_URL ")\n"
    "  --token-file FILE  read the bearer token from FILE\n"
    "  --json             print the server's JSON instead of tables\n"
    "  --timeout SECS     connect and read timeout (default 10)\n"
    "  -h, --help         show help\n"
    "  --version          print corralctl's version\n";

static const char ctl_help_tail[] =
    "Token, for /v1 calls: --token-file FILE, else $CORRAL_TOKEN, else\n"
    "the file $CORRAL_TOKEN_FILE, else $CORRAL_STATE_ROOT/admin.token\n"
    "(./var/state/admin.token when CORRAL_STATE_ROOT is unset). The token\n"
    "itself is never taken on the command line.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  the server answered with an error; status: not healthy or not\n"
    "     ready; restart --wait: timed out or the worker failed;\n"
    "     secrets list: the store is in error; engines launch: the\n"
    "     engine failed, or is not ready within --timeout; mcp call:\n"
    "     the tool reported an error; run --wait: the run failed,\n"
    "     timed out or was canceled\n"
    "  2  usage error; secrets set: a value that cannot be read\n"
    "  3  cannot connect to the server, or no valid answer\n";

/* ctl_cmd_find - a command by name, NULL if there is none */
const struct ctl_cmd *
ctl_cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < CTL_NCMDS; i++)
		if (strcmp(ctl_cmds[i]->name, name) == 0)
			return (ctl_cmds[i]);
	return (NULL);
}

/* ctl_help_main - synopsis, commands, options, token, exit codes */
void
ctl_help_main(FILE *fp)
{
	char	syn[64];
	size_t	i;

	fprintf(fp, "usage: %s [OPTIONS] COMMAND [ARGS]\n\n"
	    "Client of the corral control-plane HTTP API.\n\n"
	    "Commands:\n", CTL_PROG);
	for (i = 0; i < CTL_NCMDS; i++) {
		snprintf(syn, sizeof(syn), "%s %s", ctl_cmds[i]->name,
		    ctl_cmds[i]->args);
		fprintf(fp, "  %-24s %s\n", syn, ctl_cmds[i]->summary);
	}
	fprintf(fp, "\n%s\n%s\nRun '%s COMMAND --help' for one command.\n",
	    ctl_help_globals, ctl_help_tail, CTL_PROG);
}

/* ctl_help_command - one command's synopsis and help */
void
ctl_help_command(FILE *fp, const struct ctl_cmd *cmd)
{
	fprintf(fp, "usage: %s [OPTIONS] %s%s%s\n\n%s.\n\n%s\n%s", CTL_PROG,
	    cmd->name, *cmd->args != '\0' ? " " : "", cmd->args, cmd->summary,
	    cmd->help, ctl_help_globals);
	fprintf(fp, "\nExit status: 0 success, 1 error answer, 2 usage error, "
	    "3 cannot connect.\n");
}

/* ctl_help_run - corralctl help [COMMAND] */
static int
ctl_help_run(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd	*cmd;
	const char		*topic = NULL;
	int			 i;

	for (i = 0; i < argc; i++) {
		switch (ctl_opt_global(ctl, &cmd_help_entry, argc, argv, &i)) {
		case CTL_OPT_TAKEN:
		case CTL_OPT_HELP:
			continue;
		case CTL_OPT_ERROR:
			return (CTL_EXIT_USAGE);
		default:
			break;
		}
		if (topic != NULL || argv[i][0] == '-')
			return (ctl_usage(&cmd_help_entry,
			    "unexpected argument '%s'", argv[i]));
		topic = argv[i];
	}
	if (topic == NULL) {
		ctl_help_main(stdout);
		return (CTL_EXIT_OK);
	}
	if ((cmd = ctl_cmd_find(topic)) == NULL)
		return (ctl_usage(NULL, "unknown command '%s'", topic));
	ctl_help_command(stdout, cmd);
	return (CTL_EXIT_OK);
}

/* main - global options, then the command */
int
main(int argc, char **argv)
{
	const struct ctl_cmd	*cmd;
	struct ctl		 ctl;
	int			 i, rc;

	log_init(CTL_PROG);	/* only xmalloc's fatalx logs */
	memset(&ctl, 0, sizeof(ctl));
	ctl.timeout = CTL_DEFAULT_TIMEOUT;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("%s %s\n", CTL_PROG, CORRAL_VERSION);
			return (CTL_EXIT_OK);
		}
		switch (ctl_opt_global(&ctl, NULL, argc, argv, &i)) {
		case CTL_OPT_TAKEN:
			continue;
		case CTL_OPT_HELP:
			ctl_help_main(stdout);
			return (CTL_EXIT_OK);
		case CTL_OPT_ERROR:
			return (CTL_EXIT_USAGE);
		default:
			break;
		}
		if (argv[i][0] == '-')
			return (ctl_usage(NULL, "unknown option '%s'",
			    argv[i]));
		break;
	}
	if (i >= argc)
		return (ctl_usage(NULL, "missing command"));
	if ((cmd = ctl_cmd_find(argv[i])) == NULL)
		return (ctl_usage(NULL, "unknown command '%s'", argv[i]));
	rc = cmd->run(&ctl, argc - i - 1, argv + i + 1);
	ctl_api_cleanup(&ctl);

	/* A full disk or a closed pipe must not look like success. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "%s: writing output: %s\n", CTL_PROG,
		    strerror(errno));
		return (rc != CTL_EXIT_OK ? rc : CTL_EXIT_FAIL);
	}
	return (rc);
}
