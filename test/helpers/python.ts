/**
 * Running a Python script that checks our files with the tools people use on Optuna's (the
 * csv module, pandas, Optuna itself): Debian's python3 with python3-optuna and python3-pandas.
 * `$HYPERTUNER_PYTHON` names another interpreter; without one that imports both, the test
 * fails saying how to install them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

let found: string | undefined;

/** A python3 that imports optuna and pandas, or an error saying how to get one. */
export function pythonWithOptuna(): string {
  if (found !== undefined) return found;
  const candidates = [process.env['HYPERTUNER_PYTHON'], '/usr/bin/python3', 'python3'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-c', 'import optuna, pandas'], { stdio: 'ignore' });
      found = candidate;
      return candidate;
    } catch {
      // the next one
    }
  }
  throw new Error(
    `No python3 that imports optuna and pandas (tried ${candidates.join(', ')}); the Optuna interoperability tests need them: run \`apt-get install -y python3-optuna python3-pandas\` (Debian/Ubuntu), or set HYPERTUNER_PYTHON to a python with optuna and pandas installed.`,
  );
}

/** Runs `script` with `args`; resolves to its stdout, or rejects with its stderr. */
export async function runPython(script: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(pythonWithOptuna(), [script, ...args], {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, PYTHONWARNINGS: 'ignore' },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${script} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}\n${e.message}`);
  }
}
