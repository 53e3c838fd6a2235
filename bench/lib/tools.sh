#!/usr/bin/env bash
# require_tools TOOL...: installs the Debian packages of the missing tools (once; a no-op when all are
# present). Sourced by the bench scripts.
require_tools() {
  local tool missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$([[ $tool == taskset ]] && echo util-linux || echo "$tool")")
  done
  ((${#missing[@]} == 0)) && return 0
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
