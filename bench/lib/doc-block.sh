# shellcheck shell=bash
# write_doc_block NAME OUT BLOCK TITLE: puts the generated BLOCK file between the
# <!-- NAME:begin … --> and <!-- NAME:end --> markers of OUT, leaving the hand-written text around
# them as it is; when OUT has no such block, appends it under the heading "## TITLE".
write_doc_block() {
  local name="$1" out="$2" block="$3" title="$4"
  if [[ -f "$out" ]] && grep -q "<!-- $name:begin" "$out"; then
    awk -v gen="$block" -v begin="<!-- $name:begin" -v end="<!-- $name:end" '
      index($0, begin) { while ((getline line < gen) > 0) print line; skip = 1; next }
      index($0, end) { skip = 0; next }
      !skip { print }' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
  else
    { echo; echo "## $title"; echo; cat "$block"; } >>"$out"
  fi
}
