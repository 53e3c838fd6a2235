#!/usr/bin/env bash
# Lints the deployment artifacts with whichever linters are installed; the unit tests
# (tests/Cassiopeia.UnitTests/Deployment) check them without any of these.
#   cfn-lint (pip install cfn-lint), yamllint (apt install yamllint), hadolint, kubeconform,
#   docker compose (config -q needs no running engine).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
ran=0

run() {
  local tool=$1; shift
  if command -v "$tool" >/dev/null 2>&1; then
    echo "== $tool $*"
    ran=$((ran + 1))
    "$tool" "$@" || status=1
  else
    echo "-- $tool not installed, skipped"
  fi
}

run cfn-lint deploy/aws/cassiopeia.yaml
run yamllint -d '{extends: default, rules: {line-length: disable, document-start: disable, truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}' deploy/
run hadolint deploy/docker/Dockerfile
run kubeconform -strict -summary -ignore-filename-pattern kustomization.yaml deploy/k8s/
if docker compose version >/dev/null 2>&1; then
  echo "== docker compose config"
  ran=$((ran + 1))
  env_file=$(mktemp)
  cp deploy/compose/.env.example "$env_file"
  docker compose --env-file "$env_file" -f deploy/compose/compose.yaml config -q || status=1
  rm -f "$env_file"
else
  echo "-- docker compose not installed, skipped"
fi

echo "$ran linters ran, status $status"
exit "$status"
