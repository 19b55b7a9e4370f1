/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_prune.h - the retention: prune the runs that ended long ago
 * SYNOPSIS
 *	void	skill_prune_init(struct skill_worker *w);
 *	void	skill_prune_soon(struct skill_worker *w);
 *	void	skill_prune_fini(struct skill_worker *w);
 *	int	skill_prune_pass(struct skill_worker *w, int64_t now_ms,
 *		    int *full);
 *	int	skill_prune_tree(int dirfd, const char *name, char *err,
 *		    size_t errlen);
 * DESCRIPTION
 *	docs/skills.md "Retention". skill_prune_init makes the worker's
 *	prune timer (w->prune_ev) and arms it for the first pass,
 *	SKILL_PRUNE_FIRST_S after the start; each pass arms it again,
 *	SKILL_PRUNE_EVERY_S later, or SKILL_PRUNE_AGAIN_S later when it
 *	was full (there may be more) and pruned something (a pass whose
 *	runs all fail to go is no reason to hurry). skill_prune_soon
 *	makes the next pass come from the loop at once (after a reload,
 *	which may have changed w->retention_days). skill_prune_fini frees
 *	the timer. No pass runs once the worker stops.
 *
 *	skill_prune_pass takes, oldest first, at most SKILL_PRUNE_MAX runs
 *	that ended before now_ms less w->retention_days days (none when it
 *	is 0; *full, if full is not NULL, says whether it took that many)
 *	and prunes each: its folder workspace_root/runs/ID
 *	(skill_prune_tree), its log state_root/runs/ID.log, then its row
 *	in runs.db. An id that is not one (run_id_valid) makes no path; a
 *	run the worker still holds in memory waits for the next pass.
 *
 *	skill_prune_tree removes name in the folder dirfd and, if it is a
 *	folder, all beneath it, depth first, by openat and unlinkat only: a
 *	symbolic link is removed, never followed; a folder on another file
 *	system than dirfd is not entered (the removal fails); nothing
 *	outside dirfd/name is touched; a tree more than SKILL_PRUNE_DEPTH
 *	folders deep is not removed (one descriptor a level). A folder it
 *	cannot read or write (a mode the agent set) is made 0700 first.
 * DIAGNOSTICS
 *	skill_prune_pass logs one info line when it pruned something
 *	("pruned N runs ended before T (retention D days)") and a warning
 *	for each run it could not fully remove; that run keeps its row (and
 *	what was left), so the next pass tries it again. It returns how
 *	many runs it pruned, or -1 when runs.db or a runs folder could not
 *	be read (logged). skill_prune_tree returns 0 (also when there is
 *	no name), or -1 with one line in err: the path under dirfd that
 *	could not be removed and why.
 */
#ifndef CORRAL_SKILL_PRUNE_H
#define CORRAL_SKILL_PRUNE_H

#include <stddef.h>
#include <stdint.h>

#define SKILL_PRUNE_MAX		500	/* runs one pass prunes at most */
#define SKILL_PRUNE_FIRST_S	10	/* the first pass, after the start */
#define SKILL_PRUNE_EVERY_S	3600	/* then every hour */
#define SKILL_PRUNE_AGAIN_S	1	/* after a pass that pruned the most */
#define SKILL_PRUNE_DEPTH	128	/* folders deep skill_prune_tree goes */

struct skill_worker;

void	skill_prune_init(struct skill_worker *w);
void	skill_prune_soon(struct skill_worker *w);
void	skill_prune_fini(struct skill_worker *w);
int	skill_prune_pass(struct skill_worker *w, int64_t now_ms, int *full);
int	skill_prune_tree(int dirfd, const char *name, char *err,
	    size_t errlen);

#endif
