#!/bin/bash
# Bearer auth: no token and a wrong token 401, read-only may GET but not
# POST (403), admin may do everything; errors are JSON; 404/405/413 too.
. "$(dirname "$0")/lib.sh"
e2e_setup
printf 'admin-token-0123456789abcdef\n' > "$T/admin.tok"
printf 'readonly-token-0123456789abcd\n' > "$T/ro.tok"
chmod 600 "$T/admin.tok" "$T/ro.tok"
CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" CORRAL_READONLY_TOKEN_FILE="$T/ro.tok" e2e_start
e2e_wait "ready" 10 e2e_ready
U=$CORRAL_URL
A="Authorization: Bearer admin-token-0123456789abcdef"
R="Authorization: Bearer readonly-token-0123456789abcd"

# check WANT-CODE WANT-ERROR-CODE curl-args...
check() {
	want=$1 werr=$2
	shift 2
	code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 5 "$@")
	[ "$code" = "$want" ] || e2e_fail "$*: HTTP $code, want $want: $(cat "$T/body")"
	if [ "$werr" != - ]; then
		got=$(e2e_json "j['error']['code']" < "$T/body") ||
		    e2e_fail "$*: body is not a JSON error: $(cat "$T/body")"
		[ "$got" = "$werr" ] || e2e_fail "$*: error code $got, want $werr"
		e2e_json "j['error']['message']" < "$T/body" >/dev/null || e2e_fail "no message"
	fi
}
check 401 unauthorized "$U/v1/runtime"
check 401 unauthorized -H "Authorization: Bearer wrong-token-0123456789abcdef" "$U/v1/runtime"
check 401 unauthorized -H "Authorization: Basic YWRtaW46YWRtaW4=" "$U/v1/runtime"
check 401 unauthorized -H "Authorization: Bearer admin-token-0123456789abcde" "$U/v1/runtime"
check 200 - -H "$R" "$U/v1/runtime"
check 200 - -H "$R" "$U/v1/workers"
check 403 forbidden -H "$R" -X POST "$U/v1/workers/http/restart"
check 200 - -H "$A" "$U/v1/workers/http"
check 404 not_found -H "$A" "$U/v1/workers/nope"
check 404 not_found -H "$A" "$U/v1/nothing-here"
check 405 method_not_allowed -H "$A" -X DELETE "$U/v1/workers"
check 405 method_not_allowed -H "$A" -X GET "$U/v1/workers/http/restart"
head -c 2000000 /dev/zero | tr '\0' a > "$T/big"
check 413 - -H "$A" -X POST --data-binary @"$T/big" "$U/v1/workers/http/restart"
check 200 - "$U/healthz"
curl -s -I -H "$A" "$U/v1/nothing" | grep -qi '^content-type: application/json' || e2e_fail "404 is not JSON"
# WWW-Authenticate on 401
curl -s -D - -o /dev/null "$U/v1/runtime" | grep -qi '^www-authenticate: bearer' || e2e_fail "no WWW-Authenticate"
# the daemon is still fine, and the tokens never reached the log
e2e_ready || e2e_fail "not ready after the abuse"
grep -q admin-token-0123 "$T/log" && e2e_fail "admin token in the log"
grep -q readonly-token-0123 "$T/log" && e2e_fail "read-only token in the log"
check 202 - -H "$A" -X POST "$U/v1/workers/http/restart"
kill -TERM "$PID"
e2e_wait_exit 15
[ "$RC" = 0 ] || e2e_fail "exit code $RC"
e2e_pass
