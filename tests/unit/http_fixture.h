/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	http_fixture.h - the http worker's server, in-process, for unit tests
 * SYNOPSIS
 *	void	fx_start(const char *extra);
 *	void	fx_stop(void);
 *	void	fx_spin(int (*done)(void), int ms);
 *	int	fx_exchange(const char *method, const char *path,
 *		    const char *headers);
 *	void	fx_client_send(const char *method, const char *path,
 *		    const char *headers, const char *body);
 *	int	fx_asked(const char *method, const char *path, uint16_t type,
 *		    const char *json);
 *	void	fx_master_reply_to(uint16_t req, uint16_t type,
 *		    const char *json);
 *	void	fx_master_reply_fd(uint16_t type, const char *json, int fd);
 *	void	fx_master_wait(int n);
 *	int	fx_asked_by(uint8_t dst, const char *method, const char *path,
 *		    const char *headers, const char *body, uint16_t type,
 *		    const char *json);
 *	void	fx_sent_json(const char *want);
 *	const char *fx_error_field(cJSON **j);
 * DESCRIPTION
 *	See http_fixture.c. Used by check_http_server.c and
 *	check_http_life.c; one server at a time.
 */
#ifndef CORRAL_HTTP_FIXTURE_H
#define CORRAL_HTTP_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "worker.h"

#define FX_BODY_MAX	256
#define FX_BUF_MAX	65536	/* a /metrics page */

/* a status reply: not ready, because gpu (enabled) is starting */
#define FX_STATUS_JSON \
	"{\"version\":\"0.1.0\",\"pid\":42,\"uptime_s\":1.5," \
	"\"draining\":false," \
	"\"ready\":false,\"workers\":[" \
	"{\"name\":\"http\",\"enabled\":true,\"state\":\"ready\",\"pid\":7}," \
	"{\"name\":\"gpu\",\"enabled\":true,\"state\":\"starting\"}," \
	"{\"name\":\"mcp\",\"enabled\":false,\"state\":\"exited\"}]}"

#define FX_TOKENS	"{\"auth_mode\":\"bearer\"," \
	"\"admin_token\":\"admin-0123456789abcdef\"," \
	"\"readonly_token\":\"readonly-0123456789abcdef\"}"
#define FX_H_ADMIN	"Authorization: Bearer admin-0123456789abcdef\r\n"
#define FX_H_RO		"Authorization: Bearer readonly-0123456789abcdef\r\n"

extern struct worker_rt	 fx_rt;
extern struct chan	*fx_master;
extern int		 fx_nreq;
extern uint16_t		 fx_req_type;
extern uint8_t		 fx_req_dst;
extern char		 fx_req_body[FX_BODY_MAX];
extern int		 fx_cl_fd;
extern char		 fx_cl_buf[FX_BUF_MAX];
extern size_t		 fx_cl_len;
extern int		 fx_cl_eof;

/* fx_start - the server on 127.0.0.1:0 with config extra merged in */
void	 fx_start(const char *extra);

/* fx_stop - what worker_main does after its loop */
void	 fx_stop(void);

/* fx_spin - run the loop until done() or ms pass */
void	 fx_spin(int (*done)(void), int ms);

/* fx_master_saw - has the fake master got a request? */
int	 fx_master_saw(void);

/* fx_calls_gone - has every call been freed? */
int	 fx_calls_gone(void);

/* fx_exited - has the worker called worker_exit? */
int	 fx_exited(void);

/* fx_client_raw - connect and send bytes; the socket, non-blocking, or -1 */
int	 fx_client_raw(const char *bytes);

/* fx_client_open - connect and send one request; the socket, or -1 */
int	 fx_client_open(const char *method, const char *path,
	    const char *headers);

/* fx_client_start - open a client; reset the reply buffer */
void	 fx_client_start(const char *method, const char *path,
	    const char *headers);

/* fx_client_send - open a client sending a body (NULL: none) too */
void	 fx_client_send(const char *method, const char *path,
	    const char *headers, const char *body);

/* fx_client_done - read what there is; 1 once the server closed */
int	 fx_client_done(void);

/* fx_client_wait - read the whole reply into fx_cl_buf; its status */
int	 fx_client_wait(void);

/* fx_master_reply - the fake master answers the last request */
void	 fx_master_reply(uint16_t type, const char *json);

/* fx_master_reply_to - answer the last request of type req (for /metrics) */
void	 fx_master_reply_to(uint16_t req, uint16_t type, const char *json);

/* fx_master_reply_fd - answer the last request with json and fd (given) */
void	 fx_master_reply_fd(uint16_t type, const char *json, int fd);

/* fx_master_wait - run the loop until the master has seen n requests */
void	 fx_master_wait(int n);

/* fx_reply_json - the body of the reply in fx_cl_buf; caller frees */
cJSON	*fx_reply_json(void);

/* fx_check_error - the reply in fx_cl_buf is a JSON error with code want */
void	 fx_check_error(const char *want);

/* fx_has_header - does the reply in fx_cl_buf hold this text? */
int	 fx_has_header(const char *line);

/* fx_exchange - one request the master need not see; the status */
int	 fx_exchange(const char *method, const char *path,
	    const char *headers);

/* fx_asked - one request the master answers with type and json; status */
int	 fx_asked(const char *method, const char *path, uint16_t type,
	    const char *json);

/* fx_asked_by - one request for worker dst, answered with type and json */
int	 fx_asked_by(uint8_t dst, const char *method, const char *path,
	    const char *headers, const char *body, uint16_t type,
	    const char *json);

/* fx_sent_json - the last request's payload equals want (JSON) */
void	 fx_sent_json(const char *want);

/* fx_error_field - the error's field in fx_cl_buf, or NULL; caller frees j */
const char *fx_error_field(cJSON **j);

#endif
