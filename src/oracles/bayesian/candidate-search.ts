/**
 * Maximising the acquisition over the search cube: a scrambled-Halton candidate set spread
 * over the whole cube, plus Gaussian perturbations (at several scales) of the best observed
 * points; then local refinement of the best few candidates: L-BFGS on the acquisition's
 * analytic gradient when the space is all continuous Floats, else a compass (pattern) search,
 * which needs no gradient and so works on the decoded, piecewise-constant features of grid and
 * choice parameters. The best candidate whose configuration is not used yet wins.
 */
import type { ScrambledHalton } from '../../math/halton.js';
import { minimizeLbfgs } from '../../math/lbfgs.js';
import type { Random } from '../../math/random.js';
import type { ParamValue } from '../../space/index.js';
import type { SpaceEncoding } from './space-encoding.js';
import type { TrustRegion } from './trust-region.js';
import { fillRegion } from './trust-region.js';

/** Scores m feature rows (higher is better) into `out`. */
export type BatchScore = (features: Float64Array, m: number, out: Float64Array) => void;

/** The score of one feature row, and its gradient with respect to the row into `gradient`. */
export type ScoreWithGradient = (features: Float64Array, gradient: Float64Array) => number;

export interface CandidateSearch {
  readonly encoding: SpaceEncoding;
  readonly score: BatchScore;
  /** When given and the encoding is continuous, refinement is L-BFGS on the gradient. */
  readonly scoreWithGradient?: ScoreWithGradient;
  readonly random: Random;
  /** The scrambled Halton sequence of the oracle, and where this ask's slice of it starts. */
  readonly halton: ScrambledHalton;
  readonly haltonStart: number;
  readonly numCandidates: number;
  /** Cube points of the best observations, best first (centres of the local candidates). */
  readonly anchors: readonly Float64Array[];
  /** How many of the best candidates get a local refinement. */
  readonly numRefine: number;
  /** Whether a configuration may not be proposed (already tried, running or refused). */
  readonly isUsed: (params: Record<string, ParamValue>) => boolean;
  /** When given (and there are anchors), half of the local candidates are drawn uniformly in this box instead (see `trust-region.ts`). */
  readonly region?: TrustRegion;
}

const LOCAL_SCALES = [0.2, 0.05, 0.01, 0.002];
const INITIAL_STEP = 0.05;
const MIN_STEP = 1e-5;
const MAX_PATTERN_ITERATIONS = 30;
const MAX_STEP = INITIAL_STEP;
const MAX_GRADIENT_ITERATIONS = 40;
const WALL = 1e4;

/** Folds v back into [0, 1] by reflection at the bounds (clamping would pile candidates onto the faces). */
function reflectUnit(v: number): number {
  let r = v % 2;
  if (r < 0) r += 2;
  return clampUnit(r > 1 ? 2 - r : r);
}

function clampUnit(v: number): number {
  return v < 0 ? 0 : v > 1 - 1e-12 ? 1 - 1e-12 : v;
}

/** Features of m cube points, scored. */
function scoreCube(
  search: CandidateSearch,
  cube: Float64Array,
  m: number,
  features: Float64Array,
  out: Float64Array,
): void {
  const { encoding } = search;
  const D = encoding.cubeDimension;
  const F = encoding.featureDimension;
  for (let i = 0; i < m; i++) encoding.cubeToFeatures(cube, i * D, features, i * F);
  search.score(features, m, out);
}

/**
 * Compass search from `start` (modified in place); returns the final score. A move that does
 * not change the decoded features (a step inside one cell of a stepped Int, a Choice or a
 * Boolean, which is most moves in a mixed space) scores as the current point without a
 * prediction: only neighbours with new features are sent to the model.
 */
function refine(search: CandidateSearch, start: Float64Array, startScore: number): number {
  const { encoding } = search;
  const D = encoding.cubeDimension;
  const F = encoding.featureDimension;
  const neighbour = new Float64Array(D);
  const current = new Float64Array(F);
  const features = new Float64Array(2 * D * F);
  const moves = new Int32Array(2 * D);
  const scores = new Float64Array(2 * D);
  let score = startScore;
  let step = INITIAL_STEP;
  encoding.cubeToFeatures(start, 0, current, 0);
  for (let iteration = 0; iteration < MAX_PATTERN_ITERATIONS && step >= MIN_STEP; iteration++) {
    let count = 0;
    for (let move = 0; move < 2 * D; move++) {
      const k = move >> 1;
      neighbour.set(start);
      neighbour[k] = clampUnit((start[k] as number) + (move % 2 === 0 ? step : -step));
      encoding.cubeToFeatures(neighbour, 0, features, count * F);
      if (!sameRow(features, count * F, current, F)) moves[count++] = move;
    }
    let bestMove = -1;
    let bestScore = score;
    if (count > 0) {
      search.score(features, count, scores);
      for (let j = 0; j < count; j++) {
        if ((scores[j] as number) > bestScore) {
          bestScore = scores[j] as number;
          bestMove = moves[j] as number;
        }
      }
    }
    if (bestMove < 0) {
      step *= 0.5;
      continue;
    }
    const k = bestMove >> 1;
    start[k] = clampUnit((start[k] as number) + (bestMove % 2 === 0 ? step : -step));
    encoding.cubeToFeatures(start, 0, current, 0);
    score = bestScore;
    step = Math.min(MAX_STEP, 1.5 * step);
  }
  return score;
}

/** Whether F features of `rows` from `offset` equal `row`'s. */
function sameRow(rows: Float64Array, offset: number, row: Float64Array, F: number): boolean {
  for (let f = 0; f < F; f++) if (rows[offset + f] !== row[f]) return false;
  return true;
}

/**
 * L-BFGS ascent of a differentiable score in the cube (features = cube coordinates), with
 * a steep quadratic wall outside [0, 1]. `start` is overwritten with the result (clamped).
 */
function refineWithGradient(
  search: CandidateSearch,
  scoreWithGradient: ScoreWithGradient,
  start: Float64Array,
  startScore: number,
): number {
  const D = search.encoding.cubeDimension;
  const clamped = new Float64Array(D);
  const inner = new Float64Array(D);
  const objective = (u: Float64Array, gradient: Float64Array): number => {
    let penalty = 0;
    for (let k = 0; k < D; k++) clamped[k] = clampUnit(u[k] as number);
    const value = scoreWithGradient(clamped, inner);
    for (let k = 0; k < D; k++) {
      const outside = (u[k] as number) - (clamped[k] as number);
      penalty += 0.5 * WALL * outside * outside;
      gradient[k] = outside !== 0 ? WALL * outside : -(inner[k] as number);
    }
    return Number.isFinite(value) ? -value + penalty : Infinity;
  };
  const result = minimizeLbfgs(objective, start, {
    maxIterations: MAX_GRADIENT_ITERATIONS,
    relativeTolerance: 1e-10,
    gradientTolerance: 1e-8,
  });
  if (!(-result.value > startScore)) return startScore;
  for (let k = 0; k < D; k++) start[k] = clampUnit(result.x[k] as number);
  return scoreWithGradient(start, inner);
}

/** The best unused configuration found, or undefined when every candidate is used. */
export function searchCandidates(search: CandidateSearch): Record<string, ParamValue> | undefined {
  const { encoding, random, anchors } = search;
  const D = encoding.cubeDimension;
  const F = encoding.featureDimension;
  const numLocal = anchors.length === 0 ? 0 : Math.floor(search.numCandidates / 2);
  const numGlobal = search.numCandidates - numLocal;
  const m = numGlobal + numLocal;
  const cube = new Float64Array(m * D);
  for (let i = 0; i < numGlobal; i++) search.halton.point(search.haltonStart + i, cube, i * D);
  for (let i = 0; i < numLocal; i++) {
    const anchor = anchors[i % anchors.length] as Float64Array;
    const scale = LOCAL_SCALES[Math.floor(i / anchors.length) % LOCAL_SCALES.length] as number;
    const row = (numGlobal + i) * D;
    for (let k = 0; k < D; k++)
      cube[row + k] = reflectUnit((anchor[k] as number) + scale * random.normal());
  }
  if (search.region !== undefined && numLocal > 0)
    fillRegion(search.region, cube, numGlobal, Math.floor(numLocal / 2), random);
  const scores = new Float64Array(m);
  scoreCube(search, cube, m, new Float64Array(m * F), scores);

  const order = Array.from({ length: m }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  const results: { point: Float64Array; score: number }[] = [];
  const startsTaken = new Set<string>();
  for (const i of order) {
    if (startsTaken.size >= search.numRefine) break;
    const point = cube.slice(i * D, (i + 1) * D);
    const key = JSON.stringify(encoding.decodeCube(point));
    if (startsTaken.has(key)) continue;
    startsTaken.add(key);
    const score =
      search.scoreWithGradient !== undefined && encoding.continuous
        ? refineWithGradient(search, search.scoreWithGradient, point, scores[i] as number)
        : refine(search, point, scores[i] as number);
    results.push({ point, score });
  }
  for (const i of order)
    results.push({ point: cube.subarray(i * D, (i + 1) * D), score: scores[i] as number });
  results.sort((a, b) => b.score - a.score);
  for (const { point } of results) {
    const params = encoding.decodeCube(point);
    if (!search.isUsed(params)) return params;
  }
  return undefined;
}

/** The best of an explicit list of configurations (a small finite space), or undefined when empty. */
export function bestOf(
  encoding: SpaceEncoding,
  score: BatchScore,
  configurations: readonly Record<string, ParamValue>[],
): Record<string, ParamValue> | undefined {
  const m = configurations.length;
  if (m === 0) return undefined;
  const F = encoding.featureDimension;
  const features = new Float64Array(m * F);
  configurations.forEach((c, i) => encoding.encodeValues(c, features, i * F));
  const scores = new Float64Array(m);
  score(features, m, scores);
  let best = 0;
  for (let i = 1; i < m; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
  return configurations[best];
}
