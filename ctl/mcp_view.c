/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_view - show MCP servers, tools and tool results for people
 * SYNOPSIS
 *	See mcp_view.h.
 * DESCRIPTION
 *	Used by `corralctl mcp`. Text from the server goes through table.c
 *	or ctl_fmt_clean, so it cannot drive the terminal; a tool's text
 *	goes through engines_view_log_write, which cleans it the same way
 *	when it goes to a terminal and keeps its newlines.
 *
 *	  NAME        STATE  PID   TOOLS  RESTARTS  SINCE  LAST ERROR
 *	  everything  ready  4242  11     0         4m12s  -
 *
 *	  NAME  DESCRIPTION
 *	  echo  Echoes back the input
 *	  add   Adds two numbers, and then goes on about it for longer...
 * DIAGNOSTICS
 *	None.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

#include "ctl_fmt.h"
#include "ctl_json.h"
#include "engines_view.h"
#include "mcp_view.h"
#include "table.h"

#define MCP_VIEW_NUM_LEN	32
#define MCP_VIEW_ELLIPSIS	"..."

static const char *const mcp_view_server_cols[] = {
	"NAME", "STATE", "PID", "TOOLS", "RESTARTS", "SINCE", "LAST ERROR"
};

static const char *const mcp_view_tool_cols[] = { "NAME", "DESCRIPTION" };

/* mcp_view_str - a non-empty string member, or "-" */
static const char *
mcp_view_str(const cJSON *o, const char *key)
{
	const char	*s = ctl_json_str(o, key);

	return (s != NULL && *s != '\0' ? s : "-");
}

/* mcp_view_num - a whole number member as text; "-" if absent or <= 0
 * when positive is set */
static char *
mcp_view_num(const cJSON *o, const char *key, int positive, char *buf,
    size_t len)
{
	double	v;

	if (ctl_json_num(o, key, &v) == 0 && isfinite(v) &&
	    (!positive || v > 0))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "-");
	return (buf);
}

/* mcp_view_time - an RFC 3339 time: 0 and *t, or -1 */
int
mcp_view_time(const char *s, time_t *t)
{
	struct tm	 tm;
	const char	*p;
	int		 n = 0, k = 0, oh, om, off = 0;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) < 20 || !isdigit((unsigned char)s[0]) ||
	    (s[10] != 'T' && s[10] != 't') || !isdigit((unsigned char)s[11]) ||
	    sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday) != 3 || sscanf(s + 11, "%2d:%2d:%2d%n", &tm.tm_hour,
	    &tm.tm_min, &tm.tm_sec, &n) != 3)
		return (-1);
	p = s + 11 + n;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		off = 0;
	else if ((*p == '+' || *p == '-') &&
	    isdigit((unsigned char)p[1]) &&
	    sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) == 2 && p[1 + k] == '\0')
		off = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	else
		return (-1);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*t = timegm(&tm) - off;
	return (0);
}

/* mcp_view_since - the time from the server's "since" to now, or "-" */
static char *
mcp_view_since(const cJSON *server, time_t now, char *buf, size_t len)
{
	const char	*s = ctl_json_str(server, "since");
	time_t		 t;

	if (s == NULL || *s == '\0')
		snprintf(buf, len, "-");
	else if (mcp_view_time(s, &t) == -1)
		snprintf(buf, len, "%s", s);	/* as it came */
	else
		ctl_fmt_duration(now > t ? difftime(now, t) : 0, buf, len);
	return (buf);
}

/* mcp_view_servers - the servers table; -1 if not an array */
int
mcp_view_servers(FILE *fp, const cJSON *servers, time_t now)
{
	struct table	*t;
	const cJSON	*s;
	char		 buf[CTL_FMT_DURATION_LEN + MCP_VIEW_NUM_LEN];

	if (!cJSON_IsArray(servers))
		return (-1);
	t = table_new(mcp_view_server_cols, sizeof(mcp_view_server_cols) /
	    sizeof(mcp_view_server_cols[0]));
	cJSON_ArrayForEach(s, servers) {
		table_row(t);
		table_cell(t, "%s", mcp_view_str(s, "name"));
		table_cell(t, "%s", mcp_view_str(s, "state"));
		table_cell(t, "%s", mcp_view_num(s, "pid", 1, buf,
		    sizeof(buf)));
		table_cell(t, "%s", mcp_view_num(s, "tools", 0, buf,
		    sizeof(buf)));
		table_cell(t, "%s", mcp_view_num(s, "restarts", 0, buf,
		    sizeof(buf)));
		table_cell(t, "%s", mcp_view_since(s, now, buf, sizeof(buf)));
		table_cell(t, "%s", mcp_view_str(s, "last_error"));
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* mcp_view_chars - UTF-8 characters in s */
static size_t
mcp_view_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/* mcp_view_cut - s cut to max characters, "..." at the end if cut */
static void
mcp_view_cut(char *s, size_t max)
{
	size_t	n = 0, keep;
	char	*p;

	if (mcp_view_chars(s) <= max)
		return;
	keep = max > strlen(MCP_VIEW_ELLIPSIS) ? max -
	    strlen(MCP_VIEW_ELLIPSIS) : 0;
	for (p = s; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80 && n++ == keep)
			break;
	while (p > s && p[-1] == ' ')	/* no blank before the dots */
		p--;
	memcpy(p, MCP_VIEW_ELLIPSIS, sizeof(MCP_VIEW_ELLIPSIS));
}

/* mcp_view_line - a tool's description: its first line not blank,
 * cleaned; the caller frees */
static char *
mcp_view_line(const cJSON *tool)
{
	const char	*d, *end;
	char		*raw, *out;

	if ((d = ctl_json_str(tool, "description")) == NULL ||
	    d[strspn(d, " \t\r\n")] == '\0')
		d = ctl_json_str(tool, "title");
	if (d == NULL)
		return (xstrdup("-"));
	d += strspn(d, " \t\r\n");
	end = d + strcspn(d, "\r\n");
	while (end > d && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == d)
		return (xstrdup("-"));
	raw = xmalloc((size_t)(end - d) + 1);
	memcpy(raw, d, (size_t)(end - d));
	raw[end - d] = '\0';
	out = ctl_fmt_clean(raw);
	free(raw);
	return (out);
}

/* mcp_view_tools - the tools table in width columns; -1 if not an array */
int
mcp_view_tools(FILE *fp, const cJSON *tools, size_t width)
{
	struct table	*t;
	const cJSON	*tool;
	char		*name, *desc;
	size_t		 namew = strlen(mcp_view_tool_cols[0]), w, room;

	if (!cJSON_IsArray(tools))
		return (-1);
	cJSON_ArrayForEach(tool, tools) {
		name = ctl_fmt_clean(mcp_view_str(tool, "name"));
		if ((w = mcp_view_chars(name)) > namew)
			namew = w;
		free(name);
	}
	room = width > namew + TABLE_GAP ? width - namew - TABLE_GAP : 0;
	if (room < MCP_VIEW_DESC_MIN)
		room = MCP_VIEW_DESC_MIN;
	t = table_new(mcp_view_tool_cols, sizeof(mcp_view_tool_cols) /
	    sizeof(mcp_view_tool_cols[0]));
	cJSON_ArrayForEach(tool, tools) {
		table_row(t);
		table_cell(t, "%s", mcp_view_str(tool, "name"));
		desc = mcp_view_line(tool);
		mcp_view_cut(desc, room);
		table_cell(t, "%s", desc);
		free(desc);
	}
	table_print(t, fp);
	table_free(t);
	return (0);
}

/* mcp_view_size - "N bytes KIND" for a string member, or NULL; caller frees */
static char *
mcp_view_size(const cJSON *o, const char *key, const char *kind)
{
	const char	*s = ctl_json_str(o, key);
	char		*out;

	if (s == NULL)
		return (NULL);
	xasprintf(&out, "%zu bytes %s", strlen(s), kind);
	return (out);
}

/* mcp_view_join - "[type a, b, c]" of the parts that are not NULL */
static char *
mcp_view_join(const char *type, const char *const *parts, size_t n)
{
	char	*out, *next;
	size_t	 i, k = 0;

	out = xstrdup(type);
	for (i = 0; i < n; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		xasprintf(&next, "%s%s%s", out, k++ == 0 ? " " : ", ",
		    parts[i]);
		free(out);
		out = next;
	}
	xasprintf(&next, "[%s]", out);
	free(out);
	return (next);
}

/* mcp_view_item - "[image image/png, 1234 bytes base64]"; caller frees */
char *
mcp_view_item(const cJSON *item)
{
	const cJSON	*r;
	const char	*type = ctl_json_str(item, "type"), *parts[3];
	char		*size = NULL, *raw, *out;

	memset(parts, 0, sizeof(parts));
	if (type == NULL || *type == '\0')
		type = "item without a type";
	if (strcmp(type, "image") == 0 || strcmp(type, "audio") == 0) {
		parts[0] = ctl_json_str(item, "mimeType");
		parts[1] = size = mcp_view_size(item, "data", "base64");
	} else if (strcmp(type, "resource_link") == 0) {
		parts[0] = ctl_json_str(item, "uri");
		parts[1] = ctl_json_str(item, "mimeType");
	} else if (strcmp(type, "resource") == 0) {
		r = cJSON_GetObjectItemCaseSensitive(item, "resource");
		parts[0] = ctl_json_str(r, "uri");
		parts[1] = ctl_json_str(r, "mimeType");
		if ((size = mcp_view_size(r, "text", "text")) == NULL)
			size = mcp_view_size(r, "blob", "base64");
		parts[2] = size;
	}
	raw = mcp_view_join(type, parts, sizeof(parts) / sizeof(parts[0]));
	out = ctl_fmt_clean(raw);
	free(raw);
	free(size);
	return (out);
}

/* mcp_view_text - a text item's text, and a newline unless it ends so */
static void
mcp_view_text(FILE *fp, const char *text, int clean)
{
	struct engines_view_log	l;
	size_t			len = strlen(text);

	engines_view_log_init(&l, clean);
	(void)engines_view_log_write(&l, fp, text, len);
	if (len == 0 || text[len - 1] != '\n')
		fputc('\n', fp);
}

/* mcp_view_result - a call's content; 1 if isError, 0, or -1 */
int
mcp_view_result(FILE *fp, const cJSON *answer, int clean)
{
	const cJSON	*result, *content, *item, *sc;
	const char	*type, *text;
	char		*s;
	int		 n = 0;

	result = cJSON_GetObjectItemCaseSensitive(answer, "result");
	if (!cJSON_IsObject(result))
		return (-1);
	content = cJSON_GetObjectItemCaseSensitive(result, "content");
	if (!cJSON_IsArray(content))
		content = NULL;
	cJSON_ArrayForEach(item, content) {
		n++;
		type = ctl_json_str(item, "type");
		text = ctl_json_str(item, "text");
		if (type != NULL && strcmp(type, "text") == 0 && text != NULL) {
			mcp_view_text(fp, text, clean);
			continue;
		}
		s = mcp_view_item(item);
		fprintf(fp, "%s\n", s);
		free(s);
	}
	sc = cJSON_GetObjectItemCaseSensitive(result, "structuredContent");
	if (n == 0 && sc != NULL && !cJSON_IsNull(sc))
		ctl_json_print(fp, sc);
	return (ctl_json_bool(result, "isError") == 1);
}
