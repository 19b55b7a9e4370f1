/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_engine_request - libFuzzer harness for engine launch requests
 *	(workers/engines/eng_spec.c, eng_spec_body.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	Treats the input as the JSON of an ENGINE_LAUNCH request. Each '@'
 *	in it is first replaced by a models tree made once under /tmp
 *	(models/m1/, models/f.gguf, models/a:b/, models/out -> /etc,
 *	models/in -> m1, models2/), so the corpus can name real paths; the
 *	tree is removed at exit. The request goes to cJSON_Parse and
 *	eng_spec_parse against the built-in profiles with @/models as the
 *	models root.
 *
 *	A refusal must carry code "bad_request", a field and one line that
 *	starts with that field (then '[', '.' or ':'), or for field
 *	"request" is "request: ..." or names an unknown member. An
 *	accepted spec must keep its promises (a good name, a known
 *	engine, a path model under the root, port 1-65535, distinct GPU
 *	indices 0-63), give a create body (every secret_env variable has
 *	a value here) whose labels hold no secret value unless the request
 *	itself held it, and survive eng_spec_json -> eng_spec_from_json ->
 *	eng_spec_json unchanged.
 * DIAGNOSTICS
 *	abort() on a broken promise; libFuzzer saves the input.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "eng_profile.h"
#include "eng_spec.h"

#define FUZZ_SECRET	"zq-SECRET-VALUE-qz"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char			 fuzz_dir[64];
static char			 fuzz_root[96];
static struct eng_profiles	*fuzz_profiles;

/* the tree under fuzz_dir: NULL a directory, "" a file, else a link */
static const struct {
	const char	*path;
	const char	*link;
} fuzz_tree[] = {
	{ "models", NULL }, { "models/m1", NULL }, { "models/a:b", NULL },
	{ "models/f.gguf", "" }, { "models/out", "/etc" },
	{ "models/in", "m1" }, { "models2", NULL },
};

#define FUZZ_NTREE	(sizeof(fuzz_tree) / sizeof(fuzz_tree[0]))

/* fuzz_cleanup - remove the tree (atexit) */
static void
fuzz_cleanup(void)
{
	char	path[192];
	size_t	i;

	for (i = FUZZ_NTREE; i-- > 0; ) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir,
		    fuzz_tree[i].path);
		if (fuzz_tree[i].link == NULL)
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(fuzz_dir);
	eng_profiles_free(fuzz_profiles);
}

/* fuzz_init - the tree and the profiles, once */
static void
fuzz_init(void)
{
	char	tmpl[] = "/tmp/fuzz-engine.XXXXXX", path[192], err[256];
	size_t	i;
	FILE	*fp;
	int	rc = 0;

	if (mkdtemp(tmpl) == NULL || realpath(tmpl, path) == NULL ||
	    strlen(path) >= sizeof(fuzz_dir))
		abort();
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s", path);
	snprintf(fuzz_root, sizeof(fuzz_root), "%s/models", fuzz_dir);
	for (i = 0; i < FUZZ_NTREE && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir,
		    fuzz_tree[i].path);
		if (fuzz_tree[i].link == NULL)
			rc = mkdir(path, 0700);
		else if (fuzz_tree[i].link[0] != '\0')
			rc = symlink(fuzz_tree[i].link, path);
		else if ((fp = fopen(path, "w")) == NULL || fclose(fp) != 0)
			rc = -1;
	}
	if (rc != 0 ||
	    (fuzz_profiles = eng_profiles_load(NULL, err, sizeof(err))) ==
	    NULL)
		abort();
	atexit(fuzz_cleanup);
}

/* fuzz_subst - data with each '@' replaced by fuzz_dir, NUL-terminated */
static char *
fuzz_subst(const uint8_t *data, size_t size, size_t *lenp)
{
	size_t	 n = strlen(fuzz_dir), len = 0, i;
	char	*out;

	for (i = 0; i < size; i++)
		len += data[i] == '@' ? n : 1;
	if ((out = malloc(len + 1)) == NULL)
		abort();
	for (i = 0, len = 0; i < size; i++)
		if (data[i] == '@') {
			memcpy(out + len, fuzz_dir, n);
			len += n;
		} else
			out[len++] = (char)data[i];
	out[len] = '\0';
	*lenp = len;
	return (out);
}

/* fuzz_refused - the promises of a refusal */
static void
fuzz_refused(const struct eng_spec *s, const struct eng_spec_err *e)
{
	size_t	n;

	if (e->code == NULL || strcmp(e->code, "bad_request") != 0 ||
	    e->field == NULL || e->message[0] == '\0' ||
	    strchr(e->message, '\n') != NULL || s->model != NULL ||
	    s->image != NULL || s->args != NULL || s->env != NULL ||
	    s->secret_env != NULL)
		abort();
	if (strcmp(e->field, "request") == 0) {
		if (strncmp(e->message, "request: ", 9) != 0 &&
		    strstr(e->message, ": unknown member (known: ") == NULL)
			abort();
		return;
	}
	n = strlen(e->field);
	if (strncmp(e->message, e->field, n) != 0 ||
	    strchr("[.:", e->message[n]) == NULL || e->message[n] == '\0')
		abort();
}

/* fuzz_spec_ok - the promises of an accepted spec */
static void
fuzz_spec_ok(const struct eng_spec *s, const struct eng_profile *pr)
{
	size_t	i, k, n = strlen(fuzz_root);

	if (pr == NULL || s->name[0] == '\0' || s->name[0] == '.' ||
	    s->name[0] == '-' || s->model == NULL || s->image == NULL ||
	    s->port < 1 || s->port > 65535 || s->ngpus > ENG_GPUS_MAX ||
	    (s->gpus == ENG_GPUS_LIST) != (s->ngpus > 0))
		abort();
	if (!pr->model_is_name && (strncmp(s->model, fuzz_root, n) != 0 ||
	    (s->model[n] != '\0' && s->model[n] != '/') ||
	    strchr(s->model, ':') != NULL))
		abort();
	for (i = 0; i < s->ngpus; i++) {
		if (s->gpu_idx[i] < 0 || s->gpu_idx[i] > ENG_GPU_INDEX_MAX)
			abort();
		for (k = 0; k < i; k++)
			if (s->gpu_idx[k] == s->gpu_idx[i])
				abort();
	}
}

/* fuzz_body - the create body and its labels */
static void
fuzz_body(const struct eng_spec *s, const struct eng_profile *pr,
    int secret_in_input)
{
	struct eng_spec_err	 e;
	const cJSON		*el;
	cJSON			*secrets, *body;
	char			*labels;

	secrets = cJSON_CreateObject();
	cJSON_ArrayForEach(el, s->secret_env)
		cJSON_AddStringToObject(secrets, el->string, FUZZ_SECRET);
	if ((body = eng_spec_create_body(s, pr, secrets, "fuzz", &e)) == NULL)
		abort();
	labels = cJSON_PrintUnformatted(cJSON_GetObjectItem(body, "Labels"));
	if (labels == NULL || (!secret_in_input &&
	    strstr(labels, FUZZ_SECRET) != NULL))
		abort();
	cJSON_free(labels);
	cJSON_Delete(body);
	cJSON_Delete(secrets);
}

/* fuzz_round_trip - eng_spec_json survives eng_spec_from_json */
static void
fuzz_round_trip(const struct eng_spec *s)
{
	struct eng_spec	 back;
	cJSON		*j, *j2;
	char		*t, *t2;

	j = eng_spec_json(s);
	if (eng_spec_from_json(j, &back) != 0)
		abort();
	j2 = eng_spec_json(&back);
	t = cJSON_PrintUnformatted(j);
	t2 = cJSON_PrintUnformatted(j2);
	if (t == NULL || t2 == NULL || strcmp(t, t2) != 0)
		abort();
	cJSON_free(t);
	cJSON_free(t2);
	cJSON_Delete(j);
	cJSON_Delete(j2);
	eng_spec_free(&back);
}

/* LLVMFuzzerTestOneInput - one launch request */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct eng_profile	*pr;
	struct eng_spec			 s;
	struct eng_spec_err		 e;
	cJSON				*req;
	char				*buf, *text;
	size_t				 len;

	if (fuzz_profiles == NULL)
		fuzz_init();
	buf = fuzz_subst(data, size, &len);
	req = cJSON_ParseWithLength(buf, len);
	if (req == NULL) {
		free(buf);
		return (0);
	}
	if (eng_spec_parse(req, fuzz_profiles, fuzz_root, &s, &e) == -1)
		fuzz_refused(&s, &e);
	else {
		pr = eng_profiles_find(fuzz_profiles, s.engine);
		fuzz_spec_ok(&s, pr);
		/* the request itself may hold the value, escaped or not */
		if ((text = cJSON_PrintUnformatted(req)) == NULL)
			abort();
		fuzz_body(&s, pr, strstr(text, FUZZ_SECRET) != NULL);
		cJSON_free(text);
		fuzz_round_trip(&s);
		eng_spec_free(&s);
	}
	cJSON_Delete(req);
	free(buf);
	return (0);
}
