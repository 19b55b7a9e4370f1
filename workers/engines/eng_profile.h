/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_profile.h - engine profiles: built in, overridable from a file
 * SYNOPSIS
 *	struct eng_profiles *eng_profiles_load(const char *path, char *err,
 *		    size_t errlen);
 *	const struct eng_profile *eng_profiles_find(
 *		    const struct eng_profiles *p, const char *name);
 *	void	eng_profiles_free(struct eng_profiles *p);
 * DESCRIPTION
 *	A profile says how to run one kind of engine: the image, the port it
 *	serves on by default, its entrypoint (NULL: the image's) and
 *	arguments, environment, volumes, the readiness probes (paths that
 *	must each answer 200, in order), the startup timeout, whether it
 *	wants the host's IPC namespace (vLLM's docs ask for it), and
 *	whether its "model" is a name to pull through its own API once it is
 *	up (Ollama) instead of a path under the models root.
 *
 *	Four are built in: vllm, llamacpp, ollama, exllamav2
 *	(docs/engines.md lists their values). eng_profiles_load starts from
 *	them and, if path is not NULL, reads a JSON file
 *	{"profiles":{"NAME":{...}}}: a member naming a built-in profile
 *	replaces the fields it gives and keeps the others; any other name
 *	adds a profile, which must give at least image, port and args.
 *	Fields: "image" (string), "port" (1-65535), "entrypoint", "args"
 *	(arrays of strings), "env" (object of strings), "volumes" (array of
 *	"SOURCE:TARGET[:ro]", SOURCE a volume name or an absolute path),
 *	"probes" (array of 1-4 absolute paths), "startup_timeout_s"
 *	(1-86400), "ipc_host", "model_is_name" (booleans). Unknown fields
 *	are an error (a typo must not be ignored).
 *
 *	Strings in args, entrypoint, env values and volume sources may hold
 *	placeholders, expanded by eng_profile_expand at launch: {name} the
 *	engine's name, {port} its port, {model} the model (the path, the
 *	same inside and outside the container, or the model name),
 *	{model_dir} and {model_base} the path's directory and last part.
 *	The port is always passed explicitly (host networking: a changed
 *	port must be the port it serves on), so every built-in profile has
 *	{port} in its args or env.
 * DIAGNOSTICS
 *	eng_profiles_load returns NULL with one line in err naming the file,
 *	the profile and the field ("engines.json: profile tiny: port: want
 *	a number from 1 to 65535"), or why the file cannot be read.
 */
#ifndef CORRAL_ENG_PROFILE_H
#define CORRAL_ENG_PROFILE_H

#include <stddef.h>

#define ENG_PROFILE_NAME_MAX	32
#define ENG_PROFILE_PROBES_MAX	4
#define ENG_PROFILE_FILE_MAX	(256 * 1024)

struct eng_strv {
	char	**v;
	size_t	  n;
};

struct eng_profile {
	char		 name[ENG_PROFILE_NAME_MAX];
	char		*image;
	int		 port;
	int		 has_entrypoint;	/* 0: the image's own */
	struct eng_strv	 entrypoint;
	struct eng_strv	 args;
	struct eng_strv	 env;		/* "KEY=VALUE" */
	struct eng_strv	 volumes;	/* "SOURCE:TARGET[:ro]" */
	struct eng_strv	 probes;	/* "/health", ... */
	int		 startup_timeout_s;
	int		 ipc_host;
	int		 model_is_name;
};

struct eng_profiles;

/* the values placeholders expand to */
struct eng_profile_vars {
	const char	*name;
	int		 port;
	const char	*model;
};

/* eng_profiles_load - built-ins, then the file's; NULL and why */
struct eng_profiles	*eng_profiles_load(const char *path, char *err,
			    size_t errlen);

/* eng_profiles_find - a profile by name, or NULL */
const struct eng_profile *eng_profiles_find(const struct eng_profiles *p,
			    const char *name);

/* eng_profiles_names - "vllm, llamacpp, ..." for messages, into buf */
const char		*eng_profiles_names(const struct eng_profiles *p,
			    char *buf, size_t len);

/* eng_profiles_free - free p */
void			 eng_profiles_free(struct eng_profiles *p);

/* eng_profile_expand - s with placeholders replaced (malloc'ed); NULL and
 * why if s names an unknown placeholder or the result is over 4096 */
char			*eng_profile_expand(const char *s,
			    const struct eng_profile_vars *v, char *err,
			    size_t errlen);

#endif
