/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fake-worker - test workers whose behaviour their name chooses
 * DESCRIPTION
 *	End-to-end tests add workers to the table with
 *	"worker.NAME.exec = .../fake-worker"; the master runs them with
 *	argv[0] = NAME, and the name's prefix picks the behaviour:
 *
 *	crash*		exits 1 at once, before READY (a crash loop)
 *	permfail*	exits 100 at once (bad config: must end up failed)
 *	noready*	never says READY
 *	slow*		takes 2 s to drain after MSG_SHUTDOWN/SIGTERM
 *	deaf*		ignores MSG_SHUTDOWN and SIGTERM (needs SIGKILL)
 *	orphan*		leaves an orphan behind at start (for PID 1 reaping)
 *	garbage*	sends bytes that are not a frame once READY
 *	anything else	a well-behaved worker
 *
 *	Every fake answers MSG_PING (worker.c) and MSG_STATUS requests from
 *	other workers with {"seen_src": the src the master stamped}.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "log.h"
#include "msg.h"
#include "worker.h"

static const char	*fake_name = "fake";
static struct event	*fake_timer;

/* fake_is - does our name start with prefix? */
static int
fake_is(const char *prefix)
{
	return (strncmp(fake_name, prefix, strlen(prefix)) == 0);
}

/* fake_on_status - reply with the src the master stamped */
static void
fake_on_status(struct worker_rt *rt, struct frame *f)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "seen_src", f->hdr.src);
	worker_reply(rt, f, MSG_STATUS, o);
}

/* fake_done_cb - the slow drain is over */
static void
fake_done_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	worker_exit(arg, 0);
}

/* fake_garbage_cb - speak nonsense on the channel */
static void
fake_garbage_cb(evutil_socket_t fd, short what, void *arg)
{
	static const char junk[] = "GET / HTTP/1.0\r\n\r\n";

	(void)fd;
	(void)what;
	(void)arg;
	(void)write(CORRAL_CHAN_FD, junk, sizeof(junk) - 1);
}

/* fake_orphan - a grandchild that outlives its parent by 300 ms */
static void
fake_orphan(void)
{
	pid_t	pid;

	if ((pid = fork()) == 0) {
		if (fork() == 0) {
			usleep(300 * 1000);
			_exit(0);
		}
		_exit(0);
	}
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
}

/* fake_init - behave as the name says, before READY */
static int
fake_init(struct worker_rt *rt)
{
	struct timeval	tv = { 0, 200 * 1000 };

	if (fake_is("crash"))
		exit(1);
	if (fake_is("permfail"))
		return (WORKER_EXIT_PERMANENT);
	if (fake_is("orphan"))
		fake_orphan();
	if (fake_is("deaf"))
		signal(SIGTERM, SIG_IGN);
	if (fake_is("garbage")) {
		fake_timer = evtimer_new(rt->base, fake_garbage_cb, rt);
		evtimer_add(fake_timer, &tv);
	}
	if (fake_is("noready")) {
		for (;;)
			pause();
	}
	return (0);
}

/* fake_shutdown - slow ones take 2 s, deaf ones never go */
static void
fake_shutdown(struct worker_rt *rt)
{
	struct timeval	tv = { 2, 0 };

	if (fake_is("deaf"))
		return;
	if (fake_is("slow")) {
		if (fake_timer == NULL)
			fake_timer = evtimer_new(rt->base, fake_done_cb, rt);
		evtimer_add(fake_timer, &tv);
		return;
	}
	worker_exit(rt, 0);
}

/* fake_fini - free the timer */
static void
fake_fini(struct worker_rt *rt)
{
	(void)rt;
	if (fake_timer != NULL)
		event_free(fake_timer);
}

static const struct worker_handler fake_handlers[] = {
	{ MSG_STATUS, 4096, fake_on_status },
};

static struct worker_def fake_def = {
	.name = "fake",
	.init = fake_init,
	.shutdown = fake_shutdown,
	.fini = fake_fini,
	.handlers = fake_handlers,
	.nhandlers = sizeof(fake_handlers) / sizeof(fake_handlers[0]),
};

int
main(int argc, char **argv)
{
	if (argc > 0 && argv[0] != NULL && argv[0][0] != '\0') {
		fake_name = strrchr(argv[0], '/') != NULL ?
		    strrchr(argv[0], '/') + 1 : argv[0];
		fake_def.name = fake_name;
	}
	return (worker_main(&fake_def, argc, argv));
}
