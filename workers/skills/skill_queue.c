/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_queue - the runs waiting, and which one starts next
 * SYNOPSIS
 *	#include "skill_queue.h"
 * DESCRIPTION
 *	See skill_queue.h. The queue is a list in seq order: a submission
 *	always has the highest seq so far and goes at the tail at once; the
 *	walk back from the tail only matters for runs read back from
 *	runs.db out of order. The per-skill counts are a small array of
 *	the skills with runs started (at most skills_max_running of them),
 *	searched linearly.
 *
 *	A pick walks the queue from the head; it stops at the first run
 *	that may start, so a long queue of one blocked skill costs one
 *	pass, and the runs of other skills behind it are found in it.
 * DIAGNOSTICS
 *	fatalx when a run ends that was never counted in: the worker's
 *	books would be wrong from then on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

#include "skill_queue.h"

/* skill_queue_init - an empty queue, nothing running */
void
skill_queue_init(struct skill_queue *q)
{
	memset(q, 0, sizeof(*q));
	TAILQ_INIT(&q->runs);
}

/* skill_qrun_new - a queued run's record in memory */
struct skill_qrun *
skill_qrun_new(const char *id, const char *skill, int agent, int64_t seq,
    int timeout_s, int max_running)
{
	struct skill_qrun	*qr;

	qr = xcalloc(1, sizeof(*qr));
	snprintf(qr->id, sizeof(qr->id), "%s", id);
	qr->skill = xstrdup(skill);
	qr->agent = agent;
	qr->seq = seq;
	qr->timeout_s = timeout_s;
	qr->max_running = max_running;
	return (qr);
}

/* skill_qrun_free - free a record; NULL is fine */
void
skill_qrun_free(struct skill_qrun *qr)
{
	if (qr == NULL)
		return;
	free(qr->skill);
	free(qr);
}

/* skill_queue_add - insert qr (taken) in seq order */
void
skill_queue_add(struct skill_queue *q, struct skill_qrun *qr)
{
	struct skill_qrun	*at;

	TAILQ_FOREACH_REVERSE(at, &q->runs, skill_qrun_list, entry)
		if (at->seq <= qr->seq)
			break;
	if (at == NULL)
		TAILQ_INSERT_HEAD(&q->runs, qr, entry);
	else
		TAILQ_INSERT_AFTER(&q->runs, at, qr, entry);
	q->nqueued++;
}

/* skill_queue_remove - unlink qr; the caller has it now */
void
skill_queue_remove(struct skill_queue *q, struct skill_qrun *qr)
{
	TAILQ_REMOVE(&q->runs, qr, entry);
	q->nqueued--;
}

/* skill_queue_find - the queued run id, or NULL */
struct skill_qrun *
skill_queue_find(const struct skill_queue *q, const char *id)
{
	struct skill_qrun	*qr;

	TAILQ_FOREACH(qr, &q->runs, entry)
		if (strcmp(qr->id, id) == 0)
			return (qr);
	return (NULL);
}

/* skill_queue_count - the count of skill, or NULL if none started */
static struct skill_count *
skill_queue_count(const struct skill_queue *q, const char *skill)
{
	size_t	i;

	for (i = 0; i < q->nskills; i++)
		if (strcmp(q->by_skill[i].skill, skill) == 0)
			return (&q->by_skill[i]);
	return (NULL);
}

/* skill_queue_running - how many runs of skill are started */
int
skill_queue_running(const struct skill_queue *q, const char *skill)
{
	const struct skill_count	*c = skill_queue_count(q, skill);

	return (c != NULL ? c->n : 0);
}

/* skill_queue_pick - the queued run to start next, or NULL */
struct skill_qrun *
skill_queue_pick(const struct skill_queue *q, int max_running,
    skill_queue_limit_fn *limit, void *arg)
{
	struct skill_qrun	*qr;
	int			 lim;

	if (q->nrunning >= max_running)
		return (NULL);
	TAILQ_FOREACH(qr, &q->runs, entry) {
		lim = limit != NULL ? limit(qr->skill, arg) : -1;
		if (lim < 0)
			lim = qr->max_running;
		if (lim == 0 || skill_queue_running(q, qr->skill) < lim)
			return (qr);
	}
	return (NULL);
}

/* skill_queue_started - count a run of skill and agent in */
void
skill_queue_started(struct skill_queue *q, const char *skill, int agent)
{
	struct skill_count	*c;

	if ((c = skill_queue_count(q, skill)) == NULL) {
		if (q->nskills == q->cap) {
			q->cap = q->cap == 0 ? 8 : q->cap * 2;
			q->by_skill = xrealloc(q->by_skill, q->cap *
			    sizeof(*q->by_skill));
		}
		c = &q->by_skill[q->nskills++];
		c->skill = xstrdup(skill);
		c->n = 0;
	}
	c->n++;
	q->nrunning++;
	if (agent >= 0 && agent < SKILL_AGENT_COUNT)
		q->by_agent[agent]++;
}

/* skill_queue_ended - count a run of skill and agent out */
void
skill_queue_ended(struct skill_queue *q, const char *skill, int agent)
{
	struct skill_count	*c;

	if ((c = skill_queue_count(q, skill)) == NULL || q->nrunning <= 0)
		fatalx("%s: run of skill %s ended but never started", __func__,
		    skill);
	q->nrunning--;
	if (agent >= 0 && agent < SKILL_AGENT_COUNT && q->by_agent[agent] > 0)
		q->by_agent[agent]--;
	if (--c->n > 0)
		return;
	free(c->skill);
	*c = q->by_skill[--q->nskills];
}

/* skill_queue_clear - free every queued run and every count */
void
skill_queue_clear(struct skill_queue *q)
{
	struct skill_qrun	*qr;
	size_t			 i;

	while ((qr = TAILQ_FIRST(&q->runs)) != NULL) {
		TAILQ_REMOVE(&q->runs, qr, entry);
		skill_qrun_free(qr);
	}
	for (i = 0; i < q->nskills; i++)
		free(q->by_skill[i].skill);
	free(q->by_skill);
	skill_queue_init(q);
}
