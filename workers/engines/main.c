/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	engines - the corral inference-engines worker
 * SYNOPSIS
 *	libexec/corral/engines (started by the corral master, never by hand)
 * DESCRIPTION
 *	The engines worker launches inference engines (vLLM, llama.cpp,
 *	Ollama, ExLlamaV2) as sibling containers through the Docker Engine
 *	API on its unix socket, watches each until it serves, re-adopts its
 *	containers after a restart, and answers the 400s of
 *	docs/protocol.md for the http worker. docs/engines.md is the
 *	operator's guide; eng_worker.h says how the parts fit.
 * DIAGNOSTICS
 *	Exit 0 after a shutdown; 100 for a bad engines file. Docker
 *	missing is a state, not a failure.
 */
#include "msg.h"
#include "worker.h"

#include "eng_worker.h"

static const struct worker_handler eng_handlers[] = {
	{ MSG_ENGINE_LIST, ENG_REQ_MAX, eng_on_list },
	{ MSG_ENGINE_GET, ENG_REQ_MAX, eng_on_get },
	{ MSG_ENGINE_LAUNCH, ENG_REQ_MAX, eng_on_launch },
	{ MSG_ENGINE_DELETE, ENG_REQ_MAX, eng_on_delete },
	{ MSG_ENGINE_LOGS, ENG_REQ_MAX, eng_on_logs },
};

static const struct worker_def eng_def = {
	.name = "engines",
	.init = eng_init,
	.drain = eng_drain,
	.shutdown = eng_shutdown,
	.fini = eng_fini,
	.handlers = eng_handlers,
	.nhandlers = sizeof(eng_handlers) / sizeof(eng_handlers[0]),
	.nodump = 1,		/* secret values pass through on a launch */
};

/* main - run the engines worker */
int
main(int argc, char **argv)
{
	return (worker_main(&eng_def, argc, argv));
}
