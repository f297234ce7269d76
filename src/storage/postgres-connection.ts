/**
 * The PostgreSQL connection as the user means it and errors as the user can act on them:
 * which connection errors a retry may fix, `sslmode` read as libpq (psql) reads it, and the
 * `HypertunerError` (naming the password-redacted URL) that a failed connection becomes.
 */
import { HypertunerError } from '../space/index.js';
import type { HypertunerErrorCode } from '../space/index.js';
import { StorageErrorCode } from './storage.js';

/** SQLSTATE classes and codes after which the whole transaction may be run again. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
const CONNECTION_MESSAGES =
  /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|server closed the connection|the database system is (starting up|shutting down)/i;

/**
 * The errors `pg` gave (a query, a connection): while the storage is in use, only those are
 * retried or read as connection, login or SSL failures; an error of the caller's code run
 * inside a transaction (an oracle in `decide`) passes through as it is, whatever its text.
 */
const fromPostgres = new WeakSet<object>();

/** `promise` (a call into `pg`), its rejection recorded as one of `pg`'s. */
export async function fromPg<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null) fromPostgres.add(error);
    throw error;
  }
}

/** Whether `error` came out of a call wrapped in `fromPg`. */
export function isFromPg(error: unknown): boolean {
  return typeof error === 'object' && error !== null && fromPostgres.has(error);
}

/** Whether running the transaction again may succeed. */
export function isRetryablePostgresError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (RETRYABLE_CODES.has(e.code) || e.code.startsWith('08')))
    return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message) && !('field' in e);
}

/** System errors of a connection that never reached a server (besides the retryable ones). */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ENOENT', // a Unix socket path that does not exist
  'EACCES',
]);
/** TLS errors of Node.js and pg (which gives none a code when the server has no SSL). */
const SSL_MESSAGES = /\bSSL\b|\bTLS\b|certificate|self[- ]signed/i;
const SSL_CODES = /^(ERR_TLS_|ERR_SSL_|EPROTO$|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|CERT_)/;

/** The `sslmode` values of libpq; any other (`no-verify`) keeps the meaning pg gives it. */
const LIBPQ_SSL_MODES = new Set([
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
]);

/**
 * The connection strings to try, in order, for `connectionString`: when it has `sslmode`,
 * with `uselibpqcompat=true` so that the mode means what libpq says (`require`: encrypted,
 * certificate not checked; `verify-full`: checked), and for `prefer` (libpq's default:
 * SSL when the server has it) and `allow` (plain unless the server insists) the fallback.
 * A mode libpq does not have (pg's `no-verify`) leaves the string as it is.
 */
export function libpqConnectionStrings(connectionString: string): readonly string[] {
  const mode = /[?&]sslmode=([^&#]*)/.exec(connectionString)?.[1];
  // not a libpq mode (pg's own `no-verify`: SSL, certificate not checked): pg's meaning
  if (mode === undefined || !LIBPQ_SSL_MODES.has(mode)) return [connectionString];
  const compat = /[?&]uselibpqcompat=/.test(connectionString)
    ? connectionString
    : `${connectionString}&uselibpqcompat=true`;
  const withMode = (m: string): string => compat.replace(/([?&]sslmode=)[^&#]*/, `$1${m}`);
  switch (mode) {
    case 'prefer':
      return [compat, withMode('disable')];
    case 'allow':
      return [withMode('disable'), withMode('require')];
    default:
      return [compat];
  }
}

/** Whether the server turned down the kind of connection (SSL or plain) that was tried. */
export function isSslRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object' || typeof e.message !== 'string') return false;
  if (e.code === '28000') return /no encryption|SSL/i.test(e.message); // pg_hba.conf: hostssl only
  return /does not support SSL/i.test(e.message);
}

/** The text of an error (an AggregateError of several addresses has none of its own). */
function reasonOf(error: { message?: unknown; code?: unknown; errors?: unknown }): string {
  if (typeof error.message === 'string' && error.message.length > 0) return error.message;
  if (Array.isArray(error.errors)) {
    const inner = error.errors.map((e) => String((e as { message?: unknown }).message ?? e));
    if (inner.length > 0) return inner.join('; ');
  }
  return typeof error.code === 'string' ? error.code : String(error);
}

/**
 * `error`, met opening (`opening`) or using the PostgreSQL storage at `url` (already
 * password-redacted), as a `HypertunerError` (field 'storage') that names the URL and what is
 * wrong: `STORAGE_AUTH_FAILED` (login refused), `STORAGE_NOT_FOUND` (no such database),
 * `STORAGE_UNAVAILABLE` (server unreachable, SSL refused, connection lost for good) and, while
 * opening, `STORAGE_OPEN_FAILED` for any other error of the server. Anything else (our own
 * errors, a unique violation during a search) comes back unchanged, and so does, once open,
 * any error that did not come from `pg` (see `fromPg`): the caller's own, thrown inside a
 * transaction, whatever its text or code.
 */
export function postgresStorageError(
  error: unknown,
  url: string,
  options: { readonly opening: boolean; readonly retriedForMs?: number },
): unknown {
  if (error instanceof HypertunerError || (!options.opening && !isFromPg(error))) return error;
  const e = error as { code?: unknown; message?: unknown; severity?: unknown } | null;
  if (e === null || typeof e !== 'object') return error;
  const code = typeof e.code === 'string' ? e.code : '';
  const reason = reasonOf(e);
  const make = (errorCode: HypertunerErrorCode, message: string): HypertunerError =>
    new HypertunerError(errorCode, message, { field: 'storage', cause: error });
  const where = `PostgreSQL storage ${url}`;
  if (code.startsWith('28') || (code === '' && /\bSASL\b|password/i.test(reason))) {
    return make(
      StorageErrorCode.AuthFailed,
      `${where} refused the login: ${reason}. Check the user name and password in the URL (postgres://user:password@host:port/database)${code === '28000' ? ', and its sslmode' : ''}.`,
    );
  }
  if (code === '3D000') {
    return make(
      StorageErrorCode.NotFound,
      `${where}: ${reason}. Create it first (createdb, or CREATE DATABASE) or fix the database name in the URL.`,
    );
  }
  if (SSL_CODES.test(code) || (code === '' && SSL_MESSAGES.test(reason))) {
    return make(
      StorageErrorCode.Unavailable,
      `${where}: the SSL connection failed: ${reason}. Check sslmode (and sslrootcert) in the URL: sslmode=disable for no SSL, require for SSL without checking the certificate, verify-full to check it.`,
    );
  }
  if (isRetryablePostgresError(error) || UNREACHABLE_CODES.has(code)) {
    const retried =
      options.retriedForMs === undefined ||
      options.retriedForMs <= 0 ||
      !isRetryablePostgresError(error)
        ? ''
        : ` (retried for ${Math.round(options.retriedForMs / 100) / 10} s)`;
    return make(
      StorageErrorCode.Unavailable,
      options.opening
        ? `Cannot connect to ${where}: ${reason}${retried}. Check that the server is running and the host and port in the URL.`
        : `Lost the connection to ${where}: ${reason}${retried}.`,
    );
  }
  if (options.opening && (typeof e.severity === 'string' || code !== '')) {
    return make(
      StorageErrorCode.OpenFailed,
      `Cannot open ${where}: ${reason}${code === '' ? '' : ` (SQLSTATE ${code})`}.`,
    );
  }
  return error;
}
