/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	check_channel - unit tests for the framed channel (common/channel.c)
 * SYNOPSIS
 *	Suite	*channel_suite(void);
 * DESCRIPTION
 *	Every test runs on a real socketpair(AF_UNIX, SOCK_STREAM) and an
 *	event_base. Either both ends are channels, or one end is a raw
 *	descriptor the test writes bytes on, to cut frames where it likes
 *	or send what no channel would. The loop runs until a condition
 *	holds or a deadline passes (run_until); nothing sleeps.
 *
 *	Covered: frames of several types, flags, ids and sizes both ways;
 *	a frame written one byte at a time; frames merged in one write; a
 *	900 KiB and a FRAME_MAX frame; each protocol error closing the
 *	channel with its FRAME_E* code; peer EOF, clean and mid-frame;
 *	descriptor passing (taken, closed when not taken, a flood of
 *	unclaimed ones refused and closed); requests
 *	answered, timed out, failed by a close (EPIPE) or by chan_free
 *	(ECANCELED), matched by id; chan_free from inside each callback;
 *	sends on a closed channel; a write error reported from the loop.
 * DIAGNOSTICS
 *	Failures say "got X, want Y".
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <event2/event.h>

#include "channel.h"
#include "frame.h"
#include "msg.h"
#include "proc.h"

Suite	*channel_suite(void);

#define REC_MAX		8
#define RUN_MS		5000	/* a deadline for conditions that must hold */

/* What one end saw. */
struct rec {
	struct chan	*chan;
	int		 nframes;
	struct frame_hdr hdr[REC_MAX];
	unsigned char	*payload[REC_MAX];	/* copies */
	int		 fd[REC_MAX];		/* taken descriptors */
	int		 take_fd;		/* take descriptors that come */
	int		 reply;			/* answer each request */
	int		 free_in_frame;		/* chan_free from on_frame */
	int		 free_in_close;		/* chan_free from on_close */
	int		 nclose;
	int		 close_err;
	int		 close_seq;
};

/* What a request's callback saw. */
struct rep {
	struct chan	*chan;		/* to free from the callback, or NULL */
	struct rec	*owner;		/* whose chan pointer to clear */
	int		 calls;
	int		 err;
	int		 got_frame;
	struct frame_hdr hdr;
	char		 body[256];
	int		 seq;
};

static struct event_base *base;
static int		 sv[2];		/* sv[0] and sv[1]; -1 once owned */
static int		 rb_fd = -1;	/* b's descriptor, for FIONREAD */
static struct rec	 ra, rb;
static int		 seq;

/* rec_reset - an empty record */
static void
rec_reset(struct rec *r)
{
	int	i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < REC_MAX; i++)
		r->fd[i] = -1;
	r->close_err = 12345;
}

/* rec_clear - free what a record holds */
static void
rec_clear(struct rec *r)
{
	int	i;

	chan_free(r->chan);
	r->chan = NULL;
	for (i = 0; i < REC_MAX; i++) {
		free(r->payload[i]);
		r->payload[i] = NULL;
		if (r->fd[i] != -1)
			close(r->fd[i]);
		r->fd[i] = -1;
	}
}

/* rec_frame_cb - on_frame: record, maybe reply, take the fd, or free */
static void
rec_frame_cb(struct chan *c, struct frame *f, void *arg)
{
	struct rec	*r = arg;
	int		 i = r->nframes;

	ck_assert_ptr_eq(c, r->chan);
	r->nframes++;
	if (i < REC_MAX) {
		r->hdr[i] = f->hdr;
		r->payload[i] = malloc(f->hdr.len + 1);
		ck_assert_ptr_nonnull(r->payload[i]);
		memcpy(r->payload[i], f->payload, f->hdr.len);
		r->payload[i][f->hdr.len] = '\0';
		if (r->take_fd)
			r->fd[i] = frame_take_fd(f);
	}
	if (r->reply && f->hdr.id != 0 && !(f->hdr.flags & FRAME_F_REPLY)) {
		struct frame_hdr h = f->hdr;

		h.flags = FRAME_F_REPLY;
		h.type = MSG_PONG;
		h.dst = f->hdr.src;
		h.src = 0;
		ck_assert_int_eq(chan_send(c, &h, f->payload, -1), 0);
	}
	if (r->free_in_frame) {
		chan_free(c);
		r->chan = NULL;
	}
}

/* rec_close_cb - on_close: record, maybe free */
static void
rec_close_cb(struct chan *c, int err, void *arg)
{
	struct rec	*r = arg;

	ck_assert_ptr_eq(c, r->chan);
	r->nclose++;
	r->close_err = err;
	r->close_seq = ++seq;
	if (r->free_in_close) {
		chan_free(c);
		r->chan = NULL;
	}
}

/* rep_cb - a request's callback */
static void
rep_cb(struct chan *c, struct frame *f, int err, void *arg)
{
	struct rep	*p = arg;
	size_t		 n;

	p->calls++;
	p->err = err;
	p->seq = ++seq;
	if (f != NULL) {
		p->got_frame = 1;
		p->hdr = f->hdr;
		n = f->hdr.len < sizeof(p->body) - 1 ? f->hdr.len :
		    sizeof(p->body) - 1;
		memcpy(p->body, f->payload, n);
		p->body[n] = '\0';
	}
	if (p->chan != NULL) {
		ck_assert_ptr_eq(c, p->chan);
		chan_free(c);
		p->chan = NULL;
		if (p->owner != NULL)
			p->owner->chan = NULL;
	}
}

/* run_expire_cb - the deadline of run_until */
static void
run_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	*(int *)arg = 1;
}

typedef int run_cond(const void *);

/* run_until - run the loop until cond holds or ms pass; cond's value */
static int
run_until(run_cond *cond, const void *arg, int ms)
{
	struct event	*t;
	struct timeval	 tv;
	int		 expired = 0;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	t = evtimer_new(base, run_expire_cb, &expired);
	ck_assert_ptr_nonnull(t);
	evtimer_add(t, &tv);
	while (!cond(arg) && !expired)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(t);
	return (cond(arg));
}

struct at_least {
	const int	*p;
	int		 n;
};

/* cond_at_least - *p >= n */
static int
cond_at_least(const void *arg)
{
	const struct at_least *a = arg;

	return (*a->p >= a->n);
}

/* run_until_n - run until *p >= n (or RUN_MS); 1 if it got there */
static int
run_until_n(const int *p, int n)
{
	struct at_least	a = { p, n };

	return (run_until(cond_at_least, &a, RUN_MS));
}

/* cond_drained - the kernel holds no unread bytes for *fd */
static int
cond_drained(const void *arg)
{
	int	n = -1;

	if (ioctl(*(const int *)arg, FIONREAD, &n) == -1)
		return (1);
	return (n == 0);
}

/* run_idle - a few passes of the loop without blocking */
static void
run_idle(int passes)
{
	while (passes-- > 0)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

/* raw_write - all of buf on a raw descriptor */
static void
raw_write(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		ck_assert_msg(n > 0, "send: got %zd (%s)", n, strerror(errno));
		p += n;
		len -= (size_t)n;
	}
}

/* encode - header and payload into a new buffer */
static unsigned char *
encode(uint16_t type, uint8_t flags, uint8_t src, uint8_t dst, uint32_t id,
    const void *payload, uint32_t len, size_t *total)
{
	struct frame_hdr h;
	unsigned char	*buf;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.flags = flags;
	h.src = src;
	h.dst = dst;
	h.id = id;
	h.len = len;
	*total = FRAME_HDR_LEN + len;
	buf = malloc(*total);
	ck_assert_ptr_nonnull(buf);
	frame_hdr_pack(&h, buf);
	if (len > 0)
		memcpy(buf + FRAME_HDR_LEN, payload, len);
	return (buf);
}

/* pattern - deterministic bytes */
static unsigned char *
pattern(size_t len, unsigned seed)
{
	unsigned char	*p = malloc(len > 0 ? len : 1);
	size_t		 i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < len; i++)
		p[i] = (unsigned char)((i * 31 + seed) % 251);
	return (p);
}

/* fd_is_open - fcntl says so */
static int
fd_is_open(int fd)
{
	return (fcntl(fd, F_GETFD) != -1);
}

/* chan_setup - a socketpair and its records, no channel yet */
static void
chan_setup(void)
{
	base = event_base_new();
	ck_assert_ptr_nonnull(base);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	rec_reset(&ra);
	rec_reset(&rb);
	seq = 0;
}

/* chan_teardown - free whatever the test left */
static void
chan_teardown(void)
{
	rec_clear(&ra);
	rec_clear(&rb);
	if (sv[0] != -1)
		close(sv[0]);
	if (sv[1] != -1)
		close(sv[1]);
	sv[0] = sv[1] = -1;
	rb_fd = -1;
	event_base_free(base);
	base = NULL;
}

/* two_chans - a on sv[0], b on sv[1] */
static void
two_chans(void)
{
	ra.chan = chan_new(base, sv[0], rec_frame_cb, rec_close_cb, &ra);
	rb.chan = chan_new(base, sv[1], rec_frame_cb, rec_close_cb, &rb);
	ck_assert_ptr_nonnull(ra.chan);
	ck_assert_ptr_nonnull(rb.chan);
	sv[0] = sv[1] = -1;
}

/* one_chan - b on sv[0]; the test writes raw bytes on sv[1] */
static void
one_chan(void)
{
	rb.chan = chan_new(base, sv[0], rec_frame_cb, rec_close_cb, &rb);
	ck_assert_ptr_nonnull(rb.chan);
	rb_fd = sv[0];		/* still open while rb.chan is */
	sv[0] = -1;
}

struct send_case {
	uint16_t	 type;
	uint8_t		 flags;
	uint8_t		 src, dst;
	uint32_t	 id, gen;
	uint32_t	 len;
};

static const struct send_case send_cases[] = {
	{ MSG_PING, 0, 33, 0, 1, 1, 0 },
	{ MSG_READY, 0, 1, 0, 0, 9, 0 },
	{ MSG_STATUS, 0, 2, 0, 77, 3, 2 },
	{ MSG_ERROR, FRAME_F_REPLY, 0, 33, 0xffffffff, 1, 100 },
	{ MSG_CONFIG, 0, 0, 1, 0, 0xffffffff, 4096 },
	{ 0xffff, FRAME_F_REPLY, 255, 254, 123456, 0, 64 * 1024 + 3 },
	{ 300, 0, 5, 6, 2, 2, 300 * 1000 },
};

/* frames of several types, flags, ids and sizes arrive as sent */
START_TEST(test_send_table)
{
	const struct send_case *sc = &send_cases[_i];
	struct frame_hdr h;
	unsigned char	*p;

	two_chans();
	p = pattern(sc->len, (unsigned)_i);
	memset(&h, 0, sizeof(h));
	h.type = sc->type;
	h.flags = sc->flags;
	h.src = sc->src;
	h.dst = sc->dst;
	h.id = sc->id;
	h.gen = sc->gen;
	h.len = sc->len;
	/* b's src is 0: replies go to dst != 0 so no request matching */
	ck_assert_int_eq(chan_send(ra.chan, &h, p, -1), 0);
	ck_assert_msg(run_until_n(&rb.nframes, 1), "case %d: no frame", _i);
	ck_assert_msg(rb.hdr[0].type == sc->type, "case %d: type: got %u, "
	    "want %u", _i, rb.hdr[0].type, sc->type);
	ck_assert_msg(rb.hdr[0].flags == sc->flags, "case %d: flags: got 0x%x, "
	    "want 0x%x", _i, rb.hdr[0].flags, sc->flags);
	ck_assert_msg(rb.hdr[0].src == sc->src, "case %d: src: got %u, "
	    "want %u", _i, rb.hdr[0].src, sc->src);
	ck_assert_msg(rb.hdr[0].dst == sc->dst, "case %d: dst: got %u, "
	    "want %u", _i, rb.hdr[0].dst, sc->dst);
	ck_assert_msg(rb.hdr[0].id == sc->id, "case %d: id: got %u, want %u",
	    _i, rb.hdr[0].id, sc->id);
	ck_assert_msg(rb.hdr[0].gen == sc->gen, "case %d: gen: got %u, "
	    "want %u", _i, rb.hdr[0].gen, sc->gen);
	ck_assert_msg(rb.hdr[0].len == sc->len, "case %d: len: got %u, "
	    "want %u", _i, rb.hdr[0].len, sc->len);
	ck_assert_msg(memcmp(rb.payload[0], p, sc->len) == 0,
	    "case %d: payload differs", _i);
	run_idle(3);
	ck_assert_msg(rb.nframes == 1, "case %d: frames: got %d, want 1", _i,
	    rb.nframes);
	ck_assert_int_eq(ra.nframes, 0);
	ck_assert_int_eq(ra.nclose + rb.nclose, 0);
	free(p);
}
END_TEST

/* chan_send_json stamps src and gen and prints the body unformatted */
START_TEST(test_send_json)
{
	cJSON	*body, *got;

	two_chans();
	chan_set_src(ra.chan, 33);
	chan_set_gen(ra.chan, 7);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "k", "v");
	cJSON_AddNumberToObject(body, "n", 3);
	ck_assert_int_eq(chan_send_json(ra.chan, MSG_STATUS, 0, 5, 0, body), 0);
	ck_assert_int_eq(chan_send_json(ra.chan, MSG_READY, 0, 0, 0, NULL), 0);
	cJSON_Delete(body);
	ck_assert(run_until_n(&rb.nframes, 2));
	ck_assert_uint_eq(rb.hdr[0].type, MSG_STATUS);
	ck_assert_uint_eq(rb.hdr[0].src, 33);
	ck_assert_uint_eq(rb.hdr[0].gen, 7);
	ck_assert_uint_eq(rb.hdr[0].dst, 0);
	ck_assert_uint_eq(rb.hdr[0].id, 5);
	ck_assert_str_eq((char *)rb.payload[0], "{\"k\":\"v\",\"n\":3}");
	{
		struct frame f;

		memset(&f, 0, sizeof(f));
		f.hdr = rb.hdr[0];
		f.payload = rb.payload[0];
		got = frame_json(&f);
		ck_assert_ptr_nonnull(got);
		cJSON_Delete(got);
	}
	ck_assert_uint_eq(rb.hdr[1].type, MSG_READY);
	ck_assert_msg(rb.hdr[1].len == 0, "NULL body: got len %u, want 0",
	    rb.hdr[1].len);
	ck_assert_uint_eq(rb.hdr[1].src, 33);
}
END_TEST

/* a frame written one byte at a time is delivered once, whole */
START_TEST(test_partial)
{
	unsigned char	*p, *buf;
	size_t		 total, k;

	one_chan();
	p = pattern(100, 5);
	buf = encode(MSG_CONFIG, 0, 0, 1, 9, p, 100, &total);
	for (k = 0; k < total; k++) {
		raw_write(sv[1], buf + k, 1);
		/* the channel has read every byte written so far */
		ck_assert_msg(run_until(cond_drained, &rb_fd, RUN_MS),
		    "byte %zu: not read", k);
		if (k + 1 < total)
			ck_assert_msg(rb.nframes == 0,
			    "after %zu of %zu bytes: got %d frames, want 0",
			    k + 1, total, rb.nframes);
	}
	ck_assert(run_until_n(&rb.nframes, 1));
	run_idle(3);
	ck_assert_msg(rb.nframes == 1, "frames: got %d, want 1", rb.nframes);
	ck_assert_uint_eq(rb.hdr[0].type, MSG_CONFIG);
	ck_assert_uint_eq(rb.hdr[0].id, 9);
	ck_assert_uint_eq(rb.hdr[0].len, 100);
	ck_assert(memcmp(rb.payload[0], p, 100) == 0);
	ck_assert_int_eq(rb.nclose, 0);
	free(p);
	free(buf);
}
END_TEST

/* frames merged in one write, and frames cut across writes */
START_TEST(test_merged)
{
	unsigned char	*a, *b, *c, *all;
	size_t		 alen, blen, clen, total, off, n;
	int		 round;

	one_chan();
	a = encode(MSG_PING, 0, 1, 2, 1, "first", 5, &alen);
	b = encode(MSG_PONG, 0, 1, 2, 2, "", 0, &blen);
	c = encode(MSG_STATUS, 0, 1, 2, 3, "{\"third\":3}", 11, &clen);
	total = alen + blen + clen;
	all = malloc(total);
	ck_assert_ptr_nonnull(all);
	memcpy(all, a, alen);
	memcpy(all + alen, b, blen);
	memcpy(all + alen + blen, c, clen);

	/* round 0: all three in one write; round 1: 7-byte pieces */
	for (round = 0; round < 2; round++) {
		if (round == 1) {
			rec_clear(&rb);
			rec_reset(&rb);
			close(sv[1]);
			ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM |
			    SOCK_CLOEXEC, 0, sv), 0);
			one_chan();
		}
		for (off = 0; off < total; off += n) {
			n = round == 0 ? total : 7;
			if (n > total - off)
				n = total - off;
			raw_write(sv[1], all + off, n);
			ck_assert(run_until(cond_drained, &rb_fd, RUN_MS));
		}
		ck_assert(run_until_n(&rb.nframes, 3));
		run_idle(3);
		ck_assert_msg(rb.nframes == 3, "round %d: got %d frames, want 3",
		    round, rb.nframes);
		ck_assert_uint_eq(rb.hdr[0].id, 1);
		ck_assert_str_eq((char *)rb.payload[0], "first");
		ck_assert_uint_eq(rb.hdr[1].id, 2);
		ck_assert_uint_eq(rb.hdr[1].len, 0);
		ck_assert_uint_eq(rb.hdr[2].id, 3);
		ck_assert_str_eq((char *)rb.payload[2], "{\"third\":3}");
		ck_assert_int_eq(rb.nclose, 0);
	}
	free(a);
	free(b);
	free(c);
	free(all);
}
END_TEST

/* a large frame is queued, written as the peer reads, and arrives intact */
START_TEST(test_large)
{
	static const uint32_t sizes[] = { 900 * 1024, FRAME_MAX };
	struct frame_hdr h;
	unsigned char	*p;
	size_t		 k;

	two_chans();
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		p = pattern(sizes[k], (unsigned)k);
		memset(&h, 0, sizeof(h));
		h.type = MSG_CONFIG;
		h.dst = 1;
		h.id = (uint32_t)k + 1;
		h.len = sizes[k];
		ck_assert_int_eq(chan_send(ra.chan, &h, p, -1), 0);
		/* more than a socket buffer: the rest waits for EV_WRITE */
		ck_assert_msg(chan_outq(ra.chan) > 0,
		    "%u bytes: outq got 0, want > 0", sizes[k]);
		/* and a small frame right behind it */
		h.len = 2;
		h.id = 100 + (uint32_t)k;
		ck_assert_int_eq(chan_send(ra.chan, &h, "hi", -1), 0);
		ck_assert(run_until_n(&rb.nframes, 2 * (int)k + 2));
		ck_assert_msg(rb.hdr[2 * k].len == sizes[k],
		    "len: got %u, want %u", rb.hdr[2 * k].len, sizes[k]);
		ck_assert_msg(memcmp(rb.payload[2 * k], p, sizes[k]) == 0,
		    "%u-byte payload differs", sizes[k]);
		ck_assert_uint_eq(rb.hdr[2 * k + 1].id, 100 + k);
		ck_assert_str_eq((char *)rb.payload[2 * k + 1], "hi");
		ck_assert_msg(chan_outq(ra.chan) == 0, "outq: got %zu, want 0",
		    chan_outq(ra.chan));
		free(p);
	}
	ck_assert_int_eq(rb.nclose + ra.nclose, 0);
}
END_TEST

/* chan_send refuses a payload over FRAME_MAX and closes the fd it took */
START_TEST(test_send_oversize)
{
	struct frame_hdr h;
	int		 p[2];

	two_chans();
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	memset(&h, 0, sizeof(h));
	h.type = MSG_CONFIG;
	h.len = FRAME_MAX + 1;
	/* the payload is never read: the length is checked first */
	ck_assert_int_eq(chan_send(ra.chan, &h, "", p[0]), -1);
	ck_assert_msg(!fd_is_open(p[0]), "fd of a refused frame left open");
	ck_assert_msg(chan_outq(ra.chan) == 0, "outq: got %zu, want 0",
	    chan_outq(ra.chan));
	ck_assert(chan_is_open(ra.chan));
	close(p[1]);
}
END_TEST

struct proto_case {
	const char	*what;
	int		 off;		/* header byte to poke, -1: raw text */
	unsigned char	 val;
	uint32_t	 len;		/* header length field */
	int		 want;
};

static const struct proto_case proto_cases[] = {
	{ "garbage", -1, 0, 0, FRAME_EMAGIC },
	{ "length FRAME_MAX+1", 0, FRAME_MAGIC, FRAME_MAX + 1, FRAME_ETOOBIG },
	{ "length 0xffffffff", 0, FRAME_MAGIC, 0xffffffff, FRAME_ETOOBIG },
	{ "version 2", 1, CORRAL_PROTO_VERSION + 1, 0, FRAME_EVERSION },
	{ "reserved byte", 7, 1, 0, FRAME_ERESERVED },
	{ "unknown flag", 4, 0x40, 0, FRAME_EFLAGS },
	{ "fd flag, no fd", 4, FRAME_F_FD, 0, FRAME_EFLAGS },
};

/* each protocol error closes the channel with its code, no frame */
START_TEST(test_proto_error)
{
	const struct proto_case *pc = &proto_cases[_i];
	static const char garbage[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct frame_hdr h;
	unsigned char	 buf[FRAME_HDR_LEN];

	one_chan();
	if (pc->off == -1)
		raw_write(sv[1], garbage, sizeof(garbage) - 1);
	else {
		memset(&h, 0, sizeof(h));
		h.type = MSG_CONFIG;
		h.len = pc->len;
		frame_hdr_pack(&h, buf);
		buf[pc->off] = pc->val;
		/* the header alone: an oversize length is refused unread */
		raw_write(sv[1], buf, sizeof(buf));
	}
	ck_assert_msg(run_until_n(&rb.nclose, 1), "%s: no close", pc->what);
	ck_assert_msg(rb.close_err == pc->want, "%s: err: got %d (%s), want "
	    "%d (%s)", pc->what, rb.close_err, frame_strerror(rb.close_err),
	    pc->want, frame_strerror(pc->want));
	ck_assert_msg(rb.nframes == 0, "%s: frames: got %d, want 0", pc->what,
	    rb.nframes);
	ck_assert(!chan_is_open(rb.chan));
	run_idle(3);
	ck_assert_msg(rb.nclose == 1, "%s: closes: got %d, want 1", pc->what,
	    rb.nclose);
}
END_TEST

/* peer EOF after whole frames: on_close with 0, once */
START_TEST(test_eof)
{
	unsigned char	*buf;
	size_t		 total;

	one_chan();
	buf = encode(MSG_PING, 0, 1, 0, 4, "ok", 2, &total);
	raw_write(sv[1], buf, total);
	close(sv[1]);
	sv[1] = -1;
	ck_assert(run_until_n(&rb.nclose, 1));
	ck_assert_msg(rb.nframes == 1, "frames: got %d, want 1", rb.nframes);
	ck_assert_msg(rb.close_err == 0, "err: got %d, want 0", rb.close_err);
	ck_assert(!chan_is_open(rb.chan));
	run_idle(3);
	ck_assert_int_eq(rb.nclose, 1);
	free(buf);
}
END_TEST

/* a frame cut by EOF: on_close with FRAME_ESHORT; the whole one before it
 * is still delivered */
START_TEST(test_eof_truncated)
{
	static const size_t cuts[] = { 1, 2, FRAME_HDR_LEN - 1, FRAME_HDR_LEN,
	    FRAME_HDR_LEN + 5 };
	unsigned char	*whole, *cut;
	size_t		 wlen, clen, k;

	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		if (k > 0) {
			rec_clear(&rb);
			rec_reset(&rb);
			ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM |
			    SOCK_CLOEXEC, 0, sv), 0);
		}
		one_chan();
		whole = encode(MSG_PING, 0, 1, 0, 1, "a", 1, &wlen);
		cut = encode(MSG_CONFIG, 0, 0, 1, 2, "0123456789", 10, &clen);
		raw_write(sv[1], whole, wlen);
		raw_write(sv[1], cut, cuts[k]);
		close(sv[1]);
		sv[1] = -1;
		ck_assert(run_until_n(&rb.nclose, 1));
		ck_assert_msg(rb.close_err == FRAME_ESHORT,
		    "cut at %zu: err: got %d, want %d", cuts[k], rb.close_err,
		    FRAME_ESHORT);
		ck_assert_msg(rb.nframes == 1, "cut at %zu: frames: got %d, "
		    "want 1", cuts[k], rb.nframes);
		free(whole);
		free(cut);
	}
}
END_TEST

/* a pipe end sent with a frame arrives usable and close-on-exec */
START_TEST(test_fd_pass)
{
	struct frame_hdr h;
	char		 buf[16];
	int		 p[2], fd;

	two_chans();
	rb.take_fd = 1;
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	memset(&h, 0, sizeof(h));
	h.type = MSG_CONFIG;
	h.len = 3;
	ck_assert_int_eq(chan_send(ra.chan, &h, "fd!", p[0]), 0);
	ck_assert(run_until_n(&rb.nframes, 1));
	ck_assert_msg(rb.hdr[0].flags & FRAME_F_FD, "flags: got 0x%x, want "
	    "FRAME_F_FD", rb.hdr[0].flags);
	ck_assert_str_eq((char *)rb.payload[0], "fd!");
	fd = rb.fd[0];
	ck_assert_msg(fd >= 0, "taken fd: got %d, want >= 0", fd);
	ck_assert_msg(fcntl(fd, F_GETFD) & FD_CLOEXEC, "received fd is not "
	    "close-on-exec");
	ck_assert_int_eq(write(p[1], "hello", 5), 5);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "hello");
	close(p[1]);
}
END_TEST

/* several descriptors in a row, frames with and without, in order */
START_TEST(test_fd_pass_many)
{
	struct frame_hdr h;
	char		 c;
	int		 p[3][2], i;

	two_chans();
	rb.take_fd = 1;
	memset(&h, 0, sizeof(h));
	h.type = MSG_CONFIG;
	h.len = 1;
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(pipe2(p[i], O_CLOEXEC), 0);
		ck_assert_int_eq(chan_send(ra.chan, &h, "x", p[i][0]), 0);
		ck_assert_int_eq(chan_send(ra.chan, &h, "y", -1), 0);
	}
	ck_assert(run_until_n(&rb.nframes, 6));
	for (i = 0; i < 3; i++) {
		ck_assert_int_ge(rb.fd[2 * i], 0);
		ck_assert_int_eq(rb.fd[2 * i + 1], -1);
		c = (char)('a' + i);
		ck_assert_int_eq(write(p[i][1], &c, 1), 1);
		c = 0;
		ck_assert_int_eq(read(rb.fd[2 * i], &c, 1), 1);
		ck_assert_msg(c == 'a' + i, "pipe %d: got '%c', want '%c'", i,
		    c, 'a' + i);
		close(p[i][1]);
	}
	ck_assert_int_eq(rb.nclose, 0);
}
END_TEST

/* a descriptor the handler does not take is closed by the channel */
START_TEST(test_fd_not_taken)
{
	struct frame_hdr h;
	char		 c;
	int		 p[2];

	two_chans();
	ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	memset(&h, 0, sizeof(h));
	h.type = MSG_CONFIG;
	/* send the write end: once the channel closes it, no writer is left */
	ck_assert_int_eq(chan_send(ra.chan, &h, NULL, p[1]), 0);
	ck_assert(run_until_n(&rb.nframes, 1));
	ck_assert_msg(read(p[0], &c, 1) == 0, "pipe: got no EOF, the passed "
	    "descriptor is still open somewhere");
	close(p[0]);
}
END_TEST

/* raw_send_fds - one byte and n copies of fd in one sendmsg */
static void
raw_send_fds(int sock, unsigned char byte, int fd, int n)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 16)];
	}		 cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*cmsg;
	int		 fds[16], i;

	ck_assert_int_le(n, 16);
	for (i = 0; i < n; i++)
		ck_assert_int_ge((fds[i] = dup(fd)), 0);
	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
	cmsg = CMSG_FIRSTHDR(&mh);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)n);
	ck_assert_int_eq(sendmsg(sock, &mh, MSG_NOSIGNAL), 1);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* descriptors no frame claims: past the queue's limit the channel closes,
 * and chan_free closes every one it held */
START_TEST(test_fd_flood)
{
	char	c;
	int	p[2];

	one_chan();
	ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	/* a valid start of a header, nine descriptors with each byte */
	raw_send_fds(sv[1], FRAME_MAGIC, p[1], 9);
	raw_send_fds(sv[1], CORRAL_PROTO_VERSION, p[1], 9);
	close(p[1]);
	ck_assert(run_until_n(&rb.nclose, 1));
	ck_assert_msg(rb.close_err == FRAME_EFLAGS, "err: got %d, want %d",
	    rb.close_err, FRAME_EFLAGS);
	ck_assert_int_eq(rb.nframes, 0);
	rec_clear(&rb);
	ck_assert_msg(read(p[0], &c, 1) == 0, "pipe: no EOF, a passed "
	    "descriptor outlived the channel");
	close(p[0]);
}
END_TEST

/* a reply with the request's id goes to the callback once, not on_frame */
START_TEST(test_request_reply)
{
	struct rep	 r1, r2;
	cJSON		*body;

	two_chans();
	chan_set_src(ra.chan, 33);
	chan_set_src(rb.chan, 1);
	rb.reply = 1;
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "q", "one");
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, body, -1, 5000,
	    rep_cb, &r1), 0);
	cJSON_Delete(body);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "q", "two");
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, body, -1, 5000,
	    rep_cb, &r2), 0);
	cJSON_Delete(body);
	ck_assert_int_eq(chan_pending(ra.chan), 2);
	ck_assert(run_until_n(&r2.calls, 1));
	ck_assert(run_until_n(&r1.calls, 1));
	/* the requests carried src 33, distinct non-zero ids */
	ck_assert_int_eq(rb.nframes, 2);
	ck_assert_uint_eq(rb.hdr[0].src, 33);
	ck_assert_uint_ne(rb.hdr[0].id, 0);
	ck_assert_uint_ne(rb.hdr[1].id, 0);
	ck_assert_uint_ne(rb.hdr[0].id, rb.hdr[1].id);
	/* each reply reached its own request */
	ck_assert_int_eq(r1.err, 0);
	ck_assert(r1.got_frame);
	ck_assert_uint_eq(r1.hdr.type, MSG_PONG);
	ck_assert_uint_eq(r1.hdr.id, rb.hdr[0].id);
	ck_assert_str_eq(r1.body, "{\"q\":\"one\"}");
	ck_assert_uint_eq(r2.hdr.id, rb.hdr[1].id);
	ck_assert_str_eq(r2.body, "{\"q\":\"two\"}");
	ck_assert_int_eq(chan_pending(ra.chan), 0);
	ck_assert_msg(ra.nframes == 0, "on_frame: got %d calls, want 0",
	    ra.nframes);
	/* a second copy of a reply is dropped: no callback, no on_frame */
	{
		struct frame_hdr h = rb.hdr[0];

		h.flags = FRAME_F_REPLY;
		h.dst = 33;
		h.len = 0;
		ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
		h.flags = 0;
		h.id = 0;
		h.type = MSG_READY;
		h.len = 0;	/* a barrier: it arrives after the copy */
		ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
	}
	ck_assert(run_until_n(&ra.nframes, 1));
	ck_assert_uint_eq(ra.hdr[0].type, MSG_READY);
	ck_assert_msg(r1.calls == 1, "callback: got %d calls, want 1",
	    r1.calls);
	ck_assert_int_eq(r2.calls, 1);
}
END_TEST

/* a reply addressed to someone else is an ordinary frame */
START_TEST(test_reply_other_dst)
{
	struct frame_hdr h;

	two_chans();
	chan_set_src(ra.chan, 33);
	memset(&h, 0, sizeof(h));
	h.type = MSG_PONG;
	h.flags = FRAME_F_REPLY;
	h.dst = 34;
	h.id = 1;
	ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
	ck_assert(run_until_n(&ra.nframes, 1));
	ck_assert_uint_eq(ra.hdr[0].dst, 34);
}
END_TEST

/* only the asked worker, or the master for it, may answer a request */
START_TEST(test_reply_wrong_src)
{
	struct rep	 r;
	struct frame_hdr h;

	two_chans();
	chan_set_src(ra.chan, 33);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, -1, 5000,
	    rep_cb, &r), 0);
	ck_assert(run_until_n(&rb.nframes, 1));
	memset(&h, 0, sizeof(h));
	h.type = MSG_PONG;
	h.flags = FRAME_F_REPLY;
	h.dst = 33;
	h.id = rb.hdr[0].id;
	h.src = 7;		/* a third worker forging the answer */
	ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
	h.flags = 0;
	h.id = 0;
	h.type = MSG_READY;	/* a barrier: it arrives after the forgery */
	ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
	ck_assert(run_until_n(&ra.nframes, 1));
	ck_assert_msg(r.calls == 0, "forged reply: got %d calls, want 0",
	    r.calls);
	ck_assert_int_eq(chan_pending(ra.chan), 1);
	/* the master answering for a worker that is down is accepted */
	h.type = MSG_ERROR;
	h.flags = FRAME_F_REPLY;
	h.id = rb.hdr[0].id;
	h.src = PROC_MASTER;
	ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
	ck_assert(run_until_n(&r.calls, 1));
	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.hdr.type, MSG_ERROR);
}
END_TEST

/* no reply in time: the callback gets NULL and ETIMEDOUT, once */
START_TEST(test_request_timeout)
{
	struct rep	 r;

	two_chans();
	chan_set_src(ra.chan, 33);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, -1, 20,
	    rep_cb, &r), 0);
	ck_assert(run_until_n(&r.calls, 1));
	ck_assert_msg(r.err == ETIMEDOUT, "err: got %d, want ETIMEDOUT (%d)",
	    r.err, ETIMEDOUT);
	ck_assert_msg(!r.got_frame, "got a frame, want NULL");
	ck_assert_int_eq(chan_pending(ra.chan), 0);
	ck_assert_int_eq(rb.nframes, 1);	/* the request did go out */
	/* the late reply is dropped */
	{
		struct frame_hdr h = rb.hdr[0];

		h.flags = FRAME_F_REPLY;
		h.dst = 33;
		h.len = 0;
		ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
		h.flags = 0;
		h.type = MSG_READY;
		h.id = 0;
		ck_assert_int_eq(chan_send(rb.chan, &h, NULL, -1), 0);
	}
	ck_assert(run_until_n(&ra.nframes, 1));
	ck_assert_uint_eq(ra.hdr[0].type, MSG_READY);
	ck_assert_int_eq(r.calls, 1);
	ck_assert(chan_is_open(ra.chan));
}
END_TEST

/* the channel closes with a request pending: EPIPE before on_close */
START_TEST(test_request_close)
{
	struct rep	 r;

	two_chans();
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, -1, 5000,
	    rep_cb, &r), 0);
	ck_assert(run_until_n(&rb.nframes, 1));
	chan_free(rb.chan);
	rb.chan = NULL;
	ck_assert(run_until_n(&ra.nclose, 1));
	ck_assert_msg(r.calls == 1, "callback: got %d calls, want 1", r.calls);
	ck_assert_msg(r.err == EPIPE, "err: got %d, want EPIPE (%d)", r.err,
	    EPIPE);
	ck_assert(!r.got_frame);
	ck_assert_msg(r.seq < ra.close_seq, "callback after on_close");
	ck_assert_int_eq(ra.close_err, 0);
	ck_assert_int_eq(chan_pending(ra.chan), 0);
}
END_TEST

/* chan_free with a request pending: ECANCELED, during chan_free */
START_TEST(test_request_free)
{
	struct rep	 r;

	two_chans();
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, -1, 5000,
	    rep_cb, &r), 0);
	chan_free(ra.chan);
	ra.chan = NULL;
	ck_assert_msg(r.calls == 1, "callback: got %d calls, want 1", r.calls);
	ck_assert_int_eq(r.err, ECANCELED);
	ck_assert_int_eq(ra.nclose, 0);		/* freed, not closed */
	run_idle(3);
	ck_assert_int_eq(r.calls, 1);
}
END_TEST

/* chan_free from on_frame: the frames behind are not delivered, no UAF */
START_TEST(test_free_in_frame)
{
	struct frame_hdr h;
	int		 i;

	two_chans();
	rb.free_in_frame = 1;
	memset(&h, 0, sizeof(h));
	h.type = MSG_PING;
	h.len = 4;
	/* three frames in the socket before b's first read */
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(chan_send(ra.chan, &h, "abcd", -1), 0);
	ck_assert(run_until_n(&rb.nframes, 1));
	ck_assert_ptr_null(rb.chan);
	run_idle(3);
	ck_assert_msg(rb.nframes == 1, "frames: got %d, want 1", rb.nframes);
	ck_assert_int_eq(rb.nclose, 0);
	ck_assert(run_until_n(&ra.nclose, 1));		/* a sees the EOF */
	ck_assert_int_eq(ra.close_err, 0);
}
END_TEST

/* chan_free from on_close, from a reply callback and from a timeout */
START_TEST(test_free_in_callbacks)
{
	struct rep	 r;

	/* on_close */
	two_chans();
	ra.free_in_close = 1;
	chan_free(rb.chan);
	rb.chan = NULL;
	ck_assert(run_until_n(&ra.nclose, 1));
	ck_assert_ptr_null(ra.chan);
	run_idle(3);

	/* a reply callback */
	rec_reset(&ra);
	rec_reset(&rb);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	two_chans();
	rb.reply = 1;
	memset(&r, 0, sizeof(r));
	r.chan = ra.chan;
	r.owner = &ra;
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, -1, 5000,
	    rep_cb, &r), 0);
	ck_assert(run_until_n(&r.calls, 1));
	ck_assert_int_eq(r.err, 0);
	ck_assert_ptr_null(ra.chan);
	run_idle(3);
	ck_assert_int_eq(r.calls, 1);
	rec_clear(&rb);

	/* a timeout */
	rec_reset(&ra);
	rec_reset(&rb);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	two_chans();
	memset(&r, 0, sizeof(r));
	r.chan = ra.chan;
	r.owner = &ra;
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, -1, 10,
	    rep_cb, &r), 0);
	ck_assert(run_until_n(&r.calls, 1));
	ck_assert_int_eq(r.err, ETIMEDOUT);
	ck_assert_ptr_null(ra.chan);
	run_idle(3);
	ck_assert_int_eq(r.calls, 1);
}
END_TEST

/* once closed, every send fails and takes the descriptor with it */
START_TEST(test_send_closed)
{
	struct frame_hdr h;
	struct rep	 r;
	int		 p[2];

	two_chans();
	chan_free(rb.chan);
	rb.chan = NULL;
	ck_assert(run_until_n(&ra.nclose, 1));
	ck_assert(!chan_is_open(ra.chan));
	memset(&h, 0, sizeof(h));
	h.type = MSG_PING;
	h.len = 1;
	ck_assert_int_eq(chan_send(ra.chan, &h, "x", -1), -1);
	ck_assert_int_eq(chan_send_json(ra.chan, MSG_READY, 0, 0, 0, NULL), -1);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(chan_send(ra.chan, &h, "x", p[0]), -1);
	ck_assert_msg(!fd_is_open(p[0]), "chan_send on a closed channel left "
	    "its fd open");
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(chan_request(ra.chan, MSG_PING, 1, NULL, p[1], 100,
	    rep_cb, &r), -1);
	ck_assert_msg(!fd_is_open(p[1]), "chan_request on a closed channel "
	    "left its fd open");
	ck_assert_int_eq(chan_pending(ra.chan), 0);
	run_idle(3);
	ck_assert_int_eq(r.calls, 0);
	ck_assert_int_eq(ra.nclose, 1);
}
END_TEST

/* a write error is reported by on_close from the loop, not in chan_send */
START_TEST(test_write_error)
{
	int	rc;

	one_chan();
	close(sv[1]);
	sv[1] = -1;
	rc = chan_send_json(rb.chan, MSG_PING, 0, 0, 0, NULL);
	ck_assert_msg(rc == 0, "chan_send_json: got %d, want 0", rc);
	ck_assert_msg(rb.nclose == 0, "on_close ran inside chan_send");
	ck_assert(run_until_n(&rb.nclose, 1));
	ck_assert_msg(rb.close_err == EPIPE, "err: got %d, want EPIPE (%d)",
	    rb.close_err, EPIPE);
	ck_assert_int_eq(chan_send_json(rb.chan, MSG_PING, 0, 0, 0, NULL), -1);
}
END_TEST

/* chan_new wants a descriptor it can use */
START_TEST(test_new_bad_fd)
{
	struct chan	*c;

	c = chan_new(base, -1, rec_frame_cb, rec_close_cb, &rb);
	ck_assert_ptr_null(c);
}
END_TEST

/* channel_suite - the framed channel */
Suite *
channel_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("channel");

	tc = tcase_create("send");
	tcase_add_checked_fixture(tc, chan_setup, chan_teardown);
	tcase_add_loop_test(tc, test_send_table, 0,
	    (int)(sizeof(send_cases) / sizeof(send_cases[0])));
	tcase_add_test(tc, test_send_json);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_send_oversize);
	tcase_add_test(tc, test_send_closed);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_new_bad_fd);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, chan_setup, chan_teardown);
	tcase_add_test(tc, test_partial);
	tcase_add_test(tc, test_merged);
	tcase_add_loop_test(tc, test_proto_error, 0,
	    (int)(sizeof(proto_cases) / sizeof(proto_cases[0])));
	tcase_add_test(tc, test_eof);
	tcase_add_test(tc, test_eof_truncated);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("fd");
	tcase_add_checked_fixture(tc, chan_setup, chan_teardown);
	tcase_add_test(tc, test_fd_pass);
	tcase_add_test(tc, test_fd_pass_many);
	tcase_add_test(tc, test_fd_not_taken);
	tcase_add_test(tc, test_fd_flood);
	suite_add_tcase(s, tc);

	tc = tcase_create("request");
	tcase_add_checked_fixture(tc, chan_setup, chan_teardown);
	tcase_add_test(tc, test_request_reply);
	tcase_add_test(tc, test_reply_other_dst);
	tcase_add_test(tc, test_reply_wrong_src);
	tcase_add_test(tc, test_request_timeout);
	tcase_add_test(tc, test_request_close);
	tcase_add_test(tc, test_request_free);
	suite_add_tcase(s, tc);

	tc = tcase_create("free");
	tcase_add_checked_fixture(tc, chan_setup, chan_teardown);
	tcase_add_test(tc, test_free_in_frame);
	tcase_add_test(tc, test_free_in_callbacks);
	suite_add_tcase(s, tc);

	return (s);
}
