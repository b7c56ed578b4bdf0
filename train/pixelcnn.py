"""Train, evaluate and export the class-conditional Gated PixelCNNs.

    python3 -m train.pixelcnn train --dataset digits      # resumes from checkpoints/digits.pt
    python3 -m train.pixelcnn export --dataset digits     # models/digits.{safetensors,json} + fixture

Training runs on the CPU, or on a CUDA GPU with `train --device cuda` (see
scripts/gpu-stage.sh).

Training is seeded and resumable: the checkpoint (model, moving average, optimizer, data
order, random state) is rewritten atomically every few minutes, so an interruption loses at
most the steps since the last one. Export ships the moving average in f16, a model card and a
fixture of PyTorch logits that the Rust tests check the Rust reference and samplers against.
"""

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import torch
from safetensors.torch import save_file

from . import data, quality
from .model import GatedPixelCnn, default_config, parameter_shapes, receptive_field_rows_cols

REPO = data.REPO
# Stages trained before checkpoints recorded their machine all ran on this 2-core machine.
OLD_STAGES_DEVICE = "2 CPU cores"
CARD_FORMAT = "genmodels-pixelcnn/1"
LN2 = math.log(2.0)


def checkpoint_path(dataset):
    return os.path.join(REPO, "checkpoints", f"{dataset}.pt")


def checkpoint_of(args):
    return args.checkpoint or checkpoint_path(args.dataset)


def device_label(device):
    if device.type == "cuda":
        return "one " + torch.cuda.get_device_name(device)
    return f"{os.cpu_count()} CPU cores"


def to_cpu(obj):
    """A copy of a (nested) state with every tensor on the CPU, so that a checkpoint written
    on a GPU loads anywhere."""
    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return type(obj)((k, to_cpu(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return [to_cpu(v) for v in obj]
    return obj


def log(*args):
    print(*args, flush=True)


def shift_batch(x, max_shift, gen):
    """Random translations of up to `max_shift` pixels, the border filled with background (0)."""
    if max_shift == 0:
        return x
    b, _, h, w = x.shape
    pad = torch.nn.functional.pad(x, (max_shift,) * 4)
    dy = torch.randint(0, 2 * max_shift + 1, (b,), generator=gen)
    dx = torch.randint(0, 2 * max_shift + 1, (b,), generator=gen)
    rows = (dy[:, None] + torch.arange(h)[None, :])[:, :, None].expand(b, h, w)
    cols = (dx[:, None] + torch.arange(w)[None, :])[:, None, :].expand(b, h, w)
    idx = torch.arange(b)[:, None, None].expand(b, h, w)
    return pad[idx, 0, rows, cols][:, None]


def distort_batch(x, affine, gen):
    """Distribution augmentation: a random affine distortion (rotation, scale, shear), plus an
    elastic one if `affine["elastic"]` is set, of a fraction `affine["p"]` of the images,
    bilinear, rounded back to the 256 levels. Returns the images and which of them were
    distorted (the model is told, see `add_augmented_bias`)."""
    b = x.shape[0]
    picked = torch.rand(b, generator=gen) < affine["p"]
    if not picked.any():
        return x, picked

    def uniform(limit):
        return (torch.rand(b, generator=gen) * 2 - 1) * limit
    angle = uniform(math.radians(affine["degrees"]))
    scale = 1 + uniform(affine["scale"])
    shear = uniform(affine["shear"])
    cos, sin = torch.cos(angle), torch.sin(angle)
    # theta maps output coordinates to input ones: rotation times shear, divided by the scale.
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = cos / scale
    theta[:, 0, 1] = (cos * shear - sin) / scale
    theta[:, 1, 0] = sin / scale
    theta[:, 1, 1] = (sin * shear + cos) / scale
    n, (h, w) = int(picked.sum()), x.shape[2:]
    grid = torch.nn.functional.affine_grid(theta[picked], [n, 1, h, w], align_corners=False)
    if affine.get("elastic", 0) > 0:
        # Elastic distortion (Simard et al. 2003): each image's pixels move along a smooth random
        # field, drawn at 4x4 control points (up to `elastic` pixels) and interpolated between them.
        coarse = (torch.rand(n, 2, 4, 4, generator=gen) * 2 - 1) * affine["elastic"]
        field = torch.nn.functional.interpolate(coarse, size=(h, w), mode="bicubic", align_corners=True)
        # Pixels to grid units (the grid spans 2 across the image).
        grid = grid + field.permute(0, 2, 3, 1) * torch.tensor([2 / w, 2 / h])
    warped = torch.nn.functional.grid_sample(x[picked].float(), grid, mode="bilinear", align_corners=False)
    out = x.clone()
    out[picked] = warped.round().clamp(0, 255).to(x.dtype)
    return out, picked


def class_nats(model, x, augmented=None):
    """Negative log-likelihood in nats of each image under every class: [images, classes]
    (one forward pass per class)."""
    n, classes = x.shape[0], model.cfg["classes"]
    pixels = x.repeat(classes, 1, 1, 1)
    labels = torch.arange(classes, device=x.device).repeat_interleave(n)
    if augmented is not None:
        augmented = augmented.repeat(classes)
    nats = model.nll_per_image(pixels, labels, augmented) * (x.shape[2] * x.shape[3])
    return nats.view(classes, n).t()


def discriminative_loss(model, x, y, augmented=None):
    """Cross-entropy of the model's own Bayes classifier, p(y|x) proportional to p(x|y) (equal
    class priors), against the true class, and how many it gets right."""
    logits = -class_nats(model, x, augmented)
    return torch.nn.functional.cross_entropy(logits, y), (logits.argmax(1) == y).sum()


def model_from_tensors(cfg, tensors):
    """A model holding a checkpoint's weights, with the training-only augmented bias if the
    checkpoint has one."""
    model = GatedPixelCnn(cfg)
    if any(k.startswith("augmented_bias.") for k in tensors):
        model.add_augmented_bias()
    model.load_state_dict(tensors)
    return model


class SampleFeedback:
    """The model's own samples, scored by a critic: a classifier (train/quality.py's kind, its own
    seed) trained on the real training images only.

    Each refresh exports the moving average in f16 (what would ship), draws `samples` images of
    every class with the project's cached sampler at T = 1, and gives each the advantage
    p_critic(y|x) - (its class's mean). Training then lowers the NLL of samples with a positive
    advantage and raises it for the rest: the score-function (REINFORCE) gradient of the expected
    critic probability, E[(r - b) grad log p(x|y)], with the class mean as baseline. Since
    E[grad log p] = 0 over the model's own samples, unscored samples would teach nothing: only
    the critic's preference moves the model."""

    def __init__(self, dataset, settings, cfg, train_x, train_y):
        self.dataset, self.settings = dataset, settings
        self.critic, critic_path = quality.cached_classifier(
            dataset, train_x, train_y, settings["critic_epochs"], settings["critic_seed"], log
        )
        # The sampler reads a card beside the weights; the shipped one serves while the
        # architecture is the same, so it is checked and copied once.
        card = json.load(open(os.path.join(REPO, "models", f"{dataset}.json")))
        if card["config"] != cfg:
            raise SystemExit(f"models/{dataset}.json describes another architecture than the checkpoint")
        self.stem = os.path.join(REPO, "target", "feedback", dataset)
        os.makedirs(os.path.dirname(self.stem), exist_ok=True)
        json.dump(card, open(self.stem + ".json", "w"))
        log(f"sample feedback: critic {critic_path}")

    def refresh(self, ema, seed):
        save_file({k: v.detach().cpu().half().contiguous() for k, v in ema.named_tensors().items()},
                  self.stem + ".safetensors")
        out = self.stem + "-samples.bin"
        cmd = ["cargo", "run", "--release", "--quiet", "--bin", "pixelcnn", "--", "dump", "--dataset",
               self.dataset, "--model", self.stem, "--per-class", str(self.settings["samples"]),
               "--seed", str(seed), "--out", out]
        subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        images, labels = quality.read_samples(out)
        labels_t = torch.from_numpy(labels)
        reward = quality.class_probabilities(self.critic, images)[torch.arange(len(labels)), labels_t]
        baseline = torch.zeros(len(labels))
        for k in labels_t.unique():
            baseline[labels_t == k] = reward[labels_t == k].mean()
        self.x = torch.from_numpy(images)[:, None]
        self.y = labels_t
        self.advantage = reward - baseline
        accepted = float((reward > 0.5).float().mean())
        log(f"sample feedback: the critic accepts {accepted:.1%} of {len(labels)} fresh samples "
            f"(mean p(y|x) {reward.mean():.3f})")
        return accepted

    def batch(self, gen):
        idx = torch.randint(0, len(self.y), (self.settings["images"],), generator=gen)
        return self.x[idx], self.y[idx], self.advantage[idx]


def held_out_batches(model, images, labels, batch):
    """(pixels, labels) batches on the model's device, with the model in evaluation mode until
    the last one is done."""
    model.eval()
    device = next(model.parameters()).device
    try:
        for i in range(0, len(labels), batch):
            yield (
                torch.from_numpy(images[i : i + batch])[:, None].to(device),
                torch.from_numpy(labels[i : i + batch]).to(device),
            )
    finally:
        model.train()


@torch.no_grad()
def held_out_bits_per_dim(model, images, labels, limit=None, batch=500):
    n = len(labels) if limit is None else min(limit, len(labels))
    total = 0.0
    for x, y in held_out_batches(model, images[:n], labels[:n], batch):
        total += model.nll_per_image(x, y).double().sum().item()
    return total / n / LN2


@torch.no_grad()
def held_out_class_accuracy(model, images, labels):
    """How often argmax_y p(x|y) is the true class on held-out images."""
    right = 0
    for x, y in held_out_batches(model, images, labels, 50):
        right += (class_nats(model, x).argmin(1) == y).sum().item()
    return right / len(labels)


def eval_subset(images, labels, limit):
    """A fixed, class-balanced subset for evaluations during training (the full set at export)."""
    if limit is None or limit >= len(labels):
        return images, labels
    order = np.random.default_rng(0).permutation(len(labels))[:limit]
    return images[order], labels[order]


def grow(args):
    """Append layers to a trained checkpoint: the old layers keep their (moving-average) weights,
    the new ones start with zero output and skip weights, so the grown model computes exactly
    what the old one did; training then carries on with a fresh optimizer and a new cosine
    schedule of `--steps` more steps. Step count, time and history carry over."""
    torch.set_num_threads(args.threads)
    old, state = load_checkpoint_model(args.dataset)
    old_cfg = state["config"]
    added = [int(d) for d in args.dilations.split(",")]
    cfg = dict(old_cfg, layers=old_cfg["layers"] + len(added), dilations=old_cfg["dilations"] + added)
    check_config(cfg)
    model = GatedPixelCnn(cfg, seed=args.seed + old_cfg["layers"])
    model.load_named(old.named_tensors(), strict=False)
    with torch.no_grad():
        for l in range(old_cfg["layers"], cfg["layers"]):
            for name in ("h_out.weight", "h_out.bias", "skip.weight", "skip.bias"):
                model.p(f"layers.{l}.{name}").zero_()
    (_, _), (held_x, held_y) = data.load(args.dataset)
    x, y = torch.from_numpy(held_x[:8])[:, None], torch.from_numpy(held_y[:8])
    with torch.no_grad():
        diff = (model(x, y) - old(x, y)).abs().max().item()
    if diff > 1e-4:
        raise SystemExit(f"the grown model differs from the old one by {diff}: not grown")
    state["dropout"] = 0.0
    start_stage(
        state,
        args,
        f"grown from {old_cfg['layers']} to {cfg['layers']} layers (dilations {added} added with zero output)",
    )
    state.update(config=cfg, model=model.state_dict(), ema=model.state_dict())
    save_checkpoint(checkpoint_path(args.dataset), state)
    log(
        f"{args.dataset}: grown to {cfg['layers']} layers, {model.exported_parameters():,} parameters "
        f"(same outputs, max difference {diff:.1e}); `train` runs {args.steps} more steps"
    )


def start_stage(state, args, what):
    """A new schedule of `args.steps` steps from `args.lr` with a fresh optimizer; the stage
    that ends here is kept for the model card."""
    step = state["step"]
    state.setdefault("images", step * state["batch"])
    ended = dict(start=state.get("stage_start", 0), end=step, lr=state["lr"], batch=state["batch"])
    ended["device"] = state.get("device", OLD_STAGES_DEVICE)
    state.update(
        optimizer=None,
        earlier_stages=state.get("earlier_stages", []) + [ended],
        stage_start=step,
        steps=step + (args.steps or 0),
        lr=args.lr,
        origin=f"{state['origin']}; at step {step} {what}",
    )


def retire_setting(state, key):
    """End the stage's `key` setting (affine, discriminative, feedback): it moves to
    `earlier_<key>` with the step it ended at, for the model card."""
    if state.get(key):
        state[f"earlier_{key}"] = state.get(f"earlier_{key}", []) + [dict(state[key], until=state["step"])]
    state[key] = None


def setting_spans(state, key):
    """Every stage's `key` setting, earlier ones first; the current one has `until` None."""
    return state.get(f"earlier_{key}", []) + ([dict(state[key], until=None)] if state.get(key) else [])


def stage(args):
    """Carry on training the same architecture under a new schedule, optionally with
    distribution augmentation (random affine distortions the model is told about), dropout, and
    another batch size. The schedule runs `--steps` steps, or `--minutes` of training time (for a
    machine lent for a fixed time): then the cosine follows the clock and the step count is
    whatever fits."""
    if (args.steps is None) == (args.minutes is None):
        raise SystemExit("stage: give --steps or --minutes (one of them)")
    path = checkpoint_of(args)
    state = load_checkpoint_state(path)
    what = f"a new stage of {args.steps} steps" if args.steps else f"a new stage of {args.minutes:g} minutes"
    for key in ("affine", "discriminative", "feedback"):
        retire_setting(state, key)
    if args.affine_p > 0:
        state["affine"] = dict(
            p=args.affine_p,
            degrees=args.rotate,
            scale=args.scale,
            shear=args.shear,
            elastic=args.elastic,
            since=state["step"],
        )
        what += " with distribution augmentation"
    if args.dropout > 0:
        what += f", dropout {args.dropout}"
    if args.discriminative > 0:
        state["discriminative"] = dict(
            weight=args.discriminative,
            images=args.discriminative_images,
            distorted=state["affine"] is not None,
            since=state["step"],
        )
        what += f" with a discriminative term (weight {args.discriminative:g})"
    if args.feedback > 0:
        state["feedback"] = dict(
            weight=args.feedback,
            images=args.feedback_images,
            samples=args.feedback_samples,
            every=args.feedback_every,
            critic_seed=args.feedback_critic_seed,
            critic_epochs=quality.default_epochs(args.dataset),
            since=state["step"],
            rounds=[],
        )
        what += f" with sample feedback (weight {args.feedback:g})"
    start_stage(state, args, what)
    if args.minutes is not None:
        # Ends by the clock; `steps` is set to the step reached then.
        state["steps"] = state["step"] + 10**9
        state["stage_minutes"] = args.minutes
        state["stage_seconds_start"] = state["seconds"]
    else:
        state.pop("stage_minutes", None)
    state["batch"] = args.batch or state["batch"]
    state["ema_decay"] = args.ema or state["ema_decay"]
    state["dropout"] = args.dropout
    save_checkpoint(path, state)
    until = f"{args.minutes:g} minutes" if args.minutes is not None else f"step {state['steps']}"
    log(
        f"{args.dataset}: new stage from step {state['step']} for {until}, peak lr {args.lr}, batch "
        f"{state['batch']}, dropout {args.dropout}; `train` runs it"
    )


def augmentation_text(state):
    text = f"random translations of up to {state['shift']} pixels"
    spans = setting_spans(state, "affine")
    if spans:
        text += (
            "; distribution augmentation (Jun et al. 2020): a fraction of the images get a random affine "
            "distortion and a training-only conditioning bias that marks them (the shipped model leaves "
            "that bias out, which is the model of undistorted images): "
            + "; ".join(
                f"from step {a.get('since', state['stage_start']):,}"
                + (f" to {a['until']:,}" if a["until"] is not None else "")
                + f", {a['p']:.0%} of the images, rotation up to {a['degrees']} degrees, scale "
                f"+-{a['scale']:.0%}, shear up to {a['shear']}"
                + (f", elastic displacements up to {a['elastic']:g} pixels" if a.get("elastic") else "")
                for a in spans
            )
        )
    return text


def objective_text(state):
    text = "negative log-likelihood of the training images (nats per pixel)"
    spans = setting_spans(state, "discriminative")
    if spans:
        text += (
            "; plus a discriminative term: the cross-entropy of the model's own classifier p(y|x), "
            "proportional to p(x|y), all classes per image (nats per image, divided by the pixels): "
            + "; ".join(
                f"from step {d['since']:,}" + (f" to {d['until']:,}" if d["until"] is not None else "")
                + f", weight {d['weight']:g}, {d['images']} "
                + ("freshly distorted training images per step, under the training-only bias"
                   if d.get("distorted", True) else "training images per step")
                for d in spans
            )
        )
    spans = setting_spans(state, "feedback")
    if spans:
        text += (
            "; plus sample feedback: the model's own samples at T = 1 (drawn by the project's cached sampler "
            "from the f16 moving average), weighted by a critic's p(y|x) minus its class mean (the "
            "score-function gradient of the critic's expected probability; the critic is a classifier trained "
            "on the training images only, with another seed than the sample-quality check's): "
            + "; ".join(
                f"from step {d['since']:,}" + (f" to {d['until']:,}" if d["until"] is not None else "")
                + f", weight {d['weight']:g}, {d['images']} samples per step from {d['samples'] * 10} fresh ones "
                f"every {d['every']} steps, critic seed {d['critic_seed']}"
                + (f", the critic accepting {d['rounds'][0][1]:.1%} of the first round's samples and "
                   f"{d['rounds'][-1][1]:.1%} of the last's" if d.get("rounds") else "")
                for d in spans
            )
        )
    return text


def check_config(cfg):
    if len(cfg["dilations"]) != cfg["layers"] or cfg["dilations"][0] != 1:
        raise SystemExit("dilations: one per layer, the first (mask A) layer's must be 1")


def config_from_args(args):
    cfg = default_config()
    cfg.update(channels=args.channels, layers=args.layers, head_channels=args.head_channels)
    cfg["dilations"] = [int(d) for d in args.dilations.split(",")]
    check_config(cfg)
    return cfg


def compact(path):
    """Rewrites a checkpoint at about half its size, to be committed (every committed version
    stays in each clone's download): the weights and their moving average in f16 (the precision
    the export ships), Adam's second moments in bf16 (their range needs its exponent), the first
    moments dropped, the loss history as a float32 table. Resuming loads them into the f32 model
    and optimizer as before (load_state_dict converts)."""
    state = torch.load(path, weights_only=False, map_location="cpu")
    for key in ("model", "ema"):
        state[key] = {k: v.half() if v.is_floating_point() else v for k, v in state[key].items()}
    # The loss of every step, as a float32 table instead of Python floats (a third of the size);
    # `train` turns it back into a list.
    if isinstance(state.get("history"), list) and state["history"]:
        state["history"] = torch.tensor(state["history"], dtype=torch.float32)
    if state.get("optimizer"):
        for slot in state["optimizer"]["state"].values():
            # The first moment is dropped (it is rebuilt within a few dozen steps at beta1 0.9;
            # `train` restarts it at zero); the second, which sets each weight's step size, is
            # kept in bf16. So a checkpoint of the 37-layer digits model stays under 8 MB.
            slot.pop("exp_avg", None)
            if "exp_avg_sq" in slot:
                slot["exp_avg_sq"] = slot["exp_avg_sq"].bfloat16()
    before = os.path.getsize(path)
    save_checkpoint(path, state)
    log(f"{path}: {before / 1e6:.1f} MB -> {os.path.getsize(path) / 1e6:.1f} MB")


def save_checkpoint(path, state):
    tmp = path + ".tmp"
    torch.save(to_cpu(state), tmp)
    os.replace(tmp, path)


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: PyTorch sees no CUDA GPU here")
        # Full f32 convolutions, the arithmetic the CPU runs and the Rust side reproduces.
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
    (train_x, train_y), (held_x, held_y) = data.load(args.dataset)
    eval_x, eval_y = eval_subset(held_x, held_y, args.eval_images)
    path = checkpoint_of(args)
    # Batches and distortions are drawn on the CPU (one seeded generator whatever the device).
    gen = torch.Generator().manual_seed(args.seed)
    if os.path.exists(path):
        state = torch.load(path, weights_only=False, map_location="cpu")
        cfg = state["config"]
        if args.steps is not None and args.steps != state["steps"]:
            log(f"total steps changed {state['steps']} -> {args.steps}: the schedule stretches")
            state["steps"] = args.steps
        if torch.is_tensor(state.get("history")):  # a compacted checkpoint
            state["history"] = [[int(a), float(b)] for a, b in state["history"].tolist()]
        model = model_from_tensors(cfg, state["model"])
        ema = model_from_tensors(cfg, state["ema"])
        if state.get("affine") and model.augmented_bias is None:  # the first step of such a stage
            model.add_augmented_bias()
            ema.add_augmented_bias()
        model.to(device)
        ema.to(device)
        opt = torch.optim.Adam(model.parameters(), lr=state["lr"])
        if state["optimizer"] is not None:  # None right after `grow` or `stage`
            for slot in state["optimizer"]["state"].values():  # a compacted checkpoint
                if "exp_avg_sq" in slot and "exp_avg" not in slot:
                    slot["exp_avg"] = torch.zeros_like(slot["exp_avg_sq"])
            opt.load_state_dict(state["optimizer"])
        gen.set_state(state["generator"])
        log(f"resumed {path} at step {state['step']} of {state['steps']}")
    else:
        cfg = config_from_args(args)
        model = GatedPixelCnn(cfg, seed=args.seed)
        origin = "random initialisation"
        ema = GatedPixelCnn(cfg)
        ema.load_state_dict(model.state_dict())
        model.to(device)
        ema.to(device)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        state = dict(
            config=cfg,
            step=0,
            steps=args.steps or 20000,
            lr=args.lr,
            warmup=args.warmup,
            ema_decay=args.ema,
            batch=args.batch,
            shift=args.shift,
            seed=args.seed,
            seconds=0.0,
            origin=origin,
            earlier=None,
            history=[],
            evaluations=[],
        )
        log(f"new run: {origin}")
    for g in ema.parameters():
        g.requires_grad_(False)
    model.dropout = state.get("dropout", 0.0)
    state.setdefault("images", state["step"] * state["batch"])
    state["device"] = device_label(device)
    ema_params, model_params = list(ema.parameters()), list(model.parameters())
    rows, side, left = receptive_field_rows_cols(cfg)
    log(
        f"{args.dataset}: {model.exported_parameters():,} parameters, layers {cfg['layers']}, "
        f"dilations {cfg['dilations']}, receptive field {rows} rows up, +-{side} columns; "
        f"{len(train_y)} train / {len(eval_y)} held-out images"
    )
    if state["step"] == 0 and not state["evaluations"]:
        bpd = held_out_bits_per_dim(ema, eval_x, eval_y)
        state["evaluations"].append([0, bpd])
        log(f"step 0: held-out {bpd:.4f} bits/dim")

    # Ctrl-C or a kill: finish the step, write the checkpoint, stop (nothing is lost).
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.append(True))

    train_x_t = torch.from_numpy(train_x)[:, None]
    train_y_t = torch.from_numpy(train_y)
    discriminative = state.get("discriminative")
    if discriminative:
        # A fixed tenth of the evaluation images: ten forward passes each.
        class_x, class_y = eval_subset(eval_x, eval_y, len(eval_y) // 10)
    feedback = state.get("feedback")
    if feedback:
        sample_feedback = SampleFeedback(args.dataset, feedback, cfg, train_x, train_y)
        interval_fb = torch.zeros((), device=device)
        fresh_at = None
    last_save = time.time()
    interval_start, interval_loss, interval_steps = time.time(), torch.zeros((), device=device), 0
    interval_ce, interval_right = torch.zeros((), device=device), torch.zeros((), device=device)
    tick = time.time()
    # Warm-up and cosine decay run over the current stage (a `grow` or `stage` starts a new one),
    # by steps, or by training time for a stage given in minutes.
    stage_start = state.get("stage_start", 0)
    by_clock = state.get("stage_minutes")
    while state["step"] < state["steps"]:
        step = state["step"] - stage_start
        if by_clock:
            progress = (state["seconds"] - state["stage_seconds_start"]) / (60 * by_clock)
        else:
            progress = step / (state["steps"] - stage_start)
        lr = state["lr"] * min(1.0, (step + 1) / state["warmup"]) * 0.5 * (1 + math.cos(math.pi * progress))
        for group in opt.param_groups:
            group["lr"] = lr
        idx = torch.randint(0, len(train_y), (state["batch"],), generator=gen)
        x = train_x_t[idx]
        augmented = None
        if state.get("affine"):
            x, augmented = distort_batch(x, state["affine"], gen)
        x = shift_batch(x, state["shift"], gen).to(device)
        if augmented is not None:
            augmented = augmented.to(device)
        # bf16: the forward pass under autocast (matrix units), weights and optimizer in f32.
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            loss = model.nll_per_image(x, train_y_t[idx].to(device), augmented).mean()
            loss_total = loss  # plus the stage's extra terms, if any
            if discriminative:
                # The model has learnt which training image is which class (its classifier is
                # right on nearly all of them, on 89% of held-out ones), so the term sees them
                # freshly distorted (the stage's distortions, if any), as new digits of the same
                # class, under the training-only "distorted" bias: without it distorted digits
                # are so far from what the model knows that it names under a quarter of them
                # right. The cross-entropy is in nats per image, the likelihood in nats per pixel.
                idx_d = torch.randint(0, len(train_y), (discriminative["images"],), generator=gen)
                x_d, aug_d = train_x_t[idx_d], None
                if state.get("affine"):
                    x_d, aug_d = distort_batch(x_d, dict(state["affine"], p=1.0), gen)
                    aug_d = aug_d.to(device)
                x_d = shift_batch(x_d, state["shift"], gen).to(device)
                ce, right = discriminative_loss(model, x_d, train_y_t[idx_d].to(device), aug_d)
                loss_total = loss_total + discriminative["weight"] * ce / (x.shape[2] * x.shape[3])
                interval_ce += ce.detach()
                interval_right += right
            if feedback:
                if fresh_at is None or state["step"] - fresh_at >= feedback["every"]:
                    accepted = sample_feedback.refresh(ema, seed=100_000 + state["step"])
                    feedback["rounds"].append([state["step"], accepted])
                    fresh_at = state["step"]
                x_f, y_f, adv_f = (t.to(device) for t in sample_feedback.batch(gen))
                term = (adv_f * model.nll_per_image(x_f, y_f)).mean()
                loss_total = loss_total + feedback["weight"] * term
                interval_fb += term.detach()
        opt.zero_grad(set_to_none=True)
        loss_total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            # e = d e + (1 - d) p, for all tensors at once (one launch each on a GPU).
            torch._foreach_lerp_(ema_params, model_params, 1 - state["ema_decay"])
            interval_loss += loss.detach()
        state["step"] += 1
        state["images"] += state["batch"]
        interval_steps += 1
        # The loss is read back (a GPU sync) once per print interval, not every step.
        if state["step"] % args.print_every == 0:
            mean_loss = interval_loss.item() / interval_steps / LN2
            per_step = (time.time() - interval_start) / interval_steps
            interval_loss.zero_()
            classes = ""
            if discriminative:
                seen = interval_steps * discriminative["images"]
                classes = (
                    f" class CE {interval_ce.item() / interval_steps:.3f} nats, "
                    f"{interval_right.item() / seen:.1%} right"
                )
                interval_ce.zero_()
                interval_right.zero_()
            if feedback:
                classes += f" feedback term {interval_fb.item() / interval_steps:+.4f}"
                interval_fb.zero_()
            interval_start, interval_steps = time.time(), 0
            state["history"].append([state["step"], mean_loss])
            if by_clock:
                left_s = 60 * by_clock - (state["seconds"] - state["stage_seconds_start"])
                where = f"step {state['step']}"
            else:
                left_s = (state["steps"] - state["step"]) * per_step
                where = f"step {state['step']}/{state['steps']}"
            log(
                f"{where} loss {mean_loss:.4f} bits/dim{classes} lr {lr:.2e} {per_step:.3f} s/step, "
                f"{state['seconds'] / 60:.1f} min so far, {left_s / 60:.1f} min left"
            )
        # Training time: wall clock per step (GPU waits included), evaluations and saves not.
        now = time.time()
        state["seconds"] += now - tick
        tick = now
        if by_clock and state["seconds"] - state["stage_seconds_start"] >= 60 * by_clock:
            state["steps"] = state["step"]  # the clock ends the stage: evaluated and saved below
        paused = False
        if state["step"] % args.eval_every == 0 or state["step"] == state["steps"]:
            bpd = held_out_bits_per_dim(ema, eval_x, eval_y)
            state["evaluations"].append([state["step"], bpd])
            log(f"step {state['step']}: held-out {bpd:.4f} bits/dim (moving average, {len(eval_y)} images)")
            if discriminative:
                accuracy = held_out_class_accuracy(ema, class_x, class_y)
                log(f"step {state['step']}: argmax_y p(x|y) right on {accuracy:.1%} of {len(class_y)} held-out images")
            paused = True
        if stop or time.time() - last_save > args.checkpoint_minutes * 60 or state["step"] == state["steps"]:
            write(state, model, ema, opt, gen, path)
            last_save = time.time()
            paused = True
        if paused:
            tick = interval_start = time.time()
            interval_loss.zero_()
            interval_ce.zero_()
            interval_right.zero_()
            if feedback:
                interval_fb.zero_()
            interval_steps = 0
        if stop:
            log(f"stopped at step {state['step']}; checkpoint written, run the same command to resume")
            return
    log("done")


def write(state, model, ema, opt, gen, path):
    state.update(model=model.state_dict(), ema=ema.state_dict(), optimizer=opt.state_dict())
    state["generator"] = gen.get_state()
    save_checkpoint(path, state)


def load_checkpoint_state(path):
    if not os.path.exists(path):
        raise SystemExit(f"no checkpoint at {path}: train first")
    return torch.load(path, weights_only=False, map_location="cpu")


def load_checkpoint_model(dataset, which="ema"):
    state = load_checkpoint_state(checkpoint_path(dataset))
    model = model_from_tensors(state["config"], state[which])
    model.eval()
    return model, state


def rounded_to_f16(model):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    return model


FIXTURE_PIXELS = [(0, 0), (0, 27), (1, 3), (5, 14), (13, 13), (14, 0), (20, 21), (27, 27)]


def machines_text(stages):
    """Which machine trained which steps, e.g. 'steps 0-51500 on 2 CPU cores; ...'."""
    spans = []
    for s in stages:
        device = s.get("device", OLD_STAGES_DEVICE)
        if spans and spans[-1][2] == device:
            spans[-1][1] = s["end"]
        else:
            spans.append([s["start"], s["end"], device])
    return "; ".join(f"steps {a}-{b} on {d}" for a, b, d in spans)


def fixture_inputs(held_x, held_y):
    """A few fixed inputs: two held-out images and one of seeded noise."""
    noise = np.random.default_rng(7).integers(0, 256, size=(1, 28, 28), dtype=np.uint8)
    images = np.concatenate([held_x[[0, len(held_y) // 2]], noise])
    labels = np.asarray([held_y[0], held_y[len(held_y) // 2], 3], dtype=np.int64)
    return images, labels


def export(args):
    torch.set_num_threads(args.threads)
    model, state = load_checkpoint_model(args.dataset)
    rounded_to_f16(model)
    cfg = model.cfg
    (_, train_y), (held_x, held_y) = data.load(args.dataset)
    names = model.named_tensors()
    os.makedirs(os.path.join(REPO, "models"), exist_ok=True)
    weights_path = os.path.join(REPO, "models", f"{args.dataset}.safetensors")
    save_file({k: v.detach().half().contiguous() for k, v in names.items()}, weights_path)

    # Fixture: PyTorch's logits (f32 arithmetic on the f16 weights) at fixed pixels of fixed
    # inputs, and the NLL of each input.
    images, labels = fixture_inputs(held_x, held_y)
    with torch.no_grad():
        x = torch.from_numpy(images)[:, None]
        y = torch.from_numpy(labels)
        logits = model(x, y)
        nll = model.nll_per_image(x, y)
    at = torch.tensor(FIXTURE_PIXELS)
    picked = logits[:, :, at[:, 0], at[:, 1]].permute(0, 2, 1).contiguous()  # [image, pixel, level]
    # All in f32 (small integers are exact), the dtype the Rust reader takes.
    save_file(
        {
            "images": torch.from_numpy(images).float().contiguous(),
            "labels": torch.from_numpy(labels).float(),
            "positions": at.float().contiguous(),
            "logits": picked.float(),
            "nats_per_pixel": nll.float(),
        },
        os.path.join(REPO, "models", f"{args.dataset}-fixture.safetensors"),
    )

    # Ten held-out images per class for the page (completion, likelihood) and for the test
    # that the shipped weights still give the card's numbers: 100 labels, then 100 images.
    picked_idx = np.concatenate([np.flatnonzero(held_y == k)[:10] for k in range(10)])
    examples = np.concatenate([held_y[picked_idx].astype(np.uint8), held_x[picked_idx].reshape(-1)])
    open(os.path.join(REPO, "models", f"{args.dataset}-examples.bin"), "wb").write(examples.tobytes())
    examples_bpd = held_out_bits_per_dim(model, held_x[picked_idx], held_y[picked_idx])

    bpd = held_out_bits_per_dim(model, held_x, held_y)
    rows, side, left = receptive_field_rows_cols(cfg)
    stages = state.get("earlier_stages", []) + [
        dict(
            start=state.get("stage_start", 0),
            end=state["steps"],
            lr=state["lr"],
            batch=state["batch"],
            device=state.get("device", OLD_STAGES_DEVICE),
        )
    ]
    card_path = os.path.join(REPO, "models", f"{args.dataset}.json")
    old = json.load(open(card_path)) if os.path.exists(card_path) else {}
    card = dict(
        format=CARD_FORMAT,
        name=args.dataset,
        title="MNIST digits" if args.dataset == "digits" else "Fashion-MNIST",
        architecture=(
            "Gated PixelCNN (van den Oord et al. 2016): vertical and horizontal stacks, gated tanh x sigmoid "
            "units, residual and skip connections, class-conditional biases, dilated convolutions so that the "
            "last pixel sees every earlier pixel, 256-way softmax per pixel"
        ),
        class_names=data.class_names(args.dataset),
        config=cfg,
        dtype="f16",
        parameters=model.exported_parameters(),
        receptive_field=dict(rows_above=rows, columns_each_side=side),
        data=old.get("data")
        or dict(source="Debian dataset-fashion-mnist (official split)", train_images=len(train_y)),
        training=dict(
            trainer="PyTorch (`python3 -m train.pixelcnn train`)",
            machine=machines_text(stages),
            start=state["origin"],
            before=(
                "the earlier candle trainer had trained the shallower model for "
                f"{state['earlier']['steps']} steps of batch 32 in {state['earlier']['seconds'] / 60:.0f} min"
                if state.get("earlier")
                else "nothing"
            ),
            steps=state["step"],
            batch=state["batch"],
            images_seen=state.get("images", state["step"] * state["batch"])
            + (state["earlier"]["steps"] * 32 if state.get("earlier") else 0),
            seconds=round(state["seconds"], 1),
            optimizer=f"Adam, gradient norm clipped at 1; each stage {state['warmup']} warm-up steps, then cosine decay "
            "to zero from a peak learning rate of "
            + ", ".join(
                f"{s['lr']} (steps {s['start']}-{s['end']}, batch {s.get('batch', 32)})" for s in stages
            ),
            objective=objective_text(state),
            augmentation=augmentation_text(state),
            weights=f"exponential moving average of the parameters (decay {state['ema_decay']})",
            seed=state["seed"],
        ),
        evaluation=dict(
            bits_per_dim=round(bpd, 4),
            examples_bits_per_dim=round(examples_bpd, 6),
            nats_per_image=round(bpd * LN2 * 784, 1),
            held_out_images=len(held_y),
            measured_by="python3 -m train.pixelcnn export (weights as shipped, in f16); "
            "cargo run --release --bin pixelcnn -- eval reproduces it",
        ),
    )
    if "sample_quality" in old:
        card["sample_quality"] = old["sample_quality"]
    json.dump(card, open(card_path, "w"), indent=2, sort_keys=True)
    open(card_path, "a").write("\n")
    log(f"exported {weights_path}: held-out {bpd:.4f} bits/dim ({len(held_y)} images)")


RECIPES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recipes")


def recipe_flags(parser, settings, where):
    """A recipe stage's settings as the command line of `parser` (its subcommand), every key
    checked against the subcommand's own options first, so that a misspelt setting is refused
    by name before any training."""
    known = {a.dest: a for a in parser._actions if a.option_strings}
    argv = []
    for key, value in settings.items():
        dest = key.replace("-", "_")
        if dest not in known or dest in ("dataset", "checkpoint", "help"):
            shown = sorted(k.replace("_", "-") for k in known if k not in ("dataset", "checkpoint", "help"))
            raise SystemExit(f"{where}: unknown setting {key!r} (known: {', '.join(shown)})")
        argv += [known[dest].option_strings[0], str(value)]
    return argv


def recipe(args, parsers):
    """Runs `train/recipes/<dataset>.json` from scratch, or resumes it from the checkpoint: its
    stages in order (each a `train`, `grow` or `stage` with its settings, then training to the
    end of that stage's schedule). Every stage is checked before anything trains: unknown
    settings, and a checkpoint whose architecture fits no stage, are refused with the setting
    named."""
    path = args.recipe or os.path.join(RECIPES, f"{args.dataset}.json")
    try:
        book = json.load(open(path))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{path}: {e}")
    stages, config, end = [], None, 0
    for i, st in enumerate(book.get("stages", [])):
        st = dict(st)
        what = st.pop("do", None)
        st.pop("why", None)  # the stage's reason, for the reader
        where = f"{path}, stage {i + 1} ({what})"
        if what not in ("train", "grow", "stage"):
            raise SystemExit(f"{where}: 'do' must be train, grow or stage")
        if what == "train" and i > 0:
            raise SystemExit(f"{where}: only the first stage starts a model from scratch")
        flags = recipe_flags(parsers[what], st, where)
        dests = {a.dest for a in parsers[what]._actions}
        if "device" in dests and args.device != "cpu":
            flags += ["--device", args.device]
        if "threads" in dests:
            flags += ["--threads", str(args.threads)]
        stage_args = parsers[what].parse_args(["--dataset", args.dataset] + flags)
        # The architecture each stage trains, and the step its schedule ends at.
        if what == "train":
            dilations = [int(d) for d in stage_args.dilations.split(",")]
            config = dict(channels=stage_args.channels, head_channels=stage_args.head_channels,
                          layers=stage_args.layers, dilations=dilations)
            end = stage_args.steps or 20000
        elif what == "grow":
            added = [int(d) for d in stage_args.dilations.split(",")]
            config = dict(config, layers=config["layers"] + len(added), dilations=config["dilations"] + added)
            end += stage_args.steps
        else:
            if stage_args.steps is None:
                raise SystemExit(f"{where}: a recipe's stage gives 'steps' (a stage by the clock cannot be reproduced)")
            end += stage_args.steps
        stages.append((what, stage_args, dict(config), end))
    if not stages or stages[0][0] != "train":
        raise SystemExit(f"{path}: the first stage must be a 'train' from scratch")

    ckpt = checkpoint_path(args.dataset)
    at = 0  # the stage to run (its setup already done when `started`)
    started = False
    if os.path.exists(ckpt):
        state = load_checkpoint_state(ckpt)
        have = {k: state["config"][k] for k in ("channels", "head_channels", "layers", "dilations")}
        fits = [i for i, (_, _, cfg, end) in enumerate(stages) if cfg == have and end == state["steps"]]
        if state.get("recipe_stage") is not None:
            at = state["recipe_stage"]
            if at >= len(stages) or stages[at][2] != have:
                want = stages[min(at, len(stages) - 1)][2]
                diff = next((k for k in have if have[k] != want[k]), "layers")
                raise SystemExit(f"{ckpt}: its {diff} ({have[diff]}) do not fit stage {at + 1} of {path} ({want[diff]})")
        elif fits:
            at = fits[-1]
        else:
            raise SystemExit(f"{ckpt}: a model of {have['layers']} layers, dilations {have['dilations']}, whose schedule ends at "
                             f"step {state['steps']}, fits no stage of {path}; move it away to start the recipe from scratch")
        started = True
        if state["step"] >= state["steps"]:
            at, started = at + 1, False
    log(f"{args.dataset}: recipe {path}, {len(stages)} stages; " + (
        f"resuming stage {at + 1}" if started else f"starting stage {at + 1}" if at < len(stages) else "every stage done"))
    def mark(i):
        """Records in the checkpoint which stage of the recipe it is in."""
        state = load_checkpoint_state(ckpt)
        if state.get("recipe_stage") != i:
            state["recipe_stage"] = i
            save_checkpoint(ckpt, state)

    resume = parsers["train"].parse_args(["--dataset", args.dataset, "--threads", str(args.threads)]
                                         + (["--device", args.device] if args.device != "cpu" else []))
    for i in range(at, len(stages)):
        what, stage_args, _, _ = stages[i]
        if not started and what != "train":
            (grow if what == "grow" else stage)(stage_args)  # a new schedule for this stage
            mark(i)
        train(stage_args if what == "train" else resume)  # runs (or resumes) it to its end
        mark(i)
        state = load_checkpoint_state(ckpt)
        if state["step"] < state["steps"]:
            return  # stopped by a signal: the same command resumes
        started = False
    log(f"{args.dataset}: every stage of the recipe is done; `export` writes the model")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m train.pixelcnn", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("recipe", help="run train/recipes/<dataset>.json from scratch, or resume it")
    r.add_argument("--dataset", required=True, choices=["digits", "fashion"])
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--device", default="cpu", help="cpu, or cuda for a GPU")
    r.add_argument("--recipe", default=None, help="another recipe file (default train/recipes/<dataset>.json)")
    t = sub.add_parser("train", help="train (or resume) a model")
    t.add_argument("--dataset", required=True, choices=["digits", "fashion"])
    t.add_argument("--steps", type=int, default=None, help="total steps of the schedule (default 20000)")
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--warmup", type=int, default=200)
    t.add_argument("--ema", type=float, default=0.998)
    t.add_argument("--shift", type=int, default=2)
    t.add_argument("--channels", type=int, default=32)
    t.add_argument("--head-channels", type=int, default=64)
    t.add_argument("--layers", type=int, default=12)
    t.add_argument("--dilations", default="1,1,2,1,4,1,2,1,8,1,2,1")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--eval-images", type=int, default=1000)
    t.add_argument("--eval-every", type=int, default=500)
    t.add_argument("--print-every", type=int, default=50)
    t.add_argument("--checkpoint-minutes", type=float, default=5.0)
    t.add_argument("--checkpoint", default=None, help="checkpoint path (default checkpoints/<dataset>.pt)")
    t.add_argument("--device", default="cpu", help="cpu, or cuda for a GPU")
    t.add_argument("--precision", default="f32", choices=["f32", "bf16"], help="bf16: autocast the forward pass")
    g = sub.add_parser("grow", help="append layers (zero output) to a trained checkpoint")
    g.add_argument("--dataset", required=True, choices=["digits", "fashion"])
    g.add_argument("--dilations", required=True, help="one per added layer, e.g. 1,2,1,4")
    g.add_argument("--steps", type=int, required=True, help="steps of the new schedule")
    g.add_argument("--lr", type=float, default=5e-4)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--threads", type=int, default=2)
    s = sub.add_parser("stage", help="a new schedule for the same architecture, optionally with distortions")
    s.add_argument("--dataset", required=True, choices=["digits", "fashion"])
    s.add_argument("--steps", type=int, default=None, help="steps of the new schedule")
    s.add_argument("--minutes", type=float, default=None, help="or: minutes of training time (cosine by the clock)")
    s.add_argument("--lr", type=float, default=3e-4)
    s.add_argument("--batch", type=int, default=None, help="batch size from now on (default: unchanged)")
    s.add_argument("--ema", type=float, default=None, help="moving-average decay (default: unchanged)")
    s.add_argument("--dropout", type=float, default=0.0, help="training-only dropout on the gated features")
    s.add_argument("--checkpoint", default=None, help="checkpoint path (default checkpoints/<dataset>.pt)")
    s.add_argument("--affine-p", type=float, default=0.0, help="fraction of images distorted (0: none)")
    s.add_argument("--rotate", type=float, default=12.0, help="largest rotation, degrees")
    s.add_argument("--scale", type=float, default=0.1, help="largest relative change of size")
    s.add_argument("--shear", type=float, default=0.15)
    s.add_argument("--elastic", type=float, default=0.0, help="largest elastic displacement, pixels (0: none)")
    s.add_argument(
        "--discriminative",
        type=float,
        default=0.0,
        help="weight of the cross-entropy of the model's own classifier p(y|x), nats per image (0: none)",
    )
    s.add_argument("--discriminative-images", type=int, default=6, help="images per step for that term")
    s.add_argument("--feedback", type=float, default=0.0,
                   help="weight of the sample-feedback term (the model's own samples, scored by a critic; 0: none)")
    s.add_argument("--feedback-images", type=int, default=16, help="samples per step for that term")
    s.add_argument("--feedback-samples", type=int, default=50, help="fresh samples per class each refresh")
    s.add_argument("--feedback-every", type=int, default=60, help="steps between refreshes")
    s.add_argument("--feedback-critic-seed", type=int, default=11,
                   help="the critic classifier's seed (not the sample-quality check's 1 or 2)")
    e = sub.add_parser("export", help="models/<dataset>.safetensors (f16), card and fixture")
    e.add_argument("--dataset", required=True, choices=["digits", "fashion"])
    e.add_argument("--threads", type=int, default=2)
    c = sub.add_parser("compact", help="rewrite a checkpoint to commit it: f16 weights, bf16 Adam moments")
    c.add_argument("--checkpoint", required=True)
    args = ap.parse_args(argv)
    if args.command == "compact":
        compact(args.checkpoint)
        return
    if args.command == "recipe":
        recipe(args, {"train": t, "grow": g, "stage": s})
        return
    {"train": train, "grow": grow, "stage": stage, "export": export}[args.command](args)


if __name__ == "__main__":
    main(sys.argv[1:])
