#!/bin/sh
# deps.sh build|test|bench|chaos - install the Debian packages corral needs, if
# missing. Only root can install; anyone else gets the apt-get line to run.
# test brings promtool and prometheus (tests/e2e/t-metrics.sh starts its
# own), systemd-analyze and strace (tests/e2e/t-systemd-unit.sh),
# python3-yaml (tests/e2e/t-deploy-files.sh) and nodejs and npm (the real
# MCP servers that tests/mcp/npm.sh installs for tests/e2e/t-mcp*.sh);
# bench adds the peers `make bench` measures corral against (bench/run.sh);
# chaos adds the load and the tools of `make chaos` (bench/chaos.sh: wrk,
# curl, ps). Some of these packages would start system services
# (prometheus, nginx, supervisord) at install time, so a policy-rc.d keeps
# them stopped while apt-get runs.
set -e
build="gcc make pkg-config libevent-dev libcjson-dev libcap-ng-dev libssl-dev libsqlite3-dev"
test="check curl procps python3 python3-yaml valgrind clang util-linux prometheus systemd strace nodejs npm sqlite3"
bench="curl procps python3 s6 supervisor nginx-light wrk python3-uvicorn \
    python3-fastapi python3-httptools python3-uvloop"
chaos="curl procps python3 wrk"
case "$1" in
build) want="$build" ;;
test) want="$build $test" ;;
bench) want="$build $bench" ;;
chaos) want="$build $chaos" ;;
*) echo "usage: deps.sh build|test|bench|chaos" >&2; exit 2 ;;
esac
missing=
for p in $want; do
	# NodeSource's nodejs bundles npm and conflicts with Debian's: an npm
	# that runs is enough
	[ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing Debian packages:$missing" >&2
	echo "deps.sh: run as root: apt-get install -y$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
guard=
if [ "$1" != build ] && [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	guard=/usr/sbin/policy-rc.d
	trap 'rm -f "$guard"' EXIT
fi
apt-get install -y -qq --no-install-recommends $missing >/dev/null
