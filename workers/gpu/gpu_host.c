/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_host - the host and corral's own processes, from /proc
 * SYNOPSIS
 *	#include "gpu_host.h"
 * DESCRIPTION
 *	See gpu_host.h. Every /proc file is read whole into a small buffer
 *	(they are a few hundred bytes; meminfo about 1.5 KiB) and handed to
 *	its pure parser. The previous CPU reading of the host and of each
 *	reported pid is kept in struct gpu_host, so a percentage is always
 *	over the time between two samples. Process times come in clock
 *	ticks (sysconf(_SC_CLK_TCK)); wall time is CLOCK_BOOTTIME, whose
 *	origin is the one /proc/PID/stat's starttime counts from.
 * DIAGNOSTICS
 *	None: a value that cannot be read is left unknown.
 */
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gpu_host.h"
#include "gpu_dev.h"
#include "xmalloc.h"

#define GPU_HOST_BUF	8192	/* largest /proc file read */
#define GPU_HOST_PIDS	64	/* pids whose previous reading is kept */

struct gpu_host_prev {
	long			pid;
	unsigned long long	start;		/* starttime, ticks */
	unsigned long long	ticks;		/* utime + stime */
	double			at_s;		/* CLOCK_BOOTTIME */
};

struct gpu_host {
	char			*proc;
	int			 cpu_seen;
	struct gpu_cpu_times	 cpu;
	size_t			 nprev;
	struct gpu_host_prev	 prev[GPU_HOST_PIDS];
	long			 hz;
	long			 page_kib;
};

/* gpu_host_new - the previous readings, none yet */
struct gpu_host *
gpu_host_new(const char *proc)
{
	struct gpu_host	*h;
	long		 pg;

	h = xcalloc(1, sizeof(*h));
	h->proc = xstrdup(proc);
	if ((h->hz = sysconf(_SC_CLK_TCK)) <= 0)
		h->hz = 100;
	pg = sysconf(_SC_PAGESIZE);
	h->page_kib = pg >= 1024 ? pg / 1024 : 4;
	return (h);
}

/* gpu_host_free - free h; NULL is fine */
void
gpu_host_free(struct gpu_host *h)
{
	if (h == NULL)
		return;
	free(h->proc);
	free(h);
}

/* gpu_host_slurp - proc/rel into buf as a string; 0 or -1 */
static int
gpu_host_slurp(const char *proc, const char *rel, char *buf, size_t len)
{
	char	path[256];
	ssize_t	k;
	size_t	n = 0;
	int	fd;

	snprintf(path, sizeof(path), "%s/%s", proc, rel);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	while (n + 1 < len) {
		if ((k = read(fd, buf + n, len - 1 - n)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return (-1);
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	return (0);
}

/* gpu_host_parse_stat - the first "cpu" line of /proc/stat */
int
gpu_host_parse_stat(const char *text, struct gpu_cpu_times *t)
{
	unsigned long long	v[8] = { 0 };
	int			n;

	/* user nice system idle iowait irq softirq steal; guest time is
	 * already in user and nice */
	if (strncmp(text, "cpu ", 4) != 0)
		return (-1);
	n = sscanf(text + 4, "%llu %llu %llu %llu %llu %llu %llu %llu",
	    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	if (n < 4)
		return (-1);
	t->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	t->busy = t->total - v[3] - v[4];
	return (0);
}

/* gpu_host_cpu_pct - busy percent between two readings (0..100) */
double
gpu_host_cpu_pct(const struct gpu_cpu_times *prev,
    const struct gpu_cpu_times *cur)
{
	unsigned long long	db, dt;

	if (cur->total <= prev->total || cur->busy < prev->busy)
		return (0);
	dt = cur->total - prev->total;
	db = cur->busy - prev->busy;
	if (db > dt)
		db = dt;
	return ((double)(db * 10000 / dt) / 100.0);
}

/* gpu_host_parse_loadavg - the three load averages of /proc/loadavg */
int
gpu_host_parse_loadavg(const char *text, double load[3])
{
	if (sscanf(text, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
		return (-1);
	return (0);
}

/* gpu_host_meminfo_key - the value of "key:   N kB" in text, or -1 */
static long long
gpu_host_meminfo_key(const char *text, const char *key)
{
	const char	*p = text;
	size_t		 n = strlen(key);
	long long	 v;
	char		 unit[8];

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, n) == 0 && p[n] == ':') {
			if (sscanf(p + n + 1, "%lld %7s", &v, unit) == 2 &&
			    strcmp(unit, "kB") == 0 && v >= 0)
				return (v);
			return (-1);
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (-1);
}

/* gpu_host_parse_meminfo - MemTotal and MemAvailable, in KiB */
int
gpu_host_parse_meminfo(const char *text, long long *total_kib,
    long long *avail_kib)
{
	*total_kib = gpu_host_meminfo_key(text, "MemTotal");
	*avail_kib = gpu_host_meminfo_key(text, "MemAvailable");
	return (*total_kib < 0 || *avail_kib < 0 ? -1 : 0);
}

/* gpu_host_parse_pidstat - utime + stime and starttime of /proc/PID/stat */
int
gpu_host_parse_pidstat(const char *text, unsigned long long *ticks,
    unsigned long long *start)
{
	const char		*p;
	unsigned long long	 ut, st, sta;
	int			 field;

	/* "pid (comm) state ppid ...": comm may hold blanks and ')' */
	if ((p = strrchr(text, ')')) == NULL || p[1] != ' ')
		return (-1);
	p += 2;
	/* p is at field 3 (state); utime 14, stime 15, starttime 22 */
	ut = st = sta = 0;
	for (field = 3; field <= 22; field++) {
		if (*p == '\0')
			return (-1);
		if (field == 14 && sscanf(p, "%llu", &ut) != 1)
			return (-1);
		if (field == 15 && sscanf(p, "%llu", &st) != 1)
			return (-1);
		if (field == 22 && sscanf(p, "%llu", &sta) != 1)
			return (-1);
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	*ticks = ut + st;
	*start = sta;
	return (0);
}

/* gpu_host_parse_statm - resident pages, the second field of statm */
int
gpu_host_parse_statm(const char *text, long long *pages)
{
	long long	size;

	if (sscanf(text, "%lld %lld", &size, pages) != 2 || *pages < 0)
		return (-1);
	return (0);
}

/* gpu_host_comm - the name of pid from proc/PID/comm; 0 or -1 */
int
gpu_host_comm(const char *proc, unsigned int pid, char *buf, size_t len)
{
	char	rel[64];

	snprintf(rel, sizeof(rel), "%u/comm", pid);
	if (gpu_host_slurp(proc, rel, buf, len) == -1)
		return (-1);
	buf[strcspn(buf, "\n")] = '\0';
	return (0);
}

/* gpu_host_now_s - CLOCK_BOOTTIME in seconds */
static double
gpu_host_now_s(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) == -1)
		(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* gpu_host_read - one host sample (the disks are borrowed until s goes) */
void
gpu_host_read(struct gpu_host *h, struct gpu_host_sample *s,
    const struct gpu_host_disk *disks, int ndisks)
{
	struct gpu_cpu_times	 cur, zero = { 0, 0 };
	struct statvfs		 sv;
	char			 buf[GPU_HOST_BUF];
	int			 i;

	memset(s, 0, sizeof(*s));
	if (gethostname(s->hostname, sizeof(s->hostname) - 1) == -1)
		s->hostname[0] = '\0';
	if (gpu_host_slurp(h->proc, "stat", buf, sizeof(buf)) == 0 &&
	    gpu_host_parse_stat(buf, &cur) == 0) {
		s->cpu_pct = gpu_host_cpu_pct(h->cpu_seen ? &h->cpu : &zero,
		    &cur);
		s->cpu_known = 1;
		h->cpu = cur;
		h->cpu_seen = 1;
	}
	s->load_known = gpu_host_slurp(h->proc, "loadavg", buf,
	    sizeof(buf)) == 0 && gpu_host_parse_loadavg(buf, s->load) == 0;
	s->mem_total_kib = s->mem_available_kib = -1;
	if (gpu_host_slurp(h->proc, "meminfo", buf, sizeof(buf)) == 0)
		(void)gpu_host_parse_meminfo(buf, &s->mem_total_kib,
		    &s->mem_available_kib);
	for (i = 0; i < ndisks && i < GPU_HOST_DISKS; i++) {
		s->disks[i].name = disks[i].name;
		s->disks[i].path = disks[i].path;
		if (disks[i].path != NULL && statvfs(disks[i].path, &sv) == 0) {
			s->disks[i].known = 1;
			s->disks[i].free_bytes = (unsigned long long)
			    sv.f_bavail * sv.f_frsize;
			s->disks[i].total_bytes = (unsigned long long)
			    sv.f_blocks * sv.f_frsize;
		}
		s->ndisks = i + 1;
	}
}

/* gpu_host_json - the "host" object; caller owns it */
cJSON *
gpu_host_json(const struct gpu_host_sample *s)
{
	static const char *const loads[3] = { "load1", "load5", "load15" };
	cJSON	*o, *a, *d;
	int	 i;

	o = cJSON_CreateObject();
	if (s->hostname[0] != '\0')
		cJSON_AddStringToObject(o, "hostname", s->hostname);
	else
		cJSON_AddNullToObject(o, "hostname");
	gpu_json_num(o, "cpu_pct", s->cpu_known, s->cpu_pct);
	for (i = 0; i < 3; i++)
		gpu_json_num(o, loads[i], s->load_known, s->load[i]);
	gpu_json_num(o, "mem_total_kib", s->mem_total_kib >= 0,
	    (double)s->mem_total_kib);
	gpu_json_num(o, "mem_available_kib", s->mem_available_kib >= 0,
	    (double)s->mem_available_kib);
	a = cJSON_AddArrayToObject(o, "disks");
	for (i = 0; i < s->ndisks; i++) {
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", s->disks[i].name);
		if (s->disks[i].path != NULL)
			cJSON_AddStringToObject(d, "path", s->disks[i].path);
		else
			cJSON_AddNullToObject(d, "path");
		gpu_json_num(d, "free_bytes", s->disks[i].known,
		    (double)s->disks[i].free_bytes);
		gpu_json_num(d, "total_bytes", s->disks[i].known,
		    (double)s->disks[i].total_bytes);
		cJSON_AddItemToArray(a, d);
	}
	return (o);
}

/* gpu_host_prev_find - the previous reading of pid started at start */
static const struct gpu_host_prev *
gpu_host_prev_find(const struct gpu_host *h, long pid, unsigned long long start)
{
	size_t	i;

	for (i = 0; i < h->nprev; i++)
		if (h->prev[i].pid == pid && h->prev[i].start == start)
			return (&h->prev[i]);
	return (NULL);
}

/* gpu_host_proc_json - one element of "procs"; updates next */
static cJSON *
gpu_host_proc_json(struct gpu_host *h, const struct gpu_host_pid *p,
    double now, struct gpu_host_prev *next, size_t *nnext)
{
	const struct gpu_host_prev	*old;
	unsigned long long		 ticks, start;
	long long			 pages;
	char				 rel[64], buf[1024];
	double				 cpu = 0, dt;
	int				 cpu_known = 0, rss_known = 0;
	cJSON				*o;

	snprintf(rel, sizeof(rel), "%ld/stat", p->pid);
	if (gpu_host_slurp(h->proc, rel, buf, sizeof(buf)) == 0 &&
	    gpu_host_parse_pidstat(buf, &ticks, &start) == 0) {
		if ((old = gpu_host_prev_find(h, p->pid, start)) != NULL) {
			dt = now - old->at_s;
			if (dt > 0 && ticks >= old->ticks)
				cpu = (double)(ticks - old->ticks) /
				    (double)h->hz / dt * 100.0;
		} else {
			dt = now - (double)start / (double)h->hz;
			if (dt > 0)
				cpu = (double)ticks / (double)h->hz / dt *
				    100.0;
		}
		cpu = (double)(long long)(cpu * 100 + 0.5) / 100.0;
		cpu_known = 1;
		if (*nnext < GPU_HOST_PIDS) {
			next[*nnext].pid = p->pid;
			next[*nnext].start = start;
			next[*nnext].ticks = ticks;
			next[*nnext].at_s = now;
			(*nnext)++;
		}
	}
	snprintf(rel, sizeof(rel), "%ld/statm", p->pid);
	if (gpu_host_slurp(h->proc, rel, buf, sizeof(buf)) == 0 &&
	    gpu_host_parse_statm(buf, &pages) == 0)
		rss_known = 1;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddNumberToObject(o, "pid", (double)p->pid);
	gpu_json_num(o, "rss_kib", rss_known,
	    rss_known ? (double)(pages * h->page_kib) : 0);
	gpu_json_num(o, "cpu_pct", cpu_known, cpu);
	return (o);
}

/* gpu_host_procs - the "procs" array for pids; caller owns it */
cJSON *
gpu_host_procs(struct gpu_host *h, const struct gpu_host_pid *pids, size_t n)
{
	struct gpu_host_prev	 next[GPU_HOST_PIDS];
	size_t			 i, nnext = 0;
	double			 now = gpu_host_now_s();
	cJSON			*a;

	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		if (pids[i].pid > 0)
			cJSON_AddItemToArray(a, gpu_host_proc_json(h, &pids[i],
			    now, next, &nnext));
	memcpy(h->prev, next, nnext * sizeof(next[0]));
	h->nprev = nnext;
	return (a);
}
