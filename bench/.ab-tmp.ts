// throwaway A/B driver (not part of the repo): interleaves before/after worker processes on one PG server
import { spawn } from 'node:child_process';
import pg from 'pg';
import { startPostgresServer } from '../test/helpers/postgres-server.js';

const variants = { before: '/tmp/baseline/bench/storage.ts', after: '/work/main/bench/storage.ts', nopre: '/work/main/bench/storage.ts' } as const;
type V = keyof typeof variants;
const counts = (process.env['AB_WORKERS'] ?? '1,4,8').split(',').map(Number);
const rounds = Number(process.env['AB_ROUNDS'] ?? '3');
const durationMs = Number(process.env['AB_MS'] ?? '3000');

function worker(script: string, url: string, studyId: number, name: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--worker', url, String(studyId), String(durationMs), name], { stdio: ['pipe', 'pipe', 'inherit'], cwd: script.replace(/\/bench\/storage\.ts$/, ''), env: { ...process.env, ...env } });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); if (out.startsWith('ready\n')) markReady(); });
  const count = new Promise<number>((resolve, reject) => child.on('close', (code) => code === 0 ? resolve((JSON.parse(out.slice(6)) as { count: number }).count) : reject(new Error(`exit ${code}`))));
  return { ready, count, go: () => child.stdin.end('go\n') };
}

const server = await startPostgresServer({ database: 'ab' });
const results: Record<string, number[]> = {};
try {
  const urls = { before: await server.createDatabase('ab_before'), after: await server.createDatabase('ab_after'), nopre: await server.createDatabase('ab_nopre') };
  for (const v of ['before', 'after', 'nopre'] as const) {
    const mod = await import(v === 'before' ? '/tmp/baseline/src/storage/index.ts' : '/work/main/src/storage/index.ts');
    const s = await mod.openStorage(urls[v]);
    await s.close();
  }
  let seq = 0;
  for (let r = 0; r < rounds; r++) {
    for (const n of counts) {
      const order: V[] = ['before', 'after', 'nopre'];
      for (const v of r % 2 === 0 ? order : [...order].reverse()) {
        const c = new pg.Client({ connectionString: urls[v] });
        await c.connect();
        const res = await c.query(`INSERT INTO studies (name, objectives, space, user_attrs, created_at) VALUES ($1, '[{"name":"loss","direction":"minimize"}]', '{"version":1,"parameters":[]}', '{}', 0) RETURNING id`, [`s${seq++}`]);
        await c.end();
        const id = Number(res.rows[0].id);
        const hs = Array.from({ length: n }, (_, i) => worker(variants[v], urls[v], id, `w${i}`, v === 'nopre' ? { HT_NO_PREREAD: '1' } : {}));
        await Promise.all(hs.map((h) => h.ready));
        hs.forEach((h) => h.go());
        const total = (await Promise.all(hs.map((h) => h.count))).reduce((a, b) => a + b, 0);
        const rate = total / (durationMs / 1000);
        (results[`${v} ${n}`] ??= []).push(rate);
        console.log(`round ${r} ${v.padEnd(6)} ${n} workers: ${rate.toFixed(0)} asks+tells/s`);
      }
    }
  }
} finally {
  await server.stop();
}
for (const [k, xs] of Object.entries(results)) {
  const sorted = [...xs].sort((a, b) => a - b);
  console.log(`${k.padEnd(10)} median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} (${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
