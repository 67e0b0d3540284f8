import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../src/registry/spi.js';
import { commit, publish, registryOf } from '../conformance/fixtures.js';
import { posixAt, scratch } from '../providers/posix/support.js';

describe('an alias move over a provider whose newest entry lags what it holds', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  it('gives up with PROVIDER after a few reads instead of retrying for ever', async () => {
    const real = posixAt(space.root);
    const registry = registryOf(real);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 's1' });
    await registry.setAlias('p', 'production', { release: '1.0.0', generation: 1 });
    // A stale lookup cache: the head reads as unset while entry 1 exists, so every create of 1 loses.
    let heads = 0;
    const lagging = new Proxy(real, {
      get(target, key) {
        if (key === 'latestAliasEntry')
          return async () => {
            heads += 1;
            return 0;
          };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Provider;
    const move = registryOf(lagging).setAlias('p', 'production', { release: '1.0.0', generation: 1 });
    await expect(move).rejects.toMatchObject({ code: 'PROVIDER', data: { operation: 'move alias production' } });
    expect(heads).toBeGreaterThan(2);
    expect(heads).toBeLessThan(30);
    // Nothing was written: the real log still holds its one entry.
    expect((await registry.aliases('p')).map((e) => e.entry)).toEqual([1]);
  });
});
