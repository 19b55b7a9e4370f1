/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	reap - collect exited children
 * SYNOPSIS
 *	void	reap_children(struct master *m);
 * DESCRIPTION
 *	Called from the SIGCHLD event: waitpid(-1, WNOHANG) until nothing is
 *	left, so no zombie survives. A worker's exit is fed to its state
 *	machine. Any other pid is an orphan that was reparented to us (we
 *	are PID 1 in a container) and is only reaped.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>

#include "log.h"
#include "master.h"

/* reap_children - waitpid until no exited child remains */
void
reap_children(struct master *m)
{
	struct worker	*w;
	pid_t		 pid;
	int		 status, i;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		for (w = NULL, i = 0; i < m->nworkers; i++)
			if (m->workers[i].pid == pid) {
				w = &m->workers[i];
				break;
			}
		if (w == NULL) {
			if (!m->pid1)
				log_warnx("reaped unknown child %ld",
				    (long)pid);
			else
				log_debug("reaped orphan %ld", (long)pid);
			continue;
		}
		w->exit_status = status;
		w->exited = 1;
		super_event(w, SEV_EXIT);
	}
}
