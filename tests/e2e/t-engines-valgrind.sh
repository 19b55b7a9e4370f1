#!/bin/bash
# The engines worker and its endpoints under valgrind (memcheck, every
# child traced, corralctl too), with a real container through the lab:
# a launch that becomes ready, the list, logs once and followed (the
# passed socket), a refused launch, a failed one, a kill -9 of the worker
# and its re-adoption, delete, a clean stop; no memory error and no leak
# in any process (the engines worker's HTTP client on our event loop
# included).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
e2e_setup
command -v valgrind >/dev/null || e2e_fail "valgrind is not installed"
case "$BUILD" in *san*) e2e_log "sanitizer build: valgrind does not apply"; e2e_pass ;; esac
lab_up
MODELS="$T/models"
mkdir -p "$MODELS/m"
P1=$(free_port)
cat > "$T/engines.json" <<JSON
{"profiles": {"tiny": {
  "image": "$TEST_IMAGE", "port": $P1,
  "args": ["--port", "{port}", "--model", "{model}", "--load-seconds", "1"],
  "probes": ["/health", "/v1/models"], "startup_timeout_s": 60}}}
JSON
ADMIN=admin-token-engines-vg-01234567
printf '%s\n' "$ADMIN" > "$T/admin.tok"
chmod 600 "$T/admin.tok"
printf 'worker http = on\nworker engines = on\n' > "$T/corral.conf"
e2e_conf "docker_host = $DOCKER_HOST" "models_root = $MODELS" \
    "engines_file = $T/engines.json"
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --error-exitcode=99"
CORRAL_USER=root CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" $VG --trace-children=yes \
    --child-silent-after-fork=yes --log-file="$T/vg.%p" \
    "$CORRAL" --config "$T/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$T/state" --workspace-root "$T/workspace" >"$T/log" 2>&1 &
PID=$!
e2e_wait "ready under valgrind" 60 e2e_ready
A="Authorization: Bearer $ADMIN"
api() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H "$A" "$@"; }
get() { curl -s --max-time 30 -H "$A" "$CORRAL_URL$1"; }
ctl() { $VG --log-file="$T/vg.ctl.%p" "$CORRALCTL" --timeout 30 --token-file "$T/admin.tok" "$@"; }
state_is() { get "/v1/engines/$1" | grep -q "\"state\":\"$2\""; }
e2e_wait "Docker reachable" 60 sh -c "curl -s -H '$A' $CORRAL_URL/v1/engines | grep -q '\"reachable\":true'"

ctl engines launch vg --engine tiny --model "$MODELS/m" --timeout 120 > "$T/launch.out" 2>&1 ||
    e2e_fail "launch: $(cat "$T/launch.out")"
ctl engines >/dev/null || e2e_fail "corralctl engines"
[ "$(api "$CORRAL_URL/v1/routes")" = 503 ] || true	# no secrets worker here
[ "$(api "$CORRAL_URL/v1/engines/vg/logs?tail=all")" = 200 ] || e2e_fail "logs"
(curl -s -N --max-time 5 -H "$A" "$CORRAL_URL/v1/engines/vg/logs?tail=5&follow=1" > "$T/follow.txt") &
fpid=$!
sleep 1
curl -s "http://127.0.0.1:$P1/v1/models?under-valgrind" >/dev/null
wait $fpid
grep -q under-valgrind "$T/follow.txt" || e2e_fail "followed log: $(cat "$T/follow.txt")"
[ "$(api -X POST -d '{"name":"x","engine":"tiny","model":"/etc"}' "$CORRAL_URL/v1/engines")" = 400 ] ||
    e2e_fail "a model outside the root"
[ "$(api -X POST -d 'not json' "$CORRAL_URL/v1/engines")" = 400 ] || e2e_fail "not JSON"
[ "$(api -X POST -d "{\"name\":\"die\",\"engine\":\"tiny\",\"model\":\"$MODELS/m\",\"port\":$(free_port),\"args\":[\"--exit-after\",\"1\",\"4\"]}" "$CORRAL_URL/v1/engines")" = 202 ] ||
    e2e_fail "launch die"
e2e_wait "die failed" 60 state_is die failed
old=$(get /v1/workers/engines | e2e_json "j['pid']")
kill -KILL "$old"
e2e_wait "vg adopted" 60 sh -c "curl -s -H '$A' $CORRAL_URL/v1/engines/vg | grep -q '\"adopted\":true'"
e2e_wait "vg ready again" 60 state_is vg ready
ctl engines delete vg >/dev/null || e2e_fail "delete vg"
[ "$(api -X DELETE "$CORRAL_URL/v1/engines/die")" = 200 ] || e2e_fail "delete die"
[ "$(lab_count)" = 0 ] || e2e_fail "$(lab_count) containers left"
kill -TERM "$PID"
e2e_wait_exit 60
[ "$RC" = 0 ] || e2e_fail "exit code $RC (99: valgrind found errors)"
# the worker killed with -9 wrote no summary: its file has none to check
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost|indirectly lost|Invalid (read|write)|uninitialised' "$T"/vg.* 2>/dev/null)
if [ -n "$bad" ]; then
	for f in $bad; do sed 's/^/    /' "$f"; done
	e2e_fail "valgrind reports in: $bad"
fi
e2e_log "$(ls "$T"/vg.* | wc -l) processes checked"
e2e_pass
