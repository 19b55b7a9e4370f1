#!/usr/bin/python3
# chaos.py - the timed parts of bench/chaos.sh, and its verdict
#
#   chaos.py killer LOG MASTER_PID SECS OUT.jsonl   kill -9 workers for SECS
#   chaos.py prober URL SECS OUT.jsonl [TOKEN_FILE] GET URL every 20 ms
#   chaos.py report RESDIR OUT.json [DOC.md]        counts, checks, verdict
#
# Every timestamp is CLOCK_REALTIME (time.time() here, clock_gettime
# (CLOCK_REALTIME) in corral's log lines), so the killer's, the prober's
# and the master's times can be compared directly.
#
# killer: reads the master's log as it grows and knows from its lines
# "worker NAME (pid N, gen G) ready in M ms" when each worker became ready
# (the log does not need the http worker, which /v1/workers would). It
# kills only a worker that has been ready for MIN_UP (1.5 s) plus a random
# 0..JITTER s: the master restarts at once a worker that was ready for 1 s
# and throttles (1 s, 2, 4 ... 60 s) one that dies sooner, which would make
# "ready at the end" a matter of waiting out a backoff. When one worker is
# due, with probability GROUP_P every other worker past MIN_UP goes in the
# same batch: several workers killed at once. Before each kill the pid is
# checked in /proc (parent is the master, comm is the worker's name, not a
# zombie). One JSON line per kill: t (taken just before kill(2)), worker,
# pid, gen, batch.
#
# prober: a new connection per request (Connection: close), 2 s timeout,
# with "Authorization: Bearer" and the token in TOKEN_FILE if given;
# one JSON line per request: t0 (before connect), t1 (after the answer or
# the error), ok (status 200), what (status or error).
#
# report: see report() below. Exit status 0 if every condition holds.

import datetime
import json
import os
import random
import re
import socket
import statistics
import sys
import time

MIN_UP = 1.5		# s ready before a worker may be killed (master: 1 s)
JITTER = 0.25		# s, uniform, added to MIN_UP per worker generation
GROUP_P = 0.3		# a due kill takes every other worker past MIN_UP along
TICK = 0.01		# s between two looks at the log
PROBE_EVERY = 0.02	# s between two prober requests
PROBE_TIMEOUT = 2.0
# A prober failure counts as "while http was down" if its [t0, t1]
# overlaps [kill, ready again] widened by MARGIN on both sides. The kill
# time is read before kill(2) and t0/t1 bracket the request, so delays
# only widen the intervals; what is left is the log's timestamps, which
# are truncated to the millisecond, and the master writes its "ready"
# line after the worker's READY, which the worker sends after listen(2).
# 10 ms is ten times the truncation, and far below the ~50 ms between
# two probes that fail in a row.
MARGIN = 0.010

LINE = re.compile(
    r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z corral/master\[\d+\] \w+: '
    r'worker (\S+) \(pid (\d+), gen (\d+)\) '
    r'(ready in (\d+) ms|killed by signal (\d+)|exited (\d+)|.*)$')


def wall(ts):
    """'2026-11-25T18:22:05.358' (UTC) -> seconds since the epoch"""
    d = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f")
    return d.replace(tzinfo=datetime.timezone.utc).timestamp()


def parse_line(line):
    """a master line about a worker: (t, name, pid, gen, kind, detail)"""
    m = LINE.match(line)
    if not m:
        return None
    t, name, pid, gen = wall(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
    if m.group(6) is not None:
        return (t, name, pid, gen, "ready", int(m.group(6)))
    if m.group(7) is not None:
        return (t, name, pid, gen, "exit", "killed by signal " + m.group(7))
    if m.group(8) is not None:
        return (t, name, pid, gen, "exit", "exited " + m.group(8))
    return None


def proc_stat(pid):
    """(comm, state, ppid, starttime) of pid, or None"""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1:s.rindex(")")]
    rest = s[s.rindex(")") + 2:].split()
    return (comm, rest[0], int(rest[1]), int(rest[19]))


# ---- killer -----------------------------------------------------------

def killer(log, master, secs, out):
    seed = int(os.environ.get("CHAOS_SEED", "0")) or random.randrange(1, 2**31)
    rng = random.Random(seed)
    ms = proc_stat(master)
    if ms is None:
        sys.exit("killer: no master %d" % master)
    mstart = ms[3]
    ready = {}		# name -> (pid, gen, t_ready, jitter)
    killed = set()	# pids
    kills = batches = 0
    buf = ""
    end = time.time() + secs
    with open(log) as lf, open(out, "w") as of:
        of.write(json.dumps({"seed": seed, "min_up": MIN_UP, "jitter": JITTER,
                             "group_p": GROUP_P, "start": time.time()}) + "\n")
        while time.time() < end:
            buf += lf.read()
            *lines, buf = buf.split("\n")
            for line in lines:
                ev = parse_line(line)
                if ev is None:
                    continue
                t, name, pid, gen, kind, _ = ev
                if kind == "ready":
                    ready[name] = (pid, gen, t, rng.uniform(0, JITTER))
                elif name in ready and ready[name][0] == pid:
                    del ready[name]
            st = proc_stat(master)
            if st is None or st[1] == "Z" or st[3] != mstart:
                of.write(json.dumps({"master_gone": time.time()}) + "\n")
                break
            now = time.time()
            up = [n for n, r in ready.items()
                  if r[0] not in killed and now - r[2] >= MIN_UP]
            due = [n for n in up if now - ready[n][2] >= MIN_UP + ready[n][3]]
            if due:
                batch = up if rng.random() < GROUP_P else due
                rng.shuffle(batch)
                batches += 1
                for n in batch:
                    pid, gen = ready[n][0], ready[n][1]
                    st = proc_stat(pid)
                    if st is None or st[0] != n or st[2] != master or st[1] == "Z":
                        continue	# gone already; its exit line will come
                    t = time.time()
                    try:
                        os.kill(pid, 9)
                    except ProcessLookupError:
                        continue
                    killed.add(pid)
                    kills += 1
                    of.write(json.dumps({"t": t, "worker": n, "pid": pid,
                                         "gen": gen, "batch": batches}) + "\n")
                of.flush()
            time.sleep(TICK)
    print("killer: %d kills in %d batches (seed %d)" % (kills, batches, seed),
          file=sys.stderr)


# ---- prober -----------------------------------------------------------

def probe_once(host, port, path, extra):
    s = socket.create_connection((host, port), timeout=PROBE_TIMEOUT)
    try:
        s.settimeout(PROBE_TIMEOUT)
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\n%sConnection: close\r\n\r\n"
                   % (path, host, port, extra)).encode())
        data = b""
        while True:
            c = s.recv(4096)
            if not c:
                break
            data += c
    finally:
        s.close()
    head = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = head.split()
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        return False, "bad answer %r" % head[:40]
    if b"\r\n\r\n" not in data:
        return False, "truncated answer"
    return parts[1] == "200", parts[1]


def prober(url, secs, out, token_file=None):
    m = re.match(r'^http://([^:/]+):(\d+)(/.*)$', url)
    host, port, path = m.group(1), int(m.group(2)), m.group(3)
    extra = ""
    if token_file:
        with open(token_file) as f:
            extra = "Authorization: Bearer %s\r\n" % f.read().strip()
    end = time.time() + secs
    n = bad = 0
    nxt = time.time()
    # a line per request as it ends: all is on disk if the run is cut short
    with open(out, "w", buffering=1) as f:
        while time.time() < end:
            t0 = time.time()
            try:
                ok, what = probe_once(host, port, path, extra)
            except OSError as e:
                ok, what = False, e.__class__.__name__ + ": " + (e.strerror or str(e))
            t1 = time.time()
            f.write(json.dumps({"t0": t0, "t1": t1, "ok": ok, "what": what}) + "\n")
            n += 1
            bad += not ok
            nxt += PROBE_EVERY
            if nxt < t1:
                nxt = t1
            time.sleep(max(0.0, nxt - time.time()))
    print("prober %s: %d requests, %d failures" % (path, n, bad), file=sys.stderr)


# ---- report -----------------------------------------------------------

def read_text(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def read_jsonl(path):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                if line.strip():
                    rows.append(json.loads(line))
    except OSError:
        pass
    return rows


def wrk_totals(path):
    """requests, non-2xx, socket errors and req/s from wrk's report"""
    text = read_text(path)
    r = {"requests": None, "non_2xx_3xx": 0, "connect": 0, "read": 0,
         "write": 0, "timeout": 0, "req_per_s": None, "ok": False}
    m = re.search(r'(\d+) requests in ([\d.]+)(\w+)', text)
    if m:
        r["requests"] = int(m.group(1))
        r["ok"] = True
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
    if m:
        r["non_2xx_3xx"] = int(m.group(1))
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
    if m:
        r["connect"], r["read"], r["write"], r["timeout"] = map(int, m.groups())
    m = re.search(r'Requests/sec:\s+([\d.]+)', text)
    if m:
        r["req_per_s"] = float(m.group(1))
    r["socket_errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"]
    return r


def fmt(n):
    return "{:,}".format(n) if isinstance(n, int) else str(n)


def report(res, out, doc):
    conf = dict(l.split("=", 1) for l in read_text(res + "/conf.txt").splitlines() if "=" in l)
    workers = conf["workers"].split()
    min_kills = int(conf["kills"])
    fails = []

    # the master's log up to the end of the chaos (before it was stopped)
    events = []
    throttled = errors = 0
    with open(res + "/master.log", errors="replace") as f:
        for line in f:
            ev = parse_line(line)
            if ev:
                events.append(ev)
            if "throttled, next start" in line:
                throttled += 1
            if " error: " in line and "corral/master[" in line:
                errors += 1

    head = read_jsonl(res + "/kills.jsonl")
    meta = head[0] if head else {}
    master_gone = [k["master_gone"] for k in head if "master_gone" in k]
    kills = [k for k in head if "worker" in k]
    per = {w: 0 for w in workers}
    for k in kills:
        per[k["worker"]] = per.get(k["worker"], 0) + 1
    bsizes = {}
    for k in kills:
        bsizes[k["batch"]] = bsizes.get(k["batch"], 0) + 1
    multi = sum(1 for v in bsizes.values() if v > 1)

    # exits the killer did not cause: a worker died on its own
    killed_pids = {k["pid"] for k in kills}
    unexpected = [{"t": e[0], "worker": e[1], "pid": e[2], "gen": e[3], "how": e[5]}
                  for e in events if e[4] == "exit" and e[2] not in killed_pids]

    # http down windows: from each kill of http to its next generation's READY
    readies = [e for e in events if e[4] == "ready" and e[1] == "http"]
    windows = []
    for k in kills:
        if k["worker"] != "http":
            continue
        nxt = [e for e in readies if e[3] > k["gen"]]
        windows.append((k["t"], nxt[0][0] if nxt else float("inf")))
    downs = [(b - a) * 1000 for a, b in windows if b != float("inf")]

    def split(rows):
        """failures inside and outside the http-down windows"""
        bad = [p for p in rows if not p["ok"]]
        out = [p for p in bad if not any(p["t1"] >= a - MARGIN and p["t0"] <= b + MARGIN
                                         for a, b in windows)]
        return bad, out

    probes = read_jsonl(res + "/probe.jsonl")
    pfail, outside = split(probes)
    inside = len(pfail) - len(outside)
    rprobes = read_jsonl(res + "/probe-runtime.jsonl")
    rfail, routside = split(rprobes)

    wl = json.loads(read_text(res + "/workers-end.json", "{}") or "{}").get("workers", [])
    restarts = {w["name"]: w.get("restarts") for w in wl}
    states = {w["name"]: w.get("state") for w in wl}
    mism = {w: (per.get(w, 0), restarts.get(w)) for w in workers
            if restarts.get(w) != per.get(w, 0)}

    fd_start = int(read_text(res + "/fd-start.txt", "-1").split()[0])
    fd_end = int(read_text(res + "/fd-end.txt", "-1").split()[0])
    zombies = [l for l in read_text(res + "/zombies.txt").splitlines() if l.strip()]
    ready_end = read_text(res + "/ready-end.txt", "timeout")
    master = read_text(res + "/master-state.txt", "unknown")
    stop = read_text(res + "/master-stop.txt", "unknown")
    wrk = {"healthz": wrk_totals(res + "/wrk-healthz.txt"),
           "runtime": wrk_totals(res + "/wrk-runtime.txt")}
    runs = json.loads(read_text(res + "/runs.json", "{}") or "{}")
    # the mcp worker's MCP server (when mcp is one of the workers)
    mcp_on = "mcp" in workers
    mservers = json.loads(read_text(res + "/mcp-end.json", "{}") or "{}").get("servers", [])
    mprocs = [l.split(None, 2) for l in read_text(res + "/mcp-procs.txt").splitlines()
              if l.strip()]

    # ---- the conditions ----
    gone = master != "alive" or bool(master_gone)
    if gone:
        fails.append("the master exited or changed during the chaos (%s); the end state "
                     "(ready, zombies, fds, restarts) and the probes (http dies with it) were not "
                     "checked" % master)
    if stop != "exit 0" and not gone:
        fails.append("the master did not stop cleanly on SIGTERM after the chaos (%s)" % stop)
    if len(kills) < min_kills:
        fails.append("only %d kills, %d wanted (CHAOS_SECS too short? see docs/performance.md)"
                     % (len(kills), min_kills))
    if gone:
        pass
    elif ready_end == "timeout" or any(states.get(w) != "ready" for w in workers):
        fails.append("not every worker was ready at the end: %s" %
                     ", ".join("%s %s" % (w, states.get(w)) for w in workers))
    if zombies and not gone:
        fails.append("%d zombie(s) under the master: %s" % (len(zombies), "; ".join(zombies)))
    if mcp_on and not gone:
        if len(mservers) != 1 or mservers[0].get("state") != "ready":
            fails.append("the MCP server was not ready at the end: %s" % json.dumps(mservers))
        if len(mprocs) != 1 or mprocs[0][2:] != ["mcp"]:
            fails.append("MCP server processes at the end: %d, want 1, a child of the mcp "
                         "worker (pid ppid parent: %s)"
                         % (len(mprocs), "; ".join(" ".join(p) for p in mprocs)))
    if not gone and (fd_start < 0 or fd_end != fd_start):
        fails.append("the master's open fds: %d at the start, %d at the end" % (fd_start, fd_end))
    if outside and not gone:
        fails.append("%d /healthz failure(s) while the http worker was up (first: %s)"
                     % (len(outside), json.dumps(outside[0])))
    if routside and not gone:
        fails.append("%d /v1/runtime failure(s) while the http worker (and the master) were up "
                     "(first: %s)" % (len(routside), json.dumps(routside[0])))
    if not probes or not rprobes:
        fails.append("a prober recorded nothing")
    if unexpected:
        fails.append("%d worker exit(s) not caused by a kill: %s"
                     % (len(unexpected), json.dumps(unexpected[:5])))
    if mism and not gone:
        fails.append("restarts reported by /v1/workers differ from the kills: %s"
                     % ", ".join("%s kills %s restarts %s" % (w, a, b) for w, (a, b) in mism.items()))
    for name, w in wrk.items():
        if not w["ok"]:
            fails.append("wrk on %s did not report" % name)
    if runs.get("run") and runs.get("failures"):
        fails.extend("runs: " + x for x in runs["failures"])

    elapsed = int(read_text(res + "/elapsed_s.txt", "0"))
    result = {
        "date": conf.get("date"), "machine": conf.get("machine"),
        "corral": conf.get("corral"), "wrk_version": conf.get("wrk"),
        "config": {"secs": int(conf["secs"]), "kills_min": min_kills,
                   "workers": workers, "seed": meta.get("seed"),
                   "min_up_s": MIN_UP, "jitter_s": JITTER, "group_p": GROUP_P,
                   "probe_every_ms": PROBE_EVERY * 1000, "margin_ms": MARGIN * 1000,
                   "wrk": conf.get("wrk_args"), "run_user": conf.get("run_user")},
        "elapsed_s": elapsed,
        "verdict": "fail" if fails else "pass",
        "failures": fails,
        "master": {"state": master, "stop": stop, "error_lines": errors},
        "kills": {"total": len(kills), "per_worker": per, "batches": len(bsizes),
                  "batches_of_2_or_more": multi,
                  "largest_batch": max(bsizes.values()) if bsizes else 0},
        "restarts": restarts,
        "throttled": throttled,
        "unexpected_exits": unexpected,
        "ready_at_end": {"states": states, "waited_s": ready_end},
        "fds": {"start": fd_start, "end": fd_end},
        "zombies": len(zombies),
        "mcp": {"server": mservers[0] if len(mservers) == 1 else mservers,
                "processes": len(mprocs)} if mcp_on else None,
        "wrk": wrk,
        "probe": {"requests": len(probes), "failures": len(pfail),
                  "failures_while_http_down": inside,
                  "failures_while_http_up": len(outside),
                  "outside": outside[:20]},
        "probe_runtime": {"requests": len(rprobes), "failures": len(rfail),
                          "failures_while_http_down": len(rfail) - len(routside),
                          "failures_while_http_up": len(routside),
                          "outside": routside[:20]},
        "http_down": {"windows": len(windows),
                      "total_ms": round(sum(downs), 1),
                      "median_ms": round(statistics.median(downs), 1) if downs else None,
                      "max_ms": round(max(downs), 1) if downs else None,
                      "never_ready_again": sum(1 for a, b in windows if b == float("inf"))},
        "runs": runs,
    }

    L = []
    L.append("%s s of chaos on %s (%s); %d workers: %s; seed %s"
             % (conf["secs"], conf.get("machine"), conf.get("corral"),
                len(workers), " ".join(workers), meta.get("seed")))
    L.append("kills: %d (%s) in %d batches, %d of them 2 or more workers at once (largest %d)"
             % (len(kills), ", ".join("%s %d" % (w, per.get(w, 0)) for w in workers),
                len(bsizes), multi, result["kills"]["largest_batch"]))
    L.append("restarts reported by /v1/workers: %s; throttled: %d; exits not caused by a kill: %d"
             % (", ".join("%s %s" % (w, restarts.get(w)) for w in workers),
                throttled, len(unexpected)))
    for name, path in (("healthz", "/healthz"), ("runtime", "/v1/runtime")):
        w = wrk[name]
        L.append("wrk %s: %s requests (%s/s), %s non-2xx, socket errors %d "
                 "(connect %d, read %d, write %d, timeout %d)"
                 % (path, fmt(w["requests"]), fmt(int(w["req_per_s"] or 0)),
                    fmt(w["non_2xx_3xx"]), w["socket_errors"], w["connect"],
                    w["read"], w["write"], w["timeout"]))
    L.append("prober /healthz every %d ms: %s requests, %d failures, %d of them while "
             "http was down (%d windows, margin %d ms), %d while it was up"
             % (PROBE_EVERY * 1000, fmt(len(probes)), len(pfail), inside, len(windows),
                MARGIN * 1000, len(outside)))
    L.append("prober /v1/runtime (bearer) every %d ms: %s requests, %d failures, %d of "
             "them while http was down, %d while it was up"
             % (PROBE_EVERY * 1000, fmt(len(rprobes)), len(rfail), len(rfail) - len(routside),
                len(routside)))
    if downs:
        L.append("http down (kill -> ready again): median %.1f ms, max %.1f ms, %.2f s in all"
                 % (statistics.median(downs), max(downs), sum(downs) / 1000))
    L.append("master: %s; stop after the chaos: %s; fds %d at the start, %d at the end; "
             "zombies %d; all ready %s s after the load stopped"
             % (master, stop, fd_start, fd_end, len(zombies), ready_end))
    if mcp_on:
        s = mservers[0] if len(mservers) == 1 else {}
        L.append("MCP server: %s at the end, restarted %s times (with its worker or alone); "
                 "%d process(es) of it left, want 1"
                 % (s.get("state"), s.get("restarts"), len(mprocs)))
    L.append("runs: " + (runs.get("summary") or runs.get("note") or "no result"))
    L.append("PASS" if not fails else "FAIL")
    for x in fails:
        L.append("FAIL: " + x)
    for l in L:
        print("chaos: " + l)
    result["summary"] = L

    with open(out + ".tmp", "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    os.replace(out + ".tmp", out)
    if doc:
        write_doc(doc, result, L)
    return 1 if fails else 0


BEGIN = "<!-- chaos:begin (generated by bench/chaos.py; do not edit) -->"
END = "<!-- chaos:end -->"


def write_doc(doc, result, lines):
    with open(doc) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        print("chaos: %s has no chaos markers; not updated" % doc, file=sys.stderr)
        return
    block = ["Last full run: %s, %d s in all (%s). `bench/results/chaos.json` has every figure."
             % (result["date"], result["elapsed_s"], result["verdict"].upper()), ""]
    block += ["    " + l for l in lines]
    pre = text[:text.index(BEGIN) + len(BEGIN)]
    post = text[text.index(END):]
    with open(doc + ".tmp", "w") as f:
        f.write(pre + "\n" + "\n".join(block) + "\n" + post)
    os.replace(doc + ".tmp", doc)


def main():
    a = sys.argv[1:]
    if len(a) == 5 and a[0] == "killer":
        killer(a[1], int(a[2]), float(a[3]), a[4])
    elif len(a) in (4, 5) and a[0] == "prober":
        prober(a[1], float(a[2]), a[3], a[4] if len(a) == 5 else None)
    elif len(a) in (3, 4) and a[0] == "report":
        sys.exit(report(a[1], a[2], a[3] if len(a) == 4 else None))
    else:
        sys.exit("usage: chaos.py killer LOG MASTER_PID SECS OUT | prober URL SECS OUT [TOKEN_FILE] | "
                 "report RESDIR OUT.json [DOC.md]")


if __name__ == "__main__":
    main()
