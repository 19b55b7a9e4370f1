#!/bin/bash
# Every guardrail refuses before anything starts: exit 2 and one line on
# stderr saying what and where; the daemon and check-config alike.
. "$(dirname "$0")/lib.sh"
e2e_setup
echo "an-admin-token-of-some-length" > "$T/admin.tok"
chmod 600 "$T/admin.tok"

# refuse DESC PATTERN ENV... -- ARGS... : both `corral` and `corral
# check-config` exit 2 with one stderr line matching PATTERN
refuse() {
	desc=$1 pat=$2
	shift 2
	envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	for sub in run check-config; do
		out=$(cd "$T" && env "${envs[@]}" CORRAL_USER=root "$CORRAL" $sub "$@" 2>&1 >/dev/null)
		rc=$?
		[ "$rc" = 2 ] || e2e_fail "$desc ($sub): exit $rc, want 2: $out"
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || e2e_fail "$desc ($sub): not one line: $out"
		printf '%s\n' "$out" | grep -Eiq -- "$pat" || e2e_fail "$desc ($sub): message '$out' !~ /$pat/"
	done
	e2e_log "refused: $desc: $out"
}

C=(--config "$T/corral.conf")
refuse "relative state_root" "state.root.*relative" CORRAL_STATE_ROOT=var/state -- "${C[@]}"
refuse "relative workspace_root" "workspace.root.*relative" X=1 -- "${C[@]}" --workspace-root ws
refuse "identical roots" "identical|same" X=1 -- "${C[@]}" --state-root "$T/r" --workspace-root "$T/r"
refuse "non-loopback bind without auth" "0\.0\.0\.0.*(auth|insecure)|(auth|insecure).*0\.0\.0\.0" \
    CORRAL_HTTP_AUTH_MODE=none -- "${C[@]}" --bind 0.0.0.0:$PORT --state-root "$T/s" --workspace-root "$T/w"
refuse "unreadable token file" "CORRAL_ADMIN_TOKEN_FILE.*$T/nope" \
    CORRAL_ADMIN_TOKEN_FILE="$T/nope" -- "${C[@]}" --state-root "$T/s" --workspace-root "$T/w"
refuse "inline and file token" "CORRAL_ADMIN_TOKEN.*CORRAL_ADMIN_TOKEN_FILE" \
    CORRAL_ADMIN_TOKEN=an-admin-token-of-some-length CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" -- \
    "${C[@]}" --state-root "$T/s" --workspace-root "$T/w"
refuse "unknown flag" "--frobnicate" X=1 -- "${C[@]}" --frobnicate
echo "bogus_key = 1" >> "$T/corral.conf"
refuse "unknown setting" "corral.conf:2: unknown setting .bogus_key" X=1 -- "${C[@]}" --state-root "$T/s" --workspace-root "$T/w"
printf "worker http = on\n" > "$T/corral.conf"
refuse "stray argument" "unexpected argument 'frobnicate'" X=1 -- "${C[@]}" frobnicate
out=$("$CORRAL" frobnicate 2>&1 >/dev/null)
[ $? = 2 ] && echo "$out" | grep -q "unknown command 'frobnicate'" || e2e_fail "unknown command: $out"

# a skill that does not check stops corral when the skills worker is on:
# one line naming the file and the field (docs/skills.md)
mkdir -p "$T/skills/summarize" "$T/skills/.hidden" "$T/skills/notes"
printf 'Summarize the text.\n' > "$T/skills/summarize/SKILL.md"
printf '{"name": "summarize", "agents": ["claude"],\n "inputs": {"text": {"type": "blob"}}}\n' \
    > "$T/skills/summarize/skill.json"
printf '{' > "$T/skills/.hidden/skill.json"	# skipped: a dot name
printf 'worker http = on\nworker skills = on\n' > "$T/skills.conf"
S=(--config "$T/skills.conf" --skills-dir "$T/skills" --state-root "$T/s" --workspace-root "$T/w")
refuse "bad skill.json" "^corral: skills_dir: $T/skills/summarize/skill\.json: inputs\.text\.type: want \"string\", \"number\" or \"boolean\"\$" \
    X=1 -- "${S[@]}"
# the skills worker off: skills_dir is not its business
out=$(cd "$T" && "$CORRAL" check-config --config "$T/corral.conf" --skills-dir "$T/skills" \
    --state-root "$T/s" --workspace-root "$T/w" 2>&1) || e2e_fail "skills worker off, bad skill refused: $out"
# fixed, it checks; so does a skills_dir that does not exist
printf '{"name": "summarize", "agents": ["claude"],\n "inputs": {"text": {"type": "string"}}}\n' \
    > "$T/skills/summarize/skill.json"
out=$(cd "$T" && "$CORRAL" check-config "${S[@]}" 2>&1) || e2e_fail "good skill refused: $out"
out=$(cd "$T" && "$CORRAL" check-config "${S[@]}" --skills-dir "$T/none" 2>&1) ||
    e2e_fail "missing skills_dir refused: $out"

# the secrets never appear in what is printed
out=$(cd "$T" && CORRAL_ADMIN_TOKEN=an-admin-token-of-some-length CORRAL_ADMIN_TOKEN_FILE="$T/admin.tok" \
    "$CORRAL" check-config --config "$T/corral.conf" 2>&1)
echo "$out" | grep -q an-admin-token && e2e_fail "token printed: $out"

# opting into insecure mode lets the non-loopback bind through
out=$(cd "$T" && CORRAL_HTTP_AUTH_MODE=none CORRAL_ALLOW_INSECURE=1 "$CORRAL" check-config \
    --config "$T/corral.conf" --bind 0.0.0.0:$PORT --state-root "$T/s" --workspace-root "$T/w" 2>&1) ||
    e2e_fail "insecure opt-in refused: $out"
# defaults pass, made absolute from the working directory
out=$(cd "$T" && env -u CORRAL_STATE_ROOT "$CORRAL" check-config --config "$T/corral.conf" 2>&1) || e2e_fail "defaults: $out"
echo "$out" | grep -q "state $T/var/state" || e2e_fail "default state root: $out"
# a daemon refused by a guardrail started nothing
[ -d "$T/s" ] && e2e_fail "a refused start created the state root"
e2e_pass
