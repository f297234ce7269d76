#!/usr/bin/python3
"""Records Optuna's samplers on the bench:bo problems, in the raw-run format of PROBLEMS.md.

Runs Debian's Optuna 3.1 (python3-optuna: TPE, multivariate TPE, CMA-ES, random, scrambled
Sobol QMC, NSGA-II) and, when --optuna-src names a source checkout of a newer Optuna, its
GPSampler, each job in a process of its own. Every line written is one run (one tool, problem
and seed), ready for `npm run bench:bo -- --peer-file FILE`. See bench/README.md.

    /usr/bin/python3 bench/record-peers.py --out peers-here.jsonl
    /usr/bin/python3 bench/record-peers.py --out gp.jsonl --tools optuna5-gp --optuna-src ~/optuna

The problems are the ones of bench/problems/ (same parameter names, ranges and formulas).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

# ---------------------------------------------------------------------------------------------
# The problems (as bench/problems/*.ts). Each has: define(trial) -> params, evaluate(params) ->
# value or list of values, the minimum, and optionally a reference point or constraints.


def branin(p: Dict[str, Any]) -> float:
    x1, x2 = p["x1"], p["x2"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
HARTMANN_P = [
    [v * 1e-4 for v in row]
    for row in [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
]


def vector(p: Dict[str, Any], d: int) -> List[float]:
    return [p[f"x{i + 1}"] for i in range(d)]


def hartmann6(p: Dict[str, Any]) -> float:
    x = vector(p, 6)
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return -total


OPTIMIZER_PENALTY = {"adam": 0.0, "rmsprop": 0.2, "sgd": 0.6}


def mixed_public(p: Dict[str, Any]) -> float:
    return (
        (math.log10(p["lr"]) + 2) ** 2
        + (math.log2(p["units"]) - 8) ** 2 / 4
        + 0.5 * (p["layers"] - 2) ** 2
        + OPTIMIZER_PENALTY[p["optimizer"]]
        + (0 if p["use_bias"] else 0.1)
    )


def define_mixed_public(trial: Any) -> Dict[str, Any]:
    return {
        "lr": trial.suggest_float("lr", 1e-4, 1, log=True),
        "units": trial.suggest_int("units", 32, 1024, step=32),
        "layers": trial.suggest_int("layers", 1, 6),
        "optimizer": trial.suggest_categorical("optimizer", ["sgd", "adam", "rmsprop"]),
        "use_bias": trial.suggest_categorical("use_bias", [True, False]),
    }


def box(names: Sequence[str], low: float, high: float) -> Callable[[Any], Dict[str, Any]]:
    return lambda trial: {name: trial.suggest_float(name, low, high) for name in names}


def xs(d: int) -> List[str]:
    return [f"x{i + 1}" for i in range(d)]


def rastrigin(x: List[float]) -> float:
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def styblinski_tang(x: List[float]) -> float:
    return sum(v**4 - 16 * v * v + 5 * v for v in x) / 2


def michalewicz(x: List[float]) -> float:
    return -sum(math.sin(v) * math.sin((i + 1) * v * v / math.pi) ** 20 for i, v in enumerate(x))


def rosenbrock(x: List[float]) -> float:
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def zdt1(p: Dict[str, Any]) -> List[float]:
    x = vector(p, 6)
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def dtlz2(p: Dict[str, Any]) -> List[float]:
    x = vector(p, 6)
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b, r = x[0] * math.pi / 2, x[1] * math.pi / 2, 1 + g
    return [r * math.cos(a) * math.cos(b), r * math.cos(a) * math.sin(b), r * math.sin(a)]


def simionescu(p: Dict[str, Any]) -> float:
    return 0.1 * p["x"] * p["y"]


def simionescu_constraints(p: Dict[str, Any]) -> List[float]:
    x, y = p["x"], p["y"]
    if y == 0:  # as JavaScript's atan(x / 0): ±π/2, and NaN (infeasible) at the origin
        if x == 0:
            return [math.nan]
        angle = math.copysign(math.pi / 2, x)
    else:
        angle = math.atan(x / y)
    radius = 1 + 0.2 * math.cos(8 * angle)
    return [x * x + y * y - radius * radius]


PROBLEMS: Dict[str, Dict[str, Any]] = {
    "branin": {
        "define": lambda t: {"x1": t.suggest_float("x1", -5, 10), "x2": t.suggest_float("x2", 0, 15)},
        "evaluate": branin,
        "minimum": 0.397887,
    },
    "hartmann6": {"define": box(xs(6), 0, 1), "evaluate": hartmann6, "minimum": -3.32237},
    "mixed_public": {"define": define_mixed_public, "evaluate": mixed_public, "minimum": 0},
    "rastrigin5": {
        "define": box(xs(5), -5.12, 5.12),
        "evaluate": lambda p: rastrigin(vector(p, 5)),
        "minimum": 0,
    },
    "styblinski8": {
        "define": box(xs(8), -5, 5),
        "evaluate": lambda p: styblinski_tang(vector(p, 8)),
        "minimum": -313.3293256,
    },
    "michalewicz5": {
        "define": box(xs(5), 0, math.pi),
        "evaluate": lambda p: michalewicz(vector(p, 5)),
        "minimum": -4.687658,
    },
    "rosenbrock10": {
        "define": box(xs(10), -2.048, 2.048),
        "evaluate": lambda p: rosenbrock(vector(p, 10)),
        "minimum": 0,
    },
    "zdt1": {
        "define": box(xs(6), 0, 1),
        "evaluate": zdt1,
        "reference": [11.0, 11.0],
        "minimum": -(121 - 1 / 3),
    },
    "dtlz2": {
        "define": box(xs(6), 0, 1),
        "evaluate": dtlz2,
        "reference": [1.1, 1.1, 1.1],
        "minimum": -(1.1**3 - math.pi / 6),
    },
    "simionescu": {
        "define": lambda t: {"x": t.suggest_float("x", -1.25, 1.25), "y": t.suggest_float("y", -1.25, 1.25)},
        "evaluate": simionescu,
        "constraints": simionescu_constraints,
        "minimum": -0.072,
    },
}


def kind(problem: Dict[str, Any]) -> str:
    if "reference" in problem:
        return "multi"
    return "constrained" if "constraints" in problem else "single"


# ---------------------------------------------------------------------------------------------
# Hypervolume (exact, by slicing; as bench/problems/hypervolume.ts).


def hypervolume(points: List[List[float]], reference: List[float]) -> float:
    inside = [p for p in points if all(v < r for v, r in zip(p, reference))]
    return _slice(inside, reference)


def _slice(points: List[List[float]], reference: List[float]) -> float:
    d = len(reference)
    if not points:
        return 0.0
    if d == 1:
        return reference[0] - min(p[0] for p in points)
    if d == 2:
        volume, ceiling = 0.0, reference[1]
        for x, y in sorted(points):
            if y < ceiling:
                volume += (reference[0] - x) * (ceiling - y)
                ceiling = y
        return volume
    ordered = sorted(points, key=lambda p: p[-1])
    volume = 0.0
    for i, p in enumerate(ordered):
        upper = ordered[i + 1][-1] if i + 1 < len(ordered) else reference[-1]
        if upper > p[-1]:
            volume += (upper - p[-1]) * _slice([q[:-1] for q in ordered[: i + 1]], reference[:-1])
    return volume


# ---------------------------------------------------------------------------------------------
# The tools: which sampler, on which kinds of problem.

TOOLS = ["optuna-tpe", "optuna-tpe-mv", "optuna-cmaes", "optuna-random", "optuna-qmc", "optuna-nsga2", "optuna5-gp"]
APPLIES = {
    "optuna-tpe": {"single", "multi", "constrained"},
    "optuna-tpe-mv": {"single", "multi", "constrained"},
    "optuna-cmaes": {"single"},  # CmaEsSampler takes no constraints and one objective
    "optuna-random": {"single", "multi", "constrained"},
    "optuna-qmc": {"single", "multi", "constrained"},
    "optuna-nsga2": {"multi", "constrained"},
    "optuna5-gp": {"single", "multi", "constrained"},
}


def make_sampler(optuna: Any, tool: str, seed: int, constraints: Optional[Callable[[Any], Sequence[float]]]) -> Any:
    samplers = optuna.samplers
    c = {} if constraints is None else {"constraints_func": constraints}
    if tool == "optuna-tpe":
        return samplers.TPESampler(seed=seed, **c)
    if tool == "optuna-tpe-mv":
        return samplers.TPESampler(seed=seed, multivariate=True, **c)
    if tool == "optuna-cmaes":
        return samplers.CmaEsSampler(seed=seed)
    if tool == "optuna-random":
        return samplers.RandomSampler(seed=seed)
    if tool == "optuna-qmc":
        return samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=seed)
    if tool == "optuna-nsga2":
        return samplers.NSGAIISampler(seed=seed, **c)
    if tool == "optuna5-gp":
        return samplers.GPSampler(seed=seed, **c)
    raise ValueError(f"unknown tool {tool}")


def adapt_to_old_torch(optuna: Any) -> None:
    """A newer Optuna's GPSampler runs `with torch.device("cpu"):`, which torch < 2.0 cannot
    do (a device is not a context manager there). In this process only, give the sampler's
    module a torch whose `device(...)` is a no-op context: CPU is the only device anyway."""
    import contextlib

    import torch

    if hasattr(torch.device, "__enter__"):
        return
    import optuna.samplers._gp.sampler as gp_sampler

    class _TorchOnCpu:
        def __getattr__(self, name: str) -> Any:
            return getattr(torch, name)

        @staticmethod
        def device(*args: Any, **kwargs: Any) -> Any:
            return contextlib.nullcontext()

    gp_sampler.torch = _TorchOnCpu()


def run_job(optuna: Any, job: Dict[str, Any]) -> Dict[str, Any]:
    problem = PROBLEMS[job["problem"]]
    tool, seed, trials = job["tool"], job["seed"], job["trials"]
    reference = problem.get("reference")
    constraint_of = problem.get("constraints")
    constraints = None if constraint_of is None else (lambda frozen: constraint_of(frozen.params))
    sampler = make_sampler(optuna, tool, seed, constraints)
    directions = ["minimize"] * (1 if reference is None else len(reference))
    study = optuna.create_study(directions=directions, sampler=sampler)
    best: List[Optional[float]] = []
    ask_s: List[float] = []
    front: List[List[float]] = []
    lowest = math.inf
    started = time.perf_counter()

    def ask() -> Any:
        t0 = time.perf_counter()
        trial = study.ask()
        params = problem["define"](trial)  # independent sampling happens in suggest_*
        ask_s.append(time.perf_counter() - t0)
        return trial, params

    for _ in range(trials):
        trial, params = ask()
        value = problem["evaluate"](params)
        values = value if isinstance(value, list) else [value]
        feasible = constraint_of is None or all(c <= 0 for c in constraint_of(params))  # NaN: infeasible
        study.tell(trial, values if reference is not None else values[0])
        if reference is None:
            if feasible:
                lowest = min(lowest, values[0])
            best.append(None if lowest == math.inf else lowest)
        else:
            if not any(all(a <= b for a, b in zip(q, values)) for q in front):
                front = [q for q in front if not all(b <= a for a, b in zip(q, values))] + [values]
            best.append(-hypervolume(front, reference))
    trial, _ = ask()  # one more suggestion, with every trial finished, not evaluated
    final_ask = ask_s.pop()
    return {
        "tool": tool,
        "problem": job["problem"],
        "seed": seed,
        "trials": trials,
        "best": best,
        "ask_s": ask_s,
        "final_ask_s": final_ask,
        "wall_s": round(time.perf_counter() - started, 3),
        "minimum": problem["minimum"],
    }


def serve(optuna_src: Optional[str]) -> None:
    """Worker mode: jobs as JSON lines on stdin, one raw run (or an error) per line on stdout."""
    if optuna_src is not None:
        sys.path.insert(0, optuna_src)
    import warnings

    warnings.simplefilter("ignore")
    try:
        import optuna
    except ImportError:
        sys.stderr.write("record-peers: Optuna is missing; run with Debian's python3 after `apt-get install python3-optuna python3-cmaes`.\n")
        sys.exit(2)
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    if optuna_src is not None:
        if not os.path.abspath(optuna.__file__).startswith(os.path.abspath(optuna_src)):
            sys.stderr.write(f"record-peers: --optuna-src {optuna_src} holds no optuna package (loaded {optuna.__file__}).\n")
            sys.exit(2)
        adapt_to_old_torch(optuna)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            result: Dict[str, Any] = run_job(optuna, job)
        except Exception as e:  # reported, the other jobs go on
            result = {"error": f"{type(e).__name__}: {e}", "job": job}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# The command line.


def parse_seeds(value: str) -> List[int]:
    if "-" in value:
        low, high = (int(v) for v in value.split("-"))
        return list(range(low, high + 1))
    if "," in value:
        return [int(v) for v in value.split(",")]
    return list(range(1, int(value) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=False, help="JSON-lines file to write (required)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, from {', '.join(TOOLS)}")
    parser.add_argument("--problems", default=",".join(PROBLEMS), help=f"comma-separated, from {', '.join(PROBLEMS)}")
    parser.add_argument("--seeds", default="1-10", help="a range 1-10, a list 1,2,3 or a count N (1..N)")
    parser.add_argument("--trials", type=int, default=100, help="trials per single-objective run")
    parser.add_argument("--mo-trials", type=int, default=200, help="trials per multi-objective run")
    parser.add_argument("--workers", type=int, default=2, help="processes running jobs in parallel")
    parser.add_argument("--optuna-src", help="a source checkout of a newer Optuna, for optuna5-gp (GPSampler)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.optuna_src)
        return
    if args.out is None:
        parser.error("--out FILE is required (the runs are written there as JSON lines)")
    tools = [t for t in args.tools.split(",") if t]
    problems = [p for p in args.problems.split(",") if p]
    for t in tools:
        if t not in TOOLS:
            parser.error(f"--tools: unknown tool '{t}'; known: {', '.join(TOOLS)}")
    for p in problems:
        if p not in PROBLEMS:
            parser.error(f"--problems: unknown problem '{p}'; known: {', '.join(PROBLEMS)}")
    try:
        seeds = parse_seeds(args.seeds)
    except ValueError:
        parser.error("--seeds must be a range 1-10, a list 1,2,3 or a count N")
    if "optuna5-gp" in tools and args.optuna_src is None:
        sys.stderr.write("record-peers: skipping optuna5-gp: give --optuna-src DIR (a source checkout of Optuna with GPSampler).\n")
        tools.remove("optuna5-gp")
    if args.optuna_src is not None and not os.path.isdir(os.path.join(args.optuna_src, "optuna")):
        parser.error(f"--optuna-src: {args.optuna_src} has no optuna/ package folder")

    jobs = [
        {"tool": t, "problem": p, "seed": s, "trials": args.mo_trials if kind(PROBLEMS[p]) == "multi" else args.trials}
        for p in problems
        for t in tools
        if kind(PROBLEMS[p]) in APPLIES[t]
        for s in seeds
    ]
    sys.stderr.write(f"record-peers: {len(jobs)} runs on {args.workers} process(es); load {os.getloadavg()[0]:.2f}\n")
    open(args.out, "w").close()
    queue = list(reversed(jobs))
    lock = threading.Lock()
    counts = {"done": 0, "failed": 0}

    def lane(family: str) -> None:
        # One long-lived worker process per lane and family (Debian's Optuna, or the source's).
        command = [sys.executable, os.path.abspath(__file__), "--serve"]
        if family == "src":
            command += ["--optuna-src", args.optuna_src]
        env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        worker: Optional[subprocess.Popen[str]] = None
        try:
            while True:
                with lock:
                    index = next((i for i in range(len(queue) - 1, -1, -1) if (queue[i]["tool"] == "optuna5-gp") == (family == "src")), None)
                    if index is None:
                        return
                    job = queue.pop(index)
                if worker is None:
                    worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
                assert worker.stdin is not None and worker.stdout is not None
                worker.stdin.write(json.dumps(job) + "\n")
                worker.stdin.flush()
                line = worker.stdout.readline()
                if line == "":
                    raise RuntimeError("a worker process ended early (see the lines above)")
                result = json.loads(line)
                with lock:
                    counts["done"] += 1
                    where = f"[{counts['done']}/{len(jobs)}] {job['problem']} {job['tool']} seed {job['seed']}"
                    if "error" in result:
                        counts["failed"] += 1
                        sys.stderr.write(f"{where}: FAILED {result['error']}\n")
                    else:
                        with open(args.out, "a") as out:
                            out.write(json.dumps(result) + "\n")
                        last = result["best"][-1]
                        regret = "no feasible trial" if last is None else f"{last - result['minimum']:.4g}"
                        sys.stderr.write(f"{where}: regret {regret}, {result['wall_s']:.1f} s\n")
        finally:
            if worker is not None:
                assert worker.stdin is not None
                worker.stdin.close()
                worker.wait()

    # Each lane serves whichever family has jobs left; lanes of both families share the workers.
    lanes: List[threading.Thread] = []
    gp_jobs = sum(1 for j in jobs if j["tool"] == "optuna5-gp")
    families = (["src"] if gp_jobs else []) + (["debian"] if gp_jobs < len(jobs) else [])
    for i in range(max(1, args.workers)):
        lanes.append(threading.Thread(target=lambda i=i: [lane(families[(i + k) % len(families)]) for k in range(len(families))]))
    started = time.time()
    for t in lanes:
        t.start()
    for t in lanes:
        t.join()
    failed = f", {counts['failed']} failed" if counts["failed"] else ""
    sys.stderr.write(
        f"record-peers: {counts['done'] - counts['failed']} runs in {args.out} in {time.time() - started:.0f} s"
        f"{failed}; load {os.getloadavg()[0]:.2f}\n"
    )
    if counts["failed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
