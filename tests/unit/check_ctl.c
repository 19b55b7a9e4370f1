/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl - unit tests for corralctl's pure parts
 * SYNOPSIS
 *	Suite	*ctl_suite(void);
 * DESCRIPTION
 *	Table rendering, durations, cleaning of server text, the workers
 *	views, error messages and the token-source precedence; the URL,
 *	response-parser and client cases come from check_ctl_http.c, the
 *	secrets and routes cases from check_ctl_secrets.c.
 *	Table-driven tests print "got X, want Y".
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../ctl/ctl_api.h"
#include "../../ctl/ctl_fmt.h"
#include "../../ctl/ctl_json.h"
#include "../../ctl/ctl_token.h"
#include "../../ctl/table.h"
#include "../../ctl/workers_view.h"

Suite	*ctl_suite(void);
void	 ctl_http_tcases(Suite *);	/* check_ctl_http.c */
void	 ctl_secrets_tcases(Suite *);	/* check_ctl_secrets.c */

/* check_ctl_capture - run fn(fp, arg) into a string; caller frees */
static char *
check_ctl_capture(void (*fn)(FILE *, const void *), const void *arg)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	fn(fp, arg);
	fclose(fp);
	return (buf);
}

/* --- tables, durations, cleaning, JSON text --------------------------- */

/* check_ctl_table_basic - print a fixed table */
static void
check_ctl_table_basic(FILE *fp, const void *arg)
{
	static const char *const hdr[] = { "NAME", "STATE", "PID" };
	struct table	*t;

	(void)arg;
	t = table_new(hdr, 3);
	table_row(t);
	table_cell(t, "%s", "http");
	table_cell(t, "%s", "ready");
	table_cell(t, "%d", 12);
	table_cell(t, "%s", "dropped");
	table_row(t);
	table_cell(t, "secrets");
	table_cell(t, "starting");
	table_cell(t, "-");
	table_row(t);
	table_cell(t, "caf\xc3\xa9");		/* 4 characters, 5 bytes */
	table_cell(t, "%s", "");
	table_row(t);
	table_cell(t, "a\x1b[31mb");
	table_print(t, fp);
	table_free(t);
}

START_TEST(test_table)
{
	char	*got;

	got = check_ctl_capture(check_ctl_table_basic, NULL);
	ck_assert_str_eq(got,
	    "NAME     STATE     PID\n"
	    "http     ready     12\n"
	    "secrets  starting  -\n"
	    "caf\xc3\xa9\n"
	    "a?[31mb\n");
	free(got);
	table_free(NULL);
}
END_TEST

static const struct {
	double		 secs;
	const char	*want;
} dur[] = {
	{ 0, "0s" }, { 0.9, "0s" }, { 3, "3s" }, { 59.99, "59s" },
	{ 60, "1m00s" }, { 252, "4m12s" }, { 3599, "59m59s" },
	{ 3600, "1h00m" }, { 7380, "2h03m" }, { 86399, "23h59m" },
	{ 86400, "1d00h" }, { 439200, "5d02h" }, { 8640000, "100d00h" },
	{ -1, "-" }, { NAN, "-" }, { INFINITY, "-" }, { 1e300, "-" },
};

START_TEST(test_duration)
{
	char	buf[CTL_FMT_DURATION_LEN];

	ctl_fmt_duration(dur[_i].secs, buf, sizeof(buf));
	ck_assert_msg(strcmp(buf, dur[_i].want) == 0,
	    "%g s: got %s, want %s", dur[_i].secs, buf, dur[_i].want);
}
END_TEST

START_TEST(test_clean_text)
{
	static const char *const in[] = {
		"[1,2]", "[\"gpu\",\"mcp\"]", "[]", "null", "true", "false",
		"12", "12.5", "-3", "\"s\"", "{\"a\":[1,{}]}", "[1,[2]]",
	};
	static const char *const want[] = {
		"1, 2", "gpu, mcp", "-", "-", "yes", "no",
		"12", "12.5", "-3", "s", "{\"a\":[1,{}]}", "[1,[2]]",
	};
	cJSON	*j;
	char	*s;
	size_t	 i;

	s = ctl_fmt_clean("ok\tbad\x7f\xc2\x9b" "31m caf\xc3\xa9");
	ck_assert_str_eq(s, "ok?bad??31m caf\xc3\xa9");
	free(s);
	s = ctl_fmt_clean(NULL);
	ck_assert_str_eq(s, "");
	free(s);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		j = cJSON_Parse(in[i]);
		ck_assert_ptr_nonnull(j);
		s = ctl_json_text(j);
		ck_assert_msg(strcmp(s, want[i]) == 0, "%s: got %s, want %s",
		    in[i], s, want[i]);
		free(s);
		cJSON_Delete(j);
	}
}
END_TEST

/* --- workers views and error messages --------------------------------- */

static const char workers_json[] =
    "{\"workers\":["
    "{\"name\":\"http\",\"id\":1,\"enabled\":true,\"state\":\"ready\","
    "\"pid\":4243,\"restarts\":0,\"uptime_s\":252.7,\"throttled\":false,"
    "\"next_start_in_s\":0.0,\"last_exit\":null,\"restart_policy\":\"always\"},"
    "{\"name\":\"gpu\",\"id\":5,\"enabled\":true,\"state\":\"throttled\","
    "\"pid\":0,\"restarts\":7,\"uptime_s\":0,\"throttled\":true,"
    "\"next_start_in_s\":12.0,\"last_exit\":\"killed by signal 9\","
    "\"restart_policy\":\"always\",\"extra\":[\"x\",\"y\"]},"
    "{\"name\":\"secrets\",\"state\":\"ready\",\"pid\":4244,\"restarts\":2,"
    "\"uptime_s\":7500}]}";

/* check_ctl_view_table - the table of a JSON document given as arg */
static void
check_ctl_view_table(FILE *fp, const void *arg)
{
	cJSON	*j;

	j = cJSON_Parse(arg);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(workers_view_table(fp,
	    cJSON_GetObjectItemCaseSensitive(j, "workers")), 0);
	cJSON_Delete(j);
}

/* check_ctl_view_detail - the detail of the second worker */
static void
check_ctl_view_detail(FILE *fp, const void *arg)
{
	cJSON	*j;

	j = cJSON_Parse(arg);
	ck_assert_ptr_nonnull(j);
	workers_view_detail(fp, cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(j, "workers"), 1));
	cJSON_Delete(j);
}

START_TEST(test_workers_view)
{
	char	*got;
	cJSON	*j;

	got = check_ctl_capture(check_ctl_view_table, workers_json);
	ck_assert_str_eq(got,
	    "NAME     STATE      PID   RESTARTS  UPTIME  LAST EXIT\n"
	    "http     ready      4243  0         4m12s   -\n"
	    "gpu      throttled  -     7         -       killed by signal 9\n"
	    "secrets  ready      4244  2         2h05m   -\n");
	free(got);

	/* No worker has exited: no LAST EXIT column. */
	got = check_ctl_capture(check_ctl_view_table, "{\"workers\":[{\"name\""
	    ":\"http\",\"state\":\"starting\",\"pid\":9,\"restarts\":0,"
	    "\"uptime_s\":0,\"last_exit\":null}]}");
	ck_assert_str_eq(got,
	    "NAME  STATE     PID  RESTARTS  UPTIME\n"
	    "http  starting  9    0         -\n");
	free(got);

	got = check_ctl_capture(check_ctl_view_detail, workers_json);
	ck_assert_str_eq(got,
	    "name:           gpu\n"
	    "id:             5\n"
	    "enabled:        yes\n"
	    "state:          throttled\n"
	    "pid:            -\n"
	    "restarts:       7\n"
	    "uptime:         -\n"
	    "throttled:      yes\n"
	    "next start in:  12s\n"
	    "last exit:      killed by signal 9\n"
	    "restart policy: always\n"
	    "extra:          x, y\n");
	free(got);

	j = cJSON_Parse("{\"workers\":3}");
	ck_assert_int_eq(workers_view_table(stdout,
	    cJSON_GetObjectItemCaseSensitive(j, "workers")), -1);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_errmsg)
{
	static const struct {
		int		 status;
		const char	*reason, *body, *want;
	} t[] = {
		{ 404, "Not Found", "{\"error\":{\"code\":\"not_found\","
		    "\"message\":\"unknown worker 'x'\"}}",
		    "404: unknown worker 'x'" },
		{ 409, "Conflict", "{\"error\":{\"code\":\"conflict\"}}",
		    "409: conflict" },
		{ 409, "Conflict",
		    "{\"error\":{\"code\":\"c\",\"message\":\"\"}}",
		    "409: c" },
		{ 502, "Bad Gateway", NULL, "502: Bad Gateway" },
		{ 500, "", "[1]", "500: error" },
		{ 503, "Service Unavailable", "{\"error\":\"draining\"}",
		    "503: Service Unavailable" },
	};
	cJSON	*j;
	char	*s;
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		j = t[i].body != NULL ? cJSON_Parse(t[i].body) : NULL;
		s = ctl_api_errmsg(t[i].status, t[i].reason, j);
		ck_assert_msg(strcmp(s, t[i].want) == 0, "case %zu: got %s, "
		    "want %s", i, s, t[i].want);
		free(s);
		cJSON_Delete(j);
	}
}
END_TEST

/* --- token sources ---------------------------------------------------- */

static char	 tok_dir[64];
static char	 tok_cwd[4096];
static const char *const tok_vars[] = {
	"CORRAL_TOKEN", "CORRAL_TOKEN_FILE", "CORRAL_STATE_ROOT"
};
static char	*tok_saved[3];

/* check_ctl_write - write a file under tok_dir; returns its path */
static char *
check_ctl_write(const char *rel, const char *content)
{
	static char	path[3][256];
	static int	next;
	char		*p;
	int		 fd;

	p = path[next++ % 3];
	snprintf(p, sizeof(path[0]), "%s/%s", tok_dir, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, content, strlen(content)),
	    (ssize_t)strlen(content));
	close(fd);
	return (p);
}

/* check_ctl_tok_setup - a private directory, a clean environment */
static void
check_ctl_tok_setup(void)
{
	const char	*v;
	char		 p[128];
	size_t		 i;

	ck_assert_ptr_nonnull(getcwd(tok_cwd, sizeof(tok_cwd)));
	snprintf(tok_dir, sizeof(tok_dir), "/tmp/check_ctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tok_dir));
	snprintf(p, sizeof(p), "%s/var", tok_dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/var/state", tok_dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/root", tok_dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	for (i = 0; i < 3; i++) {
		v = getenv(tok_vars[i]);
		tok_saved[i] = v != NULL ? strdup(v) : NULL;
		unsetenv(tok_vars[i]);
	}
	ck_assert_int_eq(chdir(tok_dir), 0);
}

/* check_ctl_tok_teardown - back to where we were */
static void
check_ctl_tok_teardown(void)
{
	static const char *const files[] = {
		"var/state/admin.token", "root/admin.token", "flag", "envfile",
		"empty", "bad", "var/state", "var", "root",
	};
	char	p[128];
	size_t	i;

	if (chdir(tok_cwd) == -1)
		perror("chdir");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", tok_dir, files[i]);
		(void)remove(p);
	}
	(void)rmdir(tok_dir);
	for (i = 0; i < 3; i++) {
		if (tok_saved[i] != NULL)
			setenv(tok_vars[i], tok_saved[i], 1);
		else
			unsetenv(tok_vars[i]);
		free(tok_saved[i]);
		tok_saved[i] = NULL;
	}
}

/* check_ctl_tok_expect - load and compare value and source */
static void
check_ctl_tok_expect(const char *flag, const char *value, const char *source)
{
	struct ctl_token	*tok;
	char			 err[256] = "", *note;

	ck_assert_msg(ctl_token_load(flag, &tok, &note, err, sizeof(err)) == 0,
	    "got error %s, want a token", err);
	if (value == NULL) {
		ck_assert_ptr_null(tok);
		ck_assert_ptr_nonnull(note);
		ck_assert_msg(strstr(note, source) != NULL,
		    "note: got %s, want it to mention %s", note, source);
		free(note);
		return;
	}
	ck_assert_ptr_nonnull(tok);
	ck_assert_ptr_null(note);
	ck_assert_msg(strcmp(tok->value, value) == 0, "value: got %s, want %s",
	    tok->value, value);
	ck_assert_msg(strcmp(tok->source, source) == 0,
	    "source: got %s, want %s", tok->source, source);
	ctl_token_free(tok);
}

START_TEST(test_token_precedence)
{
	char	*flag, *envfile, *root, want[256];

	/* Nothing anywhere: no token, and a note naming the default file. */
	check_ctl_tok_expect(NULL, NULL, "./var/state/admin.token");

	/* ./var/state/admin.token, relative to the working directory. */
	check_ctl_write("var/state/admin.token", "default-tok\n");
	check_ctl_tok_expect(NULL, "default-tok",
	    "token file ./var/state/admin.token");

	/* CORRAL_STATE_ROOT replaces ./var/state, with no fallback. */
	snprintf(want, sizeof(want), "%s/root", tok_dir);
	setenv("CORRAL_STATE_ROOT", want, 1);
	check_ctl_tok_expect(NULL, NULL, "root/admin.token");
	root = check_ctl_write("root/admin.token", "  root-tok \r\n");
	snprintf(want, sizeof(want), "token file %s", root);
	check_ctl_tok_expect(NULL, "root-tok", want);

	/* CORRAL_TOKEN_FILE beats the state root. */
	envfile = check_ctl_write("envfile", "envfile-tok");
	setenv("CORRAL_TOKEN_FILE", envfile, 1);
	snprintf(want, sizeof(want), "CORRAL_TOKEN_FILE %s", envfile);
	check_ctl_tok_expect(NULL, "envfile-tok", want);

	/* An empty CORRAL_TOKEN counts as unset; a set one wins. */
	setenv("CORRAL_TOKEN", "", 1);
	check_ctl_tok_expect(NULL, "envfile-tok", want);
	setenv("CORRAL_TOKEN", "env-tok", 1);
	check_ctl_tok_expect(NULL, "env-tok", "CORRAL_TOKEN");

	/* --token-file beats everything. */
	flag = check_ctl_write("flag", "flag-tok\n");
	snprintf(want, sizeof(want), "--token-file %s", flag);
	check_ctl_tok_expect(flag, "flag-tok", want);
}
END_TEST

START_TEST(test_token_errors)
{
	struct ctl_token	*tok;
	char			 err[256], *note, *p;

	/* A named source that cannot be used is an error... */
	ck_assert_int_eq(ctl_token_load("/nonexistent/tok", &tok, &note, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "--token-file /nonexistent/tok"));
	p = check_ctl_write("empty", " \n");
	ck_assert_int_eq(ctl_token_load(p, &tok, &note, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	p = check_ctl_write("bad", "sec ret");
	ck_assert_int_eq(ctl_token_load(p, &tok, &note, err, sizeof(err)), -1);
	ck_assert_ptr_null(strstr(err, "sec ret"));	/* never echoed */

	setenv("CORRAL_TOKEN_FILE", "/nonexistent/tok", 1);
	ck_assert_int_eq(ctl_token_load(NULL, &tok, &note, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "CORRAL_TOKEN_FILE"));
	setenv("CORRAL_TOKEN", "sec\nret", 1);
	ck_assert_int_eq(ctl_token_load(NULL, &tok, &note, err, sizeof(err)),
	    -1);
	ck_assert_ptr_null(strstr(err, "sec"));
	unsetenv("CORRAL_TOKEN");
	unsetenv("CORRAL_TOKEN_FILE");

	/* ...but the default file only yields a note. */
	check_ctl_write("var/state/admin.token", "\n");
	ck_assert_int_eq(ctl_token_load(NULL, &tok, &note, err, sizeof(err)),
	    0);
	ck_assert_ptr_null(tok);
	ck_assert_ptr_nonnull(strstr(note, "cannot use"));
	free(note);

	ck_assert_int_eq(ctl_token_valid("abc-DEF_0.9~+/="), 1);
	ck_assert_int_eq(ctl_token_valid(""), 0);
	ck_assert_int_eq(ctl_token_valid("a b"), 0);
	ck_assert_int_eq(ctl_token_valid("a\r\nX-Evil: 1"), 0);
	ck_assert_int_eq(ctl_token_valid("caf\xc3\xa9"), 0);
	ctl_token_free(NULL);
}
END_TEST

/* ctl_suite - every corralctl test *//* ctl_suite - every corralctl test */
Suite *
ctl_suite(void)
{
	Suite	*s;
	TCase	*tc;

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
	s = suite_create("ctl");
	ctl_http_tcases(s);
	ctl_secrets_tcases(s);

	tc = tcase_create("fmt");
	tcase_add_test(tc, test_table);
	tcase_add_loop_test(tc, test_duration, 0, NELEM(dur));
	tcase_add_test(tc, test_clean_text);
	tcase_add_test(tc, test_workers_view);
	tcase_add_test(tc, test_errmsg);
	suite_add_tcase(s, tc);

	tc = tcase_create("token");
	tcase_add_checked_fixture(tc, check_ctl_tok_setup,
	    check_ctl_tok_teardown);
	tcase_add_test(tc, test_token_precedence);
	tcase_add_test(tc, test_token_errors);
	suite_add_tcase(s, tc);
#undef NELEM
	return (s);
}
