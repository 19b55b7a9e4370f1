/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_route - unit tests for the master's routing (master/route.c)
 * SYNOPSIS
 *	Suite	*route_suite(void);
 * DESCRIPTION
 *	A struct master with a real event_base and three worker rows: http
 *	(id 1) and echo (id 33) are UP, each with a socketpair whose master
 *	end is a channel on route_frame_cb/route_close_cb, exactly as
 *	spawn.c sets it up; idle (id 34) is DOWN with no channel. The test
 *	holds the worker ends as channels of its own (src = the worker id)
 *	and plays both workers. Supervision runs on fake side effects
 *	(super_set_ops), so nothing is spawned or signalled for real,
 *	except in the garbage test, which kills a child it forked.
 *
 *	A side's channel normally has src = its id, so the master's replies
 *	reach chan_request callbacks. side_raw() gives it a src no reply
 *	names, so every answer, even one to a frame sent with send_raw and
 *	a hand-picked id, comes to on_frame where the test can see it; the
 *	barrier then uses a raw MSG_PING with its own id.
 *
 *	Covered: the master stamps src and gen over a forged one; requests
 *	to a worker that is down, starting, failed or unknown get MSG_ERROR
 *	"unavailable" at once with the same id, while replies to it are
 *	dropped; a request and its reply through the master; frames for the
 *	master (MSG_STATUS, MSG_RESTART, MSG_PING, MSG_READY, unknown types,
 *	oversize payloads); a worker that sends garbage is killed with
 *	SIGKILL; a descriptor passed from one worker to another.
 *
 *	master_now_ms comes from check_supervise.c.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <event2/event.h>

#include "channel.h"
#include "master.h"
#include "msg.h"
#include "supervise.h"

Suite	*route_suite(void);

#define RUN_MS		5000
#define NSIDES		3
#define SIDE_MAX	8
#define ID_HTTP		PROC_HTTP
#define ID_ECHO		(PROC_EXTRA_BASE + 1)
#define ID_IDLE		(PROC_EXTRA_BASE + 2)
#define MSG_TEST	300	/* a worker-to-worker type the master forwards */
#define RAW_SRC		200	/* a side's chan src that no reply names */
#define BARRIER_ID	0xB0B0B0B0

/* One worker as the test plays it: its end of the socketpair. */
struct side {
	struct chan	*chan;
	int		 fd;		/* the descriptor chan owns */
	int		 id;
	int		 nframes;
	struct frame_hdr hdr[SIDE_MAX];
	char		*payload[SIDE_MAX];
	int		 fds[SIDE_MAX];
	int		 reply;		/* answer requests with MSG_TEST+1 */
	int		 raw;		/* replies come to on_frame too */
	int		 barriers;	/* barrier PONGs seen (not recorded) */
	int		 nclose;
};

/* What a request's callback saw. */
struct rep {
	int		 calls;
	int		 err;
	struct frame_hdr hdr;
	cJSON		*json;
	char		 body[512];
};

static struct master	*m;
static struct side	 sides[NSIDES];
static pid_t		 child = -1;
static int		 fake_kills;
static int		 fake_kill_sig;
static pid_t		 fake_kill_pid;

/* fake_clock - whatever master_now_ms says */
static int64_t
fake_clock(void)
{
	return (master_now_ms());
}

/* fake_spawn - no process */
static int
fake_spawn(struct worker *w)
{
	(void)w;
	return (-1);
}

/* fake_kill - record, send nothing */
static int
fake_kill(pid_t pid, int sig)
{
	fake_kills++;
	fake_kill_pid = pid;
	fake_kill_sig = sig;
	return (0);
}

/* fake_shutdown - nothing */
static int
fake_shutdown(struct worker *w)
{
	(void)w;
	return (0);
}

static const struct super_ops fake_ops = {
	.clock = fake_clock,
	.spawn = fake_spawn,
	.kill = fake_kill,
	.shutdown = fake_shutdown,
	.changed = NULL,
};

/* side_frame_cb - a frame reached the worker the test plays */
static void
side_frame_cb(struct chan *c, struct frame *f, void *arg)
{
	struct side	*s = arg;
	int		 i = s->nframes++;

	ck_assert_ptr_eq(c, s->chan);
	if (f->hdr.type == MSG_PONG && f->hdr.id == BARRIER_ID) {
		s->nframes--;
		s->barriers++;
		return;
	}
	if (i < SIDE_MAX) {
		s->hdr[i] = f->hdr;
		s->payload[i] = malloc(f->hdr.len + 1);
		ck_assert_ptr_nonnull(s->payload[i]);
		memcpy(s->payload[i], f->payload, f->hdr.len);
		s->payload[i][f->hdr.len] = '\0';
		s->fds[i] = frame_take_fd(f);
	}
	if (s->reply && f->hdr.id != 0 && !(f->hdr.flags & FRAME_F_REPLY)) {
		struct frame_hdr h;

		memset(&h, 0, sizeof(h));
		h.type = MSG_TEST + 1;
		h.flags = FRAME_F_REPLY;
		h.src = (uint8_t)s->id;
		h.dst = f->hdr.src;
		h.id = f->hdr.id;
		h.len = f->hdr.len;
		ck_assert_int_eq(chan_send(c, &h, f->payload, -1), 0);
	}
}

/* side_close_cb - the master end went away */
static void
side_close_cb(struct chan *c, int err, void *arg)
{
	struct side	*s = arg;

	(void)c;
	(void)err;
	s->nclose++;
}

/* rep_cb - a request's answer */
static void
rep_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct rep	*r = arg;
	size_t		 n;

	(void)c;
	r->calls++;
	r->err = err;
	if (f == NULL)
		return;
	r->hdr = f->hdr;
	n = f->hdr.len < sizeof(r->body) - 1 ? f->hdr.len :
	    sizeof(r->body) - 1;
	memcpy(r->body, f->payload, n);
	r->body[n] = '\0';
	cJSON_Delete(r->json);
	r->json = frame_json(f);
}

/* rep_str - a string member of the answer, "" if none */
static const char *
rep_str(const struct rep *r, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	return (cJSON_IsString(v) ? v->valuestring : "");
}

/* run_expire_cb - the deadline of run_until */
static void
run_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	*(int *)arg = 1;
}

/* run_until - run the loop until *p >= n or RUN_MS pass; 1 if it got there */
static int
run_until(const int *p, int n)
{
	struct event	*t;
	struct timeval	 tv = { RUN_MS / 1000, (RUN_MS % 1000) * 1000 };
	int		 expired = 0;

	t = evtimer_new(m->base, run_expire_cb, &expired);
	ck_assert_ptr_nonnull(t);
	evtimer_add(t, &tv);
	while (*p < n && !expired)
		event_base_loop(m->base, EVLOOP_ONCE);
	event_free(t);
	return (*p >= n);
}

/* side_raw - the side's channel matches no reply: all come to on_frame,
 * so the test sees answers to frames it sent with send_raw */
static void
side_raw(struct side *s)
{
	s->raw = 1;
	chan_set_src(s->chan, RAW_SRC);
}

/* barrier - a ping through the master: everything sent before is handled */
static void
barrier(struct side *s)
{
	struct frame_hdr h;
	struct rep	 r;
	int		 n = s->barriers;

	if (s->raw) {
		memset(&h, 0, sizeof(h));
		h.type = MSG_PING;
		h.dst = PROC_MASTER;
		h.id = BARRIER_ID;
		ck_assert_int_eq(chan_send(s->chan, &h, NULL, -1), 0);
		ck_assert_msg(run_until(&s->barriers, n + 1), "barrier: no "
		    "answer");
		return;
	}
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(s->chan, MSG_PING, PROC_MASTER, NULL,
	    -1, RUN_MS, rep_cb, &r), 0);
	ck_assert_msg(run_until(&r.calls, 1), "barrier: no answer");
	ck_assert_msg(r.err == 0 && r.hdr.type == MSG_PONG, "barrier: got "
	    "type %u err %d, want MSG_PONG", r.hdr.type, r.err);
	cJSON_Delete(r.json);
}

/* worker_add - one row; connected rows get a socketpair and channels */
static struct worker *
worker_add(const char *name, int id, enum super_state st, int connect)
{
	struct worker	*w = &m->workers[m->nworkers];
	struct side	*s = &sides[m->nworkers];
	int		 sv[2], i;

	m->nworkers++;
	strcpy(w->name, name);
	w->id = (uint8_t)id;
	w->gen = 5;
	super_init(m, w);
	w->state = st;
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->fd = -1;
	for (i = 0; i < SIDE_MAX; i++)
		s->fds[i] = -1;
	if (!connect)
		return (w);
	w->pid = 0;		/* no process: route_close_cb kills nothing */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	w->chan = chan_new(m->base, sv[0], route_frame_cb, route_close_cb, w);
	ck_assert_ptr_nonnull(w->chan);
	chan_set_src(w->chan, PROC_MASTER);
	chan_set_gen(w->chan, w->gen);
	s->chan = chan_new(m->base, sv[1], side_frame_cb, side_close_cb, s);
	ck_assert_ptr_nonnull(s->chan);
	chan_set_src(s->chan, (uint8_t)id);
	s->fd = sv[1];
	return (w);
}

/* route_setup - http and echo up, idle down */
static void
route_setup(void)
{
	super_set_ops(&fake_ops);
	fake_kills = 0;
	fake_kill_sig = 0;
	fake_kill_pid = 0;
	child = -1;
	m = calloc(1, sizeof(*m));
	ck_assert_ptr_nonnull(m);
	m->base = event_base_new();
	ck_assert_ptr_nonnull(m->base);
	m->cfg.shutdown_timeout = 10;
	worker_add("http", ID_HTTP, SUPER_UP, 1);
	worker_add("echo", ID_ECHO, SUPER_UP, 1);
	worker_add("idle", ID_IDLE, SUPER_DOWN, 0);
}

/* route_teardown - free channels, rows and the loop; reap a child */
static void
route_teardown(void)
{
	int	i, j, status;

	for (i = 0; i < m->nworkers; i++) {
		super_free(&m->workers[i]);
		chan_free(sides[i].chan);
		for (j = 0; j < SIDE_MAX; j++) {
			free(sides[i].payload[j]);
			if (sides[i].fds[j] != -1)
				close(sides[i].fds[j]);
		}
		memset(&sides[i], 0, sizeof(sides[i]));
	}
	event_base_free(m->base);
	free(m);
	m = NULL;
	if (child > 0) {
		(void)kill(child, SIGKILL);
		(void)waitpid(child, &status, 0);
		child = -1;
	}
	super_set_ops(NULL);
}

/* send_raw - a frame exactly as given, header fields and all */
static void
send_raw(struct side *s, uint16_t type, uint8_t src, uint8_t dst,
    uint32_t id, uint8_t flags, const char *payload, int fd)
{
	struct frame_hdr h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.src = src;
	h.dst = dst;
	h.id = id;
	h.flags = flags;
	h.gen = 999;
	h.len = payload != NULL ? (uint32_t)strlen(payload) : 0;
	ck_assert_int_eq(chan_send(s->chan, &h, payload, fd), 0);
}

/* a forged src is overwritten with the sender's id, gen with its gen */
START_TEST(test_stamp_src)
{
	struct side	*http = &sides[0], *echo = &sides[1];

	/* echo claims to be http, writing to http */
	send_raw(echo, MSG_TEST, ID_HTTP, ID_HTTP, 0, 0, "{\"hi\":1}", -1);
	ck_assert(run_until(&http->nframes, 1));
	ck_assert_msg(http->hdr[0].src == ID_ECHO, "src: got %u, want %u",
	    http->hdr[0].src, ID_ECHO);
	ck_assert_msg(http->hdr[0].gen == m->workers[1].gen, "gen: got %u, "
	    "want %u", http->hdr[0].gen, m->workers[1].gen);
	ck_assert_uint_eq(http->hdr[0].dst, ID_HTTP);
	ck_assert_uint_eq(http->hdr[0].type, MSG_TEST);
	ck_assert_str_eq(http->payload[0], "{\"hi\":1}");
	ck_assert_int_eq(echo->nframes, 0);
}
END_TEST

/* a request from echo to http, and http's reply, through the master */
START_TEST(test_request_reply)
{
	struct side	*http = &sides[0], *echo = &sides[1];
	struct rep	 r;
	cJSON		*body;

	http->reply = 1;
	memset(&r, 0, sizeof(r));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "ask", "x");
	ck_assert_int_eq(chan_request(echo->chan, MSG_TEST, ID_HTTP, body, -1,
	    RUN_MS, rep_cb, &r), 0);
	cJSON_Delete(body);
	ck_assert(run_until(&r.calls, 1));
	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.hdr.type, MSG_TEST + 1);
	ck_assert_msg(r.hdr.src == ID_HTTP, "reply src: got %u, want %u",
	    r.hdr.src, ID_HTTP);
	ck_assert_uint_eq(r.hdr.dst, ID_ECHO);
	ck_assert_str_eq(r.body, "{\"ask\":\"x\"}");
	ck_assert_int_eq(http->nframes, 1);
	ck_assert_uint_eq(http->hdr[0].src, ID_ECHO);
	ck_assert_int_eq(echo->nframes, 0);
	cJSON_Delete(r.json);
}
END_TEST

struct unavail_case {
	const char	*what;
	int		 dst;
	enum super_state state;		/* http's state for the test */
	int		 delivered;	/* 1: forwarded after all */
};

static const struct unavail_case unavail_cases[] = {
	{ "down, no channel", ID_IDLE, SUPER_DOWN, 0 },
	{ "http starting", ID_HTTP, SUPER_STARTING, 0 },
	{ "http down", ID_HTTP, SUPER_DOWN, 0 },
	{ "http failed", ID_HTTP, SUPER_FAILED, 0 },
	{ "unknown id 50", 50, SUPER_UP, 0 },
	{ "id 255", 255, SUPER_UP, 0 },
	{ "http stopping", ID_HTTP, SUPER_STOPPING, 1 },
	{ "http up", ID_HTTP, SUPER_UP, 1 },
};

/* a request for a worker that is not serving: MSG_ERROR "unavailable" */
START_TEST(test_unavailable)
{
	const struct unavail_case *uc = &unavail_cases[_i];
	struct side	*http = &sides[0], *echo = &sides[1];
	struct rep	 r;

	m->workers[0].state = uc->state;
	http->reply = 1;
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(echo->chan, MSG_TEST, (uint8_t)uc->dst,
	    NULL, -1, RUN_MS, rep_cb, &r), 0);
	ck_assert_msg(run_until(&r.calls, 1), "%s: no answer", uc->what);
	if (uc->delivered) {
		ck_assert_msg(http->nframes == 1, "%s: frames at http: got %d, "
		    "want 1", uc->what, http->nframes);
		ck_assert_msg(r.hdr.type == MSG_TEST + 1, "%s: answer type: "
		    "got %u, want %u (http's reply)", uc->what, r.hdr.type,
		    MSG_TEST + 1);
		ck_assert_uint_eq(r.hdr.src, ID_HTTP);
		return;
	}
	ck_assert_msg(r.err == 0, "%s: err: got %d, want 0 (a reply)",
	    uc->what, r.err);
	ck_assert_msg(r.hdr.type == MSG_ERROR, "%s: type: got %u, want %u",
	    uc->what, r.hdr.type, MSG_ERROR);
	ck_assert_msg(r.hdr.flags & FRAME_F_REPLY, "%s: no FRAME_F_REPLY",
	    uc->what);
	ck_assert_msg(r.hdr.src == PROC_MASTER, "%s: src: got %u, want 0",
	    uc->what, r.hdr.src);
	ck_assert_msg(r.hdr.dst == ID_ECHO, "%s: dst: got %u, want %u",
	    uc->what, r.hdr.dst, ID_ECHO);
	ck_assert_ptr_nonnull(r.json);
	ck_assert_msg(strcmp(rep_str(&r, "code"), "unavailable") == 0,
	    "%s: code: got '%s', want 'unavailable'", uc->what,
	    rep_str(&r, "code"));
	ck_assert_msg(rep_str(&r, "message")[0] != '\0', "%s: no message",
	    uc->what);
	ck_assert_int_eq(http->nframes, 0);
	cJSON_Delete(r.json);
}
END_TEST

/* the error reply carries the request's id (seen on the raw frame) */
START_TEST(test_unavailable_id)
{
	struct side	*echo = &sides[1];

	side_raw(echo);
	send_raw(echo, MSG_TEST, 77, ID_IDLE, 4242, 0, NULL, -1);
	ck_assert(run_until(&echo->nframes, 1));
	ck_assert_uint_eq(echo->hdr[0].type, MSG_ERROR);
	ck_assert_msg(echo->hdr[0].id == 4242, "id: got %u, want 4242",
	    echo->hdr[0].id);
	/* addressed to the stamped src, not the forged one */
	ck_assert_msg(echo->hdr[0].dst == ID_ECHO, "dst: got %u, want %u",
	    echo->hdr[0].dst, ID_ECHO);
}
END_TEST

/* notices and replies to an absent worker are dropped, not answered */
START_TEST(test_unavailable_quiet)
{
	struct side	*echo = &sides[1];

	side_raw(echo);
	send_raw(echo, MSG_TEST, ID_ECHO, ID_IDLE, 0, 0, "{}", -1);
	send_raw(echo, MSG_TEST, ID_ECHO, ID_IDLE, 9, FRAME_F_REPLY, "{}", -1);
	send_raw(echo, MSG_TEST, ID_ECHO, 60, 10, FRAME_F_REPLY, "{}", -1);
	barrier(echo);
	ck_assert_msg(echo->nframes == 0, "frames: got %d, want 0",
	    echo->nframes);
	ck_assert(chan_is_open(m->workers[1].chan));
}
END_TEST

/* MSG_STATUS: the table with every row and its state */
START_TEST(test_status)
{
	struct side	*echo = &sides[1];
	struct rep	 r;
	const cJSON	*ws, *row, *v;
	static const char *const names[] = { "http", "echo", "idle" };
	static const char *const states[] = { "ready", "ready", "down" };
	int		 i;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(echo->chan, MSG_STATUS, PROC_MASTER,
	    NULL, -1, RUN_MS, rep_cb, &r), 0);
	ck_assert(run_until(&r.calls, 1));
	ck_assert_msg(r.hdr.type == MSG_STATUS, "type: got %u, want %u",
	    r.hdr.type, MSG_STATUS);
	ck_assert_uint_eq(r.hdr.src, PROC_MASTER);
	ck_assert_ptr_nonnull(r.json);
	ws = cJSON_GetObjectItemCaseSensitive(r.json, "workers");
	ck_assert_msg(cJSON_IsArray(ws), "no \"workers\" array in %s", r.body);
	ck_assert_msg(cJSON_GetArraySize(ws) == 3, "workers: got %d, want 3",
	    cJSON_GetArraySize(ws));
	for (i = 0; i < 3; i++) {
		row = cJSON_GetArrayItem(ws, i);
		v = cJSON_GetObjectItemCaseSensitive(row, "name");
		ck_assert_msg(cJSON_IsString(v) &&
		    strcmp(v->valuestring, names[i]) == 0,
		    "row %d name: got %s, want %s", i,
		    cJSON_IsString(v) ? v->valuestring : "none", names[i]);
		v = cJSON_GetObjectItemCaseSensitive(row, "state");
		ck_assert_msg(cJSON_IsString(v) &&
		    strcmp(v->valuestring, states[i]) == 0,
		    "row %d state: got %s, want %s", i,
		    cJSON_IsString(v) ? v->valuestring : "none", states[i]);
	}
	v = cJSON_GetObjectItemCaseSensitive(r.json, "ready");
	ck_assert_msg(cJSON_IsFalse(v), "ready: got %s, want false (idle is "
	    "down)", r.body);
	v = cJSON_GetObjectItemCaseSensitive(r.json, "draining");
	ck_assert(cJSON_IsFalse(v));
	cJSON_Delete(r.json);
}
END_TEST

struct restart_case {
	const char	*what;
	const char	*body;
	int		 draining;
	uint16_t	 want_type;
	const char	*want_code;	/* MSG_ERROR code, or the state */
};

static const struct restart_case restart_cases[] = {
	{ "unknown name", "{\"name\":\"nope\"}", 0, MSG_ERROR, "not_found" },
	{ "no name", "{}", 0, MSG_ERROR, "bad_request" },
	{ "name not a string", "{\"name\":3}", 0, MSG_ERROR, "bad_request" },
	{ "not JSON", "restart http", 0, MSG_ERROR, "bad_request" },
	{ "draining", "{\"name\":\"http\"}", 1, MSG_ERROR, "draining" },
	{ "http", "{\"name\":\"http\"}", 0, MSG_RESTART, "stopping" },
};

/* MSG_RESTART: errors by code, or the worker stopping for its restart */
START_TEST(test_restart)
{
	const struct restart_case *rc = &restart_cases[_i];
	struct side	*echo = &sides[1];

	side_raw(echo);
	m->draining = rc->draining;
	m->workers[0].pid = 4242;	/* fake_kill only records it */
	{
		struct frame_hdr h;

		/* chan_request sends JSON; this sends any bytes */
		memset(&h, 0, sizeof(h));
		h.type = MSG_RESTART;
		h.dst = PROC_MASTER;
		h.src = ID_ECHO;
		h.id = 31;
		h.len = (uint32_t)strlen(rc->body);
		ck_assert_int_eq(chan_send(echo->chan, &h, rc->body, -1), 0);
	}
	ck_assert(run_until(&echo->nframes, 1));
	ck_assert_msg(echo->hdr[0].type == rc->want_type, "%s: type: got %u, "
	    "want %u", rc->what, echo->hdr[0].type, rc->want_type);
	ck_assert_uint_eq(echo->hdr[0].id, 31);
	{
		struct frame	 f;
		cJSON		*o;
		const cJSON	*v;

		memset(&f, 0, sizeof(f));
		f.hdr = echo->hdr[0];
		f.payload = (unsigned char *)echo->payload[0];
		o = frame_json(&f);
		ck_assert_ptr_nonnull(o);
		v = cJSON_GetObjectItemCaseSensitive(o,
		    rc->want_type == MSG_ERROR ? "code" : "state");
		ck_assert_msg(cJSON_IsString(v) &&
		    strcmp(v->valuestring, rc->want_code) == 0,
		    "%s: got %s, want %s", rc->what, echo->payload[0],
		    rc->want_code);
		cJSON_Delete(o);
	}
	if (rc->want_type == MSG_RESTART) {
		ck_assert_msg(fake_kills == 1 && fake_kill_sig == SIGTERM &&
		    fake_kill_pid == 4242, "kill: got %d calls, sig %d, pid "
		    "%ld; want SIGTERM to 4242", fake_kills, fake_kill_sig,
		    (long)fake_kill_pid);
		ck_assert_int_eq(m->workers[0].state, SUPER_STOPPING);
	} else {
		ck_assert_int_eq(fake_kills, 0);
		ck_assert_int_eq(m->workers[0].state, SUPER_UP);
	}
}
END_TEST

/* MSG_PING to the master comes back as MSG_PONG with the same payload */
START_TEST(test_ping)
{
	struct side	*echo = &sides[1];

	side_raw(echo);
	send_raw(echo, MSG_PING, ID_ECHO, PROC_MASTER, 5, 0, "abc", -1);
	/* no id: no answer */
	send_raw(echo, MSG_PING, ID_ECHO, PROC_MASTER, 0, 0, "zzz", -1);
	barrier(echo);
	ck_assert_msg(echo->nframes == 1, "frames: got %d, want 1",
	    echo->nframes);
	ck_assert_uint_eq(echo->hdr[0].type, MSG_PONG);
	ck_assert_uint_eq(echo->hdr[0].id, 5);
	ck_assert_uint_eq(echo->hdr[0].dst, ID_ECHO);
	ck_assert_uint_eq(echo->hdr[0].src, PROC_MASTER);
	ck_assert_str_eq(echo->payload[0], "abc");
}
END_TEST

/* types the master does not serve, and payloads over a handler's limit */
START_TEST(test_master_bad_request)
{
	static char	 big[2000];
	struct side	*echo = &sides[1];
	int		 i;

	memset(big, '{', sizeof(big) - 1);
	side_raw(echo);
	send_raw(echo, MSG_TEST, ID_ECHO, PROC_MASTER, 1, 0, "{}", -1);
	send_raw(echo, MSG_STATUS, ID_ECHO, PROC_MASTER, 2, 0, big, -1);
	send_raw(echo, MSG_READY, ID_ECHO, PROC_MASTER, 3, 0, "x", -1);
	/* a stray reply to the master is dropped quietly */
	send_raw(echo, MSG_TEST, ID_ECHO, PROC_MASTER, 4, FRAME_F_REPLY, "{}",
	    -1);
	send_raw(echo, MSG_PONG, ID_ECHO, PROC_MASTER, 5, FRAME_F_REPLY, "{}",
	    -1);
	barrier(echo);
	ck_assert_msg(echo->nframes == 3, "frames: got %d, want 3",
	    echo->nframes);
	for (i = 0; i < 3; i++) {
		ck_assert_msg(echo->hdr[i].type == MSG_ERROR, "answer %d: type "
		    "got %u, want MSG_ERROR", i, echo->hdr[i].type);
		ck_assert_uint_eq(echo->hdr[i].id, (uint32_t)i + 1);
		ck_assert_msg(strstr(echo->payload[i], "\"bad_request\"") !=
		    NULL, "answer %d: got %s, want bad_request", i,
		    echo->payload[i]);
	}
	ck_assert(chan_is_open(m->workers[1].chan));
}
END_TEST

/* MSG_READY from a starting worker makes it ready */
START_TEST(test_ready)
{
	struct side	*echo = &sides[1];

	side_raw(echo);
	m->workers[1].state = SUPER_STARTING;
	send_raw(echo, MSG_READY, ID_ECHO, PROC_MASTER, 0, 0, NULL, -1);
	barrier(echo);
	ck_assert_msg(m->workers[1].state == SUPER_UP, "state: got %s, want "
	    "ready", super_state_name(&m->workers[1]));
	ck_assert_int_eq(echo->nframes, 0);
}
END_TEST

/* wait_child - reap child within RUN_MS; 1 and its status if it died */
static int
wait_child(int *status)
{
	struct timespec	 ts = { 0, 1000000 };
	int		 i;
	pid_t		 pid;

	for (i = 0; i < RUN_MS; i++) {
		pid = waitpid(child, status, WNOHANG);
		if (pid == child) {
			child = -1;
			return (1);
		}
		nanosleep(&ts, NULL);	/* poll until the deadline */
	}
	return (0);
}

/* a worker that sends garbage is killed with SIGKILL; the master goes on */
START_TEST(test_garbage_kills)
{
	static const char garbage[] = "HELO corral\r\n";
	struct worker	*w = &m->workers[1];
	struct side	*echo = &sides[1];
	int		 status = 0;

	switch ((child = fork())) {
	case -1:
		ck_abort_msg("fork: %s", strerror(errno));
		break;
	case 0:
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		for (;;)
			pause();
		/* NOTREACHED */
	}
	w->pid = child;
	ck_assert_int_eq(send(echo->fd, garbage, sizeof(garbage) - 1,
	    MSG_NOSIGNAL), (ssize_t)(sizeof(garbage) - 1));
	ck_assert(run_until(&echo->nclose, 1));	/* master end shut down */
	ck_assert(!chan_is_open(w->chan));
	ck_assert_msg(w->killed == 1, "killed: got %d, want 1", w->killed);
	ck_assert_msg(wait_child(&status), "child %ld still alive",
	    (long)w->pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "child status: got 0x%x, want killed by SIGKILL", status);
	w->pid = 0;
	/* http still routes */
	barrier(&sides[0]);
}
END_TEST

/* a worker with no process that sends garbage: nothing is killed */
START_TEST(test_garbage_no_pid)
{
	struct worker	*w = &m->workers[1];
	struct side	*echo = &sides[1];

	w->pid = 0;
	ck_assert_int_eq(send(echo->fd, "\xff\xff", 2, MSG_NOSIGNAL), 2);
	ck_assert(run_until(&echo->nclose, 1));
	ck_assert(!chan_is_open(w->chan));
	ck_assert_int_eq(w->killed, 0);
	/* frames for it now get "unavailable" */
	{
		struct rep	r;

		memset(&r, 0, sizeof(r));
		ck_assert_int_eq(chan_request(sides[0].chan, MSG_TEST, ID_ECHO,
		    NULL, -1, RUN_MS, rep_cb, &r), 0);
		ck_assert(run_until(&r.calls, 1));
		ck_assert_uint_eq(r.hdr.type, MSG_ERROR);
		ck_assert_str_eq(rep_str(&r, "code"), "unavailable");
		cJSON_Delete(r.json);
	}
}
END_TEST

/* a pipe end sent by echo to http arrives there usable */
START_TEST(test_fd_forward)
{
	struct side	*http = &sides[0], *echo = &sides[1];
	char		 buf[8];
	int		 p[2];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	send_raw(echo, MSG_TEST, ID_ECHO, ID_HTTP, 0, 0, "{\"fd\":1}", p[0]);
	ck_assert(run_until(&http->nframes, 1));
	ck_assert_msg(http->hdr[0].flags & FRAME_F_FD, "flags: got 0x%x, "
	    "want FRAME_F_FD", http->hdr[0].flags);
	ck_assert_msg(http->fds[0] >= 0, "fd: got %d, want one",
	    http->fds[0]);
	ck_assert_int_eq(write(p[1], "pipe", 4), 4);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(read(http->fds[0], buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "pipe");
	close(p[1]);
}
END_TEST

/* a descriptor sent to an absent worker is closed, not leaked */
START_TEST(test_fd_unavailable)
{
	struct side	*echo = &sides[1];
	char		 c;
	int		 p[2];

	side_raw(echo);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	send_raw(echo, MSG_TEST, ID_ECHO, ID_IDLE, 8, 0, NULL, p[1]);
	ck_assert(run_until(&echo->nframes, 1));
	ck_assert_uint_eq(echo->hdr[0].type, MSG_ERROR);
	ck_assert_msg(read(p[0], &c, 1) == 0, "pipe: no EOF, the write end "
	    "is still open in the master");
	close(p[0]);
}
END_TEST

/* route_find_id and route_find_name */
START_TEST(test_find)
{
	ck_assert_ptr_eq(route_find_id(m, ID_HTTP), &m->workers[0]);
	ck_assert_ptr_eq(route_find_id(m, ID_IDLE), &m->workers[2]);
	ck_assert_ptr_null(route_find_id(m, PROC_MASTER));
	ck_assert_ptr_null(route_find_id(m, 99));
	ck_assert_ptr_eq(route_find_name(m, "echo"), &m->workers[1]);
	ck_assert_ptr_null(route_find_name(m, "ech"));
	ck_assert_ptr_null(route_find_name(m, ""));
}
END_TEST

/* route_suite - the master's routing */
Suite *
route_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("route");

	tc = tcase_create("forward");
	tcase_add_checked_fixture(tc, route_setup, route_teardown);
	tcase_add_test(tc, test_stamp_src);
	tcase_add_test(tc, test_request_reply);
	tcase_add_loop_test(tc, test_unavailable, 0,
	    (int)(sizeof(unavail_cases) / sizeof(unavail_cases[0])));
	tcase_add_test(tc, test_unavailable_id);
	tcase_add_test(tc, test_unavailable_quiet);
	tcase_add_test(tc, test_fd_forward);
	tcase_add_test(tc, test_fd_unavailable);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);

	tc = tcase_create("master");
	tcase_add_checked_fixture(tc, route_setup, route_teardown);
	tcase_add_test(tc, test_status);
	tcase_add_loop_test(tc, test_restart, 0,
	    (int)(sizeof(restart_cases) / sizeof(restart_cases[0])));
	tcase_add_test(tc, test_ping);
	tcase_add_test(tc, test_master_bad_request);
	tcase_add_test(tc, test_ready);
	suite_add_tcase(s, tc);

	tc = tcase_create("garbage");
	tcase_add_checked_fixture(tc, route_setup, route_teardown);
	tcase_add_test(tc, test_garbage_kills);
	tcase_add_test(tc, test_garbage_no_pid);
	suite_add_tcase(s, tc);

	return (s);
}
