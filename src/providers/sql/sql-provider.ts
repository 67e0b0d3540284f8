import { aliasName } from '../../registry/aliases.js';
import { isDigest, type Digest } from '../../registry/digest.js';
import { AlreadyExistsError, NotFoundError, UsageError } from '../../registry/errors/index.js';
import { projectName, type ProjectName } from '../../registry/names.js';
import {
  DEFAULT_CLEANUP_AGE_MS,
  SPI_VERSION,
  type CleanupOptions,
  type CleanupReport,
  type Provider,
  type ProviderContext,
  type ProviderDescriptor,
} from '../../registry/spi.js';
import {
  generationNumber,
  releaseVersion,
  type GenerationNumber,
  type ReleaseVersion,
} from '../../registry/versions.js';
import type { ArtifactStore } from './artifact-store.js';
import { BlobLedger } from './blob-ledger.js';
import { Database, NOT_APPLIED, type Queryable } from './database.js';
import { openStore } from './open-store.js';
import { sqlSettings } from './options.js';
import { ensureSchema, quoted } from './schema.js';

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/**
 * A registry split the way Ebonite splits one: metadata in PostgreSQL (node-postgres, imported
 * when the first statement runs), blob bytes in an artifact store beside it (S3 or a directory;
 * artifact-store.ts). Any number of processes on any number of hosts may write at once.
 *
 * - A generation's number is allocated and its manifest published in ONE transaction: the
 *   release row's counter is incremented (which row-locks the release until COMMIT, so writers of
 *   one release take turns for those few statements) and the manifest inserted under the number.
 *   A rolled-back or failed transaction hands out nothing, so numbers run 1..N without gaps or
 *   duplicates, and a generation is visible exactly when it is committed.
 * - Blobs are written to the store before the transaction that names them; the blobs table
 *   records them (blob-ledger.ts explains how deleteBlob stays atomic against writeBlob).
 * - Connection failures are retried with a bounded backoff; a write is never applied twice (a
 *   lost COMMIT is settled by re-reading: database.ts).
 * - The schema is created on first use and migrated forward (schema.ts).
 */
export class SqlProvider implements Provider {
  readonly descriptor: ProviderDescriptor;
  readonly #db: Database;
  readonly #store: ArtifactStore;
  readonly #blobs: BlobLedger;
  readonly #schema: string;
  readonly #s: string;
  #ready: Promise<void> | undefined;

  constructor(options: Record<string, unknown>, _context: Partial<ProviderContext> = {}) {
    const settings = sqlSettings(options);
    this.#schema = settings.schema;
    this.#s = quoted(settings.schema);
    this.#store = openStore(settings.store, settings.storeOptions);
    this.#db = new Database(settings);
    this.#blobs = new BlobLedger(this.#db, this.#s, this.#store);
    this.descriptor = {
      name: 'sql',
      spiVersion: SPI_VERSION,
      target: `${settings.target}, blobs in ${this.#store.target}`,
    };
  }

  /** The schema, created or migrated on the first call; a failed attempt is tried again next time. */
  #open(): Promise<void> {
    this.#ready ??= ensureSchema(this.#db, this.#schema).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #read<T>(operation: string, body: (q: Queryable) => Promise<T>): Promise<T> {
    await this.#open();
    return this.#db.read(operation, body);
  }

  // ---- releases --------------------------------------------------------------------------

  async listProjects(): Promise<string[]> {
    const { rows } = await this.#read('list projects', (q) =>
      q.query<{ project: string }>(
        `SELECT p.project FROM ${this.#s}.projects p
         WHERE EXISTS (SELECT 1 FROM ${this.#s}.releases r WHERE r.project = p.project)`,
      ),
    );
    return rows.map((r) => r.project);
  }

  async listReleases(project: ProjectName): Promise<string[]> {
    check({ project });
    const { rows } = await this.#read('list releases', (q) =>
      q.query<{ version: string }>(`SELECT version FROM ${this.#s}.releases WHERE project = $1`, [project]),
    );
    return rows.map((r) => r.version);
  }

  async readRelease(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    check({ project, version });
    const record = await this.#read('read a release', (q) => this.#record(q, project, version));
    if (record === undefined) throw releaseNotFound(project, version);
    return record;
  }

  async #record(q: Queryable, project: string, version: string): Promise<Uint8Array | undefined> {
    const { rows } = await q.query<{ record: Buffer }>(
      `SELECT record FROM ${this.#s}.releases WHERE project = $1 AND version = $2`,
      [project, version],
    );
    return rows[0]?.record;
  }

  async writeRelease(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    check({ project, version, bytes: record });
    await this.#open();
    const created = await this.#db.transaction(
      'write a release',
      async (q) => {
        await q.query(`INSERT INTO ${this.#s}.projects (project) VALUES ($1) ON CONFLICT DO NOTHING`, [project]);
        const { rowCount } = await q.query(
          `INSERT INTO ${this.#s}.releases (project, version, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [project, version, record],
        );
        return rowCount === 1;
      },
      async (q, created) => {
        if (!created) return false;
        const stored = await this.#record(q, project, version);
        if (stored === undefined) return NOT_APPLIED;
        return sameBytes(stored, record);
      },
    );
    if (!created)
      throw new AlreadyExistsError(
        { what: 'release', project, release: version },
        'a release is written once: publish a new version instead',
      );
  }

  // ---- blobs -----------------------------------------------------------------------------

  async hasBlob(project: ProjectName, digest: Digest): Promise<boolean> {
    check({ project, digest });
    await this.#open();
    return this.#blobs.has(project, digest);
  }

  async writeBlob(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    check({ project, digest, bytes });
    await this.#open();
    await this.#blobs.write(project, digest, bytes);
  }

  async readBlob(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    check({ project, digest });
    return this.#blobs.read(project, digest, onChunk);
  }

  async *listBlobs(project: ProjectName): AsyncGenerator<{ digest: Digest; size: number; writtenAt: number }> {
    check({ project });
    await this.#open();
    yield* this.#blobs.list(project);
  }

  async deleteBlob(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    check({ project, digest });
    if (typeof notWrittenSince !== 'number' || !Number.isFinite(notWrittenSince))
      throw new UsageError(
        `notWrittenSince must be a time in ms since the epoch, got ${String(notWrittenSince)}`,
        'pass Date.now() minus the grace period',
        { argument: 'notWrittenSince' },
      );
    await this.#open();
    return this.#blobs.delete(project, digest, notWrittenSince);
  }

  // ---- generations -----------------------------------------------------------------------

  async listGenerations(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    check({ project, version });
    const { rows } = await this.#read('list generations', (q) =>
      q.query<{ generation: number }>(
        `SELECT generation FROM ${this.#s}.generations WHERE project = $1 AND version = $2`,
        [project, version],
      ),
    );
    return rows.map((r) => r.generation as GenerationNumber);
  }

  async latestGeneration(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null> {
    check({ project, version });
    // The primary key's index answers max() with one descent, however many generations there are.
    const { rows } = await this.#read('find the latest generation', (q) =>
      q.query<{ latest: number | null }>(
        `SELECT max(generation) AS latest FROM ${this.#s}.generations WHERE project = $1 AND version = $2`,
        [project, version],
      ),
    );
    return (rows[0]?.latest ?? null) as GenerationNumber | null;
  }

  async readManifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    check({ project, version, generation });
    const manifest = await this.#read('read a manifest', (q) => this.#manifest(q, project, version, generation));
    if (manifest === undefined)
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'the generation was never published',
      );
    return manifest;
  }

  async #manifest(q: Queryable, project: string, version: string, generation: number): Promise<Uint8Array | undefined> {
    const { rows } = await q.query<{ manifest: Buffer }>(
      `SELECT manifest FROM ${this.#s}.generations WHERE project = $1 AND version = $2 AND generation = $3`,
      [project, version, generation],
    );
    return rows[0]?.manifest;
  }

  async publishGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    check({ project, version });
    if (typeof render !== 'function')
      throw new UsageError('render must be a function', 'pass a function from a generation number to manifest bytes', {
        argument: 'render',
      });
    await this.#open();
    const published = await this.#db.transaction(
      'publish a generation',
      async (q) => {
        // The counter's row lock orders writers of this release; it is released at COMMIT.
        const { rows } = await q.query<{ n: number }>(
          `UPDATE ${this.#s}.releases SET last_generation = last_generation + 1
           WHERE project = $1 AND version = $2 RETURNING last_generation AS n`,
          [project, version],
        );
        if (rows[0] === undefined) throw releaseNotFound(project, version);
        const generation = rows[0].n as GenerationNumber;
        const manifest = render(generation);
        if (!(manifest instanceof Uint8Array))
          throw new UsageError('render must return the manifest as a Uint8Array', 'return the encoded manifest bytes', {
            argument: 'render',
          });
        await q.query(
          `INSERT INTO ${this.#s}.generations (project, version, generation, manifest) VALUES ($1, $2, $3, $4)`,
          [project, version, generation, manifest],
        );
        return { generation, manifest };
      },
      // A lost COMMIT: our manifest under our number means it was applied; anything else (no
      // generation, or another writer's after our transaction was rolled back) means run again.
      async (q, mine) => {
        const stored = await this.#manifest(q, project, version, mine.generation);
        return stored !== undefined && sameBytes(stored, mine.manifest) ? mine : NOT_APPLIED;
      },
    );
    return published.generation;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  async tombstoneGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    tombstone: Uint8Array,
  ): Promise<void> {
    check({ project, version, generation, bytes: tombstone });
    // Setting the same bytes again is the same outcome, so a repeat after a lost answer is harmless.
    const { rowCount } = await this.#read('tombstone a generation', (q) =>
      q.query(
        `UPDATE ${this.#s}.generations SET manifest = $4, tombstoned_at = coalesce(tombstoned_at, now())
         WHERE project = $1 AND version = $2 AND generation = $3`,
        [project, version, generation, tombstone],
      ),
    );
    if (rowCount !== 1)
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'only a published generation can be tombstoned',
      );
  }

  async deleteRelease(project: ProjectName, version: ReleaseVersion): Promise<void> {
    check({ project, version });
    await this.#open();
    const deleted = await this.#db.transaction(
      'delete a release',
      async (q) => {
        // Its generations (tombstones included) go with it: ON DELETE CASCADE.
        const { rowCount } = await q.query(`DELETE FROM ${this.#s}.releases WHERE project = $1 AND version = $2`, [
          project,
          version,
        ]);
        return rowCount === 1;
      },
      async (q, deleted) =>
        !deleted || (await this.#record(q, project, version)) === undefined ? deleted : NOT_APPLIED,
    );
    if (!deleted) throw releaseNotFound(project, version);
  }

  // ---- aliases ---------------------------------------------------------------------------

  async appendAliasEntry(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    check({ project, alias, entry, bytes });
    await this.#open();
    const created = await this.#db.transaction(
      'move an alias',
      async (q) => {
        const { rowCount } = await q.query(
          `INSERT INTO ${this.#s}.alias_entries (project, alias, entry, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [project, alias, entry, bytes],
        );
        return rowCount === 1;
      },
      async (q, created) => {
        if (!created) return false;
        const stored = await this.#aliasEntry(q, project, alias, entry);
        if (stored === undefined) return NOT_APPLIED;
        return sameBytes(stored, bytes);
      },
    );
    if (!created)
      throw new AlreadyExistsError(
        { what: 'alias entry', project, name: `${alias}#${entry}` },
        'another writer moved the alias first: read it again and retry',
      );
  }

  async latestAliasEntry(project: ProjectName, alias: string): Promise<number> {
    check({ project, alias });
    const { rows } = await this.#read('read an alias', (q) =>
      q.query<{ latest: number | null }>(
        `SELECT max(entry) AS latest FROM ${this.#s}.alias_entries WHERE project = $1 AND alias = $2`,
        [project, alias],
      ),
    );
    return rows[0]?.latest ?? 0;
  }

  async readAliasEntry(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    check({ project, alias, entry });
    const bytes = await this.#read('read an alias entry', (q) => this.#aliasEntry(q, project, alias, entry));
    if (bytes === undefined)
      throw new NotFoundError(
        { what: 'alias', project, name: `${alias}#${entry}` },
        'run `statekeep alias history` to see its entries',
      );
    return bytes;
  }

  async #aliasEntry(q: Queryable, project: string, alias: string, entry: number): Promise<Uint8Array | undefined> {
    const { rows } = await q.query<{ bytes: Buffer }>(
      `SELECT bytes FROM ${this.#s}.alias_entries WHERE project = $1 AND alias = $2 AND entry = $3`,
      [project, alias, entry],
    );
    return rows[0]?.bytes;
  }

  async listAliases(project: ProjectName): Promise<string[]> {
    check({ project });
    const { rows } = await this.#read('list aliases', (q) =>
      q.query<{ alias: string }>(`SELECT DISTINCT alias FROM ${this.#s}.alias_entries WHERE project = $1`, [project]),
    );
    return rows.map((r) => r.alias);
  }

  // ---- leftovers -------------------------------------------------------------------------

  /**
   * Removes what writers that died mid-write left: blobs announced and never confirmed stored
   * (with their objects), and the store's own leftovers (unfinished multipart uploads, temp files).
   * A commit that died leaves nothing in the metadata: its transaction rolled back.
   */
  async cleanup(options: CleanupOptions = {}): Promise<CleanupReport> {
    const olderThanMs = cleanupAge(options);
    await this.#open();
    return this.#blobs.sweep(olderThanMs, false);
  }

  /** What cleanup(options) would remove now, removing nothing. */
  async leftovers(options: CleanupOptions = {}): Promise<CleanupReport> {
    const olderThanMs = cleanupAge(options);
    await this.#open();
    return this.#blobs.sweep(olderThanMs, true);
  }

  async close(): Promise<void> {
    await Promise.all([this.#db.close(), this.#store.close()]);
  }
}

function cleanupAge(options: CleanupOptions): number {
  const olderThanMs = options.olderThanMs ?? DEFAULT_CLEANUP_AGE_MS;
  if (typeof olderThanMs !== 'number' || !Number.isFinite(olderThanMs) || olderThanMs < 0)
    throw new UsageError(
      `olderThanMs must be a non-negative number of milliseconds, got ${String(olderThanMs)}`,
      'leave it out to keep the default of 15 minutes',
      { argument: 'olderThanMs' },
    );
  return olderThanMs;
}

function releaseNotFound(project: ProjectName, version: ReleaseVersion): NotFoundError {
  return new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
}

/** The Registry's own rules for arguments, so whatever a Registry passes is accepted and nothing else reaches SQL. */
function check(args: {
  project: ProjectName;
  version?: ReleaseVersion;
  digest?: Digest;
  generation?: GenerationNumber;
  alias?: string;
  entry?: number;
  bytes?: Uint8Array;
}): void {
  projectName(args.project);
  if ('version' in args) releaseVersion(args.version);
  if ('generation' in args) generationNumber(args.generation);
  if ('alias' in args) aliasName(args.alias);
  if ('entry' in args && !(Number.isSafeInteger(args.entry) && args.entry! >= 1 && args.entry! <= 2 ** 31 - 1))
    throw new UsageError(
      `invalid alias entry number ${JSON.stringify(String(args.entry))}`,
      'pass a whole number from 1 up',
      {
        argument: 'entry',
      },
    );
  if ('digest' in args && !isDigest(args.digest))
    throw new UsageError(
      `invalid digest ${JSON.stringify(String(args.digest))}`,
      'pass a content address: "sha256:" and 64 lower-case hex digits',
      { argument: 'digest' },
    );
  if ('bytes' in args && !(args.bytes instanceof Uint8Array))
    throw new UsageError('the bytes to store must be a Uint8Array', 'pass the content as a Uint8Array or Buffer', {
      argument: 'bytes',
    });
}
