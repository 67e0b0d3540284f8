// A real writer process for the conformance kit: builds a provider from a recipe (a module of
// the build, its export, options), then commits generations and prints each number it got.
// Run by the kit, never by hand: node writer.mjs '<json job>'
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const job = JSON.parse(process.argv[2]);
const { Registry } = await import(pathToFileURL(job.registryModule).href);
const ProviderClass = (await import(pathToFileURL(job.recipe.module).href))[job.recipe.export];
const registry = new Registry(new ProviderClass(job.recipe.options, { instance: `writer-${process.pid}` }));

for (let i = 0; i < job.commits; i++) {
  const manifest = await registry.commit({
    project: job.project,
    release: job.release,
    mode: 'train',
    parent: null,
    training: { lower: i, upper: i + 1, rows: 1 },
    metrics: { writer: process.pid },
    states: [
      { actor: 'shared', bytes: new TextEncoder().encode('the same in every writer'), codec: 'raw' },
      { actor: 'own', bytes: randomBytes(job.stateBytes ?? 256), codec: 'raw' },
    ],
  });
  process.stdout.write(`${manifest.generation}\n`);
}
await registry.close();
