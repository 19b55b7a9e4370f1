/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	ctl_api.h - call the corral API: URL, token, errors, exit codes
 * SYNOPSIS
 *	#include "ctl.h"
 *	#include "ctl_api.h"
 *
 *	int	ctl_api_init(struct ctl *ctl);
 *	int	ctl_api_call(struct ctl *ctl, const char *method,
 *		    const char *path, int flags, struct ctl_reply *rep);
 *	int	ctl_api_check(struct ctl *ctl, const struct ctl_reply *rep);
 *	int	ctl_api_fetch(struct ctl *ctl, const char *method,
 *		    const char *path, cJSON **jsonp);
 *	int	ctl_api_send(struct ctl *ctl, const char *method,
 *		    const char *path, const char *body, size_t len,
 *		    cJSON **jsonp);
 *	int	ctl_api_stream(struct ctl *ctl, const char *path,
 *		    http_resp_sink *sink, void *arg);
 *	int	ctl_api_log(struct ctl *ctl, const char *path);
 *	int	ctl_api_poll(struct ctl *ctl, const char *path, cJSON **jsonp,
 *		    char *last, size_t lastlen);
 *	char	*ctl_api_errmsg(int status, const char *reason,
 *		    const cJSON *body);
 *	void	ctl_api_reply_free(struct ctl_reply *rep);
 *	void	ctl_api_cleanup(struct ctl *ctl);
 * DESCRIPTION
 *	ctl_api_init settles the server URL (--url, else $CORRAL_URL,
 *	else CTL_DEFAULT_URL); it runs once, on the first call. It returns
 *	CTL_EXIT_OK or CTL_EXIT_USAGE after printing why.
 *
 *	ctl_api_call sends METHOD PATH (PATH already escaped) and fills
 *	rep with whatever the server answered, any status: rep->json is
 *	the body parsed, or NULL when it is not JSON. Paths under /v1 get
 *	the bearer token, found on first need with ctl_token_load. It
 *	returns CTL_EXIT_OK when there is an answer; CTL_EXIT_USAGE when
 *	the URL or an explicitly named token source is unusable; or
 *	CTL_EXIT_CONNECT when there is no answer. Failures are printed
 *	unless flags has CTL_API_QUIET; rep->err says what happened
 *	either way. The caller frees rep with ctl_api_reply_free, always.
 *
 *	ctl_api_check returns CTL_EXIT_OK for a 2xx answer with a JSON
 *	body. Otherwise it prints "corralctl: <status>: <message>" (and on
 *	401 or 403 a second line about the token) and returns
 *	CTL_EXIT_FAIL.
 *
 *	ctl_api_fetch is call then check; on success the caller owns
 *	*jsonp. ctl_api_send is the same with a JSON request body of len
 *	bytes (which may hold a secret: the copies made on the way out are
 *	wiped; the caller wipes its own).
 *
 *	ctl_api_stream GETs path and hands the body of a 2xx answer to
 *	sink as it arrives (any content type: a log is text), waiting as
 *	long as the server keeps the answer open; an error answer is
 *	reported as ctl_api_check does. It returns CTL_EXIT_OK once the
 *	answer has ended, or the exit code of the failure. ctl_api_log
 *	streams a log (engines logs, runs logs) to stdout that way, each
 *	piece written at once and, on a terminal, cleaned of control
 *	characters (engines_view_log_write).
 *
 *	ctl_api_poll is one GET of a wait (engines launch, run --wait):
 *	quiet, and the answers that mean corral is restarting are "not
 *	yet". It returns 1 with the answer, a JSON object, in *jsonp (what
 *	was there is deleted); 0 for not yet, no answer or a 502, 503 or
 *	504, with why ("HTTP 503", or the transport's error) in last when
 *	last is not NULL; or minus the exit code after printing it, for
 *	any other answer (as ctl_api_check does) or a usage error.
 *
 *	ctl_api_errmsg returns (caller frees) "<status>: <message>", the
 *	message from an {"error":{"code","message"}} body, else its code,
 *	else the reason phrase.
 *
 *	ctl_api_cleanup frees what ctl_api_init and the token lookup made.
 */
#ifndef CORRAL_CTL_API_H
#define CORRAL_CTL_API_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "http_resp.h"

#define CTL_API_QUIET	0x01	/* print nothing on failure */

struct ctl;
struct http_resp;

struct ctl_reply {
	int			 status;	/* HTTP status, 0 if none */
	const char		*reason;	/* reason phrase */
	cJSON			*json;		/* parsed body or NULL */
	struct http_resp	*resp;
	char			 err[256];	/* why there is no answer */
};

/* ctl_api_init - settle the server URL; CTL_EXIT_OK or CTL_EXIT_USAGE */
int	 ctl_api_init(struct ctl *);

/* ctl_api_call - one request, any answer; an exit code */
int	 ctl_api_call(struct ctl *, const char *, const char *, int,
	    struct ctl_reply *);

/* ctl_api_check - OK for 2xx with JSON, else print and CTL_EXIT_FAIL */
int	 ctl_api_check(struct ctl *, const struct ctl_reply *);

/* ctl_api_fetch - call and check; the caller owns *jsonp */
int	 ctl_api_fetch(struct ctl *, const char *, const char *, cJSON **);

/* ctl_api_send - ctl_api_fetch with a JSON request body */
int	 ctl_api_send(struct ctl *, const char *, const char *, const char *,
	    size_t, cJSON **);

/* ctl_api_stream - GET path, a 2xx body to sink as it comes; exit code */
int	 ctl_api_stream(struct ctl *, const char *, http_resp_sink *, void *);

/* ctl_api_log - GET path, a log: its text to stdout as it comes; exit code */
int	 ctl_api_log(struct ctl *, const char *);

/* ctl_api_poll - GET path for a wait: 1 and *jsonp, 0 not yet, or -exit */
int	 ctl_api_poll(struct ctl *, const char *, cJSON **, char *, size_t);

/* ctl_api_errmsg - "<status>: <message>" from an error answer */
char	*ctl_api_errmsg(int, const char *, const cJSON *);

/* ctl_api_reply_free - free what a call filled in */
void	 ctl_api_reply_free(struct ctl_reply *);

/* ctl_api_cleanup - free the URL and the token */
void	 ctl_api_cleanup(struct ctl *);

#endif
