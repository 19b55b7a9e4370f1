/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	reload - SIGHUP: read the configuration again
 * SYNOPSIS
 *	void	reload_config(struct master *m);
 * DESCRIPTION
 *	The configuration is loaded and checked again from the same flags,
 *	environment and file. A configuration that fails is logged and the
 *	old one stays. Otherwise what can change at run time (tokens, auth
 *	mode, log level and format, timeouts) is taken, every running
 *	worker gets MSG_RELOAD with its new config, and a setting that
 *	needs a restart (bind, roots, user, the worker table) is named in a
 *	warning and keeps its old value.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "master.h"
#include "msg.h"
#include "xmalloc.h"

/* reload_same - two optional strings are equal */
static int
reload_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* reload_keep - keep a setting that needs a restart, warn if it changed */
static void
reload_keep(char **newv, char *const *oldv, const char *what)
{
	if (reload_same(*newv, *oldv))
		return;
	log_warnx("reload: %s changed; it takes effect after a restart", what);
	free(*newv);
	*newv = xstrdup(*oldv);
}

/* reload_config - SIGHUP */
void
reload_config(struct master *m)
{
	struct config	 next;
	struct worker	*w;
	char		 err[512];
	cJSON		*msg;
	int		 i;

	memset(&next, 0, sizeof(next));
	if (config_load(&next, m->argc, m->argv, err, sizeof(err)) != 0 ||
	    config_check(&next, err, sizeof(err)) != 0) {
		log_warnx("reload refused, keeping the running configuration: "
		    "%s", err);
		config_free(&next);
		return;
	}
	reload_keep(&next.bind, &m->cfg.bind, "bind");
	reload_keep(&next.state_root, &m->cfg.state_root, "state_root");
	reload_keep(&next.workspace_root, &m->cfg.workspace_root,
	    "workspace_root");
	reload_keep(&next.user, &m->cfg.user, "user");
	reload_keep(&next.libexec_dir, &m->cfg.libexec_dir, "libexec_dir");
	/* The worker table stays: rows point into it. */
	for (i = 0; i < next.nworkers; i++)
		free(next.workers[i].exec);
	next.nworkers = m->cfg.nworkers;
	for (i = 0; i < next.nworkers; i++) {
		next.workers[i] = m->cfg.workers[i];
		next.workers[i].exec = xstrdup(m->cfg.workers[i].exec);
	}
	if (next.admin_token == NULL && strcmp(next.auth_mode, "bearer") == 0)
		next.admin_token = xstrdup(m->cfg.admin_token);
	config_free(&m->cfg);
	m->cfg = next;
	for (i = 0; i < m->nworkers; i++)
		m->workers[i].conf = &m->cfg.workers[i];
	(void)log_setup(m->cfg.log_level, m->cfg.log_format);
	for (i = 0; i < m->nworkers; i++) {
		w = &m->workers[i];
		if (w->chan == NULL || w->state != SUPER_UP)
			continue;
		msg = cJSON_CreateObject();
		cJSON_AddNumberToObject(msg, "id", w->id);
		cJSON_AddStringToObject(msg, "name", w->name);
		cJSON_AddItemToObject(msg, "config",
		    config_worker_json(&m->cfg, w->conf));
		(void)chan_send_json(w->chan, MSG_RELOAD, w->id, 0, 0, msg);
		cJSON_Delete(msg);
	}
	log_info("configuration reloaded");
}
