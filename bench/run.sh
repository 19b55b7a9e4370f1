#!/bin/bash
# run.sh BUILD - measure corral against its peers on this machine, in one run
#
# Called by `make bench` once the packages (scripts/deps.sh bench), the
# plain build and build/bench/ are in place. Each measurement is bounded in
# time and count; everything it starts is stopped on exit, pass or fail.
# Results: bench/results/latest.json, a markdown table on stdout, and the
# same table in docs/performance.md (bench/report.py). The methods are
# described in docs/performance.md.
#
#   BENCH_KILLS=50       kill -9 per restart target (each takes > 1 s)
#   BENCH_HTTP_SECS=10   seconds of each measured wrk run
#   BENCH_STARTS=20      daemon starts timed for start -> ready
#   BENCH_SKILL_RUNS=2000   trivial runs timed for the dispatch rate
#   BENCH_SKILL_QUEUED=10000  runs queued for the queued row (<= 10000,
#                        the default skills_max_queued)
#                        (less than these: bench/results/quick.json only)
#   BENCH_NO_DOC=1       do not rewrite docs/performance.md
#   BENCH_KEEP=1         keep the temp directory (raw results, logs)

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
. "$TOP/bench/lib.sh"

KILLS=${BENCH_KILLS:-50}
HTTP_SECS=${BENCH_HTTP_SECS:-10}
STARTS=${BENCH_STARTS:-20}
SKILL_RUNS=${BENCH_SKILL_RUNS:-2000}
SKILL_QUEUED=${BENCH_SKILL_QUEUED:-10000}
SKILL_CONNS=4		# client connections submitting the dispatch row's runs
SKILL_PEER_P=4		# xargs -P: skills_max_running's default
GAP_MS=1100		# > 1 s: corral's and s6's "stable for a second" rules
WRK_THREADS=2
WRK_CONNS=32
WRK_WARMUP=2
RUN_USER=nobody		# what corral becomes when root starts it without a corral user

CORRAL=$BUILD/bin/corral
BB=$BUILD/bench
[ -x "$CORRAL" ] || bench_die "$CORRAL is not built (make bench builds it)"
case "$SKILL_RUNS$SKILL_QUEUED" in *[!0-9]*) bench_die "BENCH_SKILL_RUNS and BENCH_SKILL_QUEUED are whole numbers" ;; esac
[ "$SKILL_RUNS" -ge 1 ] && [ "$SKILL_QUEUED" -ge 1 ] && [ "$SKILL_QUEUED" -le 10000 ] ||
    bench_die "BENCH_SKILL_RUNS >= 1, 1 <= BENCH_SKILL_QUEUED <= 10000 (skills_max_queued's default)"
for t in restart startready pingpong sleeper svlisten busping; do	# gpusample is optional
	[ -x "$BB/$t" ] || bench_die "$BB/$t is not built (make bench-bin)"
done
for c in wrk nginx s6-supervise s6-svwait s6-svc supervisord supervisorctl curl; do
	command -v "$c" >/dev/null || bench_die "$c is missing (scripts/deps.sh bench)"
done
[ "$(id -u)" = 0 ] || bench_die "run as root: corral drops to '$RUN_USER', the peers run as root"

T=$(mktemp -d /tmp/corral-bench.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/res"
# each phase notes the 1-minute load average: other work on the machine
# shows up there, and in the report
BENCH_PHASES=$T/res/phases.txt
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
bench_clean_env
bench_snapshot
CORRAL=$BUILD/bin/corral
BB=$BUILD/bench
export CORRAL_USER=$RUN_USER
START_S=$(date +%s)
bench_log "start: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The shipped worker table (conf/corral.conf): the workers that are built.
WORKERS=
for w in http secrets gpu engines mcp skills; do
	[ -x "$BUILD/libexec/corral/$w" ] && WORKERS="$WORKERS $w"
done
WORKERS=${WORKERS# }
bench_log "corral workers built: $WORKERS"

# corral_conf DIR [EXTRA...] - a conf with the built workers and extras;
# the skills worker's registry is DIR/skills (made empty here)
corral_conf() {
	dir=$1
	shift
	mkdir -p "$dir" "$dir/skills"
	chown "$RUN_USER" "$dir"
	: >"$dir/corral.conf"
	case " $WORKERS " in *" skills "*)
		printf 'skills_dir = %s\n' "$dir/skills" >>"$dir/corral.conf" ;;
	esac
	for w in $WORKERS; do
		printf 'worker %s = on\n' "$w" >>"$dir/corral.conf"
	done
	for x in "$@"; do
		printf 'worker %s = on\nworker.%s.exec = %s\n' "$x" "$x" \
		    "$BB/busping" >>"$dir/corral.conf"
	done
}

# corral_args DIR PORT - the command line every bench start uses
corral_args() {
	echo "$CORRAL --config $1/corral.conf --bind 127.0.0.1:$2 \
--state-root $1/state --workspace-root $1/workspace"
}

# ---- machine -----------------------------------------------------------
{
	printf 'cpu=%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	printf 'cores=%s\n' "$(nproc)"
	printf 'mem_kib=%s\n' "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
	printf 'kernel=%s\n' "$(uname -sr)"
	printf 'os=%s\n' "$(. /etc/os-release; echo "$PRETTY_NAME")"
	printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'corral=%s\n' "$("$CORRAL" version 2>/dev/null | head -1)"
	printf 'nginx=%s\n' "$(nginx -v 2>&1 | sed 's/^nginx version: //')"
	printf 's6=%s\n' "$(dpkg-query -W -f='${Version}' s6 2>/dev/null)"
	printf 'supervisor=%s\n' "$(supervisord --version 2>/dev/null)"
	printf 'wrk=%s\n' "$(dpkg-query -W -f='${Version}' wrk 2>/dev/null)"
	printf 'python=%s\n' "$($PY -c 'import platform; print(platform.python_version())')"
	printf 'fastapi=%s\n' "$($PY -c 'import fastapi; print(fastapi.__version__)' 2>/dev/null)"
	printf 'uvicorn=%s\n' "$($PY -c 'import uvicorn; print(uvicorn.__version__)' 2>/dev/null)"
	printf 'uvloop=%s\n' "$($PY -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null)"
	printf 'httptools=%s\n' "$($PY -c 'import httptools; print(httptools.__version__)' 2>/dev/null)"
	printf 'workers=%s\n' "$WORKERS"
	printf 'kills=%s\nhttp_secs=%s\nstarts=%s\ngap_ms=%s\n' "$KILLS" "$HTTP_SECS" "$STARTS" "$GAP_MS"
	printf 'wrk_threads=%s\nwrk_conns=%s\n' "$WRK_THREADS" "$WRK_CONNS"
	printf 'skill_runs=%s\nskill_queued=%s\nskill_conns=%s\nskill_peer_p=%s\n' \
	    "$SKILL_RUNS" "$SKILL_QUEUED" "$SKILL_CONNS" "$SKILL_PEER_P"
} >"$T/res/machine.txt"

# ---- bus: the raw limit, then corral's bus ------------------------------
bench_log "bus: raw socketpair ping-pong (84-byte messages)"
bench_fg "$BB/pingpong" -o "$T/res/pingpong.json" -b 84 -n 20000 -w 64 -t 2000 ||
    bench_die "pingpong failed"

bench_log "bus: PING through the master (busping -> master -> busecho)"
D=$T/bus
corral_conf "$D" busecho busping
PORT=$(bench_port)
# shellcheck disable=SC2046
bench_bg "$D/log" $(corral_args "$D" "$PORT")
BUS_PID=$BG
bench_wait "busping's result line" 120 grep -q 'info: bench {' "$D/log"
sed -n 's/.*info: bench \({.*}\)$/\1/p' "$D/log" | head -1 >"$T/res/bus.json"
bench_stop "$BUS_PID" 15

# ---- start -> ready and idle memory -------------------------------------
bench_log "start -> ready: $STARTS starts of corral ($WORKERS)"
D=$T/start
corral_conf "$D"
PORT=$(bench_port)
# shellcheck disable=SC2046
bench_fg "$BB/startready" -n "$STARTS" -o "$T/res/start.json" -s "$D/notify" -m 1000 \
    -- $(corral_args "$D" "$PORT") 2>"$D/log" ||
    bench_die "startready failed: $(tail -5 "$D/log")"

# ---- HTTP ---------------------------------------------------------------
bench_log "http: corral /healthz, /v1/runtime, /v1/secrets"
D=$T/http
corral_conf "$D"
"$CORRAL" secrets generate >"$D/master.key" 2>/dev/null ||
    bench_die "corral secrets generate failed"
chmod 600 "$D/master.key"
for i in $(seq 1 10); do
	BENCH_SECRET="sk-bench-$(printf '%032d' "$i")" \
	CORRAL_STATE_ROOT=$D/state CORRAL_AUTH_STORE_MASTER_KEY_FILE=$D/master.key \
	    "$CORRAL" secrets set "bench.key$i" --offline --provider openai \
	    --from-env BENCH_SECRET >/dev/null 2>&1 ||
	    bench_die "corral secrets set --offline failed"
done
chown -R "$RUN_USER" "$D/state" "$D/master.key"
PORT=$(bench_port)
# shellcheck disable=SC2046
CORRAL_AUTH_STORE_MASTER_KEY_FILE=$D/master.key \
    bench_bg "$D/log" $(corral_args "$D" "$PORT")
HTTP_PID=$BG
bench_wait "corral /readyz" 30 bench_http_ok "http://127.0.0.1:$PORT/readyz"
TOKEN=$(cat "$D/state/admin.token")
AUTH="Authorization: Bearer $TOKEN"
bench_http_ok "http://127.0.0.1:$PORT/v1/secrets" -H "$AUTH" ||
    bench_die "GET /v1/secrets is not 200"
curl -s --max-time 2 -H "$AUTH" "http://127.0.0.1:$PORT/v1/secrets" \
    >"$T/res/secrets-list.json"
bench_wrk corral-healthz "http://127.0.0.1:$PORT/healthz"
bench_wrk corral-runtime "http://127.0.0.1:$PORT/v1/runtime" -H "$AUTH"
bench_wrk corral-secrets "http://127.0.0.1:$PORT/v1/secrets" -H "$AUTH"
bench_stop "$HTTP_PID" 15

# nginx_run NAME WORKERS - nginx answering `return 200` with corral's body
nginx_run() {
	name=$1 procs=$2
	D=$T/$name
	mkdir -p "$D"
	PORT=$(bench_port)
	cat >"$D/nginx.conf" <<-EOF
	worker_processes $procs;
	pid $D/nginx.pid;
	error_log $D/error.log;
	daemon off;
	events { worker_connections 1024; }
	http {
	    access_log off;
	    server {
	        listen 127.0.0.1:$PORT;
	        location / {
	            default_type application/json;
	            return 200 '{"status":"ok"}';
	        }
	    }
	}
	EOF
	bench_bg "$D/out" nginx -c "$D/nginx.conf" -p "$D"
	NGINX_PID=$BG
	bench_wait "nginx ($name)" 10 bench_http_ok "http://127.0.0.1:$PORT/healthz"
	bench_wrk "$name" "http://127.0.0.1:$PORT/healthz"
	kill -QUIT "$NGINX_PID" 2>/dev/null
	bench_stop "$NGINX_PID" 10
}
bench_log "http: nginx return 200 (worker_processes auto, then 1)"
nginx_run nginx-auto auto
nginx_run nginx-1 1

if $PY -c 'import fastapi, uvicorn' 2>/dev/null; then
	bench_log "http: FastAPI on uvicorn (one worker, uvloop + httptools)"
	D=$T/fastapi
	mkdir -p "$D"
	cp "$TOP/bench/fastapi_app.py" "$D/"
	PORT=$(bench_port)
	bench_bg "$D/log" env -i PATH=/usr/bin:/bin "$PY" -m uvicorn \
	    fastapi_app:app --app-dir "$D" --host 127.0.0.1 --port "$PORT" \
	    --workers 1 --loop uvloop --http httptools --no-access-log \
	    --log-level warning
	FA_PID=$BG
	bench_wait "uvicorn" 30 bench_http_ok "http://127.0.0.1:$PORT/healthz"
	bench_wrk fastapi "http://127.0.0.1:$PORT/healthz"
	bench_stop "$FA_PID" 10
else
	bench_log "http: FastAPI/uvicorn not installed; that peer is not measured"
fi

# ---- restart latency ----------------------------------------------------
bench_log "restart: corral, $KILLS kills each of busecho (trivial) and http"
D=$T/restart-corral
corral_conf "$D" busecho
PORT=$(bench_port)
# shellcheck disable=SC2046
bench_fg "$BB/restart" corral -n "$KILLS" -g "$GAP_MS" -o "$T/res/restart-corral.json" \
    -s "$D/notify" -w busecho -w http -- $(corral_args "$D" "$PORT") \
    2>"$D/log" || bench_die "restart corral failed: $(tail -5 "$D/log")"
grep -E 'throttled|failed|missed' "$D/log" >"$T/res/restart-corral-warnings.txt"
cp "$D/log" "$T/res/restart-corral.log"

bench_log "restart: s6-supervise, $KILLS kills"
D=$T/s6/sleeper
mkdir -p "$D"
cp "$BB/sleeper" "$D/run"
echo 3 >"$D/notification-fd"
bench_bg "$T/s6.log" s6-supervise "$D"
S6_PID=$BG
bench_wait "s6 service up and ready" 10 s6-svwait -U -t 1000 "$D"
bench_rss_kib "$S6_PID" >"$T/res/s6-rss.txt"
bench_fg "$BB/restart" s6 -n "$KILLS" -g "$GAP_MS" -o "$T/res/restart-s6.json" \
    -p "$S6_PID" -x run -d "$D" 2>"$T/s6-restart.log" ||
    bench_die "restart s6 failed: $(tail -5 "$T/s6-restart.log")"
s6-svc -xd "$D"
bench_stop "$S6_PID" 10

bench_log "restart: supervisord, $KILLS kills (each takes seconds)"
D=$T/supervisord
mkdir -p "$D"
mkfifo "$D/events.fifo"
cat >"$D/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$D/supervisord.log
pidfile=$D/supervisord.pid
childlogdir=$D
user=root

[unix_http_server]
file=$D/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$D/supervisor.sock

[program:sleeper]
command=$BB/sleeper
startsecs=0
autorestart=true

[eventlistener:relay]
command=$BB/svlisten $D/events.fifo
events=PROCESS_STATE_RUNNING
EOF
bench_bg "$D/out" supervisord -c "$D/supervisord.conf"
SV_PID=$BG
sv_running() { supervisorctl -c "$D/supervisord.conf" status sleeper | grep -q RUNNING; }
bench_wait "supervisord: sleeper RUNNING" 20 sv_running
bench_rss_kib "$SV_PID" >"$T/res/supervisord-rss.txt"
bench_fg "$BB/restart" supervisord -n "$KILLS" -g "$GAP_MS" \
    -o "$T/res/restart-supervisord.json" -p "$SV_PID" -x sleeper \
    -f "$D/events.fifo" 2>"$D/restart.log" ||
    bench_die "restart supervisord failed: $(tail -5 "$D/restart.log")"
bench_stop "$SV_PID" 15
cp "$D/supervisord.log" "$T/res/supervisord.log"

# ---- gpu ----------------------------------------------------------------
# The gpu worker's own NVML and nvidia-smi code against the test doubles:
# this machine has no GPU, so the figures are the fakes', and say so.
GPU_NOTE="not measured: gpu worker not present"
if [ -d "$TOP/workers/gpu" ] && [ -x "$BUILD/libexec/corral/gpu" ] &&
    [ -f "$BUILD/tests/libfake-nvml.so" ]; then
	SMI=$TOP/tests/fake-nvidia-smi/nvidia-smi
	if [ ! -x "$BB/gpusample" ]; then
		GPU_NOTE="not measured: the gpu harness (build/bench/gpusample) did not build"
	else
		[ -x "$SMI" ] || SMI=
		bench_log "gpu: NVML sample (fake library) vs nvidia-smi (${SMI:-none})"
		if bench_fg "$BB/gpusample" -o "$T/res/gpu.json" -n 1000 -m 50 \
		    -l "$BUILD/tests/libfake-nvml.so" ${SMI:+-s "$SMI"} 2>"$T/gpu.log"; then
			GPU_NOTE=
		else
			GPU_NOTE="not measured: gpusample failed: $(tail -1 "$T/gpu.log")"
			rm -f "$T/res/gpu.json"
		fi
	fi
elif [ -d "$TOP/workers/gpu" ]; then
	GPU_NOTE="not measured: gpu worker or build/tests/libfake-nvml.so not built"
fi
echo "$GPU_NOTE" >"$T/res/gpu-note.txt"

# ---- skills -----------------------------------------------------------------
# Trivial runs: an agent that exits 0 at once (bench/true-agent, a /bin/sh
# script), installed as `codex` in a folder first on skills_agent_path; a
# skill per row (skill_dir NAME AGENT). skills_max_running is left at its
# default (4); the queued row sets skills_max_queued to SKILL_QUEUED, its
# default (10000) in a full run. A row that fails says why in the table;
# the rest of the bench is not stopped by it.

# skill_dir DIR NAME AGENT - the skill NAME (no inputs) for AGENT in DIR/skills
skill_dir() {
	mkdir -p "$1/skills/$2"
	printf '{"name": "%s", "description": "bench: exit at once", "agents": ["%s"]}\n' \
	    "$2" "$3" >"$1/skills/$2/skill.json"
	printf 'Do nothing.\n' >"$1/skills/$2/SKILL.md"
}

# skills_corral DIR - start corral on DIR (DIR/agents first on the agent
# path) and wait until it is ready; its pid in SK_PID, its URL in SK_URL
skills_corral() {
	printf 'skills_agent_path = %s/agents:/usr/bin:/bin\n' "$1" >>"$1/corral.conf"
	chmod -R a+rX "$1/skills" "$1/agents"
	PORT=$(bench_port)
	SK_URL=http://127.0.0.1:$PORT
	# shellcheck disable=SC2046
	bench_bg "$1/log" $(corral_args "$1" "$PORT")
	SK_PID=$BG
	bench_wait "corral /readyz (skills)" 30 bench_http_ok "$SK_URL/readyz"
}

echo "not measured: the skills worker is not built" >"$T/res/skills-note.txt"
case " $WORKERS " in *" skills "*)
	: >"$T/res/skills-note.txt"
	bench_log "skills: $SKILL_RUNS trivial runs, $SKILL_CONNS connections submitting, skills_max_running 4 (default)"
	D=$T/skills-rate
	corral_conf "$D"
	mkdir -p "$D/agents"
	cp "$TOP/bench/true-agent" "$D/agents/codex"
	skill_dir "$D" trivial codex
	skills_corral "$D"
	bench_fg "$PY" "$TOP/bench/skillrate.py" dispatch "$SK_URL" "$D/state/admin.token" \
	    trivial "$SKILL_RUNS" "$SKILL_CONNS" "$T/res/skills-rate.json" 2>"$D/client.log" ||
	    echo "dispatch: $(tail -1 "$D/client.log")" >>"$T/res/skills-note.txt"
	bench_stop "$SK_PID" 15

	bench_log "skills: peer, xargs -P$SKILL_PEER_P of the same agent, $SKILL_RUNS times"
	bench_fg "$PY" "$TOP/bench/skillrate.py" peer "$D/agents/codex" "$SKILL_RUNS" \
	    "$SKILL_PEER_P" "$T/res/skills-peer.json" 2>"$D/peer.log" ||
	    echo "peer: $(tail -1 "$D/peer.log")" >>"$T/res/skills-note.txt"

	# four runs of `gate` (its agent, `claude`, blocks on opening a
	# fifo) take every slot; then SKILL_QUEUED trivial runs queue
	bench_log "skills: $SKILL_QUEUED runs queued behind 4 blocked ones, then the drain"
	D=$T/skills-queued
	corral_conf "$D"
	mkdir -p "$D/agents"
	cp "$TOP/bench/true-agent" "$D/agents/codex"
	mkfifo -m 666 "$D/gate"
	cat >"$D/agents/claude" <<-EOF
	#!/bin/sh
	# blocks until bench/skillrate.py opens the gate, then exits 0
	[ -p $D/gate ] && read -r x <$D/gate
	exit 0
	EOF
	chmod 755 "$D/agents/claude"
	skill_dir "$D" trivial codex
	skill_dir "$D" gate claude
	# the default; said here so that a shortened run's queue is full too
	printf 'skills_max_queued = %s\n' "$SKILL_QUEUED" >>"$D/corral.conf"
	skills_corral "$D"
	bench_fg "$PY" "$TOP/bench/skillrate.py" queued "$SK_URL" "$D/state/admin.token" \
	    gate 4 trivial "$SKILL_QUEUED" "$D/gate" "$T/res/skills-queued.json" \
	    2>"$D/client.log" ||
	    echo "queued: $(tail -1 "$D/client.log")" >>"$T/res/skills-note.txt"
	grep -v '^$' "$D/client.log" | sed 's/^/    /' >&2
	bench_stop "$SK_PID" 15
	;;
esac

# ---- report ---------------------------------------------------------------
bench_log "done"
echo $(( $(date +%s) - START_S )) >"$T/res/elapsed_s.txt"
# A shortened run is a quick look, not the record: it goes to quick.json
# and leaves latest.json and docs/performance.md alone.
DOC="$TOP/docs/performance.md"
OUT="$TOP/bench/results/latest.json"
if [ "$KILLS" -lt 50 ] || [ "$HTTP_SECS" -lt 10 ] || [ "$STARTS" -lt 20 ] ||
    [ "$SKILL_RUNS" -lt 2000 ] || [ "$SKILL_QUEUED" -lt 10000 ]; then
	OUT="$TOP/bench/results/quick.json"
	DOC=
	bench_log "shortened run: results in $OUT, docs/performance.md unchanged"
fi
[ "${BENCH_NO_DOC:-0}" = 1 ] && DOC=
mkdir -p "$TOP/bench/results"
$PY "$TOP/bench/report.py" "$T/res" "$OUT" ${DOC:+"$DOC"} ||
    bench_die "report failed"
