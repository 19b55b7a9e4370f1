#!/bin/bash
# The mcp worker and its endpoints under valgrind (memcheck, every corral
# process traced, corralctl too; the MCP servers themselves, node and
# python, run natively), with real servers from npm (tests/mcp/npm.sh):
# a start (a secret_env read from the secrets worker), the lists, calls (a result, a tool error, an unknown tool, the
# disabled server, a timeout that cancels), a kill -9 of a server and its
# restart, a reload that stops one server, restarts a changed one and
# starts a new one, and a clean stop: no memory error and no leak in any
# process, no server left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mcp.sh"
e2e_setup
command -v valgrind >/dev/null || e2e_fail "valgrind is not installed"
case "$BUILD" in *san*) e2e_log "sanitizer build: valgrind does not apply"; e2e_pass ;; esac
mcp_up
[ -x "$BUILD/libexec/corral/mcp" ] || e2e_fail "no mcp worker in $BUILD/libexec/corral"
mkdir -p "$T/files"
echo "under valgrind" > "$T/files/a.txt"

# servers_file STEP - the servers file before (1) and after (2) the reload
servers_file() {
	python3 - "$1" "$T" "$NODE" "$EVERYTHING" "$FILESYSTEM" "$FAKEMCP" <<'PY'
import json, sys
step, t, node, every, filesystem, fake = sys.argv[1:7]
mark = {"CORRAL_E2E": t}
s = {"everything": {"command": node, "args": [every, "stdio"], "env": dict(mark),
                    "secret_env": {"VG_SECRET": "vg-token"}},
     "off": {"command": node, "args": [every], "env": mark, "enabled": False}}
if fake:
    s["python"] = {"command": "python3", "args": [fake, "ok"], "env": mark}
if step == "2":
    s["everything"]["env"]["CHANGED"] = "1"          # restarted
    s.pop("python", None)                            # stopped
    s["files"] = {"command": "node", "args": [filesystem, t + "/files"],
                  "env": mark}                       # started
print(json.dumps({"servers": s}))
PY
}
servers_file 1 > "$T/mcp.json"
ADMIN=admin-token-mcp-vg-0123456789
printf '%s\n' "$ADMIN" > "$T/admin.tok"
chmod 600 "$T/admin.tok"
e2e_token() { cat "$T/admin.tok"; }
"$CORRAL" secrets generate > "$T/master.key" || e2e_fail "secrets generate"
chmod 600 "$T/master.key"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/master.key"
unset CORRAL_AUTH_STORE_MASTER_KEY
VGS=vg-secret-0123456789 "$CORRAL" secrets set vg-token --offline --state-root "$T/state" \
    --provider other --from-env VGS >/dev/null || e2e_fail "secrets set --offline"
printf 'worker http = on\nworker secrets = on\nworker mcp = on\n' > "$T/corral.conf"
e2e_conf "mcp_file = $T/mcp.json" "mcp_secrets = vg-token"
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --error-exitcode=99"
CORRAL_USER=root CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" $VG --trace-children=yes \
    --trace-children-skip='*/node,*/nodejs,*/python3*' \
    --child-silent-after-fork=yes --log-file="$T/vg.%p" \
    "$CORRAL" --config "$T/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$T/state" --workspace-root "$T/workspace" >"$T/log" 2>&1 &
PID=$!
e2e_wait "ready under valgrind" 60 e2e_ready
A="Authorization: Bearer $ADMIN"
U="$CORRAL_URL/v1/mcp/servers"
get() { curl -s --max-time 30 -H "$A" "$CORRAL_URL$1"; }
call() {
	curl -s -o "$T/call.json" -w '%{http_code}' --max-time 30 -X POST -H "$A" \
	    -d "$3" "$U/$1/tools/$2/call${4:-}"
}
ctl() { $VG --log-file="$T/vg.ctl.%p" "$CORRALCTL" --timeout 30 --token-file "$T/admin.tok" "$@"; }
srv() {
	get /v1/mcp/servers | python3 -c "
import json, sys
s = [x for x in json.load(sys.stdin)['servers'] if x['name'] == sys.argv[1]]
s = s[0] if s else None
print($2)" "$1"
}
state_is() { [ "$(srv "$1" "s and s['state']")" = "$2" ]; }
up() { state_is everything ready && { [ -z "$FAKEMCP" ] || state_is python ready; }; }
e2e_wait "servers ready" 60 up
WPID=$(e2e_worker mcp pid)

get /v1/mcp/servers/everything/tools | grep -q '"echo"' || e2e_fail "tools"
[ "$(call everything get-env '{}')" = 200 ] && grep -q 'VG_SECRET.*vg-secret-0123456789' "$T/call.json" ||
    e2e_fail "the secret_env did not reach the server"
[ "$(call everything echo '{"arguments":{"message":"vg"}}')" = 200 ] &&
    grep -q 'Echo: vg' "$T/call.json" || e2e_fail "echo: $(cat "$T/call.json")"
[ "$(call everything echo '{}')" = 200 ] && grep -q '"isError":true' "$T/call.json" ||
    e2e_fail "tool error: $(cat "$T/call.json")"
[ "$(call everything no-such-tool '{}')" = 404 ] || e2e_fail "unknown tool"
[ "$(call nosuch echo '{}')" = 404 ] || e2e_fail "unknown server"
[ "$(call off echo '{}')" = 503 ] || e2e_fail "disabled server"
[ "$(call everything echo 'not json')" = 400 ] || e2e_fail "bad body"
[ "$(call everything trigger-long-running-operation '{"arguments":{"duration":3,"steps":1}}' '?timeout=1')" = 504 ] ||
    e2e_fail "timeout: $(cat "$T/call.json")"
ctl mcp servers > "$T/ctl.out" 2>&1 || e2e_fail "corralctl mcp servers: $(cat "$T/ctl.out")"
ctl mcp tools everything > "$T/ctl.out" 2>&1 || e2e_fail "corralctl mcp tools: $(cat "$T/ctl.out")"
[ "$(ctl mcp call everything echo --arg message=ctl 2>&1)" = "Echo: ctl" ] || e2e_fail "corralctl mcp call"
get /metrics | grep -q '^corral_mcp_servers{state="ready"}' || e2e_fail "metrics"

# kill -9 of a server: restarted by the worker
EPID=$(srv everything "s['pid']")
R0=$(srv everything "s['restarts']")	# 1 when the secrets worker was late
kill -KILL "$EPID"
back() { [ "$(srv everything "(s['state'], s['restarts'], s['pid'] != $EPID)")" = "('ready', $((R0 + 1)), True)" ]; }
e2e_wait "everything restarted" 60 back
[ "$(call everything echo '{"arguments":{"message":"again"}}')" = 200 ] || e2e_fail "echo after the kill"

# reload: everything changed (restart), python gone, files new
EPID=$(srv everything "s['pid']")
servers_file 2 > "$T/mcp.json.new" && mv "$T/mcp.json.new" "$T/mcp.json"
kill -HUP "$PID"
reloaded() {
	state_is files ready && [ "$(srv python "s is None")" = True ] &&
	    [ "$(srv everything "s['state'] == 'ready' and s['pid'] != $EPID")" = True ]
}
e2e_wait "reloaded" 60 reloaded
[ "$(call files read_text_file "{\"arguments\":{\"path\":\"$T/files/a.txt\"}}")" = 200 ] &&
    grep -q 'under valgrind' "$T/call.json" || e2e_fail "files: $(cat "$T/call.json")"
[ "$(e2e_worker mcp pid)" = "$WPID" ] || e2e_fail "the mcp worker restarted"

kill -TERM "$PID"
e2e_wait_exit 60
[ "$RC" = 0 ] || e2e_fail "exit code $RC (99: valgrind found errors)"
left=$(mcp_procs)
[ -z "$left" ] || e2e_fail "servers left: $left"
[ -f "$T/vg.$WPID" ] || e2e_fail "the mcp worker ($WPID) did not run under valgrind"
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost|indirectly lost|Invalid (read|write)|uninitialised' "$T"/vg.* 2>/dev/null)
if [ -n "$bad" ]; then
	for f in $bad; do sed 's/^/    /' "$f"; done
	e2e_fail "valgrind reports in: $bad"
fi
e2e_log "$(ls "$T"/vg.* | wc -l) processes checked"
e2e_pass
