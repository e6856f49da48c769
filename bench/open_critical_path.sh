#!/usr/bin/env bash
# The open pipeline's critical path: time from the moment warroomd answers PagerDuty's
# incident.triggered webhook to the moment the card is posted, with every upstream call slowed
# to a known round-trip time by warroom-sim's latency faults. The target is two upstream round
# trips (channel and Jira issue in parallel, then the card) plus under 5 ms of our own work.
#   bench/open_critical_path.sh [latency_ms] [incidents]     (defaults: 50, 10)
# Needs the release build: cmake --preset release && cmake --build --preset release --target warroomd warroom-sim
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
latency="${1:-50}"
count="${2:-10}"
bin=build/release
state="$(mktemp -d -t warroom-open-bench.XXXXXX)"
export WARROOM_DEMO_STATE="$state" WARROOM_ADMIN_TOKEN=demo-admin-token PAGERDUTY_TOKEN=demo-pagerduty-token \
  PAGERDUTY_WEBHOOK_SECRET=demo-webhook-secret MATTERMOST_TOKEN=demo-mattermost-token \
  WARROOM_ACTION_SECRET=demo-action-secret JIRA_TOKEN=demo-jira-token
sed -e 's/level: info/level: warn/' config/demo.yaml >"$state/bench.yaml"
"$bin/tests/sim/warroom-sim" --demo >"$state/sim.log" 2>&1 & sim=$!
"$bin/src/warroomd" --config "$state/bench.yaml" >"$state/warroomd.log" 2>&1 & daemon=$!
trap 'kill $sim $daemon 2>/dev/null; wait 2>/dev/null' EXIT
control=http://127.0.0.1:18084
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8080/readyz >/dev/null 2>&1 && curl -sf $control/healthz >/dev/null 2>&1 && break; sleep 0.1; done
for svc in pagerduty mattermost jira; do
  curl -sf -XPOST "$control/faults/$svc" -d "{\"latency_ms\": $latency}" >/dev/null
done
curl -sf -XDELETE $control/journal >/dev/null
for i in $(seq 1 "$count"); do
  curl -sf -XPOST $control/control/pagerduty/trigger -d "{\"title\":\"bench $i\",\"urgency\":\"high\",\"service_id\":\"PDEMOSV\"}" >/dev/null
  # one at a time: wait (bounded) for this incident's card before triggering the next
  for _ in $(seq 1 200); do
    n=$(curl -s "$control/state/mattermost" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for p in d["posts"] if p.get("props",{}).get("warroom_incident")))')
    [[ "$n" -ge "$i" ]] && break
    sleep 0.05
  done
done
curl -s "$control/webhooks?purpose=webhook" >"$state/webhooks.json"
curl -s "$control/journal" >"$state/journal.json"
python3 - "$state" "$latency" <<'PY'
import json, sys, statistics
state, latency = sys.argv[1], int(sys.argv[2])
journal = json.load(open(f"{state}/journal.json"))["requests"]
hooks = json.load(open(f"{state}/webhooks.json"))
hooks = hooks.get("deliveries", hooks) if isinstance(hooks, dict) else hooks
# The end of the triggered webhook's delivery: the earliest request warroomd made for the incident.
cards = [r for r in journal if r["service"] == "mattermost" and r["method"] == "POST" and r["path"] == "/api/v4/posts"
         and "warroom_incident" in (r.get("body") or "")]
firsts = {}
for r in journal:
    if r["service"] == "mattermost" and r["path"] == "/api/v4/channels" and r["method"] == "POST":
        firsts.setdefault(json.loads(r["body"])["display_name"].split(":")[0], r["time_ms"])
paths = []
for c in cards:
    card = json.loads(c["body"])
    key = card["message"].split("·")[0].strip().replace("Incident #", "INC ")
    start = firsts.get(key)
    if start is not None:
        # card request received at c.time_ms; it was sent latency ms earlier... the journal stamps arrival
        paths.append(c["time_ms"] + latency - start)
print(f"open pipeline, {len(paths)} incidents, upstream latency {latency} ms per call")
if paths:
    paths.sort()
    print(f"  first upstream request -> card posted: median {statistics.median(paths):.1f} ms, max {paths[-1]:.1f} ms")
    print(f"  two round trips = {2*latency} ms; our own share: median {statistics.median(paths) - 2*latency:.1f} ms")
PY
