#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server and points VANER_TEST_POSTGRES_URL at
# it: Debian's postgresql is installed when missing, a cluster is made with initdb in a
# temporary folder (as the unprivileged `postgres` user when run as root), started on a free
# local port, and stopped and deleted when the command ends.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin || true)
if [ -z "$bin" ]; then
  echo "with-postgres: installing Debian's postgresql" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  bin=$(find_bin)
fi

dir=$(mktemp -d /tmp/vaner-pg.XXXXXX)
as_db_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_db_user "$bin/initdb" -D "$dir/data" -U vaner --auth=trust --no-locale -E UTF8 >/dev/null
as_db_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
stop() {
  as_db_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
export VANER_TEST_POSTGRES_URL="postgres://vaner@127.0.0.1:$port/postgres"
echo "with-postgres: server at $VANER_TEST_POSTGRES_URL" >&2
"$@"
