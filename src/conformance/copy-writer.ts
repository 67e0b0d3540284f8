// A real copying process for the conformance kit: builds the source and destination providers
// from recipes, copies everything from one to the other (copyRegistry) and prints the report as
// JSON. With `kill`, it dies by SIGKILL at the destination provider's n-th call: before making
// it, while it is under way, or once it resolved, so every step of a copy can be the last.
// Started by runCopyWriter, never by hand: node copy-writer.js '<json job>'
import { pathToFileURL } from 'node:url';
import { copyRegistry } from '../registry/copy.js';
import * as errors from '../registry/errors/index.js';
import { Registry } from '../registry/registry.js';
import type { Provider, ProviderClass } from '../registry/spi.js';
import type { CopyJob } from './copy-writer-process.js';
import type { ProviderRecipe } from './target.js';

const job = JSON.parse(process.argv[2] ?? '{}') as CopyJob;

async function build(recipe: ProviderRecipe, instance: string): Promise<Provider> {
  const module = recipe.module.startsWith('file:') ? recipe.module : pathToFileURL(recipe.module).href;
  const ProviderModule = (await import(module))[recipe.export] as ProviderClass;
  return new ProviderModule(recipe.options, { instance, errors });
}

const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};

function killing(provider: Provider, kill: NonNullable<CopyJob['kill']>): Provider {
  let calls = 0;
  return new Proxy(provider, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'descriptor') return value;
      return (...args: unknown[]) => {
        if ((kill.method !== undefined && key !== kill.method) || ++calls !== kill.call)
          return value.apply(target, args);
        if (kill.when === 'before') die();
        const result = value.apply(target, args);
        if (kill.when === 'during') setImmediate(die);
        else Promise.resolve(result).then(die, die);
        return result;
      };
    },
  });
}

const source = await build(job.source, 'copy-source');
const built = await build(job.destination, 'copy-destination');
const destination = job.kill === undefined ? built : killing(built, job.kill);
const from = new Registry(source);
const to = new Registry(destination);
const report = await copyRegistry(
  { registry: from, name: job.sourceName },
  { registry: to, name: 'destination' },
  {},
  { append: job.append === true },
);
process.stdout.write(`${JSON.stringify(report)}\n`);
// A provider holding a connection (redis, sql) would keep the process alive.
await Promise.all([from.close(), to.close()]);
