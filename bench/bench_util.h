/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	bench_util.h - what the bench tools share: clock, statistics, /proc
 * SYNOPSIS
 *	uint64_t bench_now_ns(void);
 *	void	bench_sleep_until(uint64_t ns);
 *	void	bench_stats(double *v, size_t n, struct bench_stats *st);
 *	void	bench_json_stats(FILE *f, const char *unit,
 *		    const struct bench_stats *st, const double *v, size_t n);
 *	size_t	bench_children(pid_t parent, pid_t *pids, size_t max);
 *	pid_t	bench_find_child(pid_t parent, const char *argv0);
 *	long	bench_proc_kib(pid_t pid, const char *file, const char *key);
 *	int	bench_proc_argv0(pid_t pid, char *buf, size_t len);
 *	int	bench_notify_open(const char *path);
 *	void	bench_guard_child(pid_t pid);
 * DESCRIPTION
 *	Times come from CLOCK_MONOTONIC. bench_stats sorts v in place and
 *	fills the median and the p99 by nearest rank (with 50 samples the
 *	p99 is the largest one). bench_find_child scans /proc for a child
 *	of parent whose argv[0], or its last path component, is argv0;
 *	bench_children lists them all.
 *	bench_proc_kib reads one "Key: N kB" line of /proc/PID/file.
 *	bench_notify_open binds a unix datagram socket at path, as systemd
 *	does for NOTIFY_SOCKET. bench_guard_child makes SIGTERM, SIGINT and
 *	SIGHUP stop pid (SIGTERM, then reap it) before we exit: a corral that
 *	a tool started must not outlive the tool (PR_SET_PDEATHSIG does not
 *	survive corral's privilege drop).
 * DIAGNOSTICS
 *	-1 (or 0 for pids) when something cannot be found; the bench tools
 *	are short-lived and exit 1 with a message on setup errors.
 */
#ifndef CORRAL_BENCH_UTIL_H
#define CORRAL_BENCH_UTIL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bench_stats {
	size_t	n;
	double	min, median, p90, p99, max, mean;
};

/* bench_now_ns - CLOCK_MONOTONIC in nanoseconds */
uint64_t	bench_now_ns(void);

/* bench_sleep_until - sleep until the monotonic clock reads ns */
void		bench_sleep_until(uint64_t ns);

/* bench_stats - sort v and summarise it */
void		bench_stats(double *v, size_t n, struct bench_stats *st);

/* bench_json_stats - print {"n","unit","min",...,"samples":[...]} (v may be NULL) */
void		bench_json_stats(FILE *f, const char *unit,
		    const struct bench_stats *st, const double *v, size_t n);

/* bench_children - up to max children of parent; how many there are */
size_t		bench_children(pid_t parent, pid_t *pids, size_t max);

/* bench_find_child - a child of parent called argv0, 0 if none */
pid_t		bench_find_child(pid_t parent, const char *argv0);

/* bench_proc_kib - "key: N kB" from /proc/pid/file, -1 if absent */
long		bench_proc_kib(pid_t pid, const char *file, const char *key);

/* bench_proc_argv0 - the last path component of pid's argv[0] */
int		bench_proc_argv0(pid_t pid, char *buf, size_t len);

/* bench_notify_open - a bound unix datagram socket at path */
int		bench_notify_open(const char *path);

/* bench_guard_child - a signal that stops us stops pid first (0: none) */
void		bench_guard_child(pid_t pid);

/* bench_die - print a message and exit 1 */
void		bench_die(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

#endif
