/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_eng_demux - unit tests for Docker's log stream demuxer and
 *	the last-lines keeper (workers/engines/eng_demux.c)
 * SYNOPSIS
 *	Suite	*eng_demux_suite(void);
 * DESCRIPTION
 *	The demuxer: one frame; two frames cut at every byte offset, and
 *	fed a byte at a time; a payload in pieces; many frames in one
 *	buffer; stdin, stdout and stderr ids; a bad stream id, non-zero
 *	padding, an oversize frame; empty frames; raw mode; staying failed
 *	after an error; the callback's non-zero value returned.
 *
 *	eng_lines: the last n lines kept, the unfinished last line, a long
 *	line cut, "\r\n", invalid UTF-8 and NUL made '?', n of 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "eng_demux.h"

Suite	*eng_demux_suite(void);

/* what the callback saw */
struct got {
	char	out[3][8192];	/* by stream */
	size_t	len[3];
	int	calls;
	int	ret;		/* what the callback returns */
	int	fail_at;	/* return ret from this call on (1-based) */
};

/* got_cb - the demux callback: append data to its stream */
static int
got_cb(int stream, const char *data, size_t len, void *arg)
{
	struct got	*g = arg;

	ck_assert(stream >= 0 && stream <= 2);
	ck_assert(len > 0);
	ck_assert(g->len[stream] + len < sizeof(g->out[stream]));
	memcpy(g->out[stream] + g->len[stream], data, len);
	g->len[stream] += len;
	g->out[stream][g->len[stream]] = '\0';
	g->calls++;
	if (g->fail_at > 0 && g->calls >= g->fail_at)
		return (g->ret);
	return (0);
}

/* frame - append a frame (stream, payload) to buf at *n */
static void
frame(char *buf, size_t *n, int stream, const char *payload, size_t len)
{
	unsigned char	*h = (unsigned char *)buf + *n;

	h[0] = (unsigned char)stream;
	h[1] = h[2] = h[3] = 0;
	h[4] = (unsigned char)(len >> 24);
	h[5] = (unsigned char)(len >> 16);
	h[6] = (unsigned char)(len >> 8);
	h[7] = (unsigned char)len;
	memcpy(buf + *n + 8, payload, len);
	*n += 8 + len;
}

START_TEST(test_single_frame)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 1, "hello", 5);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 0);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_str_eq(g.out[1], "hello");
	ck_assert_uint_eq(g.len[2], 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, 0, got_cb, &g), 0);
	ck_assert_int_eq(g.calls, 1);
}
END_TEST

START_TEST(test_split_everywhere)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0, k, i;

	frame(buf, &n, 1, "hello\n", 6);
	frame(buf, &n, 2, "oops", 4);
	for (k = 0; k <= n; k++) {
		memset(&g, 0, sizeof(g));
		eng_demux_init(&d, 0);
		ck_assert_int_eq(eng_demux_feed(&d, buf, k, got_cb, &g), 0);
		ck_assert_int_eq(eng_demux_feed(&d, buf + k, n - k, got_cb,
		    &g), 0);
		ck_assert_str_eq(g.out[1], "hello\n");
		ck_assert_str_eq(g.out[2], "oops");
		ck_assert_uint_eq(d.left, 0);
		ck_assert_uint_eq(d.hdr_have, 0);
	}
	/* a byte at a time */
	memset(&g, 0, sizeof(g));
	eng_demux_init(&d, 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(eng_demux_feed(&d, buf + i, 1, got_cb, &g),
		    0);
	ck_assert_str_eq(g.out[1], "hello\n");
	ck_assert_str_eq(g.out[2], "oops");
	ck_assert_int_eq(g.calls, 10);
}
END_TEST

START_TEST(test_payload_split)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 2, "0123456789", 10);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, 11, got_cb, &g), 0);
	ck_assert_str_eq(g.out[2], "012");	/* passed on at once */
	ck_assert_uint_eq(d.left, 7);
	ck_assert_int_eq(eng_demux_feed(&d, buf + 11, 4, got_cb, &g), 0);
	ck_assert_str_eq(g.out[2], "0123456");
	ck_assert_int_eq(eng_demux_feed(&d, buf + 15, n - 15, got_cb, &g), 0);
	ck_assert_str_eq(g.out[2], "0123456789");
	ck_assert_int_eq(g.calls, 3);
}
END_TEST

START_TEST(test_many_frames)
{
	struct eng_demux	 d;
	struct got		 g;
	char			*buf, want1[4096], want2[4096], p[32];
	size_t			 n = 0, w1 = 0, w2 = 0, plen;
	int			 i, s;

	memset(&g, 0, sizeof(g));
	buf = malloc(200 * 40);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < 200; i++) {
		s = i % 3 == 0 ? 2 : 1;
		plen = (size_t)snprintf(p, sizeof(p), "line %d\n", i);
		frame(buf, &n, s, p, plen);
		if (s == 1) {
			memcpy(want1 + w1, p, plen);
			w1 += plen;
		} else {
			memcpy(want2 + w2, p, plen);
			w2 += plen;
		}
	}
	want1[w1] = want2[w2] = '\0';
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 0);
	ck_assert_int_eq(g.calls, 200);
	ck_assert_str_eq(g.out[1], want1);
	ck_assert_str_eq(g.out[2], want2);
	free(buf);
}
END_TEST

START_TEST(test_stream_ids)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 0, "in", 2);
	frame(buf, &n, 1, "out", 3);
	frame(buf, &n, 2, "err", 3);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 0);
	ck_assert_str_eq(g.out[0], "in");
	ck_assert_str_eq(g.out[1], "out");
	ck_assert_str_eq(g.out[2], "err");
}
END_TEST

START_TEST(test_bad_stream)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 1, "ok", 2);
	frame(buf, &n, 3, "bad", 3);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), -1);
	ck_assert_str_eq(g.out[1], "ok");	/* what came before stays */
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(d.failed, 1);
	/* a plain-text body ("{" is 0x7b) is not a frame */
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, "{\"message\":\"x\"}", 15, got_cb,
	    &g), -1);
}
END_TEST

START_TEST(test_padding)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n, i;

	for (i = 1; i <= 3; i++) {
		memset(&g, 0, sizeof(g));
		n = 0;
		frame(buf, &n, 1, "x", 1);
		buf[i] = 1;
		eng_demux_init(&d, 0);
		/* the header's last byte decides, however it is cut */
		ck_assert_int_eq(eng_demux_feed(&d, buf, 7, got_cb, &g), 0);
		ck_assert_int_eq(eng_demux_feed(&d, buf + 7, n - 7, got_cb,
		    &g), -1);
		ck_assert_int_eq(g.calls, 0);
	}
}
END_TEST

START_TEST(test_oversize)
{
	struct eng_demux	d;
	struct got		g;
	unsigned char		h[8] = { 1, 0, 0, 0 };
	uint32_t		big = ENG_DEMUX_FRAME_MAX + 1;

	memset(&g, 0, sizeof(g));
	h[4] = (unsigned char)(big >> 24);
	h[5] = (unsigned char)(big >> 16);
	h[6] = (unsigned char)(big >> 8);
	h[7] = (unsigned char)big;
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, (char *)h, 8, got_cb, &g), -1);
	/* the largest allowed is accepted */
	big = ENG_DEMUX_FRAME_MAX;
	h[4] = (unsigned char)(big >> 24);
	h[5] = (unsigned char)(big >> 16);
	h[6] = (unsigned char)(big >> 8);
	h[7] = (unsigned char)big;
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, (char *)h, 8, got_cb, &g), 0);
	ck_assert_uint_eq(d.left, ENG_DEMUX_FRAME_MAX);
	/* 0xffffffff */
	memset(h + 4, 0xff, 4);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, (char *)h, 8, got_cb, &g), -1);
}
END_TEST

START_TEST(test_empty_frames)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 1, "", 0);
	frame(buf, &n, 2, "e", 1);
	frame(buf, &n, 1, "", 0);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 0);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_str_eq(g.out[2], "e");
}
END_TEST

START_TEST(test_raw)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 2, "abc", 3);	/* looks like a frame: passed as is */
	eng_demux_init(&d, 1);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 0);
	ck_assert_int_eq(eng_demux_feed(&d, "tty\n", 4, got_cb, &g), 0);
	ck_assert_uint_eq(g.len[1], n + 4);
	ck_assert_int_eq(memcmp(g.out[1], buf, n), 0);
	ck_assert_str_eq(g.out[1] + n, "tty\n");
	ck_assert_uint_eq(g.len[2], 0);
	ck_assert_int_eq(g.calls, 2);
}
END_TEST

START_TEST(test_stays_failed)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64], bad[8] = { 9 };
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	frame(buf, &n, 1, "fine", 4);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, bad, 8, got_cb, &g), -1);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), -1);
	ck_assert_int_eq(eng_demux_feed(&d, buf, 0, got_cb, &g), -1);
	ck_assert_int_eq(g.calls, 0);
	/* init starts afresh */
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 0);
	ck_assert_str_eq(g.out[1], "fine");
}
END_TEST

START_TEST(test_callback_value)
{
	struct eng_demux	d;
	struct got		g;
	char			buf[64];
	size_t			n = 0;

	memset(&g, 0, sizeof(g));
	g.fail_at = 2;
	g.ret = 7;
	frame(buf, &n, 1, "one", 3);
	frame(buf, &n, 2, "two", 3);
	frame(buf, &n, 1, "three", 5);
	eng_demux_init(&d, 0);
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), 7);
	ck_assert_int_eq(g.calls, 2);		/* not called again */
	ck_assert_str_eq(g.out[1], "one");
	ck_assert_int_eq(eng_demux_feed(&d, buf, n, got_cb, &g), -1);
	ck_assert_int_eq(g.calls, 2);
	/* raw mode too */
	memset(&g, 0, sizeof(g));
	g.fail_at = 1;
	g.ret = -5;
	eng_demux_init(&d, 1);
	ck_assert_int_eq(eng_demux_feed(&d, "x", 1, got_cb, &g), -5);
	ck_assert_int_eq(eng_demux_feed(&d, "x", 1, got_cb, &g), -1);
	ck_assert_int_eq(g.calls, 1);
}
END_TEST

/* lines_eq - l's JSON is exactly the want array (JSON text) */
static void
lines_eq(const struct eng_lines *l, const char *want)
{
	cJSON	*a, *w;

	a = eng_lines_json(l);
	ck_assert_ptr_nonnull(a);
	w = cJSON_Parse(want);
	ck_assert_ptr_nonnull(w);
	if (!cJSON_Compare(a, w, 1)) {
		char	*s = cJSON_PrintUnformatted(a);

		ck_abort_msg("lines %s, want %s", s, want);
	}
	cJSON_Delete(a);
	cJSON_Delete(w);
}

START_TEST(test_lines_last_n)
{
	struct eng_lines	*l;

	l = eng_lines_new(3);
	lines_eq(l, "[]");
	eng_lines_add(l, "a\nb\n", 4);
	lines_eq(l, "[\"a\",\"b\"]");
	eng_lines_add(l, "c\nd\ne\n", 6);
	lines_eq(l, "[\"c\",\"d\",\"e\"]");
	eng_lines_add(l, "\n", 1);		/* an empty line is a line */
	lines_eq(l, "[\"d\",\"e\",\"\"]");
	eng_lines_add(l, "win\r\n", 5);		/* a TTY's line end */
	lines_eq(l, "[\"e\",\"\",\"win\"]");
	eng_lines_free(l);
	l = eng_lines_new(0);
	eng_lines_add(l, "a\nb", 3);
	lines_eq(l, "[]");
	eng_lines_free(l);
	eng_lines_free(NULL);
}
END_TEST

START_TEST(test_lines_partial)
{
	struct eng_lines	*l;

	l = eng_lines_new(3);
	eng_lines_add(l, "he", 2);
	lines_eq(l, "[\"he\"]");
	eng_lines_add(l, "llo\nwor", 7);
	lines_eq(l, "[\"hello\",\"wor\"]");
	eng_lines_add(l, "ld\nx\ny\nz", 8);
	/* the unfinished line is one of the n */
	lines_eq(l, "[\"x\",\"y\",\"z\"]");
	eng_lines_add(l, "z\n", 2);
	lines_eq(l, "[\"x\",\"y\",\"zz\"]");
	eng_lines_free(l);
}
END_TEST

START_TEST(test_lines_long)
{
	struct eng_lines	*l;
	cJSON			*a;
	char			*big;
	size_t			 i;

	big = malloc(3000);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 3000);
	l = eng_lines_new(4);
	/* in pieces across the limit */
	for (i = 0; i < 3000; i += 700)
		eng_lines_add(l, big + i, 3000 - i < 700 ? 3000 - i : 700);
	eng_lines_add(l, "\nnext\n", 6);
	a = eng_lines_json(l);
	ck_assert_int_eq(cJSON_GetArraySize(a), 2);
	ck_assert_uint_eq(strlen(cJSON_GetArrayItem(a, 0)->valuestring),
	    ENG_DEMUX_LINE_MAX);
	ck_assert_str_eq(cJSON_GetArrayItem(a, 1)->valuestring, "next");
	cJSON_Delete(a);
	/* a cut in the middle of a UTF-8 sequence */
	memset(big, 'y', ENG_DEMUX_LINE_MAX - 1);
	memcpy(big + ENG_DEMUX_LINE_MAX - 1, "\xc3\xa9\n", 3);
	eng_lines_add(l, big, ENG_DEMUX_LINE_MAX + 2);
	a = eng_lines_json(l);
	ck_assert_int_eq(cJSON_GetArraySize(a), 3);
	big[ENG_DEMUX_LINE_MAX - 1] = '?';
	big[ENG_DEMUX_LINE_MAX] = '\0';
	ck_assert_str_eq(cJSON_GetArrayItem(a, 2)->valuestring, big);
	cJSON_Delete(a);
	eng_lines_free(l);
	free(big);
}
END_TEST

START_TEST(test_lines_utf8)
{
	static const char in[] =
	    "ok \xff\xfe \xc3\xa9 \xc3\x28 \xe2\x82\xac \xed\xa0\x80 "
	    "\xf4\x90\x80\x80 \xf0\x9f\x98\x80 \xc0\xaf \xe0\x80\xaf "
	    "nul\0! \xe2\x82\n\xe2\x82";
	struct eng_lines	*l;
	cJSON			*a;

	l = eng_lines_new(5);
	eng_lines_add(l, in, sizeof(in) - 1);
	a = eng_lines_json(l);
	ck_assert_int_eq(cJSON_GetArraySize(a), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(a, 0)->valuestring,
	    "ok ?? \xc3\xa9 ?( \xe2\x82\xac ??? ???? \xf0\x9f\x98\x80 ?? "
	    "??? nul?! ??");
	ck_assert_str_eq(cJSON_GetArrayItem(a, 1)->valuestring, "??");
	cJSON_Delete(a);
	eng_lines_free(l);
}
END_TEST

/* eng_demux_suite - the demuxer and the last-lines keeper */
Suite *
eng_demux_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("eng_demux");
	tc = tcase_create("demux");
	tcase_add_test(tc, test_single_frame);
	tcase_add_test(tc, test_split_everywhere);
	tcase_add_test(tc, test_payload_split);
	tcase_add_test(tc, test_many_frames);
	tcase_add_test(tc, test_stream_ids);
	tcase_add_test(tc, test_bad_stream);
	tcase_add_test(tc, test_padding);
	tcase_add_test(tc, test_oversize);
	tcase_add_test(tc, test_empty_frames);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_stays_failed);
	tcase_add_test(tc, test_callback_value);
	suite_add_tcase(s, tc);
	tc = tcase_create("lines");
	tcase_add_test(tc, test_lines_last_n);
	tcase_add_test(tc, test_lines_partial);
	tcase_add_test(tc, test_lines_long);
	tcase_add_test(tc, test_lines_utf8);
	suite_add_tcase(s, tc);
	return (s);
}
