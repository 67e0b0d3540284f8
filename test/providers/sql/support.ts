// Building sql providers for tests on the run's shared PostgreSQL and S3 servers: each provider
// gets a schema (and a key prefix or directory) of its own, so tests never see each other's data.
import { mkdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ConformanceTarget, Damage, ProviderRecipe } from '../../../src/conformance/index.js';
import { digestHex, digestOf, type Digest } from '../../../src/registry/digest.js';
import type { Provider } from '../../../src/registry/spi.js';
import { tempPath } from '../../../src/providers/posix/temp-files.js';
import { SqlProvider } from '../../../src/providers/sql/sql-provider.js';
import { admin, type PostgresAccess, pgUrl } from '../../support/postgres-server.js';
import { createBucket, S3_CREDENTIALS } from '../../support/s3-server.js';

export const BUILT_SQL_PROVIDER = fileURLToPath(
  new URL('../../../dist/providers/sql/sql-provider.js', import.meta.url),
);

export type StoreKind = 's3' | 'posix';

/** What a test provider was built from, to reach behind it (damage, leftovers, recipes). */
export interface Made {
  options: Record<string, unknown>;
  schema: string;
  /** s3: the bucket and key prefix; posix: the directory. */
  bucket?: string;
  prefix?: string;
  dir?: string;
}

let counter = 0;

export function s3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...S3_CREDENTIALS } });
}

/**
 * Makes providers of one kind for one test file: `bucket` is created once (s3), schemas are
 * `<tag>_<pid>_<n>`, and `destroy` drops a provider's schema and directory.
 */
export function sqlProviders(kind: StoreKind, tag: string, pg: () => PostgresAccess, s3Endpoint: () => string) {
  const made = new WeakMap<Provider, Made>();
  const bucket = `sk-${tag.replace(/_/g, '-')}-${process.pid}`;
  let bucketReady: Promise<void> | undefined;

  const create = async (extra: Record<string, unknown> = {}): Promise<SqlProvider> => {
    const n = ++counter;
    const schema = `${tag}_${process.pid}_${n}`;
    let artifacts: Record<string, unknown>;
    const record: Made = { options: {}, schema };
    if (kind === 's3') {
      bucketReady ??= createBucket(s3Endpoint(), bucket);
      await bucketReady;
      record.bucket = bucket;
      record.prefix = `t${n}/`;
      artifacts = {
        store: 's3',
        bucket,
        prefix: record.prefix,
        endpoint: s3Endpoint(),
        accessKeyId: S3_CREDENTIALS.accessKeyId,
        secretAccessKey: S3_CREDENTIALS.secretAccessKey,
      };
    } else {
      record.dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-sql-blobs-'));
      artifacts = { store: 'posix', path: record.dir };
    }
    record.options = { url: pgUrl(pg()), schema, artifacts, ...extra };
    const provider = new SqlProvider(record.options, { instance: 'test' });
    made.set(provider, record);
    return provider;
  };

  const of = (provider: Provider): Made => {
    const m = made.get(provider);
    if (m === undefined) throw new Error('not a provider of this test file');
    return m;
  };

  const destroy = async (provider: Provider): Promise<void> => {
    const m = of(provider);
    await provider.close?.();
    await admin(pg(), [`DROP SCHEMA IF EXISTS "${m.schema}" CASCADE`]);
    if (m.dir !== undefined) await rm(m.dir, { recursive: true, force: true });
  };

  const objectKey = (m: Made, project: string, digest: Digest): string =>
    `${m.prefix}${project}/sha256/${digestHex(digest)}`;
  const blobFile = (m: Made, project: string, digest: Digest): string => {
    const hex = digestHex(digest);
    return path.join(m.dir!, project, 'sha256', hex.slice(0, 2), hex.slice(2));
  };

  const damageBlob = async (provider: Provider, project: string, digest: Digest, how: Damage): Promise<void> => {
    const m = of(provider);
    if (kind === 'posix') {
      const file = blobFile(m, project, digest);
      if (how === 'delete') return unlinkSync(file);
      const bytes = readFileSync(file);
      if (how === 'truncate') return truncateSync(file, Math.floor(bytes.length / 2));
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      return writeFileSync(file, bytes);
    }
    const client = s3Client(s3Endpoint());
    try {
      const Key = objectKey(m, project, digest);
      if (how === 'delete') {
        await client.send(new DeleteObjectCommand({ Bucket: m.bucket, Key }));
        return;
      }
      const got = await client.send(new GetObjectCommand({ Bucket: m.bucket, Key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      const damaged = how === 'truncate' ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes;
      if (how === 'flip') damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
      await client.send(new PutObjectCommand({ Bucket: m.bucket, Key, Body: damaged }));
    } finally {
      client.destroy();
    }
  };

  /**
   * What a writer that died mid-write leaves: a blob row announced (W1) but never confirmed
   * stored, with its object; and the store's own leftover, an unfinished multipart upload (s3)
   * or a torn temp file (posix).
   */
  const leaveLeftovers = async (provider: Provider, at: { project: string }): Promise<number> => {
    const m = of(provider);
    const whole = Buffer.from(`a blob whose writer died after storing it, at ${Date.now()}`);
    const torn = Buffer.from(`a blob whose writer died while uploading it, at ${Date.now()}`);
    // W1 of both: announced, never confirmed stored.
    const announce = (bytes: Buffer, incarnation: number): string =>
      `INSERT INTO "${m.schema}".blobs (project, digest, size, written_at, stored, incarnation)
       VALUES ('${at.project}', '${digestOf(bytes)}', ${bytes.length}, floor(extract(epoch from clock_timestamp()) * 1000)::bigint, false, ${incarnation})`;
    await admin(pg(), [announce(whole, 7), announce(torn, 8)]);
    if (kind === 'posix') {
      const file = blobFile(m, at.project, digestOf(whole));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, whole);
      const tornFile = blobFile(m, at.project, digestOf(torn));
      mkdirSync(path.dirname(tornFile), { recursive: true });
      writeFileSync(tempPath(path.dirname(tornFile)), torn.subarray(0, 5));
      // Two rows and one temp file.
      return 3;
    }
    const client = s3Client(s3Endpoint());
    try {
      await client.send(
        new PutObjectCommand({ Bucket: m.bucket, Key: objectKey(m, at.project, digestOf(whole)), Body: whole }),
      );
      const Key = objectKey(m, at.project, digestOf(torn));
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: m.bucket, Key }));
      await client.send(new UploadPartCommand({ Bucket: m.bucket, Key, UploadId, PartNumber: 1, Body: torn }));
      // Two rows and one unfinished multipart upload.
      return 3;
    } finally {
      client.destroy();
    }
  };

  const recipe = (provider: Provider): ProviderRecipe => ({
    module: BUILT_SQL_PROVIDER,
    export: 'SqlProvider',
    options: of(provider).options,
  });

  const target = (name: string, processes: { writers: number; commits: number }): ConformanceTarget => ({
    name,
    create: () => create(),
    destroy,
    damageBlob,
    leaveLeftovers,
    recipe,
    processes,
  });

  return { create, destroy, of, target, bucket, damageBlob };
}
