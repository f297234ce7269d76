/**
 * How the CLI reports what stopped a command. Expected conditions (bad options, a port in
 * use, a missing folder, a SQLite database locked, read-only or on a full disk) print one line; a `FatalError` from the user's program prints its
 * stack (it points into their code); any other error is a bug in hypertuner and prints its
 * stack. `HYPERTUNER_DEBUG=1` prints the stack of every error.
 */
import { FatalError, HypertunerError } from '../index.js';
import { isSqliteError, terminalText } from '../storage/index.js';

/** A Node.js system error (ENOENT, EADDRINUSE, ENOTFOUND, ...): the machine said no, not a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException;
  return error instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string';
}

/**
 * The text printed on stderr for an error that ended a command. An expected error is one line
 * (names and values in it are the user's: control characters, newlines too, shown escaped);
 * a stack keeps its lines.
 */
export function errorReport(error: unknown, debug: boolean): string {
  const stack =
    error instanceof Error && debug ? `\n${terminalText(error.stack ?? '', { lines: true })}` : '';
  const line = (text: string): string => `hypertuner: ${terminalText(text)}${stack}`;
  if (error instanceof HypertunerError) return line(`${error.message} [${error.code}]`);
  if (isSystemError(error)) return line(error.message);
  // SQLite's errors of the file or the disk are HypertunerErrors naming the file; others too
  // are the database speaking, in one line
  if (isSqliteError(error)) return line(`SQLite storage: ${error.message} [${error.code}]`);
  if (error instanceof FatalError) {
    // the user's program stopped the search on purpose: where it did so is theirs to see
    return `hypertuner: the program stopped the search (FatalError): ${terminalText(error.stack ?? error.message, { lines: true })}`;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `hypertuner: internal error (a bug in hypertuner; please report it with this text):\n${terminalText(text, { lines: true })}`;
}

/** A usage error of commander (`error: unknown option '--x'`) as one line with a code. */
export function usageErrorLine(text: string): string {
  const message = text.trim().replace(/^error: /, '');
  const sentence = `${message.charAt(0).toUpperCase()}${message.slice(1)}`;
  return `hypertuner: ${terminalText(sentence)}${/[.)]$/.test(sentence) ? '' : '.'} See hypertuner --help. [OPTIONS_INVALID]`;
}

/** A file the command was asked to write (`--out`) could not be written. */
export function writeFileError(error: unknown, path: string, flag: string): unknown {
  if (!isSystemError(error)) return error;
  const why: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    ENOTDIR: 'a part of its path is not a folder',
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
  };
  return new HypertunerError(
    'FILE_NOT_WRITABLE',
    `Cannot write --${flag} ${path}: ${why[error.code ?? ''] ?? error.message}.`,
    { field: flag, cause: error },
  );
}

/** The dashboard could not listen on --host/--port. */
export function listenError(error: unknown, host: string, port: number): unknown {
  if (!isSystemError(error)) return error;
  switch (error.code) {
    case 'EADDRINUSE':
      return new HypertunerError(
        'PORT_IN_USE',
        `Port ${port} on ${host} is already in use (--port); give another one, or --port 0 for any free port.`,
        { field: 'port', cause: error },
      );
    case 'EACCES':
      return new HypertunerError(
        'PORT_NOT_ALLOWED',
        `Not allowed to listen on port ${port} (--port): ports below 1024 need privileges; give one from 1024 to 65535, or 0 for any free port.`,
        { field: 'port', cause: error },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EADDRNOTAVAIL':
      return new HypertunerError(
        'HOST_INVALID',
        `Cannot listen on --host ${host} (${error.code}): give an address of this machine (127.0.0.1, ::1, or 0.0.0.0 for all of its interfaces) or a name that resolves to one.`,
        { field: 'host', cause: error },
      );
    default:
      return error;
  }
}
