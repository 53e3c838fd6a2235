#!/usr/bin/env bash
# Starts a throw-away S3-protocol server (s3rver from npm, installed once into the cache) on a free
# loopback port for the test suite. Source it: it exports CASSIOPEIA_TEST_S3 (the endpoint; access
# key and secret are s3rver's fixed S3RVER/S3RVER) and registers its own teardown (stop_test_s3).
set -euo pipefail

S3RVER_VERSION=3.7.1
S3_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/cassiopeia/s3rver-$S3RVER_VERSION
if [ ! -f "$S3_CACHE/node_modules/s3rver/package.json" ]; then
  echo "Installing s3rver $S3RVER_VERSION (npm) into $S3_CACHE." >&2
  mkdir -p "$S3_CACHE"
  (cd "$S3_CACHE" && npm install --silent --no-audit --no-fund --no-save --prefix "$S3_CACHE" "s3rver@$S3RVER_VERSION" >/dev/null 2>&1)
fi

S3_DIR=$(mktemp -d /tmp/cassiopeia-s3.XXXXXX)
S3_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 45689)
node "$(dirname "${BASH_SOURCE[0]}")/s3-test-server.js" "$S3_CACHE/node_modules" "$S3_DIR/data" "$S3_PORT" >"$S3_DIR/log" 2>&1 &
S3_PID=$!

stop_test_s3() {
  if ! kill -0 "$S3_PID" 2>/dev/null; then
    echo "s3rver exited during the run; its log:" >&2
    tail -40 "$S3_DIR/log" >&2 || true
  elif grep -q "^uncaught\|^unhandled" "$S3_DIR/log" 2>/dev/null; then
    echo "s3rver logged errors no handler caught:" >&2
    grep -A5 "^uncaught\|^unhandled" "$S3_DIR/log" | head -40 >&2
  fi
  kill "$S3_PID" 2>/dev/null || true
  wait "$S3_PID" 2>/dev/null || true
  rm -rf "$S3_DIR"
}

for _ in $(seq 1 100); do
  grep -q listening "$S3_DIR/log" 2>/dev/null && break
  kill -0 "$S3_PID" 2>/dev/null || { cat "$S3_DIR/log" >&2; echo "s3rver did not start." >&2; exit 1; }
  sleep 0.1
done

export CASSIOPEIA_TEST_S3="http://127.0.0.1:$S3_PORT"
echo "s3rver $S3RVER_VERSION test server on 127.0.0.1:$S3_PORT" >&2
