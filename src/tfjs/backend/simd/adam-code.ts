/**
 * The Adam step as a WebAssembly SIMD function, four values per iteration in float32 (as the
 * stock optimizer's elementwise kernels compute), with a scalar loop for the last n mod 4:
 *
 *   m' = β1·m + (1-β1)·g,  v' = β2·v + (1-β2)·g²,  x' = x + step·(m'·k1) / (sqrt(v'·k2) + ε)
 *
 * where step = -lr, k1 = 1/(1-β1ᵗ), k2 = 1/(1-β2ᵗ).
 * Signature: adam(x, g, m, v, xOut, mOut, vOut: byte addresses, n: count,
 *                 β1, 1-β1, β2, 1-β2, ε, step, k1, k2: f32).
 */
import { F32, forLoop, I32, op, V128 } from './wasm-assembler.js';
import type { Code, FunctionDef } from './wasm-assembler.js';

const [X, G, M, V, X_OUT, M_OUT, V_OUT, N] = [0, 1, 2, 3, 4, 5, 6, 7];
/** First of the eight f32 parameters β1, 1-β1, β2, 1-β2, ε, step, k1, k2. */
const SCALARS = 8;
const [I, END, END4] = [16, 17, 18];
/** First of the eight v128 locals holding the scalars splatted. */
const VECTORS = 19;
/** Per-lane temporaries: g, m', v' as v128 (27..29) and as f32 (30..32). */
const TEMP_V = 27;
const TEMP_S = 30;

interface Lanes {
  readonly load: Code;
  readonly store: Code;
  readonly add: Code;
  readonly mul: Code;
  readonly div: Code;
  readonly sqrt: Code;
  /** Index of the local holding constant `k` (0..7, in the order of SCALARS). */
  readonly constant: (k: number) => number;
  readonly temp: number;
}

const VECTOR: Lanes = {
  load: op.v128Load(),
  store: op.v128Store(),
  add: op.f32x4Add,
  mul: op.f32x4Mul,
  div: op.f32x4Div,
  sqrt: op.f32x4Sqrt,
  constant: (k) => VECTORS + k,
  temp: TEMP_V,
};

const SCALAR: Lanes = {
  load: op.f32Load(),
  store: op.f32Store(),
  add: op.f32Add,
  mul: op.f32Mul,
  div: op.f32Div,
  sqrt: op.f32Sqrt,
  constant: (k) => SCALARS + k,
  temp: TEMP_S,
};

/** One iteration at byte offset I, on four lanes or one. */
function step(l: Lanes): Code[] {
  const at = (base: number): Code => [...op.get(base), ...op.get(I), ...op.i32Add];
  const load = (base: number): Code => [...at(base), ...l.load];
  const k = (i: number): Code => op.get(l.constant(i));
  const [g, m1, v1] = [l.temp, l.temp + 1, l.temp + 2];
  return [
    load(G),
    op.set(g),
    // m' = β1·m + (1-β1)·g
    k(0),
    load(M),
    l.mul,
    k(1),
    op.get(g),
    l.mul,
    l.add,
    op.set(m1),
    // v' = β2·v + (1-β2)·g²
    k(2),
    load(V),
    l.mul,
    k(3),
    op.get(g),
    op.get(g),
    l.mul,
    l.mul,
    l.add,
    op.set(v1),
    at(M_OUT),
    op.get(m1),
    l.store,
    at(V_OUT),
    op.get(v1),
    l.store,
    // x' = x + step·(m'·k1) / (sqrt(v'·k2) + ε)
    at(X_OUT),
    load(X),
    k(5),
    op.get(m1),
    k(6),
    l.mul,
    l.mul,
    op.get(v1),
    k(7),
    l.mul,
    l.sqrt,
    k(4),
    l.add,
    l.div,
    l.add,
    l.store,
  ];
}

const splats: Code[] = Array.from({ length: 8 }, (_, k) => [
  ...op.get(SCALARS + k),
  ...op.f32x4Splat,
  ...op.set(VECTORS + k),
]);

/** The `adam` function of the SIMD module. */
export const adamFunctionDef: FunctionDef = {
  name: 'adam',
  params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
  locals: [I32, I32, I32, ...Array<typeof V128>(8).fill(V128), V128, V128, V128, F32, F32, F32],
  body: [
    ...op.get(N),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.set(END),
    ...op.get(N),
    ...op.i32(-4),
    ...op.i32And,
    ...op.i32(2),
    ...op.i32Shl,
    ...op.set(END4),
    ...splats.flat(),
    ...forLoop(I, op.i32(0), op.get(END4), op.i32(16), step(VECTOR)),
    ...forLoop(I, op.get(END4), op.get(END), op.i32(4), step(SCALAR)),
  ],
};
