/**
 * Loading a user's program for `search` and `worker`: an ES module (JavaScript, or TypeScript:
 * `.ts`, `.mts`, `.cts` are loaded in-process through tsx, no extra tool needed) whose default
 * export is the objective function, or an object `{ run, objective, ... }`. Beside the
 * objective, the program (its default object, or named exports) may give:
 * - `objective`: the metric(s) to optimise (`'val_loss'`, `{name, direction}`, or a list);
 * - `directions`: one direction per value of a result list (Optuna's `directions`), named by
 *   the `objective` list when there is one;
 * - `pruner`: a pruner (`new MedianPruner()`), which `report` asks;
 * - `oracle`: an oracle (`new TpeOracle({...})`) or a tuner name (`'tpe'`); `tuner` is the same;
 * - `fixedParams`: values every trial gets (the oracle proposes the others);
 * - `constraints`: `(trial) => number[]`, each value <= 0 when feasible (see `Study.open`).
 * The command line's flags win over what the program gives.
 */
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HypertunerError, isHypertunerError } from '../index.js';
import type {
  ConstraintsFunction,
  ObjectiveFunction,
  ObjectiveSpec,
  Oracle,
  ParamValues,
  Pruner,
} from '../index.js';
import { ORACLE_NAMES } from '../oracles/index.js';
import { missingPeerOf, peerMissingError } from '../peers.js';

export interface ProgramModule {
  readonly run: ObjectiveFunction;
  /** Each completed trial's constraint values, each <= 0 when feasible (see `Study.open`). */
  readonly constraints?: ConstraintsFunction;
  readonly objective?: ObjectiveSpec | readonly ObjectiveSpec[];
  readonly pruner?: Pruner;
  /** An oracle object the program made. */
  readonly oracle?: Oracle;
  /** A tuner (oracle) name the program gave (`'tpe'`). */
  readonly tuner?: string;
  readonly fixedParams?: ParamValues;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

let typeScriptLoader: Promise<void> | undefined;

/** Whether this process already loads TypeScript (run through tsx, e.g. from source). */
function loadsTypeScript(): boolean {
  const flags = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return flags.some((flag) => /(^|[/\\])tsx([/\\]|$)|^tsx$/.test(flag));
}

/** Registers tsx's loaders (ES modules and CommonJS) in this process, once. */
function registerTypeScript(): Promise<void> {
  typeScriptLoader ??= (async () => {
    if (loadsTypeScript()) return;
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })();
  return typeScriptLoader;
}

function invalid(path: string, what: string): HypertunerError {
  return new HypertunerError('PROGRAM_INVALID', `${path}: ${what}`, { field: 'program' });
}

type Exports = Readonly<Record<string, unknown>>;

/** The field `name` of the default object, else the named export. */
function pick(fromDefault: Exports, named: Exports, name: string): unknown {
  return fromDefault[name] ?? named[name];
}

function isObject(value: unknown): value is Exports {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `directions` with the names of `objective` (or value_0, value_1, ...). */
function withDirections(
  path: string,
  objective: unknown,
  directions: unknown,
): ObjectiveSpec | readonly ObjectiveSpec[] | undefined {
  if (directions === undefined) return objective as ObjectiveSpec | readonly ObjectiveSpec[];
  if (
    !Array.isArray(directions) ||
    directions.length === 0 ||
    !directions.every((d) => ['minimize', 'maximize', 'min', 'max'].includes(d as string))
  ) {
    throw invalid(
      path,
      `export 'directions' must be a list of 'minimize' or 'maximize', got ${JSON.stringify(directions)}.`,
    );
  }
  const names = Array.isArray(objective) ? objective : objective === undefined ? [] : [objective];
  if (names.length > 0 && names.length !== directions.length) {
    throw invalid(
      path,
      `export 'directions' has ${directions.length} entries for ${names.length} objectives; give one direction per objective.`,
    );
  }
  return (directions as ('minimize' | 'maximize')[]).map((direction, i) => {
    const given: unknown = names[i];
    const name = typeof given === 'string' ? given : isObject(given) ? given['name'] : undefined;
    return { name: typeof name === 'string' ? name : `value_${i}`, direction };
  });
}

/** Checks the optional exports and gathers them. */
function programOf(
  path: string,
  run: ObjectiveFunction,
  d: Exports,
  named: Exports,
): ProgramModule {
  const pruner = pick(d, named, 'pruner');
  if (pruner !== undefined && !(isObject(pruner) && typeof pruner['shouldPrune'] === 'function'))
    throw invalid(path, `export 'pruner' must be a pruner (e.g. new MedianPruner()).`);
  const oracle = pick(d, named, 'oracle') ?? pick(d, named, 'tuner');
  if (
    oracle !== undefined &&
    !(typeof oracle === 'string' || (isObject(oracle) && typeof oracle['ask'] === 'function'))
  ) {
    throw invalid(
      path,
      `export 'oracle' must be an oracle (e.g. new TpeOracle()) or one of ${ORACLE_NAMES.join(', ')}.`,
    );
  }
  const fixedParams = pick(d, named, 'fixedParams');
  if (fixedParams !== undefined && !isObject(fixedParams))
    throw invalid(path, `export 'fixedParams' must be an object of parameter values.`);
  const constraints = pick(d, named, 'constraints');
  if (constraints !== undefined && typeof constraints !== 'function') {
    throw new HypertunerError(
      'PROGRAM_INVALID',
      `${path}: 'constraints' must be a function (trial) => number[] (each value <= 0 when feasible), got ${typeof constraints}.`,
      { field: 'constraints' },
    );
  }
  const objective = withDirections(path, pick(d, named, 'objective'), pick(d, named, 'directions'));
  return {
    run,
    ...(constraints === undefined ? {} : { constraints: constraints as ConstraintsFunction }),
    ...(objective === undefined ? {} : { objective }),
    ...(pruner === undefined ? {} : { pruner: pruner as unknown as Pruner }),
    ...(typeof oracle === 'string' ? { tuner: oracle } : {}),
    ...(isObject(oracle) ? { oracle: oracle as unknown as Oracle } : {}),
    ...(fixedParams === undefined ? {} : { fixedParams: fixedParams as ParamValues }),
  };
}

export async function loadProgram(path: string): Promise<ProgramModule> {
  let loaded: Exports;
  try {
    if (TYPESCRIPT.has(extname(path).toLowerCase())) await registerTypeScript();
    loaded = (await import(pathToFileURL(resolve(path)).href)) as Exports;
  } catch (error) {
    // e.g. a program importing hypertuner/tfjs where @tensorflow/tfjs is not installed (which
    // says so itself), or another package of ours that imports a peer
    if (isHypertunerError(error, 'PEER_MISSING')) throw error;
    const peer = missingPeerOf(error);
    if (peer !== undefined) throw peerMissingError(peer, error);
    throw new HypertunerError(
      'PROGRAM_INVALID',
      `Cannot load program ${path}: ${(error as Error).message}. It must be an ES module (.js, .mjs, .ts, .mts).`,
      { field: 'program', cause: error },
    );
  }
  const exported = loaded['default'];
  if (typeof exported === 'function')
    return programOf(path, exported as ObjectiveFunction, {}, loaded);
  const fromDefault = isObject(exported) ? exported : {};
  const run = pick(fromDefault, loaded, 'run');
  if (typeof run === 'function')
    return programOf(path, run as ObjectiveFunction, fromDefault, loaded);
  throw invalid(
    path,
    'must export default an objective function, or {objective, run, constraints} (or a named export run).',
  );
}
