/** Runs `hypertuner example ...` in this process, capturing what it writes to stdout and stderr. */
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerExampleCommand } from '../../src/cli/commands/example.js';
import { addExampleOptions, parseExampleFlags } from '../../src/cli/example/options.js';
import type { ExampleFlags, ExampleOptions } from '../../src/cli/example/options.js';

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

/** `hypertuner example`'s flags parsed and checked as the command does, without running it. */
export function parseExampleArgs(args: readonly string[]): ExampleOptions {
  return parseExampleFlags(
    addExampleOptions(new Command())
      .parse([...args], { from: 'user' })
      .opts<ExampleFlags>(),
  );
}
