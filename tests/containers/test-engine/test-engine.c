/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	test-engine - a stand-in inference engine for the container lab
 * SYNOPSIS
 *	test-engine --port N [--host ADDR] [--model PATH]
 *	    [--served-model-name NAME] [--load-seconds S]
 *	    [--exit-after S CODE]
 * DESCRIPTION
 *	Behaves, from outside, like the OpenAI-compatible engines corral
 *	launches as sibling containers: it takes their kind of arguments,
 *	spends --load-seconds (default 3) "loading" while GET /health
 *	answers 503 {"status":"loading"}, then answers 200 {"status":"ok"};
 *	GET /v1/models lists --served-model-name (default: the --model
 *	path, else "test-engine"). Like Ollama, GET /api/tags answers 200
 *	once loaded and POST /api/pull {"name":...} 200, or 404 for a name
 *	starting with "missing". Anything else is 404 (405 for a known
 *	path with another method, 400 for what is not HTTP).
 *
 *	--model PATH must exist and be readable, else exit 3 (what a real
 *	engine does when a bind mount is missing). --exit-after S CODE
 *	logs a simulated fatal error and exits CODE after S seconds (an
 *	engine that dies while loading or serving). SIGTERM and SIGINT
 *	end it with status 0 at once: it is PID 1 in its container.
 *
 *	stdout: a startup line with the arguments, "HF_TOKEN: set|unset"
 *	(never the value), "ready", one line per request. stderr:
 *	"loading..." lines and errors. Bad arguments exit 2, a socket
 *	that cannot be bound exits 1.
 *
 *	One process, one poll loop; every connection has a bounded buffer
 *	and a deadline, and is closed after its reply.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TE_MAXCONN	64		/* connections served at once */
#define TE_REQMAX	8192		/* request head bytes kept */
#define TE_RESPMAX	4096		/* reply bytes */
#define TE_CONN_MS	10000		/* a connection's whole life */

enum te_state { TE_FREE, TE_READING, TE_WRITING };

struct te_conn {
	enum te_state	 state;
	int		 fd;
	long long	 deadline;	/* ms, monotonic */
	size_t		 inlen;
	char		 in[TE_REQMAX];
	size_t		 outlen, outoff;
	char		 out[TE_RESPMAX];
	char		 peer[INET6_ADDRSTRLEN + 8];
};

static struct te_conn	 te_conns[TE_MAXCONN];
static volatile sig_atomic_t te_stop;
static int		 te_sigpipe[2] = { -1, -1 };

static const char	*te_host = "0.0.0.0";
static long		 te_port = -1;
static const char	*te_model;
static const char	*te_name;
static double		 te_load = 3.0;
static double		 te_exit_after = -1.0;
static int		 te_exit_code;
static long long	 te_t0;

static void	te_out(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static void	te_err(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/*
 * te_line - one line, one write(2): log collectors (conmon's k8s-file)
 * record a line that arrives in pieces as partial lines, and podman 4.3
 * then misplaces those with ?tail=N
 */
static void
te_line(int fd, const char *prefix, const char *fmt, va_list ap)
{
	char	buf[4096];
	size_t	n;
	ssize_t	w;
	int	r;

	n = (size_t)snprintf(buf, sizeof(buf), "%s", prefix);
	r = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (r < 0)
		r = 0;
	n += (size_t)r;
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	for (size_t off = 0; off < n; off += (size_t)w)
		if ((w = write(fd, buf + off, n - off)) <= 0) {
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			return;		/* nobody reads our logs: go on */
		}
}

static void
te_out(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	te_line(STDOUT_FILENO, "", fmt, ap);
	va_end(ap);
}

static void
te_err(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	te_line(STDERR_FILENO, "test-engine: ", fmt, ap);
	va_end(ap);
}

static long long
te_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
te_on_signal(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	te_stop = sig;
	if (te_sigpipe[1] != -1)
		(void)write(te_sigpipe[1], &c, 1);
	errno = saved;
}

static void
te_usage(void)
{
	te_err("usage: test-engine --port N [--host ADDR] [--model PATH] "
	    "[--served-model-name NAME] [--load-seconds S] "
	    "[--exit-after S CODE]");
	exit(2);
}

/* te_number - a whole argument as a number in [lo, hi], else usage */
static double
te_number(const char *opt, const char *s, double lo, double hi)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
		te_err("%s: bad value '%s' (want %g..%g)", opt, s, lo, hi);
		te_usage();
	}
	return (v);
}

static void
te_args(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		const char	*a = argv[i];
		int		 more = argc - i - 1;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			te_usage();
		if (strcmp(a, "--exit-after") == 0) {
			if (more < 2) {
				te_err("--exit-after wants S CODE");
				te_usage();
			}
			te_exit_after = te_number(a, argv[i + 1], 0, 86400);
			te_exit_code = (int)te_number(a, argv[i + 2], 0, 255);
			i += 2;
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || more < 1) {
			te_err("%s: unknown argument or missing value", a);
			te_usage();
		}
		if (strcmp(a, "--port") == 0)
			te_port = (long)te_number(a, argv[i + 1], 1, 65535);
		else if (strcmp(a, "--host") == 0)
			te_host = argv[i + 1];
		else if (strcmp(a, "--model") == 0)
			te_model = argv[i + 1];
		else if (strcmp(a, "--served-model-name") == 0)
			te_name = argv[i + 1];
		else if (strcmp(a, "--load-seconds") == 0)
			te_load = te_number(a, argv[i + 1], 0, 86400);
		else {
			te_err("%s: unknown option", a);
			te_usage();
		}
		i++;
	}
	if (te_port < 0) {
		te_err("--port is required");
		te_usage();
	}
	if (te_name == NULL)
		te_name = te_model != NULL ? te_model : "test-engine";
}

/* te_check_model - --model must exist and be readable (file or dir) */
static void
te_check_model(void)
{
	struct stat	st;

	if (te_model == NULL)
		return;
	if (stat(te_model, &st) == -1) {
		te_err("error: model path %s: %s", te_model, strerror(errno));
		exit(3);
	}
	if (access(te_model, S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK)
	    == -1) {
		te_err("error: model path %s is not readable: %s", te_model,
		    strerror(errno));
		exit(3);
	}
}

static int
te_listen(void)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (strchr(te_host, ':') != NULL) {
		struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)te_port);
		if (inet_pton(AF_INET6, te_host, &s6->sin6_addr) != 1)
			goto badhost;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)te_port);
		if (inet_pton(AF_INET, te_host, &s4->sin_addr) != 1)
			goto badhost;
		sl = sizeof(*s4);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1) {
		te_err("socket: %s", strerror(errno));
		exit(1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
		te_err("error: bind %s port %ld: %s", te_host, te_port,
		    strerror(errno));
		exit(1);
	}
	if (listen(fd, 64) == -1) {
		te_err("listen: %s", strerror(errno));
		exit(1);
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return (fd);
badhost:
	te_err("--host: '%s' is not a numeric IPv4 or IPv6 address", te_host);
	exit(2);
}

/* te_json_str - s as a JSON string body (quotes not included) */
static void
te_json_str(char *dst, size_t dsz, const char *s)
{
	size_t	n = 0;

	for (; *s != '\0' && n + 7 < dsz; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			dst[n++] = '\\';
			dst[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(dst + n, dsz - n, "\\u%04x", c);
		} else
			dst[n++] = (char)c;
	}
	dst[n] = '\0';
}

static void
te_reply(struct te_conn *c, int code, const char *body)
{
	const char	*reason;
	int		 n;

	switch (code) {
	case 200: reason = "OK"; break;
	case 400: reason = "Bad Request"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	case 408: reason = "Request Timeout"; break;
	case 431: reason = "Request Header Fields Too Large"; break;
	case 503: reason = "Service Unavailable"; break;
	default: reason = "Error"; break;
	}
	n = snprintf(c->out, sizeof(c->out),
	    "HTTP/1.0 %d %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %zu\r\n"
	    "Connection: close\r\n"
	    "\r\n%s", code, reason, strlen(body), body);
	if (n < 0 || (size_t)n >= sizeof(c->out))
		n = snprintf(c->out, sizeof(c->out), "HTTP/1.0 500 Error\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n");
	c->outlen = (size_t)n;
	c->outoff = 0;
	c->state = TE_WRITING;
}

static int
te_loaded(void)
{
	return (te_now_ms() - te_t0 >= (long long)(te_load * 1000));
}

/* te_pull_name - the "name" of a JSON body after the head, printable, or "?" */
static void
te_pull_name(const char *in, char *out, size_t len)
{
	const char	*b, *p;
	size_t		 n = 0;

	snprintf(out, len, "?");
	if ((b = strstr(in, "\r\n\r\n")) == NULL ||
	    (p = strstr(b, "\"name\"")) == NULL ||
	    (p = strchr(p + 6, '"')) == NULL)
		return;
	for (p++; *p != '\0' && *p != '"' && n + 1 < len; p++)
		out[n++] = (*p >= 0x20 && *p <= 0x7e) ? *p : '?';
	out[n] = '\0';
}

/* te_handle - answer the request head in c->in (NUL-terminated) */
static void
te_handle(struct te_conn *c)
{
	char	 method[16], target[256], path[256], vers[16], nm[1024];
	char	 body[2048], *q;
	int	 code, n;

	/* request line: METHOD SP TARGET SP HTTP/x.y */
	n = sscanf(c->in, "%15[A-Za-z] %255[^ \r\n] %15[^ \r\n]", method,
	    target, vers);
	if (n != 3 || strncmp(vers, "HTTP/", 5) != 0) {
		te_reply(c, 400, "{\"error\":\"bad request\"}");
		te_out("%s - 400 (bad request line)", c->peer);
		return;
	}
	snprintf(path, sizeof(path), "%s", target);
	if ((q = strpbrk(path, "?#")) != NULL)
		*q = '\0';

	if (strcmp(path, "/health") == 0) {
		if (strcmp(method, "GET") != 0) {
			code = 405;
			snprintf(body, sizeof(body),
			    "{\"error\":\"method not allowed\"}");
		} else if (te_loaded()) {
			code = 200;
			snprintf(body, sizeof(body), "{\"status\":\"ok\"}");
		} else {
			code = 503;
			snprintf(body, sizeof(body),
			    "{\"status\":\"loading\"}");
		}
	} else if (strcmp(path, "/v1/models") == 0) {
		if (strcmp(method, "GET") != 0) {
			code = 405;
			snprintf(body, sizeof(body),
			    "{\"error\":\"method not allowed\"}");
		} else {
			code = 200;
			te_json_str(nm, sizeof(nm), te_name);
			snprintf(body, sizeof(body), "{\"object\":\"list\","
			    "\"data\":[{\"id\":\"%s\",\"object\":\"model\","
			    "\"owned_by\":\"test-engine\"}]}", nm);
		}
	} else if (strcmp(path, "/api/tags") == 0) {
		/* Ollama's list of local models: answers once loaded */
		code = te_loaded() ? 200 : 503;
		snprintf(body, sizeof(body), code == 200 ? "{\"models\":[]}" :
		    "{\"status\":\"loading\"}");
	} else if (strcmp(path, "/api/pull") == 0 &&
	    strcmp(method, "POST") == 0) {
		/* Ollama's model pull: {"name":"..."}; "missing*" fails */
		te_pull_name(c->in, nm, sizeof(nm));
		code = strncmp(nm, "missing", 7) == 0 ? 404 : 200;
		snprintf(body, sizeof(body), code == 200 ?
		    "{\"status\":\"success\"}" :
		    "{\"error\":\"pull model manifest: file does not exist\"}");
		te_out("pull of model %s: %d", nm, code);
	} else {
		code = 404;
		snprintf(body, sizeof(body), "{\"error\":\"not found\"}");
	}
	te_reply(c, code, body);
	/* the target is the client's: log it printable only */
	for (q = target; *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
			*q = '?';
	te_out("%s \"%s %s\" %d", c->peer, method, target, code);
}

static void
te_close(struct te_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->state = TE_FREE;
}

static void
te_accept(int lfd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	struct te_conn		*c = NULL;
	char			 a[INET6_ADDRSTRLEN];
	int			 fd, i;

	for (;;) {
		sl = sizeof(ss);
		fd = accept(lfd, (struct sockaddr *)&ss, &sl);
		if (fd == -1)
			return;		/* EAGAIN, or a transient error */
		for (i = 0, c = NULL; i < TE_MAXCONN; i++)
			if (te_conns[i].state == TE_FREE) {
				c = &te_conns[i];
				break;
			}
		if (c == NULL) {
			close(fd);	/* full: shed load */
			continue;
		}
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		c->fd = fd;
		c->state = TE_READING;
		c->inlen = 0;
		c->deadline = te_now_ms() + TE_CONN_MS;
		a[0] = '\0';
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;

			inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
			snprintf(c->peer, sizeof(c->peer), "%s:%u", a,
			    ntohs(s4->sin_port));
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

			inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
			snprintf(c->peer, sizeof(c->peer), "[%s]:%u", a,
			    ntohs(s6->sin6_port));
		} else
			snprintf(c->peer, sizeof(c->peer), "?");
	}
}

static void
te_read(struct te_conn *c)
{
	ssize_t	n;

	n = read(c->fd, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		te_close(c);		/* peer gone before a whole head */
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	if (memchr(c->in, '\0', c->inlen) != NULL) {
		te_reply(c, 400, "{\"error\":\"NUL in request\"}");
		te_out("%s - 400 (NUL byte)", c->peer);
	} else if (strstr(c->in, "\r\n\r\n") != NULL ||
	    strstr(c->in, "\n\n") != NULL)
		te_handle(c);
	else if (c->inlen == sizeof(c->in) - 1) {
		te_reply(c, 431, "{\"error\":\"request head too large\"}");
		te_out("%s - 431 (head over %d bytes)", c->peer, TE_REQMAX);
	}
}

static void
te_write(struct te_conn *c)
{
	ssize_t	n;

	n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		te_close(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff == c->outlen) {
		shutdown(c->fd, SHUT_WR);
		te_close(c);
	}
}

static void
te_startup_line(int argc, char **argv)
{
	char	line[4096];
	size_t	n;
	int	i;

	n = (size_t)snprintf(line, sizeof(line), "test-engine: starting, "
	    "pid %ld, args:", (long)getpid());
	for (i = 1; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
		    argv[i]);
	te_out("%s", line);
	te_out("test-engine: model %s, served as %s, load %gs",
	    te_model != NULL ? te_model : "(none)", te_name, te_load);
	te_out("HF_TOKEN: %s", getenv("HF_TOKEN") != NULL ? "set" : "unset");
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	struct pollfd		 pfd[TE_MAXCONN + 2];
	struct te_conn		*map[TE_MAXCONN + 2];
	long long		 now, next_tick, timeout;
	int			 lfd, i, n, ready = 0, ticks = 0;

	te_args(argc, argv);
	te_t0 = te_now_ms();
	te_startup_line(argc, argv);
	te_check_model();

	if (pipe(te_sigpipe) == -1) {
		te_err("pipe: %s", strerror(errno));
		return (1);
	}
	for (i = 0; i < 2; i++) {
		(void)fcntl(te_sigpipe[i], F_SETFL,
		    fcntl(te_sigpipe[i], F_GETFL) | O_NONBLOCK);
		(void)fcntl(te_sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = te_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	lfd = te_listen();
	te_out("test-engine: listening on %s:%ld", te_host, te_port);
	for (i = 0; i < TE_MAXCONN; i++) {
		te_conns[i].fd = -1;
		te_conns[i].state = TE_FREE;
	}
	next_tick = te_t0;

	while (!te_stop) {
		now = te_now_ms();
		if (te_exit_after >= 0 &&
		    now - te_t0 >= (long long)(te_exit_after * 1000)) {
			te_out("test-engine: giving up after %gs",
			    te_exit_after);
			te_err("fatal: out of memory (simulated)");
			te_err("fatal: engine exiting with code %d",
			    te_exit_code);
			return (te_exit_code);
		}
		if (!ready && te_loaded()) {
			ready = 1;
			te_out("ready");
		}
		if (!ready && now >= next_tick) {
			te_err("loading... (%ds of %gs)", ticks++, te_load);
			next_tick += 1000;
		}

		/* sleep until the next thing we owe: tick, ready, exit, deadline */
		timeout = 1000;
		if (!ready) {
			timeout = next_tick - now;
			if (te_t0 + (long long)(te_load * 1000) - now < timeout)
				timeout = te_t0 +
				    (long long)(te_load * 1000) - now;
		}
		if (te_exit_after >= 0 && te_t0 +
		    (long long)(te_exit_after * 1000) - now < timeout)
			timeout = te_t0 + (long long)(te_exit_after * 1000) -
			    now;

		n = 0;
		pfd[n].fd = te_sigpipe[0];
		pfd[n].events = POLLIN;
		map[n++] = NULL;
		pfd[n].fd = lfd;
		pfd[n].events = POLLIN;
		map[n++] = NULL;
		for (i = 0; i < TE_MAXCONN; i++) {
			struct te_conn	*c = &te_conns[i];

			if (c->state == TE_FREE)
				continue;
			if (now >= c->deadline) {
				te_out("%s - dropped (timeout)", c->peer);
				te_close(c);
				continue;
			}
			if (c->deadline - now < timeout)
				timeout = c->deadline - now;
			pfd[n].fd = c->fd;
			pfd[n].events = c->state == TE_READING ?
			    POLLIN : POLLOUT;
			map[n++] = c;
		}
		if (timeout < 0)
			timeout = 0;
		if (poll(pfd, (nfds_t)n, (int)timeout) == -1) {
			if (errno == EINTR)
				continue;
			te_err("poll: %s", strerror(errno));
			return (1);
		}
		if (pfd[0].revents != 0)
			continue;		/* a signal: te_stop is set */
		if (pfd[1].revents & POLLIN)
			te_accept(lfd);
		for (i = 2; i < n; i++) {
			struct te_conn	*c = map[i];

			if (pfd[i].revents == 0 || c->state == TE_FREE)
				continue;
			if (c->state == TE_READING)
				te_read(c);
			else
				te_write(c);
		}
	}
	te_out("test-engine: signal %d, exiting", (int)te_stop);
	return (0);
}
