/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_secret - the secrets of a server's secret_env, before a spawn
 * SYNOPSIS
 *	#include "mcp_secret.h"
 * DESCRIPTION
 *	See mcp_secret.h. One fetch per spawn: a vector of "VAR=value"
 *	slots, one MSG_SECRET_GET per variable, a count of answers still
 *	awaited (one more until every request is out, so a request that
 *	fails at once cannot end the fetch early). The channel calls every
 *	request back exactly once (the reply, a timeout, or ECANCELED when
 *	it is freed), so the fetch is always completed and freed.
 * DIAGNOSTICS
 *	See mcp_secret.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#include "mcp_secret.h"
#include "mcp_worker.h"

struct mcp_fetch {
	struct mcp_worker	*w;
	struct mcp_server	*s;
	uint64_t		 ticket;
	char			**env;		/* "VAR=value", NULL-ended */
	size_t			 n;
	int			 waiting;
	char			 err[MCP_SERVER_ERROR_LEN];
	int			 later;		/* err is "not up yet" */
};

struct mcp_fetch_ask {
	struct mcp_fetch	*f;
	size_t			 i;
	char			 var[136];	/* the server may be gone */
};

/* mcp_secret_mine - is s still one of w's servers (listed or retired)? */
static int
mcp_secret_mine(struct mcp_worker *w, const struct mcp_server *s)
{
	struct mcp_retired	*r;
	size_t			 i;

	for (i = 0; i < w->nslots; i++)
		if (w->slots[i].s == s)
			return (1);
	TAILQ_FOREACH(r, &w->retired, entry)
		if (r->s == s)
			return (1);
	return (0);
}

/* mcp_secret_wipe - wipe and free the values */
static void
mcp_secret_wipe(struct mcp_fetch *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (f->env[i] != NULL) {
			explicit_bzero(f->env[i], strlen(f->env[i]));
			free(f->env[i]);
		}
	free(f->env);
	f->env = NULL;
}

/* mcp_secret_step - one answer less; after the last, spawn or fail */
static void
mcp_secret_step(struct mcp_fetch *f)
{
	if (--f->waiting > 0)
		return;
	if (mcp_secret_mine(f->w, f->s)) {
		if (f->err[0] != '\0' && f->later)
			mcp_server_spawn_wait(f->s, f->ticket, f->err);
		else if (f->err[0] != '\0')
			mcp_server_spawn_failed(f->s, f->ticket, f->err);
		else
			(void)mcp_server_spawn(f->s, f->ticket, f->env);
	}
	mcp_secret_wipe(f);
	free(f);
}

/* mcp_secret_done - the secrets worker's answer for one variable */
static void
mcp_secret_done(struct chan *c, struct frame *fr, int err, void *arg)
{
	struct mcp_fetch_ask	*ask = arg;
	struct mcp_fetch	*f = ask->f;
	const char		*var = ask->var;
	const cJSON		*v, *msg, *code;
	cJSON			*j = NULL;

	(void)c;
	if (fr == NULL) {
		if (f->err[0] == '\0')
			snprintf(f->err, sizeof(f->err), "secret_env.%.64s: the "
			    "secrets worker did not answer: %s", var,
			    strerror(err));
	} else if ((j = frame_json(fr)) != NULL &&
	    fr->hdr.type == MSG_SECRET_GET && cJSON_IsString(v =
	    cJSON_GetObjectItemCaseSensitive(j, "value"))) {
		xasprintf(&f->env[ask->i], "%s=%s", var, v->valuestring);
		explicit_bzero(v->valuestring, strlen(v->valuestring));
	} else if (f->err[0] == '\0') {
		msg = cJSON_GetObjectItemCaseSensitive(j, "message");
		code = cJSON_GetObjectItemCaseSensitive(j, "code");
		snprintf(f->err, sizeof(f->err), "secret_env.%.64s: %.160s", var,
		    cJSON_IsString(msg) ? msg->valuestring : "refused");
		/* the master's answer while the secrets worker is starting
		 * or restarting: worth asking again, not a failure */
		f->later = fr->hdr.type == MSG_ERROR && cJSON_IsString(code) &&
		    strcmp(code->valuestring, "unavailable") == 0 &&
		    fr->hdr.src == PROC_MASTER;
	}
	cJSON_Delete(j);
	free(ask);
	mcp_secret_step(f);
}

/* mcp_secret_prespawn - read s's secrets, then spawn it (arg: worker) */
void
mcp_secret_prespawn(struct mcp_server *s, uint64_t ticket, void *arg)
{
	const struct mcp_conf_server	*c = mcp_server_conf(s);
	struct mcp_worker		*w = arg;
	struct mcp_fetch		*f;
	struct mcp_fetch_ask		*ask;
	cJSON				*body;
	size_t				 i;

	f = xcalloc(1, sizeof(*f));
	f->w = w;
	f->s = s;
	f->ticket = ticket;
	f->n = c->nsecret;
	f->env = xcalloc(c->nsecret + 1, sizeof(*f->env));
	f->waiting = 1;		/* until every request is out */
	for (i = 0; i < c->nsecret; i++) {
		ask = xcalloc(1, sizeof(*ask));
		ask->f = f;
		ask->i = i;
		snprintf(ask->var, sizeof(ask->var), "%s", c->secret_var[i]);
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "name", c->secret_name[i]);
		f->waiting++;
		if (w->rt->chan == NULL || worker_request(w->rt, PROC_SECRETS,
		    MSG_SECRET_GET, body, MCP_SECRET_TIMEOUT_MS,
		    mcp_secret_done, ask) == -1) {
			f->waiting--;
			free(ask);
			if (f->err[0] == '\0')
				snprintf(f->err, sizeof(f->err), "secret_env."
				    "%s: cannot ask the secrets worker",
				    c->secret_var[i]);
		}
		cJSON_Delete(body);
	}
	mcp_secret_step(f);
}
