import { startPostgresServer } from '../test/helpers/postgres-server.js';
const server = await startPostgresServer({ database: 'micro' });
const mode = process.argv[2] ?? 'after';
try {
  const mod = await import(mode === 'before' ? '/tmp/baseline/src/storage/index.ts' : '/work/main/src/storage/index.ts');
  const store = await mod.openStorage(await server.createDatabase(`m`));
  const id = (await store.createStudy({ name: 's', objectives: [{ name: 'loss', direction: 'minimize' }] })).id;
  const st: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t0 = performance.now();
    const o = await store.startTrial(id, 'w', (s: any) => ({ kind: 'create', params: { i: s.trials.length } }));
    st.push(performance.now() - t0);
    await store.finishTrial(o.trial.id, { status: 'COMPLETED', values: [i] });
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(3);
  console.log(`${mode} ${process.env['HT_NO_PREREAD'] ? 'nopre ' : ''}${process.env['HT_NO_CTE'] ? 'nocte ' : ''}startTrial median ${med(st)}`);
  await store.close();
} finally { await server.stop(); }
