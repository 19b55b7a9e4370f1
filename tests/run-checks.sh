#!/bin/sh
# run-checks.sh BUILD SANBUILD - everything `make check` runs
#
# Unit suites plain, under ASan+UBSan and under valgrind; end-to-end tests
# against the plain and the sanitized build. A suite that cannot run is
# SKIPPED; with CORRAL_REQUIRE_ALL=1 (set by .ci/run) a skip fails the run.
# Ends with the line "N passed, N failed" (suites, not single tests).
set -u
BUILD=${1:-build}
SAN=${2:-build-san}
pass=0 fail=0 skip=0 failed= skipped=

run() {
	name=$1
	shift
	echo "== $name"
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed [$name]"
	fi
}

skip() {
	echo "== $1: SKIPPED ($2)"
	skip=$((skip + 1))
	skipped="$skipped [$1]"
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run "unit" "$BUILD/tests/check_main"
run "unit asan+ubsan" "$SAN/tests/check_main"
if command -v valgrind >/dev/null 2>&1; then
	run "unit valgrind" env CK_FORK=no valgrind -q --error-exitcode=99 \
	    --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    "$BUILD/tests/check_main"
else
	skip "unit valgrind" "valgrind is not installed"
fi
fuzzed=0
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=${f#build-fuzz/fuzz_}
	run "fuzz corpus $n" "$f" -runs=0 "tests/fuzz/corpus/$n"
	fuzzed=1
done
[ "$fuzzed" = 1 ] || skip "fuzz corpora" "no fuzz targets built (clang missing?)"
# the container lab (podman's Docker API) for the engines tests: without it
# those tests print SKIP and this suite counts as skipped
echo "== container lab"
if sh tests/containers/lab.sh setup >/dev/null && sh tests/containers/lab.sh build-test-engine; then
	pass=$((pass + 1))
else
	skip "container lab" "tests/containers/lab.sh setup failed"
	export E2E_NO_LAB="tests/containers/lab.sh setup failed"
fi
# real MCP servers from the npm registry for tests/e2e/t-mcp*.sh: without
# them those tests print SKIP and this suite counts as skipped
echo "== mcp servers (npm)"
if sh tests/mcp/npm.sh install >/dev/null; then
	pass=$((pass + 1))
else
	skip "mcp servers (npm)" "tests/mcp/npm.sh failed"
	export E2E_NO_MCP="tests/mcp/npm.sh failed"
fi
run "e2e" sh tests/e2e/run-all.sh "$BUILD"
run "e2e asan+ubsan" sh tests/e2e/run-all.sh "$SAN"

echo
[ -n "$failed" ] && echo "failed suites:$failed"
[ -n "$skipped" ] && echo "skipped suites:$skipped"
echo "$pass passed, $fail failed, $skip skipped"
if [ "$skip" -gt 0 ] && [ "${CORRAL_REQUIRE_ALL:-0}" = 1 ]; then
	echo "CORRAL_REQUIRE_ALL=1: a required suite was skipped" >&2
	exit 1
fi
[ "$fail" -eq 0 ]
