/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_server_view - what is shown of one MCP server
 * SYNOPSIS
 *	#include "mcp_server.h"
 *
 *	cJSON	*mcp_server_json(const struct mcp_server *s);
 *	cJSON	*mcp_server_counts(const struct mcp_server *s);
 *	const cJSON *mcp_server_tool(const struct mcp_server *s,
 *		    const char *name);
 *	...
 * DESCRIPTION
 *	See mcp_server.h: the read-only side of a server (its name, state,
 *	pid, last error, tools, session while ready), the server object of
 *	the API (docs/mcp.md) and the counts of its tool calls by outcome.
 *	The tool list and the session are handed out only while the server
 *	is ready, so a caller cannot use a list or a session that is going
 *	away.
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mcp_server_priv.h"

static const char *const mcp_outcome_names[MCP_NOUTCOMES] = {
	"ok", "tool_error", "error", "timeout"
};

/* mcp_server_name - its name */
const char *
mcp_server_name(const struct mcp_server *s)
{
	return (s->conf->name);
}

/* mcp_server_conf - its configuration */
const struct mcp_conf_server *
mcp_server_conf(const struct mcp_server *s)
{
	return (s->conf);
}

/* mcp_server_state - its state */
enum mcp_state
mcp_server_state(const struct mcp_server *s)
{
	return (s->state);
}

/* mcp_server_pid - the process, 0 if none */
pid_t
mcp_server_pid(const struct mcp_server *s)
{
	return (s->sp.pid > 0 ? s->sp.pid : 0);
}

/* mcp_server_restarts - spawns after the first */
int
mcp_server_restarts(const struct mcp_server *s)
{
	return (s->restarts);
}

/* mcp_server_last_error - "" if none */
const char *
mcp_server_last_error(const struct mcp_server *s)
{
	return (s->last_error);
}

/* mcp_server_ticket - the ticket of the spawn under way, 0 if none */
uint64_t
mcp_server_ticket(const struct mcp_server *s)
{
	return (s->ticket);
}

/* mcp_server_tools - the tool list (an array), while ready */
const cJSON *
mcp_server_tools(const struct mcp_server *s)
{
	return (s->state == MCP_READY ? s->tools : NULL);
}

/* mcp_server_tool - the tool called name in the list, or NULL */
const cJSON *
mcp_server_tool(const struct mcp_server *s, const char *name)
{
	const cJSON	*t, *n;

	cJSON_ArrayForEach(t, mcp_server_tools(s)) {
		n = cJSON_GetObjectItemCaseSensitive(t, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return (t);
	}
	return (NULL);
}

/* mcp_server_rpc - the session, only while ready */
struct mcp_rpc *
mcp_server_rpc(const struct mcp_server *s)
{
	return (s->state == MCP_READY && !s->dying ? s->rpc : NULL);
}

/* mcp_server_count - note one tool call's outcome */
void
mcp_server_count(struct mcp_server *s, enum mcp_outcome o)
{
	if (o < MCP_NOUTCOMES)
		s->calls[o]++;
}

/* mcp_server_counts - the counts by outcome, as a JSON object */
cJSON *
mcp_server_counts(const struct mcp_server *s)
{
	cJSON	*o = cJSON_CreateObject();
	int	 i;

	for (i = 0; i < MCP_NOUTCOMES; i++)
		cJSON_AddNumberToObject(o, mcp_outcome_names[i],
		    (double)s->calls[i]);
	return (o);
}

/* mcp_server_json - the server object of the API */
cJSON *
mcp_server_json(const struct mcp_server *s)
{
	struct tm	 tm;
	char		 since[32];
	cJSON		*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", s->conf->name);
	cJSON_AddStringToObject(o, "transport", "stdio");
	cJSON_AddBoolToObject(o, "enabled", s->conf->enabled);
	cJSON_AddStringToObject(o, "state", mcp_state_name(s->state));
	if (s->sp.pid > 0)
		cJSON_AddNumberToObject(o, "pid", (double)s->sp.pid);
	else
		cJSON_AddNullToObject(o, "pid");
	cJSON_AddNumberToObject(o, "restarts", s->restarts);
	cJSON_AddNumberToObject(o, "tools", s->state == MCP_READY ?
	    cJSON_GetArraySize(s->tools) : 0);
	if (s->server_info != NULL)
		cJSON_AddItemToObject(o, "server_info",
		    cJSON_Duplicate(s->server_info, 1));
	else
		cJSON_AddNullToObject(o, "server_info");
	if (s->protocol_version != NULL)
		cJSON_AddStringToObject(o, "protocol_version",
		    s->protocol_version);
	else
		cJSON_AddNullToObject(o, "protocol_version");
	if (s->last_error[0] != '\0')
		cJSON_AddStringToObject(o, "last_error", s->last_error);
	else
		cJSON_AddNullToObject(o, "last_error");
	gmtime_r(&s->since, &tm);
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(o, "since", since);
	return (o);
}
