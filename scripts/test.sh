#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against SQLite files and a
# throw-away PostgreSQL cluster that this script starts (and installs when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/test-postgres.sh
source scripts/test-postgres.sh
trap stop_test_postgres EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Cassiopeia.slnx -c Release -warnaserror -v quiet -nologo
dotnet test Cassiopeia.slnx -c Release --no-build -v quiet -nologo --logger "console;verbosity=minimal" "$@"
