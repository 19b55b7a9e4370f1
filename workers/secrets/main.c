/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	secrets - the corral secret store worker
 * SYNOPSIS
 *	libexec/corral/secrets (started by the corral master, never by hand)
 * DESCRIPTION
 *	The secrets worker is the only corral process that ever holds the
 *	master key of the secret store (state_root/secrets/store.json). It
 *	gets the key through its own environment, which the master fills
 *	for this worker alone, and answers the 200s of docs/protocol.md:
 *	list, store, delete and hand out secrets, and list the model routes
 *	with whether each can be used. Who may ask for what is
 *	secrets_acl.c's table; what each message does is secrets_worker.c.
 *	Core dumps are off from the first instruction of worker_main.
 * DIAGNOSTICS
 *	Exit 0 after a shutdown, 100 when the key is malformed, does not
 *	match the store, or the store cannot be read (one line in the log
 *	says which).
 */
#include "msg.h"
#include "worker.h"

#include "secrets_worker.h"

static const struct worker_handler secrets_handlers[] = {
	{ MSG_SECRET_LIST, SECRETS_REQ_MAX, secrets_on_list },
	{ MSG_SECRET_PUT, SECRETS_PUT_MAX, secrets_on_put },
	{ MSG_SECRET_DELETE, SECRETS_REQ_MAX, secrets_on_delete },
	{ MSG_SECRET_GET, SECRETS_REQ_MAX, secrets_on_get },
	{ MSG_ROUTES_LIST, SECRETS_REQ_MAX, secrets_on_routes },
};

static const struct worker_def secrets_def = {
	.name = "secrets",
	.init = secrets_init,
	.reload = secrets_reload,
	.fini = secrets_fini,
	.handlers = secrets_handlers,
	.nhandlers = sizeof(secrets_handlers) / sizeof(secrets_handlers[0]),
	.nodump = 1,
};

/* main - run the secrets worker */
int
main(int argc, char **argv)
{
	return (worker_main(&secrets_def, argc, argv));
}
