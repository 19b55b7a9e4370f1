/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_secrets - unit tests for the secrets worker
 * SYNOPSIS
 *	Suite	*secrets_suite(void);
 * DESCRIPTION
 *	The ACL table first, one row per requester and operation. Then the
 *	worker itself, in-process: secrets_init() on a struct worker_rt
 *	whose channel is one end of a socketpair, a fake master on the
 *	other end collecting the replies, and each request handed to the
 *	handler as the worker's dispatch table would, with the src the
 *	master would have stamped. The store lives in a fresh temporary
 *	state_root; the worker's log (stderr) goes to a file the tests
 *	read, so a denial can be seen logged and a value seen not logged.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/event.h>

#include "channel.h"
#include "config.h"
#include "msg.h"
#include "proc.h"
#include "store.h"
#include "worker.h"

#include "secrets_acl.h"
#include "secrets_worker.h"

#define SX_VALUE	"sk-very-secret-value-0123456789"
#define SX_HDR_VALUE	"header-value-not-for-listing"
#define SX_GRANTS	"{\"skills\":[\"openai.prod\",\"anthropic.key\"]," \
	"\"engines\":[],\"mcp\":[\"mcp.only\"],\"gpu\":[\"openai.prod\"]}"
#define SX_ROUTES	"{\"routes\":[" \
	"{\"name\":\"gpt\",\"provider\":\"openai\",\"model\":\"gpt-4o\"," \
	"\"base_url\":\"https://api.openai.com/v1\"," \
	"\"secret\":\"openai.prod\"}," \
	"{\"name\":\"claude\",\"provider\":\"anthropic\",\"model\":\"c\"," \
	"\"base_url\":\"https://api.anthropic.com\"," \
	"\"secret\":\"anthropic.key\"}," \
	"{\"name\":\"local\",\"provider\":\"ollama\",\"model\":\"llama3\"," \
	"\"base_url\":\"http://127.0.0.1:11434\"," \
	"\"headers\":{\"X-Org\":\"" SX_HDR_VALUE "\"}}]}"

Suite	*secrets_suite(void);

static char			 sx_dir[64];		/* the temp dir */
static char			 sx_state[128];		/* its state_root */
static char			 sx_routes[128];	/* its routes.json */
static char			 sx_log[128];		/* stderr, in tests */
static char			 sx_key[64];		/* base64 master key */
static int			 sx_stderr = -1;
static struct event_base	*sx_base;
static struct worker_rt		 sx_rt;
static struct chan		*sx_master;
static int			 sx_nreply;
static uint16_t			 sx_type;
static char			*sx_raw;		/* last reply as sent */
static cJSON			*sx_body;		/* and parsed */
static unsigned char		 sx_req[8192];		/* last request */
static uint32_t			 sx_id;

/* The worker's dispatch table, as main.c has it. */
static const struct {
	uint16_t	 type;
	void		(*fn)(struct worker_rt *, struct frame *);
} sx_handlers[] = {
	{ MSG_SECRET_LIST, secrets_on_list },
	{ MSG_SECRET_PUT, secrets_on_put },
	{ MSG_SECRET_DELETE, secrets_on_delete },
	{ MSG_SECRET_GET, secrets_on_get },
	{ MSG_ROUTES_LIST, secrets_on_routes },
};

/* ACL rows: requester, operation, name, whether it is allowed. */
static const struct acl_case {
	int		 who;
	enum secrets_op	 op;
	const char	*name;
	int		 want;
} acl_cases[] = {
	{ PROC_HTTP, SECRETS_OP_LIST, NULL, 1 },
	{ PROC_HTTP, SECRETS_OP_PUT, "openai.prod", 1 },
	{ PROC_HTTP, SECRETS_OP_DELETE, "openai.prod", 1 },
	{ PROC_HTTP, SECRETS_OP_ROUTES, NULL, 1 },
	{ PROC_HTTP, SECRETS_OP_GET, "openai.prod", 0 },
	{ PROC_HTTP, SECRETS_OP_GET, NULL, 0 },
	{ PROC_SKILLS, SECRETS_OP_GET, "openai.prod", 1 },
	{ PROC_SKILLS, SECRETS_OP_GET, "anthropic.key", 1 },
	{ PROC_SKILLS, SECRETS_OP_GET, "openai.other", 0 },
	{ PROC_SKILLS, SECRETS_OP_GET, "mcp.only", 0 },
	{ PROC_SKILLS, SECRETS_OP_GET, NULL, 0 },
	{ PROC_SKILLS, SECRETS_OP_LIST, NULL, 0 },
	{ PROC_SKILLS, SECRETS_OP_PUT, "openai.prod", 0 },
	{ PROC_SKILLS, SECRETS_OP_ROUTES, NULL, 0 },
	{ PROC_MCP, SECRETS_OP_GET, "mcp.only", 1 },
	{ PROC_MCP, SECRETS_OP_GET, "openai.prod", 0 },
	{ PROC_ENGINES, SECRETS_OP_GET, "openai.prod", 0 },
	{ PROC_GPU, SECRETS_OP_GET, "openai.prod", 0 },	/* granted, no GET */
	{ PROC_GPU, SECRETS_OP_LIST, NULL, 0 },
	{ PROC_MASTER, SECRETS_OP_LIST, NULL, 0 },
	{ PROC_MASTER, SECRETS_OP_GET, "openai.prod", 0 },
	{ PROC_SECRETS, SECRETS_OP_GET, "openai.prod", 0 },
	{ PROC_EXTRA_BASE, SECRETS_OP_LIST, NULL, 0 },
	{ PROC_EXTRA_BASE + 1, SECRETS_OP_GET, "openai.prod", 0 },
	{ PROC_MAX + 7, SECRETS_OP_GET, "openai.prod", 0 },
	{ -1, SECRETS_OP_LIST, NULL, 0 },
	{ PROC_HTTP, SECRETS_NOPS, NULL, 0 },
};

START_TEST(test_acl)
{
	const struct acl_case	*c = &acl_cases[_i];
	struct secrets_acl	*acl;
	cJSON			*grants;
	int			 got;

	ck_assert_ptr_nonnull(grants = cJSON_Parse(SX_GRANTS));
	acl = secrets_acl_new(grants);
	cJSON_Delete(grants);
	got = secrets_acl_allowed(acl, c->who, c->op, c->name);
	ck_assert_msg(got == c->want, "case %d (%d %s %s): got %d, want %d",
	    _i, c->who, secrets_acl_op_name(c->op), c->name ? c->name : "-",
	    got, c->want);
	secrets_acl_free(acl);
}
END_TEST

START_TEST(test_acl_grants)
{
	static const char *const bad[] = { "null", "[]", "{\"skills\":\"x\"}",
	    "{\"nobody\":[\"openai.prod\"]}",
	    "{\"skills\":[1,\"-bad\",null]}" };
	struct secrets_acl	*acl;
	cJSON			*g;
	size_t			 k;
	char			 who[32];

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		g = cJSON_Parse(bad[k]);
		acl = secrets_acl_new(g);
		ck_assert_msg(!secrets_acl_allowed(acl, PROC_SKILLS,
		    SECRETS_OP_GET, "openai.prod"), "grants %s: got GET "
		    "allowed, want denied", bad[k]);
		ck_assert_msg(!secrets_acl_allowed(acl, PROC_SKILLS,
		    SECRETS_OP_GET, "-bad"), "grants %s: a bad name granted",
		    bad[k]);
		secrets_acl_free(acl);
		cJSON_Delete(g);
	}
	/* the first of two lists counts */
	g = cJSON_Parse("{\"skills\":[\"a\"],\"skills\":[\"b\"]}");
	acl = secrets_acl_new(g);
	ck_assert(secrets_acl_allowed(acl, PROC_SKILLS, SECRETS_OP_GET, "a"));
	ck_assert(!secrets_acl_allowed(acl, PROC_SKILLS, SECRETS_OP_GET, "b"));
	secrets_acl_free(acl);
	cJSON_Delete(g);
	secrets_acl_free(NULL);
	ck_assert_str_eq(secrets_acl_who(PROC_HTTP, who, sizeof(who)), "http");
	ck_assert_str_eq(secrets_acl_who(40, who, sizeof(who)), "worker 40");
	ck_assert_str_eq(secrets_acl_op_name(SECRETS_OP_ROUTES),
	    "ROUTES_LIST");
	ck_assert_str_eq(secrets_acl_op_name(SECRETS_NOPS), "?");
}
END_TEST

/* sx_put_file - write text to path */
static void
sx_put_file(const char *path, const char *text)
{
	FILE	*fp;

	ck_assert_msg((fp = fopen(path, "w")) != NULL, "fopen %s: %s", path,
	    strerror(errno));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* sx_rm_cb - nftw callback removing one entry */
static int
sx_rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

/* sx_setup - temp dir with state_root and routes, a key, stderr to a file */
static void
sx_setup(void)
{
	int	fd;

	snprintf(sx_dir, sizeof(sx_dir), "/tmp/check_secrets.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sx_dir));
	snprintf(sx_state, sizeof(sx_state), "%s/state", sx_dir);
	snprintf(sx_routes, sizeof(sx_routes), "%s/routes.json", sx_dir);
	snprintf(sx_log, sizeof(sx_log), "%s/log", sx_dir);
	ck_assert_int_eq(mkdir(sx_state, 0700), 0);
	sx_put_file(sx_routes, SX_ROUTES);
	ck_assert_int_eq(store_key_generate(sx_key, sizeof(sx_key)), 0);
	sx_key[strcspn(sx_key, "\n")] = '\0';
	unsetenv(CONFIG_MASTER_KEY_ENV);
	unsetenv(CONFIG_MASTER_KEY_FILE_ENV);
	fd = open(sx_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_ne(sx_stderr = dup(STDERR_FILENO), -1);
	ck_assert_int_ne(dup2(fd, STDERR_FILENO), -1);
	close(fd);
	sx_id = 0;
}

/* sx_teardown - stderr back, temp dir gone */
static void
sx_teardown(void)
{
	if (sx_stderr != -1) {
		dup2(sx_stderr, STDERR_FILENO);
		close(sx_stderr);
		sx_stderr = -1;
	}
	cJSON_Delete(sx_body);
	sx_body = NULL;
	free(sx_raw);
	sx_raw = NULL;
	unsetenv(CONFIG_MASTER_KEY_ENV);
	unsetenv(CONFIG_MASTER_KEY_FILE_ENV);
	nftw(sx_dir, sx_rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

/* sx_log_has - does the worker's log hold text? */
static int
sx_log_has(const char *text)
{
	char	buf[65536];
	ssize_t	n;
	int	fd;

	ck_assert_int_ne(fd = open(sx_log, O_RDONLY), -1);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return (strstr(buf, text) != NULL);
}

/* sx_master_cb - the fake master keeps the reply */
static void
sx_master_cb(struct chan *c, struct frame *f, void *arg)
{
	(void)c;
	(void)arg;
	ck_assert_msg(f->hdr.flags & FRAME_F_REPLY, "got a request, want a "
	    "reply");
	ck_assert_uint_eq(f->hdr.id, sx_id);
	sx_nreply++;
	sx_type = f->hdr.type;
	free(sx_raw);
	sx_raw = calloc(1, f->hdr.len + 1);
	memcpy(sx_raw, f->payload, f->hdr.len);
	cJSON_Delete(sx_body);
	sx_body = cJSON_Parse(sx_raw);
}

/* sx_quiet_cb - on_close of both channels */
static void
sx_quiet_cb(struct chan *c, int err, void *arg)
{
	(void)c;
	(void)err;
	(void)arg;
}

/* sx_ignore_cb - the worker's end gets no frames but replies here */
static void
sx_ignore_cb(struct chan *c, struct frame *f, void *arg)
{
	(void)c;
	(void)f;
	(void)arg;
}

/* sx_start - secrets_init with the config; its return code */
static int
sx_start(const char *grants)
{
	int	sv[2];

	ck_assert_ptr_nonnull(sx_base = event_base_new());
	memset(&sx_rt, 0, sizeof(sx_rt));
	sx_rt.base = sx_base;
	sx_rt.id = PROC_SECRETS;
	sx_rt.exit_code = -1;
	sx_rt.config = cJSON_CreateObject();
	cJSON_AddStringToObject(sx_rt.config, "name", "secrets");
	cJSON_AddStringToObject(sx_rt.config, "state_root", sx_state);
	cJSON_AddStringToObject(sx_rt.config, "routes_file", sx_routes);
	cJSON_AddItemToObject(sx_rt.config, "grants", cJSON_Parse(grants));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	sx_rt.chan = chan_new(sx_base, sv[0], sx_ignore_cb, sx_quiet_cb,
	    &sx_rt);
	sx_master = chan_new(sx_base, sv[1], sx_master_cb, sx_quiet_cb, NULL);
	ck_assert_ptr_nonnull(sx_rt.chan);
	ck_assert_ptr_nonnull(sx_master);
	chan_set_src(sx_rt.chan, PROC_SECRETS);
	chan_set_src(sx_master, PROC_MAX - 1);	/* never a reply's dst */
	return (secrets_init(&sx_rt));
}

/* sx_stop - what worker_main does after its loop */
static void
sx_stop(void)
{
	chan_free(sx_rt.chan);
	sx_rt.chan = NULL;
	secrets_fini(&sx_rt);
	chan_free(sx_master);
	sx_master = NULL;
	cJSON_Delete(sx_rt.config);
	event_base_free(sx_base);
	sx_base = NULL;
}

/* sx_ask - src asks type with json; the reply's type */
static uint16_t
sx_ask(int src, uint16_t type, const char *json)
{
	struct frame	f;
	struct timespec	t0, t;
	size_t		k, len = strlen(json);

	ck_assert_uint_lt(len, sizeof(sx_req));
	memcpy(sx_req, json, len);
	memset(&f, 0, sizeof(f));
	f.hdr.type = type;
	f.hdr.src = (uint8_t)src;
	f.hdr.dst = PROC_SECRETS;
	f.hdr.id = ++sx_id;
	f.hdr.len = (uint32_t)len;
	f.payload = sx_req;
	f.fd = -1;
	sx_nreply = 0;
	for (k = 0; k < sizeof(sx_handlers) / sizeof(sx_handlers[0]); k++)
		if (sx_handlers[k].type == type)
			sx_handlers[k].fn(&sx_rt, &f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (sx_nreply == 0) {
		event_base_loop(sx_base, EVLOOP_NONBLOCK);
		clock_gettime(CLOCK_MONOTONIC, &t);
		ck_assert_msg(t.tv_sec - t0.tv_sec < 3, "no reply to %s",
		    msg_type_name(type));
		if (sx_nreply == 0)
			poll(NULL, 0, 1);
	}
	ck_assert_int_eq(sx_nreply, 1);
	ck_assert_ptr_nonnull(sx_body);
	return (sx_type);
}

/* sx_str - string member of the last reply (or of o) */
static const char *
sx_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o != NULL ? o :
	    sx_body, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* sx_error - the last reply is MSG_ERROR with code want */
static void
sx_error(const char *want)
{
	const char	*got = sx_str(NULL, "code");

	ck_assert_msg(sx_type == MSG_ERROR && got != NULL &&
	    strcmp(got, want) == 0, "got %s %s, want ERROR %s",
	    msg_type_name(sx_type), sx_raw, want);
}

/* sx_put - http stores a value; the reply must be the entry */
static void
sx_put(const char *name, const char *provider, const char *value)
{
	char	json[512];

	snprintf(json, sizeof(json), "{\"name\":\"%s\",\"provider\":\"%s\","
	    "\"value\":\"%s\"}", name, provider, value);
	ck_assert_msg(sx_ask(PROC_HTTP, MSG_SECRET_PUT, json) ==
	    MSG_SECRET_PUT, "put %s: got %s", name, sx_raw);
	ck_assert_str_eq(sx_str(NULL, "name"), name);
	ck_assert_str_eq(sx_str(NULL, "provider"), provider);
	ck_assert_ptr_null(memmem(sx_req, sizeof(sx_req), value,
	    strlen(value)));
	ck_assert_ptr_null(strstr(sx_raw, value));
}

/* sx_offline_put - another writer (the offline CLI) stores a value */
static void
sx_offline_put(const char *keytext, const char *name)
{
	unsigned char	 key[STORE_KEY_LEN];
	struct store	*s;
	char		 err[512];

	ck_assert_int_eq(store_key_parse(keytext, key, err, sizeof(err)), 0);
	s = store_open(sx_state, key, err, sizeof(err));
	ck_assert_msg(s != NULL, "store_open: %s", err);
	ck_assert_msg(store_put(s, name, "openai", "offline-v", 9, NULL, err,
	    sizeof(err)) == 0, "store_put: %s", err);
	store_close(s);
}

START_TEST(test_http_get_denied)
{
	setenv(CONFIG_MASTER_KEY_ENV, sx_key, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	sx_put("openai.prod", "openai", SX_VALUE);
	sx_ask(PROC_HTTP, MSG_SECRET_GET, "{\"name\":\"openai.prod\"}");
	sx_error("forbidden");
	ck_assert_str_eq(sx_str(NULL, "message"),
	    "http may not GET 'openai.prod'");
	ck_assert_msg(sx_log_has("denied: http may not GET 'openai.prod'"),
	    "got no denial in the log, want one");
	/* a GET without a name is denied before it is a bad request */
	sx_ask(PROC_HTTP, MSG_SECRET_GET, "{}");
	sx_error("forbidden");
	ck_assert(sx_log_has("denied: http may not GET '?'"));
	ck_assert_msg(!sx_log_has(SX_VALUE), "the value is in the log");
	sx_stop();
	ck_assert_msg(!sx_log_has(SX_VALUE), "the value is in the log");
}
END_TEST

START_TEST(test_put_list_delete)
{
	const cJSON	*st, *a, *e;

	setenv(CONFIG_MASTER_KEY_ENV, sx_key, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	ck_assert_ptr_null(getenv(CONFIG_MASTER_KEY_ENV));
	sx_put("openai.prod", "openai", SX_VALUE);
	ck_assert_ptr_nonnull(sx_str(NULL, "created"));
	ck_assert_uint_eq(strlen(sx_str(NULL, "updated")), 20);
	ck_assert_int_eq(sx_ask(PROC_HTTP, MSG_SECRET_LIST, "{}"),
	    MSG_SECRET_LIST);
	st = cJSON_GetObjectItem(sx_body, "store");
	ck_assert_str_eq(sx_str(st, "state"), "ok");
	ck_assert_ptr_nonnull(strstr(sx_str(st, "path"), sx_state));
	ck_assert_ptr_null(cJSON_GetObjectItem(st, "error"));
	a = cJSON_GetObjectItem(sx_body, "secrets");
	ck_assert_int_eq(cJSON_GetArraySize(a), 1);
	e = cJSON_GetArrayItem(a, 0);
	ck_assert_str_eq(sx_str(e, "name"), "openai.prod");
	ck_assert_str_eq(sx_str(e, "provider"), "openai");
	ck_assert_ptr_nonnull(sx_str(e, "created"));
	ck_assert_ptr_nonnull(sx_str(e, "updated"));
	ck_assert_ptr_null(cJSON_GetObjectItem(e, "value"));
	ck_assert_ptr_null(strstr(sx_raw, SX_VALUE));

	/* bad requests */
	sx_ask(PROC_HTTP, MSG_SECRET_PUT, "not json " SX_VALUE);
	sx_error("bad_request");
	ck_assert_ptr_null(memmem(sx_req, sizeof(sx_req), SX_VALUE,
	    strlen(SX_VALUE)));
	sx_ask(PROC_HTTP, MSG_SECRET_PUT, "{\"name\":\"a b\","
	    "\"provider\":\"openai\",\"value\":\"v\"}");
	sx_error("bad_request");
	sx_ask(PROC_HTTP, MSG_SECRET_PUT, "{\"name\":\"ab\","
	    "\"provider\":\"Open AI\",\"value\":\"v\"}");
	sx_error("bad_request");
	sx_ask(PROC_HTTP, MSG_SECRET_PUT, "{\"name\":\"ab\","
	    "\"provider\":\"openai\",\"value\":\"\"}");
	sx_error("bad_request");
	sx_ask(PROC_HTTP, MSG_SECRET_PUT, "{\"name\":\"ab\","
	    "\"provider\":\"openai\",\"value\":7}");
	sx_error("bad_request");
	sx_ask(PROC_HTTP, MSG_SECRET_LIST, "[]");
	sx_error("bad_request");
	sx_ask(PROC_SKILLS, MSG_SECRET_PUT, "{\"name\":\"ab\","
	    "\"provider\":\"openai\",\"value\":\"" SX_VALUE "\"}");
	sx_error("forbidden");
	ck_assert(sx_log_has("denied: skills may not PUT 'ab'"));

	ck_assert_int_eq(sx_ask(PROC_HTTP, MSG_SECRET_DELETE,
	    "{\"name\":\"openai.prod\"}"), MSG_SECRET_DELETE);
	ck_assert_str_eq(sx_str(NULL, "name"), "openai.prod");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(sx_body, "deleted")));
	sx_ask(PROC_HTTP, MSG_SECRET_DELETE, "{\"name\":\"openai.prod\"}");
	sx_error("not_found");
	sx_ask(PROC_HTTP, MSG_SECRET_DELETE, "{\"name\":7}");
	sx_error("bad_request");
	sx_ask(PROC_HTTP, MSG_SECRET_LIST, "");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(sx_body,
	    "secrets")), 0);
	sx_stop();
	ck_assert_msg(!sx_log_has(SX_VALUE), "the value is in the log");
}
END_TEST

START_TEST(test_get_granted)
{
	setenv(CONFIG_MASTER_KEY_ENV, sx_key, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	sx_put("openai.prod", "openai", SX_VALUE);
	sx_put("openai.other", "openai", "other-value");
	ck_assert_int_eq(sx_ask(PROC_SKILLS, MSG_SECRET_GET,
	    "{\"name\":\"openai.prod\"}"), MSG_SECRET_GET);
	ck_assert_str_eq(sx_str(NULL, "name"), "openai.prod");
	ck_assert_str_eq(sx_str(NULL, "provider"), "openai");
	ck_assert_str_eq(sx_str(NULL, "value"), SX_VALUE);
	sx_ask(PROC_SKILLS, MSG_SECRET_GET, "{\"name\":\"openai.other\"}");
	sx_error("forbidden");
	ck_assert(sx_log_has("denied: skills may not GET 'openai.other': "
	    "not in its grants"));
	sx_ask(PROC_SKILLS, MSG_SECRET_GET, "{\"name\":\"anthropic.key\"}");
	sx_error("not_found");
	sx_ask(PROC_MCP, MSG_SECRET_GET, "{\"name\":\"openai.prod\"}");
	sx_error("forbidden");
	sx_ask(PROC_GPU, MSG_SECRET_GET, "{\"name\":\"openai.prod\"}");
	sx_error("forbidden");
	sx_ask(PROC_EXTRA_BASE, MSG_SECRET_GET, "{\"name\":\"openai.prod\"}");
	sx_error("forbidden");
	ck_assert(sx_log_has("denied: worker 32 may not GET 'openai.prod'"));
	sx_ask(PROC_MASTER, MSG_SECRET_LIST, "{}");
	sx_error("forbidden");
	sx_ask(PROC_SKILLS, MSG_ROUTES_LIST, "{}");
	sx_error("forbidden");
	sx_stop();
	ck_assert_msg(!sx_log_has(SX_VALUE), "the value is in the log");
}
END_TEST

/* sx_route - the route called name in the last ROUTES_LIST reply */
static const cJSON *
sx_route(const char *name)
{
	const cJSON	*r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(sx_body, "routes"))
		if (strcmp(sx_str(r, "name"), name) == 0)
			return (r);
	ck_abort_msg("no route %s in %s", name, sx_raw);
	return (NULL);
}

/* sx_avail - route name's availability and reason (NULL: null) */
static void
sx_avail(const char *name, int want, const char *reason)
{
	const cJSON	*r = sx_route(name), *why;

	ck_assert_msg(cJSON_IsBool(cJSON_GetObjectItem(r, "available")) &&
	    cJSON_IsTrue(cJSON_GetObjectItem(r, "available")) == want,
	    "%s: available: got %s, want %d", name, sx_raw, want);
	why = cJSON_GetObjectItem(r, "reason");
	if (reason == NULL)
		ck_assert_msg(cJSON_IsNull(why), "%s: reason: got %s, want "
		    "null", name, sx_raw);
	else
		ck_assert_msg(cJSON_IsString(why) && strcmp(why->valuestring,
		    reason) == 0, "%s: reason: got %s, want \"%s\"", name,
		    sx_raw, reason);
}

START_TEST(test_routes_list)
{
	const cJSON	*r, *h;

	setenv(CONFIG_MASTER_KEY_ENV, sx_key, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	sx_put("openai.prod", "openai", SX_VALUE);
	ck_assert_int_eq(sx_ask(PROC_HTTP, MSG_ROUTES_LIST, "{}"),
	    MSG_ROUTES_LIST);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(sx_body,
	    "routes")), 3);
	sx_avail("gpt", 1, NULL);
	sx_avail("claude", 0, "secret 'anthropic.key' is not in the store");
	sx_avail("local", 1, NULL);
	r = sx_route("gpt");
	ck_assert_str_eq(sx_str(r, "provider"), "openai");
	ck_assert_str_eq(sx_str(r, "base_url"), "https://api.openai.com/v1");
	ck_assert_str_eq(sx_str(r, "model"), "gpt-4o");
	ck_assert_str_eq(sx_str(r, "secret"), "openai.prod");
	r = sx_route("local");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r, "secret")));
	h = cJSON_GetObjectItem(r, "headers");
	ck_assert_int_eq(cJSON_GetArraySize(h), 1);
	ck_assert_str_eq(cJSON_GetArrayItem(h, 0)->valuestring, "X-Org");
	ck_assert_ptr_null(strstr(sx_raw, SX_HDR_VALUE));
	ck_assert_ptr_null(strstr(sx_raw, SX_VALUE));

	/* an offline write is seen without a reload */
	sx_offline_put(sx_key, "anthropic.key");
	sx_ask(PROC_HTTP, MSG_ROUTES_LIST, "{}");
	sx_avail("claude", 1, NULL);

	/* reload: new routes; a bad file keeps them */
	sx_put_file(sx_routes, "[{\"name\":\"only\",\"provider\":\"vllm\","
	    "\"model\":\"m\",\"base_url\":\"http://h:8000\"}]");
	secrets_reload(&sx_rt);
	sx_ask(PROC_HTTP, MSG_ROUTES_LIST, "{}");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(sx_body,
	    "routes")), 1);
	sx_avail("only", 1, NULL);
	sx_put_file(sx_routes, "[{\"name\":\"x\"}]");
	secrets_reload(&sx_rt);
	ck_assert(sx_log_has("routes[0].provider: missing; keeping the "
	    "routes loaded before"));
	sx_ask(PROC_HTTP, MSG_ROUTES_LIST, "{}");
	sx_avail("only", 1, NULL);
	sx_stop();
}
END_TEST

START_TEST(test_offline_list)
{
	const cJSON	*a;

	setenv(CONFIG_MASTER_KEY_ENV, sx_key, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	sx_offline_put(sx_key, "offline.one");
	sx_ask(PROC_HTTP, MSG_SECRET_LIST, "{}");
	a = cJSON_GetObjectItem(sx_body, "secrets");
	ck_assert_int_eq(cJSON_GetArraySize(a), 1);
	ck_assert_str_eq(sx_str(cJSON_GetArrayItem(a, 0), "name"),
	    "offline.one");
	ck_assert_int_eq(sx_ask(PROC_SKILLS, MSG_SECRET_GET,
	    "{\"name\":\"anthropic.key\"}"), MSG_ERROR);
	sx_offline_put(sx_key, "anthropic.key");
	ck_assert_int_eq(sx_ask(PROC_SKILLS, MSG_SECRET_GET,
	    "{\"name\":\"anthropic.key\"}"), MSG_SECRET_GET);
	ck_assert_str_eq(sx_str(NULL, "value"), "offline-v");
	sx_stop();
}
END_TEST

START_TEST(test_no_key)
{
	const cJSON	*st, *a;

	sx_offline_put(sx_key, "offline.one");
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	ck_assert(sx_log_has("no master key configured"));
	ck_assert_int_eq(sx_ask(PROC_HTTP, MSG_SECRET_LIST, "{}"),
	    MSG_SECRET_LIST);
	st = cJSON_GetObjectItem(sx_body, "store");
	ck_assert_str_eq(sx_str(st, "state"), "no_master_key");
	ck_assert_ptr_nonnull(strstr(sx_str(st, "error"),
	    CONFIG_MASTER_KEY_FILE_ENV));
	a = cJSON_GetObjectItem(sx_body, "secrets");
	ck_assert_int_eq(cJSON_GetArraySize(a), 1);
	ck_assert_str_eq(sx_str(cJSON_GetArrayItem(a, 0), "name"),
	    "offline.one");
	sx_ask(PROC_HTTP, MSG_SECRET_PUT, "{\"name\":\"ab\","
	    "\"provider\":\"openai\",\"value\":\"" SX_VALUE "\"}");
	sx_error("no_master_key");
	ck_assert_ptr_nonnull(strstr(sx_str(NULL, "message"),
	    CONFIG_MASTER_KEY_FILE_ENV));
	ck_assert_ptr_null(memmem(sx_req, sizeof(sx_req), SX_VALUE,
	    strlen(SX_VALUE)));
	sx_ask(PROC_HTTP, MSG_SECRET_DELETE, "{\"name\":\"offline.one\"}");
	sx_error("no_master_key");
	sx_ask(PROC_SKILLS, MSG_SECRET_GET, "{\"name\":\"openai.prod\"}");
	sx_error("no_master_key");
	sx_ask(PROC_HTTP, MSG_ROUTES_LIST, "{}");
	sx_avail("gpt", 0, "no master key configured");
	sx_avail("local", 1, NULL);
	sx_stop();
}
END_TEST

START_TEST(test_bad_keys)
{
	char	other[64], path[PATH_MAX];

	/* a key that does not match the store: permanent, named */
	sx_offline_put(sx_key, "offline.one");
	ck_assert_int_eq(store_key_generate(other, sizeof(other)), 0);
	setenv(CONFIG_MASTER_KEY_ENV, other, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), WORKER_EXIT_PERMANENT);
	ck_assert_ptr_null(getenv(CONFIG_MASTER_KEY_ENV));
	snprintf(path, sizeof(path), "master key does not match the store "
	    "at %s/secrets/store.json", sx_state);
	ck_assert_msg(sx_log_has(path), "got no \"%s\" in the log", path);
	sx_stop();

	/* a key that is not one */
	setenv(CONFIG_MASTER_KEY_ENV, "not-base64!", 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), WORKER_EXIT_PERMANENT);
	ck_assert_ptr_null(getenv(CONFIG_MASTER_KEY_ENV));
	ck_assert(sx_log_has(CONFIG_MASTER_KEY_ENV ": "));
	ck_assert(!sx_log_has("not-base64!"));
	sx_stop();

	/* the key from a file, and the variable gone afterwards */
	snprintf(path, sizeof(path), "%s/key", sx_dir);
	sx_put_file(path, sx_key);
	setenv(CONFIG_MASTER_KEY_FILE_ENV, path, 1);
	ck_assert_int_eq(sx_start(SX_GRANTS), 0);
	ck_assert_ptr_null(getenv(CONFIG_MASTER_KEY_FILE_ENV));
	sx_ask(PROC_HTTP, MSG_SECRET_LIST, "{}");
	ck_assert_str_eq(sx_str(cJSON_GetObjectItem(sx_body, "store"),
	    "state"), "ok");
	sx_stop();
	ck_assert(!sx_log_has(sx_key));
}
END_TEST

/* secrets_suite - the secrets worker's tests */
Suite *
secrets_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("secrets");
	tc = tcase_create("acl");
	tcase_add_checked_fixture(tc, sx_setup, sx_teardown);
	tcase_add_loop_test(tc, test_acl, 0,
	    sizeof(acl_cases) / sizeof(acl_cases[0]));
	tcase_add_test(tc, test_acl_grants);
	suite_add_tcase(s, tc);

	tc = tcase_create("worker");
	tcase_add_checked_fixture(tc, sx_setup, sx_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_http_get_denied);
	tcase_add_test(tc, test_put_list_delete);
	tcase_add_test(tc, test_get_granted);
	tcase_add_test(tc, test_routes_list);
	tcase_add_test(tc, test_offline_list);
	tcase_add_test(tc, test_no_key);
	tcase_add_test(tc, test_bad_keys);
	suite_add_tcase(s, tc);
	return (s);
}
