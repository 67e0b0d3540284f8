// A real alias-moving process for the conformance kit: builds a provider from a recipe, waits
// for the start signal on stdin (so every racer is ready before any moves), makes one
// compare-and-swap move and prints its outcome as JSON. Run by the kit, never by hand.
import { pathToFileURL } from 'node:url';

const job = JSON.parse(process.argv[2]);
const { Registry } = await import(pathToFileURL(job.registryModule).href);
const ProviderClass = (await import(pathToFileURL(job.recipe.module).href))[job.recipe.export];
const registry = new Registry(new ProviderClass(job.recipe.options, { instance: `alias-writer-${process.pid}` }));
// A first read warms the provider up (root check, connections) before the race starts.
await registry.resolveAlias(job.project, job.alias);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
let outcome;
try {
  const entry = await registry.setAlias(job.project, job.alias, job.to, { expect: job.expect, reason: job.reason });
  outcome = { won: true, entry: entry.entry };
} catch (error) {
  outcome = { won: false, code: error.code, data: error.data };
}
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await registry.close();
