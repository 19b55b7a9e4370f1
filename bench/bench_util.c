/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	bench_util - clock, statistics and /proc helpers for the bench tools
 * DESCRIPTION
 *	See bench_util.h. Nothing here is used by the daemon.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

/* bench_die - print a message and exit 1 */
void
bench_die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* bench_now_ns - CLOCK_MONOTONIC in nanoseconds */
uint64_t
bench_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

/* bench_sleep_until - sleep until the monotonic clock reads ns */
void
bench_sleep_until(uint64_t ns)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

/* bench_cmp - qsort order for doubles */
static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* bench_rank - nearest-rank percentile p (0..100) of sorted v */
static double
bench_rank(const double *v, size_t n, double p)
{
	size_t	k;

	if (n == 0)
		return (0);
	k = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return (v[k - 1]);
}

/* bench_stats - sort v and summarise it */
void
bench_stats(double *v, size_t n, struct bench_stats *st)
{
	double	sum = 0;
	size_t	i;

	memset(st, 0, sizeof(*st));
	st->n = n;
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), bench_cmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	st->min = v[0];
	st->max = v[n - 1];
	st->mean = sum / (double)n;
	st->p90 = bench_rank(v, n, 90);
	st->p99 = bench_rank(v, n, 99);
	/* the median of an even count is the mean of the middle two */
	st->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* bench_json_stats - print the summary and, if v, the samples */
void
bench_json_stats(FILE *f, const char *unit, const struct bench_stats *st,
    const double *v, size_t n)
{
	size_t	i;

	fprintf(f, "{\"n\":%zu,\"unit\":\"%s\",\"min\":%.4f,\"median\":%.4f,"
	    "\"p90\":%.4f,\"p99\":%.4f,\"max\":%.4f,\"mean\":%.4f", st->n, unit,
	    st->min, st->median, st->p90, st->p99, st->max, st->mean);
	if (v != NULL) {
		fputs(",\"samples\":[", f);
		for (i = 0; i < n; i++)
			fprintf(f, "%s%.4f", i ? "," : "", v[i]);
		fputc(']', f);
	}
	fputc('}', f);
}

/* bench_proc_argv0 - the last path component of pid's argv[0] */
int
bench_proc_argv0(pid_t pid, char *buf, size_t len)
{
	char	path[64], arg[512], *base;
	FILE	*f;
	size_t	n;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	n = fread(arg, 1, sizeof(arg) - 1, f);
	fclose(f);
	if (n == 0)
		return (-1);
	arg[n] = '\0';		/* argv[0] ends at the first NUL */
	base = strrchr(arg, '/') != NULL ? strrchr(arg, '/') + 1 : arg;
	snprintf(buf, len, "%s", base);
	return (0);
}

/* bench_proc_ppid - the parent of pid, -1 if it is gone */
static pid_t
bench_proc_ppid(pid_t pid)
{
	char	path[64], line[512], *p;
	FILE	*f;
	long	ppid;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	if (fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		return (-1);
	}
	fclose(f);
	/* "pid (comm) state ppid ...": comm may hold spaces and parens */
	if ((p = strrchr(line, ')')) == NULL ||
	    sscanf(p + 1, " %*c %ld", &ppid) != 1)
		return (-1);
	return ((pid_t)ppid);
}

/* bench_children - up to max children of parent; how many there are */
size_t
bench_children(pid_t parent, pid_t *pids, size_t max)
{
	DIR		*d;
	struct dirent	*e;
	pid_t		 pid;
	size_t		 n = 0;

	if ((d = opendir("/proc")) == NULL)
		return (0);
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)atol(e->d_name);
		if (bench_proc_ppid(pid) != parent)
			continue;
		if (n < max)
			pids[n] = pid;
		n++;
	}
	closedir(d);
	return (n);
}

/* bench_find_child - a child of parent called argv0, 0 if none */
pid_t
bench_find_child(pid_t parent, const char *argv0)
{
	pid_t	pids[64];
	char	name[256];
	size_t	n, i;

	n = bench_children(parent, pids, 64);
	for (i = 0; i < n && i < 64; i++)
		if (bench_proc_argv0(pids[i], name, sizeof(name)) == 0 &&
		    strcmp(name, argv0) == 0)
			return (pids[i]);
	return (0);
}

/* bench_proc_kib - "key: N kB" from /proc/pid/file, -1 if absent */
long
bench_proc_kib(pid_t pid, const char *file, const char *key)
{
	char	path[64], line[256];
	size_t	klen = strlen(key);
	FILE	*f;
	long	v = -1;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			v = atol(line + klen + 1);
			break;
		}
	fclose(f);
	return (v);
}

/* bench_notify_open - a bound unix datagram socket at path */
int
bench_notify_open(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		bench_die("notify socket path too long: %s", path);
	memcpy(sun.sun_path, path, strlen(path));
	(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		bench_die("socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		bench_die("bind %s: %s", path, strerror(errno));
	/* the daemon runs as another user after its privilege drop */
	(void)chmod(path, 0777);
	return (fd);
}

static volatile pid_t	bench_guarded;

/* bench_guard_cb - we are being stopped: stop the child first */
static void
bench_guard_cb(int sig)
{
	pid_t	pid = bench_guarded;

	if (pid > 0) {
		(void)kill(pid, SIGTERM);
		(void)waitpid(pid, NULL, 0);
	}
	_exit(128 + sig);
}

/* bench_guard_child - SIGTERM/SIGINT/SIGHUP to us stop pid first (0: none) */
void
bench_guard_child(pid_t pid)
{
	struct sigaction	sa;

	bench_guarded = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_guard_cb;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
}
