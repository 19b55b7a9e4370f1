# lab.sh - container helpers for the end-to-end tests (sourced after lib.sh)
#
# lab_up starts a private podman API service in $T (tests/containers/lab.sh
# did the machine's setup before the e2e run: packages, containers.conf,
# the base image, the test engine image) and sets SOCK and DOCKER_HOST.
# Without a lab (E2E_NO_LAB set by tests/run-checks.sh, which then counts
# the containers suite as skipped) a container test says so and passes
# nothing: it exits 0 after printing SKIP, and CI fails on the skip.
LAB="$TOP/tests/containers/lab.sh"
export CONTAINERS_CONF=${CONTAINERS_CONF:-/var/lib/corral-lab/containers.conf}
TEST_IMAGE=localhost/corral-test-engine:latest

lab_up() {
	if [ -n "${E2E_NO_LAB:-}" ]; then
		e2e_log "SKIP: no container lab ($E2E_NO_LAB)"
		exit 0
	fi
	DOCKER_HOST=$(sh "$LAB" service "$T") || e2e_fail "podman service did not start"
	SOCK="$T/podman.sock"
	export DOCKER_HOST
	trap 'lab_down; e2e_cleanup' EXIT
}

lab_down() {
	[ -n "${SOCK:-}" ] || return 0
	# containers a failed test left behind, by our label
	for id in $(dapi GET "/containers/json?all=1&filters=$(lab_filter)" |
	    python3 -c 'import json,sys; [print(c["Id"]) for c in json.load(sys.stdin)]' 2>/dev/null); do
		dapi DELETE "/containers/$id?force=1" >/dev/null
	done
	sh "$LAB" stop "$T" >/dev/null 2>&1
}

# dapi METHOD PATH [curl args] - the Docker API of the lab
dapi() {
	m=$1 p=$2
	shift 2
	curl -s --max-time 30 --unix-socket "$SOCK" -X "$m" "$@" "http://d/v1.41$p"
}

# lab_instance - this test daemon's instance id
lab_instance() { cat "$T/state/engines/instance"; }

# lab_filter - the URL-escaped label filter of this daemon's containers
lab_filter() {
	python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps({"label":["corral.instance="+sys.argv[1]]})))' "$(lab_instance 2>/dev/null || echo none)"
}

# lab_count - how many containers carry this daemon's label
lab_count() {
	dapi GET "/containers/json?all=1&filters=$(lab_filter)" | e2e_json "len(j)"
}

# free_port - a TCP port nobody listens on now
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0",0)); print(s.getsockname()[1])'
}
