/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_priv.h - what eng_http.c, eng_http_conn.c and
 *	eng_http_req.c share: the client and one request
 * SYNOPSIS
 *	void	eng_http_enter(struct eng_http *h);
 *	void	eng_http_leave(struct eng_http *h);
 *	void	eng_http_finish(struct eng_http_req *r, const char *err);
 *	void	eng_http_failf(struct eng_http_req *r, const char *fmt, ...);
 *
 *	struct eng_http_dns *eng_http_dns_new(struct event_base *base);
 *	void	eng_http_dns_free(struct eng_http_dns *dns);
 *	void	eng_http_conn_start(struct eng_http_req *r);
 *	void	eng_http_conn_close(struct eng_http_req *r);
 *
 *	int	eng_http_req_setup(struct eng_http_req *r,
 *		    const struct eng_http_opts *o);
 *	void	eng_http_req_read_cb(struct bufferevent *bev, void *arg);
 *	void	eng_http_req_eof(struct eng_http_req *r);
 * DESCRIPTION
 *	eng_http.c has the client and the life of a request (start, timer,
 *	cancel, done, free); eng_http_conn.c finds the server (a unix
 *	socket, an address, a name through evdns) and connects to it;
 *	eng_http_req.c reads the URL, builds the request and reads the
 *	answer through eng_http_parse. See eng_http.c for the states.
 *
 *	eng_http_enter and eng_http_leave bracket every callback from the
 *	loop; eng_http_finish ends a request (err NULL: with its answer)
 *	and eng_http_failf with a formatted err. eng_http_conn_start
 *	connects (or looks the name up first) and sends r->out;
 *	eng_http_conn_close lets go of the connection and of any lookup.
 *	eng_http_req_setup fills r from o; eng_http_req_read_cb is the
 *	connection's read callback and eng_http_req_eof says the server
 *	closed.
 * DIAGNOSTICS
 *	eng_http_req_setup returns -1 with the reason in r->early.
 */
#ifndef CORRAL_ENG_HTTP_PRIV_H
#define CORRAL_ENG_HTTP_PRIV_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "eng_http.h"
#include "eng_http_parse.h"

#define ENG_HTTP_ERR_LEN	256
#define ENG_HTTP_WHERE_LEN	272	/* [host]:port */
#define ENG_HTTP_HOST_LEN	256	/* a DNS name fits */
#define ENG_HTTP_ADDRS		4	/* addresses tried for a name */

enum eng_http_state {
	ENG_HTTP_PENDING,	/* the start event is due */
	ENG_HTTP_ACTIVE,	/* running (or failing early) */
	ENG_HTTP_CANCELLED,	/* cancelled inside the parser, to be freed */
	ENG_HTTP_DONE		/* done is running */
};

struct eng_http_dns;
struct eng_http_lookup;

struct eng_http {
	struct event_base		*base;
	struct eng_http_dns		*dns;
	TAILQ_HEAD(, eng_http_req)	 reqs;	/* not DONE */
	int				 depth;	/* in our callbacks */
	int				 dying;	/* freed while depth > 0 */
};

struct eng_http_req {
	struct eng_http			*h;
	struct event			*start;	/* while PENDING */
	struct event			*timer;	/* NULL: no timeout */
	struct bufferevent		*bev;	/* the connection */
	struct eng_http_lookup		*lookup; /* the name being looked up */
	enum eng_http_state		 state;
	int				 busy;	/* in the parser: free later */
	int				 connected;
	eng_http_data_fn		*data;
	eng_http_done_fn		*done;
	eng_http_free_fn		*on_free;
	void				*arg;
	/* the request, sent again to each address tried */
	char				*out;
	size_t				 out_len;
	/* where to */
	char				 host[ENG_HTTP_HOST_LEN]; /* name */
	unsigned			 port;
	struct sockaddr_storage		 addr[ENG_HTTP_ADDRS];
	socklen_t			 addrlen[ENG_HTTP_ADDRS];
	int				 naddr;	/* known addresses */
	int				 iaddr;	/* the one tried */
	/* the answer */
	struct eng_http_parse		 parse;
	char				*body;
	size_t				 len;
	size_t				 cap;
	size_t				 max;
	int				 aborted;   /* data said stop */
	int				 toolarge;
	long				 timeout_ms;
	char				 where[ENG_HTTP_WHERE_LEN];
	char				 early[ENG_HTTP_ERR_LEN];
	char				 err[ENG_HTTP_ERR_LEN];
	TAILQ_ENTRY(eng_http_req)	 entry;
};

/* eng_http_enter - a callback from the loop begins */
void		 eng_http_enter(struct eng_http *h);

/* eng_http_leave - end one of our callbacks; the last one may free h */
void		 eng_http_leave(struct eng_http *h);

/* eng_http_finish - r has ended: run done (unless cancelled), free r */
void		 eng_http_finish(struct eng_http_req *r, const char *err);

/* eng_http_failf - eng_http_finish with a formatted err */
void		 eng_http_failf(struct eng_http_req *r, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* eng_http_dns_new - a resolver on base; NULL if none can be made */
struct eng_http_dns *eng_http_dns_new(struct event_base *base);

/* eng_http_dns_free - let go of the resolver (freed once lookups end) */
void		 eng_http_dns_free(struct eng_http_dns *dns);

/* eng_http_conn_start - connect r (looking its host up) and send */
void		 eng_http_conn_start(struct eng_http_req *r);

/* eng_http_conn_close - close r's connection, forget its lookup */
void		 eng_http_conn_close(struct eng_http_req *r);

/* eng_http_req_setup - r's target and request from o; 0, or -1 and
 * r->early */
int		 eng_http_req_setup(struct eng_http_req *r,
		    const struct eng_http_opts *o);

/* eng_http_req_read_cb - bytes of the answer have come */
void		 eng_http_req_read_cb(struct bufferevent *bev, void *arg);

/* eng_http_req_eof - the server closed the connection */
void		 eng_http_req_eof(struct eng_http_req *r);

#endif
