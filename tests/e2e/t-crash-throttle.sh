#!/bin/bash
# A worker that exits at once is throttled with a growing backoff, shown
# as such, never spun; the daemon stays up; exit 100 means failed.
. "$(dirname "$0")/lib.sh"
e2e_setup
e2e_fake crashy
e2e_fake permfail
e2e_start
e2e_wait "http up" 10 e2e_healthy
state_is() { [ "$(e2e_worker "$1" state)" = "$2" ]; }
e2e_wait "crashy throttled" 10 state_is crashy throttled
e2e_wait "permfail failed" 10 state_is permfail failed
# readyz names who is not ready
body=$(curl -s "$CORRAL_URL/readyz")
[ "$(e2e_status "$CORRAL_URL/readyz")" = 503 ] || e2e_fail "readyz not 503"
echo "$body" | e2e_json "sorted(j['not_ready'])" | grep -q "crashy" || e2e_fail "not_ready: $body"
echo "$body" | e2e_json "sorted(j['not_ready'])" | grep -q "permfail" || e2e_fail "not_ready: $body"
# backoff grows: 1 s, 2 s, 4 s -> at least 3 bad starts within ~8 s
three() { [ "$(grep -c 'worker crashy exited 1 before it was ready; throttled' "$T/log")" -ge 3 ]; }
e2e_wait "three bad starts" 12 three
grep -o 'next start in [0-9.]* s' "$T/log" | head -3 | awk '{print $4}' > "$T/delays"
[ "$(sed -n 1p "$T/delays")" = 1.000 ] && [ "$(sed -n 2p "$T/delays")" = 2.000 ] &&
    [ "$(sed -n 3p "$T/delays")" = 4.000 ] || e2e_fail "backoff: $(tr '\n' ' ' < "$T/delays")"
# never spun: few starts in that time
starts=$(grep -c 'worker crashy exited' "$T/log")
[ "$starts" -le 5 ] || e2e_fail "$starts starts: spinning"
[ "$(e2e_worker crashy throttled)" = true ] || [ "$(e2e_worker crashy state)" != ready ] || e2e_fail "throttled flag"
# permfail was started once only
[ "$(grep -c 'worker permfail exited 100' "$T/log")" = 1 ] || e2e_fail "permfail restarted"
kill -0 "$PID" || e2e_fail "daemon died"
# an operator restart of a failed worker starts it again
"$CORRALCTL" restart permfail >/dev/null || e2e_fail "corralctl restart permfail"
two() { [ "$(grep -c 'worker permfail exited 100' "$T/log")" = 2 ]; }
e2e_wait "permfail started again" 10 two
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
