/**
 * `tsc --strict` of a user's files in a project, in this process: the diagnostics of those
 * files and of every declaration file of hypertuner they reach (no skipLibCheck for ours).
 * Other packages' declarations are not checked: @tensorflow/tfjs's own do not pass `strict`
 * (its users set skipLibCheck), which is not ours to fix.
 */
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import type ts from 'typescript';

/** The TypeScript module `name` resolves to: this repository's (`typescript`), or one at a path. */
export function typescript(name: string): typeof ts {
  return createRequire(import.meta.url)(name) as typeof ts;
}

/** The problems `tsc --strict` finds in `files` of `project` and hypertuner's declarations. */
export function typeCheck(
  tsc: typeof ts,
  project: string,
  files: readonly string[],
  compilerOptions: Readonly<Record<string, unknown>>,
): string[] {
  const parsed = tsc.convertCompilerOptionsFromJson(
    {
      ...compilerOptions,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      typeRoots: [join(project, 'node_modules', '@types')],
    },
    project,
  );
  const program = tsc.createProgram(
    files.map((f) => join(project, f)),
    parsed.options,
  );
  const modules = `${sep}node_modules${sep}`;
  const ours = program
    .getSourceFiles()
    .filter(
      (f) => !f.fileName.includes(modules) || f.fileName.includes(`${modules}hypertuner${sep}`),
    );
  const diagnostics = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((f) => [
      ...program.getSyntacticDiagnostics(f),
      ...program.getSemanticDiagnostics(f),
    ]),
  ];
  return diagnostics.map((d) => {
    const text = tsc.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.slice(project.length + 1)}:${line + 1}: ${text}`;
  });
}
