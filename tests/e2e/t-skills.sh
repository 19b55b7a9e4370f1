#!/bin/bash
# The skills worker (docs/skills.md) driven as a user would: the real
# daemon with the http, secrets and skills workers, a skills_dir of three
# skills (echo: every input type, a route with a secret; solo:
# max_running 1; other: a route without a secret) and a folder of agent
# CLIs that are all tests/skills/fake-agent (codex, claude, gemini; iflow
# missing until the reload):
#  0. a skill that does not check stops corral and check-config (exit 2,
#     one line naming the file and the field);
#  1. GET /v1/skills (what is not a skill is ignored), /v1/skills/{name}
#     with its prompt, /v1/agents and agent_status.json;
#  2. runs that succeed, one per agent and route kind: 202 + Location, the
#     record, the exact argv (model flag, prompt, "Input (JSON):" line),
#     the exact environment (the secret in the key variable, the base
#     URL), cwd, descriptors, process group, no_new_privs, no
#     capabilities, umask, limits, input.json, /logs, file modes;
#  3. failed (exit 3), timed_out (its grandchild, deaf to SIGTERM, gets
#     the SIGKILL too), write_outside under Landlock;
#  4. refusals: bad inputs 400 naming the field, unknown skill or run 404,
#     agent not installed 503, read-only token 403, no token 401;
#  5. the policy: solo's max_running 1 serializes its runs while another
#     skill's run passes them, skills_max_running 3, skills_max_queued 3
#     (429 queue_full), cancel of a queued and a running run (grandchild
#     gone), 409 on an ended one; GET /v1/runs with its filters;
#  6. corralctl skills, agents, runs, run --wait, runs show|logs|cancel,
#     bad arguments (exit 2, one line);
#  7. SIGHUP: a new skill and a new agent; a changed prompt does not touch
#     a queued run; a broken registry is refused and the old one stays;
#  8. kill -9 of the skills worker with a run running: failed with "the
#     skills worker restarted while it ran", its process group gone, the
#     queued runs complete;
#  9. SIGTERM of corral with a run running: failed ("corral shut down while
#     it ran"), the queued ones stay queued (runs.db) and complete after
#     the next start on the same state_root;
# 10. retention: skills_retention_days = 1 and a SIGHUP prune two runs
#     ended "3 days ago" (runs.db edited): 404, no folder, no log, no row;
#     a run ended minutes ago, a queued and a running one created "3 days
#     ago" stay;
# 11. at the end every run in runs.db once, each in one terminal state.
. "$(dirname "$0")/lib.sh"
e2e_setup
T0=$(date +%s%N)
# a python3 that starts fast (not a pyenv shim), for lib.sh's e2e_json too
if [ -x /usr/bin/python3 ]; then
	mkdir "$T/bin" && ln -s /usr/bin/python3 "$T/bin/python3" && PATH="$T/bin:$PATH"
fi
FAKEAGENT="$TOP/tests/skills/fake-agent"
SKILLS_BIN="$BUILD/libexec/corral/skills"
OUTSIDE=/var/tmp/corral-skills-e2e.$$
trap 'rm -f "$OUTSIDE"; e2e_cleanup' EXIT

# fail MSG - e2e_fail with the line of the failing check (and its caller's)
fail() {
	l="line ${BASH_LINENO[0]}"
	[ "${BASH_LINENO[1]:-0}" != 0 ] && l="$l (called from line ${BASH_LINENO[1]})"
	e2e_fail "$l: $*"
}
# w DESC SECS CMD... - e2e_wait, the line in the description
w() { e2e_wait "line ${BASH_LINENO[0]}: $1" "${@:2}"; }
[ -x "$FAKEAGENT" ] || fail "$FAKEAGENT is not executable"
[ -x "$SKILLS_BIN" ] || fail "no skills worker: $SKILLS_BIN"
[ -x /usr/bin/python3 ] || fail "the fake agent needs /usr/bin/python3"

# --- the skills, the agents, the routes, a secret ---------------------------
S="$T/skills"
mkdir -p "$S/echo" "$S/solo" "$S/other" "$S/notes" "$S/.hidden" "$T/agents"
cat > "$S/echo/skill.json" <<'EOF'
{"name": "echo", "description": "Reports what it was given",
 "agents": ["codex", "claude", "gemini", "iflow"],
 "prompt_file": "PROMPT.md",
 "inputs": {
   "mode": {"type": "string", "required": true, "max_length": 16,
            "description": "what the fake agent does"},
   "note": {"type": "string", "max_length": 8},
   "secs": {"type": "number"},
   "flag": {"type": "boolean"},
   "ignore_term": {"type": "boolean"},
   "outside": {"type": "string"}},
 "route": "gpt"}
EOF
printf 'Echo what you are given.\nSecond line: \303\274n\303\257c\303\270de.\n' > "$S/echo/PROMPT.md"
cat > "$S/solo/skill.json" <<'EOF'
{"name": "solo", "agents": ["claude"],
 "inputs": {"mode": {"type": "string", "required": true},
            "secs": {"type": "number"}},
 "timeout_s": 120, "max_running": 1}
EOF
printf 'Solo prompt, version 1.\n' > "$S/solo/SKILL.md"
cat > "$S/other/skill.json" <<'EOF'
{"name": "other", "description": "Another skill", "agents": ["gemini"],
 "inputs": {"mode": {"type": "string", "required": true},
            "secs": {"type": "number"},
            "ignore_term": {"type": "boolean"}},
 "route": "local"}
EOF
printf 'Other prompt.\n' > "$S/other/SKILL.md"
# not skills: a folder without skill.json, a dot folder, a file
printf 'just notes\n' > "$S/notes/README"
printf '{"name": "hidden", "bogus": 1}\n' > "$S/.hidden/skill.json"
printf 'a file\n' > "$S/README.txt"
for a in codex claude gemini; do ln -s "$FAKEAGENT" "$T/agents/$a"; done

cat > "$T/routes.json" <<'EOF'
{"routes": [
  {"name": "gpt", "provider": "openai", "base_url": "https://api.example.test/v1",
   "model": "gpt-e2e", "secret": "openai.e2e"},
  {"name": "local", "provider": "ollama", "base_url": "http://127.0.0.1:11434",
   "model": "llama-e2e"}]}
EOF
SECRET=sk-skills-e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
"$CORRAL" secrets generate > "$T/master.key" || fail "secrets generate"
chmod 600 "$T/master.key"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/master.key"
unset CORRAL_AUTH_STORE_MASTER_KEY
SECRET=$SECRET "$CORRAL" secrets set openai.e2e --offline --state-root "$T/state" \
    --provider openai --from-env SECRET >/dev/null || fail "secrets set --offline"

ADMIN=admin-token-skills-e2e-0123456789
RO=readonly-token-skills-e2e-0123456
printf '%s\n' "$ADMIN" > "$T/admin.tok"
printf '%s\n' "$RO" > "$T/ro.tok"
chmod 600 "$T/admin.tok" "$T/ro.tok"
e2e_token() { cat "$T/admin.tok"; }
A="Authorization: Bearer $ADMIN"
R="Authorization: Bearer $RO"
printf 'worker http = on\nworker secrets = on\nworker skills = on\n' > "$T/corral.conf"
e2e_conf "skills_dir = $S" "skills_agent_path = $T/agents" \
    "routes_file = $T/routes.json" "skills_max_running = 3" \
    "skills_max_queued = 3" "skills_run_timeout = 60" "shutdown_timeout = 5"

# --- 0. a registry that does not check stops corral -------------------------
# refuse DESC DIR WANT - corral and corral check-config exit 2 with one line
refuse() {
	for sub in run check-config; do
		out=$(CORRAL_USER=root "$CORRAL" $sub --config "$T/corral.conf" \
		    --skills-dir "$2" --state-root "$T/s0" --workspace-root "$T/w0" 2>&1 >/dev/null)
		rc=$?
		[ "$rc" = 2 ] || fail "$1 ($sub): exit $rc, want 2: $out"
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "$1 ($sub): not one line: $out"
		printf '%s\n' "$out" | grep -qF -- "$3" || fail "$1 ($sub): got '$out', want '$3'"
	done
}
mkdir -p "$T/bad1/summarize" "$T/bad2/summarize"
printf '{"name":"summarize","agents":["claude"],"inputs":{"text":{"type":"int"}}}\n' \
    > "$T/bad1/summarize/skill.json"
printf 'x\n' > "$T/bad1/summarize/SKILL.md"
refuse "an input of a bad type" "$T/bad1" \
    "skills_dir: $T/bad1/summarize/skill.json: inputs.text.type: want \"string\", \"number\" or \"boolean\""
printf '{"name":"summarise","agents":["claude"]}\n' > "$T/bad2/summarize/skill.json"
printf 'x\n' > "$T/bad2/summarize/SKILL.md"
refuse "a name that is not the folder's" "$T/bad2" "skills_dir: $T/bad2/summarize/skill.json: name: "
CORRAL_USER=root "$CORRAL" check-config --config "$T/corral.conf" --state-root "$T/s0" \
    --workspace-root "$T/w0" > "$T/check.out" 2>&1 || fail "check-config of the test's registry: $(cat "$T/check.out")"

# --- helpers ------------------------------------------------------------------
# req METHOD PATH [curl args] - admin call: status on stdout, body in
# $T/body, headers in $T/hdr
req() {
	local m=$1 p=$2
	shift 2
	curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' --max-time 10 -X "$m" \
	    -H "$A" "$@" "$CORRAL_URL$p"
}
jb() { e2e_json "$1" < "$T/body"; }
get() { curl -s --max-time 10 -H "$A" "$CORRAL_URL$1"; }
# rj ID EXPR - an expression over GET /v1/runs/ID (j)
rj() { get "/v1/runs/$1" | e2e_json "$2"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
ALL_IDS=
# submit BODY - POST /v1/runs, which must say 202 with a Location; the
# run's id in RID
submit() {
	local c
	c=$(req POST /v1/runs -H 'Content-Type: application/json' -d "$1")
	[ "$c" = 202 ] || fail "POST /v1/runs $1: $c, want 202: $(cat "$T/body")"
	set -- $(jb "j['id'] + ' ' + j['state']")
	RID=${1:-}
	[[ "$RID" =~ ^[0-9a-f]{16}$ ]] || fail "run id '$RID': $(cat "$T/body")"
	tr -d '\r' < "$T/hdr" | grep -qix "location: /v1/runs/$RID" ||
	    fail "no Location: /v1/runs/$RID: $(cat "$T/hdr")"
	case "${2:-}" in queued|running) ;;
	*) fail "a new run is '${2:-}': $(cat "$T/body")" ;; esac
	ALL_IDS="$ALL_IDS $RID"
}
# refused CODE FIELD BODY - POST /v1/runs is CODE with error.field FIELD
# (- for no check of the field)
refused() {
	local c
	c=$(req POST /v1/runs -d "$3")
	[ "$c" = "$1" ] || fail "POST /v1/runs $3: $c, want $1: $(cat "$T/body")"
	[ "$2" = - ] || [ "$(jb "j['error'].get('field')")" = "$2" ] ||
	    fail "POST /v1/runs $3: want field $2: $(cat "$T/body")"
}
state_of() { rj "$1" "j['state']"; }
# wait_state ID STATE [SECS] - poll until the run is in STATE; another
# terminal state on the way fails at once
wait_state() {
	local id=$1 want=$2 end=$(( $(ms) + ${3:-15} * 1000 )) s
	while :; do
		s=$(state_of "$id")
		[ "$s" = "$want" ] && return 0
		case "$s" in succeeded|failed|timed_out|canceled)
			fail "run $id ended $s, want $want: $(get "/v1/runs/$id")" ;;
		esac
		[ "$(ms)" -lt "$end" ] || fail "run $id is '$s' after ${3:-15} s, want $want: $(get "/v1/runs/$id")"
		kill -0 "$PID" 2>/dev/null || fail "the daemon exited"
		sleep 0.05
	done
}
# alive PID - the process exists and is not a zombie
alive() {
	local st
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}
gone() { ! alive "$1"; }
# grandchild ID - the pid the fake agent of run ID wrote (waits for it)
grandchild() {
	w "grandchild.pid of $1" 10 test -s "$T/workspace/runs/$1/grandchild.pid"
	GPID=$(cat "$T/workspace/runs/$1/grandchild.pid")
	alive "$GPID" || fail "the grandchild $GPID of run $1 is not running"
}
skills_ready() { [ "$(e2e_worker skills state)" = ready ]; }
start() {
	[ -f "$T/log" ] && cat "$T/log" >> "$T/log.old"
	CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" CORRAL_READONLY_TOKEN_FILE="$T/ro.tok" e2e_start
	w "ready" 20 e2e_ready
	w "the skills worker ready" 20 skills_ready
}
stop() {
	kill -TERM "$PID"
	e2e_wait_exit 20
	[ "$RC" = 0 ] || fail "corral exited $RC"
}
DB="$T/state/runs.db"
# db SQL - a query on runs.db (with corral stopped, but for step 10); $STATE
# is the state's name (runs_db.c keeps enum run_state)
db() { sqlite3 -batch -noheader -cmd '.timeout 5000' "$DB" "$1"; }
STATE="CASE state WHEN 0 THEN 'queued' WHEN 1 THEN 'running' WHEN 2 THEN 'succeeded'
    WHEN 3 THEN 'failed' WHEN 4 THEN 'timed_out' WHEN 5 THEN 'canceled' ELSE state END"
HAVE_SQLITE=1
if ! command -v sqlite3 >/dev/null; then
	# scripts/deps.sh test installs it; CI must not lose these checks
	[ "${CORRAL_REQUIRE_ALL:-0}" = 1 ] &&
	    e2e_fail "no sqlite3 CLI (scripts/deps.sh test installs it): runs.db and retention would go unchecked"
	HAVE_SQLITE=
	e2e_log "note: no sqlite3 CLI: runs.db is checked through the API only, retention not at all"
fi
LANDLOCK=$(python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print(max(l.syscall(444, None, 0, 1), 0))')
[ "$LANDLOCK" -gt 0 ] || e2e_log "note: this kernel has no Landlock: the sandbox checks expect \"basic\""

# check_report ID SKILL AGENT ROUTE MODEL KEYVAR BASEVAR BASE PROMPTFILE
# - the record, the fake agent's report in its log and the run's files
# (KEYVAR -: no key variable; BASEVAR -: no route variables)
check_report() {
	get "/v1/runs/$1" > "$T/rec.json"
	get "/v1/runs/$1/logs?tail=all" > "$T/logs.txt"
	python3 - "$T" "$FAKEAGENT" "$SECRET" "$LANDLOCK" "$@" <<'PY' || fail "run $1 (the log above)"
import json, os, stat, sys
t, fake, secret, landlock, rid, skill, agent, route, model, keyvar, basevar, base, pfile = sys.argv[1:]
rec = json.load(open(t + "/rec.json"))
logpath = "%s/state/runs/%s.log" % (t, rid)
cwd = "%s/workspace/runs/%s" % (t, rid)
log = open(logpath).read()
def bad(msg):
    print("run %s: %s" % (rid, msg))
    print("record: " + json.dumps(rec))
    print("log:\n" + log.replace(secret, "<SECRET>"))
    sys.exit(1)
def want(cond, msg):
    if not cond:
        bad(msg)
route = None if route == "-" else route
model = None if model == "-" else model
# the record
keys = {"id", "skill", "agent", "route", "model", "state", "created_at", "started_at",
        "ended_at", "timeout_s", "exit_code", "signal", "error", "pid", "sandbox",
        "log_bytes", "input"}
want(set(rec) == keys, "record members %s" % sorted(set(rec) ^ keys))
want(rec["id"] == rid and rec["skill"] == skill and rec["agent"] == agent, "id, skill, agent")
want(rec["route"] == route and rec["model"] == model, "route %r model %r" % (route, model))
want(rec["state"] == "succeeded" and rec["exit_code"] == 0, "state and exit_code")
want(rec["signal"] is None and rec["error"] is None and rec["pid"] is None, "signal, error, pid")
want(rec["sandbox"] == ("landlock" if landlock != "0" else "basic"), "sandbox")
for k in ("created_at", "started_at", "ended_at"):
    want(isinstance(rec[k], str) and rec[k].endswith("Z") and len(rec[k]) == 24, k)
want(rec["created_at"] <= rec["started_at"] <= rec["ended_at"], "times out of order")
want(rec["log_bytes"] == os.path.getsize(logpath), "log_bytes %r, the file %d" % (rec["log_bytes"], os.path.getsize(logpath)))
# the API's log is the file
want(open(t + "/logs.txt").read() == log, "GET logs?tail=all is not the log file")
rep = {}
for l in log.splitlines():
    tag, _, v = l.partition(" ")
    if tag in ("ARGV", "ENV", "CWD", "FDS", "PROC", "LIMITS"):
        rep[tag] = json.loads(v)
want(len(rep) == 6, "the report is incomplete")
want("STDERR a line on standard error" in log, "standard error is not in the log")
# argv: the path found in skills_agent_path, then the table's arguments
argv = rep["ARGV"]
want(argv[0] == "%s/agents/%s" % (t, agent), "argv[0] %r" % argv[0])
prompt = argv[-1]
mflag = {"codex": "-m", "gemini": "-m", "iflow": "-m", "claude": "--model"}[agent]
m = [mflag, model] if model else []
exp = {"codex": ["exec", "--skip-git-repo-check", "--sandbox", "workspace-write"] + m + [prompt],
       "gemini": ["--yolo"] + m + ["-p", prompt],
       "iflow": ["--yolo"] + m + ["-p", prompt],
       "claude": ["-p", "--dangerously-skip-permissions"] + m + [prompt]}[agent]
want(argv[1:] == exp, "argv %r, want %r" % (argv[1:], exp))
# the prompt: the file, an empty line, "Input (JSON):", the input on one line
head = open(pfile, encoding="utf-8").read().rstrip("\n") + "\n\nInput (JSON):\n"
want(prompt.startswith(head), "the prompt does not start with the prompt file, an empty line and 'Input (JSON):': %r" % prompt)
line = prompt[len(head):].rstrip("\n")
want("\n" not in line and json.loads(line) == rec["input"], "the input line %r, input %r" % (line, rec["input"]))
want(json.load(open(cwd + "/input.json")) == rec["input"], "input.json")
# the environment, exactly
env = {"PATH": t + "/agents", "HOME": "%s/state/agents/%s" % (t, agent),
       "TMPDIR": cwd + "/.tmp", "LANG": "C.UTF-8", "NO_COLOR": "1",
       "CORRAL_RUN_ID": rid, "CORRAL_SKILL": skill}
if keyvar != "-":
    env[keyvar] = secret
if basevar != "-":
    env[basevar] = base
got = rep["ENV"]
if got != env:
    extra = sorted(set(got) - set(env))
    missing = sorted(set(env) - set(got))
    diff = sorted(k for k in set(env) & set(got) if env[k] != got[k])
    bad("environment: extra %s, missing %s, different %s" % (extra, missing, diff))
want(os.path.isdir(env["TMPDIR"]), "TMPDIR is not there")
want(rep["CWD"] == cwd, "cwd %r" % rep["CWD"])
# descriptors: stdin /dev/null, stdout and stderr one, nothing of corral's
fds = rep["FDS"]
want(fds.get("0") == "/dev/null", "stdin %r" % fds.get("0"))
want(fds.get("1") == fds.get("2") and fds.get("1"), "stdout %r stderr %r" % (fds.get("1"), fds.get("2")))
want(fds["1"] == logpath or fds["1"].startswith("pipe:"), "stdout %r" % fds["1"])
real = os.path.realpath(fake)
for f, target in fds.items():
    if f in ("0", "1", "2"):
        continue
    # the shell's own: dash keeps the script and /dev/null at 10 and up
    want(int(f) >= 10 and target in (real, "/dev/null", "%s/agents/%s" % (t, agent)),
         "descriptor %s -> %s leaked into the agent" % (f, target))
p = rep["PROC"]
want(p["pgid"] == p["pid"], "not a process group of its own: %r" % p)
want(p["NoNewPrivs"] == "1", "no_new_privs %r" % p["NoNewPrivs"])
want(int(p["CapEff"], 16) == 0 and int(p["CapPrm"], 16) == 0, "capabilities %r" % p)
want(p["Umask"] == "0077", "umask %r" % p["Umask"])
lim = rep["LIMITS"]
want(lim["Max core file size"][0] == "0", "core size %r" % lim["Max core file size"])
nofile = lim["Max open files"]
want(all(v != "unlimited" and int(v) <= 1024 for v in nofile), "open files %r" % nofile)
# file modes
for path, mode in ((logpath, 0o600), (cwd, 0o700), (env["HOME"], 0o700)):
    got_mode = stat.S_IMODE(os.stat(path).st_mode)
    want(got_mode == mode, "%s mode %o, want %o" % (path, got_mode, mode))
PY
}

# =============================================================================
start
WPID=$(e2e_worker skills pid)

# --- 1. the registry and the agents ---------------------------------------------
[ "$(req GET /v1/skills)" = 200 ] || fail "GET /v1/skills: $(cat "$T/body")"
python3 - "$T/body" <<'PY' || fail "GET /v1/skills: $(cat "$T/body")"
import json, sys
j = json.load(open(sys.argv[1]))
names = [s["name"] for s in j["skills"]]
assert names == ["echo", "other", "solo"], names
by = {s["name"]: s for s in j["skills"]}
for s in j["skills"]:
    assert set(s) == {"name", "description", "agents", "route", "timeout_s",
                      "max_running", "inputs"}, s
    assert "prompt" not in s
e = by["echo"]
assert e["description"] == "Reports what it was given", e
assert e["agents"] == ["codex", "claude", "gemini", "iflow"], e
assert e["route"] == "gpt" and e["timeout_s"] is None and e["max_running"] is None, e
ins = {i["name"]: i for i in e["inputs"]}
assert set(ins) == {"mode", "note", "secs", "flag", "ignore_term", "outside"}, ins
for i in e["inputs"]:
    assert set(i) == {"name", "type", "required", "max_length", "description"}, i
assert ins["mode"] == {"name": "mode", "type": "string", "required": True,
                       "max_length": 16, "description": "what the fake agent does"}, ins["mode"]
assert ins["note"]["max_length"] == 8 and ins["note"]["required"] is False, ins["note"]
assert ins["outside"]["max_length"] == 65536, ins["outside"]
assert ins["secs"]["type"] == "number" and ins["flag"]["type"] == "boolean", ins
s = by["solo"]
assert s["agents"] == ["claude"] and s["route"] is None, s
assert s["timeout_s"] == 120 and s["max_running"] == 1, s
o = by["other"]
assert o["route"] == "local" and o["agents"] == ["gemini"], o
PY
[ "$(req GET /v1/skills/echo)" = 200 ] || fail "GET /v1/skills/echo: $(cat "$T/body")"
[ "$(jb "j['prompt']")" = "$(cat "$S/echo/PROMPT.md")" ] || fail "echo's prompt: $(cat "$T/body")"
[ "$(jb "j['name'], j['route'], len(j['inputs'])")" = "('echo', 'gpt', 6)" ] || fail "GET /v1/skills/echo: $(cat "$T/body")"
[ "$(req GET /v1/skills/nosuch)" = 404 ] && [ "$(jb "j['error']['code']")" = not_found ] ||
    fail "GET /v1/skills/nosuch: $(cat "$T/body")"
[ "$(req GET /v1/skills/hidden)" = 404 ] || fail "the dot folder is a skill: $(cat "$T/body")"
# agents_ok FILE IFLOW [CLAUDE] - the agents, in table order, iflow
# installed or not, none running but CLAUDE (default 0) runs of claude
agents_ok() {
	python3 - "$1" "$T" "$2" "${3:-0}" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
t, iflow, claude = sys.argv[2], sys.argv[3] == "true", int(sys.argv[4])
a = j["agents"]
assert [x["name"] for x in a] == ["codex", "gemini", "iflow", "claude"], a
for x in a:
    assert set(x) == {"name", "command", "path", "installed", "running"}, x
    assert x["command"] == x["name"], x
    inst = x["name"] != "iflow" or iflow
    assert x["installed"] is inst, x
    assert x["path"] == (t + "/agents/" + x["name"] if inst else None), x
    assert x["running"] == (claude if x["name"] == "claude" else 0), x
PY
}
[ "$(req GET /v1/agents)" = 200 ] && agents_ok "$T/body" false || fail "GET /v1/agents: $(cat "$T/body")"
agents_ok "$T/state/agent_status.json" false || fail "agent_status.json: $(cat "$T/state/agent_status.json")"

# --- 2. runs that succeed ---------------------------------------------------------
submit '{"skill": "echo", "input": {"mode": "ok", "note": "hi", "secs": 1.5, "flag": true}}'
E1=$RID
submit '{"skill": "echo", "agent": "claude", "route": null, "input": {"mode": "ok", "flag": false}}'
E2=$RID
submit '{"skill": "other", "input": {"mode": "ok"}}'
E3=$RID
submit '{"skill": "echo", "agent": "claude", "route": "gpt", "input": {"mode": "ok"}, "timeout_s": 30}'
E4=$RID
for r in $E1 $E2 $E3 $E4; do wait_state "$r" succeeded; done
check_report "$E1" echo codex gpt gpt-e2e OPENAI_API_KEY OPENAI_BASE_URL \
    https://api.example.test/v1 "$S/echo/PROMPT.md"
check_report "$E2" echo claude - - - - - "$S/echo/PROMPT.md"
check_report "$E3" other gemini local llama-e2e - GOOGLE_GEMINI_BASE_URL \
    http://127.0.0.1:11434 "$S/other/SKILL.md"
check_report "$E4" echo claude gpt gpt-e2e ANTHROPIC_API_KEY ANTHROPIC_BASE_URL \
    https://api.example.test/v1 "$S/echo/PROMPT.md"
# the timeouts: the skills_run_timeout, the skill's, the run's
[ "$(rj "$E1" "j['timeout_s'], j['input']")" = "(60, {'mode': 'ok', 'note': 'hi', 'secs': 1.5, 'flag': True})" ] ||
    fail "E1: $(get "/v1/runs/$E1")"
[ "$(rj "$E4" "j['timeout_s']")" = 30 ] || fail "E4's timeout_s: $(get "/v1/runs/$E4")"
# logs: text/plain, the last N lines
[ "$(req GET "/v1/runs/$E1/logs?tail=1")" = 200 ] || fail "logs?tail=1: $(cat "$T/body")"
tr -d '\r' < "$T/hdr" | grep -qi '^content-type: text/plain' || fail "logs content type: $(cat "$T/hdr")"
[ "$(cat "$T/body")" = "$(tail -n 1 "$T/state/runs/$E1.log")" ] ||
    fail "logs?tail=1: '$(cat "$T/body")', want '$(tail -n 1 "$T/state/runs/$E1.log")'"
[ "$(req GET "/v1/runs/$E1/logs")" = 200 ] && cmp -s "$T/body" "$T/state/runs/$E1.log" ||
    fail "logs (default 100 lines) is not the whole short log"
[ "$(req GET "/v1/runs/$E1/logs?tail=0")" = 200 ] && [ ! -s "$T/body" ] || fail "logs?tail=0: $(cat "$T/body")"
for q in -1 10001 x; do
	[ "$(req GET "/v1/runs/$E1/logs?tail=$q")" = 400 ] && [ "$(jb "j['error']['field']")" = tail ] ||
	    fail "logs?tail=$q: $(cat "$T/body")"
done
[ "$(stat -c %a "$T/state/runs.db")" = 600 ] || fail "runs.db mode $(stat -c %a "$T/state/runs.db")"
for f in "$T/state/runs.db-wal" "$T/state/runs.db-shm"; do
	[ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] || fail "$f mode $(stat -c %a "$f")"
done
[ "$(stat -c %a "$T/state/runs")" = 700 ] || fail "state_root/runs mode $(stat -c %a "$T/state/runs")"

# --- 3. failed, timed out, Landlock -----------------------------------------------------
# the timeout first: its grandchild ignores SIGTERM, the SIGKILL comes 5 s later
submit '{"skill": "other", "input": {"mode": "spawn", "secs": 30, "ignore_term": true}, "timeout_s": 1}'
TO=$RID
grandchild "$TO"	# alive until the SIGKILL, 5 s after the timeout
TOG=$GPID
submit '{"skill": "echo", "input": {"mode": "fail"}}'
F1=$RID
submit "{\"skill\": \"echo\", \"input\": {\"mode\": \"write_outside\", \"outside\": \"$OUTSIDE\"}}"
WO=$RID
wait_state "$F1" failed
[ "$(rj "$F1" "j['exit_code'], j['signal'], j['pid'], isinstance(j['error'], str) and len(j['error']) > 0")" = "(3, None, None, True)" ] ||
    fail "the failed run: $(get "/v1/runs/$F1")"
grep -q "failing on purpose" "$T/state/runs/$F1.log" || fail "the failed run's log: $(cat "$T/state/runs/$F1.log")"
wait_state "$WO" succeeded
if [ "$LANDLOCK" -gt 0 ]; then
	grep -qx "WRITE outside denied" "$T/state/runs/$WO.log" || fail "Landlock let the agent write $OUTSIDE: $(cat "$T/state/runs/$WO.log")"
	[ ! -e "$OUTSIDE" ] || fail "$OUTSIDE was created"
	[ "$(rj "$WO" "j['sandbox']")" = landlock ] || fail "sandbox: $(get "/v1/runs/$WO")"
else
	e2e_log "note: no Landlock here: not checking that $OUTSIDE could not be written"
	[ "$(rj "$WO" "j['sandbox']")" = basic ] || fail "sandbox: $(get "/v1/runs/$WO")"
fi
for l in "WRITE cwd ok" "WRITE home ok" "WRITE tmpdir ok" "WRITE tmp ok" "READ /etc/passwd ok"; do
	grep -qx "$l" "$T/state/runs/$WO.log" || fail "write_outside: no '$l': $(cat "$T/state/runs/$WO.log")"
done
wait_state "$TO" timed_out
python3 - "$(get "/v1/runs/$TO")" <<'PY' || fail "the timed out run: $(get "/v1/runs/$TO")"
import json, sys
from datetime import datetime
j = json.loads(sys.argv[1])
ts = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
assert j["timeout_s"] == 1 and j["pid"] is None and j["exit_code"] is None, j
assert j["signal"] in ("SIGTERM", "SIGKILL"), j
d = ts(j["ended_at"]) - ts(j["started_at"])
assert 0.9 <= d < 8, d
PY
t=$(ms)
w "the timed out run's grandchild (deaf to SIGTERM) killed" 9 gone "$TOG"
e2e_log "the grandchild was gone $(( $(ms) - t )) ms after timed_out"

# --- 4. refusals -------------------------------------------------------------------------
refused 400 input.mode '{"skill": "echo", "input": {}}'
refused 400 input.mode '{"skill": "echo", "input": {"note": "x"}}'
refused 400 input.bogus '{"skill": "echo", "input": {"mode": "ok", "bogus": 1}}'
refused 400 input.mode '{"skill": "echo", "input": {"mode": 5}}'
refused 400 input.secs '{"skill": "echo", "input": {"mode": "ok", "secs": "1"}}'
refused 400 input.flag '{"skill": "echo", "input": {"mode": "ok", "flag": "yes"}}'
refused 400 input.flag '{"skill": "echo", "input": {"mode": "ok", "flag": 1}}'
refused 400 input.note '{"skill": "echo", "input": {"mode": "ok", "note": "123456789"}}'
refused 400 input.mode '{"skill": "echo", "input": {"mode": "12345678901234567"}}'
refused 400 input '{"skill": "echo", "input": [1]}'
refused 400 input '{"skill": "echo", "input": "x"}'
python3 -c 'import json; print(json.dumps({"skill": "echo", "input": {"mode": "ok", "outside": "x" * 62000}}))' > "$T/big.json"
refused 400 input "@$T/big.json"
refused 400 agent '{"skill": "echo", "agent": "gpt", "input": {"mode": "ok"}}'
refused 400 agent '{"skill": "other", "agent": "codex", "input": {"mode": "ok"}}'
refused 400 agent '{"skill": "echo", "agent": 1, "input": {"mode": "ok"}}'
refused 400 route '{"skill": "echo", "route": "nosuch", "input": {"mode": "ok"}}'
refused 400 route '{"skill": "echo", "route": 5, "input": {"mode": "ok"}}'
for v in 0 86401 -1 1.5 '"10"' true; do
	refused 400 timeout_s "{\"skill\": \"echo\", \"input\": {\"mode\": \"ok\"}, \"timeout_s\": $v}"
done
refused 400 skill '{"input": {"mode": "ok"}}'
refused 400 skill '{"skill": 7}'
refused 400 - 'not json'
refused 400 - '[1]'
refused 404 - '{"skill": "nosuch", "input": {}}'
[ "$(jb "j['error']['code']")" = not_found ] || fail "unknown skill: $(cat "$T/body")"
# an agent the skill allows but that is not installed
refused 503 - '{"skill": "echo", "agent": "iflow", "input": {"mode": "ok"}}'
[ "$(jb "j['error']['code']")" = unavailable ] || fail "iflow not installed: $(cat "$T/body")"
for p in /v1/runs/zzzz /v1/runs/0123456789abcdef /v1/runs/0123456789ABCDEF \
    "/v1/runs/$E1"0 /v1/runs/0123456789abcdef/logs; do
	[ "$(req GET "$p")" = 404 ] || fail "GET $p: $(cat "$T/body")"
done
[ "$(req POST /v1/runs/0123456789abcdef/cancel)" = 404 ] && [ "$(jb "j['error']['code']")" = not_found ] ||
    fail "cancel of an unknown run: $(cat "$T/body")"
# the read-only token reads, does not submit or cancel; no token: 401
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
for p in /v1/skills /v1/skills/echo /v1/agents /v1/runs "/v1/runs/$E1" "/v1/runs/$E1/logs"; do
	[ "$(code -H "$R" "$CORRAL_URL$p")" = 200 ] || fail "read-only GET $p"
	[ "$(code "$CORRAL_URL$p")" = 401 ] || fail "GET $p without a token"
done
[ "$(code -X POST -H "$R" -d '{"skill":"echo","input":{"mode":"ok"}}' "$CORRAL_URL/v1/runs")" = 403 ] ||
    fail "read-only POST /v1/runs not 403"
[ "$(code -X POST -H "$R" "$CORRAL_URL/v1/runs/$E1/cancel")" = 403 ] || fail "read-only cancel not 403"
[ "$(code -X POST -d '{"skill":"echo"}' "$CORRAL_URL/v1/runs")" = 401 ] || fail "POST without a token"

# --- 5. the policy ----------------------------------------------------------------------------
# solo has max_running 1: SB waits for SA while other's run passes it.
# SA, X and Y run until they are canceled, so nothing here hangs on time.
submit '{"skill": "solo", "input": {"mode": "spawn", "secs": 60}}'
SA=$RID
wait_state "$SA" running
submit '{"skill": "solo", "input": {"mode": "ok"}}'
SB=$RID
submit '{"skill": "other", "input": {"mode": "ok"}}'
OC=$RID
wait_state "$OC" succeeded
[ "$(state_of "$SB")" = queued ] || fail "SB is $(state_of "$SB") while SA runs"
# skills_max_queued 3: SB, SD, SE wait; the next is 429
submit '{"skill": "solo", "input": {"mode": "ok"}}'
SD=$RID
submit '{"skill": "solo", "input": {"mode": "ok"}}'
SE=$RID
refused 429 - '{"skill": "solo", "input": {"mode": "ok"}}'
[ "$(jb "j['error']['code']")" = queue_full ] || fail "queue full: $(cat "$T/body")"
[ "$(req GET '/v1/runs?state=queued')" = 200 ] && [ "$(jb "sorted(r['id'] for r in j['runs']), j['counts']['queued']")" = \
    "$(python3 -c "import sys; print((sorted(sys.argv[1:]), 3))" "$SB" "$SD" "$SE")" ] || fail "the queue: $(cat "$T/body")"
# cancel of a queued run: canceled at once
[ "$(req POST "/v1/runs/$SD/cancel")" = 202 ] && [ "$(jb "j['state'], j['id']")" = "('canceled', '$SD')" ] ||
    fail "cancel of a queued run: $(cat "$T/body")"
[ "$(rj "$SD" "j['state'], j['started_at'], j['ended_at'] is not None, j['sandbox'], j['pid']")" = \
    "('canceled', None, True, None, None)" ] || fail "the canceled queued run: $(get "/v1/runs/$SD")"
[ "$(req POST "/v1/runs/$SE/cancel")" = 202 ] || fail "cancel of SE: $(cat "$T/body")"
[ "$(state_of "$SE")" = canceled ] || fail "SE: $(get "/v1/runs/$SE")"
[ ! -e "$T/state/runs/$SD.log" ] || [ ! -s "$T/state/runs/$SD.log" ] || fail "a canceled queued run has a log"
# skills_max_running 3: SA, X and Y run; Z waits for a slot
submit '{"skill": "other", "input": {"mode": "spawn", "secs": 60}}'
X=$RID
wait_state "$X" running
submit '{"skill": "other", "input": {"mode": "spawn", "secs": 60}}'
Y=$RID
wait_state "$Y" running
submit '{"skill": "other", "input": {"mode": "ok"}}'
Z=$RID
[ "$(state_of "$Z")" = queued ] || fail "Z is $(state_of "$Z") with SA, X and Y running"
[ "$(req GET /v1/runs)" = 200 ] && [ "$(jb "j['counts']['running'], j['counts']['queued']")" = "(3, 2)" ] ||
    fail "counts: $(cat "$T/body")"
[ "$(req GET /v1/agents)" = 200 ] &&
    [ "$(jb "[(a['name'], a['running']) for a in j['agents']]")" = \
    "[('codex', 0), ('gemini', 2), ('iflow', 0), ('claude', 1)]" ] || fail "agents running: $(cat "$T/body")"
# X gone: Z takes its slot, SB still waits for SA
[ "$(req POST "/v1/runs/$X/cancel")" = 202 ] || fail "cancel of X: $(cat "$T/body")"
wait_state "$Z" succeeded
[ "$(state_of "$SB")" = queued ] || fail "SB is $(state_of "$SB") with a slot free and SA running"
[ "$(req POST "/v1/runs/$SA/cancel")" = 202 ] || fail "cancel of SA: $(cat "$T/body")"
wait_state "$SB" succeeded
[ "$(rj "$SB" "j['timeout_s']")" = 120 ] || fail "SB has not solo's timeout_s: $(get "/v1/runs/$SB")"
[ "$(req POST "/v1/runs/$Y/cancel")" = 202 ] || fail "cancel of Y: $(cat "$T/body")"
for r in $SA $X $Y; do wait_state "$r" canceled; done
# SB after SA; OC passed SB; Z after X
python3 - "$(get "/v1/runs/$SA")" "$(get "/v1/runs/$SB")" "$(get "/v1/runs/$OC")" \
    "$(get "/v1/runs/$X")" "$(get "/v1/runs/$Y")" "$(get "/v1/runs/$Z")" <<'PY' || fail "the order of the runs (above)"
import json, sys
from datetime import datetime
sa, sb, oc, x, y, z = (json.loads(a) for a in sys.argv[1:])
ts = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
def show():
    for n, r in zip(("SA", "SB", "OC", "X", "Y", "Z"), (sa, sb, oc, x, y, z)):
        print(n, r["state"], r["created_at"], r["started_at"], r["ended_at"])
try:
    assert ts(sb["started_at"]) >= ts(sa["ended_at"]), "SB started before SA ended"
    assert ts(sb["created_at"]) < ts(oc["created_at"]), "OC was submitted after SB"
    assert ts(oc["ended_at"]) < ts(sa["ended_at"]), "OC did not pass SB"
    assert ts(z["started_at"]) >= ts(x["ended_at"]), "Z started before X ended"
    assert ts(z["ended_at"]) < ts(y["ended_at"]), "Z did not run beside Y"
except AssertionError as e:
    show()
    raise
PY
# cancel of a running run: the agent's process group goes
submit '{"skill": "other", "input": {"mode": "spawn", "secs": 30}}'
CR=$RID
wait_state "$CR" running
grandchild "$CR"
CRG=$GPID
CRP=$(rj "$CR" "j['pid']")
[ "$CRP" = "$(cat "$T/workspace/runs/$CR/agent.pid")" ] || fail "the run's pid $CRP is not the agent's $(cat "$T/workspace/runs/$CR/agent.pid")"
[ "$(req POST "/v1/runs/$CR/cancel")" = 202 ] || fail "cancel of a running run: $(cat "$T/body")"
case "$(jb "j['state']")" in running|canceled) ;; *) fail "cancel answer: $(cat "$T/body")" ;; esac
wait_state "$CR" canceled 8
[ "$(rj "$CR" "j['pid'], j['ended_at'] is not None")" = "(None, True)" ] || fail "the canceled run: $(get "/v1/runs/$CR")"
w "the canceled agent gone" 8 gone "$CRP"
w "the canceled agent's grandchild gone" 8 gone "$CRG"
# an ended run cannot be canceled
for r in $CR $E1 $F1 $TO $SD; do
	[ "$(req POST "/v1/runs/$r/cancel")" = 409 ] && [ "$(jb "j['error']['code']")" = conflict ] ||
	    fail "cancel of the ended run $r: $(cat "$T/body")"
done
[ "$(state_of "$E1")" = succeeded ] || fail "a refused cancel changed the run"
# the list: newest first, filters, counts
[ "$(req GET '/v1/runs?limit=1000')" = 200 ] || fail "GET /v1/runs: $(cat "$T/body")"
python3 - "$T/body" $ALL_IDS <<'PY' || fail "GET /v1/runs: $(head -c 3000 "$T/body")"
import json, sys
j = json.load(open(sys.argv[1]))
ids = sys.argv[2:]
runs = j["runs"]
assert sorted(r["id"] for r in runs) == sorted(ids), "the list is not every run submitted"
created = [r["created_at"] for r in runs]
assert created == sorted(created, reverse=True), "not newest first"
assert all("input" not in r for r in runs), "input in the list"
c = j["counts"]
assert set(c) == {"queued", "running", "succeeded", "failed", "timed_out", "canceled"}, c
for s in c:
    assert c[s] == sum(1 for r in runs if r["state"] == s), (s, c)
assert (c["failed"], c["timed_out"], c["canceled"], c["queued"], c["running"]) == (1, 1, 6, 0, 0), c
PY
[ "$(req GET '/v1/runs?state=succeeded&skill=echo&limit=2')" = 200 ] &&
    [ "$(jb "len(j['runs']), all(r['state'] == 'succeeded' and r['skill'] == 'echo' for r in j['runs'])")" = "(2, True)" ] ||
    fail "GET /v1/runs?state=succeeded&skill=echo&limit=2: $(cat "$T/body")"
[ "$(req GET '/v1/runs?skill=solo')" = 200 ] && [ "$(jb "len(j['runs'])")" = 4 ] || fail "?skill=solo: $(cat "$T/body")"
[ "$(req GET '/v1/runs?state=timed_out')" = 200 ] && [ "$(jb "[r['id'] for r in j['runs']]")" = "['$TO']" ] ||
    fail "?state=timed_out: $(cat "$T/body")"
for q in state=bogus limit=0 limit=1001 limit=x; do
	[ "$(req GET "/v1/runs?$q")" = 400 ] && [ "$(jb "j['error']['field']")" = "${q%%=*}" ] ||
	    fail "GET /v1/runs?$q: $(cat "$T/body")"
done

# --- 6. corralctl ----------------------------------------------------------------------------
ctl() { "$CORRALCTL" --timeout 30 --token-file "$T/admin.tok" "$@"; }
ctl skills > "$T/ctl.out" 2>&1 || fail "corralctl skills: $(cat "$T/ctl.out")"
for n in echo other solo; do
	grep -qE "^$n([[:space:]]|$)" "$T/ctl.out" || fail "corralctl skills: no $n: $(cat "$T/ctl.out")"
done
ctl skills echo > "$T/ctl.out" 2>&1 && grep -qF "Echo what you are given." "$T/ctl.out" ||
    fail "corralctl skills echo: $(cat "$T/ctl.out")"
ctl skills nosuch > "$T/ctl.out" 2>&1
[ $? = 1 ] || fail "corralctl skills nosuch: not exit 1: $(cat "$T/ctl.out")"
ctl agents > "$T/ctl.out" 2>&1 || fail "corralctl agents: $(cat "$T/ctl.out")"
grep -E "^codex[[:space:]]" "$T/ctl.out" | grep -qF "$T/agents/codex" && grep -qE "^iflow([[:space:]]|$)" "$T/ctl.out" ||
    fail "corralctl agents: $(cat "$T/ctl.out")"
ctl runs > "$T/ctl.out" 2>&1 && grep -q "$E1" "$T/ctl.out" && grep -q "$TO" "$T/ctl.out" ||
    fail "corralctl runs: $(cat "$T/ctl.out")"
ctl runs --state timed_out > "$T/ctl.out" 2>&1 && grep -q "$TO" "$T/ctl.out" && ! grep -q "$E1" "$T/ctl.out" ||
    fail "corralctl runs --state timed_out: $(cat "$T/ctl.out")"
ctl runs --skill solo --limit 1 > "$T/ctl.out" 2>&1 && [ "$(grep -cE '[0-9a-f]{16}' "$T/ctl.out")" = 1 ] ||
    fail "corralctl runs --skill solo --limit 1: $(cat "$T/ctl.out")"
ctl run echo --input '{"mode":"ok","note":"ctl"}' --wait > "$T/ctl.out" 2>&1 || fail "corralctl run --wait: exit $?: $(cat "$T/ctl.out")"
CTLID=$(grep -oE '[0-9a-f]{16}' "$T/ctl.out" | head -n 1)
[ -n "$CTLID" ] || fail "corralctl run --wait does not say the run's id: $(cat "$T/ctl.out")"
ALL_IDS="$ALL_IDS $CTLID"
[ "$(rj "$CTLID" "j['state'], j['input']['note']")" = "('succeeded', 'ctl')" ] || fail "the corralctl run: $(get "/v1/runs/$CTLID")"
ctl run echo --agent claude --route gpt --timeout 7 --input '{"mode":"fail"}' --wait > "$T/ctl.out" 2>&1
rc=$?
CTLF=$(grep -oE '[0-9a-f]{16}' "$T/ctl.out" | head -n 1)
[ -n "$CTLF" ] && ALL_IDS="$ALL_IDS $CTLF"
[ "$rc" = 1 ] || fail "corralctl run --wait of a run that fails: exit $rc, want 1: $(cat "$T/ctl.out")"
[ "$(rj "$CTLF" "j['state'], j['agent'], j['route'], j['timeout_s']")" = "('failed', 'claude', 'gpt', 7)" ] ||
    fail "the failed corralctl run: $(get "/v1/runs/$CTLF")"
ctl runs show "$E1" > "$T/ctl.out" 2>&1 && grep -q "$E1" "$T/ctl.out" && grep -q succeeded "$T/ctl.out" ||
    fail "corralctl runs show: $(cat "$T/ctl.out")"
ctl runs logs "$E1" > "$T/ctl.out" 2>&1 && grep -q '^ARGV ' "$T/ctl.out" || fail "corralctl runs logs: $(cat "$T/ctl.out")"
ctl runs logs "$E1" --tail 1 > "$T/ctl.out" 2>&1 && [ "$(cat "$T/ctl.out")" = "$(tail -n 1 "$T/state/runs/$E1.log")" ] ||
    fail "corralctl runs logs --tail 1: $(cat "$T/ctl.out")"
ctl run other --input '{"mode":"spawn","secs":30}' > "$T/ctl.out" 2>&1 || fail "corralctl run: $(cat "$T/ctl.out")"
CC=$(grep -oE '[0-9a-f]{16}' "$T/ctl.out" | head -n 1)
[ -n "$CC" ] || fail "corralctl run does not say the id: $(cat "$T/ctl.out")"
ALL_IDS="$ALL_IDS $CC"
wait_state "$CC" running
grandchild "$CC"
ctl runs cancel "$CC" > "$T/ctl.out" 2>&1 || fail "corralctl runs cancel: $(cat "$T/ctl.out")"
wait_state "$CC" canceled 8
w "the grandchild of the run canceled by corralctl gone" 8 gone "$GPID"
ctl runs cancel "$CC" > "$T/ctl.out" 2>&1
[ $? = 1 ] || fail "corralctl runs cancel of an ended run: not exit 1: $(cat "$T/ctl.out")"
"$CORRALCTL" --token-file "$T/ro.tok" run echo --input '{"mode":"ok"}' > "$T/ctl.out" 2>&1
[ $? = 1 ] || fail "corralctl run with the read-only token: not exit 1: $(cat "$T/ctl.out")"
# bad arguments: exit 2, one line
bad_args() {
	local rc
	ctl "$@" > "$T/ctl.out" 2>&1
	rc=$?
	[ "$rc" = 2 ] || fail "corralctl $*: exit $rc, want 2: $(cat "$T/ctl.out")"
	[ "$(wc -l < "$T/ctl.out")" = 1 ] || fail "corralctl $*: not one line: $(cat "$T/ctl.out")"
}
bad_args run
bad_args run echo --timeout abc
bad_args run echo --bogus
bad_args run echo --input
bad_args runs show
bad_args runs logs
bad_args runs cancel
bad_args runs logs "$E1" --tail x
bad_args runs --limit
bad_args runs frob

# --- 7. SIGHUP -----------------------------------------------------------------------------------
# a queued run keeps the prompt it was submitted with
submit '{"skill": "solo", "input": {"mode": "sleep", "secs": 1}}'
H1=$RID
wait_state "$H1" running
submit '{"skill": "solo", "input": {"mode": "ok"}}'
H2=$RID
printf 'Solo prompt, version 2.\n' > "$S/solo/SKILL.md.new"
cp "$S/solo/SKILL.md" "$T/solo-v1.md"
mv "$S/solo/SKILL.md.new" "$S/solo/SKILL.md"
mkdir -p "$S/late"
printf '{"name": "late", "agents": ["iflow", "codex"], "inputs": {"mode": {"type": "string"}}}\n' > "$S/late/skill.json"
printf 'Late prompt.\n' > "$S/late/SKILL.md"
ln -s "$FAKEAGENT" "$T/agents/iflow"
kill -HUP "$PID"
late_listed() { get /v1/skills | grep -q '"late"'; }
w "late listed after SIGHUP" 10 late_listed
iflow_in() { [ "$(get /v1/agents | e2e_json "[a['installed'] for a in j['agents'] if a['name'] == 'iflow'][0]")" = true ]; }
w "iflow installed after SIGHUP" 10 iflow_in
agents_ok "$T/state/agent_status.json" true 1 || fail "agent_status.json after SIGHUP: $(cat "$T/state/agent_status.json")"
[ "$(state_of "$H2")" = queued ] || fail "H2 is $(state_of "$H2"), want queued"
wait_state "$H2" succeeded
check_report "$H2" solo claude - - - - - "$T/solo-v1.md"
submit '{"skill": "solo", "input": {"mode": "ok"}}'
H3=$RID
wait_state "$H3" succeeded
check_report "$H3" solo claude - - - - - "$S/solo/SKILL.md"
submit '{"skill": "late"}'
L1=$RID
wait_state "$L1" succeeded
check_report "$L1" late iflow - - - - - "$S/late/SKILL.md"
[ "$(rj "$L1" "j['input']")" = "{}" ] || fail "late's input: $(get "/v1/runs/$L1")"
# a registry that no longer checks: refused, the skills stay
mkdir -p "$S/broken"
printf '{"name": "broken", "agents": ["codex"], "inputs": {"x": {"type": "int"}}}\n' > "$S/broken/skill.json"
kill -HUP "$PID"
w "the broken registry refused" 10 grep -qF "$S/broken/skill.json: inputs.x.type: want" "$T/log"
[ "$(get /v1/skills | e2e_json "[s['name'] for s in j['skills']]")" = "['echo', 'late', 'other', 'solo']" ] ||
    fail "skills after a refused reload: $(get /v1/skills)"
rm -r "$S/broken"
[ "$(e2e_worker skills pid)" = "$WPID" ] || fail "the skills worker restarted (pid $(e2e_worker skills pid), was $WPID)"

# --- 8. kill -9 of the skills worker -------------------------------------------------------------
submit '{"skill": "solo", "input": {"mode": "spawn", "secs": 30}}'
K1=$RID
wait_state "$K1" running
grandchild "$K1"
K1G=$GPID
K1P=$(rj "$K1" "j['pid']")
submit '{"skill": "solo", "input": {"mode": "ok"}}'
K2=$RID
submit '{"skill": "solo", "input": {"mode": "ok"}}'
K3=$RID
[ "$(state_of "$K2") $(state_of "$K3")" = "queued queued" ] || fail "K2 and K3 not queued"
kill -KILL "$WPID"
t=$(ms)
w "the agent of K1 gone with its worker" 5 gone "$K1P"
new_worker() { p=$(e2e_worker skills pid); [ -n "$p" ] && [ "$p" != "$WPID" ] && skills_ready; }
w "the skills worker back" 15 new_worker
WPID=$(e2e_worker skills pid)
e2e_log "the skills worker back after $(( $(ms) - t )) ms"
wait_state "$K1" failed
[ "$(rj "$K1" "j['error'], j['pid']")" = "('the skills worker restarted while it ran', None)" ] ||
    fail "K1 after the kill -9: $(get "/v1/runs/$K1")"
w "K1's grandchild gone" 10 gone "$K1G"
wait_state "$K2" succeeded
wait_state "$K3" succeeded
K1REC=$(get "/v1/runs/$K1")

# --- 9. SIGTERM of corral --------------------------------------------------------------------------
submit '{"skill": "solo", "input": {"mode": "spawn", "secs": 30}}'
Q0=$RID
wait_state "$Q0" running
grandchild "$Q0"
Q0G=$GPID
Q0P=$(rj "$Q0" "j['pid']")
submit '{"skill": "solo", "input": {"mode": "ok"}}'
Q1=$RID
submit '{"skill": "solo", "input": {"mode": "ok"}}'
Q2=$RID
t=$(ms)
stop
e2e_log "corral stopped in $(( $(ms) - t )) ms with a run running"
w "the agent of Q0 ($Q0P) gone with corral" 3 gone "$Q0P"
w "the grandchild of Q0 ($Q0G) gone with corral" 3 gone "$Q0G"
if [ -n "$HAVE_SQLITE" ]; then
	[ "$(db "PRAGMA integrity_check")" = ok ] || fail "runs.db integrity: $(db "PRAGMA integrity_check")"
	[ "$(db "SELECT id, $STATE, error FROM runs WHERE id IN ('$Q0', '$Q1', '$Q2') ORDER BY seq")" = \
	    "$Q0|failed|corral shut down while it ran
$Q1|queued|
$Q2|queued|" ] || fail "runs.db after SIGTERM: $(db "SELECT * FROM runs WHERE id IN ('$Q0', '$Q1', '$Q2')")"
fi
RESTART=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
start
[ "$(rj "$Q0" "j['state'], j['error']")" = "('failed', 'corral shut down while it ran')" ] ||
    fail "Q0 after the restart: $(get "/v1/runs/$Q0")"
wait_state "$Q1" succeeded
wait_state "$Q2" succeeded
for r in $Q1 $Q2; do
	[ "$(rj "$r" "j['started_at'] > '$RESTART'")" = true ] || fail "$r started before the restart: $(get "/v1/runs/$r")"
done
[ "$(get "/v1/runs/$K1")" = "$K1REC" ] || fail "K1 changed: $(get "/v1/runs/$K1"), was $K1REC"

# --- 10. retention -----------------------------------------------------------------------------------
if [ -n "$HAVE_SQLITE" ]; then
	# a running solo run holds a queued one back; both and E1, E2 made old
	submit '{"skill": "solo", "input": {"mode": "spawn", "secs": 30}}'
	P0=$RID
	wait_state "$P0" running
	submit '{"skill": "solo", "input": {"mode": "ok"}}'
	PQ=$RID
	OLD=$(( $(ms) - 3 * 86400000 ))
	db "UPDATE runs SET ended_ms = $OLD WHERE id IN ('$E1', '$E2');
	    UPDATE runs SET created_ms = $OLD WHERE id IN ('$P0', '$PQ')"
	e2e_conf "skills_retention_days = 1"
	kill -HUP "$PID"
	# pruned ID - 404, no folder, no log, no row
	pruned() {
		[ "$(req GET "/v1/runs/$1")" = 404 ] && [ ! -e "$T/workspace/runs/$1" ] &&
		    [ ! -e "$T/state/runs/$1.log" ] && [ "$(db "SELECT count(*) FROM runs WHERE id = '$1'")" = 0 ]
	}
	w "E1 pruned" 10 pruned "$E1"
	w "E2 pruned" 10 pruned "$E2"
	w "the prune line" 5 grep -qE "pruned 2 runs ended before [0-9T:.-]+Z \(retention 1 day\)" "$T/log"
	[ "$(rj "$E3" "j['state']") $(state_of "$PQ") $(state_of "$P0")" = "succeeded queued running" ] ||
	    fail "E3, PQ, P0 after the prune: $(state_of "$E3") $(state_of "$PQ") $(state_of "$P0")"
	[ -f "$T/workspace/runs/$E3/input.json" ] && [ -f "$T/state/runs/$E3.log" ] || fail "E3's folder or log is gone"
	[ -d "$T/workspace/runs/$P0" ] && [ -f "$T/state/runs/$P0.log" ] || fail "P0's folder or log is gone"
	[ "$(req POST "/v1/runs/$P0/cancel")" = 202 ] || fail "cancel P0: $(cat "$T/body")"
	wait_state "$P0" canceled 8
	wait_state "$PQ" succeeded
	ALL_IDS=${ALL_IDS/ $E1/}
	ALL_IDS=${ALL_IDS/ $E2/}
fi

# --- 11. every run once, in one terminal state -------------------------------------------------------
[ "$(req GET '/v1/runs?limit=1000')" = 200 ] || fail "GET /v1/runs: $(cat "$T/body")"
python3 - "$T/body" $ALL_IDS <<'PY' || fail "the runs at the end: $(head -c 3000 "$T/body")"
import json, sys
j = json.load(open(sys.argv[1]))
ids = sys.argv[2:]
runs = j["runs"]
assert sorted(r["id"] for r in runs) == sorted(ids), "not every run submitted, or more"
assert len(set(ids)) == len(ids)
for r in runs:
    assert r["state"] in ("succeeded", "failed", "timed_out", "canceled"), r
    assert r["ended_at"] and r["pid"] is None, r
with open(sys.argv[1].rsplit("/", 1)[0] + "/api.states", "w") as f:
    for r in sorted(runs, key=lambda r: r["id"]):
        f.write("%s|%s\n" % (r["id"], r["state"]))
with open(sys.argv[1].rsplit("/", 1)[0] + "/started.ids", "w") as f:
    for r in runs:
        if r["started_at"]:
            f.write(r["id"] + "\n")
PY
# nothing secret in corral's log
cat "$T/log" >> "$T/log.old"
grep -qF "$SECRET" "$T/log.old" && fail "the secret is in corral's log"
# every run that started has its folder (0700) and its log (0600)
for r in $(cat "$T/started.ids"); do
	[ "$(stat -c %a "$T/workspace/runs/$r" 2>&1)" = 700 ] ||
	    fail "workspace_root/runs/$r: $(stat -c %a "$T/workspace/runs/$r" 2>&1)"
	[ -f "$T/workspace/runs/$r/input.json" ] || fail "no input.json for $r"
	[ "$(stat -c %a "$T/state/runs/$r.log" 2>&1)" = 600 ] ||
	    fail "state_root/runs/$r.log: $(stat -c %a "$T/state/runs/$r.log" 2>&1)"
done
stop
if [ -n "$HAVE_SQLITE" ]; then
	n=$(echo $ALL_IDS | wc -w)
	[ "$(db "SELECT count(*), count(DISTINCT id) FROM runs")" = "$n|$n" ] ||
	    fail "runs.db holds $(db "SELECT count(*), count(DISTINCT id) FROM runs") runs, want $n"
	[ "$(db "SELECT count(*) FROM runs WHERE state IN (0, 1) OR ended_ms IS NULL")" = 0 ] ||
	    fail "runs not ended in runs.db: $(db "SELECT id, $STATE FROM runs WHERE state IN (0, 1)")"
	# the database and the API agree on every run
	db "SELECT id, $STATE FROM runs ORDER BY id" > "$T/db.states"
	[ "$(cat "$T/db.states")" = "$(cat "$T/api.states")" ] ||
	    fail "runs.db and the API differ: $(diff "$T/db.states" "$T/api.states")"
	[ "$(db "PRAGMA integrity_check")" = ok ] || fail "runs.db integrity"
fi
# e2e_pass looks at the last start's log; the earlier ones are in log.old
grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$T/log.old" &&
    fail "sanitizer report in an earlier daemon log"
e2e_log "$(echo $ALL_IDS | wc -w) runs, done in $(( ($(date +%s%N) - T0) / 1000000 )) ms"
e2e_pass
