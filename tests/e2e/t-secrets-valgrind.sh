#!/bin/bash
# The secrets and routes endpoints under valgrind (memcheck, every child
# traced, corralctl too): list, set through the API and corralctl, bad
# bodies, delete, routes, a reload, a clean stop; no memory error and no
# leak in any process. The http worker's wiping allocator (http_wipe.c)
# runs here on valgrind's malloc.
. "$(dirname "$0")/lib.sh"
e2e_setup
command -v valgrind >/dev/null || e2e_fail "valgrind is not installed"
case "$BUILD" in *san*) e2e_log "sanitizer build: valgrind does not apply"; e2e_pass ;; esac
ADMIN=admin-token-secrets-vg-01234567
printf '%s\n' "$ADMIN" > "$T/admin.tok"
chmod 600 "$T/admin.tok"
A="Authorization: Bearer $ADMIN"
"$CORRAL" secrets generate > "$T/master.key" || e2e_fail "secrets generate"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/master.key"
unset CORRAL_AUTH_STORE_MASTER_KEY
cat > "$T/routes.json" <<'EOF'
{"routes": [
  {"name": "gpt", "provider": "openai", "base_url": "https://api.openai.com/v1",
   "model": "gpt-4o", "secret": "openai.prod", "headers": {"X-Org": "o"}},
  {"name": "local", "provider": "ollama", "base_url": "http://127.0.0.1:11434",
   "model": "llama3"}
]}
EOF
e2e_conf "worker secrets = on" "routes_file = $T/routes.json"
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --error-exitcode=99"
CORRAL_USER=root CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" $VG --trace-children=yes \
    --child-silent-after-fork=yes --log-file="$T/vg.%p" \
    "$CORRAL" --config "$T/corral.conf" --bind "127.0.0.1:$PORT" \
    --state-root "$T/state" --workspace-root "$T/workspace" >"$T/log" 2>&1 &
PID=$!
e2e_wait "ready under valgrind" 60 e2e_ready
U=$CORRAL_URL
api() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 -H "$A" "$@"; }
ctl() { $VG --log-file="$T/vg.ctl.%p" "$CORRALCTL" --timeout 20 --token-file "$T/admin.tok" "$@" >/dev/null 2>&1; }

[ "$(api -X PUT --data-binary '{"provider":"openai","value":"sk-vg-1"}' "$U/v1/secrets/openai.prod")" = 200 ] ||
    e2e_fail "PUT"
[ "$(api -X PUT --data-binary '{"provider":"openai","value":""}' "$U/v1/secrets/x")" = 400 ] || e2e_fail "bad body"
[ "$(api -X PUT --data-binary 'garbage {"value":"sk-vg-2"' "$U/v1/secrets/x")" = 400 ] || e2e_fail "garbage"
[ "$(api "$U/v1/secrets")" = 200 ] || e2e_fail "GET /v1/secrets"
[ "$(api "$U/v1/routes")" = 200 ] || e2e_fail "GET /v1/routes"
[ "$(api -X DELETE "$U/v1/secrets/nope")" = 404 ] || e2e_fail "DELETE missing"
printf 'sk-vg-3\n' | ctl secrets set cli.one --provider mistral --from-stdin || e2e_fail "corralctl set"
ctl secrets list || e2e_fail "corralctl list"
ctl --json secrets list || e2e_fail "corralctl list --json"
ctl routes || e2e_fail "corralctl routes"
ctl secrets delete cli.one || e2e_fail "corralctl delete"
ctl secrets delete cli.one && e2e_fail "corralctl delete of a missing secret succeeded"
ctl secrets set cli.two --provider p --from-env NO_SUCH_VARIABLE && e2e_fail "unset variable accepted"
kill -HUP "$PID"
e2e_wait "reloaded" 30 grep -q "configuration reloaded" "$T/log"
[ "$(api "$U/v1/routes")" = 200 ] || e2e_fail "GET /v1/routes after the reload"
kill -TERM "$PID"
e2e_wait_exit 60
[ "$RC" = 0 ] || e2e_fail "exit code $RC (99: valgrind found errors)"
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost|indirectly lost|Invalid (read|write)|uninitialised' "$T"/vg.* 2>/dev/null)
if [ -n "$bad" ]; then
	for f in $bad; do sed 's/^/    /' "$f"; done
	e2e_fail "valgrind reports in: $bad"
fi
e2e_log "$(ls "$T"/vg.* | wc -l) processes checked"
e2e_pass
