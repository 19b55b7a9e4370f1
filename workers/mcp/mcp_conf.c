/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_conf - read and check the MCP servers file
 * SYNOPSIS
 *	#include "mcp_conf.h"
 * DESCRIPTION
 *	See mcp_conf.h. The text must be one JSON object and nothing after
 *	it, without NUL bytes and without a \u0000 escape (a C string would
 *	end there and say something else than the file). Each member of a
 *	server is read by one row of mcp_conf_members[] (mcp_conf_member.c);
 *	a server with a
 *	"url" is refused before anything else is looked at, so the line
 *	says why rather than naming its first unknown member.
 * DIAGNOSTICS
 *	One line in err, see mcp_conf.h. Running out of memory is fatal.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fsutil.h"
#include "xmalloc.h"

#include "mcp_conf.h"
#include "mcp_conf_priv.h"

static int	mcp_conf_fail_at(const struct mcp_cf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	mcp_conf_vfail(const struct mcp_cf *, const char *,
		    const char *, va_list) __attribute__((format(printf, 3, 0)));

/* mcp_conf_vfail - "PATH: [WHERE<sep>]why" into err; -1 */
static int
mcp_conf_vfail(const struct mcp_cf *f, const char *sep, const char *fmt,
    va_list ap)
{
	int	n;

	if (f->err == NULL || f->errlen == 0)
		return (-1);
	if (f->where[0] != '\0')
		n = snprintf(f->err, f->errlen, "%s: %s%s", f->path, f->where,
		    sep);
	else
		n = snprintf(f->err, f->errlen, "%s: ", f->path);
	if (n < 0 || (size_t)n >= f->errlen)
		return (-1);
	vsnprintf(f->err + n, f->errlen - (size_t)n, fmt, ap);
	return (-1);
}

/* mcp_conf_fail - "PATH: [servers.NAME.]member: why" into err; -1 */
int
mcp_conf_fail(const struct mcp_cf *f, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)mcp_conf_vfail(f, ".", fmt, ap);
	va_end(ap);
	return (-1);
}

/* mcp_conf_fail_at - "PATH: servers.NAME: why" into err; -1 */
static int
mcp_conf_fail_at(const struct mcp_cf *f, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)mcp_conf_vfail(f, ": ", fmt, ap);
	va_end(ap);
	return (-1);
}

/* mcp_conf_echo - s made printable and cut short, for a message */
const char *
mcp_conf_echo(const char *s, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] != '\0' && len > 4)
		memcpy(buf + len - 4, "...", 4);
	return (buf);
}

/* mcp_conf_name_ok - 1 to 64 of [A-Za-z0-9._-], not starting . or - */
static int
mcp_conf_name_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= MCP_CONF_NAME_MAX && s[0] != '.' &&
	    s[0] != '-' && strspn(s, MCP_CONF_NAME_CHARS) == n);
}

/* mcp_conf_check_vars - env and secret_env do not both set a variable */
static int
mcp_conf_check_vars(const struct mcp_cf *f, const struct mcp_conf_server *s)
{
	size_t	i, k;

	for (i = 0; i < s->nsecret; i++)
		for (k = 0; k < s->nenv; k++)
			if (strcmp(s->secret_var[i], s->env_name[k]) == 0)
				return (mcp_conf_fail(f, "secret_env.%s: also "
				    "set in env", s->secret_var[i]));
	return (0);
}

/* mcp_conf_server - one server object into a new server; NULL and why */
static struct mcp_conf_server *
mcp_conf_server(struct mcp_cf *f, const char *key, const cJSON *obj)
{
	struct mcp_conf_server	*s;
	const cJSON		*item;
	char			 echo[MCP_CONF_ECHO_LEN];
	unsigned		 seen = 0;
	size_t			 k;

	snprintf(f->where, sizeof(f->where), "%s.%s", key,
	    obj->string[0] == '\0' ? "\"\"" : mcp_conf_echo(obj->string,
	    echo, sizeof(echo)));
	if (!mcp_conf_name_ok(obj->string)) {
		mcp_conf_fail_at(f, "not a server name (1 to 64 of a-z A-Z "
		    "0-9 . _ -, not starting with . or -)");
		return (NULL);
	}
	if (!cJSON_IsObject(obj)) {
		mcp_conf_fail_at(f, "want an object {\"command\": ..., "
		    "\"args\": [...]}");
		return (NULL);
	}
	if (cJSON_GetObjectItemCaseSensitive(obj, "url") != NULL) {
		mcp_conf_fail(f, "url: streamable HTTP servers are not "
		    "supported yet (use a stdio command)");
		return (NULL);
	}
	s = xcalloc(1, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", obj->string);
	s->enabled = 1;
	s->restart = MCP_RESTART_ALWAYS;
	s->call_timeout_s = f->opts != NULL && f->opts->call_timeout_s > 0 ?
	    f->opts->call_timeout_s : MCP_CONF_TIMEOUT_DEF;
	cJSON_ArrayForEach(item, obj) {
		for (k = 0; k < mcp_conf_nmembers; k++)
			if (strcmp(mcp_conf_members[k].key, item->string) == 0)
				break;
		if (k == mcp_conf_nmembers) {
			mcp_conf_fail(f, "%s: unknown member " MCP_CONF_KNOWN,
			    mcp_conf_echo(item->string, echo, sizeof(echo)));
			goto bad;
		}
		if (seen & (1u << k)) {
			mcp_conf_fail(f, "%s: given twice", item->string);
			goto bad;
		}
		seen |= 1u << k;
		if (mcp_conf_members[k].read(f, item, s) == -1)
			goto bad;
	}
	if (s->command == NULL) {
		mcp_conf_fail(f, "command: missing");
		goto bad;
	}
	if (s->args == NULL)
		s->args = xcalloc(1, sizeof(*s->args));
	if (mcp_conf_check_vars(f, s) == 0)
		return (s);
bad:
	mcp_conf_server_free(s);
	return (NULL);
}

/* mcp_conf_list - the "servers" (or "mcpServers") object of root */
static const cJSON *
mcp_conf_list(const struct mcp_cf *f, const cJSON *root)
{
	const cJSON	*item, *list = NULL;
	char		 echo[MCP_CONF_ECHO_LEN];

	if (!cJSON_IsObject(root)) {
		mcp_conf_fail(f, "want {\"servers\": {NAME: {...}}}");
		return (NULL);
	}
	cJSON_ArrayForEach(item, root) {
		if (strcmp(item->string, "servers") != 0 &&
		    strcmp(item->string, "mcpServers") != 0) {
			mcp_conf_fail(f, "%s: unknown member (the file holds "
			    "\"servers\" or \"mcpServers\")", mcp_conf_echo(
			    item->string, echo, sizeof(echo)));
			return (NULL);
		}
		if (list != NULL) {
			if (strcmp(list->string, item->string) == 0)
				mcp_conf_fail(f, "%s: given twice",
				    item->string);
			else
				mcp_conf_fail(f, "servers and mcpServers: "
				    "give one, not both");
			return (NULL);
		}
		list = item;
	}
	if (list == NULL) {
		mcp_conf_fail(f, "servers: missing");
		return (NULL);
	}
	if (!cJSON_IsObject(list)) {
		mcp_conf_fail(f, "%s: want an object of NAME: {...}",
		    list->string);
		return (NULL);
	}
	if (cJSON_GetArraySize(list) > MCP_CONF_SERVERS_MAX) {
		mcp_conf_fail(f, "%s: more than %d servers", list->string,
		    MCP_CONF_SERVERS_MAX);
		return (NULL);
	}
	return (list);
}

/* mcp_conf_cmp - qsort order of servers: by name */
static int
mcp_conf_cmp(const void *a, const void *b)
{
	const struct mcp_conf_server *const *x = a, *const *y = b;

	return (strcmp((*x)->name, (*y)->name));
}

/* mcp_conf_line - line number of position at in text */
static int
mcp_conf_line(const char *text, const char *at)
{
	int	line = 1;

	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return (line);
}

/* mcp_conf_nul_escape - position of a \u0000 escape in text, or NULL */
static const char *
mcp_conf_nul_escape(const char *text, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (text[i] != '\\')
			continue;
		if (i + 5 < len && text[i + 1] == 'u' &&
		    memcmp(text + i + 2, "0000", 4) == 0)
			return (text + i);
		i++;		/* the escaped character */
	}
	return (NULL);
}

/* mcp_conf_servers - every server of list into c; 0 or -1 */
static int
mcp_conf_servers(struct mcp_cf *f, const cJSON *list, struct mcp_conf *c)
{
	const cJSON	*obj, *o;
	char		 echo[MCP_CONF_ECHO_LEN];

	c->v = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*c->v));
	cJSON_ArrayForEach(obj, list) {
		for (o = list->child; o != obj; o = o->next)
			if (strcmp(o->string, obj->string) == 0)
				return (mcp_conf_fail(f, "%s.%s: given twice",
				    list->string, mcp_conf_echo(obj->string,
				    echo, sizeof(echo))));
		if ((c->v[c->n] = mcp_conf_server(f, list->string, obj)) ==
		    NULL)
			return (-1);
		c->n++;
		f->where[0] = '\0';
	}
	qsort(c->v, c->n, sizeof(*c->v), mcp_conf_cmp);
	return (0);
}

/* mcp_conf_parse - check the text of a servers file; NULL and why */
struct mcp_conf *
mcp_conf_parse(const char *path, const char *text, size_t len,
    const struct mcp_conf_opts *opts, char *err, size_t errlen)
{
	struct mcp_conf	*c;
	struct mcp_cf	 f;
	const cJSON	*list;
	cJSON		*root;
	const char	*end = NULL, *p;

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.err = err;
	f.errlen = errlen;
	f.opts = opts;
	if (memchr(text, '\0', len) != NULL) {
		mcp_conf_fail(&f, "holds a NUL byte");
		return (NULL);
	}
	if ((p = mcp_conf_nul_escape(text, len)) != NULL) {
		mcp_conf_fail(&f, "holds a \\u0000 escape (line %d)",
		    mcp_conf_line(text, p));
		return (NULL);
	}
	if ((root = cJSON_ParseWithLengthOpts(text, len, &end, 0)) == NULL) {
		if (end == NULL || end < text || end > text + len)
			end = text + len;
		mcp_conf_fail(&f, "not valid JSON (line %d)",
		    mcp_conf_line(text, end));
		return (NULL);
	}
	for (p = end; p != NULL && p < text + len; p++)
		if (strchr(" \t\r\n", *p) == NULL) {
			mcp_conf_fail(&f, "not valid JSON: more after the end "
			    "(line %d)", mcp_conf_line(text, p));
			cJSON_Delete(root);
			return (NULL);
		}
	c = xcalloc(1, sizeof(*c));
	if ((list = mcp_conf_list(&f, root)) == NULL ||
	    mcp_conf_servers(&f, list, c) == -1) {
		mcp_conf_free(c);
		c = NULL;
	}
	cJSON_Delete(root);
	return (c);
}

/* mcp_conf_read - the whole regular file, NUL-terminated; NULL and why */
static char *
mcp_conf_read(const struct mcp_cf *f, size_t *lenp)
{
	char	*buf, why[256];

	if ((buf = fs_read_conf(f->path, MCP_CONF_FILE_MAX, lenp, why,
	    sizeof(why))) == NULL)
		mcp_conf_fail(f, "%s", why);
	return (buf);
}

/* mcp_conf_load - read and check the servers file; NULL and why */
struct mcp_conf *
mcp_conf_load(const char *path, const struct mcp_conf_opts *opts, char *err,
    size_t errlen)
{
	struct mcp_conf	*c;
	struct mcp_cf	 f;
	char		*text;
	size_t		 len = 0;

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.err = err;
	f.errlen = errlen;
	if ((text = mcp_conf_read(&f, &len)) == NULL)
		return (NULL);
	c = mcp_conf_parse(path, text, len, opts, err, errlen);
	free(text);
	return (c);
}

/* mcp_conf_take - server i, now the caller's (takes it out of c) */
struct mcp_conf_server *
mcp_conf_take(struct mcp_conf *c, size_t i)
{
	struct mcp_conf_server	*s;

	if (i >= c->n)
		return (NULL);
	s = c->v[i];
	c->v[i] = NULL;
	return (s);
}

/* mcp_conf_strv_equal - two NULL-safe string vectors of n are equal */
static int
mcp_conf_strv_equal(char **a, char **b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i], b[i]) != 0)
			return (0);
	return (1);
}

/* mcp_conf_server_equal - 1 if a and b run the same server */
int
mcp_conf_server_equal(const struct mcp_conf_server *a,
    const struct mcp_conf_server *b)
{
	if (strcmp(a->name, b->name) != 0 ||
	    strcmp(a->command, b->command) != 0 ||
	    a->nargs != b->nargs || a->nenv != b->nenv ||
	    a->nsecret != b->nsecret || a->enabled != b->enabled ||
	    a->restart != b->restart ||
	    a->call_timeout_s != b->call_timeout_s ||
	    (a->cwd == NULL) != (b->cwd == NULL) ||
	    (a->cwd != NULL && strcmp(a->cwd, b->cwd) != 0))
		return (0);
	return (mcp_conf_strv_equal(a->args, b->args, a->nargs) &&
	    mcp_conf_strv_equal(a->env_name, b->env_name, a->nenv) &&
	    mcp_conf_strv_equal(a->env_value, b->env_value, a->nenv) &&
	    mcp_conf_strv_equal(a->secret_var, b->secret_var, a->nsecret) &&
	    mcp_conf_strv_equal(a->secret_name, b->secret_name, a->nsecret));
}

/* mcp_conf_strv_free - free a vector of n strings */
static void
mcp_conf_strv_free(char **v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* mcp_conf_server_free - free one server; NULL is fine */
void
mcp_conf_server_free(struct mcp_conf_server *s)
{
	if (s == NULL)
		return;
	free(s->command);
	mcp_conf_strv_free(s->args, s->nargs);
	mcp_conf_strv_free(s->env_name, s->nenv);
	mcp_conf_strv_free(s->env_value, s->nenv);
	mcp_conf_strv_free(s->secret_var, s->nsecret);
	mcp_conf_strv_free(s->secret_name, s->nsecret);
	free(s->cwd);
	free(s);
}

/* mcp_conf_free - free the list and the servers still in it */
void
mcp_conf_free(struct mcp_conf *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		mcp_conf_server_free(c->v[i]);
	free(c->v);
	free(c);
}
