#!/usr/bin/env bash
# Fault drills against the real service binary (docs/reliability.md holds the guarantees and the
# measured results; the fast versions of these run as integration tests):
#   kills     embedded profile (SQLite, local files): DOCS documents uploaded over KILLS lives of the
#             service, each life ended by kill -9 while it ingests; a last life finishes the queue.
#   postgres  scale-out profile (PostgreSQL + Redis): load for a while, PostgreSQL stopped for
#             PG_GAP seconds, load for a while after it is back.
#   redis     the same profile with Redis stopped for REDIS_GAP seconds under load.
#   disk      uploads into a 16 MB tmpfs until it is full, then space is freed and uploads resume.
# Each drill prints one result line; all of them land in $WORK/results.txt. Needs root (tmpfs,
# PostgreSQL as its own user), dotnet, curl, jq, sqlite3 and python3.
#
#   bench/run-faults.sh                      # all four drills
#   DRILLS="kills disk" bench/run-faults.sh  # a subset
#   DOCS=200 KILLS=20 PG_GAP=10 REDIS_GAP=10 LOAD_CLIENTS=4 bench/run-faults.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$ROOT/bench/lib/tools.sh"
require_tools curl jq sqlite3 python3

DRILLS="${DRILLS:-kills postgres redis disk}"
DOCS="${DOCS:-200}"
KILLS="${KILLS:-20}"
PG_GAP="${PG_GAP:-10}"
REDIS_GAP="${REDIS_GAP:-10}"
LOAD_CLIENTS="${LOAD_CLIENTS:-4}"
PORT="${PORT:-8097}"
BASE="http://127.0.0.1:$PORT"
API_DLL="$ROOT/src/Cassiopeia.Api/bin/Release/net10.0/Cassiopeia.Api.dll"

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/cassiopeia-faults.XXXXXX)"
RESULTS="$WORK/results.txt"
SERVER_PID=""
MOUNTED=""
PG_STARTED=""
REDIS_STARTED=""
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  [[ -n "$MOUNTED" ]] && umount "$MOUNTED" 2>/dev/null || true
  [[ -n "$REDIS_STARTED" ]] && stop_test_redis || true
  [[ -n "$PG_STARTED" ]] && stop_test_postgres || true
  echo "(work files in $WORK)"
}
trap cleanup EXIT INT TERM

now_ms() { date +%s%3N; }

# start_server DATA [NAME=VALUE...]: the service in the background from its output folder (its
# appsettings.json applies), waiting until /health/ready answers 200.
start_server() {
  local data="$1"; shift
  mkdir -p "$data"
  (cd "$(dirname "$API_DLL")" && exec env "$@" ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production \
    Cassiopeia__DataDirectory="$data" Auth__AccessTokenLifetime=01:00:00 \
    dotnet "$(basename "$API_DLL")" >>"$data/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    curl -sf "$BASE/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$data/server.log" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.25
  done
  echo "server not ready after 60 s" >&2; exit 1
}

crash_server() { kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

sign_up() {
  curl -sf "$BASE/v1/auth/signup" -H 'Content-Type: application/json' \
    -d "{\"email\":\"faults-$RANDOM$RANDOM@example.test\",\"password\":\"Quiet-Harbour-7391\",\"name\":\"Faults\"}" | jq -r .accessToken
}

# upload FILE: prints "<status> <document id or ->"
upload() {
  local body code
  body="$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -F kind=other -F "file=@$1;type=text/plain" "$BASE/v1/documents" || true)"
  code="$(tail -n1 <<<"$body")"
  echo "$code $( (head -n -1 <<<"$body" | jq -r '.id // "-"' 2>/dev/null) || echo -)"
}

# make_docs DIR COUNT KB PREFIX: COUNT distinct text files of about KB kilobytes
make_docs() {
  python3 - "$@" <<'EOF'
import os, sys
folder, count, kb, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
os.makedirs(folder, exist_ok=True)
for i in range(count):
    words = []
    n = 0
    while n < kb * 1024:
        s = f"Section {n} of {prefix} document {i} records how durable ingestion survives faults number {i * 7 + n % 13}. "
        words.append(s); n += len(s)
    with open(os.path.join(folder, f"{prefix}-{i:04d}.txt"), "w") as f:
        f.write("".join(words))
EOF
}

# load_client ID UNTIL_MS OUT: alternates a list and an upload of a fresh small file until the deadline;
# one line per request: "<ms> <kind> <status> <document id or ->"
load_client() {
  local id="$1" until="$2" out="$3" n=0 file code
  file="$WORK/load-$id.txt"
  while (($(now_ms) < until)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' -m 10 -H "Authorization: Bearer $TOKEN" "$BASE/v1/documents?limit=5" || true)"
    echo "$(now_ms) list $code -" >>"$out"
    n=$((n + 1))
    echo "Load client $id request $n at $(now_ms): a short note uploaded while a dependency may be down." >"$file"
    echo "$(now_ms) upload $(upload "$file")" >>"$out"
  done
}

# run_load SECONDS OUT: LOAD_CLIENTS clients in the background; LOAD_PIDS to wait on
run_load() {
  local until=$(($(now_ms) + $1 * 1000)) i
  LOAD_PIDS=()
  for i in $(seq 1 "$LOAD_CLIENTS"); do
    load_client "$i" "$until" "$2" &
    LOAD_PIDS+=($!)
  done
}

drill_kills() {
  local data="$WORK/kills" per=$((DOCS / KILLS)) life running=0 waiting=0 hits=0
  make_docs "$WORK/kill-docs" "$DOCS" 64 kill
  : >"$WORK/kill-ids"
  local env=(Embeddings__Provider=lexical Ingestion__LeaseDuration=00:00:05 Ingestion__PollInterval=00:00:00.250)
  local started
  started=$(now_ms)
  for life in $(seq 0 $((KILLS - 1))); do
    start_server "$data" "${env[@]}"
    [[ $life -eq 0 ]] && { TOKEN="$(sign_up)"; export -f upload; export BASE TOKEN; }
    # The life's documents arrive together, and the kill follows within 150 ms: ingestion
    # (extraction, embedding, the indexing transaction) is under way when it lands.
    ls "$WORK/kill-docs" | sed -n "$((life * per + 1)),$((life * per + per))p" \
      | xargs -P "$LOAD_CLIENTS" -I{} bash -c 'upload "'"$WORK/kill-docs"'/{}"' >"$WORK/kill-life.txt"
    awk '$1 != 202 { print "upload answered " $1; bad = 1 } END { exit bad }' "$WORK/kill-life.txt" >&2
    awk '{ print $2 }' "$WORK/kill-life.txt" >>"$WORK/kill-ids"
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.0, 0.15), 2))')"
    crash_server
    running="$(sqlite3 "$data/cassiopeia.db" "SELECT COUNT(*) FROM ingestion_jobs WHERE State = 'running'")"
    waiting="$(sqlite3 "$data/cassiopeia.db" "SELECT COUNT(*) FROM ingestion_jobs WHERE State = 'pending'")"
    ((running > 0)) && hits=$((hits + 1))
    echo "   kill $((life + 1))/$KILLS: $running jobs running, $waiting waiting"
  done
  start_server "$data" "${env[@]}"
  for _ in $(seq 1 1200); do
    [[ "$(sqlite3 "$data/cassiopeia.db" "SELECT COUNT(*) FROM ingestion_jobs WHERE State IN ('done', 'failed')")" -ge "$DOCS" ]] && break
    sleep 0.25
  done
  local elapsed=$((($(now_ms) - started) / 1000))
  stop_server
  local db="$data/cassiopeia.db"
  local ready failed dup chunks counted fts files tmps maxatt
  ready="$(sqlite3 "$db" "SELECT COUNT(*) FROM documents WHERE Status = 'ready'")"
  failed="$(sqlite3 "$db" "SELECT COUNT(*) FROM documents WHERE Status <> 'ready'")"
  dup="$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT DocumentId, Ordinal FROM chunks GROUP BY DocumentId, Ordinal HAVING COUNT(*) > 1)")"
  chunks="$(sqlite3 "$db" "SELECT COUNT(*) FROM chunks")"
  counted="$(sqlite3 "$db" "SELECT COALESCE(SUM(ChunkCount), 0) FROM documents")"
  fts="$(sqlite3 "$db" "SELECT COUNT(*) FROM chunks_fts")"
  maxatt="$(sqlite3 "$db" "SELECT MAX(Attempts) FROM ingestion_jobs")"
  files="$(find "$data/blobs" -type f ! -name '*.tmp' | wc -l)"
  tmps="$(find "$data/blobs" -type f -name '*.tmp' | wc -l)"
  echo "kills: $DOCS documents, $KILLS kill -9 ($hits while jobs were running), ${elapsed}s: ready=$ready not-ready=$failed duplicate-chunks=$dup chunks=$chunks sum(chunkCount)=$counted fts-rows=$fts blob-files=$files temp-files=$tmps max-attempts=$maxatt" | tee -a "$RESULTS"
}

scale_out_env() {
  SCALE_OUT_ENV=(Database__Provider=Postgres "Database__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=cassiopeia;Database=faults;Timeout=3;Maximum Pool Size=50"
    "Redis__ConnectionString=$CASSIOPEIA_TEST_REDIS" Embeddings__Provider=lexical Ingestion__PollInterval=00:00:00.250)
}

start_scale_out() {
  if [[ -z "$PG_STARTED" ]]; then
    # shellcheck source=scripts/test-postgres.sh
    source "$ROOT/scripts/test-postgres.sh"; PG_STARTED=1
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U cassiopeia -d postgres -qc "CREATE DATABASE faults"
  fi
  if [[ -z "$REDIS_STARTED" ]]; then
    # shellcheck source=scripts/test-redis.sh
    source "$ROOT/scripts/test-redis.sh"; REDIS_STARTED=1
  fi
  scale_out_env
  start_server "$WORK/scale-out" "${SCALE_OUT_ENV[@]}"
  TOKEN="$(sign_up)"
}

psql_faults() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U cassiopeia -d faults -Atc "$1"; }

# summarize OUT FROM_MS TO_MS: counts by status inside and outside the window, and how the uploads ended
summarize() {
  local out="$1" from="$2" to="$3"
  awk -v from="$from" -v to="$to" '
    { inside = ($1 >= from && $1 <= to); total++
      if ($3 ~ /^2/) ok++; else if ($3 == 503 && inside) gap503++; else { other++; others = others " " $2 ":" $3 } }
    END { printf "requests=%d ok=%d 503-in-gap=%d other-errors=%d%s", total, ok, gap503, other, (other ? " (" others ")" : "") }' "$out"
}

# check_uploads OUT: every upload answered 202 is in the database and ready
check_uploads() {
  local out="$1" ids n ready
  ids="$(awk '$2 == "upload" && $3 == 202 { printf "%s\047%s\047", (n++ ? "," : ""), $4 }' "$out")"
  n="$(awk '$2 == "upload" && $3 == 202' "$out" | wc -l)"
  for _ in $(seq 1 240); do
    ready="$(psql_faults "SELECT COUNT(*) FROM documents WHERE \"Id\" IN ($ids) AND \"Status\" = 'ready'")"
    [[ "$ready" -ge "$n" ]] && break
    sleep 0.5
  done
  echo "accepted-uploads=$n present-and-ready=$ready"
}

drill_postgres() {
  start_scale_out
  local out="$WORK/postgres-load.txt" stop_ms start_ms recovered
  : >"$out"
  run_load $((PG_GAP + 15)) "$out"
  sleep 5
  stop_ms=$(now_ms)
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
  local ready_during
  sleep $((PG_GAP / 2))
  ready_during="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")"
  sleep $((PG_GAP - PG_GAP / 2))
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
  start_ms=$(now_ms)
  wait "${LOAD_PIDS[@]}"
  recovered="$(awk -v s="$start_ms" '$1 >= s && $3 ~ /^2/ { print $1 - s; exit }' <(sort -n "$out"))"
  echo "postgres: stopped ${PG_GAP}s under $LOAD_CLIENTS clients, readiness during gap $ready_during, first success ${recovered} ms after restart: $(summarize "$out" "$stop_ms" "$((start_ms + 5000))") $(check_uploads "$out")" | tee -a "$RESULTS"
  stop_server
}

drill_redis() {
  start_scale_out
  local out="$WORK/redis-load.txt" stop_ms start_ms ready_during ready_after
  : >"$out"
  run_load $((REDIS_GAP + 15)) "$out"
  sleep 5
  stop_ms=$(now_ms)
  kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
  sleep $((REDIS_GAP / 2))
  ready_during="$(curl -s -w ' %{http_code}' "$BASE/health/ready" | sed 's/^\(.*\) \([0-9]*\)$/\2 \1/' | { read -r c j; echo "$c $(jq -rc '.checks.redis' <<<"$j")"; })"
  sleep $((REDIS_GAP - REDIS_GAP / 2))
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save "" --appendonly no \
    --protected-mode yes --daemonize no --logfile "$REDIS_DIR/log" &
  REDIS_PID=$!
  start_ms=$(now_ms)
  wait "${LOAD_PIDS[@]}"
  ready_after="$(curl -s "$BASE/health/ready" | jq -rc '.checks.redis')"
  echo "redis: stopped ${REDIS_GAP}s under $LOAD_CLIENTS clients, readiness redis check during gap $ready_during, after $ready_after: $(summarize "$out" "$stop_ms" "$stop_ms") $(check_uploads "$out")" | tee -a "$RESULTS"
  stop_server
}

drill_disk() {
  local data="$WORK/disk" blobs="$WORK/disk-blobs" out="$WORK/disk-uploads.txt" code id accepted full other
  mkdir -p "$blobs"
  mount -t tmpfs -o size=16m tmpfs "$blobs"; MOUNTED="$blobs"
  make_docs "$WORK/disk-docs" 40 700 disk
  start_server "$data" Embeddings__Provider=lexical "Storage__Directory=$blobs"
  TOKEN="$(sign_up)"
  : >"$out"
  export -f upload; export BASE TOKEN
  ls "$WORK/disk-docs" | xargs -P "$LOAD_CLIENTS" -I{} bash -c 'echo "{} $(upload "'"$WORK/disk-docs"'/{}")"' >>"$out"
  accepted="$(awk '$2 == 202' "$out" | wc -l)"
  full="$(awk '$2 == 507' "$out" | wc -l)"
  other="$(awk '$2 != 202 && $2 != 507' "$out" | wc -l)"
  local files tmps rows
  files="$(find "$blobs" -type f ! -name '*.tmp' | wc -l)"
  tmps="$(find "$blobs" -type f -name '*.tmp' | wc -l)"
  rows="$(sqlite3 "$data/cassiopeia.db" "SELECT COUNT(*) FROM documents")"
  # Free space the way an operator would (delete documents), then the refused uploads go through.
  for id in $(awk '$2 == 202 { print $3 }' "$out" | head -n 8); do
    curl -sf -X DELETE -H "Authorization: Bearer $TOKEN" "$BASE/v1/documents/$id" >/dev/null
  done
  read -r code id < <(upload "$WORK/disk-docs/$(awk '$2 == 507 { print $1; exit }' "$out")")
  echo "disk: 40 uploads of 700 KB into 16 MB: 202=$accepted 507=$full other=$other; documents=$rows blob-files=$files temp-files=$tmps; after freeing space a refused upload answers $code" | tee -a "$RESULTS"
  stop_server
  umount "$blobs"; MOUNTED=""
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
for drill in $DRILLS; do
  echo "== $drill"
  "drill_$drill"
done
echo "== results"
cat "$RESULTS"
