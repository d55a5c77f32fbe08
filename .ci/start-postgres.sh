#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the sign-off tests (a clean Debian machine, as root).
#
#   export SETTLESYNC_TEST_PG_URL="$(bash .ci/start-postgres.sh)"
#
# Installs `postgresql` with apt when no server binaries are found, initialises a cluster in a
# folder owned by the `postgres` user (created if missing), starts it on 127.0.0.1:54329 and
# creates the role and database `settlesync`. The URL to export is the only thing printed on
# stdout; progress goes to stderr. Running it again while the server is up prints the same URL.
#
# Settings (environment): SETTLESYNC_PG_PORT (54329), SETTLESYNC_PG_DIR (/tmp/settlesync-pg),
# SETTLESYNC_PG_PASSWORD (generated when unset). Stop the server with:
#   runuser -u postgres -- "$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb)")/pg_ctl" \
#     -D /tmp/settlesync-pg/data stop
set -euo pipefail

PORT="${SETTLESYNC_PG_PORT:-54329}"
STATE="${SETTLESYNC_PG_DIR:-/tmp/settlesync-pg}"
DATA="$STATE/data"
URL_FILE="$STATE/url"
NAME=settlesync

log() { echo "start-postgres: $*" >&2; }

find_bin() {
  # Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<version>/bin.
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

as_postgres() {
  # From /: the postgres user may not be allowed into the caller's directory (initdb needs it).
  if command -v runuser >/dev/null; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
  fi
}

if [ "$(id -u)" -ne 0 ]; then
  log "run this as root (it installs packages and starts the server as the postgres user)"
  exit 1
fi

if ! BIN="$(find_bin)"; then
  log "no PostgreSQL server found: installing it with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  BIN="$(find_bin)" || { log "postgresql installed but initdb/pg_ctl not found"; exit 1; }
fi
PSQL="$BIN/psql"
[ -x "$PSQL" ] || PSQL="$(command -v psql)"

if ! id postgres >/dev/null 2>&1; then
  log "creating the postgres user"
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi

if [ -f "$URL_FILE" ] && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "already running on 127.0.0.1:$PORT"
  cat "$URL_FILE"
  exit 0
fi

case "$STATE" in
  / | "" | /tmp | /var | /home) log "refusing to use $STATE as the server's folder"; exit 1 ;;
esac
if [ -f "$DATA/postmaster.pid" ]; then
  log "stopping the server left in $DATA"
  as_postgres "$BIN/pg_ctl" -D "$DATA" -m immediate stop >&2 || true
fi
rm -rf "$STATE"
mkdir -p "$STATE"
chown postgres: "$STATE"
chmod 700 "$STATE"

PASSWORD="${SETTLESYNC_PG_PASSWORD:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
log "initialising a cluster in $DATA with $BIN"
# Local socket: trust (to create the role); TCP on loopback: password (scram-sha-256).
as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >&2
log "starting on 127.0.0.1:$PORT"
as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$STATE -c fsync=off" start >&2

as_postgres "$PSQL" -q -v ON_ERROR_STOP=1 -h "$STATE" -p "$PORT" -U postgres -d postgres \
  -v name="$NAME" -v password="$PASSWORD" >&2 <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
SQL

URL="postgresql+psycopg://$NAME:$PASSWORD@127.0.0.1:$PORT/$NAME"
umask 077
echo "$URL" >"$URL_FILE"
log "ready; export SETTLESYNC_TEST_PG_URL with the URL printed on stdout"
echo "$URL"
