#!/usr/bin/env bash
# Load test of authenticated GET /v1/me (JWT and API key) against the bare /health/live floor of
# the same server, then constant-rate runs at half of each /v1/me maximum, then login throughput.
# Builds Release, starts the service on 127.0.0.1:$PORT with a fresh data directory, writes
# docs/benchmarks.md. Needs dotnet, curl and jq.
#
#   bench/run-auth-load.sh                  # defaults below
#   DURATION=30 CONNECTIONS=64 bench/run-auth-load.sh
#   PIN=0 bench/run-auth-load.sh            # no CPU pinning (server and generator share all cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq taskset
PORT="${PORT:-8091}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-32}"
LOGIN_CONNECTIONS="${LOGIN_CONNECTIONS:-4}"
LOGIN_DURATION="${LOGIN_DURATION:-10}"
PIN="${PIN:-1}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
BASE="http://127.0.0.1:$PORT"
API_DLL="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0/Cassiopeia.Api.dll"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench/bin/Release/net10.0/Cassiopeia.Bench.dll"
EMAIL="bench-$(date +%s)@example.com"
PASSWORD="bench-Password-9431"

# Pinning keeps the generator from stealing the server's core (and the other way round).
SERVER_PIN=()
GEN_PIN=()
if [[ "$PIN" == "1" && "$(nproc)" -ge 2 ]] && command -v taskset >/dev/null; then
  SERVER_PIN=(taskset -c 1)
  GEN_PIN=(taskset -c 0)
fi

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench" -nologo -v q >/dev/null

DATA="$(mktemp -d /tmp/cassiopeia-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== starting server on $BASE (data $DATA; ${SERVER_PIN[*]:-unpinned}; load average before: $LOAD_BEFORE)"
# Run from the output folder: the content root is the working directory, and without its
# appsettings.json every request and SQL command is logged at Information (1 GB in two minutes).
# exec (and taskset's own exec) keep $! the server itself, so the trap can stop it.
(cd "$(dirname "$API_DLL")" && ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production Cassiopeia__DataDirectory="$DATA" \
  exec "${SERVER_PIN[@]}" dotnet "$(basename "$API_DLL")" >"$DATA/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DATA/server.log" >&2; echo "server exited" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$BASE/health/ready" >/dev/null || { echo "server not ready after 60 s" >&2; exit 1; }

echo "== signing up $EMAIL and creating an API key"
TOKEN="$(curl -sf -X POST "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Bench\"}" | jq -r .accessToken)"
API_KEY="$(curl -sf -X POST "$BASE/v1/api-keys" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
  -d '{"name":"bench"}' | jq -r .key)"
[[ "$TOKEN" != "null" && "$API_KEY" == csk_* ]] || { echo "signup or API key creation failed" >&2; exit 1; }
curl -sf "$BASE/v1/me" -H "Authorization: Bearer $TOKEN" >/dev/null
curl -sf "$BASE/v1/me" -H "Authorization: Bearer $API_KEY" >/dev/null

RESULTS="$DATA/results.jsonl"
bench() { # bench <label> <args...>: one run, appended to $RESULTS, echoes its JSON
  local label="$1"; shift
  echo "-- $label" >&2
  local json
  json="$("${GEN_PIN[@]}" dotnet "$BENCH_DLL" --json --label "$label" --url "$@")"
  echo "$json" >>"$RESULTS"
  jq -r '"   \(.rps) req/s  p50 \(.p50Ms) ms  p99 \(.p99Ms) ms  errors \(.errors)"' <<<"$json" >&2
  echo "$json"
}
closed() { bench "$1" "$2" --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" "${@:3}"; }
half() { jq -r '(.rps / 2 | floor)' <<<"$1"; }

echo "== warm-up of every endpoint (discarded): JIT tiering and thread-pool growth settle first"
for url_header in "$BASE/health/live|" "$BASE/v1/me|Authorization: Bearer $TOKEN" "$BASE/v1/me|Authorization: Bearer $API_KEY"; do
  url="${url_header%%|*}"; header="${url_header#*|}"
  "${GEN_PIN[@]}" dotnet "$BENCH_DLL" --url "$url" ${header:+--header "$header"} --connections "$CONNECTIONS" --duration 5 --warmup 0 >/dev/null
done

echo "== closed-loop maximum, $CONNECTIONS connections, ${DURATION}s (+${WARMUP}s warm-up)"
FLOOR="$(closed 'floor GET /health/live' "$BASE/health/live")"
JWT="$(closed 'GET /v1/me (JWT)' "$BASE/v1/me" --header "Authorization: Bearer $TOKEN")"
KEY="$(closed 'GET /v1/me (API key)' "$BASE/v1/me" --header "Authorization: Bearer $API_KEY")"
# The floor again after the authenticated runs: the machine is noisy and JIT tiering settles
# during the first runs, so the ratio is taken against the higher (stricter) of the two floors.
FLOOR_AGAIN="$(closed 'floor GET /health/live (again)' "$BASE/health/live")"

echo "== open-loop at 50% of each /v1/me maximum"
JWT_HALF="$(closed 'GET /v1/me (JWT) @50%' "$BASE/v1/me" --header "Authorization: Bearer $TOKEN" --rate "$(half "$JWT")")"
KEY_HALF="$(closed 'GET /v1/me (API key) @50%' "$BASE/v1/me" --header "Authorization: Bearer $API_KEY" --rate "$(half "$KEY")")"

echo "== login, closed-loop, $LOGIN_CONNECTIONS connections, ${LOGIN_DURATION}s"
LOGIN="$(bench 'POST /v1/auth/login' "$BASE/v1/auth/login" --method POST --connections "$LOGIN_CONNECTIONS" \
  --duration "$LOGIN_DURATION" --warmup 2 --body "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")"

FLOOR_RPS="$(jq -rn --argjson a "$FLOOR" --argjson b "$FLOOR_AGAIN" '[$a.rps, $b.rps] | max')"
TABLE="$(jq -rs --argjson floor "$FLOOR_RPS" '
  "| Run | Mode | Conns | Target rps | rps | p50 ms | p90 ms | p99 ms | max ms | Errors | rps / floor |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  (.[] | "| \(.label) | \(.mode)-loop | \(.connections) | \(.targetRate // "-") | \(.rps | floor) | \(.p50Ms) | \(.p90Ms) | \(.p99Ms) | \(.maxMs) | \(.errors) | \(if .mode == "closed" then ((.rps / $floor * 100 | floor | tostring) + "%") else "-" end) |")
' "$RESULTS")"

verdict() { # verdict <max json> <half json>: yes/no for ">= 50% of floor, p99 < 10 ms at half load, no errors"
  jq -rn --argjson max "$1" --argjson half "$2" --argjson floor "$FLOOR_RPS" '
    if ($max.rps >= 0.5 * $floor) and ($half.p99Ms < 10) and ($half.errors == 0) and ($max.errors == 0)
    then "yes" else "no" end'
}
JWT_OK="$(verdict "$JWT" "$JWT_HALF")"
KEY_OK="$(verdict "$KEY" "$KEY_HALF")"
summary() { # summary <name> <max json> <half json> <verdict>
  jq -rn --arg name "$1" --argjson max "$2" --argjson half "$3" --argjson floor "$FLOOR_RPS" --arg ok "$4" '
    "- \($name): \($max.rps | floor) req/s = \($max.rps / $floor * 100 | floor)% of the floor (goal >= 50%); at \($half.targetRate) req/s p99 \($half.p99Ms) ms (goal < 10 ms), errors \($half.errors). Goal met: **\($ok)**."'
}

echo
echo "$TABLE"
echo
summary "JWT" "$JWT" "$JWT_HALF" "$JWT_OK"
summary "API key" "$KEY" "$KEY_HALF" "$KEY_OK"

CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
PINNING="not pinned: server and load generator share all cores"
[[ ${#SERVER_PIN[@]} -gt 0 ]] && PINNING="server pinned to CPU 1, load generator to CPU 0 (\`taskset -c\`)"
GENERATED="$DATA/generated.md"
cat >"$GENERATED" <<EOF
<!-- run-auth-load:begin (generated by bench/run-auth-load.sh; edits here are overwritten) -->
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
PORT=$PORT DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS LOGIN_CONNECTIONS=$LOGIN_CONNECTIONS LOGIN_DURATION=$LOGIN_DURATION PIN=$PIN bench/run-auth-load.sh
\`\`\`

### Results

$TABLE

Latency of open-loop runs is measured from each request's scheduled send time (no coordinated omission).
Ratios are against the higher of the two floor runs ($FLOOR_RPS req/s).

$(summary "JWT" "$JWT" "$JWT_HALF" "$JWT_OK")
$(summary "API key" "$KEY" "$KEY_HALF" "$KEY_OK")
- Login (PBKDF2-SHA512, 210,000 iterations, slow on purpose): $(jq -r '"\(.rps) logins/s with \(.connections) connections, p50 \(.p50Ms) ms, p99 \(.p99Ms) ms, errors \(.errors)"' <<<"$LOGIN").
<!-- run-auth-load:end -->
EOF

mkdir -p "$(dirname "$OUT")"
if [[ -f "$OUT" ]] && grep -q '<!-- run-auth-load:begin' "$OUT"; then
  # Replace only the generated block; hand-written analysis around it stays.
  awk -v gen="$GENERATED" '
    /<!-- run-auth-load:begin/ { while ((getline line < gen) > 0) print line; skip = 1; next }
    /<!-- run-auth-load:end/ { skip = 0; next }
    !skip { print }
  ' "$OUT" >"$DATA/benchmarks.md"
  cp "$DATA/benchmarks.md" "$OUT"
else
  {
    echo "# Benchmarks"
    echo
    echo "## Authenticated requests and login (\`bench/run-auth-load.sh\`)"
    echo
    cat "$GENERATED"
    echo
    echo "Notes: the load generator (\`bench/Cassiopeia.Bench\`) runs on the same machine as the server,"
    echo "so the numbers are a lower bound of what the server alone can do."
  } >"$OUT"
fi
echo
echo "wrote $OUT"
