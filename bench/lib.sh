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
bench_clean_env() {
	unset NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID CORRAL_CONFIG \
	    CORRAL_WORKERS CORRAL_ADMIN_TOKEN CORRAL_ADMIN_TOKEN_FILE \
	    CORRAL_READONLY_TOKEN CORRAL_READONLY_TOKEN_FILE \
	    CORRAL_HTTP_AUTH_MODE CORRAL_BIND CORRAL_STATE_ROOT \
	    CORRAL_WORKSPACE_ROOT CORRAL_AUTH_STORE_MASTER_KEY \
	    CORRAL_AUTH_STORE_MASTER_KEY_FILE CORRAL_LOG_LEVEL \
	    CORRAL_LOG_FORMAT CORRAL_NVML_LIBRARY CORRAL_DOCKER_HOST \
	    DOCKER_HOST CORRAL_MCP_FILE CORRAL_MCP_SECRETS
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
