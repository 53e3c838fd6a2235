#!/usr/bin/env bash
# Starts a throw-away PostgreSQL with pgvector for the vector-store tests: PGlite with its pgvector
# extension behind @electric-sql/pglite-socket (npm, installed once into the cache), on a free
# loopback port; Debian 12 packages no pgvector. Source it: it exports CASSIOPEIA_TEST_PGVECTOR (an
# Npgsql connection string) and registers its own teardown (stop_test_pgvector).
set -euo pipefail

PGLITE_VERSION=0.5.14
PGLITE_SOCKET_VERSION=0.2.17
PGLITE_PGVECTOR_VERSION=0.0.15
PGLITE_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/cassiopeia/pglite-$PGLITE_VERSION-$PGLITE_SOCKET_VERSION-$PGLITE_PGVECTOR_VERSION
if [ ! -f "$PGLITE_CACHE/node_modules/@electric-sql/pglite-pgvector/package.json" ]; then
  echo "Installing PGlite $PGLITE_VERSION with pgvector (npm) into $PGLITE_CACHE." >&2
  mkdir -p "$PGLITE_CACHE"
  (cd "$PGLITE_CACHE" && npm install --silent --no-audit --no-fund --no-save --prefix "$PGLITE_CACHE" \
    "@electric-sql/pglite@$PGLITE_VERSION" "@electric-sql/pglite-socket@$PGLITE_SOCKET_VERSION" \
    "@electric-sql/pglite-pgvector@$PGLITE_PGVECTOR_VERSION" >/dev/null 2>&1)
fi

PGVECTOR_DIR=$(mktemp -d /tmp/cassiopeia-pgvector.XXXXXX)
PGVECTOR_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 54329)
node "$(dirname "${BASH_SOURCE[0]}")/pgvector-test-server.mjs" "$PGLITE_CACHE/node_modules" "$PGVECTOR_DIR/data" "$PGVECTOR_PORT" >"$PGVECTOR_DIR/log" 2>&1 &
PGVECTOR_PID=$!

stop_test_pgvector() {
  kill "$PGVECTOR_PID" 2>/dev/null || true
  wait "$PGVECTOR_PID" 2>/dev/null || true
  rm -rf "$PGVECTOR_DIR"
}

for _ in $(seq 1 300); do
  grep -q listening "$PGVECTOR_DIR/log" 2>/dev/null && break
  kill -0 "$PGVECTOR_PID" 2>/dev/null || { cat "$PGVECTOR_DIR/log" >&2; echo "PGlite did not start." >&2; exit 1; }
  sleep 0.1
done

# One backend behind the socket: a small pool, no server-side statement preparation across sessions,
# and no multiplexing of transactions.
export CASSIOPEIA_TEST_PGVECTOR="Host=127.0.0.1;Port=$PGVECTOR_PORT;Username=postgres;Password=postgres;Database=postgres;SSL Mode=Disable;Maximum Pool Size=2;Timeout=30;Command Timeout=120"
echo "PGlite $PGLITE_VERSION (pgvector) test server on 127.0.0.1:$PGVECTOR_PORT" >&2
