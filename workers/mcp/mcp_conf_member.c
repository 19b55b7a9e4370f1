/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_conf_member - the rules of each member of a server in the MCP
 *	servers file
 * SYNOPSIS
 *	#include "mcp_conf_priv.h"
 *
 *	extern const struct mcp_conf_member mcp_conf_members[];
 * DESCRIPTION
 *	One reader per member of docs/mcp.md's table: command, args, env,
 *	secret_env, cwd, enabled, restart, call_timeout_s, and type (which
 *	may only say "stdio"). Each checks the JSON value, stores it in the
 *	server and returns 0, or writes the error line naming the member
 *	(mcp_conf_fail) and returns -1. Variable names are
 *	[A-Za-z_][A-Za-z0-9_]*; secret names follow the store's rule (1 to
 *	128 of A-Z a-z 0-9 . _ -, starting with a letter or digit) and,
 *	when the options carry mcp_secrets, must be listed there.
 * DIAGNOSTICS
 *	See mcp_conf.h. Running out of memory is fatal (xmalloc).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "mcp_conf_priv.h"

/* mcp_conf_member_has_ctl - does s hold a control character? */
static int
mcp_conf_member_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (1);
	return (0);
}

/* mcp_conf_member_var_ok - is s a variable name ([A-Za-z_][A-Za-z0-9_]*)? */
static int
mcp_conf_member_var_ok(const char *s)
{
	size_t	i;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return (0);
	for (i = 1; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return (0);
	return (i <= 128);
}

/* mcp_conf_member_secret_ok - a secret name as the store takes it */
static int
mcp_conf_member_secret_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= MCP_CONF_SECRET_MAX &&
	    isalnum((unsigned char)s[0]) &&
	    strspn(s, MCP_CONF_NAME_CHARS) == n);
}

/* mcp_conf_member_granted - is name in the list ("a, b")? */
static int
mcp_conf_member_granted(const char *list, const char *name)
{
	size_t	n, len = strlen(name);

	while (*list != '\0') {
		list += strspn(list, ", \t");
		n = strcspn(list, ", \t");
		if (n == len && n > 0 && strncmp(list, name, n) == 0)
			return (1);
		list += n;
	}
	return (0);
}

/* mcp_conf_member_abs - NULL if s is a usable absolute path, else why */
static const char *
mcp_conf_member_abs(const char *s)
{
	if (s[0] != '/')
		return ("want an absolute path");
	if (strlen(s) > MCP_CONF_PATH_MAX)
		return ("longer than 4096 characters");
	if (mcp_conf_member_has_ctl(s))
		return ("must not hold control characters");
	return (NULL);
}

/* mcp_conf_member_command - "command": an absolute path or a bare name */
static int
mcp_conf_member_command(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	const char	*why;

	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return (mcp_conf_fail(f, "command: want a non-empty string"));
	if (strchr(v->valuestring, '/') != NULL) {
		if (v->valuestring[0] != '/')
			return (mcp_conf_fail(f, "command: want an absolute "
			    "path or a bare name looked up in PATH"));
		if ((why = mcp_conf_member_abs(v->valuestring)) != NULL)
			return (mcp_conf_fail(f, "command: %s", why));
	} else if (strlen(v->valuestring) > 255 ||
	    mcp_conf_member_has_ctl(v->valuestring))
		return (mcp_conf_fail(f, "command: want a program name of at "
		    "most 255 characters without control characters"));
	s->command = xstrdup(v->valuestring);
	return (0);
}

/* mcp_conf_member_args - "args": at most MCP_CONF_ARGS_MAX strings */
static int
mcp_conf_member_args(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	const cJSON	*el;
	size_t		 n, i = 0;

	if (!cJSON_IsArray(v) ||
	    (n = (size_t)cJSON_GetArraySize(v)) > MCP_CONF_ARGS_MAX)
		return (mcp_conf_fail(f, "args: want an array of at most %d "
		    "strings", MCP_CONF_ARGS_MAX));
	s->args = xcalloc(n + 1, sizeof(*s->args));
	cJSON_ArrayForEach(el, v) {
		if (!cJSON_IsString(el))
			return (mcp_conf_fail(f, "args[%zu]: want a string",
			    i));
		s->args[i++] = xstrdup(el->valuestring);
		s->nargs = i;
	}
	return (0);
}

/* mcp_conf_member_vars - an object of VAR: string into names and values; what
 * names the member in messages ("env", "secret_env") */
static int
mcp_conf_member_vars(const struct mcp_cf *f, const cJSON *v, const char *what,
    char ***names, char ***values, size_t *count)
{
	const cJSON	*el, *o;
	char		 echo[MCP_CONF_ECHO_LEN];
	size_t		 n, i = 0;

	if (!cJSON_IsObject(v) ||
	    (n = (size_t)cJSON_GetArraySize(v)) > MCP_CONF_ENV_MAX)
		return (mcp_conf_fail(f, "%s: want an object of at most %d "
		    "\"NAME\": \"value\" strings", what, MCP_CONF_ENV_MAX));
	*names = xcalloc(n + 1, sizeof(**names));
	*values = xcalloc(n + 1, sizeof(**values));
	cJSON_ArrayForEach(el, v) {
		mcp_conf_echo(el->string, echo, sizeof(echo));
		if (!mcp_conf_member_var_ok(el->string))
			return (mcp_conf_fail(f, "%s: '%s' is not a variable "
			    "name ([A-Za-z_][A-Za-z0-9_]*)", what, echo));
		for (o = v->child; o != el; o = o->next)
			if (strcmp(o->string, el->string) == 0)
				return (mcp_conf_fail(f, "%s.%s: given twice",
				    what, echo));
		if (!cJSON_IsString(el))
			return (mcp_conf_fail(f, "%s.%s: want a string", what,
			    echo));
		(*names)[i] = xstrdup(el->string);
		(*values)[i++] = xstrdup(el->valuestring);
		*count = i;
	}
	return (0);
}

/* mcp_conf_member_env - "env": the server's environment */
static int
mcp_conf_member_env(const struct mcp_cf *f, const cJSON *v, struct mcp_conf_server *s)
{
	return (mcp_conf_member_vars(f, v, "env", &s->env_name, &s->env_value,
	    &s->nenv));
}

/* mcp_conf_member_secret_env - "secret_env": VAR from a granted secret */
static int
mcp_conf_member_secret_env(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	char	echo[MCP_CONF_ECHO_LEN];
	size_t	i;

	if (mcp_conf_member_vars(f, v, "secret_env", &s->secret_var,
	    &s->secret_name, &s->nsecret) == -1)
		return (-1);
	for (i = 0; i < s->nsecret; i++) {
		if (!mcp_conf_member_secret_ok(s->secret_name[i]))
			return (mcp_conf_fail(f, "secret_env.%s: '%s' is not "
			    "a secret name (1 to 128 of A-Z a-z 0-9 . _ -, "
			    "starting with a letter or digit)",
			    s->secret_var[i], mcp_conf_echo(s->secret_name[i],
			    echo, sizeof(echo))));
		if (f->opts != NULL && f->opts->granted != NULL &&
		    !mcp_conf_member_granted(f->opts->granted, s->secret_name[i]))
			return (mcp_conf_fail(f, "secret_env.%s: secret '%s' "
			    "is not in mcp_secrets", s->secret_var[i],
			    s->secret_name[i]));
	}
	return (0);
}

/* mcp_conf_member_cwd - "cwd": an absolute directory */
static int
mcp_conf_member_cwd(const struct mcp_cf *f, const cJSON *v, struct mcp_conf_server *s)
{
	const char	*why;

	if (!cJSON_IsString(v))
		return (mcp_conf_fail(f, "cwd: want an absolute path"));
	if ((why = mcp_conf_member_abs(v->valuestring)) != NULL)
		return (mcp_conf_fail(f, "cwd: %s", why));
	s->cwd = xstrdup(v->valuestring);
	return (0);
}

/* mcp_conf_member_enabled - "enabled": true or false */
static int
mcp_conf_member_enabled(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	if (!cJSON_IsBool(v))
		return (mcp_conf_fail(f, "enabled: want true or false"));
	s->enabled = cJSON_IsTrue(v);
	return (0);
}

/* mcp_conf_member_restart - "restart": always or never */
static int
mcp_conf_member_restart(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	if (cJSON_IsString(v) && strcmp(v->valuestring, "always") == 0)
		s->restart = MCP_RESTART_ALWAYS;
	else if (cJSON_IsString(v) && strcmp(v->valuestring, "never") == 0)
		s->restart = MCP_RESTART_NEVER;
	else
		return (mcp_conf_fail(f, "restart: want \"always\" or "
		    "\"never\""));
	return (0);
}

/* mcp_conf_member_timeout - "call_timeout_s": whole seconds, 1 to 3600 */
static int
mcp_conf_member_timeout(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
	    v->valuedouble > MCP_CONF_TIMEOUT_MAX ||
	    v->valuedouble != (double)(int)v->valuedouble)
		return (mcp_conf_fail(f, "call_timeout_s: want a whole number "
		    "of seconds from 1 to %d", MCP_CONF_TIMEOUT_MAX));
	s->call_timeout_s = (int)v->valuedouble;
	return (0);
}

/* mcp_conf_member_type - "type": only "stdio", as other MCP clients write it */
static int
mcp_conf_member_type(const struct mcp_cf *f, const cJSON *v,
    struct mcp_conf_server *s)
{
	(void)s;
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "stdio") != 0)
		return (mcp_conf_fail(f, "type: only \"stdio\" is supported "
		    "(streamable HTTP servers are not supported yet)"));
	return (0);
}

const struct mcp_conf_member mcp_conf_members[] = {
	{ "command", mcp_conf_member_command },
	{ "args", mcp_conf_member_args },
	{ "env", mcp_conf_member_env },
	{ "secret_env", mcp_conf_member_secret_env },
	{ "cwd", mcp_conf_member_cwd },
	{ "enabled", mcp_conf_member_enabled },
	{ "restart", mcp_conf_member_restart },
	{ "call_timeout_s", mcp_conf_member_timeout },
	{ "type", mcp_conf_member_type },
};

const size_t mcp_conf_nmembers =
    sizeof(mcp_conf_members) / sizeof(mcp_conf_members[0]);

