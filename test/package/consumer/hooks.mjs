// Module hooks that write every URL a module resolves to into $HYPERTUNER_RESOLVED_LOG.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(process.env.HYPERTUNER_RESOLVED_LOG, `${result.url}\n`);
  return result;
}
