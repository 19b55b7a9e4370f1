/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_profile_file - read the engines file over the built-in profiles
 * SYNOPSIS
 *	#include "eng_profile.h"
 *
 *	struct eng_profiles *eng_profiles_load(const char *path, char *err,
 *		    size_t errlen);
 * DESCRIPTION
 *	See eng_profile.h. The file is opened without blocking (a FIFO must
 *	not hang the worker), must be a regular file of at most
 *	ENG_PROFILE_FILE_MAX bytes without NUL bytes, and hold one JSON
 *	object {"profiles": {NAME: {FIELD: VALUE, ...}, ...}} and nothing
 *	else.
 *
 *	Each field replaces the profile's own. Strings that may hold
 *	placeholders (entrypoint, args, env values, volumes) are expanded
 *	once with stand-in values as they are read, so an unknown
 *	placeholder or a stray brace is an error here rather than at
 *	launch, and a volume must still be SOURCE:TARGET[:ro] once
 *	expanded. A new profile not giving them gets startup_timeout_s
 *	600 and the probe /v1/models.
 *
 *	Every profile the file names must, once read, hold {port} in its
 *	entrypoint, args or env: with host networking the engine has to be
 *	told which port corral gives it.
 * DIAGNOSTICS
 *	One line in err: "PATH: profile NAME: FIELD: why", or "PATH: why"
 *	for the file as a whole. Names from the file are echoed printable
 *	and cut short. Running out of memory is fatal (xmalloc).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fsutil.h"

#include "eng_check.h"
#include "eng_profile.h"
#include "eng_profile_priv.h"
#include "xmalloc.h"

#define ENG_PF_NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789_.-"
#define ENG_PF_KNOWN		"image, port, entrypoint, args, env, " \
				"volumes, probes, startup_timeout_s, " \
				"ipc_host, model_is_name"

enum eng_pf_field {
	PF_IMAGE, PF_PORT, PF_ENTRYPOINT, PF_ARGS, PF_ENV, PF_VOLUMES,
	PF_PROBES, PF_TIMEOUT, PF_IPC_HOST, PF_MODEL_IS_NAME, PF_NFIELDS
};

static const char *const eng_pf_keys[PF_NFIELDS] = {
	"image", "port", "entrypoint", "args", "env", "volumes", "probes",
	"startup_timeout_s", "ipc_host", "model_is_name",
};

/* the stand-ins placeholders expand to while the file is read */
static const struct eng_profile_vars eng_pf_vars = {
	"engine", 8000, "/models/model"
};

/* the file being read */
struct eng_pf {
	const char	*path;
	char		*err;
	size_t		 errlen;
	char		 profile[ENG_CHECK_ECHO_LEN];	/* "" outside one */
};

static int	eng_profile_file_fail(const struct eng_pf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* eng_profile_file_fail - "PATH: [profile NAME: ]why" into err; -1 */
static int
eng_profile_file_fail(const struct eng_pf *f, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (f->err == NULL || f->errlen == 0)
		return (-1);
	if (f->profile[0] != '\0')
		n = snprintf(f->err, f->errlen, "%s: profile %s: ", f->path,
		    f->profile);
	else
		n = snprintf(f->err, f->errlen, "%s: ", f->path);
	if (n < 0 || (size_t)n >= f->errlen)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(f->err + n, f->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return (-1);
}

/* eng_profile_file_expands - check that s expands, naming key and sub
 * ("[2]", ".NAME") if not; the expansion into *out if out; 0 or -1 */
static int
eng_profile_file_expands(const struct eng_pf *f, const char *key,
    const char *sub, const char *s, char **out)
{
	char	 why[256], *x;

	x = eng_profile_expand(s, &eng_pf_vars, why, sizeof(why));
	if (x == NULL)
		return (eng_profile_file_fail(f, "%s%s: %s", key, sub, why));
	if (out != NULL)
		*out = x;
	else
		free(x);
	return (0);
}

/* eng_profile_file_probe - NULL if s is a probe path, else why */
static const char *
eng_profile_file_probe(const char *s)
{
	if (s[0] != '/' || strlen(s) > ENG_PROFILE_PROBE_LEN ||
	    eng_check_has_ctl(s) || strchr(s, ' ') != NULL)
		return ("want an absolute path (\"/health\") of at most 256 "
		    "characters, without blanks");
	return (NULL);
}

/* eng_profile_file_strv - an array of min-max strings into v, replacing
 * it; each checked as field k asks */
static int
eng_profile_file_strv(const struct eng_pf *f, const cJSON *item,
    enum eng_pf_field k, size_t min, size_t max, struct eng_strv *v)
{
	const char	*key = eng_pf_keys[k], *why;
	const cJSON	*el;
	char		 sub[32], *x = NULL;
	size_t		 n, i = 0;

	if (!cJSON_IsArray(item) ||
	    (n = (size_t)cJSON_GetArraySize(item)) < min || n > max)
		return (eng_profile_file_fail(f, "%s: want an array of %zu to "
		    "%zu strings", key, min, max));
	eng_profile_strv_free(v);
	cJSON_ArrayForEach(el, item) {
		snprintf(sub, sizeof(sub), "[%zu]", i++);
		if (!cJSON_IsString(el) || el->valuestring == NULL)
			return (eng_profile_file_fail(f, "%s%s: must be a "
			    "string", key, sub));
		if (k == PF_PROBES) {
			if ((why = eng_profile_file_probe(el->valuestring)) !=
			    NULL)
				return (eng_profile_file_fail(f, "%s%s: %s",
				    key, sub, why));
		} else if (eng_profile_file_expands(f, key, sub,
		    el->valuestring, k == PF_VOLUMES ? &x : NULL) == -1)
			return (-1);
		if (k == PF_VOLUMES) {
			why = eng_check_volume(x);
			free(x);
			if (why != NULL)
				return (eng_profile_file_fail(f, "%s%s: %s",
				    key, sub, why));
		}
		eng_profile_strv_push(v, el->valuestring);
	}
	return (0);
}

/* eng_profile_file_env - an object of strings into pr->env, KEY=VALUE */
static int
eng_profile_file_env(const struct eng_pf *f, const cJSON *item,
    struct eng_profile *pr)
{
	const cJSON	*el, *o;
	char		 echo[ENG_CHECK_ECHO_LEN], sub[ENG_CHECK_ECHO_LEN + 1];
	char		*kv;

	if (!cJSON_IsObject(item) ||
	    cJSON_GetArraySize(item) > ENG_PROFILE_STRV_MAX)
		return (eng_profile_file_fail(f, "env: want an object of at "
		    "most %d \"NAME\": \"value\" strings",
		    ENG_PROFILE_STRV_MAX));
	eng_profile_strv_free(&pr->env);
	cJSON_ArrayForEach(el, item) {
		if (!eng_check_env_name(el->string))
			return (eng_profile_file_fail(f, "env: '%s' is not a "
			    "variable name ([A-Za-z_][A-Za-z0-9_]*)",
			    eng_check_echo(el->string, echo, sizeof(echo))));
		for (o = item->child; o != el; o = o->next)
			if (strcmp(o->string, el->string) == 0)
				return (eng_profile_file_fail(f, "env.%s: "
				    "given twice", el->string));
		snprintf(sub, sizeof(sub), ".%s", el->string);
		if (!cJSON_IsString(el) || el->valuestring == NULL)
			return (eng_profile_file_fail(f, "env%s: must be a "
			    "string", sub));
		if (eng_profile_file_expands(f, "env", sub, el->valuestring,
		    NULL) == -1)
			return (-1);
		xasprintf(&kv, "%s=%s", el->string, el->valuestring);
		pr->env.v = xrealloc(pr->env.v, (pr->env.n + 1) *
		    sizeof(*pr->env.v));
		pr->env.v[pr->env.n++] = kv;
	}
	return (0);
}

/* eng_profile_file_field - read field k of a profile into pr; 0 or -1 */
static int
eng_profile_file_field(const struct eng_pf *f, enum eng_pf_field k,
    const cJSON *item, struct eng_profile *pr)
{
	const char	*why;

	switch (k) {
	case PF_IMAGE:
		if (!cJSON_IsString(item) || item->valuestring == NULL)
			return (eng_profile_file_fail(f, "image: must be a "
			    "string"));
		if ((why = eng_check_image(item->valuestring)) != NULL)
			return (eng_profile_file_fail(f, "image: %s", why));
		free(pr->image);
		pr->image = xstrdup(item->valuestring);
		return (0);
	case PF_PORT:
		if (!eng_check_int(item, 1, 65535, &pr->port))
			return (eng_profile_file_fail(f, "port: want a number "
			    "from 1 to 65535"));
		return (0);
	case PF_ENTRYPOINT:
		if (cJSON_IsNull(item)) {	/* back to the image's own */
			eng_profile_strv_free(&pr->entrypoint);
			pr->has_entrypoint = 0;
			return (0);
		}
		pr->has_entrypoint = 1;
		return (eng_profile_file_strv(f, item, k, 1,
		    ENG_PROFILE_STRV_MAX, &pr->entrypoint));
	case PF_ARGS:
		return (eng_profile_file_strv(f, item, k, 0,
		    ENG_PROFILE_STRV_MAX, &pr->args));
	case PF_ENV:
		return (eng_profile_file_env(f, item, pr));
	case PF_VOLUMES:
		return (eng_profile_file_strv(f, item, k, 0,
		    ENG_PROFILE_VOLUMES_MAX, &pr->volumes));
	case PF_PROBES:
		return (eng_profile_file_strv(f, item, k, 1,
		    ENG_PROFILE_PROBES_MAX, &pr->probes));
	case PF_TIMEOUT:
		if (!eng_check_int(item, 1, ENG_PROFILE_TIMEOUT_MAX,
		    &pr->startup_timeout_s))
			return (eng_profile_file_fail(f, "startup_timeout_s: "
			    "want a number of seconds from 1 to %d",
			    ENG_PROFILE_TIMEOUT_MAX));
		return (0);
	default:	/* PF_IPC_HOST, PF_MODEL_IS_NAME */
		if (!cJSON_IsBool(item))
			return (eng_profile_file_fail(f, "%s: want true or "
			    "false", eng_pf_keys[k]));
		*(k == PF_IPC_HOST ? &pr->ipc_host : &pr->model_is_name) =
		    cJSON_IsTrue(item);
		return (0);
	}
}

/* eng_profile_file_port_told - 0 if pr hands the engine {port}, else -1 */
static int
eng_profile_file_port_told(const struct eng_pf *f,
    const struct eng_profile *pr)
{
	const struct eng_strv	*vs[3];
	char			 why[256];
	unsigned		 used = 0;
	size_t			 i, k;

	vs[0] = &pr->entrypoint;
	vs[1] = &pr->args;
	vs[2] = &pr->env;
	for (k = 0; k < 3; k++)
		for (i = 0; i < vs[k]->n; i++)
			free(eng_profile_expand_used(vs[k]->v[i],
			    &eng_pf_vars, &used, why, sizeof(why)));
	if (used & ENG_PH_PORT)
		return (0);
	return (eng_profile_file_fail(f, "args: no {port} in entrypoint, "
	    "args or env (with host networking the engine must be told the "
	    "port corral gives it)"));
}

/* eng_profile_file_new - a new profile called name, with its defaults */
static struct eng_profile *
eng_profile_file_new(struct eng_pf *f, struct eng_profiles *p,
    const char *name)
{
	struct eng_profile	*pr;
	size_t			 n = strlen(name);

	if (n == 0 || n >= ENG_PROFILE_NAME_MAX ||
	    strchr(ENG_PF_NAME_CHARS, name[0]) == NULL || name[0] == '_' ||
	    name[0] == '.' || name[0] == '-' ||
	    strspn(name, ENG_PF_NAME_CHARS) != n) {
		eng_profile_file_fail(f, "not a profile name (1-%d of A-Z a-z "
		    "0-9 _ . -, starting with a letter or digit)",
		    ENG_PROFILE_NAME_MAX - 1);
		return (NULL);
	}
	if (p->n >= ENG_PROFILES_MAX) {
		eng_profile_file_fail(f, "more than %d profiles",
		    ENG_PROFILES_MAX);
		return (NULL);
	}
	pr = eng_profiles_add(p, name);
	pr->startup_timeout_s = ENG_PROFILE_DEF_TIMEOUT;
	eng_profile_strv_push(&pr->probes, ENG_PROFILE_DEF_PROBE);
	return (pr);
}

/* eng_profile_file_fields - the fields of one profile object into pr;
 * which were given into *seen; 0 or -1 */
static int
eng_profile_file_fields(const struct eng_pf *f, const cJSON *obj,
    struct eng_profile *pr, unsigned *seen)
{
	const cJSON	*item;
	char		 echo[ENG_CHECK_ECHO_LEN];
	int		 k;

	if (!cJSON_IsObject(obj))
		return (eng_profile_file_fail(f, "want an object of fields "
		    "(known: %s)", ENG_PF_KNOWN));
	cJSON_ArrayForEach(item, obj) {
		for (k = 0; k < PF_NFIELDS; k++)
			if (strcmp(eng_pf_keys[k], item->string) == 0)
				break;
		if (k == PF_NFIELDS)
			return (eng_profile_file_fail(f, "%s: unknown field "
			    "(known: %s)", eng_check_echo_key(item->string,
			    echo, sizeof(echo)), ENG_PF_KNOWN));
		if (*seen & (1u << k))
			return (eng_profile_file_fail(f, "%s: given twice",
			    eng_pf_keys[k]));
		*seen |= 1u << k;
		if (eng_profile_file_field(f, (enum eng_pf_field)k, item,
		    pr) == -1)
			return (-1);
	}
	return (0);
}

/* eng_profile_file_profile - one profile of the file into p; 0 or -1 */
static int
eng_profile_file_profile(struct eng_pf *f, const cJSON *obj,
    struct eng_profiles *p, uint64_t *named)
{
	struct eng_profile	*pr;
	unsigned		 seen = 0;
	size_t			 idx;
	int			 k, isnew;

	if (obj->string[0] == '\0')
		snprintf(f->profile, sizeof(f->profile), "\"\"");
	else
		eng_check_echo(obj->string, f->profile, sizeof(f->profile));
	pr = (struct eng_profile *)eng_profiles_find(p, obj->string);
	if ((isnew = pr == NULL) &&
	    (pr = eng_profile_file_new(f, p, obj->string)) == NULL)
		return (-1);
	idx = (size_t)(pr - p->v);
	if (*named & ((uint64_t)1 << idx))
		return (eng_profile_file_fail(f, "given twice"));
	*named |= (uint64_t)1 << idx;
	if (eng_profile_file_fields(f, obj, pr, &seen) == -1)
		return (-1);
	for (k = PF_IMAGE; isnew && k <= PF_ARGS; k++)
		if (k != PF_ENTRYPOINT && !(seen & (1u << k)))
			return (eng_profile_file_fail(f, "%s: missing (a new "
			    "profile gives at least image, port and args)",
			    eng_pf_keys[k]));
	return (eng_profile_file_port_told(f, pr));
}

/* eng_profile_file_line - line number of position at in text */
static int
eng_profile_file_line(const char *text, const char *at)
{
	int	line = 1;

	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return (line);
}

/* eng_profile_file_list - the "profiles" object of root; NULL and why */
static const cJSON *
eng_profile_file_list(const struct eng_pf *f, const cJSON *root)
{
	const cJSON	*item, *list = NULL;
	char		 echo[ENG_CHECK_ECHO_LEN];

	if (!cJSON_IsObject(root)) {
		eng_profile_file_fail(f, "want {\"profiles\": {NAME: {...}}}");
		return (NULL);
	}
	cJSON_ArrayForEach(item, root) {
		if (strcmp(item->string, "profiles") != 0) {
			eng_profile_file_fail(f, "%s: unknown field (the file "
			    "holds only \"profiles\")", eng_check_echo_key(
			    item->string, echo, sizeof(echo)));
			return (NULL);
		}
		if (list != NULL) {
			eng_profile_file_fail(f, "profiles: given twice");
			return (NULL);
		}
		list = item;
	}
	if (list == NULL || !cJSON_IsObject(list)) {
		eng_profile_file_fail(f, "profiles: %s", list == NULL ?
		    "missing" : "want an object of NAME: {...}");
		return (NULL);
	}
	return (list);
}

/* eng_profile_file_parse - the file's text over the profiles in p */
static int
eng_profile_file_parse(struct eng_pf *f, const char *text, size_t len,
    struct eng_profiles *p)
{
	const cJSON	*list, *obj;
	cJSON		*root;
	const char	*end = NULL, *c;
	uint64_t	 named = 0;
	int		 rc = -1;

	if (memchr(text, '\0', len) != NULL)
		return (eng_profile_file_fail(f, "holds a NUL byte"));
	if ((root = cJSON_ParseWithLengthOpts(text, len, &end, 0)) == NULL) {
		if (end == NULL || end < text || end > text + len)
			end = text + len;
		return (eng_profile_file_fail(f, "not valid JSON (line %d)",
		    eng_profile_file_line(text, end)));
	}
	for (c = end; c != NULL && c < text + len; c++)
		if (strchr(" \t\r\n", *c) == NULL) {
			eng_profile_file_fail(f, "not valid JSON: more after "
			    "the end (line %d)",
			    eng_profile_file_line(text, c));
			goto out;
		}
	if ((list = eng_profile_file_list(f, root)) == NULL)
		goto out;
	cJSON_ArrayForEach(obj, list)
		if (eng_profile_file_profile(f, obj, p, &named) == -1)
			goto out;
	rc = 0;
out:
	cJSON_Delete(root);
	return (rc);
}

/* eng_profile_file_read - the whole regular file, NUL-terminated; NULL
 * and why */
static char *
eng_profile_file_read(const struct eng_pf *f, size_t *lenp)
{
	char	*buf, why[256];

	if ((buf = fs_read_conf(f->path, ENG_PROFILE_FILE_MAX, lenp, why,
	    sizeof(why))) == NULL)
		eng_profile_file_fail(f, "%s", why);
	return (buf);
}

/* eng_profiles_load - built-ins, then the file's; NULL and why */
struct eng_profiles *
eng_profiles_load(const char *path, char *err, size_t errlen)
{
	struct eng_profiles	*p;
	struct eng_pf		 f;
	char			*text;
	size_t			 len = 0;

	p = eng_profiles_builtin();
	if (path == NULL)
		return (p);
	memset(&f, 0, sizeof(f));
	f.path = path;
	f.err = err;
	f.errlen = errlen;
	if ((text = eng_profile_file_read(&f, &len)) == NULL ||
	    eng_profile_file_parse(&f, text, len, p) == -1) {
		free(text);
		eng_profiles_free(p);
		return (NULL);
	}
	free(text);
	return (p);
}
