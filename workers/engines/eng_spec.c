/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_spec - check an engine launch request, resolve its model
 * SYNOPSIS
 *	#include "eng_spec.h"
 *
 *	int	eng_spec_parse(const cJSON *req, const struct eng_profiles *p,
 *		    const char *models_root, struct eng_spec *s,
 *		    struct eng_spec_err *e);
 *	int	eng_spec_model_path(const char *models_root, const char *model,
 *		    char *out, size_t outlen, struct eng_spec_err *e);
 *	void	eng_spec_free(struct eng_spec *s);
 * DESCRIPTION
 *	See eng_spec.h; eng_spec_body.c builds what a spec turns into.
 *
 *	eng_spec_parse first sorts the request's members (an unknown one or
 *	one given twice is refused at once), then checks them in a fixed
 *	order: name, engine, model (which needs the engine's profile), gpus,
 *	port, image, args, env, secret_env. An optional member that is
 *	null counts as absent. A variable may not be in both env and
 *	secret_env.
 *
 *	eng_spec_model_path lets realpath decide: the resolved path must
 *	lie under the resolved root, which neither ".." nor a symlink can
 *	escape. To say why, it also folds "." and ".." out of the path as
 *	text: a path that is not under the root (as configured or
 *	resolved) even as text is "not under the models root" whether or
 *	not it exists, so a request cannot learn what exists outside the
 *	root; one under the root as text "does not exist" or "leads
 *	outside" through a symlink. A resolved path with a ':' is refused
 *	too: a Docker bind "P:P:ro" cannot carry it.
 * DIAGNOSTICS
 *	-1 and e: code "bad_request", the member in e->field ("request"
 *	for a request that is not an object or holds an unknown member),
 *	one line in e->message starting with the field.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "eng_check.h"
#include "eng_profile.h"
#include "eng_spec.h"
#include "eng_spec_priv.h"
#include "xmalloc.h"

#define ENG_SPEC_NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
				"abcdefghijklmnopqrstuvwxyz0123456789_.-"
#define ENG_SPEC_KNOWN		"name, engine, model, gpus, port, image, " \
				"args, env, secret_env"
#define ENG_SPEC_GPUS_WANT	"want \"all\", \"none\", an array of GPU " \
				"indices ([0,1]) or a string \"0,1\""

enum eng_spec_key {
	SK_NAME, SK_ENGINE, SK_MODEL, SK_GPUS, SK_PORT, SK_IMAGE, SK_ARGS,
	SK_ENV, SK_SECRET_ENV, SK_N
};

static const char *const eng_spec_keys[SK_N] = {
	"name", "engine", "model", "gpus", "port", "image", "args", "env",
	"secret_env",
};

/* eng_spec_fail - code, field and the formatted line into e; -1 */
int
eng_spec_fail(struct eng_spec_err *e, const char *field, const char *fmt,
    ...)
{
	va_list	ap;

	if (e == NULL)
		return (-1);
	e->code = "bad_request";
	e->field = field;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return (-1);
}

/* eng_spec_name_why - NULL if s is a good engine name, else why */
const char *
eng_spec_name_why(const char *s)
{
	size_t	n = strlen(s);

	if (n == 0)
		return ("must not be empty");
	if (n > ENG_NAME_MAX)
		return ("longer than 63 characters");
	if (strspn(s, ENG_SPEC_NAME_CHARS) != n)
		return ("may only hold A-Z a-z 0-9 _ . -");
	if (s[0] == '.' || s[0] == '-')
		return ("must not start with '.' or '-'");
	return (NULL);
}

/* eng_spec_gpu_add - index i into s's list; 0, or -1 and e */
static int
eng_spec_gpu_add(struct eng_spec *s, long i, struct eng_spec_err *e)
{
	size_t	k;

	if (i < 0 || i > ENG_GPU_INDEX_MAX)
		return (eng_spec_fail(e, "gpus", "gpus: %ld is not a GPU index "
		    "(0-%d)", i, ENG_GPU_INDEX_MAX));
	for (k = 0; k < s->ngpus; k++)
		if (s->gpu_idx[k] == (int)i)
			return (eng_spec_fail(e, "gpus", "gpus: GPU %ld is "
			    "listed twice", i));
	if (s->ngpus == ENG_GPUS_MAX)
		return (eng_spec_fail(e, "gpus", "gpus: more than %d GPUs",
		    ENG_GPUS_MAX));
	s->gpu_idx[s->ngpus++] = (int)i;
	return (0);
}

/* eng_spec_gpus_str - a list "0,1" (blanks allowed) into s */
static int
eng_spec_gpus_str(const char *str, struct eng_spec *s, struct eng_spec_err *e)
{
	const char	*p = str;
	char		 echo[ENG_CHECK_ECHO_LEN];
	long		 v;
	int		 digits;

	for (;;) {
		p += strspn(p, " ");
		for (v = 0, digits = 0; *p >= '0' && *p <= '9'; p++, digits++)
			if (v < 100000)
				v = v * 10 + (*p - '0');
		p += strspn(p, " ");
		if (digits == 0 || (*p != ',' && *p != '\0'))
			return (eng_spec_fail(e, "gpus", "gpus: '%s' is not a "
			    "list of GPU indices like \"0,1\"",
			    eng_check_echo(str, echo, sizeof(echo))));
		if (eng_spec_gpu_add(s, v, e) == -1)
			return (-1);
		if (*p++ == '\0')
			return (0);
	}
}

/* eng_spec_gpus - gpus (NULL or null: "all") into s; 0, or -1 and e */
int
eng_spec_gpus(const cJSON *j, struct eng_spec *s, struct eng_spec_err *e)
{
	const cJSON	*el;
	size_t		 i = 0;
	int		 v;

	s->gpus = ENG_GPUS_ALL;
	s->ngpus = 0;
	if (j == NULL || cJSON_IsNull(j))
		return (0);
	if (cJSON_IsString(j) && j->valuestring != NULL) {
		if (strcmp(j->valuestring, "all") == 0)
			return (0);
		if (strcmp(j->valuestring, "none") == 0) {
			s->gpus = ENG_GPUS_NONE;
			return (0);
		}
		if (eng_spec_gpus_str(j->valuestring, s, e) == -1)
			return (-1);
	} else if (cJSON_IsArray(j)) {
		cJSON_ArrayForEach(el, j) {
			if (!eng_check_int(el, 0, ENG_GPU_INDEX_MAX, &v))
				return (eng_spec_fail(e, "gpus", "gpus[%zu]: "
				    "want a GPU index from 0 to %d", i,
				    ENG_GPU_INDEX_MAX));
			if (eng_spec_gpu_add(s, v, e) == -1)
				return (-1);
			i++;
		}
		if (s->ngpus == 0)
			return (eng_spec_fail(e, "gpus", "gpus: an empty list "
			    "(say \"none\" for no GPU)"));
	} else
		return (eng_spec_fail(e, "gpus", "gpus: " ENG_SPEC_GPUS_WANT));
	s->gpus = ENG_GPUS_LIST;
	return (0);
}

/* eng_spec_strings - 1 if j is an array of at most max short strings */
int
eng_spec_strings(const cJSON *j, int max, int *bad)
{
	const cJSON	*el;
	int		 i = 0;

	*bad = -1;
	if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) > max)
		return (0);
	cJSON_ArrayForEach(el, j) {
		if (!cJSON_IsString(el) || el->valuestring == NULL ||
		    strlen(el->valuestring) > ENG_SPEC_VALUE_MAX) {
			*bad = i;
			return (0);
		}
		i++;
	}
	return (1);
}

/* eng_spec_lexical - in with "", "." and ".." parts folded, into out */
static void
eng_spec_lexical(const char *in, char *out, size_t len)
{
	const char	*p = in;
	size_t		 n, o = 0;

	while (*p != '\0') {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
		} else if (o + 1 + n < len) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
}

/* eng_spec_under - 1 if path is root or below it (at a '/') */
static int
eng_spec_under(const char *path, const char *root)
{
	size_t	n = strlen(root);

	if (strcmp(root, "/") == 0)
		return (path[0] == '/');
	return (strncmp(path, root, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/'));
}

/* eng_spec_model_path - model resolved, under models_root; 0 or -1 */
int
eng_spec_model_path(const char *models_root, const char *model, char *out,
    size_t outlen, struct eng_spec_err *e)
{
	char	root[PATH_MAX], lroot[PATH_MAX], lex[PATH_MAX], path[PATH_MAX];
	int	inside;

	if (models_root == NULL || models_root[0] == '\0')
		return (eng_spec_fail(e, "model", "model: no models root is "
		    "configured"));
	if (eng_check_has_ctl(model))
		return (eng_spec_fail(e, "model", "model: must not hold "
		    "control characters"));
	if (model[0] != '/')
		return (eng_spec_fail(e, "model", "model: want an absolute "
		    "path under the models root %.200s", models_root));
	if (strlen(model) >= PATH_MAX)
		return (eng_spec_fail(e, "model", "model: longer than %d "
		    "characters", PATH_MAX - 1));
	if (realpath(models_root, root) == NULL)
		return (eng_spec_fail(e, "model", "model: the models root "
		    "%.200s cannot be resolved: %s", models_root,
		    strerror(errno)));
	eng_spec_lexical(model, lex, sizeof(lex));
	eng_spec_lexical(models_root, lroot, sizeof(lroot));
	inside = eng_spec_under(lex, lroot) || eng_spec_under(lex, root);
	if (realpath(model, path) == NULL) {
		if (!inside)	/* say nothing of what is outside */
			return (eng_spec_fail(e, "model", "model: %.200s is "
			    "not under the models root %.200s", model,
			    models_root));
		if (errno == ENOENT || errno == ENOTDIR)
			return (eng_spec_fail(e, "model", "model: %.200s does "
			    "not exist", model));
		return (eng_spec_fail(e, "model", "model: %.200s: %s", model,
		    strerror(errno)));
	}
	if (!eng_spec_under(path, root)) {
		if (!inside)
			return (eng_spec_fail(e, "model", "model: %.200s is "
			    "not under the models root %.200s", model,
			    models_root));
		return (eng_spec_fail(e, "model", "model: %.200s leads outside "
		    "the models root %.200s (through a symlink)", model,
		    models_root));
	}
	if (strchr(path, ':') != NULL || eng_check_has_ctl(path))
		return (eng_spec_fail(e, "model", "model: %.200s holds a ':' "
		    "or a control character, which a Docker bind cannot "
		    "carry", model));
	if (strlen(path) >= outlen)
		return (eng_spec_fail(e, "model", "model: longer than %zu "
		    "characters once resolved", outlen - 1));
	memcpy(out, path, strlen(path) + 1);
	return (0);
}

/* eng_spec_str - the string member k, or -1 and e */
static int
eng_spec_str(const cJSON *j, enum eng_spec_key k, const char **out,
    struct eng_spec_err *e)
{
	if (j == NULL)
		return (eng_spec_fail(e, eng_spec_keys[k], "%s: missing",
		    eng_spec_keys[k]));
	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return (eng_spec_fail(e, eng_spec_keys[k], "%s: must be a "
		    "string", eng_spec_keys[k]));
	*out = j->valuestring;
	return (0);
}

/* eng_spec_model - the model member for profile pr into s */
static int
eng_spec_model(const cJSON *j, const struct eng_profile *pr,
    const char *models_root, struct eng_spec *s, struct eng_spec_err *e)
{
	const char	*m;
	char		 path[PATH_MAX];
	size_t		 n, i;

	if (eng_spec_str(j, SK_MODEL, &m, e) == -1)
		return (-1);
	if (!pr->model_is_name) {
		if (eng_spec_model_path(models_root, m, path, sizeof(path),
		    e) == -1)
			return (-1);
		s->model = xstrdup(path);
		return (0);
	}
	n = strlen(m);
	for (i = 0; i < n; i++)
		if (m[i] <= ' ' || m[i] >= 0x7f)
			break;
	if (n == 0 || n > ENG_SPEC_MODEL_NAME_MAX || i < n)
		return (eng_spec_fail(e, "model", "model: want a model name "
		    "of 1 to %d printable characters without blanks, as "
		    "llama3:8b (engine %s pulls it)", ENG_SPEC_MODEL_NAME_MAX,
		    pr->name));
	s->model = xstrdup(m);
	return (0);
}

/* eng_spec_vars - an env or secret_env object into *out (a copy) */
static int
eng_spec_vars(const cJSON *j, enum eng_spec_key k, const cJSON *env,
    cJSON **out, struct eng_spec_err *e)
{
	const char	*key = eng_spec_keys[k];
	const cJSON	*el, *o;
	char		 echo[ENG_CHECK_ECHO_LEN];

	if (j == NULL) {
		*out = cJSON_CreateObject();
		return (0);
	}
	if (!cJSON_IsObject(j) || cJSON_GetArraySize(j) > ENG_ENV_MAX)
		return (eng_spec_fail(e, key, "%s: want an object of at most "
		    "%d %s", key, ENG_ENV_MAX, k == SK_ENV ?
		    "\"NAME\": \"value\" strings" : "\"NAME\": \"secret\" "
		    "strings"));
	cJSON_ArrayForEach(el, j) {
		if (!eng_check_env_name(el->string))
			return (eng_spec_fail(e, key, "%s: '%s' is not a "
			    "variable name ([A-Za-z_][A-Za-z0-9_]*)", key,
			    eng_check_echo(el->string, echo, sizeof(echo))));
		for (o = j->child; o != el; o = o->next)
			if (strcmp(o->string, el->string) == 0)
				return (eng_spec_fail(e, key, "%s.%s: given "
				    "twice", key, el->string));
		if (!cJSON_IsString(el) || el->valuestring == NULL)
			return (eng_spec_fail(e, key, "%s.%s: must be a "
			    "string", key, el->string));
		if (k == SK_ENV && strlen(el->valuestring) > ENG_SPEC_VALUE_MAX)
			return (eng_spec_fail(e, key, "%s.%s: longer than %d "
			    "characters", key, el->string, ENG_SPEC_VALUE_MAX));
		if (k == SK_SECRET_ENV &&
		    !eng_check_secret_name(el->valuestring))
			return (eng_spec_fail(e, key, "%s.%s: want a secret "
			    "name (1-%d of A-Z a-z 0-9 . _ -, starting with a "
			    "letter or digit)", key, el->string,
			    ENG_CHECK_SECRET_MAX));
		if (env != NULL && cJSON_GetObjectItemCaseSensitive(env,
		    el->string) != NULL)
			return (eng_spec_fail(e, key, "%s.%s: also in env; "
			    "give a variable once", key, el->string));
	}
	*out = cJSON_Duplicate(j, 1);
	return (0);
}

/* eng_spec_rest - port, image, args, env, secret_env into s */
static int
eng_spec_rest(const cJSON **m, const struct eng_profile *pr,
    struct eng_spec *s, struct eng_spec_err *e)
{
	const char	*why;
	int		 bad;

	s->port = pr->port;
	if (m[SK_PORT] != NULL && !eng_check_int(m[SK_PORT], 1, 65535,
	    &s->port))
		return (eng_spec_fail(e, "port", "port: want a number from 1 "
		    "to 65535"));
	if (m[SK_IMAGE] != NULL) {
		if (!cJSON_IsString(m[SK_IMAGE]) ||
		    m[SK_IMAGE]->valuestring == NULL)
			return (eng_spec_fail(e, "image", "image: must be a "
			    "string"));
		if ((why = eng_check_image(m[SK_IMAGE]->valuestring)) != NULL)
			return (eng_spec_fail(e, "image", "image: %s", why));
	}
	s->image = xstrdup(m[SK_IMAGE] != NULL ? m[SK_IMAGE]->valuestring :
	    pr->image);
	if (m[SK_ARGS] != NULL && !eng_spec_strings(m[SK_ARGS], ENG_ARGS_MAX,
	    &bad)) {
		if (bad >= 0)
			return (eng_spec_fail(e, "args", "args[%d]: want a "
			    "string of at most %d characters", bad,
			    ENG_SPEC_VALUE_MAX));
		return (eng_spec_fail(e, "args", "args: want an array of at "
		    "most %d strings", ENG_ARGS_MAX));
	}
	s->args = m[SK_ARGS] != NULL ? cJSON_Duplicate(m[SK_ARGS], 1) :
	    cJSON_CreateArray();
	if (eng_spec_vars(m[SK_ENV], SK_ENV, NULL, &s->env, e) == -1 ||
	    eng_spec_vars(m[SK_SECRET_ENV], SK_SECRET_ENV, s->env,
	    &s->secret_env, e) == -1)
		return (-1);
	return (0);
}

/* eng_spec_members - sort req's members into m; 0, or -1 and e */
static int
eng_spec_members(const cJSON *req, const cJSON **m, struct eng_spec_err *e)
{
	const cJSON	*item;
	char		 echo[ENG_CHECK_ECHO_LEN];
	int		 k;
	unsigned	 seen = 0;

	if (!cJSON_IsObject(req))
		return (eng_spec_fail(e, "request", "request: want a JSON "
		    "object"));
	cJSON_ArrayForEach(item, req) {
		for (k = 0; k < SK_N; k++)
			if (strcmp(eng_spec_keys[k], item->string) == 0)
				break;
		if (k == SK_N)
			return (eng_spec_fail(e, "request", "%s: unknown "
			    "member (known: " ENG_SPEC_KNOWN ")",
			    eng_check_echo_key(item->string, echo,
			    sizeof(echo))));
		if (seen & (1u << k))
			return (eng_spec_fail(e, eng_spec_keys[k], "%s: given "
			    "twice", eng_spec_keys[k]));
		seen |= 1u << k;
		if (k > SK_MODEL && cJSON_IsNull(item))
			continue;	/* optional and null: absent */
		m[k] = item;
	}
	return (0);
}

/* eng_spec_parse - check a launch request into s; 0, or -1 and e */
int
eng_spec_parse(const cJSON *req, const struct eng_profiles *p,
    const char *models_root, struct eng_spec *s, struct eng_spec_err *e)
{
	const cJSON			*m[SK_N];
	const struct eng_profile	*pr;
	const char			*str, *why;
	char				 echo[ENG_CHECK_ECHO_LEN], names[256];

	memset(s, 0, sizeof(*s));
	memset(m, 0, sizeof(m));
	if (e != NULL)
		memset(e, 0, sizeof(*e));
	if (eng_spec_members(req, m, e) == -1 ||
	    eng_spec_str(m[SK_NAME], SK_NAME, &str, e) == -1)
		return (-1);
	if ((why = eng_spec_name_why(str)) != NULL)
		return (eng_spec_fail(e, "name", "name: %s", why));
	snprintf(s->name, sizeof(s->name), "%s", str);
	if (eng_spec_str(m[SK_ENGINE], SK_ENGINE, &str, e) == -1)
		return (-1);
	if ((pr = eng_profiles_find(p, str)) == NULL)
		return (eng_spec_fail(e, "engine", "engine: unknown engine "
		    "'%s' (known: %s)", eng_check_echo(str, echo, sizeof(echo)),
		    eng_profiles_names(p, names, sizeof(names))));
	snprintf(s->engine, sizeof(s->engine), "%s", pr->name);
	if (eng_spec_model(m[SK_MODEL], pr, models_root, s, e) == -1 ||
	    eng_spec_gpus(m[SK_GPUS], s, e) == -1 ||
	    eng_spec_rest(m, pr, s, e) == -1) {
		eng_spec_free(s);
		return (-1);
	}
	return (0);
}

/* eng_spec_free - free what s holds (not s) */
void
eng_spec_free(struct eng_spec *s)
{
	if (s == NULL)
		return;
	free(s->model);
	free(s->image);
	cJSON_Delete(s->args);
	cJSON_Delete(s->env);
	cJSON_Delete(s->secret_env);
	s->model = s->image = NULL;
	s->args = s->env = s->secret_env = NULL;
}
