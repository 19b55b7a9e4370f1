/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	config_workers.c - the worker table of corral's configuration
 * SYNOPSIS
 *	#include "config_priv.h"
 *
 *	int	config_worker_is_key(const char *key);
 *	int	config_worker_line(struct config *cfg, char *key,
 *		    const char *val, int line, char *err, size_t errlen);
 *	int	config_workers_finish(struct config *cfg, char *err,
 *		    size_t errlen);
 * DESCRIPTION
 *	The file names the workers to run, one "worker NAME = on|off" line
 *	each, with "worker.NAME.restart = always|never" and, for a worker
 *	that is not built in, "worker.NAME.exec = /abs/path". A worker the
 *	file names in any of these lines is in the table, on and restarted
 *	always unless a line says otherwise; the last line wins. Worker
 *	names are 1 to 31 of a-z 0-9 _ -.
 *
 *	config_worker_is_key tells a worker line from a setting line.
 *	config_worker_line applies one line. config_workers_finish runs
 *	after the whole file: with no worker named the table is the
 *	default, http, secrets, gpu, engines, mcp and skills, each on with
 *	restart always; CORRAL_WORKERS (a comma list) then turns on exactly
 *	the workers it names, adding those the table lacks; every worker
 *	that is on must be built in (proc.h) or have an exec path.
 * DIAGNOSTICS
 *	Each function returns 0, or 2 with one line in err naming the file
 *	line (or CORRAL_WORKERS) at fault.
 * SEE ALSO
 *	config.c, proc.h, corral.conf(5)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"
#include "proc.h"
#include "xmalloc.h"

#define CONFIG_WORKER_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789_-"
#define CONFIG_WORKER_WANT	"(want 1 to 31 of a-z 0-9 _ -)"

/* The table when the file names no worker: each on, restart always. */
static const char *const config_workers_default[] = { "http", "secrets",
	"gpu", "engines", "mcp", CONFIG_SKILLS_WORKER };

/* config_worker_name_ok - is name [a-z0-9_-]{1,31}? */
static int
config_worker_name_ok(const char *name)
{
	size_t	n = strspn(name, CONFIG_WORKER_CHARS);

	return (n > 0 && n < CONFIG_NAME_MAX && name[n] == '\0');
}

/* config_worker_get - the entry for name, added (on, restart always) if new */
static struct config_worker *
config_worker_get(struct config *cfg, const char *name, int line)
{
	struct config_worker	*w;
	int			 k;

	for (k = 0; k < cfg->nworkers; k++)
		if (strcmp(cfg->workers[k].name, name) == 0)
			return (&cfg->workers[k]);
	if (cfg->nworkers == CONFIG_MAX_WORKERS)
		return (NULL);
	w = &cfg->workers[cfg->nworkers++];
	memset(w, 0, sizeof(*w));
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->enabled = 1;
	w->restart = RESTART_ALWAYS;
	w->line = line;
	return (w);
}

/* config_worker_is_key - "worker NAME" or "worker.NAME.ATTR"? */
int
config_worker_is_key(const char *key)
{
	return (strncmp(key, "worker", 6) == 0 &&
	    (key[6] == '.' || isspace((unsigned char)key[6])));
}

/* config_worker_line - "worker NAME = on|off", "worker.NAME.restart|exec" */
int
config_worker_line(struct config *cfg, char *key, const char *val, int line,
    char *err, size_t errlen)
{
	const char		*path = cfg->conf_path;
	struct config_worker	*w;
	char			*name, *attr = NULL;
	int			 b;

	if (key[6] == '.') {
		name = key + 7;
		if ((attr = strchr(name, '.')) == NULL)
			return (config_fail(err, errlen, "%s:%d: unknown "
			    "setting '%s'", path, line, key));
		*attr++ = '\0';
	} else
		for (name = key + 6; isspace((unsigned char)*name); name++)
			;
	if (!config_worker_name_ok(name))
		return (config_fail(err, errlen, "%s:%d: bad worker name '%s' "
		    CONFIG_WORKER_WANT, path, line, name));
	if (attr != NULL && strcmp(attr, "restart") != 0 &&
	    strcmp(attr, "exec") != 0)
		return (config_fail(err, errlen, "%s:%d: unknown setting "
		    "'worker.%s.%s'", path, line, name, attr));
	if ((w = config_worker_get(cfg, name, line)) == NULL)
		return (config_fail(err, errlen, "%s:%d: too many workers "
		    "(at most %d)", path, line, CONFIG_MAX_WORKERS));
	if (attr == NULL) {
		if ((b = config_parse_bool(val)) == -1)
			return (config_fail(err, errlen, "%s:%d: worker %s: "
			    "'%s' is not on or off", path, line, name, val));
		w->enabled = b;
	} else if (strcmp(attr, "restart") == 0) {
		if (strcmp(val, "always") == 0)
			w->restart = RESTART_ALWAYS;
		else if (strcmp(val, "never") == 0)
			w->restart = RESTART_NEVER;
		else
			return (config_fail(err, errlen, "%s:%d: "
			    "worker.%s.restart: '%s' is not always or never",
			    path, line, name, val));
	} else {
		if (val[0] != '/')
			return (config_fail(err, errlen, "%s:%d: "
			    "worker.%s.exec: '%s' is not an absolute path",
			    path, line, name, val));
		free(w->exec);
		w->exec = xstrdup(val);
	}
	return (0);
}

/* config_workers_env - CORRAL_WORKERS: turn on exactly the workers named */
static int
config_workers_env(struct config *cfg, const char *v, char *err,
    size_t errlen)
{
	struct config_worker	*w;
	char			*list, *p, *tok;
	int			 k, rc = 0;

	for (k = 0; k < cfg->nworkers; k++)
		cfg->workers[k].enabled = 0;
	p = list = xstrdup(v);
	while (rc == 0 && (tok = strsep(&p, ",")) != NULL) {
		tok += strspn(tok, " \t");
		tok[strcspn(tok, " \t")] = '\0';
		if (*tok == '\0')
			continue;
		if (!config_worker_name_ok(tok))
			rc = config_fail(err, errlen, "CORRAL_WORKERS: bad "
			    "worker name '%s' " CONFIG_WORKER_WANT, tok);
		else if ((w = config_worker_get(cfg, tok, 0)) == NULL)
			rc = config_fail(err, errlen, "CORRAL_WORKERS: too "
			    "many workers (at most %d)", CONFIG_MAX_WORKERS);
		else
			w->enabled = 1;
	}
	free(list);
	return (rc);
}

/* config_workers_finish - default table, CORRAL_WORKERS, executables */
int
config_workers_finish(struct config *cfg, char *err, size_t errlen)
{
	struct config_worker	*w;
	const char		*v;
	int			 k;

	if (cfg->nworkers == 0)
		for (k = 0; k < (int)(sizeof(config_workers_default) /
		    sizeof(config_workers_default[0])); k++)
			(void)config_worker_get(cfg, config_workers_default[k],
			    0);
	if ((v = getenv("CORRAL_WORKERS")) != NULL && *v != '\0' &&
	    config_workers_env(cfg, v, err, errlen) != 0)
		return (2);
	for (k = 0; k < cfg->nworkers; k++) {
		w = &cfg->workers[k];
		if (!w->enabled || w->exec != NULL ||
		    proc_builtin_id(w->name) != -1)
			continue;
		if (w->line > 0)
			return (config_fail(err, errlen, "%s:%d: worker '%s' "
			    "is not built in; give worker.%s.exec = PATH",
			    cfg->conf_path, w->line, w->name, w->name));
		return (config_fail(err, errlen, "CORRAL_WORKERS: worker '%s' "
		    "is not built in and the config file gives no "
		    "worker.%s.exec", w->name, w->name));
	}
	return (0);
}
