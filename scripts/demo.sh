#!/usr/bin/env bash
# The demo, on a fresh Debian 12 machine: installs what is missing, builds warroomd and
# warroom-sim, starts both on loopback (config/demo.yaml), and runs one incident through its
# whole life: PagerDuty triggers it, the war room opens (channel, responders, Jira issue, card),
# Bob clicks Acknowledge, Alice clicks Resolve. Prints what happened at each step and exits.
#   scripts/demo.sh --keep   leaves both running afterwards (Ctrl-C stops them)
# WARROOM_DEMO_SIM and WARROOM_DEMO_DAEMON, when both set, are the commands (split on spaces) that start the
# simulator and the daemon with its config, instead of the build tree's programs, which are then not built;
# WARROOM_DEMO_STATE then names the (existing) state folder. docker/ci-build.sh plays the demo with the image's
# programs this way.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep="${1:-}"

if [[ -n "${WARROOM_DEMO_SIM:-}" && -n "${WARROOM_DEMO_DAEMON:-}" ]]; then
  sim_cmd="$WARROOM_DEMO_SIM"
  daemon_cmd="$WARROOM_DEMO_DAEMON"
  state="${WARROOM_DEMO_STATE:?WARROOM_DEMO_STATE must name the state folder}"
else
  ./scripts/bootstrap.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target warroomd warroom-sim
  sim_cmd="build/release/tests/sim/warroom-sim"
  daemon_cmd="build/release/src/warroomd --config config/demo.yaml"
  state="$(mktemp -d -t warroom-demo.XXXXXX)"
fi
export WARROOM_DEMO_STATE="$state"
export WARROOM_ADMIN_TOKEN="${WARROOM_ADMIN_TOKEN:-demo-admin-token}"
export PAGERDUTY_TOKEN="${PAGERDUTY_TOKEN:-demo-pagerduty-token}"
export PAGERDUTY_WEBHOOK_SECRET="${PAGERDUTY_WEBHOOK_SECRET:-demo-webhook-secret}"
export MATTERMOST_TOKEN="${MATTERMOST_TOKEN:-demo-mattermost-token}"
export WARROOM_ACTION_SECRET="${WARROOM_ACTION_SECRET:-demo-action-secret}"
export JIRA_TOKEN="${JIRA_TOKEN:-demo-jira-token}"

control=http://127.0.0.1:18084
daemon=http://127.0.0.1:8080
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# shellcheck disable=SC2086  # the commands are word lists
$sim_cmd --demo >"$state/sim.log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086
$daemon_cmd >"$state/warroomd.log" 2>&1 &
pids+=($!)

# Wait (bounded) until both answer.
for _ in $(seq 1 100); do
  curl -sf "$daemon/readyz" >/dev/null 2>&1 && curl -sf "$control/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$daemon/readyz" >/dev/null || { echo "demo: warroomd did not become ready"; cat "$state/warroomd.log"; exit 1; }

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
# Polls a python expression over the simulator's state until it prints "True" (bounded).
wait_for() {
  local service="$1" expr="$2"
  for _ in $(seq 1 100); do
    [[ "$(curl -s "$control/state/$service" | json "$expr")" == "True" ]] && return 0
    sleep 0.1
  done
  echo "demo: timed out waiting for $service: $expr"; tail -20 "$state/warroomd.log"; exit 1
}
card_expr='[p for p in d["posts"] if p.get("props",{}).get("warroom_incident")]'

echo "== 1. PagerDuty triggers an incident"
incident=$(curl -s -XPOST "$control/control/pagerduty/trigger" \
  -d '{"title":"Checkout API returns 500 for EU customers","urgency":"high","service_id":"PDEMOSV"}' | json 'd["incident"]["id"]')
echo "   incident $incident; PagerDuty sends incident.triggered to warroomd"

echo "== 2. warroomd opens the war room"
wait_for mattermost "len($card_expr) == 1"
curl -s "$control/state/mattermost" | json '"\n".join(["   channel ~%s (%s)" % (c["name"], c["display_name"]) for c in d["channels"]] + ["   members: " + ", ".join("@" + u["username"] for u in d["users"] if u["id"] in d["members"].get(d["channels"][0]["id"], []))])'
curl -s "$control/state/jira" | json '"\n".join("   Jira %s: %s" % (i["key"], i["summary"]) for i in d["issues"])'
post=$(curl -s "$control/state/mattermost" | json "$card_expr[0]['id']")
echo "   card post $post with buttons: $(curl -s "$control/state/mattermost" | json "', '.join(a['name'] for a in $card_expr[0]['props']['attachments'][0]['actions'])")"

echo "== 3. Bob clicks Acknowledge in Mattermost"
curl -s -XPOST "$control/control/mattermost/click" -d "{\"post_id\":\"$post\",\"action_id\":\"acknowledge\",\"user_id\":\"bob0000000000000000000000b\"}" >/dev/null
wait_for pagerduty "[i['status'] for i in d['incidents'] if i['id']=='$incident'] == ['acknowledged']"
echo "   Bob saw: $(curl -s "$control/state/mattermost" | json 'd["clicks"][-1]["ephemeral_text"]')"
echo "   PagerDuty: acknowledged by $(curl -s "$control/state/pagerduty" | json "[i for i in d['incidents'] if i['id']=='$incident'][0]['acknowledgements'][-1]['acknowledger']['summary']")"

echo "== 4. Alice clicks Resolve"
curl -s -XPOST "$control/control/mattermost/click" -d "{\"post_id\":\"$post\",\"action_id\":\"resolve\",\"user_id\":\"alice000000000000000000000\"}" >/dev/null
wait_for pagerduty "[i['status'] for i in d['incidents'] if i['id']=='$incident'] == ['resolved']"
wait_for mattermost "'actions' not in $card_expr[0]['props']['attachments'][0]"
echo "   PagerDuty: resolved; Jira: $(curl -s "$control/state/jira" | json '", ".join("%s %s" % (i["key"], i["status"]) for i in d["issues"])')"

echo "== The channel now reads:"
curl -s "$control/state/mattermost" | json '"\n".join("   | " + p["message"].replace("\n", "\n   | ") for p in sorted(d["posts"], key=lambda p: p["create_at"]) if p["channel_id"] == d["channels"][0]["id"])'
echo "== warroomd's view (GET /api/v1/incidents/$incident):"
curl -s -H "Authorization: Bearer $WARROOM_ADMIN_TOKEN" "$daemon/api/v1/incidents/$incident" | json 'json.dumps({k: d[k] for k in ("status", "channel", "jira", "acknowledged_by", "resolved_by", "steps_done")}, indent=2)' | sed 's/^/   /'
echo "== demo complete (logs in $state)"

if [[ "$keep" == "--keep" ]]; then
  echo "warroomd on $daemon, simulator control API on $control; Ctrl-C stops both."
  wait
fi
