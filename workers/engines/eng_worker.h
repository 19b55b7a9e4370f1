/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_worker.h - the engines worker: its state, its life, its messages
 * SYNOPSIS
 *	int	eng_init(struct worker_rt *rt);
 *	void	eng_drain(struct worker_rt *rt);
 *	void	eng_shutdown(struct worker_rt *rt);
 *	void	eng_fini(struct worker_rt *rt);
 *	void	eng_on_list(struct worker_rt *rt, struct frame *f);
 *	... one handler per message of docs/protocol.md
 * DESCRIPTION
 *	eng_init loads the profiles (a bad engines file is a permanent
 *	failure: exit 100), makes state_root/engines, reads or makes the
 *	instance id that marks this corral's containers, loads the engine
 *	records and starts talking to Docker (eng_worker_connect). Docker
 *	missing is a state, not a failure: the worker is ready, ENGINE_LIST
 *	says why, launches get unavailable, and the connection is tried
 *	again with a growing delay (1 s to 30 s). Once the API version is
 *	negotiated the containers labelled with our instance are adopted
 *	(eng_adopt.c) and, inside a container, the models root is checked.
 *
 *	Only the http worker may ask anything (the master stamps src).
 *
 *	eng_drain notes a daemon-wide shutdown (MSG_DRAIN comes only then;
 *	an operator restart of this worker is a bare MSG_SHUTDOWN or
 *	SIGTERM). eng_shutdown then stops and removes every engine if
 *	engines_stop_on_exit is set and the daemon is stopping, and leaves
 *	them running otherwise (they are re-adopted at the next start).
 */
#ifndef CORRAL_ENG_WORKER_H
#define CORRAL_ENG_WORKER_H

#include <sys/queue.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "worker.h"

#include "eng_docker.h"
#include "eng_http.h"
#include "eng_profile.h"

#define ENG_REQ_MAX		(64 * 1024)	/* largest request payload */
#define ENG_INSTANCE_LEN	16		/* hex digits */

struct eng;
TAILQ_HEAD(eng_list, eng);
struct eng_logs_get;
LIST_HEAD(eng_logs_gets, eng_logs_get);	/* one-off log reads (eng_logs.c) */

struct eng_worker {
	struct worker_rt	*rt;
	struct eng_http		*http;
	struct eng_docker	*docker;
	struct eng_docker_ep	 ep;
	int			 ep_ok;		/* the endpoint parsed */
	int			 docker_ok;	/* negotiated */
	int			 adopted;	/* adoption done once */
	char			 docker_reason[256];
	struct event		*retry;
	int			 retry_s;
	struct eng_profiles	*profiles;
	char			*models_root;
	char			 models_reason[256]; /* "" or why paths fail */
	char			*dir;		/* state_root/engines */
	char			 instance[ENG_INSTANCE_LEN + 1];
	int			 stop_on_exit;
	int			 daemon_stopping;
	int			 stopping;	/* eng_shutdown began */
	int			 nstopping;	/* engines still stopping */
	struct eng_list		 engines;
	struct eng_logs_gets	 logs_gets;	/* freed at exit */
};

int	eng_init(struct worker_rt *rt);
void	eng_drain(struct worker_rt *rt);
void	eng_shutdown(struct worker_rt *rt);
void	eng_fini(struct worker_rt *rt);

void	eng_on_list(struct worker_rt *rt, struct frame *f);
void	eng_on_get(struct worker_rt *rt, struct frame *f);
void	eng_on_launch(struct worker_rt *rt, struct frame *f);
void	eng_on_delete(struct worker_rt *rt, struct frame *f);
void	eng_on_logs(struct worker_rt *rt, struct frame *f);

/* eng_worker_find - the engine called name, or NULL */
struct eng	*eng_worker_find(struct eng_worker *w, const char *name);

/* eng_worker_add - insert e in name order */
void		 eng_worker_add(struct eng_worker *w, struct eng *e);

/* eng_worker_forget - take e out of the list and free it */
void		 eng_worker_forget(struct eng_worker *w, struct eng *e);

#endif
