# mcp.sh - helpers for the MCP end-to-end tests (sourced after lib.sh)
#
# mcp_up installs (or finds) the real MCP servers from npm with
# tests/mcp/npm.sh and sets MCPDIR, NODE, EVERYTHING (server-everything's
# entry), FILESYSTEM (server-filesystem's) and FAKEMCP (the python fake
# of tests/mcp/, empty when it is not there). Without the npm registry
# the setup fails: tests/run-checks.sh then sets E2E_NO_MCP and counts
# the suite as skipped (CI fails on a skip), and the tests print SKIP and
# pass nothing, like the container tests without their lab (lab.sh). A
# test run on its own that cannot set up fails under CORRAL_REQUIRE_ALL=1,
# else it prints SKIP.
#
# Every server a test starts gets CORRAL_E2E=$T in its environment, so
# mcp_procs finds this test's servers (and no other test's) in /proc,
# whoever their parent is by then; the cleanup kills what is left.
MCP_NPM="$TOP/tests/mcp/npm.sh"
MCPDIR=
NODE=
EVERYTHING=
FILESYSTEM=
FAKEMCP=

mcp_skip() {
	if [ "${CORRAL_REQUIRE_ALL:-0}" = 1 ]; then
		e2e_fail "$1 (CORRAL_REQUIRE_ALL=1: a skip is a failure)"
	fi
	e2e_log "SKIP: $1"
	exit 0
}

mcp_up() {
	if [ -n "${E2E_NO_MCP:-}" ]; then
		# run-checks.sh counts this skip (and fails CI on it)
		e2e_log "SKIP: no MCP servers from npm ($E2E_NO_MCP)"
		exit 0
	fi
	MCPDIR=$(sh "$MCP_NPM" install 2> "$T/npm.err") || {
		sed 's/^/    /' "$T/npm.err"
		mcp_skip "tests/mcp/npm.sh failed (npm registry unreachable?)"
	}
	NODE=$(command -v node) || e2e_fail "node is not installed"
	EVERYTHING="$MCPDIR/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
	FILESYSTEM="$MCPDIR/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"
	FAKEMCP=
	[ -f "$TOP/tests/mcp/fake_mcp_server.py" ] &&
	    FAKEMCP="$TOP/tests/mcp/fake_mcp_server.py"
	trap 'mcp_kill_left; e2e_cleanup' EXIT
}

# mcp_procs - pids of this test's MCP servers still alive (not zombies)
mcp_procs() {
	for f in $(grep -lzxF "CORRAL_E2E=$T" /proc/[0-9]*/environ 2>/dev/null); do
		d=${f%/environ}
		st=$(sed 's/^.*) //' "$d/stat" 2>/dev/null | cut -c1)
		[ -n "$st" ] && [ "$st" != Z ] && echo "${d#/proc/}"
	done
	return 0
}

mcp_none_left() { [ -z "$(mcp_procs)" ]; }

mcp_kill_left() {
	[ -n "$T" ] || return 0
	for p in $(mcp_procs); do kill -KILL "$p" 2>/dev/null; done
	return 0
}

# mcp_cmdline PID - the command line, blanks between the arguments
mcp_cmdline() { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null; }

# mcp_ppid PID - the parent's pid
mcp_ppid() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2; }

# mcp_children PID PATTERN - children of PID whose command line holds
# PATTERN (a fixed string)
mcp_children() {
	for c in $(pgrep -P "$1"); do
		mcp_cmdline "$c" | grep -qF -- "$2" && echo "$c"
	done
}
