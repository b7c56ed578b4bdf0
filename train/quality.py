"""The sample-quality check: are the shipped model's samples recognisably of the class asked for?

    python3 -m train.quality --dataset digits

1. Trains a small convolutional classifier on the real training images (seeded) and reports its
   accuracy on the real held-out images: the yardstick's own reliability.
2. Draws `--per-class` samples of every class from the shipped weights at T = 1 with the
   project's own cached sampler (`cargo run --release --bin pixelcnn -- dump`), no selection.
3. Reports the fraction of samples the classifier labels as the class asked for, per class and
   overall, and the Frechet distance between the classifier's features of the samples and of the
   real held-out images, beside the same distance between two sets of real images (training
   images against held-out ones), which is what a perfect model would score.
4. Writes these figures into the model card (`sample_quality`); `pixelcnn readme` puts them in
   the README.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import data

REPO = data.REPO


class Classifier(nn.Module):
    """A plain CNN (two conv blocks, a 128-unit feature layer): about 99% on MNIST."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.features = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * 7 * 7, 128), nn.ReLU())
        self.out = nn.Sequential(nn.Dropout(0.3), nn.Linear(128, 10))

    def embed(self, x):
        return self.features(self.conv(x.float() / 127.5 - 1.0))

    def forward(self, x):
        return self.out(self.embed(x))


def default_epochs(dataset):
    """Classifier epochs of the sample-quality check (and of the trainer's critic)."""
    return 12 if dataset == "digits" else 6


def train_classifier(train_x, train_y, epochs, seed, log):
    torch.manual_seed(seed)
    model = Classifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.from_numpy(train_x)[:, None]
    y = torch.from_numpy(train_y)
    gen = torch.Generator().manual_seed(seed)
    steps_per_epoch = (len(y) + 127) // 128
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=epochs * steps_per_epoch)
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(y), generator=gen)
        for i in range(0, len(y), 128):
            idx = order[i : i + 128]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        log(f"classifier epoch {epoch + 1}/{epochs}: loss {loss.item():.3f}")
    model.eval()
    return model


def cached_classifier(dataset, train_x, train_y, epochs, seed, log):
    """The classifier of this dataset, epochs and seed (it depends on nothing else): trained once,
    then read from target/."""
    path = os.path.join(REPO, "target", f"classifier-{dataset}-e{epochs}-s{seed}.pt")
    if os.path.exists(path):
        clf = Classifier()
        clf.load_state_dict(torch.load(path))
        clf.eval()
    else:
        clf = train_classifier(train_x, train_y, epochs, seed=seed, log=log)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        torch.save(clf.state_dict(), path)
    return clf, path


@torch.no_grad()
def class_probabilities(model, images):
    """p(class | image) for each image: [images, classes]."""
    return torch.cat([F.softmax(model(torch.from_numpy(images[i : i + 500])[:, None]), 1)
                      for i in range(0, len(images), 500)])


@torch.no_grad()
def predict(model, images):
    logits, feats = [], []
    for i in range(0, len(images), 500):
        x = torch.from_numpy(images[i : i + 500])[:, None]
        f = model.embed(x)
        feats.append(f)
        logits.append(model.out(f))
    return torch.cat(logits).argmax(1).numpy(), torch.cat(feats).double().numpy()


def _sqrt_psd(m):
    w, v = np.linalg.eigh(m)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(a, b):
    """||mu_a - mu_b||^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)) between Gaussians fitted to a, b."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root_a = _sqrt_psd(s_a)
    cross = _sqrt_psd(root_a @ s_b @ root_a)  # same trace as (S_a S_b)^(1/2)
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * np.trace(cross))


def read_samples(path, side=28):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % (side * side + 1):
        raise SystemExit(f"{path}: not a sample dump (1 label byte + {side * side} pixels per image)")
    rows = raw.reshape(-1, side * side + 1)
    return rows[:, 1:].reshape(-1, side, side).copy(), rows[:, 0].astype(np.int64)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m train.quality", description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", required=True, choices=["digits", "fashion"])
    ap.add_argument("--per-class", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1, help="seed of the sampler (and of the classifier)")
    ap.add_argument("--epochs", type=int, default=None, help="classifier epochs (digits 12, fashion 6)")
    ap.add_argument("--samples", help="an existing dump instead of sampling now")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-card", action="store_true", help="report only; leave the model card as it is")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    log = lambda *a: print(*a, flush=True)  # noqa: E731

    (train_x, train_y), (held_x, held_y) = data.load(args.dataset)
    names = data.class_names(args.dataset)
    epochs = args.epochs or default_epochs(args.dataset)
    t0 = time.time()
    clf, clf_path = cached_classifier(args.dataset, train_x, train_y, epochs, args.seed, log)
    log(f"classifier: {clf_path}")
    held_pred, held_feat = predict(clf, held_x)
    held_acc = float((held_pred == held_y).mean())
    log(f"classifier: {held_acc:.1%} of the real held-out images labelled correctly ({time.time() - t0:.0f} s)")

    samples_path = args.samples or os.path.join(REPO, "target", f"samples-{args.dataset}.bin")
    if not args.samples:
        cmd = ["cargo", "run", "--release", "--quiet", "--bin", "pixelcnn", "--", "dump", "--dataset", args.dataset,
               "--per-class", str(args.per_class), "--seed", str(args.seed), "--out", samples_path]
        log("sampling: " + " ".join(cmd))
        subprocess.run(cmd, cwd=REPO, check=True)
    sample_x, sample_y = read_samples(samples_path)
    pred, feat = predict(clf, sample_x)
    per_class = {names[k]: float((pred[sample_y == k] == k).mean()) for k in range(10)}
    faithful = float((pred == sample_y).mean())
    # Real against real: as many training images as there are held-out ones, against them.
    pick = np.random.default_rng(args.seed).permutation(len(train_y))[: len(held_y)]
    _, train_feat = predict(clf, train_x[pick])
    fd = frechet_distance(feat, held_feat)
    fd_real = frechet_distance(train_feat, held_feat)
    log(f"{args.dataset}: {faithful:.1%} of {len(sample_y)} samples labelled as the class asked for")
    for name, frac in per_class.items():
        log(f"  {name:>12}: {frac:.0%}")
    log(f"Frechet distance to the held-out images: samples {fd:.2f}, real training images {fd_real:.2f}")

    if not args.no_card:
        card_path = os.path.join(REPO, "models", f"{args.dataset}.json")
        card = json.load(open(card_path))
        card["sample_quality"] = dict(
            class_faithful=round(faithful, 4),
            per_class={k: round(v, 3) for k, v in per_class.items()},
            frechet_distance=round(fd, 2),
            frechet_distance_real=round(fd_real, 2),
            samples=len(sample_y),
            temperature=1.0,
            sampler="the project's cached CPU sampler (`pixelcnn dump`), every sample kept",
            sampler_seed=args.seed,
            classifier=f"CNN (4 conv layers, 128 features) trained {epochs} epochs on the training images; "
            f"{held_acc:.1%} correct on the real held-out images",
            classifier_held_out_accuracy=round(held_acc, 4),
            frechet_features="the classifier's 128 features; held-out images as the reference; "
            "real-vs-real: as many training images against them",
            measured_by="python3 -m train.quality --dataset " + args.dataset,
        )
        with open(card_path, "w") as f:
            json.dump(card, f, indent=2, sort_keys=True)
            f.write("\n")
        log(f"wrote sample_quality into {card_path}")


if __name__ == "__main__":
    main(sys.argv[1:])
