#!/bin/bash
# The container deployment as a user runs it: the Dockerfile, the
# docker-compose.yml and docker/entrypoint.sh, driven with docker-compose
# (v1) against the lab's podman (its Docker API, lab.sh):
#  1. docker-compose build (cached layers: warm in seconds);
#  2. the secrets: an admin token (openssl), the master key from
#     `run corral secrets generate`, a route secret stored offline with
#     `run corral secrets set NAME --offline --from-env VAR` (-e VAR);
#  3. up -d: healthy, /healthz 200 from the host, /v1/runtime 200 with
#     the token and 401 without, every process non-root, the secret and
#     its route listed, the engines worker reaching Docker through the
#     mounted socket;
#  4. restart: the secret is still there; stop: within the grace period,
#     exit code 0;
#  5. the entrypoint's guardrails, each one line and exit code 2;
#  6. down -v: nothing of the project left (the image stays, as a cache).
# The image does not use BUILD, so the sanitizer pass does not run it
# again. Works in a copy of nothing: compose reads the checkout's files,
# the secrets live in $T (DOCKER_SECRETS_DIR), the checkout stays clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lab.sh"
case "$BUILD" in
*/build-san)
	e2e_log "ok: not run for $BUILD: it builds its own image and runs once, in the plain pass"
	exit 0
	;;
esac
e2e_setup
lab_up
unset CORRAL_STATE_ROOT CORRAL_URL

PROJECT=corral-e2e-$$
export COMPOSE_PROJECT_NAME=$PROJECT
export COMPOSE_HTTP_TIMEOUT=120
# the compose file's knobs (see its head): the lab's socket, a private
# secrets directory, models root and port, an image tag of the tests' own
export DOCKER_SECRETS_DIR="$T/secrets"
export DOCKER_SOCKET="$T/podman.sock"
export DOCKER_GID=0
export CORRAL_MODELS_ROOT="$T/models"
export CORRAL_IMAGE=corral:e2e
HPORT=$(free_port)
export CORRAL_PUBLISH="127.0.0.1:$HPORT"
URL="http://127.0.0.1:$HPORT"
SECRETS="$DOCKER_SECRETS_DIR"
: > "$T/compose.env"		# no .env from the checkout
mkdir -p "$SECRETS" "$CORRAL_MODELS_ROOT"
# podman's socket is root's, 0600; the engines worker runs as uid 10001
# with group 0 (DOCKER_GID) added, as on a Docker host with the docker
# group's id
chmod 660 "$DOCKER_SOCKET"

dc() {
	docker-compose --ansi never -f "$TOP/docker-compose.yml" \
	    --project-directory "$TOP" --env-file "$T/compose.env" "$@"
}

# fail MSG - the container's log into $T/log (e2e_fail shows it), then fail
fail() {
	dc logs --no-color --tail 60 > "$T/log" 2>&1
	e2e_fail "$@"
}

compose_down() {
	[ -n "${DOCKER_HOST:-}" ] && [ -S "$T/podman.sock" ] &&
	    dc down -v --remove-orphans >/dev/null 2>&1
	return 0
}
trap 'compose_down; lab_down; e2e_cleanup' EXIT

# stale c|v|n - from a Docker API list of containers, volumes or networks
# on stdin, what belongs to a corral-e2e-PID project whose PID is gone
stale() {
	python3 -c '
import json, os, re, sys
k = sys.argv[1]
j = json.load(sys.stdin)
for x in (j.get("Volumes") or []) if k == "v" else j:
    key = ((x.get("Labels") or {}).get("com.docker.compose.project", "")
           if k == "c" else x["Name"])
    m = re.match(r"corral-e2e-(\d+)(_|$)", key)
    if not m:
        continue
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        print(k, x["Id"] if k == "c" else x["Name"])
    except PermissionError:
        pass
' "$1"
}

# sweep - remove what an earlier run, killed before its trap, left behind
sweep() {
	{
		dapi GET "/containers/json?all=1" | stale c
		dapi GET /volumes | stale v
		dapi GET /networks | stale n
	} > "$T/sweep" 2>/dev/null
	while read -r kind what; do
		case $kind in
		c) dapi DELETE "/containers/$what?force=1&v=1" ;;
		v) dapi DELETE "/volumes/$what?force=1" ;;
		n) dapi DELETE "/networks/$what" ;;
		esac >/dev/null
	done < "$T/sweep"
	[ -s "$T/sweep" ] && e2e_log "removed what killed runs left:" \
	    "$(awk '{ print substr($2, 1, 40) }' "$T/sweep" | tr '\n' ' ')"
	return 0
}
sweep

ms() { date +%s%3N; }
# inspect ID EXPR - a python expression over the container's inspect (j)
inspect() { dapi GET "/containers/$1/json" | e2e_json "$2"; }
image_id() { dapi GET "/images/$CORRAL_IMAGE/json" | e2e_json "j['Id']" 2>/dev/null; }
token() { cat "$SECRETS/admin.token"; }
api() {
	p=$1
	shift
	curl -s --max-time 5 -H "Authorization: Bearer $(token)" "$@" "$URL$p"
}
status() { e2e_status "$@"; }
# healthy ID - the image's healthcheck says healthy. Docker runs it on its
# own schedule; podman needs systemd timers for that, which the lab has
# not, so run it now through podman's API and read Docker's view after
healthy() {
	curl -s --max-time 10 --unix-socket "$SOCK" \
	    "http://d/v4.0.0/libpod/containers/$1/healthcheck" >/dev/null
	[ "$(inspect "$1" "j['State']['Health']['Status']")" = healthy ]
}
ready() { [ "$(status "$URL/readyz")" = 200 ]; }
listed() { api /v1/secrets | grep -q '"name":"openai.prod"'; }

# --- 1. build ------------------------------------------------------------------
old=$(image_id) || old=
t0=$(ms)
dc build > "$T/build.log" 2>&1 || {
	tail -n 40 "$T/build.log" | sed 's/^/    /'
	e2e_fail "docker-compose build"
}
e2e_log "build: $(( $(ms) - t0 )) ms$(grep -q 'Using cache' "$T/build.log" && echo ", cached layers reused")"
new=$(image_id) || e2e_fail "no image $CORRAL_IMAGE after the build"
# the image it replaced, if nothing else names it (and no container uses it)
if [ -n "$old" ] && [ "$old" != "$new" ] &&
    [ "$(dapi GET "/images/$old/json" | e2e_json "len(j.get('RepoTags') or [])")" = 0 ]; then
	dapi DELETE "/images/$old" >/dev/null 2>&1
fi

# --- 2. secrets ----------------------------------------------------------------
umask 077
openssl rand -hex 32 > "$SECRETS/admin.token" || e2e_fail "openssl rand"
# the shell creates master.key before compose mounts it
dc run --rm -T corral secrets generate > "$SECRETS/master.key" 2> "$T/out" ||
    e2e_fail "secrets generate: $(cat "$T/out")"
grep -Eqx '[A-Za-z0-9+/]{43}=' "$SECRETS/master.key" ||
    e2e_fail "master.key is not a base64 key: $(head -c 80 "$SECRETS/master.key")"
umask 022
# what docker/secrets/README.md tells: readable by uid 10001 (and group)
chown 10001:10001 "$SECRETS/admin.token" "$SECRETS/master.key"
chmod 640 "$SECRETS/admin.token" "$SECRETS/master.key"
# the value travels by the environment, never on a command line
E2E_OPENAI_KEY="sk-e2e-$(openssl rand -hex 12)" || e2e_fail "openssl rand"
export E2E_OPENAI_KEY
dc run --rm -T -e E2E_OPENAI_KEY corral secrets set openai.prod --offline \
    --provider openai --from-env E2E_OPENAI_KEY > "$T/out" 2>&1 ||
    e2e_fail "secrets set --offline: $(cat "$T/out")"
grep -q "secret openai.prod stored" "$T/out" ||
    e2e_fail "secrets set said: $(cat "$T/out")"

# --- 3. up -----------------------------------------------------------------------
dc up -d > "$T/out" 2>&1 || e2e_fail "up -d: $(cat "$T/out")"
CID=$(dc ps -q corral)
[ -n "$CID" ] || fail "no corral container after up -d"
e2e_wait "the container healthy" 60 healthy "$CID"
[ "$(status "$URL/healthz")" = 200 ] || fail "/healthz from the host"
e2e_wait "ready" 20 ready
c=$(api /v1/runtime -o "$T/runtime" -w '%{http_code}')
[ "$c" = 200 ] || fail "/v1/runtime with the admin token: $c"
[ "$(e2e_json "j['bind']" < "$T/runtime")" = 0.0.0.0:4000 ] ||
    fail "bind: $(cat "$T/runtime")"
[ "$(e2e_json "j['state_root']" < "$T/runtime")" = /var/lib/corral/state ] ||
    fail "state_root: $(cat "$T/runtime")"
[ "$(status "$URL/v1/runtime")" = 401 ] || fail "/v1/runtime without a token"
[ "$(status -H "Authorization: Bearer wrong-token-0123456789" "$URL/v1/runtime")" = 401 ] ||
    fail "/v1/runtime with a wrong token"
# non-root: every process in the container, seen from inside ...
dc exec -T corral ps -eo uid=,args= > "$T/ps" 2>&1 || fail "exec ps: $(cat "$T/ps")"
for p in "corral run" http secrets gpu engines mcp skills; do
	grep -Eq "^ *10001 +(/usr/local/bin/)?$p\$" "$T/ps" ||
	    fail "no '$p' running as uid 10001: $(cat "$T/ps")"
done
awk '$1 != 10001 { bad = 1 } END { exit bad }' "$T/ps" ||
    fail "a process not running as uid 10001: $(cat "$T/ps")"
# ... and from the host: tini (PID 1) and the master below it
hpid=$(inspect "$CID" "j['State']['Pid']")
for p in "$hpid" $(pgrep -P "$hpid"); do
	u=$(awk '/^Uid:/ { print $2 "," $3 "," $4 "," $5 }' "/proc/$p/status")
	[ "$u" = 10001,10001,10001,10001 ] || fail "host pid $p runs as $u"
done
# the secret, its route, no value anywhere
listed || fail "openai.prod not listed: $(api /v1/secrets)"
api /v1/routes > "$T/routes"
[ "$(e2e_json "[r['available'] for r in j['routes'] if r['name']=='gpt-4o'][0]" < "$T/routes")" = true ] ||
    fail "route gpt-4o not available: $(cat "$T/routes")"
# the engines worker reaches Docker through the mounted socket
reach() { [ "$(api /v1/engines | e2e_json "j['docker']['reachable']")" = true ]; }
e2e_wait "the engines worker reaching Docker" 30 reach

# --- 4. restart, stop --------------------------------------------------------------
started=$(inspect "$CID" "j['State']['StartedAt']")
dc restart > "$T/out" 2>&1 || fail "restart: $(cat "$T/out")"
[ "$(inspect "$CID" "j['State']['StartedAt']")" != "$started" ] ||
    fail "restart did not restart the container"
e2e_wait "ready after the restart" 30 ready
e2e_wait "healthy after the restart" 60 healthy "$CID"
listed || fail "openai.prod gone after the restart: $(api /v1/secrets)"
t0=$(ms)
dc stop > "$T/out" 2>&1 || fail "stop: $(cat "$T/out")"
dt=$(( $(ms) - t0 ))
[ "$dt" -lt 30000 ] || fail "stop took $dt ms (grace period 30 s)"
[ "$(inspect "$CID" "j['State']['Running']")" = false ] || fail "still running after stop"
rc=$(inspect "$CID" "j['State']['ExitCode']")
[ "$rc" = 0 ] || fail "exit code $rc after stop"
dc logs --no-color > "$T/log" 2>&1
grep -q "corral stopped" "$T/log" || fail "no 'corral stopped' in the log"
grep -qF "$E2E_OPENAI_KEY" "$T/log" && fail "the secret's value is in the log"
e2e_log "stop: $dt ms, exit code 0"

# --- 5. guardrails ----------------------------------------------------------------
# guard MSG RUN-ARGS... - `run --rm corral` (no command: the daemon) is
# refused by the entrypoint's check-config with exit code 2 and MSG
guard() {
	want=$1
	shift
	dc run --rm -T "$@" corral > "$T/out" 2>&1
	grc=$?
	[ "$grc" = 2 ] || fail "run $*: exit code $grc, not 2: $(cat "$T/out")"
	grep -qxF "$want" "$T/out" ||
	    fail "run $*: not the line '$want' in: $(cat "$T/out")"
}
guard "corral: CORRAL_STATE_ROOT: 'var/state' is relative; give an absolute path" \
    -e CORRAL_STATE_ROOT=var/state
guard "corral: state_root and workspace_root are the same directory (/var/lib/corral/state); give two different ones" \
    -e CORRAL_WORKSPACE_ROOT=/var/lib/corral/state
guard "corral: bind 0.0.0.0:4000 is not a loopback address and http_auth_mode is none; use bearer auth, or set CORRAL_ALLOW_INSECURE=1 to run without it" \
    -e CORRAL_HTTP_AUTH_MODE=none
# a token file the container's user cannot read (root's, 0600)
printf 'e2e-root-only-token-0123456789\n' > "$T/root-only.token"
chmod 600 "$T/root-only.token"
guard "corral: CORRAL_ADMIN_TOKEN_FILE: cannot read /run/secrets/root_only: Permission denied" \
    -v "$T/root-only.token:/run/secrets/root_only:ro" \
    -e CORRAL_ADMIN_TOKEN_FILE=/run/secrets/root_only
guard "corral: admin token given twice: CORRAL_ADMIN_TOKEN and CORRAL_ADMIN_TOKEN_FILE; give one" \
    -e CORRAL_ADMIN_TOKEN=e2e-inline-token-0123456789

# --- 6. down -------------------------------------------------------------------------
dc down -v --remove-orphans > "$T/out" 2>&1 || e2e_fail "down -v: $(cat "$T/out")"
f=$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps({"label":["com.docker.compose.project="+sys.argv[1]]})))' "$PROJECT")
n=$(dapi GET "/containers/json?all=1&filters=$f" | e2e_json "len(j)")
[ "$n" = 0 ] || e2e_fail "$n containers left after down -v"
n=$(dapi GET "/volumes" | e2e_json "len([v for v in (j['Volumes'] or []) if v['Name'].startswith('${PROJECT}_')])")
[ "$n" = 0 ] || e2e_fail "$n volumes left after down -v"
n=$(dapi GET "/networks" | e2e_json "len([x for x in j if x['Name'].startswith('${PROJECT}_')])")
[ "$n" = 0 ] || e2e_fail "$n networks left after down -v"
e2e_pass
