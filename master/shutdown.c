/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	shutdown - the master's graceful stop
 * SYNOPSIS
 *	void	shutdown_begin(struct master *m);
 *	void	shutdown_progress(struct master *m);
 *	void	shutdown_force(struct master *m);
 * DESCRIPTION
 *	SIGTERM or SIGINT calls shutdown_begin: the master is draining from
 *	then on (/readyz answers 503, no worker is restarted, no restart is
 *	accepted), systemd hears STOPPING=1, every running worker gets
 *	MSG_DRAIN, and every worker but http gets MSG_SHUTDOWN and the
 *	deadline of CORRAL_SHUTDOWN_TIMEOUT seconds, after which supervision
 *	sends SIGKILL. http stops last, so the control plane answers (503 on
 *	/readyz) while the others drain. shutdown_progress runs after each
 *	state change: once only http is left it is stopped, and once no
 *	worker has a process the loop ends and the master exits 0.
 *
 *	A second SIGTERM/SIGINT calls shutdown_force: SIGKILL to every
 *	worker now.
 */
#include <signal.h>
#include <string.h>

#include "log.h"
#include "master.h"
#include "msg.h"

/* shutdown_running - a worker that still has a process */
static int
shutdown_running(const struct worker *w)
{
	return (w->pid > 0);
}

/* shutdown_begin - start draining and stop every worker but http */
void
shutdown_begin(struct master *m)
{
	struct worker	*w;
	int		 i;

	if (m->draining)
		return;
	m->draining = 1;
	log_info("shutting down: draining %d workers (timeout %ld s)",
	    m->nworkers, m->cfg.shutdown_timeout);
	notify_send("STOPPING=1");
	for (i = 0; i < m->nworkers; i++) {
		w = &m->workers[i];
		if (w->chan != NULL && w->state == SUPER_UP)
			(void)chan_send_json(w->chan, MSG_DRAIN, w->id, 0, 0,
			    NULL);
	}
	for (i = 0; i < m->nworkers; i++) {
		w = &m->workers[i];
		if (strcmp(w->name, "http") != 0)
			super_event(w, SEV_CMD_STOP);
	}
	shutdown_progress(m);
}

/* shutdown_progress - stop http when alone; end the loop when all are gone */
void
shutdown_progress(struct master *m)
{
	struct worker	*http = NULL;
	int		 i, others = 0, any = 0;

	if (!m->draining)
		return;
	for (i = 0; i < m->nworkers; i++) {
		if (strcmp(m->workers[i].name, "http") == 0)
			http = &m->workers[i];
		else if (shutdown_running(&m->workers[i]))
			others++;
		if (shutdown_running(&m->workers[i]))
			any++;
	}
	if (!m->http_stopped && others == 0) {
		m->http_stopped = 1;
		if (http != NULL)
			super_event(http, SEV_CMD_STOP);
		/* The stop may have ended nothing yet; count again. */
		for (any = 0, i = 0; i < m->nworkers; i++)
			if (shutdown_running(&m->workers[i]))
				any++;
	}
	if (any == 0) {
		log_info("all workers stopped");
		event_base_loopbreak(m->base);
	}
}

/* shutdown_force - a second signal: SIGKILL every worker now */
void
shutdown_force(struct master *m)
{
	int	i;

	log_warnx("second stop signal: killing every worker now");
	for (i = 0; i < m->nworkers; i++)
		if (m->workers[i].pid > 0) {
			m->workers[i].killed = 1;
			(void)kill(m->workers[i].pid, SIGKILL);
		}
}
