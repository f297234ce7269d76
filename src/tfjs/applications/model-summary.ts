/**
 * A model's layers as a table, as Keras's `model.summary()` prints it plus each layer's
 * activation (what the article shows for its tuned models): layer name and type, output shape,
 * number of parameters, activation.
 */
import type { LayersModel } from '@tensorflow/tfjs';

export interface LayerSummaryRow {
  readonly name: string;
  /** The layer's class, e.g. `Dense`. */
  readonly type: string;
  /** e.g. `[null,256]` (null: the batch). */
  readonly outputShape: string;
  readonly params: number;
  /** The layer's `activation`, when it has one (e.g. `relu`), else ''. */
  readonly activation: string;
}

function shapeText(shape: unknown): string {
  return JSON.stringify(shape).replace(/,/g, ', ');
}

/** One row per layer, input layers left out. */
export function modelSummaryRows(model: LayersModel): LayerSummaryRow[] {
  return model.layers
    .filter((layer) => layer.getClassName() !== 'InputLayer')
    .map((layer) => {
      const activation = (layer.getConfig() as { activation?: unknown }).activation;
      return {
        name: layer.name,
        type: layer.getClassName(),
        outputShape: shapeText(layer.outputShape),
        params: layer.countParams(),
        activation: typeof activation === 'string' && activation !== 'linear' ? activation : '',
      };
    });
}

/** The table as text, with the total number of parameters (trainable or not) below it. */
export function modelSummary(model: LayersModel): string {
  const rows = modelSummaryRows(model);
  const header = ['Layer (type)', 'Output shape', 'Params', 'Activation'];
  const cells = rows.map((r) => [
    `${r.name} (${r.type})`,
    r.outputShape,
    r.params.toLocaleString('en-US'),
    r.activation,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((text, i) => (i === 2 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const total = rows.reduce((n, r) => n + r.params, 0);
  return [
    line(header),
    rule,
    ...cells.map(line),
    rule,
    `Total params: ${total.toLocaleString('en-US')}`,
  ].join('\n');
}
