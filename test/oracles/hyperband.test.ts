import { describe, expect, it } from 'vitest';
import {
  HyperParameters,
  HyperbandOracle,
  HypertunerError,
  hyperbandPlan,
} from '../../src/index.js';
import { readHyperbandAttrs } from '../../src/oracles/index.js';
import type { HyperbandTrialAttrs } from '../../src/oracles/index.js';
import type {
  AskResult,
  Objective,
  Oracle,
  ParamValues,
  SearchSpace,
  Trial,
  TrialStatus,
} from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';

const MINIMIZE: readonly Objective[] = [{ name: 'loss', direction: 'minimize' }];

function xSpace(): SearchSpace {
  const hp = new HyperParameters();
  hp.Float('x', { min: 0, max: 1 });
  return hp.space;
}

function makeTrial(
  number: number,
  params: ParamValues,
  oracleAttrs: Trial['oracleAttrs'],
  extra: Partial<Trial> = {},
): Trial {
  return trialRecord(number, {
    status: 'RUNNING',
    params,
    finishedAt: undefined,
    heartbeatAt: 0,
    oracleAttrs,
    ...extra,
  });
}

function finish(trial: Trial, status: TrialStatus, value?: number): Trial {
  return { ...trial, status, values: value === undefined ? undefined : [value], finishedAt: 1 };
}

function attrsOf(trial: Trial): HyperbandTrialAttrs {
  const attrs = readHyperbandAttrs(trial.oracleAttrs);
  if (attrs === undefined) throw new Error(`trial ${trial.number} has no Hyperband attributes`);
  return attrs;
}

/** A loss that improves with epochs and is best at x = 0.3. */
const lossOf = (params: ParamValues, epochs: number): number =>
  ((params['x'] as number) - 0.3) ** 2 + 1 / epochs;

interface Simulation {
  readonly trials: Trial[];
  readonly end: AskResult | undefined;
}

/** Runs the oracle with one worker: every proposal is run to the end before the next ask. */
function simulate(
  oracle: Oracle,
  options: {
    readonly space?: SearchSpace;
    readonly objectives?: readonly Objective[];
    readonly trials?: Trial[];
    readonly outcome?: (trial: Trial) => Trial;
    readonly maxAsks?: number;
    /** Return (end: undefined) after this many proposals instead of running to the end. */
    readonly stopAfter?: number;
  } = {},
): Simulation {
  const space = options.space ?? xSpace();
  const trials = options.trials ?? [];
  const outcome =
    options.outcome ?? ((t: Trial) => finish(t, 'COMPLETED', lossOf(t.params, attrsOf(t).epochs)));
  for (let i = 0; i < (options.maxAsks ?? 1000); i++) {
    if (i === options.stopAfter) return { trials, end: undefined };
    const answer = oracle.ask({ space, objectives: options.objectives ?? MINIMIZE, trials });
    if (answer.kind !== 'trial') return { trials, end: answer };
    const trial = makeTrial(trials.length, answer.params, answer.oracleAttrs ?? {});
    trials.push(trial);
    trials[trial.number] = outcome(trial);
  }
  throw new Error('the oracle did not stop');
}

/** Consecutive runs of proposals as [bracket, round, epochs, initialEpoch, count]. */
function schedule(trials: readonly Trial[]): number[][] {
  const runs: number[][] = [];
  for (const t of trials) {
    const a = attrsOf(t);
    const last = runs[runs.length - 1];
    if (
      last !== undefined &&
      last[0] === a.bracket &&
      last[1] === a.round &&
      last[2] === a.epochs &&
      last[3] === a.initialEpoch
    ) {
      last[4] = (last[4] as number) + 1;
    } else {
      runs.push([a.bracket, a.round, a.epochs, a.initialEpoch, 1]);
    }
  }
  return runs;
}

const KERAS_27_3 = [
  [3, 0, 1, 0, 27],
  [3, 1, 3, 1, 9],
  [3, 2, 9, 3, 3],
  [3, 3, 27, 9, 1],
  [2, 0, 3, 0, 12],
  [2, 1, 9, 3, 4],
  [2, 2, 27, 9, 2],
  [1, 0, 9, 0, 6],
  [1, 1, 27, 9, 2],
  [0, 0, 27, 0, 4],
];

describe('hyperbandPlan', () => {
  it('gives Keras Tuner brackets for maxEpochs 27, factor 3: 70 trials, 375 epochs', () => {
    const plan = hyperbandPlan({ maxEpochs: 27, factor: 3 });
    expect(plan.numBrackets).toBe(4);
    const rows = plan.brackets.flatMap((b) =>
      b.rounds.map((r) => [b.bracket, r.round, r.epochs, r.initialEpoch, r.trials]),
    );
    expect(rows).toEqual(KERAS_27_3);
    expect(plan.brackets.map((b) => [b.bracket, b.trials, b.epochs])).toEqual([
      [3, 40, 81],
      [2, 18, 96],
      [1, 8, 90],
      [0, 4, 108],
    ]);
    expect(plan.totalTrials).toBe(70);
    expect(plan.trialsPerIteration).toBe(70);
    expect(plan.totalEpochs).toBe(375);
    expect(plan.totalEpochsFromScratch).toBe(450);
  });

  it('has Keras Tuner defaults, repeats for hyperbandIterations and honours minEpochs', () => {
    const defaults = hyperbandPlan();
    expect(defaults.options).toEqual({
      maxEpochs: 100,
      factor: 3,
      minEpochs: 1,
      hyperbandIterations: 1,
    });
    expect(defaults.numBrackets).toBe(5);
    expect(defaults.brackets[0]?.rounds.map((r) => [r.trials, r.epochs])).toEqual([
      [98, 2],
      [33, 4],
      [11, 12],
      [4, 34],
      [2, 100],
    ]);
    const twice = hyperbandPlan({ maxEpochs: 27, hyperbandIterations: 2 });
    expect(twice.totalTrials).toBe(140);
    expect(twice.totalEpochs).toBe(750);
    expect(twice.brackets.map((b) => [b.iteration, b.bracket])).toEqual([
      [0, 3],
      [0, 2],
      [0, 1],
      [0, 0],
      [1, 3],
      [1, 2],
      [1, 1],
      [1, 0],
    ]);
    const min3 = hyperbandPlan({ maxEpochs: 27, minEpochs: 3 });
    expect(min3.brackets.map((b) => b.bracket)).toEqual([2, 1, 0]);
    expect(min3.brackets[0]?.rounds[0]?.epochs).toBe(3);
  });

  it('rejects bad options, naming the field', () => {
    for (const [options, field] of [
      [{ factor: 1.5 }, 'factor'],
      [{ maxEpochs: 0 }, 'maxEpochs'],
      [{ maxEpochs: 10, minEpochs: 11 }, 'minEpochs'],
      [{ hyperbandIterations: 0 }, 'hyperbandIterations'],
    ] as const) {
      try {
        hyperbandPlan(options);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(HypertunerError);
        expect((error as HypertunerError).code).toBe('HYPERBAND_INVALID_OPTION');
        expect((error as HypertunerError).field).toBe(field);
      }
    }
    expect(() => new HyperbandOracle({ maxEpochsTotal: 0 })).toThrow(/maxEpochsTotal/);
    expect(() => new HyperbandOracle({ sampler: {} as Oracle })).toThrow(
      expect.objectContaining({
        code: 'HYPERBAND_INVALID_OPTION',
        field: 'sampler',
        message: expect.stringMatching(/'sampler' must be an oracle/) as unknown,
      }),
    );
  });
});

describe('HyperbandOracle', () => {
  it('proposes the Keras Tuner schedule, promoting the best of each round, then says exhausted', () => {
    const { trials, end } = simulate(new HyperbandOracle({ maxEpochs: 27, factor: 3, seed: 5 }));
    expect(trials).toHaveLength(70);
    expect(schedule(trials)).toEqual(KERAS_27_3);
    expect(end).toMatchObject({ kind: 'exhausted' });
    expect(end?.kind === 'exhausted' && end.reason).toMatch(/finished its 4 bracket/);
    expect(trials.reduce((n, t) => n + attrsOf(t).epochs - attrsOf(t).initialEpoch, 0)).toBe(375);
    // round-0 configurations are random and never repeat
    const fresh = trials.filter((t) => attrsOf(t).round === 0);
    expect(fresh.every((t) => attrsOf(t).parentTrial === null)).toBe(true);
    expect(new Set(fresh.map((t) => t.params['x'])).size).toBe(fresh.length);
    // every promotion continues the best unpromoted trials of the round before, with their parameters
    for (const t of trials.filter((t) => attrsOf(t).round > 0)) {
      const a = attrsOf(t);
      const parent = trials[a.parentTrial as number] as Trial;
      expect(attrsOf(parent)).toMatchObject({
        bracket: a.bracket,
        round: a.round - 1,
        epochs: a.initialEpoch,
      });
      expect(t.params).toEqual(parent.params);
    }
    for (const bracket of [3, 2, 1]) {
      for (let round = 1; round <= bracket; round++) {
        const previous = trials.filter(
          (t) => attrsOf(t).bracket === bracket && attrsOf(t).round === round - 1,
        );
        const promoted = trials.filter(
          (t) => attrsOf(t).bracket === bracket && attrsOf(t).round === round,
        );
        const best = [...previous]
          .sort((a, b) => (a.values?.[0] as number) - (b.values?.[0] as number))
          .slice(0, promoted.length);
        expect(promoted.map((t) => attrsOf(t).parentTrial)).toEqual(best.map((t) => t.number));
      }
    }
  });

  it('is deterministic for a seed, and a restarted oracle gives the same answers', () => {
    const a = simulate(new HyperbandOracle({ maxEpochs: 9, seed: 1 })).trials;
    const b = simulate(new HyperbandOracle({ maxEpochs: 9, seed: 1 })).trials;
    expect(b.map((t) => [t.params, t.oracleAttrs])).toEqual(
      a.map((t) => [t.params, t.oracleAttrs]),
    );
    const c = simulate(new HyperbandOracle({ maxEpochs: 9, seed: 2 })).trials;
    expect(c.map((t) => t.params)).not.toEqual(a.map((t) => t.params));
    for (let n = 0; n < a.length; n += 5) {
      const answer = new HyperbandOracle({ maxEpochs: 9, seed: 1 }).ask({
        space: xSpace(),
        objectives: MINIMIZE,
        trials: a.slice(0, n),
      });
      expect(answer).toMatchObject({
        kind: 'trial',
        params: a[n]?.params,
        oracleAttrs: a[n]?.oracleAttrs,
      });
    }
  });

  it('ranks with the first objective and its direction', () => {
    const objectives: readonly Objective[] = [
      { name: 'accuracy', direction: 'maximize' },
      { name: 'loss', direction: 'minimize' },
    ];
    const { trials } = simulate(new HyperbandOracle({ maxEpochs: 9, seed: 3 }), {
      objectives,
      outcome: (t) => ({ ...finish(t, 'COMPLETED'), values: [t.params['x'] as number, 0] }),
    });
    const round0 = trials.filter((t) => attrsOf(t).bracket === 2 && attrsOf(t).round === 0);
    const promoted = trials.filter((t) => attrsOf(t).bracket === 2 && attrsOf(t).round === 1);
    const best = [...round0]
      .sort((a, b) => (b.params['x'] as number) - (a.params['x'] as number))
      .slice(0, 3);
    expect(promoted.map((t) => attrsOf(t).parentTrial)).toEqual(best.map((t) => t.number));
  });

  it('stops before a trial would take the epochs past maxEpochsTotal', () => {
    const { trials, end } = simulate(
      new HyperbandOracle({ maxEpochs: 27, seed: 1, maxEpochsTotal: 100 }),
    );
    const used = trials.reduce((n, t) => n + attrsOf(t).epochs - attrsOf(t).initialEpoch, 0);
    // bracket 3 takes 81 epochs; bracket 2's round 0 trials take 3 each: 6 fit in the 19 left
    expect(used).toBe(99);
    expect(trials).toHaveLength(46);
    expect(end).toMatchObject({ kind: 'exhausted' });
    expect(end?.kind === 'exhausted' && end.reason).toMatch(/maxEpochsTotal \(99 of 100 used\)/);
  });

  it('counts the epochs a promoted trial trained from scratch (parent checkpoint missing) against maxEpochsTotal', () => {
    // every promoted trial says it started at epoch 0 (user attribute initial_epoch, as the
    // tfjs tuners record it when the parent's checkpoint is on another machine's disk)
    const fromScratch = (t: Trial): Trial => {
      const done = finish(t, 'COMPLETED', lossOf(t.params, attrsOf(t).epochs));
      return attrsOf(t).parentTrial === null ? done : { ...done, userAttrs: { initial_epoch: 0 } };
    };
    const { trials, end } = simulate(
      new HyperbandOracle({ maxEpochs: 27, seed: 1, maxEpochsTotal: 100 }),
      { outcome: fromScratch },
    );
    const trained = trials.reduce((n, t) => n + attrsOf(t).epochs, 0);
    // bracket 3 from scratch: 27x1 + 9x3 + 3x9 = 81 epochs; its last trial was planned at 18
    // (99 <= 100) and trains 27: 108. Then nothing more fits. Counting the plan (99 after
    // bracket 3) would have let 6 more trials of 3 epochs run: 126.
    expect(trained).toBe(108);
    expect(end?.kind === 'exhausted' && end.reason).toMatch(/maxEpochsTotal \(108 of 100 used\)/);
  });

  it('with promotedFromScratch, charges a promoted trial its whole resource before it starts', () => {
    const fromScratch = (t: Trial): Trial => ({
      ...finish(t, 'COMPLETED', lossOf(t.params, attrsOf(t).epochs)),
      userAttrs: { initial_epoch: 0 },
    });
    const { trials, end } = simulate(
      new HyperbandOracle({
        maxEpochs: 27,
        seed: 1,
        maxEpochsTotal: 100,
        promotedFromScratch: true,
      }),
      { outcome: fromScratch },
    );
    // bracket 3 from scratch: 27x1 + 9x3 + 3x9 = 81; its last trial would train 27 more: 108
    expect(trials.reduce((n, t) => n + attrsOf(t).epochs, 0)).toBe(81);
    expect(trials).toHaveLength(27 + 9 + 3);
    expect(end?.kind === 'exhausted' && end.reason).toMatch(
      /would train 27 epochs, past maxEpochsTotal \(81 of 100 used\)/,
    );
  });

  it('runs hyperbandIterations times with the iteration in the attributes', () => {
    const { trials } = simulate(
      new HyperbandOracle({ maxEpochs: 9, hyperbandIterations: 2, seed: 1 }),
    );
    const plan = hyperbandPlan({ maxEpochs: 9, hyperbandIterations: 2 });
    expect(trials).toHaveLength(plan.totalTrials);
    expect(trials.filter((t) => attrsOf(t).iteration === 1)).toHaveLength(plan.trialsPerIteration);
  });

  it('starts the next bracket rather than idle, waits when nothing can run, and promotes only certain winners', () => {
    // maxEpochs 9: bracket 2 = 9x1, 3x3, 1x9; bracket 1 = 5x3, 2x9; bracket 0 = 3x9
    const oracle = new HyperbandOracle({ maxEpochs: 9, seed: 4 });
    const trials: Trial[] = [];
    const ask = (): AskResult => oracle.ask({ space: xSpace(), objectives: MINIMIZE, trials });
    const start = (answer: AskResult): Trial => {
      if (answer.kind !== 'trial')
        throw new Error(`expected a trial, got ${answer.kind}: ${answer.reason}`);
      const trial = makeTrial(trials.length, answer.params, answer.oracleAttrs ?? {});
      trials.push(trial);
      return trial;
    };
    for (let i = 0; i < 17; i++) start(ask());
    expect(schedule(trials)).toEqual([
      [2, 0, 1, 0, 9],
      [1, 0, 3, 0, 5],
      [0, 0, 9, 0, 3],
    ]);
    const waiting = ask();
    expect(waiting.kind).toBe('wait');
    expect(waiting.kind === 'wait' && waiting.reason).toMatch(
      /bracket 2 .*round 1 waits for 9 running/,
    );
    // finish bracket 2's round 0 in an order unrelated to quality; promote only when certain
    const order = [8, 0, 7, 1, 6, 2, 5, 3, 4];
    const losses = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5];
    const promotedAt: number[] = [];
    for (const [done, n] of order.entries()) {
      trials[n] = finish(trials[n] as Trial, 'COMPLETED', losses[n]);
      for (let answer = ask(); answer.kind === 'trial'; answer = ask()) {
        promotedAt.push(done + 1);
        start(answer);
      }
    }
    // with 3 places, a promotion needs fewer than 3 unfinished: the 7th result on
    expect(promotedAt).toEqual([7, 8, 9]);
    const parents = trials
      .filter((t) => attrsOf(t).bracket === 2 && attrsOf(t).round === 1)
      .map((t) => attrsOf(t).parentTrial);
    expect(parents).toEqual([1, 3, 5]);
  });

  it('resumes after a crash mid-bracket without re-running finished rounds', () => {
    const oracle = new HyperbandOracle({ maxEpochs: 27, seed: 9 });
    // run up to bracket 2: bracket 3 (40 trials) and bracket 2's round 0 (12 trials)
    const { trials } = simulate(oracle, { stopAfter: 52 });
    expect(trials).toHaveLength(52);
    // two workers start the first two promotions of bracket 2, round 1; then the process dies
    for (let i = 0; i < 2; i++) {
      const answer = oracle.ask({ space: xSpace(), objectives: MINIMIZE, trials });
      if (answer.kind !== 'trial') throw new Error('expected a promotion');
      trials.push(makeTrial(trials.length, answer.params, answer.oracleAttrs ?? {}));
    }
    // the next process finds them stale: FAILED, with WAITING retries (same params and attrs)
    for (const n of [52, 53]) {
      const lost = trials[n] as Trial;
      trials[n] = { ...finish(lost, 'FAILED'), error: 'worker lost' };
      trials.push(
        makeTrial(trials.length, lost.params, lost.oracleAttrs, { status: 'WAITING', retryOf: n }),
      );
    }
    // a fresh oracle (a new process) with the retries queued: it goes on with the third promotion
    const restarted = new HyperbandOracle({ maxEpochs: 27, seed: 9 });
    const next = restarted.ask({ space: xSpace(), objectives: MINIMIZE, trials });
    expect(next.kind === 'trial' && readHyperbandAttrs(next.oracleAttrs ?? {})).toMatchObject({
      bracket: 2,
      round: 1,
    });
    // the loop runs the queued retries first, then asks the oracle until it is done
    for (const n of [54, 55])
      trials[n] = finish(trials[n] as Trial, 'COMPLETED', lossOf((trials[n] as Trial).params, 9));
    const { end } = simulate(restarted, { trials });
    expect(end).toMatchObject({ kind: 'exhausted' });
    expect(trials).toHaveLength(72); // 70 planned trials + the two lost runs
    // no round was re-run: 70 slots, and bracket 2 got exactly its planned rounds
    const slots = trials.filter((t) => t.status !== 'FAILED');
    expect(schedule(slots.filter((t) => t.number < 52 || t.number >= 54))).toEqual(KERAS_27_3);
    const round1 = slots.filter((t) => attrsOf(t).bracket === 2 && attrsOf(t).round === 1);
    const parents = round1.map((t) => attrsOf(t).parentTrial as number);
    expect(new Set(parents).size).toBe(4);
    const round0 = trials.filter((t) => attrsOf(t).bracket === 2 && attrsOf(t).round === 0);
    expect(round0).toHaveLength(12);
    const best4 = [...round0]
      .sort((a, b) => (a.values?.[0] as number) - (b.values?.[0] as number))
      .slice(0, 4)
      .map((t) => t.number);
    expect([...parents].sort((a, b) => a - b)).toEqual([...best4].sort((a, b) => a - b));
    // round 2 continues the retries' results (trials 54, 55), never the lost runs
    const round2Parents = slots
      .filter((t) => attrsOf(t).bracket === 2 && attrsOf(t).round === 2)
      .map((t) => attrsOf(t).parentTrial);
    expect(round2Parents).not.toContain(52);
    expect(round2Parents).not.toContain(53);
  });

  it('counts FAILED trials of a round as finished with the worst value: the next round shrinks', () => {
    // maxEpochs 9, minEpochs 3: bracket 1 = 5x3, 2x9; bracket 0 = 3x9
    const oracle = new HyperbandOracle({ maxEpochs: 9, minEpochs: 3, seed: 2 });
    const { trials, end } = simulate(oracle, {
      outcome: (t) =>
        attrsOf(t).bracket === 1 && attrsOf(t).round === 0 && t.number !== 2
          ? finish(t, 'FAILED')
          : finish(t, 'COMPLETED', lossOf(t.params, attrsOf(t).epochs)),
    });
    expect(schedule(trials)).toEqual([
      [1, 0, 3, 0, 5],
      [1, 1, 9, 3, 1],
      [0, 0, 9, 0, 3],
    ]);
    expect(attrsOf(trials[5] as Trial).parentTrial).toBe(2);
    expect(end).toMatchObject({ kind: 'exhausted' });
  });

  it('takes round-0 configurations from a plugged sampler, and ends when it has no more', () => {
    const hp = new HyperParameters();
    hp.Choice('units', [16, 32, 64]);
    const space = hp.space;
    let calls = 0;
    const sampler: Oracle = {
      name: 'fixed',
      ask: (view) => {
        calls++;
        const used = new Set(view.trials.map((t) => t.params['units']));
        const next = [64, 32, 16].find((u) => !used.has(u));
        return next === undefined
          ? { kind: 'exhausted', reason: 'no units left' }
          : { kind: 'trial', params: { units: next }, oracleAttrs: { from: 'fixed', round: 99 } };
      },
    };
    const { trials, end } = simulate(new HyperbandOracle({ maxEpochs: 9, sampler }), {
      space,
      outcome: (t) => finish(t, 'COMPLETED', 1 / (t.params['units'] as number)),
    });
    expect(calls).toBeGreaterThan(0);
    expect(trials.slice(0, 3).map((t) => t.params['units'])).toEqual([64, 32, 16]);
    expect(trials[0]?.oracleAttrs).toMatchObject({ from: 'fixed', round: 0, bracket: 2 });
    // round 0 of bracket 2 closes with 3 of 9 configurations; rounds 1 (3 places) and 2 (1) follow
    expect(schedule(trials)).toEqual([
      [2, 0, 1, 0, 3],
      [2, 1, 3, 1, 3],
      [2, 2, 9, 3, 1],
    ]);
    expect(attrsOf(trials[6] as Trial).parentTrial).toBe(3);
    expect(end?.kind === 'exhausted' && end.reason).toMatch(/no new configuration .*no units left/);
  });
});
