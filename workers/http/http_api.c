/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_api - the route table and request dispatch of the http worker
 * SYNOPSIS
 *	#include "http_api.h"
 * DESCRIPTION
 *	http_api_request_cb() is called by evhttp once a request has been
 *	read whole. It starts a call (http_call.c) and takes the request
 *	through these checks, in order, answering the first that fails:
 *
 *	  400 bad_request	the request target has no absolute path
 *	  413 payload_too_large	the body is over http_body_limit (evhttp
 *				refuses most such bodies before we see them;
 *				see docs/api.md)
 *	  401 unauthorized	a path under /v1 without a valid token
 *				(and WWW-Authenticate: Bearer); /metrics
 *				without one, unless metrics_auth is none
 *	  404 not_found		no route has the path
 *	  405 method_not_allowed  routes have the path, not the method
 *				(and Allow: what they take)
 *	  403 forbidden		the token's role is too small (read-only
 *				token, method other than GET or HEAD)
 *	  503 draining		a method other than GET or HEAD once the
 *				daemon is shutting down
 *
 *	then calls the route's handler with call->arg set to the {name}
 *	segment (at most 63 characters, as a worker's or an engine's name,
 *	or a run's id, 64 for an MCP server's or a skill's, or 128 for a
 *	secret's name) and call->arg2
 *	to the {tool} segment of the one route that has two (an MCP tool's
 *	name, at most 128, a limit the {name} of that route shares).
 *	Authentication comes before routing under /v1, so a client without
 *	a token learns nothing about which paths exist. The one route
 *	outside /v1 that needs a token, GET /metrics, is checked once
 *	routed; metrics_auth = none makes it public (http_api_need).
 *
 *	The route is looked up first of all, so that every answer, a
 *	refusal too, is counted under its route pattern for /metrics
 *	(call->route); the lookup is a pure function of the table and
 *	tells the client nothing by itself.
 *
 *	GET /healthz is answered here from a constant, with no JSON tree,
 *	no bus traffic and no allocation but the call: it says the worker's
 *	loop runs, and is what load balancers and benchmarks hit.
 * DIAGNOSTICS
 *	None: every outcome is an HTTP status, logged at debug level.
 */
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "worker.h"

#include "http_api.h"
#include "http_auth.h"
#include "http_call.h"
#include "http_engines.h"
#include "http_gpu.h"
#include "http_master.h"
#include "http_mcp.h"
#include "http_metrics.h"
#include "http_reply.h"
#include "http_route.h"
#include "http_routes.h"
#include "http_runs.h"
#include "http_secrets.h"
#include "http_server.h"
#include "http_skills.h"

#define HTTP_API_ALLOW_MAX	96

static void	http_api_healthz(struct http_call *);

static const struct http_route http_api_table[] = {
	{ EVHTTP_REQ_GET, "/healthz", HTTP_ROLE_NONE, http_api_healthz, 0 },
	{ EVHTTP_REQ_GET, "/readyz", HTTP_ROLE_NONE, http_master_readyz, 0 },
	{ EVHTTP_REQ_GET, "/v1/runtime", HTTP_ROLE_READ,
	    http_master_runtime, 0 },
	{ EVHTTP_REQ_GET, "/v1/workers", HTTP_ROLE_READ,
	    http_master_workers, 0 },
	{ EVHTTP_REQ_GET, "/v1/workers/{name}", HTTP_ROLE_READ,
	    http_master_worker, 0 },
	{ EVHTTP_REQ_POST, "/v1/workers/{name}/restart", HTTP_ROLE_ADMIN,
	    http_master_restart, 0 },
	{ EVHTTP_REQ_GET, "/v1/secrets", HTTP_ROLE_READ,
	    http_secrets_list, 0 },
	{ EVHTTP_REQ_PUT, "/v1/secrets/{name}", HTTP_ROLE_ADMIN,
	    http_secrets_put, HTTP_SECRETS_NAME_MAX },
	{ EVHTTP_REQ_DELETE, "/v1/secrets/{name}", HTTP_ROLE_ADMIN,
	    http_secrets_delete, HTTP_SECRETS_NAME_MAX },
	{ EVHTTP_REQ_GET, "/v1/routes", HTTP_ROLE_READ, http_routes_list, 0 },
	{ EVHTTP_REQ_GET, "/v1/gpus", HTTP_ROLE_READ, http_gpu_sample, 0 },
	{ EVHTTP_REQ_GET, "/v1/gpus/history", HTTP_ROLE_READ,
	    http_gpu_history, 0 },
	{ EVHTTP_REQ_GET, "/v1/engines", HTTP_ROLE_READ, http_engines_list, 0 },
	{ EVHTTP_REQ_POST, "/v1/engines", HTTP_ROLE_ADMIN,
	    http_engines_launch, 0 },
	{ EVHTTP_REQ_GET, "/v1/engines/{name}", HTTP_ROLE_READ,
	    http_engines_get, 0 },
	{ EVHTTP_REQ_DELETE, "/v1/engines/{name}", HTTP_ROLE_ADMIN,
	    http_engines_delete, 0 },
	{ EVHTTP_REQ_GET, "/v1/engines/{name}/logs", HTTP_ROLE_READ,
	    http_engines_logs, 0 },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers", HTTP_ROLE_READ,
	    http_mcp_servers, 0 },
	{ EVHTTP_REQ_GET, "/v1/mcp/servers/{name}/tools", HTTP_ROLE_READ,
	    http_mcp_tools, HTTP_MCP_NAME_MAX },
	{ EVHTTP_REQ_POST, "/v1/mcp/servers/{name}/tools/{tool}/call",
	    HTTP_ROLE_ADMIN, http_mcp_call, HTTP_MCP_TOOL_MAX },
	{ EVHTTP_REQ_GET, "/v1/skills", HTTP_ROLE_READ, http_skills_list, 0 },
	{ EVHTTP_REQ_GET, "/v1/skills/{name}", HTTP_ROLE_READ,
	    http_skills_get, HTTP_SKILLS_NAME_MAX },
	{ EVHTTP_REQ_GET, "/v1/agents", HTTP_ROLE_READ, http_skills_agents, 0 },
	{ EVHTTP_REQ_GET, "/v1/runs", HTTP_ROLE_READ, http_runs_list, 0 },
	{ EVHTTP_REQ_POST, "/v1/runs", HTTP_ROLE_ADMIN, http_runs_submit, 0 },
	{ EVHTTP_REQ_GET, "/v1/runs/{id}", HTTP_ROLE_READ, http_runs_get, 0 },
	{ EVHTTP_REQ_GET, "/v1/runs/{id}/logs", HTTP_ROLE_READ,
	    http_runs_logs, 0 },
	{ EVHTTP_REQ_POST, "/v1/runs/{id}/cancel", HTTP_ROLE_ADMIN,
	    http_runs_cancel, 0 },
	{ EVHTTP_REQ_GET, "/metrics", HTTP_ROLE_READ, http_metrics_serve, 0 },
};

#define HTTP_API_NROUTES \
	(sizeof(http_api_table) / sizeof(http_api_table[0]))

static const char http_api_ok[] = "{\"status\":\"ok\"}";

/* http_api_routes - the route table and its length */
const struct http_route *
http_api_routes(size_t *n)
{
	*n = HTTP_API_NROUTES;
	return (http_api_table);
}

/* http_api_healthz - GET /healthz: the loop runs */
static void
http_api_healthz(struct http_call *call)
{
	http_reply_static(call, HTTP_ST_OK, http_api_ok);
}

/* http_api_is_v1 - is path under /v1, where a token is needed? */
static int
http_api_is_v1(const char *path)
{
	return (strncmp(path, "/v1", 3) == 0 &&
	    (path[3] == '\0' || path[3] == '/'));
}

/* http_api_unauthorized - 401 with the challenge */
static void
http_api_unauthorized(struct http_call *call)
{
	http_reply_header(call, "WWW-Authenticate", "Bearer realm=\"corral\"");
	http_reply_error(call, HTTP_ST_UNAUTHORIZED, "unauthorized",
	    "a valid bearer token is required");
}

/* http_api_no_route - 404, or 405 with what the path allows */
static void
http_api_no_route(struct http_call *call, int rc, const struct http_match *m)
{
	char	allow[HTTP_API_ALLOW_MAX];

	if (rc == HTTP_BADMETHOD) {
		http_route_allow(m->allow, allow, sizeof(allow));
		http_reply_header(call, "Allow", allow);
		http_reply_error(call, HTTP_ST_METHOD_NOT_ALLOWED,
		    "method_not_allowed", "%s is not allowed here; allowed: %s",
		    http_route_method_name(call->method), allow);
		return;
	}
	http_reply_error(call, HTTP_ST_NOT_FOUND, "not_found", "no such path");
}

/* http_api_need - the role a found route needs, metrics_auth applied */
static int
http_api_need(const struct http_server *srv, const struct http_route *r)
{
	if (r->fn == http_metrics_serve && srv->metrics_open)
		return (HTTP_ROLE_NONE);
	return (r->role);
}

/* http_api_permitted - role check of a found route; 0 if answered */
static int
http_api_permitted(struct http_call *call, int role, int need)
{
	switch (http_auth_permit(role, call->method, need)) {
	case HTTP_AUTH_OK:
		return (1);
	case HTTP_AUTH_FORBIDDEN:
		http_reply_error(call, HTTP_ST_FORBIDDEN, "forbidden",
		    "this token may only read (GET, HEAD)");
		return (0);
	default:
		http_api_unauthorized(call);
		return (0);
	}
}

/* http_api_request_cb - evhttp's callback for every request */
void
http_api_request_cb(struct evhttp_request *req, void *arg)
{
	struct http_server	*srv = arg;
	struct http_call	*call;
	struct http_match	 m;
	const struct evhttp_uri	*uri;
	const char		*path = NULL, *authz;
	int			 role = HTTP_ROLE_NONE, rc, need;

	call = http_call_new(srv, req);
	if ((uri = evhttp_request_get_evhttp_uri(req)) != NULL)
		path = evhttp_uri_get_path(uri);
	if (path == NULL || path[0] != '/') {
		http_reply_error(call, HTTP_ST_BAD_REQUEST, "bad_request",
		    "the request target is not an absolute path");
		return;
	}
	rc = http_route_find(http_api_table, HTTP_API_NROUTES, call->method,
	    path, &m);
	if (m.route != NULL)
		call->route = (int)(m.route - http_api_table);
	authz = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (evbuffer_get_length(evhttp_request_get_input_buffer(req)) >
	    srv->body_limit) {
		http_reply_error(call, HTTP_ST_PAYLOAD_TOO_LARGE,
		    "payload_too_large", "the body is over %zu bytes",
		    srv->body_limit);
		return;
	}
	if (http_api_is_v1(path) && (role = http_auth_role(&srv->auth,
	    authz)) == HTTP_ROLE_NONE) {
		http_api_unauthorized(call);
		return;
	}
	if (rc != 0) {
		http_api_no_route(call, rc, &m);
		return;
	}
	need = http_api_need(srv, m.route);
	if (!http_api_is_v1(path) && need != HTTP_ROLE_NONE)
		role = http_auth_role(&srv->auth, authz);
	if (!http_api_permitted(call, role, need))
		return;
	if (!http_route_is_safe(call->method) &&
	    (srv->draining || srv->rt->draining)) {
		http_reply_error(call, HTTP_ST_UNAVAILABLE, "draining",
		    "corral is shutting down");
		return;
	}
	memcpy(call->arg, m.arg, sizeof(call->arg));
	memcpy(call->arg2, m.arg2, sizeof(call->arg2));
	m.route->fn(call);
}
