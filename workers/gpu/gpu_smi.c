/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	gpu_smi - the nvidia-smi fallback, run without blocking
 * SYNOPSIS
 *	#include "gpu_smi.h"
 * DESCRIPTION
 *	See gpu_smi.h. gpu_smi_cols[] is the query: each row a column
 *	nvidia-smi prints and where it goes (a gpu_field, or the index,
 *	name, UUID or driver version). The --query-gpu argument is built
 *	from it, and the parser reads the columns in the same order, so the
 *	two cannot disagree.
 *
 *	A run is: pipe2 + fork; the child leads a new process group, puts
 *	the pipe on stdout and /dev/null on stdin and stderr, closes every
 *	other descriptor (the channel to the master included) and execs
 *	with the worker's environment (the master's scrubbed one). The
 *	parent reads the pipe from a libevent read event and reaps from
 *	SIGCHLD; whichever of EOF and the exit comes last ends the run. The
 *	timer kills the group, closes the pipe and ends the run at once,
 *	remembering the pid to reap when it finally dies.
 * DIAGNOSTICS
 *	See gpu_smi.h.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gpu_smi.h"
#include "log.h"
#include "xmalloc.h"

#define GPU_SMI_OUT_MAX		(64 * 1024)
#define GPU_SMI_FORMAT		"--format=csv,noheader,nounits"
#define GPU_SMI_PROGRAM		"nvidia-smi"

/* What a column is besides a gpu_field. */
#define GPU_SMI_COL_INDEX	(-1)
#define GPU_SMI_COL_NAME	(-2)
#define GPU_SMI_COL_UUID	(-3)
#define GPU_SMI_COL_DRIVER	(-4)

static const struct {
	const char	*query;
	int		 col;	/* enum gpu_field or GPU_SMI_COL_* */
} gpu_smi_cols[] = {
	{ "index", GPU_SMI_COL_INDEX },
	{ "name", GPU_SMI_COL_NAME },
	{ "uuid", GPU_SMI_COL_UUID },
	{ "utilization.gpu", GPU_F_UTIL_GPU },
	{ "utilization.memory", GPU_F_UTIL_MEM },
	{ "memory.used", GPU_F_MEM_USED },
	{ "memory.total", GPU_F_MEM_TOTAL },
	{ "temperature.gpu", GPU_F_TEMP },
	{ "power.draw", GPU_F_POWER },
	{ "power.limit", GPU_F_POWER_LIMIT },
	{ "clocks.sm", GPU_F_SM_CLOCK },
	{ "clocks.mem", GPU_F_MEM_CLOCK },
	{ "fan.speed", GPU_F_FAN },
	{ "driver_version", GPU_SMI_COL_DRIVER },
};

#define GPU_SMI_NCOLS \
	((int)(sizeof(gpu_smi_cols) / sizeof(gpu_smi_cols[0])))

struct gpu_smi {
	struct event_base	*base;
	char			*path;
	int			 timeout_ms;
	gpu_smi_done_fn		*done;
	void			*arg;
	struct event		*sigchld;
	struct event		*timer;
	struct event		*rd;	/* while the pipe is open */
	int			 fd;	/* -1 once EOF or closed */
	pid_t			 pid;	/* the run's child, 0 if none */
	pid_t			 stuck;	/* killed, not yet reaped */
	int			 running;
	int			 killed; /* by the timer */
	int			 exited;
	int			 status;
	char			*out;
	size_t			 outlen;
	int			 ndevs;
	struct gpu_dev		 devs[GPU_MAX];
	char			 driver[GPU_SMI_DRIVER_LEN];
	char			 err[GPU_SMI_ERR_LEN];
};

static void	gpu_smi_sigchld_cb(evutil_socket_t, short, void *);
static void	gpu_smi_timeout_cb(evutil_socket_t, short, void *);

/* gpu_smi_query - the --query-gpu=... argument */
const char *
gpu_smi_query(void)
{
	static char	q[512];
	size_t		n;
	int		i;

	if (q[0] != '\0')
		return (q);
	n = (size_t)snprintf(q, sizeof(q), "--query-gpu=");
	for (i = 0; i < GPU_SMI_NCOLS && n < sizeof(q); i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "%s%s",
		    i > 0 ? "," : "", gpu_smi_cols[i].query);
	return (q);
}

/* gpu_smi_runnable - is path a regular file we may execute? */
static int
gpu_smi_runnable(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0);
}

/* gpu_smi_find - the nvidia-smi to run into buf; 0, or -1 if none */
int
gpu_smi_find(const char *conf, char *buf, size_t len)
{
	const char	*path, *p, *e;
	size_t		 n;

	if (conf != NULL) {
		if (!gpu_smi_runnable(conf))
			return (-1);
		snprintf(buf, len, "%s", conf);
		return (0);
	}
	if ((path = getenv("PATH")) == NULL)
		return (-1);
	for (p = path; ; p = e + 1) {
		e = strchr(p, ':');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n > 0 && p[0] == '/' && (size_t)snprintf(buf, len,
		    "%.*s/%s", (int)n, p, GPU_SMI_PROGRAM) < len &&
		    gpu_smi_runnable(buf))
			return (0);
		if (e == NULL)
			return (-1);
	}
}

/* gpu_smi_null - does nvidia-smi mean "no value" by s? */
static int
gpu_smi_null(const char *s)
{
	return (s[0] == '\0' || s[0] == '[' || strcmp(s, "N/A") == 0);
}

/* gpu_smi_trim - s without leading and trailing blanks (in place) */
static char *
gpu_smi_trim(char *s)
{
	size_t	n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return (s);
}

/* gpu_smi_row - one row into d; 0, or -1 with why in err */
static int
gpu_smi_row(char *line, struct gpu_dev *d, char *driver, size_t dlen,
    char *err, size_t errlen)
{
	char	*cols[GPU_SMI_NCOLS], *p, *end, *c;
	double	 v;
	long	 idx;
	int	 n = 0, i;

	for (p = line; p != NULL; n++) {
		c = strsep(&p, ",");
		if (n < GPU_SMI_NCOLS)
			cols[n] = gpu_smi_trim(c);
	}
	if (n != GPU_SMI_NCOLS) {
		snprintf(err, errlen, "got %d columns, want %d", n,
		    GPU_SMI_NCOLS);
		return (-1);
	}
	gpu_dev_reset(d, 0);
	for (i = 0; i < GPU_SMI_NCOLS; i++) {
		c = cols[i];
		switch (gpu_smi_cols[i].col) {
		case GPU_SMI_COL_INDEX:
			errno = 0;
			idx = strtol(c, &end, 10);
			if (end == c || *end != '\0' || errno != 0 ||
			    idx < 0 || idx > INT_MAX) {
				snprintf(err, errlen, "index '%.32s' is not a "
				    "number", c);
				return (-1);
			}
			d->index = (int)idx;
			break;
		case GPU_SMI_COL_NAME:
			if (!gpu_smi_null(c))
				snprintf(d->name, sizeof(d->name), "%s", c);
			break;
		case GPU_SMI_COL_UUID:
			if (!gpu_smi_null(c))
				snprintf(d->uuid, sizeof(d->uuid), "%s", c);
			break;
		case GPU_SMI_COL_DRIVER:
			if (!gpu_smi_null(c) && driver[0] == '\0')
				snprintf(driver, dlen, "%s", c);
			break;
		default:
			if (gpu_smi_null(c))
				break;
			errno = 0;
			v = strtod(c, &end);
			if (end != c && *end == '\0' && errno == 0)
				gpu_dev_set(d, gpu_smi_cols[i].col, v);
			break;
		}
	}
	return (0);
}

/* gpu_smi_parse - csv,noheader,nounits rows into devs; count or -1 */
int
gpu_smi_parse(const char *text, struct gpu_dev *devs, int max, char *driver,
    size_t dlen, char *err, size_t errlen)
{
	char	*copy, *p, *line, why[128];
	int	 n = 0, bad = 0, row = 0;

	err[0] = '\0';
	driver[0] = '\0';
	p = copy = xstrdup(text);
	while ((line = strsep(&p, "\n")) != NULL) {
		line = gpu_smi_trim(line);
		if (*line == '\0')
			continue;
		row++;
		if (n >= max)
			continue;
		if (gpu_smi_row(line, &devs[n], driver, dlen, why,
		    sizeof(why)) == 0)
			n++;
		else if (bad++ == 0)
			snprintf(err, errlen, "nvidia-smi row %d skipped: %s",
			    row, why);
	}
	free(copy);
	if (n == 0 && bad > 0) {
		/* not our rows at all: nvidia-smi's own complaint */
		snprintf(err, errlen, "nvidia-smi: %.*s",
		    (int)strcspn(text + strspn(text, " \n"), "\n"),
		    text + strspn(text, " \n"));
		return (-1);
	}
	return (n);
}

/* gpu_smi_new - a runner of path (copied); SIGCHLD is watched from now */
struct gpu_smi *
gpu_smi_new(struct event_base *base, const char *path, int timeout_ms,
    gpu_smi_done_fn *done, void *arg)
{
	struct gpu_smi	*s;

	s = xcalloc(1, sizeof(*s));
	s->base = base;
	s->path = xstrdup(path);
	s->timeout_ms = timeout_ms > 0 ? timeout_ms : GPU_SMI_TIMEOUT_MS;
	s->done = done;
	s->arg = arg;
	s->fd = -1;
	s->out = xmalloc(GPU_SMI_OUT_MAX + 1);
	s->sigchld = evsignal_new(base, SIGCHLD, gpu_smi_sigchld_cb, s);
	s->timer = evtimer_new(base, gpu_smi_timeout_cb, s);
	if (s->sigchld == NULL || s->timer == NULL ||
	    evsignal_add(s->sigchld, NULL) == -1)
		fatalx("%s: libevent", __func__);
	return (s);
}

/* gpu_smi_path - the program run */
const char *
gpu_smi_path(const struct gpu_smi *s)
{
	return (s->path);
}

/* gpu_smi_result - GPUs of the last run; driver NULL if unknown */
int
gpu_smi_result(const struct gpu_smi *s, const struct gpu_dev **devs,
    const char **driver, const char **err)
{
	*devs = s->devs;
	*driver = s->driver[0] != '\0' ? s->driver : NULL;
	*err = s->err;
	return (s->ndevs);
}

/* gpu_smi_close - stop reading the pipe */
static void
gpu_smi_close(struct gpu_smi *s)
{
	if (s->rd != NULL) {
		event_free(s->rd);
		s->rd = NULL;
	}
	if (s->fd != -1) {
		close(s->fd);
		s->fd = -1;
	}
}

/* gpu_smi_reap - collect our children that have exited */
static void
gpu_smi_reap(struct gpu_smi *s)
{
	int	st;

	if (s->pid > 0 && !s->exited && waitpid(s->pid, &st, WNOHANG) ==
	    s->pid) {
		s->exited = 1;
		s->status = st;
	}
	if (s->stuck > 0 && waitpid(s->stuck, &st, WNOHANG) == s->stuck) {
		log_info("%s (pid %ld), killed earlier, has exited", s->path,
		    (long)s->stuck);
		s->stuck = 0;
	}
}

/* gpu_smi_end - the run is over: result, then the callback */
static void
gpu_smi_end(struct gpu_smi *s)
{
	char	line[160];

	evtimer_del(s->timer);
	s->running = 0;
	s->ndevs = 0;
	if (s->killed)
		;		/* the timer said why */
	else if (WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0) {
		s->out[s->outlen] = '\0';
		s->ndevs = gpu_smi_parse(s->out, s->devs, GPU_MAX, s->driver,
		    sizeof(s->driver), s->err, sizeof(s->err));
		if (s->ndevs < 0)
			s->ndevs = 0;
	} else {
		s->out[s->outlen] = '\0';
		snprintf(line, sizeof(line), "%.*s",
		    (int)strcspn(s->out, "\n"), s->out);
		if (WIFEXITED(s->status))
			snprintf(s->err, sizeof(s->err), "%s exited %d%s%s",
			    s->path, WEXITSTATUS(s->status),
			    line[0] != '\0' ? ": " : "", line);
		else
			snprintf(s->err, sizeof(s->err), "%s killed by "
			    "signal %d", s->path, WTERMSIG(s->status));
	}
	s->pid = 0;
	s->done(s, s->arg);
}

/* gpu_smi_read_cb - collect output until EOF */
static void
gpu_smi_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct gpu_smi	*s = arg;
	ssize_t		 k;

	(void)ev;
	for (;;) {
		if (s->outlen == GPU_SMI_OUT_MAX) {
			/* more than any GPU table: take what we have */
			gpu_smi_close(s);
			break;
		}
		k = read(fd, s->out + s->outlen, GPU_SMI_OUT_MAX - s->outlen);
		if (k > 0) {
			s->outlen += (size_t)k;
			continue;
		}
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		gpu_smi_close(s);	/* EOF or an error */
		break;
	}
	gpu_smi_reap(s);
	if (s->exited)
		gpu_smi_end(s);
}

/* gpu_smi_sigchld_cb - reap; end the run if its output is done too */
static void
gpu_smi_sigchld_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct gpu_smi	*s = arg;

	(void)sig;
	(void)ev;
	gpu_smi_reap(s);
	if (s->running && s->exited && s->fd == -1)
		gpu_smi_end(s);
}

/* gpu_smi_timeout_cb - the run took too long: kill it and end it */
static void
gpu_smi_timeout_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct gpu_smi	*s = arg;

	(void)fd;
	(void)ev;
	if (!s->running)
		return;
	log_warnx("%s (pid %ld) did not finish within %d ms: killed",
	    s->path, (long)s->pid, s->timeout_ms);
	(void)kill(-s->pid, SIGKILL);
	(void)kill(s->pid, SIGKILL);
	gpu_smi_close(s);
	snprintf(s->err, sizeof(s->err), "%s did not finish within %d ms "
	    "and was killed", s->path, s->timeout_ms);
	s->stuck = s->pid;
	s->killed = 1;
	gpu_smi_end(s);
	gpu_smi_reap(s);
}

/* gpu_smi_child - in the child: stdout on the pipe, exec; never returns */
static void
gpu_smi_child(const struct gpu_smi *s, int wfd)
{
	sigset_t	 none;
	char		*argv[4];
	int		 null;

	(void)setpgid(0, 0);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(wfd, STDOUT_FILENO) == -1)
		_exit(127);
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(null, STDIN_FILENO);
		(void)dup2(null, STDERR_FILENO);
	}
	closefrom(STDERR_FILENO + 1);
	argv[0] = s->path;
	argv[1] = (char *)gpu_smi_query();
	argv[2] = (char *)GPU_SMI_FORMAT;
	argv[3] = NULL;
	execv(s->path, argv);
	_exit(127);
}

/* gpu_smi_start - start one run; 0, or -1 with the result's err set */
int
gpu_smi_start(struct gpu_smi *s)
{
	struct timeval	tv;
	pid_t		pid;
	int		p[2];

	if (s->running)		/* the run under way is left alone */
		return (-1);
	s->ndevs = 0;
	s->driver[0] = '\0';
	s->err[0] = '\0';
	gpu_smi_reap(s);
	if (s->stuck > 0) {
		snprintf(s->err, sizeof(s->err), "%s (pid %ld) was killed "
		    "and has not exited yet", s->path, (long)s->stuck);
		return (-1);
	}
	(void)gpu_smi_query();		/* built before the fork */
	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(s->err, sizeof(s->err), "pipe: %s", strerror(errno));
		return (-1);
	}
	if ((pid = fork()) == -1) {
		snprintf(s->err, sizeof(s->err), "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return (-1);
	}
	if (pid == 0)
		gpu_smi_child(s, p[1]);
	(void)setpgid(pid, pid);	/* so kill(-pid) works at once */
	close(p[1]);
	(void)fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	s->fd = p[0];
	s->pid = pid;
	s->running = 1;
	s->killed = 0;
	s->exited = 0;
	s->status = 0;
	s->outlen = 0;
	s->rd = event_new(s->base, s->fd, EV_READ | EV_PERSIST,
	    gpu_smi_read_cb, s);
	tv.tv_sec = s->timeout_ms / 1000;
	tv.tv_usec = (s->timeout_ms % 1000) * 1000;
	if (s->rd == NULL || event_add(s->rd, NULL) == -1 ||
	    evtimer_add(s->timer, &tv) == -1)
		fatalx("%s: libevent", __func__);
	log_debug("%s started (pid %ld)", s->path, (long)pid);
	return (0);
}

/* gpu_smi_free - kill a run under way, reap it, free; NULL is fine */
void
gpu_smi_free(struct gpu_smi *s)
{
	struct timespec	ts = { 0, 10 * 1000 * 1000 };
	int		k;

	if (s == NULL)
		return;
	gpu_smi_close(s);
	if (s->running && s->pid > 0) {
		(void)kill(-s->pid, SIGKILL);
		(void)kill(s->pid, SIGKILL);
		s->stuck = s->pid;
	}
	/* a killed child dies at once unless it hangs in the driver: wait
	 * a little, then leave it to whoever inherits it */
	for (k = 0; s->stuck > 0 && k < 20; k++) {
		if (waitpid(s->stuck, NULL, WNOHANG) != 0)
			break;
		(void)nanosleep(&ts, NULL);
	}
	event_free(s->sigchld);
	event_free(s->timer);
	free(s->out);
	free(s->path);
	free(s);
}
