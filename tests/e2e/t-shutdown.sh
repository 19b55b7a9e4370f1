#!/bin/bash
# SIGTERM: /readyz turns 503 while workers drain, stragglers get SIGKILL at
# the deadline, every child is reaped, exit 0. SIGINT does the same.
. "$(dirname "$0")/lib.sh"
e2e_setup
e2e_fake slowpoke
e2e_fake deaf
e2e_start --shutdown-timeout 3
e2e_wait "ready" 10 e2e_ready
kids=$(e2e_children "$PID" | tr '\n' ' ')
[ "$(echo $kids | wc -w)" = 3 ] || e2e_fail "children: $kids"
t0=$(date +%s%N)
kill -TERM "$PID"
# during the drain: healthz still answers, readyz is 503 with draining
drain503() { [ "$(e2e_status "$CORRAL_URL/readyz")" = 503 ]; }
e2e_wait "readyz 503 while draining" 2 drain503
curl -s "$CORRAL_URL/readyz" | e2e_json "j['draining']" | grep -qx true || e2e_fail "draining flag"
code=$(e2e_api POST /v1/workers/slowpoke/restart -o /dev/null -w '%{http_code}')
[ "$code" = 503 ] || e2e_fail "restart during drain: $code, want 503"
e2e_wait_exit 15
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
grep -q "worker deaf (pid [0-9]*) missed its stop deadline; SIGKILL" "$T/log" || e2e_fail "deaf not killed"
grep -q "worker slowpoke (pid [0-9]*, gen 1) exited 0" "$T/log" || e2e_fail "slowpoke did not drain"
for k in $kids; do
	[ -d /proc/"$k" ] && e2e_fail "child $k still there"
done
# the deadline (3 s) was honoured: not the 10 s default, and not instantly
[ "$ms" -ge 2500 ] && [ "$ms" -lt 9000 ] || e2e_fail "shutdown took $ms ms"

# SIGINT (Ctrl-C) is the same clean stop
: > "$T/log"
e2e_start --shutdown-timeout 1
e2e_wait "ready" 10 e2e_ready
kill -INT "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "SIGINT exit code $RC"
e2e_pass
