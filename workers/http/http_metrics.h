/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics.h - GET /metrics and the http worker's request counters
 * SYNOPSIS
 *	struct http_metrics *http_metrics_new(const struct http_route *routes,
 *		    size_t nroutes);
 *	void	http_metrics_free(struct http_metrics *m);
 *	void	http_metrics_note(struct http_metrics *m, int route,
 *		    int method, int code, double secs);
 *	void	http_metrics_render(struct evbuffer *out,
 *		    const struct http_metrics *m, const char *version,
 *		    const struct http_metrics_parts *parts);
 *	void	http_metrics_serve(struct http_call *call);
 * DESCRIPTION
 *	A struct http_metrics counts the requests the worker answered, by
 *	route (an index into the route table, or -1 for none), method and
 *	status, and keeps a latency histogram per route.
 *	http_metrics_note records one answer.
 *
 *	http_metrics_render writes the whole /metrics page to out: corral's
 *	own families, and from the replies in parts the workers (a
 *	MSG_STATUS reply), the GPU and host families (MSG_GPU_SAMPLE), the
 *	engines families (MSG_ENGINE_LIST), the MCP families
 *	(MSG_MCP_LIST), the runs (MSG_RUN_LIST) and the agents
 *	(MSG_AGENT_LIST); a reply that is NULL is left out, parts NULL
 *	leaves all out. It is a pure function of its arguments, so the
 *	unit tests feed it fixed JSON.
 *
 *	http_metrics_serve is the handler of GET /metrics: it asks the
 *	master, the gpu, engines, mcp and skills workers at once and
 *	renders when all have answered or failed.
 */
#ifndef CORRAL_HTTP_METRICS_H
#define CORRAL_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>

#include "http_route.h"

#define HTTP_METRICS_NBUCKETS	13	/* finite upper bounds */
#define HTTP_METRICS_CTYPE	"text/plain; version=0.0.4; charset=utf-8"

struct http_call;

struct http_metrics_count {
	int		 route;		/* table index, -1: none */
	int		 method;	/* EVHTTP_REQ_* */
	int		 code;		/* HTTP status */
	uint64_t	 n;
};

struct http_metrics_hist {
	uint64_t	 bucket[HTTP_METRICS_NBUCKETS];	/* not cumulative */
	uint64_t	 count;
	double		 sum;		/* seconds */
};

struct http_metrics {
	const struct http_route		*routes;
	size_t				 nroutes;
	struct http_metrics_hist	*hist;	/* nroutes + 1; last: none */
	struct http_metrics_count	*counts;
	size_t				 ncounts;
};

/* the replies one page is made of; each may be NULL */
struct http_metrics_parts {
	cJSON	*status;	/* MSG_STATUS */
	cJSON	*sample;	/* MSG_GPU_SAMPLE */
	cJSON	*engines;	/* MSG_ENGINE_LIST */
	cJSON	*mcp;		/* MSG_MCP_LIST */
	cJSON	*runs;		/* MSG_RUN_LIST {"limit":1} */
	cJSON	*agents;	/* MSG_AGENT_LIST */
};

/* the upper bounds of the latency buckets, seconds, ascending */
extern const double	http_metrics_bounds[HTTP_METRICS_NBUCKETS];

/* http_metrics_new - counters for the routes of this table */
struct http_metrics	*http_metrics_new(const struct http_route *routes,
			    size_t nroutes);

/* http_metrics_free - free m; NULL is fine */
void			 http_metrics_free(struct http_metrics *m);

/* http_metrics_note - count one answered request and its duration */
void			 http_metrics_note(struct http_metrics *m, int route,
			    int method, int code, double secs);

/* http_metrics_render - the /metrics page; the replies may be NULL */
void			 http_metrics_render(struct evbuffer *out,
			    const struct http_metrics *m, const char *version,
			    const struct http_metrics_parts *parts);

/* http_metrics_serve - GET /metrics */
void			 http_metrics_serve(struct http_call *call);

#endif
