/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_secret - a route's secret, read just before an agent starts
 * SYNOPSIS
 *	#include "skill_secret.h"
 * DESCRIPTION
 *	See skill_secret.h. One fetch is one struct: the request out (at
 *	most one at a time), a timer that either asks again (the secrets
 *	worker is starting) or reports an error found before anything was
 *	sent, so done is never called from inside skill_secret_fetch. The
 *	channel calls every request back exactly once (the answer, a
 *	timeout, or ECANCELED when it is freed), so a fetch in flight is
 *	always freed by its answer; one that is not in flight is freed by
 *	whoever ends it.
 * DIAGNOSTICS
 *	See skill_secret.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <event2/event.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "routes.h"
#include "xmalloc.h"

#include "skill_secret.h"

struct skill_secret {
	struct worker_rt	*rt;
	char			 route[ROUTES_NAME_MAX + 1];
	char			 name[ROUTES_SECRET_MAX + 1];
	skill_secret_done_fn	*done;
	void			*arg;
	struct event		*ev;		/* ask again, or report err */
	int64_t			 deadline_ms;	/* stop waiting (monotonic) */
	int			 in_flight;
	int			 abandoned;
	char			 err[512];	/* to report from ev */
};

static int	skill_secret_waits_logged;	/* since the last answer */

static void	skill_secret_ask(struct skill_secret *);

/* skill_secret_now_ms - CLOCK_MONOTONIC in milliseconds */
static int64_t
skill_secret_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* skill_secret_free - free a fetch that is not in flight */
static void
skill_secret_free(struct skill_secret *s)
{
	event_free(s->ev);
	free(s);
}

/* skill_secret_fail - end the fetch with "route R: secret S: why" */
static void
skill_secret_fail(struct skill_secret *s, const char *why)
{
	char	line[sizeof(s->err)];

	snprintf(line, sizeof(line), "route %s: secret %s: %s", s->route,
	    s->name, why);
	s->done(s->arg, NULL, line);
	skill_secret_free(s);
}

/* skill_secret_later - report why from the loop (nothing was sent) */
static void
skill_secret_later(struct skill_secret *s, const char *why)
{
	struct timeval	tv = { 0, 0 };

	snprintf(s->err, sizeof(s->err), "%s", why);
	evtimer_add(s->ev, &tv);
}

/* skill_secret_tick_cb - report the error kept, or ask again */
static void
skill_secret_tick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct skill_secret	*s = arg;

	(void)fd;
	(void)ev;
	if (s->err[0] != '\0')
		skill_secret_fail(s, s->err);
	else
		skill_secret_ask(s);
}

/* skill_secret_wait - the secrets worker is not up: ask again soon, or
 * give up after SKILL_SECRET_WAIT_S */
static void
skill_secret_wait(struct skill_secret *s, const char *why)
{
	struct timeval	tv = { 1, 0 };
	char		line[sizeof(s->err)];

	if (skill_secret_now_ms() >= s->deadline_ms) {
		snprintf(line, sizeof(line), "%s (waited %d s for the secrets "
		    "worker)", why, SKILL_SECRET_WAIT_S);
		skill_secret_fail(s, line);
		return;
	}
	if (!skill_secret_waits_logged) {
		skill_secret_waits_logged = 1;
		log_info("route %s: secret %s: %s; asking again every second "
		    "for up to %d s", s->route, s->name, why,
		    SKILL_SECRET_WAIT_S);
	}
	evtimer_add(s->ev, &tv);
}

/* skill_secret_answer_cb - the secrets worker's (or the master's) answer */
static void
skill_secret_answer_cb(struct chan *c, struct frame *fr, int err, void *arg)
{
	struct skill_secret	*s = arg;
	const cJSON		*v, *msg, *code;
	cJSON			*j = NULL;
	char			 why[256];

	(void)c;
	s->in_flight = 0;
	if (s->abandoned) {
		skill_secret_free(s);
		return;
	}
	if (s->rt->chan == NULL) {
		skill_secret_fail(s, "the skills worker is stopping");
		return;
	}
	if (fr == NULL) {
		snprintf(why, sizeof(why), "the secrets worker did not answer: "
		    "%s", strerror(err));
		skill_secret_fail(s, why);
		return;
	}
	j = frame_json(fr);
	if (fr->hdr.type == MSG_SECRET_GET && cJSON_IsString(v =
	    cJSON_GetObjectItemCaseSensitive(j, "value"))) {
		skill_secret_waits_logged = 0;	/* the next wait is news */
		s->done(s->arg, v->valuestring, NULL);
		explicit_bzero(v->valuestring, strlen(v->valuestring));
		cJSON_Delete(j);
		skill_secret_free(s);
		return;
	}
	msg = cJSON_GetObjectItemCaseSensitive(j, "message");
	code = cJSON_GetObjectItemCaseSensitive(j, "code");
	snprintf(why, sizeof(why), "%.200s", cJSON_IsString(msg) ?
	    msg->valuestring : "refused");
	/* the master's answer while the secrets worker is starting or
	 * restarting: worth asking again, not a failure yet */
	if (fr->hdr.type == MSG_ERROR && fr->hdr.src == PROC_MASTER &&
	    cJSON_IsString(code) && strcmp(code->valuestring,
	    "unavailable") == 0)
		skill_secret_wait(s, why);
	else
		skill_secret_fail(s, why);
	cJSON_Delete(j);
}

/* skill_secret_ask - send the request (again) */
static void
skill_secret_ask(struct skill_secret *s)
{
	cJSON	*body;
	int	 rc;

	if (s->rt->chan == NULL) {
		skill_secret_later(s, "the skills worker is stopping");
		return;
	}
	body = cJSON_CreateObject();
	if (body == NULL || cJSON_AddStringToObject(body, "name",
	    s->name) == NULL)
		fatalx("%s: out of memory", __func__);
	rc = worker_request(s->rt, PROC_SECRETS, MSG_SECRET_GET, body,
	    SKILL_SECRET_TIMEOUT_MS, skill_secret_answer_cb, s);
	cJSON_Delete(body);
	if (rc == -1)
		skill_secret_later(s, "cannot ask the secrets worker");
	else
		s->in_flight = 1;
}

/* skill_secret_fetch - read route's secret name; done gets the answer */
struct skill_secret *
skill_secret_fetch(struct worker_rt *rt, const char *route, const char *name,
    skill_secret_done_fn *done, void *arg)
{
	struct skill_secret	*s;

	s = xcalloc(1, sizeof(*s));
	s->rt = rt;
	snprintf(s->route, sizeof(s->route), "%s", route);
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->done = done;
	s->arg = arg;
	s->deadline_ms = skill_secret_now_ms() + SKILL_SECRET_WAIT_S * 1000;
	if ((s->ev = evtimer_new(rt->base, skill_secret_tick_cb, s)) == NULL)
		fatalx("%s: libevent", __func__);
	skill_secret_ask(s);
	return (s);
}

/* skill_secret_abandon - done will not be called; free now or later */
void
skill_secret_abandon(struct skill_secret *s)
{
	if (s == NULL)
		return;
	if (s->in_flight) {
		s->abandoned = 1;	/* the answer frees it */
		return;
	}
	skill_secret_free(s);
}
