/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_spawn.h - start one agent process, sandboxed
 * SYNOPSIS
 *	int	skill_spawn(const struct skill_spawn_req *rq, pid_t *pid,
 *		    int *xfd, char *err, size_t errlen);
 *	void	skill_spawn_exec_error(int xfd, char *buf, size_t len);
 *	int64_t	skill_spawn_starttime(pid_t pid);
 * DESCRIPTION
 *	skill_spawn makes the run's places (docs/skills.md "Where a run
 *	lives"): its working directory rq->rundir (0700) with input.json
 *	(0600) and .tmp (0700), the agent's HOME rq->home (0700), and opens
 *	its log rq->log_path for appending (0600). Then it forks the agent
 *	as "The sandbox" says: a session and process group of its own,
 *	SIGKILL when the skills worker dies, default signal dispositions
 *	and an empty mask, umask 077, no core dumps, at most
 *	SKILL_SPAWN_NOFILE open files, /dev/null on its standard input and
 *	the log on its standard output and error, no other descriptor, the
 *	working directory, Landlock (skill_sandbox.c, rq->landlock_abi) and
 *	exactly the environment of the contract: PATH, HOME, TMPDIR,
 *	LANG=C.UTF-8, NO_COLOR=1, CORRAL_RUN_ID, CORRAL_SKILL, and the
 *	route's key (rq->key) and base URL variables when given. The argv is
 *	skill_agent_argv's.
 *
 *	*pid gets the agent's pid (also its process group), *xfd a
 *	close-on-exec pipe on which a child that could not exec wrote why;
 *	skill_spawn_exec_error reads that once the child is gone ("" if it
 *	did exec) and closes xfd. The caller wipes rq->key when skill_spawn
 *	returns: the copy made for the child is wiped here.
 *
 *	skill_spawn_starttime is field 22 of /proc/PID/stat (when pid
 *	started, in clock ticks since boot), which tells a process from a
 *	later one that got the same pid.
 * DIAGNOSTICS
 *	skill_spawn returns 0, or -1 with one line in err (a folder or file
 *	that cannot be made, pipe, fork). skill_spawn_starttime returns -1
 *	when there is no such process.
 */
#ifndef CORRAL_SKILL_SPAWN_H
#define CORRAL_SKILL_SPAWN_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define SKILL_SPAWN_NOFILE	1024

struct skill_spawn_req {
	const char	*id;		/* the run's */
	const char	*skill;
	int		 agent;		/* enum skill_agent */
	const char	*exe;		/* the agent's executable */
	const char	*prompt;
	const char	*model;		/* NULL: no model flag */
	const char	*input;		/* JSON text, into input.json */
	const char	*key;		/* the route's secret; NULL: none */
	const char	*base_url;	/* the route's; NULL: none */
	const char	*agent_path;	/* PATH */
	const char	*rundir;	/* workspace_root/runs/ID */
	const char	*home;		/* state_root/agents/AGENT */
	const char	*log_path;	/* state_root/runs/ID.log */
	int		 landlock_abi;	/* 0: basic */
};

int	skill_spawn(const struct skill_spawn_req *rq, pid_t *pid, int *xfd,
	    char *err, size_t errlen);
void	skill_spawn_exec_error(int xfd, char *buf, size_t len);
int64_t	skill_spawn_starttime(pid_t pid);

#endif
