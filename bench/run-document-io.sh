#!/usr/bin/env bash
# Upload and download of one large file through the API, in RUNS interleaved rounds (medians), (multipart upload into encrypted storage,
# signed-URL download with decryption), beside a plain `cp` of the same bytes on the same disk in
# the same run, with the server's peak RSS growth. Writes the block between the
# run-document-io markers in docs/benchmarks.md.
#
#   bench/run-document-io.sh              # 200 MB
#   SIZE_MB=50 bench/run-document-io.sh
set -euo pipefail
# shellcheck source=bench/lib/doc-block.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/doc-block.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq
SIZE_MB="${SIZE_MB:-200}"
RUNS="${RUNS:-5}"
PORT="${PORT:-8092}"
BASE="http://127.0.0.1:$PORT"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
API_DLL="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0/Cassiopeia.Api.dll"

dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
WORK="$(mktemp -d "$ROOT/.bench-io.XXXXXX")"   # on the same disk as a real data directory
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Text content (the type sniffer accepts UTF-8 text), random so nothing compresses or dedups.
head -c $((SIZE_MB * 1024 * 1024 * 3 / 4)) /dev/urandom | base64 -w 0 >"$WORK/big.txt"
BYTES=$(stat -c %s "$WORK/big.txt")

# API role only: this measures the storage path; ingestion of the file is another benchmark (run-ingest).
Cassiopeia__Role=api ASPNETCORE_URLS="$BASE" Storage__SegmentSize="${SEGMENT:-65536}" Cassiopeia__DataDirectory="$WORK/data" Documents__MaxFileBytes=$((BYTES + 1)) Http__MaxRequestBodyBytes=1048576 \
  dotnet "$API_DLL" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
TOKEN="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
  -d '{"email":"io@example.com","password":"bench-Password-9431"}' | jq -r .accessToken)"
# Warm the request path with small round trips (upload, signed URL, download, delete) in two bursts
# with pauses, then note the resident set before the big file. The JIT promotes a method to its
# optimised tier only after ~30 calls *and* 100 ms without new methods to compile, so a burst of
# requests postpones it: with a single warm-up request, 18-45 % of the server's CPU samples during
# the measured rounds were the JIT's tier-up thread, and after 100 back-to-back round trips ~3,400
# methods were still waiting (perf map counts). A running service has long finished all this.
warm_small() {
  for i in $(seq 1 "${SMALL_WARMUP:-100}"); do
    echo "warm-up $i $RANDOM" >"$WORK/small.txt"
    SMALL_ID="$(curl -sf -X POST "$BASE/v1/documents" -H "Authorization: Bearer $TOKEN" -F kind=other -F "file=@$WORK/small.txt" | jq -r .id)"
    curl -sf "$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/v1/documents/$SMALL_ID/content" -H "Authorization: Bearer $TOKEN")" -o /dev/null
    curl -sf -X DELETE "$BASE/v1/documents/$SMALL_ID" -H "Authorization: Bearer $TOKEN"
  done
}
warm_small; sleep 2; warm_small; sleep 2
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }
RSS_BEFORE=$(rss)
# Two discarded rounds with the big file: the first pass JIT-compiles and re-tiers the hot path
# (a CPU profile of a cold first upload shows ~19 % of samples in the JIT), which a long-running
# service pays once, not per upload.
for warm in w x; do
  printf '%s' "$warm" | dd of="$WORK/big.txt" bs=1 count=1 conv=notrunc status=none
  WARM="$(curl -sf -X POST "$BASE/v1/documents" -H "Authorization: Bearer $TOKEN" -F kind=other -F "file=@$WORK/big.txt;type=text/plain")"
  WARM_URL="$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/v1/documents/$(jq -r .id <<<"$WARM")/content" -H "Authorization: Bearer $TOKEN")"
  curl -sf "$WARM_URL" -o /dev/null
  curl -sf -X DELETE "$BASE/v1/documents/$(jq -r .id <<<"$WARM")" -H "Authorization: Bearer $TOKEN"
  sleep 2
done

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
CP_RUNS=(); UP_RUNS=(); DOWN_RUNS=()
for run in $(seq 1 "$RUNS"); do
  # A different first byte each round: the same bytes would be deduplicated instead of stored.
  printf '%s' "$(printf '%x' $((run % 16)))" | dd of="$WORK/big.txt" bs=1 count=1 conv=notrunc status=none
  rm -f "$WORK/copy.txt"; sync
  t=$(now); cp "$WORK/big.txt" "$WORK/copy.txt"; sync; CP_RUNS+=("$(since "$t")")

  t=$(now)
  DOC="$(curl -sf -X POST "$BASE/v1/documents" -H "Authorization: Bearer $TOKEN" -F kind=other -F "file=@$WORK/big.txt;type=text/plain")"
  UP_RUNS+=("$(since "$t")")
  ID="$(jq -r .id <<<"$DOC")"
  [[ "$(jq -r .sha256 <<<"$DOC")" == "$(sha256sum "$WORK/big.txt" | cut -d' ' -f1)" ]] || { echo "upload hash mismatch" >&2; exit 1; }

  URL="$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/v1/documents/$ID/content" -H "Authorization: Bearer $TOKEN")"
  rm -f "$WORK/down.txt"; sync
  t=$(now); curl -sf "$URL" -o "$WORK/down.txt"; sync; DOWN_RUNS+=("$(since "$t")")
  cmp -s "$WORK/big.txt" "$WORK/down.txt" || { echo "download differs" >&2; exit 1; }
  curl -sf -X DELETE "$BASE/v1/documents/$ID" -H "Authorization: Bearer $TOKEN"
done
PEAK=$(hwm)
CP_S=$(printf '%s\n' "${CP_RUNS[@]}" | median)
UP_S=$(printf '%s\n' "${UP_RUNS[@]}" | median)
DOWN_S=$(printf '%s\n' "${DOWN_RUNS[@]}" | median)

mbps() { echo "scale=1; $BYTES / 1048576 / $1" | bc; }
pct() { echo "scale=0; 100 * $2 / $1" | bc; }
CP_MBPS=$(mbps "$CP_S"); UP_MBPS=$(mbps "$UP_S"); DOWN_MBPS=$(mbps "$DOWN_S")
GROWTH_MB=$(( (PEAK - RSS_BEFORE) / 1024 ))
BLOCK="$WORK/block.md"
cat >"$BLOCK" <<MD
<!-- run-document-io:begin (generated by bench/run-document-io.sh; edits here are overwritten) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(dotnet --version), Release.
Command: \`SIZE_MB=$SIZE_MB RUNS=$RUNS bench/run-document-io.sh\` — one $SIZE_MB MB file, two bursts of ${SMALL_WARMUP:-100} small round trips and two discarded $SIZE_MB MB rounds to warm up (with pauses, so the JIT finishes tiering up), then $RUNS rounds of cp / upload / download interleaved, medians below; curl on the same machine, data on the same disk.

| step | median seconds | MB/s | vs cp | goal |
|---|---:|---:|---:|---|
| \`cp\` + \`sync\` (baseline) | $CP_S | $CP_MBPS | 100% | |
| upload (multipart → SHA-256 → AES-256-GCM → fsync → rename, then type sniffing) | $UP_S | $UP_MBPS | $(pct "$CP_MBPS" "$UP_MBPS")% | ≥ 40% |
| download (signed URL → decrypt → stream) | $DOWN_S | $DOWN_MBPS | $(pct "$CP_MBPS" "$DOWN_MBPS")% | ≥ 50% |

Server RSS before the first upload $((RSS_BEFORE / 1024)) MB, peak (VmHWM) over all rounds $((PEAK / 1024)) MB: growth **$GROWTH_MB MB** for the $SIZE_MB MB file (goal < 64 MB).
All rounds, seconds — cp: ${CP_RUNS[*]}; upload: ${UP_RUNS[*]}; download: ${DOWN_RUNS[*]}.
<!-- run-document-io:end -->
MD
cat "$BLOCK"
write_doc_block run-document-io "$OUT" "$BLOCK" "Document upload and download (\`bench/run-document-io.sh\`)"
