/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	busping - a bench worker that times PING round trips on corral's bus
 * DESCRIPTION
 *	Run by the master like any worker ("worker.NAME.exec = PATH"); the
 *	name picks the part it plays:
 *
 *	busecho*	nothing of its own: worker.c answers every MSG_PING
 *			with MSG_PONG, as every corral worker does.
 *	busping*	once READY, asks the master for the worker table
 *			(MSG_STATUS) until a busecho worker is ready, then
 *			times MSG_PING requests with a 64-byte JSON payload
 *			through the ordinary worker API (worker_request):
 *
 *			peer	busping -> master -> busecho -> master ->
 *				busping: the bus round trip between workers
 *			master	busping -> master -> busping: one hop
 *
 *			For each: BP_WARMUP unmeasured round trips, then
 *			BP_ROUNDS one at a time, each timed with
 *			CLOCK_MONOTONIC, then BP_WINDOW requests in flight
 *			for BP_PIPE_MS: round trips per second. The result
 *			is one log line at info level, "bench {...json...}",
 *			which bench/run.sh reads from the daemon's log; the
 *			worker then idles until it is told to stop.
 * DIAGNOSTICS
 *	A failed request (timeout, ERROR reply) is counted in "errors" and
 *	the run goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "channel.h"
#include "log.h"
#include "msg.h"
#include "proc.h"
#include "worker.h"

#define BP_WARMUP	2000
#define BP_ROUNDS	20000
#define BP_WINDOW	64
#define BP_PIPE_MS	2000
#define BP_TIMEOUT_MS	5000
#define BP_PAYLOAD	64		/* bytes of JSON in each PING */

enum bp_phase { BP_FIND, BP_WARM, BP_SEQ, BP_PIPE, BP_DONE };

struct bp_run {
	const char	*label;
	uint8_t		 dst;
	double		*us;		/* BP_ROUNDS samples */
	struct bench_stats st;
	long		 piped;		/* round trips in the pipelined phase */
	double		 pipe_s;
	long		 errors;
};

struct bp {
	struct worker_rt *rt;
	struct event	*timer;
	cJSON		*body;
	enum bp_phase	 phase;
	struct bp_run	 runs[2];
	int		 cur;		/* index in runs */
	long		 count;		/* requests done in this phase */
	int		 inflight;
	uint64_t	 t0, end;
};

static const char	*bp_name = "busping";
static struct bp	 bp;

static void	bp_next(struct bp *);
static void	bp_reply_cb(struct chan *, struct frame *, int, void *);

/* bp_send - one PING to the current run's destination */
static void
bp_send(struct bp *b)
{
	b->inflight++;
	b->t0 = b->phase == BP_PIPE ? b->t0 : bench_now_ns();
	if (worker_request(b->rt, b->runs[b->cur].dst, MSG_PING, b->body,
	    BP_TIMEOUT_MS, bp_reply_cb, b) == -1) {
		log_warnx("busping: cannot send");
		worker_exit(b->rt, WORKER_EXIT_TEMPORARY);
	}
}

/* bp_reply_cb - a PONG (or an error) came back */
static void
bp_reply_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct bp	*b = arg;
	struct bp_run	*r = &b->runs[b->cur];
	uint64_t	 now = bench_now_ns();

	(void)c;
	b->inflight--;
	if (err != 0 || f == NULL || f->hdr.type != MSG_PONG)
		r->errors++;
	switch (b->phase) {
	case BP_WARM:
		if (++b->count < BP_WARMUP) {
			bp_send(b);
			return;
		}
		b->phase = BP_SEQ;
		b->count = 0;
		bp_send(b);
		return;
	case BP_SEQ:
		r->us[b->count++] = (double)(now - b->t0) / 1e3;
		if (b->count < BP_ROUNDS) {
			bp_send(b);
			return;
		}
		b->phase = BP_PIPE;
		b->count = 0;
		b->t0 = bench_now_ns();
		b->end = b->t0 + BP_PIPE_MS * 1000000ull;
		while (b->inflight < BP_WINDOW)
			bp_send(b);
		return;
	case BP_PIPE:
		if (now < b->end) {
			b->count++;
			bp_send(b);
			return;
		}
		if (r->pipe_s == 0) {
			r->piped = b->count;
			r->pipe_s = (double)(now - b->t0) / 1e9;
		}
		if (b->inflight == 0)
			bp_next(b);
		return;
	default:
		return;
	}
}

/* bp_report - the one result line */
static void
bp_report(struct bp *b)
{
	char	 line[2048];
	size_t	 off = 0;
	int	 i;

	off += (size_t)snprintf(line + off, sizeof(line) - off,
	    "{\"payload_bytes\":%d,\"frame_bytes\":%d,\"window\":%d",
	    BP_PAYLOAD, BP_PAYLOAD + FRAME_HDR_LEN, BP_WINDOW);
	for (i = 0; i < 2; i++) {
		struct bp_run	*r = &b->runs[i];

		off += (size_t)snprintf(line + off, sizeof(line) - off,
		    ",\"%s\":{\"rounds\":%d,\"errors\":%ld,\"rtt_us\":{\"min\":%.2f,"
		    "\"median\":%.2f,\"p90\":%.2f,\"p99\":%.2f,\"max\":%.2f,"
		    "\"mean\":%.2f},\"pipelined_round_trips\":%ld,"
		    "\"pipelined_s\":%.3f,\"round_trips_per_s\":%.0f}",
		    r->label, BP_ROUNDS, r->errors, r->st.min, r->st.median,
		    r->st.p90, r->st.p99, r->st.max, r->st.mean, r->piped,
		    r->pipe_s, r->pipe_s > 0 ? (double)r->piped / r->pipe_s : 0);
		if (off >= sizeof(line))
			break;
	}
	if (off < sizeof(line) - 2)
		snprintf(line + off, sizeof(line) - off, "}");
	log_info("bench %s", line);
}

/* bp_next - the current run is over: the next one, or the report */
static void
bp_next(struct bp *b)
{
	struct bp_run	*r = &b->runs[b->cur];

	bench_stats(r->us, BP_ROUNDS, &r->st);
	if (++b->cur < 2) {
		b->phase = BP_WARM;
		b->count = 0;
		bp_send(b);
		return;
	}
	b->phase = BP_DONE;
	bp_report(b);
}

/* bp_status_cb - the worker table: is a busecho ready? */
static void
bp_status_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct bp	*b = arg;
	struct timeval	 tv = { 0, 20 * 1000 };
	const cJSON	*w, *name, *state, *id;
	cJSON		*o = NULL;

	(void)c;
	if (err == 0 && f != NULL && f->hdr.type == MSG_STATUS &&
	    (o = frame_json(f)) != NULL) {
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(o,
		    "workers")) {
			name = cJSON_GetObjectItemCaseSensitive(w, "name");
			state = cJSON_GetObjectItemCaseSensitive(w, "state");
			id = cJSON_GetObjectItemCaseSensitive(w, "id");
			if (cJSON_IsString(name) && cJSON_IsString(state) &&
			    cJSON_IsNumber(id) &&
			    strncmp(name->valuestring, "busecho", 7) == 0 &&
			    strcmp(state->valuestring, "ready") == 0) {
				b->runs[0].dst = (uint8_t)id->valuedouble;
				b->phase = BP_WARM;
			}
		}
	}
	cJSON_Delete(o);
	if (b->phase == BP_FIND) {
		evtimer_add(b->timer, &tv);
		return;
	}
	b->cur = 0;
	b->count = 0;
	bp_send(b);
}

/* bp_timer_cb - look for the peer (again) */
static void
bp_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bp	*b = arg;
	cJSON		*req = cJSON_CreateObject();

	(void)fd;
	(void)what;
	if (worker_request(b->rt, PROC_MASTER, MSG_STATUS, req, BP_TIMEOUT_MS,
	    bp_status_cb, b) == -1)
		worker_exit(b->rt, WORKER_EXIT_TEMPORARY);
	cJSON_Delete(req);
}

/* bp_init - busping starts looking for its peer once the loop runs */
static int
bp_init(struct worker_rt *rt)
{
	struct timeval	 tv = { 0, 0 };
	char		 pad[BP_PAYLOAD];
	int		 i;

	if (strncmp(bp_name, "busping", 7) != 0)
		return (0);
	memset(&bp, 0, sizeof(bp));
	bp.rt = rt;
	bp.runs[0].label = "peer";
	bp.runs[1].label = "master";
	bp.runs[1].dst = PROC_MASTER;
	for (i = 0; i < 2; i++)
		if ((bp.runs[i].us = calloc(BP_ROUNDS, sizeof(double))) == NULL)
			return (WORKER_EXIT_TEMPORARY);
	/* {"pad":"xx...x"} printed unformatted is BP_PAYLOAD bytes */
	memset(pad, 'x', sizeof(pad));
	pad[BP_PAYLOAD - 10] = '\0';
	bp.body = cJSON_CreateObject();
	cJSON_AddStringToObject(bp.body, "pad", pad);
	bp.timer = evtimer_new(rt->base, bp_timer_cb, &bp);
	evtimer_add(bp.timer, &tv);
	return (0);
}

/* bp_fini - free what init made */
static void
bp_fini(struct worker_rt *rt)
{
	int	i;

	(void)rt;
	if (bp.timer != NULL)
		event_free(bp.timer);
	cJSON_Delete(bp.body);
	for (i = 0; i < 2; i++)
		free(bp.runs[i].us);
	memset(&bp, 0, sizeof(bp));
}

static struct worker_def bp_def = {
	.name = "busping",
	.init = bp_init,
	.fini = bp_fini,
};

int
main(int argc, char **argv)
{
	if (argc > 0 && argv[0] != NULL && argv[0][0] != '\0') {
		bp_name = strrchr(argv[0], '/') != NULL ?
		    strrchr(argv[0], '/') + 1 : argv[0];
		bp_def.name = bp_name;
	}
	return (worker_main(&bp_def, argc, argv));
}
