/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_frame - unit tests for the frame codec (common/frame.c)
 * SYNOPSIS
 *	Suite	*frame_suite(void);
 * DESCRIPTION
 *	Table-driven tests of frame_hdr_pack, frame_hdr_unpack,
 *	frame_decode, frame_json and frame_take_fd: header round trips and
 *	the wire layout, every prefix of a valid frame (need more, never an
 *	error, except that bad magic and version show from the first
 *	bytes), each malformed header, the size limit on both sides of
 *	FRAME_MAX, frames merged in one buffer, and which payloads count as
 *	one JSON object. Payloads are copied into buffers of their exact
 *	size so ASan catches any read past the end.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "frame.h"
#include "msg.h"

Suite	*frame_suite(void);

struct frame_case {
	uint16_t	 type;
	uint8_t		 flags;
	uint8_t		 src;
	uint8_t		 dst;
	uint32_t	 id;
	uint32_t	 gen;
	const char	*payload;	/* len bytes of it */
	uint32_t	 len;
};

static const struct frame_case frame_cases[] = {
	{ MSG_PING, 0, 33, 0, 1, 1, "", 0 },
	{ MSG_READY, 0, 1, 0, 0, 7, "", 0 },
	{ MSG_ERROR, FRAME_F_REPLY, 0, 33, 0xdeadbeef, 2,
	    "{\"code\":\"unavailable\"}", 22 },
	{ MSG_CONFIG, FRAME_F_FD, 0, 2, 0, 0xffffffff, "x", 1 },
	{ MSG_RESTART, FRAME_F_REPLY | FRAME_F_FD, 63, 62, 0xffffffff, 0,
	    "{\"name\":\"http\"}", 15 },
	{ 0xffff, 0, 255, 255, 0x01020304, 0x0a0b0c0d, "\0\1\2\3\0", 5 },
	{ 0x0102, FRAME_F_REPLY, 0x7f, 0x80, 0x80000000, 0x7fffffff,
	    "0123456789abcdef0123456789abcdef", 32 },
};

#define NCASES	((int)(sizeof(frame_cases) / sizeof(frame_cases[0])))

/* frame_case_hdr - the header a case describes */
static struct frame_hdr
frame_case_hdr(const struct frame_case *fc)
{
	struct frame_hdr h;

	memset(&h, 0, sizeof(h));
	h.type = fc->type;
	h.version = CORRAL_PROTO_VERSION;
	h.flags = fc->flags;
	h.src = fc->src;
	h.dst = fc->dst;
	h.len = fc->len;
	h.id = fc->id;
	h.gen = fc->gen;
	return (h);
}

/* frame_case_encode - header + payload in a buffer of exactly that size */
static unsigned char *
frame_case_encode(const struct frame_case *fc, size_t *lenp)
{
	struct frame_hdr h = frame_case_hdr(fc);
	unsigned char	*buf;

	*lenp = FRAME_HDR_LEN + fc->len;
	buf = malloc(*lenp);
	ck_assert_ptr_nonnull(buf);
	frame_hdr_pack(&h, buf);
	if (fc->len > 0)
		memcpy(buf + FRAME_HDR_LEN, fc->payload, fc->len);
	return (buf);
}

/* frame_hdr_check - every field of got equals want */
static void
frame_hdr_check(const struct frame_hdr *got, const struct frame_hdr *want,
    int i)
{
	ck_assert_msg(got->type == want->type, "case %d: type: got %u, want %u",
	    i, got->type, want->type);
	ck_assert_msg(got->version == CORRAL_PROTO_VERSION,
	    "case %d: version: got %u, want %u", i, got->version,
	    CORRAL_PROTO_VERSION);
	ck_assert_msg(got->flags == want->flags,
	    "case %d: flags: got 0x%x, want 0x%x", i, got->flags, want->flags);
	ck_assert_msg(got->src == want->src, "case %d: src: got %u, want %u",
	    i, got->src, want->src);
	ck_assert_msg(got->dst == want->dst, "case %d: dst: got %u, want %u",
	    i, got->dst, want->dst);
	ck_assert_msg(got->len == want->len, "case %d: len: got %u, want %u",
	    i, got->len, want->len);
	ck_assert_msg(got->id == want->id, "case %d: id: got %u, want %u",
	    i, got->id, want->id);
	ck_assert_msg(got->gen == want->gen, "case %d: gen: got %u, want %u",
	    i, got->gen, want->gen);
}

/* pack then unpack gives the same header back */
START_TEST(test_hdr_roundtrip)
{
	const struct frame_case *fc = &frame_cases[_i];
	struct frame_hdr want = frame_case_hdr(fc), got;
	unsigned char	 buf[FRAME_HDR_LEN];
	int		 rc;

	memset(&got, 0xa5, sizeof(got));
	frame_hdr_pack(&want, buf);
	rc = frame_hdr_unpack(buf, sizeof(buf), &got);
	ck_assert_msg(rc == FRAME_OK, "case %d: unpack: got %d (%s), want 0",
	    _i, rc, frame_strerror(rc));
	frame_hdr_check(&got, &want, _i);
}
END_TEST

/* the wire layout is the one frame.h documents: little-endian, fixed */
START_TEST(test_hdr_layout)
{
	const struct frame_case *fc = &frame_cases[_i];
	struct frame_hdr h = frame_case_hdr(fc);
	unsigned char	 buf[FRAME_HDR_LEN];
	unsigned char	 want[FRAME_HDR_LEN];
	int		 k;

	/* pack must set magic and version whatever h->version says */
	h.version = 99;
	frame_hdr_pack(&h, buf);
	want[0] = FRAME_MAGIC;
	want[1] = CORRAL_PROTO_VERSION;
	want[2] = (unsigned char)(fc->type & 0xff);
	want[3] = (unsigned char)(fc->type >> 8);
	want[4] = fc->flags;
	want[5] = fc->src;
	want[6] = fc->dst;
	want[7] = 0;
	for (k = 0; k < 4; k++) {
		want[8 + k] = (unsigned char)(fc->len >> (8 * k));
		want[12 + k] = (unsigned char)(fc->id >> (8 * k));
		want[16 + k] = (unsigned char)(fc->gen >> (8 * k));
	}
	for (k = 0; k < FRAME_HDR_LEN; k++)
		ck_assert_msg(buf[k] == want[k],
		    "case %d: byte %d: got 0x%02x, want 0x%02x", _i, k, buf[k],
		    want[k]);
}
END_TEST

/* a whole frame decodes: length used, header, payload in place, no fd */
START_TEST(test_decode_roundtrip)
{
	const struct frame_case *fc = &frame_cases[_i];
	struct frame_hdr want = frame_case_hdr(fc);
	struct frame	 f;
	unsigned char	*buf;
	size_t		 len;
	long		 n;

	buf = frame_case_encode(fc, &len);
	memset(&f, 0, sizeof(f));
	f.fd = 42;
	n = frame_decode(buf, len, &f);
	ck_assert_msg(n == (long)len, "case %d: decode: got %ld, want %zu", _i,
	    n, len);
	frame_hdr_check(&f.hdr, &want, _i);
	ck_assert_msg(f.payload == buf + FRAME_HDR_LEN,
	    "case %d: payload: got offset %td, want %d", _i, f.payload - buf,
	    FRAME_HDR_LEN);
	ck_assert_msg(memcmp(f.payload, fc->payload, fc->len) == 0,
	    "case %d: payload bytes differ", _i);
	ck_assert_msg(f.fd == -1, "case %d: fd: got %d, want -1", _i, f.fd);
	free(buf);
}
END_TEST

/* every proper prefix of a valid frame means "need more", never an error */
START_TEST(test_decode_truncated)
{
	const struct frame_case *fc = &frame_cases[_i];
	struct frame_hdr h;
	struct frame	 f;
	unsigned char	*buf, *pre;
	size_t		 len, k;
	long		 n;
	int		 rc;

	buf = frame_case_encode(fc, &len);
	for (k = 0; k < len; k++) {
		/* a copy of exactly k bytes: ASan sees any read past it */
		pre = malloc(k > 0 ? k : 1);
		ck_assert_ptr_nonnull(pre);
		memcpy(pre, buf, k);
		memset(&f, 0, sizeof(f));
		n = frame_decode(pre, k, &f);
		ck_assert_msg(n == 0, "case %d, %zu of %zu bytes: got %ld, want 0",
		    _i, k, len, n);
		if (k < FRAME_HDR_LEN) {
			rc = frame_hdr_unpack(pre, k, &h);
			ck_assert_msg(rc == FRAME_ESHORT,
			    "case %d, %zu header bytes: got %d, want %d", _i, k,
			    rc, FRAME_ESHORT);
		}
		free(pre);
	}
	free(buf);
}
END_TEST

/* garbage is refused at its first byte, a wrong version at its second */
START_TEST(test_decode_early_errors)
{
	static const struct {
		unsigned char	 b0, b1;
		size_t		 avail;
		long		 want;
	} t[] = {
		{ 0x00, 0x00, 1, FRAME_EMAGIC },
		{ 'G', 'E', 1, FRAME_EMAGIC },
		{ 'G', 'E', 2, FRAME_EMAGIC },
		{ 0xC4, CORRAL_PROTO_VERSION, 1, FRAME_EMAGIC },
		{ 0xFF, CORRAL_PROTO_VERSION, FRAME_HDR_LEN, FRAME_EMAGIC },
		{ FRAME_MAGIC, 0, 2, FRAME_EVERSION },
		{ FRAME_MAGIC, CORRAL_PROTO_VERSION + 1, 2, FRAME_EVERSION },
		{ FRAME_MAGIC, 0xff, 5, FRAME_EVERSION },
		{ FRAME_MAGIC, CORRAL_PROTO_VERSION, 1, 0 },
		{ FRAME_MAGIC, CORRAL_PROTO_VERSION, 2, 0 },
	};
	struct frame	 f;
	unsigned char	*buf;
	size_t		 k;
	long		 n;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		buf = calloc(1, t[k].avail);
		ck_assert_ptr_nonnull(buf);
		buf[0] = t[k].b0;
		if (t[k].avail > 1)
			buf[1] = t[k].b1;
		memset(&f, 0, sizeof(f));
		n = frame_decode(buf, t[k].avail, &f);
		ck_assert_msg(n == t[k].want,
		    "row %zu (0x%02x 0x%02x, %zu bytes): got %ld, want %ld", k,
		    t[k].b0, t[k].b1, t[k].avail, n, t[k].want);
		free(buf);
	}
}
END_TEST

struct frame_bad {
	const char	*what;
	int		 off;		/* header byte to overwrite */
	unsigned char	 val;
	int		 want;
};

static const struct frame_bad frame_bads[] = {
	{ "magic 0x00", 0, 0x00, FRAME_EMAGIC },
	{ "magic 0xC6", 0, 0xC6, FRAME_EMAGIC },
	{ "magic '{'", 0, '{', FRAME_EMAGIC },
	{ "version 0", 1, 0, FRAME_EVERSION },
	{ "version 2", 1, CORRAL_PROTO_VERSION + 1, FRAME_EVERSION },
	{ "version 255", 1, 255, FRAME_EVERSION },
	{ "reserved 1", 7, 1, FRAME_ERESERVED },
	{ "reserved 0x80", 7, 0x80, FRAME_ERESERVED },
	{ "flag 0x04", 4, 0x04, FRAME_EFLAGS },
	{ "flag 0x80", 4, 0x80, FRAME_EFLAGS },
	{ "flags 0xff", 4, 0xff, FRAME_EFLAGS },
	{ "len high byte", 11, 0x01, FRAME_ETOOBIG },
	{ "len 0xff..", 11, 0xff, FRAME_ETOOBIG },
};

/* each malformed header is refused with its own code, header alone enough */
START_TEST(test_decode_bad_header)
{
	const struct frame_bad *b = &frame_bads[_i];
	struct frame_hdr h;
	struct frame	 f;
	unsigned char	 buf[FRAME_HDR_LEN];
	long		 n;
	int		 rc;

	memset(&h, 0, sizeof(h));
	h.type = MSG_PING;
	h.len = 4;	/* the payload never comes: errors need only the header */
	frame_hdr_pack(&h, buf);
	buf[b->off] = b->val;
	memset(&f, 0, sizeof(f));
	n = frame_decode(buf, sizeof(buf), &f);
	ck_assert_msg(n == b->want, "%s: decode: got %ld (%s), want %d (%s)",
	    b->what, n, frame_strerror((int)n), b->want,
	    frame_strerror(b->want));
	rc = frame_hdr_unpack(buf, sizeof(buf), &h);
	ck_assert_msg(rc == b->want, "%s: unpack: got %d, want %d", b->what,
	    rc, b->want);
}
END_TEST

/* a length over FRAME_MAX is refused from the header, payload unread */
START_TEST(test_decode_oversize)
{
	static const uint32_t lens[] = { FRAME_MAX + 1, FRAME_MAX + 2,
	    0x7fffffff, 0x80000000, 0xffffffff };
	struct frame_hdr h;
	struct frame	 f;
	unsigned char	*buf;
	size_t		 k;
	long		 n;

	for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		/* only the header exists: ASan fails any payload read */
		buf = malloc(FRAME_HDR_LEN);
		ck_assert_ptr_nonnull(buf);
		memset(&h, 0, sizeof(h));
		h.type = MSG_CONFIG;
		h.len = lens[k];
		frame_hdr_pack(&h, buf);
		n = frame_decode(buf, FRAME_HDR_LEN, &f);
		ck_assert_msg(n == FRAME_ETOOBIG, "len %u: got %ld, want %d",
		    lens[k], n, FRAME_ETOOBIG);
		free(buf);
	}
}
END_TEST

/* exactly FRAME_MAX payload bytes is a frame; one byte less is short */
START_TEST(test_decode_max)
{
	struct frame_hdr h;
	struct frame	 f;
	unsigned char	*buf;
	size_t		 len = FRAME_HDR_LEN + FRAME_MAX;
	long		 n;

	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	memset(&h, 0, sizeof(h));
	h.type = MSG_CONFIG;
	h.len = FRAME_MAX;
	frame_hdr_pack(&h, buf);
	memset(buf + FRAME_HDR_LEN, 'z', FRAME_MAX);
	n = frame_decode(buf, len - 1, &f);
	ck_assert_msg(n == 0, "FRAME_MAX - 1 bytes: got %ld, want 0", n);
	n = frame_decode(buf, len, &f);
	ck_assert_msg(n == (long)len, "FRAME_MAX: got %ld, want %zu", n, len);
	ck_assert_uint_eq(f.hdr.len, FRAME_MAX);
	ck_assert_ptr_eq(f.payload, buf + FRAME_HDR_LEN);
	free(buf);
}
END_TEST

/* frames back to back in one buffer decode one after the other */
START_TEST(test_decode_merged)
{
	unsigned char	*buf, *a, *b;
	struct frame	 f;
	size_t		 alen, blen, total, off;
	long		 n;
	int		 i, j;

	for (i = 0; i < NCASES; i++) {
		j = (i + 2) % NCASES;
		a = frame_case_encode(&frame_cases[i], &alen);
		b = frame_case_encode(&frame_cases[j], &blen);
		total = alen + blen;
		buf = malloc(total);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf, a, alen);
		memcpy(buf + alen, b, blen);

		n = frame_decode(buf, total, &f);
		ck_assert_msg(n == (long)alen, "%d+%d first: got %ld, want %zu",
		    i, j, n, alen);
		ck_assert_uint_eq(f.hdr.type, frame_cases[i].type);
		ck_assert_uint_eq(f.hdr.id, frame_cases[i].id);
		off = (size_t)n;
		n = frame_decode(buf + off, total - off, &f);
		ck_assert_msg(n == (long)blen, "%d+%d second: got %ld, want %zu",
		    i, j, n, blen);
		ck_assert_uint_eq(f.hdr.type, frame_cases[j].type);
		ck_assert_uint_eq(f.hdr.id, frame_cases[j].id);
		ck_assert_ptr_eq(f.payload, buf + alen + FRAME_HDR_LEN);
		ck_assert(memcmp(f.payload, frame_cases[j].payload,
		    frame_cases[j].len) == 0);
		off += (size_t)n;
		n = frame_decode(buf + off, total - off, &f);
		ck_assert_msg(n == 0, "%d+%d nothing left: got %ld, want 0", i,
		    j, n);

		/* the second frame cut short: the first still decodes */
		n = frame_decode(buf, total - 1, &f);
		ck_assert_msg(n == (long)alen, "%d+%d cut: got %ld, want %zu",
		    i, j, n, alen);
		n = frame_decode(buf + alen, blen - 1, &f);
		ck_assert_msg(n == 0, "%d+%d cut second: got %ld, want 0", i, j,
		    n);
		free(a);
		free(b);
		free(buf);
	}
}
END_TEST

struct json_case {
	const char	*what;
	const char	*payload;
	size_t		 len;
	int		 want;		/* 1: an object comes back */
	const char	*key;		/* a member it must have, or NULL */
};

static const struct json_case json_cases[] = {
	{ "object", "{\"a\":1}", 7, 1, "a" },
	{ "empty object", "{}", 2, 1, NULL },
	{ "nested", "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":\"e\"}", 36, 1,
	    "d" },
	{ "leading space", " {\"a\":1}", 8, 1, "a" },
	{ "trailing NULs", "{\"a\":1}\0\0", 9, 1, "a" },
	{ "array", "[1,2]", 5, 0, NULL },
	{ "string", "\"str\"", 5, 0, NULL },
	{ "number", "42", 2, 0, NULL },
	{ "null", "null", 4, 0, NULL },
	{ "true", "true", 4, 0, NULL },
	{ "garbage", "xyz", 3, 0, NULL },
	{ "unterminated", "{\"a\":", 5, 0, NULL },
	{ "cut string", "{\"a\":\"bc", 8, 0, NULL },
	{ "trailing bytes", "{\"a\":1}x", 8, 0, NULL },
	{ "two objects", "{\"a\":1}{}", 9, 0, NULL },
	{ "NUL then bytes", "{\"a\":1}\0x", 9, 0, NULL },
	{ "only NUL", "\0", 1, 0, NULL },
	{ "empty payload", "", 0, 0, NULL },
};

/* only a payload that is exactly one JSON object parses */
START_TEST(test_json)
{
	const struct json_case *jc = &json_cases[_i];
	struct frame	 f;
	unsigned char	*copy;
	cJSON		*o;

	/* exactly len bytes, no NUL after them */
	copy = malloc(jc->len > 0 ? jc->len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, jc->payload, jc->len);
	memset(&f, 0, sizeof(f));
	f.hdr.type = MSG_STATUS;
	f.hdr.len = (uint32_t)jc->len;
	f.payload = copy;
	f.fd = -1;
	o = frame_json(&f);
	ck_assert_msg((o != NULL) == jc->want, "%s: got %s, want %s", jc->what,
	    o != NULL ? "an object" : "NULL", jc->want ? "an object" : "NULL");
	if (o != NULL) {
		ck_assert(cJSON_IsObject(o));
		if (jc->key != NULL)
			ck_assert_msg(cJSON_GetObjectItemCaseSensitive(o,
			    jc->key) != NULL, "%s: member %s: got none", jc->what,
			    jc->key);
	}
	cJSON_Delete(o);
	free(copy);
}
END_TEST

/* frame_json reads the decoded payload of a real frame */
START_TEST(test_json_decoded)
{
	const struct frame_case *fc = &frame_cases[2];	/* an MSG_ERROR body */
	struct frame	 f;
	unsigned char	*buf;
	size_t		 len;
	const cJSON	*code;
	cJSON		*o;

	buf = frame_case_encode(fc, &len);
	ck_assert_int_eq(frame_decode(buf, len, &f), (long)len);
	o = frame_json(&f);
	ck_assert_ptr_nonnull(o);
	code = cJSON_GetObjectItemCaseSensitive(o, "code");
	ck_assert(cJSON_IsString(code));
	ck_assert_str_eq(code->valuestring, "unavailable");
	cJSON_Delete(o);
	free(buf);
}
END_TEST

/* the descriptor is handed over once */
START_TEST(test_take_fd)
{
	struct frame	 f;
	int		 fd;

	memset(&f, 0, sizeof(f));
	f.fd = 7;
	fd = frame_take_fd(&f);
	ck_assert_msg(fd == 7, "first take: got %d, want 7", fd);
	ck_assert_msg(f.fd == -1, "after take: got %d, want -1", f.fd);
	fd = frame_take_fd(&f);
	ck_assert_msg(fd == -1, "second take: got %d, want -1", fd);
	f.fd = -1;
	ck_assert_int_eq(frame_take_fd(&f), -1);
}
END_TEST

/* every code has its own text; an unknown one says so */
START_TEST(test_strerror)
{
	static const int codes[] = { FRAME_OK, FRAME_ESHORT, FRAME_EMAGIC,
	    FRAME_EVERSION, FRAME_ETOOBIG, FRAME_EFLAGS, FRAME_ERESERVED };
	size_t	i, j;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_str_ne(frame_strerror(codes[i]),
		    "unknown frame error");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(frame_strerror(codes[i]),
			    frame_strerror(codes[j]));
	}
	ck_assert_str_eq(frame_strerror(-99), "unknown frame error");
	ck_assert_str_eq(frame_strerror(1), "unknown frame error");
}
END_TEST

/* frame_suite - the frame codec */
Suite *
frame_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("frame");

	tc = tcase_create("header");
	tcase_add_loop_test(tc, test_hdr_roundtrip, 0, NCASES);
	tcase_add_loop_test(tc, test_hdr_layout, 0, NCASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_decode_roundtrip, 0, NCASES);
	tcase_add_loop_test(tc, test_decode_truncated, 0, NCASES);
	tcase_add_test(tc, test_decode_early_errors);
	tcase_add_loop_test(tc, test_decode_bad_header, 0,
	    (int)(sizeof(frame_bads) / sizeof(frame_bads[0])));
	tcase_add_test(tc, test_decode_oversize);
	tcase_add_test(tc, test_decode_max);
	tcase_add_test(tc, test_decode_merged);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_loop_test(tc, test_json, 0,
	    (int)(sizeof(json_cases) / sizeof(json_cases[0])));
	tcase_add_test(tc, test_json_decoded);
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_test(tc, test_take_fd);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);

	return (s);
}
