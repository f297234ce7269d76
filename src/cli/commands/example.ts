/**
 * `hypertuner example` (what `npm start` runs): the article's experiments. A multilayer
 * perceptron's search space is one of the article's three (--experiment 1|2|3, 2 by default:
 * depth and width), tuned with Bayesian optimisation on Fashion-MNIST (or CIFAR-10, MNIST),
 * running one trial per core at once, for as long as the time budget leaves room for the final
 * training; the best hyperparameters are then retrained on the training set (but a held-out
 * slice) and scored on the test set, after the model's layers are printed. The study is kept in
 * SQLite, so running the command again resumes it. `--compare random,bayesian --seeds N` runs
 * several tuners over several seeds instead, each a fixed number of trials, and compares them
 * (compare.ts). The same programs, without the flags, are in `examples/article/`. The pieces
 * are in `src/cli/example/`.
 */
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { joinExample } from '../example/join.js';
import { addExampleOptions, parseExampleFlags } from '../example/options.js';
import type { ExampleFlags } from '../example/options.js';
import { runExample } from '../example/run-example.js';
import { runCompare } from '../example/compare.js';
import { runCompareMember } from '../example/compare-member.js';
import { commandStartedAt } from '../process-start.js';

export function registerExampleCommand(program: Command): void {
  addExampleOptions(
    program
      .command('example')
      .description(
        "the article's experiments: tune an MLP on Fashion-MNIST with Bayesian optimisation (a trial per core at once), retrain the best, score it on the test set (resumable); --compare tuners over seeds",
      ),
  ).action((flags: ExampleFlags) => {
    const options = parseExampleFlags({
      ...flags,
      startedAt: flags.startedAt ?? String(commandStartedAt()),
    });
    if (options.compareMember) return runCompareMember(options);
    if (flags.join !== true)
      return options.compare === undefined ? runExample(options) : runCompare(options);
    if (flags.dataFile === undefined || flags.startedAt === undefined)
      throw new HypertunerError(
        'OPTIONS_INVALID',
        '--join needs --data-file and --started-at (the main process of the example gives them).',
        { field: 'join' },
      );
    return joinExample(options, flags.dataFile);
  });
}
