import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publish, registryOf, commit } from '../../conformance/fixtures.js';
import { digestOf } from '../../../src/registry/digest.js';
import { hasCode, isStatekeepError } from '../../../src/registry/errors/index.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { RedisProvider } from '../../../src/providers/redis/redis-provider.js';
import { freePort } from '../../support/free-port.js';
import { sharedRedisServer } from '../../support/redis-server.js';
import { damageBlob, keysUnder, withRedis } from './server-view.js';

const redis = sharedRedisServer();
const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;
let count = 0;
const prefix = (): string => `provider-${process.pid}-${++count}:`;

/** The server's clock, in ms since the epoch (writtenAt and notWrittenSince are on it). */
function serverNow(): Promise<number> {
  return withRedis(redis.server.url(), async (send) => {
    const [s, us] = (await send(['TIME'])) as Buffer[];
    return Number(String(s)) * 1000 + Math.floor(Number(String(us)) / 1000);
  });
}

async function blobsOf(provider: RedisProvider): Promise<{ digest: string; size: number; writtenAt: number }[]> {
  const all = [];
  for await (const blob of provider.listBlobs(P)) all.push(blob);
  return all.sort((a, b) => a.digest.localeCompare(b.digest));
}

function expectNoSecret(error: unknown, ...secrets: string[]): void {
  expect(isStatekeepError(error)).toBe(true);
  const e = error as { message: string; hint: string; data: unknown };
  const shown = `${e.message}\n${e.hint}\n${JSON.stringify(e.data)}\n${JSON.stringify(error)}`;
  for (const secret of secrets) expect(shown).not.toContain(secret);
}

describe('redis provider: blobs and their write times (the lifecycle contract)', () => {
  it('stamps writtenAt with the server clock on every write, a rewrite included, and lists it with the size', async () => {
    const at = prefix();
    const provider = redis.provider(at);
    const bytes = randomBytes(1000);
    const digest = digestOf(bytes);
    const before = await serverNow();
    await provider.writeBlob(P, digest, bytes);
    const [first] = await blobsOf(provider);
    expect(first).toMatchObject({ digest, size: 1000 });
    expect(first!.writtenAt).toBeGreaterThanOrEqual(before);
    expect(first!.writtenAt).toBeLessThanOrEqual(await serverNow());
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A damaged copy is replaced by the rewrite, and the rewrite counts as a write.
    await damageBlob(redis.server.url(), at, P, digest, 'flip');
    expect(Buffer.compare(await provider.readBlob(P, digest), bytes)).not.toBe(0);
    await provider.writeBlob(P, digest, bytes);
    expect(Buffer.compare(await provider.readBlob(P, digest), bytes)).toBe(0);
    const [second] = await blobsOf(provider);
    expect(second!.writtenAt).toBeGreaterThan(first!.writtenAt);
    await provider.close();
  });

  it('deleteBlob deletes only a blob not written since notWrittenSince, and says whether it did', async () => {
    const provider = redis.provider(prefix());
    const bytes = randomBytes(64);
    const digest = digestOf(bytes);
    await provider.writeBlob(P, digest, bytes);
    const writtenAt = (await blobsOf(provider))[0]!.writtenAt;
    // Written at notWrittenSince counts as written since.
    expect(await provider.deleteBlob(P, digest, writtenAt)).toBe(false);
    expect(await provider.hasBlob(P, digest)).toBe(true);
    expect(await provider.deleteBlob(P, digest, writtenAt + 1)).toBe(true);
    expect(await provider.hasBlob(P, digest)).toBe(false);
    expect(await blobsOf(provider)).toEqual([]);
    await expect(provider.readBlob(P, digest)).rejects.toSatisfy((e) => hasCode(e, 'NOT_FOUND'));
    // Absent: false, not an error.
    expect(await provider.deleteBlob(P, digest, writtenAt + 1)).toBe(false);
    await provider.close();
  });

  it('a rewrite racing a deletion either stops it or leaves the blob stored and whole', async () => {
    const provider = redis.provider(prefix());
    for (let round = 0; round < 20; round++) {
      const bytes = randomBytes(4096);
      const digest = digestOf(bytes);
      await provider.writeBlob(P, digest, bytes);
      await new Promise((resolve) => setTimeout(resolve, 2));
      // gc's cut-off: after the first write, before the racing rewrite.
      const cutoff = await serverNow();
      const [, deleted] = await Promise.all([
        provider.writeBlob(P, digest, bytes),
        provider.deleteBlob(P, digest, cutoff),
      ]);
      expect(typeof deleted).toBe('boolean');
      expect(Buffer.compare(await provider.readBlob(P, digest), bytes)).toBe(0);
    }
    await provider.close();
  });
});

describe('redis provider: tombstones and deleted releases', () => {
  it('tombstoneGeneration replaces the manifest, keeps the number counted and never hands it out again', async () => {
    const provider = redis.provider(prefix());
    const registry = registryOf(provider);
    await publish(registry, P, V);
    await commit(registry, P, V, { a: 'one' });
    await commit(registry, P, V, { a: 'two' });
    const tombstone = new TextEncoder().encode('{"kind":"tombstone"}');
    await provider.tombstoneGeneration(P, V, 2 as GenerationNumber, tombstone);
    expect(Buffer.from(await provider.readManifest(P, V, 2 as GenerationNumber)).toString()).toBe(
      '{"kind":"tombstone"}',
    );
    expect((await provider.listGenerations(P, V)).sort()).toEqual([1, 2]);
    expect(await provider.latestGeneration(P, V)).toBe(2);
    expect(await provider.publishGeneration(P, V, () => new Uint8Array([1]))).toBe(3);
    await expect(provider.tombstoneGeneration(P, V, 9 as GenerationNumber, tombstone)).rejects.toSatisfy((e) =>
      hasCode(e, 'NOT_FOUND'),
    );
    await provider.close();
  });

  it('deleteRelease removes the record, its generations and tombstones, and the project once it has no release', async () => {
    const at = prefix();
    const provider = redis.provider(at);
    const registry = registryOf(provider);
    await publish(registry, P, V);
    await publish(registry, P, '2.0.0');
    await commit(registry, P, V, { a: 'one' });
    await provider.tombstoneGeneration(P, V, 1 as GenerationNumber, new Uint8Array([7]));
    await provider.deleteRelease(P, V);
    expect(await provider.listReleases(P)).toEqual(['2.0.0']);
    expect(await provider.listGenerations(P, V)).toEqual([]);
    expect(await provider.latestGeneration(P, V)).toBe(null);
    await expect(provider.readRelease(P, V)).rejects.toSatisfy((e) => hasCode(e, 'NOT_FOUND'));
    await expect(provider.deleteRelease(P, V)).rejects.toSatisfy((e) => hasCode(e, 'NOT_FOUND'));
    expect(await provider.listProjects()).toEqual([P]);
    await provider.deleteRelease(P, '2.0.0' as ReleaseVersion);
    expect(await provider.listProjects()).toEqual([]);
    // No key of a release is left: only the project's blobs (gc's to remove) remain.
    const left = await keysUnder(redis.server.url(), at);
    expect(left.filter((key) => !key.startsWith(`${at}blob`))).toEqual([]);
    await provider.close();
  });

  it('keeps registries with different prefixes apart in one database', async () => {
    const one = redis.provider(prefix());
    const two = redis.provider(prefix());
    await publish(registryOf(one), P, V);
    expect(await one.listProjects()).toEqual([P]);
    expect(await two.listProjects()).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });
});

describe('redis provider: credentials and reachability', () => {
  it('a wrong password is UNAUTHORIZED, naming the reply and where credentials come from, never the password', async () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const provider = new RedisProvider({ url: `redis://:${wrong}@127.0.0.1:${redis.server.port}/0`, prefix: prefix() });
    expect(provider.descriptor.target).not.toContain(wrong);
    const error = await provider.listProjects().catch((e: unknown) => e);
    expect(hasCode(error, 'UNAUTHORIZED')).toBe(true);
    expect((error as { data: Record<string, unknown> }).data).toMatchObject({
      provider: 'redis',
      status: 401,
      reply: 'WRONGPASS',
    });
    expectNoSecret(error, wrong, redis.server.password);
    await provider.close();
  });

  it('a password given as an option is used, and shown nowhere when it is wrong', async () => {
    const good = new RedisProvider({
      url: `redis://127.0.0.1:${redis.server.port}/0`,
      password: redis.server.password,
      prefix: prefix(),
    });
    expect(await good.listProjects()).toEqual([]);
    await good.close();
    const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
    const bad = new RedisProvider({
      url: `redis://127.0.0.1:${redis.server.port}/0`,
      username: 'default',
      password: wrong,
      prefix: prefix(),
    });
    const error = await bad.writeBlob(P, digestOf(new Uint8Array(1)), new Uint8Array(1)).catch((e: unknown) => e);
    expect(hasCode(error, 'UNAUTHORIZED')).toBe(true);
    expectNoSecret(error, wrong);
    await bad.close();
  });

  it('no password for a server that requires one is UNAUTHORIZED (NOAUTH)', async () => {
    const provider = new RedisProvider({ url: `redis://127.0.0.1:${redis.server.port}/0`, prefix: prefix() });
    const error = await provider.listProjects().catch((e: unknown) => e);
    expect(hasCode(error, 'UNAUTHORIZED')).toBe(true);
    expect((error as { data: Record<string, unknown> }).data.reply).toBe('NOAUTH');
    await provider.close();
  });

  it('a server that is not there is UNAVAILABLE after the bounded retries, without the password', async () => {
    const port = await freePort();
    const secret = `s3cret-${randomBytes(6).toString('hex')}`;
    const provider = new RedisProvider({ url: `redis://:${secret}@127.0.0.1:${port}/0`, retries: 2, prefix: prefix() });
    const error = await provider.readRelease(P, V).catch((e: unknown) => e);
    expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
    expect((error as { data: { reason: string } }).data.reason).toMatch(/ECONNREFUSED.*tried 3 times/);
    expectNoSecret(error, secret);
    await provider.close();
  });

  it('options that cannot work are CONFIG errors naming the option, never quoting a url that may hold a password', () => {
    const config = (options: Record<string, unknown>): unknown => {
      try {
        new RedisProvider(options);
      } catch (error) {
        return error;
      }
      return null;
    };
    for (const [options, key] of [
      [{ url: 'http://127.0.0.1:6379' }, 'url'],
      [{ url: 'redis://:hunter22@127.0.0.1:6379/zero' }, 'url'],
      [{ url: 'redis://127.0.0.1:6379/0', prefix: 'has space' }, 'prefix'],
      [{ url: 'redis://127.0.0.1:6379/0', retries: 99 }, 'retries'],
      [{ url: 'redis://127.0.0.1:6379/0', uri: 'x' }, 'uri'],
      [{}, 'url'],
    ] as const) {
      const error = config(options);
      expect(hasCode(error, 'CONFIG')).toBe(true);
      expect((error as { data: { key: string } }).data.key).toBe(key);
      expectNoSecret(error, 'hunter22');
    }
  });

  it('an ACL user works within its key pattern without CONFIG, and one outside it is UNAUTHORIZED (NOPERM, 403)', async () => {
    const at = prefix();
    const user = `statekeep-acl-${process.pid}`;
    const secret = `acl-${randomBytes(6).toString('hex')}`;
    const admin = (args: string[]) => withRedis(redis.server.url(), (send) => send(args));
    // Its own keys, every command but CONFIG: the value-size limit falls back to the default.
    await admin(['ACL', 'SETUSER', user, 'reset', 'on', `>${secret}`, `~${at}*`, '+@all', '-config']);
    try {
      const allowed = new RedisProvider({
        url: `redis://${user}:${secret}@127.0.0.1:${redis.server.port}/0`,
        prefix: at,
      });
      await publish(registryOf(allowed), P, V);
      expect(await allowed.listProjects()).toEqual([P]);
      await allowed.close();
      const outside = new RedisProvider({
        url: `redis://${user}:${secret}@127.0.0.1:${redis.server.port}/0`,
        prefix: prefix(),
      });
      const error = await outside.listProjects().catch((e: unknown) => e);
      expect(hasCode(error, 'UNAUTHORIZED')).toBe(true);
      expect((error as { data: Record<string, unknown> }).data).toMatchObject({ status: 403, reply: 'NOPERM' });
      expect((error as { hint: string }).hint).toContain('ACL SETUSER');
      expectNoSecret(error, secret);
      await outside.close();
    } finally {
      await admin(['ACL', 'DELUSER', user]);
    }
  });
});
