/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_bus.h - ask another worker over the bus for an HTTP request
 * SYNOPSIS
 *	void	http_bus_ask(struct http_call *call, uint8_t dst,
 *		    uint16_t type, const cJSON *body, http_bus_fn *fn);
 *	void	http_bus_ask_ms(struct http_call *call, uint8_t dst,
 *		    uint16_t type, const cJSON *body, int timeout_ms,
 *		    http_bus_fn *fn);
 *	void	http_bus_ask_body(struct http_call *call, uint8_t dst,
 *		    uint16_t type, http_bus_body_fn *check, http_bus_fn *fn);
 *	cJSON	*http_bus_reply(struct http_call *call, struct frame *f,
 *		    int err, uint16_t want, const char *who);
 *	int	http_bus_status(const char *code);
 * DESCRIPTION
 *	http_bus_ask sends one request to worker dst through the master
 *	and arranges for fn to run with the answer; when the request
 *	cannot even be sent the client gets 503 unavailable at once.
 *	http_bus_ask_ms is the same with a timeout of timeout_ms instead
 *	of HTTP_BUS_TIMEOUT_MS.
 *
 *	http_bus_ask_body sends the request's body, as check makes it of
 *	the bytes (http_engines_launch_body, http_runs_submit_body), or
 *	answers 400 bad_request with check's why. The body may hold
 *	credentials: the bytes are copied out of the request and cleared
 *	there (http_wipe_take), and the copy and the tree are cleared
 *	before they are freed.
 *
 *	http_bus_reply is what fn calls first: it returns the reply's JSON
 *	object (the caller deletes it), or answers the client itself and
 *	returns NULL: 504 timeout, 503 unavailable (the channel is down),
 *	an MSG_ERROR reply mapped by http_bus_status with the worker's
 *	code, message and field (when it names one), or 502 bad_gateway
 *	for a reply of another type or not a JSON object. who names the
 *	worker in messages ("the secrets worker").
 *
 *	http_bus_status maps an MSG_ERROR code to an HTTP status:
 *	bad_request 400, forbidden 403, not_found 404, conflict 409,
 *	queue_full 429, store_error 500, internal 500, no_master_key 503,
 *	unavailable 503, draining 503, timeout 504; anything else 502.
 */
#ifndef CORRAL_HTTP_BUS_H
#define CORRAL_HTTP_BUS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "frame.h"

#include "http_call.h"

/* http_bus_ask - send type to dst for call; 503 if it cannot be sent */
void	 http_bus_ask(struct http_call *call, uint8_t dst, uint16_t type,
	    const cJSON *body, http_bus_fn *fn);

/* http_bus_ask_ms - http_bus_ask with a timeout of timeout_ms */
void	 http_bus_ask_ms(struct http_call *call, uint8_t dst, uint16_t type,
	    const cJSON *body, int timeout_ms, http_bus_fn *fn);

/* what http_bus_ask_body checks the body with: 0 and *in, or -1, *in NULL
 * and why (buf holds len bytes, then a NUL) */
typedef int http_bus_body_fn(const char *buf, size_t len, cJSON **in,
	    const char **why);

/* http_bus_ask_body - the request's body, as check makes it, to dst; the
 * body wiped; 400 with check's why if it is refused */
void	 http_bus_ask_body(struct http_call *call, uint8_t dst, uint16_t type,
	    http_bus_body_fn *check, http_bus_fn *fn);

/* http_bus_reply - a good reply's JSON; NULL once the call is answered */
cJSON	*http_bus_reply(struct http_call *call, struct frame *f, int err,
	    uint16_t want, const char *who);

/* http_bus_status - the HTTP status for an MSG_ERROR code */
int	 http_bus_status(const char *code);

#endif
