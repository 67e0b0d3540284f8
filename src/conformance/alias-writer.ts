// A real alias-moving process for the conformance kit: builds a provider from a recipe, waits
// for the start signal on stdin (so every racer is ready before any moves), makes one
// compare-and-swap move and prints its outcome as JSON.
// Started by startAliasRacer, never by hand: node alias-writer.js '<json job>'
import { pathToFileURL } from 'node:url';
import * as errors from '../registry/errors/index.js';
import { Registry } from '../registry/registry.js';
import type { ProviderClass } from '../registry/spi.js';
import type { AliasRace, AliasRaceOutcome } from './alias-writer-process.js';

const job = JSON.parse(process.argv[2] ?? '{}') as AliasRace;
const module = job.recipe.module.startsWith('file:') ? job.recipe.module : pathToFileURL(job.recipe.module).href;
const ProviderModule = (await import(module))[job.recipe.export] as ProviderClass;
const registry = new Registry(
  new ProviderModule(job.recipe.options, { instance: `alias-writer-${process.pid}`, errors }),
);
// A first read warms the provider up (root check, connections) before the race starts.
await registry.resolveAlias(job.project, job.alias);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
let outcome: AliasRaceOutcome;
try {
  const entry = await registry.setAlias(job.project, job.alias, job.to, { expect: job.expect, reason: job.reason });
  outcome = { won: true, entry: entry.entry };
} catch (error) {
  const { code, data } = error as { code?: string; data?: unknown };
  outcome = { won: false, code, data };
}
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await registry.close();
