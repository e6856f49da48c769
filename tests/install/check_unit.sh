#!/usr/bin/env bash
# Checks config/systemd/warroomd.service offline: the settings the daemon relies on are there, `systemd-analyze
# verify` accepts it, and `systemd-analyze security --offline=yes` rates its exposure at most 2.0 ("OK").
# Exit 77 (skipped) when systemd-analyze is not installed.
set -euo pipefail
unit="${1:?usage: check_unit.sh UNIT_FILE}"

if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze not installed (apt-get install systemd)"
  exit 77
fi

failed=0
# The daemon's contract with systemd (DESIGN.md §3) and the settings README.md documents; IPAddressDeny must stay
# unset (the daemon calls PagerDuty, Mattermost and Jira wherever they are).
required=(
  "Type=notify" "NotifyAccess=main" "WatchdogSec=30s" "Restart=on-failure" "DynamicUser=yes"
  "StateDirectory=warroom" "ConfigurationDirectory=warroom" "UMask=0077"
  "ExecStartPre=/usr/bin/warroomd --check --config /etc/warroom/warroom.yaml"
  "ExecStart=/usr/bin/warroomd --config /etc/warroom/warroom.yaml" "ExecReload=/bin/kill -HUP \$MAINPID"
  "CapabilityBoundingSet=" "AmbientCapabilities=" "SystemCallFilter=@system-service"
  "SystemCallFilter=~@privileged @resources" "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"
)
for line in "${required[@]}"; do
  if ! grep -qxF -- "$line" "$unit"; then
    echo "FAIL: $unit lacks the line '$line'"
    failed=1
  fi
done
if grep -q '^IPAddressDeny=' "$unit"; then
  echo "FAIL: $unit sets IPAddressDeny=, which cuts the daemon off from the upstream APIs"
  failed=1
fi

# verify wants the ExecStart programs to exist: test a copy pointing at a stub.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\nexit 0\n' >"$work/warroomd"
chmod +x "$work/warroomd"
sed "s#/usr/bin/warroomd#$work/warroomd#g" "$unit" >"$work/warroomd.service"

# verify only warns about unknown keys and unparsable values: any remark about our unit is a failure.
if ! remarks="$(systemd-analyze verify "$work/warroomd.service" 2>&1)"; then
  echo "$remarks"
  echo "FAIL: systemd-analyze verify rejects $unit"
  failed=1
elif grep -F 'warroomd.service' <<<"$remarks"; then
  echo "FAIL: systemd-analyze verify has remarks about $unit"
  failed=1
fi

if report="$(systemd-analyze security --offline=yes --threshold=20 "$work/warroomd.service" 2>&1)"; then
  grep 'Overall exposure level' <<<"$report" || true
else
  grep -E '^✗|Overall' <<<"$report" || echo "$report"
  echo "FAIL: systemd-analyze security rates $unit above 2.0"
  failed=1
fi
exit "$failed"
