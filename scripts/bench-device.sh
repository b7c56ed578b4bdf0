#!/usr/bin/env bash
# Native figures on a machine with a real GPU, where this workplace lends one (a bare machine
# that cannot download anything). Build here, carry, run there:
#
#   cargo build --release --locked --bin bench
#   cargo test --locked --test gpu_pixelcnn --no-run   # prints the test binary's path
#   mkdir -p .devbin && cp target/release/bench <that path> .devbin/   # .devbin/gpu_pixelcnn
#   (Debian's libvulkan1 .deb in .gl/: the Vulkan loader, which that machine may lack)
#   there: bash scripts/bench-device.sh "$OUT/device-native.jsonl"
#
# It runs the GPU-equals-CPU tests on that GPU, then the bench binary's GPU figures (`--gpu-only`:
# the CPU figures of that machine say nothing about students' laptops), and writes the bench's
# JSON lines, after one line describing the machine, to $1. Commit that file as
# bench/device-native.jsonl: scripts/bench.sh adds it to BENCHMARKS.md as its own table.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -e "$icd" ] && export VK_DRIVER_FILES="$icd"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

gpu="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 || true)"
driver="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1 || true)"
cpu="$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
machine="${gpu:-an unnamed GPU} (driver ${driver:-unknown}), $cpu, $(nproc) cores"
printf '{"machine": "%s", "date": "%s"}\n' "$machine" "$(date -u +%F)" > "$out"

echo "==> GPU-equals-CPU tests on $gpu" >&2
.devbin/gpu_pixelcnn --test-threads 1 >&2
echo "==> bench" >&2
.devbin/bench --gpu-only >> "$out"
cat "$out" >&2
