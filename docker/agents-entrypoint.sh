#!/bin/sh
# corral-agents-entrypoint - entrypoint of the `agents` image (installed
# from docker/agents-entrypoint.sh): installs the agent CLIs named in
# AGENT_CLIS (npm package names, blank-separated) into NPM_CONFIG_PREFIX
# (/opt/agents, a volume, on PATH as /opt/agents/bin) when they are
# missing, then hands over to corral-entrypoint with the same arguments.
#
# Only the first start installs (later starts find the packages in the
# volume); AGENTS_INSTALL=0 skips the step. An install that fails (no
# registry, a full disk) is reported and corral starts anyway: the CLIs
# are tools for runs, not part of the daemon. To upgrade them, remove
# the volume, or run `npm install -g PACKAGE@latest` in the container.
set -u

prefix=${NPM_CONFIG_PREFIX:-/opt/agents}

if [ "${AGENTS_INSTALL:-1}" != 0 ] && [ -n "${AGENT_CLIS:-}" ]; then
	missing=
	for pkg in $AGENT_CLIS; do
		# a name may carry a version: @scope/name@1.2.3, name@latest
		case "$pkg" in
		@*/*@*) name=${pkg%@*} ;;
		@*) name=$pkg ;;
		*@*) name=${pkg%%@*} ;;
		*) name=$pkg ;;
		esac
		[ -f "$prefix/lib/node_modules/$name/package.json" ] ||
		    missing="$missing $pkg"
	done
	if [ -n "$missing" ]; then
		if [ ! -w "$prefix" ]; then
			echo "corral-agents: $prefix is not writable by $(id -un)" \
			    "(uid $(id -u)); not installing:$missing" >&2
			echo "corral-agents: give the volume to that user, e.g." \
			    "chown -R $(id -u):$(id -g) on it" >&2
		else
			echo "corral-agents: installing into $prefix:$missing" >&2
			# shellcheck disable=SC2086
			if npm install --global --no-fund --no-audit \
			    --loglevel=warn $missing >&2; then
				echo "corral-agents: installed:$missing" >&2
			else
				echo "corral-agents: npm install failed (exit $?);" \
				    "starting corral without:$missing" >&2
			fi
		fi
	fi
fi

exec /usr/local/bin/corral-entrypoint "$@"
