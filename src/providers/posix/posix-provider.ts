import { resolve } from 'node:path';
import { aliasName } from '../../registry/aliases.js';
import { isDigest, type Digest } from '../../registry/digest.js';
import { ConfigError, UsageError } from '../../registry/errors/index.js';
import { projectName, type ProjectName } from '../../registry/names.js';
import {
  DEFAULT_CLEANUP_AGE_MS,
  SPI_VERSION,
  type CleanupOptions,
  type CleanupReport,
  type Provider,
  type ProviderContext,
  type ProviderDescriptor,
  type BlobListing,
} from '../../registry/spi.js';
import {
  generationNumber,
  releaseVersion,
  type GenerationNumber,
  type ReleaseVersion,
} from '../../registry/versions.js';
import { AliasStore } from './alias-store.js';
import { listBlobFiles } from './blob-listing.js';
import { BlobStore } from './blob-store.js';
import { translateFsError } from './fs-errors.js';
import { GenerationStore } from './generation-store.js';
import { Layout } from './layout.js';
import { LifecycleStore } from './lifecycle-store.js';
import { createRoot, inspectRoot } from './registry-root.js';
import { releaseNotFound, ReleaseStore } from './release-store.js';
import { sweepTempFiles } from './temp-files.js';

/**
 * The embedded default registry: one directory tree on a local or shared posix file system,
 * safe for any number of writer threads and processes at once without locks. See layout.ts for
 * the tree, durable-write.ts for how files appear, generation-store.ts for numbering.
 *
 * Readers never create anything: a root that does not exist yet reads as an empty registry. The
 * first write creates the root and its format marker.
 *
 * The class is public, so it checks its own arguments (names, versions, digests, numbers) before
 * they become paths or touch the disk, whether or not a Registry checked them first.
 */
export class PosixProvider implements Provider {
  readonly descriptor: ProviderDescriptor;
  readonly #layout: Layout;
  readonly #blobs: BlobStore;
  readonly #releases: ReleaseStore;
  readonly #generations: GenerationStore;
  readonly #aliases: AliasStore;
  readonly #lifecycle: LifecycleStore;
  // Once a marker has been checked it stays valid: the format of a root never changes under us.
  #checked = false;
  #creating: Promise<void> | undefined;

  constructor(options: Record<string, unknown>, context: Partial<ProviderContext> = {}) {
    const path = options.path;
    if (typeof path !== 'string' || path.trim() === '') {
      const instance = context.instance ?? 'posix';
      throw new ConfigError(
        {
          key: 'path',
          problem: `registry ${instance} needs a path, got ${path === undefined ? 'none' : JSON.stringify(path)}`,
        },
        'set path to the directory that holds (or will hold) the registry',
      );
    }
    this.#layout = new Layout(resolve(path));
    this.descriptor = { name: 'posix', spiVersion: SPI_VERSION, target: this.#layout.root };
    this.#blobs = new BlobStore(this.#layout);
    this.#releases = new ReleaseStore(this.#layout);
    this.#generations = new GenerationStore(this.#layout);
    this.#aliases = new AliasStore(this.#layout);
    this.#lifecycle = new LifecycleStore(this.#layout);
  }

  listProjects(): Promise<string[]> {
    return this.#read(
      'list projects',
      () => this.#releases.listProjects(),
      () => [],
    );
  }

  async listReleases(project: ProjectName): Promise<string[]> {
    checkArguments({ project });
    return this.#read(
      'list releases',
      () => this.#releases.listReleases(project),
      () => [],
    );
  }

  async readRelease(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    checkArguments({ project, version });
    return this.#read(
      'read a release',
      () => this.#releases.read(project, version),
      () => {
        throw releaseNotFound(project, version);
      },
    );
  }

  async writeRelease(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    checkArguments({ project, version, bytes: record });
    return this.#write('write a release', () => this.#releases.write(project, version, record));
  }

  async hasBlob(project: ProjectName, digest: Digest): Promise<boolean> {
    checkArguments({ project, digest });
    return this.#read(
      'look up a blob',
      () => this.#blobs.has(project, digest),
      () => false,
    );
  }

  async writeBlob(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    checkArguments({ project, digest, bytes });
    return this.#write('write a blob', () => this.#blobs.write(project, digest, bytes));
  }

  async readBlob(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    checkArguments({ project, digest });
    return this.#read('read a blob', () => this.#blobs.read(project, digest, onChunk));
  }

  async listGenerations(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    checkArguments({ project, version });
    return this.#read(
      'list generations',
      () => this.#generations.list(project, version),
      () => [],
    );
  }

  async readManifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    checkArguments({ project, version, generation });
    return this.#read('read a manifest', () => this.#generations.read(project, version, generation));
  }

  async publishGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    checkArguments({ project, version });
    if (typeof render !== 'function')
      throw new UsageError('render must be a function', 'pass a function from a generation number to manifest bytes', {
        argument: 'render',
      });
    return this.#write('publish a generation', async () => {
      if (!(await this.#releases.has(project, version))) throw releaseNotFound(project, version);
      return this.#generations.publish(project, version, render);
    });
  }

  async latestGeneration(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null> {
    checkArguments({ project, version });
    return this.#read(
      'find the latest generation',
      async () => {
        const latest = await this.#generations.latest(project, version);
        return latest === 0 ? null : (latest as GenerationNumber);
      },
      () => null,
    );
  }

  async tombstoneGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    tombstone: Uint8Array,
  ): Promise<void> {
    checkArguments({ project, version, generation, bytes: tombstone });
    return this.#write('prune a generation', () => this.#lifecycle.tombstone(project, version, generation, tombstone));
  }

  async deleteBlob(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    checkArguments({ project, digest });
    if (typeof notWrittenSince !== 'number' || Number.isNaN(notWrittenSince))
      throw new UsageError('notWrittenSince must be a time in ms since the epoch', 'pass Date.now() - grace', {
        argument: 'notWrittenSince',
      });
    return this.#read(
      'delete a blob',
      () => this.#lifecycle.deleteBlob(project, digest, notWrittenSince),
      () => false,
    );
  }

  async deleteRelease(project: ProjectName, version: ReleaseVersion): Promise<void> {
    checkArguments({ project, version });
    return this.#read(
      'remove a release',
      () => this.#lifecycle.deleteRelease(project, version),
      () => {
        throw releaseNotFound(project, version);
      },
    );
  }

  /** Removes temp files of crashed writers (older than `olderThanMs`, default 15 minutes). */
  cleanup(options: CleanupOptions = {}): Promise<CleanupReport> {
    return this.#sweep(options, false);
  }

  #sweep(options: CleanupOptions, dryRun: boolean): Promise<CleanupReport> {
    const olderThanMs = options.olderThanMs ?? DEFAULT_CLEANUP_AGE_MS;
    if (typeof olderThanMs !== 'number' || !Number.isFinite(olderThanMs) || olderThanMs < 0) {
      return Promise.reject(
        new UsageError(
          `olderThanMs must be a non-negative number of milliseconds, got ${String(olderThanMs)}`,
          'leave it out to keep the default of 15 minutes',
          { argument: 'olderThanMs' },
        ),
      );
    }
    // Only the root's own level and this format's tree: never another format's files.
    const dirs = [
      { path: this.#layout.root, recurse: false },
      { path: this.#layout.data, recurse: true },
    ];
    return this.#read(
      'clean up',
      () => sweepTempFiles(dirs, olderThanMs, { dryRun }),
      () => ({ removed: 0, bytes: 0 }),
    );
  }

  async appendAliasEntry(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    checkArguments({ project, alias, entry, bytes });
    return this.#write('move an alias', () => this.#aliases.append(project, alias, entry, bytes));
  }

  async latestAliasEntry(project: ProjectName, alias: string): Promise<number> {
    checkArguments({ project, alias });
    return this.#read(
      'read an alias',
      () => this.#aliases.latest(project, alias),
      () => 0,
    );
  }

  async readAliasEntry(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    checkArguments({ project, alias, entry });
    return this.#read('read an alias entry', () => this.#aliases.read(project, alias, entry));
  }

  async listAliases(project: ProjectName): Promise<string[]> {
    checkArguments({ project });
    return this.#read(
      'list aliases',
      () => this.#aliases.list(project),
      () => [],
    );
  }

  async *listBlobs(project: ProjectName): AsyncGenerator<BlobListing> {
    checkArguments({ project });
    try {
      yield* listBlobFiles(this.#layout, project);
    } catch (error) {
      throw translateFsError(error, { operation: 'list blobs', root: this.#layout.root });
    }
  }

  /** The temp files cleanup(options) would remove, left in place. */
  leftovers(options: CleanupOptions = {}): Promise<CleanupReport> {
    return this.#sweep(options, true);
  }

  /**
   * Runs a reader. While there is no registry at the root yet, `whenAbsent` answers instead (an
   * empty value, or a NotFoundError); without one the body runs and finds nothing itself.
   */
  async #read<T>(operation: string, body: () => Promise<T>, whenAbsent?: () => T): Promise<T> {
    try {
      if (!this.#checked) {
        const root = await inspectRoot(this.#layout);
        if (root === 'registry') this.#checked = true;
        else if (whenAbsent !== undefined) return whenAbsent();
      }
      return await body();
    } catch (error) {
      throw translateFsError(error, { operation, root: this.#layout.root });
    }
  }

  async #write<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      if (!this.#checked) {
        // Concurrent first writes of one provider share one creation of the root.
        this.#creating ??= createRoot(this.#layout).finally(() => (this.#creating = undefined));
        await this.#creating;
        this.#checked = true;
      }
      return await body();
    } catch (error) {
      throw translateFsError(error, { operation, root: this.#layout.root });
    }
  }
}

/**
 * Throws the Registry's own errors for arguments it would refuse: the same rules, so whatever a
 * Registry passes is accepted, and nothing else reaches a path.
 */
function checkArguments(args: {
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
  if ('entry' in args && !(Number.isSafeInteger(args.entry) && args.entry! >= 1)) {
    throw new UsageError(
      `invalid alias entry number ${JSON.stringify(String(args.entry))}`,
      'pass a whole number from 1 up',
      { argument: 'entry' },
    );
  }
  if ('digest' in args && !isDigest(args.digest)) {
    throw new UsageError(
      `invalid digest ${JSON.stringify(String(args.digest))}`,
      'pass a content address: "sha256:" and 64 lower-case hex digits',
      { argument: 'digest' },
    );
  }
  if ('bytes' in args && !(args.bytes instanceof Uint8Array))
    throw new UsageError('the bytes to store must be a Uint8Array', 'pass the content as a Uint8Array or Buffer', {
      argument: 'bytes',
    });
}
