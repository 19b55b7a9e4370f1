#!/bin/bash
# The engines worker across restarts, with real containers (lab.sh):
#  1. kill -9 of the engines worker while an engine runs: the new worker
#     finds the container by its label and adopts it (ready again, the
#     same container, no second one);
#  2. a restart of the whole daemon: engines keep running (the default)
#     and are adopted again; a container removed while corral was down
#     shows as vanished;
#  3. engines_stop_on_exit: SIGTERM to the daemon stops and removes them;
#  4. an engine whose model is a name (an Ollama-like profile): the model
#     is pulled through the engine's own API once it is up; a model the
#     engine cannot pull fails the engine;
#  5. no Docker: the worker is ready, GET /v1/engines says why, a launch
#     is refused with 503.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
e2e_setup
lab_up
MODELS="$T/models"
mkdir -p "$MODELS/m"
P1=$(free_port)
P2=$(free_port)
cat > "$T/engines.json" <<JSON
{"profiles": {"tiny": {
  "image": "$TEST_IMAGE", "port": $P1,
  "args": ["--port", "{port}", "--model", "{model}", "--load-seconds", "1"],
  "probes": ["/health"], "startup_timeout_s": 60},
 "olla": {
  "image": "$TEST_IMAGE", "port": $P1,
  "args": ["--port", "{port}", "--served-model-name", "{model}", "--load-seconds", "1"],
  "probes": ["/api/tags"], "model_is_name": true, "startup_timeout_s": 60}}}
JSON
conf() {
	printf 'worker http = on\nworker secrets = on\nworker engines = on\n' > "$T/corral.conf"
	e2e_conf "docker_host = ${1:-$DOCKER_HOST}" "models_root = $MODELS" \
	    "engines_file = $T/engines.json"
}
eng() { e2e_api GET "/v1/engines/$1" | e2e_json "$2"; }
state_is() { [ "$(eng "$1" "j['state']")" = "$2" ]; }
reachable() { [ "$(e2e_api GET /v1/engines | e2e_json "j['docker']['reachable']")" = true ]; }
launch() {
	c=$(e2e_api POST /v1/engines -o /dev/null -w '%{http_code}' -d "$1")
	[ "$c" = 202 ] || e2e_fail "launch $1: $c"
}
start() {
	e2e_start
	e2e_wait "ready" 20 e2e_ready
}
stop() {
	kill -TERM "$PID"
	e2e_wait_exit 40
	[ "$RC" = 0 ] || e2e_fail "exit code $RC"
}

conf
start
e2e_wait "Docker reachable" 20 reachable
launch "{\"name\":\"keep\",\"engine\":\"tiny\",\"model\":\"$MODELS/m\"}"
e2e_wait "keep ready" 40 state_is keep ready
cid=$(eng keep "j['container_id']")
[ "$(eng keep "j['adopted']")" = false ] || e2e_fail "a fresh launch says adopted"

# --- 1. kill -9 of the worker -------------------------------------------------
old=$(e2e_worker engines pid)
kill -KILL "$old"
e2e_wait "a new engines worker" 20 sh -c "[ \"\$(curl -s -H 'Authorization: Bearer $(e2e_token)' $CORRAL_URL/v1/workers/engines | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[\"state\"], j[\"pid\"])')\" != 'ready $old' ] && curl -s -H 'Authorization: Bearer $(e2e_token)' $CORRAL_URL/v1/workers/engines | grep -q '\"state\":\"ready\"'"
e2e_wait "keep adopted" 20 sh -c "curl -s -H 'Authorization: Bearer $(e2e_token)' $CORRAL_URL/v1/engines/keep | grep -q '\"adopted\":true'"
e2e_wait "keep ready again" 20 state_is keep ready
[ "$(eng keep "j['container_id']")" = "$cid" ] || e2e_fail "another container"
[ "$(lab_count)" = 1 ] || e2e_fail "$(lab_count) containers after the restart"

# --- 2. the whole daemon -------------------------------------------------------
stop
[ "$(lab_count)" = 1 ] || e2e_fail "the engine did not outlive the daemon"
start
e2e_wait "keep ready after a daemon restart" 30 state_is keep ready
[ "$(eng keep "j['container_id']")" = "$cid" ] || e2e_fail "another container"
[ "$(lab_count)" = 1 ] || e2e_fail "$(lab_count) containers after the daemon restart"
stop
dapi DELETE "/containers/$cid?force=1" >/dev/null
start
e2e_wait "keep vanished" 30 state_is keep vanished
[ "$(e2e_api DELETE /v1/engines/keep -o /dev/null -w '%{http_code}')" = 200 ] ||
    e2e_fail "delete a vanished engine"
stop

# --- 3. engines_stop_on_exit -------------------------------------------------
conf
e2e_conf "engines_stop_on_exit = on"
start
e2e_wait "Docker reachable" 20 reachable
launch "{\"name\":\"stops\",\"engine\":\"tiny\",\"model\":\"$MODELS/m\",\"port\":$P2}"
e2e_wait "stops ready" 40 state_is stops ready
stop
[ "$(lab_count)" = 0 ] || e2e_fail "engines_stop_on_exit left $(lab_count) containers"

# --- 4. a model pulled through the engine's API ------------------------------
conf
start
e2e_wait "Docker reachable" 20 reachable
launch "{\"name\":\"olla\",\"engine\":\"olla\",\"model\":\"llama3:8b\"}"
e2e_wait "olla ready" 40 state_is olla ready
e2e_api GET "/v1/engines/olla/logs?tail=all" | grep -q "pull of model llama3:8b: 200" ||
    e2e_fail "the model was not pulled through the engine"
e2e_api GET /v1/routes | e2e_json "[r['model'] for r in j['routes'] if r['name']=='olla']" |
    grep -x "\['llama3:8b'\]" >/dev/null || e2e_fail "olla's route does not name its model"
launch "{\"name\":\"olla-bad\",\"engine\":\"olla\",\"model\":\"missing:1\",\"port\":$P2}"
e2e_wait "olla-bad failed" 40 state_is olla-bad failed
eng olla-bad "j['last_error']" | grep -q "pull of model missing:1" ||
    e2e_fail "last_error: $(eng olla-bad "j['last_error']")"
[ "$(lab_count)" = 1 ] || e2e_fail "the failed pull left its container"
for n in olla olla-bad; do
	[ "$(e2e_api DELETE /v1/engines/$n -o /dev/null -w '%{http_code}')" = 200 ] ||
	    e2e_fail "delete $n"
done
stop

# --- 5. no Docker ------------------------------------------------------------------
conf "unix://$T/no-docker.sock"
start
e2e_wait "the reason" 20 sh -c "curl -s -H 'Authorization: Bearer $(e2e_token)' $CORRAL_URL/v1/engines | grep -q 'no-docker.sock'"
[ "$(e2e_api GET /v1/engines | e2e_json "j['docker']['reachable']")" = false ] ||
    e2e_fail "Docker reachable?"
c=$(e2e_api POST /v1/engines -o "$T/out" -w '%{http_code}' \
    -d "{\"name\":\"x\",\"engine\":\"tiny\",\"model\":\"$MODELS/m\"}")
[ "$c" = 503 ] || e2e_fail "launch without Docker: $c $(cat "$T/out")"
[ "$(e2e_worker engines state)" = ready ] || e2e_fail "the worker is not ready"
stop
e2e_pass
