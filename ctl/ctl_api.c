/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_api - call the corral API: URL, token, errors, exit codes
 * SYNOPSIS
 *	See ctl_api.h.
 * DESCRIPTION
 *	The one place that turns transport results and HTTP statuses into
 *	corralctl's messages and exit codes, so every command reports a
 *	refused connection, a 404 or a missing token the same way.
 *
 *	The token is looked up only when a /v1 path is first called:
 *	/healthz and /readyz need none, and a command that never reaches
 *	/v1 should not fail over a token it would not send.
 * DIAGNOSTICS
 *	"corralctl: cannot connect to URL: why" and "corralctl: no answer
 *	from URL: why" (exit 3); "corralctl: <status>: <message>" for an
 *	error answer (exit 1); a bad --url, CORRAL_URL or token source is
 *	a usage error (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl.h"
#include "ctl_api.h"
#include "ctl_fmt.h"
#include "ctl_token.h"
#include "engines_view.h"
#include "http_client.h"
#include "http_resp.h"
#include "http_url.h"

static int	ctl_api_token(struct ctl *);
static void	ctl_api_hint(const struct ctl *, int);
static int	ctl_api_do(struct ctl *, const char *, const char *,
		    const char *, size_t, int, http_resp_sink *, void *,
		    struct ctl_reply *);

/* ctl_api_init - settle the server URL; CTL_EXIT_OK or CTL_EXIT_USAGE */
int
ctl_api_init(struct ctl *ctl)
{
	const char	*s, *src;
	char		 err[128];

	if (ctl->url != NULL)
		return (CTL_EXIT_OK);
	if ((s = ctl->url_arg) != NULL)
		src = "--url";
	else if ((s = getenv("CORRAL_URL")) != NULL && *s != '\0')
		src = "CORRAL_URL";
	else {
		s = CTL_DEFAULT_URL;
		src = "default URL";
	}
	if (http_url_parse(s, &ctl->url, err, sizeof(err)) == -1)
		return (ctl_usage(NULL, "%s: %s", src, err));
	/* Messages name the server as given, minus any trailing slash. */
	ctl->url_str = ctl_fmt_clean(s);
	while (strlen(ctl->url_str) > 7 &&
	    ctl->url_str[strlen(ctl->url_str) - 1] == '/')
		ctl->url_str[strlen(ctl->url_str) - 1] = '\0';
	return (CTL_EXIT_OK);
}

/* ctl_api_token - look the token up once; CTL_EXIT_OK or _USAGE */
static int
ctl_api_token(struct ctl *ctl)
{
	char	err[256];

	if (ctl->token_done)
		return (CTL_EXIT_OK);
	if (ctl_token_load(ctl->token_file, &ctl->token, &ctl->token_note,
	    err, sizeof(err)) == -1) {
		ctl_errx("%s", err);
		return (CTL_EXIT_USAGE);
	}
	ctl->token_done = 1;
	return (CTL_EXIT_OK);
}

/* ctl_api_call - one request, any answer; an exit code */
int
ctl_api_call(struct ctl *ctl, const char *method, const char *path, int flags,
    struct ctl_reply *rep)
{
	return (ctl_api_do(ctl, method, path, NULL, 0, flags, NULL, NULL,
	    rep));
}

/* ctl_api_do - one request with an optional body and sink, any answer */
static int
ctl_api_do(struct ctl *ctl, const char *method, const char *path,
    const char *body, size_t bodylen, int flags, http_resp_sink *sink,
    void *arg, struct ctl_reply *rep)
{
	struct http_request	 req;
	double			 ms;
	int			 rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = ctl_api_init(ctl)) != CTL_EXIT_OK)
		return (rc);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = path;
	req.body = body;
	req.bodylen = body != NULL ? bodylen : 0;
	req.sink = sink;
	req.sink_arg = arg;
	if (strncmp(path, "/v1/", 4) == 0 || strcmp(path, "/v1") == 0) {
		if ((rc = ctl_api_token(ctl)) != CTL_EXIT_OK)
			return (rc);
		if (ctl->token != NULL)
			req.bearer = ctl->token->value;
	}
	ms = ctl->timeout * 1000;
	rc = http_client_do(ctl->url, &req, ms < 1 ? 1 : (int)ms, &rep->resp,
	    rep->err, sizeof(rep->err));
	if (rc != HTTP_CLIENT_OK) {
		if (!(flags & CTL_API_QUIET))
			ctl_errx("%s %s: %s", rc == HTTP_CLIENT_ECONNECT ?
			    "cannot connect to" : "no answer from",
			    ctl->url_str, rep->err);
		return (CTL_EXIT_CONNECT);
	}
	rep->status = rep->resp->status;
	rep->reason = rep->resp->reason;
	if (rep->resp->bodylen > 0)
		rep->json = cJSON_ParseWithLength(rep->resp->body,
		    rep->resp->bodylen);
	return (CTL_EXIT_OK);
}

/* ctl_api_errmsg - "<status>: <message>" from an error answer */
char *
ctl_api_errmsg(int status, const char *reason, const cJSON *body)
{
	const cJSON	*e, *m;
	const char	*msg = NULL;
	char		*out;

	e = cJSON_GetObjectItemCaseSensitive(body, "error");
	if ((m = cJSON_GetObjectItemCaseSensitive(e, "message")) != NULL &&
	    cJSON_IsString(m) && *m->valuestring != '\0')
		msg = m->valuestring;
	else if ((m = cJSON_GetObjectItemCaseSensitive(e, "code")) != NULL &&
	    cJSON_IsString(m) && *m->valuestring != '\0')
		msg = m->valuestring;
	else if (reason != NULL && *reason != '\0')
		msg = reason;
	else
		msg = "error";
	xasprintf(&out, "%d: %s", status, msg);
	return (out);
}

/* ctl_api_hint - a second line on 401 or 403 saying which token was used */
static void
ctl_api_hint(const struct ctl *ctl, int status)
{
	if (status != 401 && status != 403)
		return;
	if (ctl->token == NULL && ctl->token_note != NULL)
		ctl_errx("%s", ctl->token_note);
	else if (ctl->token != NULL && status == 401)
		ctl_errx("the token from %s was refused", ctl->token->source);
	else if (ctl->token != NULL)
		ctl_errx("the token from %s may not do this (read-only?)",
		    ctl->token->source);
}

/* ctl_api_check - OK for 2xx with JSON, else print and CTL_EXIT_FAIL */
int
ctl_api_check(struct ctl *ctl, const struct ctl_reply *rep)
{
	char	*msg;

	if (rep->status >= 200 && rep->status < 300) {
		if (rep->json != NULL)
			return (CTL_EXIT_OK);
		ctl_errx("%d: the answer from %s is not JSON", rep->status,
		    ctl->url_str);
		return (CTL_EXIT_FAIL);
	}
	msg = ctl_api_errmsg(rep->status, rep->reason, rep->json);
	ctl_errx("%s", msg);
	free(msg);
	ctl_api_hint(ctl, rep->status);
	return (CTL_EXIT_FAIL);
}

/* ctl_api_fetch - call and check; the caller owns *jsonp */
int
ctl_api_fetch(struct ctl *ctl, const char *method, const char *path,
    cJSON **jsonp)
{
	struct ctl_reply	rep;
	int			rc;

	*jsonp = NULL;
	if ((rc = ctl_api_call(ctl, method, path, 0, &rep)) == CTL_EXIT_OK &&
	    (rc = ctl_api_check(ctl, &rep)) == CTL_EXIT_OK) {
		*jsonp = rep.json;
		rep.json = NULL;
	}
	ctl_api_reply_free(&rep);
	return (rc);
}

/* ctl_api_send - ctl_api_fetch with a JSON request body */
int
ctl_api_send(struct ctl *ctl, const char *method, const char *path,
    const char *body, size_t len, cJSON **jsonp)
{
	struct ctl_reply	rep;
	int			rc;

	*jsonp = NULL;
	if ((rc = ctl_api_do(ctl, method, path, body, len, 0, NULL, NULL,
	    &rep)) == CTL_EXIT_OK &&
	    (rc = ctl_api_check(ctl, &rep)) == CTL_EXIT_OK) {
		*jsonp = rep.json;
		rep.json = NULL;
	}
	ctl_api_reply_free(&rep);
	return (rc);
}

/* ctl_api_stream - GET path, a 2xx body to sink as it comes; exit code */
int
ctl_api_stream(struct ctl *ctl, const char *path, http_resp_sink *sink,
    void *arg)
{
	struct ctl_reply	rep;
	int			rc;

	if ((rc = ctl_api_do(ctl, "GET", path, NULL, 0, 0, sink, arg,
	    &rep)) == CTL_EXIT_OK && (rep.status < 200 || rep.status >= 300))
		rc = ctl_api_check(ctl, &rep);
	ctl_api_reply_free(&rep);
	return (rc);
}

/* ctl_api_log_sink - a piece of the log to stdout, at once */
static int
ctl_api_log_sink(void *arg, const char *buf, size_t len)
{
	return (engines_view_log_write(arg, stdout, buf, len));
}

/* ctl_api_log - GET path, a log: its text to stdout as it comes; exit code */
int
ctl_api_log(struct ctl *ctl, const char *path)
{
	struct engines_view_log	log;

	engines_view_log_init(&log, isatty(STDOUT_FILENO));
	fflush(stdout);
	return (ctl_api_stream(ctl, path, ctl_api_log_sink, &log));
}

/* ctl_api_poll - GET path for a wait: 1 and *jsonp, 0 not yet, or -exit */
int
ctl_api_poll(struct ctl *ctl, const char *path, cJSON **jsonp, char *last,
    size_t lastlen)
{
	struct ctl_reply	rep;
	int			rc;

	rc = ctl_api_call(ctl, "GET", path, CTL_API_QUIET, &rep);
	if (rc == CTL_EXIT_USAGE)
		rc = -rc;
	else if (rc != CTL_EXIT_OK) {
		if (last != NULL)
			snprintf(last, lastlen, "%s", rep.err);
		rc = 0;
	} else if (rep.status == 502 || rep.status == 503 ||
	    rep.status == 504) {
		if (last != NULL)
			snprintf(last, lastlen, "HTTP %d", rep.status);
		rc = 0;		/* not yet: corral may be restarting */
	} else if (rep.status != 200 || !cJSON_IsObject(rep.json)) {
		rc = ctl_api_check(ctl, &rep);
		rc = -(rc == CTL_EXIT_OK ? CTL_EXIT_FAIL : rc);
	} else {
		cJSON_Delete(*jsonp);
		*jsonp = rep.json;
		rep.json = NULL;
		rc = 1;
	}
	ctl_api_reply_free(&rep);
	return (rc);
}

/* ctl_api_reply_free - free what a call filled in */
void
ctl_api_reply_free(struct ctl_reply *rep)
{
	cJSON_Delete(rep->json);
	http_resp_free(rep->resp);
	rep->json = NULL;
	rep->resp = NULL;
	rep->reason = NULL;
}

/* ctl_api_cleanup - free the URL and the token */
void
ctl_api_cleanup(struct ctl *ctl)
{
	http_url_free(ctl->url);
	ctl->url = NULL;
	free(ctl->url_str);
	ctl->url_str = NULL;
	ctl_token_free(ctl->token);
	ctl->token = NULL;
	free(ctl->token_note);
	ctl->token_note = NULL;
	ctl->token_done = 0;
}
