/**
 * `pack`, the WebAssembly function that lays out an operand block of the matrix product
 * (gemm.ts) for gemmRow (gemm-code.ts):
 *
 * pack(src, sW, sK, width, valid, kc, kcPad, dst) copies a width × kc block whose element
 *   (w, k) is at src + w·sW + k·sK (bytes) to dst as kcPad rows of `width` floats, k-major;
 *   lanes w ≥ valid and rows k ≥ kc are zero.
 *
 * Three ways, by layout: rows of the block contiguous in memory (sW = 4: B, or a transposed A)
 * are copied four floats at a time; columns contiguous (sK = 4: A, or a transposed B) go
 * through 4×4 transposes in registers; anything else (edges, odd sizes) one float at a time.
 */
import { add, eq, forLoop, I32, ifElse, ltU, mul, op, V128 } from './wasm-assembler.js';
import type { Code, FunctionDef } from './wasm-assembler.js';

const { get, set, i32 } = op;
const [SRC, SW, SK, WIDTH, VALID, KC, KC_PAD, DST] = [0, 1, 2, 3, 4, 5, 6, 7];
const [K, W, ROW, D] = [8, 9, 10, 11];
/** Four loaded rows, then four half-transposed vectors. */
const R = 12;
const T = 16;

const advance = (bytes: number): Code => [...add(get(D), i32(bytes)), ...set(D)];
const rowStart: Code = [...add(get(SRC), mul(get(K), get(SK))), ...set(ROW)];

/** sW = 4, valid = width: each of the kc rows is `width` contiguous floats. */
function copyRows(): Code {
  const copy4: Code = [
    ...get(D),
    ...add(get(ROW), mul(get(W), i32(4))),
    ...op.v128Load(),
    ...op.v128Store(),
    ...advance(16),
  ];
  const zero4: Code = [...get(D), ...op.v128Zero, ...op.v128Store(), ...advance(16)];
  return forLoop(K, i32(0), get(KC_PAD), i32(1), [
    rowStart,
    ltU(get(K), get(KC)),
    ifElse(
      [forLoop(W, i32(0), get(WIDTH), i32(4), [copy4])],
      [forLoop(W, i32(0), get(WIDTH), i32(4), [zero4])],
    ),
  ]);
}

/** sK = 4, valid = width, kc = kcPad, all multiples of 4: 4×4 blocks transposed in registers. */
function transposeBlocks(): Code {
  // ROW: address of element (w, k); rows w..w+3 are ROW + q·sW.
  const load = (q: number): Code => [
    ...add(get(ROW), mul(get(SW), i32(q))),
    ...op.v128Load(),
    ...set(R + q),
  ];
  const half = (t: number, a: number, b: number, lanes: [number, number, number, number]) => [
    ...get(a),
    ...get(b),
    ...op.shuffle32(...lanes),
    ...set(T + t),
  ];
  // Output row k+q, lanes w..w+3: dst + (k+q)·width·4 + w·4.
  const store = (q: number, a: number, b: number, lanes: [number, number, number, number]) => [
    ...add(get(DST), mul(add(get(K), i32(q)), mul(get(WIDTH), i32(4))), mul(get(W), i32(4))),
    ...get(a),
    ...get(b),
    ...op.shuffle32(...lanes),
    ...op.v128Store(),
  ];
  return forLoop(K, i32(0), get(KC), i32(4), [
    forLoop(W, i32(0), get(WIDTH), i32(4), [
      [...add(get(SRC), mul(get(W), get(SW)), mul(get(K), i32(4))), ...set(ROW)],
      ...[0, 1, 2, 3].map(load),
      half(0, R, R + 1, [0, 4, 1, 5]),
      half(1, R + 2, R + 3, [0, 4, 1, 5]),
      half(2, R, R + 1, [2, 6, 3, 7]),
      half(3, R + 2, R + 3, [2, 6, 3, 7]),
      store(0, T, T + 1, [0, 1, 4, 5]),
      store(1, T, T + 1, [2, 3, 6, 7]),
      store(2, T + 2, T + 3, [0, 1, 4, 5]),
      store(3, T + 2, T + 3, [2, 3, 6, 7]),
    ]),
  ]);
}

/** Any layout, edges included: one float at a time. */
function scalar(): Code {
  return forLoop(K, i32(0), get(KC_PAD), i32(1), [
    rowStart,
    forLoop(W, i32(0), get(WIDTH), i32(1), [
      ltU(get(K), get(KC)),
      ltU(get(W), get(VALID)),
      op.i32And,
      ifElse(
        [get(D), add(get(ROW), mul(get(W), get(SW))), op.f32Load(), op.f32Store()],
        [get(D), op.f32(0), op.f32Store()],
      ),
      advance(4),
    ]),
  ]);
}

const and = (...conditions: Code[]): Code => [
  ...(conditions[0] ?? []),
  ...conditions.slice(1).flatMap((c) => [...c, ...op.i32And]),
];
const multipleOf4 = (x: Code): Code => eq([...x, ...i32(3), ...op.i32And], i32(0));

export const packFunctionDef: FunctionDef = {
  name: 'pack',
  params: [I32, I32, I32, I32, I32, I32, I32, I32],
  locals: [I32, I32, I32, I32, ...Array<typeof V128>(8).fill(V128)],
  body: [
    ...get(DST),
    ...set(D),
    ...and(eq(get(SW), i32(4)), eq(get(VALID), get(WIDTH))),
    ...ifElse(
      [copyRows()],
      [
        and(
          eq(get(SK), i32(4)),
          eq(get(VALID), get(WIDTH)),
          eq(get(KC), get(KC_PAD)),
          multipleOf4(get(KC)),
          multipleOf4(get(WIDTH)),
        ),
        ifElse([transposeBlocks()], [scalar()]),
      ],
    ),
  ],
};
