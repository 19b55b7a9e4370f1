/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_hello - the MCP handshake and the tool list of one server
 * SYNOPSIS
 *	#include "mcp_server_priv.h"
 * DESCRIPTION
 *	See mcp_server_priv.h. initialize offers MCP_SERVER_PROTOCOL and no
 *	client capabilities; a server answering one of the versions of
 *	mcp_hello_versions[] is taken. Its serverInfo is kept (name, title,
 *	version, each a string cut to 256 characters). A server that
 *	declares no "tools" capability is ready with no tools.
 *
 *	tools/list is asked page by page (nextCursor), at most
 *	MCP_SERVER_PAGES_MAX pages and MCP_SERVER_TOOLS_MAX tools, each
 *	page with the initialize timeout. A tool without a string name, or
 *	with the name of one listed before, is skipped with a warning. The
 *	list is replaced only once every page is in; a listing that fails
 *	once the server is ready keeps the old list.
 * DIAGNOSTICS
 *	Before ready, a bad or missing answer is a protocol error: the
 *	server is killed and failed (mcp_server_broke). After, a failed
 *	listing is a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

#include "mcp_server_priv.h"

#define MCP_HELLO_INFO_MAX	256

static const char *const mcp_hello_versions[] = {
	"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"
};

static void	mcp_hello_list(struct mcp_server *, const char *);

/* mcp_hello_reset - forget the handshake and any listing */
void
mcp_hello_reset(struct mcp_server *s)
{
	cJSON_Delete(s->next_tools);
	s->next_tools = NULL;
	s->pages = 0;
	s->listing = 0;
	s->relist = 0;
}

/* mcp_hello_version_ok - is v a protocol version we speak? */
static int
mcp_hello_version_ok(const char *v)
{
	size_t	i;

	for (i = 0; i < sizeof(mcp_hello_versions) /
	    sizeof(mcp_hello_versions[0]); i++)
		if (strcmp(v, mcp_hello_versions[i]) == 0)
			return (1);
	return (0);
}

/* mcp_hello_info - the strings of serverInfo we keep, or NULL */
static cJSON *
mcp_hello_info(const cJSON *info)
{
	static const char *const keys[] = { "name", "title", "version" };
	const cJSON	*v;
	cJSON		*o;
	size_t		 i;

	if (!cJSON_IsObject(info))
		return (NULL);
	o = cJSON_CreateObject();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = cJSON_GetObjectItemCaseSensitive(info, keys[i]);
		if (!cJSON_IsString(v))
			continue;
		if (strlen(v->valuestring) > MCP_HELLO_INFO_MAX)
			v->valuestring[MCP_HELLO_INFO_MAX] = '\0';
		cJSON_AddStringToObject(o, keys[i], v->valuestring);
	}
	return (o);
}

/* mcp_hello_timeout_ms - how long a handshake request may take */
static int
mcp_hello_timeout_ms(const struct mcp_server *s)
{
	return (s->env->init_timeout_ms > 0 ? s->env->init_timeout_ms :
	    MCP_SERVER_INIT_TIMEOUT_MS);
}

/* mcp_hello_failed - a request of the handshake got no good answer */
static void
mcp_hello_failed(struct mcp_server *s, const char *method,
    const struct mcp_rpc_reply *rep)
{
	char	why[MCP_SERVER_ERROR_LEN];

	if (rep->outcome == MCP_RPC_TIMEOUT)
		snprintf(why, sizeof(why), "no answer within %d s",
		    (mcp_hello_timeout_ms(s) + 999) / 1000);
	else if (rep->outcome == MCP_RPC_ERROR)
		snprintf(why, sizeof(why), "JSON-RPC error %ld: %.160s",
		    rep->code, rep->message);
	else
		snprintf(why, sizeof(why), "the result is not an object");
	if (s->state == MCP_STARTING)
		mcp_server_broke(s, "%s: %s", method, why);
	else {
		log_warnx("server %s: %s: %s; keeping the %d tools listed "
		    "before", s->conf->name, method, why,
		    cJSON_GetArraySize(s->tools));
		mcp_hello_reset(s);
	}
}

/* mcp_hello_init_cb - the answer to initialize */
static void
mcp_hello_init_cb(struct mcp_rpc *r, struct mcp_rpc_reply *rep, void *arg)
{
	struct mcp_server	*s = arg;
	const cJSON		*pv, *caps;

	(void)r;
	if (rep->outcome == MCP_RPC_CLOSED)
		return;		/* the reap says why */
	if (rep->outcome != MCP_RPC_RESULT || !cJSON_IsObject(rep->result)) {
		mcp_hello_failed(s, "initialize", rep);
		return;
	}
	pv = cJSON_GetObjectItemCaseSensitive(rep->result, "protocolVersion");
	if (!cJSON_IsString(pv) || !mcp_hello_version_ok(pv->valuestring)) {
		mcp_server_broke(s, "initialize: protocol version '%.32s' is "
		    "not supported (corral speaks 2025-11-25, 2025-06-18, "
		    "2025-03-26 and 2024-11-05)", cJSON_IsString(pv) ?
		    pv->valuestring : "");
		return;
	}
	free(s->protocol_version);
	s->protocol_version = xstrdup(pv->valuestring);
	cJSON_Delete(s->server_info);
	s->server_info = mcp_hello_info(cJSON_GetObjectItemCaseSensitive(
	    rep->result, "serverInfo"));
	if (mcp_rpc_notify(s->rpc, "notifications/initialized", NULL) == -1) {
		mcp_server_broke(s, "notifications/initialized: %s",
		    mcp_rpc_why(s->rpc));
		return;
	}
	caps = cJSON_GetObjectItemCaseSensitive(rep->result, "capabilities");
	if (cJSON_GetObjectItemCaseSensitive(caps, "tools") == NULL) {
		log_info("server %s: offers no tools", s->conf->name);
		s->next_tools = cJSON_CreateArray();
		mcp_server_ready(s);
		return;
	}
	mcp_hello_list(s, NULL);
}

/* mcp_hello_add - the valid tools of one page into next_tools */
static void
mcp_hello_add(struct mcp_server *s, cJSON *page)
{
	const cJSON	*name, *t;
	cJSON		*tool;
	int		 dup;

	while ((tool = page->child) != NULL) {
		cJSON_DetachItemViaPointer(page, tool);
		name = cJSON_GetObjectItemCaseSensitive(tool, "name");
		if (!cJSON_IsString(name) || name->valuestring[0] == '\0') {
			log_warnx("server %s: tools/list: a tool without a "
			    "name skipped", s->conf->name);
			cJSON_Delete(tool);
			continue;
		}
		dup = 0;
		cJSON_ArrayForEach(t, s->next_tools)
			if (strcmp(cJSON_GetObjectItemCaseSensitive(t,
			    "name")->valuestring, name->valuestring) == 0)
				dup = 1;
		if (dup || cJSON_GetArraySize(s->next_tools) >=
		    MCP_SERVER_TOOLS_MAX) {
			log_warnx("server %s: tools/list: tool %.64s skipped "
			    "(%s)", s->conf->name, name->valuestring, dup ?
			    "listed twice" : "too many tools");
			cJSON_Delete(tool);
			continue;
		}
		cJSON_AddItemToArray(s->next_tools, tool);
	}
}

/* mcp_hello_list_cb - the answer to one tools/list page */
static void
mcp_hello_list_cb(struct mcp_rpc *r, struct mcp_rpc_reply *rep, void *arg)
{
	struct mcp_server	*s = arg;
	const cJSON		*cur;
	cJSON			*page;

	(void)r;
	if (rep->outcome == MCP_RPC_CLOSED) {
		mcp_hello_reset(s);
		return;
	}
	if (rep->outcome != MCP_RPC_RESULT || !cJSON_IsObject(rep->result)) {
		mcp_hello_failed(s, "tools/list", rep);
		return;
	}
	page = cJSON_GetObjectItemCaseSensitive(rep->result, "tools");
	if (!cJSON_IsArray(page)) {
		if (s->state == MCP_STARTING)
			mcp_server_broke(s, "tools/list: the result has no "
			    "tools array");
		else {
			log_warnx("server %s: tools/list: the result has no "
			    "tools array", s->conf->name);
			mcp_hello_reset(s);
		}
		return;
	}
	mcp_hello_add(s, page);
	cur = cJSON_GetObjectItemCaseSensitive(rep->result, "nextCursor");
	if (cJSON_IsString(cur) && cur->valuestring[0] != '\0') {
		if (s->pages >= MCP_SERVER_PAGES_MAX) {
			if (s->state == MCP_STARTING)
				mcp_server_broke(s, "tools/list: more than %d "
				    "pages", MCP_SERVER_PAGES_MAX);
			else
				mcp_hello_reset(s);
			return;
		}
		mcp_hello_list(s, cur->valuestring);
		return;
	}
	s->listing = 0;
	if (s->state == MCP_STARTING) {
		mcp_server_ready(s);
		return;
	}
	cJSON_Delete(s->tools);
	s->tools = s->next_tools;
	s->next_tools = NULL;
	log_info("server %s: the tool list changed: %d tools", s->conf->name,
	    cJSON_GetArraySize(s->tools));
	if (s->relist) {
		s->relist = 0;
		mcp_hello_list(s, NULL);
	}
}

/* mcp_hello_list - ask for a page of tools (the first if cursor is NULL) */
static void
mcp_hello_list(struct mcp_server *s, const char *cursor)
{
	cJSON	*params = NULL;

	if (cursor == NULL) {
		cJSON_Delete(s->next_tools);
		s->next_tools = cJSON_CreateArray();
		s->pages = 0;
	} else {
		params = cJSON_CreateObject();
		cJSON_AddStringToObject(params, "cursor", cursor);
	}
	s->listing = 1;
	s->pages++;
	if (mcp_rpc_request(s->rpc, "tools/list", params,
	    mcp_hello_timeout_ms(s), mcp_hello_list_cb, s) == -1) {
		if (s->state == MCP_STARTING)
			mcp_server_broke(s, "tools/list: %s",
			    mcp_rpc_why(s->rpc));
		else
			mcp_hello_reset(s);
	}
}

/* mcp_hello_begin - send initialize on the new session */
void
mcp_hello_begin(struct mcp_server *s)
{
	cJSON	*p, *ci;

	mcp_hello_reset(s);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "protocolVersion", MCP_SERVER_PROTOCOL);
	cJSON_AddObjectToObject(p, "capabilities");
	ci = cJSON_AddObjectToObject(p, "clientInfo");
	cJSON_AddStringToObject(ci, "name", "corral");
	cJSON_AddStringToObject(ci, "version", CORRAL_VERSION);
	if (mcp_rpc_request(s->rpc, "initialize", p,
	    mcp_hello_timeout_ms(s), mcp_hello_init_cb, s) == -1)
		mcp_server_broke(s, "initialize: %s", mcp_rpc_why(s->rpc));
}

/* mcp_hello_notify - a notification from the server */
void
mcp_hello_notify(struct mcp_rpc *r, const char *method, const cJSON *params,
    void *arg)
{
	struct mcp_server	*s = arg;

	(void)r;
	(void)params;
	if (strcmp(method, "notifications/tools/list_changed") != 0) {
		log_debug("server %s: %.64s ignored", s->conf->name, method);
		return;
	}
	if (s->state != MCP_READY)
		return;		/* the listing under way will do */
	if (s->listing) {
		s->relist = 1;
		return;
	}
	log_debug("server %s: the tool list changed; listing again",
	    s->conf->name);
	mcp_hello_list(s, NULL);
}
