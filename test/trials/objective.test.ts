import { describe, expect, it } from 'vitest';
import type { HypertunerError } from '../../src/index.js';
import {
  inferDirection,
  paretoFront,
  parseObjective,
  parseObjectives,
} from '../../src/trials/index.js';
import { trialRecord } from '../helpers/trial-record.js';

describe('objectives', () => {
  it('infers directions as Keras Tuner does', () => {
    expect(parseObjective('val_accuracy')).toEqual({ name: 'val_accuracy', direction: 'maximize' });
    expect(parseObjective('val_loss').direction).toBe('minimize');
    expect(inferDirection('acc')).toBe('maximize');
    expect(inferDirection('val_auc')).toBe('maximize');
    expect(inferDirection('precision')).toBe('maximize');
    expect(inferDirection('recall')).toBe('maximize');
    expect(inferDirection('mean_squared_error')).toBe('minimize');
    expect(inferDirection('val_mae')).toBe('minimize');
  });

  it('requires an explicit direction for unknown names, naming the field', () => {
    let error: HypertunerError | undefined;
    try {
      parseObjective('throughput');
    } catch (e) {
      error = e as HypertunerError;
    }
    expect(error?.code).toBe('OBJECTIVE_DIRECTION_UNKNOWN');
    expect(error?.field).toBe('objective');
    expect(error?.message).toMatch(/'throughput'.*direction/);
    expect(parseObjective({ name: 'throughput', direction: 'maximize' }).direction).toBe(
      'maximize',
    );
    expect(() => parseObjective({ name: 'x', direction: 'up' as never })).toThrow(
      /'minimize' or 'maximize'/,
    );
    expect(() => parseObjectives(['loss', 'loss'])).toThrow(/once/);
  });

  it("accepts Keras Tuner's 'min' and 'max' and stores the full direction", () => {
    expect(parseObjective({ name: 'val_auc', direction: 'max' })).toEqual({
      name: 'val_auc',
      direction: 'maximize',
    });
    expect(parseObjective({ name: 'throughput', direction: 'min' }).direction).toBe('minimize');
    expect(() => parseObjective({ name: 'x', direction: 'maximise' as never })).toThrow(
      /'min' or 'max'\); got "maximise"/,
    );
  });

  it('finds the Pareto front of a known set of points', () => {
    const objectives = parseObjectives([
      { name: 'error', direction: 'minimize' },
      { name: 'speed', direction: 'maximize' },
    ]);
    const points: [number, number][] = [
      [1, 1],
      [2, 3],
      [3, 3],
      [0.5, 0.2],
      [2, 2],
      [4, 5],
    ];
    const trials = points.map((values, number) => trialRecord(number, { values }));
    expect(paretoFront(trials, objectives).map((t) => t.number)).toEqual([0, 1, 3, 5]);
  });
});
