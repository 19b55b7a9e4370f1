# lib.sh - helpers for bench/run.sh (sourced; bash)
#
# Every process the bench starts goes through bench_bg or bench_fg, which
# remember its pid until it is reaped; bench_cleanup (the EXIT trap) stops
# those still running, newest first, with SIGTERM, a deadline, then
# SIGKILL, and removes the temp directory. The tools that start corral
# themselves (restart, startready) stop it when they are stopped, and
# corral's workers die with their master.
# Waits poll a condition until a deadline; nothing sleeps and hopes.

BENCH_PIDS=()
PY=/usr/bin/python3

bench_log() {
	printf 'bench: %s\n' "$*" >&2
	[ -n "${BENCH_PHASES:-}" ] &&
	    printf '%s %s\n' "$(cut -d' ' -f1 /proc/loadavg)" "$*" >>"$BENCH_PHASES"
	return 0
}

bench_die() {
	bench_log "FAIL: $*"
	exit 1
}

# bench_bg LOG CMD... - start CMD in the background, output to LOG; pid in BG
bench_bg() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 &
	BG=$!
	BENCH_PIDS+=("$BG")
}

# bench_fg CMD... - run CMD to its end, but as a child the EXIT trap can
# stop (bash runs traps only between foreground commands); its status
bench_fg() {
	local fg rc
	"$@" &
	fg=$!
	BENCH_PIDS+=("$fg")
	wait "$fg"
	rc=$?
	bench_forget "$fg"
	return "$rc"
}

# bench_forget PID - PID is reaped: never signal that number again
bench_forget() {
	local p keep=()
	for p in "${BENCH_PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	BENCH_PIDS=("${keep[@]}")
}

# bench_stop PID [SECS] - SIGTERM, wait up to SECS (5), then SIGKILL
bench_stop() {
	local pid=$1 secs=${2:-5} end
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null
		bench_forget "$pid"
		return 0
	fi
	kill -TERM "$pid" 2>/dev/null
	end=$(( $(date +%s) + secs ))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$end" ]; then
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.05
	done
	wait "$pid" 2>/dev/null
	bench_forget "$pid"
	return 0
}

# bench_clean_env - no setting from the caller's environment reaches the
# corral that the bench or the chaos starts: only what the script gives
# (every CORRAL_* variable is one of corral's settings, or its user)
bench_clean_env() {
	local v
	for v in $(compgen -e); do
		case "$v" in CORRAL_*) unset "$v" ;; esac
	done
	unset NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID DOCKER_HOST
}

# bench_snapshot - copy the programs of $BUILD (bin, libexec, bench, the
# fake NVML) to $T/build and point BUILD there: a build running alongside
# (make in another shell) cannot replace a worker's binary during the run.
# (A worker whose exec fails exits 127, and the master leaves it failed
# until an operator restarts it, as it should.) Same file system, same
# bytes: the figures do not change.
bench_snapshot() {
	mkdir -p "$T/build/tests"
	cp -a "$BUILD/bin" "$BUILD/libexec" "$T/build/" ||
	    bench_die "cannot copy $BUILD/bin and $BUILD/libexec to $T/build"
	if [ -d "$BUILD/bench" ]; then cp -a "$BUILD/bench" "$T/build/"; fi
	if [ -f "$BUILD/tests/libfake-nvml.so" ]; then
		cp -a "$BUILD/tests/libfake-nvml.so" "$T/build/tests/"
	fi
	BUILD=$T/build
}

bench_cleanup() {
	local i=${#BENCH_PIDS[@]}
	while [ "$i" -gt 0 ]; do
		i=$((i - 1))
		bench_stop "${BENCH_PIDS[$i]}" 5
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		bench_log "kept $T"
	elif [ -n "${T:-}" ] && [ -d "$T" ]; then
		rm -rf "$T"
	fi
}

# bench_wait DESC SECS CMD... - poll CMD every 20 ms until it succeeds
bench_wait() {
	local desc=$1 secs=$2 end
	shift 2
	end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(( $(date +%s%N) / 1000000 ))" -ge "$end" ]; then
			bench_die "timed out after ${secs}s waiting for: $desc"
		fi
		sleep 0.02
	done
}

# bench_port - a free TCP port on 127.0.0.1
bench_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_http_ok URL [curl args] - the URL answers 200
bench_http_ok() {
	local url=$1
	shift
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url")" = 200 ]
}

# bench_wrk NAME URL [wrk args] - a warm-up, then the measured run;
# wrk's report goes to $T/res/wrk-NAME.txt
bench_wrk() {
	local name=$1 url=$2
	shift 2
	wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WRK_WARMUP}s" "$@" "$url" >/dev/null 2>&1
	bench_log "wrk $name: ${HTTP_SECS}s on $url"
	wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${HTTP_SECS}s" --latency "$@" \
	    "$url" >"$T/res/wrk-$name.txt" 2>&1 ||
	    bench_die "wrk $name failed: $(cat "$T/res/wrk-$name.txt")"
}

# bench_rss_kib PID - VmRSS of PID in KiB
bench_rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}
