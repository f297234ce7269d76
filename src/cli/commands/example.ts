/**
 * `hypertuner example`: a self-contained demonstration — tunes a simulated training run
 * (a black-box function of a network's hyperparameters) and keeps the study in SQLite, so
 * running it again resumes.
 */
import type { Command } from 'commander';
import { Study, createOracle } from '../../index.js';
import type { TrialContext } from '../../index.js';
import { searchProgress } from '../progress.js';
import { parseWholeNumber } from '../parse.js';

/** A smooth stand-in for "validation loss after training", with a known optimum. */
async function simulatedTraining({ hp, report }: TrialContext): Promise<Record<string, number>> {
  const lr = hp.Float('learning_rate', { min: 1e-4, max: 1, sampling: 'log' });
  const units = hp.Int('units', { min: 32, max: 1024, step: 32 });
  const layers = hp.Int('layers', { min: 1, max: 6 });
  const optimizer = hp.Choice('optimizer', ['sgd', 'adam', 'rmsprop']);
  const useBias = hp.Boolean('use_bias');
  const floor =
    (Math.log10(lr) + 2) ** 2 + (Math.log2(units) - 8) ** 2 / 4 + 0.5 * (layers - 2) ** 2 +
    ({ adam: 0, rmsprop: 0.2, sgd: 0.6 }[optimizer] ?? 0) + (useBias ? 0 : 0.1);
  let loss = floor + 2;
  for (let epoch = 0; epoch < 5; epoch++) {
    loss = floor + 2 * Math.exp(-(epoch + 1));
    await report(epoch, { val_loss: loss });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { val_loss: loss };
}

export function registerExampleCommand(program: Command): void {
  program
    .command('example')
    .description('run the demonstration search (resumable; kept in SQLite)')
    .option('--storage <url>', 'storage URL', 'sqlite:hypertuner-example.db')
    .option('--tuner <name>', 'random, grid, bayesian or tpe', 'random')
    .option('--trials <n>', "the study's total number of trials", '30')
    .option('--overwrite', 'start the study again')
    .action(async (flags: { storage: string; tuner: string; trials: string; overwrite?: boolean }) => {
      const maxTrials = parseWholeNumber(flags.trials, 'trials', 1);
      const study = await Study.open({
        storage: flags.storage,
        name: `example-${flags.tuner}`,
        objective: 'val_loss',
        oracle: createOracle(flags.tuner, { seed: 1 }),
        ...(flags.overwrite === true ? { overwrite: true } : {}),
      });
      try {
        process.stderr.write(`Tuning a simulated network with ${flags.tuner} search (${maxTrials} trials), study '${study.name}' in ${flags.storage}.\n`);
        await study.optimize(simulatedTraining, { maxTrials, callbacks: searchProgress() });
        process.stdout.write(`${study.searchSpaceSummary()}\n\n${await study.resultsSummary(3)}\n`);
      } finally {
        await study.close();
      }
    });
}
