/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_http - eng_http and eng_docker against a fake Docker
 * SYNOPSIS
 *	Suite	*eng_http_suite(void);
 * DESCRIPTION
 *	Every test runs one event loop with the fake Docker Engine of
 *	docker_fake.c on a unix socket in a temp dir and the client on the
 *	same loop: /_ping and its Api-Version header (any case), version
 *	negotiation (/_ping then /version, capped, refused), calls before
 *	negotiation, a collected JSON answer under /v1.43, a 404 with
 *	Docker's message, a POST with a JSON body, a chunked log stream
 *	through the data callback and eng_demux, a timeout, connection
 *	refused and no socket at all, cancelling (pending, under way, a
 *	Docker call, eng_docker_free), the body limit, a data callback
 *	that stops, cancels or frees the client, and done callbacks that
 *	start, cancel and free. done must never run from inside
 *	eng_http_start or eng_docker_call, and never twice. The "wire" test
 *	case, against a raw TCP server, is in check_eng_http_wire.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/event.h>

#include "eng_demux.h"
#include "eng_docker.h"
#include "eng_http.h"

#include "docker_fake.h"

Suite	*eng_http_suite(void);
void	 eng_http_wire_tcases(Suite *);

static struct event_base	*base;
static struct eng_http		*h;
static int			 in_start;	/* inside a start call */

/* what a done callback saw */
struct res {
	int			 done;
	long			 status;
	int			 body_null;
	char			 body[DFAKE_BODY_MAX];
	size_t			 body_len;
	char			 err[256];	/* "" when NULL */
	char			 apiver[32];	/* "" when NULL */
	char			 code[32];	/* eng_docker: "" when NULL */
	char			 message[512];
	char			*json;		/* printed r->json, or NULL */
	/* what the data callback does */
	int			 data_calls;
	int			 data_ret;
	struct eng_http_req	*cancel_me;	/* from data */
	int			 free_client;	/* from data or done */
	struct eng_demux	 dm;
	char			 out[2][256];
	/* what done does too */
	struct eng_http_req	*cancel_other;
	struct res		*start_other;	/* /_ping */
};

static void	done_cb(const struct eng_http_resp *, void *);

/* setup - a loop, the fake Docker and a client */
static void
setup(void)
{
	base = event_base_new();
	ck_assert_ptr_nonnull(base);
	dfake_start(base);
	h = eng_http_new(base);
	ck_assert_ptr_nonnull(h);
}

/* teardown - free the client, the fake and the loop */
static void
teardown(void)
{
	eng_http_free(h);
	h = NULL;
	dfake_stop();
	event_base_free(base);
}

/* start - eng_http_start on the fake; in_start set around it */
static struct eng_http_req *
start(const char *method, const char *path, const char *sock, long ms,
    size_t max, struct res *r)
{
	struct eng_http_opts	 o;
	struct eng_http_req	*req;
	char			 url[256];

	snprintf(url, sizeof(url), "http://docker%s", path);
	memset(&o, 0, sizeof(o));
	o.method = method;
	o.url = url;
	o.unix_path = sock != NULL ? sock : dfake.sock;
	o.timeout_ms = ms;
	o.body_max = max;
	in_start = 1;
	req = eng_http_start(h, &o, NULL, done_cb, r);
	in_start = 0;
	ck_assert_ptr_nonnull(req);
	return (req);
}

/* data_cb - a piece of a streamed body */
static int
data_cb(const char *buf, size_t len, void *arg)
{
	struct res	*r = arg;

	(void)buf;
	(void)len;
	r->data_calls++;
	if (r->cancel_me != NULL)
		eng_http_cancel(r->cancel_me);
	if (r->free_client) {
		eng_http_free(h);
		h = NULL;
	}
	return (r->data_ret);
}

/* done_cb - note what eng_http said; maybe start, cancel, free */
static void
done_cb(const struct eng_http_resp *hr, void *arg)
{
	struct res	*r = arg;

	ck_assert_msg(!in_start, "done ran inside eng_http_start");
	r->done++;
	r->status = hr->status;
	r->body_null = hr->body == NULL;
	r->body_len = hr->body_len;
	if (hr->body != NULL) {
		ck_assert_uint_lt(hr->body_len, sizeof(r->body));
		memcpy(r->body, hr->body, hr->body_len + 1);
	}
	snprintf(r->err, sizeof(r->err), "%s", hr->err != NULL ? hr->err : "");
	snprintf(r->apiver, sizeof(r->apiver), "%s",
	    hr->api_version != NULL ? hr->api_version : "");
	if (r->cancel_other != NULL)
		eng_http_cancel(r->cancel_other);
	if (r->start_other != NULL)
		start("GET", "/_ping", NULL, 5000, 0, r->start_other);
	if (r->free_client) {
		eng_http_free(h);
		h = NULL;
	}
}

START_TEST(test_ping)
{
	struct res	r;

	memset(&r, 0, sizeof(r));
	start("GET", "/_ping", NULL, 5000, 0, &r);
	ck_assert_int_eq(r.done, 0);
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.done, 1);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "OK");
	ck_assert_str_eq(r.apiver, "1.43");
	ck_assert_str_eq(r.err, "");
	ck_assert_str_eq(dfake.method, "GET");
	ck_assert_str_eq(dfake.uri, "/_ping");
	/* the header's name in any case */
	memset(&r, 0, sizeof(r));
	dfake.ping_hdr = "api-VERSION";
	dfake.api = "1.41";
	start("GET", "/_ping", NULL, 5000, 0, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_str_eq(r.apiver, "1.41");
	/* a 404 without the header: collected, no version */
	memset(&r, 0, sizeof(r));
	start("GET", "/nothing", NULL, 5000, 0, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(r.body, "{\"message\":\"page not found\"}");
	ck_assert_str_eq(r.apiver, "");
	dfake_spin(NULL, 50);
	ck_assert_int_eq(r.done, 1);
}
END_TEST

START_TEST(test_errors)
{
	struct res	r;

	/* nothing listening on a bound socket */
	memset(&r, 0, sizeof(r));
	start("GET", "/_ping", dfake.refused, 5000, 0, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.done, 1);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.err, "Connection refused") != NULL &&
	    strstr(r.err, dfake.refused) != NULL, "%s", r.err);
	ck_assert_int_eq(r.body_null, 1);
	/* no socket at all */
	memset(&r, 0, sizeof(r));
	start("GET", "/_ping", dfake.missing, 5000, 0, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_msg(strstr(r.err, "No such file") != NULL, "%s", r.err);
	/* a server that never answers */
	memset(&r, 0, sizeof(r));
	start("GET", "/hang", NULL, 300, 0, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.done, 1);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "timed out after 300 ms");
	ck_assert_int_eq(dfake.hung, 1);
	/* https is refused, from the loop */
	memset(&r, 0, sizeof(r));
	{
		struct eng_http_opts	o = { "GET", "https://docker/_ping",
					    NULL, NULL, 0, 1000, 0 };

		in_start = 1;
		ck_assert_ptr_nonnull(eng_http_start(h, &o, NULL, done_cb,
		    &r));
		in_start = 0;
		o.url = NULL;
		ck_assert_ptr_null(eng_http_start(h, &o, NULL, done_cb, &r));
	}
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.err, "https") != NULL, "%s", r.err);
	/* eng_http_fail */
	memset(&r, 0, sizeof(r));
	in_start = 1;
	ck_assert_ptr_nonnull(eng_http_fail(h, "no way", done_cb, &r));
	in_start = 0;
	dfake_spin(&r.done, 5000);
	ck_assert_str_eq(r.err, "no way");
	dfake_spin(NULL, 50);
	ck_assert_int_eq(r.done, 1);
}
END_TEST

START_TEST(test_body_max)
{
	struct res	r;

	memset(&r, 0, sizeof(r));
	start("GET", "/big", NULL, 5000, 1000, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "response too large");
	dfake.big = 3000;
	memset(&r, 0, sizeof(r));
	start("GET", "/big", NULL, 5000, 3000, &r);	/* just fits */
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 3000);
	ck_assert_uint_eq(strlen(r.body), 3000);
	memset(&r, 0, sizeof(r));
	start("GET", "/big", NULL, 5000, 0, &r);	/* the default */
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 3000);
}
END_TEST

START_TEST(test_cancel)
{
	struct eng_http_req	*req;
	struct res		 r;

	/* before it started */
	memset(&r, 0, sizeof(r));
	req = start("GET", "/_ping", NULL, 5000, 0, &r);
	eng_http_cancel(req);
	/* under way: the server holds it */
	req = start("GET", "/hang", NULL, 0, 0, &r);
	while (dfake.hung == 0 && r.done == 0)
		dfake_spin(&dfake.hung, 5000);
	ck_assert_int_eq(dfake.hung, 1);
	eng_http_cancel(req);
	dfake_spin(NULL, 200);
	ck_assert_int_eq(r.done, 0);
	/* the client keeps working */
	start("GET", "/_ping", NULL, 5000, 0, &r);
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 200);
	/* freeing the client with requests in flight */
	memset(&r, 0, sizeof(r));
	start("GET", "/hang", NULL, 0, 0, &r);
	start("GET", "/_ping", NULL, 0, 0, &r);
	dfake_spin(&dfake.nreq, 20);
	eng_http_free(h);
	h = NULL;
	dfake_spin(NULL, 100);
	ck_assert_int_eq(r.done, 0);
}
END_TEST

/* demux_cb - a piece of a log frame */
static int
demux_cb(int stream, const char *data, size_t len, void *arg)
{
	struct res	*r = arg;
	char		*o = r->out[stream == 2];

	ck_assert(stream == 1 || stream == 2);
	ck_assert_uint_lt(strlen(o) + len, sizeof(r->out[0]));
	strncat(o, data, len);
	return (0);
}

/* stream_cb - the data callback of a streamed call: demux it */
static int
stream_cb(const char *buf, size_t len, void *arg)
{
	struct res	*r = arg;

	r->data_calls++;
	return (eng_demux_feed(&r->dm, buf, len, demux_cb, r) == 0 ? 0 : -1);
}

START_TEST(test_data)
{
	struct eng_http_opts	 o;
	struct eng_http_req	*req;
	struct res		 r;

	memset(&o, 0, sizeof(o));
	o.url = "http://docker/containers/x/logs?follow=1";
	o.unix_path = dfake.sock;
	/* streamed and demultiplexed */
	memset(&r, 0, sizeof(r));
	eng_demux_init(&r.dm, 0);
	ck_assert_ptr_nonnull(eng_http_start(h, &o, stream_cb, done_cb, &r));
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.body_null, 1);
	ck_assert_str_eq(r.out[0], "hello world\n");
	ck_assert_str_eq(r.out[1], "oops\n");
	ck_assert_int_ge(r.data_calls, 2);	/* as it came */
	/* an error's body is collected, not streamed */
	memset(&r, 0, sizeof(r));
	o.url = "http://docker/containers/nope/logs";
	ck_assert_ptr_nonnull(eng_http_start(h, &o, stream_cb, done_cb, &r));
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.status, 404);
	ck_assert_int_eq(r.data_calls, 0);
	ck_assert_str_eq(r.body, "{\"message\":\"No such container: nope\"}");
	/* data stops it */
	memset(&r, 0, sizeof(r));
	r.data_ret = -1;
	o.url = "http://docker/big";
	ck_assert_ptr_nonnull(eng_http_start(h, &o, data_cb, done_cb, &r));
	dfake_spin(&r.done, 5000);
	ck_assert_int_eq(r.data_calls, 1);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "aborted");
	/* data cancels its own request: done never runs */
	memset(&r, 0, sizeof(r));
	req = eng_http_start(h, &o, data_cb, done_cb, &r);
	r.cancel_me = req;
	dfake_spin(&r.data_calls, 5000);
	dfake_spin(NULL, 100);
	ck_assert_int_eq(r.data_calls, 1);
	ck_assert_int_eq(r.done, 0);
	/* data frees the client, with another request in flight */
	memset(&r, 0, sizeof(r));
	r.free_client = 1;
	ck_assert_ptr_nonnull(eng_http_start(h, &o, data_cb, done_cb, &r));
	start("GET", "/hang", NULL, 0, 0, &r);
	dfake_spin(&r.data_calls, 5000);
	dfake_spin(NULL, 100);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(r.data_calls, 1);
	ck_assert_int_eq(r.done, 0);
}
END_TEST

START_TEST(test_reentrant)
{
	struct res	a, b, c, d;

	/* done starts one request and cancels another */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	a.start_other = &c;
	a.cancel_other = start("GET", "/hang", NULL, 0, 0, &b);
	start("GET", "/_ping", NULL, 5000, 0, &a);
	dfake_spin(&c.done, 5000);
	ck_assert_int_eq(a.done, 1);
	ck_assert_int_eq(c.done, 1);
	ck_assert_int_eq(c.status, 200);
	dfake_spin(NULL, 100);
	ck_assert_int_eq(b.done, 0);
	/* two finish in one go; the first cancels the second */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.cancel_other = start("GET", "/_ping", NULL, 5000, 0, &b);
	b.cancel_other = start("GET", "/_ping", NULL, 5000, 0, &a);
	dfake_spin(NULL, 300);
	ck_assert_int_eq(a.done + b.done, 1);
	/* done frees the client with others in flight */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&d, 0, sizeof(d));
	a.free_client = 1;
	start("GET", "/hang", NULL, 0, 0, &b);
	start("GET", "/_ping", NULL, 5000, 0, &a);
	start("GET", "/hang", NULL, 5000, 0, &d);
	dfake_spin(&a.done, 5000);
	dfake_spin(NULL, 100);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(a.done, 1);
	ck_assert_int_eq(b.done + d.done, 0);
}
END_TEST

/* docker_cb - note what eng_docker said */
static void
docker_cb(const struct eng_docker_resp *dr, void *arg)
{
	struct res	*r = arg;

	ck_assert_msg(!in_start, "done ran inside eng_docker_call");
	r->done++;
	r->status = dr->status;
	r->body_null = dr->body == NULL;
	snprintf(r->code, sizeof(r->code), "%s", dr->code ? dr->code : "");
	snprintf(r->message, sizeof(r->message), "%s",
	    dr->message ? dr->message : "");
	snprintf(r->apiver, sizeof(r->apiver), "%s",
	    dr->api_version != NULL ? dr->api_version : "");
	free(r->json);
	r->json = dr->json != NULL ? cJSON_PrintUnformatted(dr->json) : NULL;
}

/* docker - a Docker client on the fake */
static struct eng_docker *
docker(void)
{
	struct eng_docker_ep	ep;
	char			err[256];

	ck_assert_msg(eng_docker_endpoint(dfake.host, &ep, err,
	    sizeof(err)) == 0, "%s", err);
	return (eng_docker_new(h, &ep));
}

/* negotiate - run a negotiation to its end */
static void
negotiate(struct eng_docker *d, struct res *r)
{
	free(r->json);
	memset(r, 0, sizeof(*r));
	eng_docker_negotiate(d, docker_cb, r);
	ck_assert_int_eq(r->done, 0);
	dfake_spin(&r->done, 5000);
	ck_assert_int_eq(r->done, 1);
}

/* call - one eng_docker_call, run to its end */
static void
call(struct eng_docker *d, const char *method, const char *path,
    const char *body, eng_http_data_fn *data, struct res *r)
{
	cJSON	*j = body != NULL ? cJSON_Parse(body) : NULL;

	free(r->json);
	memset(r, 0, sizeof(*r));
	eng_demux_init(&r->dm, 0);
	in_start = 1;
	ck_assert_ptr_nonnull(eng_docker_call(d, method, path, j, 5000, data,
	    docker_cb, r));
	in_start = 0;
	cJSON_Delete(j);
	dfake_spin(&r->done, 5000);
	ck_assert_int_eq(r->done, 1);
}

START_TEST(test_docker_negotiate)
{
	struct eng_docker	*d;
	struct res		 r;

	memset(&r, 0, sizeof(r));
	d = docker();
	call(d, "GET", "/containers/json", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.code, "unavailable");
	ck_assert_msg(strstr(r.message, "not negotiated") != NULL, "%s",
	    r.message);
	ck_assert_int_eq(dfake.nreq, 0);
	negotiate(d, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.code, "");
	ck_assert_ptr_nonnull(strstr(r.json, "\"ApiVersion\":\"1.43\""));
	ck_assert_str_eq(eng_docker_version(d), "1.43");
	ck_assert_str_eq(eng_docker_server_version(d), "24.0.7");
	ck_assert_int_eq(dfake.nreq, 2);
	ck_assert_str_eq(dfake.uri, "/version");
	dfake.api = "1.45";
	negotiate(d, &r);
	ck_assert_str_eq(eng_docker_version(d), "1.43");
	dfake.api = "1.41";
	negotiate(d, &r);
	ck_assert_str_eq(eng_docker_version(d), "1.41");
	dfake.api = "1.39";
	negotiate(d, &r);
	ck_assert_str_eq(r.code, "unavailable");
	ck_assert_msg(strstr(r.message, "older than 1.40") != NULL, "%s",
	    r.message);
	ck_assert_ptr_null(eng_docker_version(d));
	dfake.api = "1.45";
	dfake.min_api = "1.44";
	negotiate(d, &r);
	ck_assert_str_eq(r.code, "unavailable");
	ck_assert_ptr_null(eng_docker_version(d));
	dfake.api = "garbage";
	dfake.min_api = "1.12";
	negotiate(d, &r);
	ck_assert_str_eq(r.code, "unavailable");
	/* a negotiation replaced by another: only the second is told */
	dfake.api = "1.43";
	{
		struct res	first;

		memset(&first, 0, sizeof(first));
		eng_docker_negotiate(d, docker_cb, &first);
		negotiate(d, &r);
		dfake_spin(NULL, 50);
		ck_assert_int_eq(first.done, 0);
	}
	ck_assert_str_eq(eng_docker_version(d), "1.43");
	free(r.json);
	eng_docker_free(d);
}
END_TEST

START_TEST(test_docker_calls)
{
	struct eng_docker	*d;
	struct res		 r;

	memset(&r, 0, sizeof(r));
	d = docker();
	negotiate(d, &r);
	call(d, "GET", "/containers/json", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.code, "");
	ck_assert_str_eq(r.json, "[{\"Id\":\"abc\",\"Names\":[\"/x\"]}]");
	ck_assert_str_eq(dfake.uri, "/v1.43/containers/json");
	call(d, "GET", "/containers/nope/json", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(r.code, "not_found");
	ck_assert_str_eq(r.message, "No such container: nope");
	ck_assert_ptr_nonnull(r.json);
	call(d, "POST", "/echo", "{\"Image\":\"x\",\"Env\":[\"A=1\"]}", NULL,
	    &r);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(r.json, "{\"Image\":\"x\",\"Env\":[\"A=1\"]}");
	ck_assert_str_eq(dfake.method, "POST");
	ck_assert_str_eq(dfake.ctype, "application/json");
	call(d, "POST", "/echo", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 201);
	ck_assert_ptr_null(r.json);
	ck_assert_str_eq(dfake.ctype, "");
	ck_assert_uint_eq(dfake.body_len, 0);
	call(d, "DELETE", "/containers/nope/json?force=1", NULL, NULL, &r);
	ck_assert_str_eq(dfake.method, "DELETE");
	ck_assert_str_eq(dfake.uri, "/v1.43/containers/nope/json?force=1");
	ck_assert_str_eq(r.code, "not_found");
	call(d, "GET", "/text500", NULL, NULL, &r);
	ck_assert_str_eq(r.code, "docker_error");
	ck_assert_str_eq(r.message, "boom");
	ck_assert_ptr_null(r.json);
	/* streamed: the logs, through the demuxer */
	call(d, "GET", "/containers/x/logs?stdout=1&stderr=1&follow=1", NULL,
	    stream_cb, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.code, "");
	ck_assert_int_eq(r.body_null, 1);
	ck_assert_ptr_null(r.json);
	ck_assert_str_eq(r.out[0], "hello world\n");
	ck_assert_str_eq(r.out[1], "oops\n");
	call(d, "GET", "/containers/nope/logs", NULL, stream_cb, &r);
	ck_assert_str_eq(r.code, "not_found");
	ck_assert_str_eq(r.message, "No such container: nope");
	ck_assert_int_eq(r.data_calls, 0);
	/* Docker gone */
	dfake_stop();
	call(d, "GET", "/containers/json", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.code, "unavailable");
	ck_assert_msg(strstr(r.message, dfake.host) != NULL &&
	    strstr(r.message, "No such file") != NULL, "%s", r.message);
	dfake_start(base);
	free(r.json);
	eng_docker_free(d);
}
END_TEST

START_TEST(test_docker_cancel)
{
	struct eng_docker	*d;
	struct eng_http_req	*req;
	struct res		 r, r2;

	memset(&r, 0, sizeof(r));
	memset(&r2, 0, sizeof(r2));
	d = docker();
	negotiate(d, &r);
	free(r.json);
	memset(&r, 0, sizeof(r));
	ck_assert_ptr_null(eng_docker_call(d, "GET", "no-slash", NULL, 0,
	    NULL, docker_cb, &r));
	/* eng_http_cancel of a call frees it (ASan, valgrind) */
	req = eng_docker_call(d, "GET", "/hang", NULL, 0, NULL, docker_cb,
	    &r);
	ck_assert_ptr_nonnull(req);
	dfake_spin(&dfake.hung, 5000);
	eng_http_cancel(req);
	/* eng_docker_free with calls and a negotiation in flight */
	ck_assert_ptr_nonnull(eng_docker_call(d, "GET", "/hang", NULL, 0,
	    NULL, docker_cb, &r));
	ck_assert_ptr_nonnull(eng_docker_call(d, "GET", "/containers/json",
	    NULL, 0, NULL, docker_cb, &r2));
	eng_docker_negotiate(d, docker_cb, &r2);
	eng_docker_free(d);
	dfake_spin(NULL, 200);
	ck_assert_int_eq(r.done + r2.done, 0);
	free(r.json);
}
END_TEST

/* eng_http_suite - the client and Docker calls against the fake */
Suite *
eng_http_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("eng_http");
	tc = tcase_create("http");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_ping);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_body_max);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_data);
	tcase_add_test(tc, test_reentrant);
	suite_add_tcase(s, tc);
	tc = tcase_create("docker");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_docker_negotiate);
	tcase_add_test(tc, test_docker_calls);
	tcase_add_test(tc, test_docker_cancel);
	suite_add_tcase(s, tc);
	eng_http_wire_tcases(s);
	return (s);
}
