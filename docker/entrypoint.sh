#!/bin/sh
# corral-entrypoint - the container's entrypoint (installed from
# docker/entrypoint.sh as /usr/local/bin/corral-entrypoint; tini runs it)
#
#   (no arguments) | -FLAG... | run [FLAGS...]
#	check the configuration with `corral check-config FLAGS` (the
#	guardrails: a bad one prints one line and exits 2, and the daemon
#	is not started), then exec `corral run FLAGS` in the foreground
#   anything else, e.g. `secrets generate`, `secrets set NAME --offline
#   ...`, `secrets list`, `check-config`, `version`, `help`
#	exec `corral ARGS` (offline subcommands; see corral(8))
#
# The configuration comes from the CORRAL_* environment (the image sets
# bind, roots and auth mode; docker-compose.yml adds the *_FILE secrets),
# then flags. To get a shell instead: docker run --entrypoint bash ...
set -u

CORRAL=${CORRAL_BIN:-/usr/local/bin/corral}

case "${1-}" in
'' | -* | run)
	[ "${1-}" = run ] && shift
	"$CORRAL" check-config "$@"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		# corral said what is wrong in one line (exit 2); add a word
		# only when something else went wrong
		[ "$rc" -ne 2 ] && echo "corral-entrypoint: corral check-config" \
		    "failed (exit $rc); not starting the daemon" >&2
		exit "$rc"
	fi
	exec "$CORRAL" run "$@"
	;;
*)
	exec "$CORRAL" "$@"
	;;
esac
