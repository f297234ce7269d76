"""Optuna's side of the journal tests (test/storage/formats/optuna-journal.test.ts).

  dump FILE STUDY           print the study as Optuna's JournalStorage reads it (JSON)
  continue FILE STUDY N     run N more trials of the rich study's objective with TPE, print them
  born FILE                 write a study made by Optuna alone (NSGA-II, two objectives, a None
                            choice, a pruned trial, an enqueued one), print it
"""
import json
import math
import sys

import optuna
from optuna.storages import JournalFileStorage, JournalStorage

optuna.logging.set_verbosity(optuna.logging.WARNING)

AWKWARD_NAME = 'style, "quoted"\nname'
AWKWARD_VALUES = ["a,b", 'say "hi"', "two\nlines"]


def storage(path):
    return JournalStorage(JournalFileStorage(path))


def distribution(d):
    return {"name": type(d).__name__, **{k: v for k, v in d.__dict__.items() if not k.startswith("_")}}


def trial_json(t):
    return {
        "number": t.number,
        "state": t.state.name,
        "value": t.value if t.values is not None and len(t.values) == 1 else None,
        "values": t.values,
        "params": t.params,
        "distributions": {k: distribution(d) for k, d in t.distributions.items()},
        "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
        "user_attrs": t.user_attrs,
        "system_attrs": t.system_attrs,
        "datetime_start": None if t.datetime_start is None else t.datetime_start.timestamp() * 1000,
        "datetime_complete": None if t.datetime_complete is None else t.datetime_complete.timestamp() * 1000,
    }


def study_json(study):
    completed = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    single = len(study.directions) == 1
    return {
        "name": study.study_name,
        "directions": [d.name for d in study.directions],
        "user_attrs": study.user_attrs,
        "best_value": study.best_value if single and completed else None,
        "best_params": study.best_params if single and completed else None,
        "trials": [trial_json(t) for t in study.trials],
    }


def rich_objective(trial):
    """The rich study's objective (test/helpers/rich-study.ts), declared the same way."""
    optimizer = trial.suggest_categorical("optimizer", ["adam", "sgd"])
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    units = trial.suggest_int("units", 16, 128, step=16)
    layers = trial.suggest_int("layers", 1, 64, log=True)
    dropout = trial.suggest_float("dropout", 0, 0.5, step=0.1)
    bias = trial.suggest_categorical("use_bias", [False, True])
    style = trial.suggest_categorical(AWKWARD_NAME, AWKWARD_VALUES)
    momentum = trial.suggest_float("momentum", 0, 0.99) if optimizer == "sgd" else None
    loss = (
        (math.log10(lr) + 2.5) ** 2
        + units / 128
        + layers / 64
        + dropout
        + (0 if bias else 0.1)
        + AWKWARD_VALUES.index(style) * 0.05
        + (1 - momentum if momentum is not None else 0)
    )
    for step in range(3):
        trial.report(loss + (3 - step) * 0.1, step)
    trial.set_user_attr("from", "python")
    return loss


def born(path):
    study = optuna.create_study(
        study_name="born",
        storage=storage(path),
        directions=["minimize", "maximize"],
        sampler=optuna.samplers.NSGAIISampler(seed=3, population_size=4),
    )
    study.set_user_attr("team", "python")
    study.set_system_attr("sampler_note", "kept by optuna only")
    study.enqueue_trial({"x": 0.25, "n": 4})

    def objective(trial):
        x = trial.suggest_float("x", -1, 1)
        n = trial.suggest_int("n", 2, 32, log=True)
        act = trial.suggest_categorical("act", ["relu", "tanh"])
        maybe = trial.suggest_categorical("maybe", [None, 1, 2])
        if act == "tanh":
            trial.suggest_float("slope", 0.1, 1.0, step=0.1)
        trial.set_user_attr("weird", float("nan"))
        if trial.number == 2:
            raise optuna.TrialPruned()
        return x * x + n / 32, float(maybe or 0) - x

    study.optimize(objective, n_trials=8, catch=())
    study.enqueue_trial({"x": -0.5, "n": 8, "act": "relu"})
    return study_json(study)


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "dump":
        out = study_json(optuna.load_study(study_name=sys.argv[3], storage=storage(path)))
    elif command == "continue":
        study = optuna.load_study(
            study_name=sys.argv[3],
            storage=storage(path),
            sampler=optuna.samplers.TPESampler(seed=5, n_startup_trials=0),
        )
        before = len(study.trials)
        study.optimize(rich_objective, n_trials=int(sys.argv[4]))
        out = study_json(study)
        out["ran"] = [t["number"] for t in out["trials"] if t["user_attrs"].get("from") == "python"]
        out["before"] = before
    elif command == "born":
        out = born(path)
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(out))


main()
