#!/usr/bin/env bash
# Serves the site on localhost. pkg/ is committed, so usually nothing needs building; if it
# is missing, this builds it first (installing the wasm target and wasm-bindgen-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/genmodels_bg.wasm ]; then
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  version="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)"
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $version" ] || cargo install wasm-bindgen-cli --version "$version"
  bash scripts/build-wasm.sh
fi
port="${PORT:-8000}"
echo "Open http://localhost:$port/ in your browser (Ctrl+C stops the server)."
exec python3 -m http.server "$port" --bind 127.0.0.1
