/**
 * A private PostgreSQL server for tests and benchmarks: `initdb` into a temp dir, `pg_ctl
 * start` on 127.0.0.1 with a free port and the socket in the temp dir, one database. As
 * root, the server runs as the `postgres` OS user (which owns the temp dir). Never touches
 * a system cluster. Needs the Debian package `postgresql` (binaries in
 * /usr/lib/postgresql/<version>/bin).
 */
import { execFileSync, execFile } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const execFileAsync = promisify(execFile);

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  readonly url: string;
  readonly port: number;
  /** A URL for another database on the same server, created on first use. */
  createDatabase(name: string): Promise<string>;
  /**
   * Creates a login role that must give `password` over TCP (scram-sha-256; every other role
   * stays trusted), owning `database` (default: the server's).
   */
  addPasswordUser(user: string, password: string, database?: string): Promise<void>;
  /** Turns SSL on, with a self-signed certificate for `localhost` (a restart). */
  enableSsl(): Promise<void>;
  /** Fast shutdown (in-flight transactions are cut), then start again on the same port. */
  restart(options?: { readonly downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Where the PostgreSQL binaries are, or an error telling how to install them. */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions.includes('15') ? '15' : versions[0];
  if (version === undefined) {
    throw new Error(
      'PostgreSQL server binaries not found in /usr/lib/postgresql/<version>/bin; the PostgreSQL storage tests need them: run `apt-get install -y postgresql` (Debian/Ubuntu).',
    );
  }
  return join(base, version, 'bin');
}

/** A TCP port on 127.0.0.1 where nothing listens (now). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function osUser():
  { readonly name: string; readonly uid: number; readonly gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { name: 'postgres', uid, gid };
}

export async function startPostgresServer(
  options: { readonly database?: string } = {},
): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = osUser();
  const dir = mkdtempSync(join(tmpdir(), 'hypertuner-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const run = async (tool: string, args: readonly string[]): Promise<string> => {
    const command = user === undefined ? join(bin, tool) : 'runuser';
    const fullArgs =
      user === undefined ? [...args] : ['-u', user.name, '--', join(bin, tool), ...args];
    try {
      const { stdout } = await execFileAsync(command, fullArgs, {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, LC_ALL: 'C' },
      });
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${tool} failed: ${e.stderr ?? e.message}`);
    }
  };
  await run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--no-instructions',
  ]);
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = (): Promise<string> =>
    run('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '60', 'start']);
  const stopServer = (): Promise<string> =>
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  await start();
  const database = options.database ?? 'hypertuner_test';
  const created = new Set<string>();
  const urlOf = (name: string): string => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const createDatabase = async (name: string): Promise<string> => {
    if (!created.has(name)) {
      await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
      created.add(name);
    }
    return urlOf(name);
  };
  await createDatabase(database);
  const psql = (sql: string): Promise<string> =>
    run('psql', [
      '-h',
      dir,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      database,
      '-v',
      'ON_ERROR_STOP=1',
      '-Atc',
      sql,
    ]);
  const ownByServer = (path: string): void => {
    if (user !== undefined) chownSync(path, user.uid, user.gid);
  };
  const passwordUsers: string[] = [];
  let stopped = false;
  return {
    url: urlOf(database),
    port,
    createDatabase,
    async addPasswordUser(name, password, db = database) {
      const quote = (text: string): string => text.replace(/'/g, "''");
      await psql(
        `CREATE ROLE "${name}" LOGIN PASSWORD '${quote(password)}'; ALTER DATABASE "${db}" OWNER TO "${name}";`,
      );
      passwordUsers.push(name);
      const hba = join(data, 'pg_hba.conf');
      writeFileSync(
        hba,
        [
          'local all all trust',
          ...passwordUsers.map((u) => `host all "${u}" 127.0.0.1/32 scram-sha-256`),
          'host all all 127.0.0.1/32 trust',
          '',
        ].join('\n'),
      );
      ownByServer(hba);
      // a restart, not a reload: the new rules hold once it returns
      await stopServer();
      await start();
    },
    async enableSsl() {
      const key = join(data, 'server.key');
      const crt = join(data, 'server.crt');
      execFileSync(
        'openssl',
        [
          'req',
          '-new',
          '-x509',
          '-days',
          '1',
          '-nodes',
          '-subj',
          '/CN=localhost',
          '-keyout',
          key,
          '-out',
          crt,
        ],
        { stdio: 'ignore' },
      );
      chmodSync(key, 0o600);
      ownByServer(key);
      ownByServer(crt);
      appendFileSync(join(data, 'postgresql.conf'), '\nssl = on\n');
      await stopServer();
      await start();
    },
    async restart({ downMs = 0 } = {}) {
      await stopServer();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await stopServer();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Starts a private server before the file's tests and stops it after them; the returned
 * function gives the running server.
 */
export function usePostgresServer(): () => PostgresServer {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the PostgreSQL test server is not started yet');
    return server;
  };
}
