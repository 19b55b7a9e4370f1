/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	pingpong - the limit: a raw socketpair ping-pong between two processes
 * SYNOPSIS
 *	pingpong -o OUT [-b BYTES] [-n ROUNDS] [-w WINDOW] [-t MS]
 * DESCRIPTION
 *	Two processes (fork, no exec) on one AF_UNIX SOCK_STREAM socketpair,
 *	the kind corral's bus uses, with blocking read and write and no
 *	framing code at all. The parent sends BYTES bytes (default 84: a
 *	20-byte corral header and the bench's 64-byte PING payload) and the
 *	child sends them back.
 *
 *	First ROUNDS round trips one at a time (after ROUNDS/10 unmeasured
 *	ones), each timed: the round trip latency. Then WINDOW messages in
 *	flight for MS milliseconds: round trips per second.
 * DIAGNOSTICS
 *	Exits 1 on any I/O error.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define PP_BYTES_MAX	65536

/* pp_full - read or write exactly len bytes; 0, or -1 on EOF/error */
static int
pp_full(int fd, char *buf, size_t len, int wr)
{
	ssize_t	n;
	size_t	off = 0;

	while (off < len) {
		n = wr ? write(fd, buf + off, len - off) :
		    read(fd, buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		off += (size_t)n;
	}
	return (0);
}

/* pp_echo - the child: send back every message until EOF */
static void
pp_echo(int fd, size_t len)
{
	char	buf[PP_BYTES_MAX];

	while (pp_full(fd, buf, len, 0) == 0)
		if (pp_full(fd, buf, len, 1) == -1)
			break;
	_exit(0);
}

/* pp_round - one round trip */
static void
pp_round(int fd, char *buf, size_t len)
{
	if (pp_full(fd, buf, len, 1) == -1 || pp_full(fd, buf, len, 0) == -1)
		bench_die("pingpong: round trip: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	const char	*out = NULL;
	char		 buf[PP_BYTES_MAX];
	double		*us;
	struct bench_stats st;
	uint64_t	 t0, end;
	size_t		 bytes = 84;
	long		 rounds = 20000, done = 0;
	int		 c, i, window = 64, ms = 2000, sv[2];
	FILE		*f;
	pid_t		 pid;

	while ((c = getopt(argc, argv, "o:b:n:w:t:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'b': bytes = (size_t)atol(optarg); break;
		case 'n': rounds = atol(optarg); break;
		case 'w': window = atoi(optarg); break;
		case 't': ms = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (out == NULL || bytes < 1 || bytes > PP_BYTES_MAX || rounds < 1 ||
	    window < 1 || ms < 1)
		goto usage;
	if ((us = calloc((size_t)rounds, sizeof(double))) == NULL)
		bench_die("out of memory");
	memset(buf, 'x', bytes);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		bench_die("socketpair: %s", strerror(errno));
	if ((pid = fork()) == -1)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(sv[0]);
		pp_echo(sv[1], bytes);
	}
	close(sv[1]);

	for (i = 0; i < rounds / 10; i++)
		pp_round(sv[0], buf, bytes);
	for (i = 0; i < rounds; i++) {
		t0 = bench_now_ns();
		pp_round(sv[0], buf, bytes);
		us[i] = (double)(bench_now_ns() - t0) / 1e3;
	}

	/* pipelined: keep window messages in flight */
	for (i = 0; i < window; i++)
		if (pp_full(sv[0], buf, bytes, 1) == -1)
			bench_die("pingpong: write: %s", strerror(errno));
	t0 = bench_now_ns();
	end = t0 + (uint64_t)ms * 1000000ull;
	while (bench_now_ns() < end) {
		if (pp_full(sv[0], buf, bytes, 0) == -1 ||
		    pp_full(sv[0], buf, bytes, 1) == -1)
			bench_die("pingpong: pipelined: %s", strerror(errno));
		done++;
	}
	end = bench_now_ns();
	for (i = 0; i < window; i++)
		(void)pp_full(sv[0], buf, bytes, 0);
	close(sv[0]);
	(void)waitpid(pid, NULL, 0);

	if ((f = fopen(out, "w")) == NULL)
		bench_die("%s: %s", out, strerror(errno));
	bench_stats(us, (size_t)rounds, &st);
	fprintf(f, "{\"bytes\":%zu,\"rtt\":", bytes);
	bench_json_stats(f, "us", &st, NULL, 0);
	fprintf(f, ",\"pipelined\":{\"window\":%d,\"seconds\":%.3f,"
	    "\"round_trips\":%ld,\"round_trips_per_s\":%.0f}}\n", window,
	    (double)(end - t0) / 1e9, done,
	    (double)done / ((double)(end - t0) / 1e9));
	fclose(f);
	free(us);
	return (0);
usage:
	fprintf(stderr, "usage: pingpong -o OUT [-b BYTES] [-n ROUNDS] "
	    "[-w WINDOW] [-t MS]\n");
	return (2);
}
