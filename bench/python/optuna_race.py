"""The other side of `npm run bench:race`: Optuna's TPE tuning the article's MLP in PyTorch on
Fashion-MNIST within a wall-clock budget (experiment 2's space, as `hypertuner example
--tune-learning-rate`: 2-4 ReLU layers of 64-512 units, step 64, and Adam's learning rate, log
1e-4 to 1e-2), then the same final training as `hypertuner example`:
the best configuration retrained on every training image but the held-out slice, planned for
--final-epochs epochs and going on while time is left (at most twice as many; the epoch running
when the time is up ends there), stopping after --patience epochs without a better held-out
accuracy and keeping the best epoch, then scored on the test set. The budget is spent as the
example spends it: trials start while one more ends before the time the final training needs,
predicted from the speed the trials measured (time per example ≈ a + b · parameters, fitted by
least squares). Prints one JSON line.

  python3 optuna_race.py --minutes 10 --seed 1 --held-out held-out.bin [--trial-epochs 3]
"""
import time

STARTED = time.time()

import argparse
import json

import numpy as np
import optuna
import torch

from torch_mlp import build, evaluate, load_fashion_mnist, param_count, train_epoch

EVAL_SHARE = 1 / 3
RECENT_TRIALS = 10
CUT_INTO_FINAL = 0.5
FIRST_TRIALS_SHARE = 0.5
MIN_FINAL_EPOCHS = 1


def fit_cost(points):
    """ms per unit as a function of P (as src/cli/example/budget-plan.ts fits it)."""
    if not points:
        return lambda p: float("nan")
    xs = np.array([p[2] for p in points], dtype=float)
    ys = np.array([p[0] / p[1] for p in points], dtype=float)
    mx, my = xs.mean(), ys.mean()
    sxx = ((xs - mx) ** 2).sum()
    b = ((xs - mx) * (ys - my)).sum() / sxx if sxx > 0 else 0.0
    a = my - b * mx
    if len(points) >= 3 and b > 0 and a >= 0:
        return lambda p: a + b * p
    b0 = (xs * ys).sum() / (xs * xs).sum()
    return lambda p: b0 * p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--held-out", required=True, help="int32 indices of the held-out training images")
    ap.add_argument("--trial-epochs", type=int, default=3)
    ap.add_argument("--trial-train", type=int, default=0, help="images per trial (0: all but the held-out)")
    ap.add_argument("--final-epochs", type=int, default=10)
    ap.add_argument("--patience", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    budget = args.minutes * 60.0
    end = STARTED + budget
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    tx, ty, sx, sy = load_fashion_mnist()
    held = np.fromfile(args.held_out, dtype="<i4").astype(np.int64)
    mask = np.ones(tx.shape[0], dtype=bool)
    mask[held] = False
    pool = np.nonzero(mask)[0]
    vx, vy = tx[held], ty[held]
    fx, fy = tx[pool], ty[pool]
    rng = np.random.default_rng(args.seed)
    n = args.trial_train or len(pool)
    pick = np.sort(rng.permutation(len(pool))[:n])
    x, y = fx[pick], fy[pick]
    gen = torch.Generator().manual_seed(args.seed)

    margin = max(3.0, 0.02 * budget)
    epoch_units = fx.shape[0] + EVAL_SHARE * vx.shape[0]
    test_units = EVAL_SHARE * sx.shape[0]
    measured = []  # (ms, units, P)
    plan = {"final_s": 0.0, "search_ends_at": end - margin}
    kept = {"value": -1.0, "state": None, "params": None}

    def cut_at():
        """When a running trial stops training (as the example's SearchStopper.cutTraining)."""
        if not measured:
            return STARTED + FIRST_TRIALS_SHARE * budget
        return min(end, plan["search_ends_at"] + CUT_INTO_FINAL * plan["final_s"])

    def objective(trial):
        params = {"num_layers": trial.suggest_int("num_layers", 2, 4)}
        for i in range(params["num_layers"]):
            # the example's space (experiment 2 with --tune-learning-rate): ReLU layers
            params[f"units_{i}"] = trial.suggest_int(f"units_{i}", 64, 512, step=64)
        params["learning_rate"] = trial.suggest_float("learning_rate", 1e-4, 1e-2, log=True)
        t = time.time()
        model = build(params)
        opt = torch.optim.Adam(model.parameters(), lr=params["learning_rate"])
        best, samples, evaluated, epochs = 0.0, 0, 0, 0
        for epoch in range(args.trial_epochs):
            whole, trained = train_epoch(model, opt, x, y, args.batch_size, gen, cut_at())
            acc = evaluate(model, vx, vy)[1]
            samples += trained
            evaluated += vx.shape[0]
            epochs += 1
            if acc > best:
                best = acc
                if acc > kept["value"]:  # the best epoch of the best trial so far, for the fallback
                    kept.update(value=acc, params=params,
                                state={k: v.clone() for k, v in model.state_dict().items()})
            trial.report(best, epoch)
            if not whole:
                break
        # the examples trained (a trial cut inside an epoch counts right) and evaluated
        measured.append((1000 * (time.time() - t), samples + EVAL_SHARE * evaluated, param_count(params), epochs))
        trial.set_user_attr("params", params)
        return best

    def stop_when_due(study, _trial):
        per_unit = fit_cost(measured)(param_count(study.best_trial.user_attrs["params"])) / 1000
        test_s = test_units * per_unit
        final_s = args.final_epochs * epoch_units * per_unit + test_s
        retrains = end - margin - time.time() >= MIN_FINAL_EPOCHS * epoch_units * per_unit + test_s
        if not retrains:
            final_s = test_s  # not one epoch fits: search on; the best trial's best epoch is final
        recent = measured[-RECENT_TRIALS:]
        trial_s = sum(m[0] for m in recent) / len(recent) / 1000
        # with no final training to make room for, a trial that gets one epoch done is worth it
        epoch_s = sum(m[0] / max(m[3], 1) for m in recent) / len(recent) / 1000
        plan["final_s"] = final_s
        plan["search_ends_at"] = end - margin - final_s
        if time.time() + (trial_s if retrains else epoch_s) > plan["search_ends_at"]:
            study.stop()

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed))
    study.optimize(objective, callbacks=[stop_when_due], timeout=max(1.0, end - margin - time.time()))
    search_end = time.time()
    best = study.best_trial.user_attrs["params"]

    per_unit = fit_cost(measured)(param_count(best)) if measured else float("inf")
    reserve = max(1.5, 1.5 * EVAL_SHARE * (sx.shape[0] + vx.shape[0]) * per_unit / 1000)
    deadline = end - reserve
    epoch_s = epoch_units * per_unit / 1000
    torch.manual_seed(args.seed)
    model = build(best)
    opt = torch.optim.Adam(model.parameters(), lr=float(best["learning_rate"]))
    best_acc, best_epoch, best_state, epochs, ending = -1.0, -1, None, 0, "epochs"
    final_start = time.time()
    note = None
    if deadline - time.time() < MIN_FINAL_EPOCHS * epoch_s and kept["state"] is not None:
        # too little time to retrain: the best trial's own best epoch
        note = "no time to retrain: the best trial's best epoch"
        model = build(kept["params"])
        best_state, ending = kept["state"], "checkpoint"
    for epoch in range(2 * args.final_epochs if note is None else 0):
        whole, _ = train_epoch(model, opt, fx, fy, args.batch_size, gen, deadline)
        acc = evaluate(model, vx, vy)[1]
        epochs = epoch + 1
        if acc > best_acc:
            best_acc, best_epoch = acc, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        if not whole:
            ending = "deadline"
            break
        if epoch - best_epoch >= args.patience:
            ending = "patience"
            break
    model.load_state_dict(best_state)
    test_loss, test_acc = evaluate(model, sx, sy)
    done = time.time()
    print(json.dumps({
        "system": "optuna-torch",
        "seed": args.seed,
        "trials": len(study.trials),
        "search_seconds": search_end - STARTED,
        "final_epochs": epochs,
        "final_ending": ending,
        "final_best_epoch": best_epoch + 1,
        "final_seconds": done - final_start,
        "final_note": note,
        "total_seconds": done - STARTED,
        "budget_seconds": budget,
        "best_value": study.best_value,
        "best_params": best,
        "test_loss": test_loss,
        "test_accuracy": test_acc,
        "predicted_final_seconds": plan["final_s"],
        "threads": torch.get_num_threads(),
        "versions": {"torch": torch.__version__, "optuna": optuna.__version__},
    }))


main()
