/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	control - what the master tells and does for the control plane
 * SYNOPSIS
 *	cJSON	*control_status(struct master *m);
 *	int	control_restart(struct master *m, const char *name,
 *		    cJSON **reply);
 *	void	super_master_changed(struct worker *w);
 * DESCRIPTION
 *	control_status builds the worker table the http worker serves
 *	(/readyz, /v1/runtime, /v1/workers): for each worker its state as
 *	operators see it, pid, restarts, uptime since READY, throttle delay
 *	and last exit. control_restart is the operator restart of one
 *	worker. super_master_changed runs after every state change: it
 *	tells systemd when all workers are first ready, keeps STATUS= up to
 *	date, and moves a shutdown along.
 * DIAGNOSTICS
 *	control_restart returns -1 with an MSG_ERROR body (code not_found,
 *	conflict or draining) in *reply.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "master.h"
#include "supervise.h"

/* control_all_ready - every enabled worker is READY and we are not draining */
int
control_all_ready(const struct master *m)
{
	int	i;

	if (m->draining)
		return (0);
	for (i = 0; i < m->nworkers; i++)
		if (m->workers[i].state != SUPER_UP)
			return (0);
	return (1);
}

/* control_worker_json - one row of the worker table */
cJSON *
control_worker_json(const struct worker *w)
{
	cJSON	*o;
	int64_t	 now = master_now_ms();
	char	 text[64];

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", w->name);
	cJSON_AddNumberToObject(o, "id", w->id);
	cJSON_AddBoolToObject(o, "enabled", 1);
	cJSON_AddStringToObject(o, "state", super_state_name(w));
	cJSON_AddNumberToObject(o, "pid", w->pid);
	cJSON_AddNumberToObject(o, "restarts", w->restarts);
	cJSON_AddNumberToObject(o, "uptime_s", w->state == SUPER_UP ?
	    (double)(now - w->ready_ms) / 1000.0 : 0);
	cJSON_AddBoolToObject(o, "throttled",
	    w->state == SUPER_DOWN && w->deadline_ms != 0);
	cJSON_AddNumberToObject(o, "next_start_in_s",
	    w->state == SUPER_DOWN && w->deadline_ms > now ?
	    (double)(w->deadline_ms - now) / 1000.0 : 0);
	cJSON_AddNumberToObject(o, "backoff_s", w->backoff_ms / 1000.0);
	if (w->exited) {
		if (WIFEXITED(w->exit_status))
			snprintf(text, sizeof(text), "exited %d",
			    WEXITSTATUS(w->exit_status));
		else if (WIFSIGNALED(w->exit_status))
			snprintf(text, sizeof(text), "killed by signal %d",
			    WTERMSIG(w->exit_status));
		else
			snprintf(text, sizeof(text), "status %d",
			    w->exit_status);
		cJSON_AddStringToObject(o, "last_exit", text);
	} else
		cJSON_AddNullToObject(o, "last_exit");
	cJSON_AddStringToObject(o, "restart_policy",
	    w->conf != NULL && w->conf->restart == RESTART_NEVER ?
	    "never" : "always");
	return (o);
}

/* control_status - the whole table and the master's own facts */
cJSON *
control_status(struct master *m)
{
	cJSON	*o, *arr;
	int	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", CORRAL_VERSION);
	cJSON_AddNumberToObject(o, "pid", (double)getpid());
	cJSON_AddNumberToObject(o, "uptime_s",
	    (double)(master_now_ms() - m->started_ms) / 1000.0);
	cJSON_AddBoolToObject(o, "draining", m->draining);
	cJSON_AddBoolToObject(o, "ready", control_all_ready(m));
	arr = cJSON_AddArrayToObject(o, "workers");
	for (i = 0; i < m->nworkers; i++)
		cJSON_AddItemToArray(arr, control_worker_json(&m->workers[i]));
	return (o);
}

/* control_error - an MSG_ERROR body */
static cJSON *
control_error(const char *code, const char *msg)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", code);
	cJSON_AddStringToObject(o, "message", msg);
	return (o);
}

/* control_restart - operator restart of one worker; 0 or -1 */
int
control_restart(struct master *m, const char *name, cJSON **reply)
{
	struct worker	*w;
	char		 msg[128];
	pid_t		 old;

	if (m->draining) {
		*reply = control_error("draining", "corral is shutting down");
		return (-1);
	}
	if ((w = route_find_name(m, name)) == NULL) {
		snprintf(msg, sizeof(msg), "no worker named '%.40s'", name);
		*reply = control_error("not_found", msg);
		return (-1);
	}
	if (w->state == SUPER_STOPPING) {
		snprintf(msg, sizeof(msg), "worker %s is already stopping",
		    w->name);
		*reply = control_error("conflict", msg);
		return (-1);
	}
	old = w->pid;
	super_event(w, SEV_CMD_RESTART);
	*reply = cJSON_CreateObject();
	cJSON_AddStringToObject(*reply, "name", w->name);
	cJSON_AddStringToObject(*reply, "state", super_state_name(w));
	cJSON_AddNumberToObject(*reply, "pid", old);
	return (0);
}

/* super_master_changed - the master after a state change */
void
super_master_changed(struct worker *w)
{
	struct master	*m = w->master;

	if (m == NULL)
		return;
	if (!m->notified_ready && control_all_ready(m)) {
		m->notified_ready = 1;
		log_info("all %d workers ready", m->nworkers);
		notify_send("READY=1");
	}
	notify_status(m);
	if (m->draining)
		shutdown_progress(m);
}
