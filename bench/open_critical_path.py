#!/usr/bin/env python3
"""What users see of the open path: from the moment PagerDuty's incident.triggered webhook is sent
to the moment each part of the war room is visible in warroom-sim (card posted, Jira issue created,
every responder a channel member), with every upstream call slowed to r ms by the simulator's
latency faults. p50/p99 over 50 incidents one at a time and over bursts of 10 and 50, for r = 0,
20 and 50 ms, with upstream calls and new TCP connections per incident, next to the limits
(2r card, r issue, 3r responders; a warm user directory makes the responders 2r).

  bench/open_critical_path.py [--latencies 0,20,50] [--single 50] [--bursts 10,50]
Needs the release build: cmake --preset release &&
  cmake --build --preset release --target warroomd warroom-sim
Responders: level 1 and 2 of the demo policy (alice, bob) plus mattermost.responders alice and
carol: three members per room, one of them found twice.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

from bench_http import call

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTROL = "http://127.0.0.1:18084"
DAEMON = "http://127.0.0.1:8080"
ADMIN = {"Authorization": "Bearer demo-admin-token"}


def wait_until(pred, seconds=60.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.002)
    return False


def complete(incident_id):
    try:
        room = call("GET", f"{DAEMON}/api/v1/incidents/{incident_id}", headers=ADMIN)
    except Exception:
        return False
    return "open.complete" in room.get("steps_done", [])


def connections_opened():
    text = call("GET", f"{DAEMON}/metrics")
    total = 0.0
    for line in text.splitlines():
        if line.startswith("warroom_upstream_connections_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def trigger(i, tag, started):
    t0 = time.time() * 1000.0
    inc = call("POST", f"{CONTROL}/control/pagerduty/trigger",
               {"title": f"{tag} {i}", "urgency": "high", "service_id": "PDEMOSV"})["incident"]
    started[inc["id"]] = t0


def parts_visible(requests, r):
    """incident id -> {card, issue, responders} (Unix ms when the simulator applied them)."""
    seen = {}
    channel_of = {}  # the card names both its channel and its incident
    for q in requests:
        if q["service"] == "mattermost" and q["method"] == "POST" and q["path"] == "/api/v4/posts":
            post = json.loads(q.get("body") or "{}")
            inc = (post.get("props") or {}).get("warroom_incident")
            if inc:
                channel_of[post["channel_id"]] = inc
    for q in requests:
        done_at = q["time_ms"] + r  # the latency fault delays the answer, not the arrival
        body = q.get("body") or ""
        if q["service"] == "mattermost" and q["method"] == "POST" and q["path"] == "/api/v4/posts":
            m = re.search(r'"warroom_incident":"([A-Z0-9]+)"', body)
            if m:
                seen.setdefault(m.group(1), {})["card"] = done_at
        elif q["service"] == "jira" and q["method"] == "POST" and re.fullmatch(r"/rest/api/\d/issue", q["path"]):
            m = re.search(r'"pagerduty-([A-Z0-9]+)"', body)
            if m:
                seen.setdefault(m.group(1), {})["issue"] = done_at
        elif q["service"] == "mattermost" and q["method"] == "POST" and q["path"].endswith("/members"):
            inc = channel_of.get(q["path"].split("/")[4])
            if inc:
                slot = seen.setdefault(inc, {})
                slot["responders"] = max(slot.get("responders", 0), done_at)
    return seen


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def run(r, mode, n):
    journal = call("GET", f"{CONTROL}/journal?since=0")
    since = journal.get("last_seq", 0)
    conns_before = connections_opened()
    started = {}
    if mode == "single":
        for i in range(n):
            before = set(started)
            trigger(i, f"r{r}-single", started)
            (new_id,) = set(started) - before
            if not wait_until(lambda: complete(new_id)):
                sys.exit(f"incident {new_id} did not complete")
    else:
        threads = [threading.Thread(target=trigger, args=(i, f"r{r}-burst{n}", started)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for inc in list(started):
            if not wait_until(lambda: complete(inc), 120):
                sys.exit(f"incident {inc} did not complete")
    requests = call("GET", f"{CONTROL}/journal?since={since}")["requests"]
    conns = connections_opened() - conns_before
    seen = parts_visible(requests, r)
    out = {"card": [], "issue": [], "responders": [], "room": []}
    for inc, t0 in started.items():
        parts = seen.get(inc, {})
        for k in ("card", "issue", "responders"):
            if k in parts:
                out[k].append(parts[k] - t0)
        if len(parts) == 3:
            out["room"].append(max(parts.values()) - t0)
    calls = {}
    for q in requests:
        calls[q["service"]] = calls.get(q["service"], 0) + 1
    return out, {s: c / n for s, c in calls.items()}, conns / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latencies", default="0,20,50")
    ap.add_argument("--single", type=int, default=50)
    ap.add_argument("--bursts", default="10,50")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "release"))
    args = ap.parse_args()
    state = tempfile.mkdtemp(prefix="warroom-open-bench.")
    env = dict(os.environ, WARROOM_DEMO_STATE=state, WARROOM_ADMIN_TOKEN="demo-admin-token",
               PAGERDUTY_TOKEN="demo-pagerduty-token", PAGERDUTY_WEBHOOK_SECRET="demo-webhook-secret",
               MATTERMOST_TOKEN="demo-mattermost-token", WARROOM_ACTION_SECRET="demo-action-secret",
               JIRA_TOKEN="demo-jira-token")
    cfg = open(os.path.join(ROOT, "config", "demo.yaml")).read()
    cfg = cfg.replace("level: info", "level: warn")
    cfg = cfg.replace('  responders: ["alice"]', '  responders: ["alice", "carol"]')
    cfg = cfg.replace('  from_email: "warroom@example.com"\n',
                      '  from_email: "warroom@example.com"\n  responder_levels: ["1", "2"]\n')
    with open(os.path.join(state, "bench.yaml"), "w") as f:
        f.write(cfg)
    sim = subprocess.Popen([os.path.join(args.bin, "tests", "sim", "warroom-sim"), "--demo"],
                           stdout=open(os.path.join(state, "sim.log"), "w"), stderr=subprocess.STDOUT, env=env)
    daemon = subprocess.Popen([os.path.join(args.bin, "src", "warroomd"), "--config", os.path.join(state, "bench.yaml")],
                              stdout=open(os.path.join(state, "warroomd.log"), "w"), stderr=subprocess.STDOUT, env=env)
    try:
        def up():
            try:
                call("GET", f"{DAEMON}/readyz")
                call("GET", f"{CONTROL}/healthz")
                return True
            except Exception:
                return False
        if not wait_until(up, 20):
            sys.exit(f"warroomd or warroom-sim did not start; logs in {state}")
        print("open path: webhook sent -> part visible in warroom-sim, ms (p50 / p99 / max)")
        print("responders per room: 3 (alice and bob on call, alice and carol configured)\n")
        for r in [int(x) for x in args.latencies.split(",")]:
            call("DELETE", f"{CONTROL}/faults")
            if r:
                for svc in ("pagerduty", "mattermost", "jira"):
                    call("POST", f"{CONTROL}/faults/{svc}", {"latency_ms": r})
            modes = [("single", args.single)] + [("burst", int(b)) for b in args.bursts.split(",") if b]
            for mode, n in modes:
                out, calls, conns = run(r, mode, n)
                label = f"r={r:>2} ms {mode} x{n}"
                limits = {"card": 2 * r, "issue": r, "responders": 3 * r, "room": 3 * r}
                print(label)
                for k in ("card", "issue", "responders", "room"):
                    v = out[k]
                    print(f"  {k:<11} p50 {percentile(v, 50):7.1f}  p99 {percentile(v, 99):7.1f}  "
                          f"max {max(v) if v else float('nan'):7.1f}   limit {limits[k]:>4}   (n={len(v)})")
                print("  calls/incident " + ", ".join(f"{s} {c:.1f}" for s, c in sorted(calls.items())) +
                      f"; new connections/incident {conns:.2f}")
    finally:
        for p in (daemon, sim):
            p.terminate()
        for p in (daemon, sim):
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
