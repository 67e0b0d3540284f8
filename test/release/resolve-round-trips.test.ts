import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { Registry } from '../../src/registry/registry.js';
import type { Provider } from '../../src/registry/spi.js';
import { ProjectSource } from '../../src/release/project-source.js';
import { StagingCache } from '../../src/release/staging-cache.js';

const EXAMPLE = path.resolve('examples/iris');
const clock = (): Date => new Date('2026-05-06T07:08:09.000Z');

// A real provider behind a wrapper that counts its calls: on MLflow each is a request.
function counting(provider: Provider): { provider: Provider; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const counted = new Proxy(provider, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(key)] = (calls[String(key)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { provider: counted, calls };
}

describe('resolving a registered project by name', () => {
  it('lists its releases once, to find the latest', async () => {
    const { provider, calls } = counting(new VolatileProvider());
    const registry = new Registry(provider, { clock });
    const source = new ProjectSource(
      registry,
      new StagingCache(await mkdtemp(path.join(os.tmpdir(), 'statekeep-staging-'))),
      clock,
    );
    await source.publish(EXAMPLE);
    for (const key of Object.keys(calls)) delete calls[key];
    const project = await source.resolve('iris');
    expect(project.release).toBe('1.0.0');
    expect(calls.listReleases).toBe(1);
  });
});
