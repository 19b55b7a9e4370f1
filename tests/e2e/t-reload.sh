#!/bin/bash
# SIGHUP reloads tokens: the new admin token works, the old one stops
# working, without a restart of any worker. A broken file is refused and
# the running configuration stays.
. "$(dirname "$0")/lib.sh"
e2e_setup
printf 'first-admin-token-0123456789\n' > "$T/admin.tok"
chmod 600 "$T/admin.tok"
CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" e2e_start
e2e_wait "ready" 10 e2e_ready
code() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$CORRAL_URL/v1/runtime"; }
[ "$(code first-admin-token-0123456789)" = 200 ] || e2e_fail "first token"
hp=$(curl -s -H "Authorization: Bearer first-admin-token-0123456789" "$CORRAL_URL/v1/workers/http" | e2e_json "j['pid']")
printf 'second-admin-token-0123456789\n' > "$T/admin.tok"
kill -HUP "$PID"
swapped() { [ "$(code second-admin-token-0123456789)" = 200 ]; }
e2e_wait "new token accepted" 5 swapped
[ "$(code first-admin-token-0123456789)" = 401 ] || e2e_fail "old token still accepted"
hp2=$(curl -s -H "Authorization: Bearer second-admin-token-0123456789" "$CORRAL_URL/v1/workers/http" | e2e_json "j['pid']")
[ "$hp" = "$hp2" ] || e2e_fail "http restarted on reload"
# a broken configuration on reload: refused, the old one keeps working
echo "nonsense here" >> "$T/corral.conf"
kill -HUP "$PID"
e2e_wait "reload refused" 5 grep -q "reload refused" "$T/log"
[ "$(code second-admin-token-0123456789)" = 200 ] || e2e_fail "lost the config"
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
