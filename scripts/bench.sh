#!/usr/bin/env bash
# Measures every speed figure natively and in headless Chromium and writes BENCHMARKS.md (and
# the README's speed table). Not part of the tests. Needs what scripts/test.sh installs, and
# NumPy for the min-char-rnn comparison (installed with pip if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp)"
python3 -c 'import numpy' 2>/dev/null || pip install --quiet numpy
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
echo "==> native" >&2
cargo run --release --locked --bin bench 2>/dev/null | tee -a "$out" >&2
echo "==> NumPy" >&2
python3 bench/minchar_numpy.py < bench/english-1kb.txt | tee -a "$out" >&2
echo "==> browser" >&2
node bench/run.mjs | tee -a "$out" >&2
node bench/report.mjs "$out" .
rm -f "$out"
