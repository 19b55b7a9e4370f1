/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_ctl_secrets - unit tests for corralctl's secrets and routes
 * SYNOPSIS
 *	void	ctl_secrets_tcases(Suite *s);
 * DESCRIPTION
 *	Secret names, reading a value from a variable, a file or a
 *	descriptor (newline, size and NUL rules; messages never quote the
 *	value), the request body, and the secrets and routes tables.
 *	ctl_suite() in check_ctl.c adds these cases.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../ctl/ctl_secret.h"
#include "../../ctl/secrets_view.h"

void	 ctl_secrets_tcases(Suite *);

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const struct name_case {
	const char	*name;
	int		 want;
} name_cases[] = {
	{ "openai.prod", 1 },
	{ "A", 1 },
	{ "9-x_y.z", 1 },
	{ "", 0 },
	{ ".hidden", 0 },
	{ "-x", 0 },
	{ "_x", 0 },
	{ "a/b", 0 },
	{ "a b", 0 },
	{ "a%2F", 0 },
	{ "caf\xc3\xa9", 0 },
};

/* test_name - ctl_secret_name_ok over name_cases, and the length limit */
START_TEST(test_name)
{
	const struct name_case	*c = &name_cases[_i];
	char			 n[CTL_SECRET_NAME_MAX + 2];

	ck_assert_msg(ctl_secret_name_ok(c->name) == c->want,
	    "%s: got %d, want %d", c->name, !c->want, c->want);
	memset(n, 'a', sizeof(n));
	n[CTL_SECRET_NAME_MAX] = '\0';
	ck_assert_int_eq(ctl_secret_name_ok(n), 1);
	n[CTL_SECRET_NAME_MAX] = 'a';
	n[CTL_SECRET_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(ctl_secret_name_ok(n), 0);
}
END_TEST

/* cs_fd - a descriptor reading len bytes of data (a temp file) */
static int
cs_fd(const char *data, size_t len)
{
	char	path[] = "/tmp/check_ctl_secret.XXXXXX";
	int	fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	unlink(path);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return (fd);
}

static const struct fd_case {
	const char	*data;
	size_t		 len;
	int		 want;		/* 0 or -1 */
	const char	*val;		/* if 0 */
	const char	*err;		/* part of the message, if -1 */
} fd_cases[] = {
	{ "sk-abc", 6, 0, "sk-abc", NULL },
	{ "sk-abc\n", 7, 0, "sk-abc", NULL },
	{ "sk-abc\r\n", 8, 0, "sk-abc", NULL },
	{ "sk-abc\n\n", 8, 0, "sk-abc\n", NULL },
	{ " sk-abc \n", 9, 0, " sk-abc ", NULL },
	{ "", 0, -1, NULL, "empty" },
	{ "\n", 1, -1, NULL, "empty" },
	{ "\r\n", 2, -1, NULL, "empty" },
	{ "sk\0abc", 6, -1, NULL, "NUL" },
};

/* test_fd - ctl_secret_from_fd over fd_cases */
START_TEST(test_fd)
{
	const struct fd_case	*c = &fd_cases[_i];
	char			*val, err[256] = "";
	size_t			 len = 0;
	int			 fd, got;

	fd = cs_fd(c->data, c->len);
	got = ctl_secret_from_fd(fd, "test", &val, &len, err, sizeof(err));
	close(fd);
	ck_assert_msg(got == c->want, "case %d: got %d, want %d (%s)", _i, got,
	    c->want, err);
	if (got == 0) {
		ck_assert_uint_eq(len, strlen(c->val));
		ck_assert_str_eq(val, c->val);
		ctl_secret_free(val, len);
	} else {
		ck_assert_ptr_null(val);
		ck_assert_msg(strstr(err, c->err) != NULL, "case %d: got %s, "
		    "want ...%s...", _i, err, c->err);
		ck_assert_ptr_null(strstr(err, "abc"));
		ck_assert_ptr_nonnull(strstr(err, "test"));
	}
}
END_TEST

/* test_fd_sizes - 65536 bytes pass (with a newline too), 65537 do not */
START_TEST(test_fd_sizes)
{
	char	*big, *val, err[256];
	size_t	 len;
	int	 fd;

	big = malloc(CTL_SECRET_VALUE_MAX + 8);
	memset(big, 'k', CTL_SECRET_VALUE_MAX + 8);
	fd = cs_fd(big, CTL_SECRET_VALUE_MAX);
	ck_assert_int_eq(ctl_secret_from_fd(fd, "t", &val, &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, CTL_SECRET_VALUE_MAX);
	ctl_secret_free(val, len);
	close(fd);
	big[CTL_SECRET_VALUE_MAX] = '\r';
	big[CTL_SECRET_VALUE_MAX + 1] = '\n';
	fd = cs_fd(big, CTL_SECRET_VALUE_MAX + 2);
	ck_assert_int_eq(ctl_secret_from_fd(fd, "t", &val, &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, CTL_SECRET_VALUE_MAX);
	ctl_secret_free(val, len);
	close(fd);
	big[CTL_SECRET_VALUE_MAX] = 'k';
	fd = cs_fd(big, CTL_SECRET_VALUE_MAX + 1);
	ck_assert_int_eq(ctl_secret_from_fd(fd, "t", &val, &len, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "over 65536 bytes"));
	close(fd);
	fd = cs_fd(big, CTL_SECRET_VALUE_MAX + 8);
	ck_assert_int_eq(ctl_secret_from_fd(fd, "t", &val, &len, err,
	    sizeof(err)), -1);
	close(fd);
	free(big);
}
END_TEST

/* test_env_file - a variable as it is, a file like a descriptor */
START_TEST(test_env_file)
{
	char	 path[] = "/tmp/check_ctl_secret.XXXXXX";
	char	*val, err[640];
	size_t	 len;
	int	 fd;

	setenv("CHECK_CTL_SECRET", "sk-env\n\n", 1);
	ck_assert_int_eq(ctl_secret_from_env("CHECK_CTL_SECRET", &val, &len,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(val, "sk-env\n");
	ck_assert_uint_eq(len, 7);
	ctl_secret_free(val, len);
	setenv("CHECK_CTL_SECRET", " sk-env", 1);
	ck_assert_int_eq(ctl_secret_from_env("CHECK_CTL_SECRET", &val, &len,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(val, " sk-env");
	ctl_secret_free(val, len);
	setenv("CHECK_CTL_SECRET", "\n", 1);
	ck_assert_int_eq(ctl_secret_from_env("CHECK_CTL_SECRET", &val, &len,
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	setenv("CHECK_CTL_SECRET", "", 1);
	ck_assert_int_eq(ctl_secret_from_env("CHECK_CTL_SECRET", &val, &len,
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "--from-env CHECK_CTL_SECRET"));
	unsetenv("CHECK_CTL_SECRET");
	ck_assert_int_eq(ctl_secret_from_env("CHECK_CTL_SECRET", &val, &len,
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not set"));

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, "sk-file\n", 8), 8);
	close(fd);
	ck_assert_int_eq(ctl_secret_from_file(path, &val, &len, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(val, "sk-file");
	ctl_secret_free(val, len);
	unlink(path);
	ck_assert_int_eq(ctl_secret_from_file(path, &val, &len, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	ctl_secret_free(NULL, 0);
}
END_TEST

/* test_body - {"provider","value"} that parses back to the same bytes */
START_TEST(test_body)
{
	static const char	 v[] = "sk-\"q\\\n\t\x01\xc3\xa9 end";
	char			*body;
	size_t			 len;
	cJSON			*j;

	body = ctl_secret_body("openai", v, strlen(v), &len);
	ck_assert_ptr_nonnull(body);
	ck_assert_uint_eq(len, strlen(body));
	ck_assert_ptr_nonnull(j = cJSON_Parse(body));
	ck_assert_int_eq(cJSON_GetArraySize(j), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "provider")->valuestring,
	    "openai");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "value")->valuestring, v);
	cJSON_Delete(j);
	ctl_secret_free(body, len);
}
END_TEST

/* cs_capture - run fn(fp, json) into a string; caller frees */
static char *
cs_capture(int (*fn)(FILE *, const cJSON *), const char *json,
    const char *key, int *rc)
{
	FILE	*fp;
	cJSON	*j;
	char	*buf = NULL;
	size_t	 len = 0;

	ck_assert_ptr_nonnull(j = cJSON_Parse(json));
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	*rc = fn(fp, cJSON_GetObjectItemCaseSensitive(j, key));
	fclose(fp);
	cJSON_Delete(j);
	return (buf);
}

/* test_views - the secrets and routes tables, times */
START_TEST(test_views)
{
	char	*got, buf[SECRETS_VIEW_TIME_LEN];
	cJSON	*j;
	int	 rc;

	got = cs_capture(secrets_view_table, "{\"secrets\":["
	    "{\"name\":\"openai.prod\",\"provider\":\"openai\",\"created\":"
	    "1764082740,\"updated\":\"2025-11-25T15:00:00Z\"},"
	    "{\"name\":\"x\\u001b[31m\",\"provider\":\"anthropic\"}]}",
	    "secrets", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got,
	    "NAME         PROVIDER   CREATED               UPDATED\n"
	    "openai.prod  openai     2025-11-25T14:59:00Z  "
	    "2025-11-25T15:00:00Z\n"
	    "x?[31m       anthropic  -                     -\n");
	free(got);
	got = cs_capture(secrets_view_table, "{\"secrets\":[]}", "secrets",
	    &rc);
	ck_assert_str_eq(got, "NAME  PROVIDER  CREATED  UPDATED\n");
	free(got);
	got = cs_capture(secrets_view_table, "{}", "secrets", &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(got, "");
	free(got);

	got = cs_capture(secrets_view_routes, "{\"routes\":[{\"name\":\"gpt\","
	    "\"provider\":\"openai\",\"model\":\"gpt-4o\",\"base_url\":"
	    "\"https://api.openai.com/v1\",\"secret\":\"openai.prod\","
	    "\"headers\":[],\"available\":true,\"reason\":null},"
	    "{\"name\":\"claude\",\"provider\":\"anthropic\",\"model\":\"c\","
	    "\"base_url\":\"https://a\",\"secret\":\"gone\",\"available\":"
	    "false,\"reason\":\"secret gone is not in the store\"},"
	    "{\"name\":\"local\",\"provider\":\"ollama\",\"model\":\"m\","
	    "\"base_url\":\"http://127.0.0.1:11434\",\"secret\":null}]}",
	    "routes", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got,
	    "NAME    PROVIDER   MODEL   BASE_URL                   "
	    "SECRET       AVAILABLE  REASON\n"
	    "gpt     openai     gpt-4o  https://api.openai.com/v1  "
	    "openai.prod  yes        -\n"
	    "claude  anthropic  c       https://a                  "
	    "gone         no         secret gone is not in the store\n"
	    "local   ollama     m       http://127.0.0.1:11434     "
	    "-            -          -\n");
	free(got);
	got = cs_capture(secrets_view_routes, "{\"routes\":{}}", "routes", &rc);
	ck_assert_int_eq(rc, -1);
	free(got);

	j = cJSON_CreateNumber(0);
	ck_assert_str_eq(secrets_view_time(j, buf, sizeof(buf)),
	    "1970-01-01T00:00:00Z");
	cJSON_SetNumberValue(j, -1);
	ck_assert_str_eq(secrets_view_time(j, buf, sizeof(buf)), "-");
	cJSON_SetNumberValue(j, 1e300);
	ck_assert_str_eq(secrets_view_time(j, buf, sizeof(buf)), "-");
	cJSON_Delete(j);
	ck_assert_str_eq(secrets_view_time(NULL, buf, sizeof(buf)), "-");
}
END_TEST

/* ctl_secrets_tcases - add the secrets and routes test cases */
void
ctl_secrets_tcases(Suite *s)
{
	TCase	*tc;

	tc = tcase_create("secrets");
	tcase_add_loop_test(tc, test_name, 0, NELEM(name_cases));
	tcase_add_loop_test(tc, test_fd, 0, NELEM(fd_cases));
	tcase_add_test(tc, test_fd_sizes);
	tcase_add_test(tc, test_env_file);
	tcase_add_test(tc, test_body);
	tcase_add_test(tc, test_views);
	suite_add_tcase(s, tc);
}
