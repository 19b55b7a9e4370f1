/* SPDX-License-Identifier: MIT */
/*
 * NAME
 *	fuzz_mcp_jsonrpc - libFuzzer harness for the MCP stdio transport's
 *	line splitter and JSON-RPC classifier (workers/mcp/mcp_jsonrpc.c),
 *	and the MCP servers file (workers/mcp/mcp_conf.c)
 * SYNOPSIS
 *	int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * DESCRIPTION
 *	The first byte picks the mode: bit 0 set, the rest is a servers
 *	file for mcp_conf_parse (it must either give a list whose every
 *	server has a valid name, a command and at most 256 arguments, or
 *	one line of error starting with the path); bit 0 clear, the rest is
 *	what a server wrote on its stdout. Bits 1-7 seed the sizes of the
 *	pieces the stream is fed in (1 to 64 bytes, xorshift), with a line
 *	limit of 4096 bytes so the over-long path is reached.
 *
 *	The stream is split twice: in pieces and in one go. Both must give
 *	the same lines and the same verdict (0 or MCP_JSONRPC_E_LONG); no
 *	line may be empty, hold a newline or be over the limit (a line may
 *	end in CR: only the one before the newline is cut). Each line is
 *	then classified, from a buffer of exactly its size so ASan sees any
 *	read past the end, and the verdict must hold
 *	together: a response has a result, an error a message, a request an
 *	id and a method, a notification a method and no id, an invalid line
 *	a reason.
 *
 *	Build: make build-fuzz/fuzz_mcp_jsonrpc (see the Makefile).
 *	  build-fuzz/fuzz_mcp_jsonrpc -max_total_time=60 \
 *	      tests/fuzz/corpus/mcp_jsonrpc
 * DIAGNOSTICS
 *	abort() on a broken invariant; libFuzzer saves the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcp_conf.h"
#include "mcp_jsonrpc.h"

#define FUZZ_LINE_MAX	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_lines {
	char	*buf;		/* every line, each followed by '\n' */
	size_t	 len, cap;
	int	 n;
};

/* fuzz_line - the splitter's callback: check the line, keep it */
static int
fuzz_line(const char *line, size_t len, void *arg)
{
	struct fuzz_lines	*l = arg;

	if (len == 0 || len > FUZZ_LINE_MAX ||
	    memchr(line, '\n', len) != NULL)
		abort();
	if (l->len + len + 1 > l->cap) {
		l->cap = (l->len + len + 1) * 2;
		if ((l->buf = realloc(l->buf, l->cap)) == NULL)
			abort();
	}
	memcpy(l->buf + l->len, line, len);
	l->len += len;
	l->buf[l->len++] = '\n';
	l->n++;
	return (0);
}

/* fuzz_classify - classify one line and check the verdict holds */
static void
fuzz_classify(const char *line, size_t len)
{
	struct mcp_jsonrpc_msg	 m;
	char			*copy;

	if ((copy = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(copy, line, len);
	switch (mcp_jsonrpc_classify(copy, len, &m)) {
	case MCP_JSONRPC_RESPONSE:
		if (m.result == NULL || m.root == NULL || m.rid == 0)
			abort();
		break;
	case MCP_JSONRPC_ERROR:
		if (m.message == NULL || m.rid == 0)
			abort();
		break;
	case MCP_JSONRPC_REQUEST:
		if (m.id == NULL || m.method == NULL || m.method[0] == '\0')
			abort();
		break;
	case MCP_JSONRPC_NOTIFICATION:
		if (m.id != NULL || m.method == NULL || m.method[0] == '\0')
			abort();
		break;
	default:
		if (m.why[0] == '\0')
			abort();
		break;
	}
	mcp_jsonrpc_msg_free(&m);
	free(copy);
}

/* fuzz_stream - split in pieces and whole, compare, classify each line */
static void
fuzz_stream(const char *data, size_t size, unsigned seed)
{
	struct mcp_jsonrpc_lines	 a, b;
	struct fuzz_lines		 la, lb;
	size_t				 off = 0, n;
	const char			*p, *nl;
	int				 ra = 0, rb;

	memset(&la, 0, sizeof(la));
	memset(&lb, 0, sizeof(lb));
	mcp_jsonrpc_lines_init(&a, FUZZ_LINE_MAX);
	mcp_jsonrpc_lines_init(&b, FUZZ_LINE_MAX);
	seed = seed != 0 ? seed : 1;
	while (off < size && ra == 0) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		n = 1 + seed % 64;
		if (n > size - off)
			n = size - off;
		ra = mcp_jsonrpc_lines_feed(&a, data + off, n, fuzz_line, &la);
		off += n;
	}
	rb = mcp_jsonrpc_lines_feed(&b, data, size, fuzz_line, &lb);
	if (ra != rb || (ra != 0 && ra != MCP_JSONRPC_E_LONG) ||
	    la.len != lb.len || la.n != lb.n ||
	    (la.len > 0 && memcmp(la.buf, lb.buf, la.len) != 0))
		abort();
	if (a.len > FUZZ_LINE_MAX || a.cap > FUZZ_LINE_MAX)
		abort();
	for (p = la.buf; p != NULL && p < la.buf + la.len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(la.buf + la.len - p));
		fuzz_classify(p, (size_t)(nl - p));
	}
	mcp_jsonrpc_lines_free(&a);
	mcp_jsonrpc_lines_free(&b);
	free(la.buf);
	free(lb.buf);
}

/* fuzz_conf - a servers file: a checked list or one line of error */
static void
fuzz_conf(const char *data, size_t size)
{
	const struct mcp_conf_opts	 opts = { 30, "key1,key2" };
	struct mcp_conf			*c;
	char				 err[512];
	size_t				 i;

	err[0] = '\0';
	if ((c = mcp_conf_parse("f.json", data, size, &opts, err,
	    sizeof(err))) == NULL) {
		if (strncmp(err, "f.json: ", 8) != 0 ||
		    strchr(err, '\n') != NULL)
			abort();
		return;
	}
	for (i = 0; i < c->n; i++)
		if (c->v[i]->name[0] == '\0' || c->v[i]->command == NULL ||
		    c->v[i]->nargs > MCP_CONF_ARGS_MAX ||
		    c->v[i]->call_timeout_s < 1 ||
		    c->v[i]->call_timeout_s > MCP_CONF_TIMEOUT_MAX ||
		    (i > 0 && strcmp(c->v[i - 1]->name, c->v[i]->name) >= 0))
			abort();
	mcp_conf_free(c);
}

/* LLVMFuzzerTestOneInput - one input: a stream, or a servers file */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*copy;

	if (size == 0)
		return (0);
	if ((copy = malloc(size)) == NULL)
		abort();
	memcpy(copy, data + 1, size - 1);
	if (data[0] & 1)
		fuzz_conf(copy, size - 1);
	else
		fuzz_stream(copy, size - 1, data[0] >> 1);
	free(copy);
	return (0);
}
