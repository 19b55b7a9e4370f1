#!/bin/sh
# deps.sh build|test - install the Debian packages corral needs, if missing.
# Only root can install; anyone else gets the apt-get line to run.
set -e
build="gcc make pkg-config libevent-dev libcjson-dev libcap-ng-dev libssl-dev libsqlite3-dev"
test="check curl procps python3 valgrind clang util-linux"
case "$1" in
build) want="$build" ;;
test) want="$build $test" ;;
*) echo "usage: deps.sh build|test" >&2; exit 2 ;;
esac
missing=
for p in $want; do
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
apt-get install -y -qq --no-install-recommends $missing >/dev/null
