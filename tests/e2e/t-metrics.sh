#!/bin/bash
# /metrics, /v1/gpus and /v1/gpus/history with the real gpu worker on the
# fake NVML library (two "NVIDIA A100-SXM4-40GB", GPU 0 at 37 %):
# /metrics needs the read-only token (401 without), is Prometheus text
# format 0.0.4 that promtool accepts, carries dcgm-exporter's names and
# labels and corral's own families; a real Prometheus started here scrapes
# it every second with a bearer token file and answers a query for
# DCGM_FI_DEV_GPU_UTIL{gpu="0"} with 37; corralctl gpus shows the GPUs;
# CORRAL_METRICS_AUTH=none opens /metrics and nothing else.
#
# promtool and prometheus come from Debian's prometheus package
# (scripts/deps.sh test installs it); without them this test fails.
. "$(dirname "$0")/lib.sh"
e2e_setup
PROM_PID=
t_cleanup() {
	if [ -n "$PROM_PID" ] && kill -0 "$PROM_PID" 2>/dev/null; then
		kill -TERM "$PROM_PID" 2>/dev/null
		wait "$PROM_PID" 2>/dev/null
	fi
	e2e_cleanup
}
trap t_cleanup EXIT

command -v promtool >/dev/null ||
    e2e_fail "promtool is not installed (scripts/deps.sh test installs prometheus)"
command -v prometheus >/dev/null ||
    e2e_fail "prometheus is not installed (scripts/deps.sh test installs it)"
NVML="$BUILD/tests/libfake-nvml.so"
[ -f "$NVML" ] || e2e_fail "no $NVML: build it with make tests-bin"
[ -x "$BUILD/libexec/corral/gpu" ] || e2e_fail "no gpu worker in $BUILD"

U=$CORRAL_URL
ADMIN=admin-token-metrics-0123456789
RO=readonly-token-metrics-01234567
printf '%s\n' "$ADMIN" > "$T/admin.tok"
printf '%s\n' "$RO" > "$T/ro.tok"
chmod 600 "$T/admin.tok" "$T/ro.tok"
R="Authorization: Bearer $RO"
MODEL="NVIDIA A100-SXM4-40GB"
export CORRAL_NVML_LIBRARY="$NVML"
e2e_conf "worker gpu = on"
CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" CORRAL_READONLY_TOKEN_FILE="$T/ro.tok" e2e_start
e2e_wait "ready" 20 e2e_ready

# get WANT PATH [curl args]: the body in $T/body, the headers in $T/head
get() {
	want=$1 p=$2
	shift 2
	code=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' --max-time 10 "$@" "$U$p")
	[ "$code" = "$want" ] || e2e_fail "GET $p: HTTP $code, want $want: $(head -c 600 "$T/body")"
}
j() { e2e_json "$1" < "$T/body"; }
has() { grep -qxF -- "$1" "$T/body" || e2e_fail "no line '$1' in /metrics: $(cat "$T/body")"; }

# --- /metrics: auth ------------------------------------------------------
get 401 /metrics
[ "$(j "j['error']['code']")" = unauthorized ] || e2e_fail "401 body: $(cat "$T/body")"
grep -qi '^WWW-Authenticate: Bearer' "$T/head" || e2e_fail "401 without a challenge"
get 401 /metrics -H "Authorization: Bearer not-the-token-at-all"
get 200 /metrics -H "Authorization: Bearer $ADMIN"
get 200 /metrics -H "$R"
grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' "$T/head" ||
    e2e_fail "content type: $(cat "$T/head")"
cp "$T/body" "$T/metrics"

# --- /metrics: content ---------------------------------------------------
L0="gpu=\"0\",UUID=\"GPU-fa4e0000-0000-4000-8000-000000000000\",device=\"nvidia0\",modelName=\"$MODEL\""
grep -q "^DCGM_FI_DEV_GPU_UTIL{$L0,Hostname=\"[^\"]*\"} 37\$" "$T/body" ||
    e2e_fail "GPU 0 utilization: $(grep DCGM_FI_DEV_GPU_UTIL "$T/body")"
for f in DCGM_FI_DEV_MEM_COPY_UTIL DCGM_FI_DEV_FB_USED DCGM_FI_DEV_FB_FREE \
    DCGM_FI_DEV_GPU_TEMP DCGM_FI_DEV_POWER_USAGE DCGM_FI_DEV_SM_CLOCK \
    DCGM_FI_DEV_MEM_CLOCK DCGM_FI_DEV_FAN_SPEED; do
	grep -qx "# TYPE $f gauge" "$T/body" || e2e_fail "no gauge $f: $(cat "$T/body")"
	grep -q "^$f{$L0," "$T/body" || e2e_fail "no $f for GPU 0"
done
grep -q '^DCGM_FI_DEV_GPU_UTIL{gpu="1",' "$T/body" || e2e_fail "no GPU 1"
# GPU 1's fan is not supported: null in the sample, no series
grep -q '^DCGM_FI_DEV_FAN_SPEED{gpu="1",' "$T/body" && e2e_fail "a fan series for GPU 1"
has 'corral_up 1'
has 'corral_gpu_sampler_source{source="nvml"} 1'
has 'corral_worker_up{worker="gpu"} 1'
has 'corral_worker_up{worker="http"} 1'
has 'corral_worker_state{worker="gpu",state="ready"} 1'
has 'corral_worker_state{worker="gpu",state="failed"} 0'
has 'corral_worker_restarts_total{worker="gpu"} 0'
grep -q '^corral_info{version="[^"]*"} 1$' "$T/body" || e2e_fail "no corral_info"
grep -q '^corral_host_memory_available_bytes [0-9]' "$T/body" || e2e_fail "no host memory"
grep -q '^corral_disk_free_bytes{root="state_root"} [0-9]' "$T/body" || e2e_fail "no disk"
grep -q '^corral_process_resident_bytes{process="[a-z]*"} [0-9]' "$T/body" || e2e_fail "no process RSS"
# requests by route pattern, never by path; a second scrape sees the first
get 200 /v1/workers/gpu -H "$R"
get 404 /v1/workers/no-such-worker-here -H "$R"
get 404 /no/such/path
get 200 /metrics -H "$R"
has 'corral_http_requests_total{route="/metrics",method="GET",code="401"} 2'
has 'corral_http_requests_total{route="/metrics",method="GET",code="200"} 2'
has 'corral_http_requests_total{route="/v1/workers/{name}",method="GET",code="404"} 1'
has 'corral_http_requests_total{route="other",method="GET",code="404"} 1'
grep -q '^corral_http_request_duration_seconds_count{route="/readyz"} [1-9]' "$T/body" ||
    e2e_fail "no histogram for /readyz"
grep -q 'no-such-worker-here\|/no/such' "$T/body" && e2e_fail "a raw path in a label"
grep -q '^corral_http_request_duration_seconds_bucket{route="/metrics",le="+Inf"} [1-9]' "$T/body" ||
    e2e_fail "no histogram for /metrics"
# each family once
dups=$(grep '^# TYPE ' "$T/body" | sort | uniq -d)
[ -z "$dups" ] || e2e_fail "families twice: $dups"

# --- promtool ------------------------------------------------------------
# dcgm-exporter's label modelName is camelCase, which promtool's linter
# reports (as it does for dcgm-exporter itself); that report is expected
# for the DCGM families and nothing else. Without them the page must pass
# with no report at all.
promtool check metrics < "$T/metrics" > "$T/lint" 2>&1
rc=$?
case $rc in
0) ;;
3) bad=$(grep -v "^DCGM_FI_[A-Z_]* label names should be written in 'snake_case' not 'camelCase'\$" "$T/lint")
   [ -z "$bad" ] || e2e_fail "promtool check metrics: $bad" ;;
*) e2e_fail "promtool check metrics: exit $rc: $(cat "$T/lint")" ;;
esac
grep -v 'DCGM_FI_' "$T/metrics" > "$T/metrics.own"
promtool check metrics < "$T/metrics.own" > "$T/lint" 2>&1 ||
    e2e_fail "promtool check metrics (corral's families): $(cat "$T/lint")"

# --- /v1/gpus and /v1/gpus/history -----------------------------------------
get 200 /v1/gpus -H "$R"
[ "$(j "j['source']")" = nvml ] || e2e_fail "source: $(cat "$T/body")"
[ "$(j "len(j['gpus'])")" = 2 ] || e2e_fail "gpus: $(cat "$T/body")"
[ "$(j "j['gpus'][0]['name']")" = "$MODEL" ] || e2e_fail "name: $(cat "$T/body")"
[ "$(j "j['gpus'][0]['util_gpu_pct']")" = 37 ] || e2e_fail "util: $(cat "$T/body")"
[ "$(j "j['gpus'][1]['fan_pct'] is None")" = true ] || e2e_fail "fan of GPU 1: $(cat "$T/body")"
j "all(k in j for k in ('time','source','reason','driver_version','gpus','host','procs','sample_ms'))" |
    grep -qx true || e2e_fail "sample members: $(cat "$T/body")"
j "all(k in j['gpus'][0] for k in ('index','name','uuid','util_gpu_pct','util_mem_pct','mem_used_mib','mem_total_mib','temp_c','power_w','power_limit_w','sm_clock_mhz','mem_clock_mhz','fan_pct','pcie_tx_kbps','pcie_rx_kbps','processes'))" |
    grep -qx true || e2e_fail "gpu members: $(cat "$T/body")"
j "all(k in j['host'] for k in ('hostname','cpu_pct','load1','load5','load15','mem_total_kib','mem_available_kib','disks'))" |
    grep -qx true || e2e_fail "host members: $(cat "$T/body")"
get 401 /v1/gpus
history_has() {
	get 200 "/v1/gpus/history?window=1m" -H "$R"
	[ "$(j "len(j['samples']) > 0 and isinstance(j['interval_s'], (int, float))")" = true ]
}
e2e_wait "a sample in the history" 20 history_has
j "all('time' in s and 'gpus' in s and 'host' in s for s in j['samples'])" | grep -qx true ||
    e2e_fail "history samples: $(head -c 600 "$T/body")"
j "j['samples'][-1]['gpus'][0]['util_gpu_pct']" | grep -qx 37 || e2e_fail "history util: $(head -c 600 "$T/body")"
get 200 /v1/gpus/history -H "$R"
get 400 "/v1/gpus/history?window=15x" -H "$R"
[ "$(j "j['error']['field']")" = window ] || e2e_fail "bad window: $(cat "$T/body")"

# --- corralctl gpus -------------------------------------------------------
"$CORRALCTL" --token-file "$T/ro.tok" gpus > "$T/ctl" 2>&1 || e2e_fail "corralctl gpus: $(cat "$T/ctl")"
grep -qx 'source: nvml.*' "$T/ctl" || e2e_fail "ctl source: $(cat "$T/ctl")"
grep -q '^INDEX  *NAME  *UTIL  *MEM  *TEMP  *POWER  *FAN$' "$T/ctl" || e2e_fail "ctl header: $(cat "$T/ctl")"
[ "$(grep -c "^[01]  *$MODEL  " "$T/ctl")" = 2 ] || e2e_fail "ctl GPUs: $(cat "$T/ctl")"
grep -q "^0  *$MODEL  *37%  *1024/40960 MiB" "$T/ctl" || e2e_fail "ctl GPU 0: $(cat "$T/ctl")"
grep -q '^host.*: cpu .*, load .*, memory .* available of ' "$T/ctl" || e2e_fail "ctl host: $(cat "$T/ctl")"
grep -q '^NAME  *PID  *RSS  *CPU$' "$T/ctl" || e2e_fail "ctl processes: $(cat "$T/ctl")"
"$CORRALCTL" --token-file "$T/ro.tok" --json gpus > "$T/ctl" 2>&1 || e2e_fail "corralctl --json gpus"
e2e_json "j['gpus'][0]['name']" < "$T/ctl" | grep -qxF "$MODEL" || e2e_fail "ctl --json: $(cat "$T/ctl")"

# --- a real Prometheus scrapes corral -------------------------------------
PPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir "$T/prom"
cat > "$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: corral
    scrape_interval: 1s
    scrape_timeout: 1s
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: $T/ro.tok
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
promtool check config "$T/prometheus.yml" > "$T/promcheck" 2>&1 ||
    e2e_fail "promtool check config: $(cat "$T/promcheck")"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/prom" \
    --web.listen-address="127.0.0.1:$PPORT" --log.level=warn > "$T/prom.log" 2>&1 &
PROM_PID=$!
P="http://127.0.0.1:$PPORT"
prom_query() {
	curl -s --max-time 5 -G --data-urlencode "query=$1" "$P/api/v1/query" > "$T/q" 2>/dev/null
}
prom_util() {
	kill -0 "$PROM_PID" 2>/dev/null || e2e_fail "prometheus exited: $(tail -20 "$T/prom.log")"
	prom_query 'DCGM_FI_DEV_GPU_UTIL{gpu="0"}' &&
	[ "$(e2e_json "j['status'] == 'success' and len(j['data']['result']) == 1 and j['data']['result'][0]['value'][1]" < "$T/q")" = 37 ]
}
e2e_wait "Prometheus to answer DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 37" 60 prom_util
e2e_json "j['data']['result'][0]['metric']['modelName']" < "$T/q" | grep -qxF "$MODEL" ||
    e2e_fail "Prometheus labels: $(cat "$T/q")"
e2e_json "j['data']['result'][0]['metric']['job'] + ' ' + j['data']['result'][0]['metric']['UUID']" < "$T/q" |
    grep -qx 'corral GPU-fa4e0000-0000-4000-8000-000000000000' || e2e_fail "Prometheus labels: $(cat "$T/q")"
prom_query 'up{job="corral"}' || e2e_fail "query up"
[ "$(e2e_json "j['data']['result'][0]['value'][1]" < "$T/q")" = 1 ] || e2e_fail "up: $(cat "$T/q")"
prom_query 'corral_worker_up{worker="gpu"}' || e2e_fail "query corral_worker_up"
[ "$(e2e_json "j['data']['result'][0]['value'][1]" < "$T/q")" = 1 ] || e2e_fail "corral_worker_up: $(cat "$T/q")"
kill -TERM "$PROM_PID"
wait "$PROM_PID" 2>/dev/null
PROM_PID=
grep -qi 'level=error' "$T/prom.log" && e2e_fail "prometheus logged errors: $(grep -i 'level=error' "$T/prom.log")"

# --- a gpu worker that does not answer: the page comes after the bus timeout
get 200 /v1/workers/gpu -H "$R"
GPID=$(j "j['pid']")
[ -n "$GPID" ] && [ "$GPID" -gt 0 ] || e2e_fail "no gpu worker pid"
kill -STOP "$GPID"
start=$(date +%s%N)
get 200 /metrics -H "$R"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill -CONT "$GPID"
[ "$ms" -lt 8000 ] || e2e_fail "/metrics took $ms ms with the gpu worker stopped"
grep -q '^DCGM_' "$T/body" && e2e_fail "GPU series from a stopped gpu worker"
has 'corral_up 1'
has 'corral_worker_up{worker="http"} 1'
e2e_log "/metrics with the gpu worker stopped: $ms ms"

# --- CORRAL_METRICS_AUTH=none opens /metrics, and only /metrics ------------
kill -TERM "$PID"
e2e_wait_exit 20
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$T/log" &&
    e2e_fail "sanitizer report in the daemon log"
mv "$T/log" "$T/log.1"
CORRAL_METRICS_AUTH=none CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" \
    CORRAL_READONLY_TOKEN_FILE="$T/ro.tok" e2e_start
e2e_wait "ready again" 20 e2e_ready
get 200 /metrics
has 'corral_up 1'
get 401 /v1/gpus
get 401 /v1/workers
e2e_pass
