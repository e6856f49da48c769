#!/usr/bin/env bash
# Builds docker/Dockerfile, unchanged, without a Docker engine or an image registry, and runs what it built:
#   1. base images: debian:bookworm and debian:bookworm-slim made with debootstrap from the Debian mirror and
#      imported into a private buildah storage under the names the Dockerfile's FROM lines resolve to;
#   2. the image: `buildah bud --isolation chroot -f docker/Dockerfile`;
#   3. in the image: `warroomd --version`, its health check against a running warroomd, and the demo
#      (scripts/demo.sh driving the image's warroomd and warroom-sim, which run chrooted into the image).
# Prints the image size and the time of each stage. Removes its containers, images, mounts and files on exit.
# CI (.ci/run) runs it as its last stage. Prints where the image's megabytes are.
# Usage (root, Debian 12, ports 8080 and 18081-18084 free): docker/ci-build.sh
#   WARROOM_IMAGE_MIRROR  Debian mirror (default http://deb.debian.org/debian)
#   WARROOM_IMAGE_CACHE   kept between runs: debootstrap's and apt's .deb files and the build stage's ccache
#                         (default /var/cache/warroom-image; the Dockerfile does not know about them)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
mirror="${WARROOM_IMAGE_MIRROR:-http://deb.debian.org/debian}"
cache="${WARROOM_IMAGE_CACHE:-/var/cache/warroom-image}"
[[ "$(id -u)" -eq 0 ]] || { echo "ci-build: run as root (debootstrap, buildah, chroot)" >&2; exit 2; }

./scripts/bootstrap.sh docker/packages-ci-build.txt
work="$(mktemp -d /var/tmp/warroom-image.XXXXXX)"
mkdir -p "$cache/debootstrap" "$cache/apt" "$cache/ccache"
# The build stage compiles in /src; without the folder in the hash, a rerun hits this cache.
[[ -f "$cache/ccache/ccache.conf" ]] || printf 'max_size = 2G\nhash_dir = false\n' >"$cache/ccache/ccache.conf"
bh() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver overlay "$@"; }
mounts=()
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  bh rm --all >/dev/null 2>&1 || true
  bh rmi --all --force >/dev/null 2>&1 || true
  umount -l "$work/storage/overlay" 2>/dev/null || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT INT TERM

declare -A took
stage() {  # stage NAME COMMAND...: runs it, records its wall time
  local name="$1" start
  shift
  start=$(date +%s)
  echo "== ci-build: $name"
  "$@"
  took[$name]=$(($(date +%s) - start))
  echo "== ci-build: $name took ${took[$name]}s"
}

# debian:bookworm as Docker's official image is made: a minbase debootstrap with the three apt sources.
make_bookworm() {
  local root="$work/bookworm"
  debootstrap --variant=minbase --cache-dir="$cache/debootstrap" bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; return 1; }
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # The apt and dpkg settings of Docker's official images (debuerreotype): without the first, every
  # `apt-get update` in a Dockerfile leaves ~40 MB of package caches (pkgcache.bin) in its layer.
  printf 'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' >"$root/etc/apt/apt.conf.d/docker-clean"
  echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  echo 'force-unsafe-io' >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  chroot "$root" apt-get clean
  rm -f "$root"/var/cache/apt/*.bin
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
  import_rootfs "$root" docker.io/library/debian:bookworm
}

# debian:bookworm-slim: the same, without documentation, man pages and translations, now and on later installs.
make_slim() {
  local root="$work/slim"
  cp -a "$work/bookworm" "$root"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{man,groff,info,locale,lintian,linda}/*
  import_rootfs "$root" docker.io/library/debian:bookworm-slim
}

import_rootfs() {  # import_rootfs ROOTFS NAME
  local ctr
  ctr=$(bh from scratch)
  tar -C "$1" --numeric-owner -cf - . | tar -C "$(bh mount "$ctr")" --numeric-owner -xf -
  bh config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  bh commit --quiet --rm "$ctr" "$2" >/dev/null
}

build_image() {
  # The caches are bind mounts for the RUN steps: never part of a layer.
  bh bud --isolation chroot --pull=never -f docker/Dockerfile -t localhost/warroom:ci \
    -v "$cache/apt:/var/cache/apt/archives" -v "$cache/ccache:/root/.cache/ccache" "$repo" >"$work/bud.log" 2>&1 ||
    { tail -40 "$work/bud.log"; return 1; }
}

ctr=""
run_version() {
  ctr=$(bh from localhost/warroom:ci)
  local version
  version=$(bh run --isolation chroot "$ctr" -- warroomd --version)
  echo "   $version"
  [[ "$version" == warroomd* ]]
  # Where the image's bytes are, for the size goal.
  bh run --isolation chroot "$ctr" -- du -xsm /usr/lib /usr/share /usr/bin /usr/local /var /etc 2>/dev/null |
    sort -rn | sed 's/^/   MB: /' || true
}

# The image's programs, chrooted into a working container's root as the image's user: the demo can then
# stop them by pid. The state folder has the same path inside and outside, so that the demo reads its logs.
chroot_setup() {
  root=$(bh mount "$ctr")
  state="$work/demo"
  mkdir -p "$state" "$root$state" "$root/dev" "$root/proc"
  chown 10001:10001 "$state"
  for dir in /dev /proc "$state"; do
    mount --bind "$dir" "$root$dir"
    mounts+=("$root$dir")
  done
}

run_health() {
  for port in 8080 18081 18082 18083 18084; do
    ! ss -ltnH "sport = :$port" | grep -q . || { echo "ci-build: port $port is taken" >&2; return 1; }
  done
  chroot_setup
  local sim daemon
  sim="chroot --userspec=10001:10001 $root /usr/local/bin/warroom-sim"
  daemon="chroot --userspec=10001:10001 $root /usr/local/bin/warroomd --config /usr/local/share/doc/warroom/demo.yaml"
  export WARROOM_DEMO_SIM="$sim" WARROOM_DEMO_DAEMON="$daemon" WARROOM_DEMO_STATE="$state"
  # shellcheck disable=SC2086
  WARROOM_ADMIN_TOKEN=t PAGERDUTY_TOKEN=t PAGERDUTY_WEBHOOK_SECRET=t MATTERMOST_TOKEN=t WARROOM_ACTION_SECRET=t \
    JIRA_TOKEN=t $daemon >"$state/health.log" 2>&1 &
  pids+=($!)
  local i
  for i in $(seq 1 100); do
    if bh run --isolation chroot "$ctr" -- warroom-healthcheck 127.0.0.1:8080 2>/dev/null; then
      echo "   warroom-healthcheck: healthy"
      break
    fi
    [[ $i -lt 100 ]] || { echo "ci-build: never healthy"; cat "$state/health.log"; return 1; }
    sleep 0.2
  done
  kill -TERM "${pids[-1]}"
  wait "${pids[-1]}" || true
  # And the probe fails once nothing listens.
  ! bh run --isolation chroot "$ctr" -- warroom-healthcheck 127.0.0.1:8080 2>/dev/null
}

run_demo() {
  WARROOM_DEMO_STATE="$state/demo"
  mkdir -p "$WARROOM_DEMO_STATE"
  chown 10001:10001 "$WARROOM_DEMO_STATE"
  ./scripts/demo.sh
}

total_start=$(date +%s)
stage base-bookworm make_bookworm
stage base-bookworm-slim make_slim
stage image build_image
bh images localhost/warroom:ci
size=$(bh images --noheading --format '{{.Size}}' localhost/warroom:ci)
base_size=$(bh images --noheading --format '{{.Size}}' docker.io/library/debian:bookworm-slim)
stage version run_version
stage healthcheck run_health
stage demo run_demo
echo "== ci-build: passed in $(($(date +%s) - total_start))s:" \
  "$(for k in base-bookworm base-bookworm-slim image version healthcheck demo; do printf '%s %ss, ' "$k" "${took[$k]}"; done)" \
  "image size $size (its base, debian:bookworm-slim: $base_size)"
