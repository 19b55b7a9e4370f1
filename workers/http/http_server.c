/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_server - the http worker's evhttp server and its life
 * SYNOPSIS
 *	#include "http_server.h"
 * DESCRIPTION
 *	http_server_init() runs after MSG_CONFIG and before the sandbox. It
 *	reads the auth settings, opens the listening socket on "bind" and
 *	sets up evhttp on the worker's event base: every method reaches our
 *	router (so an unknown one gets a JSON 405, not libevent's 501),
 *	headers are bounded by HTTP_HEADERS_MAX, bodies by http_body_limit,
 *	and a connection that stays silent (reading or writing) for
 *	http_timeout seconds is closed. The tokens are then wiped from
 *	rt->config: only their digests stay in this process.
 *
 *	metrics_auth says whether GET /metrics needs a token (bearer, the
 *	default: the read-only or the admin token) or not (none).
 *
 *	http_server_reload() takes the auth mode, the tokens, metrics_auth
 *	and the limits from the new rt->config. The listening socket stays
 *	where it is; a changed bind is logged as needing a restart of the
 *	worker. The request counters of /metrics (srv->metrics) live from
 *	init to fini, across reloads.
 *
 *	http_server_drain() marks the server draining: /readyz answers 503
 *	at once and methods other than GET and HEAD get 503 "draining".
 *
 *	http_server_shutdown() closes the listening socket, so nothing new
 *	connects, ends the replies that stream (a followed log: they end
 *	as if the log had), and waits for the requests in flight (answered
 *	replies not yet written included), at most shutdown_timeout
 *	seconds less HTTP_STOP_MARGIN_MS, so the worker is gone before the
 *	master's own deadline. Replies sent meanwhile say Connection:
 *	close. Then it frees evhttp, which closes idle keep-alive
 *	connections and any request still unanswered, and leaves with exit
 *	code 0. The leaving runs from an event of its own, never from
 *	inside evhttp's callbacks, which still use the connection after
 *	calling us.
 *
 *	http_server_fini() frees what is left after the loop has ended.
 * DIAGNOSTICS
 *	Init failures are logged once and returned as WORKER_EXIT_PERMANENT
 *	(a bad auth_mode or metrics_auth, a malformed or unknown address,
 *	EACCES) or WORKER_EXIT_TEMPORARY (the address is in use, or evhttp
 *	cannot use the socket). A reload with a bad auth_mode or metrics_auth keeps
 *	the old settings.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>

#include "log.h"
#include "worker.h"
#include "xmalloc.h"

#include "http_api.h"
#include "http_auth.h"
#include "http_call.h"
#include "http_listen.h"
#include "http_metrics.h"
#include "http_server.h"
#include "http_status.h"

#define HTTP_BIND_DEFAULT	"127.0.0.1:4000"
#define HTTP_BODY_LIMIT_DEFAULT	(1024 * 1024)
#define HTTP_TIMEOUT_DEFAULT	30		/* seconds */
#define HTTP_TIMEOUT_MAX	86400
#define HTTP_SHUTDOWN_DEFAULT	10		/* seconds */
#define HTTP_STOP_MARGIN_MS	500
#define HTTP_HEADERS_MAX	(32 * 1024)
#define HTTP_METHODS_ALL	(EVHTTP_REQ_GET | EVHTTP_REQ_POST | \
	EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | \
	EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | \
	EVHTTP_REQ_PATCH)

static const char *const http_server_secrets[] = {
	"admin_token", "readonly_token"
};

/* http_server_auth - auth mode and tokens from rt->config; -1 if bad */
static int
http_server_auth(struct http_server *srv)
{
	struct worker_rt	*rt = srv->rt;
	const char		*mode, *metrics;

	metrics = worker_config_str(rt, "metrics_auth", "bearer");
	if (strcmp(metrics, "bearer") != 0 && strcmp(metrics, "none") != 0) {
		log_warnx("metrics_auth \"%s\": want bearer or none", metrics);
		return (-1);
	}
	mode = worker_config_str(rt, "auth_mode", "bearer");
	if (http_auth_set(&srv->auth, mode,
	    worker_config_str(rt, "admin_token", NULL),
	    worker_config_str(rt, "readonly_token", NULL)) == -1) {
		log_warnx("auth_mode \"%s\": want bearer or none", mode);
		return (-1);
	}
	if (srv->auth.mode == HTTP_AUTH_MODE_BEARER && !srv->auth.has_admin)
		log_warnx("auth_mode bearer without an admin_token: "
		    "every /v1 request will get 401");
	srv->metrics_open = strcmp(metrics, "none") == 0;
	return (0);
}

/* http_server_scrub - wipe the tokens from rt->config: digests suffice */
static void
http_server_scrub(struct worker_rt *rt)
{
	cJSON	*item;
	size_t	 i;

	for (i = 0; i < sizeof(http_server_secrets) /
	    sizeof(http_server_secrets[0]); i++) {
		item = cJSON_GetObjectItemCaseSensitive(rt->config,
		    http_server_secrets[i]);
		if (cJSON_IsString(item) && item->valuestring != NULL)
			explicit_bzero(item->valuestring,
			    strlen(item->valuestring));
		cJSON_DeleteItemFromObjectCaseSensitive(rt->config,
		    http_server_secrets[i]);
	}
}

/* http_server_limits - body limit and timeout from rt->config */
static void
http_server_limits(struct http_server *srv)
{
	long	limit, secs;

	limit = worker_config_int(srv->rt, "http_body_limit",
	    HTTP_BODY_LIMIT_DEFAULT);
	secs = worker_config_int(srv->rt, "http_timeout",
	    HTTP_TIMEOUT_DEFAULT);
	if (limit < 1) {
		log_warnx("http_body_limit %ld: using %d", limit,
		    HTTP_BODY_LIMIT_DEFAULT);
		limit = HTTP_BODY_LIMIT_DEFAULT;
	}
	if (secs < 1 || secs > HTTP_TIMEOUT_MAX) {
		log_warnx("http_timeout %ld: using %d", secs,
		    HTTP_TIMEOUT_DEFAULT);
		secs = HTTP_TIMEOUT_DEFAULT;
	}
	srv->body_limit = (size_t)limit;
	srv->timeout_s = (int)secs;
	evhttp_set_max_body_size(srv->http, (ev_ssize_t)limit);
	evhttp_set_timeout(srv->http, (int)secs);
}

/* http_server_leave - free evhttp and end the worker's loop */
static void
http_server_leave(struct http_server *srv)
{
	if (srv->finishing)
		return;
	srv->finishing = 1;
	if (srv->deadline != NULL)
		evtimer_del(srv->deadline);
	if (srv->nlive > 0)
		log_warnx("shutdown: closing %d unfinished request%s",
		    srv->nlive, srv->nlive == 1 ? "" : "s");
	if (srv->http != NULL) {
		evhttp_free(srv->http);
		srv->http = NULL;
		srv->bound = NULL;
	}
	log_debug("server closed");
	worker_exit(srv->rt, WORKER_EXIT_OK);
}

/* http_server_finish_cb - the last call ended: leave, outside evhttp */
static void
http_server_finish_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_server_leave(arg);
}

/* http_server_deadline_cb - shutdown_timeout is over: leave anyway */
static void
http_server_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_server_leave(arg);
}

/* http_server_evhttp - evhttp on fd, our router behind it; -1 on failure */
static int
http_server_evhttp(struct http_server *srv, int fd)
{
	if ((srv->http = evhttp_new(srv->rt->base)) == NULL)
		fatalx("%s: evhttp_new", __func__);
	if ((srv->bound = evhttp_accept_socket_with_handle(srv->http,
	    fd)) == NULL) {
		evhttp_free(srv->http);
		srv->http = NULL;
		return (-1);
	}
	evhttp_set_allowed_methods(srv->http, HTTP_METHODS_ALL);
	evhttp_set_max_headers_size(srv->http, HTTP_HEADERS_MAX);
	evhttp_set_gencb(srv->http, http_api_request_cb, srv);
	http_server_limits(srv);
	return (0);
}

/* http_server_init - bind, set up evhttp; 0 or a WORKER_EXIT_* code */
int
http_server_init(struct worker_rt *rt)
{
	struct http_server	*srv;
	const struct http_route	*routes;
	const char		*bind;
	size_t			 nroutes;
	int			 fd, code;

	srv = xcalloc(1, sizeof(*srv));
	srv->rt = rt;
	TAILQ_INIT(&srv->calls);
	if (http_server_auth(srv) == -1) {
		free(srv);
		return (WORKER_EXIT_PERMANENT);
	}
	bind = worker_config_str(rt, "bind", HTTP_BIND_DEFAULT);
	if ((fd = http_listen_open(bind, &code)) == -1) {
		http_auth_clear(&srv->auth);
		free(srv);
		return (code);
	}
	if (http_server_evhttp(srv, fd) == -1) {
		log_warnx("%s: evhttp cannot accept on %s", __func__, bind);
		close(fd);
		http_auth_clear(&srv->auth);
		free(srv);
		return (WORKER_EXIT_TEMPORARY);
	}
	if ((srv->finish = event_new(rt->base, -1, 0, http_server_finish_cb,
	    srv)) == NULL)
		fatalx("%s: event_new", __func__);
	srv->bind = xstrdup(bind);
	routes = http_api_routes(&nroutes);
	srv->metrics = http_metrics_new(routes, nroutes);
	rt->priv = srv;
	http_server_scrub(rt);
	return (0);
}

/* http_server_reload - take tokens, auth mode and limits from rt->config */
void
http_server_reload(struct worker_rt *rt)
{
	struct http_server	*srv = rt->priv;
	const char		*bind;

	if (srv == NULL)
		return;
	bind = worker_config_str(rt, "bind", HTTP_BIND_DEFAULT);
	if (strcmp(bind, srv->bind) != 0)
		log_warnx("reload: bind %s takes a restart of the http worker; "
		    "still on %s", bind, srv->bind);
	if (http_server_auth(srv) == -1)
		log_warnx("reload: keeping the previous auth settings");
	if (srv->http != NULL)
		http_server_limits(srv);
	http_server_scrub(rt);
	log_info("reloaded: auth_mode %s, metrics_auth %s, body limit %zu "
	    "bytes", srv->auth.mode == HTTP_AUTH_MODE_NONE ? "none" : "bearer",
	    srv->metrics_open ? "none" : "bearer", srv->body_limit);
}

/* http_server_drain - shutdown has begun: refuse changes, fail /readyz */
void
http_server_drain(struct worker_rt *rt)
{
	struct http_server	*srv = rt->priv;

	if (srv == NULL || srv->draining)
		return;
	srv->draining = 1;
	log_info("draining: /readyz fails, changes are refused");
}

/* http_server_shutdown - stop accepting, finish what runs, then leave */
void
http_server_shutdown(struct worker_rt *rt)
{
	struct http_server	*srv = rt->priv;
	struct timeval		 tv;
	long			 ms;

	if (srv == NULL) {
		worker_exit(rt, WORKER_EXIT_OK);
		return;
	}
	if (srv->stopping)
		return;
	srv->stopping = srv->draining = 1;
	if (srv->bound != NULL) {
		evhttp_del_accept_socket(srv->http, srv->bound);
		srv->bound = NULL;
	}
	http_call_stop_all(srv);
	if (srv->nlive == 0) {
		event_active(srv->finish, EV_TIMEOUT, 0);
		return;
	}
	ms = worker_config_int(rt, "shutdown_timeout", HTTP_SHUTDOWN_DEFAULT) *
	    1000 - HTTP_STOP_MARGIN_MS;
	if (ms < HTTP_STOP_MARGIN_MS)
		ms = HTTP_STOP_MARGIN_MS;
	log_info("shutting down: waiting up to %ldms for %d request%s", ms,
	    srv->nlive, srv->nlive == 1 ? "" : "s");
	if ((srv->deadline = evtimer_new(rt->base, http_server_deadline_cb,
	    srv)) == NULL)
		fatalx("%s: evtimer_new", __func__);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(srv->deadline, &tv);
}

/* http_server_idle - a call ended; leave if that was the last one */
void
http_server_idle(struct http_server *srv)
{
	if (srv->stopping && !srv->finishing && srv->nlive == 0 &&
	    srv->finish != NULL)
		event_active(srv->finish, EV_TIMEOUT, 0);
}

/* http_server_fini - free everything init made */
void
http_server_fini(struct worker_rt *rt)
{
	struct http_server	*srv = rt->priv;

	if (srv == NULL)
		return;
	srv->finishing = 1;
	if (srv->http != NULL)
		evhttp_free(srv->http);	/* ends every live call */
	srv->http = NULL;
	http_call_orphan_all(srv);
	http_status_orphan(srv);
	if (srv->deadline != NULL)
		event_free(srv->deadline);
	if (srv->finish != NULL)
		event_free(srv->finish);
	http_auth_clear(&srv->auth);
	http_metrics_free(srv->metrics);
	free(srv->bind);
	free(srv);
	rt->priv = NULL;
}
