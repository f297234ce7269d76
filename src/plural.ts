/** Counted nouns in messages: `1 trial`, `3 trials`, `1 epoch`, `0 epochs`. */

/** `count` and the noun, singular for exactly 1 (`plural(2, 'trial')` is `2 trials`). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
