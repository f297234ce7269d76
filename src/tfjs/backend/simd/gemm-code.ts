/**
 * The register-tile function of the matrix product (driven by gemm.ts), BLIS-style: operands
 * are packed into small contiguous blocks (pack-code.ts), and a 4×8 tile of C accumulates
 * Σ_k A[i..i+4, k] ⊗ B[k, j..j+8] with f32x4 multiplies and adds.
 *
 * gemmRow(ap, bp, c, ldc, kcPad, panels, accumulate): for a packed A tile (kcPad × 4) and
 *   `panels` packed B panels (each kcPad × 8, one after another), writes (or, when
 *   `accumulate` is 1, adds) the 4 × 8·panels block of C at c with row stride ldc bytes.
 *   kcPad is a multiple of K_UNROLL.
 */
import { add, forLoop, I32, ifElse, mul, op, V128 } from './wasm-assembler.js';
import type { Code, FunctionDef } from './wasm-assembler.js';

const { get, set, i32 } = op;

/**
 * Iterations of k per loop turn. 1 is fastest in V8 (Node 20): when unrolled, TurboFan hoists
 * the loads of later iterations and spills accumulators to the stack (measured 20-30% slower
 * at 4).
 */
const K_UNROLL = 1;

function gemmRowFunction(unroll: number): FunctionDef {
  const [AP, BP, C, LDC, KC_PAD, PANELS, ACCUMULATE] = [0, 1, 2, 3, 4, 5, 6];
  const [P, A, B, END, CC, CROW] = [7, 8, 9, 10, 11, 12];
  const ACC = 13; // 8 v128 accumulators: row r, half h at ACC + 2r + h
  const [AV, B0, B1] = [21, 22, 23];
  const unrolled: Code[] = Array.from({ length: unroll }, (_, u) => [
    ...get(B),
    ...op.v128Load(32 * u),
    ...set(B0),
    ...get(B),
    ...op.v128Load(32 * u + 16),
    ...set(B1),
    ...[0, 1, 2, 3].flatMap((r) => [
      ...get(A),
      ...op.loadSplat(16 * u + 4 * r),
      ...set(AV),
      ...[B0, B1].flatMap((half, h) => [
        ...get(ACC + 2 * r + h),
        ...get(AV),
        ...get(half),
        ...op.f32x4Mul,
        ...op.f32x4Add,
        ...set(ACC + 2 * r + h),
      ]),
    ]),
  ]);
  const store = (r: number): Code => [
    ...add(get(CC), mul(get(LDC), i32(r))),
    ...set(CROW),
    ...get(ACCUMULATE),
    ...ifElse(
      [0, 16].map((offset, h) => [
        ...get(CROW),
        ...get(CROW),
        ...op.v128Load(offset),
        ...get(ACC + 2 * r + h),
        ...op.f32x4Add,
        ...op.v128Store(offset),
      ]),
      [0, 16].map((offset, h) => [...get(CROW), ...get(ACC + 2 * r + h), ...op.v128Store(offset)]),
    ),
  ];
  const panel: Code[] = [
    ...Array.from({ length: 8 }, (_, k) => [...op.v128Zero, ...set(ACC + k)]),
    [...add(get(AP), mul(get(KC_PAD), i32(16))), ...set(END)],
    forLoop(A, get(AP), get(END), i32(16 * unroll), [
      ...unrolled,
      [...add(get(B), i32(32 * unroll)), ...set(B)],
    ]),
    ...[0, 1, 2, 3].map(store),
    [...add(get(CC), i32(32)), ...set(CC)],
  ];
  return {
    name: 'gemmRow',
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, ...Array<typeof V128>(11).fill(V128)],
    body: [
      ...get(BP),
      ...set(B),
      ...get(C),
      ...set(CC),
      ...forLoop(P, i32(0), get(PANELS), i32(1), panel),
    ],
  };
}

export const gemmRowFunctionDef: FunctionDef = gemmRowFunction(K_UNROLL);
/** gemmRow's register tile (rows of A by columns of B) and its k unrolling. */
export const TILE = { rows: 4, cols: 8, kUnroll: K_UNROLL } as const;
