/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_metrics_mcp - the MCP families of /metrics
 * SYNOPSIS
 *	#include "http_metrics_mcp.h"
 * DESCRIPTION
 *	See http_metrics_mcp.h. A server row without a string name is
 *	skipped. A state not in http_metrics_mcp_states[] (docs/mcp.md's,
 *	and stopping) is counted under its own name, after the listed
 *	ones, so a newer mcp worker's state is not lost. A count that is
 *	missing, not a number or negative is 0: the page must stay valid
 *	whatever the worker sends.
 * DIAGNOSTICS
 *	None.
 */
#include <math.h>
#include <string.h>

#include "http_metrics_mcp.h"

static const char *const http_metrics_mcp_states[] = {
	"starting", "ready", "backoff", "failed", "disabled", "stopping",
	"stopped"
};

static const char *const http_metrics_mcp_outcomes[] = {
	"ok", "tool_error", "error", "timeout"
};

#define HTTP_METRICS_MCP_NSTATES (sizeof(http_metrics_mcp_states) / \
	sizeof(http_metrics_mcp_states[0]))
#define HTTP_METRICS_MCP_NOUTCOMES (sizeof(http_metrics_mcp_outcomes) / \
	sizeof(http_metrics_mcp_outcomes[0]))

/* http_metrics_mcp_str - a string member, or NULL */
static const char *
http_metrics_mcp_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* http_metrics_mcp_count - a counter member: its value, or 0 */
static double
http_metrics_mcp_count(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0)
		return (0);
	return (v->valuedouble);
}

/* http_metrics_mcp_in - servers in state st */
static int
http_metrics_mcp_in(const cJSON *rows, const char *st)
{
	const cJSON	*s;
	const char	*v;
	int		 n = 0;

	cJSON_ArrayForEach(s, rows)
		if (http_metrics_mcp_str(s, "name") != NULL &&
		    (v = http_metrics_mcp_str(s, "state")) != NULL &&
		    strcmp(v, st) == 0)
			n++;
	return (n);
}

/* http_metrics_mcp_known - is st one of the states of docs/mcp.md? */
static int
http_metrics_mcp_known(const char *st)
{
	size_t	i;

	for (i = 0; i < HTTP_METRICS_MCP_NSTATES; i++)
		if (strcmp(st, http_metrics_mcp_states[i]) == 0)
			return (1);
	return (0);
}

/* http_metrics_mcp_servers - corral_mcp_servers{state} */
static void
http_metrics_mcp_servers(struct http_prom *p, const cJSON *rows)
{
	struct http_prom_labels	 l;
	const cJSON		*s;
	const char		*st;
	size_t			 i;

	http_prom_family(p, "corral_mcp_servers", "gauge",
	    "MCP servers by state.");
	for (i = 0; i < HTTP_METRICS_MCP_NSTATES; i++) {
		http_prom_labels_init(&l);
		http_prom_label(&l, "state", http_metrics_mcp_states[i]);
		http_prom_sample(p, "", &l, http_metrics_mcp_in(rows,
		    http_metrics_mcp_states[i]));
	}
	cJSON_ArrayForEach(s, rows) {
		if (http_metrics_mcp_str(s, "name") == NULL ||
		    (st = http_metrics_mcp_str(s, "state")) == NULL ||
		    http_metrics_mcp_known(st))
			continue;
		http_prom_labels_init(&l);
		http_prom_label(&l, "state", st);
		http_prom_sample(p, "", &l, http_metrics_mcp_in(rows, st));
	}
}

/* http_metrics_mcp_render - the MCP families */
void
http_metrics_mcp_render(struct http_prom *p, const cJSON *list)
{
	struct http_prom_labels	 l;
	const cJSON		*rows, *s, *calls;
	const char		*name;
	size_t			 i;

	rows = cJSON_GetObjectItemCaseSensitive(list, "servers");
	if (!cJSON_IsArray(rows))
		return;
	http_metrics_mcp_servers(p, rows);
	http_prom_family(p, "corral_mcp_server_restarts_total", "counter",
	    "Times the mcp worker has started the MCP server again.");
	cJSON_ArrayForEach(s, rows) {
		if ((name = http_metrics_mcp_str(s, "name")) == NULL)
			continue;
		http_prom_labels_init(&l);
		http_prom_label(&l, "server", name);
		http_prom_sample(p, "", &l, http_metrics_mcp_count(s,
		    "restarts"));
	}
	http_prom_family(p, "corral_mcp_tool_calls_total", "counter",
	    "Tool calls to the MCP server by outcome: ok, tool_error (the "
	    "tool said isError), error, timeout.");
	cJSON_ArrayForEach(s, rows) {
		if ((name = http_metrics_mcp_str(s, "name")) == NULL)
			continue;
		calls = cJSON_GetObjectItemCaseSensitive(s, "calls");
		for (i = 0; i < HTTP_METRICS_MCP_NOUTCOMES; i++) {
			http_prom_labels_init(&l);
			http_prom_label(&l, "server", name);
			http_prom_label(&l, "outcome",
			    http_metrics_mcp_outcomes[i]);
			http_prom_sample(p, "", &l, http_metrics_mcp_count(calls,
			    http_metrics_mcp_outcomes[i]));
		}
	}
}
