/**
 * Text output of the CLI: tables that fit the terminal's width, and `--help` showing defaults as
 * the values they are.
 */
import { describe, expect, it } from 'vitest';
import { studiesTable, trialsTable } from '../../src/cli/format.js';
import type { Trial } from '../../src/index.js';
import { trialRecord } from '../helpers/trial-record.js';
import { runCli } from '../helpers/run-cli.js';

/** A trial of a wide study: 14 parameters with long names. */
function wideTrial(number: number): Trial {
  const params = Object.fromEntries(
    Array.from({ length: 14 }, (_, i) => [`layer_${i}_units`, 64 * (1 + ((number + i) % 8))]),
  );
  return trialRecord(number, {
    params,
    values: [0.8 + number / 100],
    startedAt: 0,
    finishedAt: 41_000,
    workerId: 'host:123:abc',
    error:
      number === 1
        ? 'Error: out of memory while allocating a tensor of shape [512, 512]'
        : undefined,
    status: number === 1 ? 'FAILED' : 'COMPLETED',
  });
}

describe('trials table', () => {
  it('a narrow study: a column per parameter, no rule under every row', () => {
    const trials = [0, 2].map((n) =>
      trialRecord(n, { params: { x: 0.5, kind: 'a' }, values: [1] }),
    );
    const lines = trialsTable(trials, [], 100).split('\n');
    expect(lines[1]).toMatch(/│ # │ status +│ value │ x +│ kind │/);
    expect(lines).toHaveLength(5); // top, head, two rows, bottom
  });

  it('a wide study fits the width: its parameters wrap in one params column', () => {
    const trials = [0, 1, 2].map(wideTrial);
    const table = trialsTable(trials, [], 100);
    const lines = table.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[1]).toMatch(/│ # +│ status +│ value +│ params +│ duration │ worker +│ error +│/);
    expect(table).toContain('layer_0_units=64');
    expect(table).toContain('layer_13_units=');
    expect(table).toContain('Error: out of memory'); // the start of the error, shortened
    // the same study on a wide terminal: a column each
    expect(trialsTable(trials, [], 400).split('\n')[1]).toContain('layer_13_units');
  });

  it('the studies table fits too', () => {
    const table = studiesTable(
      [
        {
          id: 1,
          name: 'a-study-with-a-rather-long-name-for-its-experiment',
          objectives: Array.from({ length: 4 }, (_, i) => ({
            name: `metric_with_a_long_name_${i}`,
            direction: 'minimize' as const,
          })),
          space: undefined as never,
          createdAt: 0,
          userAttrs: {},
          trialCounts: { WAITING: 0, RUNNING: 1, COMPLETED: 10, PRUNED: 2, FAILED: 1 },
          bestValue: 0.25,
        },
      ],
      90,
    );
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(90);
  });
});

describe('--help', () => {
  it('shows defaults as values, once', async () => {
    const search = await runCli(['search', '--help']);
    expect(search.stdout).toMatch(
      /--workers <n> +trials run at once, in that many processes\s+\(default: 1\)/,
    );
    expect(search.stdout).not.toContain('(default: "');
    const example = await runCli(['example', '--help']);
    expect(example.stdout).toMatch(/\(default: \d+, the number of cores\)/);
    expect(example.stdout.match(/number of cores/g)).toHaveLength(1);
    expect(example.stdout).toMatch(
      /--dataset <name> +fashion-mnist, cifar10, mnist \(default:\s+fashion-mnist\)/,
    );
  });
});
