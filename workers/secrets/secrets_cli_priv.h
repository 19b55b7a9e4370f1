/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_cli_priv.h - what the two halves of `corral secrets` share
 * DESCRIPTION
 *	secrets_cli.c parses the command line into a struct scli_opts and
 *	calls one of the commands of secrets_cli_cmd.c, which report
 *	through scli_err. Exit codes are CLI_OK, CLI_FAIL (runtime) and
 *	CLI_USAGE (usage or configuration, every key problem included).
 *	scli_ is the module's short prefix (secrets_cli would not fit a
 *	line); only secrets_cli_main carries the long one.
 */
#ifndef CORRAL_SECRETS_CLI_PRIV_H
#define CORRAL_SECRETS_CLI_PRIV_H

#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

struct scli_opts {
	const char	*cmd;	/* first: no option at offset 0 */
	const char	*name;
	const char	*state_root;
	const char	*provider;
	const char	*from_env;
	const char	*from_file;
	const char	*new_key_file;
	int		 from_stdin;
	int		 offline;
	int		 json;
	int		 help;
};

/* scli_err - "corral secrets CMD: ..." on stderr; returns code */
int	scli_err(const struct scli_opts *o, int code, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/* the commands; each returns the exit code */
int	scli_generate(struct scli_opts *o);
int	scli_set(struct scli_opts *o);
int	scli_list(struct scli_opts *o);
int	scli_delete(struct scli_opts *o);
int	scli_rekey(struct scli_opts *o);

#endif
