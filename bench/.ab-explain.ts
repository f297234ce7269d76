import pg from 'pg';
import { startPostgresServer } from '../test/helpers/postgres-server.js';
import { TRIAL_COLUMNS } from '../src/storage/sql/rows.js';
const server = await startPostgresServer({ database: 'x' });
try {
  const after = await import('/work/main/src/storage/index.ts');
  const store = await after.openStorage(server.url);
  const id = (await store.createStudy({ name: 's', objectives: [{ name: 'loss', direction: 'minimize' }] })).id;
  for (let i = 0; i < 300; i++) {
    const o = await store.startTrial(id, 'w', (x: any) => ({ kind: 'create', params: { i: x.trials.length } }));
    await store.finishTrial(o.trial.id, { status: 'COMPLETED', values: [i] });
  }
  await store.close();
  const c = new pg.Client({ connectionString: server.url }); await c.connect();
  const ij = '(SELECT json_agg(json_build_array(i.step, i.value::text, i.metrics) ORDER BY i.step)::text FROM intermediate_values i WHERE i.trial_id = trials.id)';
  const q = `EXPLAIN ANALYZE SELECT ${TRIAL_COLUMNS}, ${ij} AS intermediate_json, (SELECT revision FROM studies WHERE id = $1) AS study_revision FROM trials WHERE study_id = $2 AND revision > $3 AND status IN ('COMPLETED','PRUNED','FAILED')`;
  for (let k = 0; k < 3; k++) { const r = await c.query(q, [id, id, 299]); if (k === 2) console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n')); }
  const t0 = performance.now(); for (let k = 0; k < 100; k++) await c.query(q.replace('EXPLAIN ANALYZE ', ''), [id, id, 299]); console.log('pre-read x100', (performance.now() - t0).toFixed(1));
  const t1 = performance.now(); for (let k = 0; k < 100; k++) await c.query('SELECT 1'); console.log('select 1 x100', (performance.now() - t1).toFixed(1));
  await c.end();
} finally { await server.stop(); }
