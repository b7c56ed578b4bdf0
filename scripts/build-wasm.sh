#!/usr/bin/env bash
# Builds the wasm module and its JS bindings: scripts/build-wasm.sh [out_dir] (default pkg).
# Reproducible: paths are remapped so that the output does not depend on where the
# repository or the cargo registry lives; the same sources give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-pkg}"
source scripts/wasm-env.sh
cargo build --release --locked --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir "$out" --out-name genmodels "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/genmodels.wasm"
rm -f "$out/.gitignore" "$out/package.json"
ls -l "$out"
