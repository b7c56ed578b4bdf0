#!/usr/bin/env bash
# Fails when pkg/ is stale: rebuilds the wasm module from the sources into a temporary folder
# and compares it byte for byte with the committed pkg/.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
bash scripts/build-wasm.sh "$fresh" > /dev/null
status=0
for f in "$fresh"/*; do
  name="$(basename "$f")"
  if ! cmp -s "$f" "pkg/$name"; then
    echo "pkg/$name is stale: run 'bash scripts/build-wasm.sh' and commit pkg/" >&2
    status=1
  fi
done
for f in pkg/*; do
  [ -e "$fresh/$(basename "$f")" ] || { echo "$f is not produced by the build any more" >&2; status=1; }
done
[ "$status" = 0 ] && echo "pkg/ is up to date with the sources"
exit "$status"
