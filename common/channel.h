/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	channel.h - framed, non-blocking message channel on a socketpair
 * SYNOPSIS
 *	struct chan *chan_new(struct event_base *base, int fd,
 *		    chan_frame_fn *on_frame, chan_close_fn *on_close, void *arg);
 *	int	chan_send(struct chan *c, const struct frame_hdr *h,
 *		    const void *payload, int fd);
 *	int	chan_send_json(struct chan *c, uint16_t type, uint8_t dst,
 *		    uint32_t id, uint8_t flags, const cJSON *body);
 *	int	chan_request(struct chan *c, uint16_t type, uint8_t dst,
 *		    const cJSON *body, int fd, int timeout_ms,
 *		    chan_reply_fn *cb, void *arg);
 *	void	chan_free(struct chan *c);
 * DESCRIPTION
 *	A channel owns one stream socket (one end of a socketpair) and a raw
 *	libevent event on it. It reads with recvmsg into a bounded input
 *	buffer, so partial and merged reads both work, collects passed
 *	descriptors, and calls on_frame once per whole frame. Replies
 *	(FRAME_F_REPLY) whose id matches an outstanding chan_request go to
 *	that request's callback instead, exactly once: with the reply, or
 *	with ETIMEDOUT after timeout_ms, or EPIPE if the channel closes.
 *	Output is queued and written when the socket is writable; EV_WRITE
 *	is armed only while output is queued.
 *
 *	on_close runs once, on EOF (err 0), a socket error (errno) or a
 *	protocol error (a FRAME_E* code, negative); the channel stops
 *	reading after it. chan_free may be called from any callback.
 * DIAGNOSTICS
 *	chan_send* return 0, or -1 if the channel is closed or its output
 *	queue is over CHAN_OUT_MAX (the peer is not reading).
 */
#ifndef CORRAL_CHANNEL_H
#define CORRAL_CHANNEL_H

#include <stdint.h>

#include <event2/event.h>
#include <cjson/cJSON.h>

#include "frame.h"

#define CORRAL_CHAN_FD	3		/* a worker's channel descriptor */
#define CHAN_OUT_MAX	(16 * 1024 * 1024)

struct chan;

typedef void chan_frame_fn(struct chan *, struct frame *, void *);
typedef void chan_close_fn(struct chan *, int, void *);
typedef void chan_reply_fn(struct chan *, struct frame *, int, void *);

/* chan_new - wrap fd (made non-blocking, close-on-exec); takes ownership of fd */
struct chan	*chan_new(struct event_base *base, int fd, chan_frame_fn *on_frame,
		    chan_close_fn *on_close, void *arg);

/* chan_free - close the socket, fail pending requests with ECANCELED, free */
void		 chan_free(struct chan *c);

/* chan_send - queue one frame; takes ownership of fd (-1 for none) */
int		 chan_send(struct chan *c, const struct frame_hdr *h,
		    const void *payload, int fd);

/* chan_send_json - queue one frame whose payload is body printed unformatted */
int		 chan_send_json(struct chan *c, uint16_t type, uint8_t dst,
		    uint32_t id, uint8_t flags, const cJSON *body);

/* chan_send_json_fd - the same passing fd (taken in every case; -1: none) */
int		 chan_send_json_fd(struct chan *c, uint16_t type, uint8_t dst,
		    uint32_t id, uint8_t flags, const cJSON *body, int fd);

/* chan_request - send a request with a fresh id and await its reply */
int		 chan_request(struct chan *c, uint16_t type, uint8_t dst,
		    const cJSON *body, int fd, int timeout_ms, chan_reply_fn *cb,
		    void *arg);

/* chan_set_gen - generation stamped on frames this end sends */
void		 chan_set_gen(struct chan *c, uint32_t gen);

/* chan_set_src - src stamped on frames this end sends */
void		 chan_set_src(struct chan *c, uint8_t src);

/* chan_pending - number of requests still awaiting a reply */
int		 chan_pending(const struct chan *c);

/* chan_outq - bytes queued for output */
size_t		 chan_outq(const struct chan *c);

/* chan_is_open - 1 until on_close has run */
int		 chan_is_open(const struct chan *c);

#endif
