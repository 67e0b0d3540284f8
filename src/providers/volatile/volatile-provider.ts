import { AlreadyExistsError, NotFoundError, UsageError } from '../../registry/errors/index.js';
import type { Digest } from '../../registry/digest.js';
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
import { registerStore, type VolatileProject } from './volatile-store.js';

/**
 * A registry that lives in this process's memory only: no files, no temp directory. It keeps
 * the same contract as the durable providers, so it stands in for them in tests and dry runs.
 */
export class VolatileProvider implements Provider {
  readonly descriptor: ProviderDescriptor;
  readonly #projects = new Map<string, VolatileProject>();

  constructor(_options: Record<string, unknown> = {}, context: Partial<ProviderContext> = {}) {
    this.descriptor = {
      name: 'volatile',
      spiVersion: SPI_VERSION,
      target: `memory (${context.instance ?? 'volatile'})`,
    };
    registerStore(this, this.#projects);
  }

  async listProjects(): Promise<string[]> {
    return [...this.#projects].filter(([, project]) => project.releases.size > 0).map(([name]) => name);
  }

  async listReleases(project: ProjectName): Promise<string[]> {
    return [...(this.#projects.get(project)?.releases.keys() ?? [])];
  }

  async readRelease(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    const release = this.#projects.get(project)?.releases.get(version);
    if (release === undefined)
      throw new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
    return copy(release.record);
  }

  async writeRelease(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    const releases = this.#project(project).releases;
    if (releases.has(version))
      throw new AlreadyExistsError(
        { what: 'release', project, release: version },
        'releases are immutable; bump the version',
      );
    releases.set(version, { record: copy(record), generations: new Map() });
  }

  async hasBlob(project: ProjectName, digest: Digest): Promise<boolean> {
    return this.#projects.get(project)?.blobs.has(digest) ?? false;
  }

  async writeBlob(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const { blobs, blobWrittenAt } = this.#project(project);
    // A held blob that differs from its content is damaged: these bytes replace it.
    const held = blobs.get(digest);
    if (held === undefined || Buffer.compare(held, bytes) !== 0) blobs.set(digest, copy(bytes));
    // Every write counts, a rewrite of an intact blob too: gc's grace period is measured from it.
    blobWrittenAt.set(digest, Date.now());
  }

  async readBlob(project: ProjectName, digest: Digest): Promise<Uint8Array> {
    const blob = this.#projects.get(project)?.blobs.get(digest);
    if (blob === undefined)
      throw new NotFoundError({ what: 'blob', project, name: digest }, 'the blob was never stored or has been removed');
    return copy(blob);
  }

  async listGenerations(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    return [...(this.#projects.get(project)?.releases.get(version)?.generations.keys() ?? [])] as GenerationNumber[];
  }

  async readManifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    const manifest = this.#projects.get(project)?.releases.get(version)?.generations.get(generation);
    if (manifest === undefined)
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'list the release to see its generations',
      );
    return copy(manifest);
  }

  async publishGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    const release = this.#projects.get(project)?.releases.get(version);
    if (release === undefined)
      throw new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
    // Allocation and publication happen in one synchronous step, so no other caller interleaves.
    const generation = (release.generations.size + 1) as GenerationNumber;
    release.generations.set(generation, copy(render(generation)));
    return generation;
  }

  async latestGeneration(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null> {
    const size = this.#projects.get(project)?.releases.get(version)?.generations.size ?? 0;
    return size === 0 ? null : (size as GenerationNumber);
  }

  async appendAliasEntry(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    const aliases = this.#project(project).aliases;
    const log = aliases.get(alias) ?? [];
    // The check and the append are one synchronous step: of concurrent callers for one number, one wins.
    if (entry <= log.length)
      throw new AlreadyExistsError(
        { what: 'alias entry', project, name: `${alias}#${entry}` },
        'another writer moved the alias first; read it again',
      );
    if (entry !== log.length + 1)
      throw new UsageError(
        `alias entry ${String(entry)} of ${alias} is not the next one after ${log.length}`,
        'append the entry after the newest one, numbered from 1 up',
        { argument: 'entry' },
      );
    log.push(copy(bytes));
    aliases.set(alias, log);
  }

  async latestAliasEntry(project: ProjectName, alias: string): Promise<number> {
    return this.#projects.get(project)?.aliases.get(alias)?.length ?? 0;
  }

  async readAliasEntry(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    const bytes = this.#projects.get(project)?.aliases.get(alias)?.[entry - 1];
    if (bytes === undefined)
      throw new NotFoundError({ what: 'alias', project, name: `${alias}#${entry}` }, 'list the alias history');
    return copy(bytes);
  }

  async listAliases(project: ProjectName): Promise<string[]> {
    return [...(this.#projects.get(project)?.aliases.keys() ?? [])];
  }

  async *listBlobs(project: ProjectName): AsyncGenerator<BlobListing> {
    const held = this.#projects.get(project);
    for (const [digest, bytes] of held?.blobs ?? [])
      yield { digest: digest as Digest, size: bytes.length, writtenAt: held?.blobWrittenAt.get(digest) ?? 0 };
  }

  async tombstoneGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    tombstone: Uint8Array,
  ): Promise<void> {
    const generations = this.#projects.get(project)?.releases.get(version)?.generations;
    if (generations?.has(generation) !== true)
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'list the release to see its generations',
      );
    // The number stays in the map, so it is still counted and never handed out again.
    generations.set(generation, copy(tombstone));
  }

  async deleteBlob(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    const held = this.#projects.get(project);
    // One synchronous step: no writeBlob interleaves between the check and the delete.
    if (held?.blobs.has(digest) !== true) return false;
    if ((held.blobWrittenAt.get(digest) ?? 0) >= notWrittenSince) return false;
    held.blobs.delete(digest);
    held.blobWrittenAt.delete(digest);
    return true;
  }

  async deleteRelease(project: ProjectName, version: ReleaseVersion): Promise<void> {
    if (this.#projects.get(project)?.releases.delete(version) !== true)
      throw new NotFoundError({ what: 'release', project, release: version }, 'list the project to see its releases');
  }

  /** Nothing is ever left behind in memory. */
  async leftovers(): Promise<CleanupReport> {
    return { removed: 0, bytes: 0 };
  }

  #project(name: ProjectName): VolatileProject {
    let project = this.#projects.get(name);
    if (project === undefined) {
      project = { releases: new Map(), blobs: new Map(), blobWrittenAt: new Map(), aliases: new Map() };
      this.#projects.set(name, project);
    }
    return project;
  }
}

// Callers may reuse their buffers; stored bytes must not change with them.
function copy(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes);
}
