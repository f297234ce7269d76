/**
 * TPE with constraints, as Optuna's constrained TPE: when trials carry constraint values (see
 * src/trials/constraints.ts), feasible trials rank before infeasible ones, which rank by their
 * total violation (a finished trial without constraint values counts as violating infinitely).
 * The good group is then the best feasible trials, or, while fewer are feasible than it needs,
 * all of them and the least violating others.
 */
import type { Trial } from '../../trials/index.js';
import { hasConstraints, trialViolation } from '../../trials/index.js';

/** `ranked` (best first) reordered feasible first, then by violation; unchanged without constraints. */
export function feasibleFirst(
  ranked: readonly Trial[],
  trials: readonly Trial[],
): readonly Trial[] {
  if (!hasConstraints(trials)) return ranked;
  return ranked
    .map((trial, rank) => ({ trial, rank, violation: trialViolation(trial, true) }))
    .sort((a, b) => a.violation - b.violation || a.rank - b.rank)
    .map(({ trial }) => trial);
}
