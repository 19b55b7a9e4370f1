/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_spec.h - a launch request, checked, and the container it makes
 * SYNOPSIS
 *	int	eng_spec_parse(const cJSON *req, const struct eng_profiles *p,
 *		    const char *models_root, struct eng_spec *s,
 *		    struct eng_spec_err *e);
 *	cJSON	*eng_spec_create_body(const struct eng_spec *s,
 *		    const struct eng_profile *pr, const cJSON *secrets,
 *		    const char *instance, struct eng_spec_err *e);
 *	cJSON	*eng_spec_json(const struct eng_spec *s);
 *	int	eng_spec_from_json(const cJSON *j, struct eng_spec *s);
 *	int	eng_spec_model_path(const char *models_root, const char *model,
 *		    char *out, size_t outlen, struct eng_spec_err *e);
 *	void	eng_spec_free(struct eng_spec *s);
 * DESCRIPTION
 *	eng_spec_parse checks an ENGINE_LAUNCH request (docs/protocol.md)
 *	against the profiles and fills s. The name is 1-63 of
 *	[A-Za-z0-9_.-] not starting with '.' or '-'; the engine a known
 *	profile; the model, unless the profile's model_is_name, a path that
 *	eng_spec_model_path accepts (then s->model is the resolved path),
 *	else a name of 1-255 printable characters without spaces; gpus
 *	"all" (default), "none", an array of distinct indices 0-63 (at most
 *	16) or such a list as a string "0,1"; port 1-65535 (default the
 *	profile's); image a non-empty string without spaces or control
 *	characters (default the profile's); args an array of at most 64
 *	strings; env an object of at most 64 string members whose names are
 *	[A-Za-z_][A-Za-z0-9_]* ; secret_env the same with secret names as
 *	values. Unknown members are an error.
 *
 *	eng_spec_model_path resolves model with realpath and accepts it only
 *	if it is absolute, exists, and lies under the resolved models_root
 *	(the root itself or below it: "/models2" is not under "/models"), so
 *	neither ".." nor a symlink can escape.
 *
 *	eng_spec_create_body builds the Docker POST /containers/create body:
 *	Image; Entrypoint (if the profile has one); Cmd: the profile's args
 *	expanded (eng_profile_expand) then the request's args; Env: the
 *	profile's env expanded, the request's env, then each secret_env
 *	variable with its value from secrets (an object var -> value, or
 *	NULL when there are none); Labels (below); HostConfig: NetworkMode
 *	"host", IpcMode "host" if the profile asks, Binds: the model path
 *	read-only at the same path ("P:P:ro", unless model_is_name) and the
 *	profile's volumes expanded, DeviceRequests: for "all"
 *	[{"Driver":"nvidia","Count":-1,"Capabilities":[["gpu"]]}], for a
 *	list [{"Driver":"nvidia","DeviceIDs":["0","1"],"Capabilities":
 *	[["gpu"]]}], none for "none"; RestartPolicy {"Name":"no"}.
 *
 *	Labels mark the container as corral's and carry what re-adoption
 *	needs: corral.instance (instance), corral.engine (the name),
 *	corral.engine.profile, corral.engine.port, corral.engine.spec (the
 *	compact eng_spec_json, which holds no secret value).
 *
 *	eng_spec_json is the spec as stored and reported: {"name","engine",
 *	"model","image","port","gpus","args","env_names","secret_env"} where
 *	gpus is "all", "none" or an array, env_names the names of env only
 *	(values may be sensitive too: never echoed), secret_env var ->
 *	secret name. eng_spec_from_json reads that back (env values are not
 *	in it: an adopted engine's env is whatever its container has).
 * DIAGNOSTICS
 *	eng_spec_parse and eng_spec_model_path return 0, or -1 with
 *	e->code ("bad_request"), e->field (the member: "name", "model",
 *	...) and e->message, one line naming the field ("model: /etc is
 *	not under the models root /srv/models"). eng_spec_create_body
 *	returns NULL with e filled if a placeholder does not expand.
 */
#ifndef CORRAL_ENG_SPEC_H
#define CORRAL_ENG_SPEC_H

#include <limits.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "eng_profile.h"

#define ENG_NAME_MAX		63
#define ENG_GPUS_MAX		16
#define ENG_GPU_INDEX_MAX	63
#define ENG_ARGS_MAX		64
#define ENG_ENV_MAX		64

enum eng_gpus { ENG_GPUS_ALL, ENG_GPUS_NONE, ENG_GPUS_LIST };

struct eng_spec {
	char		 name[ENG_NAME_MAX + 1];
	char		 engine[ENG_PROFILE_NAME_MAX];
	char		*model;		/* resolved path, or the model name */
	char		*image;		/* chosen: the request's or profile's */
	int		 port;
	enum eng_gpus	 gpus;
	int		 gpu_idx[ENG_GPUS_MAX];
	size_t		 ngpus;
	cJSON		*args;		/* array of strings (the request's) */
	cJSON		*env;		/* object of strings */
	cJSON		*secret_env;	/* object: var -> secret name */
};

struct eng_spec_err {
	const char	*code;		/* "bad_request" */
	const char	*field;		/* "model", ... */
	char		 message[512];
};

/* eng_spec_parse - check a launch request into s; 0, or -1 and e */
int	 eng_spec_parse(const cJSON *req, const struct eng_profiles *p,
	    const char *models_root, struct eng_spec *s,
	    struct eng_spec_err *e);

/* eng_spec_model_path - model resolved, under models_root; 0 or -1 */
int	 eng_spec_model_path(const char *models_root, const char *model,
	    char *out, size_t outlen, struct eng_spec_err *e);

/* eng_spec_create_body - the /containers/create body; NULL and e */
cJSON	*eng_spec_create_body(const struct eng_spec *s,
	    const struct eng_profile *pr, const cJSON *secrets,
	    const char *instance, struct eng_spec_err *e);

/* eng_spec_json - the spec as stored and reported (no secret value) */
cJSON	*eng_spec_json(const struct eng_spec *s);

/* eng_spec_from_json - read eng_spec_json's form back; 0 or -1 */
int	 eng_spec_from_json(const cJSON *j, struct eng_spec *s);

/* eng_spec_gpus_json - "all", "none" or the array of indices */
cJSON	*eng_spec_gpus_json(const struct eng_spec *s);

/* eng_spec_free - free what s holds (not s) */
void	 eng_spec_free(struct eng_spec *s);

#endif
