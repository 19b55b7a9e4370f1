#!/bin/bash
# corral-healthcheck - the image's HEALTHCHECK (installed from
# docker/healthcheck.sh as /usr/local/bin/corral-healthcheck): GET /healthz
# on the port of CORRAL_BIND (default 4000) through bash's /dev/tcp, since
# the image has no curl. Exit 0 on "HTTP/1.x 200", else 1 with the reason.
bind=${CORRAL_BIND:-127.0.0.1:4000}
port=${bind##*:}
host=${bind%:*}
case "$host" in
'' | 0.0.0.0 | '[::]' | '*') host=127.0.0.1 ;;
\[*\]) host=${host#[}; host=${host%]} ;;
esac
exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || {
	echo "corral-healthcheck: cannot connect to $host:$port"
	exit 1
}
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || status=
exec 3<&-
case "$status" in
'HTTP/1.'?' 200'*) exit 0 ;;
*)
	echo "corral-healthcheck: GET /healthz on $host:$port: ${status:-no answer}"
	exit 1
	;;
esac
