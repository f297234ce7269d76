/**
 * The search settings a study keeps in its user attributes (`oracle`, `oracleOptions.seed`,
 * `maxTrials`), so that a resumed `search` and a `worker` carry on as the study was started
 * unless their flags say otherwise.
 */
import { openStorage } from '../index.js';
import type { JsonValue } from '../index.js';

export interface StudySettings {
  /** The oracle's name (`random`, `bayesian`, ...). */
  readonly tuner?: string;
  readonly seed?: number;
  readonly maxTrials?: number;
}

/** The settings kept in a study's user attributes. */
export function studySettings(attrs: Readonly<Record<string, JsonValue>>): StudySettings {
  const options = attrs['oracleOptions'];
  const seed =
    typeof options === 'object' && options !== null && !Array.isArray(options)
      ? (options as Readonly<Record<string, JsonValue>>)['seed']
      : undefined;
  const { oracle, maxTrials } = attrs;
  return {
    ...(typeof oracle === 'string' ? { tuner: oracle } : {}),
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof maxTrials === 'number' ? { maxTrials } : {}),
  };
}

/** The settings of study `name` in the storage at `url`, or none when it has no such study. */
export async function savedStudySettings(url: string, name: string): Promise<StudySettings> {
  const storage = await openStorage(url);
  try {
    const record = await storage.loadStudy(name);
    return record === undefined ? {} : studySettings(record.userAttrs);
  } finally {
    await storage.close();
  }
}
