/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	notify - the systemd notification protocol, without libsystemd
 * SYNOPSIS
 *	void	notify_init(struct master *m);
 *	void	notify_send(const char *state);
 *	void	notify_status(struct master *m);
 * DESCRIPTION
 *	When NOTIFY_SOCKET names a unix datagram socket (a path, or an
 *	abstract name starting with '@'), each state ("READY=1",
 *	"STOPPING=1", "STATUS=...", "WATCHDOG=1") is sent to it as one
 *	datagram. With WATCHDOG_USEC set (and WATCHDOG_PID unset or ours)
 *	a timer sends WATCHDOG=1 at half the interval, from the master's
 *	loop, so a wedged loop is noticed by systemd. Without
 *	NOTIFY_SOCKET everything here does nothing.
 * DIAGNOSTICS
 *	A failed send is logged at debug level only: systemd may be gone.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

static struct sockaddr_un	notify_addr;
static socklen_t		notify_addrlen;
static int			notify_fd = -1;
static struct event		*notify_wd_ev;
static char			notify_last_status[256];

/* notify_watchdog_cb - keep systemd's watchdog fed */
static void
notify_watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	notify_send("WATCHDOG=1");
}

/* notify_init - read NOTIFY_SOCKET and WATCHDOG_USEC */
void
notify_init(struct master *m)
{
	const char	*path, *usec, *wpid;
	struct timeval	 tv;
	size_t		 len;
	long long	 us;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL || *path == '\0')
		return;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') ||
	    len >= sizeof(notify_addr.sun_path)) {
		log_warnx("NOTIFY_SOCKET '%s' is not a unix socket path; "
		    "not notifying systemd", path);
		return;
	}
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, path, len);
	if (path[0] == '@')
		notify_addr.sun_path[0] = '\0';
	notify_addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    len);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (notify_fd == -1) {
		log_warn("%s: socket", __func__);
		return;
	}
	usec = getenv("WATCHDOG_USEC");
	wpid = getenv("WATCHDOG_PID");
	if (usec != NULL && (wpid == NULL || atol(wpid) == (long)getpid()) &&
	    (us = atoll(usec)) > 0) {
		us /= 2;
		tv.tv_sec = us / 1000000;
		tv.tv_usec = us % 1000000;
		notify_wd_ev = event_new(m->base, -1, EV_PERSIST,
		    notify_watchdog_cb, NULL);
		event_add(notify_wd_ev, &tv);
		log_debug("systemd watchdog every %lld us", us);
	}
	/* Children must not talk to systemd as us. */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

/* notify_send - one datagram to systemd, if it listens */
void
notify_send(const char *state)
{
	if (notify_fd == -1)
		return;
	if (sendto(notify_fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&notify_addr, notify_addrlen) == -1)
		log_debug("notify %s: %s", state, strerror(errno));
}

/* notify_status - STATUS= with how many workers are ready, on change */
void
notify_status(struct master *m)
{
	char	buf[256];
	int	i, up = 0;

	if (notify_fd == -1)
		return;
	for (i = 0; i < m->nworkers; i++)
		if (m->workers[i].state == SUPER_UP)
			up++;
	snprintf(buf, sizeof(buf), "STATUS=%s: %d of %d workers ready",
	    m->draining ? "stopping" : "running", up, m->nworkers);
	if (strcmp(buf, notify_last_status) == 0)
		return;
	snprintf(notify_last_status, sizeof(notify_last_status), "%s", buf);
	notify_send(buf);
}

/* notify_fini - close the socket and stop the watchdog timer */
void
notify_fini(void)
{
	if (notify_wd_ev != NULL) {
		event_free(notify_wd_ev);
		notify_wd_ev = NULL;
	}
	if (notify_fd != -1) {
		close(notify_fd);
		notify_fd = -1;
	}
}
