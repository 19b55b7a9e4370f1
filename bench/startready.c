/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	startready - time corral from exec to READY=1, and its idle memory
 * SYNOPSIS
 *	startready -n RUNS -o OUT -s SOCK [-m IDLE_MS] -- CORRAL [ARGS...]
 * DESCRIPTION
 *	RUNS times: bind a unix datagram socket at SOCK, read the clock,
 *	fork and exec corral with NOTIFY_SOCKET=SOCK, and wait (poll) for
 *	the master's "READY=1", which it sends once every enabled worker
 *	has said READY: the same moment /readyz turns 200. Then SIGTERM
 *	and time the clean stop (until the master has been reaped).
 *
 *	With -m, after the last start it waits IDLE_MS and reads VmRSS
 *	and Pss (smaps_rollup) of the master and of each of its children,
 *	named by their argv[0] (the worker's name).
 * DIAGNOSTICS
 *	Exits 1 if corral does not become ready within 30 s or does not
 *	stop within 20 s (it is then killed).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define SR_CHILDREN_MAX	32

/* sr_wait_ready - READY=1 on fd before deadline; -1 if not */
static int
sr_wait_ready(int fd, uint64_t deadline)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	char		msg[512];
	ssize_t		n;
	uint64_t	now;

	for (;;) {
		if ((n = recv(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT)) > 0) {
			msg[n] = '\0';
			if (strcmp(msg, "READY=1") == 0)
				return (0);
			continue;
		}
		if ((now = bench_now_ns()) >= deadline)
			return (-1);
		(void)poll(&pfd, 1, (int)((deadline - now) / 1000000ull) + 1);
	}
}

/* sr_start - fork and exec corral with NOTIFY_SOCKET */
static pid_t
sr_start(char **argv, const char *sock)
{
	pid_t	pid;

	if ((pid = fork()) == -1)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", sock, 1);
		execv(argv[0], argv);
		fprintf(stderr, "startready: exec %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	bench_guard_child(pid);
	return (pid);
}

/* sr_stop - SIGTERM, reap; the time it took in ms */
static double
sr_stop(pid_t pid)
{
	uint64_t	t0 = bench_now_ns(), end = t0 + 20000000000ull;
	int		status;

	(void)kill(pid, SIGTERM);
	bench_guard_child(0);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (bench_now_ns() > end) {
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			bench_die("corral did not stop within 20 s");
		}
		bench_sleep_until(bench_now_ns() + 200000ull);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "startready: corral stopped with status 0x%x\n",
		    (unsigned)status);
	return ((double)(bench_now_ns() - t0) / 1e6);
}

/* sr_memory - RSS and PSS of the master and its children, as JSON */
static void
sr_memory(FILE *f, pid_t master)
{
	pid_t	kids[SR_CHILDREN_MAX];
	char	name[128];
	size_t	n, i;
	long	rss, pss, trss, tpss;

	trss = rss = bench_proc_kib(master, "status", "VmRSS");
	tpss = pss = bench_proc_kib(master, "smaps_rollup", "Pss");
	fprintf(f, "{\"master\":{\"rss_kib\":%ld,\"pss_kib\":%ld},"
	    "\"workers\":[", rss, pss);
	n = bench_children(master, kids, SR_CHILDREN_MAX);
	for (i = 0; i < n && i < SR_CHILDREN_MAX; i++) {
		if (bench_proc_argv0(kids[i], name, sizeof(name)) == -1)
			snprintf(name, sizeof(name), "?");
		rss = bench_proc_kib(kids[i], "status", "VmRSS");
		pss = bench_proc_kib(kids[i], "smaps_rollup", "Pss");
		trss += rss;
		tpss += pss;
		fprintf(f, "%s{\"name\":\"%s\",\"rss_kib\":%ld,\"pss_kib\":%ld}",
		    i ? "," : "", name, rss, pss);
	}
	fprintf(f, "],\"total_rss_kib\":%ld,\"total_pss_kib\":%ld}", trss,
	    tpss);
}

int
main(int argc, char **argv)
{
	const char	*out = NULL, *sock = NULL;
	double		*ready, *stop;
	struct bench_stats st;
	uint64_t	 t0;
	FILE		*f;
	pid_t		 pid;
	int		 c, i, runs = 0, idle_ms = -1, fd;

	while ((c = getopt(argc, argv, "n:o:s:m:")) != -1) {
		switch (c) {
		case 'n': runs = atoi(optarg); break;
		case 'o': out = optarg; break;
		case 's': sock = optarg; break;
		case 'm': idle_ms = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (runs < 1 || out == NULL || sock == NULL || argv[optind] == NULL)
		goto usage;
	if ((ready = calloc((size_t)runs, sizeof(double))) == NULL ||
	    (stop = calloc((size_t)runs, sizeof(double))) == NULL)
		bench_die("out of memory");
	if ((f = fopen(out, "w")) == NULL)
		bench_die("%s: %s", out, strerror(errno));
	fprintf(f, "{\"runs\":%d,", runs);
	for (i = 0; i < runs; i++) {
		fd = bench_notify_open(sock);
		t0 = bench_now_ns();
		pid = sr_start(argv + optind, sock);
		if (sr_wait_ready(fd, t0 + 30000000000ull) == -1) {
			(void)kill(pid, SIGKILL);
			bench_die("corral not ready within 30 s (run %d)", i + 1);
		}
		ready[i] = (double)(bench_now_ns() - t0) / 1e6;
		if (i == runs - 1 && idle_ms >= 0) {
			bench_sleep_until(bench_now_ns() +
			    (uint64_t)idle_ms * 1000000ull);
			fprintf(f, "\"idle_ms\":%d,\"memory\":", idle_ms);
			sr_memory(f, pid);
			fputc(',', f);
		}
		stop[i] = sr_stop(pid);
		close(fd);
		(void)unlink(sock);
	}
	fprintf(f, "\"first_ready_ms\":%.4f,\"start_to_ready\":", ready[0]);
	bench_stats(ready, (size_t)runs, &st);
	bench_json_stats(f, "ms", &st, ready, (size_t)runs);
	fputs(",\"stop\":", f);
	bench_stats(stop, (size_t)runs, &st);
	bench_json_stats(f, "ms", &st, stop, (size_t)runs);
	fputs("}\n", f);
	fclose(f);
	return (0);
usage:
	fprintf(stderr, "usage: startready -n RUNS -o OUT -s SOCK [-m IDLE_MS] "
	    "-- CORRAL [ARGS...]\n");
	return (2);
}
