/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config_store.c - the secret store's part of corral's configuration
 * SYNOPSIS
 *	#include "config_priv.h"
 *
 *	void	config_store_env(struct config *cfg);
 *	int	config_store_check(const struct config *cfg, char *err,
 *		    size_t errlen);
 *	int	config_store_json(const struct config *cfg, cJSON *o);
 * DESCRIPTION
 *	The master key of the secret store is given to the secrets worker
 *	only, through its environment (spawn.c). The master must never hold
 *	key material, so nothing here reads it: config_store_env notes
 *	whether CORRAL_AUTH_STORE_MASTER_KEY is set (non-empty) and the
 *	path in CORRAL_AUTH_STORE_MASTER_KEY_FILE. Both come from the
 *	environment only, never from the file or a flag.
 *
 *	config_store_check refuses both inputs given together, and a key
 *	file that cannot be opened for reading or is not a regular file; it
 *	opens and closes the file without reading a byte. Then it loads the
 *	routes file, if one is set, and refuses it with the routes module's
 *	line ("routes file F: routes[2].base_url: ...").
 *
 *	config_store_json adds to the secrets worker's config the routes
 *	file and "grants": for each worker that may read values with
 *	MSG_SECRET_GET, the names it may read. config_grants[] has one row
 *	per such worker and the function that lists its names: skills gets
 *	the secrets the routes name, engines those of engines_secrets and
 *	mcp those of mcp_secrets.
 * DIAGNOSTICS
 *	config_store_check returns 0, or 2 with one line in err. A routes
 *	file that no longer parses when config_store_json runs gives empty
 *	grants; the secrets worker reports the file itself.
 * SEE ALSO
 *	config.c, config_check.c, routes.c, corral.conf(5), docs/routes.md
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "config_priv.h"
#include "routes.h"
#include "xmalloc.h"

static int	config_grants_routes(const struct config *, cJSON *);
static int	config_grants_engines(const struct config *, cJSON *);
static int	config_grants_mcp(const struct config *, cJSON *);

/* Who may read values, and where the names come from; NULL: none yet. */
static const struct {
	const char	*worker;
	int		(*fill)(const struct config *, cJSON *);
} config_grants[] = {
	{ CONFIG_SKILLS_WORKER, config_grants_routes },
	{ "engines", config_grants_engines },
	{ "mcp", config_grants_mcp },
};

/* config_store_env - note the master key inputs of the environment */
void
config_store_env(struct config *cfg)
{
	const char	*v;

	v = getenv(CONFIG_MASTER_KEY_ENV);
	cfg->master_key_set = v != NULL && *v != '\0';
	free(cfg->master_key_file);
	cfg->master_key_file = NULL;
	if ((v = getenv(CONFIG_MASTER_KEY_FILE_ENV)) != NULL && *v != '\0')
		cfg->master_key_file = xstrdup(v);
}

/* config_store_key - the master key inputs, without reading the key */
static int
config_store_key(const struct config *cfg, char *err, size_t errlen)
{
	struct stat	st;
	const char	*path = cfg->master_key_file;
	int		fd;

	if (cfg->master_key_set && path != NULL)
		return (config_fail(err, errlen, "master key given twice: "
		    CONFIG_MASTER_KEY_ENV " and " CONFIG_MASTER_KEY_FILE_ENV
		    "; give one"));
	if (path == NULL)
		return (0);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1)
		return (config_fail(err, errlen, CONFIG_MASTER_KEY_FILE_ENV
		    ": cannot read %s: %s", path, strerror(errno)));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return (config_fail(err, errlen, CONFIG_MASTER_KEY_FILE_ENV
		    ": %s is not a regular file", path));
	}
	close(fd);
	return (0);
}

/* config_store_check - master key inputs and routes file; 0 or 2 + err */
int
config_store_check(const struct config *cfg, char *err, size_t errlen)
{
	struct routes	*rs;

	if (config_store_key(cfg, err, errlen) != 0)
		return (2);
	if (cfg->routes_file == NULL)
		return (0);
	if ((rs = routes_load(cfg->routes_file, err, errlen)) == NULL)
		return (2);
	routes_free(rs);
	return (0);
}

/* config_grants_has - is name in the array of strings a? */
static int
config_grants_has(const cJSON *a, const char *name)
{
	const cJSON	*s;

	cJSON_ArrayForEach(s, a)
		if (strcmp(s->valuestring, name) == 0)
			return (1);
	return (0);
}

/* config_grants_routes - the secrets the routes name, each once */
static int
config_grants_routes(const struct config *cfg, cJSON *a)
{
	struct routes	*rs;
	const char	*name;
	size_t		 i;
	int		 ok = 1;

	if (cfg->routes_file == NULL ||
	    (rs = routes_load(cfg->routes_file, NULL, 0)) == NULL)
		return (0);
	for (i = 0; ok && i < rs->n; i++) {
		if ((name = rs->v[i].secret) == NULL ||
		    config_grants_has(a, name))
			continue;
		ok = cJSON_AddItemToArray(a, cJSON_CreateString(name));
	}
	routes_free(rs);
	return (ok ? 0 : -1);
}

/* config_grants_list - the names of a "a, b" list into a, each once */
static int
config_grants_list(const char *names, cJSON *a)
{
	char	*list, *name, *save = NULL;
	int	 ok = 1;

	if (names == NULL)
		return (0);
	list = xstrdup(names);
	for (name = strtok_r(list, ", \t", &save); ok && name != NULL;
	    name = strtok_r(NULL, ", \t", &save))
		if (!config_grants_has(a, name))
			ok = cJSON_AddItemToArray(a, cJSON_CreateString(name));
	free(list);
	return (ok ? 0 : -1);
}

/* config_grants_engines - the names of engines_secrets, each once */
static int
config_grants_engines(const struct config *cfg, cJSON *a)
{
	return (config_grants_list(cfg->engines_secrets, a));
}

/* config_grants_mcp - the names of mcp_secrets, each once */
static int
config_grants_mcp(const struct config *cfg, cJSON *a)
{
	return (config_grants_list(cfg->mcp_secrets, a));
}

/* config_store_json - routes_file and grants for the secrets worker */
int
config_store_json(const struct config *cfg, cJSON *o)
{
	cJSON	*grants, *a;
	size_t	 k;

	if (cfg->routes_file != NULL &&
	    cJSON_AddStringToObject(o, "routes_file", cfg->routes_file) == NULL)
		return (-1);
	if ((grants = cJSON_AddObjectToObject(o, "grants")) == NULL)
		return (-1);
	for (k = 0; k < sizeof(config_grants) / sizeof(config_grants[0]);
	    k++) {
		if ((a = cJSON_AddArrayToObject(grants,
		    config_grants[k].worker)) == NULL)
			return (-1);
		if (config_grants[k].fill != NULL &&
		    config_grants[k].fill(cfg, a) == -1)
			return (-1);
	}
	return (0);
}
