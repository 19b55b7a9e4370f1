/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_mcp_server - one MCP server driven for real
 *	(workers/mcp/mcp_server.c, mcp_hello.c, mcp_rpc.c, mcp_call.c,
 *	mcp_spawn.c)
 * SYNOPSIS
 *	Suite	*mcp_server_suite(void);
 * DESCRIPTION
 *	Each test runs the worker's server code on a libevent base of its
 *	own, in this process, against tests/mcp/fake_mcp_server.py (python3
 *	from the default PATH) in one of its modes, and spins the loop until
 *	a condition holds or a deadline passes. The fake records what it
 *	got in a file of the test's temp directory (FAKE_MCP_RECORD).
 *
 *	Ready with the tools of both pages; calls (ok, isError, -32602 ->
 *	bad_request, an unknown tool, the counts); the environment is
 *	exactly the one docs/mcp.md gives, in the default cwd made 0700;
 *	secrets through the prespawn hook and a stale ticket; a slow call
 *	times out and the fake sees notifications/cancelled; a crash after
 *	ready -> backoff -> ready with restarts 1; restart never; garbage,
 *	a 17 MiB line and no answer -> failed naming why; list_changed ->
 *	the tools are listed again; the server's ping answered, sampling
 *	refused; a stop: the group gone, no zombie, SIGKILL for a group
 *	that ignores SIGTERM; a command that cannot be found.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <event2/event.h>

#include "mcp_call.h"
#include "mcp_conf.h"
#include "mcp_server.h"

Suite	*mcp_server_suite(void);

#define FAKE	"tests/mcp/fake_mcp_server.py"

static struct event_base	*base;
static struct mcp_server_env	 env;
static struct mcp_server	*srv;
static char			 tmp[64];
static char			 fake[PATH_MAX];
static char			 record[128];

/* what a call ended with */
static int		 call_done;
static cJSON		*call_body;
static char		 call_code[32];
static char		 call_msg[512];

/* what the prespawn hook and a stop saw */
static uint64_t		 ticket;
static int		 stopped;

/* setup - a base, a temp directory, the fake's path */
static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	ck_assert_ptr_nonnull(base = event_base_new());
	snprintf(tmp, sizeof(tmp), "/tmp/check-mcp-srv.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_msg(realpath(FAKE, fake) != NULL, "%s: run from the top "
	    "of the tree", FAKE);
	snprintf(record, sizeof(record), "%s/record", tmp);
	memset(&env, 0, sizeof(env));
	env.base = base;
	env.workspace_root = tmp;
	env.init_timeout_ms = 10000;
	srv = NULL;
	call_done = 0;
	call_body = NULL;
	ticket = 0;
	stopped = 0;
}

/* teardown - free the server (killing it), the base, the directory */
static void
teardown(void)
{
	char	cmd[128];

	mcp_server_free(srv);
	srv = NULL;
	cJSON_Delete(call_body);
	call_body = NULL;
	event_base_free(base);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

/* spin - run the loop until done() or ms pass; done()'s last value */
static int
spin(int (*done)(void), int ms)
{
	struct timespec	t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		if (done != NULL && done())
			return (1);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
			return (done == NULL);
		poll(NULL, 0, 2);
	}
}

/* make - a server "t" running the fake in mode; extra members too */
static struct mcp_server *
make(const char *mode, const char *extra)
{
	struct mcp_conf	*c;
	char		 text[PATH_MAX + 2048], err[512];

	snprintf(text, sizeof(text), "{\"servers\":{\"t\":{\"command\":"
	    "\"python3\",\"args\":[\"%s\",\"%s\"],\"env\":{\"FAKE_MCP_RECORD\":"
	    "\"%s\",\"FAKE_MCP_STATE\":\"%s/state\"}%s%s}}}", fake, mode,
	    record, tmp, extra != NULL ? "," : "", extra != NULL ? extra : "");
	c = mcp_conf_parse("t.json", text, strlen(text), NULL, err,
	    sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	srv = mcp_server_new(&env, mcp_conf_take(c, 0));
	mcp_conf_free(c);
	return (srv);
}

/* is_ready, is_failed, ... - spin conditions */
static int
is_ready(void)
{
	return (mcp_server_state(srv) == MCP_READY);
}

static int
is_failed(void)
{
	return (mcp_server_state(srv) == MCP_FAILED);
}

static int
is_backoff(void)
{
	return (mcp_server_state(srv) == MCP_BACKOFF);
}

static int
is_stopped(void)
{
	return (mcp_server_state(srv) == MCP_STOPPED);
}

static int
is_called(void)
{
	return (call_done);
}

static int
is_ticketed(void)
{
	return (ticket != 0);
}

static int
is_done_stopping(void)
{
	return (stopped);
}

static int
has_seven_tools(void)
{
	return (is_ready() && cJSON_GetArraySize(mcp_server_tools(srv)) == 7);
}

/* start_ready - make, start, wait for ready */
static void
start_ready(const char *mode, const char *extra)
{
	make(mode, extra);
	mcp_server_start(srv);
	ck_assert_msg(spin(is_ready, 15000), "not ready: %s, last error '%s'",
	    mcp_state_name(mcp_server_state(srv)),
	    mcp_server_last_error(srv));
}

/* done_cb - a call ended */
static void
done_cb(cJSON *body, const struct mcp_call_err *err, void *arg)
{
	(void)arg;
	call_done++;
	cJSON_Delete(call_body);
	call_body = body;
	snprintf(call_code, sizeof(call_code), "%s", err != NULL ? err->code :
	    "");
	snprintf(call_msg, sizeof(call_msg), "%s", err != NULL ?
	    err->message : "");
}

/* call - call tool with args (JSON text), wait; 0, or -1 if refused */
static int
call(const char *tool, const char *args, int timeout_s)
{
	struct mcp_call_err	 err;
	cJSON			*a = args != NULL ? cJSON_Parse(args) : NULL;
	int			 rc;

	call_done = 0;
	call_code[0] = call_msg[0] = '\0';
	rc = mcp_call_start(srv, tool, a, timeout_s, done_cb, NULL, &err);
	cJSON_Delete(a);
	if (rc == -1) {
		snprintf(call_code, sizeof(call_code), "%s", err.code);
		snprintf(call_msg, sizeof(call_msg), "%s", err.message);
		return (-1);
	}
	ck_assert_msg(spin(is_called, (timeout_s + 10) * 1000), "no answer");
	ck_assert_int_eq(call_done, 1);
	return (0);
}

/* result_text - the first text of the last call's result */
static const char *
result_text(void)
{
	const cJSON	*r, *c;

	r = cJSON_GetObjectItemCaseSensitive(call_body, "result");
	c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r,
	    "content"), 0);
	c = cJSON_GetObjectItemCaseSensitive(c, "text");
	return (cJSON_IsString(c) ? c->valuestring : "");
}

/* recorded - does the record file hold needle? */
static int
recorded(const char *needle)
{
	char	buf[65536];
	size_t	n;
	FILE	*fp;

	if ((fp = fopen(record, "r")) == NULL)
		return (0);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return (strstr(buf, needle) != NULL);
}

static const char	*want_record;

/* is_recorded - spin until the record has want_record */
static int
is_recorded(void)
{
	return (recorded(want_record));
}

/* test_ready_and_calls - both pages, the object, calls and their counts */
START_TEST(test_ready_and_calls)
{
	const cJSON	*r;
	cJSON		*o, *counts;
	char		*s;

	start_ready("ok", NULL);
	ck_assert_int_eq(cJSON_GetArraySize(mcp_server_tools(srv)), 6);
	ck_assert_ptr_nonnull(mcp_server_tool(srv, "echo"));
	ck_assert_ptr_nonnull(mcp_server_tool(srv, "bad-params"));
	ck_assert_ptr_null(mcp_server_tool(srv, "extra"));
	o = mcp_server_json(srv);
	s = cJSON_PrintUnformatted(o);
	ck_assert_msg(strstr(s, "\"name\":\"t\",\"transport\":\"stdio\","
	    "\"enabled\":true,\"state\":\"ready\",\"pid\":") != NULL, "%s", s);
	ck_assert_msg(strstr(s, ",\"restarts\":0,\"tools\":6,\"server_info\":"
	    "{\"name\":\"fake-mcp\",\"version\":\"1.0.0\"},\"protocol_version\":"
	    "\"2025-06-18\",\"last_error\":null,\"since\":\"20") != NULL,
	    "%s", s);
	ck_assert_int_eq((pid_t)cJSON_GetObjectItem(o, "pid")->valuedouble,
	    mcp_server_pid(srv));
	ck_assert_int_eq(strlen(cJSON_GetObjectItem(o, "since")->valuestring),
	    20);
	cJSON_free(s);
	cJSON_Delete(o);

	ck_assert_int_eq(call("echo", "{\"text\":\"hi\"}", 5), 0);
	ck_assert_str_eq(call_code, "");
	ck_assert_str_eq(result_text(), "Echo: hi");
	ck_assert_str_eq(cJSON_GetObjectItem(call_body, "server")->valuestring,
	    "t");
	ck_assert_str_eq(cJSON_GetObjectItem(call_body, "tool")->valuestring,
	    "echo");
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(call_body,
	    "duration_ms")));
	ck_assert_int_eq(call("add", "{\"a\":2,\"b\":3}", 5), 0);
	r = cJSON_GetObjectItem(cJSON_GetObjectItem(call_body, "result"),
	    "structuredContent");
	ck_assert_int_eq(cJSON_GetObjectItem(r, "sum")->valueint, 5);
	ck_assert_int_eq(call("fail", NULL, 5), 0);
	ck_assert_str_eq(call_code, "");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    call_body, "result"), "isError")));
	ck_assert_int_eq(call("bad-params", "{}", 5), 0);
	ck_assert_ptr_null(call_body);
	ck_assert_str_eq(call_code, "bad_request");
	ck_assert_str_eq(call_msg, "server t: JSON-RPC error -32602: Invalid "
	    "params: want x");
	ck_assert_int_eq(call("nope", "{}", 5), -1);
	ck_assert_str_eq(call_code, "not_found");
	ck_assert_str_eq(call_msg, "server t has no tool named nope");
	counts = mcp_server_counts(srv);
	s = cJSON_PrintUnformatted(counts);
	ck_assert_str_eq(s, "{\"ok\":2,\"tool_error\":1,\"error\":1,"
	    "\"timeout\":0}");
	cJSON_free(s);
	cJSON_Delete(counts);
}
END_TEST

/* test_env - exactly PATH, HOME = cwd, LANG and env; cwd made 0700 */
START_TEST(test_env)
{
	struct stat	 st;
	cJSON		*e, *item;
	char		 cwd[128];
	int		 n = 0;

	start_ready("ok", NULL);
	ck_assert_int_eq(call("get-env", NULL, 5), 0);
	ck_assert_ptr_nonnull(e = cJSON_Parse(result_text()));
	snprintf(cwd, sizeof(cwd), "%s/mcp/t", tmp);
	cJSON_ArrayForEach(item, e)
		n++;
	ck_assert_msg(n == 5, "got %d variables: %s", n, result_text());
	ck_assert_str_eq(cJSON_GetObjectItem(e, "PATH")->valuestring,
	    "/usr/local/bin:/usr/bin:/bin");
	ck_assert_str_eq(cJSON_GetObjectItem(e, "HOME")->valuestring, cwd);
	ck_assert_str_eq(cJSON_GetObjectItem(e, "LANG")->valuestring,
	    "C.UTF-8");
	ck_assert_str_eq(cJSON_GetObjectItem(e, "FAKE_MCP_RECORD")->valuestring,
	    record);
	cJSON_Delete(e);
	ck_assert_int_eq(stat(cwd, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

/* prespawn - the hook: note the ticket */
static void
prespawn(struct mcp_server *s, uint64_t t, void *arg)
{
	(void)s;
	(void)arg;
	ticket = t;
}

/* test_secrets - the prespawn hook, a stale ticket, a refusal */
START_TEST(test_secrets)
{
	char	*secrets[] = { NULL, NULL }, val[] = "SECRET_X=s3cr3t";
	cJSON	*e;

	env.prespawn = prespawn;
	make("ok", "\"secret_env\":{\"SECRET_X\":\"key1\"}");
	mcp_server_start(srv);
	ck_assert(spin(is_ticketed, 1000));
	ck_assert_int_eq(mcp_server_state(srv), MCP_STARTING);
	ck_assert_int_eq(mcp_server_pid(srv), 0);
	ck_assert_uint_eq(mcp_server_ticket(srv), ticket);
	secrets[0] = val;
	ck_assert_int_eq(mcp_server_spawn(srv, ticket + 1, secrets), -1);
	ck_assert_int_eq(mcp_server_spawn(srv, ticket, secrets), 0);
	ck_assert_int_eq(mcp_server_spawn(srv, ticket, secrets), -1);
	ck_assert(spin(is_ready, 15000));
	ck_assert_int_eq(call("get-env", NULL, 5), 0);
	ck_assert_ptr_nonnull(e = cJSON_Parse(result_text()));
	ck_assert_str_eq(cJSON_GetObjectItem(e, "SECRET_X")->valuestring,
	    "s3cr3t");
	cJSON_Delete(e);
	/* a refusal fails the start */
	mcp_server_free(srv);
	ticket = 0;
	make("ok", "\"secret_env\":{\"SECRET_X\":\"key1\"}");
	mcp_server_start(srv);
	ck_assert(spin(is_ticketed, 1000));
	mcp_server_spawn_failed(srv, ticket, "secret_env.SECRET_X: forbidden");
	ck_assert_int_eq(mcp_server_state(srv), MCP_FAILED);
	ck_assert_str_eq(mcp_server_last_error(srv), "secret_env.SECRET_X: "
	    "forbidden");
	ck_assert_uint_eq(mcp_server_ticket(srv), 0);
}
END_TEST

/* test_timeout - a slow call: timeout, and the server is told */
START_TEST(test_timeout)
{
	cJSON	*counts;

	start_ready("ok", NULL);
	ck_assert_int_eq(call("slow", "{\"seconds\":30}", 1), 0);
	ck_assert_ptr_null(call_body);
	ck_assert_str_eq(call_code, "timeout");
	ck_assert_str_eq(call_msg, "server t: tool slow: no answer within "
	    "1 s");
	want_record = "\"method\": \"notifications/cancelled\", \"params\": "
	    "{\"requestId\": 4, \"reason\": \"timeout after 1 s\"}";
	ck_assert_msg(spin(is_recorded, 5000), "no notifications/cancelled "
	    "recorded");
	/* still usable */
	ck_assert_int_eq(call("echo", "{\"text\":\"after\"}", 5), 0);
	ck_assert_str_eq(result_text(), "Echo: after");
	counts = mcp_server_counts(srv);
	ck_assert_int_eq(cJSON_GetObjectItem(counts, "timeout")->valueint, 1);
	cJSON_Delete(counts);
}
END_TEST

/* test_crash - a crash after ready: backoff, then ready, restarts 1 */
START_TEST(test_crash)
{
	pid_t	first;

	start_ready("crash_after_init", NULL);
	first = mcp_server_pid(srv);
	ck_assert(spin(is_backoff, 5000));
	ck_assert_str_eq(mcp_server_last_error(srv), "exited 3");
	ck_assert_int_eq(mcp_server_pid(srv), 0);
	ck_assert_ptr_null(mcp_server_tools(srv));
	ck_assert_int_eq(call("echo", "{}", 5), -1);
	ck_assert_str_eq(call_code, "unavailable");
	ck_assert_str_eq(call_msg, "server t is backoff: exited 3");
	ck_assert(spin(is_ready, 10000));
	ck_assert_int_eq(mcp_server_restarts(srv), 1);
	ck_assert_int_ne(mcp_server_pid(srv), first);
	ck_assert_str_eq(mcp_server_last_error(srv), "");
	ck_assert_int_eq(cJSON_GetArraySize(mcp_server_tools(srv)), 6);
	errno = 0;
	ck_assert_int_eq(waitpid(first, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* test_restart_never - a crash with restart never: stopped */
START_TEST(test_restart_never)
{
	start_ready("crash_after_init", "\"restart\":\"never\"");
	ck_assert(spin(is_stopped, 5000));
	ck_assert_str_eq(mcp_server_last_error(srv), "exited 3");
	spin(NULL, 1500);
	ck_assert_int_eq(mcp_server_state(srv), MCP_STOPPED);
	ck_assert_int_eq(mcp_server_restarts(srv), 0);
}
END_TEST

static const struct broken_case {
	const char	*mode;
	const char	*want;		/* last_error */
} broken_cases[] = {
	{ "garbage_line", "protocol error: a line that is not JSON-RPC (not "
	    "JSON): 'this is not JSON at all'" },
	{ "huge_line", "protocol error: a line over 16 MiB" },
	{ "no_answer", "initialize: no answer within 1 s" },
};

/* test_broken - a server that breaks the protocol: failed, killed */
START_TEST(test_broken)
{
	const struct broken_case	*bc = &broken_cases[_i];
	pid_t				 pid;

	env.init_timeout_ms = 1000;
	make(bc->mode, NULL);
	mcp_server_start(srv);
	pid = mcp_server_pid(srv);
	ck_assert_int_gt(pid, 0);
	ck_assert(spin(is_failed, 8000));
	ck_assert_str_eq(mcp_server_last_error(srv), bc->want);
	/* killed and reaped: the state stays failed, waiting to restart */
	ck_assert(spin(NULL, 300));
	ck_assert_int_eq(mcp_server_state(srv), MCP_FAILED);
	ck_assert_str_eq(mcp_server_last_error(srv), bc->want);
	ck_assert_int_eq(mcp_server_pid(srv), 0);
	errno = 0;
	ck_assert_int_eq(kill(pid, 0), -1);
}
END_TEST

/* test_list_changed - the tools are listed again */
START_TEST(test_list_changed)
{
	start_ready("list_changed", NULL);
	ck_assert_int_eq(cJSON_GetArraySize(mcp_server_tools(srv)), 6);
	ck_assert_int_eq(call("extra", "{}", 5), -1);
	ck_assert_str_eq(call_code, "not_found");
	ck_assert_int_eq(call("echo", "{\"text\":\"x\"}", 5), 0);
	ck_assert(spin(has_seven_tools, 5000));
	ck_assert_int_eq(call("extra", "{}", 5), 0);
	ck_assert_str_eq(result_text(), "extra");
}
END_TEST

/* test_server_ping - the server's ping answered, sampling refused */
START_TEST(test_server_ping)
{
	start_ready("server_ping", NULL);
	want_record = "{\"jsonrpc\": \"2.0\", \"id\": \"srv-ping\", "
	    "\"result\": {}}";
	ck_assert_msg(spin(is_recorded, 5000), "no answer to ping");
	ck_assert(recorded("{\"jsonrpc\": \"2.0\", \"id\": 77, \"error\": "
	    "{\"code\": -32601, \"message\": \"method not found\"}}"));
	ck_assert_int_eq(mcp_server_state(srv), MCP_READY);
}
END_TEST

/* stopped_cb - a stop is done */
static void
stopped_cb(struct mcp_server *s, void *arg)
{
	(void)arg;
	ck_assert_ptr_eq(s, srv);
	stopped++;
}

/* test_stop - stdin closed: it exits; the group is gone, no zombie */
START_TEST(test_stop)
{
	pid_t	pid;

	start_ready("ok", NULL);
	pid = mcp_server_pid(srv);
	ck_assert_int_eq(mcp_server_stop(srv, stopped_cb, NULL), 0);
	ck_assert_int_eq(mcp_server_state(srv), MCP_STOPPING);
	ck_assert_int_eq(call("echo", "{}", 5), -1);
	ck_assert_str_eq(call_code, "unavailable");
	ck_assert(spin(is_done_stopping, 1900));	/* before SIGTERM */
	ck_assert_int_eq(stopped, 1);
	ck_assert_int_eq(mcp_server_state(srv), MCP_STOPPED);
	ck_assert_str_eq(mcp_server_last_error(srv), "exited 0");
	errno = 0;
	ck_assert_int_eq(kill(-pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	errno = 0;
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	/* stopped stays stopped; a second stop has nothing to do */
	spin(NULL, 1200);
	ck_assert_int_eq(mcp_server_state(srv), MCP_STOPPED);
	ck_assert_int_eq(mcp_server_stop(srv, stopped_cb, NULL), 1);
}
END_TEST

static pid_t	group;

/* is_group_gone - spin until no process of the group is left */
static int
is_group_gone(void)
{
	return (kill(-group, 0) == -1 && errno == ESRCH);
}

/* test_stop_kill - a group that ignores EOF and SIGTERM: SIGKILL at 5 s */
START_TEST(test_stop_kill)
{
	struct mcp_conf	*c;
	struct timespec	 t0, t1;
	const char	*text = "{\"servers\":{\"t\":{\"command\":\"/bin/sh\","
	    "\"args\":[\"-c\",\"trap '' TERM; sleep 60 & sleep 60 & wait\"]}}}";
	char		 err[256];
	long		 ms;
	pid_t		 pid;

	c = mcp_conf_parse("t.json", text, strlen(text), NULL, err,
	    sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	srv = mcp_server_new(&env, mcp_conf_take(c, 0));
	mcp_conf_free(c);
	mcp_server_start(srv);
	ck_assert_int_gt(pid = mcp_server_pid(srv), 0);
	spin(NULL, 200);
	ck_assert_int_eq(kill(-pid, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(mcp_server_stop(srv, stopped_cb, NULL), 0);
	ck_assert(spin(is_done_stopping, 8000));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	ck_assert_msg(ms >= 4900 && ms < 7000, "stopped after %ld ms", ms);
	ck_assert_str_eq(mcp_server_last_error(srv), "killed by signal 9");
	/* its children, killed with it, are reaped by whoever inherited them */
	group = pid;
	ck_assert_msg(spin(is_group_gone, 2000), "group %ld still there",
	    (long)pid);
}
END_TEST

/* test_no_command - a command that cannot be run: failed, why */
START_TEST(test_no_command)
{
	static const struct {
		const char	*command;
		const char	*want;
	} cases[] = {
		{ "/nonexistent/mcp", "command /nonexistent/mcp: No such "
		    "file or directory" },
		{ "nope-mcp-xyz", "command 'nope-mcp-xyz' not found in PATH "
		    "(/usr/local/bin:/usr/bin:/bin)" },
		{ "/etc/passwd", "command /etc/passwd: not an executable "
		    "file" },
	};
	struct mcp_conf	*c;
	char		 text[256], err[256];
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{\"servers\":{\"t\":{\"command\":"
		    "\"%s\"}}}", cases[i].command);
		c = mcp_conf_parse("t.json", text, strlen(text), NULL, err,
		    sizeof(err));
		ck_assert_msg(c != NULL, "%s", err);
		srv = mcp_server_new(&env, mcp_conf_take(c, 0));
		mcp_conf_free(c);
		mcp_server_start(srv);
		ck_assert_int_eq(mcp_server_state(srv), MCP_FAILED);
		ck_assert_str_eq(mcp_server_last_error(srv), cases[i].want);
		mcp_server_free(srv);
		srv = NULL;
	}
}
END_TEST

/* test_disabled - enabled false: listed, never started */
START_TEST(test_disabled)
{
	make("ok", "\"enabled\":false");
	mcp_server_start(srv);
	ck_assert_int_eq(mcp_server_state(srv), MCP_DISABLED);
	ck_assert_int_eq(mcp_server_pid(srv), 0);
	ck_assert_int_eq(mcp_server_stop(srv, stopped_cb, NULL), 1);
	ck_assert_int_eq(mcp_server_state(srv), MCP_DISABLED);
	ck_assert_int_eq(call("echo", "{}", 5), -1);
	ck_assert_str_eq(call_msg, "server t is disabled");
}
END_TEST

/* mcp_server_suite - one server, for real */
Suite *
mcp_server_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("mcp_server");
	tc = tcase_create("server");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ready_and_calls);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_secrets);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_crash);
	tcase_add_test(tc, test_restart_never);
	tcase_add_loop_test(tc, test_broken, 0,
	    (int)(sizeof(broken_cases) / sizeof(broken_cases[0])));
	tcase_add_test(tc, test_list_changed);
	tcase_add_test(tc, test_server_ping);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_stop_kill);
	tcase_add_test(tc, test_no_command);
	tcase_add_test(tc, test_disabled);
	suite_add_tcase(s, tc);
	return (s);
}
