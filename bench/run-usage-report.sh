#!/usr/bin/env bash
# GET /v1/usage over a year of usage: EVENTS usage events (default 2,000,000) of one organization,
# spread over DAYS days, 6 metrics and 5 members, inserted straight into the SQLite database through
# the same trigger that keeps the daily roll-ups for the application. Then REQUESTS sequential
# requests for the whole range (and with by=member), beside the same aggregation run over the raw
# events. Builds Release, starts the service on 127.0.0.1:$PORT with a fresh data directory, writes
# docs/benchmarks.md. Needs dotnet, curl, jq and sqlite3.
#
#   bench/run-usage-report.sh
#   EVENTS=200000 REQUESTS=50 bench/run-usage-report.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/doc-block.sh
source "$ROOT/bench/lib/doc-block.sh"
# shellcheck source=bench/lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_tools curl jq sqlite3
PORT="${PORT:-8096}"
EVENTS="${EVENTS:-2000000}"
DAYS="${DAYS:-366}"
REQUESTS="${REQUESTS:-100}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
BASE="http://127.0.0.1:$PORT"
API_DIR="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0"

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null

DATA="$(mktemp -d /tmp/cassiopeia-usage.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [[ -n "${KEEP:-}" ]] || rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

(cd "$API_DIR" && ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production Cassiopeia__DataDirectory="$DATA" Cassiopeia__Role=api \
  Embeddings__Provider=Lexical Logging__LogLevel__Default=Warning exec dotnet Cassiopeia.Api.dll >>"$DATA/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done

SIGNUP="$(curl -fs "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"usage-$(date +%s)@example.com\",\"password\":\"bench-Password-9431\"}")"
TOKEN="$(jq -r .accessToken <<<"$SIGNUP")"
ORG="$(jq -r .organization.id <<<"$SIGNUP")"
USER_ID="$(jq -r .user.id <<<"$SIGNUP")"
# Usage per member is a team-plan feature: the organization buys it through the local billing checkout.
CHECKOUT="$(curl -fs -X POST "$BASE/v1/billing/checkout" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"planId":"team"}' | jq -r .checkoutUrl)"
curl -fs -X POST "$BASE$CHECKOUT" -H "Authorization: Bearer $TOKEN" >/dev/null
END="$(date -u +%Y-%m-%d)"
START="$(date -u -d "$END - $((DAYS - 1)) days" +%Y-%m-%d)"

echo "== inserting $EVENTS events over $DAYS days"
SEED_START=$(date +%s.%N)
sqlite3 "$DATA/cassiopeia.db" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA busy_timeout=10000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $EVENTS)
INSERT INTO usage_events ("OrganizationId", "UserId", "ApiKeyId", "Metric", "Quantity", "CostNanoUsd", "Model", "OccurredUtc")
SELECT '$ORG',
       CASE i % 5 WHEN 0 THEN '$USER_ID' ELSE 'usr_member' || (i % 5) END,
       NULL,
       CASE i % 6 WHEN 0 THEN 'documents' WHEN 1 THEN 'pages_ingested' WHEN 2 THEN 'asks'
                  WHEN 3 THEN 'interview_questions' WHEN 4 THEN 'answers_scored' ELSE 'llm_tokens' END,
       1 + i % 7, 1000 + i % 100000, CASE i % 6 WHEN 5 THEN 'gpt-4o-mini' END,
       strftime('%Y-%m-%d %H:%M:%S', '$START', '+' || ((i * 86400 * $DAYS) / $EVENTS) || ' seconds')
FROM n;
COMMIT;
SQL
SEED_S=$(printf "%.1f" "$(echo "$(date +%s.%N) - $SEED_START" | bc)")
ROLLUPS="$(sqlite3 "$DATA/cassiopeia.db" "SELECT count(*) FROM usage_daily WHERE OrganizationId = '$ORG';")"

time_requests() {
  local url="$1" times=()
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$url" # warm-up
  for _ in $(seq 1 "$REQUESTS"); do
    times+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000}'
}

echo "== timing GET /v1/usage"
read -r ORG_P50 ORG_P95 ORG_MAX <<<"$(time_requests "$BASE/v1/usage?from=$START&to=$END&granularity=day")"
read -r MEM_P50 MEM_P95 MEM_MAX <<<"$(time_requests "$BASE/v1/usage?from=$START&to=$END&granularity=day&by=member")"
ITEMS="$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/v1/usage?from=$START&to=$END" | jq '.items | length')"
RAW_MS="$(printf '.timer on\nSELECT count(*) FROM (SELECT substr(OccurredUtc, 1, 10), Metric, sum(Quantity), sum(CostNanoUsd) FROM usage_events WHERE OrganizationId = '\''%s'\'' GROUP BY 1, 2);\n' "$ORG" \
  | sqlite3 "$DATA/cassiopeia.db" | grep -o 'real [0-9.]*' | awk '{printf "%.0f", $2 * 1000}')"

BLOCK="$(mktemp)"
cat >"$BLOCK" <<MD
<!-- run-usage-report:begin (generated by bench/run-usage-report.sh; do not edit by hand) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(dotnet --version), Release, SQLite.
Command: \`EVENTS=$EVENTS DAYS=$DAYS REQUESTS=$REQUESTS bench/run-usage-report.sh\` — $EVENTS usage events of one organization over $DAYS days (6 metrics, 5 members) inserted in $SEED_S s through the roll-up trigger, giving $ROLLUPS \`usage_daily\` rows; $REQUESTS sequential requests each, curl on the same machine.

| request | items | p50 ms | p95 ms | max ms |
|---|---:|---:|---:|---:|
| \`GET /v1/usage?from=$START&to=$END\` | $ITEMS | $ORG_P50 | $ORG_P95 | $ORG_MAX |
| same with \`by=member\` | | $MEM_P50 | $MEM_P95 | $MEM_MAX |
| the same aggregation over the raw events (sqlite3, no HTTP) | | $RAW_MS | | |
<!-- run-usage-report:end -->
MD
cat "$BLOCK"
write_doc_block run-usage-report "$OUT" "$BLOCK" "Usage report over 2M events (\`bench/run-usage-report.sh\`)"
rm -f "$BLOCK"
