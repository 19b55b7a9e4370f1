/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	master.h - the corral master's shared state and module interfaces
 * DESCRIPTION
 *	One struct master holds the loop, the configuration and the worker
 *	table; each struct worker is one row of that table and the state
 *	of its supervision. Prototypes are grouped by the file that
 *	defines them, as in relayd.h and tmux.h.
 */
#ifndef CORRAL_MASTER_H
#define CORRAL_MASTER_H

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "channel.h"
#include "config.h"
#include "proc.h"

#define SUPER_READY_TIMEOUT_MS	30000	/* starting -> ready, else bad start */
#define SUPER_STABLE_MS		1000	/* up this long: restart at once */
#define SUPER_BACKOFF_MIN_MS	1000
#define SUPER_BACKOFF_MAX_MS	60000

enum super_state {
	SUPER_DOWN,		/* not running; maybe a start is scheduled */
	SUPER_STARTING,		/* spawned, not READY yet */
	SUPER_UP,		/* READY */
	SUPER_STOPPING,		/* asked to stop, waiting for the exit */
	SUPER_FAILED,		/* will not be started until an operator acts */
	SUPER_NSTATES
};

enum super_event {
	SEV_START,		/* the start timer fired, or first start */
	SEV_READY,		/* MSG_READY arrived */
	SEV_EXIT,		/* reaped */
	SEV_DEADLINE,		/* ready or stop deadline passed */
	SEV_CMD_RESTART,	/* operator restart */
	SEV_CMD_STOP,		/* master shutdown */
	SUPER_NEVENTS
};

struct master;

struct worker {
	struct master		*master;
	const struct config_worker *conf;	/* row in master->cfg */
	char			 name[CONFIG_NAME_MAX];
	uint8_t			 id;
	char			*exec;
	enum super_state	 state;
	pid_t			 pid;
	uint32_t		 gen;
	struct chan		*chan;
	struct event		*timer;
	int64_t			 deadline_ms;	/* when timer fires, 0 if idle */
	int64_t			 spawned_ms;
	int64_t			 ready_ms;
	int			 restarts;	/* spawns after the first */
	int			 backoff_ms;	/* current throttle delay */
	int			 respawn;	/* start again after this stop */
	int			 killed;	/* SIGKILL sent by us */
	int			 exit_status;	/* wait status of the last exit */
	int			 exited;	/* it has exited at least once */
};

struct master {
	struct event_base	*base;
	struct config		 cfg;
	int			 argc;
	char			**argv;
	struct worker		 workers[CONFIG_MAX_WORKERS];
	int			 nworkers;
	int64_t			 started_ms;	/* CLOCK_MONOTONIC */
	int			 draining;	/* shutdown has begun */
	int			 http_stopped;	/* http got its stop */
	int			 notified_ready;
	int			 exit_code;
	int			 pid1;		/* we are PID 1: reap orphans */
	struct event		*shutdown_timer;
};

/* main.c */
int64_t		 master_now_ms(void);

/* supervise.c */
void		 super_init(struct master *, struct worker *);
void		 super_event(struct worker *, enum super_event);
const char	*super_state_name(const struct worker *);
void		 super_free(struct worker *);

/* spawn.c */
int		 spawn_worker(struct worker *);

/* reap.c */
void		 reap_children(struct master *);

/* route.c */
void		 route_frame_cb(struct chan *, struct frame *, void *);
void		 route_close_cb(struct chan *, int, void *);
struct worker	*route_find_id(struct master *, int);
struct worker	*route_find_name(struct master *, const char *);

/* control.c */
cJSON		*control_status(struct master *);
cJSON		*control_worker_json(const struct worker *);
int		 control_restart(struct master *, const char *, cJSON **);
int		 control_all_ready(const struct master *);

/* shutdown.c */
void		 shutdown_begin(struct master *);
void		 shutdown_progress(struct master *);
void		 shutdown_force(struct master *);

/* reload.c */
void		 reload_config(struct master *);

/* notify.c */
void		 notify_init(struct master *);
void		 notify_send(const char *);
void		 notify_status(struct master *);
void		 notify_fini(void);

/* setup.c */
int		 setup_privileges(struct master *, char *, size_t);
int		 setup_admin_token(struct master *);
char		*setup_libexec_dir(const struct config *);

#endif
