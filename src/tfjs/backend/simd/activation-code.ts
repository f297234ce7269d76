/**
 * The dense trainer's elementwise passes as WebAssembly SIMD functions, four floats at a time:
 * an activation forward (adding the bias first), its derivative multiplied into a gradient,
 * and column sums (bias gradients). Activations as TensorFlow.js defines them; those with an
 * exponential use exp(x) = 2^k · p(r), k = round(x / ln 2), r = x - k ln 2 (ln 2 in two parts),
 * p the degree-6 Taylor polynomial (relative error ~1e-7 on |r| <= ln 2 / 2), x clamped to
 * [-87.3, 88] so that 2^k stays a normal float; tanh(x) = 2 / (1 + exp(-2x)) - 1.
 *
 * act_<name>(z, bias, a, rows, n, hasBias): for `rows` rows of `n` floats (n a multiple of 4),
 *   z += bias (when hasBias is 1), then a = f(z); a may be z.
 * dact_<name>(g, a, z, count): g *= f'(.) for `count` floats (a multiple of 4), from the
 *   activation's output a (swish: from its input z).
 * colSum(d, out, rows, n): out[j] = Σ_r d[r, j].
 * Every pointer is a byte address.
 */
import { add, forLoop, I32, ifElse, mul, op, V128 } from './wasm-assembler.js';
import type { Code, FunctionDef } from './wasm-assembler.js';

const { get, set, i32 } = op;
const c = op.f32x4Const;

/** The activations with SIMD functions (linear needs none backward). */
export const SIMD_ACTIVATIONS = [
  'linear',
  'relu',
  'tanh',
  'sigmoid',
  'elu',
  'selu',
  'swish',
] as const;
export type SimdActivation = (typeof SIMD_ACTIVATIONS)[number];

/** tfjs' SELU constants (tfjs-core selu_util). */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_SCALE_ALPHA = 1.7580993408473769;

/** Code leaving exp(local x) on the stack, with v128 temporaries t, t+1, t+2. */
function exp(x: number, t: number): Code {
  const [clamped, k, r] = [t, t + 1, t + 2];
  const poly = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  const horner: Code = [
    ...c(poly[0] as number),
    ...poly.slice(1).flatMap((coef) => [...get(r), ...op.f32x4Mul, ...c(coef), ...op.f32x4Add]),
  ];
  return [
    ...get(x),
    ...c(-87.3),
    ...op.f32x4Max,
    ...c(88.0),
    ...op.f32x4Min,
    ...set(clamped),
    ...get(clamped),
    ...c(Math.LOG2E),
    ...op.f32x4Mul,
    ...op.f32x4Nearest,
    ...set(k),
    // r = x - k·ln2_hi - k·ln2_lo
    ...get(clamped),
    ...get(k),
    ...c(0.693359375),
    ...op.f32x4Mul,
    ...op.f32x4Sub,
    ...get(k),
    ...c(-2.1219444e-4),
    ...op.f32x4Mul,
    ...op.f32x4Sub,
    ...set(r),
    ...horner,
    // 2^k from its exponent bits: (k + 127) << 23
    ...get(k),
    ...op.i32x4TruncSatF32x4S,
    ...op.i32(127),
    ...op.i32x4Splat,
    ...op.i32x4Add,
    ...op.i32(23),
    ...op.i32x4Shl,
    ...op.f32x4Mul,
  ];
}

/** 1 / (1 + exp(-(local x) · scale)), with temporaries from t (t .. t+3). */
function sigmoid(x: number, t: number, scale = 1): Code {
  const y = t + 3;
  return [
    ...get(x),
    ...c(-scale),
    ...op.f32x4Mul,
    ...set(y),
    ...c(1),
    ...c(1),
    ...exp(y, t),
    ...op.f32x4Add,
    ...op.f32x4Div,
  ];
}

/** f(local v) for the forward pass, with temporaries from t. */
function forward(activation: SimdActivation, v: number, t: number): Code {
  const positive: Code = [...get(v), ...op.v128Zero, ...op.f32x4Gt];
  const expm1: Code = [...exp(v, t), ...c(1), ...op.f32x4Sub];
  switch (activation) {
    case 'linear':
      return get(v);
    case 'relu':
      return [...get(v), ...op.v128Zero, ...op.f32x4Max];
    case 'sigmoid':
      return sigmoid(v, t);
    case 'tanh':
      return [...c(2), ...sigmoid(v, t, 2), ...op.f32x4Mul, ...c(1), ...op.f32x4Sub];
    case 'elu':
      return [...get(v), ...expm1, ...positive, ...op.v128Bitselect];
    case 'selu':
      return [
        ...get(v),
        ...c(SELU_SCALE),
        ...op.f32x4Mul,
        ...expm1,
        ...c(SELU_SCALE_ALPHA),
        ...op.f32x4Mul,
        ...positive,
        ...op.v128Bitselect,
      ];
    case 'swish':
      return [...get(v), ...sigmoid(v, t), ...op.f32x4Mul];
    default: {
      const never: never = activation;
      throw new Error(`unknown activation ${String(never)}`);
    }
  }
}

function actFunction(activation: SimdActivation): FunctionDef {
  const [Z, BIAS, A, ROWS, N, HAS_BIAS] = [0, 1, 2, 3, 4, 5];
  const [R, J, ZROW, AROW, BYTES] = [6, 7, 8, 9, 10];
  const V = 11;
  const T = 12;
  return {
    name: `act_${activation}`,
    params: [I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128],
    body: [
      ...mul(get(N), i32(4)),
      ...set(BYTES),
      ...forLoop(R, i32(0), get(ROWS), i32(1), [
        [...add(get(Z), mul(get(R), get(BYTES))), ...set(ZROW)],
        [...add(get(A), mul(get(R), get(BYTES))), ...set(AROW)],
        forLoop(J, i32(0), get(BYTES), i32(16), [
          [...add(get(ZROW), get(J)), ...op.v128Load(), ...set(V)],
          [
            ...get(HAS_BIAS),
            ...ifElse([add(get(BIAS), get(J)), op.v128Load(), get(V), op.f32x4Add, set(V)]),
          ],
          [...add(get(ZROW), get(J)), ...get(V), ...op.v128Store()],
          [...add(get(AROW), get(J)), ...forward(activation, V, T), ...op.v128Store()],
        ]),
      ]),
    ],
  };
}

/** f'(.)·g for the backward pass, from locals g, a (output) and z (input). */
function derivative(activation: SimdActivation, g: number, a: number, z: number, t: number): Code {
  const positive: Code = [...get(a), ...op.v128Zero, ...op.f32x4Gt];
  switch (activation) {
    case 'linear':
      return get(g);
    case 'relu':
      return [...get(g), ...positive, ...op.v128And];
    case 'tanh':
      return [
        ...get(g),
        ...c(1),
        ...get(a),
        ...get(a),
        ...op.f32x4Mul,
        ...op.f32x4Sub,
        ...op.f32x4Mul,
      ];
    case 'sigmoid':
      return [
        ...get(g),
        ...get(a),
        ...op.f32x4Mul,
        ...c(1),
        ...get(a),
        ...op.f32x4Sub,
        ...op.f32x4Mul,
      ];
    case 'elu':
      return [
        ...get(g),
        ...get(g),
        ...get(a),
        ...c(1),
        ...op.f32x4Add,
        ...op.f32x4Mul,
        ...positive,
        ...op.v128Bitselect,
      ];
    case 'selu':
      return [
        ...get(g),
        ...c(SELU_SCALE),
        ...get(a),
        ...c(SELU_SCALE_ALPHA),
        ...op.f32x4Add,
        ...positive,
        ...op.v128Bitselect,
        ...op.f32x4Mul,
      ];
    case 'swish': {
      const s = t + 4;
      return [
        ...sigmoid(z, t),
        ...set(s),
        // g · (s + z·s·(1 - s))
        ...get(g),
        ...get(s),
        ...get(z),
        ...get(s),
        ...op.f32x4Mul,
        ...c(1),
        ...get(s),
        ...op.f32x4Sub,
        ...op.f32x4Mul,
        ...op.f32x4Add,
        ...op.f32x4Mul,
      ];
    }
    default: {
      const never: never = activation;
      throw new Error(`unknown activation ${String(never)}`);
    }
  }
}

function dactFunction(activation: SimdActivation): FunctionDef {
  const [G, A, Z, COUNT] = [0, 1, 2, 3];
  const [I, END] = [4, 5];
  const [GV, AV, ZV] = [6, 7, 8];
  const T = 9;
  return {
    name: `dact_${activation}`,
    params: [I32, I32, I32, I32],
    locals: [I32, I32, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      ...mul(get(COUNT), i32(4)),
      ...set(END),
      ...forLoop(I, i32(0), get(END), i32(16), [
        [...add(get(G), get(I)), ...op.v128Load(), ...set(GV)],
        activation === 'swish'
          ? [...add(get(Z), get(I)), ...op.v128Load(), ...set(ZV)]
          : [...add(get(A), get(I)), ...op.v128Load(), ...set(AV)],
        [...add(get(G), get(I)), ...derivative(activation, GV, AV, ZV, T), ...op.v128Store()],
      ]),
    ],
  };
}

const colSumFunction: FunctionDef = {
  name: 'colSum',
  params: [I32, I32, I32, I32],
  locals: [I32, I32, I32, I32],
  body: (() => {
    const [D, OUT, ROWS, N] = [0, 1, 2, 3];
    const [R, J, BYTES, ROW] = [4, 5, 6, 7];
    return [
      ...mul(get(N), i32(4)),
      ...set(BYTES),
      ...forLoop(J, i32(0), get(BYTES), i32(16), [
        [...add(get(OUT), get(J)), ...op.v128Zero, ...op.v128Store()],
      ]),
      ...forLoop(R, i32(0), get(ROWS), i32(1), [
        [...add(get(D), mul(get(R), get(BYTES))), ...set(ROW)],
        forLoop(J, i32(0), get(BYTES), i32(16), [
          [
            ...add(get(OUT), get(J)),
            ...add(get(OUT), get(J)),
            ...op.v128Load(),
            ...add(get(ROW), get(J)),
            ...op.v128Load(),
            ...op.f32x4Add,
            ...op.v128Store(),
          ],
        ]),
      ]),
    ];
  })(),
};

export const activationFunctionDefs: readonly FunctionDef[] = [
  ...SIMD_ACTIVATIONS.map(actFunction),
  ...SIMD_ACTIVATIONS.filter((a) => a !== 'linear').map(dactFunction),
  colSumFunction,
];
