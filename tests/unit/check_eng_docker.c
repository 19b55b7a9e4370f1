/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_docker - unit tests for the Docker client's pure parts
 *	(workers/engines/eng_docker.c)
 * SYNOPSIS
 *	Suite	*eng_docker_suite(void);
 * DESCRIPTION
 *	Endpoint parsing (unix, tcp, http, IPv6, the sun_path limit, TLS
 *	and other schemes refused with one line), version negotiation
 *	(capped, too old, a minimum above ours, numeric comparison,
 *	garbage), the mapping of Docker's answers to our error codes and
 *	messages, and query escaping. The exchanges themselves are in
 *	check_eng_http.c.
 */
#include <sys/un.h>

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "eng_docker.h"

Suite	*eng_docker_suite(void);

/* ep_ok - host parses to unix_path and base_url */
static void
ep_ok(const char *host, const char *unix_path, const char *base_url)
{
	struct eng_docker_ep	ep;
	char			err[256] = "";

	ck_assert_msg(eng_docker_endpoint(host, &ep, err, sizeof(err)) == 0,
	    "%s: %s", host, err);
	ck_assert_str_eq(ep.unix_path, unix_path);
	ck_assert_str_eq(ep.base_url, base_url);
	ck_assert_str_eq(ep.display, host);
}

/* ep_bad - host is refused with one line containing why */
static void
ep_bad(const char *host, const char *why)
{
	struct eng_docker_ep	ep;
	char			err[256] = "";

	ck_assert_msg(eng_docker_endpoint(host, &ep, err, sizeof(err)) == -1,
	    "%s accepted", host != NULL ? host : "(null)");
	ck_assert_msg(strstr(err, why) != NULL, "%s: '%s' lacks '%s'",
	    host != NULL ? host : "(null)", err, why);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_endpoint)
{
	struct sockaddr_un	sun;
	char			host[400];
	size_t			max = sizeof(sun.sun_path) - 1;

	ep_ok(ENG_DOCKER_DEFAULT_HOST, "/var/run/docker.sock",
	    "http://docker");
	ep_ok("unix:///run/user/1000/docker.sock", "/run/user/1000/docker.sock",
	    "http://docker");
	ep_ok("tcp://127.0.0.1:2375", "", "http://127.0.0.1:2375");
	ep_ok("http://docker-host.lan:12375", "",
	    "http://docker-host.lan:12375");
	ep_ok("tcp://dockerd", "", "http://dockerd:2375");
	ep_ok("tcp://10.0.0.1:2375/", "", "http://10.0.0.1:2375");
	ep_ok("tcp://[::1]:2376", "", "http://[::1]:2376");
	ep_ok("tcp://[fe80::1]", "", "http://[fe80::1]:2375");
	ep_ok("tcp://h:65535", "", "http://h:65535");
	ep_bad("https://docker:2376", "TLS is not supported");
	ep_bad("ssh://me@host", "scheme 'ssh' is not supported");
	ep_bad("npipe:////./pipe/docker_engine", "scheme 'npipe'");
	ep_bad("fd://", "scheme 'fd'");
	ep_bad("/var/run/docker.sock", "is not unix:///path");
	ep_bad("docker.sock", "is not unix:///path");
	ep_bad("", "empty");
	ep_bad(NULL, "empty");
	ep_bad("unix://", "absolute");
	ep_bad("unix://var/run/docker.sock", "absolute");
	ep_bad("tcp://", "bad host");
	ep_bad("tcp://:2375", "bad host");
	ep_bad("tcp://host:", "bad port");
	ep_bad("tcp://host:0", "bad port");
	ep_bad("tcp://host:65536", "bad port");
	ep_bad("tcp://host:99999999999999999999", "bad port");
	ep_bad("tcp://host:23a", "bad port");
	ep_bad("tcp://host:-1", "bad port");
	ep_bad("tcp://host:2375/v1.41", "path");
	ep_bad("tcp://ho st:2375", "bad host");
	ep_bad("tcp://user@host:2375", "bad host");
	ep_bad("tcp://[::1", "bad host");
	ep_bad("tcp://[::1]x", "bad port");
	ep_bad("tcp://[]:1", "bad host");
	ep_bad("tcp://[g::1]:1", "bad host");
	/* sun_path: the longest that fits, and one more */
	memset(host, 'a', sizeof(host));
	memcpy(host, "unix:///", 8);
	host[7 + max] = '\0';
	ep_ok(host, host + 7, "http://docker");
	host[7 + max] = 'a';
	host[7 + max + 1] = '\0';
	ep_bad(host, "socket path too long");
	memset(host, 'b', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	ep_bad(host, "too long");
}
END_TEST

/* pick - pick_version's verdict; want NULL: refused with why */
static void
pick(const char *api, const char *min, const char *want, const char *why)
{
	char	out[16] = "", err[256] = "";
	int	rc;

	rc = eng_docker_pick_version(api, min, out, sizeof(out), err,
	    sizeof(err));
	if (want != NULL) {
		ck_assert_msg(rc == 0, "%s/%s: %s", api, min, err);
		ck_assert_str_eq(out, want);
		return;
	}
	ck_assert_msg(rc == -1, "%s/%s: picked %s", api, min, out);
	ck_assert_msg(strstr(err, why) != NULL, "'%s' lacks '%s'", err, why);
}

START_TEST(test_pick_version)
{
	char	out[4], err[64];

	pick("1.41", "1.12", "1.41", NULL);
	pick("1.41", NULL, "1.41", NULL);
	pick("1.41", "", "1.41", NULL);
	pick("1.40", "1.40", "1.40", NULL);
	pick("1.43", "1.12", "1.43", NULL);
	pick("1.45", "1.24", "1.43", NULL);		/* capped */
	pick("2.0", NULL, "1.43", NULL);
	pick("1.100", NULL, "1.43", NULL);		/* numeric, not text */
	pick("1.39", "1.12", NULL, "older than 1.40");
	pick("1.9", NULL, NULL, "older");		/* 1.9 < 1.41 */
	pick("0.99", NULL, NULL, "older");
	pick("1.45", "1.44", NULL, "wants API 1.44");
	pick("1.41", "1.42", NULL, "wants API 1.42");
	pick("1.43", "1.9", "1.43", NULL);
	pick(NULL, NULL, NULL, "not MAJOR.MINOR");
	pick("", NULL, NULL, "not MAJOR.MINOR");
	pick("1", NULL, NULL, "not MAJOR.MINOR");
	pick("1.", NULL, NULL, "not MAJOR.MINOR");
	pick(".41", NULL, NULL, "not MAJOR.MINOR");
	pick("1.41.0", NULL, NULL, "not MAJOR.MINOR");
	pick("v1.41", NULL, NULL, "not MAJOR.MINOR");
	pick("1.41 ", NULL, NULL, "not MAJOR.MINOR");
	pick("-1.41", NULL, NULL, "not MAJOR.MINOR");
	pick("1.-41", NULL, NULL, "not MAJOR.MINOR");
	pick("one.two", NULL, NULL, "not MAJOR.MINOR");
	pick("99999999999999999999.1", NULL, NULL, "not MAJOR.MINOR");
	pick("1.99999999999999999999", NULL, NULL, "not MAJOR.MINOR");
	pick("1.41", "x", NULL, "minimum API version 'x'");
	/* no room for the answer */
	ck_assert_int_eq(eng_docker_pick_version("1.41", NULL, out,
	    sizeof(out), err, sizeof(err)), -1);
}
END_TEST

/* mapped - eng_docker_error's code and message */
static void
mapped(long status, const char *body, const char *code, const char *msg)
{
	char		 m[128];
	const char	*c;

	c = eng_docker_error(status, body, m, sizeof(m));
	if (code == NULL) {
		ck_assert_ptr_null(c);
		return;
	}
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c, code);
	ck_assert_str_eq(m, msg);
}

START_TEST(test_error_map)
{
	char	 small[12];
	char	 big[400];

	mapped(200, "{}", NULL, NULL);
	mapped(204, NULL, NULL, NULL);
	mapped(404, "{\"message\":\"No such container: x\"}", "not_found",
	    "No such container: x");
	mapped(409, "{\"message\":\"Conflict. The container name \\\"/a\\\" "
	    "is already in use\"}", "conflict",
	    "Conflict. The container name \"/a\" is already in use");
	mapped(400, "{\"message\":\"invalid reference format\"}",
	    "bad_request", "invalid reference format");
	mapped(304, "", "not_modified", "HTTP 304");
	mapped(304, NULL, "not_modified", "HTTP 304");
	mapped(500, "{\"message\":\"driver failed\\nprogramming\"}",
	    "docker_error", "driver failed programming");
	mapped(503, "{\"message\":\"x\"}", "docker_error", "x");
	mapped(401, "{\"message\":\"nope\"}", "docker_error", "nope");
	mapped(500, "  page not found\r\nsecond line\n", "docker_error",
	    "page not found");
	mapped(502, "<html>\n<body>", "docker_error", "<html>");
	mapped(500, "", "docker_error", "HTTP 500");
	mapped(500, NULL, "docker_error", "HTTP 500");
	mapped(500, "\n\n", "docker_error", "HTTP 500");
	mapped(500, "{}", "docker_error", "HTTP 500");
	mapped(500, "{\"message\":42}", "docker_error", "HTTP 500");
	mapped(500, "{\"message\":\"\"}", "docker_error", "HTTP 500");
	mapped(500, "[1,2]", "docker_error", "HTTP 500");
	/* cut to the buffer, never inside a UTF-8 sequence */
	ck_assert_str_eq(eng_docker_error(404,
	    "{\"message\":\"abcdefghij\\u00e9\"}", small, sizeof(small)),
	    "not_found");
	ck_assert_str_eq(small, "abcdefghij");
	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_str_eq(eng_docker_error(500, big, small, sizeof(small)),
	    "docker_error");
	ck_assert_str_eq(small, "mmmmmmmmmmm");
}
END_TEST

START_TEST(test_query_escape)
{
	char	buf[64], tiny[8];

	snprintf(buf, sizeof(buf), "/images/create?fromImage=");
	ck_assert_int_eq(eng_docker_query_escape(buf, sizeof(buf),
	    "vllm/vllm-openai:latest"), 0);
	ck_assert_str_eq(buf,
	    "/images/create?fromImage=vllm%2Fvllm-openai%3Alatest");
	buf[0] = '\0';
	ck_assert_int_eq(eng_docker_query_escape(buf, sizeof(buf),
	    "{\"label\":[\"a=b c\"]}"), 0);
	ck_assert_str_eq(buf, "%7B%22label%22%3A%5B%22a%3Db%20c%22%5D%7D");
	buf[0] = '\0';
	ck_assert_int_eq(eng_docker_query_escape(buf, sizeof(buf),
	    "A-z_0.9~\xc3\xa9"), 0);
	ck_assert_str_eq(buf, "A-z_0.9~%C3%A9");
	/* too long: -1, buf as it was */
	snprintf(tiny, sizeof(tiny), "ab");
	ck_assert_int_eq(eng_docker_query_escape(tiny, sizeof(tiny), "c//"),
	    -1);
	ck_assert_str_eq(tiny, "ab");
	ck_assert_int_eq(eng_docker_query_escape(tiny, sizeof(tiny),
	    "cdefgh"), -1);
	ck_assert_str_eq(tiny, "ab");
	ck_assert_int_eq(eng_docker_query_escape(tiny, sizeof(tiny), "c/"),
	    0);
	ck_assert_str_eq(tiny, "abc%2F");
	tiny[2] = '\0';
	ck_assert_int_eq(eng_docker_query_escape(tiny, sizeof(tiny), "cdefg"),
	    0);
	ck_assert_str_eq(tiny, "abcdefg");
	ck_assert_int_eq(eng_docker_query_escape(tiny, 0, "x"), -1);
}
END_TEST

/* eng_docker_suite - endpoints, versions, errors, escaping */
Suite *
eng_docker_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("eng_docker");
	tc = tcase_create("pure");
	tcase_add_test(tc, test_endpoint);
	tcase_add_test(tc, test_pick_version);
	tcase_add_test(tc, test_error_map);
	tcase_add_test(tc, test_query_escape);
	suite_add_tcase(s, tc);
	return (s);
}
