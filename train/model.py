"""The class-conditional Gated PixelCNN in PyTorch, computing exactly what the Rust reference
(`src/pixelcnn/model.rs`) and the samplers (`cpu.rs`, `pixelcnn_row.wgsl`) compute.

Parameter names and shapes are those of `ModelConfig::parameter_shapes` in
`src/pixelcnn/config.rs`, so an exported state dict loads into Rust as it is.

Layer 0 (mask A): the vertical stack sees rows r-kv..r-1, the horizontal stack columns
c-kh..c-1. Layers 1.. (mask B) with dilation d: vertical rows r-(kv-1)d..r (step d) of
features that only see rows above, columns c-(kw/2)d..c+(kw/2)d; horizontal columns
c-(kh-1)d..c. Dilations let the last pixel's receptive field cover the whole past.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


def default_config():
    return dict(
        height=28,
        width=28,
        levels=256,
        classes=10,
        channels=32,
        layers=12,
        first_kernel=7,
        kernel=3,
        head_channels=64,
        dilations=[1] * 12,
    )


def layer_kernel(cfg, layer):
    return cfg["first_kernel"] if layer == 0 else cfg["kernel"]


def vertical_kernel(cfg, layer):
    k = layer_kernel(cfg, layer)
    return k // 2 + 1, k


def horizontal_kernel(cfg, layer):
    k = layer_kernel(cfg, layer)
    return k // 2 if layer == 0 else k // 2 + 1


def dilation(cfg, layer):
    return cfg["dilations"][layer]


def parameter_shapes(cfg):
    """Same order and shapes as `ModelConfig::parameter_shapes`."""
    c, s = cfg["channels"], cfg["head_channels"]
    out = []
    for l in range(cfg["layers"]):
        cin = 1 if l == 0 else c
        kv, kw = vertical_kernel(cfg, l)
        kh = horizontal_kernel(cfg, l)
        p = f"layers.{l}."
        out += [
            (p + "v_conv.weight", [2 * c, cin, kv, kw]),
            (p + "v_conv.bias", [2 * c]),
            (p + "h_conv.weight", [2 * c, cin, 1, kh]),
            (p + "h_conv.bias", [2 * c]),
            (p + "link.weight", [2 * c, 2 * c, 1, 1]),
            (p + "link.bias", [2 * c]),
            (p + "h_out.weight", [c, c, 1, 1]),
            (p + "h_out.bias", [c]),
            (p + "skip.weight", [s, c, 1, 1]),
            (p + "skip.bias", [s]),
            (p + "cond_v", [cfg["classes"], 2 * c]),
            (p + "cond_h", [cfg["classes"], 2 * c]),
        ]
    out += [
        ("head.hidden.weight", [s, s, 1, 1]),
        ("head.hidden.bias", [s]),
        ("head.out.weight", [cfg["levels"], s, 1, 1]),
        ("head.out.bias", [cfg["levels"]]),
    ]
    return out


def gate(x):
    a, b = x.chunk(2, dim=1)
    return torch.tanh(a) * torch.sigmoid(b)


class GatedPixelCnn(nn.Module):
    def __init__(self, cfg, seed=1):
        super().__init__()
        self.cfg = dict(cfg)
        gen = torch.Generator().manual_seed(seed)
        # Flat parameter names with dots are not allowed in nn.Module; keep a dict with
        # sanitized keys and translate at the state-dict boundary.
        self.params = nn.ParameterDict()
        for name, shape in parameter_shapes(cfg):
            if name.endswith(".weight"):
                fan_in = math.prod(shape[1:])
                t = torch.randn(shape, generator=gen) / math.sqrt(fan_in)
            else:
                t = torch.zeros(shape)
            self.params[name.replace(".", "__")] = nn.Parameter(t)
        self.augmented_bias = None
        # Training-only dropout on the gated features (PixelCNN++ style); evaluation, export
        # and the Rust model never drop anything.
        self.dropout = 0.0

    def add_augmented_bias(self):
        """Training-only conditioning for distribution augmentation (Jun et al. 2020): a bias
        per layer and stack added only to images the trainer distorted, so the model can tell
        them apart from real ones. Real images never get it, so the exported model (which
        leaves it out) is exactly the model the held-out evaluation measured."""
        c, layers = self.cfg["channels"], self.cfg["layers"]
        self.augmented_bias = nn.ParameterDict(
            {"v": nn.Parameter(torch.zeros(layers, 2 * c)), "h": nn.Parameter(torch.zeros(layers, 2 * c))}
        )

    def p(self, name):
        return self.params[name.replace(".", "__")]

    def named_tensors(self):
        """The parameters under their Rust names, in `parameter_shapes` order."""
        return {name: self.p(name) for name, _ in parameter_shapes(self.cfg)}

    def exported_parameters(self):
        """Parameters of the shipped model (without the training-only augmented bias)."""
        return sum(t.numel() for t in self.named_tensors().values())

    def load_named(self, tensors, strict=True):
        for name, shape in parameter_shapes(self.cfg):
            if name not in tensors:
                if strict:
                    raise ValueError(f"missing tensor {name}")
                continue
            t = tensors[name]
            if list(t.shape) != shape:
                raise ValueError(f"tensor {name} has shape {list(t.shape)}, the architecture needs {shape}")
            with torch.no_grad():
                self.p(name).copy_(t.float())

    def forward(self, pixels, labels, augmented=None):
        """Logits [batch, levels, height, width] for pixels [batch, 1, H, W] in 0..levels;
        `augmented` (bool per image, training only) marks distorted images."""
        cfg = self.cfg
        levels = cfg["levels"]
        x = pixels.float() * (2.0 / (levels - 1)) - 1.0
        height, width = x.shape[2], x.shape[3]
        v, h, skip = x, x, None
        if augmented is not None:
            flag = augmented.float()[:, None, None, None]
        for l in range(cfg["layers"]):
            pre = f"layers.{l}."
            kv, kw = vertical_kernel(cfg, l)
            kh = horizontal_kernel(cfg, l)
            d = dilation(cfg, l)
            cond_v = (self.p(pre + "cond_v")[labels] + self.p(pre + "v_conv.bias"))[:, :, None, None]
            cond_h = (
                self.p(pre + "cond_h")[labels] + self.p(pre + "h_conv.bias") + self.p(pre + "link.bias")
            )[:, :, None, None]
            if augmented is not None:
                cond_v = cond_v + flag * self.augmented_bias["v"][l][None, :, None, None]
                cond_h = cond_h + flag * self.augmented_bias["h"][l][None, :, None, None]
            if l == 0:
                v_in = F.pad(v, (kw // 2, kw // 2, kv, 0))
                v_pre = F.conv2d(v_in, self.p(pre + "v_conv.weight"))[:, :, :height]
                h_in = F.pad(h, (kh, 0, 0, 0))
                h_conv = F.conv2d(h_in, self.p(pre + "h_conv.weight"))[:, :, :, :width]
            else:
                v_in = F.pad(v, ((kw // 2) * d, (kw // 2) * d, (kv - 1) * d, 0))
                v_pre = F.conv2d(v_in, self.p(pre + "v_conv.weight"), dilation=d)
                h_in = F.pad(h, ((kh - 1) * d, 0, 0, 0))
                h_conv = F.conv2d(h_in, self.p(pre + "h_conv.weight"), dilation=d)
            v_pre = v_pre + cond_v
            h_pre = h_conv + F.conv2d(v_pre, self.p(pre + "link.weight")) + cond_h
            gated = gate(h_pre)
            if self.training and self.dropout > 0:
                gated = F.dropout(gated, self.dropout)
            h_out = F.conv2d(gated, self.p(pre + "h_out.weight"), self.p(pre + "h_out.bias"))
            h = h_out if l == 0 else h + h_out
            s = F.conv2d(gated, self.p(pre + "skip.weight"), self.p(pre + "skip.bias"))
            skip = s if skip is None else skip + s
            v = gate(v_pre)
        hidden = F.relu(F.conv2d(F.relu(skip), self.p("head.hidden.weight"), self.p("head.hidden.bias")))
        return F.conv2d(hidden, self.p("head.out.weight"), self.p("head.out.bias"))

    def nll_per_image(self, pixels, labels, augmented=None):
        """Mean negative log-likelihood per pixel in nats, one value per image."""
        logits = self.forward(pixels, labels, augmented)
        nll = F.cross_entropy(logits, pixels[:, 0].long(), reduction="none")
        return nll.flatten(1).mean(1)


def receptive_field_rows_cols(cfg):
    """How far the last layer reaches: (rows above, columns to each side, columns left)."""
    kv, kw = vertical_kernel(cfg, 0)
    rows, side, left = kv, kw // 2, horizontal_kernel(cfg, 0)
    for l in range(1, cfg["layers"]):
        d = dilation(cfg, l)
        kv, kw = vertical_kernel(cfg, l)
        rows += (kv - 1) * d
        side += (kw // 2) * d
        left += (horizontal_kernel(cfg, l) - 1) * d
    return rows, side, left
