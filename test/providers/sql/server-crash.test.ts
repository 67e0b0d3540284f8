import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasCode } from '../../../src/registry/errors/index.js';
import { Registry } from '../../../src/registry/registry.js';
import type { Provider } from '../../../src/registry/spi.js';
import { SqlProvider } from '../../../src/providers/sql/sql-provider.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server.js';

// A cluster of this file's own: these tests SIGKILL and restart it.
vi.setConfig({ testTimeout: 120_000 });

let server: PostgresServer;
let blobs: string;
beforeAll(async () => {
  server = await startPostgresServer();
  blobs = await mkdtemp(path.join(os.tmpdir(), 'statekeep-sql-crash-'));
});
afterAll(async () => {
  await server?.stop();
  await rm(blobs, { recursive: true, force: true });
});

const options = () => ({ url: server.url(), retries: 2, artifacts: { store: 'posix', path: blobs } });

describe('sql provider: PostgreSQL killed and restarted', () => {
  it('SIGKILL mid-commit leaves no partial generation; after a restart the same provider reads on and the next commit gets the next number', async () => {
    const provider = new SqlProvider(options());
    try {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1' });
      await commit(registry, 'p', '1.0.0', { a: 'a2' });
      // The third commit's transaction holds number 3 when the whole server dies by SIGKILL.
      const killing: Provider = new Proxy(provider, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key !== 'publishGeneration') return typeof value === 'function' ? value.bind(target) : value;
          return (p: never, v: never, render: (n: never) => Uint8Array) =>
            target.publishGeneration(p, v, (n) => {
              server.kill();
              return render(n as never);
            });
        },
      });
      let error: unknown;
      try {
        await commit(new Registry(killing), 'p', '1.0.0', { a: 'a3' });
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
      await server.restart();
      // The same provider, whose pooled connections died with the server.
      expect(await registry.generations('p', '1.0.0')).toEqual([1, 2]);
      expect(await registry.latest('p', '1.0.0')).toBe(2);
      const next = await commit(registry, 'p', '1.0.0', { a: 'a3' });
      expect(next.generation).toBe(3);
      const states = await registry.readStates(await registry.manifest('p', '1.0.0', 3));
      expect(Buffer.from([...states.values()][0]!).toString()).toBe('a3');
      // A provider that comes fresh sees the same.
      const fresh = new SqlProvider(options());
      try {
        expect(await registryOf(fresh).generations('p', '1.0.0')).toEqual([1, 2, 3]);
      } finally {
        await fresh.close();
      }
    } finally {
      await provider.close();
    }
  });

  it('a restart between two operations is invisible: reads and commits go on through new connections', async () => {
    const provider = new SqlProvider({ ...options(), schema: 'restart' });
    try {
      const registry = registryOf(provider);
      await publish(registry, 'q', '1.0.0');
      await commit(registry, 'q', '1.0.0', { a: 'a1' });
      server.kill();
      await server.restart();
      expect(await registry.generations('q', '1.0.0')).toEqual([1]);
      expect((await commit(registry, 'q', '1.0.0', { a: 'a2' })).generation).toBe(2);
    } finally {
      await provider.close();
    }
  });
});
