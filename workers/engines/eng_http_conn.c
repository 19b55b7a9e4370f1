/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_conn - find the server of a request and connect to it
 * SYNOPSIS
 *	#include "eng_http_priv.h"
 * DESCRIPTION
 *	eng_http_req_setup has put the addresses it could read from the
 *	request (the unix socket, or the URL's numeric IPv4 or IPv6 host)
 *	in r->addr. eng_http_conn_start tries them in turn; with none, it
 *	first looks r->host up through evdns and keeps up to
 *	ENG_HTTP_ADDRS of its addresses (IPv4 first, as evdns gives
 *	them). Each try is a non-blocking, close-on-exec socket and a
 *	connect(2): a unix socket connects (or fails) at once; a TCP one
 *	usually is under way, and the bufferevent says when it is done.
 *	The request is queued on the bufferevent at once and goes out when
 *	the socket is writable; reading starts once connected. When every
 *	address has failed, the request fails with the last error.
 *
 *	After the connection is up, the event callback reports the end of
 *	the answer (EOF: the parser decides whether that completes it) and
 *	errors. A failed send is ignored if the peer has closed or reset
 *	(EPIPE, ECONNRESET): a server may answer and close before reading
 *	all of a request, and the answer, or the end of the connection, is
 *	read next. The worker ignores SIGPIPE.
 *
 *	The resolver (eng_http_dns) has a libevent evdns_base with the name
 *	servers of /etc/resolv.conf; if that cannot be read, it has none
 *	and knows only /etc/hosts (a name not there fails at once). A
 *	lookup may be under way when its request is let go of (cancelled,
 *	timed out, the client freed): the request then only detaches from
 *	it and cancels it, and evdns calls back later, with the lookup's
 *	own small record, which is freed then. evdns may still call back
 *	for a lookup after the client is gone, so the resolver outlives the
 *	client until its last lookup has called back.
 * DIAGNOSTICS
 *	The request fails with "connect WHERE: strerror" (the socket path,
 *	or host:port), "cannot resolve HOST: why", "send to WHERE:
 *	strerror" or "read from WHERE: strerror".
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/util.h>

#include "eng_http_priv.h"
#include "xmalloc.h"

struct eng_http_dns {
	struct evdns_base	*base;
	int			 nservers;	/* name servers known */
	int			 pending;	/* lookups not called back */
	int			 orphan;	/* the client is gone */
};

struct eng_http_lookup {
	struct eng_http_dns			*dns;
	struct eng_http_req			*r;	/* NULL: let go of */
	struct evdns_getaddrinfo_request	*q;	/* NULL: answered */
};

static void	eng_http_conn_next(struct eng_http_req *, int);

/* eng_http_dns_new - a resolver on base; NULL if none can be made */
struct eng_http_dns *
eng_http_dns_new(struct event_base *base)
{
	struct eng_http_dns	*dns;

	dns = xcalloc(1, sizeof(*dns));
	dns->base = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (dns->base == NULL) {
		/* no usable resolv.conf: names from /etc/hosts only */
		if ((dns->base = evdns_base_new(base,
		    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL) {
			free(dns);
			return (NULL);
		}
		(void)evdns_base_load_hosts(dns->base, NULL);
	}
	dns->nservers = evdns_base_count_nameservers(dns->base);
	return (dns);
}

/* eng_http_dns_unref - free dns if the client is gone and no lookup runs */
static void
eng_http_dns_unref(struct eng_http_dns *dns)
{
	if (!dns->orphan || dns->pending > 0)
		return;
	evdns_base_free(dns->base, 0);
	free(dns);
}

/* eng_http_dns_free - let go of the resolver (freed once lookups end) */
void
eng_http_dns_free(struct eng_http_dns *dns)
{
	if (dns == NULL)
		return;
	dns->orphan = 1;
	eng_http_dns_unref(dns);
}

/* eng_http_conn_why - strerror(e), or a word if there is no errno */
static const char *
eng_http_conn_why(int e)
{
	return (e != 0 ? strerror(e) : "failed");
}

/* eng_http_conn_event_cb - connected, or the connection ended or failed */
static void
eng_http_conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct eng_http_req	*r = arg;
	struct eng_http		*h = r->h;
	int			 e = EVUTIL_SOCKET_ERROR();

	(void)bev;
	eng_http_enter(h);
	if (what & BEV_EVENT_CONNECTED) {
		r->connected = 1;
		if (bufferevent_enable(r->bev, EV_READ) == -1)
			eng_http_failf(r, "read from %s: cannot watch the "
			    "socket", r->where);
	} else if (!r->connected) {
		bufferevent_free(r->bev);
		r->bev = NULL;
		r->iaddr++;
		eng_http_conn_next(r, e);	/* the next address, if any */
	} else if ((what & BEV_EVENT_WRITING) && (what & BEV_EVENT_ERROR)) {
		if (e != EPIPE && e != ECONNRESET)
			eng_http_failf(r, "send to %s: %s", r->where,
			    eng_http_conn_why(e));
	} else if (what & BEV_EVENT_EOF)
		eng_http_req_eof(r);
	else
		eng_http_failf(r, "read from %s: %s", r->where,
		    eng_http_conn_why(e));
	eng_http_leave(h);
}

/* eng_http_conn_try - connect to r's address iaddr; 0, or -1 and errno */
static int
eng_http_conn_try(struct eng_http_req *r)
{
	const struct sockaddr	*sa;
	int			 fd, e, under_way = 0;

	sa = (const struct sockaddr *)&r->addr[r->iaddr];
	if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	if (connect(fd, sa, r->addrlen[r->iaddr]) == -1) {
		if (errno != EINPROGRESS) {
			e = errno;
			close(fd);
			errno = e;
			return (-1);
		}
		under_way = 1;
	}
	if ((r->bev = bufferevent_socket_new(r->h->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		close(fd);
		errno = ENOMEM;
		return (-1);
	}
	bufferevent_setcb(r->bev, eng_http_req_read_cb, NULL,
	    eng_http_conn_event_cb, r);
	r->connected = !under_way;
	if (bufferevent_write(r->bev, r->out, r->out_len) == -1 ||
	    (under_way ? bufferevent_socket_connect(r->bev, NULL, 0) :
	    bufferevent_enable(r->bev, EV_READ | EV_WRITE)) == -1) {
		bufferevent_free(r->bev);
		r->bev = NULL;
		errno = ENOMEM;
		return (-1);
	}
	return (0);
}

/* eng_http_conn_next - try the addresses from iaddr on; e: the last
 * error so far */
static void
eng_http_conn_next(struct eng_http_req *r, int e)
{
	for (; r->iaddr < r->naddr; r->iaddr++) {
		if (eng_http_conn_try(r) == 0)
			return;
		e = errno;
	}
	eng_http_failf(r, "connect %s: %s", r->where, eng_http_conn_why(e));
}

/* eng_http_conn_resolved_cb - evdns has looked the name up (or not) */
static void
eng_http_conn_resolved_cb(int err, struct evutil_addrinfo *ai, void *arg)
{
	struct eng_http_lookup	*lk = arg;
	struct eng_http_dns	*dns = lk->dns;
	struct eng_http_req	*r = lk->r;
	struct evutil_addrinfo	*a;
	struct eng_http		*h;

	dns->pending--;
	free(lk);
	if (r == NULL) {		/* let go of */
		if (ai != NULL)
			evutil_freeaddrinfo(ai);
		eng_http_dns_unref(dns);
		return;
	}
	r->lookup = NULL;
	for (a = ai; err == 0 && a != NULL && r->naddr < ENG_HTTP_ADDRS;
	    a = a->ai_next) {
		if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
		    a->ai_addrlen > sizeof(r->addr[0]))
			continue;
		memcpy(&r->addr[r->naddr], a->ai_addr, a->ai_addrlen);
		r->addrlen[r->naddr++] = (socklen_t)a->ai_addrlen;
	}
	if (ai != NULL)
		evutil_freeaddrinfo(ai);
	h = r->h;
	eng_http_enter(h);
	if (err != 0)
		eng_http_failf(r, "cannot resolve %s: %s", r->host,
		    evutil_gai_strerror(err));
	else if (r->naddr == 0)
		eng_http_failf(r, "cannot resolve %s: no address", r->host);
	else
		eng_http_conn_next(r, 0);
	eng_http_leave(h);
}

/* eng_http_conn_lookup - look r->host up, then connect */
static void
eng_http_conn_lookup(struct eng_http_req *r)
{
	struct eng_http_dns			*dns = r->h->dns;
	struct eng_http_lookup			*lk;
	struct evdns_getaddrinfo_request	*q;
	struct evutil_addrinfo			 hints;
	char					 port[8];

	lk = xcalloc(1, sizeof(*lk));
	lk->dns = dns;
	lk->r = r;
	r->lookup = lk;
	dns->pending++;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	snprintf(port, sizeof(port), "%u", r->port);
	q = evdns_getaddrinfo(dns->base, r->host, port, &hints,
	    eng_http_conn_resolved_cb, lk);
	if (q == NULL)
		return;		/* answered at once: r may be gone */
	lk->q = q;
	if (dns->nservers == 0)
		eng_http_failf(r, "cannot resolve %s: no name server (none "
		    "could be read from /etc/resolv.conf)", r->host);
}

/* eng_http_conn_start - connect r (looking its host up) and send */
void
eng_http_conn_start(struct eng_http_req *r)
{
	if (r->naddr > 0)
		eng_http_conn_next(r, 0);
	else
		eng_http_conn_lookup(r);
}

/* eng_http_conn_close - close r's connection, forget its lookup */
void
eng_http_conn_close(struct eng_http_req *r)
{
	struct eng_http_lookup	*lk = r->lookup;

	if (lk != NULL) {
		r->lookup = NULL;
		lk->r = NULL;
		if (lk->q != NULL)
			evdns_getaddrinfo_cancel(lk->q);
	}
	if (r->bev != NULL) {
		bufferevent_free(r->bev);
		r->bev = NULL;
	}
}
