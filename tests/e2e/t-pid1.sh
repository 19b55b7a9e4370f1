#!/bin/bash
# As PID 1 (a container without tini) the master reaps orphans: a worker
# leaves a grandchild behind; once it exits no zombie remains.
. "$(dirname "$0")/lib.sh"
e2e_setup
command -v unshare >/dev/null || e2e_fail "unshare (util-linux) is missing"
e2e_fake orphan
# corral as PID 1 of a new pid namespace
CORRAL_USER=root unshare --pid --fork --kill-child \
    "$CORRAL" --config "$T/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$T/state" --workspace-root "$T/workspace" >"$T/log" 2>&1 &
PID=$!
e2e_wait "ready" 10 e2e_ready
grep -q "PID 1" "$T/log" || e2e_fail "the master does not know it is PID 1"
# the namespace's PID 1, seen from here
ns1=$(pgrep -P "$PID" | head -1)
[ -n "$ns1" ] || e2e_fail "no master under unshare"
# the orphan lives 300 ms; wait until no zombie is left under the master
nozombie() { ! ps -o stat= --ppid "$ns1" | grep -q Z; }
e2e_wait "orphan gone" 5 nozombie
# and it really was reaped by us (logged at debug level only: check ps)
ps -o pid=,stat=,comm= --ppid "$ns1" | grep -v -E 'http|orphan' | grep . && e2e_fail "stray children: $(ps -o pid=,stat=,comm= --ppid "$ns1")"
kill -TERM "$ns1"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
