/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	spawn - fork and exec one worker
 * SYNOPSIS
 *	int	spawn_worker(struct worker *w);
 * DESCRIPTION
 *	spawn_worker makes a socketpair, forks, and in the child puts its
 *	end at fd 3 (CORRAL_CHAN_FD), stdin on /dev/null, closes every other
 *	descriptor, moves to its own process group (a Ctrl-C reaches only
 *	the master, which orchestrates the stop), asks for SIGTERM if the
 *	master dies, and execs the worker with a scrubbed environment: PATH,
 *	TZ, CORRAL_LOG_*, sanitizer options, and CORRAL_WORKER=name, plus
 *	what spawn_env_grants[] gives that one worker alone: the secrets
 *	worker gets CORRAL_AUTH_STORE_MASTER_KEY and _FILE, passed through
 *	as they are (the master never reads the key). The
 *	parent wraps its end in a channel whose frames go to route.c and
 *	queues the configuration as the first frame.
 * DIAGNOSTICS
 *	-1 when socketpair or fork fails (the caller throttles). A failed
 *	exec exits the child with 127, which supervision reads as "cannot
 *	ever start".
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"
#include "msg.h"
#include "xmalloc.h"

#define SPAWN_ENV_MAX	16

#define SPAWN_GRANT_MAX	4

/* What every worker keeps of the master's environment. */
static const char *const spawn_env_keep[] = {
	"TZ", "CORRAL_LOG_LEVEL", "CORRAL_LOG_FORMAT",
	"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
};

/* What only one worker gets besides: the master key goes to secrets. */
static const struct {
	const char	*worker;
	const char	*vars[SPAWN_GRANT_MAX];	/* NULL-terminated */
} spawn_env_grants[] = {
	{ "secrets", { CONFIG_MASTER_KEY_ENV, CONFIG_MASTER_KEY_FILE_ENV,
	    NULL } },
};

/* spawn_env_add - NAME=value of the master's environment, if set */
static void
spawn_env_add(char **env, size_t *n, size_t max, const char *name)
{
	const char	*v;

	if (*n + 1 < max && (v = getenv(name)) != NULL)
		xasprintf(&env[(*n)++], "%s=%s", name, v);
}

/* spawn_env - the scrubbed environment a worker starts with */
static void
spawn_env(const struct worker *w, char **env, size_t max)
{
	size_t	i, k, n = 0;

	xasprintf(&env[n++], "PATH=/usr/local/bin:/usr/bin:/bin");
	xasprintf(&env[n++], "CORRAL_WORKER=%s", w->name);
	for (i = 0; i < sizeof(spawn_env_keep) / sizeof(spawn_env_keep[0]);
	    i++)
		spawn_env_add(env, &n, max, spawn_env_keep[i]);
	for (i = 0; i < sizeof(spawn_env_grants) / sizeof(spawn_env_grants[0]);
	    i++) {
		if (strcmp(spawn_env_grants[i].worker, w->name) != 0)
			continue;
		for (k = 0; spawn_env_grants[i].vars[k] != NULL; k++)
			spawn_env_add(env, &n, max,
			    spawn_env_grants[i].vars[k]);
	}
	env[n] = NULL;
}

/* spawn_env_free - free what spawn_env made; a value may be a key */
static void
spawn_env_free(char **env)
{
	size_t	i;

	for (i = 0; env[i] != NULL; i++) {
		explicit_bzero(env[i], strlen(env[i]));
		free(env[i]);
	}
}

/* spawn_child - in the child: arrange descriptors and exec; never returns */
static void
spawn_child(const struct worker *w, int fd, char **env)
{
	char	*argv[2];
	int	 null;

	(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	(void)setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	if (fd == CORRAL_CHAN_FD) {
		if (fcntl(fd, F_SETFD, 0) == -1)
			_exit(127);
	} else if (dup2(fd, CORRAL_CHAN_FD) == -1)
		_exit(127);
	if ((null = open("/dev/null", O_RDONLY)) != -1 && null != 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	closefrom(CORRAL_CHAN_FD + 1);
	argv[0] = (char *)w->name;
	argv[1] = NULL;
	execve(w->exec, argv, env);
	dprintf(STDERR_FILENO, "corral: worker %s: exec %s: %s\n", w->name,
	    w->exec, strerror(errno));
	_exit(127);
}

/* spawn_worker - start w; 0 with w->pid and w->chan set, or -1 */
int
spawn_worker(struct worker *w)
{
	struct master	*m = w->master;
	char		*env[SPAWN_ENV_MAX];
	cJSON		*msg;
	pid_t		 pid;
	int		 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("worker %s: socketpair", w->name);
		return (-1);
	}
	spawn_env(w, env, SPAWN_ENV_MAX);
	switch ((pid = fork())) {
	case -1:
		log_warn("worker %s: fork", w->name);
		close(sv[0]);
		close(sv[1]);
		spawn_env_free(env);
		return (-1);
	case 0:
		close(sv[0]);
		spawn_child(w, sv[1], env);
		/* NOTREACHED */
	}
	spawn_env_free(env);
	close(sv[1]);
	w->pid = pid;
	w->gen++;
	if ((w->chan = chan_new(m->base, sv[0], route_frame_cb,
	    route_close_cb, w)) == NULL) {
		(void)kill(pid, SIGKILL);	/* reaped as a bad start */
		return (0);
	}
	chan_set_src(w->chan, PROC_MASTER);
	chan_set_gen(w->chan, w->gen);
	msg = cJSON_CreateObject();
	cJSON_AddNumberToObject(msg, "id", w->id);
	cJSON_AddStringToObject(msg, "name", w->name);
	cJSON_AddNumberToObject(msg, "gen", w->gen);
	cJSON_AddItemToObject(msg, "config", config_worker_json(&m->cfg,
	    w->conf));
	if (chan_send_json(w->chan, MSG_CONFIG, w->id, 0, 0, msg) == -1)
		(void)kill(pid, SIGKILL);
	cJSON_Delete(msg);	/* may hold tokens: cJSON frees, see reload.c */
	log_debug("worker %s (pid %ld, gen %u) spawned", w->name, (long)pid,
	    w->gen);
	return (0);
}
