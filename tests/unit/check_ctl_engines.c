/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl_engines - unit tests for corralctl engines
 * SYNOPSIS
 *	Suite	*ctl_engines_suite(void);
 * DESCRIPTION
 *	"args" drives engines_args_parse over command lines, good ones
 *	(what they set) and bad ones (exit 2 and the usage line naming the
 *	option or value at fault, captured from stderr), and builds the
 *	launch request. "views" checks the table, the Docker line, the
 *	detail of a failed engine, the launch step lines, the GPU column
 *	and the cleaning of a log written to a terminal. "stream" checks
 *	the response parser handing a 2xx body to a sink as it comes,
 *	chunk by chunk, and keeping an error's body.
 *	Table-driven tests print "got X, want Y".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "../../ctl/ctl.h"
#include "../../ctl/engines_args.h"
#include "../../ctl/engines_view.h"
#include "../../ctl/http_resp.h"
#include "ctl_argv.h"

Suite	*ctl_engines_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define T_ARGV_MAX	24

static const struct ctl_cmd t_cmd = {
	.name = "engines",
	.args = "",
	.summary = "",
	.help = "",
	.run = NULL,
};

/* t_parse - parse a space-separated command line; stderr into err */
static int
t_parse(const char *line, struct ctl *ctl, struct engines_args *a,
    char *err, size_t errlen)
{
	struct ctl_argv_err	 e;
	char			*argv[T_ARGV_MAX];
	int			 argc, rc;

	argc = ctl_argv_split(line, " ", argv, T_ARGV_MAX);
	ctl_argv_start(ctl, &e);
	rc = engines_args_parse(ctl, &t_cmd, argc, argv, a);
	ctl_argv_end(&e, err, errlen);
	return (rc);
}

static const struct good_case {
	const char	*line;
	int		 sub;
	const char	*name;
	const char	*want;		/* engines_args_body, or "" */
} good_cases[] = {
	{ "", ENGINES_LIST, NULL, "" },
	{ "list", ENGINES_LIST, NULL, "" },
	{ "--json", ENGINES_LIST, NULL, "" },
	{ "show qwen", ENGINES_SHOW, "qwen", "" },
	{ "delete a.b_c-9", ENGINES_DELETE, "a.b_c-9", "" },
	{ "logs x --tail all -f", ENGINES_LOGS, "x", "" },
	{ "--tail=0 logs x", ENGINES_LOGS, "x", "" },
	{ "launch q --engine vllm --model /m/q", ENGINES_LAUNCH, "q",
	    "{\"name\":\"q\",\"engine\":\"vllm\",\"model\":\"/m/q\"}" },
	{ "launch q --engine=vllm --model /m/q --gpus 0,1 --port 8001 "
	    "--image img:1 --arg --max-model-len --arg=4096 --env A=1 "
	    "--env B= --secret-env HF_TOKEN=hf.read --no-wait",
	    ENGINES_LAUNCH, "q",
	    "{\"name\":\"q\",\"engine\":\"vllm\",\"model\":\"/m/q\","
	    "\"gpus\":[0,1],\"port\":8001,\"image\":\"img:1\",\"args\":"
	    "[\"--max-model-len\",\"4096\"],\"env\":{\"A\":\"1\",\"B\":\"\"},"
	    "\"secret_env\":{\"HF_TOKEN\":\"hf.read\"}}" },
	{ "--model llama3:8b launch o --engine ollama --gpus none",
	    ENGINES_LAUNCH, "o", "{\"name\":\"o\",\"engine\":\"ollama\","
	    "\"model\":\"llama3:8b\",\"gpus\":\"none\"}" },
	{ "launch g --engine e --model m --gpus all", ENGINES_LAUNCH, "g",
	    "{\"name\":\"g\",\"engine\":\"e\",\"model\":\"m\",\"gpus\":"
	    "\"all\"}" },
};

/* test_good - good command lines and what they set */
START_TEST(test_good)
{
	const struct good_case	*c = &good_cases[_i];
	struct engines_args	 a;
	struct ctl		 ctl;
	char			 err[512], *got;
	cJSON			*body;
	int			 rc;

	rc = t_parse(c->line, &ctl, &a, err, sizeof(err));
	ck_assert_msg(rc == ENGINES_ARGS_GO, "'%s': got %d (%s)", c->line, rc,
	    err);
	ck_assert_int_eq(a.sub, c->sub);
	if (c->name == NULL)
		ck_assert_ptr_null(a.name);
	else
		ck_assert_str_eq(a.name, c->name);
	if (*c->want != '\0') {
		body = engines_args_body(&a);
		got = cJSON_PrintUnformatted(body);
		ck_assert_msg(strcmp(got, c->want) == 0,
		    "'%s': got %s, want %s", c->line, got, c->want);
		cJSON_free(got);
		cJSON_Delete(body);
	}
	engines_args_free(&a);
}
END_TEST

/* test_values - what the options set beyond the body */
START_TEST(test_values)
{
	struct engines_args	a;
	struct ctl		ctl;
	char			err[512];

	ck_assert_int_eq(t_parse("logs x --tail 5 --follow --json", &ctl, &a,
	    err, sizeof(err)), ENGINES_ARGS_GO);
	ck_assert_str_eq(a.tail, "5");
	ck_assert_int_eq(a.follow, 1);
	ck_assert_int_eq(ctl.json, 1);
	engines_args_free(&a);
	ck_assert_int_eq(t_parse("logs x", &ctl, &a, err, sizeof(err)),
	    ENGINES_ARGS_GO);
	ck_assert_ptr_null(a.tail);
	ck_assert_int_eq(a.follow, 0);
	engines_args_free(&a);

	/* --timeout: the wait, the stop, or the read timeout */
	ck_assert_int_eq(t_parse("launch q --engine e --model m", &ctl, &a,
	    err, sizeof(err)), ENGINES_ARGS_GO);
	ck_assert(a.wait == ENGINES_ARGS_WAIT && a.no_wait == 0);
	engines_args_free(&a);
	ck_assert_int_eq(t_parse("launch q --engine e --model m --timeout 60",
	    &ctl, &a, err, sizeof(err)), ENGINES_ARGS_GO);
	ck_assert(a.wait == 60 && ctl.timeout == CTL_DEFAULT_TIMEOUT);
	engines_args_free(&a);
	ck_assert_int_eq(t_parse("delete q", &ctl, &a, err, sizeof(err)),
	    ENGINES_ARGS_GO);
	ck_assert_int_eq(a.stop, -1);
	engines_args_free(&a);
	ck_assert_int_eq(t_parse("delete q --timeout 0", &ctl, &a, err,
	    sizeof(err)), ENGINES_ARGS_GO);
	ck_assert_int_eq(a.stop, 0);
	engines_args_free(&a);
	ck_assert_int_eq(t_parse("show q --timeout 2.5", &ctl, &a, err,
	    sizeof(err)), ENGINES_ARGS_GO);
	ck_assert(ctl.timeout == 2.5);
	engines_args_free(&a);
	ck_assert_int_eq(t_parse("show q --help", &ctl, &a, err, sizeof(err)),
	    ENGINES_ARGS_HELP);
	engines_args_free(&a);
}
END_TEST

static const struct bad_case {
	const char	*line;
	const char	*why;		/* a part of the usage line */
} bad_cases[] = {
	{ "nope", "unknown subcommand 'nope'" },
	{ "list x", "unexpected argument 'x'" },
	{ "show", "show: missing engine name" },
	{ "show a b", "unexpected argument 'b'" },
	{ "show .x", "'.x' is not an engine name" },
	{ "show -- -x", "'-x' is not an engine name" },
	{ "delete "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "is not an engine name" },
	{ "show a/b", "'a/b' is not an engine name" },
	{ "show x --bogus", "unknown option '--bogus'" },
	{ "launch q --model m", "--engine and --model are required" },
	{ "launch q --engine e", "--engine and --model are required" },
	{ "launch q --engine e --model m --port 0",
	    "--port: '0' is not a port" },
	{ "launch q --engine e --model m --port 65536", "--port: '65536'" },
	{ "launch q --engine e --model m --port 80x", "--port: '80x'" },
	{ "launch q --engine e --model m --gpus 0,,1", "--gpus: '0,,1'" },
	{ "launch q --engine e --model m --gpus 0,", "--gpus: '0,'" },
	{ "launch q --engine e --model m --gpus some", "--gpus: 'some'" },
	{ "launch q --engine e --model m --env A", "--env: 'A' is not VAR=" },
	{ "launch q --engine e --model m --env =1", "--env: '=1'" },
	{ "launch q --engine e --model m --env 1A=x", "--env: '1A=x'" },
	{ "launch q --engine e --model m --env A-B=x", "--env: 'A-B=x'" },
	{ "launch q --engine e --model m --env A=1 --env A=2",
	    "--env: A given twice" },
	{ "launch q --engine e --model m --secret-env HF=", "--secret-env: "
	    "'HF=' is not VAR=SECRET" },
	{ "launch q --engine e --model m --secret-env HF=a/b", "'HF=a/b'" },
	{ "launch q --engine e --model m --engine f", "--engine given twice" },
	{ "launch q --engine e --model m --timeout 0", "--timeout: '0'" },
	{ "launch q --engine e --model m --arg", "--arg needs a value" },
	{ "launch q --engine e --model m --image=", "--image: empty value" },
	{ "logs q --engine e", "--engine is not an option of logs" },
	{ "logs q --tail 10001", "--tail: '10001'" },
	{ "logs q --tail last", "--tail: 'last'" },
	{ "show q -f", "-f is not an option of show" },
	{ "delete q --no-wait", "--no-wait is not an option of delete" },
	{ "delete q --timeout 301", "--timeout: '301' is not a number of "
	    "seconds from 0 to 300" },
	{ "delete q --timeout 1.5", "--timeout: '1.5'" },
	{ "list --tail 5", "--tail is not an option of list" },
	{ "show q --token x", "--token is not accepted" },
};

/* test_bad - exit 2 and one usage line naming what is wrong and where */
START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct engines_args	 a;
	struct ctl		 ctl;
	char			 err[512];
	int			 rc;

	rc = t_parse(c->line, &ctl, &a, err, sizeof(err));
	ck_assert_msg(rc == CTL_EXIT_USAGE, "'%s': got %d", c->line, rc);
	ck_assert_msg(strstr(err, c->why) != NULL, "'%s': got '%s', want "
	    "...%s...", c->line, err, c->why);
	ck_assert_msg(strncmp(err, "corralctl: engines: ", 20) == 0 &&
	    strstr(err, "(see corralctl engines --help)\n") != NULL &&
	    strchr(err, '\n') == err + strlen(err) - 1, "'%s': not one usage "
	    "line: %s", c->line, err);
	engines_args_free(&a);
}
END_TEST

/* t_show - what fn writes for json, into a new string */
static char *
t_show(void (*fn)(FILE *, const cJSON *), const char *json)
{
	cJSON	*o = cJSON_Parse(json);
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	fn(fp, o);
	fclose(fp);
	cJSON_Delete(o);
	return (buf);
}

/* t_table - engines_view_table as a void function for t_show */
static void
t_table(FILE *fp, const cJSON *o)
{
	ck_assert_int_eq(engines_view_table(fp, o), 0);
}

#define T_QWEN	"{\"name\":\"qwen\",\"engine\":\"vllm\",\"image\":" \
	"\"vllm/vllm-openai:latest\",\"container_id\":" \
	"\"4f2a9c1b7d3e0123456789abcdef\",\"state\":\"ready\",\"endpoint\":" \
	"\"http://127.0.0.1:8000/v1\",\"port\":8000,\"gpus\":[0,1]," \
	"\"model\":\"/models/qwen\",\"args\":[\"--max-model-len\",\"4096\"]," \
	"\"created\":\"2025-11-25T15:00:00Z\",\"started\":" \
	"\"2025-11-25T15:00:05Z\",\"ready_at\":null,\"uptime_s\":192," \
	"\"progress\":null,\"last_error\":null,\"exit_code\":null," \
	"\"logs\":null,\"adopted\":false,\"secret_env\":{\"HF_TOKEN\":\"hf\"}}"

/* test_table - the engines table, nulls as "-" */
START_TEST(test_table)
{
	char	*out;

	out = t_show(t_table, "[" T_QWEN ",{\"name\":\"o\",\"engine\":"
	    "\"ollama\",\"state\":\"pulling\",\"port\":null,\"gpus\":\"all\","
	    "\"uptime_s\":null,\"image\":\"ollama/ollama\"},{}]");
	ck_assert_str_eq(out,
	    "NAME  ENGINE  STATE    PORT  GPUS  UPTIME  IMAGE\n"
	    "qwen  vllm    ready    8000  0,1   3m12s   "
	    "vllm/vllm-openai:latest\n"
	    "o     ollama  pulling  -     all   -       ollama/ollama\n"
	    "-     -       -        -     -     -       -\n");
	free(out);
	ck_assert_int_eq(engines_view_table(stdout, NULL), -1);
}
END_TEST

/* test_docker - a line only when Docker is unreachable */
START_TEST(test_docker)
{
	cJSON	*o;
	char	*s;

	o = cJSON_Parse("{\"endpoint\":\"unix:///var/run/docker.sock\","
	    "\"reachable\":false,\"reason\":\"connect: No such file\\u001b\"}");
	s = engines_view_docker(o);
	ck_assert_str_eq(s, "Docker is unreachable at "
	    "unix:///var/run/docker.sock: connect: No such file?");
	free(s);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"endpoint\":\"tcp://d:2375\",\"reachable\":false,"
	    "\"reason\":\"Docker at tcp://d:2375: refused\"}");
	s = engines_view_docker(o);
	ck_assert_str_eq(s, "Docker is unreachable: Docker at tcp://d:2375: "
	    "refused");
	free(s);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"reachable\":false}");
	s = engines_view_docker(o);
	ck_assert_str_eq(s, "Docker is unreachable");
	free(s);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"reachable\":true,\"reason\":null}");
	ck_assert_ptr_null(engines_view_docker(o));
	cJSON_Delete(o);
	ck_assert_ptr_null(engines_view_docker(NULL));
}
END_TEST

/* test_detail - key: value lines; a failed engine's error and logs */
START_TEST(test_detail)
{
	char	*out;

	out = t_show(engines_view_detail, T_QWEN);
	ck_assert_str_eq(out,
	    "name:           qwen\n"
	    "engine:         vllm\n"
	    "state:          ready\n"
	    "progress:       -\n"
	    "image:          vllm/vllm-openai:latest\n"
	    "model:          /models/qwen\n"
	    "endpoint:       http://127.0.0.1:8000/v1\n"
	    "port:           8000\n"
	    "gpus:           0,1\n"
	    "container id:   4f2a9c1b7d3e\n"
	    "created:        2025-11-25T15:00:00Z\n"
	    "started:        2025-11-25T15:00:05Z\n"
	    "ready at:       -\n"
	    "uptime:         3m12s\n"
	    "adopted:        no\n"
	    "args:           --max-model-len 4096\n"
	    "secret env:     HF_TOKEN=hf\n"
	    "exit code:      -\n"
	    "last error:     -\n");
	free(out);
	out = t_show(engines_view_detail, "{\"name\":\"bad\",\"state\":"
	    "\"failed\",\"exit_code\":1,\"last_error\":\"the container "
	    "exited with code 1\",\"logs\":[\"Traceback\",\"\\u001b[31m"
	    "ValueError\",7]}");
	ck_assert_ptr_nonnull(strstr(out, "exit code:      1\n"
	    "last error:     the container exited with code 1\n"
	    "logs:\n  Traceback\n  ?[31mValueError\n"));
	free(out);
	out = t_show(engines_view_failure, "{\"last_error\":\"x\"}");
	ck_assert_str_eq(out, "last error:     x\n");
	free(out);
}
END_TEST

static const struct step_case {
	const char	*json;
	const char	*want;
} step_cases[] = {
	{ "{\"state\":\"pulling\",\"progress\":\"pulling "
	    "vllm/vllm-openai:latest 41%\"}", "pulling vllm/vllm-openai:latest "
	    "41%" },
	{ "{\"state\":\"starting\",\"progress\":null}", "starting" },
	{ "{\"state\":\"loading\",\"progress\":\"probe /health: 503\"}",
	    "loading: probe /health: 503" },
	{ "{\"state\":\"loading\",\"progress\":\"loadingX\"}",
	    "loading: loadingX" },
	{ "{\"state\":\"ready\",\"endpoint\":\"http://127.0.0.1:8000/v1\","
	    "\"progress\":\"x\"}", "ready  http://127.0.0.1:8000/v1" },
	{ "{\"state\":\"failed\",\"progress\":\"\"}", "failed" },
	{ "{\"progress\":\"a\\u001bb\"}", "-: a?b" },
};

/* test_step - the lines of a launch in progress */
START_TEST(test_step)
{
	const struct step_case	*c = &step_cases[_i];
	cJSON			*o = cJSON_Parse(c->json);
	char			*s;

	ck_assert_ptr_nonnull(o);
	s = engines_view_step(o);
	ck_assert_msg(strcmp(s, c->want) == 0, "%s: got %s, want %s", c->json,
	    s, c->want);
	free(s);
	cJSON_Delete(o);
}
END_TEST

/* test_gpus - the GPU column */
START_TEST(test_gpus)
{
	static const struct {
		const char	*json, *want;
	} g[] = {
		{ "{\"gpus\":\"all\"}", "all" }, { "{\"gpus\":[]}", "-" },
		{ "{\"gpus\":[3]}", "3" },
		{ "{\"gpus\":[0,1,\"x\",2]}", "0,1,2" },
		{ "{}", "-" }, { "{\"gpus\":null}", "-" },
	};
	char	buf[ENGINES_VIEW_GPUS_LEN];
	cJSON	*o;
	size_t	i;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		o = cJSON_Parse(g[i].json);
		engines_view_gpus(o, buf, sizeof(buf));
		ck_assert_msg(strcmp(buf, g[i].want) == 0, "%s: got %s, want "
		    "%s", g[i].json, buf, g[i].want);
		cJSON_Delete(o);
	}
}
END_TEST

/* t_log - pieces through a log writer; what came out */
static char *
t_log(int clean, const char *const *pieces, size_t n)
{
	struct engines_view_log	 l;
	FILE			*fp;
	char			*buf = NULL;
	size_t			 len = 0, i;

	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	engines_view_log_init(&l, clean);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(engines_view_log_write(&l, fp, pieces[i],
		    strlen(pieces[i])), 0);
	fclose(fp);
	return (buf);
}

/* test_log - raw to a file; cleaned for a terminal, across pieces */
START_TEST(test_log)
{
	static const char *const p[] = {
		"ok\tline\n\x1b[31mred\r\n", "caf\xc3\xa9 \xc2", "\x9b" "2J ",
		"\xc2", "\xa9 \x7f end\n",
	};
	char	*out;

	out = t_log(0, p, 5);
	ck_assert_str_eq(out, "ok\tline\n\x1b[31mred\r\ncaf\xc3\xa9 \xc2\x9b"
	    "2J \xc2\xa9 \x7f end\n");
	free(out);
	out = t_log(1, p, 5);
	ck_assert_str_eq(out, "ok\tline\n?[31mred?\ncaf\xc3\xa9 ?2J "
	    "\xc2\xa9 ? end\n");
	free(out);
}
END_TEST

/* sink state for test_sink */
static char	t_sunk[256];
static int	t_pieces, t_fail;

/* t_sink - collect what the parser hands on */
static int
t_sink(void *arg, const char *buf, size_t len)
{
	(void)arg;
	if (t_fail)
		return (-1);
	t_pieces++;
	strncat(t_sunk, buf, len);
	return (0);
}

/* test_sink - a 2xx body goes to the sink as it comes, not kept */
START_TEST(test_sink)
{
	static const char	head[] = "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n";
	static const char	t_404[] = "HTTP/1.1 404 Not Found\r\n"
	    "Content-Length: 2\r\n\r\n{}";
	struct http_resp	*r;

	t_sunk[0] = '\0';
	t_pieces = t_fail = 0;
	r = http_resp_new(16);
	http_resp_set_sink(r, t_sink, NULL);
	ck_assert_int_eq(http_resp_feed(r, head, strlen(head)), HTTP_RESP_MORE);
	ck_assert_int_eq(http_resp_streaming(r), 1);
	ck_assert_int_eq(http_resp_feed(r, "6\r\nline 1", 9), HTTP_RESP_MORE);
	ck_assert_str_eq(t_sunk, "line 1");
	ck_assert_int_eq(http_resp_feed(r, "\r\n14\r\n0123456789", 16),
	    HTTP_RESP_MORE);
	ck_assert_str_eq(t_sunk, "line 10123456789");
	/* 20 bytes in one chunk, over maxbody: not kept, so no limit */
	ck_assert_int_eq(http_resp_feed(r, "abcdefghij\r\n0\r\n\r\n", 17),
	    HTTP_RESP_DONE);
	ck_assert_str_eq(t_sunk, "line 10123456789abcdefghij");
	ck_assert_int_eq(t_pieces, 3);
	ck_assert_uint_eq(r->bodylen, 0);
	ck_assert_int_eq(http_resp_streaming(r), 0);
	http_resp_free(r);

	/* an error answer is kept for its message */
	t_sunk[0] = '\0';
	r = http_resp_new(1024);
	http_resp_set_sink(r, t_sink, NULL);
	ck_assert_int_eq(http_resp_feed(r, t_404, strlen(t_404)),
	    HTTP_RESP_DONE);
	ck_assert_str_eq(r->body, "{}");
	ck_assert_str_eq(t_sunk, "");
	http_resp_free(r);

	/* a sink that fails stops the parse */
	t_fail = 1;
	r = http_resp_new(1024);
	http_resp_set_sink(r, t_sink, NULL);
	ck_assert_int_eq(http_resp_feed(r, "HTTP/1.1 200 OK\r\n\r\nabc", 22),
	    HTTP_RESP_ERROR);
	ck_assert_ptr_nonnull(strstr(http_resp_error(r), "writing the body"));
	http_resp_free(r);
}
END_TEST

/* ctl_engines_suite - the suite check_main runs */
Suite *
ctl_engines_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ctl_engines");
	tc = tcase_create("args");
	tcase_add_checked_fixture(tc, NULL, ctl_argv_free);
	tcase_add_loop_test(tc, test_good, 0, NELEM(good_cases));
	tcase_add_test(tc, test_values);
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("views");
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_docker);
	tcase_add_test(tc, test_detail);
	tcase_add_loop_test(tc, test_step, 0, NELEM(step_cases));
	tcase_add_test(tc, test_gpus);
	tcase_add_test(tc, test_log);
	suite_add_tcase(s, tc);
	tc = tcase_create("stream");
	tcase_add_test(tc, test_sink);
	suite_add_tcase(s, tc);
	return (s);
}
