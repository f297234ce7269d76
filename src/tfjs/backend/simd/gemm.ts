/**
 * Matrix product on the WASM backend's heap with hypertuner's SIMD functions (../simd):
 * C = op(A)·op(B) for any combination of transposes, batched (equal batch sizes, or one of
 * them 1), without materialising a transposed operand.
 *
 * Why not the stock kernel: it multiplies with XNNPACK's fully-connected operator, which packs
 * B afresh (a scalar gather, ~6 ns an element) whenever B is a new tensor — every weight
 * matrix after every optimizer step — and has no transposed case (the stock fallback is a
 * naive loop at 1-2 GFLOP/s). Here both operands are packed (pack-code.ts: vector copies or
 * 4×4 transposes in registers) in blocks of KC rows of k that stay in cache, then multiplied
 * 4×8 at a time; a transposed operand only changes the strides the packing reads with.
 */
import { broadcast_util, util } from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TILE } from './gemm-code.js';
import { addressOf, heapF32 } from './simd-module.js';
import type { SimdFunctions } from './simd-module.js';

/** Rows of k per block: a packed block of B (KC × n) stays in L2, an A tile (KC × 4) in L1. */
const KC = 256;
const MR = TILE.rows;
const NR = TILE.cols;

/** Byte strides of an operand: element (outer, k) of A or (k, outer) of B. */
export interface Layout {
  readonly outer: number;
  readonly k: number;
}

/** Byte addresses of a product's operands, result and scratch blocks. */
export interface ProductAddresses {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly aPack: number;
  readonly bPack: number;
  readonly edge: number;
}

/** Floats of scratch a product with inner size `k` and `n` columns needs (packed B, A, edge). */
export function productScratchFloats(k: number, n: number): number {
  const panels = Math.ceil(n / NR);
  const kcMax = Math.ceil(Math.min(KC, Math.max(k, 1)) / TILE.kUnroll) * TILE.kUnroll;
  return kcMax * panels * NR + kcMax * MR + MR * panels * NR;
}

/** Splits a scratch block of {@link productScratchFloats} floats at `at` into its parts. */
export function productScratch(
  at: number,
  k: number,
  n: number,
): { aPack: number; bPack: number; edge: number } {
  const panels = Math.ceil(n / NR);
  const kcMax = Math.ceil(Math.min(KC, Math.max(k, 1)) / TILE.kUnroll) * TILE.kUnroll;
  const aPack = at + kcMax * panels * NR * 4;
  return { bPack: at, aPack, edge: aPack + kcMax * MR * 4 };
}

/**
 * One 2-D product C (m×n, row-major at `c`) = A·B with A, B read through their layouts; the
 * scratch addresses come from {@link productScratch}.
 */
export function product(
  simd: SimdFunctions,
  heapF32: () => Float32Array,
  at: ProductAddresses,
  dims: { m: number; k: number; n: number },
  la: Layout,
  lb: Layout,
): void {
  const { m, k, n } = dims;
  const panels = Math.ceil(n / NR);
  const full = Math.floor(n / NR);
  const ldc = n * 4;
  if (k === 0) {
    heapF32().fill(0, at.c / 4, at.c / 4 + m * n);
    return;
  }
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    // Rows of k rounded up (with zeros) to whole turns of gemmRow's k loop.
    const kcPad = Math.ceil(kc / TILE.kUnroll) * TILE.kUnroll;
    const accumulate = k0 > 0 ? 1 : 0;
    const panelBytes = kcPad * NR * 4;
    for (let p = 0; p < panels; p++) {
      const valid = Math.min(NR, n - p * NR);
      const src = at.b + k0 * lb.k + p * NR * lb.outer;
      simd.pack(src, lb.outer, lb.k, NR, valid, kc, kcPad, at.bPack + p * panelBytes);
    }
    for (let i0 = 0; i0 < m; i0 += MR) {
      const rows = Math.min(MR, m - i0);
      simd.pack(at.a + i0 * la.outer + k0 * la.k, la.outer, la.k, MR, rows, kc, kcPad, at.aPack);
      const c = at.c + i0 * ldc;
      if (rows === MR) {
        simd.gemmRow(at.aPack, at.bPack, c, ldc, kcPad, full, accumulate);
        if (full < panels) {
          simd.gemmRow(at.aPack, at.bPack + full * panelBytes, at.edge, NR * 4, kcPad, 1, 0);
          copyEdge(heapF32(), at.edge / 4, NR, c / 4 + full * NR, n, MR, n - full * NR, accumulate);
        }
      } else {
        simd.gemmRow(at.aPack, at.bPack, at.edge, panels * NR * 4, kcPad, panels, 0);
        copyEdge(heapF32(), at.edge / 4, panels * NR, c / 4, n, rows, n, accumulate);
      }
    }
  }
}

/** Writes (or adds) rows × cols floats from a scratch tile into C. Offsets are in floats. */
function copyEdge(
  heap: Float32Array,
  from: number,
  fromStride: number,
  to: number,
  toStride: number,
  rows: number,
  cols: number,
  accumulate: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = from + r * fromStride;
    const d = to + r * toStride;
    for (let j = 0; j < cols; j++) {
      heap[d + j] = (accumulate === 1 ? (heap[d + j] as number) : 0) + (heap[s + j] as number);
    }
  }
}

/**
 * op(a)·op(b) as a new float32 tensor, or undefined for what this path does not take (another
 * dtype, broadcasting between batch sizes that are both above 1, mismatched inner sizes); the
 * caller then uses the stock kernel, which also reports shape errors.
 */
export function simdMatMul(
  simd: SimdFunctions,
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const [a0, a1] = [a.shape[ra - 2] as number, a.shape[ra - 1] as number];
  const [b0, b1] = [b.shape[rb - 2] as number, b.shape[rb - 1] as number];
  const [m, k] = transposeA ? [a1, a0] : [a0, a1];
  const [kb, n] = transposeB ? [b1, b0] : [b0, b1];
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  if (k !== kb || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return undefined;
  let outBatch: number[];
  try {
    outBatch = broadcast_util.assertAndGetBroadcastShape(
      a.shape.slice(0, -2),
      b.shape.slice(0, -2),
    );
  } catch {
    return undefined;
  }
  const batch = Math.max(batchA, batchB);
  if (util.sizeFromShape(outBatch) !== batch) return undefined;
  const out = backend.makeOutput([...outBatch, m, n], 'float32');
  if (batch * m * n === 0) return out;
  const scratch = backend.makeOutput([Math.max(productScratchFloats(k, n), 1)], 'float32');
  const { aPack, bPack, edge } = productScratch(addressOf(backend, scratch), k, n);
  const la: Layout = transposeA ? { outer: 4, k: m * 4 } : { outer: k * 4, k: 4 };
  const lb: Layout = transposeB ? { outer: k * 4, k: 4 } : { outer: 4, k: n * 4 };
  const [aAt, bAt, cAt] = [a, b, out].map((t) => addressOf(backend, t)) as [number, number, number];
  for (let i = 0; i < batch; i++) {
    const at = {
      a: aAt + (batchA === 1 ? 0 : i * m * k * 4),
      b: bAt + (batchB === 1 ? 0 : i * k * n * 4),
      c: cAt + i * m * n * 4,
      aPack,
      bPack,
      edge,
    };
    product(simd, () => heapF32(backend), at, { m, k, n }, la, lb);
  }
  backend.disposeData(scratch.dataId);
  return out;
}
