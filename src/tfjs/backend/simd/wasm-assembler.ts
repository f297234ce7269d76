/**
 * A tiny WebAssembly assembler: just enough of the binary format to write a few SIMD loops by
 * hand (no toolchain here builds wasm). A module imports one memory, `env.memory`, and exports
 * its functions by name. Instructions are plain byte arrays built by the helpers of {@link op}
 * and spliced together; structured control flow nests byte arrays.
 *
 * Encoding reference: the WebAssembly core specification 2.0, section 5 (binary format), and
 * the fixed-width SIMD proposal's opcode table (prefix 0xfd).
 */

/** Machine code: a sequence of bytes. */
export type Code = readonly number[];

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: readonly Code[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const simd = (opcode: number, ...rest: number[]): number[] => [0xfd, ...uleb(opcode), ...rest];
/** memarg: alignment exponent (a hint; 0 is always valid) and a constant byte offset. */
const mem = (offset: number): number[] => [0, ...uleb(offset)];

/** Instructions. Loads and stores take an address on the stack plus a constant byte offset. */
export const op = {
  get: (local: number): Code => [0x20, ...uleb(local)],
  set: (local: number): Code => [0x21, ...uleb(local)],
  i32: (value: number): Code => [0x41, ...sleb(value)],
  f32: (value: number): Code => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)],
  i32Add: [0x6a] as Code,
  i32Mul: [0x6c] as Code,
  i32And: [0x71] as Code,
  i32Shl: [0x74] as Code,
  i32LtU: [0x49] as Code,
  i32Eq: [0x46] as Code,
  i32GeU: [0x4f] as Code,
  i32Load: (offset = 0): Code => [0x28, ...mem(offset)],
  f32Load: (offset = 0): Code => [0x2a, ...mem(offset)],
  f32Store: (offset = 0): Code => [0x38, ...mem(offset)],
  f32Add: [0x92] as Code,
  f32Mul: [0x94] as Code,
  f32Div: [0x95] as Code,
  f32Sqrt: [0x91] as Code,
  v128Load: (offset = 0): Code => simd(0x00, ...mem(offset)),
  v128Store: (offset = 0): Code => simd(0x0b, ...mem(offset)),
  /** Loads one f32 and splats it to all four lanes. */
  loadSplat: (offset = 0): Code => simd(0x09, ...mem(offset)),
  f32x4Splat: simd(0x13) as Code,
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)) as Code,
  /** Lanes `lanes` (0-3 from the first operand, 4-7 from the second) of two v128s. */
  shuffle32: (...lanes: readonly [number, number, number, number]): Code =>
    simd(0x0d, ...lanes.flatMap((l) => [0, 1, 2, 3].map((b) => 4 * l + b))),
  f32x4Add: simd(0xe4) as Code,
  f32x4Sub: simd(0xe5) as Code,
  f32x4Mul: simd(0xe6) as Code,
  f32x4Div: simd(0xe7) as Code,
  f32x4Min: simd(0xe8) as Code,
  f32x4Max: simd(0xe9) as Code,
  f32x4Sqrt: simd(0xe3) as Code,
  f32x4Gt: simd(0x44) as Code,
  f32x4Neg: simd(0xe1) as Code,
  /** Rounds each lane to the nearest integer (ties to even). */
  f32x4Nearest: simd(0x6a) as Code,
  /** Four f32 lanes, all `value`. */
  f32x4Const: (value: number): Code =>
    simd(0x0c, ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)),
  v128And: simd(0x4e) as Code,
  /** Lanes of the first operand where the mask (third) has ones, else of the second. */
  v128Bitselect: simd(0x52) as Code,
  i32x4TruncSatF32x4S: simd(0xf8) as Code,
  i32x4Add: simd(0xae) as Code,
  i32x4Splat: simd(0x11) as Code,
  i32x4Shl: simd(0xab) as Code,
};

/** i32 arithmetic on code that pushes one i32 each: sum of all, product, comparisons. */
export const add = (...terms: Code[]): Code => [
  ...(terms[0] ?? []),
  ...terms.slice(1).flatMap((t) => [...t, ...op.i32Add]),
];
export const mul = (x: Code, y: Code): Code => [...x, ...y, ...op.i32Mul];
export const ltU = (x: Code, y: Code): Code => [...x, ...y, ...op.i32LtU];
export const eq = (x: Code, y: Code): Code => [...x, ...y, ...op.i32Eq];

/** `block ... end`: `br n` inside, at the right depth, jumps past its end. */
export function block(...body: Code[]): Code {
  return [0x02, 0x40, ...body.flat(), 0x0b];
}

/** `loop ... end`: `br n` inside, at the right depth, jumps back to its start. */
export function loop(...body: Code[]): Code {
  return [0x03, 0x40, ...body.flat(), 0x0b];
}

/** `if ... else ... end` on an i32 condition popped from the stack, with no result. */
export function ifElse(then: Code[], otherwise: Code[] = []): Code {
  return [
    0x04,
    0x40,
    ...then.flat(),
    ...(otherwise.length > 0 ? [0x05, ...otherwise.flat()] : []),
    0x0b,
  ];
}

export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];

/**
 * `for (counter = from; counter < to; counter += step) body`, unsigned, where `from`, `to` and
 * `step` are code that pushes one i32 (`to` is evaluated every iteration). Inside `body`, the
 * loop itself is depth 0 (`br 0` continues without the increment) and its exit depth 1.
 */
export function forLoop(counter: number, from: Code, to: Code, step: Code, body: Code[]): Code {
  return [
    ...from,
    ...op.set(counter),
    ...block(
      loop(
        op.get(counter),
        to,
        op.i32GeU,
        brIf(1),
        ...body,
        op.get(counter),
        step,
        op.i32Add,
        op.set(counter),
        br(0),
      ),
    ),
  ];
}

/** One exported function. Locals are numbered after the parameters. */
export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results?: readonly ValueType[];
  readonly locals?: readonly ValueType[];
  readonly body: Code;
}

/** How the module's imported memory is declared: plain, or shared (threads) with its limits in pages. */
export type MemoryImport =
  | { readonly shared: false }
  | { readonly shared: true; readonly initial: number; readonly maximum: number };

/**
 * A module importing `env.memory` and exporting `functions`, as bytes to instantiate. A shared
 * memory (a `WebAssembly.Memory` made with `shared: true`) must be imported as shared, with
 * limits it satisfies.
 */
export function assemble(
  functions: readonly FunctionDef[],
  memory: MemoryImport = { shared: false },
): Uint8Array {
  const section = (id: number, content: Code): number[] => [
    id,
    ...uleb(content.length),
    ...content,
  ];
  const valueTypes = (list: readonly ValueType[]) => vec(list.map((t) => [t]));
  const types = functions.map((f) => [
    0x60,
    ...valueTypes(f.params),
    ...valueTypes(f.results ?? []),
  ]);
  const limits = memory.shared
    ? [0x03, ...uleb(memory.initial), ...uleb(memory.maximum)]
    : [0x00, ...uleb(0)];
  const memoryImport = [...name('env'), ...name('memory'), 0x02, ...limits];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const locals = f.locals ?? [];
    const groups = locals.map((type) => [...uleb(1), type]);
    const content = [...vec(groups), ...f.body, 0x0b];
    return [...uleb(content.length), ...content];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([memoryImport])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
