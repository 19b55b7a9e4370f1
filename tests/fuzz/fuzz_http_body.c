/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_http_body - libFuzzer harness for what the http worker parses
 *	of a request itself (workers/http/http_secrets.c, http_engines.c,
 *	http_gpu.c, http_mcp.c, http_wipe.c)
 * SYNOPSIS
 *	int	LLVMFuzzerInitialize(int *argc, char ***argv);
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	LLVMFuzzerInitialize calls http_wipe_init, as the worker's main()
 *	does, so cJSON and libevent free through http_wipe_free here too.
 *	The first byte of an input picks what the rest is (its distance
 *	from 'A', modulo 6; the corpus uses 'A' to 'F' for 0 to 5):
 *
 *	0  the body of PUT /v1/secrets/{name}. It goes the handler's way:
 *	   into an evbuffer, out through http_wipe_take (an exact copy,
 *	   the evbuffer left empty), cJSON_ParseWithLengthOpts with the
 *	   NUL, http_secrets_check. The verdict must be the one a plain
 *	   check written here gives ({"provider","value"}, both once, both
 *	   non-empty strings of at most 64 and 65536 bytes, nothing else);
 *	   a refusal has a why and a field that is NULL exactly when the
 *	   body is not an object, else a member's name or one of the two.
 *	1  the body of POST /v1/engines: http_wipe_take, then
 *	   http_engines_launch_body. 0 must come with an object and -1
 *	   with no tree and a why, and an empty body is refused. An
 *	   accepted object also goes to http_engines_name as if it were
 *	   the reply: a name must be the "name" member, 1 to
 *	   HTTP_ARG_DEFAULT of A-Z a-z 0-9 . _ - not starting with '.',
 *	   and "/v1/engines/NAME" must fit the handler's buffer.
 *	2  a query string: evhttp_parse_query_str, then timeout, tail,
 *	   follow and window, if present, to their parsers.
 *	3  one query value, to all four parsers as it is.
 *	4  a route row as the secrets worker might send it (an object, or
 *	   an array of them) to http_secrets_route: the answer must have
 *	   exactly the documented members, each a copy of the row's or
 *	   null, and "headers" the string elements of the row's, in order.
 *	5  the body of POST /v1/mcp/servers/{name}/tools/{tool}/call:
 *	   http_wipe_take, then http_mcp_call_body. 0 must come with an
 *	   object and an empty field; an empty body or {} must be taken as
 *	   no arguments (an empty object); -1 comes with no tree and a
 *	   why, and names a field only when the body is an object.
 *
 *	Each query parser must agree with a plain one written here (digits
 *	counted, strtol): timeout 1 to 6 digits, 0 to 300; tail the same to
 *	10000, or "all" as -1; follow 0, 1, true, false; window 1 to 9
 *	digits and s, m or h, 1 s to a week. A refusal has a why and leaves
 *	the value as it was.
 *
 *	Every tree parsed from a body is cleared with http_wipe_json, as
 *	the handlers do, and must then hold no byte of any string or
 *	member name it had.
 *
 *	Build: make build-fuzz/fuzz_http_body (see the Makefile).
 *	  build-fuzz/fuzz_http_body -max_total_time=60 \
 *	      tests/fuzz/corpus/http_body
 * DIAGNOSTICS
 *	abort() on a broken promise; libFuzzer saves the input.
 */
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http_body.h"
#include "http_engines.h"
#include "http_gpu.h"
#include "http_mcp.h"
#include "http_route.h"
#include "http_secrets.h"
#include "http_wipe.h"

#define FUZZ_UNSET	(-424242L)	/* a value no parser gives */
#define FUZZ_LOCATION	"/v1/engines/"
#define FUZZ_MODES	6

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static cJSON	fuzz_unset;	/* what *in holds before a parser sets it */

/* the members of a route row as http_secrets_route answers it */
static const char *const fuzz_route_keys[] = {
	"name", "provider", "base_url", "model", "secret", "available",
	"reason", "headers", NULL
};

/* The strings of a tree, to be checked once it is cleared. */
struct fuzz_strs {
	const char	**p;
	size_t		 *len;
	size_t		  n, cap;
};

/* fuzz_strs_add - note one string of a tree; NULL is skipped */
static void
fuzz_strs_add(struct fuzz_strs *s, const char *p)
{
	if (p == NULL)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->p = realloc(s->p, s->cap * sizeof(*s->p));
		s->len = realloc(s->len, s->cap * sizeof(*s->len));
		if (s->p == NULL || s->len == NULL)
			abort();
	}
	s->p[s->n] = p;
	s->len[s->n++] = strlen(p);
}

/* fuzz_strs_walk - note every string and member name of j */
static void
fuzz_strs_walk(struct fuzz_strs *s, const cJSON *j)
{
	const cJSON	*c;

	if (cJSON_IsString(j))
		fuzz_strs_add(s, j->valuestring);
	fuzz_strs_add(s, j->string);
	for (c = j->child; c != NULL; c = c->next)
		fuzz_strs_walk(s, c);
}

/* fuzz_wipe - http_wipe_json j, check that no string kept a byte, free it */
static void
fuzz_wipe(cJSON *j)
{
	struct fuzz_strs	s;
	size_t			i, k;

	memset(&s, 0, sizeof(s));
	if (j != NULL)
		fuzz_strs_walk(&s, j);
	http_wipe_json(j);
	for (i = 0; i < s.n; i++)
		for (k = 0; k < s.len[i]; k++)
			if (s.p[i][k] != '\0')
				abort();
	free(s.p);
	free(s.len);
	cJSON_Delete(j);
}

/* fuzz_take - the body through an evbuffer and http_wipe_take */
static char *
fuzz_take(const uint8_t *data, size_t size, size_t *lenp)
{
	struct evbuffer	*b;
	char		*buf;

	if ((b = evbuffer_new()) == NULL ||
	    evbuffer_add(b, data, size) == -1)
		abort();
	buf = http_wipe_take(b, lenp);
	if (*lenp != size || memcmp(buf, data, size) != 0 ||
	    buf[size] != '\0' || evbuffer_get_length(b) != 0)
		abort();
	evbuffer_free(b);
	return (buf);
}

/* fuzz_secrets_str - is member key of o a non-empty string of <= max? */
static int
fuzz_secrets_str(const cJSON *o, const char *key, size_t max)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return (cJSON_IsString(v) && v->valuestring != NULL &&
	    v->valuestring[0] != '\0' && strlen(v->valuestring) <= max);
}

/* fuzz_secrets_ok - the plain check of a PUT body */
static int
fuzz_secrets_ok(const cJSON *in)
{
	const cJSON	*m;
	int		 np = 0, nv = 0;

	if (!cJSON_IsObject(in))
		return (0);
	cJSON_ArrayForEach(m, in) {
		if (strcmp(m->string, "provider") == 0)
			np++;
		else if (strcmp(m->string, "value") == 0)
			nv++;
		else
			return (0);
	}
	return (np == 1 && nv == 1 &&
	    fuzz_secrets_str(in, "provider", HTTP_SECRETS_PROVIDER_MAX) &&
	    fuzz_secrets_str(in, "value", HTTP_SECRETS_VALUE_MAX));
}

/* fuzz_secrets - mode 0: a PUT /v1/secrets/{name} body */
static void
fuzz_secrets(const uint8_t *data, size_t size)
{
	const char	*field = NULL, *why = NULL;
	const cJSON	*m;
	cJSON		*in = NULL;
	char		*buf;
	size_t		 len;
	int		 rc, named;

	buf = fuzz_take(data, size, &len);
	rc = http_body_parse(buf, len, &in);
	/* as the handler: a \u0000 escape is refused before any check */
	if ((rc == HTTP_BODY_NUL) != http_body_has_nul_escape(buf, len) ||
	    (rc != HTTP_BODY_OK) != (in == NULL))
		abort();
	explicit_bzero(buf, len);
	free(buf);
	if (rc == HTTP_BODY_NUL)
		return;
	rc = http_secrets_check(in, &field, &why);
	if ((rc == 0) != fuzz_secrets_ok(in))
		abort();
	if (rc == 0 && field != NULL)
		abort();
	if (rc == -1) {
		if (why == NULL || *why == '\0' ||
		    (field == NULL) != !cJSON_IsObject(in))
			abort();
		named = field == NULL || strcmp(field, "provider") == 0 ||
		    strcmp(field, "value") == 0;
		cJSON_ArrayForEach(m, in)
			if (m->string == field)
				named = 1;
		if (!named)
			abort();
	}
	fuzz_wipe(in);
}

/* fuzz_name_ok - the plain check of an engine name for Location */
static int
fuzz_name_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n > 0 && n <= HTTP_ARG_DEFAULT && s[0] != '.' &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n);
}

/* fuzz_engines - mode 1: a POST /v1/engines body, then its name */
static void
fuzz_engines(const uint8_t *data, size_t size)
{
	char		 loc[sizeof(FUZZ_LOCATION) + HTTP_ARG_DEFAULT];
	const char	*why = NULL, *name;
	const cJSON	*v;
	cJSON		*in = &fuzz_unset;	/* must be set either way */
	char		*buf;
	size_t		 len;
	int		 rc;

	buf = fuzz_take(data, size, &len);
	rc = http_engines_launch_body(buf, len, &in, &why);
	explicit_bzero(buf, len);
	free(buf);
	if (rc == -1) {
		if (in != NULL || why == NULL || *why == '\0')
			abort();
		return;
	}
	if (rc != 0 || size == 0 || !cJSON_IsObject(in) || why != NULL)
		abort();
	v = cJSON_GetObjectItemCaseSensitive(in, "name");
	name = http_engines_name(in);
	if (name != NULL) {
		if (!cJSON_IsString(v) || name != v->valuestring ||
		    !fuzz_name_ok(name))
			abort();
		if ((size_t)snprintf(loc, sizeof(loc), "%s%s", FUZZ_LOCATION,
		    name) >= sizeof(loc))
			abort();
	} else if (cJSON_IsString(v) && fuzz_name_ok(v->valuestring))
		abort();
	fuzz_wipe(in);
}

/* fuzz_ref_number - s as 1 to digits decimal digits worth at most max,
 * else -1 */
static long
fuzz_ref_number(const char *s, size_t digits, long max)
{
	size_t	n = strlen(s);
	long	v;

	if (n == 0 || n > digits || strspn(s, "0123456789") != n)
		return (-1);
	v = strtol(s, NULL, 10);
	return (v <= max ? v : -1);
}

/* fuzz_ref_window - "90", "90s", "15m", "2h" in seconds, else -1 */
static long
fuzz_ref_window(const char *s)
{
	char	digits[16];
	size_t	n = strspn(s, "0123456789");
	long	unit = 1, v;

	if (n == 0 || n > 9)
		return (-1);
	if (s[n] == 'm')
		unit = 60;
	else if (s[n] == 'h')
		unit = 3600;
	else if (s[n] != 's' && s[n] != '\0')
		return (-1);
	if (s[n] != '\0' && s[n + 1] != '\0')
		return (-1);
	memcpy(digits, s, n);
	digits[n] = '\0';
	v = strtol(digits, NULL, 10) * unit;
	return (v >= 1 && v <= HTTP_GPU_WINDOW_MAX ? v : -1);
}

/* fuzz_verdict - a parser's answer against the plain one (-1: refused) */
static void
fuzz_verdict(int rc, long got, const char *why, long want)
{
	if (want == FUZZ_UNSET) {	/* refused */
		if (rc != -1 || got != FUZZ_UNSET || why == NULL ||
		    *why == '\0' || strchr(why, '\n') != NULL)
			abort();
	} else if (rc != 0 || got != want)
		abort();
}

/* fuzz_timeout - ?timeout= of DELETE /v1/engines/{name} */
static void
fuzz_timeout(const char *s)
{
	const char	*why = NULL;
	long		 v = FUZZ_UNSET, want;
	int		 rc;

	rc = http_engines_timeout(s, &v, &why);
	want = fuzz_ref_number(s, 6, HTTP_ENGINES_TIMEOUT_MAX);
	fuzz_verdict(rc, v, why, want == -1 ? FUZZ_UNSET : want);
}

/* fuzz_tail - ?tail= of GET /v1/engines/{name}/logs */
static void
fuzz_tail(const char *s)
{
	const char	*why = NULL;
	long		 v = FUZZ_UNSET, want;
	int		 rc;

	rc = http_engines_tail(s, &v, &why);
	if (strcmp(s, "all") == 0)
		want = -1;
	else if ((want = fuzz_ref_number(s, 6, HTTP_ENGINES_TAIL_MAX)) == -1)
		want = FUZZ_UNSET;
	fuzz_verdict(rc, v, why, want);
}

/* fuzz_follow - ?follow= of GET /v1/engines/{name}/logs */
static void
fuzz_follow(const char *s)
{
	const char	*why = NULL;
	long		 want = FUZZ_UNSET;
	int		 on = -7, rc;

	rc = http_engines_follow(s, &on, &why);
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
		want = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		want = 0;
	fuzz_verdict(rc, on == -7 ? FUZZ_UNSET : on, why, want);
}

/* fuzz_window - ?window= of GET /v1/gpus/history */
static void
fuzz_window(const char *s)
{
	const char	*why = NULL;
	long		 v = FUZZ_UNSET, want;
	int		 rc;

	rc = http_gpu_window(s, &v, &why);
	want = fuzz_ref_window(s);
	fuzz_verdict(rc, v, why, want == -1 ? FUZZ_UNSET : want);
}

/* fuzz_query - mode 2: a query string, its four parameters parsed */
static void
fuzz_query(const char *s)
{
	struct evkeyvalq	 q;
	const char		*v;

	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(s, &q) == 0) {
		if ((v = evhttp_find_header(&q, "timeout")) != NULL)
			fuzz_timeout(v);
		if ((v = evhttp_find_header(&q, "tail")) != NULL)
			fuzz_tail(v);
		if ((v = evhttp_find_header(&q, "follow")) != NULL)
			fuzz_follow(v);
		if ((v = evhttp_find_header(&q, "window")) != NULL)
			fuzz_window(v);
	}
	evhttp_clear_headers(&q);
}

/* fuzz_route_row - one row through http_secrets_route */
static void
fuzz_route_row(const cJSON *row)
{
	const cJSON	*m, *want, *h, *e;
	cJSON		*out;
	size_t		 i;
	int		 n = 0;

	if ((out = http_secrets_route(row)) == NULL || !cJSON_IsObject(out))
		abort();
	cJSON_ArrayForEach(m, out)
		n++;
	for (i = 0; fuzz_route_keys[i] != NULL; i++)
		;
	if (n != (int)i)
		abort();
	for (i = 0; fuzz_route_keys[i + 1] != NULL; i++) {
		m = cJSON_GetObjectItemCaseSensitive(out, fuzz_route_keys[i]);
		want = cJSON_GetObjectItemCaseSensitive(row,
		    fuzz_route_keys[i]);
		if (m == NULL || (want == NULL ? !cJSON_IsNull(m) :
		    !cJSON_Compare(m, want, 1)))
			abort();
	}
	m = cJSON_GetObjectItemCaseSensitive(out, "headers");
	if (!cJSON_IsArray(m))
		abort();
	h = cJSON_GetObjectItemCaseSensitive(row, "headers");
	e = m->child;
	if (cJSON_IsArray(h))
		cJSON_ArrayForEach(want, h) {
			if (!cJSON_IsString(want))
				continue;
			if (!cJSON_IsString(e) ||
			    strcmp(e->valuestring, want->valuestring) != 0)
				abort();
			e = e->next;
		}
	if (e != NULL)
		abort();
	cJSON_Delete(out);
}

/* fuzz_route - mode 4: a route row, or an array of them */
static void
fuzz_route(const uint8_t *data, size_t size)
{
	const cJSON	*row;
	cJSON		*in;

	if ((in = cJSON_ParseWithLength((const char *)data, size)) == NULL)
		return;
	if (cJSON_IsArray(in)) {
		cJSON_ArrayForEach(row, in)
			if (cJSON_IsObject(row))
				fuzz_route_row(row);
	} else if (cJSON_IsObject(in))
		fuzz_route_row(in);
	fuzz_wipe(in);
}

/* LLVMFuzzerInitialize - free the way the worker does */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	http_wipe_init();
	return (0);
}

/* fuzz_mcp_call - mode 5: a POST .../tools/{tool}/call body */
static void
fuzz_mcp_call(const uint8_t *data, size_t size)
{
	char		 field[HTTP_MCP_FIELD_MAX + 1];
	const char	*why = NULL;
	cJSON		*args = &fuzz_unset, *whole = NULL;
	char		*buf;
	size_t		 len;
	int		 rc, none;

	buf = fuzz_take(data, size, &len);
	none = len == 0 || (len == 2 && memcmp(buf, "{}", 2) == 0);
	if (len > 0)
		whole = cJSON_ParseWithLengthOpts(buf, len + 1, NULL, 1);
	memset(field, 'x', sizeof(field));
	rc = http_mcp_call_body(buf, len, &args, field, &why);
	explicit_bzero(buf, len);
	free(buf);
	if (memchr(field, '\0', sizeof(field)) == NULL)
		abort();
	if (rc == 0) {
		if (!cJSON_IsObject(args) || why != NULL || *field != '\0' ||
		    (none && args->child != NULL))
			abort();
		fuzz_wipe(args);
	} else if (rc != -1 || args != NULL || why == NULL || *why == '\0' ||
	    none || (*field != '\0' && !cJSON_IsObject(whole)))
		abort();
	fuzz_wipe(whole);
}

/* LLVMFuzzerTestOneInput - one body, query or value, by the first byte */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s;
	unsigned	 mode;

	if (size == 0)
		return (0);
	mode = ((unsigned)data[0] + 256 - 'A') % FUZZ_MODES;
	switch (mode) {
	case 0:
		fuzz_secrets(data + 1, size - 1);
		return (0);
	case 1:
		fuzz_engines(data + 1, size - 1);
		return (0);
	case 4:
		fuzz_route(data + 1, size - 1);
		return (0);
	case 5:
		fuzz_mcp_call(data + 1, size - 1);
		return (0);
	default:
		break;
	}
	/* 2 and 3: a string, exactly as long as the input */
	if ((s = malloc(size)) == NULL)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (mode == 2)
		fuzz_query(s);
	else {
		fuzz_timeout(s);
		fuzz_tail(s);
		fuzz_follow(s);
		fuzz_window(s);
	}
	free(s);
	return (0);
}
