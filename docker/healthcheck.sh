#!/usr/bin/env bash
# Container health probe: exit 0 when warroomd answers `GET /healthz` with 200, 1 otherwise.
# The slim image has no curl, so this speaks HTTP/1.1 over bash's /dev/tcp (plain HTTP only: with server.tls set,
# probe the plain port of a sidecar instead, or drop the HEALTHCHECK).
# Usage: warroom-healthcheck [HOST:PORT]   (default 127.0.0.1:8080; WARROOM_HEALTH_ADDR overrides the default)
set -uo pipefail
addr="${1:-${WARROOM_HEALTH_ADDR:-127.0.0.1:8080}}"
host="${addr%:*}"
port="${addr##*:}"

if ! { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
  echo "healthcheck: cannot connect to $addr" >&2
  exit 1
fi
printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$addr" >&3
status_line=""
IFS= read -r -t 5 status_line <&3 || true
# Read the rest until the server closes, so that it never writes into a reset connection (and logs it).
while IFS= read -r -t 5 _ <&3; do :; done
exec 3<&-
if [[ "$status_line" =~ ^HTTP/1\.[01]\ 200 ]]; then
  exit 0
fi
echo "healthcheck: $addr answered '${status_line%$'\r'}'" >&2
exit 1
