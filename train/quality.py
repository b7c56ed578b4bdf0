"""The sample-quality check: are the shipped model's samples recognisably of the class asked for?

    python3 -m train.quality --dataset digits

1. Trains judges of three different kinds on the real training images (seeded): a CNN, an MLP
   and k-nearest neighbours in pixel space, and reports each one's accuracy on the real held-out
   images: its ceiling, the best a perfect model's samples could score with it. A judge below its
   expected ceiling (a broken training run) stops the check before anything is written.
2. Draws `--per-class` samples of every class from the shipped weights at T = 1 with the
   project's own cached sampler (`cargo run --release --bin pixelcnn -- dump`), no selection.
3. Reports, for every judge, the fraction of samples it labels as the class asked for, per class
   and overall, and that fraction relative to its ceiling; and the Frechet distance between the
   CNN's and the MLP's features of the samples and of the real held-out images, beside the same
   distance between two sets of real images (training against held-out), a perfect model's score.
4. Writes these figures into the model card (`sample_quality`); `pixelcnn readme` puts them in
   the README.

Several kinds, because a model trained or tuned against one classifier learns its blind spots:
samples can move towards what a CNN accepts more than towards what a digit looks like. None of
these judges, and no model of a judge's kind and seed, is used as a training signal (the
trainer's critic has its own seed).
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


class Mlp(nn.Module):
    """A multilayer perceptron on the raw pixels (no convolution, so no shared notion of strokes
    with the CNN): about 98% on MNIST."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 512), nn.ReLU(), nn.Dropout(0.2),
                                      nn.Linear(512, 256), nn.ReLU())
        self.out = nn.Sequential(nn.Dropout(0.2), nn.Linear(256, 10))

    def embed(self, x):
        return self.features(x.float() / 127.5 - 1.0)

    def forward(self, x):
        return self.out(self.embed(x))


JUDGE_KINDS = {"cnn": Classifier, "mlp": Mlp}

# The least accuracy on the real held-out images that each judge reaches when it trained
# properly; below it the check stops instead of writing figures from a broken judge.
EXPECTED_CEILING = {
    "digits": {"cnn": 0.97, "mlp": 0.95, "knn": 0.92},
    "fashion": {"cnn": 0.89, "mlp": 0.86, "knn": 0.82},
}


def default_epochs(dataset, kind="cnn"):
    """Classifier epochs of the sample-quality check (and of the trainer's critic)."""
    if kind == "mlp":
        return 20 if dataset == "digits" else 10
    return 12 if dataset == "digits" else 6


def train_classifier(train_x, train_y, epochs, seed, log, kind="cnn"):
    torch.manual_seed(seed)
    model = JUDGE_KINDS[kind]()
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
        log(f"{kind} epoch {epoch + 1}/{epochs}: loss {loss.item():.3f}")
    model.eval()
    return model


def cached_classifier(dataset, train_x, train_y, epochs, seed, log, kind="cnn"):
    """The classifier of this kind, dataset, epochs and seed (it depends on nothing else):
    trained once, then read from target/."""
    suffix = "" if kind == "cnn" else f"-{kind}"
    path = os.path.join(REPO, "target", f"classifier-{dataset}-e{epochs}-s{seed}{suffix}.pt")
    if os.path.exists(path):
        clf = JUDGE_KINDS[kind]()
        clf.load_state_dict(torch.load(path))
        clf.eval()
    else:
        clf = train_classifier(train_x, train_y, epochs, seed=seed, log=log, kind=kind)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        torch.save(clf.state_dict(), path)
    return clf, path


class NearestNeighbours:
    """k-nearest neighbours on the raw pixels (Euclidean), majority vote, ties to the nearest:
    a judge that knows nothing but the training images themselves."""

    def __init__(self, train_x, train_y, k=5):
        self.x = torch.from_numpy(train_x).reshape(len(train_x), -1).float() / 255.0
        self.sq = (self.x**2).sum(1)
        self.y = torch.from_numpy(train_y)
        self.k = k

    @torch.no_grad()
    def predict(self, images):
        out = []
        for i in range(0, len(images), 500):
            q = torch.from_numpy(images[i : i + 500]).reshape(-1, 28 * 28).float() / 255.0
            d = (q**2).sum(1, keepdim=True) - 2 * q @ self.x.T + self.sq[None]
            near = d.topk(self.k, largest=False).indices  # nearest first
            labels = self.y[near]
            votes = F.one_hot(labels, 10).sum(1).float()
            # Ties go to the class of the nearer neighbour: a small bonus by rank.
            votes += F.one_hot(labels, 10).float().mul(torch.linspace(1e-3, 1e-4, self.k)[None, :, None]).sum(1)
            out.append(votes.argmax(1))
        return torch.cat(out).numpy()


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
    ap.add_argument("--epochs", type=int, default=None, help="the CNN judge's epochs (digits 12, fashion 6)")
    ap.add_argument("--samples", help="an existing dump instead of sampling now")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-card", action="store_true", help="report only; leave the model card as it is")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    log = lambda *a: print(*a, flush=True)  # noqa: E731

    (train_x, train_y), (held_x, held_y) = data.load(args.dataset)
    names = data.class_names(args.dataset)
    t0 = time.time()

    # The judges, each checked on the real held-out images before it judges anything.
    judges = []
    for kind in ("cnn", "mlp"):
        epochs = (args.epochs if kind == "cnn" else None) or default_epochs(args.dataset, kind)
        clf, clf_path = cached_classifier(args.dataset, train_x, train_y, epochs, args.seed, log, kind=kind)
        # classify(images) -> (labels, features): one pass gives both, for the shares and Frechet.
        judges.append(dict(kind=kind, model=clf, epochs=epochs, classify=lambda x, c=clf: predict(c, x),
                           title=f"{'CNN (4 conv layers, 128 features)' if kind == 'cnn' else 'MLP on the pixels (512, 256 units)'}"
                                 f" trained {epochs} epochs on the training images"))
        log(f"{kind}: {clf_path}")
    knn = NearestNeighbours(train_x, train_y)
    judges.append(dict(kind="knn", model=None, classify=lambda x: (knn.predict(x), None),
                       title=f"5 nearest neighbours among the {len(train_y):,} training images, Euclidean on the pixels"))
    for j in judges:
        held_pred, j["held_feat"] = j["classify"](held_x)
        j["ceiling"] = float((held_pred == held_y).mean())
        expected = EXPECTED_CEILING[args.dataset][j["kind"]]
        log(f"{j['kind']}: {j['ceiling']:.1%} of the {len(held_y):,} real held-out images labelled correctly")
        if j["ceiling"] < expected:
            raise SystemExit(f"the {j['kind']} judge labels only {j['ceiling']:.1%} of the real held-out images correctly, "
                             f"below the {expected:.0%} it reaches when trained properly: a broken judge; nothing written")
    log(f"judges ready ({time.time() - t0:.0f} s)")

    samples_path = args.samples or os.path.join(REPO, "target", f"samples-{args.dataset}.bin")
    if not args.samples:
        cmd = ["cargo", "run", "--release", "--quiet", "--bin", "pixelcnn", "--", "dump", "--dataset", args.dataset,
               "--per-class", str(args.per_class), "--seed", str(args.seed), "--out", samples_path]
        log("sampling: " + " ".join(cmd))
        subprocess.run(cmd, cwd=REPO, check=True)
    sample_x, sample_y = read_samples(samples_path)
    for j in judges:
        pred, j["sample_feat"] = j["classify"](sample_x)
        j["per_class"] = {names[k]: float((pred[sample_y == k] == k).mean()) for k in range(10)}
        j["faithful"] = float((pred == sample_y).mean())
        log(f"{args.dataset}, {j['kind']}: {j['faithful']:.1%} of {len(sample_y)} samples labelled as the class asked for "
            f"({j['faithful'] / j['ceiling']:.3f} of its ceiling {j['ceiling']:.1%})")
        log("  " + ", ".join(f"{name} {frac:.0%}" for name, frac in j["per_class"].items()))

    # Frechet distances in the CNN's and the MLP's feature spaces; real against real: as many
    # training images as there are held-out ones, against them.
    pick = np.random.default_rng(args.seed).permutation(len(train_y))[: len(held_y)]
    for j in judges:
        if j["held_feat"] is None:
            continue  # nearest neighbours have no feature space
        train_feat = j["classify"](train_x[pick])[1]
        j["fd"] = frechet_distance(j["sample_feat"], j["held_feat"])
        j["fd_real"] = frechet_distance(train_feat, j["held_feat"])
        log(f"Frechet distance to the held-out images ({j['kind']} features): samples {j['fd']:.2f}, "
            f"real training images {j['fd_real']:.2f}")

    if not args.no_card:
        card_path = os.path.join(REPO, "models", f"{args.dataset}.json")
        card = json.load(open(card_path))
        cnn = judges[0]
        card["sample_quality"] = dict(
            class_faithful=round(cnn["faithful"], 4),
            per_class={k: round(v, 3) for k, v in cnn["per_class"].items()},
            frechet_distance=round(cnn["fd"], 2),
            frechet_distance_real=round(cnn["fd_real"], 2),
            samples=len(sample_y),
            temperature=1.0,
            sampler="the project's cached CPU sampler (`pixelcnn dump`), every sample kept",
            sampler_seed=args.seed,
            classifier=f"{cnn['title']}; {cnn['ceiling']:.1%} correct on the real held-out images",
            classifier_held_out_accuracy=round(cnn["ceiling"], 4),
            frechet_features="the CNN's 128 features; held-out images as the reference; "
            "real-vs-real: as many training images against them",
            judges=[
                dict(
                    kind=j["kind"],
                    judge=j["title"],
                    held_out_accuracy=round(j["ceiling"], 4),
                    class_faithful=round(j["faithful"], 4),
                    relative_to_ceiling=round(j["faithful"] / j["ceiling"], 4),
                    per_class={k: round(v, 3) for k, v in j["per_class"].items()},
                    **({"frechet_distance": round(j["fd"], 2), "frechet_distance_real": round(j["fd_real"], 2)} if "fd" in j else {}),
                )
                for j in judges
            ],
            measured_by="python3 -m train.quality --dataset " + args.dataset,
        )
        with open(card_path, "w") as f:
            json.dump(card, f, indent=2, sort_keys=True)
            f.write("\n")
        log(f"wrote sample_quality into {card_path}")


if __name__ == "__main__":
    main(sys.argv[1:])
