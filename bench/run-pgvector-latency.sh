#!/usr/bin/env bash
# Latency of POST /v1/search with the vectors in pgvector (Search:VectorStore=Pgvector) for one
# organization of SIZE chunks, beside the in-process exact scan over the same data in the same run.
# This machine has no PostgreSQL with pgvector (Debian 12 packages none): the pgvector server is
# PGlite (PostgreSQL 18 compiled to WebAssembly, single-threaded, one session) with the real pgvector
# 0.8 extension behind @electric-sql/pglite-socket, started by scripts/test-pgvector.sh. Its numbers
# are an upper bound for a native server. Chunks are synthetic (bench/Cassiopeia.Bench/SearchCorpus.cs)
# with lexical embeddings written straight into SQLite, the source of truth the store syncs from;
# the first search copies them into pgvector and builds the HNSW index (timed).
# Needs dotnet, node/npm, curl and jq.
#
#   bench/run-pgvector-latency.sh                    # 100k chunks, 64 dimensions
#   SIZE=20000 DIMS=384 bench/run-pgvector-latency.sh
set -euo pipefail
# shellcheck source=bench/lib/doc-block.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/doc-block.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq
PORT="${PORT:-8094}"
SIZE="${SIZE:-100000}"
DIMS="${DIMS:-64}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-2}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
BASE="http://127.0.0.1:$PORT"
API_DIR="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench/bin/Release/net10.0/Cassiopeia.Bench.dll"

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench" -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/cassiopeia-pgvector-bench.XXXXXX)"
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
# shellcheck source=scripts/test-pgvector.sh
source "$ROOT/scripts/test-pgvector.sh"
cleanup() { stop_server; stop_test_pgvector; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

start_server() { # start_server <vector store>
  (cd "$API_DIR" && ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production Cassiopeia__DataDirectory="$WORK/data" \
    Embeddings__Provider=Lexical Embeddings__LexicalDimensions="$DIMS" Search__ApproximateAbove=100000000 \
    Search__VectorStore="$1" Search__Pgvector__ConnectionString="$CASSIOPEIA_TEST_PGVECTOR" \
    Search__Pgvector__ExactBelow="${EXACT_BELOW:-20000}" \
    exec dotnet Cassiopeia.Api.dll >>"$WORK/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    curl -sf "$BASE/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -50 "$WORK/server.log" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.5
  done
  echo "server not ready after 120 s" >&2; exit 1
}

search_body() { jq -cn --arg q "$1" --arg m "$2" '{query: $q, topK: 10, mode: $m}'; }
first_search_ms() {
  local started; started=$(date +%s%N)
  curl -sf --max-time 7200 -X POST "$BASE/v1/search" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$(search_body "$QUERY" vector)" >/dev/null
  echo $(( ($(date +%s%N) - started) / 1000000 ))
}
RESULTS="$WORK/results.jsonl"
run() { # run <label> <mode>: one closed-loop run
  local json
  json="$(dotnet "$BENCH_DLL" --json --label "$1" --url "$BASE/v1/search" --method POST \
    --header "Authorization: Bearer $KEY" --body "$(search_body "$QUERY" "$2")" \
    --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP")" \
    || { grep -E '"LogLevel":"(Error|Critical)"' "$WORK/server.log" | tail -3 >&2; echo "every request of $1 failed" >&2; exit 1; }
  echo "$json" >>"$RESULTS"
  jq -r '"   \(.label): \(.rps) req/s  p50 \(.p50Ms) ms  p95 \(.p95Ms // "-") ms  p99 \(.p99Ms) ms  errors \(.errors)"' <<<"$json" >&2
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/data"
echo "== $SIZE chunks, $DIMS dimensions"
start_server InProcess
AUTH="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench-$(date +%s)@example.com\",\"password\":\"bench-Password-9431\",\"name\":\"Bench\"}")"
TOKEN="$(jq -r .accessToken <<<"$AUTH")"; ORG="$(jq -r .organization.id <<<"$AUTH")"; USER_ID="$(jq -r .user.id <<<"$AUTH")"
KEY="$(curl -sf -X POST "$BASE/v1/api-keys" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' | jq -r .key)"
stop_server
echo "-- seeding"
dotnet "$BENCH_DLL" seed-search "$WORK/data/cassiopeia.db" "$ORG" "$USER_ID" "$SIZE" "$DIMS" >/dev/null
QUERY="$(dotnet "$BENCH_DLL" search-query 0)"

start_server InProcess
INPROCESS_LOAD_MS="$(first_search_ms)"
run "in-process exact vector" vector
stop_server

start_server Pgvector
echo "-- first search: copy into pgvector and build the HNSW index"
PGVECTOR_LOAD_MS="$(first_search_ms)"
echo "   $PGVECTOR_LOAD_MS ms" >&2
run "pgvector HNSW vector" vector
run "pgvector HNSW hybrid" hybrid
stop_server
EXACT_BELOW=100000000 start_server Pgvector
first_search_ms >/dev/null
run "pgvector exact vector" vector
stop_server

LATENCY="$(jq -rs '
  "| Run | Conns | rps | p50 ms | p95 ms | p99 ms | max ms | Errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
  (.[] | "| \(.label) | \(.connections) | \(.rps | floor) | \(.p50Ms) | \(.p95Ms // "-") | \(.p99Ms) | \(.maxMs) | \(.errors) |")
' "$RESULTS")"
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
GENERATED="$WORK/generated.md"
cat >"$GENERATED" <<EOB
<!-- run-pgvector-latency:begin (generated by bench/run-pgvector-latency.sh; edits here are overwritten) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown).
The pgvector server is PGlite $PGLITE_VERSION (PostgreSQL compiled to WebAssembly: one thread, one
session) with pgvector 0.8 over the wire protocol, on the same machine; the database (source of truth) is SQLite.

- CPUs (nproc): $(nproc), $CPU_MODEL; memory $MEM; $(. /etc/os-release && echo "$PRETTY_NAME"); .NET SDK $(dotnet --version), Release
- Load average (1/5/15 min) just before the run: $LOAD_BEFORE (other work on the machine skews results)

\`\`\`sh
PORT=$PORT SIZE=$SIZE DIMS=$DIMS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS bench/run-pgvector-latency.sh
\`\`\`

$SIZE chunks in one organization, $DIMS dimensions, topK 10, query "$QUERY". First search (copies every
vector into pgvector, then builds the HNSW index, m 16, ef_construction 64): $PGVECTOR_LOAD_MS ms; the
in-process first search (loads the vectors from SQLite): $INPROCESS_LOAD_MS ms.

$LATENCY
<!-- run-pgvector-latency:end -->
EOB
write_doc_block run-pgvector-latency "$OUT" "$GENERATED" 'Search latency on pgvector (`bench/run-pgvector-latency.sh`)'
echo "== written to $OUT"
