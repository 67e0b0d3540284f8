import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { hasCode, isStatekeepError } from '../../../src/registry/errors/index.js';
import { digestOf } from '../../../src/registry/digest.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { SqlProvider } from '../../../src/providers/sql/sql-provider.js';
import { SCHEMA_VERSION } from '../../../src/providers/sql/schema.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { freePort } from '../../support/free-port.js';
import { admin, pgUrl, sharedPostgresServer } from '../../support/postgres-server.js';
import { sharedS3Server } from '../../support/s3-server.js';
import { sqlProviders } from './support.js';

vi.setConfig({ testTimeout: 120_000 });

const pg = sharedPostgresServer();
const s3 = sharedS3Server();
const onS3 = sqlProviders(
  's3',
  'prov_s3',
  () => pg.access,
  () => s3.endpoint,
);
const onPosix = sqlProviders(
  'posix',
  'prov_px',
  () => pg.access,
  () => s3.endpoint,
);

const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

/** Everything an error shows anyone: its JSON (message, hint, data), its text and its causes' messages. */
function shown(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    parts.push(e.message, String(e));
    if (isStatekeepError(e)) parts.push(JSON.stringify(e.toJSON()), e.hint);
  }
  return parts.join('\n');
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('sql provider: options', () => {
  it('refuses unknown options, a missing or non-postgres url and an unknown artifact store with CONFIG naming the key', () => {
    const base = { url: 'postgres://u:pw-not-shown@127.0.0.1:1/db', artifacts: { store: 'posix', path: '/tmp/x' } };
    const keyOf = (options: Record<string, unknown>): unknown => {
      try {
        new SqlProvider(options);
      } catch (error) {
        expect(hasCode(error, 'CONFIG')).toBe(true);
        expect(shown(error)).not.toContain('pw-not-shown');
        return (error as { data: { key: string } }).data.key;
      }
      return null;
    };
    expect(keyOf({ ...base, colour: 'blue' })).toBe('colour');
    expect(keyOf({ ...base, url: undefined })).toBe('url');
    expect(keyOf({ ...base, url: 'mysql://u:pw-not-shown@h/db' })).toBe('url');
    expect(keyOf({ ...base, url: 'postgres://u:pw-not-shown@' })).toBe('url');
    expect(keyOf({ ...base, schema: 'Has-Dash' })).toBe('schema');
    expect(keyOf({ ...base, artifacts: { store: 'gcs' } })).toBe('artifacts.store');
    expect(keyOf({ ...base, artifacts: { store: 's3' } })).toBe('artifacts.bucket');
    expect(keyOf({ ...base, artifacts: { store: 's3', bucket: 'b', prefix: 'no-slash' } })).toBe('artifacts.prefix');
    expect(keyOf({ ...base, artifacts: { store: 's3', bucket: 'b', accessKeyId: 'AKIA' } })).toBe(
      'artifacts.secretAccessKey',
    );
    expect(keyOf({ ...base, artifacts: { store: 'posix', path: '/tmp/x', bucket: 'b' } })).toBe('artifacts.bucket');
    expect(keyOf({ ...base, retries: -1 })).toBe('retries');
    expect(keyOf(base)).toBe(null);
  });

  it('names the database and the store in its target, without the password', () => {
    const provider = new SqlProvider({
      url: 'postgres://alice:pw-not-shown@db.example:5433/registry',
      schema: 'team',
      artifacts: { store: 's3', bucket: 'models', prefix: 'statekeep/', endpoint: 'http://s3:9000' },
    });
    expect(provider.descriptor.target).toBe(
      'postgres://alice@db.example:5433/registry (schema team), blobs in s3://models/statekeep/ at http://s3:9000',
    );
  });
});

describe('sql provider: connection failures and credentials', () => {
  it('wrong credentials are UNAUTHORIZED, and the password appears nowhere in message, hint or data', async () => {
    const secret = `wrong-${randomBytes(6).toString('hex')}`;
    const url = pgUrl({ ...pg.access, password: secret });
    const provider = new SqlProvider({ url, schema: 'never_made', artifacts: { store: 'posix', path: '/tmp/never' } });
    try {
      for (const call of [() => provider.listProjects(), () => provider.listReleases(P)]) {
        const error = await failure(call());
        expect(hasCode(error, 'UNAUTHORIZED')).toBe(true);
        expect((error as { data: { provider: string } }).data.provider).toBe('sql');
        expect(shown(error)).not.toContain(secret);
        expect(shown(error)).toContain(pg.access.host);
      }
    } finally {
      await provider.close();
    }
  });

  it('a server that is not there is UNAVAILABLE after bounded retries, naming the target and not the password', async () => {
    const secret = `pw-${randomBytes(6).toString('hex')}`;
    const port = await freePort();
    const provider = new SqlProvider({
      url: `postgres://statekeep:${secret}@127.0.0.1:${port}/registry`,
      retries: 2,
      artifacts: { store: 'posix', path: '/tmp/never' },
    });
    try {
      const error = await failure(provider.latestGeneration(P, V));
      expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
      expect((error as { data: { target: string } }).data.target).toBe(
        `postgres://statekeep@127.0.0.1:${port}/registry (schema statekeep)`,
      );
      expect(shown(error)).not.toContain(secret);
    } finally {
      await provider.close();
    }
  });
});

describe('sql provider: schema', () => {
  it('creates its tables on first use, with the schema version, also when several processes-worth of providers start at once', async () => {
    const first = await onPosix.create();
    const schema = onPosix.of(first).schema;
    const others = await Promise.all(
      Array.from({ length: 4 }, () => Promise.resolve(new SqlProvider(onPosix.of(first).options))),
    );
    try {
      await Promise.all([first, ...others].map((p) => p.listProjects()));
      const [rows] = await admin(pg.access, [`SELECT version FROM "${schema}".schema_version`]);
      expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
    } finally {
      await Promise.all(others.map((p) => p.close()));
      await onPosix.destroy(first);
    }
  });

  it('refuses a schema written by a newer statekeep, naming both versions, and changes nothing', async () => {
    const provider = await onPosix.create();
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    const { schema, options } = onPosix.of(provider);
    await admin(pg.access, [`UPDATE "${schema}".schema_version SET version = ${SCHEMA_VERSION + 98}`]);
    const newer = new SqlProvider(options);
    try {
      const error = await failure(newer.listReleases(P));
      expect(hasCode(error, 'INCOMPATIBLE_FORMAT')).toBe(true);
      expect((error as { data: unknown }).data).toMatchObject({
        found: String(SCHEMA_VERSION + 98),
        supported: `up to ${SCHEMA_VERSION}`,
      });
      expect(
        hasCode(
          await failure(newer.writeRelease(P, '2.0.0' as ReleaseVersion, new Uint8Array(1))),
          'INCOMPATIBLE_FORMAT',
        ),
      ).toBe(true);
      const [rows] = await admin(pg.access, [`SELECT version FROM "${schema}".releases ORDER BY version`]);
      expect(rows).toEqual([{ version: '1.0.0' }]);
    } finally {
      await newer.close();
      await onPosix.destroy(provider);
    }
  });
});

describe('sql provider: lifecycle', () => {
  it('tombstoneGeneration replaces the manifest, keeps the number counted and never hands it out again', async () => {
    const provider = await onPosix.create();
    try {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1' });
      await commit(registry, 'p', '1.0.0', { a: 'a2' });
      const tombstone = new TextEncoder().encode('{"kind":"tombstone"}');
      await provider.tombstoneGeneration(P, V, 2 as GenerationNumber, tombstone);
      expect(Buffer.from(await provider.readManifest(P, V, 2 as GenerationNumber)).toString()).toBe(
        '{"kind":"tombstone"}',
      );
      expect((await provider.listGenerations(P, V)).sort()).toEqual([1, 2]);
      expect(await provider.latestGeneration(P, V)).toBe(2);
      const next = await provider.publishGeneration(P, V, () => new TextEncoder().encode('m3'));
      expect(next).toBe(3);
      expect(
        hasCode(await failure(provider.tombstoneGeneration(P, V, 9 as GenerationNumber, tombstone)), 'NOT_FOUND'),
      ).toBe(true);
    } finally {
      await onPosix.destroy(provider);
    }
  });

  it('deleteRelease removes the record, its generations and tombstones; a second delete is NOT_FOUND', async () => {
    const provider = await onPosix.create();
    try {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await publish(registry, 'p', '1.1.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1' });
      await provider.tombstoneGeneration(P, V, 1 as GenerationNumber, new Uint8Array([1]));
      await provider.deleteRelease(P, V);
      expect(await provider.listReleases(P)).toEqual(['1.1.0']);
      expect(await provider.listGenerations(P, V)).toEqual([]);
      expect(hasCode(await failure(provider.readRelease(P, V)), 'NOT_FOUND')).toBe(true);
      expect(hasCode(await failure(provider.readManifest(P, V, 1 as GenerationNumber)), 'NOT_FOUND')).toBe(true);
      expect(hasCode(await failure(provider.deleteRelease(P, V)), 'NOT_FOUND')).toBe(true);
      await provider.deleteRelease(P, '1.1.0' as ReleaseVersion);
      expect(await provider.listProjects()).toEqual([]);
    } finally {
      await onPosix.destroy(provider);
    }
  });

  for (const [kind, kit] of [
    ['s3', onS3],
    ['posix', onPosix],
  ] as const) {
    it(`${kind}: deleteBlob deletes only a blob not written since, a rewrite refreshes writtenAt, listBlobs shows it`, async () => {
      const provider = await kit.create();
      try {
        const bytes = randomBytes(1000);
        const digest = digestOf(bytes);
        expect(await provider.deleteBlob(P, digest, Date.now() + 60_000)).toBe(false);
        const before = Date.now();
        await provider.writeBlob(P, digest, bytes);
        const [listed] = await collect(provider.listBlobs(P));
        expect(listed).toEqual({ digest, size: 1000, writtenAt: expect.any(Number) });
        expect(Math.abs(listed!.writtenAt - before)).toBeLessThan(60_000);
        // Written since the cutoff: kept.
        expect(await provider.deleteBlob(P, digest, listed!.writtenAt)).toBe(false);
        expect(await provider.hasBlob(P, digest)).toBe(true);
        // A rewrite counts as a write.
        await new Promise((r) => setTimeout(r, 5));
        await provider.writeBlob(P, digest, bytes);
        const [rewritten] = await collect(provider.listBlobs(P));
        expect(rewritten!.writtenAt).toBeGreaterThan(listed!.writtenAt);
        expect(await provider.deleteBlob(P, digest, rewritten!.writtenAt)).toBe(false);
        // Not written since: deleted, and gone from every view.
        expect(await provider.deleteBlob(P, digest, rewritten!.writtenAt + 1)).toBe(true);
        expect(await provider.hasBlob(P, digest)).toBe(false);
        expect(await collect(provider.listBlobs(P))).toEqual([]);
        expect(hasCode(await failure(provider.readBlob(P, digest)), 'NOT_FOUND')).toBe(true);
        expect(await provider.deleteBlob(P, digest, Date.now() + 60_000)).toBe(false);
        // And it can be stored again.
        await provider.writeBlob(P, digest, bytes);
        expect(Buffer.from(await provider.readBlob(P, digest)).equals(bytes)).toBe(true);
      } finally {
        await kit.destroy(provider);
      }
    });

    it(`${kind}: writeBlob racing deleteBlob on another connection pool always ends stored, whole and listed`, async () => {
      const writer = await kit.create();
      const deleter = new SqlProvider(kit.of(writer).options);
      try {
        for (let round = 0; round < 12; round++) {
          const bytes = randomBytes(4096 + round);
          const digest = digestOf(bytes);
          await writer.writeBlob(P, digest, bytes);
          // The deleter may take the old write; the rewrite below starts after its cutoff, so
          // whichever way they interleave, the blob must end up stored.
          const cutoff = Date.now();
          await Promise.all([writer.writeBlob(P, digest, bytes), deleter.deleteBlob(P, digest, cutoff)]);
          expect(await writer.hasBlob(P, digest)).toBe(true);
          expect(Buffer.from(await deleter.readBlob(P, digest)).equals(bytes)).toBe(true);
          expect((await collect(deleter.listBlobs(P))).map((b) => b.digest)).toContain(digest);
        }
      } finally {
        await deleter.close();
        await kit.destroy(writer);
      }
    });
  }

  it('s3: a deleteBlob that lands in the middle of a multipart writeBlob makes the writer store it again before it resolves', async () => {
    const writer = await onS3.create();
    const deleter = new SqlProvider(onS3.of(writer).options);
    try {
      const bytes = randomBytes(160 * 2 ** 20);
      const digest = digestOf(bytes);
      const { schema } = onS3.of(writer);
      await writer.listProjects();
      let resolved = false;
      const writing = writer.writeBlob(P, digest, bytes).then(() => (resolved = true));
      // Wait for its announcement (W1), then delete under it while the parts are uploading.
      for (;;) {
        const [rows] = await admin(pg.access, [`SELECT stored FROM "${schema}".blobs WHERE digest = '${digest}'`]);
        if (rows!.length > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await deleter.deleteBlob(P, digest, Date.now() + 60_000)).toBe(true);
      expect(resolved, 'the upload outlasted the deletion (else this test proves nothing)').toBe(false);
      await writing;
      expect(await deleter.hasBlob(P, digest)).toBe(true);
      expect((await collect(deleter.listBlobs(P))).map((b) => b.digest)).toEqual([digest]);
      expect(digestOf(await deleter.readBlob(P, digest))).toBe(digest);
    } finally {
      await deleter.close();
      await onS3.destroy(writer);
    }
  });
});
