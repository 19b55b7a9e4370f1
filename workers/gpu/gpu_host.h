/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_host.h - the host and corral's own processes, from /proc
 * SYNOPSIS
 *	struct gpu_host *gpu_host_new(const char *proc);
 *	void	gpu_host_read(struct gpu_host *h, struct gpu_host_sample *s,
 *		    const struct gpu_host_disk *disks, int ndisks);
 *	cJSON	*gpu_host_json(const struct gpu_host_sample *s);
 *	cJSON	*gpu_host_procs(struct gpu_host *h,
 *		    const struct gpu_host_pid *pids, size_t n);
 *	int	gpu_host_comm(const char *proc, unsigned int pid, char *buf,
 *		    size_t len);
 *	void	gpu_host_free(struct gpu_host *h);
 *
 *	int	gpu_host_parse_stat(const char *text, struct gpu_cpu_times *t);
 *	int	gpu_host_parse_loadavg(const char *text, double load[3]);
 *	int	gpu_host_parse_meminfo(const char *text, long long *total_kib,
 *		    long long *avail_kib);
 *	int	gpu_host_parse_pidstat(const char *text,
 *		    unsigned long long *ticks, unsigned long long *start);
 *	int	gpu_host_parse_statm(const char *text, long long *pages);
 *	double	gpu_host_cpu_pct(const struct gpu_cpu_times *prev,
 *		    const struct gpu_cpu_times *cur);
 * DESCRIPTION
 *	gpu_host_read fills one host sample: the host name, CPU % since the
 *	previous read (the first read: since boot) from the "cpu" line of
 *	/proc/stat, the load averages of /proc/loadavg, MemTotal and
 *	MemAvailable of /proc/meminfo, and free (f_bavail, what an
 *	unprivileged writer can use) and total bytes of each disk path by
 *	statvfs. A value that cannot be read is unknown (null in JSON).
 *	gpu_host_json prints it as the "host" object of MSG_GPU_SAMPLE.
 *
 *	gpu_host_procs prints the "procs" array: for each pid its resident
 *	set (statm, in KiB) and CPU % (utime + stime of /proc/PID/stat)
 *	since the previous call; a pid seen for the first time gets its
 *	average since it started. A pid is known by its start time too, so
 *	a reused pid starts over. gpu_host_comm reads /proc/PID/comm.
 *
 *	The gpu_host_parse_* functions are the pure parsers underneath, one
 *	per /proc file; each returns 0, or -1 if text does not have the
 *	shape the kernel prints (proc(5)). gpu_host_cpu_pct is busy over
 *	total jiffies between two "cpu" lines, where busy is everything but
 *	idle and iowait.
 *
 *	proc is the procfs mount, "/proc" but for tests.
 */
#ifndef CORRAL_GPU_HOST_H
#define CORRAL_GPU_HOST_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define GPU_HOST_DISKS	2

struct gpu_host;

struct gpu_cpu_times {
	unsigned long long	busy;
	unsigned long long	total;
};

/* A disk the host part reports: name ("state_root") and path. */
struct gpu_host_disk {
	const char	*name;
	const char	*path;
};

struct gpu_host_sample {
	char		hostname[256];
	int		cpu_known;
	double		cpu_pct;
	int		load_known;
	double		load[3];
	long long	mem_total_kib;		/* -1: unknown */
	long long	mem_available_kib;	/* -1: unknown */
	int		ndisks;
	struct {
		const char		*name;	/* borrowed from the caller */
		const char		*path;	/* borrowed from the caller */
		int			 known;
		unsigned long long	 free_bytes;
		unsigned long long	 total_bytes;
	} disks[GPU_HOST_DISKS];
};

/* A corral process to report: its name on the bus ("master", "http"). */
struct gpu_host_pid {
	const char	*name;
	long		 pid;
};

/* gpu_host_new - the previous readings, none yet */
struct gpu_host	*gpu_host_new(const char *proc);

/* gpu_host_free - free h; NULL is fine */
void		 gpu_host_free(struct gpu_host *h);

/* gpu_host_read - one host sample (the disks are borrowed until s goes) */
void		 gpu_host_read(struct gpu_host *h, struct gpu_host_sample *s,
		    const struct gpu_host_disk *disks, int ndisks);

/* gpu_host_json - the "host" object; caller owns it */
cJSON		*gpu_host_json(const struct gpu_host_sample *s);

/* gpu_host_procs - the "procs" array for pids; caller owns it */
cJSON		*gpu_host_procs(struct gpu_host *h,
		    const struct gpu_host_pid *pids, size_t n);

/* gpu_host_comm - the name of pid from proc/PID/comm; 0 or -1 */
int		 gpu_host_comm(const char *proc, unsigned int pid, char *buf,
		    size_t len);

/* gpu_host_parse_stat - the first "cpu" line of /proc/stat */
int		 gpu_host_parse_stat(const char *text, struct gpu_cpu_times *t);

/* gpu_host_parse_loadavg - the three load averages of /proc/loadavg */
int		 gpu_host_parse_loadavg(const char *text, double load[3]);

/* gpu_host_parse_meminfo - MemTotal and MemAvailable, in KiB */
int		 gpu_host_parse_meminfo(const char *text, long long *total_kib,
		    long long *avail_kib);

/* gpu_host_parse_pidstat - utime + stime and starttime of /proc/PID/stat */
int		 gpu_host_parse_pidstat(const char *text,
		    unsigned long long *ticks, unsigned long long *start);

/* gpu_host_parse_statm - resident pages, the second field of statm */
int		 gpu_host_parse_statm(const char *text, long long *pages);

/* gpu_host_cpu_pct - busy percent between two readings (0..100) */
double		 gpu_host_cpu_pct(const struct gpu_cpu_times *prev,
		    const struct gpu_cpu_times *cur);

#endif
