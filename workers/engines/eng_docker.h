/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_docker.h - the Docker Engine API, as much as the engines worker
 *	needs, over eng_http
 * SYNOPSIS
 *	int	eng_docker_endpoint(const char *host, struct eng_docker_ep *ep,
 *		    char *err, size_t errlen);
 *	int	eng_docker_pick_version(const char *server_api,
 *		    const char *server_min, char *out, size_t outlen,
 *		    char *err, size_t errlen);
 *	const char *eng_docker_error(long status, const char *body,
 *		    char *msg, size_t msglen);
 *	struct eng_docker *eng_docker_new(struct eng_http *h,
 *		    const struct eng_docker_ep *ep);
 *	void	eng_docker_negotiate(struct eng_docker *d,
 *		    eng_docker_fn *done, void *arg);
 *	struct eng_http_req *eng_docker_call(struct eng_docker *d,
 *		    const char *method, const char *path, const cJSON *body,
 *		    long timeout_ms, eng_http_data_fn *data,
 *		    eng_docker_fn *done, void *arg);
 * DESCRIPTION
 *	eng_docker_endpoint parses where Docker is: "unix:///path" (the
 *	usual /var/run/docker.sock; the path must be absolute and fit in
 *	sun_path) or "tcp://host:port" / "http://host:port" (plain HTTP;
 *	the port defaults to 2375; an IPv6 address in brackets; no path).
 *	TLS (https://) is not supported and is refused with that reason,
 *	like any other scheme.
 *	The caller picks the string: CORRAL_DOCKER_HOST, else DOCKER_HOST,
 *	else unix:///var/run/docker.sock.
 *
 *	eng_docker_pick_version chooses the API version to speak: the
 *	server's ApiVersion capped at ENG_DOCKER_API_MAX, refused if below
 *	ENG_DOCKER_API_MIN or if the server's MinAPIVersion is above what
 *	we would speak. Versions are "MAJOR.MINOR" compared numerically
 *	("1.9" < "1.41").
 *
 *	eng_docker_error maps a Docker answer to one of our error codes:
 *	400 bad_request, 404 not_found, 409 conflict, 304 not_modified
 *	(stop of a stopped container), 500 and others docker_error, and
 *	copies Docker's {"message":...} (or the first line of a non-JSON
 *	body, or "HTTP <status>") into msg. Returns NULL for 2xx.
 *
 *	eng_docker_negotiate asks GET /_ping then GET /version (unversioned
 *	paths) and stores the picked version; done gets r->status 200 and
 *	the /version JSON in r->json, or an error (r->code not NULL: that of
 *	the failed call, or "unavailable" with the reason when the versions
 *	do not fit). The server's ApiVersion is read from the JSON, else
 *	from /_ping's Api-Version header. Negotiating forgets the previous
 *	result first, and a negotiation still under way is dropped (its
 *	done never runs). Until it has succeeded, eng_docker_call's done
 *	gets status 0, code "unavailable" and "... not negotiated". Like
 *	every done here, the negotiation's is not called if the eng_http
 *	client is being freed.
 *	eng_docker_version and eng_docker_server_version say what was found.
 *
 *	eng_docker_call sends method path (e.g. "/containers/json?all=1",
 *	prefixed with "/v<version>") with body printed as JSON (or none);
 *	done gets a struct eng_docker_resp: status, the body parsed as JSON
 *	when it is JSON (r->json, else NULL), r->code and r->message from
 *	eng_docker_error when the status is not 2xx, or status 0, code
 *	"unavailable" and r->message saying why the exchange failed (Docker
 *	unreachable, timeout). With data set a 2xx body is streamed to it
 *	instead (logs, image pull progress, /wait), json and body are NULL;
 *	an error's body is still collected and parsed for r->message. done
 *	runs once, from the event loop, never from inside eng_docker_call;
 *	r and what it points to are valid only during the call, and done
 *	may free d. The call returned may be stopped with eng_http_cancel
 *	(done then never runs); eng_docker_free stops every call.
 *
 *	eng_docker_query_escape appends s to buf URL-escaped (for filters
 *	and image names in query strings).
 * DIAGNOSTICS
 *	The parse and pick functions return 0 or -1 with a one-line reason.
 */
#ifndef CORRAL_ENG_DOCKER_H
#define CORRAL_ENG_DOCKER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "eng_http.h"

#define ENG_DOCKER_API_MIN	"1.40"
#define ENG_DOCKER_API_MAX	"1.43"
#define ENG_DOCKER_DEFAULT_HOST	"unix:///var/run/docker.sock"
#define ENG_DOCKER_BODY_MAX	(4u * 1024 * 1024)

struct eng_docker_ep {
	char	unix_path[108];	/* "" for tcp */
	char	base_url[256];	/* "http://docker" or "http://host:port" */
	char	display[300];	/* as given, for messages */
};

struct eng_docker_resp {
	long		 status;	/* 0: no answer */
	const cJSON	*json;		/* parsed body, or NULL */
	const char	*body;		/* raw body (NUL-terminated), or NULL */
	const char	*code;		/* NULL on 2xx, else our error code */
	const char	*message;	/* NULL on 2xx, else one line */
	const char	*api_version;	/* the Api-Version header, or NULL */
};

struct eng_docker;

typedef void eng_docker_fn(const struct eng_docker_resp *r, void *arg);

/* eng_docker_endpoint - parse host into ep; 0, or -1 and why */
int		 eng_docker_endpoint(const char *host, struct eng_docker_ep *ep,
		    char *err, size_t errlen);

/* eng_docker_pick_version - the version we speak; 0, or -1 and why */
int		 eng_docker_pick_version(const char *server_api,
		    const char *server_min, char *out, size_t outlen,
		    char *err, size_t errlen);

/* eng_docker_error - our code for a non-2xx answer and Docker's message */
const char	*eng_docker_error(long status, const char *body, char *msg,
		    size_t msglen);

/* eng_docker_new - a Docker client on h at ep (copied) */
struct eng_docker *eng_docker_new(struct eng_http *h,
		    const struct eng_docker_ep *ep);

/* eng_docker_free - cancel what is under way and free d */
void		 eng_docker_free(struct eng_docker *d);

/* eng_docker_negotiate - /_ping, /version, pick the API version */
void		 eng_docker_negotiate(struct eng_docker *d, eng_docker_fn *done,
		    void *arg);

/* eng_docker_version - the negotiated API version, or NULL */
const char	*eng_docker_version(const struct eng_docker *d);

/* eng_docker_server_version - the server's own version string, or NULL */
const char	*eng_docker_server_version(const struct eng_docker *d);

/* eng_docker_call - one API call; NULL (done not called) if it cannot
 * even start */
struct eng_http_req *eng_docker_call(struct eng_docker *d, const char *method,
		    const char *path, const cJSON *body, long timeout_ms,
		    eng_http_data_fn *data, eng_docker_fn *done, void *arg);

/* eng_docker_query_escape - append s URL-escaped to buf; -1 if too long */
int		 eng_docker_query_escape(char *buf, size_t len, const char *s);

#endif
