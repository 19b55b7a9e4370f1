/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_recover.h - take the runs back after a restart
 * SYNOPSIS
 *	int	skill_recover(struct skill_worker *w);
 *	void	skill_recover_kill(const char *id, pid_t pid,
 *		    int64_t pid_start);
 * DESCRIPTION
 *	docs/skills.md "When the worker or corral stops". skill_recover runs
 *	once at start, with runs.db open and the registry loaded: every run
 *	left running is failed ("the skills worker restarted while it
 *	ran") after skill_recover_kill has killed what is left of its
 *	process group; every queued run goes back into w->queue in
 *	submission order (a run whose agent is unknown is failed instead).
 *
 *	skill_recover_kill sends SIGKILL to the process group pid led, if it
 *	is still the one the run started: the leader is alive with the same
 *	start time (/proc/PID/stat field 22), or it is gone, in which case
 *	its pid cannot have been reused as long as anything of its group is
 *	left. A pid now used by another process is left alone.
 * DIAGNOSTICS
 *	skill_recover returns 0, or -1 when runs.db cannot be read (logged).
 *	Each run recovered is logged at info.
 */
#ifndef CORRAL_SKILL_RECOVER_H
#define CORRAL_SKILL_RECOVER_H

#include <sys/types.h>

#include <stdint.h>

struct skill_worker;

int	skill_recover(struct skill_worker *w);
void	skill_recover_kill(const char *id, pid_t pid, int64_t pid_start);

#endif
