/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_rpc - JSON-RPC 2.0 with one MCP server over its stdin and stdout
 * SYNOPSIS
 *	#include "mcp_rpc.h"
 * DESCRIPTION
 *	See mcp_rpc.h. Reads come from a persistent read event on the
 *	server's stdout, at most MCP_RPC_READ_BURST bytes per wakeup so one
 *	busy server cannot starve the others. Writes go to an evbuffer and
 *	out from a write event armed only while it holds bytes; nothing is
 *	written from inside mcp_rpc_request, so a broken pipe is reported
 *	from the event loop, never into the caller's frame.
 *
 *	Pending requests live in a list, each with its own timer. The
 *	session counts how deep it is in its own callbacks (busy): a free
 *	asked for meanwhile is done when the outermost one returns, and the
 *	read loop stops as soon as the session is closed.
 * DIAGNOSTICS
 *	Protocol errors are reported through fail (the server is then
 *	killed by its owner), never fatal here. Late answers (to a request
 *	that timed out or was forgotten) are logged at debug level.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "log.h"
#include "xmalloc.h"

#include "mcp_jsonrpc.h"
#include "mcp_rpc.h"

#define MCP_RPC_READ_CHUNK	(64 * 1024)
#define MCP_RPC_READ_BURST	(1024 * 1024)

struct mcp_rpc_pending {
	TAILQ_ENTRY(mcp_rpc_pending) entry;
	struct mcp_rpc		*r;
	int64_t			 id;
	struct event		*timer;
	mcp_rpc_reply_fn	*cb;
	void			*arg;
};

TAILQ_HEAD(mcp_rpc_plist, mcp_rpc_pending);

struct mcp_rpc {
	struct event_base	*base;
	int			 rfd, wfd;
	struct event		*rd, *wr;
	struct evbuffer		*out;
	struct mcp_jsonrpc_lines lines;
	struct mcp_log		*log;
	mcp_rpc_notify_fn	*notify;
	mcp_rpc_fail_fn		*fail;
	void			*arg;
	struct mcp_rpc_plist	 pending;
	size_t			 npending;
	int64_t			 next_id;
	int			 closed;
	int			 busy;		/* depth in our callbacks */
	int			 free_asked;
	char			*chunk;
	const char		*why;		/* of the last refusal */
};

static void	mcp_rpc_destroy(struct mcp_rpc *);

/* mcp_rpc_leave - out of one of our callbacks: free if asked meanwhile;
 * 1 if r is gone */
static int
mcp_rpc_leave(struct mcp_rpc *r)
{
	if (--r->busy == 0 && r->free_asked) {
		mcp_rpc_destroy(r);
		return (1);
	}
	return (0);
}

/* mcp_rpc_answer - call p's callback with rep and free p (out of the list) */
static void
mcp_rpc_answer(struct mcp_rpc_pending *p, struct mcp_rpc_reply *rep)
{
	struct mcp_rpc	*r = p->r;

	TAILQ_REMOVE(&r->pending, p, entry);
	r->npending--;
	event_free(p->timer);
	rep->id = p->id;
	r->busy++;
	p->cb(r, rep, p->arg);
	free(p);
	(void)mcp_rpc_leave(r);
}

/* mcp_rpc_timeout_cb - a request got no answer in time */
static void
mcp_rpc_timeout_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_rpc_pending	*p = arg;
	struct mcp_rpc_reply	 rep;

	(void)fd;
	(void)ev;
	memset(&rep, 0, sizeof(rep));
	rep.outcome = MCP_RPC_TIMEOUT;
	mcp_rpc_answer(p, &rep);
}

/* mcp_rpc_find - the pending request id, or NULL */
static struct mcp_rpc_pending *
mcp_rpc_find(struct mcp_rpc *r, int64_t id)
{
	struct mcp_rpc_pending	*p;

	TAILQ_FOREACH(p, &r->pending, entry)
		if (p->id == id)
			return (p);
	return (NULL);
}

/* mcp_rpc_queue - one message, printed, as a line in the output; 0 or -1 */
static int
mcp_rpc_queue(struct mcp_rpc *r, const cJSON *msg)
{
	char	*s;
	size_t	 n;

	if (r->closed || r->wfd == -1) {
		r->why = "the server's input is closed";
		return (-1);
	}
	if ((s = cJSON_PrintUnformatted(msg)) == NULL)
		fatalx("%s: out of memory", __func__);
	n = strlen(s);
	if (n + 1 > MCP_RPC_OUT_MAX - evbuffer_get_length(r->out) ||
	    evbuffer_get_length(r->out) > MCP_RPC_OUT_MAX) {
		cJSON_free(s);
		r->why = "the server is not reading its input";
		return (-1);
	}
	if (evbuffer_add(r->out, s, n) == -1 ||
	    evbuffer_add(r->out, "\n", 1) == -1)
		fatalx("%s: out of memory", __func__);
	cJSON_free(s);
	if (event_add(r->wr, NULL) == -1)
		fatalx("%s: event_add", __func__);
	return (0);
}

/* mcp_rpc_message - {"jsonrpc":"2.0"} to build on */
static cJSON *
mcp_rpc_message(void)
{
	cJSON	*m;

	if ((m = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(m, "jsonrpc", "2.0") == NULL)
		fatalx("%s: out of memory", __func__);
	return (m);
}

/* mcp_rpc_request - send method(params) (params taken); the id or -1 */
int64_t
mcp_rpc_request(struct mcp_rpc *r, const char *method, cJSON *params,
    int timeout_ms, mcp_rpc_reply_fn *cb, void *arg)
{
	struct mcp_rpc_pending	*p;
	struct timeval		 tv;
	cJSON			*m;
	int			 rc;

	if (r->npending >= MCP_RPC_PENDING_MAX) {
		cJSON_Delete(params);
		r->why = "too many requests wait for the server";
		return (-1);
	}
	m = mcp_rpc_message();
	cJSON_AddNumberToObject(m, "id", (double)r->next_id);
	cJSON_AddStringToObject(m, "method", method);
	if (params != NULL)
		cJSON_AddItemToObject(m, "params", params);
	rc = mcp_rpc_queue(r, m);
	cJSON_Delete(m);
	if (rc == -1)
		return (-1);
	p = xcalloc(1, sizeof(*p));
	p->r = r;
	p->id = r->next_id++;
	p->cb = cb;
	p->arg = arg;
	if ((p->timer = evtimer_new(r->base, mcp_rpc_timeout_cb, p)) == NULL)
		fatalx("%s: evtimer_new", __func__);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(p->timer, &tv);
	TAILQ_INSERT_TAIL(&r->pending, p, entry);
	r->npending++;
	return (p->id);
}

/* mcp_rpc_notify - send a notification (params taken); 0 or -1 */
int
mcp_rpc_notify(struct mcp_rpc *r, const char *method, cJSON *params)
{
	cJSON	*m;
	int	 rc;

	m = mcp_rpc_message();
	cJSON_AddStringToObject(m, "method", method);
	if (params != NULL)
		cJSON_AddItemToObject(m, "params", params);
	rc = mcp_rpc_queue(r, m);
	cJSON_Delete(m);
	return (rc);
}

/* mcp_rpc_forget - drop pending request id without calling back */
void
mcp_rpc_forget(struct mcp_rpc *r, int64_t id)
{
	struct mcp_rpc_pending	*p;

	if ((p = mcp_rpc_find(r, id)) == NULL)
		return;
	TAILQ_REMOVE(&r->pending, p, entry);
	r->npending--;
	event_free(p->timer);
	free(p);
}

/* mcp_rpc_pending - requests awaiting an answer */
size_t
mcp_rpc_pending(const struct mcp_rpc *r)
{
	return (r->npending);
}

/* mcp_rpc_why - why the last request was refused */
const char *
mcp_rpc_why(const struct mcp_rpc *r)
{
	return (r->why != NULL ? r->why : "refused");
}

/* mcp_rpc_answer_server - answer the server's own request: {} or an error */
static void
mcp_rpc_answer_server(struct mcp_rpc *r, const struct mcp_jsonrpc_msg *m)
{
	cJSON	*a, *e;

	a = mcp_rpc_message();
	cJSON_AddItemToObject(a, "id", cJSON_Duplicate(m->id, 1));
	if (strcmp(m->method, "ping") == 0)
		cJSON_AddObjectToObject(a, "result");
	else {
		log_debug("server %s: request %.64s refused: corral offers no "
		    "client capabilities", r->log->server, m->method);
		e = cJSON_AddObjectToObject(a, "error");
		cJSON_AddNumberToObject(e, "code",
		    MCP_JSONRPC_METHOD_NOT_FOUND);
		cJSON_AddStringToObject(e, "message", "method not found");
	}
	(void)mcp_rpc_queue(r, a);
	cJSON_Delete(a);
}

/* mcp_rpc_log_message - notifications/message into the worker's log */
static void
mcp_rpc_log_message(struct mcp_rpc *r, const cJSON *params)
{
	const cJSON	*lv, *data, *logger;
	const char	*l;
	char		*text = NULL, what[80];
	int		 level = LOG_LVL_INFO;

	lv = cJSON_GetObjectItemCaseSensitive(params, "level");
	data = cJSON_GetObjectItemCaseSensitive(params, "data");
	logger = cJSON_GetObjectItemCaseSensitive(params, "logger");
	l = cJSON_IsString(lv) ? lv->valuestring : "info";
	if (strcmp(l, "debug") == 0)
		level = LOG_LVL_DEBUG;
	else if (strcmp(l, "warning") == 0)
		level = LOG_LVL_WARN;
	else if (strcmp(l, "error") == 0 || strcmp(l, "critical") == 0 ||
	    strcmp(l, "alert") == 0 || strcmp(l, "emergency") == 0)
		level = LOG_LVL_ERROR;
	snprintf(what, sizeof(what), "log%s%.64s", cJSON_IsString(logger) ?
	    " " : "", cJSON_IsString(logger) ? logger->valuestring : "");
	if (cJSON_IsString(data))
		mcp_log_line(r->log, level, what, data->valuestring,
		    strlen(data->valuestring));
	else if (data != NULL && (text = cJSON_PrintUnformatted(data)) !=
	    NULL)
		mcp_log_line(r->log, level, what, text, strlen(text));
	cJSON_free(text);
}

/* mcp_rpc_failed - the session broke: tell the owner, then close */
static void
mcp_rpc_failed(struct mcp_rpc *r, int eof, const char *why)
{
	if (r->closed)
		return;
	r->busy++;
	r->fail(r, eof, why, r->arg);
	mcp_rpc_close(r, why);
	r->busy--;
}

/* mcp_rpc_excerpt - the start of a bad line, printable, for last_error */
static void
mcp_rpc_excerpt(const char *line, size_t len, char *buf, size_t size)
{
	size_t	i, n = len < size - 1 ? len : size - 1;

	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)line[i] < 0x20 || line[i] == 0x7f ||
		    (unsigned char)line[i] >= 0x80 ? '?' : line[i];
	buf[n] = '\0';
}

/* mcp_rpc_line - one line from the server; non-zero stops the feed */
static int
mcp_rpc_line(const char *line, size_t len, void *arg)
{
	struct mcp_rpc		*r = arg;
	struct mcp_jsonrpc_msg	 m;
	struct mcp_rpc_pending	*p;
	struct mcp_rpc_reply	 rep;
	char			 why[256], ex[48];

	switch (mcp_jsonrpc_classify(line, len, &m)) {
	case MCP_JSONRPC_INVALID:
		mcp_rpc_excerpt(line, len, ex, sizeof(ex));
		snprintf(why, sizeof(why), "protocol error: a line that is "
		    "not JSON-RPC (%s): '%s%s'", m.why, ex,
		    len > sizeof(ex) - 1 ? "..." : "");
		mcp_rpc_failed(r, 0, why);
		break;
	case MCP_JSONRPC_RESPONSE:
	case MCP_JSONRPC_ERROR:
		if (m.rid < 0 || (p = mcp_rpc_find(r, m.rid)) == NULL) {
			log_debug("server %s: an answer to no request of ours "
			    "(a late one?) ignored", r->log->server);
			break;
		}
		memset(&rep, 0, sizeof(rep));
		if (m.kind == MCP_JSONRPC_RESPONSE) {
			rep.outcome = MCP_RPC_RESULT;
			rep.result = cJSON_DetachItemViaPointer(m.root,
			    m.result);
		} else {
			rep.outcome = MCP_RPC_ERROR;
			rep.code = m.code;
			rep.message = m.message;
		}
		mcp_rpc_answer(p, &rep);
		cJSON_Delete(rep.result);
		break;
	case MCP_JSONRPC_NOTIFICATION:
		if (strcmp(m.method, "notifications/message") == 0)
			mcp_rpc_log_message(r, m.params);
		else {
			r->busy++;
			r->notify(r, m.method, m.params, r->arg);
			r->busy--;
		}
		break;
	case MCP_JSONRPC_REQUEST:
		mcp_rpc_answer_server(r, &m);
		break;
	}
	mcp_jsonrpc_msg_free(&m);
	return (r->closed || r->free_asked);
}

/* mcp_rpc_read_cb - bytes from the server's stdout */
static void
mcp_rpc_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_rpc	*r = arg;
	size_t		 total = 0;
	ssize_t		 n;
	int		 rc;

	(void)ev;
	r->busy++;
	while (!r->closed && !r->free_asked && total < MCP_RPC_READ_BURST) {
		n = read(fd, r->chunk, MCP_RPC_READ_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			mcp_rpc_failed(r, 1, n == 0 ? "closed its stdout" :
			    strerror(errno));
			break;
		}
		total += (size_t)n;
		rc = mcp_jsonrpc_lines_feed(&r->lines, r->chunk, (size_t)n,
		    mcp_rpc_line, r);
		if (rc == MCP_JSONRPC_E_LONG)
			mcp_rpc_failed(r, 0, "protocol error: a line over "
			    "16 MiB");
	}
	(void)mcp_rpc_leave(r);
}

/* mcp_rpc_write_cb - the server's stdin can take more */
static void
mcp_rpc_write_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mcp_rpc	*r = arg;
	int		 n;

	(void)ev;
	n = evbuffer_write(r->out, fd);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n == -1) {
		r->busy++;
		mcp_rpc_failed(r, 1, errno == EPIPE ? "closed its stdin" :
		    strerror(errno));
		(void)mcp_rpc_leave(r);
		return;
	}
	if (evbuffer_get_length(r->out) == 0)
		event_del(r->wr);
}

/* mcp_rpc_new - a session on rfd (server's stdout) and wfd (its stdin) */
struct mcp_rpc *
mcp_rpc_new(struct event_base *base, int rfd, int wfd, struct mcp_log *log,
    mcp_rpc_notify_fn *notify, mcp_rpc_fail_fn *fail, void *arg)
{
	struct mcp_rpc	*r;

	r = xcalloc(1, sizeof(*r));
	r->base = base;
	r->rfd = rfd;
	r->wfd = wfd;
	r->log = log;
	r->notify = notify;
	r->fail = fail;
	r->arg = arg;
	r->next_id = 1;
	r->chunk = xmalloc(MCP_RPC_READ_CHUNK);
	TAILQ_INIT(&r->pending);
	mcp_jsonrpc_lines_init(&r->lines, MCP_JSONRPC_LINE_MAX);
	(void)fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) | O_NONBLOCK);
	(void)fcntl(wfd, F_SETFL, fcntl(wfd, F_GETFL) | O_NONBLOCK);
	r->out = evbuffer_new();
	r->rd = event_new(base, rfd, EV_READ | EV_PERSIST, mcp_rpc_read_cb, r);
	r->wr = event_new(base, wfd, EV_WRITE | EV_PERSIST, mcp_rpc_write_cb,
	    r);
	if (r->out == NULL || r->rd == NULL || r->wr == NULL ||
	    event_add(r->rd, NULL) == -1)
		fatalx("%s: libevent", __func__);
	return (r);
}

/* mcp_rpc_close_input - close the server's stdin; keep reading */
void
mcp_rpc_close_input(struct mcp_rpc *r)
{
	if (r->wr != NULL) {
		event_free(r->wr);
		r->wr = NULL;
	}
	if (r->wfd != -1) {
		close(r->wfd);
		r->wfd = -1;
	}
	if (r->out != NULL)
		evbuffer_drain(r->out, evbuffer_get_length(r->out));
}

/* mcp_rpc_close - end the session; pending requests end "closed" */
void
mcp_rpc_close(struct mcp_rpc *r, const char *why)
{
	struct mcp_rpc_pending	*p;
	struct mcp_rpc_reply	 rep;

	if (r->closed)
		return;
	r->closed = 1;
	mcp_rpc_close_input(r);
	if (r->rd != NULL) {
		event_free(r->rd);
		r->rd = NULL;
	}
	if (r->rfd != -1) {
		close(r->rfd);
		r->rfd = -1;
	}
	mcp_jsonrpc_lines_free(&r->lines);
	r->busy++;		/* a free asked by a callback waits */
	while ((p = TAILQ_FIRST(&r->pending)) != NULL) {
		memset(&rep, 0, sizeof(rep));
		rep.outcome = MCP_RPC_CLOSED;
		rep.why = why;
		mcp_rpc_answer(p, &rep);
	}
	r->busy--;
}

/* mcp_rpc_destroy - free r, now (closed, outside its callbacks) */
static void
mcp_rpc_destroy(struct mcp_rpc *r)
{
	if (r->out != NULL)
		evbuffer_free(r->out);
	free(r->chunk);
	free(r);
}

/* mcp_rpc_free - end and free; NULL is fine */
void
mcp_rpc_free(struct mcp_rpc *r)
{
	if (r == NULL)
		return;
	if (r->busy > 0) {	/* the outermost callback frees */
		r->free_asked = 1;
		mcp_rpc_close(r, "the session ended");
		return;
	}
	mcp_rpc_close(r, "the session ended");
	if (r->busy == 0)
		mcp_rpc_destroy(r);
}
