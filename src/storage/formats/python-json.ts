/**
 * JSON as Python's `json` module writes and reads it, which Optuna's journal files are: the
 * non-finite floats `NaN`, `Infinity` and `-Infinity` are bare tokens (a pruned trial's
 * intermediate value may be NaN), and a float is written with a fraction or an exponent (`1.0`,
 * not `1`) so that Python reads it back as a float. `PyFloat` marks a number to write as a float.
 */

/** A number written as Python writes a float (`1.0`, `1e-07`, `NaN`, `Infinity`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** What `pythonJson` writes: JSON data, with `PyFloat`s and non-finite numbers allowed. */
export type PyJsonValue =
  | null
  | boolean
  | number
  | string
  | PyFloat
  | readonly PyJsonValue[]
  | { readonly [key: string]: PyJsonValue | undefined };

/** `value` as one line of JSON that Python's `json.loads` reads to the same data. */
export function pythonJson(value: PyJsonValue): string {
  if (value instanceof PyFloat) return floatText(value.value, true);
  if (typeof value === 'number') return floatText(value, false);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: PyJsonValue) => pythonJson(v)).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v as PyJsonValue)}`).join(', ')}}`;
}

function floatText(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (!float && Number.isSafeInteger(x)) return String(x);
  return pythonFloatRepr(x);
}

/**
 * Python's `repr` of a float: the shortest digits that read back to it (as JavaScript's), in
 * fixed notation for exponents -4 to 15 (`0.0001`, `2.0`), else `1e-05`, `1.5e+16`.
 */
export function pythonFloatRepr(x: number): string {
  const [mantissa = '0', exponentText = '0'] = Math.abs(x).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}

/** Parses one JSON text as Python's `json.loads` does (`NaN`, `Infinity`, `-Infinity` included). */
export function parsePythonJson(text: string): unknown {
  const parser = new Parser(text);
  const value = parser.value();
  parser.end();
  return value;
}

class Parser {
  #at = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  value(): unknown {
    this.#space();
    const c = this.#text[this.#at];
    if (c === '{') return this.#object();
    if (c === '[') return this.#array();
    if (c === '"') return this.#string();
    for (const [word, value] of WORDS) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return value;
      }
    }
    const number = this.#match(NUMBER);
    if (number === undefined) this.#fail('a value');
    return Number(number);
  }

  end(): void {
    this.#space();
    if (this.#at !== this.#text.length) this.#fail('the end');
  }

  #object(): Record<string, unknown> {
    this.#at++;
    const out: Record<string, unknown> = {};
    this.#space();
    if (this.#eat('}')) return out;
    do {
      this.#space();
      if (this.#text[this.#at] !== '"') this.#fail('a key');
      const key = this.#string();
      this.#space();
      if (!this.#eat(':')) this.#fail("':'");
      out[key] = this.value();
      this.#space();
    } while (this.#eat(','));
    if (!this.#eat('}')) this.#fail("',' or '}'");
    return out;
  }

  #array(): unknown[] {
    this.#at++;
    const out: unknown[] = [];
    this.#space();
    if (this.#eat(']')) return out;
    do {
      out.push(this.value());
      this.#space();
    } while (this.#eat(','));
    if (!this.#eat(']')) this.#fail("',' or ']'");
    return out;
  }

  #string(): string {
    const match = this.#match(STRING);
    if (match === undefined) this.#fail('a string');
    return JSON.parse(match) as string;
  }

  /** The text `pattern` (sticky) matches here, consumed; undefined when it does not match. */
  #match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.#at;
    const match = pattern.exec(this.#text);
    if (match === null) return undefined;
    this.#at = pattern.lastIndex;
    return match[0];
  }

  #space(): void {
    this.#match(SPACE);
  }

  #eat(c: string): boolean {
    if (this.#text[this.#at] !== c) return false;
    this.#at++;
    return true;
  }

  #fail(expected: string): never {
    throw new SyntaxError(`expected ${expected} at character ${this.#at + 1}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\r\n]*/y;

const WORDS: readonly (readonly [string, unknown])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];
