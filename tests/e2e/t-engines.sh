#!/bin/bash
# The engines worker with real containers (podman's Docker API, lab.sh):
#  1. launch the test engine (tests/containers/test-engine): pulling or
#     starting, loading (its /health says 503 for 3 s), ready; the created
#     container has host networking, the model bound read-only at the same
#     path and our labels; the create body corral sent (read through
#     docker-tee.py: podman 4.3 accepts DeviceRequests but does not keep
#     them, so inspect cannot show them) asks for the GPUs; the engine is a
#     route;
#  2. logs, once and followed; a secret reaches the container's
#     environment only (never an answer or a log), and a secret outside
#     engines_secrets is refused;
#  3. refusals: a model outside the models root (.. and a symlink) 400, a
#     port in use 409, a taken name 409, an unknown engine 400;
#  4. an engine whose container exits while loading: failed at once with
#     its exit code and last log lines, its container removed;
#  5. an image that cannot be pulled: failed, nothing left behind;
#  6. delete: the container is gone, the engine 404 (also while pulling:
#     the pull is dropped, and while loading);
#  7. the same through corralctl: launch with its progress lines until
#     ready, the table, logs (followed), a failed launch exits 1 with the
#     log lines, delete.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
e2e_setup
lab_up
MODELS="$T/models"
mkdir -p "$MODELS/tiny-1" "$T/outside"
echo weights > "$MODELS/tiny-1/model.bin"
ln -s "$T/outside" "$MODELS/escape"
P1=$(free_port)
SECRET=hf_e2e_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$CORRAL" secrets generate > "$T/master.key" || e2e_fail "secrets generate"
chmod 600 "$T/master.key"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/master.key"
unset CORRAL_AUTH_STORE_MASTER_KEY
SECRET="$SECRET" "$CORRAL" secrets set hf-token --offline --state-root "$T/state" \
    --provider huggingface --from-env SECRET >/dev/null || e2e_fail "secrets set --offline"
OTHER=sk-not-granted "$CORRAL" secrets set other --offline --state-root "$T/state" \
    --provider openai --from-env OTHER >/dev/null || e2e_fail "secrets set --offline (other)"
cat > "$T/engines.json" <<JSON
{"profiles": {"tiny": {
  "image": "$TEST_IMAGE", "port": $P1,
  "args": ["--port", "{port}", "--model", "{model}",
           "--served-model-name", "{name}", "--load-seconds", "3"],
  "probes": ["/health", "/v1/models"], "startup_timeout_s": 60}}}
JSON
python3 "$TOP/tests/e2e/docker-tee.py" "$T/tee.sock" "$SOCK" "$T/tee.log" &
TEE=$!
trap 'kill $TEE 2>/dev/null; lab_down; e2e_cleanup' EXIT
e2e_wait "the tee" 5 test -S "$T/tee.sock"
printf 'worker http = on\nworker secrets = on\nworker engines = on\n' > "$T/corral.conf"
e2e_conf "docker_host = unix://$T/tee.sock" "models_root = $MODELS" \
    "engines_file = $T/engines.json" "engines_secrets = hf-token"
e2e_start
e2e_wait "ready" 20 e2e_ready

# eng NAME EXPR - a python expression over GET /v1/engines/NAME (j)
eng() { e2e_api GET "/v1/engines/$1" | e2e_json "$2"; }
state_is() { [ "$(eng "$1" "j['state']")" = "$2" ]; }
launch() { e2e_api POST /v1/engines -H 'Content-Type: application/json' -d "$1" -w '\n%{http_code}'; }
code_of() { printf '%s\n' "$1" | tail -n 1; }
body_of() { printf '%s\n' "$1" | sed '$d'; }

e2e_wait "Docker reachable" 20 sh -c "curl -s -H 'Authorization: Bearer $(e2e_token)' $CORRAL_URL/v1/engines | grep -q '\"reachable\":true'"

# --- 1. launch -> loading -> ready ------------------------------------------
r=$(launch "{\"name\":\"tiny-a\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"gpus\":\"all\",\"secret_env\":{\"HF_TOKEN\":\"hf-token\"}}")
[ "$(code_of "$r")" = 202 ] || e2e_fail "launch: $r"
e2e_wait "tiny-a loading" 30 state_is tiny-a loading
[ "$(eng tiny-a "j['progress']")" != "" ] || e2e_fail "no progress while loading"
e2e_wait "tiny-a ready" 40 state_is tiny-a ready
[ "$(eng tiny-a "j['endpoint']")" = "http://127.0.0.1:$P1/v1" ] || e2e_fail "endpoint"
curl -sf "http://127.0.0.1:$P1/v1/models" | grep -q tiny-a || e2e_fail "the engine does not serve"
cid=$(eng tiny-a "j['container_id']")
insp=$(dapi GET "/containers/$cid/json")
want() {
	got=$(printf '%s' "$insp" | e2e_json "$1")
	[ "$got" = "$2" ] || e2e_fail "container $1: got '$got', want '$2'"
}
want "j['HostConfig']['NetworkMode']" host
want "[b.split(',')[0] for b in j['HostConfig']['Binds'] if b.startswith('$MODELS/')]" "['$MODELS/tiny-1:$MODELS/tiny-1:ro']"
want "j['Config']['Labels']['corral.engine']" tiny-a
want "j['Config']['Labels']['corral.instance']" "$(lab_instance)"
want "j['State']['Running']" true
want "[m['RW'] for m in j['Mounts'] if m['Destination']=='$MODELS/tiny-1']" "[False]"
want "'HF_TOKEN=$SECRET' in j['Config']['Env']" true
# the create bodies as corral sent them, one JSON object per request
creates() {
	python3 - "$T/tee.log" <<'PY'
import json, re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
for m in re.finditer(r"POST /v[0-9.]+/containers/create\?name=([^ ]+) HTTP/1.1\r\n(.*?)\r\n\r\n", raw, re.S):
    n = int(re.search(r"(?i)content-length: *([0-9]+)", m.group(2)).group(1))
    body = raw[m.end():m.end() + n]
    print(m.group(1), json.dumps(json.loads(body)["HostConfig"].get("DeviceRequests")))
PY
}
creates | grep -qx 'corral-tiny-a \[{"Driver": "nvidia", "Count": -1, "Capabilities": \[\["gpu"\]\]}\]' ||
    e2e_fail "the create body of tiny-a does not ask for all GPUs: $(creates)"
e2e_api GET /v1/routes | e2e_json "[r for r in j['routes'] if r['name']=='tiny-a'][0]['base_url']" |
    grep -x "http://127.0.0.1:$P1/v1" >/dev/null || e2e_fail "tiny-a is not a route"

e2e_api GET /metrics > "$T/metrics.txt"
grep -qx 'corral_engine_ready{engine="tiny-a",profile="tiny"} 1' "$T/metrics.txt" ||
    e2e_fail "/metrics: $(grep corral_engine "$T/metrics.txt")"
grep -qx 'corral_engines_docker_up 1' "$T/metrics.txt" || e2e_fail "/metrics: docker up"

# --- 2. logs, secrets --------------------------------------------------------
e2e_api GET "/v1/engines/tiny-a/logs?tail=all" | grep -q "HF_TOKEN: set" ||
    e2e_fail "the engine's log does not show its token set"
e2e_api GET "/v1/engines/tiny-a/logs?tail=all" > "$T/logs.txt"
grep -q "GET /health" "$T/logs.txt" || e2e_fail "the probes are not in the log"
(curl -s -N --max-time 4 -H "Authorization: Bearer $(e2e_token)" \
    "$CORRAL_URL/v1/engines/tiny-a/logs?tail=0&follow=1" > "$T/follow.txt") &
fpid=$!
sleep 1
curl -s "http://127.0.0.1:$P1/v1/models?from-the-test" >/dev/null
wait $fpid
grep -q "from-the-test" "$T/follow.txt" || e2e_fail "a followed log missed a new line: $(cat "$T/follow.txt")"
for f in "$T/log" "$T/logs.txt" "$T/follow.txt"; do
	grep -q "$SECRET" "$f" && e2e_fail "the secret value is in $f"
done
e2e_api GET /v1/engines | grep -q "$SECRET" && e2e_fail "the secret value is in GET /v1/engines"
grep -rq "$SECRET" "$T/state/engines" && e2e_fail "the secret value is in an engine record"
r=$(launch "{\"name\":\"tiny-s\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$(free_port),\"secret_env\":{\"OPENAI_API_KEY\":\"other\"}}")
[ "$(code_of "$r")" = 403 ] || e2e_fail "a secret outside engines_secrets: $r"

# --- 3. refusals --------------------------------------------------------------
r=$(launch "{\"name\":\"bad1\",\"engine\":\"tiny\",\"model\":\"$MODELS/../outside\"}")
[ "$(code_of "$r")" = 400 ] || e2e_fail "model via ..: $r"
[ "$(body_of "$r" | e2e_json "j['error']['field']")" = model ] || e2e_fail "field: $r"
r=$(launch "{\"name\":\"bad2\",\"engine\":\"tiny\",\"model\":\"$MODELS/escape\"}")
[ "$(code_of "$r")" = 400 ] || e2e_fail "model via a symlink: $r"
r=$(launch "{\"name\":\"bad3\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\"}")
[ "$(code_of "$r")" = 409 ] || e2e_fail "port of a running engine: $r"
PB=$(free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' "$PB" &
lpid=$!
e2e_wait "a listener on $PB" 5 sh -c "ss -ltn | grep -q ':$PB '"
r=$(launch "{\"name\":\"bad4\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$PB}")
kill $lpid
[ "$(code_of "$r")" = 409 ] || e2e_fail "port in use: $r"
[ "$(body_of "$r" | e2e_json "j['error']['field']")" = port ] || e2e_fail "field: $r"
r=$(launch "{\"name\":\"tiny-a\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$(free_port)}")
[ "$(code_of "$r")" = 409 ] || e2e_fail "taken name: $r"
r=$(launch "{\"name\":\"bad5\",\"engine\":\"nope\",\"model\":\"$MODELS/tiny-1\"}")
[ "$(code_of "$r")" = 400 ] || e2e_fail "unknown engine: $r"
[ "$(lab_count)" = 1 ] || e2e_fail "a refused launch left a container: $(lab_count)"

# --- 4. an engine that exits while loading -----------------------------------
r=$(launch "{\"name\":\"crash\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$(free_port),\"gpus\":[0,1],\"args\":[\"--exit-after\",\"1\",\"7\"]}")
[ "$(code_of "$r")" = 202 ] || e2e_fail "launch crash: $r"
e2e_wait "crash failed" 30 state_is crash failed
[ "$(eng crash "j['exit_code']")" = 7 ] || e2e_fail "exit code: $(eng crash "j")"
eng crash "j['last_error']" | grep -q "exited with code 7" || e2e_fail "last_error: $(eng crash "j['last_error']")"
eng crash "'\n'.join(j['logs'])" | grep -q "simulated" || e2e_fail "log lines: $(eng crash "j['logs']")"
[ "$(eng crash "j['container_id']")" = None ] || e2e_fail "the failed engine keeps a container id"
[ "$(lab_count)" = 1 ] || e2e_fail "the failed engine's container is still there"
creates | grep -qx 'corral-crash \[{"Driver": "nvidia", "DeviceIDs": \["0", "1"\], "Capabilities": \[\["gpu"\]\]}\]' ||
    e2e_fail "the create body of crash does not ask for GPUs 0 and 1: $(creates)"

# --- 5. an image that cannot be pulled ---------------------------------------
r=$(launch "{\"name\":\"nopull\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$(free_port),\"image\":\"localhost/corral-no-such-image:1\"}")
[ "$(code_of "$r")" = 202 ] || e2e_fail "launch nopull: $r"
e2e_wait "nopull failed" 60 state_is nopull failed
eng nopull "j['last_error']" | grep -qi "pull" || e2e_fail "last_error: $(eng nopull "j['last_error']")"
[ "$(lab_count)" = 1 ] || e2e_fail "the failed pull left a container"

# --- 5b. a delete while pulling (nothing made yet) and while loading ---------
r=$(launch "{\"name\":\"delpull\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$(free_port),\"image\":\"localhost/corral-slow-pull:1\"}")
[ "$(code_of "$r")" = 202 ] || e2e_fail "launch delpull: $r"
state_is delpull pulling || e2e_fail "delpull is not pulling: $(eng delpull "j['state']")"
[ "$(e2e_api DELETE /v1/engines/delpull -o /dev/null -w '%{http_code}')" = 200 ] ||
    e2e_fail "delete while pulling"
[ "$(e2e_api GET /v1/engines/delpull -o /dev/null -w '%{http_code}')" = 404 ] ||
    e2e_fail "delpull still there"
r=$(launch "{\"name\":\"delload\",\"engine\":\"tiny\",\"model\":\"$MODELS/tiny-1\",\"port\":$(free_port)}")
[ "$(code_of "$r")" = 202 ] || e2e_fail "launch delload: $r"
e2e_wait "delload loading" 30 state_is delload loading
[ "$(e2e_api DELETE "/v1/engines/delload?timeout=2" -o /dev/null -w '%{http_code}' --max-time 40)" = 200 ] ||
    e2e_fail "delete while loading"
[ "$(lab_count)" = 1 ] || e2e_fail "a delete while loading left its container"

# --- 6. delete ------------------------------------------------------------------
for n in crash nopull; do
	[ "$(e2e_api DELETE "/v1/engines/$n" -o /dev/null -w '%{http_code}')" = 200 ] ||
	    e2e_fail "delete $n"
done
r=$(e2e_api DELETE "/v1/engines/tiny-a?timeout=5" -w '\n%{http_code}' --max-time 40)
[ "$(code_of "$r")" = 200 ] || e2e_fail "delete tiny-a: $r"
[ "$(lab_count)" = 0 ] || e2e_fail "tiny-a's container is still there"
[ "$(e2e_api GET /v1/engines/tiny-a -o /dev/null -w '%{http_code}')" = 404 ] ||
    e2e_fail "deleted engine still answers"
[ -e "$T/state/engines/tiny-a.json" ] && e2e_fail "the record outlived the delete"
# --- 7. corralctl -------------------------------------------------------------
ctl() { "$CORRALCTL" --token-file "$T/state/admin.token" "$@"; }
P3=$(free_port)
ctl engines launch cli-a --engine tiny --model "$MODELS/tiny-1" --port "$P3" \
    --gpus none --timeout 60 > "$T/launch.out" 2>&1 || e2e_fail "corralctl launch: $(cat "$T/launch.out")"
grep -q "loading" "$T/launch.out" || e2e_fail "no loading line: $(cat "$T/launch.out")"
grep -q "ready.*http://127.0.0.1:$P3/v1" "$T/launch.out" || e2e_fail "no ready line: $(cat "$T/launch.out")"
ctl engines > "$T/list.out" || e2e_fail "corralctl engines"
grep -E "^cli-a +tiny +ready +$P3 +none" "$T/list.out" >/dev/null || e2e_fail "table: $(cat "$T/list.out")"
ctl engines logs cli-a --tail all | grep -q "GET /health" || e2e_fail "corralctl engines logs"
(ctl engines logs cli-a --tail 0 -f > "$T/cli-follow.out" 2>&1) &
fpid=$!
sleep 1
curl -s "http://127.0.0.1:$P3/v1/models?followed-by-corralctl" >/dev/null
e2e_wait "the followed line" 10 grep -q followed-by-corralctl "$T/cli-follow.out"
ctl engines delete cli-a > "$T/del.out" 2>&1 || e2e_fail "corralctl delete: $(cat "$T/del.out")"
e2e_wait "logs -f ends with the container" 20 sh -c "! kill -0 $fpid 2>/dev/null"
ctl engines launch cli-b --engine tiny --model "$MODELS/tiny-1" --port "$(free_port)" \
    --arg --exit-after --arg 1 --arg 9 --timeout 60 > "$T/fail.out" 2>&1 &&
    e2e_fail "a failed launch exits 0: $(cat "$T/fail.out")"
grep -q "exited with code 9" "$T/fail.out" || e2e_fail "failure reason: $(cat "$T/fail.out")"
grep -q "simulated" "$T/fail.out" || e2e_fail "failure log lines: $(cat "$T/fail.out")"
ctl engines delete cli-b >/dev/null || e2e_fail "delete cli-b"
[ "$(lab_count)" = 0 ] || e2e_fail "corralctl left $(lab_count) containers"
ctl engines launch bad --engine tiny --model /etc > "$T/bad.out" 2>&1
[ $? = 1 ] || e2e_fail "a refused launch: exit code, $(cat "$T/bad.out")"
grep -q "models root" "$T/bad.out" || e2e_fail "refusal: $(cat "$T/bad.out")"

kill -TERM "$PID"
e2e_wait_exit 30
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
