#!/usr/bin/env bash
# Benchmarks measure throughput, not plans: every plan (free and trial, which organizations start on, and
# pro and team, which a run may buy through the local billing provider) gets limits and request rates no
# benchmark reaches, and the per-address limits of sign-in and anonymous requests are lifted. Quotas and rate limits stay enforced, only with generous numbers. Sourced by the bench scripts.
for plan in free trial pro team; do
  for metric in documents pages_ingested asks interview_questions answers_scored llm_tokens; do
    export "Billing__Plans__${plan}__Limits__${metric}=1000000000"
  done
  export "Billing__Plans__${plan}__RequestsPerMinute=1000000"
done
export RateLimiting__Auth__PermitLimit=100000000 RateLimiting__Callers__PermitLimit=100000000 RateLimiting__Anonymous__PermitLimit=100000000
