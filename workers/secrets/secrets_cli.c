/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_cli - `corral secrets ...`: the store without a daemon
 * SYNOPSIS
 *	#include "secrets_cli.h"
 *
 *	int	secrets_cli_main(int argc, char **argv);
 * DESCRIPTION
 *	corral secrets generate
 *	corral secrets set NAME --offline --provider P
 *	    (--from-env VAR | --from-file PATH | --from-stdin)
 *	    [--state-root DIR]
 *	corral secrets list [--json] [--state-root DIR]
 *	corral secrets delete NAME --offline [--state-root DIR]
 *	corral secrets rekey --new-key-file FILE [--state-root DIR]
 *
 *	This file parses; secrets_cli_cmd.c runs the commands. Each command
 *	is a row of scli_cmds[]: the options it takes, whether it wants a
 *	NAME, its help text and the function that runs it. Options are
 *	--flag VALUE or --flag=VALUE, in any order around NAME; "--" ends
 *	them. An unexpected argument is refused without being echoed: it
 *	may be a value typed in the wrong place.
 *
 *	set and delete change a store that the daemon's secrets worker may
 *	be using, so they insist on --offline: with a daemon running, the
 *	way is corralctl. The store's file lock keeps both writers' changes
 *	either way. rekey has no daemon path and needs no --offline (it is
 *	accepted). list only reads: it shows names and metadata without a
 *	key, and checks the key against the store when one is configured.
 * DIAGNOSTICS
 *	Exit 0 ok; 1 runtime failure (an unreadable or damaged store, a
 *	missing entry, a failed write); 2 usage or configuration error,
 *	including a key that is malformed, unreadable or does not match the
 *	store ("master key does not match the store at PATH"). One line on
 *	stderr, prefixed "corral secrets CMD:".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "secrets_cli.h"
#include "secrets_cli_priv.h"

#define O_STATE_ROOT	0x01
#define O_OFFLINE	0x02
#define O_PROVIDER	0x04
#define O_FROM		0x08	/* --from-env|file|stdin */
#define O_JSON		0x10
#define O_NEW_KEY	0x20

struct scli_cmd {
	const char	*name;
	int		 opts;		/* O_* it accepts */
	int		 wants_name;
	int		(*run)(struct scli_opts *);
	const char	*usage;
	const char	*help;
};

static const struct scli_cmd scli_cmds[] = {
	{ "generate", 0, 0, scli_generate,
	    "corral secrets generate",
	    "Print a new random 256-bit master key, base64, on one line and "
	    "nothing else:\n    corral secrets generate > master.key && "
	    "chmod 600 master.key\n" },
	{ "set", O_STATE_ROOT | O_OFFLINE | O_PROVIDER | O_FROM, 1, scli_set,
	    "corral secrets set NAME --offline --provider P\n"
	    "    (--from-env VAR | --from-file PATH | --from-stdin) "
	    "[--state-root DIR]",
	    "Store (or replace) the secret NAME for provider P in the store "
	    "under the state\nroot, without a running daemon. The value comes "
	    "from the environment variable\nVAR (set and non-empty), a file "
	    "or stdin, and one trailing newline is dropped.\nWith a daemon "
	    "running, use corralctl secrets set instead.\n" },
	{ "list", O_STATE_ROOT | O_OFFLINE | O_JSON, 0, scli_list,
	    "corral secrets list [--json] [--state-root DIR]",
	    "Show each secret's name, provider and when it was created and "
	    "updated (UTC),\nnever a value. Works without a key; when a key "
	    "is configured it is checked\nagainst the store.\n" },
	{ "delete", O_STATE_ROOT | O_OFFLINE, 1, scli_delete,
	    "corral secrets delete NAME --offline [--state-root DIR]",
	    "Remove the secret NAME from the store without a running daemon.\n"
	    "With a daemon running, use corralctl secrets delete instead.\n" },
	{ "rekey", O_STATE_ROOT | O_OFFLINE | O_NEW_KEY, 0, scli_rekey,
	    "corral secrets rekey --new-key-file FILE [--state-root DIR]",
	    "Re-encrypt every secret under the key in FILE, in one atomic "
	    "replacement of the\nstore; the current key comes from the "
	    "environment as usual. Stop the daemon\nfirst, then start it "
	    "with the new key: the old one no longer opens the store.\n" },
};

#define CLI_NCMDS	(sizeof(scli_cmds) / sizeof(scli_cmds[0]))

/* scli_err - one line on stderr naming the command; returns code */
int
scli_err(const struct scli_opts *o, int code, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "corral secrets%s%s: ", o->cmd != NULL ? " " : "",
	    o->cmd != NULL ? o->cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return (code);
}

/* scli_usage - every command's synopsis */
static void
scli_usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, "usage:\n");
	for (i = 0; i < CLI_NCMDS; i++)
		fprintf(fp, "  %s\n", scli_cmds[i].usage);
	fprintf(fp, "\nThe master key comes from CORRAL_AUTH_STORE_MASTER_KEY "
	    "or\nCORRAL_AUTH_STORE_MASTER_KEY_FILE; the state root from "
	    "--state-root, else\nCORRAL_STATE_ROOT, else ./var/state. "
	    "corral secrets CMD --help says more;\nsee docs/secrets.md.\n");
}

/* scli_option - one --flag[=value] of argv at *k into o; 0 or exit code */
static int
scli_option(const struct scli_cmd *c, struct scli_opts *o, int argc,
    char **argv, int *k)
{
	static const struct {
		const char	*flag;
		int		 bit;
		size_t		 off;	/* its string in o, or 0 */
	} flags[] = {
		{ "state-root", O_STATE_ROOT, offsetof(struct scli_opts,
		    state_root) },
		{ "provider", O_PROVIDER, offsetof(struct scli_opts,
		    provider) },
		{ "from-env", O_FROM, offsetof(struct scli_opts, from_env) },
		{ "from-file", O_FROM, offsetof(struct scli_opts, from_file) },
		{ "new-key-file", O_NEW_KEY, offsetof(struct scli_opts,
		    new_key_file) },
		{ "offline", O_OFFLINE, 0 },
		{ "from-stdin", O_FROM, 0 },
		{ "json", O_JSON, 0 },
	};
	const char	*a = argv[*k] + 2, *eq, *val = NULL, **slot;
	size_t		 i, n;

	eq = strchr(a, '=');
	n = eq != NULL ? (size_t)(eq - a) : strlen(a);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strlen(flags[i].flag) == n &&
		    strncmp(flags[i].flag, a, n) == 0 &&
		    (c->opts & flags[i].bit))
			break;
	if (i == sizeof(flags) / sizeof(flags[0]))
		return (scli_err(o, CLI_USAGE, "unknown option '--%.*s' (see "
		    "corral secrets %s --help)", (int)(n > 40 ? 40 : n), a,
		    c->name));
	if (flags[i].off == 0) {
		if (eq != NULL)
			return (scli_err(o, CLI_USAGE, "--%s takes no value",
			    flags[i].flag));
		if (strcmp(flags[i].flag, "offline") == 0)
			o->offline = 1;
		else if (strcmp(flags[i].flag, "json") == 0)
			o->json = 1;
		else
			o->from_stdin = 1;
		return (0);
	}
	if (eq != NULL)
		val = eq + 1;
	else if (*k + 1 < argc)
		val = argv[++*k];
	if (val == NULL || *val == '\0')
		return (scli_err(o, CLI_USAGE, "--%s needs a value",
		    flags[i].flag));
	slot = (const char **)(void *)((char *)o + flags[i].off);
	if (*slot != NULL)
		return (scli_err(o, CLI_USAGE, "--%s given twice",
		    flags[i].flag));
	*slot = val;
	return (0);
}

/* scli_parse - argv[1..] of command c into o; 0 or exit code */
static int
scli_parse(const struct scli_cmd *c, struct scli_opts *o, int argc,
    char **argv)
{
	int	k, rc, dashdash = 0;

	for (k = 1; k < argc; k++) {
		if (!dashdash && (strcmp(argv[k], "-h") == 0 ||
		    strcmp(argv[k], "--help") == 0)) {
			o->help = 1;
			continue;
		}
		if (!dashdash && strcmp(argv[k], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && strncmp(argv[k], "--", 2) == 0) {
			if ((rc = scli_option(c, o, argc, argv, &k)) != 0)
				return (rc);
			continue;
		}
		if (!dashdash && argv[k][0] == '-' && argv[k][1] != '\0')
			return (scli_err(o, CLI_USAGE, "unknown option '%.2s' "
			    "(see corral secrets %s --help)", argv[k],
			    c->name));
		/* never echo it: it may be a value typed in the wrong place */
		if (!c->wants_name || o->name != NULL)
			return (scli_err(o, CLI_USAGE, "unexpected extra "
			    "argument (values are never given on the command "
			    "line; see corral secrets %s --help)", c->name));
		o->name = argv[k];
	}
	return (0);
}

/* secrets_cli_main - run `corral secrets ARGS`; the exit code */
int
secrets_cli_main(int argc, char **argv)
{
	struct scli_opts	 o;
	const struct scli_cmd	*c = NULL;
	size_t			 i;
	int			 rc;

	memset(&o, 0, sizeof(o));
	if (argc < 2) {
		scli_usage(stderr);
		return (CLI_USAGE);
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		scli_usage(stdout);
		return (CLI_OK);
	}
	for (i = 0; i < CLI_NCMDS; i++)
		if (strcmp(argv[1], scli_cmds[i].name) == 0)
			c = &scli_cmds[i];
	if (c == NULL)
		return (scli_err(&o, CLI_USAGE, "unknown command '%.40s' (see "
		    "corral secrets help)", argv[1]));
	o.cmd = c->name;
	if ((rc = scli_parse(c, &o, argc - 1, argv + 1)) != 0)
		return (rc);
	if (o.help) {
		printf("usage: %s\n\n%s", c->usage, c->help);
		return (CLI_OK);
	}
	return (c->run(&o));
}
