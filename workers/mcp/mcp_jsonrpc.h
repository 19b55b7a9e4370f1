/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	mcp_jsonrpc.h - JSON-RPC 2.0 lines: split a stream, classify a line
 * SYNOPSIS
 *	void	mcp_jsonrpc_lines_init(struct mcp_jsonrpc_lines *l, size_t max);
 *	int	mcp_jsonrpc_lines_feed(struct mcp_jsonrpc_lines *l,
 *		    const char *data, size_t len, mcp_jsonrpc_line_fn *fn,
 *		    void *arg);
 *	void	mcp_jsonrpc_lines_free(struct mcp_jsonrpc_lines *l);
 *	int	mcp_jsonrpc_classify(const char *line, size_t len,
 *		    struct mcp_jsonrpc_msg *m);
 *	void	mcp_jsonrpc_msg_free(struct mcp_jsonrpc_msg *m);
 * DESCRIPTION
 *	The pure half of the MCP stdio transport: no I/O, no libevent, so
 *	the unit tests and a libFuzzer target (tests/fuzz/fuzz_mcp_jsonrpc.c)
 *	can drive it. mcp_rpc.c does the I/O around it.
 *
 *	mcp_jsonrpc_lines_feed splits bytes as they come into lines. It
 *	calls fn once per whole line, without its "\n" and a "\r" before it;
 *	empty lines are skipped. A line longer than max bytes (the "\r"
 *	counted) is an error at once: nothing beyond max is kept. fn
 *	returns 0 to go on; anything else stops the feed and is returned
 *	(the rest of data is dropped).
 *
 *	mcp_jsonrpc_classify decodes one line into m: a response (result or
 *	error; rid is our integer id, or -1 when the id is not one we could
 *	have sent: a string, a fraction, null), a notification (method, no
 *	id), a request from the server (method and an id, a string or an
 *	integer, kept in m->id to answer with), or invalid (m->why says
 *	why). A message must be one JSON object with "jsonrpc": "2.0";
 *	params, when given, an object or an array; an error an object with
 *	an integer code and a string message. Members JSON-RPC does not
 *	know are ignored. Batches (arrays) are not supported: MCP dropped
 *	them in 2025-06-18.
 * DIAGNOSTICS
 *	mcp_jsonrpc_lines_feed returns 0, MCP_JSONRPC_E_LONG for a line over
 *	max, or what fn returned. mcp_jsonrpc_classify returns m->kind;
 *	m->root owns every pointer of m until mcp_jsonrpc_msg_free.
 */
#ifndef CORRAL_MCP_JSONRPC_H
#define CORRAL_MCP_JSONRPC_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define MCP_JSONRPC_LINE_MAX	(16 * 1024 * 1024)
#define MCP_JSONRPC_E_LONG	(-1)
#define MCP_JSONRPC_ID_MAX	((int64_t)1 << 53)	/* exact in a double */

/* JSON-RPC and MCP error codes */
#define MCP_JSONRPC_PARSE_ERROR		(-32700)
#define MCP_JSONRPC_INVALID_REQUEST	(-32600)
#define MCP_JSONRPC_METHOD_NOT_FOUND	(-32601)
#define MCP_JSONRPC_INVALID_PARAMS	(-32602)

enum mcp_jsonrpc_kind {
	MCP_JSONRPC_INVALID,
	MCP_JSONRPC_RESPONSE,		/* result */
	MCP_JSONRPC_ERROR,		/* error response */
	MCP_JSONRPC_NOTIFICATION,
	MCP_JSONRPC_REQUEST
};

struct mcp_jsonrpc_lines {
	char	*buf;		/* the line so far */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

typedef int mcp_jsonrpc_line_fn(const char *line, size_t len, void *arg);

struct mcp_jsonrpc_msg {
	enum mcp_jsonrpc_kind	 kind;
	cJSON			*root;
	int64_t			 rid;		/* responses: our id, or -1 */
	const cJSON		*id;		/* requests: the server's id */
	const char		*method;	/* requests, notifications */
	cJSON			*params;	/* or NULL */
	cJSON			*result;	/* RESPONSE */
	long			 code;		/* ERROR */
	const char		*message;	/* ERROR */
	char			 why[128];	/* INVALID */
};

/* mcp_jsonrpc_lines_init - an empty splitter for lines of at most max */
void	mcp_jsonrpc_lines_init(struct mcp_jsonrpc_lines *l, size_t max);

/* mcp_jsonrpc_lines_feed - split data into lines, fn on each; 0 or error */
int	mcp_jsonrpc_lines_feed(struct mcp_jsonrpc_lines *l, const char *data,
	    size_t len, mcp_jsonrpc_line_fn *fn, void *arg);

/* mcp_jsonrpc_lines_free - drop the partial line */
void	mcp_jsonrpc_lines_free(struct mcp_jsonrpc_lines *l);

/* mcp_jsonrpc_classify - decode one line into m; m->kind */
enum mcp_jsonrpc_kind mcp_jsonrpc_classify(const char *line, size_t len,
	    struct mcp_jsonrpc_msg *m);

/* mcp_jsonrpc_msg_free - free what m holds; m may be classified again */
void	mcp_jsonrpc_msg_free(struct mcp_jsonrpc_msg *m);

/* mcp_jsonrpc_kind_name - "response", "error", ... for messages */
const char *mcp_jsonrpc_kind_name(enum mcp_jsonrpc_kind k);

#endif
