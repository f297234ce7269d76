"""Replays a search's trials in PyTorch, one after the other, as `npm run bench:search` asks:
each trial's model trained for the epochs it trained, on as many images, with the validation
images evaluated after each epoch; prints one JSON line with the samples trained and the
wall-clock seconds (from this script's start, imports and data loading included).

  python3 replay_trials.py TRIALS.json   # {"threads", "train_size", "val_size", "batch_size", "seed", "trials": [{"params", "epochs"}]}
"""
import time

STARTED = time.time()

import json
import sys

import torch

from torch_mlp import build, evaluate, load_fashion_mnist, train_epoch


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(spec["seed"])
    tx, ty, _, _ = load_fashion_mnist()
    n, v = spec["train_size"], spec["val_size"]
    x, y, vx, vy = tx[:n], ty[:n], tx[n : n + v], ty[n : n + v]
    gen = torch.Generator().manual_seed(spec["seed"])
    samples = 0
    for trial in spec["trials"]:
        params = trial["params"]
        model = build(params)
        opt = torch.optim.Adam(model.parameters(), lr=float(params.get("learning_rate", 1e-3)))  # the example trains at Adam's 1e-3 unless --tune-learning-rate
        for _ in range(trial["epochs"]):
            train_epoch(model, opt, x, y, spec["batch_size"], gen)
            evaluate(model, vx, vy)
            samples += x.shape[0]
    print(json.dumps({
        "samples": samples,
        "seconds": time.time() - STARTED,
        "trials": len(spec["trials"]),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


main()
