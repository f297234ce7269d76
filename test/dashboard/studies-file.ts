/**
 * A read-only storage serving studies from a JSON file written by scripts/dump-studies.ts: the
 * dashboard tests show real studies (from a run of `hypertuner example`) without re-running it.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { SearchSpace } from '../../src/space/index.js';
import type { StudyRecord, StudySummary } from '../../src/storage/index.js';
import type { JsonValue, Objective, Trial, TrialStatus } from '../../src/trials/index.js';
import { TRIAL_STATUSES, rankTrials } from '../../src/trials/index.js';
import { ReadOnlyStorage } from './fixtures.js';

interface StudyEntry {
  readonly study: {
    readonly name: string;
    readonly objectives: readonly Objective[];
    readonly space: unknown;
    readonly createdAt: number;
    readonly userAttrs: Readonly<Record<string, JsonValue>>;
  };
  readonly trials: readonly Trial[];
}

export class StudiesFileStorage extends ReadOnlyStorage {
  readonly url: string;
  readonly #studies: { record: StudyRecord; trials: Trial[] }[];

  constructor(path: string) {
    super();
    this.url = `file:${relative(process.cwd(), path)}`;
    const file = JSON.parse(readFileSync(path, 'utf8')) as { studies: StudyEntry[] };
    this.#studies = file.studies.map((entry, i) => ({
      record: { ...entry.study, id: i + 1, space: SearchSpace.fromJSON(entry.study.space) },
      trials: [...entry.trials],
    }));
  }

  /** The studies' names, in the file's order. */
  get names(): string[] {
    return this.#studies.map((s) => s.record.name);
  }

  /** A study's trials (as the dashboard reads them). */
  trialsOf(name: string): Trial[] {
    return [...(this.#studies.find((s) => s.record.name === name)?.trials ?? [])];
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.#studies.map(({ record, trials }) => {
      const trialCounts = Object.fromEntries(
        TRIAL_STATUSES.map((s) => [s, trials.filter((t) => t.status === s).length]),
      ) as Record<TrialStatus, number>;
      return {
        ...record,
        trialCounts,
        bestValue: rankTrials(trials, record.objectives)[0]?.values?.[0],
      };
    });
  }
  async loadStudy(name: string): Promise<StudyRecord | undefined> {
    return this.#studies.find((s) => s.record.name === name)?.record;
  }
  async getTrials(studyId: number): Promise<Trial[]> {
    return [...(this.#studies[studyId - 1]?.trials ?? [])];
  }
  async getTrial(trialId: number): Promise<Trial | undefined> {
    return this.#studies.flatMap((s) => s.trials).find((t) => t.id === trialId);
  }
}
