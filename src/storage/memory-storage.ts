/**
 * In-memory storage: one process, nothing persisted. The reference adapter of the contract.
 */
import { HypertunerError, SearchSpace } from '../space/index.js';
import type { ParamValues, SearchSpaceJson } from '../space/index.js';
import type { IntermediateValue, JsonValue, Trial, TrialStatus } from '../trials/index.js';
import type {
  CreateStudyInput,
  EnqueueOptions,
  ReapOptions,
  StartDecision,
  StartOutcome,
  Storage,
  StudyRecord,
  StudySummary,
  TrialResult,
  TrialTemplate,
} from './storage.js';
import { StorageErrorCode } from './storage.js';
import { checkStudyName, storableText } from './stored-text.js';
import {
  bestFirstValue,
  emptyCounts,
  isStale,
  notRunningError,
  retriesOf,
  retryRoot,
  staleErrorText,
  studyNotFoundError,
  validateIntermediate,
  validateParams,
  validateResult,
  validateTemplate,
  withIntermediate,
} from './trial-records.js';

type MutableTrial = { -readonly [K in keyof Trial]: Trial[K] };

export class MemoryStorage implements Storage {
  readonly url = 'memory:';
  readonly #studies = new Map<number, StudyRecord>();
  readonly #trials = new Map<number, MutableTrial>();
  readonly #trialsByStudy = new Map<number, MutableTrial[]>();
  #nextStudyId = 1;
  #nextTrialId = 1;

  async createStudy(input: CreateStudyInput): Promise<StudyRecord> {
    checkStudyName(input.name);
    if ([...this.#studies.values()].some((s) => s.name === input.name)) {
      throw new HypertunerError(
        StorageErrorCode.StudyExists,
        `A study called '${input.name}' already exists.`,
        { field: 'study' },
      );
    }
    const study: StudyRecord = {
      id: this.#nextStudyId++,
      name: input.name,
      objectives: [...input.objectives],
      space: input.space === undefined ? new SearchSpace() : SearchSpace.fromJSON(input.space),
      createdAt: input.createdAt ?? Date.now(),
      userAttrs: { ...(input.userAttrs ?? {}) },
    };
    this.#studies.set(study.id, study);
    return study;
  }

  async loadStudy(name: string): Promise<StudyRecord | undefined> {
    return [...this.#studies.values()].find((s) => s.name === name);
  }

  async listStudies(): Promise<StudySummary[]> {
    return [...this.#studies.values()].map((study) => {
      const trials = this.#trialsOf(study.id);
      const trialCounts = emptyCounts();
      for (const t of trials) trialCounts[t.status]++;
      const direction = study.objectives[0]?.direction ?? 'minimize';
      return { ...study, trialCounts, bestValue: bestFirstValue(trials, direction) };
    });
  }

  async deleteStudy(name: string): Promise<void> {
    const study = await this.loadStudy(name);
    if (study === undefined) throw studyNotFoundError(name);
    for (const t of this.#trialsOf(study.id)) this.#trials.delete(t.id);
    this.#trialsByStudy.delete(study.id);
    this.#studies.delete(study.id);
  }

  async mergeSearchSpace(studyId: number, space: SearchSpaceJson): Promise<SearchSpace> {
    const study = this.#study(studyId);
    const merged = study.space.merge(SearchSpace.fromJSON(space));
    this.#studies.set(studyId, { ...study, space: merged });
    return merged;
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    const study = this.#study(studyId);
    this.#studies.set(studyId, { ...study, userAttrs: { ...study.userAttrs, [key]: value } });
  }

  async getTrials(
    studyId: number,
    options: { readonly statuses?: readonly TrialStatus[] } = {},
  ): Promise<Trial[]> {
    this.#study(studyId);
    const trials = this.#trialsOf(studyId);
    const statuses = options.statuses;
    return (
      statuses === undefined ? trials : trials.filter((t) => statuses.includes(t.status))
    ).map(freeze);
  }

  async getTrial(trialId: number): Promise<Trial | undefined> {
    const trial = this.#trials.get(trialId);
    return trial === undefined ? undefined : freeze(trial);
  }

  async startTrial(
    studyId: number,
    workerId: string,
    decide: (snapshot: { study: StudyRecord; trials: readonly Trial[] }) => StartDecision,
  ): Promise<StartOutcome> {
    const study = this.#study(studyId);
    const decision = decide({ study, trials: this.#trialsOf(studyId).map(freeze) });
    const now = Date.now();
    switch (decision.kind) {
      case 'claim': {
        const trial = this.#trials.get(decision.trialId);
        if (
          trial === undefined ||
          trial.status !== 'WAITING' ||
          !this.#trialsOf(studyId).includes(trial)
        ) {
          throw new HypertunerError(
            StorageErrorCode.TrialNotWaiting,
            `Trial id ${decision.trialId} is not WAITING; only waiting trials can be claimed.`,
            { field: 'trialId' },
          );
        }
        Object.assign(trial, {
          status: 'RUNNING',
          startedAt: now,
          heartbeatAt: now,
          workerId: storableText(workerId),
        });
        return { kind: 'started', trial: freeze(trial) };
      }
      case 'create': {
        const trial = this.#insert(studyId, decision.params, 'RUNNING', {
          ...(decision.oracleAttrs === undefined ? {} : { oracleAttrs: decision.oracleAttrs }),
        });
        Object.assign(trial, {
          startedAt: now,
          heartbeatAt: now,
          workerId: storableText(workerId),
        });
        return { kind: 'started', trial: freeze(trial) };
      }
      default:
        return { kind: decision.kind, reason: decision.reason };
    }
  }

  async addTrials(studyId: number, templates: readonly TrialTemplate[]): Promise<Trial[]> {
    templates.forEach((template, i) => validateTemplate(template, i));
    this.#study(studyId);
    return templates.map((template) => {
      const trial = this.#insert(studyId, template.params, template.status, {});
      // field by field: a Trial given as its own template brings its id and number along
      Object.assign(trial, {
        values: template.values === undefined ? undefined : [...template.values],
        metrics: { ...template.metrics },
        intermediate: structuredClone([...template.intermediate].sort((a, b) => a.step - b.step)),
        error: template.error,
        createdAt: template.createdAt,
        startedAt: template.startedAt,
        finishedAt: template.finishedAt,
        heartbeatAt: template.heartbeatAt,
        workerId: template.workerId,
        retryOf: template.retryOf,
        oracleAttrs: structuredClone(template.oracleAttrs),
        userAttrs: structuredClone(template.userAttrs),
      });
      return freeze(trial);
    });
  }

  async enqueueTrial(
    studyId: number,
    params: ParamValues,
    options: EnqueueOptions = {},
  ): Promise<Trial> {
    validateParams(params);
    this.#study(studyId);
    return freeze(this.#insert(studyId, params, 'WAITING', options));
  }

  async reportIntermediate(trialId: number, intermediate: IntermediateValue): Promise<void> {
    validateIntermediate(intermediate);
    const trial = this.#running(trialId);
    trial.intermediate = withIntermediate(trial.intermediate, intermediate);
    trial.heartbeatAt = Date.now();
  }

  async heartbeat(trialId: number): Promise<void> {
    this.#running(trialId).heartbeatAt = Date.now();
  }

  async finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    validateResult(result);
    const trial = this.#running(trialId);
    Object.assign(trial, {
      ...(result.params === undefined ? {} : { params: { ...result.params } }),
      status: result.status,
      values: result.values === undefined ? undefined : [...result.values],
      metrics: { ...(result.metrics ?? {}) },
      error: result.error === undefined ? undefined : storableText(result.error),
      finishedAt: Date.now(),
    });
    return freeze(trial);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const trial = this.#trial(trialId);
    trial.userAttrs = { ...trial.userAttrs, [key]: value };
  }

  async reapStaleTrials(studyId: number, options: ReapOptions): Promise<Trial[]> {
    this.#study(studyId);
    const now = options.now ?? Date.now();
    const reaped: Trial[] = [];
    for (const trial of this.#trialsOf(studyId)) {
      if (!isStale(trial, { ...options, now })) continue;
      const root = retryRoot(trial);
      const retries = retriesOf(this.#trialsOf(studyId), root);
      const retried = retries < options.maxRetries;
      Object.assign(trial, {
        status: 'FAILED',
        finishedAt: now,
        error: staleErrorText(trial, now, {
          times: retries + 1,
          retried,
          maxRetries: options.maxRetries,
        }),
      });
      reaped.push(freeze(trial));
      if (retried) {
        this.#insert(studyId, trial.params, 'WAITING', {
          retryOf: root,
          oracleAttrs: trial.oracleAttrs,
        });
      }
    }
    return reaped;
  }

  async close(): Promise<void> {}

  #study(studyId: number): StudyRecord {
    const study = this.#studies.get(studyId);
    if (study === undefined)
      throw new HypertunerError(StorageErrorCode.StudyNotFound, `No study with id ${studyId}.`, {
        field: 'studyId',
      });
    return study;
  }

  #trial(trialId: number): MutableTrial {
    const trial = this.#trials.get(trialId);
    if (trial === undefined)
      throw new HypertunerError(StorageErrorCode.TrialNotFound, `No trial with id ${trialId}.`, {
        field: 'trialId',
      });
    return trial;
  }

  #running(trialId: number): MutableTrial {
    const trial = this.#trial(trialId);
    if (trial.status !== 'RUNNING') throw notRunningError(trial);
    return trial;
  }

  #trialsOf(studyId: number): MutableTrial[] {
    return this.#trialsByStudy.get(studyId) ?? [];
  }

  #insert(
    studyId: number,
    params: ParamValues,
    status: TrialStatus,
    options: EnqueueOptions,
  ): MutableTrial {
    const trial: MutableTrial = {
      id: this.#nextTrialId++,
      number: this.#trialsOf(studyId).length,
      status,
      params: { ...params },
      values: undefined,
      metrics: {},
      intermediate: [],
      error: undefined,
      createdAt: Date.now(),
      startedAt: undefined,
      finishedAt: undefined,
      heartbeatAt: undefined,
      workerId: undefined,
      retryOf: options.retryOf,
      oracleAttrs: { ...(options.oracleAttrs ?? {}) },
      userAttrs: { ...(options.userAttrs ?? {}) },
    };
    this.#trials.set(trial.id, trial);
    this.#trialsByStudy.set(studyId, [...this.#trialsOf(studyId), trial]);
    return trial;
  }
}

function freeze(trial: MutableTrial): Trial {
  return structuredClone(trial);
}
