import type { S3Client } from '@aws-sdk/client-s3';
import { digestHex, type Digest } from '../../registry/digest.js';
import {
  ConfigError,
  isStatekeepError,
  NotFoundError,
  ProviderError,
  UnauthorizedError,
  UnavailableError,
} from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { CleanupReport } from '../../registry/spi.js';
import type { ArtifactStore } from './artifact-store.js';

/** Below this a blob is one PutObject; from it on, a multipart upload with parts in parallel. */
export const MULTIPART_THRESHOLD = 64 * 2 ** 20;
const PART_SIZE = 64 * 2 ** 20;
// S3 allows 10,000 parts; 9,000 leaves room for a part size rounded up.
const MAX_PARTS = 9_000;
const QUEUE_SIZE = 4;

/** The part size of a multipart upload of `size` bytes: 64 MiB, or more for objects past 9,000 × 64 MiB. */
export function partSizeFor(size: number): number {
  return Math.max(PART_SIZE, Math.ceil(size / MAX_PARTS));
}

const SILENT = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const CREDENTIALS_HINT =
  'set artifacts.accessKeyId and artifacts.secretAccessKey in platform.yaml as ${VAR} references, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or another source of the AWS SDK credential chain) in the environment';

interface S3Settings {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

/**
 * Blobs as objects in an S3 bucket (AWS or an S3-compatible server), keyed
 *
 *     <prefix><project>/sha256/<64 hex>
 *
 * Small blobs are one PutObject of the caller's bytes; large ones a multipart upload through
 * @aws-sdk/lib-storage whose parts are views of those bytes (no copy), four in flight. Reads
 * stream into one buffer of the object's length, handing each piece on as it arrives. The SDK
 * is imported when the store is first used.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly target: string;
  readonly #settings: S3Settings;
  #client: Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;

  constructor(options: Record<string, unknown>) {
    this.#settings = s3Settings(options);
    const { bucket, prefix, endpoint } = this.#settings;
    this.target = `s3://${bucket}/${prefix}${endpoint === undefined ? '' : ` at ${endpoint}`}`;
  }

  #key(project: ProjectName, digest: Digest): string {
    return `${this.#settings.prefix}${project}/sha256/${digestHex(digest)}`;
  }

  /** The blob an object key names, or undefined for a key statekeep did not make. */
  #blobOf(key: string): { project: string; digest: Digest } | undefined {
    const rest = key.slice(this.#settings.prefix.length);
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/sha256\/([0-9a-f]{64})$/.exec(rest);
    return match === null ? undefined : { project: match[1]!, digest: `sha256:${match[2]}` as Digest };
  }

  #sdk(): Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> {
    this.#client ??= (async () => {
      // The SDK warns on stderr, once per process, that releases from 2027 on need Node 22;
      // statekeep supports Node 20 and keeps its output to itself. An explicit setting wins.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const sdk = await import('@aws-sdk/client-s3');
      const { region, endpoint, forcePathStyle, credentials } = this.#settings;
      const client = new sdk.S3Client({
        region,
        forcePathStyle,
        ...(endpoint !== undefined && { endpoint }),
        ...(credentials !== undefined && { credentials }),
        // Checksums only where S3 requires them: S3-compatible servers differ in the rest, and
        // the Registry verifies every blob by its SHA-256 anyway.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 4,
        // The SDK's own notices (a busy socket pool) would land on statekeep's stderr; failures
        // reach the caller as errors anyway.
        logger: SILENT,
      });
      return { client, sdk };
    })();
    return this.#client;
  }

  async put(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const { client, sdk } = await this.#sdk();
    const Key = this.#key(project, digest);
    const { bucket: Bucket } = this.#settings;
    await this.#call('write a blob', async () => {
      if (bytes.length < MULTIPART_THRESHOLD) {
        await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body: bytes, ContentLength: bytes.length }));
        return;
      }
      const { Upload } = await import('@aws-sdk/lib-storage');
      // A Buffer view of the same memory: lib-storage cuts parts with subarray, so no part is a copy.
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const upload = new Upload({
        client,
        params: { Bucket, Key, Body: body },
        partSize: partSizeFor(bytes.length),
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
    });
  }

  async get(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    const { client, sdk } = await this.#sdk();
    return this.#call('read a blob', async () => {
      let response: { Body?: unknown; ContentLength?: number | undefined };
      try {
        response = await client.send(
          new sdk.GetObjectCommand({ Bucket: this.#settings.bucket, Key: this.#key(project, digest) }),
        );
      } catch (error) {
        if (errorName(error) === 'NoSuchKey' || statusOf(error) === 404)
          throw new NotFoundError(
            { what: 'blob', project, name: digest },
            'the blob was never stored here or has been removed',
            { cause: error },
          );
        throw error;
      }
      return collect(response.Body as AsyncIterable<Uint8Array>, response.ContentLength, onChunk);
    });
  }

  async remove(project: ProjectName, digest: Digest): Promise<void> {
    const { client, sdk } = await this.#sdk();
    await this.#call('delete a blob', () =>
      client.send(new sdk.DeleteObjectCommand({ Bucket: this.#settings.bucket, Key: this.#key(project, digest) })),
    );
  }

  /**
   * Aborts multipart uploads under the prefix that writers left when they died: begun more than
   * `olderThanMs` ago by the server's clock, and for a blob not written within that age by the
   * metadata's (some S3-compatible servers report a fixed Initiated time).
   */
  async sweep(
    olderThanMs: number,
    dryRun: boolean,
    writtenWithin: (project: string, digest: Digest) => Promise<boolean>,
  ): Promise<CleanupReport> {
    const { client, sdk } = await this.#sdk();
    const { bucket: Bucket, prefix } = this.#settings;
    const report: CleanupReport = { removed: 0, bytes: 0 };
    await this.#call('clean up', async () => {
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      for (;;) {
        const page = await client.send(
          new sdk.ListMultipartUploadsCommand({ Bucket, Prefix: prefix, KeyMarker, UploadIdMarker }),
        );
        for (const upload of page.Uploads ?? []) {
          if (upload.Key === undefined || upload.UploadId === undefined) continue;
          const initiated = upload.Initiated?.getTime() ?? 0;
          if (Math.max(0, Date.now() - initiated) < olderThanMs) continue;
          const blob = this.#blobOf(upload.Key);
          if (blob !== undefined && (await writtenWithin(blob.project, blob.digest))) continue;
          const parts = await client.send(
            new sdk.ListPartsCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }),
          );
          const bytes = (parts.Parts ?? []).reduce((sum, part) => sum + (part.Size ?? 0), 0);
          if (!dryRun)
            await client.send(
              new sdk.AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }),
            );
          report.removed += 1;
          report.bytes += bytes;
        }
        if (page.IsTruncated !== true) break;
        KeyMarker = page.NextKeyMarker;
        UploadIdMarker = page.NextUploadIdMarker;
      }
    });
    return report;
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (pending !== undefined) (await pending.catch(() => undefined))?.client.destroy();
  }

  /** Runs one S3 call, turning the SDK's failures into statekeep's errors. */
  async #call<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw this.#translate(error, operation);
    }
  }

  #translate(error: unknown, operation: string): unknown {
    if (isStatekeepError(error)) return error;
    const name = errorName(error);
    const status = statusOf(error);
    const { bucket } = this.#settings;
    if (name === 'NoSuchBucket')
      return new ConfigError(
        { key: 'artifacts.bucket', problem: `the bucket ${bucket} does not exist (${this.target})` },
        'create the bucket, or set artifacts.bucket to an existing one',
        { cause: error },
      );
    if (
      status === 401 ||
      status === 403 ||
      name === 'InvalidAccessKeyId' ||
      name === 'SignatureDoesNotMatch' ||
      name === 'AccessDenied' ||
      name === 'CredentialsProviderError'
    )
      return new UnauthorizedError(
        { provider: 'sql', target: this.target, ...(status !== undefined && { status }), reason: name ?? 'denied' },
        CREDENTIALS_HINT,
      );
    if (status === undefined || status === 429 || status === 503 || status === 500 || status === 502 || status === 504)
      return new UnavailableError(
        {
          provider: 'sql',
          target: this.target,
          reason: `${name ?? 'no answer'}${status === undefined ? '' : ` (HTTP ${status})`}`,
        },
        `check that the object store at ${this.target} is running and reachable, then retry`,
        { cause: error },
      );
    return new ProviderError(
      { provider: 'sql', operation, detail: `${name ?? 'error'} (HTTP ${status}) from ${this.target}` },
      'the object store answered in a way statekeep did not expect; its log has the cause',
      { cause: error },
    );
  }
}

/** The object's bytes in one buffer of its length, each piece handed to onChunk as it lands. */
async function collect(
  body: AsyncIterable<Uint8Array>,
  length: number | undefined,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  if (length === undefined) {
    const pieces: Uint8Array[] = [];
    for await (const chunk of body) {
      pieces.push(chunk);
      onChunk?.(chunk);
    }
    return Buffer.concat(pieces);
  }
  const buffer = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for await (const chunk of body) {
    // More than announced is a damaged answer; the digest check tells, so keep what fits.
    const take = Math.min(chunk.length, length - offset);
    buffer.set(take === chunk.length ? chunk : chunk.subarray(0, take), offset);
    const start = offset;
    offset += take;
    if (take > 0) onChunk?.(buffer.subarray(start, offset));
  }
  return offset === length ? buffer : buffer.subarray(0, offset);
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function s3Settings(options: Record<string, unknown>): S3Settings {
  const text = (key: string): string | undefined => {
    const value = options[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string')
      throw new ConfigError(
        { key: `artifacts.${key}`, problem: `must be a string, not ${typeof value}` },
        'write it as text',
      );
    return value;
  };
  const bucket = text('bucket');
  if (bucket === undefined)
    throw new ConfigError(
      { key: 'artifacts.bucket', problem: 'the s3 artifact store needs a bucket' },
      'set artifacts.bucket to the name of an existing bucket',
    );
  const prefix = text('prefix') ?? '';
  if (prefix !== '' && !/^([A-Za-z0-9._-]+\/)*$/.test(prefix))
    throw new ConfigError(
      { key: 'artifacts.prefix', problem: `${JSON.stringify(prefix)} is not a key prefix` },
      "write it as path segments of A-Z a-z 0-9 . _ - each ending in '/', e.g. statekeep/",
    );
  const endpoint = text('endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/?#]+/i.test(endpoint))
    throw new ConfigError(
      { key: 'artifacts.endpoint', problem: `${JSON.stringify(endpoint)} is not an http(s) URL` },
      'write it as http://host:port',
    );
  const accessKeyId = text('accessKeyId');
  const secretAccessKey = text('secretAccessKey');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new ConfigError(
      {
        key: accessKeyId === undefined ? 'artifacts.accessKeyId' : 'artifacts.secretAccessKey',
        problem: `is missing while ${accessKeyId === undefined ? 'secretAccessKey' : 'accessKeyId'} is set`,
      },
      CREDENTIALS_HINT,
    );
  const sessionToken = text('sessionToken');
  const forcePathStyle = options.forcePathStyle;
  if (forcePathStyle !== undefined && typeof forcePathStyle !== 'boolean')
    throw new ConfigError({ key: 'artifacts.forcePathStyle', problem: 'must be true or false' }, 'write true or false');
  return {
    bucket,
    prefix,
    endpoint,
    region: text('region') ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: forcePathStyle ?? true,
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined
        ? undefined
        : { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) },
  };
}
