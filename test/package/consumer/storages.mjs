// The default storage (SQLite) and a PostgreSQL URL without `pg` installed, from the API.
import { Study, RandomSearchOracle, openStorage } from 'hypertuner';

const study = await Study.open({
  storage: 'sqlite:studies.db',
  name: 'demo',
  objective: 'loss',
  oracle: new RandomSearchOracle({ seed: 2 }),
});
await study.optimize(({ hp }) => hp.Float('x', { min: 0, max: 1 }), { maxTrials: 3 });
const sqliteTrials = (await study.trials()).length;
await study.close();

let postgres;
try {
  await openStorage('postgres://user:secret@127.0.0.1:9/none');
  postgres = { opened: true };
} catch (error) {
  postgres = { code: error.code, message: error.message };
}
process.stdout.write(`${JSON.stringify({ sqliteTrials, postgres })}\n`);
