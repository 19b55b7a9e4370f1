#!/bin/bash
# systemd Type=notify without libsystemd: READY=1 once every worker is
# ready, STATUS= lines, WATCHDOG=1 with WATCHDOG_USEC, STOPPING=1 at stop.
. "$(dirname "$0")/lib.sh"
e2e_setup
sock="$T/notify.sock"
python3 - "$sock" > "$T/notify.out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
try:
    while True:
        m = s.recv(4096).decode()
        print(m, flush=True)
        if m.startswith("STOPPING=1"):
            break
except socket.timeout:
    pass
PY
rpid=$!
e2e_wait "receiver" 5 test -S "$sock"
NOTIFY_SOCKET="$sock" WATCHDOG_USEC=200000 e2e_start
e2e_wait "ready" 10 e2e_ready
e2e_wait "READY=1" 5 grep -qx READY=1 "$T/notify.out"
e2e_wait "WATCHDOG=1" 5 grep -qx WATCHDOG=1 "$T/notify.out"
grep -q '^STATUS=running: 1 of 1 workers ready' "$T/notify.out" || e2e_fail "no STATUS line"
# the workers do not see NOTIFY_SOCKET
hp=$(e2e_worker http pid)
tr '\0' '\n' < /proc/"$hp"/environ | grep -q NOTIFY_SOCKET && e2e_fail "worker inherited NOTIFY_SOCKET"
kill -TERM "$PID"
e2e_wait_exit 15
wait "$rpid"
r=$(grep -n -x READY=1 "$T/notify.out" | cut -d: -f1 | head -1)
s=$(grep -n -x STOPPING=1 "$T/notify.out" | cut -d: -f1 | head -1)
[ -n "$r" ] && [ -n "$s" ] && [ "$r" -lt "$s" ] || e2e_fail "READY=1 then STOPPING=1: $(cat "$T/notify.out")"
e2e_pass
