/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	engines_args - the command line of corralctl engines
 * SYNOPSIS
 *	See engines_args.h.
 * DESCRIPTION
 *	Options may come before or after the subcommand and the name, and
 *	each takes its value as "--opt VALUE" or "--opt=VALUE" (a value may
 *	start with '-': "--arg --max-model-len"). "--" ends the options.
 *	The options are collected first and checked against the
 *	subcommand once it is known, so "engines --tail 5 logs x" works
 *	and "engines logs x --engine vllm" is refused by name.
 *
 *	Values are checked here as far as the client can know them, so
 *	that a typo is a usage error naming the option before anything is
 *	sent: the name, the port (1-65535), --gpus (all, none, or indices
 *	"0,1"), --env and --secret-env (VAR=..., VAR a variable name, each
 *	VAR once), --tail (0-10000 or all) and the --timeout of the
 *	subcommand. The engines worker checks the rest (the engine
 *	profile, the model path, the secret grant).
 * DIAGNOSTICS
 *	One usage line through ctl_usage: "corralctl: engines: --port:
 *	'x' is not a port (1-65535) (see corralctl engines --help)".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_secret.h"
#include "engines_args.h"

#define ENGINES_ARGS_GPU_DIGITS	3	/* an index: 0 to 999 */

#define EA_ALL		0x1f
#define EA_SUB(s)	(1 << (s))
#define EA_LAUNCH	EA_SUB(ENGINES_LAUNCH)

enum engines_args_id {
	EA_ENGINE, EA_MODEL, EA_GPUS, EA_PORT, EA_IMAGE, EA_ARG, EA_ENV,
	EA_SECRET_ENV, EA_NO_WAIT, EA_TAIL, EA_FOLLOW, EA_FOLLOW_SHORT,
	EA_TIMEOUT, EA_NOPTS
};

static const struct ctl_opt_def engines_args_opts[EA_NOPTS] = {
	[EA_ENGINE] = { "--engine", CTL_OPT_VALUE, EA_LAUNCH },
	[EA_MODEL] = { "--model", CTL_OPT_VALUE, EA_LAUNCH },
	[EA_GPUS] = { "--gpus", CTL_OPT_VALUE, EA_LAUNCH },
	[EA_PORT] = { "--port", CTL_OPT_VALUE, EA_LAUNCH },
	[EA_IMAGE] = { "--image", CTL_OPT_VALUE, EA_LAUNCH },
	[EA_ARG] = { "--arg", CTL_OPT_VALUES, EA_LAUNCH },
	[EA_ENV] = { "--env", CTL_OPT_VALUES, EA_LAUNCH },
	[EA_SECRET_ENV] = { "--secret-env", CTL_OPT_VALUES, EA_LAUNCH },
	[EA_NO_WAIT] = { "--no-wait", CTL_OPT_FLAG, EA_LAUNCH },
	[EA_TAIL] = { "--tail", CTL_OPT_VALUE, EA_SUB(ENGINES_LOGS) },
	[EA_FOLLOW] = { "--follow", CTL_OPT_FLAG, EA_SUB(ENGINES_LOGS) },
	[EA_FOLLOW_SHORT] = { "-f", CTL_OPT_FLAG, EA_SUB(ENGINES_LOGS) },
	[EA_TIMEOUT] = { "--timeout", CTL_OPT_VALUE, EA_ALL },
};

static const char *const engines_args_subs[] = {
	[ENGINES_LIST] = "list",
	[ENGINES_SHOW] = "show",
	[ENGINES_LAUNCH] = "launch",
	[ENGINES_LOGS] = "logs",
	[ENGINES_DELETE] = "delete",
};

/* what the options and words gave, before the subcommand is known */
struct engines_args_seen {
	struct engines_args	*a;		/* being filled */
	const char		*val[EA_NOPTS];	/* the last value of each */
	int			 given[EA_NOPTS];
	int			 have_sub;	/* a word was the subcommand */
};

/* engines_args_name_ok - 1 for a valid engine name */
int
engines_args_name_ok(const char *name)
{
	size_t	i;

	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    name[0] == '-')
		return (0);
	for (i = 0; name[i] != '\0'; i++)
		if (i == ENGINES_ARGS_NAME_MAX ||
		    (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-'))
			return (0);
	return (1);
}

/* engines_args_push - append v to s */
static void
engines_args_push(struct engines_strs *s, const char *v)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = v;
}

/* engines_args_gpus_ok - "all", "none", or indices "0,1": 1 if so */
static int
engines_args_gpus_ok(const char *s)
{
	size_t	n;

	if (strcmp(s, "all") == 0 || strcmp(s, "none") == 0)
		return (1);
	for (;;) {
		for (n = 0; isdigit((unsigned char)*s); s++)
			if (++n > ENGINES_ARGS_GPU_DIGITS)
				return (0);
		if (n == 0)
			return (0);
		if (*s == '\0')
			return (1);
		if (*s++ != ',')
			return (0);
	}
}

/* engines_args_var_ok - "VAR=..." (VAR a variable name) or VAR=SECRET */
static int
engines_args_var_ok(const char *s, int secret)
{
	const char	*eq;
	const char	*p;

	if ((eq = strchr(s, '=')) == NULL || eq == s ||
	    isdigit((unsigned char)*s) ||
	    (secret && !ctl_secret_name_ok(eq + 1)))
		return (0);
	for (p = s; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return (0);
	return (1);
}

/* engines_args_vars - check --env or --secret-env values: 0, or usage */
static int
engines_args_vars(const struct ctl_cmd *cmd, const char *opt,
    const struct engines_strs *s, int secret)
{
	size_t	i, j, len;

	for (i = 0; i < s->n; i++) {
		if (!engines_args_var_ok(s->v[i], secret))
			return (ctl_usage(cmd, "%s: '%s' is not VAR=%s", opt,
			    s->v[i], secret ? "SECRET (a secret's name)" :
			    "VALUE"));
		len = (size_t)(strchr(s->v[i], '=') - s->v[i]);
		for (j = 0; j < i; j++)
			if (strncmp(s->v[j], s->v[i], len + 1) == 0)
				return (ctl_usage(cmd, "%s: %.*s given twice",
				    opt, (int)len, s->v[i]));
	}
	return (0);
}

/* engines_args_opt - one option at argv[*i]: 1 taken, 0 not ours, -1 */
static int
engines_args_opt(const struct ctl_cmd *cmd, int argc, char **argv, int *i,
    void *arg)
{
	struct engines_args_seen	*seen = arg;
	struct engines_args		*a = seen->a;
	int				 id, r;

	if ((r = ctl_opt_table(cmd, argc, argv, i, engines_args_opts,
	    EA_NOPTS, seen->given, seen->val, &id)) != 1)
		return (r);
	if (id == EA_ARG)
		engines_args_push(&a->args, seen->val[id]);
	else if (id == EA_ENV)
		engines_args_push(&a->env, seen->val[id]);
	else if (id == EA_SECRET_ENV)
		engines_args_push(&a->secret_env, seen->val[id]);
	return (1);
}

/* engines_args_word - a subcommand or the name: 0, or usage */
static int
engines_args_word(const struct ctl_cmd *cmd, const char *w, void *arg)
{
	struct engines_args_seen	*seen = arg;
	struct engines_args		*a = seen->a;
	size_t				 i;

	if (!seen->have_sub) {
		for (i = 0; i < sizeof(engines_args_subs) /
		    sizeof(engines_args_subs[0]); i++)
			if (strcmp(w, engines_args_subs[i]) == 0) {
				a->sub = (int)i;
				seen->have_sub = 1;
				return (0);
			}
		return (ctl_usage(cmd, "unknown subcommand '%s' (list, show, "
		    "launch, logs or delete)", w));
	}
	if (a->name != NULL)
		return (ctl_usage(cmd, "unexpected argument '%s'", w));
	a->name = w;
	return (0);
}

/* engines_args_timeout - what --timeout means for the subcommand */
static int
engines_args_timeout(struct ctl *ctl, const struct ctl_cmd *cmd,
    const char *val, struct engines_args *a)
{
	switch (a->sub) {
	case ENGINES_LAUNCH:
		return (ctl_opt_seconds(cmd, "--timeout", val, &a->wait) ==
		    -1 ? CTL_EXIT_USAGE : 0);
	case ENGINES_DELETE:
		if (ctl_opt_long(val, 0, ENGINES_ARGS_STOP_MAX,
		    &a->stop) == -1)
			return (ctl_usage(cmd, "--timeout: '%s' is not a "
			    "number of seconds from 0 to %d", val,
			    ENGINES_ARGS_STOP_MAX));
		return (0);
	default:
		return (ctl_opt_seconds(cmd, "--timeout", val, &ctl->timeout) ==
		    -1 ? CTL_EXIT_USAGE : 0);
	}
}

/* engines_args_check - the options against the subcommand; 0 or usage */
static int
engines_args_check(struct ctl *ctl, const struct ctl_cmd *cmd,
    const struct engines_args_seen *seen, struct engines_args *a)
{
	const char	*sub = engines_args_subs[a->sub];

	if (ctl_opt_not_of(cmd, engines_args_opts, EA_NOPTS, seen->given,
	    a->sub, sub) != 0)
		return (CTL_EXIT_USAGE);
	if (a->sub == ENGINES_LIST && a->name != NULL)
		return (ctl_usage(cmd, "unexpected argument '%s'", a->name));
	if (a->sub != ENGINES_LIST && a->name == NULL)
		return (ctl_usage(cmd, "%s: missing engine name", sub));
	if (a->name != NULL && !engines_args_name_ok(a->name))
		return (ctl_usage(cmd, "'%s' is not an engine name (1 to 63 "
		    "letters, digits, '.', '_', '-')", a->name));
	if (seen->given[EA_TIMEOUT] &&
	    engines_args_timeout(ctl, cmd, seen->val[EA_TIMEOUT], a) != 0)
		return (CTL_EXIT_USAGE);
	if ((a->tail = seen->val[EA_TAIL]) != NULL &&
	    ctl_opt_tail(cmd, a->tail, ENGINES_ARGS_TAIL_MAX) != 0)
		return (CTL_EXIT_USAGE);
	a->follow = seen->given[EA_FOLLOW] || seen->given[EA_FOLLOW_SHORT];
	if (a->sub != ENGINES_LAUNCH)
		return (0);
	a->engine = seen->val[EA_ENGINE];
	a->model = seen->val[EA_MODEL];
	a->gpus = seen->val[EA_GPUS];
	a->image = seen->val[EA_IMAGE];
	a->no_wait = seen->given[EA_NO_WAIT];
	if (a->engine == NULL || a->model == NULL)
		return (ctl_usage(cmd, "launch: --engine and --model are "
		    "required"));
	if (a->gpus != NULL && !engines_args_gpus_ok(a->gpus))
		return (ctl_usage(cmd, "--gpus: '%s' is not all, none or GPU "
		    "indices (0,1)", a->gpus));
	if (seen->val[EA_PORT] != NULL && ctl_opt_long(seen->val[EA_PORT],
	    1, 65535, &a->port) == -1)
		return (ctl_usage(cmd, "--port: '%s' is not a port (1-65535)",
		    seen->val[EA_PORT]));
	if (engines_args_vars(cmd, "--env", &a->env, 0) != 0 ||
	    engines_args_vars(cmd, "--secret-env", &a->secret_env, 1) != 0)
		return (CTL_EXIT_USAGE);
	return (0);
}

/* engines_args_parse - ENGINES_ARGS_GO, ENGINES_ARGS_HELP or CTL_EXIT_USAGE */
int
engines_args_parse(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, struct engines_args *a)
{
	struct engines_args_seen	seen;

	memset(a, 0, sizeof(*a));
	memset(&seen, 0, sizeof(seen));
	a->sub = ENGINES_LIST;
	a->wait = ENGINES_ARGS_WAIT;
	a->stop = -1;
	seen.a = a;
	switch (ctl_opt_scan(ctl, cmd, argc, argv, engines_args_opt,
	    engines_args_word, &seen)) {
	case CTL_OPT_HELP:
		return (ENGINES_ARGS_HELP);
	case CTL_OPT_ERROR:
		return (CTL_EXIT_USAGE);
	default:
		break;
	}
	if (engines_args_check(ctl, cmd, &seen, a) != 0)
		return (CTL_EXIT_USAGE);
	return (ENGINES_ARGS_GO);
}

/* engines_args_free - free what parsing allocated */
void
engines_args_free(struct engines_args *a)
{
	free(a->args.v);
	free(a->env.v);
	free(a->secret_env.v);
	memset(&a->args, 0, sizeof(a->args));
	memset(&a->env, 0, sizeof(a->env));
	memset(&a->secret_env, 0, sizeof(a->secret_env));
}

/* engines_args_gpus - "all", "none", or the indices as an array */
static cJSON *
engines_args_gpus(const char *s)
{
	cJSON	*arr;
	char	*end;

	if (strcmp(s, "all") == 0 || strcmp(s, "none") == 0)
		return (cJSON_CreateString(s));
	arr = cJSON_CreateArray();
	while (*s != '\0') {
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(strtod(s, &end)));
		s = *end == ',' ? end + 1 : end;
	}
	return (arr);
}

/* engines_args_vars_obj - "K=V" values as an object {"K":"V"} */
static cJSON *
engines_args_vars_obj(const struct engines_strs *s)
{
	cJSON		*obj;
	const char	*eq;
	char		*key;
	size_t		 i;

	obj = cJSON_CreateObject();
	for (i = 0; i < s->n; i++) {
		eq = strchr(s->v[i], '=');
		key = xmalloc((size_t)(eq - s->v[i]) + 1);
		memcpy(key, s->v[i], (size_t)(eq - s->v[i]));
		key[eq - s->v[i]] = '\0';
		cJSON_AddStringToObject(obj, key, eq + 1);
		free(key);
	}
	return (obj);
}

/* engines_args_body - the launch request; the caller deletes it */
cJSON *
engines_args_body(const struct engines_args *a)
{
	cJSON	*body, *args;
	size_t	 i;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", a->name);
	cJSON_AddStringToObject(body, "engine", a->engine);
	cJSON_AddStringToObject(body, "model", a->model);
	if (a->gpus != NULL)
		cJSON_AddItemToObject(body, "gpus", engines_args_gpus(a->gpus));
	if (a->port > 0)
		cJSON_AddNumberToObject(body, "port", (double)a->port);
	if (a->image != NULL)
		cJSON_AddStringToObject(body, "image", a->image);
	if (a->args.n > 0) {
		args = cJSON_AddArrayToObject(body, "args");
		for (i = 0; i < a->args.n; i++)
			cJSON_AddItemToArray(args,
			    cJSON_CreateString(a->args.v[i]));
	}
	if (a->env.n > 0)
		cJSON_AddItemToObject(body, "env",
		    engines_args_vars_obj(&a->env));
	if (a->secret_env.n > 0)
		cJSON_AddItemToObject(body, "secret_env",
		    engines_args_vars_obj(&a->secret_env));
	return (body);
}
