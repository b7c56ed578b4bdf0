"""A plain NumPy min-char-rnn (Karpathy's, hidden 100, sequence 25, Adagrad), timed on the
same 1 kB of English as the Rust benchmark. Prints one JSON line: characters per second."""
import json
import sys
import time

import numpy as np

text = sys.stdin.read()
chars = sorted(set(text))
V, H, T, lr = len(chars), 100, 25, 1e-1
ix = {c: i for i, c in enumerate(chars)}
data = [ix[c] for c in text]
rng = np.random.default_rng(1)
Wxh, Whh, Why = rng.standard_normal((H, V)) * 0.01, rng.standard_normal((H, H)) * 0.01, rng.standard_normal((V, H)) * 0.01
bh, by = np.zeros((H, 1)), np.zeros((V, 1))


def loss_fun(inputs, targets, hprev):
    xs, hs, ps = {}, {-1: np.copy(hprev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        ys = Why @ hs[t] + by
        ps[t] = np.exp(ys - ys.max()) / np.sum(np.exp(ys - ys.max()))
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby, dhnext = np.zeros_like(bh), np.zeros_like(by), np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += dy @ hs[t].T
        dby += dy
        dh = Why.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += dhraw @ xs[t].T
        dWhh += dhraw @ hs[t - 1].T
        dhnext = Whh.T @ dhraw
    for d in (dWxh, dWhh, dWhy, dbh, dby):
        np.clip(d, -5, 5, out=d)
    return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1]


mems = [np.zeros_like(p) for p in (Wxh, Whh, Why, bh, by)]
runs = []
for _ in range(5):
    p, hprev, start = 0, np.zeros((H, 1)), time.perf_counter()
    for _ in range(100):
        if p + T + 1 >= len(data):
            p, hprev = 0, np.zeros((H, 1))
        loss, *grads, hprev = loss_fun(data[p:p + T], data[p + 1:p + T + 1], hprev)
        for param, g, m in zip((Wxh, Whh, Why, bh, by), grads, mems):
            m += g * g
            param += -lr * g / np.sqrt(m + 1e-8)
        p += T
    runs.append(100 * T / (time.perf_counter() - start))
print(json.dumps({"name": "NumPy min-char-rnn training, hidden 100, sequence 25", "unit": "chars/s", "runs": runs, "where": "python"}))
