#!/usr/bin/python3
# skillrate.py - the skills rows of `make bench` (bench/run.sh)
#
#   skillrate.py dispatch URL TOKEN_FILE SKILL N CONNS OUT.json
#   skillrate.py queued URL TOKEN_FILE GATE_SKILL GATES SKILL N GATE_FIFO OUT.json
#   skillrate.py peer AGENT N PARALLEL OUT.json
#
# dispatch: N runs of SKILL submitted (POST /v1/runs, the admin token in
# TOKEN_FILE) as fast as the API takes them, from CONNS threads with one
# persistent HTTP/1.1 connection each, while the main thread reads the
# counts (GET /v1/runs?limit=1) every POLL s. The time is from just before
# the first submission to the first poll that sees N runs terminal; the
# rate is N over that time. Every run must have succeeded (the corral
# under test is fresh: its counts are these runs).
#
# queued: GATES runs of GATE_SKILL first, whose agent blocks on opening
# GATE_FIFO, until the counts say GATES running (every slot of
# skills_max_running taken); then N runs of SKILL one after the other on
# one connection, each timed (the submission latency as the queue grows to
# N), then one more, which must be refused (429 queue_full: the corral
# under test has skills_max_queued = N); then the gate opens (the fifo is opened
# for writing, unlinked and closed: the blocked agents read EOF and exit 0,
# later ones find no fifo) and the time is from there to the first poll
# that sees every run terminal: the queue draining, N over that time.
#
# peer: what a user would otherwise run: `xargs -P PARALLEL -n 1 AGENT`
# over N lines, timed from start to exit; xargs's status must be 0.
#
# Each writes one JSON object to OUT; exit status 0 if the runs all
# succeeded within the bound (BOUND_S plus N / 50 s), else 1 with a line
# on stderr.

import http.client
import json
import os
import subprocess
import sys
import threading
import time

POLL = 0.01		# s between two reads of the counts
BOUND_S = 60		# s, plus N / 50, before giving up on the runs
TERMINAL = ("succeeded", "failed", "timed_out", "canceled")


def stats(v):
    """n, median, p99 (the ceil(0.99 n)-th), min, max, mean of v"""
    v = sorted(v)
    n = len(v)
    if n == 0:
        return None
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    p99 = v[min(n, max(1, int(0.99 * n + 0.999999))) - 1]
    return {"n": n, "median": med, "p99": p99, "min": v[0], "max": v[-1],
            "mean": sum(v) / n}


class Api:
    """one persistent connection to corral's API, opened again if it drops"""

    def __init__(self, url, token_file):
        rest = url.split("://", 1)[1]
        host, _, port = rest.partition(":")
        self.host, self.port = host, int(port.rstrip("/"))
        with open(token_file) as f:
            self.auth = "Bearer " + f.read().strip()
        self.conn = None

    def call(self, method, path, body=None):
        """(status, parsed JSON or None)"""
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                hdr = {"Authorization": self.auth}
                data = None
                if body is not None:
                    data = json.dumps(body).encode()
                    hdr["Content-Type"] = "application/json"
                self.conn.request(method, path, body=data, headers=hdr)
                r = self.conn.getresponse()
                raw = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                try:
                    return r.status, json.loads(raw) if raw else None
                except ValueError:
                    return r.status, None
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt or method != "GET":
                    raise
        raise OSError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def submit(self, skill):
        """(status, run id or None, seconds the POST took)"""
        t0 = time.perf_counter()
        st, j = self.call("POST", "/v1/runs", {"skill": skill})
        dt = time.perf_counter() - t0
        return st, (j or {}).get("id") if st == 202 else None, dt

    def counts(self):
        st, j = self.call("GET", "/v1/runs?limit=1")
        if st != 200 or not j or "counts" not in j:
            raise OSError("GET /v1/runs?limit=1: status %d, %r" % (st, j))
        return j["counts"]


def terminal(c):
    return sum(c.get(s, 0) for s in TERMINAL)


def wait_terminal(api, want, bound):
    """poll until want runs are terminal; (time.time() then, counts) or
    (None, last counts) past bound"""
    end = time.time() + bound
    c = {}
    while time.time() < end:
        c = api.counts()
        if terminal(c) >= want:
            return time.time(), c
        time.sleep(POLL)
    return None, c


def refused(statuses):
    """{status: count} of the answers that were not 202"""
    out = {}
    for st in statuses:
        if st != 202:
            out[str(st)] = out.get(str(st), 0) + 1
    return out


def dispatch(url, token_file, skill, n, conns, out):
    share = [n // conns + (1 if i < n % conns else 0) for i in range(conns)]
    results = [[] for _ in range(conns)]
    done = [0.0] * conns
    errors = []

    def submitter(i):
        api = Api(url, token_file)
        try:
            for _ in range(share[i]):
                results[i].append(api.submit(skill))
        except (OSError, http.client.HTTPException) as e:
            errors.append("submitter %d: %s" % (i, e))
        done[i] = time.time()
        api.close()

    poll = Api(url, token_file)
    base = poll.counts()
    if terminal(base) or base.get("queued") or base.get("running"):
        sys.exit("skillrate: corral has runs already: %r" % base)
    threads = [threading.Thread(target=submitter, args=(i,)) for i in range(conns)]
    t0 = time.time()
    for t in threads:
        t.start()
    t_end, c = wait_terminal(poll, n, BOUND_S + n / 50)
    for t in threads:
        t.join()
    t_sub = max(done) - t0
    allr = [x for r in results for x in r]
    lat = [x[2] * 1e3 for x in allr]
    res = {"n": n, "conns": conns, "counts": c, "refused": refused(x[0] for x in allr),
           "accepted": sum(1 for x in allr if x[0] == 202), "errors": errors,
           "submit_ms": stats(lat), "poll_s": POLL, "last_submit_s": t_sub}
    ok = t_end is not None and not errors and res["accepted"] == n and c.get("succeeded") == n
    if t_end is not None:
        res["elapsed_s"] = t_end - t0
        res["runs_per_s"] = n / (t_end - t0)
    res["ok"] = ok
    write(out, res)
    if not ok:
        sys.exit("skillrate dispatch: not all %d runs succeeded in time: %s"
                 % (n, json.dumps({k: res[k] for k in ("counts", "refused", "accepted", "errors")})))


def queued(url, token_file, gate_skill, gates, skill, n, fifo, out):
    api = Api(url, token_file)
    base = api.counts()
    if terminal(base) or base.get("queued") or base.get("running"):
        sys.exit("skillrate: corral has runs already: %r" % base)
    for _ in range(gates):
        st, rid, _ = api.submit(gate_skill)
        if st != 202:
            sys.exit("skillrate queued: a gate run was refused: %d" % st)
    end = time.time() + 30
    while api.counts().get("running", 0) < gates:
        if time.time() > end:
            sys.exit("skillrate queued: %d gate runs not running after 30 s: %r"
                     % (gates, api.counts()))
        time.sleep(POLL)
    lat = []
    sts = []
    for _ in range(n):
        st, rid, dt = api.submit(skill)
        sts.append(st)
        lat.append(dt * 1e3)
    st, _, dt = api.submit(skill)
    over = {"status": st, "ms": dt * 1e3}
    full = api.counts()
    # the counts alone, timed with the queue full (what a poller pays)
    cl = []
    for _ in range(50):
        t = time.perf_counter()
        api.counts()
        cl.append((time.perf_counter() - t) * 1e3)
    # open the gate
    fd = os.open(fifo, os.O_RDWR)
    os.unlink(fifo)
    t0 = time.time()
    os.close(fd)
    extra = 1 if st == 202 else 0	# the one over the limit, if let in
    t_end, c = wait_terminal(api, n + gates + extra, BOUND_S + n / 50)
    res = {"n": n, "gates": gates, "accepted": sts.count(202), "refused": refused(sts),
           "submit_ms": stats(lat), "submit_ms_last_1000": stats(lat[-1000:]),
           "over_limit": over, "counts_full": full, "counts_query_ms": stats(cl),
           "counts": c, "poll_s": POLL}
    ok = (t_end is not None and res["accepted"] == n and full.get("queued") == n
          and c.get("succeeded") == n + gates + extra)
    if t_end is not None:
        res["drain_s"] = t_end - t0
        res["runs_per_s"] = n / (t_end - t0)
    res["ok"] = ok
    write(out, res)
    if not ok:
        sys.exit("skillrate queued: %s" % json.dumps(
            {k: res[k] for k in ("accepted", "refused", "counts_full", "counts", "over_limit")}))
    if over["status"] != 429:
        print("skillrate queued: submission %d with %d queued got %d, not 429"
              % (n + 1, n, over["status"]), file=sys.stderr)


def peer(agent, n, par, out):
    lines = "".join("%d\n" % i for i in range(n)).encode()
    t0 = time.time()
    p = subprocess.run(["xargs", "-P", str(par), "-n", "1", agent], input=lines)
    t1 = time.time()
    res = {"n": n, "parallel": par, "status": p.returncode, "elapsed_s": t1 - t0,
           "runs_per_s": n / (t1 - t0), "ok": p.returncode == 0}
    write(out, res)
    if p.returncode:
        sys.exit("skillrate peer: xargs exited %d" % p.returncode)


def write(out, res):
    with open(out + ".tmp", "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    os.replace(out + ".tmp", out)


def main():
    a = sys.argv[1:]
    if len(a) == 7 and a[0] == "dispatch":
        dispatch(a[1], a[2], a[3], int(a[4]), int(a[5]), a[6])
    elif len(a) == 9 and a[0] == "queued":
        queued(a[1], a[2], a[3], int(a[4]), a[5], int(a[6]), a[7], a[8])
    elif len(a) == 5 and a[0] == "peer":
        peer(a[1], int(a[2]), int(a[3]), a[4])
    else:
        sys.exit("usage: skillrate.py dispatch URL TOKEN_FILE SKILL N CONNS OUT | "
                 "queued URL TOKEN_FILE GATE_SKILL GATES SKILL N GATE_FIFO OUT | "
                 "peer AGENT N PARALLEL OUT")


main()
