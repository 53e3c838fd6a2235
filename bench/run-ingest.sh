#!/usr/bin/env bash
# Ingestion of the SciFact corpus end to end: every abstract uploaded through POST /v1/documents as
# a .txt over CONCURRENCY connections, until every document is ready, once per embedder (lexical,
# then GloVe) on a fresh data directory each, with the server's peak RSS. Beside each, the floor of
# the same run: the same extraction, chunking and model in process, all rows written by EF in one
# transaction into a fresh SQLite database (bench/Cassiopeia.Bench.Ingestion floor). Writes the
# block between the run-ingest markers in docs/benchmarks.md. Needs dotnet, curl and jq.
#
#   bench/run-ingest.sh                       # all 5,183 abstracts, 8 connections, 2 workers
#   LIMIT=1000 CONCURRENCY=16 WORKERS=4 bench/run-ingest.sh
#   EMBEDDERS=lexical bench/run-ingest.sh     # skip GloVe
#   WARMUP=0 bench/run-ingest.sh              # measure from a cold start (JIT and tiering inside the clock)
set -euo pipefail
# shellcheck source=bench/lib/doc-block.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/doc-block.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq bc
CORPUS="${CORPUS:-$ROOT/../shared/datasets/beir-scifact/corpus.jsonl}"
CORPUS="$(cd "$(dirname "$CORPUS")" && pwd)/$(basename "$CORPUS")"
LIMIT="${LIMIT:-$(grep -c . "$CORPUS")}"
CONCURRENCY="${CONCURRENCY:-8}"
WORKERS="${WORKERS:-2}"
# Documents derived from the corpus (same sizes, other bytes) ingested first, untimed, by the server and the floor alike.
WARMUP="${WARMUP:-2000}"
EMBEDDERS="${EMBEDDERS:-lexical glove}"
GLOVE_FILE="${GLOVE_FILE:-$ROOT/data/models/glove-100d.bin}"
PORT="${PORT:-8095}"
BASE="http://127.0.0.1:$PORT"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
API_DLL="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0/Cassiopeia.Api.dll"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench.Ingestion/bin/Release/net10.0/Cassiopeia.Bench.Ingestion.dll"

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench.Ingestion" -nologo -v q >/dev/null
if [[ " $EMBEDDERS " == *" glove "* && ! -s "$GLOVE_FILE" ]]; then
  echo "== fetching GloVe vectors into $GLOVE_FILE"
  "$ROOT/scripts/fetch-glove.sh" "$GLOVE_FILE" || { echo "GloVe vectors unavailable: GloVe skipped" >&2; EMBEDDERS="${EMBEDDERS//glove/}"; }
fi

WORK="$(mktemp -d /tmp/cassiopeia-ingest.XXXXXX)"
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

embedder_env() { # embedder_env <name>: the settings that choose it, for the server and the floor alike
  case "$1" in
    lexical) echo "Embeddings__Provider=lexical" ;;
    glove) echo "Embeddings__Provider=glove Embeddings__GloveFile=$GLOVE_FILE" ;;
  esac
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$WORK/results.jsonl"
for embedder in $EMBEDDERS; do
  DATA="$WORK/$embedder"
  mkdir -p "$DATA"
  echo "== $embedder: server on $BASE, $WORKERS workers (data $DATA)"
  # Run from the output folder so its appsettings.json applies (Information logs, not every SQL command).
  # The access token outlives the slowest run; nothing else differs from the defaults.
  (cd "$(dirname "$API_DLL")" && exec env $(embedder_env "$embedder") ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production \
    Cassiopeia__DataDirectory="$DATA" Ingestion__Workers="$WORKERS" Auth__AccessTokenLifetime=01:00:00 \
    dotnet "$(basename "$API_DLL")" >"$DATA/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DATA/server.log" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.5
  done
  TOKEN="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
    -d "{\"email\":\"ingest-$embedder@example.com\",\"password\":\"bench-Password-9431\",\"name\":\"Bench\"}" | jq -r .accessToken)"
  [[ "$TOKEN" != "null" && -n "$TOKEN" ]] || { echo "signup failed" >&2; exit 1; }

  # Warm-up (not counted): one small document through the whole pipeline loads the model and JITs every step.
  printf 'Warm-up\n\nA short text %s that is not part of the corpus.\n' "$RANDOM" >"$WORK/warm-up.txt"
  WARM_ID="$(curl -sf -X POST "$BASE/v1/documents" -H "Authorization: Bearer $TOKEN" -F kind=other -F "file=@$WORK/warm-up.txt;type=text/plain" | jq -r .id)"
  for _ in $(seq 1 120); do
    [[ "$(curl -sf "$BASE/v1/documents/$WARM_ID" -H "Authorization: Bearer $TOKEN" | jq -r .status)" == ready ]] && break
    sleep 0.5
  done
  RSS_BEFORE=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status")

  echo "-- uploading $LIMIT documents over $CONCURRENCY connections"
  E2E="$(dotnet "$BENCH_DLL" upload --url "$BASE" --token "$TOKEN" --corpus "$CORPUS" --limit "$LIMIT" --concurrency "$CONCURRENCY" --warmup "$WARMUP" || true)"
  [[ -n "$E2E" ]] || { tail -50 "$DATA/server.log" >&2; echo "upload run failed" >&2; exit 1; }
  PEAK=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER_PID/status")
  stop_server
  jq -r '"   \(.documentsPerSecond) documents/s, \(.chunksPerSecond) chunks/s, \(.ready) ready, \(.failed) failed, upload errors \(.uploadErrors), total \(.totalSeconds) s"' <<<"$E2E"
  echo "   server RSS after warm-up $RSS_BEFORE MB, peak $PEAK MB"

  echo "-- floor: the same $LIMIT documents in process, one transaction"
  FLOOR="$(env $(embedder_env "$embedder") dotnet "$BENCH_DLL" floor --data "$WORK/$embedder-floor" --corpus "$CORPUS" --limit "$LIMIT" --warmup "$WARMUP")"
  jq -r '"   \(.documentsPerSecond) documents/s, \(.chunksPerSecond) chunks/s (prepare \(.prepareSeconds) s, write \(.writeSeconds) s), peak \(.peakRssMb) MB"' <<<"$FLOOR"
  jq -cn --arg embedder "$embedder" --argjson e2e "$E2E" --argjson floor "$FLOOR" --argjson rss "$RSS_BEFORE" --argjson peak "$PEAK" \
    '{embedder: $embedder, e2e: $e2e, floor: $floor, rssBeforeMb: $rss, peakMb: $peak}' >>"$RESULTS"
done

TABLE="$(jq -rs '
  def pct(a; b): if b > 0 then (100 * a / b | floor | tostring) + "%" else "-" end;
  "| Embedder | Run | Documents | Chunks | Seconds | Documents/s | Chunks/s | vs floor | Peak RSS MB |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  (.[] |
    "| \(.embedder) (`\(.floor.modelId)`) | floor: in process, one transaction | \(.floor.written) | \(.floor.chunks) | \(.floor.totalSeconds) | \(.floor.documentsPerSecond) | \(.floor.chunksPerSecond) | 100% | \(.floor.peakRssMb) |",
    "| \(.embedder) | end to end: upload → ready | \(.e2e.ready) | \(.e2e.chunks) | \(.e2e.totalSeconds) | **\(.e2e.documentsPerSecond)** | \(.e2e.chunksPerSecond) | **\(pct(.e2e.documentsPerSecond; .floor.documentsPerSecond))** | \(.peakMb) (\(.rssBeforeMb) after warm-up) |")
' "$RESULTS")"
DETAILS="$(jq -rs '.[] |
  "- \(.embedder): uploads took \(.e2e.uploadSeconds) s (p50 \(.e2e.uploadP50Ms) ms, p99 \(.e2e.uploadP99Ms) ms per upload), all ready after \(.e2e.totalSeconds) s; \(.e2e.accepted) accepted, \(.e2e.duplicates) duplicates, \(.e2e.uploadErrors) upload errors\(if (.e2e.errors | length) > 0 then " (" + (.e2e.errors | join(", ")) + ")" else "" end), \(.e2e.failed) failed, settled: \(.e2e.settled). Floor: extract + chunk + embed \(.floor.prepareSeconds) s, write \(.floor.writeSeconds) s. JIT compilation (the runtime'"'"'s own counter) in the settling rounds after the warm-up, until one cost under 0.05 s: server \(.e2e.settlingJitSeconds | map(tostring + " s") | join(", ")), floor \(.floor.settlingJitSeconds | map(tostring + " s") | join(", ")); inside the timed run: server \(.e2e.timedJitSeconds) s, floor \(.floor.timedJitSeconds) s. Goal (≥ 100 documents/s and ≥ 30% of the floor) met: **\(if .e2e.documentsPerSecond >= 100 and .e2e.documentsPerSecond >= 0.3 * .floor.documentsPerSecond then "yes" else "no" end)**."
' "$RESULTS")"

BLOCK="$WORK/block.md"
cat >"$BLOCK" <<MD
<!-- run-ingest:begin (generated by bench/run-ingest.sh; edits here are overwritten) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(dotnet --version), Release; server, generator and floor share all cores (not pinned); load average before: $LOAD_BEFORE.
Command: \`LIMIT=$LIMIT CONCURRENCY=$CONCURRENCY WORKERS=$WORKERS WARMUP=$WARMUP bench/run-ingest.sh\` — BEIR SciFact abstracts (title, blank line, text) uploaded as \`.txt\` over $CONCURRENCY connections to a server with $WORKERS ingestion workers, each embedder on a fresh data directory; before the clock starts the server and the floor each ingest the same $WARMUP warm-up documents derived from the corpus (each sentence reversed: same sizes and words, other bytes, so no duplicate or cached embedding), then further rounds of 500 such documents until a round costs that side under 0.05 s of JIT compilation (at most 12); time from the first upload until no document is queued or processing (polled every 100 ms).

$TABLE

$DETAILS
<!-- run-ingest:end -->
MD
echo
cat "$BLOCK"
write_doc_block run-ingest "$OUT" "$BLOCK" "Ingestion of SciFact (\`bench/run-ingest.sh\`)"
echo "wrote $OUT"
