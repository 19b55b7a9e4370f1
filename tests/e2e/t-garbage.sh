#!/bin/bash
# A worker that sends bytes that are not a frame: the master logs it,
# kills that worker, supervision restarts it; the master never exits.
. "$(dirname "$0")/lib.sh"
e2e_setup
e2e_fake garbage
e2e_start
e2e_wait "http up" 10 e2e_healthy
twice() { [ "$(grep -c 'worker garbage (pid [0-9]*): bad magic; killing it' "$T/log")" -ge 2 ]; }
e2e_wait "garbage killed twice" 10 twice
kill -0 "$PID" || e2e_fail "master died"
[ "$(e2e_status "$CORRAL_URL/healthz")" = 200 ] || e2e_fail "healthz"
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
