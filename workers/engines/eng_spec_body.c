/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_spec_body - what a checked spec turns into: the Docker create
 *	body, the stored JSON, and the stored JSON back
 * SYNOPSIS
 *	#include "eng_spec.h"
 *
 *	cJSON	*eng_spec_create_body(const struct eng_spec *s,
 *		    const struct eng_profile *pr, const cJSON *secrets,
 *		    const char *instance, struct eng_spec_err *e);
 *	cJSON	*eng_spec_json(const struct eng_spec *s);
 *	int	eng_spec_from_json(const cJSON *j, struct eng_spec *s);
 *	cJSON	*eng_spec_gpus_json(const struct eng_spec *s);
 * DESCRIPTION
 *	See eng_spec.h for the body's fields. Cmd is left out when neither
 *	the profile nor the request has arguments, so the image's own CMD
 *	runs (Ollama's "serve"). Each of the profile's volumes is checked
 *	again once expanded: it must still be SOURCE:TARGET[:ro].
 *
 *	eng_spec_from_json takes what eng_spec_json gave (as kept in the
 *	corral.engine.spec label) and checks it again, but does not
 *	resolve the model: the engine exists already. It tolerates members
 *	it does not know (a label written by a later corral). The env
 *	values are not in the stored form: s->env then maps each name to
 *	null, and eng_spec_create_body refuses such a spec rather than
 *	start a container with empty values.
 * DIAGNOSTICS
 *	eng_spec_create_body returns NULL and e: field "engine" when the
 *	profile's strings do not expand (the message names the profile and
 *	its field), "secret_env" when a secret's value is missing from
 *	secrets, "env" when an env value is unknown. eng_spec_from_json
 *	returns -1, s emptied, on anything it would not have written.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "eng_check.h"
#include "eng_profile.h"
#include "eng_spec.h"
#include "eng_spec_priv.h"
#include "log.h"
#include "xmalloc.h"

/* eng_spec_body_expand - each string of v expanded, appended to arr; 0 or -1 */
static int
eng_spec_body_expand(const struct eng_strv *v, const char *field,
    const struct eng_profile *pr, const struct eng_profile_vars *vars,
    cJSON *arr, struct eng_spec_err *e)
{
	const char	*why;
	char		 err[256], *x;
	size_t		 i;

	for (i = 0; i < v->n; i++) {
		if ((x = eng_profile_expand(v->v[i], vars, err, sizeof(err))) ==
		    NULL)
			return (eng_spec_fail(e, "engine", "engine: profile "
			    "%s: %s[%zu]: %s", pr->name, field, i, err));
		if (strcmp(field, "volumes") == 0 &&
		    (why = eng_check_volume(x)) != NULL) {
			free(x);
			return (eng_spec_fail(e, "engine", "engine: profile "
			    "%s: volumes[%zu]: %s once expanded", pr->name, i,
			    why));
		}
		cJSON_AddItemToArray(arr, cJSON_CreateString(x));
		free(x);
	}
	return (0);
}

/* eng_spec_body_env - the profile's, the request's and the secret variables */
static cJSON *
eng_spec_body_env(const struct eng_spec *s, const struct eng_profile *pr,
    const struct eng_profile_vars *vars, const cJSON *secrets,
    struct eng_spec_err *e)
{
	const cJSON	*el, *val;
	cJSON		*env;
	char		*kv;

	env = cJSON_CreateArray();
	if (eng_spec_body_expand(&pr->env, "env", pr, vars, env, e) == -1)
		goto fail;
	cJSON_ArrayForEach(el, s->env) {
		if (!cJSON_IsString(el) || el->valuestring == NULL) {
			eng_spec_fail(e, "env", "env.%s: its value is not "
			    "known (the spec was read back from a container)",
			    el->string);
			goto fail;
		}
		xasprintf(&kv, "%s=%s", el->string, el->valuestring);
		cJSON_AddItemToArray(env, cJSON_CreateString(kv));
		free(kv);
	}
	cJSON_ArrayForEach(el, s->secret_env) {
		val = secrets != NULL ? cJSON_GetObjectItemCaseSensitive(
		    secrets, el->string) : NULL;
		if (!cJSON_IsString(val) || val->valuestring == NULL) {
			eng_spec_fail(e, "secret_env", "secret_env.%s: no "
			    "value for secret '%s'", el->string,
			    cJSON_IsString(el) ? el->valuestring : "?");
			goto fail;
		}
		xasprintf(&kv, "%s=%s", el->string, val->valuestring);
		cJSON_AddItemToArray(env, cJSON_CreateString(kv));
		free(kv);
	}
	return (env);
fail:
	cJSON_Delete(env);
	return (NULL);
}

/* eng_spec_body_devices - DeviceRequests for s's gpus (not for "none") */
static cJSON *
eng_spec_body_devices(const struct eng_spec *s)
{
	cJSON	*reqs, *r, *ids, *caps;
	char	 num[16];
	size_t	 i;

	reqs = cJSON_CreateArray();
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "Driver", "nvidia");
	if (s->gpus == ENG_GPUS_ALL)
		cJSON_AddNumberToObject(r, "Count", -1);
	else {
		ids = cJSON_AddArrayToObject(r, "DeviceIDs");
		for (i = 0; i < s->ngpus; i++) {
			snprintf(num, sizeof(num), "%d", s->gpu_idx[i]);
			cJSON_AddItemToArray(ids, cJSON_CreateString(num));
		}
	}
	caps = cJSON_AddArrayToObject(r, "Capabilities");
	cJSON_AddItemToArray(caps, cJSON_CreateArray());
	cJSON_AddItemToArray(caps->child, cJSON_CreateString("gpu"));
	cJSON_AddItemToArray(reqs, r);
	return (reqs);
}

/* eng_spec_body_host - the HostConfig */
static cJSON *
eng_spec_body_host(const struct eng_spec *s, const struct eng_profile *pr,
    const struct eng_profile_vars *vars, struct eng_spec_err *e)
{
	cJSON	*h, *binds, *rp;
	char	*bind;

	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "NetworkMode", "host");
	if (pr->ipc_host)
		cJSON_AddStringToObject(h, "IpcMode", "host");
	binds = cJSON_AddArrayToObject(h, "Binds");
	if (!pr->model_is_name) {
		xasprintf(&bind, "%s:%s:ro", s->model, s->model);
		cJSON_AddItemToArray(binds, cJSON_CreateString(bind));
		free(bind);
	}
	if (eng_spec_body_expand(&pr->volumes, "volumes", pr, vars, binds, e) ==
	    -1) {
		cJSON_Delete(h);
		return (NULL);
	}
	if (s->gpus != ENG_GPUS_NONE)
		cJSON_AddItemToObject(h, "DeviceRequests",
		    eng_spec_body_devices(s));
	rp = cJSON_AddObjectToObject(h, "RestartPolicy");
	cJSON_AddStringToObject(rp, "Name", "no");
	return (h);
}

/* eng_spec_body_labels - corral's labels, the compact spec among them */
static cJSON *
eng_spec_body_labels(const struct eng_spec *s, const char *instance)
{
	cJSON	*l, *j;
	char	*text, num[16];

	l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "corral.instance",
	    instance != NULL ? instance : "");
	cJSON_AddStringToObject(l, "corral.engine", s->name);
	cJSON_AddStringToObject(l, "corral.engine.profile", s->engine);
	snprintf(num, sizeof(num), "%d", s->port);
	cJSON_AddStringToObject(l, "corral.engine.port", num);
	j = eng_spec_json(s);
	if ((text = cJSON_PrintUnformatted(j)) == NULL)
		fatalx("eng_spec_body_labels: out of memory");
	cJSON_AddStringToObject(l, "corral.engine.spec", text);
	cJSON_free(text);
	cJSON_Delete(j);
	return (l);
}

/* eng_spec_create_body - the /containers/create body; NULL and e */
cJSON *
eng_spec_create_body(const struct eng_spec *s, const struct eng_profile *pr,
    const cJSON *secrets, const char *instance, struct eng_spec_err *e)
{
	struct eng_profile_vars	 vars;
	const cJSON		*el;
	cJSON			*body, *arr, *env, *host;

	if (e != NULL)
		memset(e, 0, sizeof(*e));
	vars.name = s->name;
	vars.port = s->port;
	vars.model = s->model;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "Image", s->image);
	if (pr->has_entrypoint) {
		arr = cJSON_AddArrayToObject(body, "Entrypoint");
		if (eng_spec_body_expand(&pr->entrypoint, "entrypoint", pr,
		    &vars, arr, e) == -1)
			goto fail;
	}
	arr = cJSON_CreateArray();
	if (eng_spec_body_expand(&pr->args, "args", pr, &vars, arr, e) == -1) {
		cJSON_Delete(arr);
		goto fail;
	}
	cJSON_ArrayForEach(el, s->args)
		if (cJSON_IsString(el))
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(el->valuestring));
	if (cJSON_GetArraySize(arr) > 0)
		cJSON_AddItemToObject(body, "Cmd", arr);
	else
		cJSON_Delete(arr);
	if ((env = eng_spec_body_env(s, pr, &vars, secrets, e)) == NULL)
		goto fail;
	cJSON_AddItemToObject(body, "Env", env);
	cJSON_AddItemToObject(body, "Labels",
	    eng_spec_body_labels(s, instance));
	if ((host = eng_spec_body_host(s, pr, &vars, e)) == NULL)
		goto fail;
	cJSON_AddItemToObject(body, "HostConfig", host);
	return (body);
fail:
	cJSON_Delete(body);
	return (NULL);
}

/* eng_spec_gpus_json - "all", "none" or the array of indices */
cJSON *
eng_spec_gpus_json(const struct eng_spec *s)
{
	cJSON	*a;
	size_t	 i;

	if (s->gpus == ENG_GPUS_ALL)
		return (cJSON_CreateString("all"));
	if (s->gpus == ENG_GPUS_NONE)
		return (cJSON_CreateString("none"));
	a = cJSON_CreateArray();
	for (i = 0; i < s->ngpus; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(s->gpu_idx[i]));
	return (a);
}

/* eng_spec_json - the spec as stored and reported (no secret value) */
cJSON *
eng_spec_json(const struct eng_spec *s)
{
	const cJSON	*el;
	cJSON		*j, *names;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "name", s->name);
	cJSON_AddStringToObject(j, "engine", s->engine);
	cJSON_AddStringToObject(j, "model", s->model != NULL ? s->model : "");
	cJSON_AddStringToObject(j, "image", s->image != NULL ? s->image : "");
	cJSON_AddNumberToObject(j, "port", s->port);
	cJSON_AddItemToObject(j, "gpus", eng_spec_gpus_json(s));
	cJSON_AddItemToObject(j, "args", s->args != NULL ?
	    cJSON_Duplicate(s->args, 1) : cJSON_CreateArray());
	names = cJSON_AddArrayToObject(j, "env_names");
	cJSON_ArrayForEach(el, s->env)
		cJSON_AddItemToArray(names, cJSON_CreateString(el->string));
	cJSON_AddItemToObject(j, "secret_env", s->secret_env != NULL ?
	    cJSON_Duplicate(s->secret_env, 1) : cJSON_CreateObject());
	return (j);
}

/* eng_spec_body_from_str - member key of j, a string; NULL if not */
static const char *
eng_spec_body_from_str(const cJSON *j, const char *key)
{
	const cJSON	*el = cJSON_GetObjectItemCaseSensitive(j, key);

	return (cJSON_IsString(el) ? el->valuestring : NULL);
}

/* eng_spec_body_from_env - env_names and secret_env (both optional) into s */
static int
eng_spec_body_from_env(const cJSON *names, const cJSON *sec, struct eng_spec *s)
{
	const cJSON	*el;
	int		 bad;

	s->env = cJSON_CreateObject();
	if (names != NULL) {
		if (!eng_spec_strings(names, ENG_ENV_MAX, &bad))
			return (-1);
		cJSON_ArrayForEach(el, names) {
			if (!eng_check_env_name(el->valuestring) ||
			    cJSON_GetObjectItemCaseSensitive(s->env,
			    el->valuestring) != NULL)
				return (-1);
			cJSON_AddNullToObject(s->env, el->valuestring);
		}
	}
	s->secret_env = cJSON_CreateObject();
	if (sec == NULL)
		return (0);
	if (!cJSON_IsObject(sec) || cJSON_GetArraySize(sec) > ENG_ENV_MAX)
		return (-1);
	cJSON_ArrayForEach(el, sec) {
		if (!eng_check_env_name(el->string) || !cJSON_IsString(el) ||
		    !eng_check_secret_name(el->valuestring) ||
		    cJSON_GetObjectItemCaseSensitive(s->env, el->string) !=
		    NULL || cJSON_GetObjectItemCaseSensitive(s->secret_env,
		    el->string) != NULL)
			return (-1);
		cJSON_AddStringToObject(s->secret_env, el->string,
		    el->valuestring);
	}
	return (0);
}

/* eng_spec_from_json - read eng_spec_json's form back; 0 or -1 */
int
eng_spec_from_json(const cJSON *j, struct eng_spec *s)
{
	const cJSON	*args;
	const char	*name, *engine, *model, *image;
	int		 bad;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(j))
		return (-1);
	name = eng_spec_body_from_str(j, "name");
	engine = eng_spec_body_from_str(j, "engine");
	model = eng_spec_body_from_str(j, "model");
	image = eng_spec_body_from_str(j, "image");
	if (name == NULL || eng_spec_name_why(name) != NULL ||
	    engine == NULL || eng_spec_name_why(engine) != NULL ||
	    strlen(engine) >= sizeof(s->engine) ||
	    model == NULL || model[0] == '\0' || strlen(model) >= PATH_MAX ||
	    eng_check_has_ctl(model) || image == NULL ||
	    eng_check_image(image) != NULL ||
	    !eng_check_int(cJSON_GetObjectItemCaseSensitive(j, "port"), 1,
	    65535, &s->port) ||
	    cJSON_GetObjectItemCaseSensitive(j, "gpus") == NULL ||
	    eng_spec_gpus(cJSON_GetObjectItemCaseSensitive(j, "gpus"), s,
	    NULL) == -1)
		goto fail;
	args = cJSON_GetObjectItemCaseSensitive(j, "args");
	if (args != NULL && !eng_spec_strings(args, ENG_ARGS_MAX, &bad))
		goto fail;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->engine, sizeof(s->engine), "%s", engine);
	s->model = xstrdup(model);
	s->image = xstrdup(image);
	s->args = args != NULL ? cJSON_Duplicate(args, 1) :
	    cJSON_CreateArray();
	if (eng_spec_body_from_env(cJSON_GetObjectItemCaseSensitive(j,
	    "env_names"), cJSON_GetObjectItemCaseSensitive(j, "secret_env"),
	    s) == -1)
		goto fail;
	return (0);
fail:
	eng_spec_free(s);
	memset(s, 0, sizeof(*s));
	return (-1);
}
