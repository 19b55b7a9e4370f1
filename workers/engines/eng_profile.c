/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_profile - the built-in engine profiles, the set, placeholders
 * SYNOPSIS
 *	#include "eng_profile.h"
 * DESCRIPTION
 *	See eng_profile.h; eng_profile_file.c reads the engines file.
 *	eng_profile_builtins[] is the table of built-in profiles, one row each;
 *	eng_profiles_builtin copies it into a set the file may change.
 *
 *	Placeholders are "{word}" with word one of name, port, model,
 *	model_dir and model_base. "{{" is a literal '{' and "}}" a literal
 *	'}'; any other '{' or '}' is an error, so a misspelt placeholder
 *	never reaches an engine's command line as text. model_dir is the
 *	model up to its last '/' ("/" if that is the first character, "."
 *	if it has none), model_base what follows the last '/'.
 * DIAGNOSTICS
 *	eng_profile_expand returns NULL and one line in err. Running out of
 *	memory is fatal (xmalloc).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_check.h"
#include "eng_profile.h"
#include "eng_profile_priv.h"
#include "xmalloc.h"

#define ENG_BUILTIN_STRV	10	/* room in a row, NULL-terminated */
#define ENG_PH_KNOWN		"{name}, {port}, {model}, {model_dir}, " \
				"{model_base}"

static const struct eng_builtin {
	const char	*name;
	const char	*image;
	int		 port;
	const char	*args[ENG_BUILTIN_STRV];
	const char	*env[ENG_BUILTIN_STRV];
	const char	*volumes[ENG_BUILTIN_STRV];
	const char	*probes[ENG_PROFILE_PROBES_MAX + 1];
	int		 startup_timeout_s;
	int		 ipc_host;
	int		 model_is_name;
} eng_profile_builtins[] = {
	{ "vllm", "vllm/vllm-openai:latest", 8000,
	    { "--model", "{model}", "--served-model-name", "{name}",
	    "--host", "127.0.0.1", "--port", "{port}" },
	    { "HF_HOME=/root/.cache/huggingface" },
	    { "corral-hf-cache:/root/.cache/huggingface" },
	    { "/health", "/v1/models" }, 1800, 1, 0 },
	/* llama.cpp answers /health with 503 while it loads */
	{ "llamacpp", "ghcr.io/ggerganov/llama.cpp:server", 8081,
	    { "-m", "{model}", "--alias", "{name}", "--host", "127.0.0.1",
	    "--port", "{port}" },
	    { NULL }, { NULL }, { "/health" }, 900, 0, 0 },
	/* a named volume: pulled models outlive the container */
	{ "ollama", "ollama/ollama:latest", 11434,
	    { NULL },
	    { "OLLAMA_HOST=127.0.0.1:{port}" },
	    { "corral-ollama:/root/.ollama" },
	    { "/api/tags" }, 600, 0, 1 },
	{ "exllamav2", "ghcr.io/theroyallab/tabbyapi:latest", 8000,
	    { "--host", "127.0.0.1", "--port", "{port}", "--model-dir",
	    "{model_dir}", "--model-name", "{model_base}" },
	    { NULL }, { NULL }, { "/v1/models" }, 1800, 0, 0 },
};

#define ENG_PROFILE_NBUILTINS \
	(sizeof(eng_profile_builtins) / sizeof(eng_profile_builtins[0]))

static const struct {
	const char	*word;
	unsigned	 bit;
} eng_profile_placeholders[] = {
	{ "name", ENG_PH_NAME },
	{ "port", ENG_PH_PORT },
	{ "model", ENG_PH_MODEL },
	{ "model_dir", ENG_PH_MODEL_DIR },
	{ "model_base", ENG_PH_MODEL_BASE },
};

#define ENG_PROFILE_NPH \
	(sizeof(eng_profile_placeholders) / sizeof(eng_profile_placeholders[0]))

/* a growing expansion, never over ENG_PROFILE_EXPAND_MAX */
struct eng_expand {
	char	*buf;
	size_t	 len;
	int	 over;
};

/* eng_profile_strv_free - free what v holds and empty it */
void
eng_profile_strv_free(struct eng_strv *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* eng_profile_strv_push - append a copy of s to v */
void
eng_profile_strv_push(struct eng_strv *v, const char *s)
{
	v->v = xrealloc(v->v, (v->n + 1) * sizeof(*v->v));
	v->v[v->n++] = xstrdup(s);
}

/* eng_profile_strv_set - v from a NULL-terminated list */
static void
eng_profile_strv_set(struct eng_strv *v, const char *const *list,
    size_t max)
{
	size_t	i;

	for (i = 0; i < max && list[i] != NULL; i++)
		eng_profile_strv_push(v, list[i]);
}

/* eng_profile_clear - free what pr holds */
static void
eng_profile_clear(struct eng_profile *pr)
{
	free(pr->image);
	pr->image = NULL;
	eng_profile_strv_free(&pr->entrypoint);
	eng_profile_strv_free(&pr->args);
	eng_profile_strv_free(&pr->env);
	eng_profile_strv_free(&pr->volumes);
	eng_profile_strv_free(&pr->probes);
}

/* eng_profiles_add - a new empty profile called name, appended to p */
struct eng_profile *
eng_profiles_add(struct eng_profiles *p, const char *name)
{
	struct eng_profile	*pr;

	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 8 : p->cap * 2;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	pr = &p->v[p->n++];
	memset(pr, 0, sizeof(*pr));
	snprintf(pr->name, sizeof(pr->name), "%s", name);
	return (pr);
}

/* eng_profile_is_builtin - 1 if name is one of the built-in profiles */
int
eng_profile_is_builtin(const char *name)
{
	size_t	i;

	for (i = 0; i < ENG_PROFILE_NBUILTINS; i++)
		if (strcmp(eng_profile_builtins[i].name, name) == 0)
			return (1);
	return (0);
}

/* eng_profiles_builtin - a set holding the built-in profiles */
struct eng_profiles *
eng_profiles_builtin(void)
{
	const struct eng_builtin	*b;
	struct eng_profiles		*p;
	struct eng_profile		*pr;
	size_t				 i;

	p = xcalloc(1, sizeof(*p));
	for (i = 0; i < ENG_PROFILE_NBUILTINS; i++) {
		b = &eng_profile_builtins[i];
		pr = eng_profiles_add(p, b->name);
		pr->image = xstrdup(b->image);
		pr->port = b->port;
		eng_profile_strv_set(&pr->args, b->args, ENG_BUILTIN_STRV);
		eng_profile_strv_set(&pr->env, b->env, ENG_BUILTIN_STRV);
		eng_profile_strv_set(&pr->volumes, b->volumes,
		    ENG_BUILTIN_STRV);
		eng_profile_strv_set(&pr->probes, b->probes,
		    ENG_PROFILE_PROBES_MAX);
		pr->startup_timeout_s = b->startup_timeout_s;
		pr->ipc_host = b->ipc_host;
		pr->model_is_name = b->model_is_name;
	}
	return (p);
}

/* eng_profiles_find - a profile by name, or NULL */
const struct eng_profile *
eng_profiles_find(const struct eng_profiles *p, const char *name)
{
	size_t	i;

	if (p == NULL || name == NULL)
		return (NULL);
	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return (&p->v[i]);
	return (NULL);
}

/* eng_profiles_names - "vllm, llamacpp, ..." for messages, into buf */
const char *
eng_profiles_names(const struct eng_profiles *p, char *buf, size_t len)
{
	size_t	i, n = 0;
	int	w;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	for (i = 0; p != NULL && i < p->n && n < len; i++) {
		w = snprintf(buf + n, len - n, "%s%s", i > 0 ? ", " : "",
		    p->v[i].name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return (buf);
}

/* eng_profiles_free - free p; NULL is fine */
void
eng_profiles_free(struct eng_profiles *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		eng_profile_clear(&p->v[i]);
	free(p->v);
	free(p);
}

/* eng_profile_expand_put - append n bytes of s to x, or mark it over */
static void
eng_profile_expand_put(struct eng_expand *x, const char *s, size_t n)
{
	if (x->over || n > ENG_PROFILE_EXPAND_MAX - x->len) {
		x->over = 1;
		return;
	}
	memcpy(x->buf + x->len, s, n);
	x->len += n;
}

/* eng_profile_expand_model_dir - append model's directory to x */
static void
eng_profile_expand_model_dir(struct eng_expand *x, const char *model)
{
	const char	*slash = strrchr(model, '/');

	if (slash == NULL)
		eng_profile_expand_put(x, ".", 1);
	else if (slash == model)
		eng_profile_expand_put(x, "/", 1);
	else
		eng_profile_expand_put(x, model, (size_t)(slash - model));
}

/* eng_profile_expand_value - append what placeholder bit stands for to x */
static void
eng_profile_expand_value(struct eng_expand *x, unsigned bit,
    const struct eng_profile_vars *v)
{
	const char	*model = v->model != NULL ? v->model : "";
	const char	*slash;
	char		 num[16];

	switch (bit) {
	case ENG_PH_NAME:
		if (v->name != NULL)
			eng_profile_expand_put(x, v->name, strlen(v->name));
		break;
	case ENG_PH_PORT:
		snprintf(num, sizeof(num), "%d", v->port);
		eng_profile_expand_put(x, num, strlen(num));
		break;
	case ENG_PH_MODEL:
		eng_profile_expand_put(x, model, strlen(model));
		break;
	case ENG_PH_MODEL_DIR:
		eng_profile_expand_model_dir(x, model);
		break;
	default:	/* ENG_PH_MODEL_BASE; "/" is its own */
		if ((slash = strrchr(model, '/')) != NULL &&
		    strcmp(model, "/") != 0)
			model = slash + 1;
		eng_profile_expand_put(x, model, strlen(model));
		break;
	}
}

/* eng_profile_expand_word - the ENG_PH_* of the n-byte word at w, or 0 */
static unsigned
eng_profile_expand_word(const char *w, size_t n)
{
	size_t	i;

	for (i = 0; i < ENG_PROFILE_NPH; i++)
		if (strlen(eng_profile_placeholders[i].word) == n &&
		    strncmp(eng_profile_placeholders[i].word, w, n) == 0)
			return (eng_profile_placeholders[i].bit);
	return (0);
}

/* eng_profile_expand_fail - why into err, free x; NULL */
static char *
eng_profile_expand_fail(struct eng_expand *x, char *err, size_t errlen,
    const char *why, const char *word, size_t n)
{
	char	echo[ENG_CHECK_ECHO_LEN], w[ENG_CHECK_ECHO_MAX + 1];

	free(x->buf);
	x->buf = NULL;
	if (err == NULL || errlen == 0)
		return (NULL);
	if (word != NULL) {
		snprintf(w, sizeof(w), "%.*s", (int)(n < ENG_CHECK_ECHO_MAX ?
		    n : ENG_CHECK_ECHO_MAX), word);
		snprintf(err, errlen, "unknown placeholder {%s} (known: "
		    ENG_PH_KNOWN "; {{ and }} are literal braces)",
		    eng_check_echo(w, echo, sizeof(echo)));
	} else
		snprintf(err, errlen, "%s", why);
	return (NULL);
}

/* eng_profile_expand_used - eng_profile_expand, noting what s uses */
char *
eng_profile_expand_used(const char *s, const struct eng_profile_vars *v,
    unsigned *used, char *err, size_t errlen)
{
	struct eng_expand	 x;
	const char		*p, *end, *why = NULL;
	unsigned		 bit;
	size_t			 n;

	memset(&x, 0, sizeof(x));
	x.buf = xmalloc(ENG_PROFILE_EXPAND_MAX + 1);
	for (p = s; *p != '\0' && why == NULL; p++) {
		if ((p[0] == '{' && p[1] == '{') ||
		    (p[0] == '}' && p[1] == '}')) {
			eng_profile_expand_put(&x, p++, 1);
			continue;
		}
		if (*p == '}') {
			why = "a lone '}' (write }} for a literal brace)";
			continue;
		}
		if (*p != '{') {
			eng_profile_expand_put(&x, p, 1);
			continue;
		}
		if ((end = strchr(p + 1, '}')) == NULL) {
			why = "a '{' without its '}' (write {{ for a literal "
			    "brace)";
			continue;
		}
		n = (size_t)(end - p - 1);
		if ((bit = eng_profile_expand_word(p + 1, n)) == 0)
			return (eng_profile_expand_fail(&x, err, errlen, NULL,
			    p + 1, n));
		if (used != NULL)
			*used |= bit;
		eng_profile_expand_value(&x, bit, v);
		p = end;
	}
	if (why == NULL && x.over)
		why = "longer than 4096 characters once expanded";
	if (why != NULL)
		return (eng_profile_expand_fail(&x, err, errlen, why, NULL, 0));
	x.buf[x.len] = '\0';
	return (xrealloc(x.buf, x.len + 1));
}

/* eng_profile_expand - s with placeholders replaced (malloc'ed) */
char *
eng_profile_expand(const char *s, const struct eng_profile_vars *v,
    char *err, size_t errlen)
{
	return (eng_profile_expand_used(s, v, NULL, err, errlen));
}
