/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_priv.h - what eng_http.c and eng_http_req.c share: one
 *	request
 * SYNOPSIS
 *	int	eng_http_req_setup(struct eng_http_req *r,
 *		    const struct eng_http_opts *o);
 *	const char *eng_http_req_why(struct eng_http_req *r, CURLcode rc);
 * DESCRIPTION
 *	eng_http.c runs requests on the multi handle and the event loop;
 *	eng_http_req.c sets up a request's easy handle and holds curl's
 *	callbacks for it (headers, body). See eng_http.c for the states.
 * DIAGNOSTICS
 *	eng_http_req_setup returns -1 with the reason in r->early.
 */
#ifndef CORRAL_ENG_HTTP_PRIV_H
#define CORRAL_ENG_HTTP_PRIV_H

#include <sys/queue.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "eng_http.h"

#define ENG_HTTP_ERR_LEN	256
#define ENG_HTTP_APIVER_LEN	32
#define ENG_HTTP_WHERE_LEN	128

enum eng_http_state {
	ENG_HTTP_PENDING,	/* the start event is due */
	ENG_HTTP_ACTIVE,	/* running (or failing early) */
	ENG_HTTP_CANCELLED,	/* cancelled inside curl, to be reaped */
	ENG_HTTP_DONE		/* done is running */
};

struct eng_http_req {
	struct eng_http			*h;
	CURL				*easy;	/* NULL for eng_http_fail */
	struct curl_slist		*hdrs;
	struct event			*start;	/* while PENDING */
	enum eng_http_state		 state;
	int				 added;	/* in the multi handle */
	eng_http_data_fn		*data;
	eng_http_done_fn		*done;
	eng_http_free_fn		*on_free;
	void				*arg;
	char				*body;
	size_t				 len;
	size_t				 cap;
	size_t				 max;
	int				 streaming; /* -1 until the 1st write */
	int				 aborted;   /* data said stop */
	int				 toolarge;
	long				 timeout_ms;
	char				 where[ENG_HTTP_WHERE_LEN];
	char				 apiver[ENG_HTTP_APIVER_LEN];
	char				 early[ENG_HTTP_ERR_LEN];
	char				 err[ENG_HTTP_ERR_LEN];
	char				 errbuf[CURL_ERROR_SIZE];
	TAILQ_ENTRY(eng_http_req)	 entry;
};

/* eng_http_req_setup - the easy handle's options; 0, or -1 and r->early */
int		 eng_http_req_setup(struct eng_http_req *r,
		    const struct eng_http_opts *o);

/* eng_http_req_why - one line saying why the transfer failed */
const char	*eng_http_req_why(struct eng_http_req *r, CURLcode rc);

#endif
