/**
 * `hypertuner example` (what `npm start` runs): the article's experiments. A multilayer
 * perceptron's search space is one of the article's three (--experiment 1|2|3, 2 by default:
 * depth and width), tuned with Bayesian optimisation on Fashion-MNIST (or CIFAR-10, MNIST),
 * running one trial per core at once; the best hyperparameters are then retrained on the
 * whole training set and scored on the test set, after the model's layers are printed. The
 * study is kept in SQLite, so running the command again resumes it. `--compare
 * random,bayesian --seeds N` runs several tuners over several seeds instead and compares them
 * (compare.ts). The same programs, without the flags, are in `examples/article/`. The pieces
 * are in `src/cli/example/`.
 */
import type { Command } from 'commander';
import { joinExample } from '../example/join.js';
import { addExampleOptions, parseDeadline, parseExampleFlags } from '../example/options.js';
import type { ExampleFlags } from '../example/options.js';
import { runExample } from '../example/run-example.js';
import { runCompare } from '../example/compare.js';
import { runCompareMember } from '../example/compare-member.js';

export function registerExampleCommand(program: Command): void {
  addExampleOptions(
    program
      .command('example')
      .description(
        "the article's experiments: tune an MLP on Fashion-MNIST with Bayesian optimisation (a trial per core at once), retrain the best, score it on the test set (resumable); --compare tuners over seeds",
      ),
  ).action((flags: ExampleFlags) => {
    const options = parseExampleFlags(flags);
    if (flags.join === true) return joinExample(options, parseDeadline(flags.deadline));
    if (options.compareMember) return runCompareMember(options);
    return options.compare === undefined ? runExample(options) : runCompare(options);
  });
}
