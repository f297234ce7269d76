import { startPostgresServer } from '../test/helpers/postgres-server.js';
const server = await startPostgresServer({ database: 'micro' });
try {
  const before = await import('/tmp/baseline/src/storage/index.ts');
  const after = await import('/work/main/src/storage/index.ts');
  const variants = [
    { name: 'before', mod: before, env: {} },
    { name: 'after', mod: after, env: {} },
    { name: 'after-nopre', mod: after, env: { HT_NO_PREREAD: '1' } },
    { name: 'after-nocte', mod: after, env: { HT_NO_CTE: '1' } },
    { name: 'after-nopre-nocte', mod: after, env: { HT_NO_PREREAD: '1', HT_NO_CTE: '1' } },
  ];
  const state: any[] = [];
  for (const v of variants) {
    const store = await v.mod.openStorage(await server.createDatabase(`m_${v.name.replace(/-/g, '_')}`));
    const id = (await store.createStudy({ name: 's', objectives: [{ name: 'loss', direction: 'minimize' }] })).id;
    state.push({ v, store, id, st: [] as number[], fin: [] as number[] });
  }
  for (let i = 0; i < 300; i++) {
    for (const s of state) {
      delete process.env['HT_NO_PREREAD']; delete process.env['HT_NO_CTE'];
      Object.assign(process.env, s.v.env);
      const t0 = performance.now();
      const o = await s.store.startTrial(s.id, 'w', (x: any) => ({ kind: 'create', params: { i: x.trials.length } }));
      const t1 = performance.now();
      await s.store.finishTrial(o.trial.id, { status: 'COMPLETED', values: [i] });
      s.st.push(t1 - t0); s.fin.push(performance.now() - t1);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(3);
  for (const s of state) console.log(`${s.v.name.padEnd(18)} startTrial median ${med(s.st)} ms  finishTrial median ${med(s.fin)} ms`);
  for (const s of state) await s.store.close();
} finally { await server.stop(); }
