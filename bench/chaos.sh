#!/bin/bash
# chaos.sh BUILD - kill -9 corral's workers at random under load; check it
#
# Called by `make chaos` once wrk & co (scripts/deps.sh chaos), the plain
# build and build/tests/libfake-nvml.so are in place. Issue 7: for a
# bounded time and count, wrk load on /healthz and /v1/runtime, skill runs
# being submitted, and random kill -9 of workers (at least CHAOS_KILLS).
# It passes only if
#   - the master never exits (same pid and start time all along), and
#     stops cleanly on SIGTERM afterwards;
#   - every worker is ready again at the end (bounded wait);
#   - no zombie is left under the master;
#   - the master's open fd count is what it was at the start;
#   - every /healthz failure the prober saw falls inside a window when the
#     http worker itself was down (its kill -> its next READY); so does
#     every failure of a second prober on /v1/runtime (the master is never
#     down, so that request must work whenever http is up);
#   - every worker exit was one of the kills, and /v1/workers reports as
#     many restarts per worker as it was killed;
#   - the mcp worker's MCP server (tests/mcp/fake_mcp_server.py, marked by
#     its environment) is ready again at the end, and exactly one such
#     process is left, a child of the mcp worker: none outlived a killed
#     worker;
#   - at least CHAOS_KILLS kills happened;
#   - every run the submitter was given an id for (202) reached exactly
#     one terminal state in runs.db, nothing is left queued or running,
#     a run failed only by its agent's exit 1 or by a kill of the skills
#     worker (with the documented error), a refusal came only while the
#     skills worker (503) or the http worker (no answer) was down, and no
#     agent process is left: see "runs" below.
# It prints the counts and writes bench/results/chaos.json (a shortened
# run, CHAOS_KILLS < 200: bench/results/chaos-quick.json) and, for a full
# run, the counts in docs/performance.md ("Chaos"). The killer, the prober
# and the verdict are bench/chaos.py; the runs' submitter and their check
# bench/chaos_runs.py.
#
#   CHAOS_SECS=100      seconds of load and kills (see docs/performance.md
#                       for why not 60: the kill rate has a ceiling)
#   CHAOS_KILLS=200     kills wanted at least (issue 7's minimum)
#   CHAOS_SEED=N        the killer's random seed (default: random, printed)
#   CHAOS_RUNS_RATE=20  skill runs submitted per second
#   CHAOS_NO_DOC=1      do not rewrite docs/performance.md
#   CHAOS_KEEP=1        keep the temp directory (logs, raw results)

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
. "$TOP/bench/lib.sh"
# lib.sh's helpers, with this script's name on their lines
bench_log() { printf 'chaos: %s\n' "$*" >&2; }
BENCH_KEEP=${CHAOS_KEEP:-0}

SECS=${CHAOS_SECS:-100}
KILLS=${CHAOS_KILLS:-200}
FULL_KILLS=200		# issue 7: at least 200 kills; fewer is a quick look
WORKERS="http secrets gpu engines mcp skills"
NW=$(echo $WORKERS | wc -w)
WRK_THREADS=1		# per endpoint: two wrk processes on a 2-core machine
WRK_CONNS=16
READY_WAIT=20		# s for every worker to be ready again at the end
RUN_USER=nobody		# what corral becomes when root starts it (as make bench)
MIN_UP=1.5		# bench/chaos.py's MIN_UP and JITTER: the kill ceiling
JITTER=0.25
RUNS_RATE=${CHAOS_RUNS_RATE:-20}
RUNS_SETTLE=60		# s for every run to end once the submitter stops

CORRAL=$BUILD/bin/corral
NVML=$BUILD/tests/libfake-nvml.so
for w in $WORKERS; do
	[ -x "$BUILD/libexec/corral/$w" ] ||
	    bench_die "$BUILD/libexec/corral/$w is not built (make chaos builds it)"
done
[ -x "$CORRAL" ] || bench_die "$CORRAL is not built"
[ -f "$NVML" ] || bench_die "$NVML is not built (make chaos builds it)"
for c in wrk curl ps; do
	command -v "$c" >/dev/null || bench_die "$c is missing (scripts/deps.sh chaos)"
done
[ "$(id -u)" = 0 ] || bench_die "run as root: corral drops to '$RUN_USER', the killer signals its workers"
case "$SECS$KILLS$RUNS_RATE" in *[!0-9]*) bench_die "CHAOS_SECS, CHAOS_KILLS and CHAOS_RUNS_RATE are whole numbers" ;; esac
[ "$RUNS_RATE" -ge 1 ] || bench_die "CHAOS_RUNS_RATE is at least 1"
# Each worker can be killed at most once per MIN_UP + JITTER/2 s on
# average (plus its restart): 6 workers at 1.5 + 0.125 s are ~3.6 kills/s.
CEIL=$($PY -c "print(int($SECS * $NW / ($MIN_UP + $JITTER / 2 + 0.03)))")
[ "$CEIL" -ge "$KILLS" ] ||
    bench_die "CHAOS_SECS=$SECS allows about $CEIL kills, not $KILLS: raise CHAOS_SECS ($NW workers, each killed only after ${MIN_UP} s ready)"

T=$(mktemp -d /tmp/corral-chaos.XXXXXX)
chmod 755 "$T"
R=$T/res
mkdir -p "$R"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
bench_clean_env
bench_snapshot
CORRAL=$BUILD/bin/corral
NVML=$BUILD/tests/libfake-nvml.so
export CORRAL_USER=$RUN_USER
START_S=$(date +%s)
bench_log "start: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $SECS s, at least $KILLS kills"

# ---- the daemon -------------------------------------------------------
# The shipped worker table; the gpu worker on the fake NVML (no GPU here),
# the engines worker on a Docker socket that does not exist (it is ready
# without Docker and keeps trying), the mcp worker with one MCP server
# (the tests' fake, copied where the unprivileged user can read it, and
# marked by CHAOS_MARK in its environment so that every copy of it can be
# found in /proc at the end), the skills worker with one skill, `chaos`,
# whose agent (`claude` in a folder first on skills_agent_path) sleeps a
# random 0-300 ms and exits 0, or 1 one time in four.
D=$T/corral
mkdir -p "$D"
chown "$RUN_USER" "$D"
# Debian's python3: the unprivileged user may not reach root's own (pyenv)
MCP_PY=/usr/bin/python3
[ -x "$MCP_PY" ] || MCP_PY=$(command -v python3)
cp "$TOP/tests/mcp/fake_mcp_server.py" "$D/fake_mcp_server.py"
chmod 644 "$D/fake_mcp_server.py"
printf '{"servers":{"fake":{"command":"%s","args":["%s","ok"],"env":{"CHAOS_MARK":"%s"}}}}\n' \
    "$MCP_PY" "$D/fake_mcp_server.py" "$T" >"$D/mcp.json"
mkdir -p "$D/skills/chaos" "$D/agents"
printf '{"name": "chaos", "description": "chaos: sleep 0-300 ms, exit 0 or 1", "agents": ["claude"]}\n' \
    >"$D/skills/chaos/skill.json"
printf 'Sleep a little.\n' >"$D/skills/chaos/SKILL.md"
cat >"$D/agents/claude" <<'EOF'
#!/bin/sh
# the chaos's agent: sleeps a random 0-300 ms, exits 1 one time in four
r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
sleep "$(printf '0.%03d' $((r % 301)))"
[ $((r / 301 % 4)) -eq 0 ] && exit 1
exit 0
EOF
chmod 755 "$D/agents/claude"
chmod -R a+rX "$D/skills" "$D/agents"
{
	for w in $WORKERS; do
		printf 'worker %s = on\nworker.%s.restart = always\n' "$w" "$w"
	done
	printf 'nvml_library = %s\n' "$NVML"
	printf 'docker_host = unix://%s/no-docker.sock\n' "$D"
	printf 'mcp_file = %s\n' "$D/mcp.json"
	printf 'skills_dir = %s\n' "$D/skills"
	printf 'skills_agent_path = %s/agents:/usr/bin:/bin\n' "$D"
} >"$D/corral.conf"
PORT=$(bench_port)
URL=http://127.0.0.1:$PORT
bench_bg "$D/log" "$CORRAL" --config "$D/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$D/state" --workspace-root "$D/workspace"
MPID=$BG

all_ready() { grep -q "info: all $NW workers ready" "$D/log" && bench_http_ok "$URL/readyz"; }
bench_wait "corral: all $NW workers ready" 30 all_ready
TOKEN=$(cat "$D/state/admin.token")
AUTH="Authorization: Bearer $TOKEN"
bench_http_ok "$URL/v1/runtime" -H "$AUTH" || bench_die "GET /v1/runtime is not 200"

# mstat - the master's state and start time ("S 123456"), empty if gone
mstat() { awk '{ sub(/^.*\) /, ""); print $1, $20 }' "/proc/$MPID/stat" 2>/dev/null; }
# mid - the master's identity: its start time while it lives (not a zombie)
mid() { mstat | awk '$1 != "Z" { print $2 }'; }
# fds FILE - count (first line) and listing of the master's open fds
fds() {
	local f
	{
		ls "/proc/$MPID/fd" | wc -l
		for f in /proc/"$MPID"/fd/*; do
			printf '%s %s\n' "${f##*/}" "$(readlink "$f" | sed 's/[0-9]\{4,\}/N/g')"
		done | sort -n
	} >"$1"
}
# settled - the master's fd count is the same over 1 s (nothing starting)
sleep 1
MSTART=$(mid)
fds "$R/fd-start.txt"
bench_log "corral master pid $MPID ($RUN_USER) on $URL: $(head -1 "$R/fd-start.txt") open fds"

# ---- runs (skills worker) ---------------------------------------------
# Issue 7: skill runs submitted during the chaos, each reaching exactly one
# terminal state in runs.db.
#   runs_start - the submitter (bench/chaos_runs.py submitter) in the
#                background: POST /v1/runs of `chaos` RUNS_RATE times a
#                second for SECS, a new connection each, one line per
#                POST in $R/runs-submitted.jsonl (times, status, id);
#   runs_stop  - wait for it, then (bounded: RUNS_SETTLE) until the counts
#                say nothing is queued or running: $R/runs-settle.txt;
#   runs_check - the agent processes left ($R/agent-procs.txt: any with
#                CORRAL_RUN_ID in its environment and its working
#                directory under the workspace), then `chaos_runs.py
#                check` reads runs.db (read-only, while corral still
#                runs) and writes $R/runs.json: the counts and the
#                failures, which the report checks.
SUB=
runs_start() {
	bench_log "runs: POST /v1/runs of skill chaos, $RUNS_RATE a second for $SECS s"
	bench_bg "$R/submitter.log" "$PY" "$TOP/bench/chaos_runs.py" submitter "$URL" \
	    "$D/state/admin.token" chaos "$RUNS_RATE" "$SECS" "$R/runs-submitted.jsonl"
	SUB=$BG
}
# runs_settled - the counts say no run is queued or running
runs_settled() {
	curl -s --max-time 2 -H "$AUTH" "$URL/v1/runs?limit=1" >"$R/runs-counts.json" &&
	    $PY -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; sys.exit(c["queued"] + c["running"] != 0)' \
	    "$R/runs-counts.json"
}
runs_stop() {
	local t0 end
	[ -n "$SUB" ] || return 0
	wait "$SUB" 2>/dev/null
	bench_forget "$SUB"
	t0=$(date +%s%N)
	end=$(( t0 / 1000000 + RUNS_SETTLE * 1000 ))
	echo timeout >"$R/runs-settle.txt"
	while [ "$MASTER" = alive ]; do
		if runs_settled; then
			$PY -c "print(round(($(date +%s%N) - $t0) / 1e9, 2))" >"$R/runs-settle.txt"
			break
		fi
		[ "$(( $(date +%s%N) / 1000000 ))" -ge "$end" ] && break
		sleep 0.1
	done
	bench_log "runs: settled: $(cat "$R/runs-settle.txt") s after the submitter stopped; counts $(cat "$R/runs-counts.json" 2>/dev/null | $PY -c 'import json,sys; print(json.load(sys.stdin)["counts"])' 2>/dev/null)"
}
runs_check() {
	local e p
	for e in /proc/[0-9]*/environ; do
		tr '\0' '\n' 2>/dev/null <"$e" | grep -q '^CORRAL_RUN_ID=' || continue
		p=${e#/proc/}
		p=${p%/environ}
		printf '%s %s %s\n' "$p" "$(readlink "/proc/$p/cwd" 2>/dev/null)" \
		    "$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-80)"
	done | grep -F " $D/workspace/" >"$R/agent-procs.txt"
	$PY "$TOP/bench/chaos_runs.py" check "$D/state/runs.db" "$R" "$D/log" 2>"$R/runs-check.log" ||
	    printf '{"run": true, "summary": "not checked: bench/chaos_runs.py check failed", "failures": ["bench/chaos_runs.py check failed: %s"]}\n' \
	    "$(tail -1 "$R/runs-check.log" | tr -d '"\\')" >"$R/runs.json"
}

# ---- chaos --------------------------------------------------------------
bench_log "wrk -t$WRK_THREADS -c$WRK_CONNS on /healthz and /v1/runtime, a prober on each, kill -9 of $WORKERS for $SECS s"
bench_bg "$R/wrk-healthz.txt" wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${SECS}s" \
    --timeout 2s "$URL/healthz"
W1=$BG
bench_bg "$R/wrk-runtime.txt" wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${SECS}s" \
    --timeout 2s -H "$AUTH" "$URL/v1/runtime"
W2=$BG
bench_bg "$R/prober.log" "$PY" "$TOP/bench/chaos.py" prober "$URL/healthz" "$SECS" "$R/probe.jsonl"
PR=$BG
bench_bg "$R/prober-runtime.log" "$PY" "$TOP/bench/chaos.py" prober "$URL/v1/runtime" "$SECS" \
    "$R/probe-runtime.jsonl" "$D/state/admin.token"
PR2=$BG
bench_bg "$R/killer.log" "$PY" "$TOP/bench/chaos.py" killer "$D/log" "$MPID" "$SECS" "$R/kills.jsonl"
KI=$BG
runs_start

# watch the master while they run: any change of its pid or start time
# ends the chaos at once
MASTER=alive
last=0
while kill -0 "$W1" 2>/dev/null || kill -0 "$W2" 2>/dev/null ||
    kill -0 "$PR" 2>/dev/null || kill -0 "$PR2" 2>/dev/null ||
    kill -0 "$KI" 2>/dev/null || kill -0 "$SUB" 2>/dev/null; do
	s=$(mid)
	if [ "$s" != "$MSTART" ]; then
		MASTER="gone or changed at $(date -u +%H:%M:%S.%N | cut -c1-12) (start time was '$MSTART', now '${s:-no live process}')"
		bench_log "the master is $MASTER"
		break
	fi
	now=$(( $(date +%s) - START_S ))
	if [ $(( now - last )) -ge 15 ]; then
		last=$now
		bench_log "  $(grep -c '"worker"' "$R/kills.jsonl" 2>/dev/null || echo 0) kills so far, load $(cut -d' ' -f1 /proc/loadavg)"
	fi
	sleep 0.1
done
if [ "$MASTER" != alive ]; then
	# cut short: wrk prints its report on SIGINT
	kill -INT "$W1" "$W2" 2>/dev/null
	for _ in $(seq 40); do
		kill -0 "$W1" 2>/dev/null || kill -0 "$W2" 2>/dev/null || break
		sleep 0.05
	done
	for p in "$W1" "$W2" "$PR" "$PR2" "$KI" "$SUB"; do bench_stop "$p" 5; done
fi
for p in "$W1" "$W2" "$PR" "$PR2" "$KI"; do
	wait "$p" 2>/dev/null
	bench_forget "$p"
done
runs_stop
bench_log "load and kills stopped; waiting up to ${READY_WAIT} s for every worker to be ready"

# ---- the end state --------------------------------------------------------
# every worker ready (/v1/workers), then the checks on the master
workers_ready() {
	curl -s --max-time 2 -H "$AUTH" "$URL/v1/workers" >"$R/workers-end.json" &&
	    $PY -c 'import json,sys; w=json.load(open(sys.argv[1]))["workers"]; sys.exit(not (len(w) == int(sys.argv[2]) and all(x["state"] == "ready" for x in w)))' \
	    "$R/workers-end.json" "$NW" &&
	    curl -s --max-time 2 -H "$AUTH" "$URL/v1/mcp/servers" >"$R/mcp-end.json" &&
	    $PY -c 'import json,sys; s=json.load(open(sys.argv[1]))["servers"]; sys.exit(not (len(s) == 1 and s[0]["state"] == "ready"))' \
	    "$R/mcp-end.json"
}
t0=$(date +%s%N)
end=$(( t0 / 1000000 + READY_WAIT * 1000 ))
READY_END=timeout
while [ "$MASTER" = alive ]; do
	if workers_ready; then
		READY_END=$($PY -c "print(round(($(date +%s%N) - $t0) / 1e9, 2))")
		break
	fi
	[ "$(( $(date +%s%N) / 1000000 ))" -ge "$end" ] && break
	sleep 0.05
done
echo "$READY_END" >"$R/ready-end.txt"
# the fds after a second with everything ready, as at the start
sleep 1
s=$(mid)
[ "$MASTER" = alive ] && [ "$s" != "$MSTART" ] && MASTER="gone or changed after the chaos ('${s:-no live process}')"
echo "$MASTER" >"$R/master-state.txt"
if [ "$MASTER" = alive ]; then
	fds "$R/fd-end.txt"
	# the master's descendants in state Z
	ps -e -o pid=,ppid=,stat=,comm= | awk -v m="$MPID" '
	    { pid[NR] = $1; pp[NR] = $2; st[NR] = $3; c[NR] = $4 }
	    END { tree[m] = 1
	          do { n = 0; for (i = 1; i <= NR; i++)
	                  if ((pp[i] in tree) && !(pid[i] in tree)) { tree[pid[i]] = 1; n++ } } while (n)
	          for (i = 1; i <= NR; i++)
	              if (pid[i] != m && (pid[i] in tree) && st[i] ~ /^Z/)
	                  print pid[i], c[i], st[i], "parent", pp[i] }' >"$R/zombies.txt"
	# the supervised workers by the master's own account
	curl -s --max-time 2 -H "$AUTH" "$URL/v1/workers" >"$R/workers-end.json"
	curl -s --max-time 2 -H "$AUTH" "$URL/v1/mcp/servers" >"$R/mcp-end.json"
	# every MCP server process of this run: "pid ppid parent's name"
	for e in /proc/[0-9]*/environ; do
		tr '\0' '\n' 2>/dev/null <"$e" | grep -qx "CHAOS_MARK=$T" || continue
		p=${e#/proc/}
		p=${p%/environ}
		pp=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$p/stat" 2>/dev/null)
		printf '%s %s %s\n' "$p" "$pp" "$(cat "/proc/$pp/comm" 2>/dev/null)"
	done >"$R/mcp-procs.txt"
else
	echo -1 >"$R/fd-end.txt"
	: >"$R/zombies.txt"
fi
runs_check
cp "$D/log" "$R/master.log"
if [ "$MASTER" = alive ] && [ "$(head -1 "$R/fd-end.txt")" != "$(head -1 "$R/fd-start.txt")" ]; then
	bench_log "the master's fds, start vs end (numbers of 4+ digits as N):"
	diff "$R/fd-start.txt" "$R/fd-end.txt" | sed 's/^/    /' >&2
fi

# stop it: a clean exit after all that
if kill -0 "$MPID" 2>/dev/null; then
	kill -TERM "$MPID"
	end=$(( $(date +%s) + 15 ))
	while kill -0 "$MPID" 2>/dev/null && [ "$(mstat | cut -d' ' -f1)" != Z ] &&
	    [ "$(date +%s)" -lt "$end" ]; do
		sleep 0.05
	done
	if [ "$(mstat | cut -d' ' -f1)" = Z ] || ! kill -0 "$MPID" 2>/dev/null; then
		wait "$MPID"
		echo "exit $?" >"$R/master-stop.txt"
	else
		echo "still running 15 s after SIGTERM" >"$R/master-stop.txt"
		kill -KILL "$MPID" 2>/dev/null
		wait "$MPID" 2>/dev/null
	fi
else
	wait "$MPID" 2>/dev/null
	echo "exited during the chaos: status $?" >"$R/master-stop.txt"
fi
bench_forget "$MPID"

# ---- report ---------------------------------------------------------------
echo $(( $(date +%s) - START_S )) >"$R/elapsed_s.txt"
{
	printf 'secs=%s\nkills=%s\nworkers=%s\n' "$SECS" "$KILLS" "$WORKERS"
	printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'machine=%s, %s cores, %s\n' \
	    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo | awk '{print $1, $2}')" \
	    "$(nproc)" "$(uname -sr)"
	printf 'corral=%s\n' "$("$CORRAL" version 2>/dev/null | head -1)"
	printf 'wrk=%s\n' "$(dpkg-query -W -f='${Version}' wrk 2>/dev/null)"
	printf 'wrk_args=-t%s -c%s --timeout 2s, one per endpoint\n' "$WRK_THREADS" "$WRK_CONNS"
	printf 'runs_rate=%s\nruns_settle=%s\n' "$RUNS_RATE" "$RUNS_SETTLE"
	printf 'run_user=%s\n' "$RUN_USER"
} >"$R/conf.txt"
OUT=$TOP/bench/results/chaos.json
DOC=$TOP/docs/performance.md
if [ "$KILLS" -lt "$FULL_KILLS" ]; then
	OUT=$TOP/bench/results/chaos-quick.json
	DOC=
	bench_log "shortened run (CHAOS_KILLS < $FULL_KILLS): results in $OUT, docs/performance.md unchanged"
fi
[ "${CHAOS_NO_DOC:-0}" = 1 ] && DOC=
mkdir -p "$TOP/bench/results"
$PY "$TOP/bench/chaos.py" report "$R" "$OUT" ${DOC:+"$DOC"}
rc=$?
[ "$rc" = 0 ] || [ "$BENCH_KEEP" = 1 ] || bench_log "CHAOS_KEEP=1 keeps the logs of a run"
exit "$rc"
