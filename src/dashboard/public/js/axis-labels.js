// Axis labels that chart options, being JSON, cannot carry as functions: the server marks a
// numeric axis with `numberLabels: {}` (or `{ inactive: v }` when the axis has a slot at v for
// trials that did not use the parameter) and `withAxisLabels` turns the mark into a formatter.
// Used by the page and by `hypertuner plot` (SVG in Node, standalone HTML), so every rendering
// prints the same labels.

export const INACTIVE_LABEL = '(inactive)';

/** A tick value, short: exponent notation for very large or small magnitudes (1e-8, -9e11). */
export function axisNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) {
    const [mantissa, exponent] = value.toExponential().split('e');
    return `${Number(Number(mantissa).toPrecision(3))}e${Number(exponent)}`;
  }
  return Number(value.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

function labelFormatter(inactive) {
  if (typeof inactive !== 'number') return axisNumber;
  const tolerance = 1e-9 * Math.abs(inactive);
  return (value) => (Math.abs(value - inactive) <= tolerance ? INACTIVE_LABEL : axisNumber(value));
}

/** Replaces the `numberLabels` marks of the option's axes by label formatters (in place). */
export function withAxisLabels(option) {
  for (const key of ['xAxis', 'yAxis', 'parallelAxis']) {
    const axes = option[key];
    for (const axis of Array.isArray(axes) ? axes : axes ? [axes] : []) {
      const mark = axis.numberLabels;
      if (mark === undefined) continue;
      delete axis.numberLabels;
      axis.axisLabel = { ...axis.axisLabel, formatter: labelFormatter(mark.inactive) };
    }
  }
  return option;
}
