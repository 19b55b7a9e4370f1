/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	worker.h - the life of a worker process
 * SYNOPSIS
 *	int	worker_main(const struct worker_def *def, int argc, char **argv);
 * DESCRIPTION
 *	worker_main runs the part every worker shares. It logs as def->name,
 *	takes the channel at fd 3 (CORRAL_CHAN_FD), waits for MSG_CONFIG
 *	(the master's first frame), calls def->init, enters the sandbox
 *	(sandbox.h), sends MSG_READY and dispatches frames until the master
 *	says MSG_SHUTDOWN or the channel reaches EOF (the master is gone).
 *
 *	A worker whose def->nodump is set (it will hold secrets) turns core
 *	dumps off first thing, before any secret can reach it, and again in
 *	the sandbox.
 *
 *	Frames are dispatched through def->handlers, one row per type with
 *	the largest payload the handler accepts. MSG_PING is answered here.
 *	An unknown type gets an MSG_ERROR reply if it was a request.
 *
 *	MSG_DRAIN calls def->drain; MSG_SHUTDOWN calls def->shutdown, which
 *	finishes what is under way and then calls worker_exit(). Without a
 *	shutdown hook the worker exits at once. MSG_RELOAD replaces
 *	rt->config and calls def->reload.
 * DIAGNOSTICS
 *	Exit codes (skarnet): 0 clean, 100 permanent failure (bad config:
 *	the master marks the worker failed), 111 temporary failure.
 */
#ifndef CORRAL_WORKER_H
#define CORRAL_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "channel.h"
#include "frame.h"

#define WORKER_EXIT_OK		0
#define WORKER_EXIT_PERMANENT	100
#define WORKER_EXIT_TEMPORARY	111

struct worker_rt;

struct worker_handler {
	uint16_t	  type;
	uint32_t	  max_len;	/* largest payload accepted */
	void		(*fn)(struct worker_rt *, struct frame *);
};

struct worker_def {
	const char	*name;		/* process title */
	/* after MSG_CONFIG, before the sandbox: 0 or a WORKER_EXIT_* code */
	int		(*init)(struct worker_rt *);
	void		(*reload)(struct worker_rt *);
	void		(*drain)(struct worker_rt *);
	void		(*shutdown)(struct worker_rt *);
	void		(*fini)(struct worker_rt *);	/* free what init made */
	const struct worker_handler *handlers;
	size_t		 nhandlers;
	int		 nodump;	/* holds secrets: core dumps off from
					 * the start, before config and init */
	int		 epoll_changelist; /* coalesce epoll_ctl calls within
					 * a loop pass; only for a worker that
					 * neither forks nor dup()s a watched fd */
};

struct worker_rt {
	struct event_base	*base;
	struct chan		*chan;
	const struct worker_def	*def;
	cJSON			*config;	/* the "config" object of MSG_CONFIG */
	uint8_t			 id;		/* our bus id */
	int			 draining;	/* MSG_DRAIN or shutdown came */
	int			 daemon_stopping; /* MSG_DRAIN came: the whole
					 * daemon stops, not just this worker */
	int			 stopping;	/* shutdown has begun */
	int			 exit_code;
	void			*priv;		/* the worker's own state */
};

/* worker_main - run a worker; returns its exit code */
int	worker_main(const struct worker_def *def, int argc, char **argv);

/* worker_exit - leave the loop with code once the current callback returns */
void	worker_exit(struct worker_rt *rt, int code);

/* worker_reply - answer req with type and body (takes ownership of body) */
int	worker_reply(struct worker_rt *rt, const struct frame *req,
	    uint16_t type, cJSON *body);

/* worker_reply_fd - worker_reply passing fd too (taken in every case) */
int	worker_reply_fd(struct worker_rt *rt, const struct frame *req,
	    uint16_t type, cJSON *body, int fd);

/* worker_reply_error_field - MSG_ERROR {"code","message","field"} */
int	worker_reply_error_field(struct worker_rt *rt, const struct frame *req,
	    const char *code, const char *field, const char *msg);

/* worker_request_object - the JSON object of a request only from may
 * send; NULL once req is answered (forbidden, bad_request) */
cJSON	*worker_request_object(struct worker_rt *rt, struct frame *req,
	    uint8_t from);

/* worker_reply_error - answer req with MSG_ERROR {"code","message"} */
int	worker_reply_error(struct worker_rt *rt, const struct frame *req,
	    const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* worker_request - ask dst; cb gets the reply, or NULL and an errno */
int	worker_request(struct worker_rt *rt, uint8_t dst, uint16_t type,
	    const cJSON *body, int timeout_ms, chan_reply_fn *cb, void *arg);

/* worker_config_str - string member of rt->config, def if absent */
const char *worker_config_str(const struct worker_rt *rt, const char *key,
	    const char *def);

/* worker_config_int - number member of rt->config, def if absent */
long	worker_config_int(const struct worker_rt *rt, const char *key, long def);

#endif
