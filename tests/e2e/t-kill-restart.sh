#!/bin/bash
# kill -9 of a worker: a new pid, ready again, the other pids unchanged.
. "$(dirname "$0")/lib.sh"
e2e_setup
e2e_fake echo
e2e_start
e2e_wait "ready" 10 e2e_ready
for victim in echo http; do
	other=http; [ "$victim" = http ] && other=echo
	# ready for a second: a crash now is not a bad start (s6's rule)
	stable() { e2e_worker "$victim" uptime_s | awk '{exit !($1 >= 1.05)}'; }
	e2e_wait "$victim stable" 5 stable
	old=$(e2e_worker "$victim" pid)
	keep=$(e2e_worker "$other" pid)
	kill -KILL "$old"
	newpid() { p=$(e2e_worker "$victim" pid 2>/dev/null) && [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$old" ]; }
	e2e_wait "$victim restarted" 10 newpid
	e2e_wait "ready again" 10 e2e_ready
	[ "$(e2e_worker "$other" pid)" = "$keep" ] || e2e_fail "$other pid changed"
	[ "$(e2e_worker "$victim" restarts)" = 1 ] || e2e_fail "$victim restarts != 1"
	# restarted at once: the new process was spawned within 100 ms
	grep "worker $victim (pid [0-9]*, gen 2) ready in" "$T/log" >/dev/null ||
	    e2e_fail "no second generation of $victim"
	e2e_worker "$victim" last_exit | grep -q "signal 9" || e2e_fail "last_exit"
	grep -q "worker $victim (pid $old, gen 1) killed by signal 9" "$T/log" ||
	    e2e_fail "no exit line for $victim in the log"
	# no zombie was left behind
	ps -o stat= --ppid "$PID" | grep -q Z && e2e_fail "zombie child"
done
# a ready worker restarts at once, without a throttle
grep -q throttled "$T/log" && e2e_fail "a stable worker was throttled"
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
