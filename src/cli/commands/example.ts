/**
 * `hypertuner example` (what `npm start` runs): the article's experiment. A multilayer
 * perceptron's depth, widths, activations and learning rate are tuned on Fashion-MNIST (or
 * CIFAR-10, MNIST), running one trial per core at once, for as long as the time budget leaves
 * room for the final training; the best hyperparameters are then retrained on the training set
 * (but a held-out slice) and scored on the test set. The study is kept in SQLite, so running the command again resumes it. The same
 * program, without the flags, is `examples/fashion-mnist-mlp.ts`. The pieces are in
 * `src/cli/example/`.
 */
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { joinExample } from '../example/join.js';
import { addExampleOptions, parseExampleFlags } from '../example/options.js';
import type { ExampleFlags } from '../example/options.js';
import { runExample } from '../example/run-example.js';
import { commandStartedAt } from '../process-start.js';

export function registerExampleCommand(program: Command): void {
  addExampleOptions(
    program
      .command('example')
      .description(
        "the article's experiment: tune an MLP on Fashion-MNIST with Bayesian optimisation (a trial per core at once), retrain the best, score it on the test set (resumable)",
      ),
  ).action((flags: ExampleFlags) => {
    const options = parseExampleFlags({
      ...flags,
      startedAt: flags.startedAt ?? String(commandStartedAt()),
    });
    if (flags.join !== true) return runExample(options);
    if (flags.dataFile === undefined || flags.startedAt === undefined)
      throw new HypertunerError(
        'OPTIONS_INVALID',
        '--join needs --data-file and --started-at (the main process of the example gives them).',
        { field: 'join' },
      );
    return joinExample(options, flags.dataFile);
  });
}
