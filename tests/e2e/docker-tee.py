#!/usr/bin/env python3
# docker-tee.py LISTEN UPSTREAM LOG - a unix-socket relay in front of the
# lab's Docker API that appends every byte a client sends to LOG, so a test
# can read the request bodies corral sent (podman 4.3 accepts DeviceRequests
# but drops them: inspect cannot show them, the create body can).
import os
import socket
import sys
import threading

listen, upstream, logpath = sys.argv[1:4]
lock = threading.Lock()


def pipe(src, dst, log):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            if log:
                with lock, open(logpath, "ab") as f:
                    f.write(b)
            dst.sendall(b)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        up.connect(upstream)
    except OSError:
        client.close()
        return
    threading.Thread(target=pipe, args=(client, up, True), daemon=True).start()
    threading.Thread(target=pipe, args=(up, client, False), daemon=True).start()


if os.path.exists(listen):
    os.unlink(listen)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(listen)
srv.listen(64)
while True:
    c, _ = srv.accept()
    serve(c)
