/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics - GET /metrics and the http worker's request counters
 * SYNOPSIS
 *	#include "http_metrics.h"
 * DESCRIPTION
 *	Every answered request is counted by http_call_take() through
 *	http_metrics_note(): by route, method and status in
 *	corral_http_requests_total, and by route in the latency histogram
 *	corral_http_request_duration_seconds. The route is the pattern of
 *	the route table ("/v1/workers/{name}"), never the path a client
 *	sent, and a request that matched no route (404, 405, a refusal
 *	before routing) counts as route="other": the number of series is
 *	bounded by the table, whatever clients send. Rows that share a
 *	pattern (PUT and DELETE /v1/secrets/{name}) share its counters.
 *	The counters live as long as the worker: a restart of the http
 *	worker resets them, which Prometheus's rate() takes in its stride.
 *
 *	GET /metrics (http_metrics_serve) sends MSG_STATUS to the master,
 *	MSG_GPU_SAMPLE to the gpu worker, MSG_ENGINE_LIST to the engines
 *	worker, MSG_MCP_LIST to the mcp worker, and MSG_RUN_LIST
 *	{"limit":1} (for its counts) and MSG_AGENT_LIST to the skills
 *	worker at once, each with the bus timeout, and renders when all
 *	have answered or failed. A failed part only leaves its families
 *	out: without the master the worker families, without the gpu
 *	worker (down, disabled, slow) the GPU and host families, without
 *	the engines worker the engines families, without the mcp worker
 *	the MCP families, without the skills worker the run and agent
 *	families (each of its two answers on its own); corral_up,
 *	corral_info and the request families are always there. The page
 *	is Prometheus's text format 0.0.4.
 *
 *	The families written here, each with HELP and TYPE:
 *
 *	  corral_up					gauge, 1
 *	  corral_info{version}				gauge, 1
 *	  corral_worker_up{worker}			gauge, 1 if ready
 *	  corral_worker_restarts_total{worker}		counter
 *	  corral_worker_state{worker,state}		gauge, 1 for the
 *							current state, 0
 *							for the others
 *	  corral_http_requests_total{route,method,code}	counter
 *	  corral_http_request_duration_seconds{route}	histogram
 *
 *	and http_metrics_gpu.c writes the GPU and host families,
 *	http_metrics_engines.c the engines families, http_metrics_mcp.c
 *	the MCP families, http_metrics_skills.c the run and agent
 *	families.
 * DIAGNOSTICS
 *	A reply of the wrong shape is logged as a warning and that part is
 *	left out; a worker that is down is logged at debug level only,
 *	since Prometheus asks every few seconds.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>

#include "frame.h"
#include "log.h"
#include "msg.h"
#include "proc.h"
#include "worker.h"
#include "xmalloc.h"

#include "http_call.h"
#include "http_metrics.h"
#include "http_metrics_engines.h"
#include "http_metrics_gpu.h"
#include "http_metrics_mcp.h"
#include "http_metrics_skills.h"
#include "http_prom.h"
#include "http_reply.h"
#include "http_route.h"
#include "http_server.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION	"unknown"
#endif

#define HTTP_METRICS_OTHER	"other"		/* route of no route */

const double http_metrics_bounds[HTTP_METRICS_NBUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5
};

/* the states of docs/api.md, each written for every worker */
static const char *const http_metrics_states[] = {
	"starting", "ready", "stopping", "down", "throttled", "failed"
};

#define HTTP_METRICS_NSTATES \
	(sizeof(http_metrics_states) / sizeof(http_metrics_states[0]))

/* the answers one scrape waits for */
struct http_metrics_scrape {
	int				pending;	/* bus requests out,
							 * plus one while
							 * sending */
	struct http_metrics_parts	parts;		/* NULL: no reply */
};

/* http_metrics_new - counters for the routes of this table */
struct http_metrics *
http_metrics_new(const struct http_route *routes, size_t nroutes)
{
	struct http_metrics	*m;

	m = xcalloc(1, sizeof(*m));
	m->routes = routes;
	m->nroutes = nroutes;
	m->hist = xcalloc(nroutes + 1, sizeof(*m->hist));
	return (m);
}

/* http_metrics_free - free m; NULL is fine */
void
http_metrics_free(struct http_metrics *m)
{
	if (m == NULL)
		return;
	free(m->hist);
	free(m->counts);
	free(m);
}

/* http_metrics_slot - the histogram row of a route: its pattern's first */
static size_t
http_metrics_slot(const struct http_metrics *m, int route)
{
	size_t	i;

	if (route < 0 || (size_t)route >= m->nroutes)
		return (m->nroutes);
	for (i = 0; i < (size_t)route; i++)
		if (strcmp(m->routes[i].pattern, m->routes[route].pattern) == 0)
			return (i);
	return ((size_t)route);
}

/* http_metrics_cmp - order of counters: slot, method, code */
static int
http_metrics_cmp(const struct http_metrics_count *a, size_t slot, int method,
    int code)
{
	if ((size_t)a->route != slot)
		return ((size_t)a->route < slot ? -1 : 1);
	if (a->method != method)
		return (a->method < method ? -1 : 1);
	if (a->code != code)
		return (a->code < code ? -1 : 1);
	return (0);
}

/* http_metrics_note - count one answered request and its duration */
void
http_metrics_note(struct http_metrics *m, int route, int method, int code,
    double secs)
{
	struct http_metrics_hist	*h;
	size_t				 slot, i, b;
	int				 c = 1;

	if (m == NULL)
		return;
	slot = http_metrics_slot(m, route);
	for (i = 0; i < m->ncounts; i++)
		if ((c = http_metrics_cmp(&m->counts[i], slot, method,
		    code)) >= 0)
			break;
	if (i == m->ncounts || c != 0) {
		m->counts = xrealloc(m->counts, (m->ncounts + 1) *
		    sizeof(*m->counts));
		memmove(&m->counts[i + 1], &m->counts[i],
		    (m->ncounts - i) * sizeof(*m->counts));
		m->ncounts++;
		m->counts[i].route = (int)slot;
		m->counts[i].method = method;
		m->counts[i].code = code;
		m->counts[i].n = 0;
	}
	m->counts[i].n++;
	if (!(secs >= 0))
		secs = 0;
	h = &m->hist[slot];
	for (b = 0; b < HTTP_METRICS_NBUCKETS; b++)
		if (secs <= http_metrics_bounds[b])
			break;
	if (b < HTTP_METRICS_NBUCKETS)
		h->bucket[b]++;
	h->count++;
	h->sum += secs;
}

/* http_metrics_route_name - the route label of a slot */
static const char *
http_metrics_route_name(const struct http_metrics *m, size_t slot)
{
	return (slot < m->nroutes ? m->routes[slot].pattern :
	    HTTP_METRICS_OTHER);
}

/* http_metrics_http - the request counter and the latency histogram */
static void
http_metrics_http(struct http_prom *p, const struct http_metrics *m)
{
	const struct http_metrics_count	*c;
	const struct http_metrics_hist	*h;
	struct http_prom_labels		 l;
	size_t				 i, b;
	uint64_t			 cum;

	http_prom_family(p, "corral_http_requests_total", "counter",
	    "HTTP requests answered by the http worker, by route pattern, "
	    "method and status code.");
	for (i = 0; m != NULL && i < m->ncounts; i++) {
		c = &m->counts[i];
		http_prom_labels_init(&l);
		http_prom_label(&l, "route", http_metrics_route_name(m,
		    (size_t)c->route));
		http_prom_label(&l, "method", http_route_method_name(c->method));
		http_prom_label_num(&l, "code", c->code);
		http_prom_sample(p, "", &l, (double)c->n);
	}
	http_prom_family(p, "corral_http_request_duration_seconds",
	    "histogram", "Time from a request's arrival to its answer, by "
	    "route pattern.");
	for (i = 0; m != NULL && i <= m->nroutes; i++) {
		if ((h = &m->hist[i])->count == 0)
			continue;
		cum = 0;
		for (b = 0; b < HTTP_METRICS_NBUCKETS; b++) {
			cum += h->bucket[b];
			http_prom_labels_init(&l);
			http_prom_label(&l, "route", http_metrics_route_name(m,
			    i));
			http_prom_label_num(&l, "le", http_metrics_bounds[b]);
			http_prom_sample(p, "_bucket", &l, (double)cum);
		}
		http_prom_labels_init(&l);
		http_prom_label(&l, "route", http_metrics_route_name(m, i));
		http_prom_label(&l, "le", "+Inf");
		http_prom_sample(p, "_bucket", &l, (double)h->count);
		http_prom_labels_init(&l);
		http_prom_label(&l, "route", http_metrics_route_name(m, i));
		http_prom_sample(p, "_sum", &l, h->sum);
		http_prom_sample(p, "_count", &l, (double)h->count);
	}
}

/* http_metrics_worker_label - a label set of one worker's name */
static void
http_metrics_worker_label(struct http_prom_labels *l, const char *name)
{
	http_prom_labels_init(l);
	http_prom_label(l, "worker", name);
}

/* http_metrics_str - a string member, or NULL */
static const char *
http_metrics_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* http_metrics_workers - up, restarts and state of every worker */
static void
http_metrics_workers(struct http_prom *p, const cJSON *status)
{
	const cJSON		*workers, *w, *n;
	struct http_prom_labels	 l;
	const char		*name, *state;
	size_t			 i;
	int			 known;

	workers = cJSON_GetObjectItemCaseSensitive(status, "workers");
	if (!cJSON_IsArray(workers))
		return;
	http_prom_family(p, "corral_worker_up", "gauge",
	    "1 if the worker is ready, else 0.");
	cJSON_ArrayForEach(w, workers) {
		if ((name = http_metrics_str(w, "name")) == NULL)
			continue;
		state = http_metrics_str(w, "state");
		http_metrics_worker_label(&l, name);
		http_prom_sample(p, "", &l, state != NULL &&
		    strcmp(state, "ready") == 0);
	}
	http_prom_family(p, "corral_worker_restarts_total", "counter",
	    "Times the master has restarted the worker.");
	cJSON_ArrayForEach(w, workers) {
		n = cJSON_GetObjectItemCaseSensitive(w, "restarts");
		if ((name = http_metrics_str(w, "name")) == NULL ||
		    !cJSON_IsNumber(n))
			continue;
		http_metrics_worker_label(&l, name);
		http_prom_sample(p, "", &l, n->valuedouble);
	}
	http_prom_family(p, "corral_worker_state", "gauge",
	    "1 for the worker's current supervision state, 0 for the others.");
	cJSON_ArrayForEach(w, workers) {
		if ((name = http_metrics_str(w, "name")) == NULL)
			continue;
		state = http_metrics_str(w, "state");
		known = 0;
		for (i = 0; i < HTTP_METRICS_NSTATES; i++) {
			http_metrics_worker_label(&l, name);
			http_prom_label(&l, "state", http_metrics_states[i]);
			if (state != NULL &&
			    strcmp(state, http_metrics_states[i]) == 0)
				known = 1;
			http_prom_sample(p, "", &l, state != NULL &&
			    strcmp(state, http_metrics_states[i]) == 0);
		}
		if (state != NULL && !known) {
			http_metrics_worker_label(&l, name);
			http_prom_label(&l, "state", state);
			http_prom_sample(p, "", &l, 1);
		}
	}
}

/* http_metrics_render - the /metrics page; the replies may be NULL */
void
http_metrics_render(struct evbuffer *out, const struct http_metrics *m,
    const char *version, const struct http_metrics_parts *parts)
{
	static const struct http_metrics_parts	 none;
	struct http_prom			 p;
	struct http_prom_labels			 l;
	const cJSON				*status;
	const char				*v;

	if (parts == NULL)
		parts = &none;
	status = parts->status;
	http_prom_init(&p, out);
	http_prom_family(&p, "corral_up", "gauge",
	    "1 while corral's http worker answers.");
	http_prom_sample(&p, "", NULL, 1);
	if ((v = http_metrics_str(status, "version")) == NULL)
		v = version != NULL ? version : CORRAL_VERSION;
	http_prom_family(&p, "corral_info", "gauge",
	    "Always 1; the version of corral in a label.");
	http_prom_labels_init(&l);
	http_prom_label(&l, "version", v);
	http_prom_sample(&p, "", &l, 1);
	if (status != NULL)
		http_metrics_workers(&p, status);
	http_metrics_http(&p, m);
	if (parts->sample != NULL)
		http_metrics_gpu_render(&p, parts->sample);
	if (parts->engines != NULL)
		http_metrics_engines_render(&p, parts->engines);
	if (parts->mcp != NULL)
		http_metrics_mcp_render(&p, parts->mcp);
	if (parts->runs != NULL)
		http_metrics_skills_runs(&p, parts->runs);
	if (parts->agents != NULL)
		http_metrics_skills_agents(&p, parts->agents);
	http_prom_fini(&p);
}

/* http_metrics_json - the JSON object of a good reply of type want */
static cJSON *
http_metrics_json(struct frame *f, int err, uint16_t want, const char *who)
{
	cJSON		*body;
	const cJSON	*code;

	if (f == NULL) {
		log_debug("/metrics: no answer from %s: %s", who,
		    strerror(err));
		return (NULL);
	}
	body = frame_json(f);
	if (f->hdr.type == want && cJSON_IsObject(body))
		return (body);
	if (f->hdr.type == MSG_ERROR) {
		code = cJSON_GetObjectItemCaseSensitive(body, "code");
		log_debug("/metrics: %s refused: %s", who,
		    cJSON_IsString(code) ? code->valuestring : "?");
	} else
		log_warnx("%s: bad reply to %s from %s: type %u, %u bytes",
		    __func__, msg_type_name(want), who, f->hdr.type,
		    f->hdr.len);
	cJSON_Delete(body);
	return (NULL);
}

/* http_metrics_finish - one part is in; answer once all are */
static void
http_metrics_finish(struct http_call *call, struct http_metrics_scrape *s)
{
	struct evbuffer	*out;
	const char	*version;

	if (--s->pending > 0)
		return;
	if (call->req != NULL && call->srv != NULL) {
		if ((out = evbuffer_new()) == NULL)
			fatalx("%s: evbuffer_new", __func__);
		version = worker_config_str(call->srv->rt, "version",
		    CORRAL_VERSION);
		http_metrics_render(out, call->srv->metrics, version,
		    &s->parts);
		http_reply_text(call, HTTP_ST_OK, HTTP_METRICS_CTYPE, out);
		evbuffer_free(out);
	}
	cJSON_Delete(s->parts.status);
	cJSON_Delete(s->parts.sample);
	cJSON_Delete(s->parts.engines);
	cJSON_Delete(s->parts.mcp);
	cJSON_Delete(s->parts.runs);
	cJSON_Delete(s->parts.agents);
	free(s);
}

/* http_metrics_status_cb - the master's MSG_STATUS reply, or its failure */
static void
http_metrics_status_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_metrics_scrape	*s = arg;

	s->parts.status = http_metrics_json(f, err, MSG_STATUS, "the master");
	http_metrics_finish(call, s);
}

/* http_metrics_sample_cb - the gpu worker's sample, or its failure */
static void
http_metrics_sample_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_metrics_scrape	*s = arg;

	s->parts.sample = http_metrics_json(f, err, MSG_GPU_SAMPLE,
	    "the gpu worker");
	http_metrics_finish(call, s);
}

/* http_metrics_engines_cb - the engines worker's list, or its failure */
static void
http_metrics_engines_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_metrics_scrape	*s = arg;

	s->parts.engines = http_metrics_json(f, err, MSG_ENGINE_LIST,
	    "the engines worker");
	http_metrics_finish(call, s);
}

/* http_metrics_mcp_cb - the mcp worker's list, or its failure */
static void
http_metrics_mcp_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_metrics_scrape	*s = arg;

	s->parts.mcp = http_metrics_json(f, err, MSG_MCP_LIST, "the mcp worker");
	http_metrics_finish(call, s);
}

/* http_metrics_runs_cb - the skills worker's run counts, or its failure */
static void
http_metrics_runs_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_metrics_scrape	*s = arg;

	s->parts.runs = http_metrics_json(f, err, MSG_RUN_LIST,
	    "the skills worker");
	http_metrics_finish(call, s);
}

/* http_metrics_agents_cb - the skills worker's agents, or its failure */
static void
http_metrics_agents_cb(struct http_call *call, struct frame *f, int err,
    void *arg)
{
	struct http_metrics_scrape	*s = arg;

	s->parts.agents = http_metrics_json(f, err, MSG_AGENT_LIST,
	    "the skills worker");
	http_metrics_finish(call, s);
}

/* http_metrics_serve - GET /metrics */
void
http_metrics_serve(struct http_call *call)
{
	struct http_metrics_scrape	*s;
	cJSON				*empty, *counts;

	s = xcalloc(1, sizeof(*s));
	s->pending = 1;			/* held until all are sent */
	empty = cJSON_CreateObject();
	if (http_call_bus_arg(call, PROC_MASTER, MSG_STATUS, empty,
	    http_metrics_status_cb, s) == 0)
		s->pending++;
	if (http_call_bus_arg(call, PROC_GPU, MSG_GPU_SAMPLE, empty,
	    http_metrics_sample_cb, s) == 0)
		s->pending++;
	if (http_call_bus_arg(call, PROC_ENGINES, MSG_ENGINE_LIST, empty,
	    http_metrics_engines_cb, s) == 0)
		s->pending++;
	if (http_call_bus_arg(call, PROC_MCP, MSG_MCP_LIST, empty,
	    http_metrics_mcp_cb, s) == 0)
		s->pending++;
	if (http_call_bus_arg(call, PROC_SKILLS, MSG_AGENT_LIST, empty,
	    http_metrics_agents_cb, s) == 0)
		s->pending++;
	cJSON_Delete(empty);
	counts = cJSON_CreateObject();
	/* the counts are wanted, not the runs: the fewest the skills
	 * worker lists (docs/skills.md: 1 to 1000) */
	cJSON_AddNumberToObject(counts, "limit", 1);
	if (http_call_bus_arg(call, PROC_SKILLS, MSG_RUN_LIST, counts,
	    http_metrics_runs_cb, s) == 0)
		s->pending++;
	cJSON_Delete(counts);
	http_metrics_finish(call, s);
}
