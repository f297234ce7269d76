// A 5-trial study in memory, as a user of the installed package writes it; prints the trials.
// TODO(issue 16): the define-by-run ask/tell (`const next = await study.ask()`, then
// `next.trial.hp.Float(...)` and `study.tell(next.trial, value)`) once the trial handle lands.
import { Study, TpeOracle } from 'hypertuner';

const study = await Study.open({
  storage: 'memory:',
  name: 'package-test',
  objective: 'loss',
  oracle: new TpeOracle({ seed: 1 }),
});
await study.optimize(
  ({ hp }) => {
    const x = hp.Float('x', { min: -5, max: 5 });
    return (x - 1) ** 2;
  },
  { maxTrials: 5 },
);
const trials = await study.trials();
const [best] = await study.getBestTrials();
await study.close();
process.stdout.write(
  `${JSON.stringify({ statuses: trials.map((t) => t.status), best: best?.values })}\n`,
);
