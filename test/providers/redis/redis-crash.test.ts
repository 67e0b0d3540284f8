import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { hasCode } from '../../../src/registry/errors/index.js';
import type { Provider } from '../../../src/registry/spi.js';
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

  it('a commit whose answer is lost is not applied twice: the retry finds the number its first attempt got', async () => {
    // The first publish reaches a server busy with another client's script, so it times out
    // unanswered and the provider drops the connection; the server runs it afterwards. The
    // retry renders for the next number, and the script answers with the one the commit's
    // token already holds.
    const provider = redis.provider('ambiguous:', { commandTimeoutMs: 300 });
    const rendered: number[] = [];
    let armed = false;
    const busy = await rawClient(redis.own.port, redis.own.password);
    const watched = new Proxy(provider, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'publishGeneration') return typeof value === 'function' ? value.bind(target) : value;
        const publish: Provider['publishGeneration'] = (project, version, render) =>
          target.publishGeneration(project, version, (n) => {
            rendered.push(n);
            if (armed) {
              armed = false;
              // Keep the server busy for a second (written to the socket at once), and give it
              // time to start before this publish is sent.
              busy.write(resp(['EVAL', BUSY_SCRIPT, '0', '1000']));
              Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
            }
            return render(n);
          });
        return publish;
      },
    });
    const registry = registryOf(watched);
    await publish(registry, 'p', '1.0.0');
    // The first commit loads the scripts into the server (a restart above emptied its cache):
    // a NOSCRIPT answer would say that nothing ran.
    expect((await commit(registry, 'p', '1.0.0', { a: 'first' })).generation).toBe(1);
    armed = true;
    const manifest = await commit(registry, 'p', '1.0.0', { a: 'once' });
    busy.destroy();
    expect(rendered).toEqual([1, 2, 3]);
    expect(manifest.generation).toBe(2);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 2]);
    expect((await registry.readStates(manifest)).size).toBe(1);
    expect((await commit(registry, 'p', '1.0.0', { a: 'next' })).generation).toBe(3);
    await provider.close();
  });
});

// Spins on the server's clock for ARGV[1] ms, writing nothing: the server serves no one meanwhile.
const BUSY_SCRIPT = `#!lua flags=no-writes
local t = redis.call('TIME')
local start = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
repeat t = redis.call('TIME') until tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 - start > tonumber(ARGV[1])
return 1`;

function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** A plain socket, authenticated: its writes reach the kernel at once, without waiting for the event loop. */
async function rawClient(port: number, password: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.write(resp(['AUTH', password]));
    socket.once('data', (reply) => (String(reply).startsWith('+OK') ? resolve() : reject(new Error(String(reply)))));
  });
  return socket;
}
