/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	eng_http_req - one request's easy handle: its options and curl's
 *	callbacks for its headers and body
 * SYNOPSIS
 *	#include "eng_http_priv.h"
 * DESCRIPTION
 *	eng_http_req_setup sets the URL, the socket, the method and body,
 *	the headers and the limits. Every request says "Expect:" (no
 *	100-continue wait) and "User-Agent: corral-engines/VERSION", and
 *	uses no proxy (curl would otherwise honour http_proxy for a tcp
 *	endpoint). Only http:// URLs are allowed. A request with a body, or
 *	a POST, PUT or PATCH without one, is sent with Content-Length (0 if
 *	no body) and, with a body, Content-Type: application/json; without
 *	one, no Content-Type.
 *
 *	The header callback keeps the Api-Version header (any case; the
 *	last one of the last answer). The write callback decides at the
 *	first piece of the body, from the status, whether the body goes to
 *	the data callback (2xx with one) or is collected, up to r->max.
 * DIAGNOSTICS
 *	eng_http_req_why: "aborted", "response too large", "timed out after
 *	N ms", "connect PATH: strerror", or curl's own words.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eng_http_priv.h"
#include "xmalloc.h"

#define ENG_HTTP_REQ_APIVER_HDR	"Api-Version:"
#ifndef CORRAL_VERSION
#define CORRAL_VERSION		"0.0.0"
#endif
#define ENG_HTTP_REQ_AGENT	"corral-engines/" CORRAL_VERSION

/* eng_http_req_why - one line saying why the transfer failed */
const char *
eng_http_req_why(struct eng_http_req *r, CURLcode rc)
{
	long	oserr = 0;

	if (r->aborted)
		return ("aborted");
	if (r->toolarge)
		return ("response too large");
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		if (r->timeout_ms <= 0)
			break;		/* curl's connect timeout: its words */
		snprintf(r->err, sizeof(r->err), "timed out after %ld ms",
		    r->timeout_ms);
		return (r->err);
	case CURLE_COULDNT_CONNECT:
		if (curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO,
		    &oserr) == CURLE_OK && oserr != 0) {
			snprintf(r->err, sizeof(r->err), "connect %s: %s",
			    r->where, strerror((int)oserr));
			return (r->err);
		}
		break;
	default:
		break;
	}
	snprintf(r->err, sizeof(r->err), "%s", r->errbuf[0] != '\0' ?
	    r->errbuf : curl_easy_strerror(rc));
	return (r->err);
}

/* eng_http_req_header_cb - CURLOPT_HEADERFUNCTION: catch Api-Version */
static size_t
eng_http_req_header_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct eng_http_req	*r = arg;
	size_t			 n = size * nitems, k;
	const char		*p, *e;

	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0)
		r->apiver[0] = '\0';	/* a new answer (after a 1xx) */
	k = sizeof(ENG_HTTP_REQ_APIVER_HDR) - 1;
	if (n < k || strncasecmp(buf, ENG_HTTP_REQ_APIVER_HDR, k) != 0)
		return (n);
	p = buf + k;
	e = buf + n;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' ||
	    e[-1] == '\t'))
		e--;
	k = (size_t)(e - p);
	if (k >= sizeof(r->apiver))
		k = sizeof(r->apiver) - 1;
	memcpy(r->apiver, p, k);
	r->apiver[k] = '\0';
	return (n);
}

/* eng_http_req_write_cb - CURLOPT_WRITEFUNCTION: to data, or collect */
static size_t
eng_http_req_write_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct eng_http_req	*r = arg;
	size_t			 n = size * nmemb;
	long			 code = 0;

	if (r->state != ENG_HTTP_ACTIVE)
		return (0);		/* cancelled: fail the transfer */
	if (n == 0)
		return (0);
	if (r->streaming == -1) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
		r->streaming = r->data != NULL && code >= 200 && code <= 299;
	}
	if (r->streaming) {
		if (r->data(buf, n, r->arg) < 0) {
			r->aborted = 1;
			return (0);
		}
		/* data may have cancelled r or freed the client */
		return (r->state == ENG_HTTP_ACTIVE ? n : 0);
	}
	if (n > r->max - r->len) {
		r->toolarge = 1;
		return (0);
	}
	if (r->len + n + 1 > r->cap) {
		r->cap = r->cap == 0 ? 4096 : r->cap;
		while (r->cap < r->len + n + 1)
			r->cap *= 2;
		r->body = xrealloc(r->body, r->cap);
	}
	memcpy(r->body + r->len, buf, n);
	r->len += n;
	r->body[r->len] = '\0';
	return (n);
}

/* eng_http_req_method - set the method, the body and its headers */
static CURLcode
eng_http_req_method(struct eng_http_req *r, const struct eng_http_opts *o)
{
	const char		*m = o->method != NULL ? o->method : "GET";
	struct curl_slist	*l;
	CURLcode		 rc = CURLE_OK;
	int			 hasbody;

	hasbody = o->body != NULL || strcmp(m, "POST") == 0 ||
	    strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0;
	if ((l = curl_slist_append(r->hdrs, "Expect:")) == NULL)
		return (CURLE_OUT_OF_MEMORY);
	r->hdrs = l;
	if (hasbody && (l = curl_slist_append(r->hdrs, o->body != NULL ?
	    "Content-Type: application/json" : "Content-Type:")) == NULL)
		return (CURLE_OUT_OF_MEMORY);
	r->hdrs = l;
	if (strcmp(m, "HEAD") == 0 && !hasbody)
		rc = curl_easy_setopt(r->easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") == 0 && !hasbody)
		rc = curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
	else {
		if (hasbody) {
			rc = curl_easy_setopt(r->easy,
			    CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)(o->body != NULL ? o->body_len : 0));
			if (rc == CURLE_OK)
				rc = curl_easy_setopt(r->easy,
				    CURLOPT_COPYPOSTFIELDS,
				    o->body != NULL ? o->body : "");
		}
		if (rc == CURLE_OK && strcmp(m, "POST") != 0)
			rc = curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST,
			    m);
	}
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
	return (rc);
}

/* eng_http_req_setup - the easy handle's options; 0, or -1 and r->early */
int
eng_http_req_setup(struct eng_http_req *r, const struct eng_http_opts *o)
{
	CURL		*e = r->easy;
	CURLcode	 rc;

	rc = curl_easy_setopt(e, CURLOPT_URL, o->url);
#define ENG_HTTP_REQ_SET(opt, val) \
	do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
	ENG_HTTP_REQ_SET(CURLOPT_PRIVATE, (void *)r);
	ENG_HTTP_REQ_SET(CURLOPT_NOSIGNAL, 1L);
	ENG_HTTP_REQ_SET(CURLOPT_ERRORBUFFER, r->errbuf);
	ENG_HTTP_REQ_SET(CURLOPT_WRITEFUNCTION, eng_http_req_write_cb);
	ENG_HTTP_REQ_SET(CURLOPT_WRITEDATA, (void *)r);
	ENG_HTTP_REQ_SET(CURLOPT_HEADERFUNCTION, eng_http_req_header_cb);
	ENG_HTTP_REQ_SET(CURLOPT_HEADERDATA, (void *)r);
	ENG_HTTP_REQ_SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	ENG_HTTP_REQ_SET(CURLOPT_PROXY, "");
	ENG_HTTP_REQ_SET(CURLOPT_USERAGENT, ENG_HTTP_REQ_AGENT);
#if LIBCURL_VERSION_NUM >= 0x075500
	ENG_HTTP_REQ_SET(CURLOPT_PROTOCOLS_STR, "http");
#else
	ENG_HTTP_REQ_SET(CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTP);
#endif
	if (o->timeout_ms > 0)
		ENG_HTTP_REQ_SET(CURLOPT_TIMEOUT_MS, o->timeout_ms);
	if (o->unix_path != NULL)
		ENG_HTTP_REQ_SET(CURLOPT_UNIX_SOCKET_PATH, o->unix_path);
#undef ENG_HTTP_REQ_SET
	if (rc == CURLE_OK)
		rc = eng_http_req_method(r, o);
	if (rc != CURLE_OK) {
		snprintf(r->early, sizeof(r->early), "curl: %s",
		    curl_easy_strerror(rc));
		return (-1);
	}
	return (0);
}
