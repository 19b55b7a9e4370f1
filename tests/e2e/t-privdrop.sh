#!/bin/bash
# Started as root, the master becomes CORRAL_USER (here nobody) before it
# spawns anything; every process runs as that user with no capabilities,
# and the state root belongs to it.
. "$(dirname "$0")/lib.sh"
e2e_setup
[ "$(id -u)" = 0 ] || { e2e_log "not root: nothing to drop"; e2e_pass; }
# a copy the unprivileged user can reach, wherever the checkout lives
mkdir -p "$T/inst/bin" "$T/inst/libexec/corral"
cp "$CORRAL" "$T/inst/bin/"
cp "$BUILD"/libexec/corral/* "$T/inst/libexec/corral/"
chmod -R a+rX "$T/inst"
CORRAL="$T/inst/bin/corral" CORRAL_USER=nobody e2e_start
e2e_wait "ready" 10 e2e_ready
nobody=$(id -u nobody)
for p in "$PID" $(e2e_children "$PID"); do
	uid=$(awk '/^Uid:/ {print $2 $3 $4 $5}' /proc/"$p"/status)
	[ "$uid" = "$nobody$nobody$nobody$nobody" ] || e2e_fail "pid $p uids $uid, want $nobody"
	[ "$(awk '/^CapEff:/ {print $2}' /proc/"$p"/status)" = 0000000000000000 ] || e2e_fail "pid $p CapEff"
	[ "$(awk '/^CapBnd:/ {print $2}' /proc/"$p"/status)" = 0000000000000000 ] || e2e_fail "pid $p CapBnd"
done
[ "$(stat -c %U "$T/state")" = nobody ] || e2e_fail "state root owner $(stat -c %U "$T/state")"
[ "$(stat -c %U:%a "$T/state/admin.token")" = nobody:600 ] || e2e_fail "token owner/mode"
# an explicit user that does not exist is refused with exit 2
out=$(CORRAL_USER=no-such-user-here "$T/inst/bin/corral" --config "$T/corral.conf" \
    --state-root "$T/s2" --workspace-root "$T/w2" 2>&1)
[ $? = 2 ] || e2e_fail "unknown user: exit not 2: $out"
echo "$out" | grep -q "no such user 'no-such-user-here'" || e2e_fail "message: $out"
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
