/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_supervise - unit tests for the supervision table (master/supervise.c)
 * SYNOPSIS
 *	Suite	*supervise_suite(void);
 *	int64_t	master_now_ms(void);
 * DESCRIPTION
 *	The state machine runs on fake side effects (super_set_ops): a
 *	clock the test moves, a spawn that hands out pids without forking,
 *	and kill, shutdown and changed hooks that only record their calls.
 *	The master has no event_base, so super_init gives no timer and
 *	deadlines show only in w->deadline_ms; one TCase uses a real base to
 *	check that the timer feeds SEV_START and SEV_DEADLINE back in.
 *
 *	"table" runs every (state, event) pair once from a fixed starting
 *	row and checks the state name, the calls made and the deadline.
 *	"policy" follows whole stories: a stable worker restarts at once,
 *	bad starts back off 1 s, 2 s, 4 s ... up to SUPER_BACKOFF_MAX_MS,
 *	exit 100 or 127 before READY fails the worker, an operator restart
 *	is SIGTERM then a new start, a missed deadline is SIGKILL, nothing
 *	restarts while draining or with restart = never.
 *
 *	master_now_ms is defined here for the whole unit binary (main.c,
 *	which has the real one, is not in the library): the fake clock.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <sys/types.h>

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <event2/event.h>

#include "master.h"
#include "supervise.h"

Suite	*supervise_suite(void);

#define T0		1000000		/* the fake clock at the start */
#define FAKE_PID	4100		/* first pid fake_spawn hands out */
#define KILL_MAX	16
#define STATUS_EXIT(c)	((c) << 8)	/* a wait status: exited with c */
#define STATUS_SIG(s)	(s)		/* a wait status: killed by s */

static int64_t	 fake_now = T0;

/* master_now_ms - the fake clock: the unit binary has no main.c */
int64_t
master_now_ms(void)
{
	return (fake_now);
}

/* Calls the fake side effects saw. */
static struct {
	int	spawns;
	int	spawn_rc;		/* what fake_spawn returns */
	pid_t	next_pid;
	int	nkill;
	pid_t	kill_pid[KILL_MAX];
	int	kill_sig[KILL_MAX];
	int	shutdowns;
	int	shutdown_rc;
	int	changed;
} fake;

static struct master		*m;
static struct worker		*w;
static struct config_worker	 wconf;

/* fake_clock - the test's clock */
static int64_t
fake_clock(void)
{
	return (fake_now);
}

/* fake_spawn - a new pid, no process */
static int
fake_spawn(struct worker *wk)
{
	fake.spawns++;
	if (fake.spawn_rc == -1)
		return (-1);
	wk->pid = fake.next_pid++;
	wk->gen++;
	return (0);
}

/* fake_kill - record the signal */
static int
fake_kill(pid_t pid, int sig)
{
	if (fake.nkill < KILL_MAX) {
		fake.kill_pid[fake.nkill] = pid;
		fake.kill_sig[fake.nkill] = sig;
	}
	fake.nkill++;
	return (0);
}

/* fake_shutdown - record the stop frame */
static int
fake_shutdown(struct worker *wk)
{
	(void)wk;
	fake.shutdowns++;
	return (fake.shutdown_rc);
}

/* fake_changed - count state changes */
static void
fake_changed(struct worker *wk)
{
	(void)wk;
	fake.changed++;
}

static const struct super_ops fake_ops = {
	.clock = fake_clock,
	.spawn = fake_spawn,
	.kill = fake_kill,
	.shutdown = fake_shutdown,
	.changed = fake_changed,
};

/* fake_reset - forget every recorded call */
static void
fake_reset(void)
{
	pid_t	next = fake.next_pid;

	memset(&fake, 0, sizeof(fake));
	fake.next_pid = next != 0 ? next : FAKE_PID;
}

/* super_setup - one worker row at rest in a master without a loop */
static void
super_setup(void)
{
	fake_now = T0;
	memset(&fake, 0, sizeof(fake));
	fake.next_pid = FAKE_PID;
	super_set_ops(&fake_ops);
	m = calloc(1, sizeof(*m));
	ck_assert_ptr_nonnull(m);
	m->base = NULL;
	m->cfg.shutdown_timeout = 10;
	m->nworkers = 1;
	memset(&wconf, 0, sizeof(wconf));
	strcpy(wconf.name, "echo");
	wconf.enabled = 1;
	wconf.restart = RESTART_ALWAYS;
	w = &m->workers[0];
	strcpy(w->name, "echo");
	w->id = PROC_EXTRA_BASE + 1;
	w->conf = &wconf;
	super_init(m, w);
}

/* super_teardown - free the row and put the real side effects back */
static void
super_teardown(void)
{
	int	i;

	for (i = 0; i < m->nworkers; i++)
		super_free(&m->workers[i]);
	if (m->base != NULL)
		event_base_free(m->base);
	free(m);
	m = NULL;
	w = NULL;
	super_set_ops(NULL);
}

/* want_state - state and its name */
static void
want_state(enum super_state st, const char *name, const char *ctx)
{
	ck_assert_msg(w->state == st, "%s: state: got %d (%s), want %d (%s)",
	    ctx, (int)w->state, super_state_name(w), (int)st, name);
	ck_assert_msg(strcmp(super_state_name(w), name) == 0,
	    "%s: state name: got %s, want %s", ctx, super_state_name(w), name);
}

/* want_deadline - deadline_ms is now + ms, or 0 for -1 */
static void
want_deadline(int64_t ms, const char *ctx)
{
	int64_t	want = ms < 0 ? 0 : fake_now + ms;

	ck_assert_msg(w->deadline_ms == want,
	    "%s: deadline: got %lld, want %lld", ctx,
	    (long long)w->deadline_ms, (long long)want);
}

/* want_kill - the last signal sent, or no signal since the reset */
static void
want_kill(int sig, pid_t pid, const char *ctx)
{
	if (sig == 0) {
		ck_assert_msg(fake.nkill == 0, "%s: kills: got %d, want 0", ctx,
		    fake.nkill);
		return;
	}
	ck_assert_msg(fake.nkill == 1, "%s: kills: got %d, want 1", ctx,
	    fake.nkill);
	ck_assert_msg(fake.kill_sig[0] == sig, "%s: signal: got %d, want %d",
	    ctx, fake.kill_sig[0], sig);
	ck_assert_msg(fake.kill_pid[0] == pid, "%s: kill pid: got %ld, "
	    "want %ld", ctx, (long)fake.kill_pid[0], (long)pid);
}

/* go_up - the first start and READY: an UP worker */
static void
go_up(void)
{
	super_event(w, SEV_START);
	fake_now += 50;
	super_event(w, SEV_READY);
	want_state(SUPER_UP, "ready", "go_up");
}

/* exit_with - the worker was reaped with this wait status */
static void
exit_with(int status)
{
	w->exit_status = status;
	w->exited = 1;
	super_event(w, SEV_EXIT);
}

/*
 * The table: from each state, each event. The starting row: pid 500
 * when running, spawned 500 ms ago, ready 5 s ago when UP, respawn set
 * when STOPPING (to see CMD_STOP clear it), a throttle deadline when
 * DOWN (to see CMD_STOP cancel it). EXIT statuses are exit 1.
 */
struct tab_case {
	enum super_state	 from;
	enum super_event	 ev;
	enum super_state	 to;
	const char		*name;
	int			 spawns;
	int			 sig;		/* signal sent, 0 none */
	int			 shutdowns;
	int64_t			 deadline;	/* from now, -1: none */
	int			 changed;	/* super_changed ran */
	int			 pid_after;	/* 0: none, 1: old pid, 2: new */
};

#define OLDPID		500
#define KEEP		-2		/* deadline unchanged */

static const struct tab_case tab_cases[] = {
	/* DOWN, throttled */
	{ SUPER_DOWN, SEV_START, SUPER_STARTING, "starting", 1, 0, 0,
	    SUPER_READY_TIMEOUT_MS, 1, 2 },
	{ SUPER_DOWN, SEV_READY, SUPER_DOWN, "throttled", 0, 0, 0, KEEP, 0, 0 },
	{ SUPER_DOWN, SEV_EXIT, SUPER_DOWN, "throttled", 0, 0, 0, KEEP, 0, 0 },
	{ SUPER_DOWN, SEV_DEADLINE, SUPER_DOWN, "throttled", 0, 0, 0, KEEP, 0,
	    0 },
	{ SUPER_DOWN, SEV_CMD_RESTART, SUPER_STARTING, "starting", 1, 0, 0,
	    SUPER_READY_TIMEOUT_MS, 1, 2 },
	{ SUPER_DOWN, SEV_CMD_STOP, SUPER_DOWN, "down", 0, 0, 0, -1, 1, 0 },

	/* STARTING */
	{ SUPER_STARTING, SEV_START, SUPER_STARTING, "starting", 0, 0, 0, KEEP,
	    0, 1 },
	{ SUPER_STARTING, SEV_READY, SUPER_UP, "ready", 0, 0, 0, -1, 1, 1 },
	{ SUPER_STARTING, SEV_EXIT, SUPER_DOWN, "throttled", 0, 0, 0,
	    SUPER_BACKOFF_MIN_MS, 1, 0 },
	{ SUPER_STARTING, SEV_DEADLINE, SUPER_STARTING, "starting", 0, SIGKILL,
	    0, KEEP, 0, 1 },
	{ SUPER_STARTING, SEV_CMD_RESTART, SUPER_STOPPING, "stopping", 0,
	    SIGTERM, 0, 10000, 1, 1 },
	{ SUPER_STARTING, SEV_CMD_STOP, SUPER_STOPPING, "stopping", 0, 0, 1,
	    10000, 1, 1 },

	/* UP, ready 5 s ago */
	{ SUPER_UP, SEV_START, SUPER_UP, "ready", 0, 0, 0, KEEP, 0, 1 },
	{ SUPER_UP, SEV_READY, SUPER_UP, "ready", 0, 0, 0, KEEP, 0, 1 },
	{ SUPER_UP, SEV_EXIT, SUPER_STARTING, "starting", 1, 0, 0,
	    SUPER_READY_TIMEOUT_MS, 1, 2 },
	{ SUPER_UP, SEV_DEADLINE, SUPER_UP, "ready", 0, 0, 0, KEEP, 0, 1 },
	{ SUPER_UP, SEV_CMD_RESTART, SUPER_STOPPING, "stopping", 0, SIGTERM, 0,
	    10000, 1, 1 },
	{ SUPER_UP, SEV_CMD_STOP, SUPER_STOPPING, "stopping", 0, 0, 1, 10000,
	    1, 1 },

	/* STOPPING, for a restart (respawn set) */
	{ SUPER_STOPPING, SEV_START, SUPER_STOPPING, "stopping", 0, 0, 0, KEEP,
	    0, 1 },
	{ SUPER_STOPPING, SEV_READY, SUPER_STOPPING, "stopping", 0, 0, 0, KEEP,
	    0, 1 },
	{ SUPER_STOPPING, SEV_EXIT, SUPER_STARTING, "starting", 1, 0, 0,
	    SUPER_READY_TIMEOUT_MS, 1, 2 },
	{ SUPER_STOPPING, SEV_DEADLINE, SUPER_STOPPING, "stopping", 0, SIGKILL,
	    0, KEEP, 0, 1 },
	{ SUPER_STOPPING, SEV_CMD_RESTART, SUPER_STOPPING, "stopping", 0, 0, 0,
	    KEEP, 0, 1 },
	{ SUPER_STOPPING, SEV_CMD_STOP, SUPER_STOPPING, "stopping", 0, 0, 0,
	    KEEP, 0, 1 },

	/* FAILED */
	{ SUPER_FAILED, SEV_START, SUPER_FAILED, "failed", 0, 0, 0, -1, 0, 0 },
	{ SUPER_FAILED, SEV_READY, SUPER_FAILED, "failed", 0, 0, 0, -1, 0, 0 },
	{ SUPER_FAILED, SEV_EXIT, SUPER_FAILED, "failed", 0, 0, 0, -1, 0, 0 },
	{ SUPER_FAILED, SEV_DEADLINE, SUPER_FAILED, "failed", 0, 0, 0, -1, 0,
	    0 },
	{ SUPER_FAILED, SEV_CMD_RESTART, SUPER_STARTING, "starting", 1, 0, 0,
	    SUPER_READY_TIMEOUT_MS, 1, 2 },
	{ SUPER_FAILED, SEV_CMD_STOP, SUPER_FAILED, "failed", 0, 0, 0, -1, 0,
	    0 },
};

#define NTAB	((int)(sizeof(tab_cases) / sizeof(tab_cases[0])))

/* tab_place - put the worker in the starting row of a table case */
static void
tab_place(enum super_state st)
{
	w->state = st;
	w->spawned_ms = fake_now - 500;
	w->gen = 3;
	switch (st) {
	case SUPER_DOWN:
		w->pid = 0;
		w->backoff_ms = SUPER_BACKOFF_MIN_MS;
		w->deadline_ms = fake_now + 700;	/* throttled */
		break;
	case SUPER_STARTING:
		w->pid = OLDPID;
		w->deadline_ms = fake_now + 1234;
		break;
	case SUPER_UP:
		w->pid = OLDPID;
		w->ready_ms = fake_now - 5000;
		w->deadline_ms = 0;
		break;
	case SUPER_STOPPING:
		w->pid = OLDPID;
		w->respawn = 1;
		w->deadline_ms = fake_now + 4321;
		break;
	case SUPER_FAILED:
		w->pid = 0;
		w->deadline_ms = 0;
		break;
	default:
		break;
	}
}

static const char *const ev_names[SUPER_NEVENTS] = {
	"START", "READY", "EXIT", "DEADLINE", "CMD_RESTART", "CMD_STOP",
};

static const char *const st_names[SUPER_NSTATES] = {
	"DOWN", "STARTING", "UP", "STOPPING", "FAILED",
};

/* one (state, event) cell */
START_TEST(test_table)
{
	const struct tab_case *tc = &tab_cases[_i];
	char		 ctx[64];
	int64_t		 before;

	snprintf(ctx, sizeof(ctx), "%s + %s", st_names[tc->from],
	    ev_names[tc->ev]);
	tab_place(tc->from);
	before = w->deadline_ms;
	fake_reset();
	if (tc->ev == SEV_EXIT) {
		w->exit_status = STATUS_EXIT(1);
		w->exited = 1;
	}
	super_event(w, tc->ev);
	want_state(tc->to, tc->name, ctx);
	ck_assert_msg(fake.spawns == tc->spawns, "%s: spawns: got %d, want %d",
	    ctx, fake.spawns, tc->spawns);
	want_kill(tc->sig, OLDPID, ctx);
	ck_assert_msg(fake.shutdowns == tc->shutdowns,
	    "%s: shutdowns: got %d, want %d", ctx, fake.shutdowns,
	    tc->shutdowns);
	if (tc->deadline == KEEP)
		ck_assert_msg(w->deadline_ms == before, "%s: deadline: got "
		    "%lld, want %lld (unchanged)", ctx,
		    (long long)w->deadline_ms, (long long)before);
	else
		want_deadline(tc->deadline, ctx);
	ck_assert_msg((fake.changed > 0) == tc->changed,
	    "%s: changed: got %d calls, want %s", ctx, fake.changed,
	    tc->changed ? "some" : "none");
	switch (tc->pid_after) {
	case 0:
		ck_assert_msg(w->pid == 0, "%s: pid: got %ld, want 0", ctx,
		    (long)w->pid);
		break;
	case 1:
		ck_assert_msg(w->pid == OLDPID, "%s: pid: got %ld, want %d",
		    ctx, (long)w->pid, OLDPID);
		break;
	default:
		ck_assert_msg(w->pid >= FAKE_PID, "%s: pid: got %ld, want a "
		    "new one", ctx, (long)w->pid);
		break;
	}
	if (tc->from == SUPER_STOPPING && tc->ev == SEV_CMD_STOP)
		ck_assert_msg(w->respawn == 0, "%s: respawn: got %d, want 0",
		    ctx, w->respawn);
	if (tc->to == SUPER_UP && tc->from == SUPER_STARTING)
		ck_assert_msg(w->ready_ms == fake_now, "%s: ready_ms: got %lld, "
		    "want %lld", ctx, (long long)w->ready_ms,
		    (long long)fake_now);
	if (tc->sig == SIGKILL)
		ck_assert_msg(w->killed == 1, "%s: killed: got %d, want 1", ctx,
		    w->killed);
}
END_TEST

/* every cell of the table is covered by one row above */
START_TEST(test_table_complete)
{
	int	seen[SUPER_NSTATES][SUPER_NEVENTS];
	int	i, s, e;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NTAB; i++)
		seen[tab_cases[i].from][tab_cases[i].ev]++;
	for (s = 0; s < SUPER_NSTATES; s++)
		for (e = 0; e < SUPER_NEVENTS; e++)
			ck_assert_msg(seen[s][e] == 1, "%s + %s: got %d rows, "
			    "want 1", st_names[s], ev_names[e], seen[s][e]);
}
END_TEST

/* the names operators see */
START_TEST(test_state_names)
{
	static const struct {
		enum super_state st;
		int64_t		 deadline;
		const char	*want;
	} t[] = {
		{ SUPER_DOWN, 0, "down" },
		{ SUPER_DOWN, T0 + 1000, "throttled" },
		{ SUPER_STARTING, 0, "starting" },
		{ SUPER_UP, 0, "ready" },
		{ SUPER_STOPPING, 0, "stopping" },
		{ SUPER_FAILED, 0, "failed" },
		{ SUPER_NSTATES, 0, "unknown" },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		w->state = t[i].st;
		w->deadline_ms = t[i].deadline;
		ck_assert_msg(strcmp(super_state_name(w), t[i].want) == 0,
		    "row %zu: got %s, want %s", i, super_state_name(w),
		    t[i].want);
	}
	w->state = SUPER_DOWN;
	w->deadline_ms = 0;
}
END_TEST

/* an event or state out of range is our own bug: fatalx */
START_TEST(test_event_out_of_range)
{
	super_event(w, SUPER_NEVENTS);
}
END_TEST

START_TEST(test_state_out_of_range)
{
	w->state = SUPER_NSTATES;
	super_event(w, SEV_START);
}
END_TEST

/* READY in STARTING: "ready", the ready deadline cancelled */
START_TEST(test_ready)
{
	super_event(w, SEV_START);
	want_state(SUPER_STARTING, "starting", "start");
	want_deadline(SUPER_READY_TIMEOUT_MS, "start");
	ck_assert_int_eq(w->pid, FAKE_PID);
	fake_now += 120;
	super_event(w, SEV_READY);
	want_state(SUPER_UP, "ready", "ready");
	want_deadline(-1, "ready");
	ck_assert_msg(w->ready_ms == fake_now, "ready_ms: got %lld, want %lld",
	    (long long)w->ready_ms, (long long)fake_now);
	ck_assert_int_eq(w->restarts, 0);
}
END_TEST

struct stable_case {
	int64_t		 uptime;
	const char	*want;
	int		 spawns;	/* after the first */
};

static const struct stable_case stable_cases[] = {
	{ SUPER_STABLE_MS, "starting", 1 },
	{ SUPER_STABLE_MS + 1, "starting", 1 },
	{ 3600 * 1000, "starting", 1 },
	{ SUPER_STABLE_MS - 1, "throttled", 0 },
	{ 0, "throttled", 0 },
};

/* up for SUPER_STABLE_MS or more: respawned at once, no backoff */
START_TEST(test_stable_exit)
{
	const struct stable_case *sc = &stable_cases[_i];
	char	 ctx[64];

	snprintf(ctx, sizeof(ctx), "up %lld ms", (long long)sc->uptime);
	go_up();
	w->backoff_ms = 8000;	/* earlier bad starts are forgiven */
	fake_now += sc->uptime;
	fake_reset();
	exit_with(STATUS_EXIT(1));
	ck_assert_msg(strcmp(super_state_name(w), sc->want) == 0,
	    "%s: got %s, want %s", ctx, super_state_name(w), sc->want);
	ck_assert_msg(fake.spawns == sc->spawns, "%s: spawns: got %d, want %d",
	    ctx, fake.spawns, sc->spawns);
	if (sc->spawns > 0) {
		ck_assert_msg(w->backoff_ms == 0, "%s: backoff: got %d, want 0",
		    ctx, w->backoff_ms);
		ck_assert_msg(w->restarts == 1, "%s: restarts: got %d, want 1",
		    ctx, w->restarts);
		ck_assert_msg(w->pid == FAKE_PID + 1, "%s: pid: got %ld, want "
		    "%d", ctx, (long)w->pid, FAKE_PID + 1);
		want_deadline(SUPER_READY_TIMEOUT_MS, ctx);
	} else {
		ck_assert_msg(w->backoff_ms == 16000, "%s: backoff: got %d, "
		    "want 16000 (doubled)", ctx, w->backoff_ms);
		want_deadline(16000, ctx);
		ck_assert_int_eq(w->pid, 0);
	}
}
END_TEST

/* bad starts: 1 s, 2 s, 4 s ... capped at SUPER_BACKOFF_MAX_MS */
START_TEST(test_backoff)
{
	int	want = SUPER_BACKOFF_MIN_MS, round;
	char	ctx[32];

	super_event(w, SEV_START);
	for (round = 0; round < 10; round++) {
		snprintf(ctx, sizeof(ctx), "bad start %d", round + 1);
		fake_now += 10;
		fake_reset();
		exit_with(STATUS_EXIT(1));
		want_state(SUPER_DOWN, "throttled", ctx);
		ck_assert_msg(w->backoff_ms == want, "%s: backoff: got %d, "
		    "want %d", ctx, w->backoff_ms, want);
		want_deadline(want, ctx);
		ck_assert_msg(fake.spawns == 0, "%s: spawned at once", ctx);
		ck_assert_int_eq(w->pid, 0);
		/* the timer fires at the deadline */
		fake_now = w->deadline_ms;
		w->deadline_ms = 0;
		super_event(w, SEV_START);
		ck_assert_msg(fake.spawns == 1, "%s: spawns at the deadline: "
		    "got %d, want 1", ctx, fake.spawns);
		want_state(SUPER_STARTING, "starting", ctx);
		ck_assert_int_eq(w->restarts, round + 1);
		want = want * 2 > SUPER_BACKOFF_MAX_MS ? SUPER_BACKOFF_MAX_MS :
		    want * 2;
	}
	ck_assert_int_eq(w->backoff_ms, SUPER_BACKOFF_MAX_MS);
}
END_TEST

struct early_case {
	const char	*what;
	int		 status;
	const char	*want;
};

static const struct early_case early_cases[] = {
	{ "exit 100", STATUS_EXIT(100), "failed" },
	{ "exit 127", STATUS_EXIT(127), "failed" },
	{ "exit 0", STATUS_EXIT(0), "throttled" },
	{ "exit 1", STATUS_EXIT(1), "throttled" },
	{ "exit 111", STATUS_EXIT(111), "throttled" },
	{ "exit 101", STATUS_EXIT(101), "throttled" },
	{ "exit 126", STATUS_EXIT(126), "throttled" },
	{ "SIGSEGV", STATUS_SIG(SIGSEGV), "throttled" },
	{ "SIGKILL", STATUS_SIG(SIGKILL), "throttled" },
	{ "SIGTERM", STATUS_SIG(SIGTERM), "throttled" },
};

/* exit before READY: 100 and 127 fail for good, the rest throttle */
START_TEST(test_early_exit)
{
	const struct early_case *ec = &early_cases[_i];

	super_event(w, SEV_START);
	fake_reset();
	exit_with(ec->status);
	ck_assert_msg(strcmp(super_state_name(w), ec->want) == 0,
	    "%s: got %s, want %s", ec->what, super_state_name(w), ec->want);
	ck_assert_msg(fake.spawns == 0, "%s: spawns: got %d, want 0", ec->what,
	    fake.spawns);
	ck_assert_int_eq(w->pid, 0);
	if (strcmp(ec->want, "failed") == 0) {
		want_deadline(-1, ec->what);
		/* nothing starts it again but an operator */
		super_event(w, SEV_START);
		super_event(w, SEV_DEADLINE);
		ck_assert_msg(fake.spawns == 0, "%s: failed worker respawned",
		    ec->what);
		want_state(SUPER_FAILED, "failed", ec->what);
		super_event(w, SEV_CMD_RESTART);
		want_state(SUPER_STARTING, "starting", ec->what);
		ck_assert_int_eq(fake.spawns, 1);
		ck_assert_int_eq(w->backoff_ms, 0);
	} else {
		want_deadline(SUPER_BACKOFF_MIN_MS, ec->what);
		ck_assert_int_eq(w->backoff_ms, SUPER_BACKOFF_MIN_MS);
	}
}
END_TEST

/* exit 100 while serving also fails; a quick crash after READY throttles */
START_TEST(test_up_permanent)
{
	go_up();
	fake_now += 60000;
	fake_reset();
	exit_with(STATUS_EXIT(100));
	want_state(SUPER_FAILED, "failed", "exit 100 when up");
	ck_assert_int_eq(fake.spawns, 0);
	want_deadline(-1, "exit 100 when up");
}
END_TEST

/* operator restart of an UP worker: SIGTERM, stopping, exit, start now */
START_TEST(test_restart_up)
{
	pid_t	old;

	go_up();
	old = w->pid;
	fake_now += 10;
	fake_reset();
	super_event(w, SEV_CMD_RESTART);
	want_state(SUPER_STOPPING, "stopping", "restart");
	want_kill(SIGTERM, old, "restart");
	want_deadline(m->cfg.shutdown_timeout * 1000, "restart");
	ck_assert_int_eq(fake.spawns, 0);
	fake_now += 30;		/* quick: still no throttle */
	exit_with(STATUS_SIG(SIGTERM));
	want_state(SUPER_STARTING, "starting", "exit after restart");
	ck_assert_msg(fake.spawns == 1, "spawns: got %d, want 1", fake.spawns);
	ck_assert_msg(w->pid != old && w->pid != 0, "pid: got %ld, want a new "
	    "one", (long)w->pid);
	ck_assert_int_eq(w->backoff_ms, 0);
	ck_assert_int_eq(w->restarts, 1);
	want_deadline(SUPER_READY_TIMEOUT_MS, "exit after restart");
}
END_TEST

/* a restart that hangs: the stop deadline sends SIGKILL, then a new start */
START_TEST(test_restart_kill)
{
	pid_t	old;

	go_up();
	old = w->pid;
	super_event(w, SEV_CMD_RESTART);
	fake_now = w->deadline_ms;
	fake_reset();
	super_event(w, SEV_DEADLINE);
	want_state(SUPER_STOPPING, "stopping", "stop deadline");
	want_kill(SIGKILL, old, "stop deadline");
	ck_assert_int_eq(w->killed, 1);
	exit_with(STATUS_SIG(SIGKILL));
	want_state(SUPER_STARTING, "starting", "killed after restart");
	ck_assert_int_eq(fake.spawns, 1);
	ck_assert_int_eq(w->killed, 0);
}
END_TEST

/* not READY in time: SIGKILL, and the exit is a bad start, not a failure */
START_TEST(test_ready_timeout)
{
	pid_t	pid;

	super_event(w, SEV_START);
	pid = w->pid;
	fake_now = w->deadline_ms;
	fake_reset();
	super_event(w, SEV_DEADLINE);
	want_kill(SIGKILL, pid, "ready deadline");
	want_state(SUPER_STARTING, "starting", "ready deadline");
	exit_with(STATUS_SIG(SIGKILL));
	want_state(SUPER_DOWN, "throttled", "killed before ready");
	want_deadline(SUPER_BACKOFF_MIN_MS, "killed before ready");
}
END_TEST

/* restart of a FAILED worker starts it */
START_TEST(test_restart_failed)
{
	super_event(w, SEV_START);
	exit_with(STATUS_EXIT(100));
	want_state(SUPER_FAILED, "failed", "exit 100");
	fake_reset();
	super_event(w, SEV_CMD_RESTART);
	want_state(SUPER_STARTING, "starting", "restart of failed");
	ck_assert_int_eq(fake.spawns, 1);
	ck_assert_int_eq(w->restarts, 1);
}
END_TEST

/* restart of a throttled worker starts it now and forgets the backoff */
START_TEST(test_restart_throttled)
{
	super_event(w, SEV_START);
	exit_with(STATUS_EXIT(1));
	want_state(SUPER_DOWN, "throttled", "bad start");
	fake_reset();
	super_event(w, SEV_CMD_RESTART);
	want_state(SUPER_STARTING, "starting", "restart of throttled");
	ck_assert_int_eq(fake.spawns, 1);
	ck_assert_int_eq(w->backoff_ms, 0);
}
END_TEST

/* a spawn that fails throttles like a bad start */
START_TEST(test_spawn_fails)
{
	fake.spawn_rc = -1;
	super_event(w, SEV_START);
	want_state(SUPER_DOWN, "throttled", "spawn failed");
	ck_assert_int_eq(w->backoff_ms, SUPER_BACKOFF_MIN_MS);
	want_deadline(SUPER_BACKOFF_MIN_MS, "spawn failed");
	fake_now = w->deadline_ms;
	super_event(w, SEV_START);
	ck_assert_int_eq(w->backoff_ms, 2 * SUPER_BACKOFF_MIN_MS);
	want_deadline(2 * SUPER_BACKOFF_MIN_MS, "spawn failed twice");
	fake.spawn_rc = 0;
	fake_now = w->deadline_ms;
	super_event(w, SEV_START);
	want_state(SUPER_STARTING, "starting", "spawn works");
	ck_assert_int_eq(fake.spawns, 3);
}
END_TEST

/* while the master drains, an exit from any state leaves the worker down */
START_TEST(test_draining)
{
	static const enum super_state from[] = { SUPER_STARTING, SUPER_UP,
	    SUPER_STOPPING };
	char	ctx[32];
	size_t	i;

	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		snprintf(ctx, sizeof(ctx), "draining, %s", st_names[from[i]]);
		m->draining = 0;
		tab_place(from[i]);
		w->respawn = 1;		/* even a pending restart */
		m->draining = 1;
		fake_reset();
		exit_with(STATUS_EXIT(1));
		want_state(SUPER_DOWN, "down", ctx);
		ck_assert_msg(fake.spawns == 0, "%s: spawns: got %d, want 0",
		    ctx, fake.spawns);
		want_deadline(-1, ctx);
		ck_assert_int_eq(w->pid, 0);
	}
}
END_TEST

/* shutdown: the stop frame, or SIGTERM when it cannot be sent */
START_TEST(test_stop)
{
	pid_t	pid;

	go_up();
	pid = w->pid;
	m->draining = 1;
	fake_reset();
	fake.shutdown_rc = -1;
	super_event(w, SEV_CMD_STOP);
	want_state(SUPER_STOPPING, "stopping", "stop");
	ck_assert_int_eq(fake.shutdowns, 1);
	want_kill(SIGTERM, pid, "stop without a channel");
	ck_assert_int_eq(w->respawn, 0);
	exit_with(STATUS_EXIT(0));
	want_state(SUPER_DOWN, "down", "stopped");
	ck_assert_int_eq(fake.spawns, 0);
}
END_TEST

/* restart = never: an exit leaves the worker down, not throttled */
START_TEST(test_restart_never)
{
	wconf.restart = RESTART_NEVER;
	go_up();
	fake_now += 60000;
	fake_reset();
	exit_with(STATUS_EXIT(1));
	want_state(SUPER_DOWN, "down", "never, from up");
	ck_assert_int_eq(fake.spawns, 0);
	want_deadline(-1, "never, from up");

	super_event(w, SEV_CMD_RESTART);	/* an operator still can */
	want_state(SUPER_STARTING, "starting", "never, restarted");
	fake_reset();
	exit_with(STATUS_SIG(SIGSEGV));
	want_state(SUPER_DOWN, "down", "never, from starting");
	ck_assert_int_eq(fake.spawns, 0);
}
END_TEST

/* super_changed runs on each transition an operator sees */
START_TEST(test_changed)
{
	super_event(w, SEV_START);
	ck_assert_int_eq(fake.changed, 1);
	super_event(w, SEV_READY);
	ck_assert_int_eq(fake.changed, 2);
	super_event(w, SEV_READY);		/* ignored */
	ck_assert_int_eq(fake.changed, 2);
}
END_TEST

/* run_expire_cb - the deadline of run_until */
static void
run_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	*(int *)arg = 1;
}

/* run_until - run the loop until *p >= n or ms pass; 1 if it got there */
static int
run_until(const int *p, int n, int ms)
{
	struct event	*t;
	struct timeval	 tv;
	int		 expired = 0;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	t = evtimer_new(m->base, run_expire_cb, &expired);
	ck_assert_ptr_nonnull(t);
	evtimer_add(t, &tv);
	while (*p < n && !expired)
		event_base_loop(m->base, EVLOOP_ONCE);
	event_free(t);
	return (*p >= n);
}

/* timer_setup - the row with a real loop, so super_init makes a timer */
static void
timer_setup(void)
{
	super_setup();
	super_free(w);
	m->base = event_base_new();
	ck_assert_ptr_nonnull(m->base);
	super_init(m, w);
	ck_assert_ptr_nonnull(w->timer);
}

/* the stop deadline is a real timer that sends SIGKILL */
START_TEST(test_timer_deadline)
{
	go_up();
	m->cfg.shutdown_timeout = 0;	/* fire at once */
	fake_reset();
	super_event(w, SEV_CMD_RESTART);
	ck_assert_int_eq(fake.nkill, 1);	/* SIGTERM */
	ck_assert(run_until(&fake.nkill, 2, 5000));
	ck_assert_msg(fake.kill_sig[1] == SIGKILL, "signal: got %d, want %d",
	    fake.kill_sig[1], SIGKILL);
	ck_assert_msg(w->deadline_ms == 0, "deadline after firing: got %lld, "
	    "want 0", (long long)w->deadline_ms);
}
END_TEST

/* the throttle is a real timer that starts the worker again */
START_TEST(test_timer_throttle)
{
	super_event(w, SEV_START);
	fake_reset();
	exit_with(STATUS_EXIT(1));
	want_state(SUPER_DOWN, "throttled", "bad start");
	ck_assert_msg(run_until(&fake.spawns, 1, 5000), "no start after the "
	    "throttle delay");
	want_state(SUPER_STARTING, "starting", "after the throttle");
	/* and a stop cancels a pending throttle timer */
	exit_with(STATUS_EXIT(1));
	want_state(SUPER_DOWN, "throttled", "bad start 2");
	ck_assert(evtimer_pending(w->timer, NULL));
	super_event(w, SEV_CMD_STOP);
	want_state(SUPER_DOWN, "down", "stop while throttled");
	ck_assert_msg(!evtimer_pending(w->timer, NULL), "throttle timer still "
	    "pending after a stop");
}
END_TEST

/* supervise_suite - the supervision state machine */
Suite *
supervise_suite(void)
{
	Suite		*s;
	TCase		*tc;
	const char	*fork_mode = getenv("CK_FORK");

	s = suite_create("supervise");

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, super_setup, super_teardown);
	tcase_add_loop_test(tc, test_table, 0, NTAB);
	tcase_add_test(tc, test_table_complete);
	tcase_add_test(tc, test_state_names);
	/* fatalx exits the process: only where each test has its own */
	if (fork_mode == NULL || strcmp(fork_mode, "no") != 0) {
		tcase_add_exit_test(tc, test_event_out_of_range, 1);
		tcase_add_exit_test(tc, test_state_out_of_range, 1);
	}
	suite_add_tcase(s, tc);

	tc = tcase_create("policy");
	tcase_add_checked_fixture(tc, super_setup, super_teardown);
	tcase_add_test(tc, test_ready);
	tcase_add_loop_test(tc, test_stable_exit, 0,
	    (int)(sizeof(stable_cases) / sizeof(stable_cases[0])));
	tcase_add_test(tc, test_backoff);
	tcase_add_loop_test(tc, test_early_exit, 0,
	    (int)(sizeof(early_cases) / sizeof(early_cases[0])));
	tcase_add_test(tc, test_up_permanent);
	tcase_add_test(tc, test_restart_up);
	tcase_add_test(tc, test_restart_kill);
	tcase_add_test(tc, test_ready_timeout);
	tcase_add_test(tc, test_restart_failed);
	tcase_add_test(tc, test_restart_throttled);
	tcase_add_test(tc, test_spawn_fails);
	tcase_add_test(tc, test_draining);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_restart_never);
	tcase_add_test(tc, test_changed);
	suite_add_tcase(s, tc);

	tc = tcase_create("timer");
	tcase_add_checked_fixture(tc, timer_setup, super_teardown);
	tcase_add_test(tc, test_timer_deadline);
	tcase_add_test(tc, test_timer_throttle);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);

	return (s);
}
