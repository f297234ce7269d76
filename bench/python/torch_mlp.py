"""The article's MLP in PyTorch, Fashion-MNIST from Debian's IDX files, and the training and
evaluation loops the benchmarks share (bench/python/replay_trials.py, optuna_race.py).

Run by Debian's python3 (python3-torch 1.13, python3-optuna 3.1); imported, not run.
"""
import gzip
import os
import time

import numpy as np
import torch

ACTIVATIONS = {
    "relu": torch.nn.ReLU,
    "tanh": torch.nn.Tanh,
    "elu": torch.nn.ELU,
    "swish": torch.nn.SiLU,
    "selu": torch.nn.SELU,
}

DATA_DIRS = [
    os.environ.get("HYPERTUNER_DATA_DIR", ""),
    os.path.expanduser("~/.cache/hypertuner/fashion-mnist"),
    "/usr/share/datasets/fashion-mnist",
]


def _idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion_mnist():
    """(train_x float32 n×784 in [0, 1], train_y int64, test_x, test_y)."""
    for d in DATA_DIRS:
        if d and os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")):
            tx = _idx(os.path.join(d, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
            ty = _idx(os.path.join(d, "train-labels-idx1-ubyte.gz"))
            sx = _idx(os.path.join(d, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784)
            sy = _idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))
            f = lambda a: torch.from_numpy(a.astype(np.float32) / 255.0)
            l = lambda a: torch.from_numpy(a.astype(np.int64))
            return f(tx), l(ty), f(sx), l(sy)
    raise SystemExit(
        "Fashion-MNIST not found: apt-get install dataset-fashion-mnist "
        "(or put its four .gz files in ~/.cache/hypertuner/fashion-mnist)"
    )


def build(params):
    """The article's MLP for a trial's values (num_layers, units_i; activation_i, ReLU if absent)."""
    layers, width = [], 784
    for i in range(int(params["num_layers"])):
        units = int(params[f"units_{i}"])
        activation = ACTIVATIONS[params.get(f"activation_{i}", "relu")]
        layers += [torch.nn.Linear(width, units), activation()]
        width = units
    layers.append(torch.nn.Linear(width, 10))
    return torch.nn.Sequential(*layers)


def param_count(params):
    width, count = 784, 0
    for i in range(int(params["num_layers"])):
        units = int(params[f"units_{i}"])
        count += width * units + units
        width = units
    return count + width * 10 + 10


def train_epoch(model, optimizer, x, y, batch_size, generator, deadline=None):
    """One shuffled epoch: (whether it ran whole, not cut short by `deadline` (time.time()),
    examples trained)."""
    model.train()
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(x.shape[0], generator=generator)
    for start in range(0, x.shape[0], batch_size):
        idx = order[start : start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
        if deadline is not None and time.time() > deadline:
            return False, start + len(idx)
    return True, x.shape[0]


@torch.no_grad()
def evaluate(model, x, y, batch_size=1000):
    """(mean loss, accuracy)."""
    model.eval()
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
    total, correct = 0.0, 0
    for start in range(0, x.shape[0], batch_size):
        out = model(x[start : start + batch_size])
        total += float(loss_fn(out, y[start : start + batch_size]))
        correct += int((out.argmax(1) == y[start : start + batch_size]).sum())
    return total / x.shape[0], correct / x.shape[0]
