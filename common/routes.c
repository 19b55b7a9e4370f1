/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	routes - the model routes file: parse and validate
 * SYNOPSIS
 *	#include "routes.h"
 *
 *	struct routes *routes_load(const char *path, char *err,
 *		    size_t errlen);
 *	struct routes *routes_parse(const char *path, const char *text,
 *		    size_t len, char *err, size_t errlen);
 *	void	routes_free(struct routes *rs);
 *	int	routes_provider_local(const char *provider);
 *	const char *routes_local_list(void);
 * DESCRIPTION
 *	routes_load opens path without blocking (a FIFO must not hang the
 *	master), insists on a regular file of at most ROUTES_FILE_MAX bytes
 *	and parses it with routes_parse.
 *
 *	routes_parse takes {"routes": [...]} or a top-level array. Each
 *	route is checked against routes_fields[], one row per field: its
 *	key, whether it is required, its longest value and the check of its
 *	characters. A field the table does not know, a field given twice,
 *	a missing required field, a wrong type or a bad value is an error
 *	naming the field path, as routes[2].base_url or
 *	routes[0].headers.X-Org. Then the cross-field rules: route names
 *	are unique, and a route of a provider that is not local names a
 *	secret.
 *
 *	Headers are an object of name: value strings. A name is an HTTP
 *	token (RFC 9110 tchar) and may not be one that corral sets itself or
 *	that would carry a credential past the store (routes_reserved[]);
 *	a value may hold no CR, LF or other control character but tab.
 *	A base_url with user:password@ is refused for the same reason.
 * DIAGNOSTICS
 *	One line in err, starting "routes file PATH: ". Names and keys
 *	from the file are echoed with anything unprintable replaced by '?'
 *	and cut at ROUTES_ECHO_MAX characters; header values and base_url
 *	are never echoed. Running out of memory is fatal (xmalloc).
 * SEE ALSO
 *	docs/routes.md
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fsutil.h"
#include "routes.h"
#include "xmalloc.h"

#define ROUTES_ECHO_MAX		48
#define ROUTES_ALNUM		"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789"
#define ROUTES_NAME_CHARS	ROUTES_ALNUM "._-"
#define ROUTES_PROVIDER_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789._-"
#define ROUTES_TCHARS		ROUTES_ALNUM "!#$%&'*+-.^_`|~"
#define ROUTES_KNOWN		"name, provider, base_url, model, secret, " \
				"headers"

/* The providers that may go without a secret; docs/routes.md lists them. */
static const char routes_local[] = "ollama, vllm, llamacpp, exllamav2, "
	"sglang, tgi, localai, lmstudio, openai-compatible";

/* Header names a route may not set, and why. */
static const struct {
	const char	*name;
	const char	*why;
} routes_reserved[] = {
	{ "authorization", "credentials belong in the secret store; name "
	    "the entry with \"secret\"" },
	{ "proxy-authorization", "credentials belong in the secret store; "
	    "name the entry with \"secret\"" },
	{ "host", "is taken from base_url" },
	{ "content-length", "is set by corral" },
	{ "transfer-encoding", "is set by corral" },
	{ "connection", "is set by corral" },
};

struct routes_ctx {
	const char	*path;
	char		*err;
	size_t		 errlen;
	char		 where[32];	/* "routes[12]" */
};

enum routes_ftype { RF_STR, RF_HEADERS };

struct routes_field {
	const char		*key;
	enum routes_ftype	 type;
	int			 required;
	size_t			 off;	/* RF_STR: of the char * in a route */
	size_t			 max;	/* RF_STR: longest value */
	const char		*(*check)(const char *); /* NULL or why */
};

static const char	*routes_check_name(const char *);
static const char	*routes_check_provider(const char *);
static const char	*routes_check_url(const char *);
static const char	*routes_check_text(const char *);
static const char	*routes_check_secret(const char *);

#define ROFF(f)	offsetof(struct route, f)

static const struct routes_field routes_fields[] = {
	{ "name", RF_STR, 1, ROFF(name), ROUTES_NAME_MAX, routes_check_name },
	{ "provider", RF_STR, 1, ROFF(provider), ROUTES_PROVIDER_MAX,
	    routes_check_provider },
	{ "base_url", RF_STR, 1, ROFF(base_url), ROUTES_URL_MAX,
	    routes_check_url },
	{ "model", RF_STR, 1, ROFF(model), ROUTES_MODEL_MAX,
	    routes_check_text },
	{ "secret", RF_STR, 0, ROFF(secret), ROUTES_SECRET_MAX,
	    routes_check_secret },
	{ "headers", RF_HEADERS, 0, 0, 0, NULL },
};

#define ROUTES_NFIELDS	(sizeof(routes_fields) / sizeof(routes_fields[0]))

static void	*routes_fail(const struct routes_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* routes_fail - "routes file PATH: " and the message into err; NULL */
static void *
routes_fail(const struct routes_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (ctx->err == NULL || ctx->errlen == 0)
		return (NULL);
	n = snprintf(ctx->err, ctx->errlen, "routes file %s: ", ctx->path);
	if (n < 0 || (size_t)n >= ctx->errlen)
		return (NULL);
	va_start(ap, fmt);
	vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return (NULL);
}

/* routes_echo - s made printable and short enough for a message */
static const char *
routes_echo(const char *s, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i < ROUTES_ECHO_MAX && i + 4 < len; i++)
		buf[i] = s[i] >= ' ' && s[i] < 0x7f ? s[i] : '?';
	if (s[i] != '\0' && i + 4 <= len) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return (buf);
}

/* routes_all_of - is s made only of the characters in set? */
static int
routes_all_of(const char *s, const char *set)
{
	return (s[strspn(s, set)] == '\0');
}

/* routes_has_ctl - does s hold a control character (tab allowed if tab)? */
static int
routes_has_ctl(const char *s, int tab)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < ' ' && !(tab && *p == '\t')) || *p == 0x7f)
			return (1);
	return (0);
}

/* routes_check_name - route names: [A-Za-z0-9._-] */
static const char *
routes_check_name(const char *s)
{
	return (routes_all_of(s, ROUTES_NAME_CHARS) ? NULL :
	    "may only hold A-Z a-z 0-9 . _ -");
}

/* routes_check_provider - provider names: [a-z0-9._-] */
static const char *
routes_check_provider(const char *s)
{
	return (routes_all_of(s, ROUTES_PROVIDER_CHARS) ? NULL :
	    "may only hold a-z 0-9 . _ -");
}

/* routes_check_url - http(s)://host..., no blanks, no credentials */
static const char *
routes_check_url(const char *s)
{
	const char	*auth;
	size_t		 n;

	if (strncasecmp(s, "http://", 7) == 0)
		auth = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		auth = s + 8;
	else
		return ("must start with http:// or https://");
	if (routes_has_ctl(s, 0) || strchr(s, ' ') != NULL)
		return ("must not hold blanks or control characters");
	n = strcspn(auth, "/?#");
	if (n == 0 || auth[0] == ':')
		return ("has no host after the scheme");
	if (memchr(auth, '@', n) != NULL)
		return ("must not hold user:password@; credentials belong in "
		    "the secret store");
	return (NULL);
}

/* routes_check_text - any printable text (model names) */
static const char *
routes_check_text(const char *s)
{
	return (routes_has_ctl(s, 0) ? "must not hold control characters" :
	    NULL);
}

/* routes_check_secret - a store entry name: [A-Za-z0-9._-], alnum first */
static const char *
routes_check_secret(const char *s)
{
	if (strchr(ROUTES_ALNUM, s[0]) == NULL ||
	    !routes_all_of(s, ROUTES_NAME_CHARS))
		return ("must name a store entry: A-Z a-z 0-9 . _ -, starting "
		    "with a letter or digit");
	return (NULL);
}

/* routes_provider_local - 1 if provider runs locally and needs no secret */
int
routes_provider_local(const char *provider)
{
	const char	*p = routes_local, *e;
	size_t		 n = strlen(provider);

	for (;;) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == n && strncmp(p, provider, n) == 0)
			return (n > 0);
		if (*e == '\0')
			return (0);
		p = e + 2;		/* ", " */
	}
}

/* routes_local_list - the local providers, ", "-separated, for messages */
const char *
routes_local_list(void)
{
	return (routes_local);
}

/* routes_reserved_why - why a header name is reserved, NULL if it is not */
static const char *
routes_reserved_why(const char *name)
{
	size_t	k;

	for (k = 0; k < sizeof(routes_reserved) / sizeof(routes_reserved[0]);
	    k++)
		if (strcasecmp(name, routes_reserved[k].name) == 0)
			return (routes_reserved[k].why);
	return (NULL);
}

/* routes_header - check one "name": "value" of headers and keep it */
static int
routes_header(const struct routes_ctx *ctx, const cJSON *h, struct route *r)
{
	const char	*name = h->string, *why;
	char		 echo[ROUTES_ECHO_MAX + 4];
	size_t		 k;

	if (*name == '\0' || strlen(name) > ROUTES_HNAME_MAX ||
	    !routes_all_of(name, ROUTES_TCHARS)) {
		routes_fail(ctx, "%s.headers: '%s' is not a valid header name",
		    ctx->where, routes_echo(name, echo, sizeof(echo)));
		return (-1);
	}
	if ((why = routes_reserved_why(name)) != NULL) {
		routes_fail(ctx, "%s.headers.%s: may not be set here: %s",
		    ctx->where, name, why);
		return (-1);
	}
	for (k = 0; k < r->nheaders; k++)
		if (strcasecmp(r->headers[k].name, name) == 0) {
			routes_fail(ctx, "%s.headers.%s: given twice",
			    ctx->where, name);
			return (-1);
		}
	if (!cJSON_IsString(h) || h->valuestring == NULL) {
		routes_fail(ctx, "%s.headers.%s: must be a string", ctx->where,
		    name);
		return (-1);
	}
	if (strlen(h->valuestring) > ROUTES_HVALUE_MAX) {
		routes_fail(ctx, "%s.headers.%s: longer than %d characters",
		    ctx->where, name, ROUTES_HVALUE_MAX);
		return (-1);
	}
	if (routes_has_ctl(h->valuestring, 1)) {
		routes_fail(ctx, "%s.headers.%s: must not hold CR, LF or other "
		    "control characters", ctx->where, name);
		return (-1);
	}
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(h->valuestring);
	r->nheaders++;
	return (0);
}

/* routes_headers - the headers object of one route */
static int
routes_headers(const struct routes_ctx *ctx, const cJSON *item,
    struct route *r)
{
	const cJSON	*h;
	int		 n;

	if (!cJSON_IsObject(item)) {
		routes_fail(ctx, "%s.headers: must be an object of "
		    "\"Name\": \"value\" strings", ctx->where);
		return (-1);
	}
	if ((n = cJSON_GetArraySize(item)) > ROUTES_HEADERS_MAX) {
		routes_fail(ctx, "%s.headers: more than %d headers", ctx->where,
		    ROUTES_HEADERS_MAX);
		return (-1);
	}
	r->headers = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*r->headers));
	cJSON_ArrayForEach(h, item)
		if (routes_header(ctx, h, r) == -1)
			return (-1);
	return (0);
}

/* routes_string - check one string field against its row and keep it */
static int
routes_string(const struct routes_ctx *ctx, const struct routes_field *f,
    const cJSON *item, struct route *r)
{
	const char	*s, *why;

	if (!f->required && cJSON_IsNull(item))
		return (0);
	if (!cJSON_IsString(item) || item->valuestring == NULL) {
		routes_fail(ctx, "%s.%s: must be a string%s", ctx->where,
		    f->key, f->required ? "" : " or null");
		return (-1);
	}
	s = item->valuestring;
	if (*s == '\0') {
		routes_fail(ctx, "%s.%s: must not be empty", ctx->where,
		    f->key);
		return (-1);
	}
	if (strlen(s) > f->max) {
		routes_fail(ctx, "%s.%s: longer than %zu characters",
		    ctx->where, f->key, f->max);
		return (-1);
	}
	if (f->check != NULL && (why = f->check(s)) != NULL) {
		routes_fail(ctx, "%s.%s: %s", ctx->where, f->key, why);
		return (-1);
	}
	*(char **)(void *)((char *)r + f->off) = xstrdup(s);
	return (0);
}

/* routes_field_find - row of a key in routes_fields[], -1 if unknown */
static int
routes_field_find(const char *key)
{
	size_t	k;

	for (k = 0; k < ROUTES_NFIELDS; k++)
		if (strcmp(routes_fields[k].key, key) == 0)
			return ((int)k);
	return (-1);
}

/* routes_one - check route i (obj) and fill r */
static int
routes_one(struct routes_ctx *ctx, const cJSON *obj, size_t i,
    struct route *r)
{
	const struct routes_field	*f;
	const cJSON			*item;
	char				 echo[ROUTES_ECHO_MAX + 4];
	unsigned			 seen = 0;
	size_t				 k;
	int				 rc;

	snprintf(ctx->where, sizeof(ctx->where), "routes[%zu]", i);
	if (!cJSON_IsObject(obj)) {
		routes_fail(ctx, "%s: must be an object", ctx->where);
		return (-1);
	}
	cJSON_ArrayForEach(item, obj) {
		if ((rc = routes_field_find(item->string)) == -1) {
			routes_fail(ctx, "%s.%s: unknown field (known: "
			    ROUTES_KNOWN ")", ctx->where,
			    routes_echo(item->string, echo, sizeof(echo)));
			return (-1);
		}
		f = &routes_fields[rc];
		if (seen & (1u << rc)) {
			routes_fail(ctx, "%s.%s: given twice", ctx->where,
			    f->key);
			return (-1);
		}
		seen |= 1u << rc;
		rc = f->type == RF_HEADERS ? routes_headers(ctx, item, r) :
		    routes_string(ctx, f, item, r);
		if (rc == -1)
			return (-1);
	}
	for (k = 0; k < ROUTES_NFIELDS; k++)
		if (routes_fields[k].required && !(seen & (1u << k))) {
			routes_fail(ctx, "%s.%s: missing", ctx->where,
			    routes_fields[k].key);
			return (-1);
		}
	if (r->secret == NULL && !routes_provider_local(r->provider)) {
		routes_fail(ctx, "%s.secret: missing; provider '%s' is not "
		    "local (%s) and needs the name of a store entry",
		    ctx->where, r->provider, routes_local);
		return (-1);
	}
	return (0);
}

/* routes_list - the array of routes in root, NULL + err if none */
static const cJSON *
routes_list(const struct routes_ctx *ctx, const cJSON *root)
{
	const cJSON	*item, *list = NULL;
	char		 echo[ROUTES_ECHO_MAX + 4];

	if (cJSON_IsArray(root))
		return (root);
	if (!cJSON_IsObject(root))
		return (routes_fail(ctx, "want {\"routes\": [...]} or an "
		    "array of routes"));
	cJSON_ArrayForEach(item, root) {
		if (strcmp(item->string, "routes") != 0)
			return (routes_fail(ctx, "%s: unknown field (the file "
			    "holds only \"routes\")",
			    routes_echo(item->string, echo, sizeof(echo))));
		if (list != NULL)
			return (routes_fail(ctx, "routes: given twice"));
		list = item;
	}
	if (list == NULL)
		return (routes_fail(ctx, "routes: missing"));
	if (!cJSON_IsArray(list))
		return (routes_fail(ctx, "routes: must be an array"));
	return (list);
}

/* routes_line - line number of position p in text */
static int
routes_line(const char *text, const char *p)
{
	int	line = 1;

	for (; text < p; text++)
		if (*text == '\n')
			line++;
	return (line);
}

/* routes_parse - validate len bytes of JSON text; NULL + err */
struct routes *
routes_parse(const char *path, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct routes_ctx	 ctx;
	struct routes		*rs;
	const cJSON		*list, *el;
	cJSON			*root;
	const char		*end = NULL, *p;
	size_t			 i, k, n;

	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.err = err;
	ctx.errlen = errlen;
	if (memchr(text, '\0', len) != NULL)
		return (routes_fail(&ctx, "holds a NUL byte"));
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		if (end == NULL || end < text || end > text + len)
			end = text + len;
		return (routes_fail(&ctx, "not valid JSON (line %d)",
		    routes_line(text, end)));
	}
	for (p = end; p != NULL && p < text + len; p++)
		if (strchr(" \t\r\n", *p) == NULL) {
			cJSON_Delete(root);
			return (routes_fail(&ctx, "not valid JSON: more after "
			    "the end (line %d)", routes_line(text, p)));
		}
	if ((list = routes_list(&ctx, root)) == NULL) {
		cJSON_Delete(root);
		return (NULL);
	}
	if ((n = (size_t)cJSON_GetArraySize(list)) > ROUTES_MAX) {
		cJSON_Delete(root);
		return (routes_fail(&ctx, "more than %d routes", ROUTES_MAX));
	}
	rs = xcalloc(1, sizeof(*rs));
	rs->v = xcalloc(n > 0 ? n : 1, sizeof(*rs->v));
	i = 0;
	cJSON_ArrayForEach(el, list) {
		rs->n = i + 1;
		if (routes_one(&ctx, el, i, &rs->v[i]) == -1)
			goto fail;
		for (k = 0; k < i; k++)
			if (strcmp(rs->v[k].name, rs->v[i].name) == 0) {
				routes_fail(&ctx, "%s.name: '%s' is already "
				    "the name of routes[%zu]", ctx.where,
				    rs->v[i].name, k);
				goto fail;
			}
		i++;
	}
	cJSON_Delete(root);
	return (rs);
fail:
	cJSON_Delete(root);
	routes_free(rs);
	return (NULL);
}

/* routes_read - the whole regular file at path, NUL-terminated; NULL + err */
static char *
routes_read(const struct routes_ctx *ctx, size_t *lenp)
{
	char	*buf, why[256];

	if ((buf = fs_read_conf(ctx->path, ROUTES_FILE_MAX, lenp, why,
	    sizeof(why))) == NULL)
		return (routes_fail(ctx, "%s", why));
	return (buf);
}

/* routes_load - read and validate the routes file at path; NULL + err */
struct routes *
routes_load(const char *path, char *err, size_t errlen)
{
	struct routes_ctx	 ctx;
	struct routes		*rs;
	char			*text;
	size_t			 len = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.err = err;
	ctx.errlen = errlen;
	if ((text = routes_read(&ctx, &len)) == NULL)
		return (NULL);
	rs = routes_parse(path, text, len, err, errlen);
	free(text);
	return (rs);
}

/* routes_free - free a set; NULL is fine */
void
routes_free(struct routes *rs)
{
	struct route	*r;
	size_t		 i, k;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		free(r->name);
		free(r->provider);
		free(r->base_url);
		free(r->model);
		free(r->secret);
		for (k = 0; k < r->nheaders; k++) {
			free(r->headers[k].name);
			free(r->headers[k].value);
		}
		free(r->headers);
	}
	free(rs->v);
	free(rs);
}
