/**
 * The dashboard against hostile pages and damaged studies: it answers only to the host names it
 * is reached by (a page of another site rebinding its own name to 127.0.0.1 gets 403), and a
 * damaged trial is named in the study's header while the other trials are shown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp } from '../../src/dashboard/index.js';
import { hostOfHeader } from '../../src/dashboard/allowed-hosts.js';
import { MemoryStorage, SqliteStorage, openStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { seedStudy } from '../helpers/seed-study.js';

type App = Awaited<ReturnType<typeof createDashboardApp>>;

async function statusFor(
  app: App,
  host: string | undefined,
  url = '/api/studies',
): Promise<number> {
  const response = await app.inject({
    method: 'GET',
    url,
    headers: host === undefined ? {} : { host },
  });
  return response.statusCode;
}

describe('dashboard: Host names', () => {
  const storage = new MemoryStorage();

  it('reads the host name of a Host header', () => {
    expect(hostOfHeader('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostOfHeader('[::1]:8080')).toBe('::1');
    expect(hostOfHeader('LocalHost.')).toBe('localhost');
    expect(hostOfHeader('evil.example:80')).toBe('evil.example');
    expect(hostOfHeader('')).toBeUndefined();
  });

  it('bound to 127.0.0.1: answers to localhost, 127.0.0.1 and [::1], 403 to any other name', async () => {
    const app = await createDashboardApp({ storage, host: '127.0.0.1', cacheMs: 0 });
    try {
      for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST'])
        expect(await statusFor(app, host), host).toBe(200);
      for (const host of ['evil.example:8080', 'attacker.test', '127.0.0.1.nip.io:8080']) {
        for (const url of ['/', '/api/studies', '/static/app.js', '/vendor/echarts.min.js']) {
          expect(await statusFor(app, host, url), `${host} ${url}`).toBe(403);
        }
      }
      const refused = await app.inject({
        method: 'GET',
        url: '/api/studies',
        headers: { host: 'evil.example:8080' },
      });
      expect(refused.json()).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        message: expect.stringMatching(
          /answers to localhost, 127\.0\.0\.1, \[::1\], not to the host name 'evil\.example'.*--allowed-host evil\.example/,
        ),
      });
    } finally {
      await app.close();
    }
  });

  it('answers to the --host address and to --allowed-host names', async () => {
    const app = await createDashboardApp({
      storage,
      host: '10.1.2.3',
      allowedHosts: ['tuning.lab', '[fe80::1]'],
      cacheMs: 0,
    });
    try {
      for (const host of ['10.1.2.3:8080', 'TUNING.LAB:8080', '[fe80::1]:8080', 'localhost'])
        expect(await statusFor(app, host), host).toBe(200);
      expect(await statusFor(app, 'other.lab')).toBe(403);
    } finally {
      await app.close();
    }
  });

  it("bound to 0.0.0.0: answers to this machine's addresses and name, not to others", async () => {
    const app = await createDashboardApp({ storage, host: '0.0.0.0', cacheMs: 0 });
    try {
      expect(await statusFor(app, `${hostname()}:8080`)).toBe(200);
      expect(await statusFor(app, '127.0.0.1')).toBe(200);
      expect(await statusFor(app, 'evil.example')).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('dashboard: a study with a damaged trial', () => {
  let dir: string;
  let storage: Storage;
  let app: App;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hypertuner-dashboard-damage-'));
    const file = join(dir, 'studies.db');
    const writer = new SqliteStorage(file);
    await seedStudy(writer, 'shop', 3);
    await writer.close();
    const db = new Database(file);
    db.prepare("UPDATE trials SET params = 'oops' WHERE number = 1").run();
    db.close();
    storage = await openStorage(`sqlite:${file}`, { readOnly: true });
    app = await createDashboardApp({ storage, cacheMs: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the other trials and names the damaged one in the header', async () => {
    const header = (await app.inject({ method: 'GET', url: '/api/study?study=shop' })).json<{
      total: number;
      damaged: { trial: number; field: string; message: string }[];
    }>();
    expect(header.total).toBe(2);
    expect(header.damaged).toEqual([
      {
        trial: 1,
        field: 'params',
        message: expect.stringMatching(/study "shop", trial 1: params is not valid JSON/),
      },
    ]);
    const trials = (await app.inject({ method: 'GET', url: '/api/trials?study=shop' })).json<{
      rows: { number: number }[];
    }>();
    expect(trials.rows.map((r) => r.number)).toEqual([0, 2]);
    const list = (await app.inject({ method: 'GET', url: '/api/studies' })).json<{
      studies: { name: string }[];
    }>();
    expect(list.studies.map((s) => s.name)).toEqual(['shop']);
  });
});
