#!/bin/bash
# The mcp worker with real MCP servers from npm (tests/mcp/npm.sh), driven
# as a user would, the daemon started as root and running as nobody (the
# npm tree must be readable by that user):
#  0. check-config accepts conf/mcp.json.example and refuses a bad file
#     with the member at fault (exit 2);
#  1. a servers file with "everything" (@modelcontextprotocol/server-
#     everything over stdio, node by absolute path, an env member and a
#     secret_env from the secret store),
#     "files" (server-filesystem on a temp dir, node by bare name),
#     "python" (tests/mcp/fake_mcp_server.py, when it is there) and "off"
#     (enabled false): all listed, ready (off disabled) with pid, tools,
#     server_info and protocol version; each server a child of the mcp
#     worker, as nobody, no capabilities, no_new_privs, its own process
#     group, with the environment the file gives and not corral's;
#  2. tools as the servers describe them (everything's pinned list after
#     its notifications/tools/list_changed, files' read_text_file ...);
#  3. calls: echo, get-env (the file's env and the secret, not corral's),
#     ten at once, a 512 KiB argument, files' read_text_file and
#     list_directory;
#     wrong arguments (the SDK's servers answer them with isError: 200;
#     the fake's JSON-RPC -32602 is 400); a tool that outlives ?timeout=
#     (504, the server keeps working);
#  4. refusals: a bad body or timeout 400, an unknown server or tool 404,
#     the disabled server 503, the read-only token 403 on POST (GET is
#     fine), no token 401;
#  5. corralctl mcp servers, tools, call (text, --json, exit 1 on a tool
#     error);
#  6. /metrics: corral_mcp_servers by state, calls by outcome;
#  7. kill -9 of everything's node (found under the mcp worker in /proc):
#     ready again with one restart more, a new pid, the same tools;
#  8. SIGHUP with a file that does not parse: refused, nothing touched;
#     SIGHUP after replacing "files" by "files2" in the file: files gone
#     (its process too), files2 ready, everything and python untouched;
#     the secret in no answer and no log line;
#  9. SIGTERM: exit 0 within shutdown_timeout, no server process left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mcp.sh"
e2e_setup
mcp_up
T0=$(date +%s%N)
# started as root the daemon drops to nobody; else it runs as we do
RUNAS=nobody
[ "$(id -u)" = 0 ] || RUNAS=$(id -un)

# the shipped example checks
CORRAL_USER=root "$CORRAL" check-config --config "$T/corral.conf" \
    --mcp-file "$TOP/conf/mcp.json.example" --state-root "$T/s0" \
    --workspace-root "$T/w0" > "$T/check.out" 2>&1 ||
    e2e_fail "check-config of conf/mcp.json.example: $(cat "$T/check.out")"
# a bad servers file stops check-config with the member at fault
printf '{"servers": {"x": {"args": []}}}\n' > "$T/bad.json"
CORRAL_USER=root "$CORRAL" check-config --config "$T/corral.conf" \
    --mcp-file "$T/bad.json" --state-root "$T/s0" --workspace-root "$T/w0" \
    > "$T/check.out" 2>&1
[ $? = 2 ] && grep -qF "mcp_file: $T/bad.json: servers.x.command: missing" "$T/check.out" ||
    e2e_fail "check-config of a bad servers file: $(cat "$T/check.out")"

# --- the daemon as nobody: a copy of the build it can reach ---------------
mkdir -p "$T/inst/bin" "$T/inst/libexec/corral" "$T/files" "$T/files2"
cp "$CORRAL" "$T/inst/bin/"
cp "$BUILD"/libexec/corral/* "$T/inst/libexec/corral/"
[ -x "$T/inst/libexec/corral/mcp" ] || e2e_fail "no mcp worker in $BUILD/libexec/corral"
if [ -n "$FAKEMCP" ]; then
	cp "$FAKEMCP" "$T/inst/fake_mcp_server.py"
	FAKEMCP="$T/inst/fake_mcp_server.py"
fi
chmod -R a+rX "$T/inst"
KNOWN="known content $(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$KNOWN" > "$T/files/known.txt"
printf 'second tree\n' > "$T/files2/other.txt"
chmod -R a+rX "$T/files" "$T/files2"
ADMIN=admin-token-mcp-e2e-0123456789
RO=readonly-token-mcp-e2e-01234567
printf '%s\n' "$ADMIN" > "$T/admin.tok"
printf '%s\n' "$RO" > "$T/ro.tok"
chmod 600 "$T/admin.tok" "$T/ro.tok"
chown "$RUNAS" "$T/admin.tok" "$T/ro.tok"	# read again on SIGHUP, as RUNAS
e2e_token() { cat "$T/admin.tok"; }
# a secret for everything's secret_env, in the store before the start
SECRET=mcp_e2e_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$CORRAL" secrets generate > "$T/master.key" || e2e_fail "secrets generate"
chmod 600 "$T/master.key"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/master.key"
unset CORRAL_AUTH_STORE_MASTER_KEY
SECRET="$SECRET" "$CORRAL" secrets set mcp-token --offline --state-root "$T/state" \
    --provider other --from-env SECRET >/dev/null || e2e_fail "secrets set --offline"
chown -R "$RUNAS" "$T/state" "$T/master.key"

# servers_file [files|files2] - the servers file, to stdout
servers_file() {
	fs=${1:-files}
	python3 - "$fs" "$T" "$NODE" "$EVERYTHING" "$FILESYSTEM" "$FAKEMCP" <<'PY'
import json, sys
fs, t, node, every, filesystem, fake = sys.argv[1:7]
mark = {"CORRAL_E2E": t}
s = {
    "everything": {"command": node, "args": [every, "stdio"],
                   "env": dict(mark, MCP_E2E_COLOR="blue"),
                   "secret_env": {"MCP_E2E_SECRET": "mcp-token"}},
    fs: {"command": "node", "args": [filesystem, t + "/" + fs], "env": mark},
    "off": {"command": node, "args": [every, "stdio"], "env": mark,
            "enabled": False},
}
if fake:
    s["python"] = {"command": "python3", "args": [fake, "ok"], "env": mark}
print(json.dumps({"servers": s}, indent=2))
PY
}
servers_file files > "$T/mcp.json"
chmod 644 "$T/mcp.json"
NREADY=2
[ -n "$FAKEMCP" ] && NREADY=3 || e2e_log "no tests/mcp/fake_mcp_server.py: without \"python\""

printf 'worker http = on\nworker secrets = on\nworker mcp = on\n' > "$T/corral.conf"
e2e_conf "mcp_file = $T/mcp.json" "mcp_secrets = mcp-token" "shutdown_timeout = 10"
CORRAL="$T/inst/bin/corral" CORRAL_USER=$RUNAS \
    CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" CORRAL_READONLY_TOKEN_FILE="$T/ro.tok" \
    e2e_start
e2e_wait "ready" 20 e2e_ready

A="Authorization: Bearer $ADMIN"
R="Authorization: Bearer $RO"
U="$CORRAL_URL/v1/mcp/servers"
# get PATH [curl args] - GET with the admin token, body on stdout
get() { p=$1; shift; curl -s --max-time 10 -H "$A" "$@" "$CORRAL_URL$p"; }
# code METHOD URL [curl args] - the status only
code() { m=$1 u=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' --max-time 20 -X "$m" "$@" "$u"; }
# call SERVER TOOL JSON [QUERY] - POST a call; body in $T/call.json, status on stdout
call() {
	curl -s -o "$T/call.json" -w '%{http_code}' --max-time 30 -X POST -H "$A" \
	    -H 'Content-Type: application/json' -d "$3" "$U/$1/tools/$2/call${4:-}"
}
# cj EXPR - a python expression over the last call's body (j)
cj() { e2e_json "$1" < "$T/call.json"; }
# srv NAME EXPR - an expression over one server of GET /v1/mcp/servers (s)
srv() {
	get /v1/mcp/servers | python3 -c "
import json, sys
s = [x for x in json.load(sys.stdin)['servers'] if x['name'] == sys.argv[1]]
s = s[0] if s else None
v = ($2)
print(v if not isinstance(v, bool) else str(v).lower())" "$1"
}
state_is() { [ "$(srv "$1" "s and s['state']")" = "$2" ]; }
# all_up - every enabled server ready, with its tools in
all_up() {
	state_is everything ready && state_is files ready && state_is off disabled &&
	    { [ -z "$FAKEMCP" ] || state_is python ready; } &&
	    [ "$(srv everything "s['tools']")" = 13 ]
}
e2e_wait "all servers ready" 30 all_up
e2e_log "servers ready after $(( ($(date +%s%N) - T0) / 1000000 )) ms"

# --- 1. the list ------------------------------------------------------------
get /v1/mcp/servers > "$T/servers.json"
python3 - "$T/servers.json" "$FAKEMCP" <<'PY' || e2e_fail "GET /v1/mcp/servers: $(cat "$T/servers.json")"
import json, sys
j = json.load(open(sys.argv[1]))
by = {s["name"]: s for s in j["servers"]}
want = {"everything", "files", "off"} | ({"python"} if sys.argv[2] else set())
assert set(by) == want, sorted(by)
for n in want - {"off"}:
    s = by[n]
    assert s["transport"] == "stdio" and s["enabled"] is True, s
    assert s["state"] == "ready" and s["pid"] > 0, s
    # every server starts once: one that waits for the secrets worker
    # (see R0 below) waits, it does not restart
    assert s["restarts"] == 0, s
    assert s["tools"] > 0 and s["last_error"] is None, s
    assert s["protocol_version"] in ("2025-11-25", "2025-06-18",
                                     "2025-03-26", "2024-11-05"), s
    assert s["since"].endswith("Z"), s
e = by["everything"]
assert e["server_info"]["name"] == "mcp-servers/everything", e
assert e["protocol_version"] == "2025-11-25", e
assert by["files"]["server_info"]["name"] == "secure-filesystem-server", by["files"]
o = by["off"]
assert o["state"] == "disabled" and o["enabled"] is False, o
assert not o.get("pid"), o
assert "env" not in e, "the env is never in an answer"
PY
# R0: everything's restarts after the start: 0. Its secret_env is read from
# the secrets worker; when that worker is not ready yet the master says so
# ("worker secrets is starting") and the server waits, asking again every
# second, without a failure or a restart (often seen here: the log says
# "asking again every second").
R0=$(srv everything "s['restarts']")
[ "$R0" = 0 ] || e2e_fail "everything restarted at start: $(srv everything s)"
if grep -q "server everything: secret_env.MCP_E2E_SECRET: .*asking again every second" "$T/log"; then
	e2e_log "everything waited for the secrets worker, as it should"
fi
WPID=$(e2e_worker mcp pid)
[ -n "$WPID" ] && [ "$WPID" != 0 ] || e2e_fail "no mcp worker pid"
NOBODY=$(id -u "$RUNAS")
for n in everything files ${FAKEMCP:+python}; do
	p=$(srv "$n" "s['pid']")
	[ "$(mcp_ppid "$p")" = "$WPID" ] ||
	    e2e_fail "$n (pid $p) is not a child of the mcp worker ($WPID): parent $(mcp_ppid "$p")"
	uid=$(awk '/^Uid:/ {print $2 $3 $4 $5}' "/proc/$p/status")
	[ "$uid" = "$NOBODY$NOBODY$NOBODY$NOBODY" ] || e2e_fail "$n uids $uid"
	[ "$(awk '/^CapEff:/ {print $2}' "/proc/$p/status")" = 0000000000000000 ] ||
	    e2e_fail "$n has capabilities"
	[ "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$p/status")" = 1 ] ||
	    e2e_fail "$n without no_new_privs"
	[ "$(sed 's/^.*) //' "/proc/$p/stat" | cut -d' ' -f3)" = "$p" ] ||
	    e2e_fail "$n is not in its own process group"
done
EPID=$(srv everything "s['pid']")
mcp_cmdline "$EPID" | grep -qF "$EVERYTHING stdio" ||
    e2e_fail "everything's pid $EPID runs: $(mcp_cmdline "$EPID")"
[ "$(mcp_children "$WPID" "$EVERYTHING")" = "$EPID" ] ||
    e2e_fail "the mcp worker's children running server-everything: $(mcp_children "$WPID" "$EVERYTHING")"
PPID_PY=
[ -n "$FAKEMCP" ] && PPID_PY=$(srv python "s['pid']")

# --- 2. tools -----------------------------------------------------------------
get /v1/mcp/servers/everything/tools > "$T/tools.json"
python3 - "$T/tools.json" <<'PY' || e2e_fail "everything's tools: $(head -c 2000 "$T/tools.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["server"] == "everything", j
names = [t["name"] for t in j["tools"]]
# server-everything 2026.8.31 to a client without capabilities: 12 tools,
# and simulate-research-query registered after initialization (the
# server says notifications/tools/list_changed)
want = {"echo", "get-annotated-message", "get-env", "get-resource-links",
        "get-resource-reference", "get-structured-content", "get-sum",
        "get-tiny-image", "gzip-file-as-resource", "toggle-simulated-logging",
        "toggle-subscriber-updates", "trigger-long-running-operation",
        "simulate-research-query"}
assert set(names) == want and len(names) == len(want), sorted(names)
echo = [t for t in j["tools"] if t["name"] == "echo"][0]
assert echo["title"] == "Echo Tool", echo
assert echo["description"] == "Echoes back the input string", echo
assert echo["inputSchema"]["type"] == "object", echo
assert echo["inputSchema"]["properties"]["message"]["type"] == "string", echo
assert echo["inputSchema"]["required"] == ["message"], echo
assert echo["annotations"]["readOnlyHint"] is True, echo
PY
get /v1/mcp/servers/files/tools > "$T/ftools.json"
python3 - "$T/ftools.json" <<'PY' || e2e_fail "files' tools: $(head -c 2000 "$T/ftools.json")"
import json, sys
j = json.load(open(sys.argv[1]))
names = {t["name"] for t in j["tools"]}
for n in ("read_text_file", "list_directory", "write_file", "search_files",
          "list_allowed_directories"):
    assert n in names, sorted(names)
PY
[ "$(srv files "s['tools']")" = "$(e2e_json "len(j['tools'])" < "$T/ftools.json")" ] ||
    e2e_fail "files: the count in the list is not the length of tools"
if [ -n "$FAKEMCP" ]; then
	[ "$(get /v1/mcp/servers/python/tools | e2e_json "len(j['tools']) > 0")" = true ] ||
	    e2e_fail "python's tools: $(get /v1/mcp/servers/python/tools)"
fi

# --- 3. calls -------------------------------------------------------------------
[ "$(call everything echo '{"arguments":{"message":"hello corral"}}')" = 200 ] ||
    e2e_fail "echo: $(cat "$T/call.json")"
[ "$(cj "j['server'], j['tool'], j['result']['content'][0]['text'], j['result'].get('isError', False)")" = \
    "('everything', 'echo', 'Echo: hello corral', False)" ] || e2e_fail "echo answer: $(cat "$T/call.json")"
[ "$(cj "isinstance(j['duration_ms'], int) and j['duration_ms'] >= 0")" = true ] ||
    e2e_fail "echo duration_ms: $(cat "$T/call.json")"
# the environment is the file's (and PATH, HOME, LANG), not corral's
[ "$(call everything get-env '{}')" = 200 ] || e2e_fail "get-env: $(cat "$T/call.json")"
cj "j['result']['content'][0]['text']" > "$T/env.json"
python3 - "$T/env.json" "$T" "$SECRET" <<'PY' || e2e_fail "everything's environment (secret hidden): $(sed "s/$SECRET/<SECRET>/g" "$T/env.json")"
import json, sys
env = json.load(open(sys.argv[1]))
assert env.get("MCP_E2E_COLOR") == "blue" and env.get("CORRAL_E2E") == sys.argv[2], env
assert env.get("MCP_E2E_SECRET") == sys.argv[3], "the secret_env variable"
assert env.get("LANG") == "C.UTF-8", env
assert env.get("PATH") == "/usr/local/bin:/usr/bin:/bin", env
assert env.get("HOME") == sys.argv[2] + "/workspace/mcp/everything", env
for k in env:
    assert not k.startswith("CORRAL_") or k == "CORRAL_E2E", k
PY
[ "$(stat -c %a "$T/workspace/mcp/everything")" = 700 ] || e2e_fail "cwd mode $(stat -c %a "$T/workspace/mcp/everything")"
# no arguments at all: an empty body
[ "$(curl -s -o "$T/call.json" -w '%{http_code}' -X POST -H "$A" "$U/everything/tools/get-tiny-image/call")" = 200 ] ||
    e2e_fail "a call without a body: $(cat "$T/call.json")"
[ "$(cj "[c['type'] for c in j['result']['content']].count('image')")" = 1 ] ||
    e2e_fail "get-tiny-image: $(head -c 600 "$T/call.json")"
[ "$(call everything get-sum '{"arguments":{"a":40,"b":2}}')" = 200 ] &&
    [ "$(cj "j['result']['content'][0]['text']")" = "The sum of 40 and 2 is 42." ] ||
    e2e_fail "get-sum: $(cat "$T/call.json")"
# ten calls at once on one server: each answer is its own
pids=
for i in 0 1 2 3 4 5 6 7 8 9; do
	curl -s --max-time 30 -X POST -H "$A" -d "{\"arguments\":{\"message\":\"n$i\"}}" \
	    "$U/everything/tools/echo/call" > "$T/par.$i" &
	pids="$pids $!"
done
wait $pids	# not the daemon
for i in 0 1 2 3 4 5 6 7 8 9; do
	[ "$(e2e_json "j['result']['content'][0]['text']" < "$T/par.$i")" = "Echo: n$i" ] ||
	    e2e_fail "parallel call $i: $(cat "$T/par.$i")"
done
# a large argument (512 KiB) both ways
python3 -c 'import json; print(json.dumps({"arguments": {"message": "x" * 524288}}))' > "$T/big.json"
[ "$(curl -s -o "$T/call.json" -w '%{http_code}' --max-time 30 -X POST -H "$A" \
    --data-binary @"$T/big.json" "$U/everything/tools/echo/call")" = 200 ] &&
    [ "$(cj "len(j['result']['content'][0]['text'])")" = $((524288 + 6)) ] ||
    e2e_fail "a 512 KiB echo: $(head -c 300 "$T/call.json")"

# the filesystem server reads the file
[ "$(call files read_text_file "{\"arguments\":{\"path\":\"$T/files/known.txt\"}}")" = 200 ] ||
    e2e_fail "read_text_file: $(cat "$T/call.json")"
[ "$(cj "j['result']['content'][0]['text']")" = "$KNOWN" ] || e2e_fail "read_text_file: $(cat "$T/call.json")"
[ "$(call files list_directory "{\"arguments\":{\"path\":\"$T/files\"}}")" = 200 ] &&
    [ "$(cj "j['result']['content'][0]['text']")" = "[FILE] known.txt" ] ||
    e2e_fail "list_directory: $(cat "$T/call.json")"
# outside its directory: the tool says no (200, isError)
[ "$(call files read_text_file '{"arguments":{"path":"/etc/passwd"}}')" = 200 ] &&
    [ "$(cj "j['result']['isError']")" = true ] &&
    cj "j['result']['content'][0]['text']" | grep -q "Access denied" ||
    e2e_fail "read outside the tree: $(cat "$T/call.json")"
# wrong arguments: these servers (the SDK's McpServer) report invalid
# arguments as a tool error, not as JSON-RPC -32602: 200 with isError
[ "$(call everything echo '{"arguments":{}}')" = 200 ] || e2e_fail "echo without message: $(cat "$T/call.json")"
[ "$(cj "j['result']['isError']")" = true ] || e2e_fail "echo without message: $(cat "$T/call.json")"
cj "j['result']['content'][0]['text']" | grep -q "Input validation error" ||
    e2e_fail "echo without message: $(cat "$T/call.json")"
[ "$(call everything echo '{"arguments":{"message":5}}')" = 200 ] &&
    [ "$(cj "j['result']['isError']")" = true ] || e2e_fail "echo 5: $(cat "$T/call.json")"
# a tool slower than ?timeout=: 504, and the server goes on serving
t=$(date +%s%N)
[ "$(call everything trigger-long-running-operation '{"arguments":{"duration":4,"steps":1}}' '?timeout=1')" = 504 ] ||
    e2e_fail "a slow tool with ?timeout=1: $(cat "$T/call.json")"
ms=$(( ($(date +%s%N) - t) / 1000000 ))
[ "$ms" -lt 3500 ] || e2e_fail "the 504 took $ms ms"
[ "$(cj "j['error']['code']")" = timeout ] || e2e_fail "504 body: $(cat "$T/call.json")"
[ "$(call everything echo '{"arguments":{"message":"still here"}}')" = 200 ] &&
    [ "$(cj "j['result']['content'][0]['text']")" = "Echo: still here" ] ||
    e2e_fail "echo after the timeout: $(cat "$T/call.json")"
[ "$(srv everything "s['pid']")" = "$EPID" ] || e2e_fail "everything restarted after a timeout"

# the python fake (tests/mcp/): two pages of tools, an older protocol,
# and a JSON-RPC -32602 for its arguments, which is 400
if [ -n "$FAKEMCP" ]; then
	[ "$(srv python "(s['tools'], s['protocol_version'], s['server_info']['name'])")" = \
	    "(6, '2025-06-18', 'fake-mcp')" ] || e2e_fail "python: $(srv python s)"
	[ "$(call python echo '{"arguments":{"text":"from python"}}')" = 200 ] &&
	    [ "$(cj "j['result']['content'][0]['text']")" = "Echo: from python" ] ||
	    e2e_fail "python echo: $(cat "$T/call.json")"
	[ "$(call python add '{"arguments":{"a":2,"b":3}}')" = 200 ] &&
	    [ "$(cj "j['result']['structuredContent']['sum']")" = 5 ] ||
	    e2e_fail "python add: $(cat "$T/call.json")"
	[ "$(call python bad-params '{"arguments":{"y":1}}')" = 400 ] &&
	    [ "$(cj "j['error']['code']")" = bad_request ] &&
	    cj "j['error']['message']" | grep -q "Invalid params: want x" ||
	    e2e_fail "python bad-params: $(cat "$T/call.json")"
	[ "$(call python fail '{}')" = 200 ] && [ "$(cj "j['result']['isError']")" = true ] ||
	    e2e_fail "python fail: $(cat "$T/call.json")"
fi

# --- 4. refusals ------------------------------------------------------------------
[ "$(call everything echo 'not json')" = 400 ] && [ "$(cj "j['error']['code']")" = bad_request ] ||
    e2e_fail "a body that is not JSON: $(cat "$T/call.json")"
[ "$(call everything echo '[1,2]')" = 400 ] || e2e_fail "a body that is an array"
[ "$(call everything echo '{"arguments":[1]}')" = 400 ] || e2e_fail "arguments not an object"
[ "$(call everything echo '{"arguments":{"message":"x"}}' '?timeout=0')" = 400 ] || e2e_fail "timeout=0"
[ "$(call everything echo '{"arguments":{"message":"x"}}' '?timeout=abc')" = 400 ] || e2e_fail "timeout=abc"
[ "$(call everything echo '{"arguments":{"message":"x"}}' '?timeout=3601')" = 400 ] || e2e_fail "timeout=3601"
[ "$(call nosuch echo '{}')" = 404 ] && [ "$(cj "j['error']['code']")" = not_found ] ||
    e2e_fail "unknown server: $(cat "$T/call.json")"
[ "$(code GET "$U/nosuch/tools" -H "$A")" = 404 ] || e2e_fail "tools of an unknown server"
[ "$(call everything no-such-tool '{}')" = 404 ] && [ "$(cj "j['error']['code']")" = not_found ] ||
    e2e_fail "unknown tool: $(cat "$T/call.json")"
[ "$(call off echo '{"arguments":{"message":"x"}}')" = 503 ] && [ "$(cj "j['error']['code']")" = unavailable ] ||
    e2e_fail "a call on the disabled server: $(cat "$T/call.json")"
cj "j['error']['message']" | grep -q disabled || e2e_fail "503 without the state: $(cat "$T/call.json")"
[ "$(code GET "$U" -H "$R")" = 200 ] || e2e_fail "read-only GET servers"
[ "$(code GET "$U/everything/tools" -H "$R")" = 200 ] || e2e_fail "read-only GET tools"
[ "$(code POST "$U/everything/tools/echo/call" -H "$R" -d '{"arguments":{"message":"x"}}')" = 403 ] ||
    e2e_fail "read-only POST call not 403"
[ "$(code GET "$U")" = 401 ] || e2e_fail "no token not 401"
[ "$(code POST "$U/everything/tools/echo/call" -d '{}')" = 401 ] || e2e_fail "POST without token not 401"
[ "$(code GET "$U/everything/tools/echo/call" -H "$A")" = 405 ] ||
    [ "$(code GET "$U/everything/tools/echo/call" -H "$A")" = 404 ] || e2e_fail "GET on call"

# --- 5. corralctl ---------------------------------------------------------------------
ctl() { "$CORRALCTL" --timeout 30 --token-file "$T/admin.tok" "$@"; }
ctl mcp servers > "$T/ctl.out" 2>&1 || e2e_fail "corralctl mcp servers: $(cat "$T/ctl.out")"
grep -E "^everything[[:space:]].*ready" "$T/ctl.out" >/dev/null &&
    grep -E "^files[[:space:]].*ready" "$T/ctl.out" >/dev/null &&
    grep -E "^off[[:space:]].*disabled" "$T/ctl.out" >/dev/null ||
    e2e_fail "corralctl mcp servers: $(cat "$T/ctl.out")"
if [ -n "$FAKEMCP" ]; then
	grep -E "^python[[:space:]].*ready" "$T/ctl.out" >/dev/null || e2e_fail "corralctl mcp servers: $(cat "$T/ctl.out")"
fi
ctl mcp servers --json > "$T/ctl.json" 2>&1 &&
    [ "$(e2e_json "sorted(s['name'] for s in j['servers'])[0]" < "$T/ctl.json")" = everything ] ||
    e2e_fail "corralctl mcp servers --json: $(cat "$T/ctl.json")"
ctl mcp tools everything > "$T/ctl.out" 2>&1 || e2e_fail "corralctl mcp tools: $(cat "$T/ctl.out")"
grep -E "^echo([[:space:]]|$)" "$T/ctl.out" >/dev/null && grep -qE "^get-sum([[:space:]]|$)" "$T/ctl.out" ||
    e2e_fail "corralctl mcp tools everything: $(cat "$T/ctl.out")"
[ "$(ctl mcp call everything echo --arg message=hi 2>&1)" = "Echo: hi" ] ||
    e2e_fail "corralctl mcp call echo: $(ctl mcp call everything echo --arg message=hi 2>&1)"
# --arg values are JSON when they parse: numbers for get-sum
[ "$(ctl mcp call everything get-sum --arg a=1 --arg b=2 2>&1)" = "The sum of 1 and 2 is 3." ] ||
    e2e_fail "corralctl mcp call get-sum: $(ctl mcp call everything get-sum --arg a=1 --arg b=2 2>&1)"
[ "$(ctl mcp call everything get-sum --json '{"a":5,"b":6}' 2>&1)" = "The sum of 5 and 6 is 11." ] ||
    e2e_fail "corralctl mcp call --json OBJ: $(ctl mcp call everything get-sum --json '{"a":5,"b":6}' 2>&1)"
[ "$(ctl mcp call files read_text_file --arg path="$T/files/known.txt" 2>&1)" = "$KNOWN" ] ||
    e2e_fail "corralctl mcp call read_text_file: $(ctl mcp call files read_text_file --arg path="$T/files/known.txt" 2>&1)"
ctl --json mcp call everything echo --arg message=js > "$T/ctl.json" 2>&1 &&
    [ "$(e2e_json "j['result']['content'][0]['text']" < "$T/ctl.json")" = "Echo: js" ] ||
    e2e_fail "corralctl --json mcp call: $(cat "$T/ctl.json")"
ctl mcp call everything echo > "$T/ctl.out" 2>&1
rc=$?
[ "$rc" = 1 ] || e2e_fail "corralctl mcp call with a tool error: exit $rc, want 1: $(cat "$T/ctl.out")"
grep -q "Input validation error" "$T/ctl.out" || e2e_fail "corralctl tool error text: $(cat "$T/ctl.out")"
ctl mcp call nosuch echo > "$T/ctl.out" 2>&1
[ $? = 1 ] || e2e_fail "corralctl mcp call on an unknown server: not exit 1: $(cat "$T/ctl.out")"
ctl mcp call off echo --arg message=x > "$T/ctl.out" 2>&1
[ $? = 1 ] || e2e_fail "corralctl mcp call on the disabled server: not exit 1: $(cat "$T/ctl.out")"
"$CORRALCTL" --token-file "$T/ro.tok" mcp call everything echo --arg message=x > "$T/ctl.out" 2>&1
[ $? = 1 ] || e2e_fail "corralctl mcp call with the read-only token: not exit 1: $(cat "$T/ctl.out")"
"$CORRALCTL" --token-file "$T/ro.tok" mcp tools files > /dev/null 2>&1 ||
    e2e_fail "corralctl mcp tools with the read-only token"

# --- 6. metrics --------------------------------------------------------------------------
get /metrics > "$T/metrics.txt"
grep -qx "corral_mcp_servers{state=\"ready\"} $NREADY" "$T/metrics.txt" &&
    grep -qx 'corral_mcp_servers{state="disabled"} 1' "$T/metrics.txt" &&
    grep -qx 'corral_mcp_servers{state="failed"} 0' "$T/metrics.txt" ||
    e2e_fail "corral_mcp_servers: $(grep corral_mcp "$T/metrics.txt")"
mval() { awk -v k="$1" '$1 == k { print $2 }' "$T/metrics.txt"; }
[ "$(mval 'corral_mcp_tool_calls_total{server="everything",outcome="timeout"}')" = 1 ] ||
    e2e_fail "timeout calls: $(grep corral_mcp_tool_calls "$T/metrics.txt")"
[ "$(mval 'corral_mcp_tool_calls_total{server="everything",outcome="tool_error"}')" -ge 3 ] ||
    e2e_fail "tool_error calls: $(grep corral_mcp_tool_calls "$T/metrics.txt")"
[ "$(mval 'corral_mcp_tool_calls_total{server="everything",outcome="ok"}')" -ge 6 ] ||
    e2e_fail "ok calls: $(grep corral_mcp_tool_calls "$T/metrics.txt")"
[ "$(mval 'corral_mcp_server_restarts_total{server="everything"}')" = "$R0" ] ||
    e2e_fail "restarts: $(grep corral_mcp_server_restarts "$T/metrics.txt")"

# --- 7. kill -9 of a server ------------------------------------------------------------------
kill -KILL "$EPID"
back() {
	[ "$(srv everything "(s['state'], s['restarts'], s['pid'] != $EPID and s['pid'] > 0)")" = "('ready', $((R0 + 1)), True)" ]
}
t=$(date +%s%N)
e2e_wait "everything ready again after kill -9" 20 back
e2e_log "everything back after $(( ($(date +%s%N) - t) / 1000000 )) ms"
EPID2=$(srv everything "s['pid']")
[ "$(mcp_ppid "$EPID2")" = "$WPID" ] || e2e_fail "the new everything is not the mcp worker's child"
kill -0 "$EPID" 2>/dev/null && e2e_fail "the killed node $EPID is still there"
[ "$(e2e_worker mcp pid)" = "$WPID" ] || e2e_fail "the mcp worker restarted"
get /v1/mcp/servers/everything/tools > "$T/tools2.json"
[ "$(e2e_json "sorted(t['name'] for t in j['tools'])" < "$T/tools2.json")" = \
    "$(e2e_json "sorted(t['name'] for t in j['tools'])" < "$T/tools.json")" ] ||
    e2e_fail "tools after the restart: $(cat "$T/tools2.json")"
[ "$(call everything echo '{"arguments":{"message":"again"}}')" = 200 ] &&
    [ "$(cj "j['result']['content'][0]['text']")" = "Echo: again" ] || e2e_fail "echo after restart: $(cat "$T/call.json")"
get /metrics | grep -qx "corral_mcp_server_restarts_total{server=\"everything\"} $((R0 + 1))" ||
    e2e_fail "restarts metric: $(get /metrics | grep corral_mcp_server_restarts)"

# --- 8. reload: files out, files2 in ----------------------------------------------------------
FPID=$(srv files "s['pid']")
# a file that does not parse: refused, the running servers stay
cp "$T/mcp.json" "$T/mcp.json.good"
printf '{"servers": {"files": {"command": ' > "$T/mcp.json"
kill -HUP "$PID"
e2e_wait "the broken file refused" 10 grep -q "keeping the running servers" "$T/log"
[ "$(srv everything "(s['pid'], s['state'])")" = "($EPID2, 'ready')" ] &&
    [ "$(srv files "(s['pid'], s['state'])")" = "($FPID, 'ready')" ] ||
    e2e_fail "after a broken file: $(get /v1/mcp/servers)"
servers_file files2 > "$T/mcp.json.new"
chmod 644 "$T/mcp.json.new"
mv "$T/mcp.json.new" "$T/mcp.json"
kill -HUP "$PID"
reloaded() { [ "$(srv files "s is None")" = true ] && state_is files2 ready; }
e2e_wait "files gone, files2 ready" 20 reloaded
e2e_wait "files' node gone" 10 sh -c "! kill -0 $FPID 2>/dev/null"
[ "$(srv everything "(s['pid'], s['state'], s['restarts'])")" = "($EPID2, 'ready', $((R0 + 1)))" ] ||
    e2e_fail "everything after the reload: $(srv everything s)"
[ -z "$FAKEMCP" ] || [ "$(srv python "s['pid']")" = "$PPID_PY" ] || e2e_fail "python restarted on reload"
[ "$(srv off "s['state']")" = disabled ] || e2e_fail "off after the reload"
[ "$(call files2 read_text_file "{\"arguments\":{\"path\":\"$T/files2/other.txt\"}}")" = 200 ] &&
    [ "$(cj "j['result']['content'][0]['text']")" = "second tree" ] ||
    e2e_fail "files2 read: $(cat "$T/call.json")"
[ "$(call files read_text_file "{\"arguments\":{\"path\":\"$T/files/known.txt\"}}")" = 404 ] ||
    e2e_fail "files after the reload: $(cat "$T/call.json")"
[ "$(e2e_worker mcp pid)" = "$WPID" ] || e2e_fail "the mcp worker restarted on reload"

# the secret's value is in no answer and no log line
for p in /v1/mcp/servers /v1/mcp/servers/everything/tools /metrics; do
	get "$p" | grep -qF "$SECRET" && e2e_fail "the secret in GET $p"
done
grep -qF "$SECRET" "$T/log" && e2e_fail "the secret in the daemon's log"

# --- 9. shutdown ---------------------------------------------------------------------------
[ -n "$(mcp_procs)" ] || e2e_fail "no server found by its CORRAL_E2E mark"
t=$(date +%s%N)
kill -TERM "$PID"
e2e_wait_exit 10
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_log "stopped in $(( ($(date +%s%N) - t) / 1000000 )) ms"
left=$(mcp_procs)
[ -z "$left" ] || e2e_fail "MCP servers left after the daemon: $(for p in $left; do echo "$p: $(mcp_cmdline "$p")"; done)"
e2e_log "done in $(( ($(date +%s%N) - T0) / 1000000 )) ms"
e2e_pass
