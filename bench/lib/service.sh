#!/usr/bin/env bash
# Starts and stops service processes for the bench scripts, in either profile. Sourced.
#
#   PROFILE=embedded   (default) SQLite and encrypted files in each node's data directory
#   PROFILE=scale-out  PostgreSQL, Redis and an S3 bucket: the throw-away servers of scripts/test-*.sh
#                      (started here unless CASSIOPEIA_TEST_POSTGRES/_REDIS/_S3 already point at some),
#                      a fresh database and bucket per run, signing keys shared by every node
#
#   use_profile WORK_DIR                 once, before the first start_service
#   start_service NAME PORT [ARGS...]    starts "dotnet Cassiopeia.Api.dll ARGS" (e.g. --role api),
#                                        waits until /health/ready answers, sets SERVICE_PID
#   stop_services                        stops every service started here (and the servers above)
#
# Settings in the caller's environment (Embeddings__Provider, limits, ...) reach every node.
# SERVICE_PIN (an array, e.g. (taskset -c 1)) prefixes the command.

SERVICE_PIDS=()
SERVICE_WORK=""
PROFILE="${PROFILE:-embedded}"
SERVICE_DLL_DIR="${SERVICE_DLL_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/src/Cassiopeia.Api/bin/Release/net10.0}"
_SERVICE_STARTED_BACKENDS=()

use_profile() {
  SERVICE_WORK="$1"
  mkdir -p "$SERVICE_WORK"
  case "$PROFILE" in
    embedded) ;;
    scale-out) _start_scale_out_backends ;;
    *) echo "PROFILE must be embedded or scale-out, not '$PROFILE'" >&2; return 2 ;;
  esac
}

_random_key() { head -c 32 /dev/urandom | base64 -w0; }

_start_scale_out_backends() {
  local scripts db bucket
  scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)"
  if [[ -z "${CASSIOPEIA_TEST_POSTGRES:-}" ]]; then
    # shellcheck source=scripts/test-postgres.sh
    source "$scripts/test-postgres.sh"
    _SERVICE_STARTED_BACKENDS+=(stop_test_postgres)
  fi
  if [[ -z "${CASSIOPEIA_TEST_REDIS:-}" ]]; then
    # shellcheck source=scripts/test-redis.sh
    source "$scripts/test-redis.sh"
    _SERVICE_STARTED_BACKENDS+=(stop_test_redis)
  fi
  if [[ -z "${CASSIOPEIA_TEST_S3:-}" ]]; then
    # shellcheck source=scripts/test-s3.sh
    source "$scripts/test-s3.sh"
    _SERVICE_STARTED_BACKENDS+=(stop_test_s3)
  fi

  db="bench_$(date +%s)_$RANDOM"
  bucket="bench-$(date +%s)-$RANDOM"
  local port host
  host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$CASSIOPEIA_TEST_POSTGRES")"
  port="$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$CASSIOPEIA_TEST_POSTGRES")"
  PGPASSWORD="" psql -q -h "$host" -p "$port" -U cassiopeia -d postgres -c "CREATE DATABASE $db" >/dev/null
  # s3rver takes an unsigned bucket creation.
  curl -sf -X PUT "$CASSIOPEIA_TEST_S3/$bucket" >/dev/null

  export Database__Provider=Postgres
  export Database__ConnectionString="Host=$host;Port=$port;Username=cassiopeia;Database=$db;Maximum Pool Size=60"
  export Redis__ConnectionString="$CASSIOPEIA_TEST_REDIS" Redis__KeyPrefix="$db:"
  export Storage__Provider=S3 Storage__S3__ServiceUrl="$CASSIOPEIA_TEST_S3" Storage__S3__Bucket="$bucket" \
    Storage__S3__ForcePathStyle=true Storage__S3__AccessKey=S3RVER Storage__S3__SecretKey=S3RVER
  export Auth__SigningKey="${Auth__SigningKey:-$(_random_key)}" Storage__UrlSigningKey="${Storage__UrlSigningKey:-$(_random_key)}"
  PROFILE_DESCRIPTION="scale-out: PostgreSQL $(psql -V | awk '{print $3}') (fsync off, throw-away cluster), Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/'), S3 on s3rver (Node.js)"
}

PROFILE_DESCRIPTION="embedded: SQLite and encrypted files on local disk"

start_service() {
  local name="$1" port="$2" data
  shift 2
  # SERVICE_DATA_NAME: nodes that share one data directory (an API and a worker process on one SQLite file).
  data="$SERVICE_WORK/${SERVICE_DATA_NAME:-$name}"
  mkdir -p "$data"
  (cd "$SERVICE_DLL_DIR" && ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production \
    Cassiopeia__DataDirectory="$data" Logging__LogLevel__Default="${SERVICE_LOG_LEVEL:-Warning}" \
    exec "${SERVICE_PIN[@]}" dotnet Cassiopeia.Api.dll "$@" >>"$data/$name.log" 2>&1) &
  SERVICE_PID=$!
  SERVICE_PIDS+=("$SERVICE_PID")
  local probe="http://127.0.0.1:$port/health/ready"
  for _ in $(seq 1 240); do
    # A worker-only node serves health endpoints too.
    curl -sf -o /dev/null "$probe" 2>/dev/null && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -40 "$data/$name.log" >&2; echo "service $name exited" >&2; return 1; }
    sleep 0.5
  done
  tail -40 "$data/$name.log" >&2
  echo "service $name not ready after 120 s" >&2
  return 1
}

stop_services() {
  local pid stop
  for pid in "${SERVICE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${SERVICE_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  SERVICE_PIDS=()
  for stop in "${_SERVICE_STARTED_BACKENDS[@]}"; do
    "$stop" || true
  done
  _SERVICE_STARTED_BACKENDS=()
}

# machine_line: one Markdown bullet describing the machine and its load right now.
machine_line() {
  local cpu mem
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  mem="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- Machine: $(nproc) CPUs ($cpu), $mem, $(. /etc/os-release && echo "$PRETTY_NAME"), .NET SDK $(dotnet --version), Release builds; load average before the run $(cut -d' ' -f1-3 /proc/loadavg)"
}
