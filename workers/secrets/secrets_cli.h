/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets_cli.h - `corral secrets ...`, the offline store commands
 * SYNOPSIS
 *	#include "secrets_cli.h"
 *
 *	int	secrets_cli_main(int argc, char **argv);
 * DESCRIPTION
 *	secrets_cli_main runs one `corral secrets` command; argv[0] is
 *	"secrets" and argv[1] the command (generate, set, list, delete,
 *	rekey or help). It returns the exit code: 0 ok, 1 runtime failure,
 *	2 usage or configuration error (one line on stderr saying what and
 *	where). See docs/secrets.md.
 */
#ifndef CORRAL_SECRETS_CLI_H
#define CORRAL_SECRETS_CLI_H

/* secrets_cli_main - run `corral secrets ARGS`; the exit code */
int	secrets_cli_main(int argc, char **argv);

#endif
