/** Lower for x near 0.3, and going down with the steps. */
export function curve(x: number, step: number): number {
  return (x - 0.3) ** 2 + 1 / (step + 1);
}
