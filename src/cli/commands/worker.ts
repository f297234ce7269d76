/**
 * `hypertuner worker <program> --study NAME`: joins an existing study (on this machine or
 * another one sharing its storage) and runs its trials until the study is done, with the
 * settings the study was started with unless --tuner, --seed or --max-trials say otherwise
 * (`search --workers N` passes its own).
 */
import type { Command } from 'commander';
import { Study } from '../../index.js';
import { createOracle } from '../../oracles/index.js';
import { parseWholeNumber } from '../parse.js';
import { loadProgram } from '../program-module.js';
import { searchProgress } from '../progress.js';
import { addLoopOptions, loopOptions, runLoop, workerOptions } from '../search-loop.js';
import type { LoopFlags } from '../search-loop.js';
import { onStopSignals } from '../stop-signals.js';
import { openExistingStorage, requireStudy, storageUrlOf } from '../storage-flag.js';
import { studySettings } from '../study-settings.js';

interface WorkerFlags extends LoopFlags {
  readonly study: string;
  readonly tuner?: string;
  readonly maxTrials?: string;
  readonly seed?: string;
  readonly quiet?: boolean;
}

export function registerWorkerCommand(program: Command): void {
  addLoopOptions(
    program
      .command('worker <program>')
      .description('run trials of an existing study until it is done (many workers may share it)')
      .requiredOption('--study <name>', 'the study to work on')
      .option('--worker-id <id>', 'name of this worker in the study (default host:pid:random)')
      .option(
        '--tuner <name>',
        "auto, random, grid, bayesian, tpe, cmaes, qmc or nsga2 (default: the study's)",
      )
      .option('--max-trials <n>', "the study's total number of trials (default: the study's)")
      .option('--seed <n>', "seed of the oracle (default: the study's)")
      .option('--quiet', 'no summary at the end'),
  ).action(async (path: string, flags: WorkerFlags) => {
    const storageUrl = storageUrlOf(flags.storage);
    const identity = workerOptions(flags);
    const flagSeed = flags.seed === undefined ? undefined : parseWholeNumber(flags.seed, 'seed', 0);
    const flagMaxTrials =
      flags.maxTrials === undefined
        ? undefined
        : parseWholeNumber(flags.maxTrials, 'max-trials', 1);
    const loaded = await loadProgram(path);
    // the settings the study was started with, unless the flags say otherwise
    const probe = await openExistingStorage(storageUrl);
    const attrs = await requireStudy(probe, flags.study)
      .then((record) => record.userAttrs)
      .finally(() => probe.close());
    const saved = studySettings(attrs);
    const oracleName = flags.tuner ?? saved.tuner ?? 'auto';
    const seed = flagSeed ?? saved.seed ?? 0;
    const study = await Study.open({
      storage: storageUrl,
      name: flags.study,
      oracle: createOracle(oracleName, { seed }),
      seed,
      ...(loaded.constraints === undefined ? {} : { constraints: loaded.constraints }),
      ...identity,
    });
    const maxTrials = flagMaxTrials ?? saved.maxTrials;
    const controller = new AbortController();
    try {
      const callbacks = flags.quiet === true ? {} : searchProgress({ plain: flags.plain === true });
      const options = loopOptions(flags, maxTrials, controller.signal, callbacks);
      if (flags.quiet === true) {
        // a worker of `search --workers`: Ctrl+C reaches it too (same process group)
        const removeListeners = onStopSignals(() => controller.abort());
        try {
          await study.optimize(loaded.run, options);
        } finally {
          removeListeners();
        }
      } else {
        await runLoop(study, loaded, options, flags, controller);
      }
    } finally {
      await study.close();
    }
  });
}
