#!/bin/bash
# The gpu worker and its three sources, through GET /v1/gpus:
#  1. the fake NVML (tests/fake-nvml) through nvml_library: source nvml,
#     the fake's values, the field the fake refuses (GPU 1's fan) null,
#     GPU 0's process (the gpu worker itself), the host and corral's
#     processes; the history fills and honours its window; a SIGHUP takes
#     a new gpu_interval;
#  2. a fake NVML whose nvmlInit fails: the fake nvidia-smi
#     (tests/fake-nvidia-smi) takes over: source nvidia-smi, its published
#     rows, "[N/A]" and "[Not Supported]" as null;
#  3. neither: source none, reason "no NVIDIA GPU", the worker ready;
#  4. an nvidia-smi that hangs: killed after its 5 s timeout (the log says
#     so) while the worker keeps answering at once.
. "$(dirname "$0")/lib.sh"
e2e_setup
FAKES="$TOP/tests/fake-nvidia-smi"
NVML_OK="$BUILD/tests/libfake-nvml.so"
NVML_FAIL="$BUILD/tests/libfake-nvml-fail.so"
[ -f "$NVML_OK" ] && [ -f "$NVML_FAIL" ] || e2e_fail "no $NVML_OK: make tests-bin"

# gpus EXPR - a python expression over GET /v1/gpus (j)
gpus() { e2e_api GET /v1/gpus | e2e_json "$1"; }

# start_with LINES... - a fresh daemon whose config adds LINES
start_with() {
	printf 'worker http = on\nworker gpu = on\n' > "$T/corral.conf"
	e2e_conf "$@"
	e2e_start
	e2e_wait "ready" 20 e2e_ready
}

# stop - SIGTERM, wait for exit 0
stop() {
	kill -TERM "$PID"
	e2e_wait_exit 20
	[ "$RC" = 0 ] || e2e_fail "exit code $RC"
}

# want EXPR VALUE - gpus EXPR prints VALUE
want() {
	got=$(gpus "$1")
	[ "$got" = "$2" ] || e2e_fail "$1: got '$got', want '$2'"
}

# sampled SOURCE - the latest sample is a real one from SOURCE
sampled() { [ "$(gpus "j['source']+' '+str(len(j['procs'])>0)")" = "$1 True" ]; }

# --- 1. NVML ----------------------------------------------------------------
start_with "nvml_library = $NVML_OK"
e2e_wait "a sample from the fake NVML" 10 sampled nvml
want "j['driver_version']" 535.129.03
want "j['reason']" None
want "len(j['gpus'])" 2
want "j['gpus'][0]['name']" "NVIDIA A100-SXM4-40GB"
want "j['gpus'][0]['uuid']" "GPU-fa4e0000-0000-4000-8000-000000000000"
want "[j['gpus'][0][k] for k in ('util_gpu_pct','util_mem_pct','mem_used_mib','mem_total_mib','temp_c','power_w','power_limit_w','sm_clock_mhz','mem_clock_mhz','fan_pct','pcie_tx_kbps','pcie_rx_kbps')]" \
    "[37, 12, 1024, 40960, 41, 71.234, 400, 1410, 1215, 30, 1234, 5678]"
want "[j['gpus'][1][k] for k in ('util_gpu_pct','temp_c','power_w','fan_pct')]" \
    "[0, 35, 55, None]"
# a worker that is not in the table: 503 that says how to enable it
out=$(e2e_api GET /v1/mcp/servers)
case "$out" in
*'"code":"unavailable"'*'worker mcp is not enabled (worker mcp = on in corral.conf)'*) ;;
*) e2e_fail "GET /v1/mcp/servers without the mcp worker: $out" ;;
esac
gpu_pid=$(e2e_worker gpu pid)
want "[(p['pid'],p['name'],p['used_mib']) for p in j['gpus'][0]['processes']]" \
    "[($gpu_pid, 'gpu', 512)]"
want "j['gpus'][1]['processes']" "[]"
want "sorted(p['name'] for p in j['procs'])" "['gpu', 'http', 'master']"
want "[p['pid'] for p in j['procs'] if p['name']=='master']" "[$PID]"
want "all(p['rss_kib']>0 and p['cpu_pct']>=0 for p in j['procs'])" true
want "[d['name'] for d in j['host']['disks']]" "['state_root', 'workspace_root']"
want "j['host']['disks'][0]['path']" "$T/state"
want "j['host']['mem_total_kib']>0 and 0<=j['host']['cpu_pct']<=100 and j['host']['load1']>=0" true
want "isinstance(j['sample_ms'], (int, float)) and j['time'].endswith('Z')" true
# the history: at least 3 samples, oldest first; a short window holds fewer
hist() { e2e_api GET "/v1/gpus/history?window=$1" | e2e_json "$2"; }
three() { [ "$(hist 15m "len(j['samples'])>=3")" = true ]; }
e2e_wait "3 samples in the history" 10 three
[ "$(hist 15m "j['interval_s']")" = 1 ] || e2e_fail "interval_s"
[ "$(hist 15m "[s['time'] for s in j['samples']]==sorted(s['time'] for s in j['samples'])")" = true ] ||
    e2e_fail "history not oldest first"
[ "$(hist 15m "j['samples'][-1]['gpus'][0]['power_w']")" = 71.234 ] ||
    e2e_fail "history power_w: $(hist 15m "j['samples'][-1]")"
# SIGHUP: a new interval at once
sed -i 's/^nvml_library.*/&\ngpu_interval = 2/' "$T/corral.conf"
kill -HUP "$PID"
e2e_wait "the gpu worker took gpu_interval 2" 10 \
    grep -q "gpu.*reloaded: sampling every 2 s" "$T/log"
stop

# --- 2. nvmlInit fails: nvidia-smi ----------------------------------------
start_with "nvml_library = $NVML_FAIL" "nvidia_smi = $FAKES/nvidia-smi"
grep -q "NVML cannot be used: nvmlInit_v2: Driver Not Loaded" "$T/log" ||
    e2e_fail "no log line saying why NVML was not used"
e2e_wait "a sample from the fake nvidia-smi" 10 sampled nvidia-smi
want "j['driver_version']" 580.126.09
want "j['reason']" None
want "[g['name'] for g in j['gpus']]" \
    "['NVIDIA A100-SXM4-40GB', 'GeForce RTX 2080', 'GeForce GTX 960M']"
want "[j['gpus'][0][k] for k in ('util_gpu_pct','util_mem_pct','mem_used_mib','temp_c','power_w','fan_pct')]" \
    "[11, None, 598, 41, 67, None]"
want "[j['gpus'][1][k] for k in ('mem_used_mib','power_w','fan_pct')]" \
    "[None, 176.98, 100]"
want "[j['gpus'][2][k] for k in ('power_w','power_limit_w','fan_pct','mem_total_mib')]" \
    "[None, None, None, 2004]"
want "[g['pcie_tx_kbps'] for g in j['gpus']]" "[None, None, None]"
stop

# --- 3. neither -----------------------------------------------------------
start_with "nvml_library = $T/no-such-libnvidia-ml.so" \
    "nvidia_smi = $T/no-such-nvidia-smi"
e2e_wait "a sample with no source" 10 sampled none
want "j['reason']" "no NVIDIA GPU"
want "j['gpus']" "[]"
want "j['driver_version']" None
[ "$(e2e_worker gpu state)" = ready ] || e2e_fail "gpu worker not ready"
grep -q "source none: no NVIDIA GPU" "$T/log" || e2e_fail "no log line"
stop

# --- 4. a hung nvidia-smi --------------------------------------------------
# a copy of its own, so pgrep finds this test's and no other's
HANG="$T/nvidia-smi-hang"
cp "$FAKES/nvidia-smi-hang" "$HANG"
start_with "nvml_library = $NVML_FAIL" "nvidia_smi = $HANG"
e2e_wait "nvidia-smi running" 10 pgrep -f "$HANG"
# the worker answers at once while nvidia-smi hangs
t0=$(date +%s%N)
want "j['source']" nvidia-smi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 1000 ] || e2e_fail "GET /v1/gpus took $ms ms while nvidia-smi hung"
e2e_wait "the hung nvidia-smi killed" 10 \
    grep -q "gpu.*nvidia-smi-hang (pid [0-9]*) did not finish within 5000 ms: killed" "$T/log"
killed() { gpus "j['reason']" | grep -Eq "did not finish within 5000 ms and was killed|was killed and has not exited yet"; }
e2e_wait "the sample says why" 5 killed
want "j['gpus']" "[]"
[ "$(e2e_worker gpu state)" = ready ] || e2e_fail "gpu worker not ready"
[ "$(e2e_worker gpu restarts)" = 0 ] || e2e_fail "gpu worker restarted"
e2e_wait "the killed one reaped" 5 grep -q "killed earlier, has exited" "$T/log"
stop
pgrep -f "$HANG" >/dev/null && e2e_fail "a hung nvidia-smi outlived corral"
e2e_pass
