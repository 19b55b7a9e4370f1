/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_msg - the skills worker's messages but SUBMIT (docs/skills.md)
 * SYNOPSIS
 *	#include "skill_worker.h"
 * DESCRIPTION
 *	SKILL_LIST, SKILL_GET, AGENT_LIST, RUN_LIST, RUN_GET, RUN_LOGS and
 *	RUN_CANCEL, from the http worker only (the master stamps src; anyone
 *	else gets ERROR forbidden). The answers are the objects of the
 *	contract's API section; a run carries "log_bytes", the size of its
 *	log (0 before it has one).
 *
 *	A log tail is at most SKILL_LOG_MAX bytes of text; when that text
 *	as JSON would not fit in a frame (FRAME_MAX: escapes make it
 *	longer), less of the end is sent, with "truncated" true. Any other
 *	answer too large for a frame is refused with ERROR internal saying
 *	how big it was.
 * DIAGNOSTICS
 *	Refusals are MSG_ERROR replies; a bad request names its field. A
 *	runs.db that cannot be read is ERROR internal (logged by runs_db.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#include "run_log.h"
#include "skill_agent.h"
#include "skill_worker.h"

#define SKILL_LOG_MAX		(1024 * 1024)	/* text of a log tail */
#define SKILL_LOG_TAIL_DEF	100
#define SKILL_LOG_TAIL_MAX	10000
#define SKILL_LIST_DEF		100
#define SKILL_LIST_MAX		1000

/* skill_msg_size - the length of j as it goes on the bus */
static size_t
skill_msg_size(const cJSON *j)
{
	char	*s;
	size_t	 n;

	if ((s = cJSON_PrintUnformatted(j)) == NULL)
		fatalx("%s: out of memory", __func__);
	n = strlen(s);
	cJSON_free(s);
	return (n);
}

/* skill_msg_reply - answer with body (taken), or internal if too big */
static void
skill_msg_reply(struct worker_rt *rt, const struct frame *f, uint16_t type,
    cJSON *body)
{
	size_t	n = skill_msg_size(body);

	if (n > FRAME_MAX) {
		cJSON_Delete(body);
		log_warnx("%s: an answer of %zu bytes, over the %d a frame "
		    "carries", msg_type_name(type), n, FRAME_MAX);
		worker_reply_error(rt, f, "internal", "the answer is %zu bytes, "
		    "more than the %d the skills worker can pass on", n,
		    FRAME_MAX);
		return;
	}
	worker_reply(rt, f, type, body);
}

/* skill_msg_log_bytes - add "log_bytes" of run id to o */
static void
skill_msg_log_bytes(const struct skill_worker *w, cJSON *o, const char *id)
{
	char		path[4096];
	long long	n;

	skill_worker_path(w, SKILL_PATH_LOG, id, path, sizeof(path));
	n = run_log_size(path);
	cJSON_AddNumberToObject(o, "log_bytes", n > 0 ? (double)n : 0);
}

/* skill_msg_run_json - the run as the API shows it, with log_bytes */
cJSON *
skill_msg_run_json(const struct skill_worker *w, const struct run_rec *r,
    int with_input)
{
	cJSON	*o;

	if ((o = run_json(r, with_input)) == NULL)
		fatalx("%s: out of memory", __func__);
	skill_msg_log_bytes(w, o, r->id);
	return (o);
}

/* skill_msg_string - member key of j: a string, absent/null (NULL, 0),
 * or -1 (answered bad_request) */
static int
skill_msg_string(struct worker_rt *rt, struct frame *f, const cJSON *j,
    const char *key, const char **out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(j, key);
	char		 msg[96];

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsString(v)) {
		snprintf(msg, sizeof(msg), "%s: want a string", key);
		worker_reply_error_field(rt, f, "bad_request", key, msg);
		return (-1);
	}
	*out = v->valuestring;
	return (0);
}

/* skill_msg_whole - member key of j: a whole number in [min, max], def
 * if absent/null; 0, or -1 (answered bad_request with what) */
static int
skill_msg_whole(struct worker_rt *rt, struct frame *f, const cJSON *j,
    const char *key, long def, long min, long max, const char *what,
    long *out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(j, key);
	char		 msg[160];

	*out = def;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsNumber(v) || v->valuedouble < (double)min ||
	    v->valuedouble > (double)max ||
	    v->valuedouble != (double)(long)v->valuedouble) {
		snprintf(msg, sizeof(msg), "%s: want %s", key, what);
		worker_reply_error_field(rt, f, "bad_request", key, msg);
		return (-1);
	}
	*out = (long)v->valuedouble;
	return (0);
}

/* skill_msg_run - the run j names in "id" into r; 0, or -1 (answered) */
static int
skill_msg_run(struct worker_rt *rt, struct frame *f, const cJSON *j,
    struct run_rec *r)
{
	struct skill_worker	*w = rt->priv;
	const char		*id;
	int			 rc;

	if (skill_msg_string(rt, f, j, "id", &id) == -1)
		return (-1);
	if (id == NULL) {
		worker_reply_error_field(rt, f, "bad_request", "id",
		    "id: want a string");
		return (-1);
	}
	if (!run_id_valid(id)) {
		worker_reply_error(rt, f, "not_found", "no run %.64s", id);
		return (-1);
	}
	if ((rc = runs_db_get(w->db, id, r)) == 1)
		worker_reply_error(rt, f, "not_found", "no run %s", id);
	else if (rc == -1)
		worker_reply_error(rt, f, "internal", "runs.db: cannot read "
		    "run %s", id);
	return (rc == 0 ? 0 : -1);
}

/* skill_on_skill_list - SKILL_LIST: the registry */
void
skill_on_skill_list(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	cJSON			*j;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	cJSON_Delete(j);
	skill_msg_reply(rt, f, MSG_SKILL_LIST, skill_registry_json(w->reg));
}

/* skill_on_skill_get - SKILL_GET {"name"}: one skill with its prompt */
void
skill_on_skill_get(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	const struct skill	*s;
	const char		*name;
	cJSON			*j;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	if (skill_msg_string(rt, f, j, "name", &name) == -1)
		goto done;
	if (name == NULL)
		worker_reply_error_field(rt, f, "bad_request", "name",
		    "name: want a string");
	else if ((s = skill_registry_find(w->reg, name)) == NULL)
		worker_reply_error(rt, f, "not_found", "no skill named %.64s",
		    name);
	else
		skill_msg_reply(rt, f, MSG_SKILL_GET, skill_json(s, 1));
done:
	cJSON_Delete(j);
}

/* skill_on_agent_list - AGENT_LIST: which agents, where, how busy */
void
skill_on_agent_list(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	cJSON			*j;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	cJSON_Delete(j);
	worker_reply(rt, f, MSG_AGENT_LIST, skill_agent_status(w->agent_path,
	    w->queue.by_agent));
}

/* skill_msg_counts - {"queued": n, ...} of every state, or NULL */
static cJSON *
skill_msg_counts(struct skill_worker *w)
{
	long	 counts[RUN_STATE_COUNT];
	cJSON	*o;
	int	 i;

	if (runs_db_counts(w->db, counts) == -1)
		return (NULL);
	o = cJSON_CreateObject();
	for (i = 0; i < RUN_STATE_COUNT; i++)
		cJSON_AddNumberToObject(o, run_state_name(i),
		    (double)counts[i]);
	return (o);
}

/* skill_on_run_list - RUN_LIST {"state","skill","limit"}: newest first */
void
skill_on_run_list(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	const char		*st, *skill;
	cJSON			*j, *o, *runs, *r, *counts, *id;
	long			 limit;
	int			 state = -1;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	if (skill_msg_string(rt, f, j, "state", &st) == -1 ||
	    skill_msg_string(rt, f, j, "skill", &skill) == -1 ||
	    skill_msg_whole(rt, f, j, "limit", SKILL_LIST_DEF, 1,
	    SKILL_LIST_MAX, "a whole number from 1 to 1000", &limit) == -1)
		goto done;
	if (st != NULL && (state = run_state_lookup(st)) == -1) {
		worker_reply_error_field(rt, f, "bad_request", "state",
		    "state: want queued, running, succeeded, failed, "
		    "timed_out or canceled");
		goto done;
	}
	o = cJSON_CreateObject();
	runs = cJSON_AddArrayToObject(o, "runs");
	if (runs_db_list(w->db, state, skill, (int)limit, runs) == -1 ||
	    (counts = skill_msg_counts(w)) == NULL) {
		cJSON_Delete(o);
		worker_reply_error(rt, f, "internal", "runs.db: cannot list "
		    "the runs");
		goto done;
	}
	cJSON_ArrayForEach(r, runs)
		if (cJSON_IsString(id = cJSON_GetObjectItemCaseSensitive(r,
		    "id")))
			skill_msg_log_bytes(w, r, id->valuestring);
	cJSON_AddItemToObject(o, "counts", counts);
	skill_msg_reply(rt, f, MSG_RUN_LIST, o);
done:
	cJSON_Delete(j);
}

/* skill_on_run_get - RUN_GET {"id"}: the run with its input */
void
skill_on_run_get(struct worker_rt *rt, struct frame *f)
{
	struct run_rec	 r;
	cJSON		*j;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	memset(&r, 0, sizeof(r));
	if (skill_msg_run(rt, f, j, &r) == 0)
		skill_msg_reply(rt, f, MSG_RUN_GET,
		    skill_msg_run_json(rt->priv, &r, 1));
	run_rec_clear(&r);
	cJSON_Delete(j);
}

/* skill_msg_tail - {"id","text","truncated"}: lines of the log at path,
 * made smaller until it fits in a frame; NULL and why */
static cJSON *
skill_msg_tail(const char *id, const char *path, long lines, char *err,
    size_t errlen)
{
	size_t	 max = SKILL_LOG_MAX, n;
	char	*text;
	cJSON	*o;
	int	 truncated;

	for (;;) {
		if (run_log_tail(path, lines, max, &text, &truncated, err,
		    errlen) == -1)
			return (NULL);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "text", text);
		free(text);
		if ((n = skill_msg_size(o)) + 64 <= FRAME_MAX || max < 1024) {
			cJSON_AddBoolToObject(o, "truncated", truncated);
			return (o);
		}
		cJSON_Delete(o);
		/* escapes made it longer: ask for what should fit */
		max = (size_t)((double)max * (FRAME_MAX - 4096) / (double)n);
	}
}

/* skill_on_run_logs - RUN_LOGS {"id","tail"}: the end of its log */
void
skill_on_run_logs(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	struct run_rec		 r;
	char			 path[4096], err[512];
	cJSON			*j, *o;
	long			 tail;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	memset(&r, 0, sizeof(r));
	if (skill_msg_whole(rt, f, j, "tail", SKILL_LOG_TAIL_DEF, -1,
	    SKILL_LOG_TAIL_MAX, "a whole number from 0 to 10000, or -1 for "
	    "all", &tail) == -1 || skill_msg_run(rt, f, j, &r) == -1)
		goto done;
	skill_worker_path(w, SKILL_PATH_LOG, r.id, path, sizeof(path));
	if ((o = skill_msg_tail(r.id, path, tail, err, sizeof(err))) == NULL) {
		log_warnx("run %s: log: %s", r.id, err);
		worker_reply_error(rt, f, "internal", "run %s: log: %s", r.id,
		    err);
	} else
		worker_reply(rt, f, MSG_RUN_LOGS, o);
done:
	run_rec_clear(&r);
	cJSON_Delete(j);
}

/* skill_msg_cancel - cancel r (as runs.db has it); 0, or -1 (answered) */
static int
skill_msg_cancel(struct worker_rt *rt, struct frame *f, struct run_rec *r)
{
	struct skill_worker	*w = rt->priv;
	struct skill_qrun	*qr;
	struct skill_run	*sr;

	if (run_state_terminal(r->state)) {
		worker_reply_error(rt, f, "conflict", "run %s has ended (%s)",
		    r->id, run_state_name(r->state));
		return (-1);
	}
	if ((sr = skill_run_find(w, r->id)) != NULL) {
		(void)skill_run_cancel(sr);
		return (0);
	}
	if (r->state == RUN_QUEUED) {
		if (runs_db_end(w->db, r->id, RUN_CANCELED, run_now_ms(), -1, 0,
		    NULL) == -1) {
			worker_reply_error(rt, f, "internal", "runs.db: cannot "
			    "cancel run %s", r->id);
			return (-1);
		}
		if ((qr = skill_queue_find(&w->queue, r->id)) != NULL) {
			skill_queue_remove(&w->queue, qr);
			skill_qrun_free(qr);
		}
		log_info("run %s (skill %s): canceled while queued", r->id,
		    r->skill);
	}
	return (0);
}

/* skill_on_run_cancel - RUN_CANCEL {"id"}: the run as it is now */
void
skill_on_run_cancel(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	struct run_rec		 r;
	cJSON			*j;
	char			 id[RUN_ID_LEN + 1];

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	memset(&r, 0, sizeof(r));
	if (skill_msg_run(rt, f, j, &r) == -1 ||
	    skill_msg_cancel(rt, f, &r) == -1)
		goto done;
	memcpy(id, r.id, sizeof(id));
	run_rec_clear(&r);
	if (runs_db_get(w->db, id, &r) != 0)
		worker_reply_error(rt, f, "internal", "runs.db: cannot read "
		    "run %s", id);
	else
		worker_reply(rt, f, MSG_RUN_CANCEL, skill_msg_run_json(w, &r,
		    0));
done:
	run_rec_clear(&r);
	cJSON_Delete(j);
}
