import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkDefinition } from '../pipeline/project-check.js';
import type { LoadedProject } from '../pipeline/project.js';
import { AlreadyExistsError, hasCode, NotFoundError, UsageError } from '../registry/errors/index.js';
import type { Digest } from '../registry/digest.js';
import { isProjectName, projectName, type ProjectName } from '../registry/names.js';
import type { Registry } from '../registry/registry.js';
import { noPackageError, type PackagedReleaseRecord, type ReleaseRecord } from '../registry/release-record.js';
import type { ReleaseVersion } from '../registry/versions.js';
import type { Clock } from '../registry/clock.js';
import { awaitUser } from '../pipeline/user-code.js';
import { buildPackage, type BuiltPackage } from './build-package.js';
import { publishPackage } from './publish-package.js';
import { readProjectDirectory } from './project-directory.js';
import type { MountedPackage, StagingCache } from './staging-cache.js';

/** A project ready to run, with where its code came from. */
export interface ResolvedProject extends LoadedProject {
  mounted: MountedPackage;
  /**
   * Set when the project came from a directory whose version is not released yet: publishes
   * that release (package, then record) and returns its record. The runtime calls it right
   * before its commit, so a run that fails earlier leaves the registry as it was.
   */
  ensureRelease?: () => Promise<PackagedReleaseRecord>;
}

export interface ResolveOptions {
  /** Runs on the loaded project before it is returned: a run reads and checks its inputs here. */
  check?: (project: LoadedProject) => Promise<void>;
  /** Whether a run may publish a directory's new version (default true). Apply passes false: a new release has nothing to apply. */
  publish?: boolean;
}

/**
 * Turns what a user names on the command line into runnable code. Code always runs from a
 * verified release package, so every generation is linked to the exact code that made it:
 * a project directory is bundled, and its release is published by the run's commit if that
 * version is new (and must match it byte for byte if not); a project name pulls its release
 * from the registry.
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
    const named = await this.#named(ref);
    if (named === 'directory') return this.fromDirectory(ref, release, options);
    return this.#fromVersion(named.project, release ?? named.latest, options);
  }

  /** The project that `resolve` would run for `ref`: a directory's (from its package.json), or the name itself. */
  async projectOf(ref: string): Promise<ProjectName> {
    const named = await this.#named(ref);
    return named === 'directory' ? (await readProjectDirectory(ref)).name : named.project;
  }

  // A directory, or a registered project with its latest release (read once: on MLflow a listing is a request).
  async #named(ref: string): Promise<'directory' | { project: ProjectName; latest: ReleaseVersion | null }> {
    if (ref.includes('/') || ref.includes(path.sep) || ref.startsWith('.')) return 'directory';
    if (!isProjectName(ref) && (await isProjectDirectory(ref))) return 'directory';
    const project = projectName(ref);
    const latest = await this.#registry.latestRelease(project);
    return latest === null && (await isProjectDirectory(ref)) ? 'directory' : { project, latest };
  }

  /** Publishes a project directory as a release: `statekeep release DIR`. */
  async publish(dir: string): Promise<PackagedReleaseRecord> {
    return publishPackage(this.#registry, await buildPackage(await readProjectDirectory(dir), this.#clock));
  }

  async fromDirectory(dir: string, release?: string, options: ResolveOptions = {}): Promise<ResolvedProject> {
    const project = await readProjectDirectory(dir);
    if (release !== undefined && release !== project.version) {
      throw new UsageError(
        `${dir} holds release ${project.version}, not ${release}`,
        `name no release to run the directory's code, or name the project (${project.name}) to run a published release`,
        { argument: 'release' },
      );
    }
    const built = await buildPackage(project, this.#clock);
    const existing = await this.#existing(project.name, project.version);
    if (existing === null) {
      // Imported and checked from the staging cache, not published: the run publishes it right
      // before it commits, through ensureRelease.
      const loaded = await this.#load(
        built.manifest.project,
        built.manifest.version,
        built.digest,
        async () => built.archive,
      );
      await options.check?.(loaded);
      if (options.publish === false) return loaded;
      return { ...loaded, ensureRelease: once(() => this.#publishPending(dir, built)) };
    }
    sameCode(dir, existing, built);
    return this.#loadRelease(existing, options);
  }

  async #existing(project: ProjectName, version: ReleaseVersion): Promise<ReleaseRecord | null> {
    return this.#registry.release(project, version).catch((error: unknown) => {
      if (hasCode(error, 'NOT_FOUND')) return null;
      throw error;
    });
  }

  // Another run of the same code may have published the release since this one resolved it.
  async #publishPending(dir: string, built: BuiltPackage): Promise<PackagedReleaseRecord> {
    try {
      return await publishPackage(this.#registry, built);
    } catch (error) {
      if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
      const existing = await this.#existing(built.manifest.project, built.manifest.version);
      if (existing === null) throw error;
      sameCode(dir, existing, built);
      return existing;
    }
  }

  async fromRegistry(project: string, release?: string, options: ResolveOptions = {}): Promise<ResolvedProject> {
    return this.#fromVersion(project, release ?? (await this.#registry.latestRelease(project)), options);
  }

  async #fromVersion(project: string, version: string | null, options: ResolveOptions): Promise<ResolvedProject> {
    if (version === null) {
      throw new NotFoundError(
        { what: 'project', project },
        'publish it with `statekeep release DIR`, or pass the project directory instead of its name',
      );
    }
    return this.#loadRelease(await this.#registry.release(project, version), options);
  }

  async #loadRelease(record: ReleaseRecord, options: ResolveOptions): Promise<ResolvedProject> {
    if (record.package === null) throw noPackageError(record);
    const pkg = record.package;
    const loaded = await this.#load(
      record.project,
      record.version,
      pkg.digest,
      async () => (await this.#registry.pullRelease(record.project, record.version, record)).payload,
    );
    await options.check?.(loaded);
    return loaded;
  }

  async #load(
    project: ProjectName,
    version: ReleaseVersion,
    digest: Digest,
    fetch: () => Promise<Uint8Array>,
  ): Promise<ResolvedProject> {
    const mounted = await this.#staging.mount(digest, fetch, { project, version });
    // Only now, with every byte verified against the release's digest, is the code imported.
    const module = (await awaitUser(
      { step: 'import', module: mounted.manifest.entry, project, release: version },
      () => import(pathToFileURL(mounted.entryPath).href),
    )) as { default?: unknown };
    return {
      name: project,
      release: version,
      packageDigest: digest,
      definition: checkDefinition(module.default),
      mounted,
    };
  }
}

function sameCode(
  dir: string,
  existing: ReleaseRecord,
  built: BuiltPackage,
): asserts existing is PackagedReleaseRecord {
  if (existing.package === null || existing.info.payload !== built.manifest.payload.sha256) {
    throw new AlreadyExistsError(
      { what: 'release', project: existing.project, release: existing.version },
      `the code in ${dir} differs from the published ${existing.version}; bump the version in package.json to release it`,
    );
  }
}

/** A call that runs its body the first time only; later calls share the first one's outcome. */
function once<T>(body: () => Promise<T>): () => Promise<T> {
  let outcome: Promise<T> | undefined;
  return () => (outcome ??= body());
}

async function isProjectDirectory(dir: string): Promise<boolean> {
  return stat(path.join(dir, 'package.json')).then(
    (s) => s.isFile(),
    () => false,
  );
}
