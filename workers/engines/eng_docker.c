/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_docker - the Docker Engine API over eng_http
 * SYNOPSIS
 *	#include "eng_docker.h"
 * DESCRIPTION
 *	See eng_docker.h. Each call in flight is an eng_docker_call, on the
 *	client's list: it holds the caller's callbacks, and eng_http frees
 *	it (eng_http_on_free) whether the request ends, is cancelled by the
 *	caller through eng_http_cancel or goes with the client. A call is
 *	taken off the list before its caller's done runs, so that done may
 *	free the client.
 *
 *	Negotiation is two calls in a row, tracked by d->neg: /_ping, then
 *	/version. The server's ApiVersion comes from the /version JSON, or
 *	else from /_ping's Api-Version header; MinAPIVersion from the JSON
 *	when it has one.
 *
 *	The pure parts (endpoints, versions, errors, escaping) are in
 *	eng_docker_parse.c.
 * DIAGNOSTICS
 *	See eng_docker.h. A call that got no answer, a version we cannot
 *	speak and a call before negotiation all have code "unavailable".
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_docker.h"
#include "xmalloc.h"

#define ENG_DOCKER_NEG_MS	10000	/* each negotiation step */
#define ENG_DOCKER_MSG_LEN	512
#define ENG_DOCKER_VER_LEN	16

struct eng_docker_call {
	struct eng_docker		*d;	/* NULL once off the list */
	struct eng_http_req		*req;
	eng_http_data_fn		*data;
	eng_docker_fn			*done;
	void				*arg;
	TAILQ_ENTRY(eng_docker_call)	 entry;
};

struct eng_docker {
	struct eng_http			*h;
	struct eng_docker_ep		 ep;
	char				 version[ENG_DOCKER_VER_LEN];
	char				 server[64];
	char				 ping_api[ENG_DOCKER_VER_LEN];
	struct eng_http_req		*neg;	/* negotiation step */
	eng_docker_fn			*neg_done;
	void				*neg_arg;
	TAILQ_HEAD(, eng_docker_call)	 calls;
};

/* eng_docker_new - a Docker client on h at ep (copied) */
struct eng_docker *
eng_docker_new(struct eng_http *h, const struct eng_docker_ep *ep)
{
	struct eng_docker	*d;

	d = xcalloc(1, sizeof(*d));
	d->h = h;
	d->ep = *ep;
	TAILQ_INIT(&d->calls);
	return (d);
}

/* eng_docker_free - cancel what is under way and free d */
void
eng_docker_free(struct eng_docker *d)
{
	struct eng_docker_call	*c;

	if (d == NULL)
		return;
	while ((c = TAILQ_FIRST(&d->calls)) != NULL) {
		TAILQ_REMOVE(&d->calls, c, entry);
		c->d = NULL;
		eng_http_cancel(c->req);	/* frees c */
	}
	free(d);
}

/* eng_docker_call_free - eng_http lets go of a call: free it */
static void
eng_docker_call_free(void *arg)
{
	struct eng_docker_call	*c = arg;

	if (c->d != NULL)
		TAILQ_REMOVE(&c->d->calls, c, entry);
	free(c);
}

/* eng_docker_data_cb - a piece of a streamed body, to the caller */
static int
eng_docker_data_cb(const char *buf, size_t len, void *arg)
{
	struct eng_docker_call	*c = arg;

	return (c->data(buf, len, c->arg));
}

/* eng_docker_done_cb - an answer (or none): parse it, tell the caller */
static void
eng_docker_done_cb(const struct eng_http_resp *hr, void *arg)
{
	struct eng_docker_call	*c = arg;
	struct eng_docker_resp	 r;
	char			 msg[ENG_DOCKER_MSG_LEN];

	memset(&r, 0, sizeof(r));
	r.api_version = hr->api_version;
	if (hr->err != NULL) {
		r.code = "unavailable";
		snprintf(msg, sizeof(msg), "Docker at %s: %s",
		    c->d != NULL ? c->d->ep.display : "?", hr->err);
		r.message = msg;
	} else {
		r.status = hr->status;
		r.body = hr->body;
		if (hr->body != NULL && hr->body_len > 0)
			r.json = cJSON_ParseWithLength(hr->body, hr->body_len);
		if ((r.code = eng_docker_error(hr->status, hr->body, msg,
		    sizeof(msg))) != NULL)
			r.message = msg;
	}
	if (c->d != NULL) {		/* done may free the client */
		TAILQ_REMOVE(&c->d->calls, c, entry);
		c->d = NULL;
	}
	c->done(&r, c->arg);
	cJSON_Delete((cJSON *)(void *)r.json);
}

/* eng_docker_send - start method url_path (already versioned) */
static struct eng_http_req *
eng_docker_send(struct eng_docker *d, const char *method,
    const char *url_path, const cJSON *body, long timeout_ms,
    eng_http_data_fn *data, eng_docker_fn *done, void *arg,
    const char *fail)
{
	struct eng_docker_call	*c;
	struct eng_http_opts	 o;
	char			*url, *json = NULL;

	if (done == NULL)
		return (NULL);
	c = xcalloc(1, sizeof(*c));
	c->data = data;
	c->done = done;
	c->arg = arg;
	if (fail != NULL)
		c->req = eng_http_fail(d->h, fail, eng_docker_done_cb, c);
	else {
		memset(&o, 0, sizeof(o));
		xasprintf(&url, "%s%s", d->ep.base_url, url_path);
		if (body != NULL && (json = cJSON_PrintUnformatted(body)) ==
		    NULL) {
			free(url);
			free(c);
			return (NULL);
		}
		o.method = method;
		o.url = url;
		o.unix_path = d->ep.unix_path[0] != '\0' ? d->ep.unix_path :
		    NULL;
		o.body = json;
		o.body_len = json != NULL ? strlen(json) : 0;
		o.timeout_ms = timeout_ms;
		o.body_max = ENG_DOCKER_BODY_MAX;
		c->req = eng_http_start(d->h, &o, data != NULL ?
		    eng_docker_data_cb : NULL, eng_docker_done_cb, c);
		free(url);
		cJSON_free(json);
	}
	if (c->req == NULL) {
		free(c);
		return (NULL);
	}
	c->d = d;
	TAILQ_INSERT_TAIL(&d->calls, c, entry);
	eng_http_on_free(c->req, eng_docker_call_free);
	return (c->req);
}

/* eng_docker_call - one API call; NULL (done not called) if it cannot
 * even start */
struct eng_http_req *
eng_docker_call(struct eng_docker *d, const char *method, const char *path,
    const cJSON *body, long timeout_ms, eng_http_data_fn *data,
    eng_docker_fn *done, void *arg)
{
	struct eng_http_req	*req;
	char			*full;

	if (d == NULL || path == NULL || path[0] != '/')
		return (NULL);
	if (d->version[0] == '\0')
		return (eng_docker_send(d, method, path, body, timeout_ms,
		    data, done, arg, "not negotiated"));
	xasprintf(&full, "/v%s%s", d->version, path);
	req = eng_docker_send(d, method, full, body, timeout_ms, data, done,
	    arg, NULL);
	free(full);
	return (req);
}

/* eng_docker_neg_end - negotiation is over: tell its caller */
static void
eng_docker_neg_end(struct eng_docker *d, const struct eng_docker_resp *r)
{
	eng_docker_fn	*fn = d->neg_done;
	void		*arg = d->neg_arg;

	d->neg = NULL;
	d->neg_done = NULL;
	d->neg_arg = NULL;
	if (fn != NULL)
		fn(r, arg);		/* may free d */
}

/* eng_docker_version_done - /version answered: pick the version */
static void
eng_docker_version_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng_docker	*d = arg;
	struct eng_docker_resp	 fail;
	const cJSON		*api, *min, *ver;
	char			 why[256];

	if (r->code != NULL) {
		eng_docker_neg_end(d, r);
		return;
	}
	api = cJSON_GetObjectItemCaseSensitive(r->json, "ApiVersion");
	min = cJSON_GetObjectItemCaseSensitive(r->json, "MinAPIVersion");
	ver = cJSON_GetObjectItemCaseSensitive(r->json, "Version");
	if (eng_docker_pick_version(cJSON_IsString(api) ? api->valuestring :
	    d->ping_api[0] != '\0' ? d->ping_api : NULL,
	    cJSON_IsString(min) ? min->valuestring : NULL, d->version,
	    sizeof(d->version), why, sizeof(why)) == -1) {
		d->version[0] = '\0';
		fail = *r;
		fail.code = "unavailable";
		fail.message = why;
		eng_docker_neg_end(d, &fail);
		return;
	}
	if (cJSON_IsString(ver))
		snprintf(d->server, sizeof(d->server), "%s", ver->valuestring);
	eng_docker_neg_end(d, r);
}

/* eng_docker_ping_done - /_ping answered: ask /version */
static void
eng_docker_ping_done(const struct eng_docker_resp *r, void *arg)
{
	struct eng_docker	*d = arg;

	d->neg = NULL;
	if (r->code != NULL) {
		eng_docker_neg_end(d, r);
		return;
	}
	snprintf(d->ping_api, sizeof(d->ping_api), "%s",
	    r->api_version != NULL ? r->api_version : "");
	d->neg = eng_docker_send(d, "GET", "/version", NULL,
	    ENG_DOCKER_NEG_MS, NULL, eng_docker_version_done, d, NULL);
	if (d->neg == NULL)
		d->neg = eng_docker_send(d, "GET", "/version", NULL, 0, NULL,
		    eng_docker_version_done, d, "cannot ask /version");
}

/* eng_docker_negotiate - /_ping, /version, pick the API version */
void
eng_docker_negotiate(struct eng_docker *d, eng_docker_fn *done, void *arg)
{
	if (d->neg != NULL)
		eng_http_cancel(d->neg);	/* its caller is not told */
	d->neg = NULL;
	d->version[0] = '\0';
	d->server[0] = '\0';
	d->ping_api[0] = '\0';
	d->neg_done = done;
	d->neg_arg = arg;
	d->neg = eng_docker_send(d, "GET", "/_ping", NULL, ENG_DOCKER_NEG_MS,
	    NULL, eng_docker_ping_done, d, NULL);
	if (d->neg == NULL)
		d->neg = eng_docker_send(d, "GET", "/_ping", NULL, 0, NULL,
		    eng_docker_ping_done, d, "cannot ask /_ping");
}

/* eng_docker_version - the negotiated API version, or NULL */
const char *
eng_docker_version(const struct eng_docker *d)
{
	return (d->version[0] != '\0' ? d->version : NULL);
}

/* eng_docker_server_version - the server's own version string, or NULL */
const char *
eng_docker_server_version(const struct eng_docker *d)
{
	return (d->server[0] != '\0' ? d->server : NULL);
}
