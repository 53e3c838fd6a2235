#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on a loopback port for the test suite, installing
# Debian's postgresql package first when it is missing. Source it: it exports
# CASSIOPEIA_TEST_POSTGRES and registers its own teardown (stop_test_postgres).
set -euo pipefail

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

if ! PG_BIN=$(find_pg_bin); then
  echo "PostgreSQL is not installed; installing Debian's postgresql package." >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(find_pg_bin)
fi

PG_DIR=$(mktemp -d /tmp/cassiopeia-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 54329)

# PostgreSQL refuses to run as root: run it as the package's postgres user then.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PG_DIR"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi

"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U cassiopeia --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null

stop_test_postgres() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

export CASSIOPEIA_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=cassiopeia;Database=postgres;Pooling=true;Maximum Pool Size=50"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') test cluster on 127.0.0.1:$PG_PORT" >&2
