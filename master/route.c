/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	route - the master as the hub of the bus
 * SYNOPSIS
 *	void	route_frame_cb(struct chan *c, struct frame *f, void *w);
 *	void	route_close_cb(struct chan *c, int err, void *w);
 * DESCRIPTION
 *	Every frame a worker sends arrives here. The master first stamps
 *	src with the sender's id, whatever the worker wrote, so no worker
 *	can speak as another. Frames for the master go through
 *	route_master_tab; any other frame is forwarded, descriptor and all,
 *	to the worker named by dst. A request for a worker that is not
 *	running (or not a worker at all) is answered at once with MSG_ERROR
 *	"unavailable"; replies and notices for it are dropped.
 *
 *	A channel that closes with a protocol error gets its worker killed:
 *	the master never trusts a peer that spoke garbage, and supervision
 *	decides what happens next.
 * DIAGNOSTICS
 *	log_warnx for garbage; nothing a worker sends can stop the master.
 */
#include <signal.h>
#include <string.h>

#include "log.h"
#include "master.h"
#include "msg.h"
#include "proc.h"

struct route_handler {
	uint16_t	  type;
	uint32_t	  max_len;
	void		(*fn)(struct worker *, struct frame *);
};

static void	route_on_ready(struct worker *, struct frame *);
static void	route_on_status(struct worker *, struct frame *);
static void	route_on_restart(struct worker *, struct frame *);
static void	route_on_ping(struct worker *, struct frame *);
static void	route_on_reply(struct worker *, struct frame *);

static const struct route_handler route_master_tab[] = {
	{ MSG_READY, 0, route_on_ready },
	{ MSG_STATUS, 1024, route_on_status },
	{ MSG_RESTART, 1024, route_on_restart },
	{ MSG_PING, 4096, route_on_ping },
	{ MSG_PONG, FRAME_MAX, route_on_reply },
	{ MSG_ERROR, FRAME_MAX, route_on_reply },
};

/* route_find_id - the worker with bus id, NULL if none */
struct worker *
route_find_id(struct master *m, int id)
{
	int	i;

	for (i = 0; i < m->nworkers; i++)
		if (m->workers[i].id == id)
			return (&m->workers[i]);
	return (NULL);
}

/* route_find_name - the worker called name, NULL if none */
struct worker *
route_find_name(struct master *m, const char *name)
{
	int	i;

	for (i = 0; i < m->nworkers; i++)
		if (strcmp(m->workers[i].name, name) == 0)
			return (&m->workers[i]);
	return (NULL);
}

/* route_reply - answer a request from w (body is not taken) */
static void
route_reply(struct worker *w, const struct frame *req, uint16_t type,
    const cJSON *body)
{
	if (req->hdr.id == 0 || w->chan == NULL)
		return;
	(void)chan_send_json(w->chan, type, req->hdr.src, req->hdr.id,
	    FRAME_F_REPLY, body);
}

/* route_error - answer a request from w with MSG_ERROR */
static void
route_error(struct worker *w, const struct frame *req, const char *code,
    const char *msg)
{
	cJSON	*body;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "code", code);
	cJSON_AddStringToObject(body, "message", msg);
	route_reply(w, req, MSG_ERROR, body);
	cJSON_Delete(body);
}

/* route_on_ready - the worker is sandboxed and serving */
static void
route_on_ready(struct worker *w, struct frame *f)
{
	(void)f;
	super_event(w, SEV_READY);
}

/* route_on_status - the worker table, for /readyz, /v1/workers, ... */
static void
route_on_status(struct worker *w, struct frame *f)
{
	cJSON	*body = control_status(w->master);

	route_reply(w, f, MSG_STATUS, body);
	cJSON_Delete(body);
}

/* route_on_restart - operator restart of one worker */
static void
route_on_restart(struct worker *w, struct frame *f)
{
	cJSON		*req, *body = NULL;
	const cJSON	*name;
	int		 rc;

	if ((req = frame_json(f)) == NULL ||
	    !cJSON_IsString(name = cJSON_GetObjectItemCaseSensitive(req,
	    "name"))) {
		route_error(w, f, "bad_request", "restart needs {\"name\"}");
		cJSON_Delete(req);
		return;
	}
	rc = control_restart(w->master, name->valuestring, &body);
	route_reply(w, f, rc == 0 ? MSG_RESTART : MSG_ERROR, body);
	cJSON_Delete(body);
	cJSON_Delete(req);
}

/* route_on_ping - answer with the same payload */
static void
route_on_ping(struct worker *w, struct frame *f)
{
	struct frame_hdr h;

	if (f->hdr.id == 0 || w->chan == NULL)
		return;
	h = f->hdr;
	h.type = MSG_PONG;
	h.flags = FRAME_F_REPLY;
	h.dst = f->hdr.src;
	h.src = PROC_MASTER;
	(void)chan_send(w->chan, &h, f->payload, -1);
}

/* route_on_reply - a reply to the master that nobody awaits */
static void
route_on_reply(struct worker *w, struct frame *f)
{
	log_debug("worker %s: stray %s id %u dropped", w->name,
	    msg_type_name(f->hdr.type), f->hdr.id);
}

/* route_to_master - dispatch a frame addressed to the master */
static void
route_to_master(struct worker *w, struct frame *f)
{
	size_t	i;

	for (i = 0; i < sizeof(route_master_tab) / sizeof(route_master_tab[0]);
	    i++) {
		if (route_master_tab[i].type != f->hdr.type)
			continue;
		if (f->hdr.len > route_master_tab[i].max_len) {
			log_warnx("worker %s: %s of %u bytes refused", w->name,
			    msg_type_name(f->hdr.type), f->hdr.len);
			route_error(w, f, "bad_request", "payload too large");
			return;
		}
		route_master_tab[i].fn(w, f);
		return;
	}
	log_warnx("worker %s: message type %u is not for the master", w->name,
	    f->hdr.type);
	if (!(f->hdr.flags & FRAME_F_REPLY))
		route_error(w, f, "bad_request", "unknown message type");
}

/* route_forward - pass a frame on to the worker it names */
static void
route_forward(struct worker *w, struct frame *f)
{
	struct worker	*dst;
	char		 msg[128];

	dst = route_find_id(w->master, f->hdr.dst);
	if (dst == NULL || dst->chan == NULL || !chan_is_open(dst->chan) ||
	    (dst->state != SUPER_UP && dst->state != SUPER_STOPPING)) {
		if (f->hdr.flags & FRAME_F_REPLY)
			return;		/* its requester is gone */
		if (dst == NULL && proc_builtin_name(f->hdr.dst) != NULL)
			snprintf(msg, sizeof(msg), "worker %s is not enabled "
			    "(worker %s = on in corral.conf)",
			    proc_builtin_name(f->hdr.dst),
			    proc_builtin_name(f->hdr.dst));
		else if (dst == NULL)
			snprintf(msg, sizeof(msg), "no worker with id %u",
			    f->hdr.dst);
		else
			snprintf(msg, sizeof(msg), "worker %s is %s",
			    dst->name, super_state_name(dst));
		route_error(w, f, "unavailable", msg);
		return;
	}
	if (chan_send(dst->chan, &f->hdr, f->payload, frame_take_fd(f)) == -1) {
		if (!(f->hdr.flags & FRAME_F_REPLY))
			route_error(w, f, "unavailable", "worker not reading");
	}
}

/* route_frame_cb - one frame from worker w (the channel's argument) */
void
route_frame_cb(struct chan *c, struct frame *f, void *arg)
{
	struct worker	*w = arg;

	(void)c;
	f->hdr.src = w->id;	/* stamped: a worker cannot impersonate */
	f->hdr.gen = w->gen;
	if (f->hdr.dst == PROC_MASTER)
		route_to_master(w, f);
	else
		route_forward(w, f);
}

/* route_close_cb - the worker's channel closed */
void
route_close_cb(struct chan *c, int err, void *arg)
{
	struct worker	*w = arg;

	(void)c;
	if (err < 0) {
		log_warnx("worker %s (pid %ld): %s; killing it", w->name,
		    (long)w->pid, frame_strerror(err));
		if (w->pid > 0) {
			w->killed = 1;
			(void)kill(w->pid, SIGKILL);
		}
	} else
		log_debug("worker %s: channel closed", w->name);
	/* The exit itself comes by SIGCHLD; supervise.c frees the channel. */
}
