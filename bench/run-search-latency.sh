#!/usr/bin/env bash
# Latency of POST /v1/search for one organization holding 10k, 100k and 1M chunks, exact scan
# against the HNSW graph (same run, same data), recall@10 of the graph against exact search, and
# the graph's build time and memory. Chunks are synthetic (bench/Cassiopeia.Bench/SearchCorpus.cs)
# with lexical embeddings written straight into SQLite; the server embeds queries the same way.
# Needs dotnet, curl and jq.
#
#   bench/run-search-latency.sh                       # defaults below
#   SIZES="10000 100000" DURATION=20 bench/run-search-latency.sh
#   DIMS_1M=384 bench/run-search-latency.sh           # the 1M case at full width (slow build)
set -euo pipefail
# shellcheck source=bench/lib/doc-block.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/doc-block.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq taskset
PORT="${PORT:-8093}"
SIZES="${SIZES:-10000 100000 1000000}"
DIMS="${DIMS:-384}"
DIMS_1M="${DIMS_1M:-100}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-4}"
QUERIES="${QUERIES:-200}"
M="${M:-32}"
EF_CONSTRUCTION="${EF_CONSTRUCTION:-200}"
EF_SEARCH="${EF_SEARCH:-512}"
EF_SWEEP="${EF_SWEEP:-128 256 384 768}"
PIN="${PIN:-1}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
BASE="http://127.0.0.1:$PORT"
API_DIR="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench/bin/Release/net10.0/Cassiopeia.Bench.dll"

SERVER_PIN=()
GEN_PIN=()
if [[ "$PIN" == "1" && "$(nproc)" -ge 2 ]] && command -v taskset >/dev/null; then
  SERVER_PIN=(taskset -c 1)
  GEN_PIN=(taskset -c 0)
fi

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench" -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/cassiopeia-search-bench.XXXXXX)"
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

start_server() { # start_server <data dir> <dims> <approximateAbove> [unpinned: the graph build uses every core]
  local pin=("${SERVER_PIN[@]}")
  [[ "${4:-}" == "unpinned" ]] && pin=()
  (cd "$API_DIR" && ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production Cassiopeia__DataDirectory="$1" \
    Embeddings__Provider=Lexical Embeddings__LexicalDimensions="$2" Search__ApproximateAbove="$3" Search__EfSearch="$EF_SEARCH" \
    Search__M="$M" Search__EfConstruction="$EF_CONSTRUCTION" \
    exec "${pin[@]}" dotnet Cassiopeia.Api.dll >>"$1/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    curl -sf "$BASE/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -50 "$1/server.log" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.5
  done
  echo "server not ready after 120 s" >&2; exit 1
}

search_body() { jq -cn --arg q "$1" --arg m "$2" '{query: $q, topK: 10, mode: $m}'; }
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

RESULTS="$WORK/results.jsonl"
ROWS="$WORK/rows.md"
: >"$ROWS"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for SIZE in $SIZES; do
  D="$DIMS"; [[ "$SIZE" -ge 1000000 ]] && D="$DIMS_1M"
  DATA="$WORK/data-$SIZE"; mkdir -p "$DATA"
  echo "== $SIZE chunks, $D dimensions (data $DATA)"
  start_server "$DATA" "$D" 20000
  EMAIL="bench-$SIZE-$(date +%s)@example.com"
  AUTH="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"bench-Password-9431\",\"name\":\"Bench\"}")"
  TOKEN="$(jq -r .accessToken <<<"$AUTH")"; ORG="$(jq -r .organization.id <<<"$AUTH")"; USER_ID="$(jq -r .user.id <<<"$AUTH")"
  KEY="$(curl -sf -X POST "$BASE/v1/api-keys" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' | jq -r .key)"
  stop_server

  echo "-- seeding"
  SEED_START=$(date +%s)
  MODEL="$(dotnet "$BENCH_DLL" seed-search "$DATA/cassiopeia.db" "$ORG" "$USER_ID" "$SIZE" "$D")"
  SEED_SECONDS=$(( $(date +%s) - SEED_START ))
  QUERY="$(dotnet "$BENCH_DLL" search-query 0)"

  run() { # run <label> <mode> <extra>: one closed-loop run, echoes its JSON
    local json
    json="$("${GEN_PIN[@]}" dotnet "$BENCH_DLL" --json --label "$1" --url "$BASE/v1/search" --method POST \
      --header "Authorization: Bearer $KEY" --body "$(search_body "$QUERY" "$2")" \
      --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP")"
    jq -c --argjson size "$SIZE" --argjson dims "$D" '. + {size: $size, dims: $dims}' <<<"$json" >>"$RESULTS"
    jq -r '"   \(.label): \(.rps) req/s  p50 \(.p50Ms) ms  p95 \(.p95Ms // "-") ms  p99 \(.p99Ms) ms  errors \(.errors)"' <<<"$json" >&2
  }

  # Exact baseline: the graph threshold above the size keeps the scan.
  start_server "$DATA" "$D" 100000000
  FIRST_START=$(date +%s%N)
  curl -sf -X POST "$BASE/v1/search" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$(search_body "$QUERY" vector)" >/dev/null
  EXACT_LOAD_MS=$(( ($(date +%s%N) - FIRST_START) / 1000000 ))
  run "exact vector $SIZE" vector
  EXACT_RSS="$(rss_mib)"
  stop_server

  BUILD="-"; RECALL="-"; GRAPH_RSS="-"; SNAP_LOAD="-"; SNAP_MIB="-"
  if [[ "$SIZE" -gt 20000 ]]; then
    start_server "$DATA" "$D" 20000 unpinned
    curl -sf -X POST "$BASE/v1/search" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$(search_body "$QUERY" vector)" >/dev/null
    echo "-- building the graph (see $DATA/server.log)"
    until grep -q "snapshot of .* rows written" "$DATA/server.log"; do
      kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$DATA/server.log" >&2; exit 1; }
      sleep 2
    done
    BUILD="$(grep -o 'built in [0-9.]* s' "$DATA/server.log" | tail -1 | grep -o '[0-9.]*')"
    SNAP_MIB="$(grep -o 'written ([0-9]* MiB)' "$DATA/server.log" | tail -1 | grep -o '[0-9]*')"
    stop_server
    # A restart loads the snapshot: the first search's time is what a restart costs.
    start_server "$DATA" "$D" 20000
    FIRST_START=$(date +%s%N)
    curl -sf -X POST "$BASE/v1/search" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$(search_body "$QUERY" vector)" >/dev/null
    SNAP_LOAD=$(( ($(date +%s%N) - FIRST_START) / 1000000 ))
    run "HNSW vector $SIZE" vector
    [[ "$SIZE" -eq 100000 ]] && run "HNSW hybrid $SIZE" hybrid
    GRAPH_RSS="$(rss_mib)"
    stop_server
    # shellcheck disable=SC2086 # EF_SWEEP is a list
    RECALL_JSON="$(dotnet "$BENCH_DLL" search-recall "$(ls "$DATA"/indexes/*.vidx)" "$ORG" "$MODEL" "$D" "$QUERIES" "$EF_SEARCH" $EF_SWEEP)"
    echo "   recall: $RECALL_JSON" >&2
    RECALL="$(head -1 <<<"$RECALL_JSON" | jq -r .recallAt10)"
    jq -c --argjson size "$SIZE" --argjson dims "$D" '. + {size: $size, dims: $dims, kind: "recall"}' <<<"$RECALL_JSON" >>"$RESULTS"
  fi
  echo "| $SIZE | $D | $SEED_SECONDS | $EXACT_LOAD_MS | $EXACT_RSS | ${BUILD} | ${SNAP_MIB} | ${SNAP_LOAD} | ${GRAPH_RSS} | ${RECALL} |" >>"$ROWS"
  rm -rf "$DATA"
done

LATENCY="$(jq -rs '
  "| Run | Chunks | Dims | Conns | rps | p50 ms | p95 ms | p99 ms | max ms | Errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  (.[] | select(.kind != "recall") | "| \(.label) | \(.size) | \(.dims) | \(.connections) | \(.rps | floor) | \(.p50Ms) | \(.p95Ms // "-") | \(.p99Ms) | \(.maxMs) | \(.errors) |")
' "$RESULTS")"

CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
PINNING="not pinned: server and load generator share all cores"
[[ ${#SERVER_PIN[@]} -gt 0 ]] && PINNING="server pinned to CPU 1, load generator to CPU 0 (\`taskset -c\`)"
GENERATED="$WORK/generated.md"
cat >"$GENERATED" <<EOB
<!-- run-search-latency:begin (generated by bench/run-search-latency.sh; edits here are overwritten) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown).

### Machine

- CPUs (nproc): $(nproc), $CPU_MODEL
- Memory: $MEM
- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)
- .NET SDK: $(dotnet --version); server and generator built in Release
- Placement: $PINNING
- Load average (1/5/15 min) just before the run: $LOAD_BEFORE (other work on the machine skews results)

### Command

\`\`\`sh
PORT=$PORT SIZES="$SIZES" DIMS=$DIMS DIMS_1M=$DIMS_1M DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS QUERIES=$QUERIES M=$M EF_CONSTRUCTION=$EF_CONSTRUCTION EF_SEARCH=$EF_SEARCH PIN=$PIN bench/run-search-latency.sh
\`\`\`

### Latency of POST /v1/search (closed loop, topK 10, query "$QUERY")

$LATENCY

### Index

| Chunks | Dims | Seed s | First exact search ms (load from DB) | Server RSS exact MiB | HNSW build s | Snapshot MiB | First search after restart ms (snapshot + key check) | Server RSS HNSW MiB | Recall@10 ($QUERIES queries, efSearch $EF_SEARCH) |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(cat "$ROWS")

Recall@10 and in-process search time against efSearch (same snapshot, same $QUERIES queries; the server ran with $EF_SEARCH).
Strict: share of the exact top 10 returned. Ties: a result scoring exactly the exact 10th score also counts.
ann-benchmarks: a result counts when its cosine distance is at most the exact 10th distance + 1e-3.

$(jq -rs '
  "| Chunks | Dims | efSearch | Recall@10 strict | with exact ties | ann-benchmarks | HNSW ms/query | Exact ms/query |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|",
  (.[] | select(.kind == "recall") | "| \(.size) | \(.dims) | \(.efSearch) | \(.recallAt10) | \(.recallWithExactTies) | \(.recallAnnBenchmarks) | \(.hnswMeanMs) | \(.exactMeanMs) |")
' "$RESULTS")

Graph: M $M, efConstruction $EF_CONSTRUCTION, built on $(nproc) threads (\`Search:BuildThreads\` 0, server not pinned while it builds); at or below 20,000 chunks the exact scan is the only index.
<!-- run-search-latency:end -->
EOB

write_doc_block run-search-latency "$OUT" "$GENERATED" "Search latency (\`bench/run-search-latency.sh\`)"
echo
cat "$GENERATED"
echo "wrote $OUT"
