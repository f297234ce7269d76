/**
 * A trial's score from its training, as Keras Tuner takes it: what `HyperModel.fit` returned
 * when that is a number (the objective's value) or a metrics record containing the objective;
 * otherwise the best epoch the tuner's callbacks saw; otherwise (a custom `fit` that did not pass
 * the callbacks on) the best epoch of the History it returned.
 */
import { FailedTrialError } from '../../tuner/index.js';
import type { Objective } from '../../trials/index.js';
import { withMetricAliases } from './epoch-tracker.js';
import type { EpochTracker } from './epoch-tracker.js';

/** A returned number, or a returned record holding the objective (with both metric spellings). */
function returnedMetrics(
  result: unknown,
  objective: Objective,
): Record<string, number> | undefined {
  if (typeof result === 'number') return { [objective.name]: result };
  if (result === null || typeof result !== 'object' || 'history' in result) return undefined;
  const record = withMetricAliases(result as Readonly<Record<string, number>>);
  return typeof record[objective.name] === 'number' ? record : undefined;
}

function scalar(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const tensor = value as { dataSync?: () => ArrayLike<number> } | null;
  return typeof tensor?.dataSync === 'function' ? tensor.dataSync()[0] : undefined;
}

/** The epochs of a returned History (tfjs' `model.fit` or `fitModel`): number and logs of each. */
function historyEpochs(result: unknown): { epoch: number; logs: Record<string, number> }[] {
  if (result === null || typeof result !== 'object' || !('history' in result)) return [];
  const { history, epoch } = result as { history: unknown; epoch?: unknown };
  if (history === null || typeof history !== 'object') return [];
  const logs: Record<string, number>[] = [];
  for (const [name, values] of Object.entries(history as Record<string, unknown>)) {
    if (!Array.isArray(values)) continue;
    for (let i = 0; i < values.length; i++) {
      const value = scalar(values[i]);
      if (value !== undefined) (logs[i] ??= {})[name] = value;
    }
  }
  const numbers = Array.isArray(epoch) ? (epoch as unknown[]) : [];
  return Array.from(logs, (epochLogs, i) => ({
    epoch: typeof numbers[i] === 'number' ? numbers[i] : i,
    logs: withMetricAliases(epochLogs),
  }));
}

function noValueMessage(tracker: EpochTracker): string {
  const { name } = tracker.objective;
  if (tracker.nonFiniteEpochs > 0) {
    const n = tracker.nonFiniteEpochs;
    return (
      `The objective '${name}' was NaN or infinite at every epoch it was logged (${n} epoch${n === 1 ? '' : 's'}): ` +
      'training diverged or the loss cannot be computed. Check the loss function and the data, or lower the learning rate.'
    );
  }
  const seen = tracker.seenNames;
  return (
    `The objective '${name}' never appeared in the training logs${seen.length > 0 ? ` (they have ${seen.join(', ')})` : ''}. ` +
    (name.startsWith('val_')
      ? 'Give search() validationData or validationSplit, or choose another objective.'
      : 'Compile the model with that metric, or choose another objective.')
  );
}

/**
 * The metrics a trial reports, from what `fit` returned and the epochs `tracker` saw; throws a
 * `FailedTrialError` saying why there is none (objective missing, or never finite).
 */
export function trialMetrics(result: unknown, tracker: EpochTracker): Record<string, number> {
  const returned = returnedMetrics(result, tracker.objective);
  if (returned !== undefined) return returned;
  if (tracker.epochs === 0) {
    for (const { epoch, logs } of historyEpochs(result)) tracker.observe(epoch, logs);
  }
  if (tracker.bestLogs !== undefined) return tracker.bestLogs;
  throw new FailedTrialError(noValueMessage(tracker));
}
