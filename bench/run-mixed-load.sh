#!/usr/bin/env bash
# Mixed authenticated load: reads 60%, searches 25%, asks on the offline path 10%, uploads 5%
# (bench/Cassiopeia.Bench/MixedWorkload.cs) at constant arrival rates rising by GROWTH every STAGE
# seconds until p99 passes P99_LIMIT ms or a request fails; then a soak at SOAK_FRACTION of the
# highest passing rate for SOAK seconds, in WINDOW-second windows (p99 drift, errors, server RSS).
# Starts the service in PROFILE (embedded | scale-out, bench/lib/service.sh), seeds DOCUMENTS SciFact
# abstracts, writes the "mixed-load" section of docs/benchmarks.md.
#
#   bench/run-mixed-load.sh                       # ramp + 10-minute soak, embedded profile
#   SOAK=60 bench/run-mixed-load.sh               # a short soak
#   PROFILE=scale-out bench/run-mixed-load.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$ROOT/bench/lib/tools.sh"
# shellcheck source=bench/lib/doc-block.sh
source "$ROOT/bench/lib/doc-block.sh"
# shellcheck source=bench/lib/service.sh
source "$ROOT/bench/lib/service.sh"
require_tools curl jq taskset

PORT="${PORT:-8097}"
DOCUMENTS="${DOCUMENTS:-200}"
CONNECTIONS="${CONNECTIONS:-256}"
START_RATE="${START_RATE:-50}"
GROWTH="${GROWTH:-1.25}"
STAGE="${STAGE:-15}"
WARMUP="${WARMUP:-30}"
P99_LIMIT="${P99_LIMIT:-100}"
SOAK="${SOAK:-600}"
SOAK_FRACTION="${SOAK_FRACTION:-0.7}"
WINDOW="${WINDOW:-60}"
PIN="${PIN:-1}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
CORPUS="$ROOT/../shared/datasets/beir-scifact"
GLOVE="${GLOVE:-${XDG_CACHE_HOME:-$HOME/.cache}/cassiopeia/glove-100d.bin}"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench/bin/Release/net10.0/Cassiopeia.Bench.dll"
BASE="http://127.0.0.1:$PORT"

SERVICE_PIN=()
GEN_PIN=()
if [[ "$PIN" == "1" && "$(nproc)" -ge 2 ]]; then
  SERVICE_PIN=(taskset -c 1)
  GEN_PIN=(taskset -c 0)
fi

[[ -s "$GLOVE" ]] || "$ROOT/scripts/fetch-glove.sh" "$GLOVE"
echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench" -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/cassiopeia-mixed.XXXXXX)"
trap 'stop_services; rm -rf "$WORK"' EXIT INT TERM
use_profile "$WORK"
export Embeddings__Provider=Glove Embeddings__GloveFile="$GLOVE" Chat__Provider=Extractive
echo "== starting the service ($PROFILE)"
start_service node "$PORT"
SERVER_PID="$SERVICE_PID"

TOKEN="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"mixed-$(date +%s)@example.com\",\"password\":\"bench-Password-9431\",\"name\":\"Bench\"}" | jq -r .accessToken)"

MACHINE="$(machine_line)"
STARTED="$(date -u +%Y-%m-%dT%H:%MZ)"
RSS_START="$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")"
JSON="$WORK/mixed.json"
"${GEN_PIN[@]}" dotnet "$BENCH_DLL" mixed --url "$BASE" --token "$TOKEN" --corpus "$CORPUS" --documents "$DOCUMENTS" \
  --connections "$CONNECTIONS" --start-rate "$START_RATE" --growth "$GROWTH" --stage "$STAGE" --warmup "$WARMUP" \
  --p99-limit "$P99_LIMIT" --soak "$SOAK" --soak-fraction "$SOAK_FRACTION" --window "$WINDOW" --server-pid "$SERVER_PID" >"$JSON"
curl -sf "$BASE/health/ready" >/dev/null || { echo "service unhealthy after the run" >&2; exit 1; }

STAGES="$(jq -r '
  "| Rate (req/s) | Achieved | Requests | p50 ms | p99 ms | max ms | Errors | read p99 | search p99 | ask p99 | upload p99 |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  (.stages[] | "| \(.rate) | \(.achievedRps) | \(.requests) | \(.p50Ms) | \(.p99Ms) | \(.maxMs) | \(.errors)\(if .errors > 0 then " (" + (.errorKinds | to_entries | map("\(.key): \(.value)") | join(", ")) + ")" else "" end) | \(.kinds.read.p99Ms) | \(.kinds.search.p99Ms) | \(.kinds.ask.p99Ms) | \(.kinds.upload.p99Ms) |")' "$JSON")"
SOAK_TABLE="$(jq -r '
  if (.soak | length) == 0 then "(no soak)" else
  "| Window end (s) | Requests | p50 ms | p99 ms | Errors | server RSS MiB |",
  "|---:|---:|---:|---:|---:|---:|",
  (.soak[] | "| \(.endSeconds) | \(.requests) | \(.p50Ms) | \(.p99Ms) | \(.errors) | \(.rssMiB) |") end' "$JSON")"
SUMMARY="$(jq -r '
  if (.soak | length) == 0 then "Highest rate with p99 ≤ \(.p99LimitMs) ms and zero errors: **\(.bestRate) requests/s**." else
  (.soak | first) as $f | (.soak | last) as $l |
  "Highest rate with p99 ≤ \(.p99LimitMs) ms and zero errors: **\(.bestRate) requests/s**. Soak at \(.soakRate)/s: " +
  "**\([.soak[].errors] | add) errors**, p99 \($f.p99Ms) → \($l.p99Ms) ms (drift ×\(($l.p99Ms / $f.p99Ms) * 100 | round / 100)), " +
  "RSS \($f.rssMiB) → \($l.rssMiB) MiB (growth \((($l.rssMiB - $f.rssMiB) / $f.rssMiB) * 1000 | round / 10) %, first to last window; max \([.soak[].rssMiB] | max) MiB)." end' "$JSON")"
PINNING="not pinned"
[[ ${#SERVICE_PIN[@]} -gt 0 ]] && PINNING="service pinned to CPU 1, load generator to CPU 0 (\`taskset -c\`)"

GENERATED="$WORK/generated.md"
cat >"$GENERATED" <<EOB
<!-- mixed-load:begin (generated by bench/run-mixed-load.sh; edits here are overwritten) -->
Run $STARTED at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown). Goals: report the highest rate with
p99 ≤ $P99_LIMIT ms and zero errors; soak at ${SOAK_FRACTION} of it: zero errors, RSS growth under 10 %.

$MACHINE
- Profile: $PROFILE_DESCRIPTION; $PINNING; GloVe 100-d embedder, extractive (offline) answers
- Data: $DOCUMENTS SciFact abstracts seeded and ready before the run; server RSS after start-up $((RSS_START / 1024)) MiB
- Mix per 20 requests: 12 reads (document list, one document, its chunks, /v1/me in turn), 5 searches
  (POST /v1/search, SciFact queries, topK 10, hybrid), 2 asks (POST /v1/ask, extractive), 1 upload (a new
  abstract-sized text, then ingested in the background); open loop (constant arrival rate, latency from the
  due time), $CONNECTIONS connections at most, ${WARMUP} s warm-up, ${STAGE} s per stage, rate ×$GROWTH per stage

\`\`\`sh
PROFILE=$PROFILE DOCUMENTS=$DOCUMENTS START_RATE=$START_RATE GROWTH=$GROWTH STAGE=$STAGE SOAK=$SOAK WINDOW=$WINDOW bench/run-mixed-load.sh
\`\`\`

$SUMMARY

$STAGES

Soak:

$SOAK_TABLE
<!-- mixed-load:end -->
EOB
write_doc_block mixed-load "$OUT" "$GENERATED" "Mixed load and soak (\`bench/run-mixed-load.sh\`)"
cat "$GENERATED"
echo "wrote $OUT"
