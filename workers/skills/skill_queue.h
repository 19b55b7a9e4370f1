/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_queue.h - the runs waiting, and which one starts next
 * SYNOPSIS
 *	void	skill_queue_init(struct skill_queue *q);
 *	struct skill_qrun *skill_qrun_new(const char *id, const char *skill,
 *		    int agent, int64_t seq, int timeout_s, int max_running);
 *	void	skill_qrun_free(struct skill_qrun *qr);
 *	void	skill_queue_add(struct skill_queue *q, struct skill_qrun *qr);
 *	void	skill_queue_remove(struct skill_queue *q,
 *		    struct skill_qrun *qr);
 *	struct skill_qrun *skill_queue_find(const struct skill_queue *q,
 *		    const char *id);
 *	struct skill_qrun *skill_queue_pick(const struct skill_queue *q,
 *		    int max_running, skill_queue_limit_fn *limit, void *arg);
 *	void	skill_queue_started(struct skill_queue *q, const char *skill,
 *		    int agent);
 *	void	skill_queue_ended(struct skill_queue *q, const char *skill,
 *		    int agent);
 *	int	skill_queue_running(const struct skill_queue *q,
 *		    const char *skill);
 *	void	skill_queue_clear(struct skill_queue *q);
 * DESCRIPTION
 *	docs/skills.md "The concurrency policy". The queue holds what the
 *	worker keeps in memory of a queued run (its id, skill, agent,
 *	sequence and timeout; the prompt stays in runs.db), in sequence
 *	order, and counts the runs started: in all, per skill and per agent.
 *
 *	skill_queue_add inserts qr (taken) by its seq; skill_queue_remove
 *	unlinks it (the caller frees it or passes it on).
 *
 *	skill_queue_pick is the policy and nothing else: the queued run to
 *	start next, or NULL. None while max_running runs are running; else
 *	the oldest run whose skill is below its own limit. limit(skill, arg)
 *	gives a skill's max_running as the registry has it now (0: no limit
 *	of its own), or -1 when the skill is no longer in the registry: the
 *	run's max_running (what its skill said when the run was queued)
 *	counts then. A run that may not start is passed over, never waited
 *	for. limit may be NULL (only the runs' own values count).
 *
 *	skill_queue_started and skill_queue_ended count a run in and out
 *	(from the moment it leaves the queue until its process is gone).
 *	q->by_agent[] is each agent's count, for GET /v1/agents.
 * DIAGNOSTICS
 *	None; an ended run that was never started is a fatal bug.
 */
#ifndef CORRAL_SKILL_QUEUE_H
#define CORRAL_SKILL_QUEUE_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include "runs_db.h"
#include "skill_agent.h"

struct skill_qrun {
	TAILQ_ENTRY(skill_qrun)	 entry;
	char			 id[RUN_ID_LEN + 1];
	char			*skill;
	int			 agent;		/* enum skill_agent */
	int64_t			 seq;		/* submission order */
	int			 timeout_s;
	int			 max_running;	/* its skill's then; 0: none */
};

TAILQ_HEAD(skill_qrun_list, skill_qrun);

/* the runs of one skill started and not yet gone */
struct skill_count {
	char	*skill;
	int	 n;
};

struct skill_queue {
	struct skill_qrun_list	 runs;		/* by seq */
	size_t			 nqueued;
	int			 nrunning;
	struct skill_count	*by_skill;	/* only skills with n > 0 */
	size_t			 nskills;
	size_t			 cap;
	int			 by_agent[SKILL_AGENT_COUNT];
};

/* a skill's max_running now: 0 none, -1 unknown (gone from the registry) */
typedef int skill_queue_limit_fn(const char *skill, void *arg);

void	skill_queue_init(struct skill_queue *q);
struct skill_qrun *skill_qrun_new(const char *id, const char *skill,
	    int agent, int64_t seq, int timeout_s, int max_running);
void	skill_qrun_free(struct skill_qrun *qr);
void	skill_queue_add(struct skill_queue *q, struct skill_qrun *qr);
void	skill_queue_remove(struct skill_queue *q, struct skill_qrun *qr);
struct skill_qrun *skill_queue_find(const struct skill_queue *q,
	    const char *id);
struct skill_qrun *skill_queue_pick(const struct skill_queue *q,
	    int max_running, skill_queue_limit_fn *limit, void *arg);
void	skill_queue_started(struct skill_queue *q, const char *skill,
	    int agent);
void	skill_queue_ended(struct skill_queue *q, const char *skill, int agent);
int	skill_queue_running(const struct skill_queue *q, const char *skill);
void	skill_queue_clear(struct skill_queue *q);

#endif
