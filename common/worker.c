/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	worker - the life of a worker process
 * DESCRIPTION
 *	See worker.h. The order of a start is fixed: config frame, the
 *	worker's init, sandbox, MSG_READY; a worker never says READY
 *	before its sandbox is in place. Frames are dispatched through the
 *	worker's table (type, largest payload, handler); the lifecycle types
 *	are handled here. SIGTERM and SIGINT mean the same as MSG_SHUTDOWN,
 *	so an operator restart (SIGTERM from the master) drains too. EOF on
 *	the channel means the master is gone: leave at once.
 * DIAGNOSTICS
 *	A frame the worker cannot use is logged (it's all gossip) and
 *	answered with MSG_ERROR if it was a request. Setup failures exit
 *	with WORKER_EXIT_TEMPORARY, bad configuration with the code init
 *	returned.
 */
#include <sys/prctl.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "log.h"
#include "msg.h"
#include "proc.h"
#include "sandbox.h"
#include "worker.h"
#include "xmalloc.h"

static void	worker_lifecycle(struct worker_rt *, struct frame *);

/* worker_exit - leave the loop with code once the current callback returns */
void
worker_exit(struct worker_rt *rt, int code)
{
	rt->exit_code = code;
	event_base_loopbreak(rt->base);
}

/* worker_reply - answer req with type and body (takes ownership of body) */
int
worker_reply(struct worker_rt *rt, const struct frame *req, uint16_t type,
    cJSON *body)
{
	int	rc;

	if (req->hdr.id == 0) {		/* nobody is waiting */
		cJSON_Delete(body);
		return (0);
	}
	rc = chan_send_json(rt->chan, type, req->hdr.src, req->hdr.id,
	    FRAME_F_REPLY, body);
	cJSON_Delete(body);
	return (rc);
}

/* worker_reply_fd - answer req with body and pass fd (taken in every case) */
int
worker_reply_fd(struct worker_rt *rt, const struct frame *req, uint16_t type,
    cJSON *body, int fd)
{
	int	rc;

	if (req->hdr.id == 0) {		/* nobody is waiting */
		cJSON_Delete(body);
		if (fd != -1)
			close(fd);
		return (0);
	}
	rc = chan_send_json_fd(rt->chan, type, req->hdr.src, req->hdr.id,
	    FRAME_F_REPLY, body, fd);
	cJSON_Delete(body);
	return (rc);
}

/* worker_reply_error - answer req with MSG_ERROR {"code","message"} */
int
worker_reply_error(struct worker_rt *rt, const struct frame *req,
    const char *code, const char *fmt, ...)
{
	cJSON	*body;
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "code", code);
	cJSON_AddStringToObject(body, "message", msg);
	return (worker_reply(rt, req, MSG_ERROR, body));
}

/* worker_reply_error_field - MSG_ERROR {"code","message","field"}; field
 * may be NULL */
int
worker_reply_error_field(struct worker_rt *rt, const struct frame *req,
    const char *code, const char *field, const char *msg)
{
	cJSON	*body;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "code", code);
	cJSON_AddStringToObject(body, "message", msg);
	if (field != NULL)
		cJSON_AddStringToObject(body, "field", field);
	return (worker_reply(rt, req, MSG_ERROR, body));
}

/* worker_request_object - the JSON object of a request only from may send
 * (no payload: {}); NULL once req is answered: forbidden or bad_request */
cJSON *
worker_request_object(struct worker_rt *rt, struct frame *req, uint8_t from)
{
	const char	*who = proc_builtin_name(from);
	cJSON		*j;

	if (req->hdr.src != from) {
		(void)worker_reply_error(rt, req, "forbidden", "only the %s "
		    "worker may ask the %s worker", who != NULL ? who : "?",
		    rt->def->name);
		return (NULL);
	}
	j = req->hdr.len > 0 ? frame_json(req) : cJSON_CreateObject();
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		(void)worker_reply_error(rt, req, "bad_request",
		    "not a JSON object");
		return (NULL);
	}
	return (j);
}

/* worker_request - ask dst; cb gets the reply, or NULL and an errno */
int
worker_request(struct worker_rt *rt, uint8_t dst, uint16_t type,
    const cJSON *body, int timeout_ms, chan_reply_fn *cb, void *arg)
{
	return (chan_request(rt->chan, type, dst, body, -1, timeout_ms, cb,
	    arg));
}

/* worker_config_str - string member of rt->config, def if absent */
const char *
worker_config_str(const struct worker_rt *rt, const char *key, const char *def)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(rt->config, key);

	return (cJSON_IsString(v) ? v->valuestring : def);
}

/* worker_config_int - number member of rt->config, def if absent */
long
worker_config_int(const struct worker_rt *rt, const char *key, long def)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(rt->config, key);

	return (cJSON_IsNumber(v) ? (long)v->valuedouble : def);
}

/* worker_take_config - adopt the "config" object of a CONFIG/RELOAD frame */
static int
worker_take_config(struct worker_rt *rt, struct frame *f)
{
	cJSON	*root, *conf, *id;

	if ((root = frame_json(f)) == NULL)
		return (-1);
	conf = cJSON_DetachItemFromObjectCaseSensitive(root, "config");
	id = cJSON_GetObjectItemCaseSensitive(root, "id");
	if (!cJSON_IsObject(conf) || !cJSON_IsNumber(id) ||
	    id->valuedouble < 1 || id->valuedouble >= PROC_MAX) {
		cJSON_Delete(conf);
		cJSON_Delete(root);
		return (-1);
	}
	rt->id = (uint8_t)id->valuedouble;
	cJSON_Delete(root);
	cJSON_Delete(rt->config);
	rt->config = conf;
	chan_set_src(rt->chan, rt->id);
	(void)log_setup(worker_config_str(rt, "log_level", NULL),
	    worker_config_str(rt, "log_format", NULL));
	return (0);
}

/* worker_start - config has come: init, sandbox, READY */
static void
worker_start(struct worker_rt *rt, struct frame *f)
{
	int	rc;

	if (worker_take_config(rt, f) == -1) {
		log_warnx("bad config frame from the master");
		worker_exit(rt, WORKER_EXIT_PERMANENT);
		return;
	}
	if (rt->def->init != NULL && (rc = rt->def->init(rt)) != 0) {
		worker_exit(rt, rc);
		return;
	}
	if (sandbox_enter(rt->def->nodump) == -1) {
		worker_exit(rt, WORKER_EXIT_TEMPORARY);
		return;
	}
	if (chan_send_json(rt->chan, MSG_READY, PROC_MASTER, 0, 0, NULL) == -1) {
		worker_exit(rt, WORKER_EXIT_TEMPORARY);
		return;
	}
	log_debug("ready");
}

/* worker_shutdown - drain and leave, by frame or by signal */
static void
worker_shutdown(struct worker_rt *rt)
{
	if (rt->stopping)
		return;
	rt->stopping = 1;
	if (!rt->draining) {
		rt->draining = 1;
		if (rt->def->drain != NULL)
			rt->def->drain(rt);
	}
	if (rt->def->shutdown != NULL)
		rt->def->shutdown(rt);
	else
		worker_exit(rt, WORKER_EXIT_OK);
}

/* worker_lifecycle - the frames every worker understands */
static void
worker_lifecycle(struct worker_rt *rt, struct frame *f)
{
	cJSON	*body;

	switch (f->hdr.type) {
	case MSG_CONFIG:
		if (rt->config != NULL)
			log_warnx("second config frame ignored");
		else
			worker_start(rt, f);
		break;
	case MSG_RELOAD:
		if (worker_take_config(rt, f) == -1)
			log_warnx("bad reload frame ignored");
		else if (rt->def->reload != NULL)
			rt->def->reload(rt);
		break;
	case MSG_DRAIN:
		rt->daemon_stopping = 1;
		if (!rt->draining) {
			rt->draining = 1;
			if (rt->def->drain != NULL)
				rt->def->drain(rt);
		}
		break;
	case MSG_SHUTDOWN:
		worker_shutdown(rt);
		break;
	case MSG_PING:
		body = f->hdr.len > 0 ? frame_json(f) : cJSON_CreateObject();
		if (body == NULL)
			body = cJSON_CreateObject();
		worker_reply(rt, f, MSG_PONG, body);
		break;
	}
}

/* worker_frame_cb - dispatch one frame through the tables */
static void
worker_frame_cb(struct chan *c, struct frame *f, void *arg)
{
	struct worker_rt		*rt = arg;
	const struct worker_handler	*h;
	size_t				 i;

	(void)c;
	switch (f->hdr.type) {
	case MSG_CONFIG: case MSG_RELOAD: case MSG_DRAIN:
	case MSG_SHUTDOWN: case MSG_PING:
		if (f->hdr.type != MSG_PING && f->hdr.src != PROC_MASTER) {
			log_warnx("%s from %u ignored: only the master may",
			    msg_type_name(f->hdr.type), f->hdr.src);
			return;
		}
		worker_lifecycle(rt, f);
		return;
	}
	if (rt->config == NULL) {
		log_warnx("%s before config ignored",
		    msg_type_name(f->hdr.type));
		return;
	}
	for (i = 0; i < rt->def->nhandlers; i++) {
		h = &rt->def->handlers[i];
		if (h->type != f->hdr.type)
			continue;
		if (f->hdr.len > h->max_len) {
			log_warnx("%s from %u: %u bytes, over %u",
			    msg_type_name(f->hdr.type), f->hdr.src, f->hdr.len,
			    h->max_len);
			worker_reply_error(rt, f, "bad_request",
			    "payload too large");
			return;
		}
		h->fn(rt, f);
		return;
	}
	log_warnx("unexpected message type %u from %u", f->hdr.type,
	    f->hdr.src);
	if (!(f->hdr.flags & FRAME_F_REPLY))
		worker_reply_error(rt, f, "bad_request",
		    "message type %u is not handled by %s", f->hdr.type,
		    rt->def->name);
}

/* worker_close_cb - the master is gone, or spoke garbage: leave */
static void
worker_close_cb(struct chan *c, int err, void *arg)
{
	struct worker_rt	*rt = arg;

	(void)c;
	if (err != 0)
		log_warnx("channel to the master closed: %s",
		    err < 0 ? frame_strerror(err) : strerror(err));
	else
		log_debug("master closed the channel");
	worker_exit(rt, err == 0 && rt->stopping ? WORKER_EXIT_OK :
	    WORKER_EXIT_TEMPORARY);
}

/* worker_signal_cb - SIGTERM/SIGINT: the same as MSG_SHUTDOWN */
static void
worker_signal_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct worker_rt	*rt = arg;

	(void)ev;
	log_debug("signal %d: shutting down", (int)sig);
	worker_shutdown(rt);
}

/* worker_main - run a worker; returns its exit code */
/*
 * worker_base_new - the worker's event base. With the epoll changelist an
 * fd whose interest is dropped and added again within one loop pass (what
 * evhttp does around every request on a keep-alive connection) costs no
 * epoll_ctl at all. libevent warns that the changelist can mistake one
 * open file for another when a watched fd was dup()ed or is held by a
 * child across a close, so a worker asks for it (def->epoll_changelist)
 * only if it does neither.
 */
static struct event_base *
worker_base_new(const struct worker_def *def)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL)
		return (NULL);
	if (def->epoll_changelist)
		(void)event_config_set_flag(cfg,
		    EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return (base);
}

int
worker_main(const struct worker_def *def, int argc, char **argv)
{
	struct worker_rt	 rt;
	struct event		*sigterm, *sigint;
	int			 code;

	(void)argc;
	(void)argv;
	log_init(def->name);
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	(void)prctl(PR_SET_NAME, def->name, 0, 0, 0);
	if (def->nodump && sandbox_nodump() == -1)
		return (WORKER_EXIT_TEMPORARY);
	signal(SIGPIPE, SIG_IGN);
	memset(&rt, 0, sizeof(rt));
	rt.def = def;
	rt.exit_code = -1;
	if ((rt.base = worker_base_new(def)) == NULL)
		fatalx("event_base_new");
	rt.chan = chan_new(rt.base, CORRAL_CHAN_FD, worker_frame_cb,
	    worker_close_cb, &rt);
	if (rt.chan == NULL) {
		log_warnx("no channel on fd %d: corral workers are started by "
		    "the corral master", CORRAL_CHAN_FD);
		event_base_free(rt.base);
		return (WORKER_EXIT_PERMANENT);
	}
	sigterm = evsignal_new(rt.base, SIGTERM, worker_signal_cb, &rt);
	sigint = evsignal_new(rt.base, SIGINT, worker_signal_cb, &rt);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	event_base_dispatch(rt.base);
	code = rt.exit_code < 0 ? WORKER_EXIT_OK : rt.exit_code;
	chan_free(rt.chan);	/* pending requests end with ECANCELED */
	rt.chan = NULL;
	if (def->fini != NULL && rt.config != NULL)
		def->fini(&rt);
	event_free(sigterm);
	event_free(sigint);
	cJSON_Delete(rt.config);
	event_base_free(rt.base);
	log_debug("exit %d", code);
	return (code);
}
