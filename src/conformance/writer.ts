// A real writer process for the conformance kit: builds a provider from a recipe (a built module,
// its export, options), then commits generations and prints each number it got. With `crash`,
// it kills itself with SIGKILL once its first commit holds a generation number, before the
// manifest is published: what a machine that dies mid-commit leaves behind.
// Started by runWriter, never by hand: node writer.js '<json job>'
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import * as errors from '../registry/errors/index.js';
import { Registry } from '../registry/registry.js';
import type { Provider, ProviderClass } from '../registry/spi.js';
import type { WriterJob } from './writer-process.js';

const job = JSON.parse(process.argv[2] ?? '{}') as WriterJob;
const module = job.recipe.module.startsWith('file:') ? job.recipe.module : pathToFileURL(job.recipe.module).href;
const ProviderModule = (await import(module))[job.recipe.export] as ProviderClass;
const built = new ProviderModule(job.recipe.options, { instance: `writer-${process.pid}`, errors });
const provider: Provider = job.crash
  ? new Proxy(built, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'publishGeneration') return typeof value === 'function' ? value.bind(target) : value;
        return (project: never, version: never) =>
          target.publishGeneration(project, version, () => {
            process.kill(process.pid, 'SIGKILL');
            throw new Error('unreachable: the writer is killed');
          });
      },
    })
  : built;
const registry = new Registry(provider, job.gcGraceMs === undefined ? {} : { gcGraceMs: job.gcGraceMs });

const until = job.forMs === undefined ? undefined : Date.now() + job.forMs;
for (let i = 0; until === undefined ? i < job.commits : Date.now() < until; i++) {
  const pooled =
    job.pool === undefined
      ? []
      : [
          {
            actor: 'pooled',
            bytes: new TextEncoder().encode(`pooled ${Math.floor(Math.random() * job.pool)}`),
            codec: 'raw',
          },
        ];
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
      ...pooled,
    ],
  });
  process.stdout.write(`${manifest.generation}\n`);
}
await registry.close();
