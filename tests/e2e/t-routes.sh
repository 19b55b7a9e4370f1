#!/bin/bash
# Routes and the master key at start. A bad routes file, or both master
# key inputs, or a key file that cannot be read: exit 2 and one line naming
# what is wrong. A key that does not match the store: the secrets worker is
# failed and the log names the store. No key: the worker runs, routes with
# a secret say so. A route whose secret is not in the store is listed
# unavailable with the reason until the secret is written (offline, no
# SIGHUP); SIGHUP reloads the routes, and a bad file is refused on reload.
. "$(dirname "$0")/lib.sh"
e2e_setup
unset CORRAL_AUTH_STORE_MASTER_KEY CORRAL_AUTH_STORE_MASTER_KEY_FILE \
    CORRAL_ROUTES_FILE 2>/dev/null || true
e2e_conf "worker secrets = on"
VALUE=sk-e2e-routes-value-0123456789

# refuse DESC PATTERN ENV... -- ARGS...: `corral` and `corral check-config`
# exit 2 with one stderr line matching PATTERN (fixed string)
refuse() {
	desc=$1 pat=$2
	shift 2
	envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	for sub in run check-config; do
		out=$(env "${envs[@]}" CORRAL_USER=root "$CORRAL" $sub \
		    --config "$T/corral.conf" --state-root "$T/s" \
		    --workspace-root "$T/w" "$@" 2>&1 >/dev/null)
		rc=$?
		[ "$rc" = 2 ] || e2e_fail "$desc ($sub): exit $rc, want 2: $out"
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] ||
		    e2e_fail "$desc ($sub): not one line: $out"
		printf '%s\n' "$out" | grep -qF -- "$pat" ||
		    e2e_fail "$desc ($sub): got '$out', want '$pat'"
	done
	e2e_log "refused: $desc: $out"
}

route() {	# name provider base_url secret|-
	if [ "$4" = - ]; then
		printf '{"name":"%s","provider":"%s","base_url":"%s","model":"m"}' "$1" "$2" "$3"
	else
		printf '{"name":"%s","provider":"%s","base_url":"%s","model":"m","secret":"%s"}' "$1" "$2" "$3" "$4"
	fi
}
GPT=$(route gpt openai https://api.openai.com/v1 openai.prod)
CLAUDE=$(route claude anthropic https://api.anthropic.com anthropic.key)
LOCAL=$(route local ollama http://127.0.0.1:11434 -)
echo "{\"routes\":[$GPT,$CLAUDE,$LOCAL]}" > "$T/routes.json"

# --- refused at start ---------------------------------------------------
echo "{\"routes\":[$GPT,$(route bad openai ftp://x openai.prod)]}" > "$T/bad.json"
refuse "bad base_url" \
    "routes file $T/bad.json: routes[1].base_url: must start with http:// or https://" \
    X=1 -- --routes-file "$T/bad.json"
echo "[{\"name\":\"a\",\"provider\":\"openai\",\"base_url\":\"https://h\",\"modle\":\"m\"}]" > "$T/typo.json"
refuse "unknown field" "routes file $T/typo.json: routes[0].modle: unknown field" \
    CORRAL_ROUTES_FILE="$T/typo.json" --
echo "[$(route a openai https://h -)]" > "$T/nosecret.json"
refuse "no secret for a remote provider" \
    "routes file $T/nosecret.json: routes[0].secret: missing; provider 'openai' is not local" \
    X=1 -- --routes-file "$T/nosecret.json"
refuse "routes file missing" "routes file $T/nope.json: cannot read: No such file" \
    X=1 -- --routes-file "$T/nope.json"
"$CORRAL" secrets generate > "$T/keyA" || e2e_fail "secrets generate"
"$CORRAL" secrets generate > "$T/keyB" || e2e_fail "secrets generate"
chmod 600 "$T/keyA" "$T/keyB"
refuse "both key inputs" \
    "master key given twice: CORRAL_AUTH_STORE_MASTER_KEY and CORRAL_AUTH_STORE_MASTER_KEY_FILE; give one" \
    CORRAL_AUTH_STORE_MASTER_KEY="$(cat "$T/keyA")" CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/keyA" --
refuse "unreadable key file" \
    "CORRAL_AUTH_STORE_MASTER_KEY_FILE: cannot read $T/nokey: No such file" \
    CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/nokey" --
refuse "key file is a directory" \
    "CORRAL_AUTH_STORE_MASTER_KEY_FILE: $T is not a regular file" \
    CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T" --
[ -d "$T/s" ] && e2e_fail "a refused start created the state root"

# the store, written offline under key A
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/keyA" V=$VALUE "$CORRAL" secrets set \
    openai.prod --offline --provider openai --from-env V --state-root "$T/state" ||
    e2e_fail "offline set"

stop() {
	kill -TERM "$PID"
	e2e_wait_exit 15
	[ "$RC" = 0 ] || e2e_fail "exit code $RC"
}
state() { e2e_worker secrets state; }
routes() { e2e_api GET /v1/routes; }
# avail NAME: "true" or the reason
avail() {
	routes | e2e_json "[r['reason'] or 'true' for r in j['routes'] if r['name']=='$1'][0]"
}

# --- a key that does not match the store: secrets failed, named -----------
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/keyB" e2e_start --routes-file "$T/routes.json"
e2e_wait "healthz" 10 e2e_healthy
is_failed() { [ "$(state)" = failed ]; }
e2e_wait "secrets failed" 15 is_failed
grep -qF "master key does not match the store at $T/state/secrets/store.json" "$T/log" ||
    e2e_fail "no named key error in the log"
stop

# --- no key: the worker runs; routes with a secret say why not ----------
e2e_start --routes-file "$T/routes.json"
e2e_wait "readyz 200" 10 e2e_ready
[ "$(avail gpt)" = "no master key configured" ] || e2e_fail "gpt without a key: $(routes)"
[ "$(avail local)" = true ] || e2e_fail "local without a key: $(routes)"
stop

# --- the right key ------------------------------------------------------
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/keyA" e2e_start --routes-file "$T/routes.json"
e2e_wait "readyz 200" 10 e2e_ready
[ "$(state)" = ready ] || e2e_fail "secrets not ready"
[ "$(avail gpt)" = true ] || e2e_fail "gpt: $(routes)"
[ "$(avail claude)" = "secret 'anthropic.key' is not in the store" ] ||
    e2e_fail "claude: $(routes)"
[ "$(avail local)" = true ] || e2e_fail "local: $(routes)"

# only the secrets worker got the key input, and it is gone from there too
spid=$(e2e_worker secrets pid)
hpid=$(e2e_worker http pid)
tr '\0' '\n' < /proc/"$hpid"/environ | grep -q MASTER_KEY && e2e_fail "http got the key input"
tr '\0' '\n' < /proc/"$spid"/environ | grep -q "^CORRAL_WORKER=secrets" ||
    e2e_fail "cannot read the secrets worker's environment"
grep -qa "$T/keyA" /proc/"$spid"/environ && e2e_fail "the key file path is still in the environ of secrets"
awk '/^Max core file size/ { exit !($5 == 0) }' /proc/"$spid"/limits ||
    e2e_fail "secrets may dump core"

# an offline write is seen without SIGHUP
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/keyA" V=$VALUE "$CORRAL" secrets set \
    anthropic.key --offline --provider anthropic --from-env V --state-root "$T/state" ||
    e2e_fail "offline set while running"
claude_ok() { [ "$(avail claude)" = true ]; }
e2e_wait "claude available" 10 claude_ok

# SIGHUP reloads the routes; a bad file is refused and the old ones stay
echo "{\"routes\":[$LOCAL]}" > "$T/routes.json"
kill -HUP "$PID"
one_route() { [ "$(routes | e2e_json "len(j['routes'])")" = 1 ]; }
e2e_wait "one route after SIGHUP" 10 one_route
echo "{\"routes\":[$LOCAL,{\"name\":\"local\"}]}" > "$T/routes.json"
kill -HUP "$PID"
e2e_wait "reload refused" 10 grep -qF "routes[1].provider: missing" "$T/log"
one_route || e2e_fail "routes after a refused reload: $(routes)"

grep -qF "$VALUE" "$T/log" && e2e_fail "a secret value is in the log"
routes | grep -qF "$VALUE" && e2e_fail "a secret value in /v1/routes"
stop
e2e_pass
