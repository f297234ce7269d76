import { describe, expect, it } from 'vitest';
import { SpaceEncoding } from '../../src/oracles/bayesian/space-encoding.js';
import { HyperParameters, encode } from '../../src/space/index.js';

function mixedSpace() {
  const hp = new HyperParameters();
  hp.Float('lr', { min: 1e-4, max: 1, sampling: 'log' });
  hp.Int('units', { min: 32, max: 512, step: 32 });
  hp.Choice('optimizer', ['sgd', 'adam', 'rmsprop']);
  hp.Choice('layers', [1, 2, 4, 8]);
  hp.Boolean('bias');
  hp.Fixed('epochs', 10);
  hp.Choice('model', ['mlp', 'cnn']);
  // explicit conditions register the parameters whatever the parent's current value
  hp.Int('filters', { min: 8, max: 64, step: 8, parentName: 'model', parentValues: ['cnn'] });
  hp.Choice('pool', ['max', 'avg', 'none'], { parentName: 'model', parentValues: ['cnn'] });
  return hp.space;
}

describe('SpaceEncoding', () => {
  const space = mixedSpace();
  const encoding = new SpaceEncoding(space);

  it('has one cube coordinate per searchable parameter and one-hot only for unordered choices of 3+', () => {
    expect(encoding.cubeDimension).toBe(8); // all but the Fixed
    // lr 1 + units 1 + optimizer 3 + layers 1 (ordered) + bias 1 + model 1 (two values) + filters 1 + pool 3
    expect(encoding.featureDimension).toBe(12);
    expect(encoding.continuous).toBe(false);
  });

  it('encodes log-warped floats, grid slices, ordinals, booleans and one-hot', () => {
    const out = new Float64Array(encoding.featureDimension);
    encoding.encodeValues(
      { lr: 0.01, units: 64, optimizer: 'adam', layers: 4, bias: true, epochs: 10, model: 'mlp' },
      out,
    );
    expect(out[0]).toBeCloseTo(0.5, 12); // log10(0.01) is halfway between −4 and 0
    expect(out[1]).toBeCloseTo(encode(space.get('units')!, 64), 12);
    expect(Array.from(out.subarray(2, 5))).toEqual([0, 1, 0]);
    expect(out[5]).toBeCloseTo(5 / 8, 12); // third of four slices
    expect(out[6]).toBe(1);
    expect(out[7]).toBe(0);
  });

  it('gives inactive parameters fixed neutral features whatever the trial holds', () => {
    const a = new Float64Array(encoding.featureDimension);
    const b = new Float64Array(encoding.featureDimension);
    const base = {
      lr: 0.01,
      units: 64,
      optimizer: 'adam',
      layers: 4,
      bias: true,
      epochs: 10,
      model: 'mlp',
    };
    encoding.encodeValues(base, a);
    // stale values of inactive parameters (as Keras Tuner would fill in) must not change anything
    encoding.encodeValues({ ...base, filters: 64, pool: 'avg' }, b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a[8]).toBe(0.5);
    expect(Array.from(a.subarray(9, 12))).toEqual([0, 0, 0]);
    encoding.encodeValues({ ...base, model: 'cnn', filters: 64, pool: 'avg' }, b);
    expect(b[7]).toBe(1);
    expect(Array.from(b.subarray(9, 12))).toEqual([0, 1, 0]);
  });

  it('decodes cube points to valid configurations with only active parameters, features matching', () => {
    const u = new Float64Array(encoding.cubeDimension);
    const viaCube = new Float64Array(encoding.featureDimension);
    const viaValues = new Float64Array(encoding.featureDimension);
    for (let k = 0; k < 200; k++) {
      for (let i = 0; i < u.length; i++) u[i] = (((k * 0.618 + i * 0.377) % 1) + (k % 7) / 97) % 1;
      const params = encoding.decodeCube(u);
      expect(space.pruneInactive(params)).toEqual(params);
      expect(Object.keys(params).sort()).toEqual(
        space
          .activeParameters(params)
          .map((p) => p.name)
          .sort(),
      );
      expect((params.units as number) % 32).toBe(0);
      encoding.cubeToFeatures(u, 0, viaCube, 0);
      encoding.encodeValues(params, viaValues);
      expect(Array.from(viaCube)).toEqual(Array.from(viaValues));
      // valuesToCube goes back to a point that decodes to the same configuration
      const back = new Float64Array(encoding.cubeDimension);
      encoding.valuesToCube(params, back);
      const again = encoding.decodeCube(back);
      for (const [name, value] of Object.entries(params)) {
        if (name === 'lr') expect(again.lr as number).toBeCloseTo(value as number, 12);
        else expect(again[name]).toBe(value);
      }
    }
  });

  it('is continuous (features = cube) for unconditional floats without steps', () => {
    const hp = new HyperParameters();
    hp.Float('a', { min: 0, max: 2 });
    hp.Float('b', { min: 1, max: 100, sampling: 'reverse_log' });
    hp.Fixed('c', 'x');
    const e = new SpaceEncoding(hp.space);
    expect(e.continuous).toBe(true);
    const u = Float64Array.from([0.25, 0.8]);
    const f = new Float64Array(2);
    e.cubeToFeatures(u, 0, f, 0);
    expect(f[0]).toBeCloseTo(0.25, 12);
    expect(f[1]).toBeCloseTo(0.8, 12);
  });
});
