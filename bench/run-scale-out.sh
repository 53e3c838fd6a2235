#!/usr/bin/env bash
# Scale-out: the foundation load test (authenticated GET /v1/me and password login, closed loop)
# against one API node and against two behind a round-robin client, in the same run, in the scale-out
# profile (PostgreSQL, Redis, S3 from bench/lib/service.sh). Login is the CPU-bound request: PBKDF2
# verification costs the node ~0.1 s of CPU, against well under a millisecond for the load generator,
# PostgreSQL and Redis, so its ratio measures the nodes; GET /v1/me costs the node about as much as
# it costs the generator and PostgreSQL together, so on this machine its ratio measures what they
# share. Each node runs in its own CPU cgroup with a quota of
# NODE_CPU CPUs (as a Kubernetes pod with a CPU limit), so "one node" and "two nodes" are one and two
# equal slices of CPU while the load generator, PostgreSQL and Redis run on what is left of this
# 2-core machine. Order: one node, two nodes, one node again (ratios against the mean of the two one-node runs).
# Writes the "scale-out" section of docs/benchmarks.md. Root is needed for the cgroups.
#
#   bench/run-scale-out.sh
#   NODE_CPU=0.4 DURATION=20 bench/run-scale-out.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE=scale-out
# shellcheck source=bench/lib/generous-limits.sh
source "$ROOT/bench/lib/generous-limits.sh"
# shellcheck source=bench/lib/tools.sh
source "$ROOT/bench/lib/tools.sh"
# shellcheck source=bench/lib/doc-block.sh
source "$ROOT/bench/lib/doc-block.sh"
# shellcheck source=bench/lib/service.sh
source "$ROOT/bench/lib/service.sh"
require_tools curl jq

PORT_A="${PORT_A:-8101}"
PORT_B="${PORT_B:-8102}"
NODE_CPU="${NODE_CPU:-0.5}"
DURATION="${DURATION:-15}"
LOGIN_DURATION="${LOGIN_DURATION:-30}"
LOGIN_CONNECTIONS="${LOGIN_CONNECTIONS:-16}"
WARMUP="${WARMUP:-5}"
# Untimed GET /v1/me load on both nodes first: under a CPU quota the JIT tiers a node's code up on the
# node's own slice, which takes minutes, not seconds (a 15 s warm-up left the first one-node run 5× slower
# than the last).
WARMUP_SECONDS="${WARMUP_SECONDS:-60}"
CONNECTIONS="${CONNECTIONS:-32}"
OUT="${OUT:-$ROOT/docs/benchmarks.md}"
BENCH_DLL="$ROOT/bench/Cassiopeia.Bench/bin/Release/net10.0/Cassiopeia.Bench.dll"
CGROUP_ROOT=/sys/fs/cgroup/cpu
[[ -w "$CGROUP_ROOT" ]] || { echo "needs a writable cgroup v1 cpu controller at $CGROUP_ROOT (run as root)" >&2; exit 1; }

echo "== building (Release)"
dotnet build -c Release "$ROOT/src/Cassiopeia.Api" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/bench/Cassiopeia.Bench" -nologo -v q >/dev/null

WORK="$(mktemp -d /tmp/cassiopeia-scale.XXXXXX)"
CGROUPS=()
cleanup() {
  stop_services
  local group
  for group in "${CGROUPS[@]}"; do rmdir "$group" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# node_cgroup NAME: a cpu cgroup with the NODE_CPU quota; prints its path.
node_cgroup() {
  local group="$CGROUP_ROOT/cassiopeia-bench-$1-$$"
  mkdir -p "$group"
  echo 100000 >"$group/cpu.cfs_period_us"
  awk -v c="$NODE_CPU" 'BEGIN { printf "%d\n", c * 100000 }' >"$group/cpu.cfs_quota_us"
  echo "$group"
}

use_profile "$WORK/nodes"
for node in a b; do
  group="$(node_cgroup "$node")"
  CGROUPS+=("$group")
  # The process joins its cgroup before exec, so every thread it starts is inside the quota.
  SERVICE_PIN=(bash -c "echo \$\$ >'$group/cgroup.procs'; exec \"\$@\"" _)
  port="PORT_${node^^}"
  start_service "$node" "${!port}" --role api
done
SERVICE_PIN=()
A="http://127.0.0.1:$PORT_A"
B="http://127.0.0.1:$PORT_B"

EMAIL="scale-$(date +%s)@example.com"
PASSWORD="bench-Password-9431"
TOKEN="$(curl -sf -X POST "$A/v1/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Bench\"}" | jq -r .accessToken)"
# A token issued by node A is accepted by node B: the signing key is shared.
curl -sf "$B/v1/me" -H "Authorization: Bearer $TOKEN" >/dev/null

ONE=(--url "$A/v1/me")
TWO=(--url "$A/v1/me" --url "$B/v1/me")
LOGIN_BODY="{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
RESULTS="$WORK/results.jsonl"
# throttling: "periods throttled" per node cgroup, one line each (cpu.stat of the cfs quota).
throttling() {
  local group
  for group in "${CGROUPS[@]}"; do awk '/^nr_periods/ { p = $2 } /^nr_throttled/ { t = $2 } END { print p, t }' "$group/cpu.stat"; done
}
bench() { # bench <label> <args...>: one closed-loop run, its JSON (with each node's share of throttled periods) appended to RESULTS
  local json label="$1" before after
  shift
  before="$(throttling)"
  json="$(dotnet "$BENCH_DLL" --json --label "$label" "$@")"
  after="$(throttling)"
  # Share of the run's scheduler periods in which each node had used up its quota (A, B): a node near 100 % was CPU-bound at its slice.
  json="$(jq -c --arg t "$(paste -d' ' <(echo "$before") <(echo "$after") | awk '{ d = $3 - $1; printf "%s%d %%", (NR > 1 ? ", " : ""), d ? 100 * ($4 - $2) / d : 0 }')" '. + { throttled: $t }' <<<"$json")"
  echo "$json" >>"$RESULTS"
  jq -r '"   \(.label): \(.rps * 10 | floor / 10) req/s  p50 \(.p50Ms) ms  p99 \(.p99Ms) ms  errors \(.errors)  throttled \(.throttled)"' <<<"$json" >&2
}
run() { # run <label> --url URL...: GET /v1/me
  local label="$1"
  shift
  bench "$label" "$@" --header "Authorization: Bearer $TOKEN" --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP"
}
login() { # login <label> --url URL...: POST /v1/auth/login
  local label="$1"
  shift
  bench "$label" "$@" --method POST --body "$LOGIN_BODY" --connections "$LOGIN_CONNECTIONS" --duration "$LOGIN_DURATION" --warmup 3
}

MACHINE="$(machine_line)"
STARTED="$(date -u +%Y-%m-%dT%H:%MZ)"
echo "== warm-up (discarded)"
dotnet "$BENCH_DLL" "${TWO[@]}" --header "Authorization: Bearer $TOKEN" --connections "$CONNECTIONS" --duration "$WARMUP_SECONDS" --warmup 0 >/dev/null
echo "== closed loop, $CONNECTIONS connections, ${DURATION}s each"
run "one node" "${ONE[@]}"
run "two nodes" "${TWO[@]}"
run "one node (again)" "${ONE[@]}"
echo "== login, closed loop, $LOGIN_CONNECTIONS connections, ${LOGIN_DURATION}s each"
LOGIN_ONE=(--url "$A/v1/auth/login")
LOGIN_TWO=(--url "$A/v1/auth/login" --url "$B/v1/auth/login")
# Untimed logins on both nodes first: login's own code paths (its queries, token issue, audit) are
# compiled and tiered up on each node's slice, which would otherwise count against whichever node
# meets them first in a timed run.
dotnet "$BENCH_DLL" "${LOGIN_TWO[@]}" --method POST --body "$LOGIN_BODY" --connections "$LOGIN_CONNECTIONS" --duration 30 --warmup 0 >/dev/null
login "login, one node" "${LOGIN_ONE[@]}"
login "login, two nodes" "${LOGIN_TWO[@]}"
login "login, one node (again)" "${LOGIN_ONE[@]}"

TABLE="$(jq -rs '
  "| Run | rps | p50 ms | p99 ms | max ms | Errors | Periods throttled (node A, B) |",
  "|---|---:|---:|---:|---:|---:|---|",
  (.[] | "| \(.label) | \(.rps * 10 | floor / 10) | \(.p50Ms) | \(.p99Ms) | \(.maxMs) | \(.errors) | \(.throttled) |")' "$RESULTS")"
# ratio <prefix> <what>: two nodes over the mean of the two one-node runs whose labels start with prefix.
ratio() {
  jq -rs --arg p "$1" --arg what "$2" '
    . as $runs
    | ([$runs[] | select(.label == ($p + "one node") or .label == ($p + "one node (again)")) | .rps] | sort) as $one
    | ($runs[] | select(.label == ($p + "two nodes")) | .rps) as $two
    | "- \($what): two nodes / one node **×\(($two / (($one[0] + $one[-1]) / 2)) * 100 | round / 100)** against the mean of the two one-node runs (×\(($two / $one[-1]) * 100 | round / 100) against the faster one)."' "$RESULTS"
}
RATIO="$(ratio "" 'GET /v1/me (light read)')
$(ratio "login, " 'Login (CPU-bound: PBKDF2-SHA512, 210,000 iterations)')"

GENERATED="$WORK/generated.md"
cat >"$GENERATED" <<EOB
<!-- scale-out:begin (generated by bench/run-scale-out.sh; edits here are overwritten) -->
Run $STARTED at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown). Goal: two nodes ≥ 1.6× one node on a CPU-bound request.

$MACHINE
- Profile: $PROFILE_DESCRIPTION; API nodes \`--role api\`, each in its own CPU cgroup with a quota of $NODE_CPU CPU
  (\`cpu.cfs_quota_us\`, like a pod's CPU limit); the load generator, PostgreSQL and Redis share the rest of the machine
- Requests: \`GET /v1/me\` with a JWT (signature check, membership lookup, JSON), closed loop, $CONNECTIONS connections, ${DURATION} s
  per run after ${WARMUP} s warm-up; \`POST /v1/auth/login\` (lockout check, user lookup, PBKDF2 verification, tokens, audit row),
  closed loop, $LOGIN_CONNECTIONS connections, ${LOGIN_DURATION} s per run after 3 s warm-up; two nodes get the requests in turn
  (round robin in the client, as a load balancer would)

\`\`\`sh
NODE_CPU=$NODE_CPU DURATION=$DURATION CONNECTIONS=$CONNECTIONS LOGIN_DURATION=$LOGIN_DURATION LOGIN_CONNECTIONS=$LOGIN_CONNECTIONS bench/run-scale-out.sh
\`\`\`

$RATIO

$TABLE
<!-- scale-out:end -->
EOB
write_doc_block scale-out "$OUT" "$GENERATED" "Scale-out: one API node and two (\`bench/run-scale-out.sh\`)"
cat "$GENERATED"
