#!/bin/bash
# corral secrets ... without a daemon: generate a key, set from the
# environment, a file and stdin, list (table, JSON, without a key), delete,
# rekey; refusals (no --offline, both key inputs, unreadable, short or
# wrong key) exit 2 with one line; the modes are 0700/0600; no plaintext
# ever shows in any output or in any file under the state root.
. "$(dirname "$0")/lib.sh"
e2e_setup
unset CORRAL_AUTH_STORE_MASTER_KEY CORRAL_AUTH_STORE_MASTER_KEY_FILE
S="$T/state"
STORE="$S/secrets/store.json"
P_ENV="sk-e2e-ENV-$$-f00dfeed"
P_FILE="sk-e2e-FILE-$$-cafebabe"
P_STDIN="sk-e2e-STDIN-$$-deadbeef"

# sec ARGS... - corral secrets ARGS; stdout in OUT, stderr in ERR, code in
# RC; everything printed is kept in $T/all for the final plaintext check
sec() {
	"$CORRAL" secrets "$@" >"$T/o" 2>"$T/e" </dev/null
	RC=$?
	OUT=$(cat "$T/o")
	ERR=$(cat "$T/e")
	cat "$T/o" "$T/e" >> "$T/all"
}

# want CODE PATTERN DESC - the last command exited CODE; for CODE 2 its
# stderr is one line matching PATTERN
want() {
	[ "$RC" = "$1" ] || e2e_fail "$3: exit $RC, want $1: $OUT $ERR"
	if [ "$1" != 0 ]; then
		[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || e2e_fail "$3: not one line: $ERR"
		printf '%s\n' "$ERR" | grep -Eq -- "$2" || e2e_fail "$3: '$ERR' !~ /$2/"
	fi
}

# generate: one line of base64, 32 bytes, and a new one each time
sec generate; want 0 "" "generate"
printf '%s\n' "$OUT" > "$T/key"
chmod 600 "$T/key"
echo "$OUT" | grep -Eq '^[A-Za-z0-9+/]{43}=$' || e2e_fail "generate: '$OUT' is not 44 chars of base64"
[ "$(wc -l < "$T/o")" = 1 ] || e2e_fail "generate: not one line"
[ "$(echo "$OUT" | base64 -d | wc -c)" = 32 ] || e2e_fail "generate: not 32 bytes"
sec generate; [ "$OUT" != "$(head -n1 "$T/key")" ] || e2e_fail "generate: the same key twice"
export CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/key"

# set from the environment, a file and stdin
OPENAI_KEY="$P_ENV" sec set openai.prod --offline --provider openai --from-env OPENAI_KEY
want 0 "" "set --from-env"
printf '%s\n' "$P_FILE" > "$T/value"
sec set anthropic.prod --offline --provider anthropic --from-file "$T/value"
want 0 "" "set --from-file"
printf '%s\n' "$P_STDIN" | "$CORRAL" secrets set local.model --offline --provider local \
    --from-stdin >>"$T/all" 2>&1 || e2e_fail "set --from-stdin"
[ "$(stat -c %a "$S/secrets")" = 700 ] || e2e_fail "secrets dir mode $(stat -c %a "$S/secrets")"
[ "$(stat -c %a "$STORE")" = 600 ] || e2e_fail "store mode $(stat -c %a "$STORE")"
[ "$(stat -c %a "$S/secrets/store.lock")" = 600 ] || e2e_fail "lock mode"

# list: sorted table, JSON, and without a key (names are not secret)
sec list; want 0 "" "list"
[ "$(echo "$OUT" | awk 'NR>1 {print $1 ":" $2}' | tr '\n' ' ')" = \
    "anthropic.prod:anthropic local.model:local openai.prod:openai " ] ||
    e2e_fail "list: $OUT"
echo "$OUT" | head -n1 | grep -q "^NAME *PROVIDER *CREATED *UPDATED$" || e2e_fail "list header: $OUT"
sec list --json; want 0 "" "list --json"
[ "$(echo "$OUT" | e2e_json "','.join(s['name'] + '/' + s['provider'] for s in j['secrets'])")" = \
    "anthropic.prod/anthropic,local.model/local,openai.prod/openai" ] || e2e_fail "list --json: $OUT"
echo "$OUT" | e2e_json "j['secrets'][0]['created']" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' ||
    e2e_fail "list --json: created is not RFC 3339"
CORRAL_AUTH_STORE_MASTER_KEY_FILE= sec list
want 2 "CORRAL_AUTH_STORE_MASTER_KEY_FILE: empty path" "empty key file variable"
(unset CORRAL_AUTH_STORE_MASTER_KEY_FILE; sec list; want 0 "" "list without a key"
    [ "$(echo "$OUT" | wc -l)" = 4 ] || e2e_fail "list without a key: $OUT") || exit 1

# changes need --offline; values never come from the command line
sec set x --provider p --from-env HOME
want 2 "changes go through the daemon \(corralctl secrets set\) or need --offline" "set without --offline"
sec delete openai.prod
want 2 "changes go through the daemon .* or need --offline" "delete without --offline"
sec set x "$P_ENV" --offline --provider p --from-env HOME
want 2 "unexpected extra argument" "value on the command line"
sec set x --offline --provider p --from-env NOT_SET_$$
want 2 "NOT_SET_$$: the variable is not set" "unset variable"
EMPTY= sec set x --offline --provider p --from-env EMPTY
want 2 "the value is empty" "empty variable"
sec set x --offline --provider p --from-env HOME --from-stdin
want 2 "exactly one of" "two value sources"
sec set x --offline --provider p --from-env HOME --state-root relative/dir
want 2 "--state-root: 'relative/dir' is relative" "relative state root"
CORRAL_STATE_ROOT=rel sec list
want 2 "CORRAL_STATE_ROOT: 'rel' is relative" "relative CORRAL_STATE_ROOT"

# key inputs: both, unreadable, short, not base64, wrong
CORRAL_AUTH_STORE_MASTER_KEY="$(cat "$T/key")" sec list
want 2 "CORRAL_AUTH_STORE_MASTER_KEY and CORRAL_AUTH_STORE_MASTER_KEY_FILE are both set" "both key inputs"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/nope" sec list
want 2 "CORRAL_AUTH_STORE_MASTER_KEY_FILE: cannot read $T/nope" "unreadable key file"
head -c 16 /dev/urandom | base64 > "$T/short"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/short" sec set x --offline --provider p --from-env HOME
want 2 "$T/short: the master key is 16 bytes, want 32" "short key"
(unset CORRAL_AUTH_STORE_MASTER_KEY_FILE
    CORRAL_AUTH_STORE_MASTER_KEY='not base64 at all!' sec list
    want 2 "CORRAL_AUTH_STORE_MASTER_KEY: the master key is not base64" "not base64"
    sec set x --offline --provider p --from-env HOME
    want 2 "no master key" "no key") || exit 1
"$CORRAL" secrets generate > "$T/other"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/other" sec list
want 2 "^corral secrets list: master key does not match the store at $STORE$" "wrong key (list)"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/other" sec set x --offline --provider p --from-env HOME
want 2 "master key does not match the store at $STORE" "wrong key (set)"

# check-config (what entrypoints run first) checks the key against the store
cc() {
	"$CORRAL" check-config --config /dev/null --state-root "$T/state" \
	    --workspace-root "$T/ws" >"$T/o" 2>"$T/e" </dev/null
	RC=$?
	OUT=$(cat "$T/o")
	ERR=$(cat "$T/e")
	cat "$T/o" "$T/e" >> "$T/all"
}
cc; want 0 "" "check-config with the right key"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/other" cc
want 2 "^corral: master key does not match the store at $STORE$" "check-config, wrong key"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/short" cc
want 2 "the master key is 16 bytes, want 32" "check-config, short key"

# delete
sec delete anthropic.prod --offline; want 0 "" "delete"
sec delete anthropic.prod --offline
want 1 "no secret named 'anthropic.prod' in $STORE" "delete twice"
sec list --json
[ "$(echo "$OUT" | e2e_json "len(j['secrets'])")" = 2 ] || e2e_fail "after delete: $OUT"

# rekey: the new key opens the store, the old one no longer does
sec rekey; want 2 "--new-key-file missing" "rekey without a key file"
sec rekey --new-key-file "$T/key"; want 2 "holds the key the store has now" "rekey to the same key"
sec rekey --new-key-file "$T/other"; want 0 "" "rekey"
echo "$OUT" | grep -q "2 secrets in $STORE" || e2e_fail "rekey: $OUT"
sec list; want 2 "master key does not match the store at $STORE" "old key after rekey"
CORRAL_AUTH_STORE_MASTER_KEY_FILE="$T/other" sec list; want 0 "" "new key after rekey"
[ "$(echo "$OUT" | wc -l)" = 3 ] || e2e_fail "after rekey: $OUT"
[ "$(stat -c %a "$STORE")" = 600 ] || e2e_fail "store mode after rekey"
ls "$S/secrets" | grep -q tmp && e2e_fail "temporary files left: $(ls "$S/secrets")"

# help and usage
sec help; want 0 "" "help"
echo "$OUT" | grep -q "corral secrets rekey --new-key-file" || e2e_fail "help: $OUT"
sec set --help; want 0 "" "set --help"
sec; [ "$RC" = 2 ] && echo "$ERR" | grep -q "^usage:" || e2e_fail "no command: exit $RC: $ERR"
sec frobnicate; want 2 "unknown command 'frobnicate'" "unknown command"

# no plaintext anywhere: not in what was printed, not in any file
for p in "$P_ENV" "$P_FILE" "$P_STDIN"; do
	grep -rqF -- "$p" "$S" && e2e_fail "a plaintext is in a file under $S"
	grep -qF -- "$p" "$T/all" && e2e_fail "a plaintext was printed"
done
e2e_pass
