/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_client - one blocking HTTP/1.1 request over TCP
 * SYNOPSIS
 *	See http_client.h.
 * DESCRIPTION
 *	corralctl makes a handful of requests and exits, so a blocking
 *	client is the simple choice: one connection per request with
 *	Connection: close, a non-blocking socket driven by poll(2) so
 *	every wait has a deadline, and the incremental parser in
 *	http_resp.c fed with whatever each read returns.
 *
 *	A streamed answer (req->sink) is parsed the same way; the parser
 *	hands its body on instead of keeping it, and poll waits without a
 *	deadline once the answer's head is in.
 *
 *	The request may carry the bearer token. It is built in one buffer
 *	of exactly the right size (no intermediate copies) and wiped right
 *	after it is sent.
 * DIAGNOSTICS
 *	Nothing is printed; failures are described in err.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

#include "http_url.h"
#include "http_resp.h"
#include "http_client.h"

#ifndef CORRAL_VERSION
#define CORRAL_VERSION	"unknown"
#endif

static long long http_client_now_ms(void);
static int	http_client_head(char *, size_t, const struct http_url *,
		    const struct http_request *, const char *, const char *);
static int	http_client_wait(int, short, int);
static int	http_client_connect(const struct http_url *, int, char *,
		    size_t);
static int	http_client_send(int, const char *, size_t, int, char *,
		    size_t);
static int	http_client_recv(int, struct http_resp *, int, char *,
		    size_t);

/* http_client_now_ms - monotonic milliseconds */
static long long
http_client_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* http_client_wait - poll one fd (-1 ms: no limit): 1, 0 timed out, -1 */
static int
http_client_wait(int fd, short events, int timeout_ms)
{
	struct pollfd	pfd;
	long long	deadline, left;
	int		n;

	deadline = http_client_now_ms() + timeout_ms;
	for (;;) {
		left = deadline - http_client_now_ms();
		if (timeout_ms < 0)
			left = -1;
		else if (left < 0)
			left = 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n >= 0)
			return (n > 0 ? 1 : 0);
		if (errno != EINTR)
			return (-1);
	}
}

/* http_client_head - print the request head; snprintf's result */
static int
http_client_head(char *buf, size_t size, const struct http_url *url,
    const struct http_request *req, const char *hostport, const char *clen)
{
	const char	*b = req->bearer, *ct;
	int		 body = req->body != NULL;

	ct = req->content_type != NULL ? req->content_type : "application/json";
	return (snprintf(buf, size,
	    "%s %s%s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: corralctl/%s\r\n"
	    "Accept: application/json\r\n"
	    "Connection: close\r\n"
	    "%s%s%s"			/* Authorization */
	    "%s%s%s"			/* Content-Type */
	    "%s%s%s"			/* Content-Length */
	    "\r\n",
	    req->method, url->path, req->path, hostport, CORRAL_VERSION,
	    b != NULL ? "Authorization: Bearer " : "", b != NULL ? b : "",
	    b != NULL ? "\r\n" : "",
	    body ? "Content-Type: " : "", body ? ct : "", body ? "\r\n" : "",
	    clen != NULL ? "Content-Length: " : "", clen != NULL ? clen : "",
	    clen != NULL ? "\r\n" : ""));
}

/* http_client_format - the request as sent; wipe, then free */
char *
http_client_format(const struct http_url *url, const struct http_request *req,
    size_t *lenp)
{
	char		*hostport, *buf, clenbuf[32];
	const char	*clen = NULL;
	size_t		 bodylen;
	int		 n;

	bodylen = req->body != NULL ? req->bodylen : 0;
	if (req->body != NULL || strcmp(req->method, "POST") == 0 ||
	    strcmp(req->method, "PUT") == 0 ||
	    strcmp(req->method, "PATCH") == 0) {
		snprintf(clenbuf, sizeof(clenbuf), "%zu", bodylen);
		clen = clenbuf;
	}
	hostport = http_url_hostport(url);

	/* Measure, then print once into an exact buffer: no stray copies. */
	n = http_client_head(NULL, 0, url, req, hostport, clen);
	buf = xmalloc((size_t)n + bodylen + 1);
	http_client_head(buf, (size_t)n + 1, url, req, hostport, clen);
	free(hostport);
	if (bodylen > 0)
		memcpy(buf + n, req->body, bodylen);
	buf[(size_t)n + bodylen] = '\0';
	*lenp = (size_t)n + bodylen;
	return (buf);
}

/* http_client_connect - a connected non-blocking socket, or -1 */
static int
http_client_connect(const struct http_url *url, int timeout_ms, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res, *ai;
	long long	 deadline, left;
	socklen_t	 sl;
	int		 fd, gai, soerr, saved = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (url->ipv6 ? AI_NUMERICHOST : 0);
	if ((gai = getaddrinfo(url->host, url->port, &hints, &res)) != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", url->host,
		    gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
		return (-1);
	}
	deadline = http_client_now_ms() + timeout_ms;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1) {
			saved = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			goto connected;
		if (errno != EINPROGRESS) {
			saved = errno;
			close(fd);
			continue;
		}
		left = deadline - http_client_now_ms();
		switch (http_client_wait(fd, POLLOUT, left > 0 ? (int)left :
		    0)) {
		case 0:
			saved = ETIMEDOUT;
			close(fd);
			goto failed;	/* the deadline covers all addresses */
		case -1:
			saved = errno;
			close(fd);
			continue;
		}
		sl = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
			soerr = errno;
		if (soerr == 0)
			goto connected;
		saved = soerr;
		close(fd);
	}
failed:
	freeaddrinfo(res);
	snprintf(err, errlen, "%s", saved == ETIMEDOUT ?
	    "connection timed out" : strerror(saved));
	return (-1);
connected:
	freeaddrinfo(res);
	return (fd);
}

/* http_client_send - write all of buf; 0 or -1 with err set */
static int
http_client_send(int fd, const char *buf, size_t len, int timeout_ms,
    char *err, size_t errlen)
{
	ssize_t	n;
	size_t	off = 0;

	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (http_client_wait(fd, POLLOUT, timeout_ms) == 1)
				continue;
			snprintf(err, errlen, "timed out sending the request");
			return (-1);
		}
		snprintf(err, errlen, "sending the request: %s",
		    strerror(errno));
		return (-1);
	}
	return (0);
}

/* http_client_recv - read and parse until done; 0 or -1 with err set */
static int
http_client_recv(int fd, struct http_resp *resp, int timeout_ms, char *err,
    size_t errlen)
{
	char	buf[16384];
	ssize_t	n;
	int	rc, wait;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0)
			rc = http_resp_feed(resp, buf, (size_t)n);
		else if (n == 0)
			rc = http_resp_eof(resp);
		else if (errno == EINTR)
			continue;
		else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			wait = http_resp_streaming(resp) ? -1 : timeout_ms;
			switch (http_client_wait(fd, POLLIN, wait)) {
			case 1:
				continue;
			case 0:
				snprintf(err, errlen,
				    "timed out waiting for the server");
				return (-1);
			default:
				snprintf(err, errlen, "poll: %s",
				    strerror(errno));
				return (-1);
			}
		} else {
			snprintf(err, errlen, "reading the response: %s",
			    strerror(errno));
			return (-1);
		}
		if (rc == HTTP_RESP_DONE)
			return (0);
		if (rc == HTTP_RESP_ERROR) {
			snprintf(err, errlen, "bad response: %s",
			    http_resp_error(resp));
			return (-1);
		}
	}
}

/* http_client_do - send one request, read the whole response */
int
http_client_do(const struct http_url *url, const struct http_request *req,
    int timeout_ms, struct http_resp **respp, char *err, size_t errlen)
{
	struct http_resp	*resp;
	char			*msg, serr[128];
	size_t			 len;
	int			 fd, sent;

	*respp = NULL;
	if ((fd = http_client_connect(url, timeout_ms, err, errlen)) == -1)
		return (HTTP_CLIENT_ECONNECT);
	msg = http_client_format(url, req, &len);
	sent = http_client_send(fd, msg, len, timeout_ms, serr, sizeof(serr));
	explicit_bzero(msg, len);
	free(msg);

	/*
	 * Even when the send failed, the server may have answered (say, a
	 * 413 before it read the body) and closed: read what it said.
	 */
	resp = http_resp_new(HTTP_CLIENT_BODY_MAX);
	if (req->sink != NULL)
		http_resp_set_sink(resp, req->sink, req->sink_arg);
	if (http_client_recv(fd, resp, timeout_ms, err, errlen) == -1) {
		if (sent == -1)
			snprintf(err, errlen, "%s", serr);
		close(fd);
		http_resp_free(resp);
		return (HTTP_CLIENT_EANSWER);
	}
	close(fd);
	*respp = resp;
	return (HTTP_CLIENT_OK);
}
