#!/usr/bin/env bash
# Starts a throw-away Redis on a loopback port for the test suite (no persistence), installing
# Debian's redis-server package first when it is missing. Source it: it exports
# CASSIOPEIA_TEST_REDIS (host:port) and registers its own teardown (stop_test_redis).
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Redis is not installed; installing Debian's redis-server package." >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

REDIS_DIR=$(mktemp -d /tmp/cassiopeia-redis.XXXXXX)
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 63791)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save "" --appendonly no \
  --protected-mode yes --daemonize no --logfile "$REDIS_DIR/log" &
REDIS_PID=$!

stop_test_redis() {
  kill "$REDIS_PID" 2>/dev/null || true
  wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$REDIS_DIR"
}

for _ in $(seq 1 100); do
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
  kill -0 "$REDIS_PID" 2>/dev/null || { cat "$REDIS_DIR/log" >&2; echo "redis-server did not start." >&2; exit 1; }
  sleep 0.1
done

export CASSIOPEIA_TEST_REDIS="127.0.0.1:$REDIS_PORT"
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) test server on 127.0.0.1:$REDIS_PORT" >&2
