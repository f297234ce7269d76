/** Runs `hypertuner example ...` in this process, capturing what it writes to stdout and stderr. */
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerExampleCommand } from '../../src/cli/commands/example.js';

export async function runExample(args: readonly string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((out += String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((err += String(chunk)), true),
  );
  const program = new Command().exitOverride();
  registerExampleCommand(program);
  try {
    await program.parseAsync(['example', ...args], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  return { out, err };
}
