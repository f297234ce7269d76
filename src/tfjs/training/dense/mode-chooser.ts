/**
 * Chooses between two ways of doing the same work by measuring them as it goes: blocks of
 * steps alternate between the two until each has had `probes` blocks, then the faster one (more
 * units per millisecond over its measured blocks) is used, and the other is measured again for
 * one block every `reprobeEvery` steps, so a change of load changes the choice.
 */
export class ModeChooser {
  readonly #block: number;
  readonly #probes: number;
  readonly #reprobeEvery: number;
  readonly #units = [0, 0];
  readonly #ms = [0, 0];
  readonly #blocks = [0, 0];
  #step = 0;
  #current: 0 | 1 = 0;
  #sinceProbe = 0;
  #inBlock = 0;

  constructor(options: { block?: number; probes?: number; reprobeEvery?: number } = {}) {
    this.#block = options.block ?? 12;
    this.#probes = options.probes ?? 2;
    this.#reprobeEvery = options.reprobeEvery ?? 240;
  }

  /** Units per millisecond of mode `m` so far (NaN before it was measured). */
  rate(m: 0 | 1): number {
    return (this.#units[m] as number) / (this.#ms[m] as number);
  }

  /** The faster mode so far (0 until both were measured). */
  get best(): 0 | 1 {
    const [a, b] = [this.rate(0), this.rate(1)];
    return Number.isFinite(b) && (!Number.isFinite(a) || b > a) ? 1 : 0;
  }

  /** The mode of the next step. */
  next(): 0 | 1 {
    if (this.#inBlock === 0) {
      const exploring =
        (this.#blocks[0] as number) < this.#probes || (this.#blocks[1] as number) < this.#probes;
      if (exploring)
        this.#current = (this.#blocks[0] as number) <= (this.#blocks[1] as number) ? 0 : 1;
      else if (this.#sinceProbe >= this.#reprobeEvery) {
        this.#current = this.best === 0 ? 1 : 0;
        this.#sinceProbe = 0;
      } else this.#current = this.best;
    }
    return this.#current;
  }

  /** Records that a step of mode `m` did `units` of work in `ms` milliseconds. */
  record(m: 0 | 1, units: number, ms: number): void {
    this.#step++;
    this.#sinceProbe++;
    this.#inBlock = (this.#inBlock + 1) % this.#block;
    // the first step of a block pays for the switch (caches, a thread waking): not measured
    if (this.#inBlock !== 1 || this.#block === 1) {
      // older measurements fade, so the rates follow the machine's load
      this.#units[m] = (this.#units[m] as number) * 0.98 + units;
      this.#ms[m] = (this.#ms[m] as number) * 0.98 + ms;
    }
    if (this.#inBlock === 0) this.#blocks[m] = (this.#blocks[m] as number) + 1;
  }
}
