/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_spawn - start one MCP server process
 * SYNOPSIS
 *	#include "mcp_spawn.h"
 * DESCRIPTION
 *	See mcp_spawn.h. Everything that can fail with a useful message
 *	(the command, cwd, the pipes) is checked in the parent before the
 *	fork; the child only moves descriptors, changes directory and
 *	execs, and reports a failure of those on the exec-error pipe (fd 3
 *	in the child, close-on-exec) before _exit(127). The mcp worker is
 *	single-threaded, so the child may use the heap the parent left.
 *
 *	The child's descriptors are first moved above MCP_SPAWN_FD_HIGH,
 *	so a pipe that happens to be 0, 1 or 2 in the worker is not
 *	clobbered by the dup2 calls that put the others there.
 * DIAGNOSTICS
 *	See mcp_spawn.h.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "xmalloc.h"

#include "mcp_spawn.h"

#define MCP_SPAWN_FD_HIGH	10
#define MCP_SPAWN_XFD		3	/* the child's exec-error pipe */

/* mcp_spawn_cwd - the server's working directory into buf; 0 or -1 */
int
mcp_spawn_cwd(const struct mcp_conf_server *c, const char *workspace_root,
    char *buf, size_t len, char *err, size_t errlen)
{
	struct stat	st;

	if (c->cwd != NULL)
		snprintf(buf, len, "%s", c->cwd);
	else {
		if (workspace_root == NULL) {
			snprintf(err, errlen, "cwd: no workspace_root to make "
			    "the default one in");
			return (-1);
		}
		if ((size_t)snprintf(buf, len, "%s/mcp/%s", workspace_root,
		    c->name) >= len) {
			snprintf(err, errlen, "cwd: path too long");
			return (-1);
		}
		if (fs_mkdirs(buf, 0700) == -1) {
			snprintf(err, errlen, "cwd %s: %s", buf,
			    strerror(errno));
			return (-1);
		}
	}
	if (stat(buf, &st) == -1) {
		snprintf(err, errlen, "cwd %s: %s", buf, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cwd %s: not a directory", buf);
		return (-1);
	}
	return (0);
}

/* mcp_spawn_env_get - the value env gives name, or NULL */
static const char *
mcp_spawn_env_get(const struct mcp_conf_server *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nenv; i++)
		if (strcmp(c->env_name[i], name) == 0)
			return (c->env_value[i]);
	return (NULL);
}

/* mcp_spawn_runnable - is path a regular file we may execute? */
static int
mcp_spawn_runnable(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0);
}

/* mcp_spawn_resolve - the program to exec into buf; 0 or -1 and why */
static int
mcp_spawn_resolve(const struct mcp_conf_server *c, char *buf, size_t len,
    char *err, size_t errlen)
{
	const char	*path, *p, *e;
	size_t		 n;

	if (c->command[0] == '/') {
		if (!mcp_spawn_runnable(c->command)) {
			snprintf(err, errlen, "command %s: %s", c->command,
			    access(c->command, F_OK) == -1 ? strerror(errno) :
			    "not an executable file");
			return (-1);
		}
		snprintf(buf, len, "%s", c->command);
		return (0);
	}
	if ((path = mcp_spawn_env_get(c, "PATH")) == NULL)
		path = MCP_SPAWN_PATH_DEFAULT;
	for (p = path; ; p = e + 1) {
		e = strchr(p, ':');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n > 0 && p[0] == '/' && (size_t)snprintf(buf, len,
		    "%.*s/%s", (int)n, p, c->command) < len &&
		    mcp_spawn_runnable(buf))
			return (0);
		if (e == NULL)
			break;
	}
	snprintf(err, errlen, "command '%s' not found in PATH (%.200s)",
	    c->command, path);
	return (-1);
}

/* mcp_spawn_envp - the server's whole environment; ours are malloc'ed,
 * the secrets lent; *nown says how many of the first are ours */
static char **
mcp_spawn_envp(const struct mcp_conf_server *c, const char *cwd,
    char *const *secrets, size_t *nown)
{
	char	**envp;
	size_t	  n = 0, ns = 0, i;

	while (secrets != NULL && secrets[ns] != NULL)
		ns++;
	envp = xcalloc(3 + c->nenv + ns + 1, sizeof(*envp));
	if (mcp_spawn_env_get(c, "PATH") == NULL)
		envp[n++] = xstrdup("PATH=" MCP_SPAWN_PATH_DEFAULT);
	if (mcp_spawn_env_get(c, "HOME") == NULL)
		xasprintf(&envp[n++], "HOME=%s", cwd);
	if (mcp_spawn_env_get(c, "LANG") == NULL)
		envp[n++] = xstrdup("LANG=C.UTF-8");
	for (i = 0; i < c->nenv; i++)
		xasprintf(&envp[n++], "%s=%s", c->env_name[i],
		    c->env_value[i]);
	*nown = n;
	for (i = 0; i < ns; i++)
		envp[n++] = secrets[i];
	envp[n] = NULL;
	return (envp);
}

/* mcp_spawn_say - in the child: why it fails, on the exec-error pipe */
static void
mcp_spawn_say(const char *what, const char *arg, int err)
{
	char	buf[512];
	int	n;

	n = snprintf(buf, sizeof(buf), "%s %s: %s", what, arg, strerror(err));
	if (n > 0)
		(void)!write(MCP_SPAWN_XFD, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
}

/* mcp_spawn_child - in the child: descriptors, group, cwd, exec */
static void __attribute__((noreturn))
mcp_spawn_child(pid_t parent, const int fds[4], const char *prog,
    char **argv, char **envp, const char *cwd)
{
	sigset_t	none;
	int		high[4], i, sig;

	(void)setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 ||
	    getppid() != parent)
		_exit(127);
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	for (i = 0; i < 4; i++)
		if ((high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC,
		    MCP_SPAWN_FD_HIGH)) == -1)
			_exit(127);
	if (dup2(high[0], STDIN_FILENO) == -1 ||
	    dup2(high[1], STDOUT_FILENO) == -1 ||
	    dup2(high[2], STDERR_FILENO) == -1 ||
	    dup2(high[3], MCP_SPAWN_XFD) == -1 ||
	    fcntl(MCP_SPAWN_XFD, F_SETFD, FD_CLOEXEC) == -1)
		_exit(127);
	closefrom(MCP_SPAWN_XFD + 1);
	if (chdir(cwd) == -1) {
		mcp_spawn_say("cannot change to cwd", cwd, errno);
		_exit(127);
	}
	execve(prog, argv, envp);
	mcp_spawn_say("cannot run", prog, errno);
	_exit(127);
}

/* mcp_spawn_pipes - four close-on-exec pipes; 0 or -1 and why */
static int
mcp_spawn_pipes(int p[4][2], char *err, size_t errlen)
{
	int	i, k;

	for (i = 0; i < 4; i++)
		if (pipe2(p[i], O_CLOEXEC) == -1) {
			snprintf(err, errlen, "pipe: %s", strerror(errno));
			for (k = 0; k < i; k++) {
				close(p[k][0]);
				close(p[k][1]);
			}
			return (-1);
		}
	return (0);
}

/* mcp_spawn - fork and exec the server; 0 or -1 and why */
int
mcp_spawn(const struct mcp_conf_server *c, const char *cwd,
    char *const *secrets, struct mcp_spawn *sp, char *err, size_t errlen)
{
	char		 prog[MCP_CONF_PATH_MAX + 256];
	char		**argv, **envp;
	int		 p[4][2], child[4], i, rc = 0;
	size_t		 nown, k;
	pid_t		 parent = getpid(), pid;

	memset(sp, 0, sizeof(*sp));
	sp->in = sp->out = sp->err = sp->xfd = -1;
	if (mcp_spawn_resolve(c, prog, sizeof(prog), err, errlen) == -1 ||
	    mcp_spawn_pipes(p, err, errlen) == -1)
		return (-1);
	argv = xcalloc(c->nargs + 2, sizeof(*argv));
	argv[0] = c->command;
	for (k = 0; k < c->nargs; k++)
		argv[k + 1] = c->args[k];
	envp = mcp_spawn_envp(c, cwd, secrets, &nown);
	/* the child's ends: stdin reads, stdout, stderr and xfd write */
	child[0] = p[0][0];
	child[1] = p[1][1];
	child[2] = p[2][1];
	child[3] = p[3][1];
	if ((pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		rc = -1;
	} else if (pid == 0)
		mcp_spawn_child(parent, child, prog, argv, envp, cwd);
	else
		(void)setpgid(pid, pid);	/* kill(-pid) works at once */
	for (i = 0; i < 4; i++)
		close(child[i]);
	if (rc == 0) {
		sp->pid = pid;
		sp->in = p[0][1];
		sp->out = p[1][0];
		sp->err = p[2][0];
		sp->xfd = p[3][0];
		(void)fcntl(sp->err, F_SETFL, O_NONBLOCK);
		(void)fcntl(sp->xfd, F_SETFL, O_NONBLOCK);
	} else {
		close(p[0][1]);
		close(p[1][0]);
		close(p[2][0]);
		close(p[3][0]);
	}
	for (k = 0; k < nown; k++)
		free(envp[k]);
	free(envp);
	free(argv);
	return (rc);
}

/* mcp_spawn_exec_error - why the child could not exec, "" if it did */
void
mcp_spawn_exec_error(struct mcp_spawn *sp, char *buf, size_t len)
{
	ssize_t	n = -1;

	buf[0] = '\0';
	if (sp->xfd == -1)
		return;
	do
		n = read(sp->xfd, buf, len - 1);
	while (n == -1 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	close(sp->xfd);
	sp->xfd = -1;
}

/* mcp_spawn_close - close the descriptors of sp still open */
void
mcp_spawn_close(struct mcp_spawn *sp)
{
	int	*fds[4] = { &sp->in, &sp->out, &sp->err, &sp->xfd };
	int	 i;

	for (i = 0; i < 4; i++)
		if (*fds[i] != -1) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}
