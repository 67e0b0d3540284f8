import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { hasCode } from '../../../src/registry/errors/index.js';
import { redisServerForFile } from '../../support/redis-server.js';

vi.setConfig({ testTimeout: 180_000 });

// A server of its own, since this file kills it.
const redis = redisServerForFile();
const WRITERS = 4;

describe('redis-server killed by SIGKILL in the middle of commits', () => {
  it('leaves no partial generation; after a restart on the same AOF every acknowledged commit is there and the next one succeeds', async () => {
    // Few retries, so commits caught by the kill give up while the server is still down.
    const provider = redis.provider('crash:', { retries: 1 });
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    const acknowledged: number[] = [];
    const failures: unknown[] = [];
    // Each writer commits until the server is gone: the kill lands inside one of its commits
    // (a blob upload, the publish script, or the reads between them).
    const writer = async (): Promise<void> => {
      for (;;) {
        try {
          const manifest = await commit(registry, 'p', '1.0.0', { own: randomBytes(256 * 1024), shared: 'same' });
          acknowledged.push(manifest.generation);
        } catch (error) {
          failures.push(error);
          return;
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    while (acknowledged.length < 12) await sleep(5);
    redis.own.kill();
    await Promise.all(writers);
    expect(failures).toHaveLength(WRITERS);
    for (const failure of failures) expect(hasCode(failure, 'UNAVAILABLE')).toBe(true);

    await redis.own.restart();
    // A fresh provider, as another process after the restart would open.
    const after = registryOf(redis.provider('crash:'));
    const numbers = await after.generations('p', '1.0.0');
    // No gap and nothing half there: 1..N, every acknowledged number among them, at most the
    // in-flight commits beyond (a publish the server applied before dying, unacknowledged).
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(numbers).toEqual(expect.arrayContaining(acknowledged));
    expect(numbers.length).toBeLessThanOrEqual(acknowledged.length + WRITERS);
    expect(await after.latest('p', '1.0.0')).toBe(numbers.length);
    for (const manifest of await after.manifests('p', '1.0.0')) {
      const states = await after.readStates(manifest);
      expect(states.get('own' as never)?.byteLength).toBe(256 * 1024);
    }
    const summary = await after.verify({ project: 'p' });
    expect(summary).toMatchObject({ damaged: 0, missing: 0 });
    // The provider whose connection the kill broke reconnects: the next commit gets N + 1.
    expect((await commit(registry, 'p', '1.0.0', { own: 'next' })).generation).toBe(numbers.length + 1);
    await provider.close();
  });

  it('a read caught by a restart is retried and answers once the server is back', async () => {
    const provider = redis.provider('restart:');
    const registry = registryOf(provider);
    await publish(registry, 'q', '1.0.0');
    await commit(registry, 'q', '1.0.0', { a: 'kept' });
    const restarted = redis.own.restart();
    const read = registry.generations('q', '1.0.0');
    await restarted;
    expect(await read).toEqual([1]);
    await provider.close();
  });
});
