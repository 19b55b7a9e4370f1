#!/bin/bash
# The skills worker and its endpoints under valgrind (memcheck, every
# corral process traced, corralctl too; the agents, tests/skills/fake-agent
# and what it starts, run natively): the registry and the agents, runs
# that succeed (a route with a secret from the secrets worker), fail, time
# out, are canceled queued and running, wait for a skill's max_running and
# then run; refusals; a SIGHUP; a kill -9 of the worker with a run
# running and its recovery; a stop with a run running. No memory error
# and no leak in any process.
. "$(dirname "$0")/lib.sh"
e2e_setup
command -v valgrind >/dev/null || e2e_fail "valgrind is not installed"
case "$BUILD" in *san*) e2e_log "sanitizer build: valgrind does not apply"; e2e_pass ;; esac
FAKEAGENT="$TOP/tests/skills/fake-agent"
[ -x "$FAKEAGENT" ] || e2e_fail "$FAKEAGENT is not executable"
[ -x "$BUILD/libexec/corral/skills" ] || e2e_fail "no skills worker in $BUILD/libexec/corral"
fail() { e2e_fail "line ${BASH_LINENO[0]}: $*"; }
w() { e2e_wait "line ${BASH_LINENO[0]}: $1" "${@:2}"; }

S="$T/skills"
mkdir -p "$S/echo" "$S/solo" "$T/agents"
cat > "$S/echo/skill.json" <<'EOF'
{"name": "echo", "description": "Reports what it was given",
 "agents": ["codex", "claude"],
 "inputs": {"mode": {"type": "string", "required": true, "max_length": 16},
            "secs": {"type": "number"}, "flag": {"type": "boolean"}},
 "route": "gpt"}
EOF
printf 'Echo under valgrind.\n' > "$S/echo/SKILL.md"
cat > "$S/solo/skill.json" <<'EOF'
{"name": "solo", "agents": ["claude"],
 "inputs": {"mode": {"type": "string", "required": true}, "secs": {"type": "number"}},
 "timeout_s": 120, "max_running": 1}
EOF
printf 'Solo under valgrind.\n' > "$S/solo/SKILL.md"
for a in codex claude; do ln -s "$FAKEAGENT" "$T/agents/$a"; done
cat > "$T/routes.json" <<'EOF'
{"routes": [{"name": "gpt", "provider": "openai", "base_url": "https://api.example.test/v1",
             "model": "gpt-vg", "secret": "openai.vg"}]}
EOF
"$CORRAL" secrets generate > "$T/master.key" || fail "secrets generate"
chmod 600 "$T/master.key"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/master.key"
unset CORRAL_AUTH_STORE_MASTER_KEY
VGS=sk-vg-secret-0123456789 "$CORRAL" secrets set openai.vg --offline --state-root "$T/state" \
    --provider openai --from-env VGS >/dev/null || fail "secrets set --offline"
ADMIN=admin-token-skills-vg-0123456789
printf '%s\n' "$ADMIN" > "$T/admin.tok"
chmod 600 "$T/admin.tok"
e2e_token() { cat "$T/admin.tok"; }
printf 'worker http = on\nworker secrets = on\nworker skills = on\n' > "$T/corral.conf"
e2e_conf "skills_dir = $S" "skills_agent_path = $T/agents" "routes_file = $T/routes.json" \
    "skills_max_running = 2" "skills_max_queued = 4" "shutdown_timeout = 15"
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --error-exitcode=99"
CORRAL_USER=root CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" $VG --trace-children=yes \
    --trace-children-skip="$T/agents/*,*/python3*,*/sleep,*/sh,*/dash,*/bash" \
    --child-silent-after-fork=yes --log-file="$T/vg.%p" \
    "$CORRAL" --config "$T/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$T/state" --workspace-root "$T/workspace" >"$T/log" 2>&1 &
PID=$!
e2e_wait "ready under valgrind" 90 e2e_ready
skills_ready() { [ "$(e2e_worker skills state)" = ready ]; }
w "the skills worker ready" 90 skills_ready
WPID=$(e2e_worker skills pid)
A="Authorization: Bearer $ADMIN"
get() { curl -s --max-time 30 -H "$A" "$CORRAL_URL$1"; }
code() { curl -s -o "$T/body" -w '%{http_code}' --max-time 30 -H "$A" "$@"; }
ctl() { $VG --log-file="$T/vg.ctl.%p" "$CORRALCTL" --timeout 60 --token-file "$T/admin.tok" "$@"; }
# submit BODY - 202; the id in RID
submit() {
	[ "$(code -X POST -d "$1" "$CORRAL_URL/v1/runs")" = 202 ] || fail "submit $1: $(cat "$T/body")"
	RID=$(e2e_json "j['id']" < "$T/body")
}
state_is() { [ "$(get "/v1/runs/$1" | e2e_json "j['state']")" = "$2" ]; }
gone() {
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -z "$st" ] || [ "$st" = Z ]
}
grandchild() {
	w "grandchild.pid of $1" 60 test -s "$T/workspace/runs/$1/grandchild.pid"
	GPID=$(cat "$T/workspace/runs/$1/grandchild.pid")
}

# the lists, refusals
get /v1/skills | grep -q '"solo"' || fail "GET /v1/skills: $(get /v1/skills)"
get /v1/skills/echo | grep -q 'Echo under valgrind' || fail "GET /v1/skills/echo"
get /v1/agents | grep -q '"installed":true' || fail "GET /v1/agents: $(get /v1/agents)"
[ "$(code "$CORRAL_URL/v1/skills/nosuch")" = 404 ] || fail "unknown skill"
[ "$(code -X POST -d '{"skill":"echo","input":{"mode":5}}' "$CORRAL_URL/v1/runs")" = 400 ] || fail "a bad input"
[ "$(code -X POST -d '{"skill":"echo","input":{"mode":"ok","x":1}}' "$CORRAL_URL/v1/runs")" = 400 ] || fail "an undeclared input"
[ "$(code -X POST -d '{"skill":"echo","agent":"gemini","input":{"mode":"ok"}}' "$CORRAL_URL/v1/runs")" = 400 ] || fail "a bad agent"
[ "$(code -X POST -d '{"skill":"echo","route":"no","input":{"mode":"ok"}}' "$CORRAL_URL/v1/runs")" = 400 ] || fail "a bad route"
[ "$(code -X POST -d 'not json' "$CORRAL_URL/v1/runs")" = 400 ] || fail "not JSON"
[ "$(code -X POST -d '{"skill":"nosuch"}' "$CORRAL_URL/v1/runs")" = 404 ] || fail "an unknown skill"
[ "$(code "$CORRAL_URL/v1/runs/0123456789abcdef")" = 404 ] || fail "an unknown run"

# succeeded (the route's secret read from the secrets worker), failed
submit '{"skill":"echo","input":{"mode":"ok","secs":1,"flag":true}}'
OK=$RID
submit '{"skill":"echo","agent":"claude","route":null,"input":{"mode":"fail"}}'
FL=$RID
w "ok succeeded" 60 state_is "$OK" succeeded
w "fail failed" 60 state_is "$FL" failed
grep -q '"OPENAI_API_KEY": "sk-vg-secret-0123456789"' "$T/state/runs/$OK.log" ||
    fail "the secret did not reach the agent: $(cat "$T/state/runs/$OK.log")"
[ "$(code "$CORRAL_URL/v1/runs/$OK/logs?tail=3")" = 200 ] || fail "logs"
[ "$(code "$CORRAL_URL/v1/runs/$OK/logs?tail=x")" = 400 ] || fail "logs?tail=x"
[ "$(code "$CORRAL_URL/v1/runs?state=failed&skill=echo&limit=5")" = 200 ] && grep -q "$FL" "$T/body" || fail "GET /v1/runs"
[ "$(code -X POST "$CORRAL_URL/v1/runs/$OK/cancel")" = 409 ] || fail "cancel of an ended run"

# timed out
submit '{"skill":"echo","input":{"mode":"sleep","secs":30},"timeout_s":1}'
TO=$RID
# solo: one running (then canceled), one queued and canceled, one queued
# that runs once the first is gone
submit '{"skill":"solo","input":{"mode":"spawn","secs":60}}'
S1=$RID
w "S1 running" 60 state_is "$S1" running
grandchild "$S1"
G1=$GPID
submit '{"skill":"solo","input":{"mode":"ok"}}'
S2=$RID
submit '{"skill":"solo","input":{"mode":"ok"}}'
S3=$RID
state_is "$S2" queued || fail "S2 not queued"
[ "$(code -X POST "$CORRAL_URL/v1/runs/$S2/cancel")" = 202 ] || fail "cancel of a queued run: $(cat "$T/body")"
state_is "$S2" canceled || fail "S2 not canceled"
[ "$(code -X POST "$CORRAL_URL/v1/runs/$S1/cancel")" = 202 ] || fail "cancel of a running run: $(cat "$T/body")"
w "S1 canceled" 60 state_is "$S1" canceled
w "S1's grandchild gone" 30 gone "$G1"
w "S3 ran after S1" 60 state_is "$S3" succeeded
w "timed out" 60 state_is "$TO" timed_out

# corralctl
ctl skills > "$T/ctl.out" 2>&1 || fail "corralctl skills: $(cat "$T/ctl.out")"
ctl skills echo > "$T/ctl.out" 2>&1 || fail "corralctl skills echo: $(cat "$T/ctl.out")"
ctl agents > "$T/ctl.out" 2>&1 || fail "corralctl agents: $(cat "$T/ctl.out")"
ctl runs > "$T/ctl.out" 2>&1 || fail "corralctl runs: $(cat "$T/ctl.out")"
ctl run echo --input '{"mode":"ok"}' --wait > "$T/ctl.out" 2>&1 || fail "corralctl run --wait: $(cat "$T/ctl.out")"
ctl runs show "$OK" > "$T/ctl.out" 2>&1 || fail "corralctl runs show: $(cat "$T/ctl.out")"
ctl runs logs "$OK" --tail 2 > "$T/ctl.out" 2>&1 || fail "corralctl runs logs: $(cat "$T/ctl.out")"
ctl runs cancel "$OK" > "$T/ctl.out" 2>&1
[ $? = 1 ] || fail "corralctl runs cancel of an ended run: $(cat "$T/ctl.out")"
ctl run > "$T/ctl.out" 2>&1
[ $? = 2 ] || fail "corralctl run without a skill: $(cat "$T/ctl.out")"

# SIGHUP: a new skill
mkdir -p "$S/late"
printf '{"name": "late", "agents": ["codex"]}\n' > "$S/late/skill.json"
printf 'Late.\n' > "$S/late/SKILL.md"
kill -HUP "$PID"
w "late listed" 60 sh -c "curl -s -H '$A' $CORRAL_URL/v1/skills | grep -q '\"late\"'"
submit '{"skill":"late"}'
w "late succeeded" 60 state_is "$RID" succeeded

# kill -9 of the worker with a run running and one queued
submit '{"skill":"solo","input":{"mode":"spawn","secs":60}}'
K1=$RID
w "K1 running" 60 state_is "$K1" running
grandchild "$K1"
KG=$GPID
submit '{"skill":"solo","input":{"mode":"ok"}}'
K2=$RID
kill -KILL "$WPID"
new_worker() { p=$(e2e_worker skills pid); [ -n "$p" ] && [ "$p" != "$WPID" ] && skills_ready; }
w "the skills worker back" 90 new_worker
WPID=$(e2e_worker skills pid)
w "K1 failed" 60 state_is "$K1" failed
w "K1's grandchild gone" 30 gone "$KG"
w "K2 succeeded" 60 state_is "$K2" succeeded

# a stop with a run running
submit '{"skill":"solo","input":{"mode":"spawn","secs":60}}'
Q0=$RID
w "Q0 running" 60 state_is "$Q0" running
grandchild "$Q0"
QG=$GPID
kill -TERM "$PID"
e2e_wait_exit 90
[ "$RC" = 0 ] || fail "exit code $RC (99: valgrind found errors)"
w "Q0's grandchild gone with corral" 5 gone "$QG"
[ -f "$T/vg.$WPID" ] || fail "the skills worker ($WPID) did not run under valgrind"
# the worker killed with -9 wrote no summary: its file has none to check
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost|indirectly lost|Invalid (read|write)|uninitialised|Syscall param' "$T"/vg.* 2>/dev/null)
if [ -n "$bad" ]; then
	for f in $bad; do sed 's/^/    /' "$f"; done
	fail "valgrind reports in: $bad"
fi
e2e_log "$(ls "$T"/vg.* | wc -l) processes checked"
e2e_pass
