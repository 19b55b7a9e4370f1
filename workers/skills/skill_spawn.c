/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_spawn - start one agent process, sandboxed
 * SYNOPSIS
 *	#include "skill_spawn.h"
 * DESCRIPTION
 *	See skill_spawn.h. Everything that can fail with a useful message
 *	(the folders, input.json, the log, the pipe) is done in the parent
 *	before the fork; the child only sets up its process, moves
 *	descriptors, changes directory, enters Landlock and execs, and
 *	reports a failure of those on the exec-error pipe (fd 3 in the
 *	child, close-on-exec) before _exit(127). The worker is
 *	single-threaded, so the child may use what the parent allocated.
 *
 *	The child's descriptors are first moved above SKILL_SPAWN_FD_HIGH,
 *	so one that happens to be 0, 1, 2 or 3 in the worker is not
 *	clobbered by the dup2 calls that put the others there. Every other
 *	descriptor is closed with close_range(2), or one by one where the
 *	kernel lacks it.
 * DIAGNOSTICS
 *	See skill_spawn.h.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "xmalloc.h"

#include "skill_agent.h"
#include "skill_sandbox.h"
#include "skill_spawn.h"

#define SKILL_SPAWN_FD_HIGH	10
#define SKILL_SPAWN_XFD		3	/* the child's exec-error pipe */
#define SKILL_SPAWN_ENV_MAX	10

/* skill_spawn_mkdir - make dir (0700) or take the folder already there */
static int
skill_spawn_mkdir(const char *dir, char *err, size_t errlen)
{
	struct stat	st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	if (lstat(dir, &st) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", dir);
		return (-1);
	}
	return (0);
}

/* skill_spawn_input - write input.json (0600, not through a link). A copy
 * for the agent: runs.db holds the input, so no fsync on this hot path */
static int
skill_spawn_input(const char *path, const char *text)
{
	size_t	len = strlen(text), off = 0;
	ssize_t	n;
	int	fd, saved;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		return (-1);
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return (-1);
		}
		off += (size_t)n;
	}
	return (close(fd));
}

/* skill_spawn_places - the run's folders and input.json; 0 or -1 */
static int
skill_spawn_places(const struct skill_spawn_req *rq, char *err,
    size_t errlen)
{
	char	path[4096];

	if (skill_spawn_mkdir(rq->rundir, err, errlen) == -1)
		return (-1);
	snprintf(path, sizeof(path), "%s/.tmp", rq->rundir);
	if (skill_spawn_mkdir(path, err, errlen) == -1)
		return (-1);
	snprintf(path, sizeof(path), "%s/input.json", rq->rundir);
	if (skill_spawn_input(path, rq->input) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fs_mkdirs(rq->home, 0700) == -1) {
		snprintf(err, errlen, "%s: %s", rq->home, strerror(errno));
		return (-1);
	}
	return (0);
}

/* skill_spawn_envp - the agent's whole environment, malloc'ed */
static char **
skill_spawn_envp(const struct skill_spawn_req *rq)
{
	const struct skill_agent_def	*def = skill_agent_def(rq->agent);
	char				**envp;
	size_t				  n = 0;

	envp = xcalloc(SKILL_SPAWN_ENV_MAX + 1, sizeof(*envp));
	xasprintf(&envp[n++], "PATH=%s", rq->agent_path);
	xasprintf(&envp[n++], "HOME=%s", rq->home);
	xasprintf(&envp[n++], "TMPDIR=%s/.tmp", rq->rundir);
	envp[n++] = xstrdup("LANG=C.UTF-8");
	envp[n++] = xstrdup("NO_COLOR=1");
	xasprintf(&envp[n++], "CORRAL_RUN_ID=%s", rq->id);
	xasprintf(&envp[n++], "CORRAL_SKILL=%s", rq->skill);
	if (rq->key != NULL)
		xasprintf(&envp[n++], "%s=%s", def->key_env, rq->key);
	if (rq->base_url != NULL)
		xasprintf(&envp[n++], "%s=%s", def->base_url_env, rq->base_url);
	envp[n] = NULL;
	return (envp);
}

/* skill_spawn_envp_free - wipe (the key is among them) and free */
static void
skill_spawn_envp_free(char **envp)
{
	size_t	i;

	for (i = 0; envp[i] != NULL; i++) {
		explicit_bzero(envp[i], strlen(envp[i]));
		free(envp[i]);
	}
	free(envp);
}

/* skill_spawn_say - in the child: why it fails, on the exec-error pipe */
static void
skill_spawn_say(int fd, const char *what, const char *arg, int err)
{
	char	buf[512];
	int	n;

	if (arg != NULL)
		n = snprintf(buf, sizeof(buf), "%s %s: %s", what, arg,
		    strerror(err));
	else
		n = snprintf(buf, sizeof(buf), "%s: %s", what, strerror(err));
	if (n > 0)
		(void)!write(fd, buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
}

/* skill_spawn_closefrom - in the child: close every fd from lowfd on */
static void
skill_spawn_closefrom(int lowfd)
{
	long	max, fd;

	if (close_range((unsigned int)lowfd, ~0U, 0) == 0)
		return;
	if ((max = sysconf(_SC_OPEN_MAX)) < 0 || max > 1024 * 1024)
		max = 1024 * 1024;
	for (fd = lowfd; fd < max; fd++)
		(void)close((int)fd);
}

/* skill_spawn_process - in the child: session, death signal, signals,
 * umask, limits; 0 or -1 (said on xfd) */
static int
skill_spawn_process(pid_t parent, int xfd)
{
	struct rlimit	rl;
	rlim_t		hard;
	sigset_t	none;
	int		sig;

	if (setsid() == -1) {
		skill_spawn_say(xfd, "setsid", NULL, errno);
		return (-1);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 ||
	    getppid() != parent)
		return (-1);		/* the worker is gone already */
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)umask(077);
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		skill_spawn_say(xfd, "setrlimit", "RLIMIT_CORE", errno);
		return (-1);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		skill_spawn_say(xfd, "getrlimit", "RLIMIT_NOFILE", errno);
		return (-1);
	}
	hard = rl.rlim_max;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > SKILL_SPAWN_NOFILE)
		rl.rlim_max = SKILL_SPAWN_NOFILE;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		/* valgrind refuses any change of the hard limit */
		rl.rlim_max = hard;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return (0);
		skill_spawn_say(xfd, "setrlimit", "RLIMIT_NOFILE", errno);
		return (-1);
	}
	return (0);
}

/* skill_spawn_fds - in the child: /dev/null, the log, the log, xfd on
 * 0 to 3, nothing else; 0 or -1 (said on xfd) */
static int
skill_spawn_fds(int logfd, int xfd)
{
	int	null, hnull, hlog, hx;

	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		skill_spawn_say(xfd, "open", "/dev/null", errno);
		return (-1);
	}
	if ((hnull = fcntl(null, F_DUPFD_CLOEXEC, SKILL_SPAWN_FD_HIGH)) == -1 ||
	    (hlog = fcntl(logfd, F_DUPFD_CLOEXEC, SKILL_SPAWN_FD_HIGH)) == -1 ||
	    (hx = fcntl(xfd, F_DUPFD_CLOEXEC, SKILL_SPAWN_FD_HIGH)) == -1) {
		skill_spawn_say(xfd, "fcntl", "F_DUPFD_CLOEXEC", errno);
		return (-1);
	}
	if (dup2(hnull, STDIN_FILENO) == -1 ||
	    dup2(hlog, STDOUT_FILENO) == -1 ||
	    dup2(hlog, STDERR_FILENO) == -1 ||
	    dup2(hx, SKILL_SPAWN_XFD) == -1 ||
	    fcntl(SKILL_SPAWN_XFD, F_SETFD, FD_CLOEXEC) == -1) {
		skill_spawn_say(hx, "dup2", NULL, errno);
		return (-1);
	}
	skill_spawn_closefrom(SKILL_SPAWN_XFD + 1);
	return (0);
}

/* skill_spawn_child - in the child: set up, sandbox, exec */
static void __attribute__((noreturn))
skill_spawn_child(pid_t parent, int logfd, int xfd,
    const struct skill_spawn_req *rq, char **argv, char **envp)
{
	const char	*dirs[] = { rq->rundir, rq->home, "/tmp", "/dev", NULL };
	char		 err[512];

	if (skill_spawn_process(parent, xfd) == -1 ||
	    skill_spawn_fds(logfd, xfd) == -1)
		_exit(127);
	if (chdir(rq->rundir) == -1) {
		skill_spawn_say(SKILL_SPAWN_XFD, "cannot change to", rq->rundir,
		    errno);
		_exit(127);
	}
	if (skill_sandbox_apply(rq->landlock_abi, dirs, err,
	    sizeof(err)) == -1) {
		(void)!write(SKILL_SPAWN_XFD, err, strlen(err));
		_exit(127);
	}
	execve(rq->exe, argv, envp);
	skill_spawn_say(SKILL_SPAWN_XFD, "cannot run", rq->exe, errno);
	_exit(127);
}

/* skill_spawn - make the run's places, fork and exec; 0 or -1 and why */
int
skill_spawn(const struct skill_spawn_req *rq, pid_t *pid, int *xfd,
    char *err, size_t errlen)
{
	char	*argv[SKILL_AGENT_ARGV_MAX + 1];
	char	**envp;
	pid_t	 parent = getpid(), p;
	int	 logfd, x[2];

	*pid = -1;
	*xfd = -1;
	if (skill_spawn_places(rq, err, errlen) == -1)
		return (-1);
	if (skill_agent_argv(rq->agent, rq->exe, rq->prompt, rq->model, argv,
	    SKILL_AGENT_ARGV_MAX + 1) == 0) {
		snprintf(err, errlen, "%s: too many arguments", rq->exe);
		return (-1);
	}
	if ((logfd = open(rq->log_path, O_WRONLY | O_CREAT | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", rq->log_path, strerror(errno));
		return (-1);
	}
	if (pipe2(x, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(logfd);
		return (-1);
	}
	envp = skill_spawn_envp(rq);
	if ((p = fork()) == -1)
		snprintf(err, errlen, "fork: %s", strerror(errno));
	else if (p == 0)
		skill_spawn_child(parent, logfd, x[1], rq, argv, envp);
	skill_spawn_envp_free(envp);
	close(logfd);
	close(x[1]);
	if (p == -1) {
		close(x[0]);
		return (-1);
	}
	(void)fcntl(x[0], F_SETFL, O_NONBLOCK);
	*pid = p;
	*xfd = x[0];
	return (0);
}

/* skill_spawn_exec_error - why the child could not exec, "" if it did */
void
skill_spawn_exec_error(int xfd, char *buf, size_t len)
{
	ssize_t	n = -1;

	buf[0] = '\0';
	if (xfd == -1)
		return;
	do
		n = read(xfd, buf, len - 1);
	while (n == -1 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	close(xfd);
}

/* skill_spawn_starttime - field 22 of /proc/PID/stat, or -1 */
int64_t
skill_spawn_starttime(pid_t pid)
{
	char		 path[64], buf[1024], *p, *end;
	unsigned long long v;
	ssize_t		 n;
	int		 fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	buf[n] = '\0';
	/* the name (field 2) may hold anything: count after its last ')' */
	if ((p = strrchr(buf, ')')) == NULL)
		return (-1);
	p++;
	for (field = 2; field < 21; field++) {
		while (*p == ' ')
			p++;
		while (*p != ' ' && *p != '\0')
			p++;
		if (*p == '\0')
			return (-1);
	}
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno != 0 || end == p || v > INT64_MAX)
		return (-1);
	return ((int64_t)v);
}
