/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_http_auth - unit tests for the http worker's bearer auth
 * SYNOPSIS
 *	Suite	*http_auth_suite(void);
 * DESCRIPTION
 *	Tables drive http_auth_role (which role a header value proves,
 *	including malformed values and tokens of other lengths), then
 *	http_auth_check (401/403 by method and route role), the modes, and
 *	http_auth_ct_equal. The admin and read-only tokens have different
 *	lengths on purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <event2/http.h>

#include <openssl/evp.h>

#include "../../workers/http/http_auth.h"
#include "../../workers/http/http_sha256.h"

#define ADMIN	"admin-0123456789abcdef"		/* 22 chars */
#define RO	"readonly-0123456789abcdef0123456789"	/* 35 chars */

Suite	*http_auth_suite(void);

static const char *const role_names[] = { "none", "read", "admin" };

static const struct role_case {
	const char	*mode;
	const char	*admin;
	const char	*ro;
	const char	*header;
	int		 want;
} role_cases[] = {
	/* no header, empty, scheme only */
	{ "bearer", ADMIN, RO, NULL, HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer ", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer    ", HTTP_ROLE_NONE },
	/* malformed */
	{ "bearer", ADMIN, RO, "Basic YWRtaW46YWRtaW4=", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Basic " ADMIN, HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer" ADMIN, HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, ADMIN, HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer " ADMIN " x", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer " ADMIN ",", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer \"" ADMIN "\"", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer =" ADMIN, HTTP_ROLE_NONE },
	{ "Bearer", ADMIN, RO, "Bearer " ADMIN, -1 },	/* mode is exact */
	/* wrong tokens, of every length around the real ones */
	{ "bearer", ADMIN, RO, "Bearer wrong", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer admin-0123456789abcdeF",
	    HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer admin-0123456789abcde", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer " ADMIN "f", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer a", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer readonly-0123456789abcdef012345678",
	    HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer " RO "9", HTTP_ROLE_NONE },
	/* the real ones, in the spellings RFC 6750 allows */
	{ "bearer", ADMIN, RO, "Bearer " ADMIN, HTTP_ROLE_ADMIN },
	{ "bearer", ADMIN, RO, "bearer " ADMIN, HTTP_ROLE_ADMIN },
	{ "bearer", ADMIN, RO, "BEARER\t" ADMIN, HTTP_ROLE_ADMIN },
	{ "bearer", ADMIN, RO, "  Bearer   " ADMIN "  ", HTTP_ROLE_ADMIN },
	{ "bearer", ADMIN, RO, "Bearer " RO, HTTP_ROLE_READ },
	{ "bearer", "tok+/en==", NULL, "Bearer tok+/en==", HTTP_ROLE_ADMIN },
	{ "bearer", "tok+/en==", NULL, "Bearer tok+/en=", HTTP_ROLE_NONE },
	/* what the configuration allows, beyond token68 */
	{ "bearer", "p@ss!w0rd\"#$%&'()*,:;<>?[]^`{|}", NULL,
	    "Bearer p@ss!w0rd\"#$%&'()*,:;<>?[]^`{|}", HTTP_ROLE_ADMIN },
	{ "bearer", "t\xc3\xa9st-utf8-token", NULL,
	    "Bearer t\xc3\xa9st-utf8-token", HTTP_ROLE_ADMIN },
	{ "bearer", ADMIN, RO, "Bearer " ADMIN "\x7f", HTTP_ROLE_NONE },
	{ "bearer", ADMIN, RO, "Bearer " ADMIN "\x01", HTTP_ROLE_NONE },
	/* absent tokens match nothing, not even an empty one */
	{ "bearer", ADMIN, NULL, "Bearer " RO, HTTP_ROLE_NONE },
	{ "bearer", ADMIN, "", "Bearer ", HTTP_ROLE_NONE },
	{ "bearer", NULL, NULL, "Bearer " ADMIN, HTTP_ROLE_NONE },
	{ "bearer", "", RO, "Bearer " RO, HTTP_ROLE_READ },
	/* the default mode is bearer */
	{ NULL, ADMIN, RO, NULL, HTTP_ROLE_NONE },
	{ NULL, ADMIN, RO, "Bearer " ADMIN, HTTP_ROLE_ADMIN },
	/* auth_mode none: everyone is admin, whatever they send */
	{ "none", ADMIN, RO, NULL, HTTP_ROLE_ADMIN },
	{ "none", NULL, NULL, "Bearer wrong", HTTP_ROLE_ADMIN },
	{ "none", NULL, NULL, "garbage", HTTP_ROLE_ADMIN },
};

/* test_role - http_auth_role over role_cases */
START_TEST(test_role)
{
	const struct role_case	*c = &role_cases[_i];
	struct http_auth	 a;
	int			 got;

	if (c->want == -1) {
		ck_assert_int_eq(http_auth_set(&a, c->mode, c->admin, c->ro),
		    -1);
		return;
	}
	ck_assert_int_eq(http_auth_set(&a, c->mode, c->admin, c->ro), 0);
	got = http_auth_role(&a, c->header);
	ck_assert_msg(got == c->want, "case %d (%s): got %s, want %s", _i,
	    c->header != NULL ? c->header : "(no header)", role_names[got],
	    role_names[c->want]);
	http_auth_clear(&a);
}
END_TEST

/* test_long_token - a huge header value is refused, not hashed forever */
START_TEST(test_long_token)
{
	struct http_auth	 a;
	char			*h, *tok;
	size_t			 n = 10000;

	h = malloc(n + 8);
	ck_assert_ptr_nonnull(h);
	memcpy(h, "Bearer ", 7);
	memset(h + 7, 'a', n);
	h[7 + n] = '\0';
	tok = h + 7;
	ck_assert_int_eq(http_auth_set(&a, "bearer", tok, NULL), 0);
	ck_assert_int_eq(http_auth_role(&a, h), HTTP_ROLE_NONE);
	free(h);
}
END_TEST

static const char *const result_names[] = {
	"ok", "unauthorized", "forbidden"
};

static const struct check_case {
	const char	*header;
	int		 method;
	int		 need;
	int		 want;
} check_cases[] = {
	{ NULL, EVHTTP_REQ_GET, HTTP_ROLE_NONE, HTTP_AUTH_OK },
	{ "Bearer wrong", EVHTTP_REQ_GET, HTTP_ROLE_NONE, HTTP_AUTH_OK },
	{ NULL, EVHTTP_REQ_GET, HTTP_ROLE_READ, HTTP_AUTH_UNAUTHORIZED },
	{ "Bearer", EVHTTP_REQ_GET, HTTP_ROLE_READ, HTTP_AUTH_UNAUTHORIZED },
	{ "Bearer wrong", EVHTTP_REQ_GET, HTTP_ROLE_READ,
	    HTTP_AUTH_UNAUTHORIZED },
	{ "Bearer wrong", EVHTTP_REQ_POST, HTTP_ROLE_ADMIN,
	    HTTP_AUTH_UNAUTHORIZED },
	{ "Bearer " RO, EVHTTP_REQ_GET, HTTP_ROLE_READ, HTTP_AUTH_OK },
	{ "Bearer " RO, EVHTTP_REQ_HEAD, HTTP_ROLE_READ, HTTP_AUTH_OK },
	{ "Bearer " RO, EVHTTP_REQ_POST, HTTP_ROLE_READ, HTTP_AUTH_FORBIDDEN },
	{ "Bearer " RO, EVHTTP_REQ_POST, HTTP_ROLE_ADMIN,
	    HTTP_AUTH_FORBIDDEN },
	{ "Bearer " RO, EVHTTP_REQ_PUT, HTTP_ROLE_READ, HTTP_AUTH_FORBIDDEN },
	{ "Bearer " RO, EVHTTP_REQ_DELETE, HTTP_ROLE_READ,
	    HTTP_AUTH_FORBIDDEN },
	{ "Bearer " RO, EVHTTP_REQ_GET, HTTP_ROLE_ADMIN, HTTP_AUTH_FORBIDDEN },
	{ "Bearer " ADMIN, EVHTTP_REQ_GET, HTTP_ROLE_READ, HTTP_AUTH_OK },
	{ "Bearer " ADMIN, EVHTTP_REQ_GET, HTTP_ROLE_ADMIN, HTTP_AUTH_OK },
	{ "Bearer " ADMIN, EVHTTP_REQ_POST, HTTP_ROLE_ADMIN, HTTP_AUTH_OK },
	{ "Bearer " ADMIN, EVHTTP_REQ_PUT, HTTP_ROLE_READ, HTTP_AUTH_OK },
	{ "Bearer " ADMIN, EVHTTP_REQ_DELETE, HTTP_ROLE_READ, HTTP_AUTH_OK },
};

/* test_check - http_auth_check over check_cases, tokens ADMIN and RO */
START_TEST(test_check)
{
	const struct check_case	*c = &check_cases[_i];
	struct http_auth	 a;
	int			 got;

	ck_assert_int_eq(http_auth_set(&a, "bearer", ADMIN, RO), 0);
	got = http_auth_check(&a, c->header, c->method, c->need);
	ck_assert_msg(got == c->want, "case %d (%s): got %s, want %s", _i,
	    c->header != NULL ? c->header : "(no header)", result_names[got],
	    result_names[c->want]);
}
END_TEST

/* test_mode_none - auth_mode none lets anything do everything */
START_TEST(test_mode_none)
{
	struct http_auth	a;

	ck_assert_int_eq(http_auth_set(&a, "none", NULL, NULL), 0);
	ck_assert_int_eq(a.mode, HTTP_AUTH_MODE_NONE);
	ck_assert_int_eq(http_auth_check(&a, NULL, EVHTTP_REQ_POST,
	    HTTP_ROLE_ADMIN), HTTP_AUTH_OK);
	ck_assert_int_eq(http_auth_check(&a, "Bearer x", EVHTTP_REQ_DELETE,
	    HTTP_ROLE_READ), HTTP_AUTH_OK);
}
END_TEST

/* test_bad_mode - an unknown mode is refused and changes nothing */
START_TEST(test_bad_mode)
{
	struct http_auth	a;

	ck_assert_int_eq(http_auth_set(&a, "bearer", ADMIN, RO), 0);
	ck_assert_int_eq(http_auth_set(&a, "basic", NULL, NULL), -1);
	ck_assert_int_eq(http_auth_set(&a, "", NULL, NULL), -1);
	ck_assert_int_eq(a.mode, HTTP_AUTH_MODE_BEARER);
	ck_assert_int_eq(http_auth_role(&a, "Bearer " ADMIN), HTTP_ROLE_ADMIN);
	ck_assert_int_eq(http_auth_role(&a, "Bearer " RO), HTTP_ROLE_READ);
}
END_TEST

/* test_reload - new tokens replace the old ones entirely */
START_TEST(test_reload)
{
	struct http_auth	a;

	ck_assert_int_eq(http_auth_set(&a, "bearer", ADMIN, RO), 0);
	ck_assert_int_eq(http_auth_set(&a, "bearer", "new-admin-token-0000",
	    NULL), 0);
	ck_assert_int_eq(http_auth_role(&a, "Bearer " ADMIN), HTTP_ROLE_NONE);
	ck_assert_int_eq(http_auth_role(&a, "Bearer " RO), HTTP_ROLE_NONE);
	ck_assert_int_eq(http_auth_role(&a, "Bearer new-admin-token-0000"),
	    HTTP_ROLE_ADMIN);
	http_auth_clear(&a);
	ck_assert_int_eq(http_auth_role(&a, "Bearer new-admin-token-0000"),
	    HTTP_ROLE_NONE);
}
END_TEST

/* test_same_token - a token given as both roles is admin */
START_TEST(test_same_token)
{
	struct http_auth	a;

	ck_assert_int_eq(http_auth_set(&a, "bearer", ADMIN, ADMIN), 0);
	ck_assert_int_eq(http_auth_role(&a, "Bearer " ADMIN), HTTP_ROLE_ADMIN);
}
END_TEST

/* test_no_plaintext - the struct holds digests, never a token */
START_TEST(test_no_plaintext)
{
	struct http_auth	a;

	ck_assert_int_eq(http_auth_set(&a, "bearer", ADMIN, RO), 0);
	ck_assert_ptr_null(memmem(&a, sizeof(a), "0123456789", 10));
}
END_TEST

static const struct eq_case {
	const char	*a;
	size_t		 alen;
	const char	*b;
	size_t		 blen;
	int		 want;
} eq_cases[] = {
	{ "secret", 6, "secret", 6, 1 },
	{ "secret", 6, "secreT", 6, 0 },
	{ "secret", 6, "Secret", 6, 0 },
	{ "secret", 6, "secret!", 7, 0 },
	{ "secret", 6, "secre", 5, 0 },
	{ "secret", 6, "", 0, 0 },
	{ "", 0, "", 0, 1 },
	{ "a\0b", 3, "a\0b", 3, 1 },
	{ "a\0b", 3, "a\0c", 3, 0 },
	{ "a\0b", 3, "a", 1, 0 },
	{ ADMIN, sizeof(ADMIN) - 1, RO, sizeof(RO) - 1, 0 },
	{ RO, sizeof(RO) - 1, RO, sizeof(RO) - 1, 1 },
};

/* test_ct_equal - http_auth_ct_equal over eq_cases, both ways round */
START_TEST(test_ct_equal)
{
	const struct eq_case	*c = &eq_cases[_i];
	int			 got;

	got = http_auth_ct_equal(c->a, c->alen, c->b, c->blen);
	ck_assert_msg(got == c->want, "case %d: got %d, want %d", _i, got,
	    c->want);
	got = http_auth_ct_equal(c->b, c->blen, c->a, c->alen);
	ck_assert_msg(got == c->want, "case %d reversed: got %d, want %d", _i,
	    got, c->want);
}
END_TEST

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* FIPS 180-2 appendix B and the NIST example values */
static const struct sha_case {
	const char	*in;
	size_t		 repeat;	/* the input this many times */
	const char	*hex;
} sha_cases[] = {
	{ "", 1,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 1,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "a", 1000000,
	  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

/* test_sha256_vectors - the standard's test vectors */
START_TEST(test_sha256_vectors)
{
	const struct sha_case	*c = &sha_cases[_i];
	unsigned char		 md[HTTP_SHA256_LEN];
	char			 hex[2 * HTTP_SHA256_LEN + 1];
	char			*buf;
	size_t			 n = strlen(c->in), i;

	buf = malloc(n * c->repeat + 1);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < c->repeat; i++)
		memcpy(buf + i * n, c->in, n);
	http_sha256(buf, n * c->repeat, md);
	for (i = 0; i < HTTP_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	ck_assert_str_eq(hex, c->hex);
	free(buf);
}
END_TEST

/* test_sha256_lengths - every length 0..1100 (each padding case, one and
 * many blocks) against libcrypto, on bytes of every value */
START_TEST(test_sha256_lengths)
{
	unsigned char	buf[1100], got[HTTP_SHA256_LEN], want[EVP_MAX_MD_SIZE];
	unsigned int	wlen;
	size_t		n;

	for (n = 0; n < sizeof(buf); n++)
		buf[n] = (unsigned char)(n * 131 + 7);
	for (n = 0; n <= sizeof(buf); n++) {
		http_sha256(buf, n, got);
		ck_assert_int_eq(EVP_Digest(buf, n, want, &wlen, EVP_sha256(),
		    NULL), 1);
		ck_assert_uint_eq(wlen, HTTP_SHA256_LEN);
		ck_assert_msg(memcmp(got, want, HTTP_SHA256_LEN) == 0,
		    "length %zu differs from libcrypto", n);
	}
}
END_TEST

/* http_auth_suite - the suite check_main runs */
Suite *
http_auth_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("http_auth");
	tc = tcase_create("role");
	tcase_add_loop_test(tc, test_role, 0, NELEM(role_cases));
	tcase_add_test(tc, test_long_token);
	suite_add_tcase(s, tc);
	tc = tcase_create("check");
	tcase_add_loop_test(tc, test_check, 0, NELEM(check_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("mode");
	tcase_add_test(tc, test_mode_none);
	tcase_add_test(tc, test_bad_mode);
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_same_token);
	tcase_add_test(tc, test_no_plaintext);
	suite_add_tcase(s, tc);
	tc = tcase_create("ct_equal");
	tcase_add_loop_test(tc, test_ct_equal, 0, NELEM(eq_cases));
	tcase_add_loop_test(tc, test_sha256_vectors, 0, NELEM(sha_cases));
	tcase_add_test(tc, test_sha256_lengths);
	suite_add_tcase(s, tc);
	return (s);
}
