/**
 * Maximising the acquisition over the search cube: a scrambled-Halton candidate set spread
 * over the whole cube, plus Gaussian perturbations (at several scales) of the best observed
 * points; then a compass (pattern) search from the best few candidates, which needs no
 * gradient and so works on the decoded, piecewise-constant features of grid and choice
 * parameters as well as on continuous ones. The best candidate whose configuration is not
 * used yet wins.
 */
import { ScrambledHalton } from '../../math/halton.js';
import type { Random } from '../../math/random.js';
import type { ParamValue } from '../../space/index.js';
import type { SpaceEncoding } from './space-encoding.js';

/** Scores m feature rows (higher is better) into `out`. */
export type BatchScore = (features: Float64Array, m: number, out: Float64Array) => void;

export interface CandidateSearch {
  readonly encoding: SpaceEncoding;
  readonly score: BatchScore;
  readonly random: Random;
  /** Seed of this ask's Halton set. */
  readonly haltonSeed: number;
  readonly numCandidates: number;
  /** Cube points of the best observations, best first (centres of the local candidates). */
  readonly anchors: readonly Float64Array[];
  /** How many of the best candidates get a local refinement. */
  readonly numRefine: number;
  /** Whether a configuration may not be proposed (already tried, running or refused). */
  readonly isUsed: (params: Record<string, ParamValue>) => boolean;
}

const LOCAL_SCALES = [0.2, 0.05, 0.01, 0.002];
const INITIAL_STEP = 0.05;
const MIN_STEP = 1e-5;
const MAX_PATTERN_ITERATIONS = 40;

function clampUnit(v: number): number {
  return v < 0 ? 0 : v > 1 - 1e-12 ? 1 - 1e-12 : v;
}

/** Features of m cube points, scored. */
function scoreCube(search: CandidateSearch, cube: Float64Array, m: number, features: Float64Array, out: Float64Array): void {
  const { encoding } = search;
  const D = encoding.cubeDimension;
  const F = encoding.featureDimension;
  for (let i = 0; i < m; i++) encoding.cubeToFeatures(cube, i * D, features, i * F);
  search.score(features, m, out);
}

/** Compass search from `start` (modified in place); returns the final score. */
function refine(search: CandidateSearch, start: Float64Array, startScore: number): number {
  const D = search.encoding.cubeDimension;
  const F = search.encoding.featureDimension;
  const neighbours = new Float64Array(2 * D * D);
  const features = new Float64Array(2 * D * F);
  const scores = new Float64Array(2 * D);
  let current = startScore;
  let step = INITIAL_STEP;
  for (let iteration = 0; iteration < MAX_PATTERN_ITERATIONS && step >= MIN_STEP; iteration++) {
    for (let k = 0; k < D; k++) {
      for (let sign = 0; sign < 2; sign++) {
        const row = (2 * k + sign) * D;
        neighbours.set(start, row);
        neighbours[row + k] = clampUnit((start[k] as number) + (sign === 0 ? step : -step));
      }
    }
    scoreCube(search, neighbours, 2 * D, features, scores);
    let bestIndex = -1;
    let bestScore = current;
    for (let j = 0; j < 2 * D; j++) {
      if ((scores[j] as number) > bestScore) {
        bestScore = scores[j] as number;
        bestIndex = j;
      }
    }
    if (bestIndex < 0) {
      step *= 0.5;
      continue;
    }
    const k = bestIndex >> 1;
    start[k] = neighbours[bestIndex * D + k] as number;
    current = bestScore;
  }
  return current;
}

/** The best unused configuration found, or undefined when every candidate is used. */
export function searchCandidates(search: CandidateSearch): Record<string, ParamValue> | undefined {
  const { encoding, random, anchors } = search;
  const D = encoding.cubeDimension;
  const F = encoding.featureDimension;
  const numLocal = anchors.length === 0 ? 0 : Math.floor(search.numCandidates / 4);
  const numGlobal = search.numCandidates - numLocal;
  const m = numGlobal + numLocal;
  const cube = new Float64Array(m * D);
  cube.set(new ScrambledHalton(D, search.haltonSeed).points(0, numGlobal));
  for (let i = 0; i < numLocal; i++) {
    const anchor = anchors[i % anchors.length] as Float64Array;
    const scale = LOCAL_SCALES[Math.floor(i / anchors.length) % LOCAL_SCALES.length] as number;
    const row = (numGlobal + i) * D;
    for (let k = 0; k < D; k++) cube[row + k] = clampUnit((anchor[k] as number) + scale * random.normal());
  }
  const scores = new Float64Array(m);
  scoreCube(search, cube, m, new Float64Array(m * F), scores);

  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const results: { point: Float64Array; score: number }[] = [];
  const startsTaken = new Set<string>();
  for (const i of order) {
    if (startsTaken.size >= search.numRefine) break;
    const point = cube.slice(i * D, (i + 1) * D);
    const key = JSON.stringify(encoding.decodeCube(point));
    if (startsTaken.has(key)) continue;
    startsTaken.add(key);
    const score = refine(search, point, scores[i] as number);
    results.push({ point, score });
  }
  for (const i of order) results.push({ point: cube.subarray(i * D, (i + 1) * D), score: scores[i] as number });
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
