/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_listen - the listening socket of the http worker
 * SYNOPSIS
 *	#include "http_listen.h"
 * DESCRIPTION
 *	http_listen_parse() splits "host:port" at its last colon, or
 *	"[addr]:port" at the bracket, for IPv6 literals. The host must not
 *	be empty (say 0.0.0.0 or [::] for every address) and an unbracketed
 *	host must not hold a colon. The port is 0 to 65535 in decimal; 0
 *	asks the kernel for one, and the log line says which.
 *
 *	http_listen_open() resolves the host (names are allowed; this runs
 *	before the sandbox, once), then binds and listens on the first
 *	address that works: non-blocking, close-on-exec, SO_REUSEADDR so a
 *	restarted worker finds its port despite TIME_WAIT, and IPV6_V6ONLY
 *	so "[::]" means IPv6 only, as written.
 * DIAGNOSTICS
 *	One log line on failure. *code says what the master should do:
 *	WORKER_EXIT_PERMANENT for an address that cannot work (malformed,
 *	unknown host, a port below 1024 without privilege: EACCES, since a
 *	worker has no capabilities), WORKER_EXIT_TEMPORARY for one that may
 *	work later (EADDRINUSE, a resolver failure, an address not yet up).
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"

#include "http_listen.h"

#define HTTP_LISTEN_BACKLOG	511

/* http_listen_port_ok - a decimal port, 0 to 65535? */
static int
http_listen_port_ok(const char *p)
{
	size_t	n;
	long	v = 0;

	for (n = 0; p[n] != '\0'; n++) {
		if (p[n] < '0' || p[n] > '9' || n >= 5)
			return (0);
		v = v * 10 + (p[n] - '0');
	}
	return (n > 0 && v <= 65535);
}

/* http_listen_parse - split bind into host and port; -1 if malformed */
int
http_listen_parse(const char *bind, char *host, size_t hostlen, char *port,
    size_t portlen)
{
	const char	*colon, *h;
	size_t		 hlen;

	if (bind == NULL)
		return (-1);
	if (bind[0] == '[') {
		if ((colon = strchr(bind, ']')) == NULL || colon[1] != ':')
			return (-1);
		h = bind + 1;
		hlen = (size_t)(colon - h);
		colon++;
	} else {
		if ((colon = strrchr(bind, ':')) == NULL)
			return (-1);
		h = bind;
		hlen = (size_t)(colon - h);
		if (memchr(h, ':', hlen) != NULL)
			return (-1);
	}
	if (hlen == 0 || hlen >= hostlen || strlen(colon + 1) >= portlen ||
	    !http_listen_port_ok(colon + 1))
		return (-1);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	strcpy(port, colon + 1);
	return (0);
}

/* http_listen_try - socket, bind and listen on one address; fd or -1 */
static int
http_listen_try(const struct addrinfo *ai)
{
	int	fd, on = 1, save;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return (-1);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, HTTP_LISTEN_BACKLOG) == -1) {
		save = errno;
		close(fd);
		errno = save;
		return (-1);
	}
	return (fd);
}

/* http_listen_log - say where we listen, the kernel's port included */
static void
http_listen_log(int fd, const char *bind)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);
	char			host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), serv,
	    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		log_info("listening on %s%s%s:%s", ss.ss_family == AF_INET6 ?
		    "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "", serv);
	else
		log_info("listening on %s", bind);
}

/* http_listen_open - listening socket on bind, or -1 and *code (exit code) */
int
http_listen_open(const char *bind, int *code)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[HTTP_LISTEN_HOST_MAX], port[HTTP_LISTEN_PORT_MAX];
	int		 fd = -1, rc, err = 0;

	if (http_listen_parse(bind, host, sizeof(host), port,
	    sizeof(port)) == -1) {
		log_warnx("bind \"%s\": not host:port", bind != NULL ? bind :
		    "");
		*code = WORKER_EXIT_PERMANENT;
		return (-1);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_warnx("bind %s: %s", bind, gai_strerror(rc));
		*code = rc == EAI_AGAIN || rc == EAI_SYSTEM ||
		    rc == EAI_MEMORY ? WORKER_EXIT_TEMPORARY :
		    WORKER_EXIT_PERMANENT;
		return (-1);
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		if ((fd = http_listen_try(ai)) == -1)
			err = errno;
	freeaddrinfo(res);
	if (fd == -1) {
		log_warnx("bind %s: %s", bind, strerror(err));
		*code = err == EACCES ? WORKER_EXIT_PERMANENT :
		    WORKER_EXIT_TEMPORARY;
		return (-1);
	}
	http_listen_log(fd, bind);
	return (fd);
}
