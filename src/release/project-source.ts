import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkDefinition } from '../pipeline/project-check.js';
import type { LoadedProject } from '../pipeline/project.js';
import { AlreadyExistsError, NotFoundError, UsageError } from '../registry/errors/index.js';
import type { Digest } from '../registry/digest.js';
import { isProjectName, projectName, type ProjectName } from '../registry/names.js';
import type { Registry } from '../registry/registry.js';
import type { ReleaseRecord } from '../registry/release-record.js';
import type { ReleaseVersion } from '../registry/versions.js';
import type { Clock } from '../tokens.js';
import { buildPackage } from './build-package.js';
import { publishPackage } from './publish-package.js';
import { readProjectDirectory } from './project-directory.js';
import type { MountedPackage, StagingCache } from './staging-cache.js';

/** A project ready to run, with where its code came from. */
export interface ResolvedProject extends LoadedProject {
  mounted: MountedPackage;
  /** The release this call published, when it was run from a directory whose version was new. */
  published: ReleaseRecord | null;
}

export interface ResolveOptions {
  /**
   * Runs on the loaded project before a new release is published: a run reads and checks its
   * inputs here, so that a run failing on them leaves no release behind.
   */
  check?: (project: LoadedProject) => Promise<void>;
  /** Whether a directory's new version is published (default true). Apply passes false: a new release has nothing to apply. */
  publish?: boolean;
}

/**
 * Turns what a user names on the command line into runnable code. Code always runs from a
 * verified release package, so every generation is linked to the exact code that made it:
 * a project directory is bundled and published as its release if that version is new (and
 * must match it byte for byte if not); a project name pulls its release from the registry.
 */
export class ProjectSource {
  readonly #registry: Registry;
  readonly #staging: StagingCache;
  readonly #clock: Clock;

  constructor(registry: Registry, staging: StagingCache, clock: Clock) {
    this.#registry = registry;
    this.#staging = staging;
    this.#clock = clock;
  }

  /**
   * A path (anything with a slash, or starting with ".") is a project directory; anything else
   * is a registered project name, or, if the registry has no such project or it cannot be a
   * project name ("my project"), a directory here.
   */
  async resolve(ref: string, release?: string, options: ResolveOptions = {}): Promise<ResolvedProject> {
    if (ref.includes('/') || ref.includes(path.sep) || ref.startsWith('.'))
      return this.fromDirectory(ref, release, options);
    if (!isProjectName(ref) && (await isProjectDirectory(ref))) return this.fromDirectory(ref, release, options);
    const name = projectName(ref);
    if ((await this.#registry.latestRelease(name)) === null && (await isProjectDirectory(ref)))
      return this.fromDirectory(ref, release, options);
    return this.fromRegistry(name, release, options);
  }

  /** Publishes a project directory as a release: `statekeep release DIR`. */
  async publish(dir: string): Promise<ReleaseRecord> {
    return publishPackage(this.#registry, await buildPackage(await readProjectDirectory(dir), this.#clock));
  }

  async fromDirectory(dir: string, release?: string, options: ResolveOptions = {}): Promise<ResolvedProject> {
    const project = await readProjectDirectory(dir);
    if (release !== undefined && release !== project.version) {
      throw new UsageError(
        `${dir} holds release ${project.version}, not ${release}`,
        `leave out --release to run the directory's code, or name the project (${project.name}) to run a published release`,
        { argument: 'release' },
      );
    }
    const built = await buildPackage(project, this.#clock);
    const existing = await this.#registry.release(project.name, project.version).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (existing === null) {
      const loaded = await this.#load(
        built.manifest.project,
        built.manifest.version,
        built.digest,
        async () => built.archive,
      );
      await options.check?.(loaded);
      return { ...loaded, published: options.publish === false ? null : await publishPackage(this.#registry, built) };
    }
    if (existing.info.payload !== built.manifest.payload.sha256) {
      throw new AlreadyExistsError(
        { what: 'release', project: project.name, release: project.version },
        `the code in ${dir} differs from the published ${project.version}; bump the version in package.json to release it`,
      );
    }
    return this.#loadRelease(existing, options);
  }

  async fromRegistry(project: string, release?: string, options: ResolveOptions = {}): Promise<ResolvedProject> {
    const version = release ?? (await this.#registry.latestRelease(project));
    if (version === null) {
      throw new NotFoundError(
        { what: 'project', project },
        'publish it with `statekeep release DIR`, or pass the project directory instead of its name',
      );
    }
    return this.#loadRelease(await this.#registry.release(project, version), options);
  }

  async #loadRelease(record: ReleaseRecord, options: ResolveOptions): Promise<ResolvedProject> {
    const loaded = await this.#load(
      record.project,
      record.version,
      record.package.digest,
      async () => (await this.#registry.pullRelease(record.project, record.version)).payload,
    );
    await options.check?.(loaded);
    return { ...loaded, published: null };
  }

  async #load(
    project: ProjectName,
    version: ReleaseVersion,
    digest: Digest,
    fetch: () => Promise<Uint8Array>,
  ): Promise<Omit<ResolvedProject, 'published'>> {
    const mounted = await this.#staging.mount(digest, fetch, { project, version });
    // Only now, with every byte verified against the release's digest, is the code imported.
    const module = (await import(pathToFileURL(mounted.entryPath).href)) as { default?: unknown };
    return {
      name: project,
      release: version,
      packageDigest: digest,
      definition: checkDefinition(module.default),
      mounted,
    };
  }
}

async function isProjectDirectory(dir: string): Promise<boolean> {
  return stat(path.join(dir, 'package.json')).then(
    (s) => s.isFile(),
    () => false,
  );
}
