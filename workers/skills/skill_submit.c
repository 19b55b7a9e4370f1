/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	skill_submit - RUN_SUBMIT: check a submission, queue the run
 * SYNOPSIS
 *	#include "skill_worker.h"
 *
 *	char	*skill_submit_prompt(const char *prompt, const char *input);
 * DESCRIPTION
 *	skill_on_run_submit takes {"skill","agent","route","input",
 *	"timeout_s"} from the http worker and checks it in the order of
 *	docs/skills.md: the skill (404 not_found), the agent (one of the
 *	skill's; default its first), the route (a route of the routes file,
 *	or null for none; default the skill's), the input (an object; the
 *	skill's inputs; at most SKILL_INPUT_MAX bytes as JSON), timeout_s
 *	(1 to 86400; default the skill's, else skills_run_timeout), then
 *	whether the agent is installed (503 unavailable) and whether the
 *	queue has room (429 queue_full). Any other member is refused.
 *
 *	The run's row is written (queued) before the answer, so a run
 *	answered is never lost; the answer is the run with "log_bytes", and
 *	the run starts from the loop when the policy allows.
 *
 *	skill_submit_prompt is the agent's prompt: the skill's prompt file
 *	(after a newline if it starts with '-', which an agent CLI would
 *	take for an option: YAML front matter's "---"), a newline if it
 *	does not end with one, an empty line, the line
 *	"Input (JSON):" and the input as one line of JSON (malloc'ed).
 * DIAGNOSTICS
 *	Refusals are MSG_ERROR replies; a bad submission names its field
 *	("input.text: required").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#include "skill_agent.h"
#include "skill_worker.h"

/* a submission, checked */
struct skill_submit {
	const struct skill	*s;
	int			 agent;
	const struct route	*route;		/* NULL: none */
	char			*input;		/* one line of JSON */
	int			 timeout_s;
};

static const char *const skill_submit_keys[] = {
	"skill", "agent", "route", "input", "timeout_s", NULL
};

/* skill_submit_prompt - the prompt file, an empty line, the input */
char *
skill_submit_prompt(const char *prompt, const char *input)
{
	size_t	 n = strlen(prompt);
	char	*out;

	/* a prompt starting with '-' (YAML front matter: "---") would be
	 * read as an option by the agent CLIs: a newline goes first */
	xasprintf(&out, "%s%s%s\nInput (JSON):\n%s", prompt[0] == '-' ?
	    "\n" : "", prompt, n > 0 && prompt[n - 1] == '\n' ? "" : "\n",
	    input);
	return (out);
}

/* skill_submit_bad - answer bad_request naming field; -1 */
static int
skill_submit_bad(struct worker_rt *rt, struct frame *f, const char *field,
    const char *msg)
{
	worker_reply_error_field(rt, f, "bad_request", field, msg);
	return (-1);
}

/* skill_submit_skill - "skill" and its members; 0, or -1 (answered) */
static int
skill_submit_skill(struct worker_rt *rt, struct frame *f, const cJSON *j,
    struct skill_submit *sb)
{
	struct skill_worker	*w = rt->priv;
	const cJSON		*v, *m;
	char			 msg[128];
	size_t			 i;

	cJSON_ArrayForEach(m, j) {
		for (i = 0; skill_submit_keys[i] != NULL; i++)
			if (strcmp(m->string, skill_submit_keys[i]) == 0)
				break;
		if (skill_submit_keys[i] == NULL) {
			snprintf(msg, sizeof(msg), "%.64s: not a field of a "
			    "run", m->string);
			return (skill_submit_bad(rt, f, m->string, msg));
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(j, "skill");
	if (!cJSON_IsString(v))
		return (skill_submit_bad(rt, f, "skill", "skill: want the "
		    "name of a skill"));
	if ((sb->s = skill_registry_find(w->reg, v->valuestring)) == NULL) {
		worker_reply_error(rt, f, "not_found", "no skill named %.64s",
		    v->valuestring);
		return (-1);
	}
	return (0);
}

/* skill_submit_agent - "agent": one of the skill's; 0 or -1 (answered) */
static int
skill_submit_agent(struct worker_rt *rt, struct frame *f, const cJSON *j,
    struct skill_submit *sb)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(j, "agent");
	char		 msg[160];
	size_t		 i, n;
	int		 a;

	sb->agent = sb->s->agents[0];
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (cJSON_IsString(v) && (a = skill_agent_lookup(v->valuestring)) !=
	    -1)
		for (i = 0; i < sb->s->nagents; i++)
			if (sb->s->agents[i] == a) {
				sb->agent = a;
				return (0);
			}
	n = (size_t)snprintf(msg, sizeof(msg), "agent: want one of the "
	    "skill's agents:");
	for (i = 0; i < sb->s->nagents && n < sizeof(msg); i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s %s",
		    i > 0 ? "," : "", skill_agent_name(sb->s->agents[i]));
	return (skill_submit_bad(rt, f, "agent", msg));
}

/* skill_submit_route - "route": known or null; 0 or -1 (answered) */
static int
skill_submit_route(struct worker_rt *rt, struct frame *f, const cJSON *j,
    struct skill_submit *sb)
{
	struct skill_worker	*w = rt->priv;
	const cJSON		*v = cJSON_GetObjectItemCaseSensitive(j,
				    "route");
	const char		*name;
	char			 msg[192];

	sb->route = NULL;
	if (v != NULL && cJSON_IsNull(v))
		return (0);			/* none, whatever the skill says */
	if (v != NULL && !cJSON_IsString(v))
		return (skill_submit_bad(rt, f, "route", "route: want a route "
		    "name or null"));
	name = v != NULL ? v->valuestring : sb->s->route;
	if (name == NULL)
		return (0);
	if ((sb->route = skill_worker_route(w, name)) != NULL)
		return (0);
	if (v != NULL)
		snprintf(msg, sizeof(msg), "route: no route named %.64s", name);
	else
		snprintf(msg, sizeof(msg), "route: the skill's route %.64s is "
		    "not in the routes file", name);
	return (skill_submit_bad(rt, f, "route", msg));
}

/* skill_submit_input - "input": checked, as one line; 0 or -1 */
static int
skill_submit_input(struct worker_rt *rt, struct frame *f, const cJSON *j,
    struct skill_submit *sb)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(j, "input");
	char		 field[SKILL_INPUT_NAME_MAX + 16], msg[256], *text;
	size_t		 n;

	if (v != NULL && !cJSON_IsNull(v) && !cJSON_IsObject(v))
		return (skill_submit_bad(rt, f, "input", "input: want an "
		    "object"));
	if (v != NULL && cJSON_IsNull(v))
		v = NULL;
	if (skill_input_check(sb->s, v, field, sizeof(field), msg,
	    sizeof(msg)) == -1)
		return (skill_submit_bad(rt, f, field, msg));
	text = v != NULL ? cJSON_PrintUnformatted(v) : strdup("{}");
	if (text == NULL)
		fatalx("%s: out of memory", __func__);
	if ((n = strlen(text)) > SKILL_INPUT_MAX) {
		free(text);
		snprintf(msg, sizeof(msg), "input: %zu bytes as JSON, more "
		    "than %d", n, SKILL_INPUT_MAX);
		return (skill_submit_bad(rt, f, "input", msg));
	}
	sb->input = xstrdup(text);
	free(text);
	return (0);
}

/* skill_submit_timeout - "timeout_s"; 0 or -1 (answered) */
static int
skill_submit_timeout(struct worker_rt *rt, struct frame *f, const cJSON *j,
    struct skill_submit *sb)
{
	struct skill_worker	*w = rt->priv;
	const cJSON		*v = cJSON_GetObjectItemCaseSensitive(j,
				    "timeout_s");

	sb->timeout_s = sb->s->timeout_s > 0 ? sb->s->timeout_s :
	    w->run_timeout_s;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
	    v->valuedouble > SKILL_TIMEOUT_MAX ||
	    v->valuedouble != (double)(int)v->valuedouble)
		return (skill_submit_bad(rt, f, "timeout_s", "timeout_s: want "
		    "a whole number of seconds from 1 to 86400"));
	sb->timeout_s = (int)v->valuedouble;
	return (0);
}

/* skill_submit_room - the agent is installed, the queue has room; 0 or
 * -1 (answered) */
static int
skill_submit_room(struct worker_rt *rt, struct frame *f,
    const struct skill_submit *sb)
{
	struct skill_worker	*w = rt->priv;
	char			 exe[4096];

	if (skill_agent_find(w->agent_path, sb->agent, exe, sizeof(exe)) ==
	    -1) {
		worker_reply_error(rt, f, "unavailable", "agent %s is not "
		    "installed (no %s in %.512s)", skill_agent_name(sb->agent),
		    skill_agent_def(sb->agent)->command, w->agent_path);
		return (-1);
	}
	if (w->queue.nqueued >= (size_t)w->max_queued) {
		worker_reply_error(rt, f, "queue_full", "%zu runs are waiting, "
		    "as many as skills_max_queued allows", w->queue.nqueued);
		return (-1);
	}
	return (0);
}

/* skill_submit_queue - write the run's row, queue it; 0 or -1 */
static int
skill_submit_queue(struct skill_worker *w, const struct skill_submit *sb,
    struct run_rec *r)
{
	const struct skill	*s = sb->s;

	memset(r, 0, sizeof(*r));
	if (run_id_new(r->id) == -1)
		return (-1);
	r->skill = xstrdup(s->name);
	r->agent = xstrdup(skill_agent_name(sb->agent));
	if (sb->route != NULL) {
		r->route = xstrdup(sb->route->name);
		r->model = xstrdup(sb->route->model);
	}
	r->state = RUN_QUEUED;
	r->input = xstrdup(sb->input);
	r->prompt = skill_submit_prompt(s->prompt != NULL ? s->prompt : "",
	    sb->input);
	r->timeout_s = sb->timeout_s;
	r->created_ms = run_now_ms();
	r->exit_code = -1;
	if (runs_db_insert(w->db, r) == -1)
		return (-1);
	skill_queue_add(&w->queue, skill_qrun_new(r->id, s->name, sb->agent,
	    r->seq, sb->timeout_s, s->max_running));
	log_info("run %s (skill %s, agent %s%s%s): queued", r->id, s->name,
	    r->agent, r->route != NULL ? ", route " : "", r->route != NULL ?
	    r->route : "");
	return (0);
}

/* skill_on_run_submit - RUN_SUBMIT: check, write, answer, dispatch */
void
skill_on_run_submit(struct worker_rt *rt, struct frame *f)
{
	struct skill_worker	*w = rt->priv;
	struct skill_submit	 sb;
	struct run_rec		 r;
	cJSON			*j;

	if ((j = worker_request_object(rt, f, PROC_HTTP)) == NULL)
		return;
	memset(&sb, 0, sizeof(sb));
	memset(&r, 0, sizeof(r));
	if (rt->draining) {
		worker_reply_error(rt, f, "draining", "corral is shutting "
		    "down");
		goto done;
	}
	if (skill_submit_skill(rt, f, j, &sb) == -1 ||
	    skill_submit_agent(rt, f, j, &sb) == -1 ||
	    skill_submit_route(rt, f, j, &sb) == -1 ||
	    skill_submit_input(rt, f, j, &sb) == -1 ||
	    skill_submit_timeout(rt, f, j, &sb) == -1 ||
	    skill_submit_room(rt, f, &sb) == -1)
		goto done;
	if (skill_submit_queue(w, &sb, &r) == -1) {
		worker_reply_error(rt, f, "internal", "runs.db: cannot record "
		    "the run");
		goto done;
	}
	worker_reply(rt, f, MSG_RUN_SUBMIT, skill_msg_run_json(w, &r, 0));
	skill_worker_dispatch_soon(w);
done:
	run_rec_clear(&r);
	free(sb.input);
	cJSON_Delete(j);
}
