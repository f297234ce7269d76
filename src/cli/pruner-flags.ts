/**
 * `--pruner median|asha|patient|none` and the main options of each, for `search` and `worker`.
 * Without `--pruner`, the pruner the program exports (if any) decides; `none` turns it off.
 */
import type { Command } from 'commander';
import { HypertunerError, MedianPruner, PatientPruner, SuccessiveHalvingPruner } from '../index.js';
import type { Pruner } from '../index.js';
import { parseWholeNumber } from './parse.js';

export const PRUNER_NAMES = ['median', 'asha', 'patient', 'none'] as const;
type PrunerName = (typeof PRUNER_NAMES)[number];

export interface PrunerFlags {
  readonly pruner?: string;
  readonly startupTrials?: string;
  readonly warmupSteps?: string;
  readonly minResource?: string;
  readonly reductionFactor?: string;
  readonly patience?: string;
  readonly minDelta?: string;
}

/** Each option flag, the pruner it belongs to, and its key in {@link PrunerFlags}. */
const OPTION_FLAGS: readonly (readonly [keyof PrunerFlags, string, PrunerName])[] = [
  ['startupTrials', 'startup-trials', 'median'],
  ['warmupSteps', 'warmup-steps', 'median'],
  ['minResource', 'min-resource', 'asha'],
  ['reductionFactor', 'reduction-factor', 'asha'],
  ['patience', 'patience', 'patient'],
  ['minDelta', 'min-delta', 'patient'],
];

export function addPrunerOptions(command: Command): Command {
  return command
    .option(
      '--pruner <name>',
      "stop unpromising trials from what they report: median, asha (successive halving), patient (early stopping), or none (default: the program's pruner, else none)",
    )
    .option('--startup-trials <n>', 'median: finished trials before any pruning (default: 5)')
    .option('--warmup-steps <n>', 'median: steps before a trial can be pruned (default: 0)')
    .option('--min-resource <n>', 'asha: steps of the first rung (default: 1)')
    .option('--reduction-factor <n>', 'asha: the best 1/n go on at each rung (default: 4)')
    .option('--patience <n>', 'patient: steps without improvement tolerated (default: 3)')
    .option('--min-delta <x>', 'patient: smallest change that counts as improvement (default: 0)');
}

function numberFlag(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--${flag} must be a number >= 0, got '${text}'.`,
      { field: flag },
    );
  return value;
}

/** The pruner the flags ask for; `fallback` (the program's) when `--pruner` is absent. */
export function prunerOf(flags: PrunerFlags, fallback: Pruner | undefined): Pruner | undefined {
  const name = flags.pruner as PrunerName | undefined;
  if (name !== undefined && !PRUNER_NAMES.includes(name))
    throw new HypertunerError(
      'OPTIONS_INVALID',
      `--pruner must be one of ${PRUNER_NAMES.join(', ')}, got '${flags.pruner}'.`,
      { field: 'pruner' },
    );
  for (const [key, flag, owner] of OPTION_FLAGS) {
    if (flags[key] !== undefined && name !== owner) {
      throw new HypertunerError(
        'OPTIONS_INVALID',
        `--${flag} is an option of --pruner ${owner}, got ${name === undefined ? 'no --pruner' : `--pruner ${name}`}.`,
        { field: flag },
      );
    }
  }
  const whole = (key: keyof PrunerFlags, flag: string, min: number): number | undefined => {
    const text = flags[key];
    return text === undefined ? undefined : parseWholeNumber(text, flag, min);
  };
  switch (name) {
    case undefined:
      return fallback;
    case 'none':
      return undefined;
    case 'median': {
      const nStartupTrials = whole('startupTrials', 'startup-trials', 0);
      const nWarmupSteps = whole('warmupSteps', 'warmup-steps', 0);
      return new MedianPruner({
        ...(nStartupTrials === undefined ? {} : { nStartupTrials }),
        ...(nWarmupSteps === undefined ? {} : { nWarmupSteps }),
      });
    }
    case 'asha': {
      const minResource = whole('minResource', 'min-resource', 1);
      const reductionFactor = whole('reductionFactor', 'reduction-factor', 2);
      return new SuccessiveHalvingPruner({
        ...(minResource === undefined ? {} : { minResource }),
        ...(reductionFactor === undefined ? {} : { reductionFactor }),
      });
    }
    case 'patient':
      return new PatientPruner({
        patience: whole('patience', 'patience', 0) ?? 3,
        ...(flags.minDelta === undefined
          ? {}
          : { minDelta: numberFlag(flags.minDelta, 'min-delta') }),
      });
  }
}

/** The pruner flags as given, for worker processes. */
export function forwardedPrunerFlags(flags: PrunerFlags): string[] {
  const pairs: [string, string | undefined][] = [
    ['--pruner', flags.pruner],
    ...OPTION_FLAGS.map(([key, flag]): [string, string | undefined] => [`--${flag}`, flags[key]]),
  ];
  return pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}
