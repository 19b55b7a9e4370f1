/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	channel - framed, non-blocking message channel on a socketpair
 * DESCRIPTION
 *	See channel.h for the contract. Internals:
 *
 *	Input: one growable buffer, bounded by a whole maximum frame, filled
 *	with recvmsg(MSG_CMSG_CLOEXEC). Descriptors that arrive with the
 *	bytes wait in a small FIFO until the frame that claims them
 *	(FRAME_F_FD) is decoded; a frame that claims one that never came is
 *	a protocol error. Each read event decodes every whole frame in the
 *	buffer, then moves the remainder to the front.
 *
 *	Output: a queue of encoded frames, each written with one sendmsg
 *	that carries its descriptor (if any) on its first byte. A send tries
 *	to write at once, and arms EV_WRITE only for what the kernel would
 *	not take. Write errors are not reported from chan_send: they close
 *	the channel from the event loop, so an owner's on_close never runs
 *	inside its own call to chan_send.
 *
 *	Callbacks may call chan_free; the channel is then destroyed when the
 *	outermost callback returns (busy count + freeing flag).
 * DIAGNOSTICS
 *	log_debug only; the owner decides what a closed channel means.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "log.h"
#include "msg.h"
#include "proc.h"
#include "xmalloc.h"

#define CHAN_READ_CHUNK		(64 * 1024)
#define CHAN_IN_MAX		(FRAME_HDR_LEN + FRAME_MAX)
#define CHAN_FDQ_MAX		16
#define CHAN_READS_PER_EVENT	8

struct chan_out {
	TAILQ_ENTRY(chan_out)	 entry;
	size_t			 len;
	size_t			 off;
	int			 fd;
	unsigned char		 data[];
};

struct chan_pending {
	TAILQ_ENTRY(chan_pending) entry;
	struct chan		*chan;
	uint32_t		 id;
	uint8_t			 dst;	/* who may answer (or the master) */
	chan_reply_fn		*cb;
	void			*arg;
	struct event		*timer;
};

struct chan {
	struct event_base	*base;
	int			 fd;
	struct event		*ev;
	int			 write_armed;
	unsigned char		*in;
	size_t			 inlen;
	size_t			 incap;
	int			 fdq[CHAN_FDQ_MAX];
	int			 nfdq;
	TAILQ_HEAD(, chan_out)	 outq;
	size_t			 outbytes;
	TAILQ_HEAD(, chan_pending) pending;
	int			 npending;
	uint32_t		 next_id;
	chan_frame_fn		*on_frame;
	chan_close_fn		*on_close;
	void			*arg;
	uint8_t			 src;
	uint32_t		 gen;
	int			 open;
	int			 write_err;	/* errno of a failed write, 0 */
	int			 busy;
	int			 freeing;
};

static void	chan_event_cb(evutil_socket_t, short, void *);

/* chan_update_event - arm EV_WRITE only while output is queued */
static void
chan_update_event(struct chan *c)
{
	int	want = !TAILQ_EMPTY(&c->outq);

	if (!c->open || want == c->write_armed)
		return;
	event_del(c->ev);
	event_assign(c->ev, c->base, c->fd,
	    EV_READ | EV_PERSIST | (want ? EV_WRITE : 0), chan_event_cb, c);
	event_add(c->ev, NULL);
	c->write_armed = want;
}

/* chan_new - wrap fd (made non-blocking, close-on-exec); takes ownership of fd */
struct chan *
chan_new(struct event_base *base, int fd, chan_frame_fn *on_frame,
    chan_close_fn *on_close, void *arg)
{
	struct chan	*c;
	int		 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		log_warn("%s: fcntl", __func__);
		if (fd >= 0)
			close(fd);
		return (NULL);
	}
	c = xcalloc(1, sizeof(*c));
	c->base = base;
	c->fd = fd;
	c->incap = CHAN_READ_CHUNK;
	c->in = xmalloc(c->incap);
	TAILQ_INIT(&c->outq);
	TAILQ_INIT(&c->pending);
	c->next_id = 1;
	c->on_frame = on_frame;
	c->on_close = on_close;
	c->arg = arg;
	c->open = 1;
	c->ev = event_new(base, fd, EV_READ | EV_PERSIST, chan_event_cb, c);
	if (c->ev == NULL)
		fatalx("%s: event_new", __func__);
	event_add(c->ev, NULL);
	return (c);
}

/* chan_fail_pending - end every outstanding request with err */
static void
chan_fail_pending(struct chan *c, int err)
{
	struct chan_pending	*p;

	while ((p = TAILQ_FIRST(&c->pending)) != NULL) {
		TAILQ_REMOVE(&c->pending, p, entry);
		c->npending--;
		event_free(p->timer);
		p->cb(c, NULL, err, p->arg);
		free(p);
	}
}

/* chan_destroy - release everything now */
static void
chan_destroy(struct chan *c)
{
	struct chan_out	*o;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, o, entry);
		if (o->fd != -1)
			close(o->fd);
		explicit_bzero(o->data, o->len);
		free(o);
	}
	while (c->nfdq > 0)
		close(c->fdq[--c->nfdq]);
	event_free(c->ev);
	if (c->fd != -1)
		close(c->fd);
	explicit_bzero(c->in, c->incap);
	free(c->in);
	free(c);
}

/* chan_free - close the socket, fail pending requests with ECANCELED, free */
void
chan_free(struct chan *c)
{
	if (c == NULL || c->freeing)
		return;
	c->freeing = 1;
	c->open = 0;
	event_del(c->ev);
	c->busy++;
	chan_fail_pending(c, ECANCELED);
	c->busy--;
	if (c->busy == 0)
		chan_destroy(c);
}

/* chan_close - stop reading, fail pending requests, tell the owner once */
static void
chan_close(struct chan *c, int err)
{
	if (!c->open)
		return;
	c->open = 0;
	event_del(c->ev);
	shutdown(c->fd, SHUT_RDWR);
	chan_fail_pending(c, EPIPE);
	if (!c->freeing && c->on_close != NULL)
		c->on_close(c, err, c->arg);
}

/* chan_flush - write queued frames until done or the kernel pushes back */
static int
chan_flush(struct chan *c)
{
	struct chan_out	*o;
	struct msghdr	 mh;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	}		 cm;
	struct cmsghdr	*cmsg;
	ssize_t		 n;

	while ((o = TAILQ_FIRST(&c->outq)) != NULL) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = o->data + o->off;
		iov.iov_len = o->len - o->off;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if (o->fd != -1 && o->off == 0) {
			memset(&cm, 0, sizeof(cm));
			mh.msg_control = cm.buf;
			mh.msg_controllen = sizeof(cm.buf);
			cmsg = CMSG_FIRSTHDR(&mh);
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cmsg), &o->fd, sizeof(int));
		}
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			return (errno);
		}
		if (o->fd != -1) {	/* sent with the first byte */
			close(o->fd);
			o->fd = -1;
		}
		o->off += (size_t)n;
		c->outbytes -= (size_t)n;
		if (o->off < o->len)
			break;
		TAILQ_REMOVE(&c->outq, o, entry);
		explicit_bzero(o->data, o->len);	/* may have held a secret */
		free(o);
	}
	chan_update_event(c);
	return (0);
}

/* chan_pending_cb - a request's time is up */
static void
chan_pending_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct chan_pending	*p = arg;
	struct chan		*c = p->chan;

	(void)fd;
	(void)ev;
	TAILQ_REMOVE(&c->pending, p, entry);
	c->npending--;
	event_free(p->timer);
	c->busy++;
	p->cb(c, NULL, ETIMEDOUT, p->arg);
	free(p);
	if (--c->busy == 0 && c->freeing)
		chan_destroy(c);
}

/* chan_deliver - hand one decoded frame to its request or to on_frame */
static void
chan_deliver(struct chan *c, struct frame *f)
{
	struct chan_pending	*p;

	if ((f->hdr.flags & FRAME_F_REPLY) && f->hdr.dst == c->src) {
		/* Only the asked worker, or the master speaking for it (an
		 * "unavailable" error), may answer: src is stamped by the
		 * master, so no worker can slip in a reply for another. */
		TAILQ_FOREACH(p, &c->pending, entry)
			if (p->id == f->hdr.id && (f->hdr.src == p->dst ||
			    f->hdr.src == PROC_MASTER))
				break;
		if (p == NULL) {
			log_debug("late reply %s id %u from %u dropped",
			    msg_type_name(f->hdr.type), f->hdr.id, f->hdr.src);
			return;
		}
		TAILQ_REMOVE(&c->pending, p, entry);
		c->npending--;
		event_free(p->timer);
		p->cb(c, f, 0, p->arg);
		free(p);
		return;
	}
	c->on_frame(c, f, c->arg);
}

/* chan_parse - decode and deliver whole frames; 0 or a FRAME_E* code */
static int
chan_parse(struct chan *c)
{
	struct frame	 f;
	size_t		 off = 0;
	long		 n;

	while (c->open && !c->freeing) {
		memset(&f, 0, sizeof(f));
		n = frame_decode(c->in + off, c->inlen - off, &f);
		if (n < 0)
			return ((int)n);
		if (n == 0)
			break;
		f.fd = -1;
		if (f.hdr.flags & FRAME_F_FD) {
			if (c->nfdq == 0)
				return (FRAME_EFLAGS);
			f.fd = c->fdq[0];
			memmove(c->fdq, c->fdq + 1,
			    (size_t)--c->nfdq * sizeof(int));
		}
		off += (size_t)n;
		chan_deliver(c, &f);
		if (f.fd != -1)
			close(f.fd);
	}
	if (off > 0) {
		/* Move the rest forward and wipe what was consumed: a payload
		 * may have held a secret on its way through. */
		memmove(c->in, c->in + off, c->inlen - off);
		explicit_bzero(c->in + c->inlen - off, off);
		c->inlen -= off;
	}
	return (0);
}

/* chan_take_fds - queue the descriptors that came with a read */
static int
chan_take_fds(struct chan *c, struct msghdr *mh)
{
	struct cmsghdr	*cmsg;
	size_t		 i, nfd;
	int		 fd, rc = 0;

	for (cmsg = CMSG_FIRSTHDR(mh); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(mh, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (c->nfdq == CHAN_FDQ_MAX) {
				close(fd);
				rc = -1;
			} else
				c->fdq[c->nfdq++] = fd;
		}
	}
	return (rc);
}

/* chan_grow - a larger input buffer; the old one is wiped, not realloc'd */
static void
chan_grow(struct chan *c, size_t cap)
{
	unsigned char	*in = xmalloc(cap);

	memcpy(in, c->in, c->inlen);
	explicit_bzero(c->in, c->incap);
	free(c->in);
	c->in = in;
	c->incap = cap;
}

/* chan_read - read what is there; 0 to go on, else the close reason */
static int
chan_read(struct chan *c, int *eof)
{
	struct msghdr	 mh;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * CHAN_FDQ_MAX)];
	}		 cm;
	ssize_t		 n;
	int		 i, rc;

	for (i = 0; i < CHAN_READS_PER_EVENT && c->open && !c->freeing; i++) {
		if (c->incap - c->inlen < CHAN_READ_CHUNK / 4 &&
		    c->incap < CHAN_IN_MAX) {
			chan_grow(c, c->incap * 2 > CHAN_IN_MAX ?
			    CHAN_IN_MAX : c->incap * 2);
		}
		if (c->inlen == c->incap)	/* cannot happen: frames fit */
			return (FRAME_ETOOBIG);
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = c->in + c->inlen;
		iov.iov_len = c->incap - c->inlen;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return (0);
			return (errno);
		}
		if (chan_take_fds(c, &mh) == -1 || (mh.msg_flags & MSG_CTRUNC))
			return (FRAME_EFLAGS);
		if (n == 0) {
			*eof = 1;
			return (c->inlen > 0 ? FRAME_ESHORT : 0);
		}
		c->inlen += (size_t)n;
		if ((rc = chan_parse(c)) != 0)
			return (rc);
	}
	return (0);
}

/* chan_event_cb - the socket is readable or writable */
static void
chan_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chan	*c = arg;
	int		 rc = 0, eof = 0;

	(void)fd;
	c->busy++;
	if (c->write_err != 0)
		chan_close(c, c->write_err);
	if (c->open && (what & EV_WRITE) && (rc = chan_flush(c)) != 0)
		chan_close(c, rc);
	if (c->open && (what & EV_READ)) {
		rc = chan_read(c, &eof);
		if (rc != 0 || eof)
			chan_close(c, rc);
	}
	if (--c->busy == 0 && c->freeing)
		chan_destroy(c);
}

/* chan_send - queue one frame; takes ownership of fd (-1 for none) */
int
chan_send(struct chan *c, const struct frame_hdr *h, const void *payload,
    int fd)
{
	struct chan_out	*o;
	struct frame_hdr hdr = *h;
	int		 rc;

	if (!c->open || c->freeing || h->len > FRAME_MAX ||
	    c->outbytes + FRAME_HDR_LEN + h->len > CHAN_OUT_MAX) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	hdr.flags = (uint8_t)((hdr.flags & ~FRAME_F_FD) |
	    (fd != -1 ? FRAME_F_FD : 0));
	o = xmalloc(sizeof(*o) + FRAME_HDR_LEN + h->len);
	o->len = FRAME_HDR_LEN + h->len;
	o->off = 0;
	o->fd = fd;
	frame_hdr_pack(&hdr, o->data);
	if (h->len > 0)
		memcpy(o->data + FRAME_HDR_LEN, payload, h->len);
	TAILQ_INSERT_TAIL(&c->outq, o, entry);
	c->outbytes += o->len;
	if (c->write_err == 0 && (rc = chan_flush(c)) != 0) {
		/* Report from the loop, not from inside our caller. */
		c->write_err = rc;
		event_active(c->ev, EV_READ, 0);
	}
	return (0);
}

/* chan_send_json - queue one frame whose payload is body printed unformatted */
int
chan_send_json(struct chan *c, uint16_t type, uint8_t dst, uint32_t id,
    uint8_t flags, const cJSON *body)
{
	return (chan_send_json_fd(c, type, dst, id, flags, body, -1));
}

/* chan_send_json_fd - chan_send_json passing fd (taken in every case) */
int
chan_send_json_fd(struct chan *c, uint16_t type, uint8_t dst, uint32_t id,
    uint8_t flags, const cJSON *body, int fd)
{
	struct frame_hdr h;
	char		*s = NULL;
	int		 rc;

	memset(&h, 0, sizeof(h));
	if (body != NULL && (s = cJSON_PrintUnformatted(body)) == NULL)
		fatalx("%s: out of memory", __func__);
	h.type = type;
	h.flags = flags;
	h.src = c->src;
	h.dst = dst;
	h.id = id;
	h.gen = c->gen;
	h.len = s != NULL ? (uint32_t)strlen(s) : 0;
	if (s != NULL && strlen(s) > FRAME_MAX) {
		if (fd != -1)
			close(fd);
		rc = -1;
	} else
		rc = chan_send(c, &h, s, fd);
	if (s != NULL)		/* a config frame holds tokens */
		explicit_bzero(s, strlen(s));
	cJSON_free(s);
	return (rc);
}

/* chan_next_id - a request id not 0 and not outstanding */
static uint32_t
chan_next_id(struct chan *c)
{
	struct chan_pending	*p;
	uint32_t		 id;

again:
	if ((id = c->next_id++) == 0)
		id = c->next_id++;
	TAILQ_FOREACH(p, &c->pending, entry)
		if (p->id == id)
			goto again;
	return (id);
}

/* chan_request - send a request with a fresh id and await its reply */
int
chan_request(struct chan *c, uint16_t type, uint8_t dst, const cJSON *body,
    int fd, int timeout_ms, chan_reply_fn *cb, void *arg)
{
	struct chan_pending	*p;
	struct frame_hdr	 h;
	struct timeval		 tv;
	char			*s = NULL;
	int			 rc;

	if (!c->open || c->freeing) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if (body != NULL && (s = cJSON_PrintUnformatted(body)) == NULL)
		fatalx("%s: out of memory", __func__);
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.src = c->src;
	h.dst = dst;
	h.id = chan_next_id(c);
	h.gen = c->gen;
	h.len = s != NULL ? (uint32_t)strlen(s) : 0;
	if (s != NULL && strlen(s) > FRAME_MAX) {
		cJSON_free(s);
		if (fd != -1)
			close(fd);
		return (-1);
	}
	rc = chan_send(c, &h, s, fd);
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	cJSON_free(s);
	if (rc == -1)
		return (-1);
	p = xcalloc(1, sizeof(*p));
	p->chan = c;
	p->id = h.id;
	p->dst = dst;
	p->cb = cb;
	p->arg = arg;
	p->timer = evtimer_new(c->base, chan_pending_cb, p);
	if (p->timer == NULL)
		fatalx("%s: evtimer_new", __func__);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(p->timer, &tv);
	TAILQ_INSERT_TAIL(&c->pending, p, entry);
	c->npending++;
	return (0);
}

/* chan_set_gen - generation stamped on frames this end sends */
void
chan_set_gen(struct chan *c, uint32_t gen)
{
	c->gen = gen;
}

/* chan_set_src - src stamped on frames this end sends */
void
chan_set_src(struct chan *c, uint8_t src)
{
	c->src = src;
}

/* chan_pending - number of requests still awaiting a reply */
int
chan_pending(const struct chan *c)
{
	return (c->npending);
}

/* chan_outq - bytes queued for output */
size_t
chan_outq(const struct chan *c)
{
	return (c->outbytes);
}

/* chan_is_open - 1 until on_close has run */
int
chan_is_open(const struct chan *c)
{
	return (c->open && !c->freeing);
}
