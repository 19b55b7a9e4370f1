/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http - the corral control-plane API worker
 * SYNOPSIS
 *	libexec/corral/http (started by the corral master, never by hand)
 * DESCRIPTION
 *	The http worker serves the JSON API of docs/api.md with libevent's
 *	evhttp. It holds the digests of the API tokens and nothing else of
 *	value; everything it reports or changes it asks the master for over
 *	its channel. The shared worker runtime (worker.h) runs it: config,
 *	init (the listening socket), sandbox, READY, frames, shutdown.
 *	Before anything allocates, cJSON and libevent are made to clear the
 *	memory they free (http_wipe.c): a request body may hold a secret
 *	on its way to the secrets worker.
 * DIAGNOSTICS
 *	Exit 0 after a shutdown, 100 for a configuration that cannot work
 *	(bad bind or auth_mode), 111 when the address is in use.
 */
#include "worker.h"

#include "http_server.h"
#include "http_wipe.h"

static const struct worker_def http_def = {
	.name = "http",
	.init = http_server_init,
	.reload = http_server_reload,
	.drain = http_server_drain,
	.shutdown = http_server_shutdown,
	.fini = http_server_fini,
	.handlers = NULL,
	.nhandlers = 0,
	.epoll_changelist = 1,	/* it neither forks nor dup()s: see worker.c */
};

/* main - run the http worker */
int
main(int argc, char **argv)
{
	http_wipe_init();
	return (worker_main(&http_def, argc, argv));
}
