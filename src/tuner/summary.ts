/**
 * Text summaries in the shape Keras Tuner prints them: the search space, and the best trials.
 * Names and values in them are shown with control characters escaped (`terminalText`): they
 * are printed to terminals.
 */
import type { SearchSpace } from '../space/index.js';
import { describeRange } from '../space/index.js';
import type { StudyRecord } from '../storage/index.js';
import { terminalText } from '../storage/index.js';
import type { Trial } from '../trials/index.js';
import { plural } from '../plural.js';

/** One line per parameter: name, kind, range, conditions. */
export function formatSearchSpaceSummary(space: SearchSpace): string {
  const lines = [`Search space summary`, `Default search space size: ${space.size}`];
  for (const p of space.parameters) {
    const conditions = p.conditions
      .map((c) => ` if ${c.parentName} in [${c.values.map((v) => JSON.stringify(v)).join(', ')}]`)
      .join('');
    lines.push(
      terminalText(
        `${p.name} (${p.kind}): ${describeRange(p)}, default ${JSON.stringify(p.default)}${conditions}`,
      ),
    );
  }
  return lines.join('\n');
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

/** The best trials with their parameters and scores. */
export function formatResultsSummary(
  study: StudyRecord,
  best: readonly Trial[],
  n: number,
): string {
  const objectives = study.objectives.map((o) => `${o.name} (${o.direction})`).join(', ');
  const lines = [
    'Results summary',
    `Study: ${terminalText(study.name)}`,
    `Objective: ${terminalText(objectives)}`,
    study.objectives.length > 1
      ? `Pareto front: ${plural(best.length, 'trial')}`
      : Math.min(n, best.length) === 1
        ? 'Showing the best trial'
        : `Showing the ${Math.min(n, best.length)} best trials`,
  ];
  for (const trial of best) {
    lines.push('', `Trial ${String(trial.number).padStart(4, '0')} summary`, 'Hyperparameters:');
    for (const [name, value] of Object.entries(trial.params))
      lines.push(terminalText(`${name}: ${String(value)}`));
    const score = (trial.values ?? []).map(formatValue).join(', ');
    lines.push(`Score: ${score}`);
  }
  return lines.join('\n');
}
