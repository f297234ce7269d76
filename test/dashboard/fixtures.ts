/**
 * Studies for the dashboard tests: a single-objective study with learning curves, pruned and
 * failed trials and a hostile parameter name; a two-objective study; and a read-only storage
 * holding a 10,000-trial study made directly (the search loop would take minutes for that).
 */
import { RandomSearchOracle } from '../../src/oracles/index.js';
import { HypertunerError, SearchSpace } from '../../src/space/index.js';
import type { Parameter } from '../../src/space/index.js';
import type { Storage, StudyRecord, StudySummary } from '../../src/storage/index.js';
import { Random } from '../../src/math/random.js';
import type { Trial, TrialStatus } from '../../src/trials/index.js';
import { TRIAL_STATUSES, rankTrials } from '../../src/trials/index.js';
import { Study, TrialPrunedError } from '../../src/tuner/index.js';
import type { TrialContext } from '../../src/tuner/index.js';

export const XSS_NAME = '<img src=x onerror=alert(1)>';
export const XSS_CHOICE = '<b onmouseover=alert(2)>bold</b>';
export const FAILURE_TEXT =
  '<script>alert("boom")</script> out of memory while allocating a tensor of shape [1024,1024]';

/** The objective of the single-objective study: val_loss, reported for 6 epochs. */
export async function curveObjective(trial: TrialContext): Promise<Record<string, number>> {
  const { hp } = trial;
  const lr = hp.Float('learning_rate', { min: 1e-4, max: 1e-1, sampling: 'log' });
  const units = hp.Int('units', { min: 16, max: 256, step: 16 });
  const activation = hp.Choice('activation', ['relu', 'tanh', 'gelu']);
  const dropout = hp.Float('dropout', { min: 0, max: 0.5 });
  const hostile = hp.Choice(XSS_NAME, [XSS_CHOICE, 'plain']);
  const loss =
    (Math.log10(lr) + 2.5) ** 2 +
    2 * (dropout - 0.2) ** 2 +
    (activation === 'tanh' ? 0.2 : 0) +
    (0.0005 * Math.abs(units - 128)) / 16 +
    (hostile === 'plain' ? 0.01 : 0);
  if (trial.number % 11 === 5) throw new Error(FAILURE_TEXT);
  for (let epoch = 0; epoch < 6; epoch++) {
    const value = loss + 1 / (epoch + 1);
    await trial.report(epoch, { val_loss: value, loss: value * 0.9, accuracy: 1 / (1 + value) });
    if (trial.number % 7 === 3 && epoch === 2) throw new TrialPrunedError(epoch);
  }
  return { val_loss: loss, loss: loss * 0.9, accuracy: 1 / (1 + loss) };
}

export async function runCurveStudy(
  storage: Storage,
  name: string,
  trials: number,
): Promise<Study> {
  const study = await Study.open({
    storage,
    name,
    objective: 'val_loss',
    oracle: new RandomSearchOracle({ seed: 7 }),
    seed: 1,
  });
  await study.optimize(curveObjective, { nTrials: trials, maxConsecutiveFailedTrials: 100 });
  return study;
}

export async function runTwoObjectiveStudy(
  storage: Storage,
  name: string,
  trials: number,
): Promise<Study> {
  const study = await Study.open({
    storage,
    name,
    objective: [
      { name: 'error', direction: 'minimize' },
      { name: 'latency_ms', direction: 'minimize' },
    ],
    oracle: new RandomSearchOracle({ seed: 3 }),
  });
  await study.optimize(
    ({ hp }) => {
      const width = hp.Int('width', { min: 8, max: 512, sampling: 'log' });
      const depth = hp.Int('depth', { min: 1, max: 8 });
      return {
        error: 1 / Math.sqrt(width * depth) + 0.01 * depth,
        latency_ms: 0.05 * width * depth + 1,
      };
    },
    { nTrials: trials },
  );
  return study;
}

/** A storage that refuses every write (READ_ONLY); subclasses serve the reads. */
export abstract class ReadOnlyStorage implements Storage {
  abstract readonly url: string;
  abstract listStudies(): Promise<StudySummary[]>;
  abstract loadStudy(name: string): Promise<StudyRecord | undefined>;
  abstract getTrials(studyId: number): Promise<Trial[]>;
  abstract getTrial(trialId: number): Promise<Trial | undefined>;
  async close(): Promise<void> {}
  createStudy = readOnly;
  deleteStudy = readOnly;
  mergeSearchSpace = readOnly;
  setStudyUserAttr = readOnly;
  startTrial = readOnly;
  addTrials = readOnly;
  enqueueTrial = readOnly;
  reportIntermediate = readOnly;
  heartbeat = readOnly;
  finishTrial = readOnly;
  setTrialUserAttr = readOnly;
  reapStaleTrials = readOnly;
}

/** A storage that only serves reads, holding one generated study. */
export class GeneratedStorage extends ReadOnlyStorage {
  readonly url = 'memory:generated';
  readonly #study: StudyRecord;
  readonly #trials: Trial[];

  constructor(name: string, count: number) {
    super();
    const parameters: Parameter[] = [
      {
        kind: 'float',
        name: 'learning_rate',
        min: 1e-5,
        max: 1,
        step: undefined,
        sampling: 'log',
        default: 1e-3,
        conditions: [],
      },
      {
        kind: 'int',
        name: 'units',
        min: 8,
        max: 1024,
        step: undefined,
        sampling: 'log',
        default: 64,
        conditions: [],
      },
      {
        kind: 'float',
        name: 'dropout',
        min: 0,
        max: 0.8,
        step: undefined,
        sampling: 'linear',
        default: 0,
        conditions: [],
      },
      {
        kind: 'choice',
        name: 'optimizer',
        values: ['adam', 'sgd', 'rmsprop'],
        ordered: false,
        default: 'adam',
        conditions: [],
      },
      {
        kind: 'int',
        name: 'layers',
        min: 1,
        max: 6,
        step: undefined,
        sampling: 'linear',
        default: 2,
        conditions: [],
      },
      { kind: 'boolean', name: 'batch_norm', default: false, conditions: [] },
    ];
    this.#study = {
      id: 1,
      name,
      objectives: [{ name: 'val_loss', direction: 'minimize' }],
      space: new SearchSpace(parameters),
      createdAt: Date.UTC(2025, 0, 1),
      userAttrs: {},
    };
    const rng = new Random(11);
    const start = Date.UTC(2025, 0, 1);
    this.#trials = Array.from({ length: count }, (_, number) => {
      const lr = 10 ** (-5 + 5 * rng.next());
      const params = {
        learning_rate: lr,
        units: Math.round(8 * 128 ** rng.next()),
        dropout: 0.8 * rng.next(),
        optimizer: ['adam', 'sgd', 'rmsprop'][rng.int(3)] as string,
        layers: 1 + rng.int(6),
        batch_norm: rng.next() < 0.5,
      };
      const loss =
        (Math.log10(lr) + 3) ** 2 / 4 +
        0.3 * params.dropout +
        (params.optimizer === 'sgd' ? 0.3 : 0) +
        0.05 * rng.normal();
      const status: TrialStatus =
        number % 50 === 7 ? 'FAILED' : number % 10 === 3 ? 'PRUNED' : 'COMPLETED';
      const steps = number % 20 === 0 || status === 'PRUNED' ? (status === 'PRUNED' ? 3 : 10) : 0;
      const intermediate = Array.from({ length: steps }, (_, step) => ({
        step,
        value: loss + 1 / (step + 1),
        metrics: { val_loss: loss + 1 / (step + 1) },
      }));
      return {
        id: number + 1,
        number,
        status,
        params,
        values: status === 'FAILED' ? undefined : [status === 'PRUNED' ? loss + 0.25 : loss],
        metrics: {},
        intermediate,
        error: status === 'FAILED' ? 'generated failure' : undefined,
        createdAt: start + number * 1000,
        startedAt: start + number * 1000,
        finishedAt: start + number * 1000 + 900,
        heartbeatAt: undefined,
        workerId: 'generator:1:0',
        retryOf: undefined,
        oracleAttrs: {},
        userAttrs: {},
      };
    });
  }

  async listStudies(): Promise<StudySummary[]> {
    const trialCounts = Object.fromEntries(
      TRIAL_STATUSES.map((s) => [s, this.#trials.filter((t) => t.status === s).length]),
    ) as Record<TrialStatus, number>;
    const best = rankTrials(this.#trials, this.#study.objectives)[0];
    return [{ ...this.#study, trialCounts, bestValue: best?.values?.[0] }];
  }
  async loadStudy(name: string): Promise<StudyRecord | undefined> {
    return name === this.#study.name ? this.#study : undefined;
  }
  async getTrials(): Promise<Trial[]> {
    return [...this.#trials];
  }
  async getTrial(trialId: number): Promise<Trial | undefined> {
    return this.#trials[trialId - 1];
  }
}

async function readOnly(): Promise<never> {
  throw new HypertunerError('OPTIONS_INVALID', 'This test storage is read-only.', {
    field: 'storage',
  });
}
