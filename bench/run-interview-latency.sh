#!/usr/bin/env bash
# Latency of the interview practice endpoints on the offline path with the GloVe embedder: match
# creation (POST /v1/matches), interview creation (POST /v1/interviews, 8 questions) and answer
# scoring (POST /v1/interviews/{id}/questions/{qid}/answers) for a 2-page CV and a 1-page job
# description (bench/interview/cv.md, jd.md). Closed loop, one connection by default: the time one
# user waits. Each answer needs a fresh question, so the answers run takes question URLs from
# interviews created beforehand (--url-file) and stops when they are used up. Needs dotnet, curl, jq.
#
#   bench/run-interview-latency.sh
#   DURATION=30 CONNECTIONS=2 bench/run-interview-latency.sh
set -euo pipefail
# shellcheck source=bench/lib/doc-block.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/doc-block.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq taskset
PORT="${PORT:-8094}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-1}"
ANSWER_INTERVIEWS="${ANSWER_INTERVIEWS:-30}"
PIN="${PIN:-1}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
GLOVE="${GLOVE:-$ROOT/data/models/glove-100d.bin}"
BASE="http://127.0.0.1:$PORT"
API_DIR="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench/bin/Release/net10.0/Cassiopeia.Bench.dll"

SERVER_PIN=()
GEN_PIN=()
if [[ "$PIN" == "1" && "$(nproc)" -ge 2 ]] && command -v taskset >/dev/null; then
  SERVER_PIN=(taskset -c 1)
  GEN_PIN=(taskset -c 0)
fi

[[ -s "$GLOVE" ]] || "$ROOT/scripts/fetch-glove.sh" "$GLOVE"
echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench" -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/cassiopeia-interview-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

DATA="$WORK/data"; mkdir -p "$DATA"
(cd "$API_DIR" && ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production Cassiopeia__DataDirectory="$DATA" Cassiopeia__Role=all \
  Embeddings__Provider=Glove Embeddings__GloveFile="$GLOVE" Logging__LogLevel__Default=Warning \
  exec "${SERVER_PIN[@]}" dotnet Cassiopeia.Api.dll >>"$DATA/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 240); do
  curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -50 "$DATA/server.log" >&2; echo "server exited" >&2; exit 1; }
  sleep 0.5
done

AUTH="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench-$(date +%s)@example.com\",\"password\":\"bench-Password-9431\",\"name\":\"Bench\"}")"
TOKEN="$(jq -r .accessToken <<<"$AUTH")"
H_AUTH="Authorization: Bearer $TOKEN"

upload() { # upload <file> <kind> -> document id once ready
  local id status
  id="$(curl -sf -X POST "$BASE/v1/documents" -H "$H_AUTH" -F "file=@$1;type=text/markdown" -F "kind=$2" | jq -r .id)"
  for _ in $(seq 1 240); do
    status="$(curl -sf "$BASE/v1/documents/$id" -H "$H_AUTH" | jq -r .status)"
    [[ "$status" == "ready" ]] && { echo "$id"; return 0; }
    [[ "$status" == "failed" ]] && { echo "ingestion of $1 failed" >&2; exit 1; }
    sleep 0.25
  done
  echo "$1 not ready after 60 s" >&2; exit 1
}
CV="$(upload "$ROOT/bench/interview/cv.md" cv)"
JD="$(upload "$ROOT/bench/interview/jd.md" jd)"
CHUNKS="$(curl -sf "$BASE/v1/documents/$CV" -H "$H_AUTH" | jq -r .chunkCount)/$(curl -sf "$BASE/v1/documents/$JD" -H "$H_AUTH" | jq -r .chunkCount)"
PAIR="$(jq -cn --arg cv "$CV" --arg jd "$JD" '{cvDocumentId: $cv, jdDocumentId: $jd}')"
REQUIREMENTS="$(curl -sf -X POST "$BASE/v1/matches" -H "$H_AUTH" -H 'Content-Type: application/json' -d "$PAIR" | jq '.requirements | length')"
echo "== CV $CV, JD $JD (chunks $CHUNKS), $REQUIREMENTS requirements"

RESULTS="$WORK/results.jsonl"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
run() { # run <label> <extra bench args...>
  local label="$1" json; shift
  json="$("${GEN_PIN[@]}" dotnet "$BENCH_DLL" --json --label "$label" --method POST --header "$H_AUTH" --connections "$CONNECTIONS" "$@")"
  echo "$json" >>"$RESULTS"
  jq -r '"   \(.label): \(.requests) requests  p50 \(.p50Ms) ms  p95 \(.p95Ms // "-") ms  p99 \(.p99Ms) ms  errors \(.errors)"' <<<"$json" >&2
}

run "POST /v1/matches" --url "$BASE/v1/matches" --body "$PAIR" --duration "$DURATION" --warmup "$WARMUP"
run "POST /v1/interviews (8 questions)" --url "$BASE/v1/interviews" --body "$PAIR" --duration "$DURATION" --warmup "$WARMUP"

echo "-- creating $ANSWER_INTERVIEWS interviews of 30 questions to answer"
URLS="$WORK/answer-urls.txt"; : >"$URLS"
BODY30="$(jq -c '. + {questionCount: 30}' <<<"$PAIR")"
for _ in $(seq 1 "$ANSWER_INTERVIEWS"); do
  curl -sf -X POST "$BASE/v1/interviews" -H "$H_AUTH" -H 'Content-Type: application/json' -d "$BODY30" \
    | jq -r --arg base "$BASE" '.id as $i | .questions[] | "\($base)/v1/interviews/\($i)/questions/\(.id)/answers"' >>"$URLS"
done
ANSWER="$(jq -cn --rawfile text "$ROOT/bench/interview/answer.txt" '{text: $text}')"
# Warm-up on the first questions by hand: every URL of the measured run must be unused.
for url in $(head -20 "$URLS"); do curl -sf -X POST "$url" -H "$H_AUTH" -H 'Content-Type: application/json' -d "$ANSWER" >/dev/null; done
tail -n +21 "$URLS" >"$URLS.rest"
run "POST .../answers (offline scorer)" --url-file "$URLS.rest" --body "$ANSWER" --duration "$DURATION" --warmup 0

TABLE="$(jq -rs '
  "| Endpoint | Conns | Requests | rps | p50 ms | p95 ms | p99 ms | max ms | Errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  (.[] | "| \(.label) | \(.connections) | \(.requests) | \(.rps * 10 | floor / 10) | \(.p50Ms) | \(.p95Ms // "-") | \(.p99Ms) | \(.maxMs) | \(.errors) |")
' "$RESULTS")"
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
PINNING="not pinned: server and load generator share all cores"
[[ ${#SERVER_PIN[@]} -gt 0 ]] && PINNING="server pinned to CPU 1, load generator to CPU 0 (\`taskset -c\`)"
GENERATED="$WORK/generated.md"
cat >"$GENERATED" <<EOB
<!-- run-interview-latency:begin (generated by bench/run-interview-latency.sh; edits here are overwritten) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown). Goal: p95 < 300 ms for each.

- CPUs (nproc): $(nproc), $CPU_MODEL; memory $MEM; $(. /etc/os-release && echo "$PRETTY_NAME"), .NET SDK $(dotnet --version), Release builds
- Placement: $PINNING
- Load average (1/5/15 min) just before the run: $LOAD_BEFORE (the machine is shared; other work skews results)
- Data: SQLite, GloVe 100-d embedder, no chat model (rules extractor, offline generator and scorer);
  CV \`bench/interview/cv.md\` (831 words, 2 pages) and JD \`bench/interview/jd.md\` (1 page): $CHUNKS chunks, $REQUIREMENTS requirements
- Answers: \`bench/interview/answer.txt\` (a STAR answer of about 150 words) to fresh questions of $ANSWER_INTERVIEWS interviews of 30 questions (20 answered by hand first as warm-up)

\`\`\`sh
PORT=$PORT DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS ANSWER_INTERVIEWS=$ANSWER_INTERVIEWS PIN=$PIN bench/run-interview-latency.sh
\`\`\`

$TABLE
<!-- run-interview-latency:end -->
EOB

write_doc_block run-interview-latency "$OUT" "$GENERATED" "Interview practice latency (\`bench/run-interview-latency.sh\`)"
echo
cat "$GENERATED"
echo "wrote $OUT"
