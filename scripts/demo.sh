#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds warroomd and runs it with config/demo.yaml.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release --target warroomd

state="$(mktemp -d -t warroom-demo.XXXXXX)"
export WARROOM_DEMO_STATE="$state"
export WARROOM_ADMIN_TOKEN="${WARROOM_ADMIN_TOKEN:-demo-admin-token}"
export PAGERDUTY_TOKEN="${PAGERDUTY_TOKEN:-demo-pagerduty-token}"
export PAGERDUTY_WEBHOOK_SECRET="${PAGERDUTY_WEBHOOK_SECRET:-demo-webhook-secret}"
export MATTERMOST_TOKEN="${MATTERMOST_TOKEN:-demo-mattermost-token}"
export WARROOM_ACTION_SECRET="${WARROOM_ACTION_SECRET:-demo-action-secret}"
export JIRA_TOKEN="${JIRA_TOKEN:-demo-jira-token}"

echo "demo: state in $state; warroomd on http://127.0.0.1:8080 (Ctrl-C stops it)"
exec ./build/release/src/warroomd --config config/demo.yaml
