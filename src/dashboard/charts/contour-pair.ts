/**
 * The pair of parameters a contour plot shows, and the forest it draws. By default the first
 * pair, in order of importance, that two or more completed trials used together with each
 * parameter taking at least two values; with only x (or only y) chosen, the other is the first
 * such partner. A pair that every completed trial has is drawn from the importance forest (the
 * other parameters averaged out); a pair of conditional parameters from a forest fitted on the
 * trials that used both, so nothing is drawn from trials that never had them.
 */
import type { Parameter } from '../../space/index.js';
import { HypertunerError } from '../../space/index.js';
import type { Trial } from '../../trials/index.js';
import { buildFeatureMatrix } from '../../analysis/feature-matrix.js';
import type { ImportanceResult } from '../../analysis/importance.js';
import type { RandomForest } from '../../analysis/random-forest.js';
import { fitRandomForest } from '../../analysis/random-forest.js';
import { valueOf } from './chart-common.js';
import { plural } from '../../plural.js';

export interface ContourFit {
  readonly x: Parameter;
  readonly y: Parameter;
  readonly forest: RandomForest;
  /** The forest's dimensions of x and y. */
  readonly dimX: number;
  readonly dimY: number;
  /** Completed trials that used both parameters (the dots). */
  readonly trials: readonly Trial[];
  /** Completed trials in all. */
  readonly completed: number;
  /** How many trials the forest was fitted on. */
  readonly fittedOn: number;
  /** Whether the forest was fitted on the trials that used both (conditional parameters). */
  readonly subset: boolean;
}

/** Why no contour can be drawn, in words that say what to choose instead. */
export interface ContourUnavailable {
  readonly reason: string;
}

function distinct(trials: readonly Trial[], name: string): number {
  return new Set(trials.map((t) => String(t.params[name]))).size;
}

function named(candidates: readonly Parameter[], name: string, field: string): Parameter {
  const found = candidates.find((p) => p.name === name);
  if (found === undefined)
    throw new HypertunerError(
      'CHART_INVALID_PARAMETER',
      `${field} must name a parameter of the study (${candidates.map((p) => p.name).join(', ')}); got '${name}'.`,
      { field },
    );
  return found;
}

export function chooseContourPair(
  parameters: readonly Parameter[],
  trials: readonly Trial[],
  importance: ImportanceResult,
  options: { readonly objectiveIndex: number; readonly x?: string; readonly y?: string },
): ContourFit | ContourUnavailable {
  const ranked = importance.importances.map((i) => i.name);
  const candidates = parameters
    .filter((p) => p.kind !== 'fixed')
    .sort((a, b) => {
      const ra = ranked.indexOf(a.name);
      const rb = ranked.indexOf(b.name);
      return (ra < 0 ? Infinity : ra) - (rb < 0 ? Infinity : rb);
    });
  const completed = trials.filter(
    (t) => t.status === 'COMPLETED' && valueOf(t, options.objectiveIndex) !== undefined,
  );
  const shared = (a: Parameter, b: Parameter): Trial[] =>
    completed.filter((t) => t.params[a.name] !== undefined && t.params[b.name] !== undefined);
  const usable = (a: Parameter, b: Parameter): boolean => {
    if (a === b) return false;
    const both = shared(a, b);
    return both.length >= 2 && distinct(both, a.name) >= 2 && distinct(both, b.name) >= 2;
  };
  const x = options.x === undefined ? undefined : named(candidates, options.x, 'x');
  const y = options.y === undefined ? undefined : named(candidates, options.y, 'y');
  if (x !== undefined && x === y)
    throw new HypertunerError(
      'CHART_INVALID_PARAMETER',
      'x and y must be two different parameters; choose another one for y.',
      { field: 'y' },
    );
  let pair: [Parameter, Parameter] | undefined;
  if (x !== undefined && y !== undefined) {
    if (!usable(x, y)) {
      const both = shared(x, y);
      const flat = [x, y].filter((p) => distinct(both, p.name) < 2).map((p) => p.name);
      return {
        reason:
          both.length < 2
            ? `${plural(both.length, 'completed trial')} used both ${x.name} and ${y.name} (a contour needs 2); choose parameters that are active in the same trials.`
            : `${flat.join(' and ')} took a single value in the ${both.length} completed trials that used both ${x.name} and ${y.name}; choose another pair.`,
      };
    }
    pair = [x, y];
  } else if (x !== undefined) {
    const partner = candidates.find((p) => usable(x, p));
    if (partner !== undefined) pair = [x, partner];
  } else if (y !== undefined) {
    const partner = candidates.find((p) => usable(p, y));
    if (partner !== undefined) pair = [partner, y];
  } else {
    for (const [i, a] of candidates.entries()) {
      const partner = candidates.slice(i + 1).find((b) => usable(a, b));
      if (partner !== undefined) {
        pair = [a, partner];
        break;
      }
    }
  }
  if (pair === undefined) {
    const chosen = x ?? y;
    return {
      reason:
        chosen === undefined
          ? `A contour plot needs two parameters that vary together in at least two completed trials (${completed.length} completed so far).`
          : `No other parameter varies in the completed trials that used ${chosen.name}; choose another parameter.`,
    };
  }
  const [px, py] = pair;
  const both = shared(px, py);
  const inMatrix = importance.matrix.parameters;
  const dimX = inMatrix.findIndex((p) => p.name === px.name);
  const dimY = inMatrix.findIndex((p) => p.name === py.name);
  const common = { x: px, y: py, trials: both, completed: completed.length };
  const always = (dim: number): boolean => importance.matrix.inactiveShare[dim] === 0;
  if (dimX >= 0 && dimY >= 0 && always(dimX) && always(dimY) && importance.trialsUsed >= 2)
    return {
      ...common,
      forest: importance.forest,
      dimX,
      dimY,
      fittedOn: importance.trialsUsed,
      subset: false,
    };
  const matrix = buildFeatureMatrix([px, py], both, {
    objectiveIndex: options.objectiveIndex,
    maxRows: 1000,
    seed: 0,
  });
  const forest = fitRandomForest(matrix.x, matrix.y, 2, { trees: 32, seed: 0, minSamplesLeaf: 1 });
  return { ...common, forest, dimX: 0, dimY: 1, fittedOn: matrix.y.length, subset: true };
}
