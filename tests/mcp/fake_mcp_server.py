#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fake_mcp_server.py - a small MCP server over stdio for corral's tests

usage: fake_mcp_server.py MODE

One JSON-RPC 2.0 message per line on stdin and stdout, like a real MCP
server (protocol 2025-06-18 unless FAKE_MCP_PROTOCOL says another). The
mode, the first argument, picks the behaviour:

  ok                initialize; tools/list in two pages (nextCursor);
                    tools/call: echo {text}, add {a, b} (with
                    structuredContent), fail (isError: true), slow
                    {seconds} (answers later, or never when cancelled),
                    bad-params (JSON-RPC error -32602), get-env (the
                    environment as JSON text); exits 0 on EOF
  crash_after_init  as ok, but the first run (no FAKE_MCP_STATE file yet:
                    it makes it) exits 3 shortly after its tools are listed
  garbage_line      answers initialize with a line that is not JSON
  no_answer         reads everything, answers nothing
  huge_line         answers initialize with a 17 MiB line
  list_changed      as ok; after the first tools/call it sends
                    notifications/tools/list_changed, and lists one tool
                    more ("extra") from then on
  server_ping       as ok; after notifications/initialized it asks the
                    client ping (id "srv-ping") and sampling/createMessage
                    (id 77) and records the answers

Every message received (and every answer to its own requests) is appended
as one JSON line to the file FAKE_MCP_RECORD names, when it is set. A
line on stderr says the mode at start.
"""
import json
import os
import sys
import threading
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "ok"
PROTOCOL = os.environ.get("FAKE_MCP_PROTOCOL", "2025-06-18")
RECORD = os.environ.get("FAKE_MCP_RECORD")
STATE = os.environ.get("FAKE_MCP_STATE")

out_lock = threading.Lock()
timers = {}                     # request id -> threading.Timer (slow)
changed = False                 # list_changed: the extra tool is listed

TOOLS_PAGE1 = [
    {"name": "echo", "description": "Echo the text back",
     "inputSchema": {"type": "object", "properties":
                     {"text": {"type": "string"}}, "required": ["text"]}},
    {"name": "add", "title": "Add two numbers",
     "description": "a + b",
     "inputSchema": {"type": "object", "properties":
                     {"a": {"type": "number"}, "b": {"type": "number"}}},
     "outputSchema": {"type": "object",
                      "properties": {"sum": {"type": "number"}}}},
    {"name": "get-env", "description": "The server's environment",
     "inputSchema": {"type": "object"}},
]
TOOLS_PAGE2 = [
    {"name": "fail", "description": "A tool that always fails",
     "inputSchema": {"type": "object"}},
    {"name": "slow", "description": "Answers after {seconds}",
     "inputSchema": {"type": "object", "properties":
                     {"seconds": {"type": "number"}}},
     "annotations": {"readOnlyHint": True}},
    {"name": "bad-params", "description": "Refuses its parameters",
     "inputSchema": {"type": "object"}},
]
EXTRA = {"name": "extra", "description": "Listed after list_changed",
         "inputSchema": {"type": "object"}}


def record(msg):
    """append msg to the record file"""
    if RECORD:
        with open(RECORD, "a") as f:
            f.write(json.dumps(msg) + "\n")


def send(msg):
    """one message, one line, flushed"""
    with out_lock:
        sys.stdout.write(json.dumps(msg) + "\n")
        sys.stdout.flush()


def result(rid, res):
    send({"jsonrpc": "2.0", "id": rid, "result": res})


def error(rid, code, message):
    send({"jsonrpc": "2.0", "id": rid,
          "error": {"code": code, "message": message}})


def text(s, is_error=False):
    return {"content": [{"type": "text", "text": s}], "isError": is_error}


def crash_soon():
    """crash_after_init: the first run dies once its tools are listed"""
    if STATE and os.path.exists(STATE):
        return
    if STATE:
        open(STATE, "w").close()

    def die():
        sys.stderr.write("fake-mcp: crashing on purpose\n")
        sys.stderr.flush()
        os._exit(3)
    threading.Timer(0.3, die).start()


def tools_list(rid, params):
    cursor = (params or {}).get("cursor")
    if cursor is None:
        result(rid, {"tools": TOOLS_PAGE1, "nextCursor": "page-2"})
    elif cursor == "page-2":
        tools = TOOLS_PAGE2 + ([EXTRA] if changed else [])
        result(rid, {"tools": tools})
        if MODE == "crash_after_init":
            crash_soon()
    else:
        error(rid, -32602, "unknown cursor")


def tools_call(rid, params):
    global changed
    name = params.get("name")
    args = params.get("arguments") or {}
    if name == "echo":
        result(rid, text("Echo: %s" % args.get("text", "")))
    elif name == "add":
        s = args.get("a", 0) + args.get("b", 0)
        r = text(str(s))
        r["structuredContent"] = {"sum": s}
        result(rid, r)
    elif name == "get-env":
        result(rid, text(json.dumps(dict(os.environ), sort_keys=True)))
    elif name == "fail":
        result(rid, text("this tool always fails", True))
    elif name == "slow":
        t = threading.Timer(float(args.get("seconds", 5)),
                            lambda: (timers.pop(rid, None),
                                     result(rid, text("done"))))
        timers[rid] = t
        t.start()
    elif name == "bad-params":
        error(rid, -32602, "Invalid params: want x")
    elif name == "extra" and changed:
        result(rid, text("extra"))
    else:
        error(rid, -32602, "Unknown tool: %s" % name)
    if MODE == "list_changed" and not changed:
        changed = True
        send({"jsonrpc": "2.0",
              "method": "notifications/tools/list_changed"})


def initialize(rid):
    if MODE == "garbage_line":
        with out_lock:
            sys.stdout.write("this is not JSON at all\n")
            sys.stdout.flush()
        return
    if MODE == "huge_line":
        with out_lock:
            sys.stdout.write('{"jsonrpc":"2.0","id":%s,"result":{"x":"' % rid)
            sys.stdout.write("x" * (17 * 1024 * 1024))
            sys.stdout.write('"}}\n')
            sys.stdout.flush()
        return
    result(rid, {"protocolVersion": PROTOCOL,
                 "capabilities": {"tools": {"listChanged": True},
                                  "logging": {}},
                 "serverInfo": {"name": "fake-mcp", "version": "1.0.0"}})
    send({"jsonrpc": "2.0", "method": "notifications/message",
          "params": {"level": "info", "logger": "fake",
                     "data": "hello from fake-mcp (%s)" % MODE}})


def handle(msg):
    method = msg.get("method")
    rid = msg.get("id")
    if method is None:          # an answer to one of our requests
        return
    if MODE == "no_answer":
        return
    params = msg.get("params") or {}
    if method == "initialize":
        initialize(rid)
    elif method == "notifications/initialized":
        if MODE == "server_ping":
            send({"jsonrpc": "2.0", "id": "srv-ping", "method": "ping"})
            send({"jsonrpc": "2.0", "id": 77,
                  "method": "sampling/createMessage",
                  "params": {"messages": [], "maxTokens": 1}})
    elif method == "notifications/cancelled":
        t = timers.pop(params.get("requestId"), None)
        if t is not None:
            t.cancel()
    elif method == "ping":
        result(rid, {})
    elif method == "tools/list":
        tools_list(rid, params)
    elif method == "tools/call":
        tools_call(rid, params)
    elif rid is not None:
        error(rid, -32601, "Method not found: %s" % method)


def main():
    sys.stderr.write("fake-mcp: mode %s, pid %d\n" % (MODE, os.getpid()))
    sys.stderr.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            record({"unparsed": line})
            continue
        record(msg)
        handle(msg)
    for t in list(timers.values()):
        t.cancel()
    time.sleep(0.05)
    os._exit(0)


if __name__ == "__main__":
    main()
