#!/bin/sh
# run-all.sh BUILD - run every tests/e2e/t-*.sh against the binaries in BUILD
# Prints one line per test and a closing "e2e: N passed, N failed".
# E2E_ONLY=t-name runs one test.
set -u
BUILD=${1:-build}
dir=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 failed=
for t in "$dir"/t-*.sh; do
	name=$(basename "$t" .sh)
	[ -n "${E2E_ONLY:-}" ] && [ "$E2E_ONLY" != "$name" ] && continue
	start=$(date +%s%N)
	if BUILD="$BUILD" bash "$t" > "/tmp/corral-$name.$$.out" 2>&1; then
		pass=$((pass + 1))
		res=ok
	else
		fail=$((fail + 1))
		failed="$failed $name"
		res=FAIL
	fi
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	printf '  %-28s %-4s %6d ms\n' "$name" "$res" "$ms"
	[ "$res" = FAIL ] && sed 's/^/      /' "/tmp/corral-$name.$$.out"
	rm -f "/tmp/corral-$name.$$.out"
done
echo "e2e ($BUILD): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
