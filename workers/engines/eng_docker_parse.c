/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_docker_parse - the Docker client's pure parts: where Docker is,
 *	which API version to speak, what its errors mean, query escaping
 * SYNOPSIS
 *	#include "eng_docker.h"
 * DESCRIPTION
 *	See eng_docker.h. "tcp://host" without a port means Docker's plain
 *	port, 2375. An IPv6 address goes in brackets ("tcp://[::1]:2375").
 *	A path after the port is refused (a lone "/" is not). A host name
 *	is letters, digits, '.', '-' and '_'.
 *
 *	Versions are at most 999.9999. An error message is one line: a
 *	JSON message has its control characters made spaces; a non-JSON
 *	body gives its first non-blank line; either is cut to the buffer
 *	without leaving half a UTF-8 sequence. Query escaping keeps only
 *	RFC 3986's unreserved characters.
 * DIAGNOSTICS
 *	See eng_docker.h.
 */
#include <sys/un.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "eng_docker.h"

#define ENG_DOCKER_PARSE_PORT	2375

/* eng_docker_parse_host - check a tcp host name or [IPv6]; 0 or -1 */
static int
eng_docker_parse_host(const char *s, size_t n)
{
	size_t	i;
	int	v6;

	if (n == 0)
		return (-1);
	v6 = s[0] == '[';
	if (v6 && (n < 3 || s[n - 1] != ']'))
		return (-1);
	for (i = v6; i < n - v6; i++) {
		if (v6 ? !(isxdigit((unsigned char)s[i]) || s[i] == ':' ||
		    s[i] == '.') : !(isalnum((unsigned char)s[i]) ||
		    s[i] == '.' || s[i] == '-' || s[i] == '_'))
			return (-1);
	}
	return (0);
}

/* eng_docker_parse_tcp - "host[:port][/]" into ep->base_url; 0 or -1 */
static int
eng_docker_parse_tcp(const char *rest, struct eng_docker_ep *ep, char *err,
    size_t errlen)
{
	const char	*slash, *colon, *end, *p;
	size_t		 n;
	long		 port = ENG_DOCKER_PARSE_PORT;

	n = strlen(rest);
	if ((slash = strchr(rest, '/')) != NULL) {
		if (slash[1] != '\0') {
			snprintf(err, errlen, "Docker host %s: a path is not "
			    "supported", ep->display);
			return (-1);
		}
		n = (size_t)(slash - rest);
	}
	end = rest + n;
	if (rest[0] == '[')
		colon = (p = memchr(rest, ']', n)) != NULL && p + 1 < end ?
		    p + 1 : NULL;
	else
		colon = memchr(rest, ':', n);
	if (colon != NULL) {
		if (*colon != ':' || colon + 1 == end) {
			snprintf(err, errlen, "Docker host %s: bad port",
			    ep->display);
			return (-1);
		}
		port = 0;
		for (p = colon + 1; p < end; p++) {
			if (!isdigit((unsigned char)*p) || port > 65535)
				break;
			port = port * 10 + (*p - '0');
		}
		if (p != end || port < 1 || port > 65535) {
			snprintf(err, errlen, "Docker host %s: bad port",
			    ep->display);
			return (-1);
		}
		n = (size_t)(colon - rest);
	}
	if (eng_docker_parse_host(rest, n) == -1) {
		snprintf(err, errlen, "Docker host %s: bad host name",
		    ep->display);
		return (-1);
	}
	snprintf(ep->base_url, sizeof(ep->base_url), "http://%.*s:%ld",
	    (int)n, rest, port);
	return (0);
}

/* eng_docker_endpoint - parse host into ep; 0, or -1 and why */
int
eng_docker_endpoint(const char *host, struct eng_docker_ep *ep, char *err,
    size_t errlen)
{
	struct sockaddr_un	 sun;
	const char		*p;
	size_t			 n, max;

	memset(ep, 0, sizeof(*ep));
	if (host == NULL || *host == '\0') {
		snprintf(err, errlen, "empty Docker host");
		return (-1);
	}
	if (strlen(host) >= sizeof(ep->display)) {
		snprintf(err, errlen, "Docker host too long: %.64s...", host);
		return (-1);
	}
	snprintf(ep->display, sizeof(ep->display), "%s", host);
	if (strncmp(host, "unix://", 7) == 0) {
		p = host + 7;
		n = strlen(p);
		max = sizeof(sun.sun_path) < sizeof(ep->unix_path) ?
		    sizeof(sun.sun_path) : sizeof(ep->unix_path);
		if (*p != '/') {
			snprintf(err, errlen, "Docker host %s: the socket "
			    "path must be absolute", host);
			return (-1);
		}
		if (n >= max) {
			snprintf(err, errlen, "Docker host %.64s...: socket "
			    "path too long (%zu bytes, at most %zu)", host, n,
			    max - 1);
			return (-1);
		}
		memcpy(ep->unix_path, p, n + 1);
		snprintf(ep->base_url, sizeof(ep->base_url), "http://docker");
		return (0);
	}
	if (strncmp(host, "tcp://", 6) == 0)
		return (eng_docker_parse_tcp(host + 6, ep, err, errlen));
	if (strncmp(host, "http://", 7) == 0)
		return (eng_docker_parse_tcp(host + 7, ep, err, errlen));
	if (strncmp(host, "https://", 8) == 0) {
		snprintf(err, errlen, "Docker host %s: TLS is not supported "
		    "(use unix:// or plain tcp:// on a trusted network)", host);
		return (-1);
	}
	if ((p = strstr(host, "://")) != NULL)
		snprintf(err, errlen, "Docker host %s: scheme '%.*s' is not "
		    "supported (use unix://, tcp:// or http://)", host,
		    (int)(p - host > 16 ? 16 : p - host), host);
	else
		snprintf(err, errlen, "Docker host %s is not unix:///path, "
		    "tcp://host:port or http://host:port", host);
	return (-1);
}

/* eng_docker_parse_version - "MAJOR.MINOR" as one comparable number, or -1 */
static long
eng_docker_parse_version(const char *s)
{
	long	major = 0, minor = 0;
	int	digits;

	if (s == NULL)
		return (-1);
	for (digits = 0; isdigit((unsigned char)*s); s++, digits++)
		if ((major = major * 10 + (*s - '0')) > 999)
			return (-1);
	if (digits == 0 || *s++ != '.')
		return (-1);
	for (digits = 0; isdigit((unsigned char)*s); s++, digits++)
		if ((minor = minor * 10 + (*s - '0')) > 9999)
			return (-1);
	if (digits == 0 || *s != '\0')
		return (-1);
	return (major * 10000 + minor);
}

/* eng_docker_pick_version - the version we speak; 0, or -1 and why */
int
eng_docker_pick_version(const char *server_api, const char *server_min,
    char *out, size_t outlen, char *err, size_t errlen)
{
	long	api, min, lo, hi, v;

	lo = eng_docker_parse_version(ENG_DOCKER_API_MIN);
	hi = eng_docker_parse_version(ENG_DOCKER_API_MAX);
	if ((api = eng_docker_parse_version(server_api)) == -1) {
		snprintf(err, errlen, "Docker API version '%.32s' is not "
		    "MAJOR.MINOR", server_api != NULL ? server_api : "");
		return (-1);
	}
	min = -1;
	if (server_min != NULL && *server_min != '\0' &&
	    (min = eng_docker_parse_version(server_min)) == -1) {
		snprintf(err, errlen, "Docker minimum API version '%.32s' is "
		    "not MAJOR.MINOR", server_min);
		return (-1);
	}
	v = api < hi ? api : hi;
	if (v < lo) {
		snprintf(err, errlen, "Docker API %s is older than %s, the "
		    "oldest corral speaks", server_api, ENG_DOCKER_API_MIN);
		return (-1);
	}
	if (min > v) {
		snprintf(err, errlen, "Docker wants API %s or newer; corral "
		    "speaks up to %s", server_min, ENG_DOCKER_API_MAX);
		return (-1);
	}
	if ((size_t)snprintf(out, outlen, "%ld.%ld", v / 10000,
	    v % 10000) >= outlen) {
		snprintf(err, errlen, "no room for the API version");
		return (-1);
	}
	return (0);
}

/* eng_docker_parse_line - s (first line only if first) as one trimmed line */
static void
eng_docker_parse_line(char *msg, size_t msglen, const char *s, int first)
{
	const unsigned char	*p;
	size_t			 n = 0, i, need;

	if (msglen == 0)
		return;
	while (isspace((unsigned char)*s))
		s++;
	for (p = (const unsigned char *)s; *p != '\0' && n + 1 < msglen;
	    p++) {
		if (*p == '\n' && first)
			break;
		msg[n++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
	}
	while (n > 0 && msg[n - 1] == ' ')
		n--;
	/* a cut must not leave half a UTF-8 sequence */
	for (i = n; i > 0 && n - i < 4; i--) {
		p = (const unsigned char *)msg + i - 1;
		if ((*p & 0xc0) == 0x80)
			continue;
		need = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
		if (i - 1 + need > n)
			n = i - 1;
		break;
	}
	msg[n] = '\0';
}

/* eng_docker_error - our code for a non-2xx answer and Docker's message */
const char *
eng_docker_error(long status, const char *body, char *msg, size_t msglen)
{
	const char	*code;
	cJSON		*j, *m;

	if (msglen > 0)
		msg[0] = '\0';
	if (status >= 200 && status <= 299)
		return (NULL);
	switch (status) {
	case 304:
		code = "not_modified";
		break;
	case 400:
		code = "bad_request";
		break;
	case 404:
		code = "not_found";
		break;
	case 409:
		code = "conflict";
		break;
	default:
		code = "docker_error";
		break;
	}
	if (body != NULL && (j = cJSON_Parse(body)) != NULL) {
		m = cJSON_GetObjectItemCaseSensitive(j, "message");
		if (cJSON_IsString(m))
			eng_docker_parse_line(msg, msglen, m->valuestring, 0);
		cJSON_Delete(j);
	} else if (body != NULL)
		eng_docker_parse_line(msg, msglen, body, 1);
	if (msglen > 0 && msg[0] == '\0')
		snprintf(msg, msglen, "HTTP %ld", status);
	return (code);
}

/* eng_docker_query_escape - append s URL-escaped to buf; -1 if too long */
int
eng_docker_query_escape(char *buf, size_t len, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	size_t			 n, start;

	if (len == 0 || (start = n = strnlen(buf, len)) == len)
		return (-1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' ||
		    *p == '~') {
			if (n + 1 >= len)
				goto toolong;
			buf[n++] = (char)*p;
			continue;
		}
		if (n + 3 >= len)
			goto toolong;
		buf[n++] = '%';
		buf[n++] = hex[*p >> 4];
		buf[n++] = hex[*p & 0xf];
	}
	buf[n] = '\0';
	return (0);
toolong:
	buf[start] = '\0';
	return (-1);
}
