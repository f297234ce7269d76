/**
 * `hypertuner dashboard --storage URL`: serves the web dashboard of a storage's studies
 * (read-only, on 127.0.0.1 unless --host says otherwise) until Ctrl+C.
 */
import type { Command } from 'commander';
import { HypertunerError } from '../../index.js';
import { listenError } from '../errors.js';
import { openExistingStorage } from '../storage-flag.js';
import { parseWholeNumber } from '../parse.js';

interface DashboardFlags {
  readonly storage?: string;
  readonly port: string;
  readonly host: string;
  readonly allowedHost: readonly string[];
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('serve a web dashboard of the studies in a storage (read-only; updates live)')
    .option(
      '--storage <url>',
      'storage URL (sqlite:path.db, postgres://...; default $HYPERTUNER_STORAGE, else sqlite:hypertuner.db)',
    )
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'address to bind; give 0.0.0.0 to let other machines in', '127.0.0.1')
    .option(
      '--allowed-host <name>',
      'a host name the dashboard is reached by, besides localhost, 127.0.0.1, [::1] and --host (repeatable); requests naming any other are refused',
      collect,
      [],
    )
    .action(async (flags: DashboardFlags) => {
      const port = parseWholeNumber(flags.port, 'port', 0, 65535);
      for (const name of flags.allowedHost) {
        if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.?)$/i.test(name.trim())) {
          throw new HypertunerError(
            'OPTIONS_INVALID',
            `--allowed-host must be a host name or address (example.com, 10.0.0.5, [fe80::1]), without a port or scheme; got '${name}'.`,
            { field: 'allowed-host' },
          );
        }
      }
      // read-only, and following the searches that write the storage while it is served
      const storage = await openExistingStorage(flags.storage, { follow: true });
      const { startDashboard } = await import('../../dashboard/index.js');
      try {
        const running = await startDashboard({
          storage,
          host: flags.host,
          port,
          allowedHosts: flags.allowedHost,
        }).catch((error: unknown) => {
          throw listenError(error, flags.host, port);
        });
        process.stderr.write(
          `hypertuner dashboard: ${running.url} (storage ${storage.url}); Ctrl+C to stop\n`,
        );
        if (!LOOPBACK.has(flags.host)) {
          process.stderr.write(
            `hypertuner dashboard: listening on ${flags.host}: anyone who can reach this machine can read these studies (read-only, no authentication).\n`,
          );
        }
        process.stdout.write(`${running.url}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      } finally {
        await storage.close();
      }
    });
}
