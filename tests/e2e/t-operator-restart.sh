#!/bin/bash
# Operator restart of one worker, through the API and through corralctl:
# graceful (SIGTERM, the worker drains), a new pid, the others untouched.
. "$(dirname "$0")/lib.sh"
e2e_setup
e2e_fake echo
e2e_fake slowpoke
e2e_start
e2e_wait "ready" 10 e2e_ready
old=$(e2e_worker echo pid)
keep_http=$(e2e_worker http pid)
keep_slow=$(e2e_worker slowpoke pid)

code=$(e2e_api POST /v1/workers/echo/restart -o "$T/body" -w '%{http_code}')
[ "$code" = 202 ] || e2e_fail "restart echo: HTTP $code $(cat "$T/body")"
[ "$(e2e_json "j['pid']" < "$T/body")" = "$old" ] || e2e_fail "reply pid: $(cat "$T/body")"
newpid() { p=$(e2e_worker "$1" pid) && [ "$p" != 0 ] && [ "$p" != "$2" ] && [ "$(e2e_worker "$1" state)" = ready ]; }
e2e_wait "echo back" 10 newpid echo "$old"
grep -q "worker echo (pid $old, gen 1) exited 0" "$T/log" || e2e_fail "echo did not exit 0 (graceful)"
[ "$(e2e_worker http pid)" = "$keep_http" ] || e2e_fail "http pid changed"
[ "$(e2e_worker slowpoke pid)" = "$keep_slow" ] || e2e_fail "slowpoke pid changed"

# a slow drain: the worker shows "stopping" until it is done, then restarts
e2e_api POST /v1/workers/slowpoke/restart >/dev/null
[ "$(e2e_worker slowpoke state)" = stopping ] || e2e_fail "slowpoke not stopping"
code=$(e2e_api POST /v1/workers/slowpoke/restart -o "$T/body" -w '%{http_code}')
[ "$code" = 409 ] || e2e_fail "second restart while stopping: $code"
e2e_wait "slowpoke back" 10 newpid slowpoke "$keep_slow"

# corralctl restart http: the reply still arrives; http comes back
old=$(e2e_worker http pid)
out=$("$CORRALCTL" restart http) || e2e_fail "corralctl restart http: $out"
echo "$out" | grep -q "$old" || e2e_fail "corralctl output: $out"
e2e_wait "http back" 10 newpid http "$old"
out=$("$CORRALCTL" restart echo --wait) || e2e_fail "corralctl restart --wait: $out"
echo "$out" | grep -q ready || e2e_fail "restart --wait output: $out"

code=$(e2e_api POST /v1/workers/nope/restart -o "$T/body" -w '%{http_code}')
[ "$code" = 404 ] || e2e_fail "unknown worker: $code"
e2e_json "j['error']['code']" < "$T/body" | grep -qx not_found || e2e_fail "404 body"
"$CORRALCTL" restart nope >/dev/null 2>&1
[ $? = 1 ] || e2e_fail "corralctl restart nope: want exit 1"
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
