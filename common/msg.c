/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	msg - printable names of message types, for logs
 */
#include <stddef.h>

#include "msg.h"

static const struct {
	int		 type;
	const char	*name;
} msg_names[] = {
	{ MSG_ERROR, "ERROR" },
	{ MSG_PING, "PING" },
	{ MSG_PONG, "PONG" },
	{ MSG_CONFIG, "CONFIG" },
	{ MSG_READY, "READY" },
	{ MSG_SHUTDOWN, "SHUTDOWN" },
	{ MSG_RELOAD, "RELOAD" },
	{ MSG_DRAIN, "DRAIN" },
	{ MSG_STATUS, "STATUS" },
	{ MSG_RESTART, "RESTART" },
	{ MSG_SECRET_LIST, "SECRET_LIST" },
	{ MSG_SECRET_PUT, "SECRET_PUT" },
	{ MSG_SECRET_DELETE, "SECRET_DELETE" },
	{ MSG_SECRET_GET, "SECRET_GET" },
	{ MSG_ROUTES_LIST, "ROUTES_LIST" },
	{ MSG_MCP_LIST, "MCP_LIST" },
	{ MSG_MCP_TOOLS, "MCP_TOOLS" },
	{ MSG_MCP_CALL, "MCP_CALL" },
	{ MSG_ENGINE_LIST, "ENGINE_LIST" },
	{ MSG_ENGINE_GET, "ENGINE_GET" },
	{ MSG_ENGINE_LAUNCH, "ENGINE_LAUNCH" },
	{ MSG_ENGINE_DELETE, "ENGINE_DELETE" },
	{ MSG_ENGINE_LOGS, "ENGINE_LOGS" },
	{ MSG_GPU_SAMPLE, "GPU_SAMPLE" },
	{ MSG_GPU_HISTORY, "GPU_HISTORY" },
	{ MSG_SKILL_LIST, "SKILL_LIST" },
	{ MSG_SKILL_GET, "SKILL_GET" },
	{ MSG_AGENT_LIST, "AGENT_LIST" },
	{ MSG_RUN_SUBMIT, "RUN_SUBMIT" },
	{ MSG_RUN_LIST, "RUN_LIST" },
	{ MSG_RUN_GET, "RUN_GET" },
	{ MSG_RUN_LOGS, "RUN_LOGS" },
	{ MSG_RUN_CANCEL, "RUN_CANCEL" },
};

/* msg_type_name - printable name of a type, "unknown" otherwise */
const char *
msg_type_name(int type)
{
	size_t	i;

	for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (msg_names[i].type == type)
			return (msg_names[i].name);
	return ("unknown");
}
