// A 5-trial study in memory with the define-by-run ask and tell, as a user of the installed
// package writes it; prints the trials' statuses, the best value and the study's space.
import { Study, TpeOracle } from 'hypertuner';

const study = await Study.open({
  storage: 'memory:',
  name: 'package-test',
  objective: 'loss',
  oracle: new TpeOracle({ seed: 1 }),
});
for (let i = 0; i < 5; i++) {
  const next = await study.ask();
  if (next.kind !== 'trial') throw new Error(`ask: ${next.kind} (${next.reason})`);
  const x = next.trial.hp.Float('x', { min: -5, max: 5 });
  await study.tell(next.trial, (x - 1) ** 2);
}
const trials = await study.trials();
const [best] = await study.getBestTrials();
const space = study.space.parameters.map((p) => p.name);
await study.close();
process.stdout.write(
  `${JSON.stringify({ statuses: trials.map((t) => t.status), best: best?.values, space })}\n`,
);
