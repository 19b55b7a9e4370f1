/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_msg - the engines worker's messages (docs/protocol.md)
 * SYNOPSIS
 *	#include "eng_worker.h"
 * DESCRIPTION
 *	ENGINE_LIST, GET, LAUNCH, DELETE and LOGS, from the http worker
 *	only. A launch is checked in full before anything is created: the
 *	request (eng_spec.c), the name (409 if taken), Docker (503 with the
 *	reason), the models root inside a container, the port (409 if a
 *	socket on this host or another engine has it). Secrets named in
 *	secret_env are then read from the secrets worker, one GET each; a
 *	refusal ends the launch with the secrets worker's code (forbidden:
 *	not in engines_secrets). Only then is the engine recorded, the
 *	reply sent, and the launch started (eng_launch.c).
 *
 *	A delete and a followed log answer later; the request's header is
 *	kept to answer it.
 * DIAGNOSTICS
 *	Refusals are MSG_ERROR replies; a bad launch names its field.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#include "eng_engine.h"
#include "eng_logs.h"
#include "eng_worker.h"

#define ENG_SECRET_TIMEOUT_MS	5000
#define ENG_DELETE_DEFAULT_S	10
#define ENG_DELETE_MAX_S	300
#define ENG_TAIL_DEFAULT	100
#define ENG_TAIL_MAX		10000

/* a launch waiting for its secrets */
struct eng_pending {
	struct eng_worker	*w;
	struct frame		 req;		/* header only */
	struct eng_spec		 spec;
	cJSON			*secrets;	/* var -> value */
	int			 waiting;
	char			 code[32];	/* the first refusal */
	char			 message[256];
};

/* a delete waiting for Docker */
struct eng_del_req {
	struct eng_worker	*w;
	struct frame		 req;
};

/* eng_msg_engine - the engine the request names; NULL (answered) if none */
static struct eng *
eng_msg_engine(struct worker_rt *rt, struct frame *f, const cJSON *j)
{
	const cJSON	*n = cJSON_GetObjectItemCaseSensitive(j, "name");
	struct eng	*e;

	if (!cJSON_IsString(n)) {
		worker_reply_error(rt, f, "bad_request", "name: want a string");
		return (NULL);
	}
	if ((e = eng_worker_find(rt->priv, n->valuestring)) == NULL)
		worker_reply_error(rt, f, "not_found", "no engine named %.63s",
		    n->valuestring);
	return (e);
}

/* eng_on_list - ENGINE_LIST: Docker's state and every engine */
void
eng_on_list(struct worker_rt *rt, struct frame *f)
{
	struct eng_worker	*w = rt->priv;
	struct eng		*e;
	cJSON			*j, *o, *d, *a;
	const char		*v;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	cJSON_Delete(j);
	o = cJSON_CreateObject();
	d = cJSON_AddObjectToObject(o, "docker");
	cJSON_AddStringToObject(d, "endpoint", w->ep.display);
	cJSON_AddBoolToObject(d, "reachable", w->docker_ok);
	if ((v = w->docker_ok ? eng_docker_version(w->docker) : NULL) != NULL)
		cJSON_AddStringToObject(d, "api_version", v);
	else
		cJSON_AddNullToObject(d, "api_version");
	if ((v = w->docker_ok ? eng_docker_server_version(w->docker) :
	    NULL) != NULL)
		cJSON_AddStringToObject(d, "server_version", v);
	else
		cJSON_AddNullToObject(d, "server_version");
	if (w->docker_ok && w->models_reason[0] == '\0')
		cJSON_AddNullToObject(d, "reason");
	else
		cJSON_AddStringToObject(d, "reason", w->docker_ok ?
		    w->models_reason : w->docker_reason);
	cJSON_AddStringToObject(o, "models_root", w->models_root);
	a = cJSON_AddArrayToObject(o, "engines");
	TAILQ_FOREACH(e, &w->engines, entry)
		cJSON_AddItemToArray(a, eng_json(e));
	worker_reply(rt, f, MSG_ENGINE_LIST, o);
}

/* eng_on_get - ENGINE_GET {"name"} */
void
eng_on_get(struct worker_rt *rt, struct frame *f)
{
	struct eng	*e;
	cJSON		*j;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	if ((e = eng_msg_engine(rt, f, j)) != NULL)
		worker_reply(rt, f, MSG_ENGINE_GET, eng_json(e));
	cJSON_Delete(j);
}

/* eng_msg_port_busy - is a socket of this host bound to port? */
static int
eng_msg_port_busy(int port)
{
	struct sockaddr_in	sa;
	int			fd, on = 1, busy;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (0);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	busy = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 &&
	    errno == EADDRINUSE;
	close(fd);
	return (busy);
}

/* eng_msg_conflict - why spec cannot launch now, into buf; 0 if it can */
static int
eng_msg_conflict(struct eng_worker *w, const struct eng_spec *s, char *buf,
    size_t len)
{
	struct eng	*e;

	if ((e = eng_worker_find(w, s->name)) != NULL) {
		snprintf(buf, len, "name: an engine named %s exists (%s); "
		    "delete it first", s->name, eng_state_name(e->state));
		return (-1);
	}
	TAILQ_FOREACH(e, &w->engines, entry)
		if (eng_is_active(e) && e->spec.port == s->port) {
			snprintf(buf, len, "port: %d is used by engine %s",
			    s->port, e->spec.name);
			return (-1);
		}
	if (eng_msg_port_busy(s->port)) {
		snprintf(buf, len, "port: %d is in use on this host", s->port);
		return (-1);
	}
	return (0);
}

/* eng_msg_launch_go - checked and with its secrets: record, answer, go */
static void
eng_msg_launch_go(struct eng_worker *w, const struct frame *req,
    struct eng_spec *spec, cJSON *secrets)
{
	struct eng	*e;
	char		 why[256];

	if (eng_msg_conflict(w, spec, why, sizeof(why)) == -1) {
		worker_reply_error_field(w->rt, req, "conflict",
		    strncmp(why, "name", 4) == 0 ? "name" : "port", why);
		eng_spec_free(spec);
		cJSON_Delete(secrets);
		return;
	}
	e = eng_new(w, spec);
	eng_worker_add(w, e);
	eng_set_state(e, ENG_PULLING, "queued");
	worker_reply(w->rt, req, MSG_ENGINE_LAUNCH, eng_json(e));
	eng_launch(e, secrets);
}

/* eng_msg_pending_free - wipe the secrets read so far and free */
static void
eng_msg_pending_free(struct eng_pending *p)
{
	cJSON	*c;

	cJSON_ArrayForEach(c, p->secrets)
		if (cJSON_IsString(c))
			explicit_bzero(c->valuestring, strlen(c->valuestring));
	cJSON_Delete(p->secrets);
	eng_spec_free(&p->spec);
	free(p);
}

/* eng_msg_pending_step - one answer less; after the last, go or refuse */
static void
eng_msg_pending_step(struct eng_pending *p)
{
	if (--p->waiting > 0)
		return;
	if (p->code[0] != '\0')
		worker_reply_error_field(p->w->rt, &p->req, p->code, "secret_env",
		    p->message);
	else {
		eng_msg_launch_go(p->w, &p->req, &p->spec, p->secrets);
		p->secrets = NULL;
	}
	eng_msg_pending_free(p);
}

/* one secret asked for */
struct eng_secret_ask {
	struct eng_pending	*p;
	char			 var[128];
};

/* eng_msg_secret_done - one secret's answer */
static void
eng_msg_secret_done(struct chan *c, struct frame *f, int err, void *arg)
{
	struct eng_secret_ask	*ask = arg;
	struct eng_pending	*p = ask->p;
	const cJSON		*v, *code, *msg;
	cJSON			*j = NULL;

	(void)c;
	if (f == NULL) {
		if (p->code[0] == '\0') {
			snprintf(p->code, sizeof(p->code), "unavailable");
			snprintf(p->message, sizeof(p->message),
			    "secret_env: the secrets worker did not answer: %s",
			    strerror(err));
		}
	} else if ((j = frame_json(f)) != NULL && f->hdr.type ==
	    MSG_SECRET_GET && cJSON_IsString(v =
	    cJSON_GetObjectItemCaseSensitive(j, "value"))) {
		cJSON_AddStringToObject(p->secrets, ask->var, v->valuestring);
		explicit_bzero(v->valuestring, strlen(v->valuestring));
	} else if (p->code[0] == '\0') {
		code = cJSON_GetObjectItemCaseSensitive(j, "code");
		msg = cJSON_GetObjectItemCaseSensitive(j, "message");
		snprintf(p->code, sizeof(p->code), "%s", cJSON_IsString(code) ?
		    code->valuestring : "unavailable");
		snprintf(p->message, sizeof(p->message), "secret_env: %s",
		    cJSON_IsString(msg) ? msg->valuestring : "refused");
	}
	cJSON_Delete(j);
	free(ask);
	eng_msg_pending_step(p);
}

/* eng_msg_secrets - ask the secrets worker for each of secret_env */
static void
eng_msg_secrets(struct eng_worker *w, const struct frame *f,
    struct eng_spec *spec)
{
	struct eng_pending	*p;
	struct eng_secret_ask	*ask;
	const cJSON		*c;
	cJSON			*body;

	p = xcalloc(1, sizeof(*p));
	p->w = w;
	p->req.hdr = f->hdr;
	p->req.fd = -1;
	p->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	p->secrets = cJSON_CreateObject();
	p->waiting = 1;		/* until every request is out */
	cJSON_ArrayForEach(c, p->spec.secret_env) {
		ask = xcalloc(1, sizeof(*ask));
		ask->p = p;
		snprintf(ask->var, sizeof(ask->var), "%s", c->string);
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "name", c->valuestring);
		p->waiting++;
		if (worker_request(w->rt, PROC_SECRETS, MSG_SECRET_GET, body,
		    ENG_SECRET_TIMEOUT_MS, eng_msg_secret_done, ask) == -1) {
			p->waiting--;
			free(ask);
			snprintf(p->code, sizeof(p->code), "unavailable");
			snprintf(p->message, sizeof(p->message),
			    "secret_env: cannot ask the secrets worker");
		}
		cJSON_Delete(body);
	}
	eng_msg_pending_step(p);
}

/* eng_on_launch - ENGINE_LAUNCH: check everything, then launch */
void
eng_on_launch(struct worker_rt *rt, struct frame *f)
{
	struct eng_worker	*w = rt->priv;
	struct eng_spec		 spec;
	struct eng_spec_err	 err;
	const struct eng_profile *pr;
	cJSON			*j;
	char			 why[256];

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	memset(&spec, 0, sizeof(spec));
	memset(&err, 0, sizeof(err));
	if (rt->draining) {
		worker_reply_error(rt, f, "draining", "corral is shutting down");
		goto done;
	}
	if (eng_spec_parse(j, w->profiles, w->models_root, &spec, &err) ==
	    -1) {
		worker_reply_error_field(rt, f, err.code != NULL ? err.code :
		    "bad_request", err.field, err.message);
		goto done;
	}
	pr = eng_profiles_find(w->profiles, spec.engine);
	if (!w->docker_ok)
		worker_reply_error(rt, f, "unavailable", "%s",
		    w->docker_reason);
	else if (pr != NULL && !pr->model_is_name &&
	    w->models_reason[0] != '\0')
		worker_reply_error(rt, f, "unavailable", "%s",
		    w->models_reason);
	else if (cJSON_GetArraySize(spec.secret_env) == 0)
		eng_msg_launch_go(w, f, &spec, NULL);	/* checks conflicts */
	else if (eng_msg_conflict(w, &spec, why, sizeof(why)) == -1)
		worker_reply_error_field(rt, f, "conflict", strncmp(why, "name",
		    4) == 0 ? "name" : "port", why);
	else	/* checked again once the secrets are in */
		eng_msg_secrets(w, f, &spec);
done:
	eng_spec_free(&spec);
	cJSON_Delete(j);
}

/* eng_msg_deleted - the delete ended: answer, forget the engine */
static void
eng_msg_deleted(struct eng *e, const char *code, const char *msg, void *arg)
{
	struct eng_del_req	*d = arg;
	cJSON			*o;

	if (code != NULL)
		worker_reply_error(d->w->rt, &d->req, code, "%s", msg);
	else {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", e->spec.name);
		cJSON_AddBoolToObject(o, "deleted", 1);
		worker_reply(d->w->rt, &d->req, MSG_ENGINE_DELETE, o);
		eng_worker_forget(d->w, e);
	}
	free(d);
}

/* eng_on_delete - ENGINE_DELETE {"name","timeout_s"} */
void
eng_on_delete(struct worker_rt *rt, struct frame *f)
{
	struct eng_del_req	*d;
	struct eng		*e;
	const cJSON		*t;
	cJSON			*j;
	int			 timeout_s = ENG_DELETE_DEFAULT_S;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	t = cJSON_GetObjectItemCaseSensitive(j, "timeout_s");
	if (t != NULL && (!cJSON_IsNumber(t) || t->valuedouble < 0 ||
	    t->valuedouble > ENG_DELETE_MAX_S)) {
		worker_reply_error_field(rt, f, "bad_request", "timeout_s",
		    "timeout_s: want a number of seconds from 0 to 300");
		cJSON_Delete(j);
		return;
	}
	if (t != NULL)
		timeout_s = (int)t->valuedouble;
	if ((e = eng_msg_engine(rt, f, j)) != NULL) {
		d = xcalloc(1, sizeof(*d));
		d->w = rt->priv;
		d->req.hdr = f->hdr;
		d->req.fd = -1;
		eng_delete(e, timeout_s, eng_msg_deleted, d);
	}
	cJSON_Delete(j);
}

/* eng_on_logs - ENGINE_LOGS {"name","tail","follow"} */
void
eng_on_logs(struct worker_rt *rt, struct frame *f)
{
	struct eng	*e;
	const cJSON	*t, *fo;
	cJSON		*j;
	int		 tail = ENG_TAIL_DEFAULT;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	t = cJSON_GetObjectItemCaseSensitive(j, "tail");
	fo = cJSON_GetObjectItemCaseSensitive(j, "follow");
	if (cJSON_IsString(t) && strcmp(t->valuestring, "all") == 0)
		tail = -1;
	else if (cJSON_IsNumber(t) && t->valuedouble >= 0 &&
	    t->valuedouble <= ENG_TAIL_MAX)
		tail = (int)t->valuedouble;
	else if (t != NULL && !cJSON_IsNull(t)) {
		worker_reply_error_field(rt, f, "bad_request", "tail",
		    "tail: want a number from 0 to 10000, or \"all\"");
		cJSON_Delete(j);
		return;
	}
	if (fo != NULL && !cJSON_IsBool(fo) && !cJSON_IsNull(fo)) {
		worker_reply_error_field(rt, f, "bad_request", "follow",
		    "follow: want true or false");
		cJSON_Delete(j);
		return;
	}
	if ((e = eng_msg_engine(rt, f, j)) != NULL) {
		if (cJSON_IsTrue(fo))
			eng_logs_follow(rt->priv, e, f, tail);
		else
			eng_logs_get(rt->priv, e, f, tail);
	}
	cJSON_Delete(j);
}
