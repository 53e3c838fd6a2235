#!/usr/bin/env bash
# Benchmarks measure throughput, not plans: the plans organizations start on (free, trial) get limits
# and request rates no benchmark reaches, and the per-address limits of sign-in and anonymous requests
# are lifted. Quotas and rate limits stay enforced, only with generous numbers. Sourced by the bench scripts.
for plan in free trial; do
  for metric in documents pages_ingested asks interview_questions answers_scored llm_tokens; do
    export "Billing__Plans__${plan}__Limits__${metric}=1000000000"
  done
  export "Billing__Plans__${plan}__RequestsPerMinute=1000000"
done
export RateLimiting__Auth__PermitLimit=100000000 RateLimiting__Callers__PermitLimit=100000000 RateLimiting__Anonymous__PermitLimit=100000000
