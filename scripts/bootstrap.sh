#!/usr/bin/env bash
# Installs, with apt-get, exactly the Debian packages from scripts/packages-build.txt (and, when it is
# there, scripts/packages-fuzz.txt: clang and libFuzzer for the `fuzz` preset) that are missing.
# With an argument, only that list. Idempotent and quiet when everything is already there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lists=("${1:-$here/packages-build.txt}")
[[ $# -eq 0 && -f "$here/packages-fuzz.txt" ]] && lists+=("$here/packages-fuzz.txt")

missing=()
for list in "${lists[@]}"; do
  while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done <"$list"
done

[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
