/**
 * Optuna's distributions and Python's JSON, against Optuna itself: every form of distribution
 * text Optuna reads (current, legacy classes, the short `type` form, a high off the step grid)
 * parses to what Optuna parses it to, and is written back byte for byte as Optuna's
 * `distribution_to_json` writes it; Python's non-finite numbers and floats survive both ways.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  distributionJson,
  optunaDistributionOf,
  parameterOf,
  parseDistribution,
} from '../../../src/storage/formats/optuna-distributions.js';
import { PyFloat, parsePythonJson, pythonJson } from '../../../src/storage/formats/python-json.js';
import { pythonWithOptuna } from '../../helpers/python.js';

const script = fileURLToPath(new URL('./optuna-distributions.py', import.meta.url));

const TEXTS = [
  '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0001, "high": 0.1, "log": true}}',
  '{"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 0.0, "high": 0.55, "log": false}}',
  '{"name": "IntDistribution", "attributes": {"log": false, "step": 16, "low": 16, "high": 130}}',
  '{"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 1, "high": 64}}',
  '{"name": "CategoricalDistribution", "attributes": {"choices": ["a,b", 1, 2.5, true, null]}}',
  '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}',
  '{"name": "LogUniformDistribution", "attributes": {"low": 1e-05, "high": 1.0}}',
  '{"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.25}}',
  '{"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 10, "step": 2}}',
  '{"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 100, "step": 1}}',
  '{"type": "float", "low": 0.0, "high": 2.0, "step": 0.5}',
  '{"type": "int", "low": 3, "high": 9}',
  '{"type": "categorical", "choices": ["x", "y"]}',
];

const FLOATS = [
  ...[1e-5, 1e-4, 2, 0.1, 1e16, 1.5e16, 123456.789, -0.00012345, 1e-7, 5e-324],
  ...[1.7976931348623157e308, 9999999999999998, 0, 0.30000000000000004, 1e22, 12345678901234567],
];

describe('Optuna distributions', () => {
  it("reads and writes every form as Optuna's own code does, floats as Python writes them", () => {
    const run = spawnSync(pythonWithOptuna(), [script], {
      input: JSON.stringify({ texts: TEXTS, floats: FLOATS }),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const python = JSON.parse(run.stdout) as { distributions: string[]; reprs: string[] };
    expect(TEXTS.map((t) => distributionJson(parseDistribution(t)))).toEqual(python.distributions);
    expect(FLOATS.map((x) => pythonJson(new PyFloat(x)))).toEqual(python.reprs);
  });

  it('maps to our parameter kinds, and says why not when it cannot', () => {
    const of = (text: string) => parameterOf('p', parseDistribution(text));
    expect(of(TEXTS[2] as string)).toEqual({
      parameter: expect.objectContaining({ kind: 'int', min: 16, max: 128, step: 16 }),
    });
    expect(of(TEXTS[6] as string)).toEqual({
      parameter: expect.objectContaining({ kind: 'float', sampling: 'log', step: undefined }),
    });
    expect(of('{"type": "categorical", "choices": [true, false]}')).toEqual({
      parameter: expect.objectContaining({ kind: 'boolean' }),
    });
    expect(of(TEXTS[4] as string)).toEqual({ problem: expect.stringMatching(/None/) });
    // and the other way, what Optuna cannot say is said
    const base = { name: 'r', min: 1, max: 100, default: 1, conditions: [] };
    const reverse = optunaDistributionOf({
      ...base,
      kind: 'float',
      step: undefined,
      sampling: 'reverse_log',
    });
    expect(reverse.distribution).toEqual({
      name: 'FloatDistribution',
      low: 1,
      high: 100,
      step: null,
      log: false,
    });
    expect(reverse.loss).toMatch(/reverse_log scale, which Optuna has not/);
    const factor = optunaDistributionOf({ ...base, kind: 'int', step: 10, sampling: 'log' });
    expect(factor.distribution).toEqual({
      name: 'IntDistribution',
      low: 1,
      high: 100,
      step: 1,
      log: true,
    });
    expect(factor.loss).toMatch(/steps by a factor of 10 on its log scale/);
    const stepped = optunaDistributionOf({
      ...base,
      kind: 'int',
      min: 0,
      max: 10,
      step: 4,
      sampling: 'linear',
    });
    expect(stepped).toEqual({
      distribution: { name: 'IntDistribution', low: 0, high: 8, step: 4, log: false },
    });
    expect(() => parseDistribution('{"name": "BetaDistribution", "attributes": {}}')).toThrow(
      /unknown distribution BetaDistribution/,
    );
  });
});

describe("Python's JSON", () => {
  it('keeps NaN, the infinities and floats that are whole numbers', () => {
    const text = pythonJson({ a: [NaN, Infinity, -Infinity], f: new PyFloat(2), i: 2, s: 'é"' });
    expect(text).toBe('{"a": [NaN, Infinity, -Infinity], "f": 2.0, "i": 2, "s": "é\\""}');
    const back = parsePythonJson(text) as Record<string, unknown>;
    expect(back).toEqual({ a: [NaN, Infinity, -Infinity], f: 2, i: 2, s: 'é"' });
    expect(() => parsePythonJson('{"a": 1,}')).toThrow(/expected a key at character 9/);
  });
});
