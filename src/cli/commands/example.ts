/**
 * `hypertuner example` (what `npm start` runs): the article's experiment. A multilayer
 * perceptron's depth, widths, activations and learning rate are tuned with Bayesian
 * optimisation on Fashion-MNIST (or CIFAR-10, MNIST), running one trial per core at once;
 * the best hyperparameters are then retrained on the whole training set and scored on the
 * test set. The study is kept in SQLite, so running the command again resumes it. The same
 * program, without the flags, is `examples/fashion-mnist-mlp.ts`. The pieces are in
 * `src/cli/example/`.
 */
import type { Command } from 'commander';
import { joinExample } from '../example/join.js';
import { addExampleOptions, parseDeadline, parseExampleFlags } from '../example/options.js';
import type { ExampleFlags } from '../example/options.js';
import { runExample } from '../example/run-example.js';

export function registerExampleCommand(program: Command): void {
  addExampleOptions(
    program
      .command('example')
      .description(
        "the article's experiment: tune an MLP on Fashion-MNIST with Bayesian optimisation (a trial per core at once), retrain the best, score it on the test set (resumable)",
      ),
  ).action((flags: ExampleFlags) => {
    const options = parseExampleFlags(flags);
    return flags.join === true
      ? joinExample(options, parseDeadline(flags.deadline))
      : runExample(options);
  });
}
