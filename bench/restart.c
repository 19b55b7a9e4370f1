/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	restart - kill -9 a supervised process and time it back to ready
 * SYNOPSIS
 *	restart corral -n KILLS -g GAP_MS -o OUT -s SOCK -w NAME [-w NAME...]
 *		-- CORRAL [ARGS...]
 *	restart s6 -n KILLS -g GAP_MS -o OUT -p SUPERVISE_PID -x ARGV0
 *		-d SERVICEDIR
 *	restart supervisord -n KILLS -g GAP_MS -o OUT -p SUPERVISORD_PID
 *		-x ARGV0 -f FIFO
 * DESCRIPTION
 *	The same loop for every supervisor: find the supervised child (a
 *	child of the supervisor whose argv[0] is ARGV0, or the worker's
 *	name for corral), read the clock, kill(pid, SIGKILL), then block
 *	(poll, no sleeping) on the supervisor's own "ready again" signal
 *	and read the clock again. Each target is killed KILLS times; a
 *	target is killed again only GAP_MS after it was last ready (corral
 *	restarts at once only a worker that was ready for 1 s, s6 spaces
 *	spawns by 1 s), and two kills are at least GAP_MS/2 apart.
 *
 *	The ready signal is what each supervisor offers an observer:
 *
 *	corral		the master's sd_notify datagrams: this tool starts
 *			corral with NOTIFY_SOCKET=SOCK and waits for a
 *			"STATUS=running: N of N workers ready" after the
 *			drop that the kill caused. The master sends it once
 *			it has handled the new worker's READY frame.
 *	s6		s6-supervise's event fifodir (SERVICEDIR/event): we
 *			subscribe as s6-svwait does and wait for 'U' (ready,
 *			from the service's notification-fd) after 'd'.
 *	supervisord	an event listener (svlisten) writes "RUNNING NAME PID"
 *			lines to FIFO on PROCESS_STATE_RUNNING; we wait for a
 *			new pid. supervisord has no readiness protocol: with
 *			startsecs=0 RUNNING means "spawned". Its latencies are
 *			in seconds, so while waiting we also look for the new
 *			process in /proc every millisecond ("spawned"), and
 *			note each kill's wall-clock time, which bench/run.sh
 *			matches with the "entered RUNNING state" lines of
 *			supervisord's log (millisecond timestamps).
 *
 *	Results go to OUT as JSON: per target the latency samples in ms.
 * DIAGNOSTICS
 *	A kill with no ready signal within 10 s counts as a failure and is
 *	left out of the statistics. Setup errors exit 1.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define RS_TARGETS_MAX	8
#define RS_TIMEOUT_NS	(10ull * 1000000000ull)
#define RS_START_NS	(30ull * 1000000000ull)

enum rs_kind { RS_CORRAL, RS_S6, RS_SUPERVISORD };

struct rs_target {
	const char	*name;		/* argv[0] of the supervised child */
	double		*ms;		/* latency samples */
	size_t		 n;
	double		*spawn_ms;	/* supervisord: kill -> new pid seen */
	size_t		 nspawn;
	double		*kill_epoch_ms;	/* supervisord: when, by the wall clock */
	size_t		 nkill;
	int		 failures;
	uint64_t	 ready_ns;	/* when it was last ready */
};

struct rs {
	enum rs_kind	 kind;
	int		 kills;
	int		 gap_ms;
	const char	*out;
	const char	*sock;		/* corral: NOTIFY_SOCKET */
	const char	*dir;		/* s6: the service directory */
	const char	*fifo;		/* supervisord: svlisten's fifo */
	pid_t		 parent;	/* the supervisor */
	int		 fd;		/* where ready signals arrive */
	int		 fdw;		/* a writer that keeps a fifo open */
	char		 sub[512];	/* s6: our fifo in event/ */
	char		 line[512];	/* supervisord: partial line */
	size_t		 linelen;
	struct rs_target t[RS_TARGETS_MAX];
	int		 nt;
	char	       **argv;		/* corral: its command line */
};

/* rs_usage - how to call us */
static void
rs_usage(void)
{
	fprintf(stderr,
	    "usage: restart corral -n K -g MS -o OUT -s SOCK -w NAME... -- CORRAL ARGS\n"
	    "       restart s6 -n K -g MS -o OUT -p PID -x ARGV0 -d SERVICEDIR\n"
	    "       restart supervisord -n K -g MS -o OUT -p PID -x ARGV0 -f FIFO\n");
	exit(2);
}

/* rs_wait_read - read what comes on a non-blocking fd before deadline */
static ssize_t
rs_wait_read(int fd, char *buf, size_t len, uint64_t deadline)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	uint64_t	now;
	ssize_t		n;
	int		ms;

	for (;;) {
		n = read(fd, buf, len);
		if (n > 0)
			return (n);
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return (-1);
		now = bench_now_ns();
		if (now >= deadline)
			return (0);
		ms = (int)((deadline - now) / 1000000ull) + 1;
		(void)poll(&pfd, 1, ms);
	}
}

/* rs_drain - throw away whatever signals are already queued */
static void
rs_drain(struct rs *r)
{
	char	buf[512];

	while (read(r->fd, buf, sizeof(buf)) > 0)
		;
	r->linelen = 0;
}

/* rs_corral_status - 1 if a datagram says all workers are ready, 0 if
 * it says some are not, -1 if it says neither */
static int
rs_corral_status(const char *msg)
{
	int	up, all;

	if (sscanf(msg, "STATUS=running: %d of %d workers ready", &up,
	    &all) != 2)
		return (-1);
	return (up == all);
}

/* rs_wait_corral - the drop, then "N of N workers ready" */
static int
rs_wait_corral(struct rs *r, uint64_t deadline)
{
	char	msg[512];
	ssize_t	n;
	int	dropped = 0, st;

	for (;;) {
		if ((n = rs_wait_read(r->fd, msg, sizeof(msg) - 1,
		    deadline)) <= 0)
			return (-1);
		msg[n] = '\0';
		if ((st = rs_corral_status(msg)) == 0)
			dropped = 1;
		else if (st == 1 && dropped)
			return (0);
	}
}

/* rs_wait_s6 - 'd' (down), then 'U' (up and ready) */
static int
rs_wait_s6(struct rs *r, uint64_t deadline)
{
	char	ev[64];
	ssize_t	n, i;
	int	down = 0;

	for (;;) {
		if ((n = rs_wait_read(r->fd, ev, sizeof(ev), deadline)) <= 0)
			return (-1);
		for (i = 0; i < n; i++) {
			if (ev[i] == 'd')
				down = 1;
			else if (ev[i] == 'U' && down)
				return (0);
		}
	}
}

/* rs_wait_supervisord - a "RUNNING NAME PID" line with a new pid; on the
 * way, note when the new process shows up in /proc */
static int
rs_wait_supervisord(struct rs *r, struct rs_target *t, pid_t old,
    uint64_t t0, uint64_t deadline)
{
	char		*nl, name[128];
	ssize_t		 n;
	long		 pid;
	size_t		 used;
	uint64_t	 until;
	pid_t		 kid;
	int		 spawned = 0;

	for (;;) {
		while ((nl = memchr(r->line, '\n', r->linelen)) != NULL) {
			*nl = '\0';
			used = (size_t)(nl - r->line) + 1;
			n = sscanf(r->line, "RUNNING %127s %ld", name, &pid);
			memmove(r->line, r->line + used, r->linelen - used);
			r->linelen -= used;
			if (n == 2 && (pid_t)pid != old)
				return (0);
		}
		if (r->linelen == sizeof(r->line))
			r->linelen = 0;		/* no newline in 512 bytes */
		until = deadline;
		if (!spawned) {
			kid = bench_find_child(r->parent, t->name);
			if (kid > 0 && kid != old) {
				t->spawn_ms[t->nspawn++] =
				    (double)(bench_now_ns() - t0) / 1e6;
				spawned = 1;
			} else
				until = bench_now_ns() + 1000000ull;
		}
		if ((n = rs_wait_read(r->fd, r->line + r->linelen,
		    sizeof(r->line) - r->linelen, until)) < 0 ||
		    (n == 0 && bench_now_ns() >= deadline))
			return (-1);
		r->linelen += (size_t)n;
	}
}

/* rs_wait - block until the supervisor says the target is ready again */
static int
rs_wait(struct rs *r, struct rs_target *t, pid_t old, uint64_t t0,
    uint64_t deadline)
{
	switch (r->kind) {
	case RS_CORRAL:
		return (rs_wait_corral(r, deadline));
	case RS_S6:
		return (rs_wait_s6(r, deadline));
	default:
		return (rs_wait_supervisord(r, t, old, t0, deadline));
	}
}

/* rs_child - the target's current pid, waiting up to 2 s for it */
static pid_t
rs_child(struct rs *r, const struct rs_target *t, pid_t not)
{
	uint64_t	end = bench_now_ns() + 2000000000ull;
	pid_t		pid;

	do {
		pid = bench_find_child(r->parent, t->name);
		if (pid > 0 && pid != not)
			return (pid);
		bench_sleep_until(bench_now_ns() + 1000000ull);
	} while (bench_now_ns() < end);
	return (0);
}

/* rs_kill_one - one kill and its latency; -1 on a timeout */
static int
rs_kill_one(struct rs *r, struct rs_target *t)
{
	struct timespec	wall;
	uint64_t	t0, t1;
	pid_t		pid;

	if ((pid = rs_child(r, t, 0)) == 0) {
		fprintf(stderr, "restart: no child %s of %ld\n", t->name,
		    (long)r->parent);
		t->failures++;
		return (-1);
	}
	rs_drain(r);
	if (r->kind == RS_SUPERVISORD) {
		clock_gettime(CLOCK_REALTIME, &wall);
		t->kill_epoch_ms[t->nkill++] = (double)wall.tv_sec * 1e3 +
		    (double)wall.tv_nsec / 1e6;
	}
	t0 = bench_now_ns();
	if (kill(pid, SIGKILL) == -1)
		bench_die("kill %ld: %s", (long)pid, strerror(errno));
	if (rs_wait(r, t, pid, t0, t0 + RS_TIMEOUT_NS) == -1) {
		fprintf(stderr, "restart: %s (pid %ld) not ready again "
		    "within 10 s\n", t->name, (long)pid);
		t->failures++;
		t->ready_ns = bench_now_ns();
		return (-1);
	}
	t1 = bench_now_ns();
	t->ready_ns = t1;
	t->ms[t->n++] = (double)(t1 - t0) / 1e6;
	/* outside the measurement: the new child must be a new process */
	if (rs_child(r, t, pid) == 0) {
		fprintf(stderr, "restart: %s: no new child after the kill\n",
		    t->name);
		t->n--;
		t->failures++;
		return (-1);
	}
	return (0);
}

/* rs_loop - KILLS kills of each target, spaced as the policy wants */
static void
rs_loop(struct rs *r)
{
	uint64_t	gap = (uint64_t)r->gap_ms * 1000000ull, last = 0, due;
	int		k, i;

	/* whatever just started must have been ready for a gap, too */
	for (i = 0; i < r->nt; i++)
		r->t[i].ready_ns = bench_now_ns();
	for (k = 0; k < r->kills; k++)
		for (i = 0; i < r->nt; i++) {
			due = r->t[i].ready_ns + gap;
			if (last != 0 && due < last + gap / 2)
				due = last + gap / 2;
			bench_sleep_until(due);
			last = bench_now_ns();
			(void)rs_kill_one(r, &r->t[i]);
		}
}

/* rs_corral_start - bind SOCK, start corral with NOTIFY_SOCKET, await READY=1 */
static void
rs_corral_start(struct rs *r)
{
	char		msg[512];
	uint64_t	deadline;
	ssize_t		n;
	pid_t		pid;

	r->fd = bench_notify_open(r->sock);
	if ((pid = fork()) == -1)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", r->sock, 1);
		execv(r->argv[0], r->argv);
		fprintf(stderr, "restart: exec %s: %s\n", r->argv[0],
		    strerror(errno));
		_exit(127);
	}
	r->parent = pid;
	bench_guard_child(pid);
	(void)fcntl(r->fd, F_SETFL, O_NONBLOCK);
	deadline = bench_now_ns() + RS_START_NS;
	for (;;) {
		if ((n = rs_wait_read(r->fd, msg, sizeof(msg) - 1,
		    deadline)) <= 0)
			bench_die("corral did not say READY=1 within 30 s");
		msg[n] = '\0';
		if (strcmp(msg, "READY=1") == 0)
			break;
	}
}

/* rs_corral_stop - SIGTERM, wait up to 15 s, then SIGKILL */
static void
rs_corral_stop(struct rs *r)
{
	uint64_t	end = bench_now_ns() + 15000000000ull;
	int		status;

	(void)kill(r->parent, SIGTERM);
	bench_guard_child(0);
	while (waitpid(r->parent, &status, WNOHANG) == 0) {
		if (bench_now_ns() > end) {
			(void)kill(r->parent, SIGKILL);
			(void)waitpid(r->parent, &status, 0);
			break;
		}
		bench_sleep_until(bench_now_ns() + 10000000ull);
	}
	(void)unlink(r->sock);
}

/* rs_s6_subscribe - a fifo in SERVICEDIR/event, named as s6 expects */
static void
rs_s6_subscribe(struct rs *r)
{
	/* "ftrig1:@" and 31 more characters: what ftrigw_notify looks for */
	snprintf(r->sub, sizeof(r->sub), "%s/event/ftrig1:@corralbench%020lu",
	    r->dir, (unsigned long)getpid());
	(void)unlink(r->sub);
	if (mkfifo(r->sub, 0600) == -1)
		bench_die("mkfifo %s: %s", r->sub, strerror(errno));
	if ((r->fd = open(r->sub, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    (r->fdw = open(r->sub, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		bench_die("open %s: %s", r->sub, strerror(errno));
}

/* rs_write_json - the results */
static void
rs_write_json(struct rs *r)
{
	static const char *const kinds[] = { "corral", "s6", "supervisord" };
	struct bench_stats	 st;
	FILE			*f;
	size_t			 k;
	int			 i;

	if ((f = fopen(r->out, "w")) == NULL)
		bench_die("%s: %s", r->out, strerror(errno));
	fprintf(f, "{\"system\":\"%s\",\"kills_per_target\":%d,\"gap_ms\":%d,"
	    "\"targets\":[", kinds[r->kind], r->kills, r->gap_ms);
	for (i = 0; i < r->nt; i++) {
		bench_stats(r->t[i].ms, r->t[i].n, &st);
		fprintf(f, "%s{\"name\":\"%s\",\"failures\":%d,\"latency\":",
		    i ? "," : "", r->t[i].name, r->t[i].failures);
		bench_json_stats(f, "ms", &st, r->t[i].ms, r->t[i].n);
		if (r->kind == RS_SUPERVISORD) {
			fputs(",\"spawned\":", f);
			bench_stats(r->t[i].spawn_ms, r->t[i].nspawn, &st);
			bench_json_stats(f, "ms", &st, r->t[i].spawn_ms,
			    r->t[i].nspawn);
			fputs(",\"kill_epoch_ms\":[", f);
			for (k = 0; k < r->t[i].nkill; k++)
				fprintf(f, "%s%.3f", k ? "," : "",
				    r->t[i].kill_epoch_ms[k]);
			fputc(']', f);
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
	fclose(f);
}

/* rs_args - parse the command line */
static void
rs_args(struct rs *r, int argc, char **argv)
{
	int	c;

	if (argc < 2)
		rs_usage();
	if (strcmp(argv[1], "corral") == 0)
		r->kind = RS_CORRAL;
	else if (strcmp(argv[1], "s6") == 0)
		r->kind = RS_S6;
	else if (strcmp(argv[1], "supervisord") == 0)
		r->kind = RS_SUPERVISORD;
	else
		rs_usage();
	optind = 2;
	while ((c = getopt(argc, argv, "n:g:o:s:w:p:x:d:f:")) != -1) {
		switch (c) {
		case 'n': r->kills = atoi(optarg); break;
		case 'g': r->gap_ms = atoi(optarg); break;
		case 'o': r->out = optarg; break;
		case 's': r->sock = optarg; break;
		case 'p': r->parent = (pid_t)atol(optarg); break;
		case 'd': r->dir = optarg; break;
		case 'f': r->fifo = optarg; break;
		case 'w': case 'x':
			if (r->nt == RS_TARGETS_MAX)
				rs_usage();
			r->t[r->nt++].name = optarg;
			break;
		default:
			rs_usage();
		}
	}
	r->argv = argv + optind;
	if (r->kills < 1 || r->gap_ms < 0 || r->out == NULL || r->nt == 0 ||
	    (r->kind == RS_CORRAL && (r->sock == NULL || argv[optind] == NULL)) ||
	    (r->kind == RS_S6 && (r->dir == NULL || r->parent <= 0)) ||
	    (r->kind == RS_SUPERVISORD && (r->fifo == NULL || r->parent <= 0)))
		rs_usage();
}

int
main(int argc, char **argv)
{
	struct rs	r;
	int		i;

	memset(&r, 0, sizeof(r));
	r.fd = r.fdw = -1;
	rs_args(&r, argc, argv);
	for (i = 0; i < r.nt; i++)
		if ((r.t[i].ms = calloc((size_t)r.kills, sizeof(double))) == NULL ||
		    (r.t[i].spawn_ms = calloc((size_t)r.kills,
		    sizeof(double))) == NULL ||
		    (r.t[i].kill_epoch_ms = calloc((size_t)r.kills,
		    sizeof(double))) == NULL)
			bench_die("out of memory");
	switch (r.kind) {
	case RS_CORRAL:
		rs_corral_start(&r);
		break;
	case RS_S6:
		rs_s6_subscribe(&r);
		break;
	case RS_SUPERVISORD:
		/* our own writer: no EOF while svlisten restarts */
		if ((r.fd = open(r.fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
		    (r.fdw = open(r.fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
			bench_die("open %s: %s", r.fifo, strerror(errno));
		break;
	}
	rs_loop(&r);
	if (r.kind == RS_CORRAL)
		rs_corral_stop(&r);
	if (r.kind == RS_S6)
		(void)unlink(r.sub);
	rs_write_json(&r);
	for (i = 0; i < r.nt; i++) {
		free(r.t[i].ms);
		free(r.t[i].spawn_ms);
		free(r.t[i].kill_epoch_ms);
	}
	return (0);
}
