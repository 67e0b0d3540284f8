import type { Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import {
  SPI_VERSION,
  type CleanupOptions,
  type CleanupReport,
  type Provider,
  type ProviderContext,
  type ProviderDescriptor,
  type BlobListing,
} from '../../registry/spi.js';
import type { GenerationNumber, ReleaseVersion } from '../../registry/versions.js';
import { removeAbandoned } from './abandoned-versions.js';
import { AliasModels } from './aliases.js';
import { deleteBlobArtifact } from './blob-lifecycle.js';
import { listBlobArtifacts } from './blob-listing.js';
import { BlobStore } from './blob-store.js';
import { MlflowClient } from './client.js';
import { asStatekeepError } from './errors.js';
import { GenerationPublisher } from './generation-publisher.js';
import { GenerationTombstones } from './generation-tombstones.js';
import { GenerationVersions } from './generation-versions.js';
import { mlflowSettings } from './options.js';
import { ProjectExperiments } from './project-experiments.js';
import { ReleaseModels } from './release-models.js';

/**
 * A registry kept on an MLflow tracking server, through its REST API (and its mlflow-artifacts
 * proxy for bytes). Projects are experiments, releases registered models (each with a run),
 * generations model versions whose numbers the server allocates; states are content-addressed
 * artifacts of the project's experiment. Options: uri, username, password, token, timeoutMs,
 * retries, namespace (see options.ts); MLflow's MLFLOW_TRACKING_* variables fill in the rest.
 */
export class MlflowProvider implements Provider {
  readonly descriptor: ProviderDescriptor;
  readonly #blobs: BlobStore;
  readonly #releases: ReleaseModels;
  readonly #generations: GenerationVersions;
  readonly #publisher: GenerationPublisher;
  readonly #client: MlflowClient;
  readonly #namespace: string;
  readonly #aliases: AliasModels;
  readonly #projects: ProjectExperiments;
  readonly #tombstones: GenerationTombstones;

  constructor(options: Record<string, unknown>, _context: Partial<ProviderContext> = {}) {
    const settings = mlflowSettings(options);
    this.descriptor = {
      name: 'mlflow',
      spiVersion: SPI_VERSION,
      target: `${settings.uri} (namespace ${settings.namespace})`,
    };
    this.#namespace = settings.namespace;
    this.#client = new MlflowClient(settings);
    const projects = new ProjectExperiments(this.#client, settings.namespace);
    this.#projects = projects;
    this.#blobs = new BlobStore(this.#client, projects);
    this.#releases = new ReleaseModels(this.#client, projects, settings.namespace);
    this.#generations = new GenerationVersions(this.#client, settings.namespace);
    this.#publisher = new GenerationPublisher(this.#client, this.#releases, settings.namespace);
    this.#aliases = new AliasModels(this.#client, settings.namespace);
    this.#tombstones = new GenerationTombstones(this.#client, settings.namespace);
  }

  listProjects(): Promise<string[]> {
    return guard('list projects', () => this.#releases.projects());
  }

  listReleases(project: ProjectName): Promise<string[]> {
    return guard('list releases', () => this.#releases.versions(project));
  }

  readRelease(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    return guard('read a release', () => this.#releases.read(project, version));
  }

  writeRelease(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    return guard('publish a release', () => this.#releases.write(project, version, record));
  }

  hasBlob(project: ProjectName, digest: Digest): Promise<boolean> {
    return guard('look up a blob', () => this.#blobs.has(project, digest));
  }

  writeBlob(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    return guard('store a blob', () => this.#blobs.write(project, digest, bytes));
  }

  readBlob(project: ProjectName, digest: Digest): Promise<Uint8Array> {
    return guard('read a blob', () => this.#blobs.read(project, digest));
  }

  listGenerations(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    return guard('list generations', () => this.#generations.list(project, version));
  }

  readManifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    return guard('read a manifest', () => this.#generations.read(project, version, generation));
  }

  publishGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    return guard('publish a generation', () => this.#publisher.publish(project, version, render));
  }

  latestGeneration(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null> {
    return guard('find the latest generation', () => this.#generations.latest(project, version));
  }

  cleanup(options: CleanupOptions = {}): Promise<CleanupReport> {
    return guard('clean up', () => removeAbandoned(this.#client, this.#namespace, options.olderThanMs));
  }

  appendAliasEntry(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    return guard('move an alias', () => this.#aliases.append(project, alias, entry, bytes));
  }

  latestAliasEntry(project: ProjectName, alias: string): Promise<number> {
    return guard('read an alias', () => this.#aliases.latest(project, alias));
  }

  readAliasEntry(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    return guard('read an alias entry', () => this.#aliases.read(project, alias, entry));
  }

  listAliases(project: ProjectName): Promise<string[]> {
    return guard('list aliases', () => this.#aliases.list(project));
  }

  async *listBlobs(project: ProjectName): AsyncGenerator<BlobListing> {
    try {
      yield* listBlobArtifacts(this.#client, this.#projects, project);
    } catch (error) {
      throw asStatekeepError(error, 'list blobs');
    }
  }

  tombstoneGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    tombstone: Uint8Array,
  ): Promise<void> {
    return guard('prune a generation', () => this.#tombstones.tombstone(project, version, generation, tombstone));
  }

  deleteBlob(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    return guard('delete a blob', () =>
      deleteBlobArtifact(this.#client, this.#projects, project, digest, notWrittenSince),
    );
  }

  deleteRelease(project: ProjectName, version: ReleaseVersion): Promise<void> {
    return guard('remove a release', () => this.#releases.remove(project, version));
  }

  async close(): Promise<void> {
    // Nothing to release: the transport's agents never let an idle connection keep the process
    // alive (Node unrefs it) and close it after 4 s.
  }
}

async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStatekeepError(error, operation);
  }
}
