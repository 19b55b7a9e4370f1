#!/bin/sh
# npm.sh - real MCP servers from the npm registry for the end-to-end tests
#
#   npm.sh [install]   install them unless already there; print the tree
#   npm.sh path        print where the tree is (no checks, no work)
#   npm.sh check       exit 0 if the tree is there and current, else 1
#
# The tree holds exactly what package.json and package-lock.json beside this
# script pin (the servers at exact versions, every dependency by version and
# integrity hash), installed with `npm ci`, no install scripts run. It lives
# outside the checkout, so a fresh clone and the next CI run reuse it:
#
#   CORRAL_MCP_NPM_DIR  (CORRAL_LAB_CACHE/mcp-npm, i.e.
#                        /var/cache/corral-lab/mcp-npm)
#
# A stamp in the tree (the hash of the two pin files) makes a second run
# cost a few milliseconds; a changed pin reinstalls into a temp directory
# and swaps it in, under a lock, so concurrent runs are safe. The tree is
# world-readable: the daemon under test may run as an unprivileged user.
#
# In the tree:
#   node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio
#   node_modules/@modelcontextprotocol/server-filesystem/dist/index.js DIR...
#
# Needs node (18 or newer) and npm: `sh scripts/deps.sh test` installs
# Debian's. Quiet on success but for the path; the first install announces
# itself on stderr; on failure it says what failed, with npm's output, and
# exits 1 (the registry unreachable, say).

set -u
umask 022

NPM_HERE=$(cd "$(dirname "$0")" && pwd)
NPM_CACHE=${CORRAL_LAB_CACHE:-/var/cache/corral-lab}
NPM_DIR=${CORRAL_MCP_NPM_DIR:-$NPM_CACHE/mcp-npm}
NPM_CMD=${1:-install}
NPM_STAMP=.corral-mcp-npm.stamp
NPM_TMP=

npm_die() {
	printf 'npm.sh %s: FAILED: %s\n' "$NPM_CMD" "$*" >&2
	exit 1
}

npm_cleanup() {
	[ -n "$NPM_TMP" ] && rm -rf "$NPM_TMP"
	return 0
}

# npm_want - the stamp a current tree carries: what the pins hash to
npm_want() {
	cat "$NPM_HERE/package.json" "$NPM_HERE/package-lock.json" |
	    sha256sum | cut -c1-64
}

npm_entries() {
	echo "$1/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
	echo "$1/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"
}

# npm_current DIR - DIR holds the pinned tree
npm_current() {
	[ -f "$1/$NPM_STAMP" ] || return 1
	[ "$(cat "$1/$NPM_STAMP")" = "$WANT" ] || return 1
	for f in $(npm_entries "$1"); do
		[ -r "$f" ] || return 1
	done
	return 0
}

npm_tools() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	    npm_die "node and npm are needed: sh scripts/deps.sh test (as root), or apt-get install nodejs npm"
	node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
	    npm_die "node $(node --version) is too old: the servers need 18 or newer"
}

npm_install() {
	npm_tools
	mkdir -p "$(dirname "$NPM_DIR")" || npm_die "cannot create $(dirname "$NPM_DIR")"
	# one install at a time, machine-wide (fd 8 till exit)
	exec 8>>"$NPM_DIR.lock" || npm_die "cannot open $NPM_DIR.lock"
	flock -w 600 8 || npm_die "waited 600 s for $NPM_DIR.lock"
	npm_current "$NPM_DIR" && return 0	# another run did it meanwhile
	NPM_TMP=$(mktemp -d "$NPM_DIR.tmp.XXXXXX") || npm_die "mktemp next to $NPM_DIR"
	cp "$NPM_HERE/package.json" "$NPM_HERE/package-lock.json" "$NPM_TMP/" ||
	    npm_die "copy the pin files"
	printf 'npm.sh: installing the MCP test servers into %s (npm ci, once)\n' \
	    "$NPM_DIR" >&2
	if ! timeout 600 npm ci --prefix "$NPM_TMP" --no-audit --no-fund \
	    --ignore-scripts --loglevel=warn --fetch-retries=2 \
	    --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 \
	    > "$NPM_TMP/npm.log" 2>&1; then
		{
			echo "npm.sh $NPM_CMD: FAILED: npm ci --prefix $NPM_TMP (registry unreachable?)"
			echo "  --- its output (last 40 lines) ---"
			tail -n 40 "$NPM_TMP/npm.log" | sed 's/^/    /'
		} >&2
		exit 1
	fi
	rm -f "$NPM_TMP/npm.log"
	for f in $(npm_entries "$NPM_TMP"); do
		[ -f "$f" ] || npm_die "npm ci left no $f"
	done
	chmod -R a+rX "$NPM_TMP" || npm_die "chmod -R a+rX $NPM_TMP"
	echo "$WANT" > "$NPM_TMP/$NPM_STAMP"
	if [ -e "$NPM_DIR" ]; then
		rm -rf "$NPM_DIR.old" && mv "$NPM_DIR" "$NPM_DIR.old" ||
		    npm_die "cannot move the old $NPM_DIR aside"
	fi
	mv "$NPM_TMP" "$NPM_DIR" || npm_die "cannot rename $NPM_TMP to $NPM_DIR"
	NPM_TMP=
	rm -rf "$NPM_DIR.old"
	return 0
}

trap npm_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WANT=$(npm_want) || npm_die "cannot read the pin files in $NPM_HERE"
case "$NPM_CMD" in
install)
	npm_current "$NPM_DIR" || npm_install
	echo "$NPM_DIR"
	;;
path)
	echo "$NPM_DIR"
	;;
check)
	npm_current "$NPM_DIR"
	exit $?
	;;
*)
	sed -n '2,6s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
exit 0
