"""For test/storage/formats/optuna-distributions.test.ts: stdin is {"texts": [...], "floats": [...]};
prints {"distributions": [...], "reprs": [...]}: each distribution text parsed as Optuna parses
it (legacy classes as the Float/Int distribution they are) and written again by
distribution_to_json, and Python's repr of each number as a float."""
import json
import sys
import warnings

from optuna.distributions import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
    distribution_to_json,
    json_to_distribution,
)

warnings.simplefilter("ignore")
given = json.load(sys.stdin)
out = []
for line in given["texts"]:
    d = json_to_distribution(line)
    if isinstance(d, FloatDistribution):
        modern = FloatDistribution(d.low, d.high, log=d.log, step=d.step)
    elif isinstance(d, IntDistribution):
        modern = IntDistribution(d.low, d.high, log=d.log, step=d.step)
    else:
        modern = CategoricalDistribution(d.choices)
    out.append(distribution_to_json(modern))
print(json.dumps({"distributions": out, "reprs": [repr(float(x)) for x in given["floats"]]}))
