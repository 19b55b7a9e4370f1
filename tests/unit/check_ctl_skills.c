/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl_skills - unit tests for corralctl skills, agents, runs, run
 * SYNOPSIS
 *	Suite	*ctl_skills_suite(void);
 * DESCRIPTION
 *	"args" drives runs_args_parse over command lines of runs and run,
 *	good ones (what they set: subcommand, id or skill, the options,
 *	the request body of run, --timeout as the run's or the read
 *	timeout) and bad ones (exit 2 and the exact usage line, captured
 *	from stderr), and runs_args_skills over those of skills and
 *	agents. "views" checks the skills, agents and runs tables, the
 *	counts line, a skill's and a run's details, the state line of a
 *	run and which states are terminal. Table-driven tests print "got
 *	X, want Y".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "../../ctl/ctl.h"
#include "../../ctl/runs_args.h"
#include "../../ctl/runs_view.h"
#include "../../ctl/skills_view.h"
#include "ctl_argv.h"

Suite	*ctl_skills_suite(void);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define T_ARGV_MAX	24
#define T_NOW		1795648241	/* 2026-11-25T23:10:41Z */
#define T_ID		"9f1c0d2e4b7a6c35"

static const struct ctl_cmd t_runs = {
	.name = "runs", .args = "", .summary = "", .help = "", .run = NULL,
};
static const struct ctl_cmd t_run = {
	.name = "run", .args = "", .summary = "", .help = "", .run = NULL,
};
static const struct ctl_cmd t_skills = {
	.name = "skills", .args = "", .summary = "", .help = "", .run = NULL,
};
static const struct ctl_cmd t_agents = {
	.name = "agents", .args = "", .summary = "", .help = "", .run = NULL,
};

/* t_parse - parse a line of runs (submit 0) or run (1); stderr in err */
static int
t_parse(const char *line, int submit, struct ctl *ctl, struct runs_args *a,
    const char **name, char *err, size_t errlen)
{
	struct ctl_argv_err	 e;
	char			*argv[T_ARGV_MAX];
	int			 argc, rc;

	argc = ctl_argv_split(line, "|", argv, T_ARGV_MAX);
	ctl_argv_start(ctl, &e);
	if (name != NULL)
		rc = runs_args_skills(ctl, submit ? &t_agents : &t_skills, argc,
		    argv, name);
	else
		rc = runs_args_parse(ctl, submit ? &t_run : &t_runs, argc,
		    argv, submit, a);
	ctl_argv_end(&e, err, errlen);
	return (rc);
}

static const struct good_case {
	const char	*line;		/* words split at '|' */
	int		 submit;	/* run, not runs */
	int		 sub;
	const char	*id;
	const char	*want;		/* "state skill limit tail" or the
					 * body of run */
	double		 rtimeout;	/* ctl.timeout */
	int		 json;		/* ctl.json */
	int		 wait;
} good_cases[] = {
	{ "", 0, RUNS_LIST, NULL, "- - 0 -", 10, 0, 0 },
	{ "list|--state|running|--limit=5", 0, RUNS_LIST, NULL,
	    "running - 5 -", 10, 0, 0 },
	{ "--skill|summarize|--json|--state=timed_out|--limit|1000", 0,
	    RUNS_LIST, NULL, "timed_out summarize 1000 -", 10, 1, 0 },
	{ "list|--timeout|2.5", 0, RUNS_LIST, NULL, "- - 0 -", 2.5, 0, 0 },
	{ "show|" T_ID, 0, RUNS_SHOW, T_ID, "- - 0 -", 10, 0, 0 },
	{ T_ID "|show", 0, -1, NULL, NULL, 0, 0, 0 },	/* not a sub */
	{ "logs|" T_ID "|--tail|all", 0, RUNS_LOGS, T_ID, "- - 0 all", 10, 0,
	    0 },
	{ "--tail=0|logs|" T_ID, 0, RUNS_LOGS, T_ID, "- - 0 0", 10, 0, 0 },
	{ "cancel|--|" T_ID, 0, RUNS_CANCEL, T_ID, "- - 0 -", 10, 0, 0 },
	{ "summarize", 1, RUNS_SUBMIT, NULL, "{\"skill\":\"summarize\"}", 10,
	    0, 0 },
	{ "summarize|--agent|codex|--route=gpt-4o|--input|{\"text\":\"hi\","
	    "\"n\":2}|--timeout|600|--wait", 1, RUNS_SUBMIT, NULL,
	    "{\"skill\":\"summarize\",\"agent\":\"codex\",\"route\":\"gpt-4o\","
	    "\"input\":{\"text\":\"hi\",\"n\":2},\"timeout_s\":600}", 10, 0, 1 },
	{ "--no-route|--json|a.b_c-9|--input={}", 1, RUNS_SUBMIT, NULL,
	    "{\"skill\":\"a.b_c-9\",\"route\":null,\"input\":{}}", 10, 1, 0 },
	{ "list|--timeout=86400", 1, RUNS_SUBMIT, NULL,
	    "{\"skill\":\"list\",\"timeout_s\":86400}", 10, 0, 0 },
};

/* t_got - what a runs line set, as "state skill limit tail" */
static void
t_got(const struct runs_args *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %ld %s", a->state != NULL ? a->state : "-",
	    a->skill != NULL ? a->skill : "-", a->limit, a->tail != NULL ?
	    a->tail : "-");
}

/* test_good - good command lines and what they set */
START_TEST(test_good)
{
	const struct good_case	*c = &good_cases[_i];
	struct runs_args	 a;
	struct ctl		 ctl;
	cJSON			*body;
	char			 err[512], got[256], *s;
	int			 rc;

	rc = t_parse(c->line, c->submit, &ctl, &a, NULL, err, sizeof(err));
	if (c->sub == -1) {
		ck_assert_int_eq(rc, CTL_EXIT_USAGE);
		runs_args_free(&a);
		return;
	}
	ck_assert_msg(rc == RUNS_ARGS_GO, "'%s': got %d (%s)", c->line, rc,
	    err);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(a.sub, c->sub);
	if (c->id == NULL)
		ck_assert_ptr_null(a.id);
	else
		ck_assert_str_eq(a.id, c->id);
	if (c->submit) {
		body = runs_args_body(&a);
		s = cJSON_PrintUnformatted(body);
		ck_assert_msg(strcmp(s, c->want) == 0, "'%s': got %s, want %s",
		    c->line, s, c->want);
		cJSON_free(s);
		cJSON_Delete(body);
	} else {
		t_got(&a, got, sizeof(got));
		ck_assert_msg(strcmp(got, c->want) == 0, "'%s': got '%s', want "
		    "'%s'", c->line, got, c->want);
	}
	ck_assert_msg(ctl.timeout == c->rtimeout, "'%s': got read timeout %g,"
	    " want %g", c->line, ctl.timeout, c->rtimeout);
	ck_assert_int_eq(ctl.json, c->json);
	ck_assert_int_eq(a.wait, c->wait);
	runs_args_free(&a);
	runs_args_free(&a);		/* twice is fine */
}
END_TEST

#define T_RUNS(m)	"corralctl: runs: " m " (see corralctl runs --help)\n"
#define T_RUN(m)	"corralctl: run: " m " (see corralctl run --help)\n"

static const struct bad_case {
	const char	*line;
	int		 submit;
	const char	*want;		/* the whole of stderr */
} bad_cases[] = {
	{ "nope", 0, T_RUNS("unknown subcommand 'nope' (list, show, logs or "
	    "cancel)") },
	{ "list|x", 0, T_RUNS("unexpected argument 'x'") },
	{ "show", 0, T_RUNS("show: missing run id") },
	{ "logs", 0, T_RUNS("logs: missing run id") },
	{ "cancel|" T_ID "|" T_ID, 0, T_RUNS("unexpected argument '" T_ID
	    "'") },
	{ "show|9F1C0D2E4B7A6C35", 0, T_RUNS("'9F1C0D2E4B7A6C35' is not a run "
	    "id (16 lowercase hex digits)") },
	{ "show|" T_ID "0", 0, T_RUNS("'" T_ID "0' is not a run id (16 "
	    "lowercase hex digits)") },
	{ "--state|done", 0, T_RUNS("--state: 'done' is not queued, running, "
	    "succeeded, failed, timed_out or canceled") },
	{ "--skill|Bad", 0, T_RUNS("--skill: 'Bad' is not a skill name") },
	{ "--limit|0", 0, T_RUNS("--limit: '0' is not a number of runs from "
	    "1 to 1000") },
	{ "--limit|1001", 0, T_RUNS("--limit: '1001' is not a number of runs "
	    "from 1 to 1000") },
	{ "--limit|5|--limit|6", 0, T_RUNS("--limit given twice") },
	{ "--limit", 0, T_RUNS("--limit needs a value") },
	{ "--state=", 0, T_RUNS("--state: empty value") },
	{ "logs|" T_ID "|--tail|-1", 0, T_RUNS("--tail: '-1' is not a number "
	    "of lines from 0 to 10000, or all") },
	{ "logs|" T_ID "|--tail|10001", 0, T_RUNS("--tail: '10001' is not a "
	    "number of lines from 0 to 10000, or all") },
	{ "logs|" T_ID "|--state|queued", 0, T_RUNS("--state is not an option "
	    "of logs") },
	{ "show|" T_ID "|--tail|5", 0, T_RUNS("--tail is not an option of "
	    "show") },
	{ "--wait", 0, T_RUNS("--wait is not an option of list") },
	{ "cancel|" T_ID "|--timeout|0", 0, T_RUNS("--timeout: '0' is not a "
	    "number of seconds (0 < SECS <= 86400)") },
	{ "--bogus", 0, T_RUNS("unknown option '--bogus'") },
	{ "", 1, T_RUN("missing skill name") },
	{ "a|b", 1, T_RUN("unexpected argument 'b'") },
	{ "Summarize", 1, T_RUN("'Summarize' is not a skill name (1 to 64 of "
	    "a-z 0-9 . _ -, starting with a letter or a digit)") },
	{ "--|-x", 1, T_RUN("'-x' is not a skill name (1 to 64 of a-z 0-9 . _ "
	    "-, starting with a letter or a digit)") },
	{ "s|--agent|gpt", 1, T_RUN("--agent: 'gpt' is not codex, gemini, "
	    "iflow or claude") },
	{ "s|--route|a/b", 1, T_RUN("--route: 'a/b' is not a route name (1 to "
	    "64 letters, digits, '.', '_', '-')") },
	{ "s|--route|r|--no-route", 1, T_RUN("--route and --no-route cannot "
	    "be used together") },
	{ "s|--input|[1]", 1, T_RUN("--input: not a JSON object") },
	{ "s|--input|{\"a\":", 1, T_RUN("--input: not a JSON object") },
	{ "s|--input|{} x", 1, T_RUN("--input: not a JSON object") },
	{ "s|--timeout|0", 1, T_RUN("--timeout: '0' is not a whole number of "
	    "seconds from 1 to 86400") },
	{ "s|--timeout|86401", 1, T_RUN("--timeout: '86401' is not a whole "
	    "number of seconds from 1 to 86400") },
	{ "s|--timeout|1.5", 1, T_RUN("--timeout: '1.5' is not a whole number "
	    "of seconds from 1 to 86400") },
	{ "s|--wait|--wait", 1, T_RUN("--wait given twice") },
	{ "s|--tail|5", 1, T_RUN("--tail is not an option of run") },
	{ "s|--token|x", 1, T_RUN("--token is not accepted: the token would "
	    "show in ps; use --token-file FILE or CORRAL_TOKEN") },
};

/* test_bad - exit 2 and the one usage line, exactly */
START_TEST(test_bad)
{
	const struct bad_case	*c = &bad_cases[_i];
	struct runs_args	 a;
	struct ctl		 ctl;
	char			 err[1024];
	int			 rc;

	rc = t_parse(c->line, c->submit, &ctl, &a, NULL, err, sizeof(err));
	ck_assert_msg(rc == CTL_EXIT_USAGE, "'%s': got %d", c->line, rc);
	ck_assert_msg(strcmp(err, c->want) == 0, "'%s': got '%s', want '%s'",
	    c->line, err, c->want);
	runs_args_free(&a);
}
END_TEST

/* test_skills_args - skills [NAME] and agents; help anywhere */
START_TEST(test_skills_args)
{
	struct runs_args	 a;
	struct ctl		 ctl;
	const char		*name;
	char			 err[512];

	ck_assert_int_eq(t_parse("", 0, &ctl, NULL, &name, err, sizeof(err)),
	    RUNS_ARGS_GO);
	ck_assert_ptr_null(name);
	ck_assert_int_eq(t_parse("--json|summarize", 0, &ctl, NULL, &name, err,
	    sizeof(err)), RUNS_ARGS_GO);
	ck_assert_str_eq(name, "summarize");
	ck_assert_int_eq(ctl.json, 1);
	ck_assert_int_eq(t_parse("a|b", 0, &ctl, NULL, &name, err,
	    sizeof(err)), CTL_EXIT_USAGE);
	ck_assert_str_eq(err, "corralctl: skills: unexpected argument 'b' "
	    "(see corralctl skills --help)\n");
	ck_assert_int_eq(t_parse("A", 0, &ctl, NULL, &name, err, sizeof(err)),
	    CTL_EXIT_USAGE);
	ck_assert_str_eq(err, "corralctl: skills: 'A' is not a skill name (1 "
	    "to 64 of a-z 0-9 . _ -, starting with a letter or a digit) (see "
	    "corralctl skills --help)\n");
	ck_assert_int_eq(t_parse("claude", 1, &ctl, NULL, &name, err,
	    sizeof(err)), CTL_EXIT_USAGE);
	ck_assert_str_eq(err, "corralctl: agents: unexpected argument 'claude' "
	    "(see corralctl agents --help)\n");
	ck_assert_int_eq(t_parse("--timeout|3", 1, &ctl, NULL, &name, err,
	    sizeof(err)), RUNS_ARGS_GO);
	ck_assert(ctl.timeout == 3);
	ck_assert_int_eq(t_parse("x|--help", 0, &ctl, NULL, &name, err,
	    sizeof(err)), RUNS_ARGS_HELP);
	ck_assert_int_eq(t_parse("s|-h", 1, &ctl, &a, NULL, err, sizeof(err)),
	    RUNS_ARGS_HELP);
	runs_args_free(&a);
	ck_assert_int_eq(t_parse("logs|--help", 0, &ctl, &a, NULL, err,
	    sizeof(err)), RUNS_ARGS_HELP);
	runs_args_free(&a);
}
END_TEST

/* t_out - an open_memstream pair */
struct t_out {
	FILE	*fp;
	char	*buf;
	size_t	 len;
};

/* t_open - start capturing; t_close returns the text (caller frees) */
static FILE *
t_open(struct t_out *o)
{
	o->buf = NULL;
	o->len = 0;
	ck_assert_ptr_nonnull(o->fp = open_memstream(&o->buf, &o->len));
	return (o->fp);
}

/* t_close - the text written since t_open */
static char *
t_close(struct t_out *o)
{
	fclose(o->fp);
	return (o->buf);
}

/* t_json - parse test JSON */
static cJSON *
t_json(const char *s)
{
	cJSON	*j = cJSON_Parse(s);

	ck_assert_msg(j != NULL, "bad test JSON: %s", s);
	return (j);
}

#define T_SKILL	"{\"name\":\"summarize\",\"description\":\"Summarize a " \
	"text\\nin five lines\",\"agents\":[\"claude\",\"codex\"],\"route\":" \
	"\"gpt-4o\",\"timeout_s\":600,\"max_running\":2,\"inputs\":[{\"name\":" \
	"\"text\",\"type\":\"string\",\"required\":true,\"max_length\":20000," \
	"\"description\":\"the text\"},{\"name\":\"lines\",\"type\":\"number\"," \
	"\"required\":false}]}"

/* test_skills_view - the skills table, a skill's details, the agents */
START_TEST(test_skills_view)
{
	struct t_out	 o;
	cJSON		*j, *sk;
	char		*out;

	j = t_json("[" T_SKILL ",{\"name\":\"x\",\"agents\":[\"iflow\"],"
	    "\"route\":null,\"timeout_s\":null,\"max_running\":null,"
	    "\"inputs\":[]},{}]");
	ck_assert_int_eq(skills_view_table(t_open(&o), j), 0);
	out = t_close(&o);
	ck_assert_str_eq(out,
	    "NAME       AGENTS        ROUTE   TIMEOUT  MAX  INPUTS        "
	    "DESCRIPTION\n"
	    "summarize  claude,codex  gpt-4o  10m00s   2    text*, lines  "
	    "Summarize a text\n"
	    "x          iflow         -       -        -    -             -\n"
	    "-          -             -       -        -    -             -\n");
	free(out);
	cJSON_Delete(j);
	j = t_json("{}");
	ck_assert_int_eq(skills_view_table(t_open(&o), j), -1);
	out = t_close(&o);
	ck_assert_str_eq(out, "");
	free(out);
	cJSON_Delete(j);

	sk = t_json(T_SKILL);
	cJSON_AddStringToObject(sk, "prompt", "Summarize.\n\x1b[2J\tKeep it "
	    "short.");
	skills_view_detail(t_open(&o), sk, 1);
	out = t_close(&o);
	ck_assert_str_eq(out,
	    "name:           summarize\n"
	    "description:    Summarize a text?in five lines\n"
	    "agents:         claude, codex\n"
	    "route:          gpt-4o\n"
	    "timeout:        10m00s\n"
	    "max running:    2\n"
	    "input:          text string, required, max 20000 characters: "
	    "the text\n"
	    "input:          lines number\n"
	    "\n"
	    "Summarize.\n?[2J\tKeep it short.\n");
	free(out);
	skills_view_detail(t_open(&o), sk, 0);
	out = t_close(&o);
	ck_assert_ptr_nonnull(strstr(out, "\n\nSummarize.\n\x1b[2J\tKeep"));
	free(out);
	cJSON_Delete(sk);

	j = t_json("[{\"name\":\"claude\",\"command\":\"claude\",\"path\":"
	    "\"/usr/local/bin/claude\",\"installed\":true,\"running\":1},"
	    "{\"name\":\"iflow\",\"command\":\"iflow\",\"path\":null,"
	    "\"installed\":false,\"running\":0},{}]");
	ck_assert_int_eq(skills_view_agents(t_open(&o), j), 0);
	out = t_close(&o);
	ck_assert_str_eq(out,
	    "NAME    COMMAND  INSTALLED  RUNNING  PATH\n"
	    "claude  claude   yes        1        /usr/local/bin/claude\n"
	    "iflow   iflow    no         0        -\n"
	    "-       -        -          -        -\n");
	free(out);
	cJSON_Delete(j);
	j = t_json("null");
	ck_assert_int_eq(skills_view_agents(t_open(&o), j), -1);
	free(t_close(&o));
	cJSON_Delete(j);
}
END_TEST

#define T_DONE	"{\"id\":\"" T_ID "\",\"skill\":\"summarize\",\"agent\":" \
	"\"claude\",\"route\":\"gpt-4o\",\"model\":\"gpt-4o\",\"state\":" \
	"\"succeeded\",\"created_at\":\"2026-11-25T23:10:00.123Z\"," \
	"\"started_at\":\"2026-11-25T23:10:00.130Z\",\"ended_at\":" \
	"\"2026-11-25T23:10:41.502Z\",\"timeout_s\":600,\"exit_code\":0," \
	"\"signal\":null,\"error\":null,\"pid\":null,\"sandbox\":\"landlock\"," \
	"\"log_bytes\":5120}"
#define T_KILLED "{\"id\":\"0123456789abcdef\",\"skill\":\"s\",\"agent\":" \
	"\"codex\",\"state\":\"timed_out\",\"created_at\":\"2026-11-25T22:00:00Z\"," \
	"\"started_at\":\"2026-11-25T22:00:01Z\",\"ended_at\":" \
	"\"2026-11-25T22:10:01Z\",\"exit_code\":null,\"signal\":\"SIGKILL\"," \
	"\"error\":\"ran past its timeout\\u001b]0;x\"}"
#define T_RUNNING "{\"id\":\"aaaaaaaaaaaaaaaa\",\"skill\":\"s\",\"agent\":" \
	"\"gemini\",\"state\":\"running\",\"created_at\":\"yesterday\"," \
	"\"started_at\":\"2026-11-25T23:09:41Z\",\"pid\":4242}"

/* test_runs_view - the runs table and the counts line */
START_TEST(test_runs_view)
{
	struct t_out	 o;
	cJSON		*j;
	char		*out;

	j = t_json("[" T_DONE "," T_KILLED "," T_RUNNING ",{\"state\":"
	    "\"queued\"}]");
	ck_assert_int_eq(runs_view_table(t_open(&o), j, T_NOW), 0);
	out = t_close(&o);
	ck_assert_str_eq(out,
	    "ID                STATE      SKILL      AGENT   CREATED          "
	    "    DURATION  EXIT\n"
	    T_ID "  succeeded  summarize  claude  2026-11-25 23:10:00  41s    "
	    "   0\n"
	    "0123456789abcdef  timed_out  s          codex   2026-11-25 22:00:00"
	    "  10m00s    SIGKILL\n"
	    "aaaaaaaaaaaaaaaa  running    s          gemini  yesterday        "
	    "    1m00s     -\n"
	    "-                 queued     -          -       -                "
	    "    -         -\n");
	free(out);
	cJSON_Delete(j);
	j = t_json("{\"runs\":[]}");
	ck_assert_int_eq(runs_view_table(t_open(&o), j, T_NOW), -1);
	free(t_close(&o));
	cJSON_Delete(j);

	j = t_json("{\"queued\":3,\"running\":1,\"succeeded\":40,\"failed\":"
	    "\"x\",\"canceled\":1,\"paused\":2}");
	runs_view_counts(t_open(&o), j);
	out = t_close(&o);
	ck_assert_str_eq(out, "3 queued, 1 running, 40 succeeded, 0 failed, "
	    "0 timed_out, 1 canceled\n");
	free(out);
	cJSON_Delete(j);
	j = t_json("[]");
	runs_view_counts(t_open(&o), j);
	out = t_close(&o);
	ck_assert_str_eq(out, "");
	free(out);
	cJSON_Delete(j);
}
END_TEST

/* test_run_detail - one run as key: value lines, its input too */
START_TEST(test_run_detail)
{
	struct t_out	 o;
	cJSON		*j;
	char		*out;

	j = t_json(T_DONE);
	cJSON_AddItemToObject(j, "input", t_json("{\"text\":\"hi\"}"));
	runs_view_detail(t_open(&o), j, T_NOW);
	out = t_close(&o);
	ck_assert_str_eq(out,
	    "id:             " T_ID "\n"
	    "skill:          summarize\n"
	    "agent:          claude\n"
	    "route:          gpt-4o\n"
	    "model:          gpt-4o\n"
	    "state:          succeeded\n"
	    "created:        2026-11-25 23:10:00\n"
	    "started:        2026-11-25 23:10:00\n"
	    "ended:          2026-11-25 23:10:41\n"
	    "duration:       41s\n"
	    "timeout:        10m00s\n"
	    "exit code:      0\n"
	    "signal:         -\n"
	    "error:          -\n"
	    "pid:            -\n"
	    "sandbox:        landlock\n"
	    "log bytes:      5120\n"
	    "input:          {\"text\":\"hi\"}\n");
	free(out);
	cJSON_Delete(j);
	j = t_json("{\"id\":\"x\"}");
	runs_view_detail(t_open(&o), j, T_NOW);
	out = t_close(&o);
	ck_assert_ptr_nonnull(strstr(out, "\ntimeout:        -\n"));
	ck_assert_ptr_null(strstr(out, "input:"));
	free(out);
	cJSON_Delete(j);
}
END_TEST

static const struct line_case {
	const char	*json;
	const char	*want;
} line_cases[] = {
	{ T_DONE, "run " T_ID " succeeded (summarize with claude, exit 0, "
	    "41s)" },
	{ T_KILLED, "run 0123456789abcdef timed_out (s with codex, SIGKILL, "
	    "10m00s): ran past its timeout?]0;x" },
	{ T_RUNNING, "run aaaaaaaaaaaaaaaa running (s with gemini, 1m00s)" },
	{ "{\"id\":\"" T_ID "\",\"skill\":\"s\",\"agent\":\"claude\","
	    "\"state\":\"queued\",\"started_at\":null}",
	    "run " T_ID " queued (s with claude)" },
	{ "{\"id\":\"" T_ID "\",\"skill\":\"s\",\"agent\":\"claude\","
	    "\"state\":\"failed\",\"exit_code\":2,\"error\":\"\"}",
	    "run " T_ID " failed (s with claude, exit 2)" },
	{ "{}", "run - - (- with -)" },
};

/* test_line - the one-line state of a run */
START_TEST(test_line)
{
	const struct line_case	*c = &line_cases[_i];
	cJSON			*j;
	char			*got;

	j = t_json(c->json);
	got = runs_view_line(j, T_NOW);
	ck_assert_msg(strcmp(got, c->want) == 0, "case %d: got '%s', want "
	    "'%s'", _i, got, c->want);
	free(got);
	cJSON_Delete(j);
}
END_TEST

/* test_terminal - the four states a run ends in */
START_TEST(test_terminal)
{
	ck_assert(runs_view_terminal("succeeded"));
	ck_assert(runs_view_terminal("failed"));
	ck_assert(runs_view_terminal("timed_out"));
	ck_assert(runs_view_terminal("canceled"));
	ck_assert(!runs_view_terminal("queued"));
	ck_assert(!runs_view_terminal("running"));
	ck_assert(!runs_view_terminal("cancelled"));
	ck_assert(!runs_view_terminal(NULL));
}
END_TEST

/* ctl_skills_suite - the suite check_main runs */
Suite *
ctl_skills_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ctl_skills");
	tc = tcase_create("args");
	tcase_add_checked_fixture(tc, NULL, ctl_argv_free);
	tcase_add_loop_test(tc, test_good, 0, NELEM(good_cases));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad_cases));
	tcase_add_test(tc, test_skills_args);
	suite_add_tcase(s, tc);
	tc = tcase_create("views");
	tcase_add_test(tc, test_skills_view);
	tcase_add_test(tc, test_runs_view);
	tcase_add_test(tc, test_run_detail);
	tcase_add_loop_test(tc, test_line, 0, NELEM(line_cases));
	tcase_add_test(tc, test_terminal);
	suite_add_tcase(s, tc);
	return (s);
}
