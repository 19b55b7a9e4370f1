/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_secret.h - a route's secret, read just before an agent starts
 * SYNOPSIS
 *	struct skill_secret *skill_secret_fetch(struct worker_rt *rt,
 *		    const char *route, const char *name,
 *		    skill_secret_done_fn *done, void *arg);
 *	void	skill_secret_abandon(struct skill_secret *s);
 * DESCRIPTION
 *	skill_secret_fetch asks the secrets worker for the secret name of
 *	route (MSG_SECRET_GET {"name"} -> {"value"}; the secrets worker
 *	hands the skills worker exactly the secrets the routes name). done
 *	is called once, later, from the loop: done(arg, value, NULL) with
 *	the value, which is wiped as soon as done returns (done copies what
 *	it keeps and wipes its copy), or done(arg, NULL, error) with the
 *	line "route R: secret S: why" (the secrets worker's message, or that
 *	it did not answer).
 *
 *	While the secrets worker is starting or restarting (the master
 *	answers "unavailable" for it) the fetch asks again every second,
 *	for at most SKILL_SECRET_WAIT_S seconds, before it gives up with the
 *	master's message.
 *
 *	Once the worker's channel is gone (rt->chan NULL: the worker is
 *	leaving) an answer ends the fetch with the error "the skills worker
 *	is stopping"; done should then only free what it has.
 *
 *	skill_secret_abandon ends a fetch whose answer is no longer wanted:
 *	done is never called for it. The fetch is freed at once, or when
 *	its request comes back.
 * DIAGNOSTICS
 *	A value is never logged. The first wait for the secrets worker
 *	since a value last came is logged at info.
 */
#ifndef CORRAL_SKILL_SECRET_H
#define CORRAL_SKILL_SECRET_H

#include "worker.h"

#define SKILL_SECRET_TIMEOUT_MS	5000	/* one request */
#define SKILL_SECRET_WAIT_S	60	/* for a secrets worker to come up */

struct skill_secret;

typedef void skill_secret_done_fn(void *arg, const char *value,
	    const char *err);

struct skill_secret *skill_secret_fetch(struct worker_rt *rt,
	    const char *route, const char *name, skill_secret_done_fn *done,
	    void *arg);
void	skill_secret_abandon(struct skill_secret *s);

#endif
