#!/usr/bin/python3
# chaos_runs.py - the skill runs of bench/chaos.sh: submitter and check
#
#   chaos_runs.py submitter URL TOKEN_FILE SKILL RATE SECS OUT.jsonl
#   chaos_runs.py check RUNS_DB RESDIR MASTER_LOG
#
# submitter: POST /v1/runs {"skill": SKILL} RATE times a second for SECS,
# a new connection each (Connection: close; the http worker may die under
# any of them), the admin token from TOKEN_FILE, a 10 s timeout. One JSON
# line per POST as it ends: t0 (before connect), t1 (after the answer or
# the error; CLOCK_REALTIME like the master's log), status (null: no
# answer), id (the run's, with a 202), code (the error's), what.
#
# check: reads RUNS_DB (read-only: corral still runs) and, from RESDIR,
# runs-submitted.jsonl, kills.jsonl, agent-procs.txt and runs-settle.txt,
# and the master's log for the windows when the skills and the http
# worker were down (a kill to the next generation's READY, as
# bench/chaos.py report computes them for http). Writes RESDIR/runs.json:
# {"run": true, "summary": "...", "failures": [...], and the counts}.
# A failure is:
#   - an id the submitter got a 202 for that is not in runs.db ("lost"),
#     or that it got twice ("twice");
#   - any run in runs.db not in a terminal state, or one without ended_ms;
#   - a run of the agent (which exits 0 or 1 within 300 ms) that timed
#     out or was canceled, a success with an exit code other than 0, a
#     failure that is neither the agent's exit 1 nor docs/skills.md's
#     "the skills worker restarted while it ran";
#   - more runs failed by a kill of the worker than it could have had
#     running (kills of skills x skills_max_running, 4);
#   - an answer other than 202 outside the windows a worker was down:
#     a 503 or 504 while the skills worker was up, no answer while the
#     http worker was up, any other status at any time;
#   - runs still queued or running RUNS_SETTLE s after the submitter
#     stopped, or an agent process left (agent-procs.txt not empty).

import http.client
import json
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chaos import MARGIN, parse_line, read_jsonl, read_text	# noqa: E402

SUBMIT_TIMEOUT = 10.0
STATES = ("queued", "running", "succeeded", "failed", "timed_out", "canceled")
TERMINAL = STATES[2:]
RESTARTED = "the skills worker restarted while it ran"	# docs/skills.md
MAX_RUNNING = 4		# skills_max_running's default: runs a kill can take


# ---- submitter ----------------------------------------------------------

def submit_once(host, port, auth, body):
    """(status, id, error code, what) of one POST on a new connection"""
    conn = http.client.HTTPConnection(host, port, timeout=SUBMIT_TIMEOUT)
    try:
        conn.request("POST", "/v1/runs", body=body, headers={
            "Authorization": auth, "Content-Type": "application/json",
            "Connection": "close"})
        r = conn.getresponse()
        raw = r.read()
    finally:
        conn.close()
    try:
        j = json.loads(raw) if raw else {}
    except ValueError:
        j = {}
    if not isinstance(j, dict):
        j = {}
    err = j.get("error") if isinstance(j.get("error"), dict) else {}
    return r.status, j.get("id") if r.status == 202 else None, err.get("code"), \
        err.get("message") or str(r.status)


def submitter(url, token_file, skill, rate, secs, out):
    rest = url.split("://", 1)[1]
    host, _, port = rest.partition(":")
    port = int(port.rstrip("/"))
    with open(token_file) as f:
        auth = "Bearer " + f.read().strip()
    body = json.dumps({"skill": skill}).encode()
    every = 1.0 / rate
    end = time.time() + secs
    n = ok = 0
    nxt = time.time()
    with open(out, "w", buffering=1) as f:
        while time.time() < end:
            t0 = time.time()
            try:
                st, rid, code, what = submit_once(host, port, auth, body)
            except (OSError, http.client.HTTPException) as e:
                st, rid, code = None, None, None
                what = e.__class__.__name__ + ": " + (getattr(e, "strerror", None) or str(e))
            t1 = time.time()
            f.write(json.dumps({"t0": t0, "t1": t1, "status": st, "id": rid,
                                "code": code, "what": what}) + "\n")
            n += 1
            ok += st == 202
            nxt += every
            if nxt < t1:
                nxt = t1
            time.sleep(max(0.0, nxt - time.time()))
    print("submitter: %d POSTs, %d accepted" % (n, ok), file=sys.stderr)


# ---- check ----------------------------------------------------------------

def down_windows(log, kills, name):
    """[(kill t, next generation's READY t or inf)] of worker name"""
    readies = []
    try:
        with open(log, errors="replace") as f:
            for line in f:
                ev = parse_line(line)
                if ev and ev[4] == "ready" and ev[1] == name:
                    readies.append(ev)
    except OSError:
        pass
    out = []
    for k in kills:
        if k.get("worker") != name:
            continue
        nxt = [e for e in readies if e[3] > k["gen"]]
        out.append((k["t"], nxt[0][0] if nxt else float("inf")))
    return out


def inside(p, windows):
    return any(p["t1"] >= a - MARGIN and p["t0"] <= b + MARGIN for a, b in windows)


def read_runs(db):
    """{id: [row dict, ...]} of every run in db, state as its name"""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute("SELECT * FROM runs")]
    finally:
        con.close()
    out = {}
    for r in rows:
        s = r.get("state")
        if isinstance(s, int):
            r["state"] = STATES[s] if 0 <= s < len(STATES) else "state %d" % s
        out.setdefault(r["id"], []).append(r)
    return out


def col(r, *names):
    """the first of names that r has (the schema is the worker's own)"""
    for n in names:
        if n in r:
            return r[n]
    return None


def check(db, res, log):
    fails = []
    subs = read_jsonl(res + "/runs-submitted.jsonl")
    kills = [k for k in read_jsonl(res + "/kills.jsonl") if "worker" in k]
    sk_win = down_windows(log, kills, "skills")
    http_win = down_windows(log, kills, "http")
    sk_kills = sum(1 for k in kills if k["worker"] == "skills")

    # the answers
    ids = [p["id"] for p in subs if p["status"] == 202 and p.get("id")]
    if any(p["status"] == 202 and not p.get("id") for p in subs):
        fails.append("a 202 without a run id")
    refused_sk, noanswer_http, odd = [], [], []
    for p in subs:
        if p["status"] == 202:
            continue
        if p["status"] in (503, 504) and inside(p, sk_win):
            refused_sk.append(p)
        elif p["status"] is None and inside(p, http_win):
            noanswer_http.append(p)
        else:
            odd.append(p)
    by_status = {}
    for p in refused_sk:
        k = "%d %s" % (p["status"], p.get("code"))
        by_status[k] = by_status.get(k, 0) + 1
    if odd:
        kinds = {}
        for p in odd:
            k = "%s %s" % (p["status"] or "no answer", p.get("code") or p.get("what"))
            kinds[k] = kinds.get(k, 0) + 1
        fails.append("%d submission(s) refused while neither the skills worker (503/504) "
                     "nor the http worker (no answer) was down: %s; first: %s"
                     % (len(odd), json.dumps(kinds), json.dumps(odd[0])))

    # runs.db
    runs = read_runs(db)
    seen = {}
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
    twice = [i for i, c in seen.items() if c > 1] + [i for i, r in runs.items() if len(r) > 1]
    lost = [i for i in seen if i not in runs]
    extra = [i for i in runs if i not in seen]
    states = dict.fromkeys(STATES, 0)
    by_kill = by_exit = 0
    bad = []
    for i, rs in runs.items():
        for r in rs:
            st = r["state"]
            states[st] = states.get(st, 0) + 1
            ended = col(r, "ended_ms", "ended_at", "ended")
            code = col(r, "exit_code")
            err = col(r, "error")
            if st not in TERMINAL:
                bad.append("run %s: still %s" % (i, st))
            elif not ended:
                bad.append("run %s: %s without ended_ms" % (i, st))
            elif st == "succeeded" and code not in (0, None):
                bad.append("run %s: succeeded with exit code %s" % (i, code))
            elif st == "failed" and err == RESTARTED:
                by_kill += 1
            elif st == "failed" and code == 1:
                by_exit += 1
            elif st != "succeeded":
                bad.append("run %s: %s (exit code %s, signal %s, error %r)"
                           % (i, st, code, col(r, "sig", "signal"), err))
    if lost:
        fails.append("%d run(s) given a 202 are not in runs.db (first: %s)" % (len(lost), lost[0]))
    if twice:
        fails.append("%d run id(s) seen twice (first: %s)" % (len(twice), twice[0]))
    if bad:
        fails.append("%d run(s) not as they should end: %s" % (len(bad), "; ".join(bad[:5])))
    if by_kill > MAX_RUNNING * sk_kills:
        fails.append("%d runs failed by a kill of the worker, more than %d kills x %d running"
                     % (by_kill, sk_kills, MAX_RUNNING))
    settle = read_text(res + "/runs-settle.txt", "timeout")
    if settle == "timeout":
        fails.append("runs still queued or running when the wait for them ended")
    procs = [l for l in read_text(res + "/agent-procs.txt").splitlines() if l.strip()]
    if procs:
        fails.append("%d agent process(es) left at the end: %s" % (len(procs), "; ".join(procs[:5])))

    term = sum(states[s] for s in TERMINAL)
    mine = sum(1 for i in seen if i in runs and runs[i][0]["state"] in TERMINAL)
    summary = ("%d POSTs: %d accepted (202), %d refused while the skills worker was down (%s), "
               "%d unanswered while http was down, %d refused otherwise; %d of the %d accepted "
               "terminal; runs.db: %d runs, %d terminal: %d succeeded, %d failed (%d by the "
               "agent's exit 1, %d by a kill of the worker: %d kills of skills), %d timed out, "
               "%d canceled, %d queued, %d running; %d lost, %d twice; %d in runs.db without a "
               "202 (the worker or http died before the answer); settled %s s after the "
               "submitter stopped; %d agent processes left"
               % (len(subs), len(ids), len(refused_sk),
                  ", ".join("%s %d" % kv for kv in sorted(by_status.items())) or "none",
                  len(noanswer_http), len(odd), mine, len(seen), sum(len(r) for r in runs.values()),
                  term, states["succeeded"], states["failed"], by_exit, by_kill, sk_kills,
                  states["timed_out"], states["canceled"], states["queued"], states["running"],
                  len(lost), len(twice), len(extra), settle, len(procs)))
    if not subs:
        fails.append("the submitter recorded nothing")
    elif not ids:
        fails.append("no submission was accepted")
    result = {"run": True, "summary": summary, "failures": fails,
              "posts": len(subs), "accepted": len(ids), "refused_while_skills_down": by_status,
              "unanswered_while_http_down": len(noanswer_http), "refused_otherwise": len(odd),
              "states": states, "failed_by_exit_1": by_exit, "failed_by_worker_kill": by_kill,
              "skills_kills": sk_kills, "lost": lost[:20], "twice": twice[:20],
              "without_202": len(extra), "settle_s": settle, "agent_procs": procs[:20]}
    with open(res + "/runs.json.tmp", "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    os.replace(res + "/runs.json.tmp", res + "/runs.json")


def main():
    a = sys.argv[1:]
    if len(a) == 7 and a[0] == "submitter":
        submitter(a[1], a[2], a[3], float(a[4]), float(a[5]), a[6])
    elif len(a) == 4 and a[0] == "check":
        check(a[1], a[2], a[3])
    else:
        sys.exit("usage: chaos_runs.py submitter URL TOKEN_FILE SKILL RATE SECS OUT | "
                 "check RUNS_DB RESDIR MASTER_LOG")


if __name__ == "__main__":
    main()
