#!/usr/bin/env bash
# Runs "$@" with DATABASE_URL pointing at a throwaway PostgreSQL server that lives in a fresh
# temporary folder and is stopped and removed on exit, whatever happens.
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
# PG_SERVER_OPTIONS replaces the default "no durability" options (bench/site.py sets it empty
# to measure with normal durability).
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }

dir=$(mktemp -d /tmp/factcheck-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
chmod 700 "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 ${PG_SERVER_OPTIONS--c fsync=off -c synchronous_commit=off -c full_page_writes=off}" \
  >/dev/null || { cat "$dir/server.log" >&2; exit 2; }
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
# pg_dump and pg_restore of the server's own version, for the backup tests (README, "Backups").
export PG_BIN="$pg_bin"
"$@"
