import { randomUUID } from 'node:crypto';
import type { Digest } from '../../registry/digest.js';
import { AlreadyExistsError, NotFoundError, UsageError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import {
  SPI_VERSION,
  type BlobListing,
  type CleanupReport,
  type Provider,
  type ProviderContext,
  type ProviderDescriptor,
} from '../../registry/spi.js';
import type { GenerationNumber, ReleaseVersion } from '../../registry/versions.js';
import { Passthrough, RedisConnection } from './connection.js';
import { RedisKeys } from './keys.js';
import { redisSettings } from './options.js';
import {
  APPEND_ALIAS,
  BLOB_SIZES,
  CREATE_RELEASE,
  DELETE_BLOB,
  DELETE_RELEASE,
  PUBLISH,
  TOMBSTONE,
  WRITE_BLOB,
} from './scripts.js';
import { checkValueSize } from './value-limit.js';

const LIST_PAGE = 256;

/**
 * A registry kept in one Redis database, every key under a prefix (keys.ts has the layout).
 * Numbers are allocated and manifests published by one Lua script that takes number n only if
 * the latest is n-1, so numbers have no gaps and a generation is visible only whole; blobs are
 * one value each (a SET is never seen half-done), stamped with the server's clock for gc.
 * Durable when the server runs with appendonly yes and appendfsync always (it warns otherwise).
 * Options: url, username, password, prefix, connectTimeoutMs, commandTimeoutMs, retries.
 */
export class RedisProvider implements Provider {
  readonly descriptor: ProviderDescriptor;
  readonly #conn: RedisConnection;
  readonly #keys: RedisKeys;

  constructor(options: Record<string, unknown>, _context: Partial<ProviderContext> = {}) {
    const settings = redisSettings(options);
    this.descriptor = { name: 'redis', spiVersion: SPI_VERSION, target: settings.target };
    this.#conn = new RedisConnection(settings);
    this.#keys = new RedisKeys(settings.prefix);
  }

  listProjects(): Promise<string[]> {
    return this.#read('list projects', ['SMEMBERS', this.#keys.projects()]);
  }

  listReleases(project: ProjectName): Promise<string[]> {
    return this.#read('list releases', ['HKEYS', this.#keys.releases(project)]);
  }

  async readRelease(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    const record = await this.#readBytes('read a release', ['HGET', this.#keys.releases(project), version]);
    if (record === null)
      throw new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
    return record;
  }

  writeRelease(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    const operation = 'publish a release';
    return this.#conn.retrying(operation, async (attempt) => {
      checkValueSize('the release record', record, await this.#conn.facts(), operation);
      const keys = [this.#keys.releases(project), this.#keys.projects()];
      const created = await this.#conn.script<number>(CREATE_RELEASE, keys, [version, buffer(record), project]);
      if (created === 1) return;
      // An earlier attempt whose answer was lost may have created it: then it holds these bytes.
      if (attempt > 0 && equal(await this.#bytes(['HGET', keys[0]!, version]), record)) return;
      throw new AlreadyExistsError(
        { what: 'release', project, release: version },
        'releases are immutable; bump the version',
      );
    });
  }

  hasBlob(project: ProjectName, digest: Digest): Promise<boolean> {
    return this.#conn.retrying(
      'look up a blob',
      async () => (await this.#conn.command<number>(['EXISTS', this.#keys.blob(project, digest)])) === 1,
    );
  }

  writeBlob(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const operation = 'store a blob';
    // Idempotent: a second SET of the same bytes only refreshes writtenAt.
    return this.#conn.retrying(operation, async () => {
      checkValueSize(`the blob ${digest}`, bytes, await this.#conn.facts(), operation);
      await this.#conn.script(
        WRITE_BLOB,
        [this.#keys.blob(project, digest), this.#keys.blobs(project)],
        [digest, buffer(bytes)],
      );
    });
  }

  async readBlob(project: ProjectName, digest: Digest): Promise<Uint8Array> {
    const bytes = await this.#readBytes('read a blob', ['GET', this.#keys.blob(project, digest)]);
    if (bytes === null)
      throw new NotFoundError({ what: 'blob', project, name: digest }, 'the blob was never stored or has been removed');
    return bytes;
  }

  async listGenerations(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    const fields = await this.#read<string[]>('list generations', ['HKEYS', this.#keys.generations(project, version)]);
    return fields.map(Number) as GenerationNumber[];
  }

  async readManifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    const manifest = await this.#readBytes('read a manifest', [
      'HGET',
      this.#keys.generations(project, version),
      String(generation),
    ]);
    if (manifest === null)
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'list the release to see its generations',
      );
    return manifest;
  }

  async publishGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    const operation = 'publish a generation';
    const keys = [
      this.#keys.releases(project),
      this.#keys.generations(project, version),
      this.#keys.latest(project, version),
      this.#keys.commits(project, version),
    ];
    // The token makes the commit idempotent: an attempt whose answer was lost, retried, finds
    // its number instead of publishing a second generation.
    const token = randomUUID();
    return this.#conn.retrying(operation, async () => {
      const latest = await this.#conn.command<string | null>(['GET', keys[2]!]);
      let next = Number(latest ?? 0) + 1;
      for (;;) {
        let manifest: Uint8Array;
        try {
          manifest = render(next as GenerationNumber);
        } catch (error) {
          throw new Passthrough(error);
        }
        checkValueSize(`the manifest of generation ${next}`, manifest, await this.#conn.facts(), operation);
        const [status, n] = await this.#conn.script<[string, number]>(PUBLISH, keys, [
          version,
          String(next),
          buffer(manifest),
          token,
        ]);
        if (status === 'published') return n as GenerationNumber;
        if (status === 'no-release')
          throw new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
        // Another writer took the number: render for the one after the latest.
        next = n + 1;
      }
    });
  }

  async latestGeneration(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null> {
    const latest = await this.#read<string | null>('find the latest generation', [
      'GET',
      this.#keys.latest(project, version),
    ]);
    return latest === null ? null : (Number(latest) as GenerationNumber);
  }

  appendAliasEntry(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    const operation = 'move an alias';
    const key = this.#keys.alias(project, alias);
    return this.#conn.retrying(operation, async (attempt) => {
      checkValueSize(`entry ${entry} of alias ${alias}`, bytes, await this.#conn.facts(), operation);
      const [status, newest] = await this.#conn.script<[string, number]>(
        APPEND_ALIAS,
        [key, this.#keys.aliases(project)],
        [String(entry), buffer(bytes), alias],
      );
      if (status === 'ok') return;
      if (status === 'gap')
        throw new UsageError(
          `alias entry ${String(entry)} of ${alias} is not the next one after ${newest}`,
          'append the entry after the newest one, numbered from 1 up',
          { argument: 'entry' },
        );
      // An earlier attempt whose answer was lost may have appended it: then it holds these bytes.
      if (attempt > 0 && equal(await this.#bytes(['HGET', key, String(entry)]), bytes)) return;
      throw new AlreadyExistsError(
        { what: 'alias entry', project, name: `${alias}#${entry}` },
        'another writer moved the alias first; read it again',
      );
    });
  }

  latestAliasEntry(project: ProjectName, alias: string): Promise<number> {
    // Entries are 1..N without gaps, so the count is the newest: O(1) however long the log.
    return this.#read('read an alias', ['HLEN', this.#keys.alias(project, alias)]);
  }

  async readAliasEntry(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    const bytes = await this.#readBytes('read an alias entry', [
      'HGET',
      this.#keys.alias(project, alias),
      String(entry),
    ]);
    if (bytes === null)
      throw new NotFoundError({ what: 'alias', project, name: `${alias}#${entry}` }, 'list the alias history');
    return bytes;
  }

  listAliases(project: ProjectName): Promise<string[]> {
    return this.#read('list aliases', ['SMEMBERS', this.#keys.aliases(project)]);
  }

  async *listBlobs(project: ProjectName): AsyncGenerator<BlobListing> {
    const index = this.#keys.blobs(project);
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [nextCursor, flat] = await this.#read<[string, string[]]>('list blobs', [
        'HSCAN',
        index,
        cursor,
        'COUNT',
        String(LIST_PAGE),
      ]);
      cursor = nextCursor;
      const page: { digest: string; writtenAt: number }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const digest = flat[i]!;
        // HSCAN may return an entry twice while the hash grows.
        if (seen.has(digest)) continue;
        seen.add(digest);
        page.push({ digest, writtenAt: Number(flat[i + 1]) });
      }
      if (page.length === 0) continue;
      const sizes = await this.#conn.retrying('list blobs', () =>
        this.#conn.script<number[]>(
          BLOB_SIZES,
          page.map((entry) => this.#keys.blob(project, entry.digest)),
          [],
        ),
      );
      for (const [i, entry] of page.entries()) {
        const size = sizes[i] ?? -1;
        if (size >= 0) yield { digest: entry.digest as Digest, size, writtenAt: entry.writtenAt };
      }
    } while (cursor !== '0');
  }

  /** Nothing is ever left behind: every write is one atomic command or script. */
  async leftovers(): Promise<CleanupReport> {
    return { removed: 0, bytes: 0 };
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  tombstoneGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    tombstone: Uint8Array,
  ): Promise<void> {
    const operation = 'tombstone a generation';
    // Idempotent: a retry writes the same tombstone over itself.
    return this.#conn.retrying(operation, async () => {
      checkValueSize(`the tombstone of generation ${generation}`, tombstone, await this.#conn.facts(), operation);
      const replaced = await this.#conn.script<number>(
        TOMBSTONE,
        [this.#keys.generations(project, version)],
        [String(generation), buffer(tombstone)],
      );
      if (replaced !== 1)
        throw new NotFoundError(
          { what: 'generation', project, release: version, generation },
          'list the release to see its generations',
        );
    });
  }

  deleteBlob(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    const blob = this.#keys.blob(project, digest);
    return this.#conn.retrying('delete a blob', async (attempt) => {
      const deleted = await this.#conn.script<number>(
        DELETE_BLOB,
        [blob, this.#keys.blobs(project)],
        [digest, String(Math.floor(notWrittenSince))],
      );
      if (deleted === 1) return true;
      // An earlier attempt whose answer was lost may have deleted it.
      return attempt > 0 && (await this.#conn.command<number>(['EXISTS', blob])) === 0;
    });
  }

  deleteRelease(project: ProjectName, version: ReleaseVersion): Promise<void> {
    return this.#conn.retrying('delete a release', async (attempt) => {
      const deleted = await this.#conn.script<number>(
        DELETE_RELEASE,
        [
          this.#keys.releases(project),
          this.#keys.generations(project, version),
          this.#keys.latest(project, version),
          this.#keys.commits(project, version),
          this.#keys.projects(),
        ],
        [version, project],
      );
      // Absent after an attempt whose answer was lost: that attempt deleted it.
      if (deleted === 1 || attempt > 0) return;
      throw new NotFoundError({ what: 'release', project, release: version }, 'list the project to see its releases');
    });
  }

  async close(): Promise<void> {
    await this.#conn.close();
  }

  #read<T>(operation: string, args: string[]): Promise<T> {
    return this.#conn.retrying(operation, () => this.#conn.command<T>(args));
  }

  #readBytes(operation: string, args: string[]): Promise<Uint8Array | null> {
    return this.#conn.retrying(operation, () => this.#bytes(args));
  }

  #bytes(args: string[]): Promise<Buffer | null> {
    return this.#conn.command<Buffer | null>(args, true);
  }
}

// A view, not a copy: the bytes are sent before the call resolves.
function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function equal(stored: Uint8Array | null, bytes: Uint8Array): boolean {
  return stored !== null && Buffer.compare(stored, bytes) === 0;
}
