/**
 * The oracle contract as a reusable suite: every oracle never proposes a configuration twice
 * (and says `exhausted` when a finite space is used up), resumes from storage (a fresh oracle
 * given a stored history answers as the long-lived one did, so a restarted process continues
 * the same search), and runs under several workers (with trials RUNNING elsewhere it still
 * proposes new, valid configurations; two studies sharing one storage complete the budget with
 * every configuration once).
 */
import { describe, expect, it } from 'vitest';
import type { AskResult, Oracle, StudyView } from '../../src/oracles/index.js';
import type { HyperParameters, ParamValues, SearchSpace } from '../../src/space/index.js';
import { HyperParameters as Hp, configurationKey, validateValues } from '../../src/space/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import type { Objective, Trial } from '../../src/trials/index.js';
import { Study } from '../../src/tuner/index.js';
import { trialRecord } from '../helpers/trial-record.js';

export interface OracleContractOptions {
  /** The objectives the oracle is driven with (default one minimised loss). */
  readonly objectives?: readonly Objective[];
  /** Constraint values given to each completed trial (its user attribute `constraints`). */
  readonly constraints?: (params: ParamValues) => number[];
  /** Sequential trials before the resume and worker checks (default 30: past any start-up phase of these tests' oracles). */
  readonly warmup?: number;
}

/** Every value fits its parameter, and exactly the parameters active for these values are given. */
export function expectValid(space: SearchSpace, params: ParamValues): void {
  expect(() => validateValues(space.parameters, params)).not.toThrow();
  expect(space.complete(params, () => 0.5)).toEqual(params);
}

const LOSS: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];

/** A mixed space: a log float, a stepped int, a choice and a conditional parameter. */
function declareMixed(hp: HyperParameters): void {
  hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
  hp.Int('units', { min: 8, max: 256, step: 8 });
  const kind = hp.Choice('kind', ['a', 'b', 'c']);
  if (kind === 'b')
    hp.Float('dropout', { min: 0, max: 0.5, parentName: 'kind', parentValues: ['b'] });
}

function mixedSpace(): SearchSpace {
  const hp = new Hp();
  hp.Choice('kind', ['a', 'b', 'c']);
  hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
  hp.Int('units', { min: 8, max: 256, step: 8 });
  hp.Float('dropout', { min: 0, max: 0.5, parentName: 'kind', parentValues: ['b'] });
  return hp.space;
}

function finiteSpace(): SearchSpace {
  const hp = new Hp();
  hp.Choice('optimizer', ['sgd', 'adam', 'rmsprop']);
  hp.Int('layers', { min: 1, max: 4 });
  return hp.space;
}

/** Losses of a configuration: smooth in the numbers, one per objective. */
function losses(params: ParamValues, count: number): number[] {
  const lr = Math.log10((params.lr as number | undefined) ?? 0.01) + 2;
  const units = ((params.units as number | undefined) ?? 64) / 256;
  const kind = ['a', 'b', 'c'].indexOf(String(params.kind ?? params.optimizer));
  const layers = (params.layers as number | undefined) ?? 2;
  const dropout = (params.dropout as number | undefined) ?? 0.25;
  const a = lr * lr + (units - 0.3) ** 2 + 0.1 * kind + (layers - 2) ** 2 + (dropout - 0.1) ** 2;
  const b = (lr - 1) ** 2 + units + 0.05 * (2 - kind) + 0.1 * layers;
  const c = Math.abs(lr + 0.5) + (1 - units) ** 2;
  return [a, b, c].slice(0, count);
}

class History {
  readonly trials: Trial[] = [];
  constructor(
    readonly space: SearchSpace,
    readonly objectives: readonly Objective[],
    readonly constraints: ((params: ParamValues) => number[]) | undefined,
  ) {}

  view(): StudyView {
    return { space: this.space, objectives: this.objectives, trials: this.trials };
  }

  add(answer: AskResult, status: 'COMPLETED' | 'RUNNING'): Trial {
    if (answer.kind !== 'trial')
      throw new Error(`expected a trial, got ${answer.kind}: ${answer.reason}`);
    const number = this.trials.length;
    const trial = trialRecord(number, {
      status,
      params: answer.params,
      values: status === 'COMPLETED' ? losses(answer.params, this.objectives.length) : undefined,
      finishedAt: status === 'COMPLETED' ? 0 : undefined,
      oracleAttrs: answer.oracleAttrs ?? {},
      userAttrs:
        status === 'COMPLETED' && this.constraints !== undefined
          ? { constraints: this.constraints(answer.params) }
          : {},
    });
    this.trials.push(trial);
    return trial;
  }

  complete(number: number): void {
    const trial = this.trials[number] as Trial;
    this.trials[number] = {
      ...trial,
      status: 'COMPLETED',
      values: losses(trial.params, this.objectives.length),
      finishedAt: 0,
      userAttrs:
        this.constraints === undefined ? {} : { constraints: this.constraints(trial.params) },
    };
  }
}

/** Registers the contract tests for the oracle `make(seed)` builds. */
export function describeOracleContract(
  label: string,
  make: (seed: number) => Oracle,
  options: OracleContractOptions = {},
): void {
  const objectives = options.objectives ?? LOSS;
  const warmup = options.warmup ?? 30;

  describe(`${label}: the oracle contract`, () => {
    it('never proposes a configuration twice, and says exhausted when a finite space is used up', () => {
      const history = new History(finiteSpace(), objectives, options.constraints);
      const oracle = make(1);
      for (let i = 0; i < 12; i++) history.add(oracle.ask(history.view()), 'COMPLETED');
      expect(new Set(history.trials.map((t) => configurationKey(t.params))).size).toBe(12);
      expect(oracle.ask(history.view()).kind).toBe('exhausted');

      const mixed = new History(mixedSpace(), objectives, options.constraints);
      for (let i = 0; i < warmup + 30; i++) {
        const trial = mixed.add(oracle.ask(mixed.view()), 'COMPLETED');
        expectValid(mixed.space, trial.params);
      }
      expect(new Set(mixed.trials.map((t) => configurationKey(t.params))).size).toBe(warmup + 30);
    });

    it('resumes from a stored history: a fresh oracle answers it as the long-lived one did', () => {
      const history = new History(mixedSpace(), objectives, options.constraints);
      const oracle = make(2);
      const answers: AskResult[] = [];
      for (let i = 0; i < warmup + 6; i++) {
        const answer = oracle.ask(history.view());
        answers.push(answer);
        history.add(answer, 'COMPLETED');
      }
      for (const k of [warmup - 1, warmup + 2, warmup + 5]) {
        const view = { ...history.view(), trials: history.trials.slice(0, k) };
        expect(make(2).ask(view)).toEqual(answers[k]);
      }
    });

    it('runs under several workers: trials RUNNING elsewhere are never proposed again', () => {
      const history = new History(mixedSpace(), objectives, options.constraints);
      const oracle = make(3);
      for (let i = 0; i < warmup; i++) history.add(oracle.ask(history.view()), 'COMPLETED');
      // three workers: each asks while the others' trials run; the oldest running one finishes
      const running: number[] = [];
      for (let i = 0; i < 24; i++) {
        running.push(history.add(oracle.ask(history.view()), 'RUNNING').number);
        if (running.length === 3) history.complete(running.shift() as number);
      }
      const keys = history.trials.map((t) => configurationKey(t.params));
      expect(new Set(keys).size).toBe(keys.length);
      for (const t of history.trials) expectValid(history.space, t.params);
    });

    it('two studies on one storage, then a restart: the budget completes with no configuration twice', async () => {
      const storage = new MemoryStorage();
      const objective = objectives.map((o) => ({ name: o.name, direction: o.direction }));
      const run = async (seed: number, workerId: string, maxTrials: number): Promise<void> => {
        const study = await Study.open({
          storage,
          name: 'contract',
          objective,
          oracle: make(seed),
          workerId,
        });
        await study.optimize(
          async ({ hp }) => {
            declareMixed(hp);
            await new Promise((resolve) => setTimeout(resolve, 1));
            const values = losses(hp.values, objectives.length);
            return objectives.length === 1 ? (values[0] as number) : values;
          },
          { maxTrials },
        );
      };
      await Promise.all([run(4, 'w1', 24), run(4, 'w2', 24)]);
      await run(4, 'w3', 36);
      const trials = await storage.getTrials((await storage.loadStudy('contract'))!.id);
      expect(trials.filter((t) => t.status === 'COMPLETED')).toHaveLength(36);
      const keys = trials.map((t) => configurationKey(t.params));
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
}
