/** Loading and checking user problems from an ES module (`--problem-file`). */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HypertunerError, SearchSpace } from '../../src/space/index.js';
import type { BenchmarkProblem } from './problem.js';

function fail(path: string, detail: string): never {
  throw new HypertunerError('BENCH_INVALID_PROBLEM', `Problem file ${path}: ${detail}`, {
    field: 'problem-file',
  });
}

/** Checks one problem's shape; throws `BENCH_INVALID_PROBLEM` naming the field. */
export function validateProblem(value: unknown, where: string): BenchmarkProblem {
  if (typeof value !== 'object' || value === null)
    fail(where, 'each problem must be an object { name, space, evaluate, minimum }.');
  const p = value as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name.length === 0)
    fail(where, "'name' must be a non-empty string.");
  const space = p.space as { parameters?: unknown } | undefined;
  if (
    typeof p.space !== 'function' &&
    !(p.space instanceof SearchSpace) &&
    !(typeof space === 'object' && Array.isArray(space?.parameters))
  ) {
    fail(
      where,
      `problem '${p.name}': 'space' must be a function (hp) => void declaring parameters, or a SearchSpace.`,
    );
  }
  if (typeof p.evaluate !== 'function')
    fail(where, `problem '${p.name}': 'evaluate' must be a function (params) => number.`);
  if (typeof p.minimum !== 'number' || !Number.isFinite(p.minimum))
    fail(where, `problem '${p.name}': 'minimum' must be a finite number.`);
  const objectives = p.objectives ?? 1;
  if (typeof objectives !== 'number' || !Number.isInteger(objectives) || objectives < 1)
    fail(where, `problem '${p.name}': 'objectives' must be an integer >= 1.`);
  if (
    objectives > 1 &&
    !(
      Array.isArray(p.referencePoint) &&
      p.referencePoint.length === objectives &&
      p.referencePoint.every((v) => typeof v === 'number' && Number.isFinite(v))
    )
  ) {
    fail(
      where,
      `problem '${p.name}': 'referencePoint' must be ${objectives} finite numbers (one per objective).`,
    );
  }
  if (p.constraints !== undefined && typeof p.constraints !== 'function')
    fail(where, `problem '${p.name}': 'constraints' must be a function (params) => number[].`);
  return value as BenchmarkProblem;
}

/** The problems a module exports: `export default problem` or `export default [problem, ...]`. */
export async function loadProblemFile(path: string): Promise<BenchmarkProblem[]> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  const exported = module.default;
  if (exported === undefined)
    fail(path, 'it must have a default export: a problem or an array of problems.');
  const list = Array.isArray(exported) ? exported : [exported];
  return list.map((item) => validateProblem(item, path));
}
