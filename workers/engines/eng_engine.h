/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_engine.h - one engine: launch, readiness, failure, deletion
 * SYNOPSIS
 *	struct eng *eng_new(struct eng_worker *w, struct eng_spec *spec);
 *	void	eng_launch(struct eng *e, cJSON *secrets);
 *	void	eng_watch(struct eng *e);
 *	void	eng_delete(struct eng *e, int timeout_s, eng_done_fn *done,
 *		    void *arg);
 *	cJSON	*eng_json(const struct eng *e);
 *	void	eng_free(struct eng *e);
 * DESCRIPTION
 *	An engine goes pulling -> starting -> loading -> ready, or to failed
 *	from any of them; stopped when its container exits cleanly after it
 *	was ready; vanished when its record outlives its container.
 *
 *	eng_launch inspects the image and pulls it if missing (progress from
 *	the pull stream), creates the container (eng_spec_create_body; the
 *	secret values are put in its Env and wiped from memory once the
 *	create request is sent), starts it and calls eng_watch.
 *
 *	eng_watch waits for the container to exit (POST /wait, no timeout)
 *	and at the same time polls the profile's probes on
 *	127.0.0.1:port, each until it answers 200, with a delay growing
 *	from 250 ms to 2 s, up to the profile's startup timeout. For an
 *	engine whose model is a name (Ollama) the model is then pulled
 *	through the engine's own API. Then the engine is ready.
 *
 *	Any failure (Docker refuses a step, the pull fails, the container
 *	exits while loading, the startup timeout passes) goes through
 *	eng_fail: the container's last 50 log lines are kept, the container
 *	is removed, the engine is failed with one line of last_error. An
 *	exit after ready is the same with state stopped (code 0 or 143) or
 *	failed. Nothing a launch created is left behind.
 *
 *	eng_delete waits for a Docker step under way (a pull is cancelled:
 *	it created nothing), stops the container with timeout_s, removes
 *	it, forgets the record and calls done(e, NULL code) -- or done with
 *	an error code and message, the engine kept. The engine is freed by
 *	the caller of done (eng_worker).
 *
 *	Every change of state is written to the engine's record
 *	(eng_store.c).
 */
#ifndef CORRAL_ENG_ENGINE_H
#define CORRAL_ENG_ENGINE_H

#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "eng_demux.h"
#include "eng_docker.h"
#include "eng_http.h"
#include "eng_spec.h"

#define ENG_LOG_LINES		50
#define ENG_STEP_TIMEOUT_MS	30000	/* create, start, remove, inspect */

enum eng_state {
	ENG_PULLING, ENG_STARTING, ENG_LOADING, ENG_READY, ENG_FAILED,
	ENG_STOPPED, ENG_VANISHED
};

struct eng_worker;
struct eng;
struct eng_follow;

/* the end of a delete: code NULL on success */
typedef void eng_done_fn(struct eng *e, const char *code, const char *msg,
    void *arg);

struct eng {
	TAILQ_ENTRY(eng)	 entry;
	struct eng_worker	*w;
	struct eng_spec		 spec;
	const struct eng_profile *prof;
	enum eng_state		 state;
	char			 container_id[72];
	time_t			 created, started, ready_at;
	char			 progress[192];
	char			*last_error;
	int			 exit_code;	/* -1: none */
	cJSON			*logs;		/* array of lines, or NULL */
	int			 adopted;
	int			 seen;		/* found by eng_adopt */
	/* what is under way */
	struct eng_http_req	*op;		/* one Docker step */
	struct eng_http_req	*wait;		/* POST /wait */
	struct eng_http_req	*probe;
	struct event		*timer;		/* next probe */
	struct event		*wtimer;	/* /wait asked again */
	cJSON			*secrets;	/* var -> value until create */
	int			 probe_idx;
	int			 probe_delay_ms;
	int64_t			 deadline_ms;	/* monotonic */
	char			*pull_buf;	/* partial line of the pull */
	size_t			 pull_len;
	char			 pull_err[256];
	long			 pull_cur, pull_total;
	struct eng_lines	*tail;		/* collecting the last lines */
	struct eng_demux	 demux;		/* of the log stream */
	enum eng_state		 pending_state;	/* once the failure is done */
	int			 exited;	/* /wait answered */
	/* a delete waiting for the step under way */
	int			 del_pending;
	int			 del_timeout_s;
	eng_done_fn		*del_done;
	void			*del_arg;
	/* followed logs */
	LIST_HEAD(, eng_follow)	 follows;
};

/* eng_new - an engine for spec (taken over), state pulling, recorded */
struct eng	*eng_new(struct eng_worker *w, struct eng_spec *spec);

/* eng_launch - pull, create, start, watch; secrets: var -> value or NULL */
void		 eng_launch(struct eng *e, cJSON *secrets);

/* eng_watch - wait for exit and probe until ready (adopted engines too) */
void		 eng_watch(struct eng *e);

/* eng_fail - last logs, remove the container, state failed (or st) */
void		 eng_fail(struct eng *e, enum eng_state st, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* eng_delete - stop, remove, forget; done once */
void		 eng_delete(struct eng *e, int timeout_s, eng_done_fn *done,
		    void *arg);

/* eng_stop_run - run a noted delete now (eng_stop.c) */
void		 eng_stop_run(struct eng *e);

/* eng_wipe_json - clear every string of j in place (secret values) */
void		 eng_wipe_json(cJSON *j);

/* eng_set_state - change state, note progress, write the record */
void		 eng_set_state(struct eng *e, enum eng_state st,
		    const char *progress);

/* eng_state_name - "pulling", ... */
const char	*eng_state_name(enum eng_state st);

/* eng_state_parse - the state for a name; -1 if unknown */
int		 eng_state_parse(const char *s);

/* eng_is_active - pulling, starting, loading or ready */
int		 eng_is_active(const struct eng *e);

/* eng_json - the engine as docs/protocol.md says */
cJSON		*eng_json(const struct eng *e);

/* eng_cancel_all - stop everything under way (no callbacks after) */
void		 eng_cancel_all(struct eng *e);

/* eng_step - start one Docker step (e->op); -1 if it cannot start */
int		 eng_step(struct eng *e, const char *method, const char *path,
		    const cJSON *body, long timeout_ms, eng_http_data_fn *data,
		    eng_docker_fn *done);

/* eng_step_done - a step ended: 1 if a waiting delete took over */
int		 eng_step_done(struct eng *e);

/* eng_free - cancel what is under way, close followers, free */
void		 eng_free(struct eng *e);

#endif
