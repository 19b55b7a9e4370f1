#!/bin/sh
# lab.sh - the container lab: podman standing in for a Docker host
#
#   lab.sh setup              packages, containers.conf and the base image
#                             (idempotent, safe to run concurrently); prints
#                             "CONTAINERS_CONF=...; export CONTAINERS_CONF"
#   lab.sh env                print that line only (no checks, no work)
#   lab.sh mirror             print the Debian mirror debootstrap would use
#   lab.sh service DIR        start the Docker Engine API on
#                             unix://DIR/podman.sock (pid in DIR/podman.pid,
#                             log in DIR/podman.log); prints the DOCKER_HOST
#   lab.sh stop DIR           stop that service (by its pid file)
#   lab.sh build-test-engine  build localhost/corral-test-engine:latest from
#                             test-engine/ unless it is already up to date
#
# In a test (the command substitution must be checked on its own: eval of
# a failed $(...) still succeeds):
#
#	lab=tests/containers/lab.sh
#	envl=$(sh $lab setup) || fail; eval "$envl"
#	DOCKER_HOST=$(sh $lab service "$T") || fail; export DOCKER_HOST
#	sh $lab build-test-engine || fail
#	...
#	sh $lab stop "$T"	# in the cleanup trap
#
# There is no Docker engine and no registry on the build machines; see
# /work/shared/container-lab.md for why each setting below is needed. Runs
# as root (the build and CI machines do); a missing package is installed
# with apt-get. Quiet on success; on failure it names the step, the command,
# its exit status and its output. CORRAL_LAB_VERBOSE=1 prints each step's
# time on stderr. Slow first-time work (apt-get, debootstrap) announces
# itself with one line on stderr.
#
# Outside the checkout, so a fresh clone reuses them:
#   CORRAL_LAB_DIR    (/var/lib/corral-lab)    containers.conf, the lock
#   CORRAL_LAB_CACHE  (/var/cache/corral-lab)  bookworm-minbase.tar
#   CORRAL_LAB_MIRROR (from the live apt sources) Debian mirror for debootstrap
#   CORRAL_LAB_APT_DIR (/etc/apt)             where those sources are

set -u

LAB_DIR=${CORRAL_LAB_DIR:-/var/lib/corral-lab}
LAB_CACHE=${CORRAL_LAB_CACHE:-/var/cache/corral-lab}
LAB_CONF=$LAB_DIR/containers.conf
LAB_TARBALL=$LAB_CACHE/bookworm-minbase.tar
LAB_BASE=docker.io/library/debian:bookworm-slim
LAB_ENGINE=localhost/corral-test-engine:latest
LAB_ENGINE_LABEL=corral.test-engine.source
LAB_PKGS="podman buildah runc debootstrap docker-compose curl"
LAB_APT=${CORRAL_LAB_APT_DIR:-/etc/apt}
LAB_HERE=$(cd "$(dirname "$0")" && pwd)
LAB_CMD=${1:-}
LAB_VERBOSE=${CORRAL_LAB_VERBOSE:-0}
LAB_TMP=
LAB_ROOTFS=
LAB_T0=
LAB_LAST=
LAB_TIMES=

lab_ms() { date +%s%3N; }

lab_note() { printf 'lab.sh %s: %s\n' "$LAB_CMD" "$*" >&2; }

lab_times() {
	[ -n "$LAB_TIMES" ] && printf 'lab.sh %s: steps (ms):%s, total %d\n' \
	    "$LAB_CMD" "$LAB_TIMES" $(($(lab_ms) - LAB_T0)) >&2
	return 0
}

lab_die() {
	printf 'lab.sh %s: FAILED: %s\n' "$LAB_CMD" "$*" >&2
	lab_times
	exit 1
}

# lab_rm_rootfs - remove a debootstrap target, after unmounting what a
# failed debootstrap may have left mounted inside (proc, sys, dev)
lab_rm_rootfs() {
	[ -n "$LAB_ROOTFS" ] && [ -d "$LAB_ROOTFS" ] || return 0
	awk -v d="$LAB_ROOTFS/" 'index($2, d) == 1 { print $2 }' \
	    /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	rm -rf --one-file-system "$LAB_ROOTFS"
	[ -d "$LAB_ROOTFS" ] && return 1
	LAB_ROOTFS=
	return 0
}

lab_cleanup() {
	lab_rm_rootfs
	[ -n "$LAB_TMP" ] && rm -rf "$LAB_TMP"
	return 0
}

# lab_mark NAME - note the time spent since the last mark as step NAME
lab_mark() {
	_now=$(lab_ms)
	_dt=$((_now - LAB_LAST))
	LAB_LAST=$_now
	LAB_TIMES="$LAB_TIMES $1=$_dt"
	[ "$LAB_VERBOSE" = 1 ] &&
	    printf 'lab.sh %s: %-14s %6d ms\n' "$LAB_CMD" "$1" "$_dt" >&2
	return 0
}

# lab_step NAME CMD... - run CMD (a command, or a function that runs no
# lab_step itself) in a subshell, output to a log; on failure say which
# step, what command, what status, and show its output
lab_step() {
	_name=$1
	shift
	_t=$(lab_ms)
	LAB_LAST=$_t
	if ("$@") > "$LAB_TMP/step.log" 2>&1; then
		_rc=0
	else
		_rc=$?
	fi
	lab_mark "$_name"
	if [ "$_rc" -ne 0 ]; then
		{
			printf 'lab.sh %s: FAILED: step "%s" (exit %d after %d ms)\n' \
			    "$LAB_CMD" "$_name" "$_rc" $(($(lab_ms) - _t))
			printf '  command: %s\n' "$*"
			echo "  --- its output (last 60 lines) ---"
			tail -n 60 "$LAB_TMP/step.log" | sed 's/^/    /'
		} >&2
		lab_times
		exit 1
	fi
	return 0
}

lab_env_line() {
	printf 'CONTAINERS_CONF=%s; export CONTAINERS_CONF\n' "$LAB_CONF"
}

# lab_lock - one setup or build at a time, machine-wide (fd 9, till exit)
lab_lock() {
	mkdir -p "$LAB_DIR" || lab_die "cannot create $LAB_DIR"
	exec 9>>"$LAB_DIR/lock" || lab_die "cannot open $LAB_DIR/lock"
	flock -w 900 9 ||
	    lab_die "waited 900 s for $LAB_DIR/lock (another lab.sh stuck?)"
}

# ---- setup --------------------------------------------------------------

lab_missing_pkgs() {
	# shellcheck disable=SC2086
	dpkg-query -W -f='${Package} ${db:Status-Status}\n' $LAB_PKGS \
	    2>/dev/null | awk -v want="$LAB_PKGS" '
	    $2 == "installed" { ok[$1] = 1 }
	    END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++)
			if (!(w[i] in ok)) m = m (m == "" ? "" : " ") w[i]
		print m
	    }'
}

lab_apt_install() {
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get install -y -q $1 ||
	    { apt-get update -q && apt-get install -y -q $1; }
}

lab_packages() {
	command -v dpkg-query >/dev/null 2>&1 ||
	    lab_die "not a Debian system (no dpkg-query): install $LAB_PKGS by hand"
	miss=$(lab_missing_pkgs)
	[ -z "$miss" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		printf 'lab.sh setup: missing packages: %s\n' "$miss" >&2
		printf 'lab.sh setup: run as root: apt-get install -y %s\n' \
		    "$miss" >&2
		exit 1
	fi
	lab_note "installing $miss (apt-get)"
	lab_step apt-get lab_apt_install "$miss"
	miss=$(lab_missing_pkgs)
	[ -z "$miss" ] || lab_die "still missing after apt-get: $miss"
}

lab_conf_text() {
	cat <<'EOF'
# written by corral's tests/containers/lab.sh; rewritten when it differs
[containers]
# these machines may not raise rlimits; podman's defaults try to
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]
# what the Docker API's /containers/{id}/logs reads back
log_driver = "k8s-file"

[engine]
# crun fails on the hybrid cgroup layout; runc works
runtime = "runc"
# no systemd/journald needed, same behaviour on every machine
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
}

lab_conf() {
	mkdir -p "$LAB_DIR" || lab_die "cannot create $LAB_DIR"
	lab_conf_text > "$LAB_TMP/containers.conf"
	if ! cmp -s "$LAB_TMP/containers.conf" "$LAB_CONF"; then
		cp "$LAB_TMP/containers.conf" "$LAB_CONF.tmp.$$" &&
		    mv -f "$LAB_CONF.tmp.$$" "$LAB_CONF" ||
		    lab_die "cannot write $LAB_CONF"
	fi
	CONTAINERS_CONF=$LAB_CONF
	export CONTAINERS_CONF
}

# lab_mirror - the Debian archive URI of the live apt sources (one-line
# .list files and deb822 .sources; renamed files such as
# foo.list.disabled are not read by apt, so not by us either)
lab_mirror() {
	if [ -n "${CORRAL_LAB_MIRROR:-}" ]; then
		echo "$CORRAL_LAB_MIRROR"
		return 0
	fi
	set --
	[ -f "$LAB_APT/sources.list" ] && set -- "$LAB_APT/sources.list"
	for f in "$LAB_APT"/sources.list.d/*.list \
	    "$LAB_APT"/sources.list.d/*.sources; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	[ $# -gt 0 ] || return 1
	# a main Debian suite (not -updates/-security, not a vendor repo),
	# http(s) only; the first one wins
	awk '
	function debsuite(s) {
		return s ~ /^(bookworm|trixie|forky|bullseye|buster|sid|stable|testing|unstable|oldstable)$/
	}
	function flush(   i, n, u, s) {
		if (done) return
		if (t ~ /(^|[ \t])deb([ \t]|$)/ && en != "no") {
			n = split(ss, s, /[ \t]+/)
			for (i = 1; i <= n; i++)
				if (debsuite(s[i])) {
					split(us, u, /[ \t]+/)
					for (i = 1; i in u; i++)
						if (u[i] ~ /^https?:\/\//) {
							print u[i]; done = 1; exit
						}
					break
				}
		}
		t = ""; us = ""; ss = ""; en = ""
	}
	FILENAME ~ /\.sources$/ {
		if (FILENAME != last) { flush(); last = FILENAME }
		if ($0 ~ /^[ \t]*$/) { flush(); next }
		if ($0 ~ /^#/) next
		k = tolower($1); sub(/:$/, "", k)
		v = $0; sub(/^[^:]*:[ \t]*/, "", v)
		if (k == "types") t = v
		else if (k == "uris") us = v
		else if (k == "suites") ss = v
		else if (k == "enabled") en = tolower(v)
		next
	}
	{
		if (last != "") { flush(); last = "" }
		sub(/#.*/, "")
		if ($1 != "deb") next
		i = 2
		if ($i ~ /^\[/) {
			while (i <= NF && $i !~ /\]$/) i++
			i++
		}
		if ($i ~ /^https?:\/\// && debsuite($(i + 1))) {
			print $i; done = 1; exit
		}
	}
	END { flush() }
	' "$@" | head -n 1
}

lab_debootstrap() {
	debootstrap --variant=minbase bookworm "$LAB_ROOTFS" "$1"
}

# lab_tar - the rootfs without apt's downloads and package lists, as the
# Docker Hub image has it (a RUN apt-get needs apt-get update first)
lab_tar() {
	tar --numeric-owner -C "$LAB_ROOTFS" \
	    --exclude='./var/cache/apt/archives/*.deb' \
	    --exclude='./var/cache/apt/*.bin' \
	    --exclude='./var/lib/apt/lists/*_*' \
	    -cf "$LAB_TARBALL.tmp.$$" . &&
	    mv -f "$LAB_TARBALL.tmp.$$" "$LAB_TARBALL"
}

lab_import() {
	podman import --change 'CMD ["bash"]' \
	    --message "corral lab: debootstrap --variant=minbase bookworm" \
	    "$LAB_TARBALL" "$LAB_BASE"
}

lab_base_image() {
	podman image exists "$LAB_BASE" && return 0
	if [ ! -s "$LAB_TARBALL" ]; then
		mirror=$(lab_mirror) || true
		[ -n "$mirror" ] || lab_die "no Debian mirror in the live apt \
sources (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list|*.sources);
  set CORRAL_LAB_MIRROR=http://.../debian"
		mkdir -p "$LAB_CACHE" || lab_die "cannot create $LAB_CACHE"
		LAB_ROOTFS=$(mktemp -d "$LAB_CACHE/rootfs.XXXXXX") ||
		    lab_die "mktemp in $LAB_CACHE"
		lab_note "making the base image: debootstrap bookworm from $mirror (about a minute, cached in $LAB_TARBALL)"
		lab_step debootstrap lab_debootstrap "$mirror"
		lab_step tar lab_tar
		lab_rm_rootfs || lab_die "could not remove $LAB_ROOTFS"
		lab_mark rm-rootfs
	fi
	lab_step import lab_import
}

lab_setup() {
	[ "$(id -u)" -eq 0 ] || {
		miss=$(lab_missing_pkgs 2>/dev/null)
		[ -n "$miss" ] && printf 'lab.sh setup: run as root: apt-get install -y %s\n' "$miss" >&2
		lab_die "must run as root (root podman, $LAB_DIR, $LAB_CACHE)"
	}
	lab_lock
	lab_mark lock
	lab_packages
	lab_mark packages
	lab_conf
	lab_mark conf
	lab_base_image
	lab_mark base-image
}

# ---- service ------------------------------------------------------------

# lab_alive PID - running (a zombie left to a non-reaping PID 1 is not)
lab_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ "$_st" != Z ]
}

# lab_ours PID SOCK - is PID the podman service for SOCK (not a reused pid)?
lab_ours() {
	tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null |
	    grep -F "system service" | grep -qF "unix://$2"
}

lab_ping() {
	curl -sf -m 2 --unix-socket "$1" http://d/_ping 2>/dev/null |
	    grep -qx OK
}

lab_service() {
	[ -n "${1:-}" ] || lab_die "usage: lab.sh service DIR"
	[ "$(id -u)" -eq 0 ] ||
	    lab_die "must run as root (the lab uses root podman)"
	mkdir -p "$1" || lab_die "cannot create $1"
	dir=$(cd "$1" && pwd)
	sock=$dir/podman.sock
	[ ${#sock} -lt 100 ] ||
	    lab_die "socket path too long for AF_UNIX (${#sock}): $sock"
	command -v podman >/dev/null && command -v curl >/dev/null ||
	    lab_die "podman or curl missing: run lab.sh setup first"
	[ -f "$LAB_CONF" ] || lab_die "no $LAB_CONF: run lab.sh setup first"
	CONTAINERS_CONF=$LAB_CONF
	export CONTAINERS_CONF
	if [ -f "$dir/podman.pid" ]; then
		pid=$(cat "$dir/podman.pid")
		if lab_alive "$pid" && lab_ours "$pid" "$sock" &&
		    lab_ping "$sock"; then
			echo "unix://$sock"
			return 0
		fi
		lab_stop "$dir"
	fi
	rm -f "$sock"
	t=$(lab_ms)
	podman system service --time=0 "unix://$sock" \
	    < /dev/null > "$dir/podman.log" 2>&1 9>&- &
	pid=$!
	echo "$pid" > "$dir/podman.pid"
	deadline=$((t + 30000))
	while ! lab_ping "$sock"; do
		if ! lab_alive "$pid"; then
			rm -f "$dir/podman.pid"
			{
				echo "lab.sh service: FAILED: podman system service (pid $pid) exited"
				echo "  --- $dir/podman.log ---"
				tail -n 40 "$dir/podman.log" | sed 's/^/    /'
			} >&2
			exit 1
		fi
		if [ "$(lab_ms)" -ge "$deadline" ]; then
			lab_stop "$dir"
			{
				echo "lab.sh service: FAILED: no OK from GET /_ping on $sock in 30 s"
				echo "  --- $dir/podman.log ---"
				tail -n 40 "$dir/podman.log" | sed 's/^/    /'
			} >&2
			exit 1
		fi
		sleep 0.05
	done
	lab_mark service-ready
	echo "unix://$sock"
}

lab_stop() {
	[ -n "${1:-}" ] || lab_die "usage: lab.sh stop DIR"
	[ -d "$1" ] || return 0
	dir=$(cd "$1" && pwd)
	sock=$dir/podman.sock
	[ -f "$dir/podman.pid" ] || return 0
	pid=$(cat "$dir/podman.pid")
	case "$pid" in '' | *[!0-9]*) lab_die "bad pid file $dir/podman.pid" ;; esac
	if lab_alive "$pid" && lab_ours "$pid" "$sock"; then
		kill -TERM "$pid" 2>/dev/null
		n=0
		while lab_alive "$pid" && [ $n -lt 100 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		if lab_alive "$pid"; then
			lab_note "pid $pid ignored SIGTERM for 10 s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null
			n=0
			while lab_alive "$pid" && [ $n -lt 50 ]; do
				sleep 0.1
				n=$((n + 1))
			done
			lab_alive "$pid" && lab_die "pid $pid survives SIGKILL"
		fi
	fi
	rm -f "$dir/podman.pid" "$sock"
}

# ---- the test engine image ----------------------------------------------

lab_cc_flags() {
	_libc=$(cc -print-file-name=libc.a 2>/dev/null)
	if [ -f "$_libc" ] || [ -f /usr/lib/x86_64-linux-gnu/libc.a ]; then
		echo "-static"
	fi
}

lab_cc() {
	# shellcheck disable=SC2086
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror \
	    $LAB_STATIC -o "$LAB_TMP/ctx/test-engine" \
	    "$LAB_HERE/test-engine/test-engine.c"
}

lab_build() {
	podman build --pull=never --layers=false --quiet \
	    --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
	    --label "$LAB_ENGINE_LABEL=$LAB_HASH" \
	    -t "$LAB_ENGINE" -f "$LAB_TMP/ctx/Dockerfile" "$LAB_TMP/ctx"
}

lab_build_test_engine() {
	lab_setup
	src=$LAB_HERE/test-engine
	[ -f "$src/test-engine.c" ] && [ -f "$src/Dockerfile" ] ||
	    lab_die "missing $src/test-engine.c or $src/Dockerfile"
	LAB_STATIC=$(lab_cc_flags)
	# the label: what went into the image (sources, how it was linked)
	LAB_HASH=$({
		cat "$src/test-engine.c" "$src/Dockerfile"
		echo "cc $LAB_STATIC"
	} | sha256sum | cut -c1-16)
	have=$(podman image inspect \
	    --format "{{index .Labels \"$LAB_ENGINE_LABEL\"}}" \
	    "$LAB_ENGINE" 2>/dev/null) || have=
	lab_mark engine-check
	[ "$have" = "$LAB_HASH" ] && return 0
	old=$(podman image inspect --format '{{.Id}}' "$LAB_ENGINE" \
	    2>/dev/null) || old=
	mkdir -p "$LAB_TMP/ctx"
	cp "$src/Dockerfile" "$LAB_TMP/ctx/" || lab_die "copy Dockerfile"
	lab_step cc lab_cc
	lab_step build lab_build
	# the replaced image, unless a container still uses it
	[ -n "$old" ] && podman rmi "$old" >/dev/null 2>&1
	return 0
}

# ---- main ---------------------------------------------------------------

LAB_T0=$(lab_ms)
LAB_LAST=$LAB_T0
LAB_TMP=$(mktemp -d /tmp/corral-lab.XXXXXX) || lab_die "mktemp"
trap lab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

case "$LAB_CMD" in
setup)
	lab_setup
	[ "$LAB_VERBOSE" = 1 ] && lab_times
	lab_env_line
	;;
env)
	lab_env_line
	;;
mirror)
	m=$(lab_mirror) || m=
	[ -n "$m" ] || lab_die "no Debian mirror in the sources under $LAB_APT"
	echo "$m"
	;;
service)
	lab_service "${2:-}"
	;;
stop)
	lab_stop "${2:-}"
	;;
build-test-engine)
	lab_build_test_engine
	[ "$LAB_VERBOSE" = 1 ] && lab_times
	;;
*)
	sed -n '2,15s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
exit 0
