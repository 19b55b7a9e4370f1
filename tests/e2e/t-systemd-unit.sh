#!/bin/bash
# contrib/systemd/corral.service, checked three ways:
#  1. systemd-analyze verify finds nothing to say about it (with its
#     drop-ins too), and it does find each of four broken copies made here
#     (an unknown key, a bad value, a missing ExecStart binary, a typo in a
#     drop-in), so a clean verify means something;
#  2. systemd-analyze security --offline rates its exposure at most
#     MAX_EXPOSURE, and a copy stripped of its hardening is rated above;
#  3. the daemon started as the unit says: the installed layout under a
#     private root, its Environment= lines and EnvironmentFile=, its
#     credentials copied to %d, StateDirectory= made, as its non-root User
#     with no capabilities, no_new_privs and its UMask, NOTIFY_SOCKET and
#     WATCHDOG_USEC from WatchdogSec=. READY=1 arrives, the credential
#     tokens and master key work, ExecReload= reloads, WATCHDOG=1 comes
#     within WatchdogSec/2, SIGTERM to the main process alone
#     (KillMode=mixed) stops everything within TimeoutStopSec with exit 0.
#     On a plain build the whole run is traced (strace -ff) and every system
#     call, socket family, memory mapping, device and written path is
#     checked against the unit's SystemCallFilter=, RestrictAddressFamilies=,
#     MemoryDenyWriteExecute=, DevicePolicy=, ProtectSystem=strict and
#     ProtectHome= (tests/e2e/systemd-unit.py), since no systemd runs here
#     to enforce them; and that check must catch three broken units. A
#     sanitized build runs without strace (LeakSanitizer cannot run under
#     ptrace).
# E2E_KEEP=1 keeps the temp directory (traces, unit copies, log).
. "$(dirname "$0")/lib.sh"
e2e_setup
MAX_EXPOSURE=2.0
SRC="$TOP/contrib/systemd"
UNIT="$SRC/corral.service"
DROPINS="$SRC/readonly-token.conf $SRC/engines-docker.conf"
HELPER="$TOP/tests/e2e/systemd-unit.py"
R="$T/root"
CPID=
LPID=
RPID=
t_cleanup() {
	for p in $CPID $LPID $RPID; do
		{ kill -KILL "$p" && wait "$p"; } 2>/dev/null
	done
	if [ -n "${E2E_KEEP:-}" ]; then
		e2e_log "kept $T"
		T=
	fi
	e2e_cleanup
}
trap t_cleanup EXIT

command -v systemd-analyze >/dev/null ||
    e2e_fail "systemd-analyze is missing (Debian's systemd; scripts/deps.sh test)"
[ -f "$UNIT" ] || e2e_fail "no $UNIT"
SAN=0
grep -q __asan_init "$CORRAL" && SAN=1
if [ "$SAN" = 0 ]; then
	command -v strace >/dev/null ||
	    e2e_fail "strace is missing (scripts/deps.sh test installs it)"
fi
export SYSTEMD_LOG_LEVEL=info SYSTEMD_LOG_COLOR=0 SYSTEMD_PAGER=cat

# the system python (no pyenv shim: fast to start, has python3-yaml)
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
le() { "$PY" -c "import sys; sys.exit(0 if float('$1') <= float('$2') else 1)"; }
calc() { "$PY" -c "print($1)"; }
# u CMD [ARG] - the unit (with the readonly-token drop-in) as systemd reads it
u() { "$PY" "$HELPER" --root "$R" "$UNIT" "$SRC/readonly-token.conf" "$@"; }

# --- the installed tree: what make install PREFIX=/usr/local puts there --
mkdir -p "$R/usr/local/bin" "$R/usr/local/libexec/corral" "$R/usr/local/lib" \
    "$R/etc/corral/credentials" "$R/run/systemd" "$R/srv/models"
cp "$CORRAL" "$CORRALCTL" "$R/usr/local/bin/"
cp "$BUILD"/libexec/corral/* "$R/usr/local/libexec/corral/"
cp "$BUILD/tests/libfake-nvml.so" "$R/usr/local/lib/" ||
    e2e_fail "no $BUILD/tests/libfake-nvml.so: make tests-bin"
chmod -R a+rX "$R"

# --- the host as the unit expects it ------------------------------------------
if [ "$(id -u)" = 0 ]; then
	SVCUSER=$(u get User)
	id "$SVCUSER" >/dev/null 2>&1 || SVCUSER=nobody
	SVCGROUP=$(id -gn "$SVCUSER")
else
	SVCUSER=$(id -un)
	SVCGROUP=$(id -gn)
fi
SVCUID=$(id -u "$SVCUSER")
# the operator's files: credentials (root's, 0600) and corral.env
"$CORRAL" secrets generate > "$R/etc/corral/credentials/master.key" || e2e_fail "secrets generate"
ADMIN=admin-token-systemd-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
RO=readonly-token-systemd-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$ADMIN" > "$R/etc/corral/credentials/admin.token"
printf '%s\n' "$RO" > "$R/etc/corral/credentials/readonly.token"
chmod 600 "$R/etc/corral/credentials/"*
printf 'worker http = on\nworker secrets = on\nworker gpu = on\nworker engines = on\n' \
    > "$R/etc/corral/corral.conf"
cat > "$R/etc/corral/corral.env" <<EOF
# what an operator puts in /etc/corral/corral.env
CORRAL_BIND=127.0.0.1:$PORT
CORRAL_CONFIG=$R/etc/corral/corral.conf
CORRAL_NVML_LIBRARY=$R/usr/local/lib/libfake-nvml.so
CORRAL_DOCKER_HOST=unix://$R/run/no-docker.sock
EOF
chmod 644 "$R/etc/corral/corral.conf" "$R/etc/corral/corral.env"
u env > "$T/unit.env" || e2e_fail "cannot read the unit's environment"
u statedirs > "$T/statedirs"
grep -q "^CORRAL_BIND=127.0.0.1:$PORT\$" "$T/unit.env" || e2e_fail "EnvironmentFile= not read"
# StateDirectory=: made by systemd, owned by the user, StateDirectoryMode
mode=$(u get StateDirectoryMode)
while read -r d; do
	mkdir -p "$d"
	chmod "${mode:-0755}" "$d"
	[ "$(id -u)" = 0 ] && chown "$SVCUSER:$SVCGROUP" "$d"
done < "$T/statedirs"
# LoadCredential=: copied by systemd into %d, owned by the user, read-only
CREDS="$R/run/credentials/corral.service"
mkdir -p "$CREDS"
u creds > "$T/creds"
while IFS="$(printf '\t')" read -r id src; do
	[ -f "$src" ] || e2e_fail "credential $id: no $src"
	cp "$src" "$CREDS/$id"
	chmod 0400 "$CREDS/$id"
done < "$T/creds"
chmod 0500 "$CREDS"
[ "$(id -u)" = 0 ] && chown -R "$SVCUSER:$SVCGROUP" "$CREDS"
grep -q "^CORRAL_ADMIN_TOKEN_FILE=$CREDS/admin.token\$" "$T/unit.env" ||
    e2e_fail "CORRAL_ADMIN_TOKEN_FILE does not name the admin.token credential"
# --- what the unit promises -------------------------------------------------
[ "$(u get Type)" = notify ] || e2e_fail "Type=$(u get Type), want notify"
[ "$(u get NotifyAccess)" = main ] || e2e_fail "NotifyAccess=$(u get NotifyAccess)"
[ "$(u get KillMode)" = mixed ] || e2e_fail "KillMode=$(u get KillMode)"
[ -n "$(u get User)" ] && [ "$(u get User)" != root ] || e2e_fail "User=$(u get User)"
WD=$(u seconds WatchdogSec)
STOP=$(u seconds TimeoutStopSec)
[ -n "$WD" ] && [ -n "$STOP" ] || e2e_fail "no WatchdogSec= or TimeoutStopSec="
SHUT=$(sed -n 's/^CORRAL_SHUTDOWN_TIMEOUT=//p' "$T/unit.env")
SHUT=${SHUT:-10}
# the workers drain for shutdown_timeout, then http for as long again
le "$((2 * SHUT + 5))" "$STOP" || e2e_fail "TimeoutStopSec=$STOP is short of 2 x shutdown_timeout ($SHUT) + 5"
STATE=$(sed -n 's/^CORRAL_STATE_ROOT=//p' "$T/unit.env")
WORK=$(sed -n 's/^CORRAL_WORKSPACE_ROOT=//p' "$T/unit.env")
[ -n "$STATE" ] && [ -n "$WORK" ] && [ "$STATE" != "$WORK" ] || e2e_fail "state $STATE workspace $WORK"
grep -qxF "$STATE" "$T/statedirs" || e2e_fail "state_root $STATE is not a StateDirectory="
grep -qxF "$WORK" "$T/statedirs" || e2e_fail "workspace_root $WORK is not a StateDirectory="

# --- the daemon as the unit starts it (checked in 3., after 1. and 2.) -------
# the notification socket systemd listens on
NSOCK="$R/run/systemd/notify"
"$PY" - "$NSOCK" > "$T/notify.out" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.settimeout(120)
try:
    while True:
        m = s.recv(4096).decode()
        print("%.3f %s" % (time.time(), m), flush=True)
        if m.startswith("STOPPING=1"):
            break
except socket.timeout:
    pass
PY
RPID=$!
e2e_wait "notify socket" 5 test -S "$NSOCK"
chmod 755 "$R/run/systemd"
u argv ExecStart > "$T/argv"
mapfile -t ARGV < "$T/argv"
[ "${ARGV[0]}" = "$R/usr/local/bin/corral" ] || e2e_fail "ExecStart= runs ${ARGV[0]}"
# the environment systemd gives a User= service, then the unit's
ENVV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    LANG=C.UTF-8 USER="$SVCUSER" LOGNAME="$SVCUSER" HOME="$R/var/lib/corral"
    SHELL=/usr/sbin/nologin INVOCATION_ID=0123456789abcdef0123456789abcdef
    CREDENTIALS_DIRECTORY="$CREDS" STATE_DIRECTORY="$(paste -sd: "$T/statedirs")"
    NOTIFY_SOCKET="$NSOCK" WATCHDOG_USEC="$(calc "int($WD * 1000000)")")
[ "$SAN" = 1 ] && ENVV+=(ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}")
mapfile -t UENV < "$T/unit.env"
PRIV=(setpriv --no-new-privs)
[ "$(id -u)" = 0 ] && PRIV+=(--reuid="$SVCUID" --regid="$(id -g "$SVCUSER")" --clear-groups
    --bounding-set=-all --inh-caps=-all)
TRACE=()
if [ "$SAN" = 0 ]; then
	# strace outside the user switch: as root it can read the memory of
	# the secrets worker, which makes itself non-dumpable
	mkdir -m 1777 "$T/strace"
	TRACE=(strace -ff -qq -y -s 256 -o "$T/strace/t" --)
fi
UMASK=$(u get UMask)
NOFILE=$(u get LimitNOFILE)
t0=$(date +%s.%N)
# LimitNOFILE=, as far as this machine's hard limit allows
(umask "${UMASK:-0022}" && cd / &&
    { [ -z "$NOFILE" ] || ulimit -n "$NOFILE" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; } &&
    exec "${TRACE[@]}" "${PRIV[@]}" -- env -i "${ENVV[@]}" "${UENV[@]}" "${ARGV[@]}") \
    > "$T/log" 2>&1 &
LPID=$!
PID=$LPID
if [ "$SAN" = 0 ]; then
	e2e_wait "corral under strace" 10 pgrep -P "$LPID"
	CPID=$(pgrep -P "$LPID" | head -1)
else
	CPID=$LPID
fi

# --- 1. systemd-analyze verify ------------------------------------------
# unitdir NAME [DROPIN...]: a copy of the unit with ExecStart= on the copy
# of the binary, and the drop-ins, in $T/NAME; its path on stdout
unitdir() {
	d="$T/$1"
	shift
	mkdir -p "$d/corral.service.d"
	sed "s|/usr/local/|$R/usr/local/|g" "$UNIT" > "$d/corral.service"
	for f in "$@"; do cp "$f" "$d/corral.service.d/"; done
	echo "$d"
}
# verify DIR: 0 if verify exits 0 and says nothing about DIR/corral.service
# (or its drop-ins); what it said in $T/verify.out
verify() {
	(cd "$1" && systemd-analyze verify --man=no --recursive-errors=no \
	    "$1/corral.service") > "$T/verify.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && ! grep -F -e "$1/" -e "corral.service" "$T/verify.out" >/dev/null
}
# shellcheck disable=SC2086
for set in plain dropins; do
	if [ "$set" = plain ]; then d=$(unitdir v-plain); else d=$(unitdir v-dropins $DROPINS); fi
	verify "$d" || e2e_fail "verify ($set): $(cat "$T/verify.out")"
done
e2e_log "systemd-analyze verify: clean, with and without the drop-ins"
# each broken copy must be caught
d=$(unitdir v-key)
sed -i 's/^ProtectHome=yes/ProtectHom=yes/' "$d/corral.service"
verify "$d" && e2e_fail "verify did not catch an unknown key"
grep -q "Unknown key" "$T/verify.out" || e2e_fail "unknown key: $(cat "$T/verify.out")"
d=$(unitdir v-value)
sed -i 's/^KillMode=mixed/KillMode=mixd/' "$d/corral.service"
verify "$d" && e2e_fail "verify did not catch a bad KillMode value"
d=$(unitdir v-exec)
sed -i "s|^ExecStart=.*|ExecStart=$R/usr/local/bin/no-such-corral run|" "$d/corral.service"
verify "$d" && e2e_fail "verify did not catch a missing ExecStart binary"
# shellcheck disable=SC2086
d=$(unitdir v-dropin $DROPINS)
sed -i 's/^SupplementaryGroups=/SupplementaryGroup=/' "$d/corral.service.d/engines-docker.conf"
verify "$d" && e2e_fail "verify did not catch a typo in a drop-in"
e2e_log "systemd-analyze verify: catches an unknown key, a bad value, a missing binary, a drop-in typo"

# the sysusers.d snippet makes the unit's User= and Group=, home at the
# state directory, no login shell
mkdir -p "$T/sysroot/etc"
systemd-sysusers --root="$T/sysroot" "$SRC/corral.sysusers" > "$T/sysusers.out" 2>&1 ||
    e2e_fail "systemd-sysusers: $(cat "$T/sysusers.out")"
IFS=: read -r pu _ _ pg _ ph psh < <(grep "^$(u get User):" "$T/sysroot/etc/passwd")
[ "$pu" = "$(u get User)" ] || e2e_fail "sysusers made no user $(u get User): $(cat "$T/sysroot/etc/passwd")"
grep -q "^$(u get Group):x:$pg:" "$T/sysroot/etc/group" || e2e_fail "sysusers: group $(u get Group) is not the user's"
[ "$ph" = /var/lib/corral ] && [ "$psh" = /usr/sbin/nologin ] || e2e_fail "sysusers: home $ph shell $psh"
e2e_log "systemd-sysusers: user and group $pu, home $ph, shell $psh"

# --- 2. systemd-analyze security --offline ----------------------------------
# exposure DIR: the overall exposure level of DIR/corral.service
exposure() {
	(cd "$1" && systemd-analyze security --offline=yes --man=no \
	    "$1/corral.service") > "$T/security.out" 2>&1
	sed -n 's/.*Overall exposure level for corral.service: \([0-9.]*\).*/\1/p' "$T/security.out"
}
score=$(exposure "$T/v-plain")
[ -n "$score" ] || e2e_fail "no exposure level: $(cat "$T/security.out")"
le "$score" "$MAX_EXPOSURE" ||
    e2e_fail "exposure $score > $MAX_EXPOSURE: $(grep '✗' "$T/security.out")"
dscore=$(exposure "$T/v-dropins")
le "$dscore" "$MAX_EXPOSURE" || e2e_fail "exposure with drop-ins $dscore > $MAX_EXPOSURE"
d=$(unitdir v-soft)
sed -i -E '/^(NoNewPrivileges|CapabilityBoundingSet|ProtectSystem|ProtectHome|SystemCallFilter|RestrictAddressFamilies|PrivateTmp|ProtectKernel[A-Za-z]*)=/d' "$d/corral.service"
soft=$(exposure "$d")
le "$soft" "$MAX_EXPOSURE" && e2e_fail "a unit without hardening scored $soft, under $MAX_EXPOSURE"
e2e_log "systemd-analyze security: exposure $score (with drop-ins $dscore; without hardening $soft), limit $MAX_EXPOSURE"

# --- 3. the running daemon ----------------------------------------------------
ready_sent() { grep -q ' READY=1$' "$T/notify.out"; }
e2e_wait "READY=1" "$(u seconds TimeoutStartSec | cut -d. -f1 | sed 's/^$/90/')" ready_sent
e2e_ready || e2e_fail "READY=1 sent but /readyz is not 200"
e2e_log "READY=1 after $(calc "round($(awk '/ READY=1$/ {print $1; exit}' "$T/notify.out") - $t0, 2)") s"

# the credentials are what corral uses; nothing generated in the state root
code() { curl -s -o "$T/body" -w '%{http_code}' --max-time 5 "$@"; }
[ "$(code -H "Authorization: Bearer $ADMIN" "$CORRAL_URL/v1/workers")" = 200 ] ||
    e2e_fail "admin token from the credential: $(cat "$T/body")"
"$PY" -c "
import json,sys
w = json.load(open('$T/body'))
w = w.get('workers', w) if isinstance(w, dict) else w
bad = [x['name'] for x in w if x['state'] != 'ready']
names = sorted(x['name'] for x in w)
sys.exit('not ready: %s' % bad if bad else 0 if names == ['engines','gpu','http','secrets'] else 'workers: %s' % names)
" || e2e_fail "workers: $(cat "$T/body")"
[ -e "$STATE/admin.token" ] && e2e_fail "an admin token was generated despite the credential"
[ "$(code -H "Authorization: Bearer $RO" "$CORRAL_URL/metrics")" = 200 ] ||
    e2e_fail "readonly token on /metrics: $(cat "$T/body")"
grep -q '^corral_worker_up{worker="gpu"} 1' "$T/body" || e2e_fail "/metrics: $(head -c 400 "$T/body")"
[ "$(code -X PUT -H "Authorization: Bearer $ADMIN" -d '{"provider":"openai","value":"sk-systemd-unit-test-value"}' \
    "$CORRAL_URL/v1/secrets/unit.test")" = 200 ] || e2e_fail "master key credential: PUT secret: $(cat "$T/body")"
[ -f "$STATE/secrets/store.json" ] || e2e_fail "no secret store under $STATE"
# every process: the unit's user, no capabilities, no_new_privs
PIDS="$CPID $(e2e_children "$CPID")"
[ "$(echo $PIDS | wc -w)" -ge 5 ] || e2e_fail "processes: $PIDS"
for p in $PIDS; do
	st=/proc/$p/status
	[ "$(awk '/^Uid:/ {print $2 $3 $4 $5}' "$st")" = "$SVCUID$SVCUID$SVCUID$SVCUID" ] ||
	    e2e_fail "pid $p runs as $(awk '/^Uid:/ {print $2}' "$st"), want $SVCUID"
	[ "$(awk '/^CapEff:/ {print $2}' "$st")" = 0000000000000000 ] || e2e_fail "pid $p CapEff"
	[ "$(awk '/^NoNewPrivs:/ {print $2}' "$st")" = 1 ] || e2e_fail "pid $p no_new_privs"
done
# UMask=0077: nothing the daemon made is open to group or others (the
# workspace is 0750 by corral's choice, less the umask)
found=$(find "$STATE" "$WORK" -perm /077 | head -5)
[ -z "$found" ] || e2e_fail "UMask=${UMASK}: $(ls -ld $found)"

# ExecReload=, as systemd runs it
MAINPID=$CPID u argv ExecReload > "$T/reload.argv"
mapfile -t RARGV < "$T/reload.argv"
"${RARGV[@]}" || e2e_fail "ExecReload= ${RARGV[*]} failed"
e2e_wait "reload" 10 grep -q "configuration reloaded" "$T/log"
e2e_ready || e2e_fail "not ready after a reload"

# the watchdog: the first WATCHDOG=1 within WatchdogSec/2 (+2 s slack)
wd_sent() { grep -q ' WATCHDOG=1$' "$T/notify.out"; }
e2e_wait "WATCHDOG=1" "$(calc "int($WD / 2 + 3)")" wd_sent
wdt=$(calc "round($(awk '/ WATCHDOG=1$/ {print $1; exit}' "$T/notify.out") - $t0, 2)")
le "$wdt" "$(calc "$WD / 2 + 2")" || e2e_fail "first WATCHDOG=1 after $wdt s; WatchdogSec=$WD"
le "$(calc "$WD / 2 - 1")" "$wdt" || e2e_fail "first WATCHDOG=1 after $wdt s: not from WatchdogSec=$WD"
grep -q ' STATUS=running: 4 of 4 workers ready' "$T/notify.out" || e2e_fail "no STATUS=: $(cat "$T/notify.out")"
e2e_log "WATCHDOG=1 after $wdt s (WatchdogSec=$WD)"

# stop: KillMode=mixed sends SIGTERM to the main process only; everything
# must be gone before TimeoutStopSec, so the final SIGKILL finds nothing
WORKERS=$(e2e_children "$CPID")
ts=$(date +%s.%N)
kill -TERM "$CPID"
e2e_wait_exit "$(printf '%.0f' "$STOP")"
[ "$RC" = 0 ] || e2e_fail "exit code $RC after SIGTERM"
stopped=$(calc "round($(date +%s.%N) - $ts, 2)")
for p in $WORKERS; do
	kill -0 "$p" 2>/dev/null && e2e_fail "worker $p outlived the master"
done
CPID=
LPID=
wait "$RPID"
RPID=
r=$(grep -n ' READY=1$' "$T/notify.out" | cut -d: -f1 | head -1)
s=$(grep -n ' STOPPING=1$' "$T/notify.out" | cut -d: -f1 | head -1)
[ -n "$s" ] && [ "$r" -lt "$s" ] || e2e_fail "no STOPPING=1 after READY=1: $(cat "$T/notify.out")"
e2e_log "stopped in $stopped s (TimeoutStopSec=$STOP)"

# what corral did, against the sandbox the unit would have put it in
if [ "$SAN" = 0 ]; then
	u strace "$T/strace" > "$T/sandbox.out" 2> "$T/sandbox.err" ||
	    e2e_fail "the unit's sandbox would break corral: $(head -20 "$T/sandbox.out") $(cat "$T/sandbox.err")"
	e2e_log "sandbox: $(cat "$T/sandbox.err")"
	# the same traces against a unit missing what corral needs: each must
	# be reported, or the check above proves nothing
	# mutant NAME SED EXPECT: the unit edited by SED is reported with EXPECT
	mutant() {
		sed -E "$2" "$UNIT" > "$T/$1.service"
		"$PY" "$HELPER" --root "$R" "$T/$1.service" strace "$T/strace" \
		    > "$T/$1.out" 2>/dev/null && e2e_fail "sandbox check missed: $1"
		grep -q "$3" "$T/$1.out" || e2e_fail "sandbox check $1: $(head -5 "$T/$1.out")"
	}
	mutant no-unix 's/^RestrictAddressFamilies=.*/RestrictAddressFamilies=AF_INET AF_INET6/' \
	    'RestrictAddressFamilies: socket(AF_UNIX)'
	mutant few-calls 's/^SystemCallFilter=@system-service/SystemCallFilter=@basic-io @io-event/' \
	    'SystemCallFilter: .* is not allowed'
	mutant no-state 's/^StateDirectory=.*/StateDirectory=corral-elsewhere/' \
	    'ProtectSystem=strict: .*/var/lib/corral/state'
	e2e_log "sandbox: a unit without AF_UNIX, with too few system calls or without the state directories is caught"
else
	e2e_log "sanitized build: run without strace, sandbox not checked"
fi
e2e_pass
