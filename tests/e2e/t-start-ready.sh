#!/bin/bash
# start -> ready: /healthz, /readyz, the admin token file (0600, path logged,
# content never), worker processes named and sandboxed, corralctl status.
. "$(dirname "$0")/lib.sh"
e2e_setup
e2e_fake echo
e2e_start
e2e_wait "healthz 200" 10 e2e_healthy
e2e_wait "readyz 200" 10 e2e_ready
body=$(curl -s "$CORRAL_URL/healthz")
[ "$(echo "$body" | e2e_json "j['status']")" = ok ] || e2e_fail "healthz body: $body"

tok="$T/state/admin.token"
[ -f "$tok" ] || e2e_fail "no admin token file at $tok"
mode=$(stat -c %a "$tok")
[ "$mode" = 600 ] || e2e_fail "admin.token mode: got $mode, want 600"
grep -q "$tok" "$T/log" || e2e_fail "token path not logged"
grep -qF "$(e2e_token)" "$T/log" && e2e_fail "the token itself is in the log"

# every worker is a child of the master, running, with no capabilities
for w in http echo; do
	pid=$(e2e_worker "$w" pid)
	[ "$(e2e_worker "$w" state)" = ready ] || e2e_fail "$w not ready"
	[ "$(awk '/^PPid:/ {print $2}' /proc/"$pid"/status)" = "$PID" ] ||
	    e2e_fail "$w (pid $pid) is not a child of the master"
	[ "$(awk '/^CapEff:/ {print $2}' /proc/"$pid"/status)" = 0000000000000000 ] ||
	    e2e_fail "$w has capabilities"
	[ "$(awk '/^NoNewPrivs:/ {print $2}' /proc/"$pid"/status)" = 1 ] ||
	    e2e_fail "$w lacks no_new_privs"
	[ "$(cat /proc/"$pid"/comm)" = "$w" ] || e2e_fail "$w process name: $(cat /proc/"$pid"/comm)"
done

out=$("$CORRALCTL" status) || e2e_fail "corralctl status exit $?: $out"
echo "$out" | grep -q http || e2e_fail "corralctl status lists no http: $out"
out=$("$CORRALCTL" workers) || e2e_fail "corralctl workers failed"
echo "$out" | grep -E '^echo +ready' >/dev/null || e2e_fail "corralctl workers: $out"
"$CORRALCTL" --json workers | e2e_json "len(j['workers'])" | grep -qx 2 ||
    e2e_fail "corralctl --json workers"

rt=$(e2e_api GET /v1/runtime)
for k in version uptime_s bind state_root workspace_root auth_mode mcp_discovery workers; do
	echo "$rt" | e2e_json "'$k' in j" | grep -qx true || e2e_fail "/v1/runtime lacks $k: $rt"
done
[ "$(echo "$rt" | e2e_json "j['mcp_discovery']")" = disabled ] || e2e_fail "mcp_discovery default"

kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
