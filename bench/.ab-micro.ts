// throwaway: per-op latency, single process, before vs after, interleaved
import { startPostgresServer } from '../test/helpers/postgres-server.js';
const server = await startPostgresServer({ database: 'micro' });
try {
  const mods = {
    before: await import('/tmp/baseline/src/storage/index.ts'),
    after: await import('/work/main/src/storage/index.ts'),
  };
  const stores: Record<string, any> = {};
  const studies: Record<string, number> = {};
  for (const v of ['before', 'after'] as const) {
    stores[v] = await mods[v].openStorage(await server.createDatabase(`m_${v}`));
    studies[v] = (await stores[v].createStudy({ name: 's', objectives: [{ name: 'loss', direction: 'minimize' }] })).id;
  }
  const t: Record<string, { start: number[]; finish: number[] }> = { before: { start: [], finish: [] }, after: { start: [], finish: [] } };
  for (let r = 0; r < 10; r++) {
    for (const v of ['before', 'after'] as const) {
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        const o = await stores[v].startTrial(studies[v], 'w', (s: any) => ({ kind: 'create', params: { i: s.trials.length } }));
        const t1 = performance.now();
        await stores[v].finishTrial(o.trial.id, { status: 'COMPLETED', values: [i] });
        const t2 = performance.now();
        t[v]!.start.push(t1 - t0);
        t[v]!.finish.push(t2 - t1);
      }
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(3);
  for (const v of ['before', 'after']) console.log(`${v}: startTrial median ${med(t[v]!.start)} ms, finishTrial median ${med(t[v]!.finish)} ms`);
  for (const v of ['before', 'after']) await stores[v].close();
} finally {
  await server.stop();
}
