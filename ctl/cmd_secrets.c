/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	cmd_secrets - corralctl secrets list|set|delete: the secret store
 * SYNOPSIS
 *	extern const struct ctl_cmd cmd_secrets_entry;
 * DESCRIPTION
 *	list	GET /v1/secrets: the table NAME PROVIDER CREATED UPDATED,
 *		and a line on stderr when the store is not "ok".
 *	set	PUT /v1/secrets/NAME with {"provider","value"}; the value
 *		comes from --from-env VAR, --from-file PATH or
 *		--from-stdin (ctl_secret.c), never from the command line.
 *	delete	DELETE /v1/secrets/NAME.
 *
 *	No subcommand can print a value: the API has none to give.
 * DIAGNOSTICS
 *	A value that cannot be read (variable unset, file unreadable,
 *	empty, too long) is a usage error (exit 2) and the message never
 *	quotes it. A store in state "error" makes list exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_fmt.h"
#include "ctl_json.h"
#include "ctl_secret.h"
#include "http_url.h"
#include "secrets_view.h"

#define CMD_SECRETS_GO	(-1)	/* parsed: go on */

struct cmd_secrets_args {
	const char	*sub;		/* list, set, delete */
	const char	*name;
	const char	*provider;
	const char	*env;		/* --from-env VAR */
	const char	*file;		/* --from-file PATH */
	int		 from_stdin;
	int		 nsources;
};

static int	cmd_secrets_run(struct ctl *, int, char **);

const struct ctl_cmd cmd_secrets_entry = {
	.name = "secrets",
	.args = "list|set|delete",
	.summary = "list, set or delete secrets (never their values)",
	.help =
	    "  secrets list\n"
	    "      NAME PROVIDER CREATED UPDATED of every secret in the\n"
	    "      daemon's store; values are never shown.\n"
	    "  secrets set NAME --provider P (--from-env VAR |\n"
	    "      --from-file PATH | --from-stdin)\n"
	    "      add or replace secret NAME (admin token). The value is\n"
	    "      read from the variable VAR, the file PATH or standard\n"
	    "      input (a terminal: one line, not echoed); one trailing\n"
	    "      newline is dropped. There is no way to give the value\n"
	    "      itself on the command line, where ps(1) would show it.\n"
	    "      At most 65536 bytes.\n"
	    "  secrets delete NAME\n"
	    "      remove secret NAME (admin token).\n"
	    "\n"
	    "NAME: letters, digits, '.', '_', '-', starting with a letter or\n"
	    "digit, at most 128 characters.\n"
	    "\n"
	    "Calls GET /v1/secrets, PUT and DELETE /v1/secrets/NAME.\n",
	.run = cmd_secrets_run,
};

/* cmd_secrets_opt - take one set option at argv[*i]: 1, 0 (not one), -1 */
static int
cmd_secrets_opt(const struct ctl_cmd *cmd, int argc, char **argv, int *i,
    struct cmd_secrets_args *a)
{
	const char	*val;
	int		 r;

	if (strcmp(argv[*i], "--value") == 0 ||
	    strncmp(argv[*i], "--value=", 8) == 0) {
		ctl_usage(cmd, "--value is not accepted: the value would show "
		    "in ps; use --from-env, --from-file or --from-stdin");
		return (-1);
	}
	if (strcmp(argv[*i], "--from-stdin") == 0) {
		a->from_stdin = 1;
		a->nsources++;
		return (1);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--provider", &val)) != 0) {
		a->provider = val;
		return (r);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--from-env", &val)) != 0) {
		a->env = val;
		a->nsources++;
		return (r);
	}
	if ((r = ctl_opt_value(cmd, argc, argv, i, "--from-file",
	    &val)) != 0) {
		a->file = val;
		a->nsources++;
		return (r);
	}
	return (0);
}

/* cmd_secrets_parse - arguments into a; CMD_SECRETS_GO or an exit code */
static int
cmd_secrets_parse(struct ctl *ctl, int argc, char **argv,
    struct cmd_secrets_args *a)
{
	const struct ctl_cmd	*cmd = &cmd_secrets_entry;
	int			 i, r, opts = 1, setopts = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (opts && argv[i][0] == '-' && argv[i][1] != '\0') {
			r = cmd_secrets_opt(cmd, argc, argv, &i, a);
			if (r == -1)
				return (CTL_EXIT_USAGE);
			if (r == 1) {
				setopts = 1;
				continue;
			}
			switch (ctl_opt_global(ctl, cmd, argc, argv, &i)) {
			case CTL_OPT_TAKEN:
				continue;
			case CTL_OPT_HELP:
				ctl_help_command(stdout, cmd);
				return (CTL_EXIT_OK);
			case CTL_OPT_ERROR:
				return (CTL_EXIT_USAGE);
			default:
				return (ctl_usage(cmd, "unknown option '%s'",
				    argv[i]));
			}
		}
		if (a->sub == NULL)
			a->sub = argv[i];
		else if (a->name == NULL)
			a->name = argv[i];
		else
			return (ctl_usage(cmd, "unexpected argument '%s'",
			    argv[i]));
	}
	if (a->sub == NULL)
		return (ctl_usage(cmd, "missing subcommand (list, set or "
		    "delete)"));
	if (strcmp(a->sub, "list") == 0) {
		if (a->name != NULL)
			return (ctl_usage(cmd, "unexpected argument '%s'",
			    a->name));
	} else if (strcmp(a->sub, "set") == 0 ||
	    strcmp(a->sub, "delete") == 0) {
		if (a->name == NULL)
			return (ctl_usage(cmd, "%s: missing secret name",
			    a->sub));
		if (!ctl_secret_name_ok(a->name))
			return (ctl_usage(cmd, "'%s' is not a secret name",
			    a->name));
	} else
		return (ctl_usage(cmd, "unknown subcommand '%s'", a->sub));
	if (strcmp(a->sub, "set") != 0) {
		if (setopts)
			return (ctl_usage(cmd, "--provider and --from-* are "
			    "for set only"));
		return (CMD_SECRETS_GO);
	}
	if (a->provider == NULL)
		return (ctl_usage(cmd, "set: --provider is required"));
	if (a->nsources != 1)
		return (ctl_usage(cmd, "set: give exactly one of --from-env, "
		    "--from-file, --from-stdin"));
	return (CMD_SECRETS_GO);
}

/* cmd_secrets_list - GET /v1/secrets */
static int
cmd_secrets_list(struct ctl *ctl)
{
	const cJSON	*store;
	const char	*state, *path, *err;
	cJSON		*json;
	int		 rc;

	if ((rc = ctl_api_fetch(ctl, "GET", "/v1/secrets", &json)) !=
	    CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else if (secrets_view_table(stdout, cJSON_GetObjectItemCaseSensitive(
	    json, "secrets")) == -1) {
		ctl_errx("GET /v1/secrets: the answer has no secrets array");
		rc = CTL_EXIT_FAIL;
	}
	store = cJSON_GetObjectItemCaseSensitive(json, "store");
	state = ctl_json_str(store, "state");
	path = ctl_json_str(store, "path");
	err = ctl_json_str(store, "error");
	if (state != NULL && strcmp(state, "ok") != 0) {
		char	*c1 = ctl_fmt_clean(path != NULL ? path : "?");
		char	*c2 = ctl_fmt_clean(err != NULL ? err : state);

		ctl_errx("secret store %s: %s", c1, c2);
		if (strcmp(state, "error") == 0)
			rc = CTL_EXIT_FAIL;
		free(c1);
		free(c2);
	}
	cJSON_Delete(json);
	return (rc);
}

/* cmd_secrets_value - read the value from its one source */
static int
cmd_secrets_value(const struct cmd_secrets_args *a, char **valp,
    size_t *lenp)
{
	char	err[640];
	int	rc;

	if (a->env != NULL)
		rc = ctl_secret_from_env(a->env, valp, lenp, err, sizeof(err));
	else if (a->file != NULL)
		rc = ctl_secret_from_file(a->file, valp, lenp, err,
		    sizeof(err));
	else
		rc = ctl_secret_from_fd(STDIN_FILENO, "--from-stdin", valp,
		    lenp, err, sizeof(err));
	if (rc == -1)
		return (ctl_usage(&cmd_secrets_entry, "%s", err));
	return (CTL_EXIT_OK);
}

/* cmd_secrets_set - PUT /v1/secrets/NAME */
static int
cmd_secrets_set(struct ctl *ctl, const struct cmd_secrets_args *a)
{
	cJSON	*json;
	char	*val, *body, *path, *name, *prov;
	size_t	 len, blen;
	int	 rc;

	if ((rc = cmd_secrets_value(a, &val, &len)) != CTL_EXIT_OK)
		return (rc);
	body = ctl_secret_body(a->provider, val, len, &blen);
	ctl_secret_free(val, len);
	if (body == NULL) {
		ctl_errx("cannot encode the request");
		return (CTL_EXIT_FAIL);
	}
	path = http_url_escape_in("/v1/secrets/", a->name, "");
	rc = ctl_api_send(ctl, "PUT", path, body, blen, &json);
	ctl_secret_free(body, blen);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else {
		name = ctl_fmt_clean(a->name);
		prov = ctl_fmt_clean(ctl_json_str(json, "provider") != NULL ?
		    ctl_json_str(json, "provider") : a->provider);
		printf("secret %s set (provider %s)\n", name, prov);
		free(name);
		free(prov);
	}
	cJSON_Delete(json);
	return (CTL_EXIT_OK);
}

/* cmd_secrets_delete - DELETE /v1/secrets/NAME */
static int
cmd_secrets_delete(struct ctl *ctl, const struct cmd_secrets_args *a)
{
	cJSON	*json;
	char	*path, *name;
	int	 rc;

	path = http_url_escape_in("/v1/secrets/", a->name, "");
	rc = ctl_api_fetch(ctl, "DELETE", path, &json);
	free(path);
	if (rc != CTL_EXIT_OK)
		return (rc);
	if (ctl->json)
		ctl_json_print(stdout, json);
	else {
		name = ctl_fmt_clean(a->name);
		printf("secret %s deleted\n", name);
		free(name);
	}
	cJSON_Delete(json);
	return (CTL_EXIT_OK);
}

/* cmd_secrets_run - parse, then run the subcommand */
static int
cmd_secrets_run(struct ctl *ctl, int argc, char **argv)
{
	struct cmd_secrets_args	a;
	int			rc;

	if ((rc = cmd_secrets_parse(ctl, argc, argv, &a)) != CMD_SECRETS_GO)
		return (rc);
	if (strcmp(a.sub, "list") == 0)
		return (cmd_secrets_list(ctl));
	if (strcmp(a.sub, "set") == 0)
		return (cmd_secrets_set(ctl, &a));
	return (cmd_secrets_delete(ctl, &a));
}
