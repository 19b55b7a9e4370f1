# lib.sh - helpers for corral's end-to-end tests (sourced, POSIX sh + bash)
#
# Each t-*.sh script sources this, calls e2e_setup, starts the real daemon
# with e2e_start, drives it with curl and corralctl, and ends with e2e_pass
# (or dies through e2e_fail). Waits poll until a deadline; nothing sleeps
# a fixed time and hopes. The temp directory and every process the test
# started are removed on exit, pass or fail.

set -u

BUILD=${BUILD:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
CORRAL="$BUILD/bin/corral"
CORRALCTL="$BUILD/bin/corralctl"
FAKE="$BUILD/tests/fake-worker"
NAME=$(basename "$0" .sh)
T=
PID=
PORT=

e2e_log() { printf '%s: %s\n' "$NAME" "$*"; }

e2e_fail() {
	e2e_log "FAIL: $*"
	if [ -n "$T" ] && [ -f "$T/log" ]; then
		e2e_log "--- daemon log (last 40 lines) ---"
		tail -n 40 "$T/log" | sed 's/^/    /'
	fi
	exit 1
}

# e2e_pass - end well, unless a sanitizer spoke in the daemon's log
e2e_pass() {
	if [ -n "$T" ] && [ -f "$T/log" ] &&
	    grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$T/log" >/dev/null; then
		e2e_fail "sanitizer report in the daemon log"
	fi
	e2e_log "ok"
	exit 0
}

e2e_cleanup() {
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID" 2>/dev/null
		# workers die with their master (PDEATHSIG + EOF on the channel)
	fi
	[ -n "$T" ] && rm -rf "$T"
}

# e2e_setup - a private temp dir (reachable by the daemon's user) and a port
e2e_setup() {
	T=$(mktemp -d /tmp/corral-e2e.XXXXXX)
	chmod 755 "$T"
	trap e2e_cleanup EXIT
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	export CORRAL_URL="http://127.0.0.1:$PORT"
	export CORRAL_STATE_ROOT="$T/state"
	unset CORRAL_TOKEN CORRAL_TOKEN_FILE CORRAL_ADMIN_TOKEN \
	    CORRAL_ADMIN_TOKEN_FILE CORRAL_READONLY_TOKEN \
	    CORRAL_READONLY_TOKEN_FILE CORRAL_CONFIG CORRAL_HTTP_AUTH_MODE \
	    CORRAL_BIND CORRAL_WORKSPACE_ROOT CORRAL_ALLOW_INSECURE \
	    NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID 2>/dev/null || true
	printf "worker http = on\n" > "$T/corral.conf"
}

# e2e_conf LINE... - append lines to the test's corral.conf
e2e_conf() {
	for l in "$@"; do printf '%s\n' "$l" >> "$T/corral.conf"; done
}

# e2e_fake NAME - enable a fake worker called NAME
e2e_fake() {
	e2e_conf "worker $1 = on" "worker.$1.exec = $FAKE"
}

# e2e_start [flags...] - start the daemon in the background, log to $T/log
e2e_start() {
	CORRAL_USER=${CORRAL_USER:-root} "$CORRAL" --config "$T/corral.conf" \
	    --bind "127.0.0.1:$PORT" --state-root "$T/state" \
	    --workspace-root "$T/workspace" "$@" >"$T/log" 2>&1 &
	PID=$!
}

# e2e_wait DESC SECONDS CMD... - poll CMD every 50 ms until it succeeds
e2e_wait() {
	desc=$1 secs=$2
	shift 2
	end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(( $(date +%s%N) / 1000000 ))" -ge "$end" ]; then
			e2e_fail "timed out after ${secs}s waiting for: $desc"
		fi
		if [ -n "$PID" ] && ! kill -0 "$PID" 2>/dev/null; then
			e2e_fail "daemon exited while waiting for: $desc"
		fi
		sleep 0.05
	done
}

# e2e_status URL - print only the HTTP status of a GET
e2e_status() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"
}

e2e_token() { cat "$T/state/admin.token"; }

# e2e_api METHOD PATH [curl args] - authenticated call; body on stdout
e2e_api() {
	m=$1 p=$2
	shift 2
	curl -s --max-time 5 -X "$m" -H "Authorization: Bearer $(e2e_token)" \
	    "$@" "$CORRAL_URL$p"
}

# e2e_ready - /readyz says 200
e2e_ready() { [ "$(e2e_status "$CORRAL_URL/readyz")" = 200 ]; }

# e2e_json EXPR - evaluate a python expression over the JSON on stdin (j)
e2e_json() {
	python3 -c "import json,sys; j=json.load(sys.stdin); v=($1); print(v if not isinstance(v,bool) else str(v).lower())"
}

# e2e_worker NAME FIELD - one field of one worker from /v1/workers
e2e_worker() {
	e2e_api GET "/v1/workers/$1" | e2e_json "j['$2']"
}

# e2e_wait_exit SECONDS - wait for the daemon to exit; its code in RC
e2e_wait_exit() {
	end=$(( $(date +%s) + $1 ))
	while kill -0 "$PID" 2>/dev/null; do
		[ "$(date +%s)" -ge "$end" ] && e2e_fail "daemon still running after $1 s"
		sleep 0.05
	done
	wait "$PID"
	RC=$?
	PID=
}

# e2e_children PID - pids whose parent is PID
e2e_children() { pgrep -P "$1" || true; }

# e2e_healthy - /healthz says 200
e2e_healthy() { [ "$(e2e_status "$CORRAL_URL/healthz")" = 200 ]; }
