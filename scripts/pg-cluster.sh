#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests and CI, from Debian's postgresql package (binaries in
# /usr/lib/postgresql/15/bin, or WARROOM_PG_BIN), on loopback only; the system cluster
# (/var/lib/postgresql/15/main) is never touched.
#   scripts/pg-cluster.sh start DIR      creates and starts a cluster, prints its URL on stdout
#   scripts/pg-cluster.sh restart DIR    fast restart on the same port (tests that restart PostgreSQL under load)
#   scripts/pg-cluster.sh stop DIR       immediate stop, removes everything; fine if already stopped or gone
#   scripts/pg-cluster.sh run -- CMD...  starts one, runs CMD with WARROOM_TEST_POSTGRES_URL set, removes the
#                                        cluster however CMD ends (also on failure or Ctrl-C); exits with CMD's code
# The URL is postgresql://warroom@127.0.0.1:PORT/warroom (trust auth, superuser warroom, database warroom), the
# port a free one. Settings: fsync and synchronous_commit on (the durability tests rely on them),
# max_connections 100, shared_buffers 32MB.
# DIR (which must not exist, or be empty) is only a handle: url, port, rundir (where the cluster really is) and
# log (a symlink to the server log). The cluster itself lives in a `mktemp -d /tmp/warroom-pg.XXXXXX` folder
# (data/, log, initdb.log and the unix socket), because PostgreSQL refuses to run as root: as root, the server
# runs as the `postgres` user (or `nobody` if there is none), which could not reach a DIR under, say, /root; and
# a short /tmp path also keeps the socket path under its 107-byte limit. As an ordinary user it runs as that user.
set -euo pipefail

pg_bin="${WARROOM_PG_BIN:-/usr/lib/postgresql/15/bin}"
me="pg-cluster"

say() { echo "$me: $*" >&2; }
die() { say "$*"; exit 1; }
usage() { die "usage: $0 start DIR | restart DIR | stop DIR | run -- CMD [ARGS...]"; }

check_bins() {
  local b
  for b in initdb pg_ctl postgres psql; do
    [[ -x "$pg_bin/$b" ]] || die "$pg_bin/$b is missing; install Debian's postgresql package: apt-get install postgresql"
  done
}

# The user the server runs as: ourselves, or, as root, postgres (else nobody).
server_user() {
  if [[ "$(id -u)" != 0 ]]; then
    id -un
  elif getent passwd postgres >/dev/null; then
    echo postgres
  else
    echo nobody
  fi
}

# as_owner RUNDIR CMD... : runs CMD in RUNDIR as the owner of RUNDIR (via runuser when we are root), without
# any PG* variables of the caller's environment (PGDATA, PGPORT, ... would otherwise change what happens).
as_owner() {
  local rundir="$1"; shift
  (
    unset "${!PG@}"
    cd "$rundir"
    if [[ "$(id -u)" == 0 ]]; then
      exec runuser -u "$(stat -c %U "$rundir")" -- "$@"
    else
      exec "$@"
    fi
  )
}

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    local p
    for _ in $(seq 200); do
      p=$((20000 + RANDOM % 40000))
      # Nothing listening there (connection refused) is good enough; start retries if the port is taken meanwhile.
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "found no free port"
  fi
}

# rundir_of DIR : the real cluster folder behind handle DIR, checked to look like one of ours.
rundir_of() {
  local rundir
  rundir="$(cat "$1/rundir")"
  [[ "$rundir" == /tmp/warroom-pg.* && "$rundir" != *..* ]] || die "$1/rundir does not name a /tmp/warroom-pg.* folder: $rundir"
  echo "$rundir"
}

cmd_start() {
  local dir="$1" rundir port user url attempt
  check_bins
  if [[ -e "$dir" ]]; then
    [[ -d "$dir" && -z "$(ls -A "$dir")" ]] || die "$dir exists and is not an empty folder"
  else
    mkdir -p "$dir"
  fi
  dir="$(cd "$dir" && pwd)"
  user="$(server_user)"
  rundir="$(mktemp -d /tmp/warroom-pg.XXXXXX)"
  echo "$rundir" >"$dir/rundir" # first, so that stop can clean up whatever happens next
  ln -s "$rundir/log" "$dir/log"
  trap 'say "start failed; cleaning up"; cmd_stop "$dir" >/dev/null 2>&1 || true' ERR
  [[ "$(id -u)" != 0 ]] || chown "$user:" "$rundir"

  say "initdb in $rundir/data (as $user)"
  if ! as_owner "$rundir" "$pg_bin/initdb" -D "$rundir/data" --auth=trust -U warroom --encoding=UTF8 --locale=C \
      --no-sync --no-instructions >"$rundir/initdb.log" 2>&1; then
    cat "$rundir/initdb.log" >&2
    false
  fi

  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    [[ ! -f "$rundir/log" ]] || : >"$rundir/log" # (truncated, not recreated: it belongs to the server's user)
    as_owner "$rundir" tee -a "$rundir/data/postgresql.conf" >/dev/null <<EOF

# scripts/pg-cluster.sh (attempt $attempt; later lines win)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$rundir'
fsync = on
synchronous_commit = on
max_connections = 100
shared_buffers = 32MB
logging_collector = off
log_destination = 'stderr'
EOF
    say "starting on 127.0.0.1:$port"
    if as_owner "$rundir" "$pg_bin/pg_ctl" -D "$rundir/data" -l "$rundir/log" -w -t 30 start >/dev/null 2>&1; then
      break
    fi
    if grep -q 'could not bind\|Address already in use' "$rundir/log" 2>/dev/null && ((attempt < 5)); then
      say "port $port was taken; trying another"
      continue
    fi
    tail -n 30 "$rundir/log" >&2 2>/dev/null || true
    false
  done

  # psql (the client) may run as anyone: it connects over TCP with trust.
  (unset "${!PG@}"; "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 \
    "postgresql://warroom@127.0.0.1:$port/postgres?connect_timeout=10" \
    -c 'CREATE DATABASE warroom OWNER warroom' >/dev/null)

  url="postgresql://warroom@127.0.0.1:$port/warroom"
  echo "$port" >"$dir/port"
  echo "$url" >"$dir/url"
  trap - ERR
  echo "$url"
}

cmd_restart() {
  local dir="$1" rundir
  check_bins
  [[ -f "$dir/rundir" ]] || die "$dir is not a cluster made by $0 start"
  rundir="$(rundir_of "$dir")"
  say "restarting (port $(cat "$dir/port"))"
  as_owner "$rundir" "$pg_bin/pg_ctl" -D "$rundir/data" -l "$rundir/log" -m fast -w -t 30 restart >/dev/null 2>&1 || {
    tail -n 30 "$rundir/log" >&2 2>/dev/null || true
    die "restart failed"
  }
}

cmd_stop() {
  local dir="$1" rundir
  [[ -e "$dir" || -L "$dir" ]] || return 0
  if [[ ! -f "$dir/rundir" ]]; then
    # Not (or no longer) ours: remove it only if empty, never someone else's files.
    rmdir "$dir" 2>/dev/null || die "$dir is not a cluster made by $0 start; leaving it alone"
    return 0
  fi
  rundir="$(rundir_of "$dir")"
  if [[ -f "$rundir/data/postmaster.pid" ]]; then
    as_owner "$rundir" "$pg_bin/pg_ctl" -D "$rundir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$rundir" "$dir"
}

cmd_run() {
  [[ "${1:-}" == -- ]] && shift
  (($# > 0)) || usage
  local dir rc child=
  dir="$(mktemp -d /tmp/warroom-pgrun.XXXXXX)"
  trap 'cmd_stop "$dir" >/dev/null 2>&1 || true' EXIT
  # CMD runs in the background so that a signal to this script alone (kill PID) is handled at once rather than
  # when CMD ends; it is passed on to CMD as SIGTERM (a background CMD ignores SIGINT), CMD is waited for, then the
  # EXIT trap removes the cluster.
  trap '[[ -z "$child" ]] || { kill -TERM "$child" 2>/dev/null; wait "$child"; }; exit 130' INT
  trap '[[ -z "$child" ]] || { kill -TERM "$child" 2>/dev/null; wait "$child"; }; exit 143' TERM
  cmd_start "$dir" >/dev/null
  export WARROOM_TEST_POSTGRES_URL
  WARROOM_TEST_POSTGRES_URL="$(cat "$dir/url")"
  set +e
  "$@" <&0 & # (<&0: keep our stdin rather than the /dev/null a background command gets)
  child=$!
  wait "$child"
  rc=$?
  set -e
  exit "$rc"
}

case "${1:-}" in
  start) (($# == 2)) || usage; cmd_start "$2" ;;
  restart) (($# == 2)) || usage; cmd_restart "$2" ;;
  stop) (($# == 2)) || usage; cmd_stop "$2" ;;
  run) shift; cmd_run "$@" ;;
  *) usage ;;
esac
