import { STATEKEEP_VERSION } from '../version.js';
import { AliasBook, type MoveOptions } from './alias-book.js';
import { aliasName, isReservedAlias, type AliasEntry, type AliasTarget } from './aliases.js';
import { Digester, digestOf, digestOfAsync, verifyBytes, type Digest } from './digest.js';
import { AlreadyExistsError, IntegrityError, NotFoundError, ReleaseOrderError, UsageError } from './errors/index.js';
import { GarbageCollector, type GcOptions, type GcReport } from './gc.js';
import { blobsStillWritten, isPruned, prunedError, StoredGenerations, type StoredGeneration } from './lifecycle.js';
import { DEFAULT_GC_GRACE_MS } from './retention.js';
import { hasCode } from './errors/statekeep-error.js';
import {
  decodeManifest,
  encodeManifest,
  MANIFEST_FORMAT,
  manifestLocation,
  manifestProblem,
  type GenerationManifest,
  type StateEntry,
  type TrainingInfo,
  type TuningInfo,
} from './manifest.js';
import { actorName, isProjectName, projectName, type ActorName, type ProjectName } from './names.js';
import {
  decodeReleaseRecord,
  encodeReleaseRecord,
  noPackageError,
  RELEASE_FORMAT,
  UNPACKAGED_RELEASE_FORMAT,
  type PackagedReleaseRecord,
  type ReleaseRecord,
} from './release-record.js';
import type { CleanupOptions, CleanupReport, Provider, ProviderDescriptor } from './spi.js';
import { decodeTombstone, isTombstoneBytes } from './tombstone.js';
import { removeReleaseChecked } from './release-removal.js';
import { Verifier, type Finding, type VerifyScope, type VerifySummary } from './verify.js';
import {
  compareReleases,
  generationNumber,
  isReleaseVersion,
  releaseVersion,
  type GenerationNumber,
  type ReleaseVersion,
} from './versions.js';

export interface RegistryOptions {
  /** The time stamped on manifests and records; injectable so tests and replays are exact. */
  clock?: () => Date;
  /**
   * The gc grace period the registry's gc runs with (default DEFAULT_GC_GRACE_MS): a commit
   * publishes within a quarter of it of writing the blobs it names (see gc.ts). Writers and gc
   * must agree on it; platform.yaml's retention block sets both.
   */
  gcGraceMs?: number;
}

/** One actor's encoded state, ready to commit. */
export interface StateDraft {
  actor: string;
  bytes: Uint8Array;
  /** The codec that wrote the bytes, recorded in the manifest (e.g. "cbor"). */
  codec: string;
}

/** What a train or tune run hands over to become a generation. */
export interface CommitDraft {
  project: string;
  release: string;
  mode: 'train' | 'tune';
  parent: number | null;
  training?: TrainingInfo | null;
  tuning?: TuningInfo | null;
  metrics?: Record<string, number>;
  /** Digest of the release package the run executed, if it ran one. */
  package?: Digest | null;
  states: StateDraft[];
}

export interface ReleaseDraft {
  /** The package bytes; stored as a content-addressed blob and verified whenever pulled. */
  payload: Uint8Array;
  info?: Record<string, string | null>;
}

/** A release's record with the numbers of its generations, ascending: a row of `statekeep list PROJECT`. */
export interface ReleaseWithGenerations {
  record: ReleaseRecord;
  generations: GenerationNumber[];
}

/** A release's record together with its verified package bytes. */
export interface PulledRelease {
  record: ReleaseRecord;
  payload: Uint8Array;
}

/**
 * The provider-independent registry: validation, ordering, "latest", commit, rollback and
 * verification are written once here, over the small Provider contract. The runtime and the
 * CLI use this class only.
 */
export class Registry {
  readonly #provider: Provider;
  readonly #clock: () => Date;
  // Blobs this Registry stored or verified lately, by project and digest, with when (monotonic
  // ms): a commit names them without another round trip. Anything else a commit names is written
  // again, and the provider makes sure the stored blob holds exactly those bytes.
  readonly #trusted = new Map<string, number>();
  // Blobs this Registry wrote, by project and digest, with when it started writing them
  // (monotonic ms). With a provider that deletes blobs (gc), only these count for skipping a
  // write, and only for a quarter of the gc grace period: see gc.ts for why.
  readonly #written = new Map<string, number>();
  readonly #gcGraceMs: number;

  constructor(provider: Provider, options: RegistryOptions = {}) {
    this.#provider = provider;
    this.#clock = options.clock ?? (() => new Date());
    this.#gcGraceMs = options.gcGraceMs ?? DEFAULT_GC_GRACE_MS;
  }

  get descriptor(): ProviderDescriptor {
    return this.#provider.descriptor;
  }

  // ---- projects and releases -------------------------------------------------------------

  /** Projects, sorted by name. Entries a provider holds that are not valid names are not projects. */
  async projects(): Promise<ProjectName[]> {
    const names = await this.#provider.listProjects();
    return names.filter(isProjectName).sort();
  }

  /** Release versions of a project, oldest first by semver. NotFoundError for an unknown project. */
  async releaseVersions(project: string): Promise<ReleaseVersion[]> {
    const name = projectName(project);
    const versions = await this.#releaseVersions(name);
    if (versions.length === 0) throw projectNotFound(name);
    return versions;
  }

  /** Release records of a project, oldest first. */
  async releases(project: string): Promise<ReleaseRecord[]> {
    const versions = await this.releaseVersions(project);
    return Promise.all(versions.map((v) => this.release(project, v)));
  }

  /** Release records of a project with their generation numbers, oldest first: 2N+1 provider calls. */
  async releasesWithGenerations(project: string): Promise<ReleaseWithGenerations[]> {
    const p = projectName(project);
    const versions = await this.releaseVersions(p);
    return Promise.all(
      versions.map(async (v) => {
        const [record, numbers] = await Promise.all([this.release(p, v), this.#listGenerations(p, v)]);
        return { record, generations: ascending(numbers) };
      }),
    );
  }

  /** The newest release by semver, or null if the project has none. */
  async latestRelease(project: string): Promise<ReleaseVersion | null> {
    const versions = await this.#releaseVersions(projectName(project));
    return versions.at(-1) ?? null;
  }

  async release(project: string, version: string): Promise<ReleaseRecord> {
    const p = projectName(project);
    const v = releaseVersion(version);
    return decodeReleaseRecord(await this.#readRelease(p, v), { project: p, release: v });
  }

  /**
   * Publishes a release. Its version must be newer than every existing release of the project;
   * the package bytes are stored (durably) before the release becomes visible.
   */
  async publishRelease(project: string, version: string, draft: ReleaseDraft): Promise<PackagedReleaseRecord> {
    const p = projectName(project);
    const v = releaseVersion(version);
    await this.#checkNewRelease(p, v);
    const digest = digestOf(draft.payload);
    await this.#storeBlob(p, digest, draft.payload);
    const record: PackagedReleaseRecord = {
      format: RELEASE_FORMAT,
      project: p,
      version: v,
      created: this.#clock().toISOString(),
      package: { digest, size: draft.payload.length },
      info: { ...draft.info },
    };
    await this.#provider.writeRelease(p, v, encodeReleaseRecord(record));
    return record;
  }

  /**
   * Creates a release without a package: its code is managed by a program (PersistentModel), so
   * the CLI cannot run it. Same order rules as publishRelease.
   */
  async createRelease(
    project: string,
    version: string,
    options: { info?: Record<string, string | null> } = {},
  ): Promise<ReleaseRecord> {
    const p = projectName(project);
    const v = releaseVersion(version);
    await this.#checkNewRelease(p, v);
    const record: ReleaseRecord = {
      format: UNPACKAGED_RELEASE_FORMAT,
      project: p,
      version: v,
      created: this.#clock().toISOString(),
      package: null,
      info: { ...options.info },
    };
    await this.#provider.writeRelease(p, v, encodeReleaseRecord(record));
    return record;
  }

  async #checkNewRelease(p: ProjectName, v: ReleaseVersion): Promise<void> {
    const existing = await this.#releaseVersions(p);
    if (existing.includes(v)) throw releaseExists(p, v);
    const latest = existing.at(-1);
    if (latest !== undefined && compareReleases(v, latest) <= 0) {
      throw new ReleaseOrderError({ project: p, version: v, latest });
    }
  }

  /**
   * A release's package bytes, verified against the digest in its record. A caller that has
   * just read the record passes it, saving the second read.
   */
  async pullRelease(project: string, version: string, known?: ReleaseRecord): Promise<PulledRelease> {
    const record =
      known !== undefined && known.project === project && known.version === version
        ? known
        : await this.release(project, version);
    if (record.package === null) throw noPackageError(record);
    const at = { project: record.project, release: record.version, subject: 'release package' };
    let payload: Uint8Array;
    try {
      payload = await this.#provider.readBlob(record.project, record.package.digest);
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND'))
        throw new IntegrityError({ ...at, expected: record.package.digest, actual: 'no stored package' });
      throw error;
    }
    return { record, payload: verifyBytes(payload, record.package, at) };
  }

  // ---- generations -----------------------------------------------------------------------

  /** Generation numbers of a release, ascending. */
  async generations(project: string, release: string): Promise<GenerationNumber[]> {
    const p = projectName(project);
    const v = releaseVersion(release);
    const numbers = await this.#listGenerations(p, v);
    // Only an empty answer needs the record, to tell a release without generations from none.
    if (numbers.length === 0) await this.#readRelease(p, v);
    return ascending(numbers);
  }

  /** The highest committed generation of a release, or null if it has none. */
  async latest(project: string, release: string): Promise<GenerationNumber | null> {
    const p = projectName(project);
    const v = releaseVersion(release);
    const latest = await this.#latest(p, v);
    if (latest === null) await this.#readRelease(p, v);
    return latest;
  }

  /** A generation's manifest; the latest one when `generation` is omitted. */
  async manifest(project: string, release: string, generation?: number | string): Promise<GenerationManifest> {
    const p = projectName(project);
    const v = releaseVersion(release);
    let n: GenerationNumber;
    if (generation === undefined) {
      const latest = await this.latest(p, v);
      if (latest === null) throw noGenerations(p, v);
      // The newest is never pruned, but a copied or hand-made registry may say otherwise.
      return this.#newestUsable(p, v, latest);
    } else {
      n = generationNumber(generation);
    }
    return this.#manifest(p, v, n);
  }

  /** Every manifest of a release, oldest first; pruned generations (tombstones) are left out. */
  async manifests(project: string, release: string): Promise<GenerationManifest[]> {
    const stored = await this.history(project, release);
    return stored.flatMap((s) => (s.manifest === null ? [] : [s.manifest]));
  }

  /** Every generation of a release, oldest first, as its manifest or, once pruned, its tombstone. */
  async history(project: string, release: string): Promise<StoredGeneration[]> {
    const p = projectName(project);
    const v = releaseVersion(release);
    const numbers = await this.generations(p, v);
    return this.#stored.read(p, v, numbers);
  }

  /**
   * Prunes what each project's retention policy lets go (tombstones) and deletes the blobs that
   * nothing references any more and nobody wrote within the grace period; see gc.ts. A dry run
   * reports the same and changes nothing.
   */
  async gc(options: GcOptions = {}): Promise<GcReport> {
    const projects = options.project !== undefined ? [projectName(options.project)] : await this.projects();
    if (options.project !== undefined) await this.releaseVersions(options.project);
    const collector = new GarbageCollector(this.#provider, this.#clock, async (p) => {
      if (!this.#provider.listAliases) return [];
      return (await this.#aliasesOf.list(p)).flatMap((entry) => (entry.to === null ? [] : [entry.to]));
    });
    return collector.run(projects, options, this.#gcGraceMs);
  }

  /**
   * Removes a release: its record, generations and tombstones (its blobs go at the next gc).
   * Refused (IN_USE) while an alias points into it, and for the project's newest release, so that
   * a removed version is always older than one that exists and can never be published again.
   */
  async removeRelease(project: string, version: string): Promise<void> {
    const p = projectName(project);
    const v = releaseVersion(version);
    await this.#readRelease(p, v);
    const aliases = this.#provider.listAliases ? await this.#aliasesOf.list(p) : [];
    await removeReleaseChecked(this.#provider, p, v, await this.#releaseVersions(p), aliases);
  }

  /** One actor's state bytes from a generation, verified against the manifest's digest. */
  async readState(manifest: GenerationManifest, actor: string): Promise<Uint8Array> {
    const name = actorName(actor);
    const entry = manifest.states.find((s) => s.actor === name);
    if (entry === undefined) {
      throw new NotFoundError(
        { what: 'state', ...manifestLocation(manifest), actor: name },
        `the generation holds states of: ${manifest.states.map((s) => s.actor).join(', ') || 'no actors'}`,
      );
    }
    return this.#readEntry(manifest, entry);
  }

  /** Every state of a generation, verified, in manifest order. */
  async readStates(manifest: GenerationManifest): Promise<Map<ActorName, Uint8Array>> {
    const bytes = await Promise.all(manifest.states.map((entry) => this.#readEntry(manifest, entry)));
    return new Map(manifest.states.map((entry, i) => [entry.actor, bytes[i]!]));
  }

  /**
   * Commits a new generation: every state is stored (once per content) and durable before the
   * manifest is published under a freshly allocated number. On any failure nothing is visible.
   */
  async commit(draft: CommitDraft): Promise<GenerationManifest> {
    const p = projectName(draft.project);
    const v = releaseVersion(draft.release);
    const parent = draft.parent === null ? null : generationNumber(draft.parent);
    // Both are reads, one round trip each on a remote registry: made at once. A missing release
    // is reported before a missing parent, since it explains it.
    // The record is verified, not only found: a commit never writes into a damaged release.
    const [release, parentRead] = await Promise.allSettled([
      this.#verifiedRelease(p, v),
      parent === null ? null : this.#manifest(p, v, parent),
    ]);
    if (release.status === 'rejected') throw release.reason;
    if (parentRead.status === 'rejected') throw parentRead.reason;
    if (draft.mode !== 'train' && draft.mode !== 'tune') {
      throw new UsageError(
        `a commit's mode is train or tune, not ${JSON.stringify(draft.mode)}`,
        'commit with mode train or tune; rollback() makes rollback generations',
        { argument: 'mode' },
      );
    }
    const metrics = checkMetrics(draft.metrics ?? {});
    const seen = new Set<string>();
    const actors = draft.states.map((s) => {
      const actor = actorName(s.actor);
      if (seen.has(actor))
        throw new UsageError(
          `actor ${JSON.stringify(actor)} appears twice in one commit`,
          'give every actor of a pipeline its own name',
        );
      if (typeof s.codec !== 'string')
        throw new UsageError(
          `the state of actor ${JSON.stringify(actor)} names no codec`,
          'give every state the name of the codec that wrote it',
        );
      seen.add(actor);
      return actor;
    });
    const manifest = (generation: GenerationNumber, states: StateEntry[]): GenerationManifest => ({
      format: MANIFEST_FORMAT,
      project: p,
      release: v,
      generation,
      parent,
      mode: draft.mode,
      created: this.#clock().toISOString(),
      training: draft.training ?? null,
      tuning: draft.tuning ?? null,
      metrics,
      environment: environment(),
      rollbackOf: null,
      package: draft.package ?? null,
      states,
    });
    // Before anything is stored: a manifest that would not read back would make its generation,
    // and with it the release's latest, unreadable for good.
    const problem = manifestProblem(manifest(generationNumber(1), []));
    if (problem !== null) {
      throw new UsageError(
        `cannot commit to ${p} ${v}: ${problem}`,
        'give training as {lower, upper, rows} and tuning as {score, params, trials}, with finite numbers and whole counts, params that JSON can store, and package as a sha256 digest',
      );
    }
    const states = await this.#storeStates(p, draft.states, actors);
    const held = new Map(states.map((s, i) => [s.digest, draft.states[i]!.bytes]));
    return this.#publishNaming(p, held, () => this.#publish(p, v, (generation) => manifest(generation, states)));
  }

  /**
   * Creates generation latest+1 holding exactly the states (the same digests) of generation
   * `to`, after checking every one of them is intact. Nothing is copied or deleted.
   */
  async rollback(project: string, release: string, to: number | string): Promise<GenerationManifest> {
    const p = projectName(project);
    const v = releaseVersion(release);
    // Checked here because manifest() reads a missing number as "latest". The record is verified
    // first, like every write into a release; both reads go out at once.
    const n = generationNumber(to);
    const [record, read] = await Promise.allSettled([this.#verifiedRelease(p, v), this.#manifest(p, v, n)]);
    if (record.status === 'rejected') throw record.reason;
    if (read.status === 'rejected') throw read.reason;
    const target = read.value;
    const bytes = await this.readStates(target);
    // Naming blobs it did not write: with gc about, they are written again (touched) first.
    const held = new Map(target.states.map((s) => [s.digest, bytes.get(s.actor)!]));
    return this.#publishNaming(p, held, () =>
      this.#publish(target.project, target.release, (generation) => ({
        ...target,
        generation,
        parent: target.generation,
        mode: 'rollback',
        created: this.#clock().toISOString(),
        environment: environment(),
        rollbackOf: target.generation,
      })),
    );
  }

  /** Removes leftovers of crashed writers, where the provider keeps any. */
  async cleanup(options?: CleanupOptions): Promise<CleanupReport> {
    return this.#provider.cleanup ? this.#provider.cleanup(options) : { removed: 0, bytes: 0 };
  }

  async close(): Promise<void> {
    await this.#provider.close?.();
  }

  // ---- internals -------------------------------------------------------------------------

  async #releaseVersions(p: ProjectName): Promise<ReleaseVersion[]> {
    const raw = await this.#provider.listReleases(p);
    const versions = raw.filter(isReleaseVersion);
    return versions.sort(compareReleases);
  }

  async #readRelease(p: ProjectName, v: ReleaseVersion): Promise<Uint8Array> {
    try {
      return await this.#provider.readRelease(p, v);
    } catch (error) {
      if (!hasCode(error, 'NOT_FOUND')) throw error;
      if ((await this.#provider.listReleases(p)).length === 0) throw projectNotFound(p);
      throw new NotFoundError(
        { what: 'release', project: p, release: v },
        `run \`statekeep list ${p}\` to see its releases`,
      );
    }
  }

  /** The release's record, decoded: damaged, misplaced or relabelled records are IntegrityErrors. */
  async #verifiedRelease(p: ProjectName, v: ReleaseVersion): Promise<ReleaseRecord> {
    return decodeReleaseRecord(await this.#readRelease(p, v), { project: p, release: v });
  }

  async #latest(p: ProjectName, v: ReleaseVersion): Promise<GenerationNumber | null> {
    if (this.#provider.latestGeneration) {
      try {
        return await this.#provider.latestGeneration(p, v);
      } catch (error) {
        throw await this.#explained(p, v, error);
      }
    }
    const numbers = await this.#listGenerations(p, v);
    return numbers.length === 0 ? null : (Math.max(...numbers) as GenerationNumber);
  }

  async #listGenerations(p: ProjectName, v: ReleaseVersion): Promise<GenerationNumber[]> {
    try {
      return await this.#provider.listGenerations(p, v);
    } catch (error) {
      throw await this.#explained(p, v, error);
    }
  }

  /**
   * A provider's NotFoundError for a release's generations, explained the way the Registry
   * words it (an unknown project, or an unknown release); only failures pay for the look.
   */
  async #explained(p: ProjectName, v: ReleaseVersion, error: unknown): Promise<unknown> {
    if (!hasCode(error, 'NOT_FOUND')) return error;
    await this.#readRelease(p, v);
    return error;
  }

  async #manifest(p: ProjectName, v: ReleaseVersion, n: GenerationNumber): Promise<GenerationManifest> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#provider.readManifest(p, v, n);
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND')) {
        // A missing release explains a missing generation; only this path pays for the look.
        await this.#readRelease(p, v);
        throw new NotFoundError(
          { what: 'generation', project: p, release: v, generation: n },
          `run \`statekeep list ${p} ${v}\` to see its generations`,
        );
      }
      throw error;
    }
    if (isTombstoneBytes(bytes)) throw prunedError(decodeTombstone(bytes, { project: p, release: v, generation: n }));
    return decodeManifest(bytes, { project: p, release: v, generation: n });
  }

  /** The newest generation at or below `from` that is not pruned (walks down past tombstones). */
  async #newestUsable(p: ProjectName, v: ReleaseVersion, from: GenerationNumber): Promise<GenerationManifest> {
    let n = from;
    for (;;) {
      try {
        return await this.#manifest(p, v, n);
      } catch (error) {
        if (!isPruned(error) || n <= 1) throw error;
      }
      n = generationNumber(n - 1);
    }
  }

  get #stored(): StoredGenerations {
    return new StoredGenerations(this.#provider, (p, v, n) => this.#manifest(p, v, n));
  }

  async #readEntry(manifest: GenerationManifest, entry: StateEntry): Promise<Uint8Array> {
    const at = { ...manifestLocation(manifest), actor: entry.actor, subject: 'state' };
    // Hash the pieces as the provider reads them, so verifying costs little beyond reading.
    const digester = new Digester();
    let bytes: Uint8Array;
    const key = blobKey(manifest.project, entry.digest);
    try {
      bytes = await this.#provider.readBlob(manifest.project, entry.digest, (chunk) => digester.update(chunk));
    } catch (error) {
      this.#trusted.delete(key);
      if (hasCode(error, 'NOT_FOUND'))
        throw new IntegrityError({ ...at, expected: entry.digest, actual: 'no stored blob' });
      throw error;
    }
    this.#trusted.delete(key);
    const streamed = digester.length > 0 && digester.length === bytes.length;
    verifyBytes(bytes, entry, at, streamed ? digester.digest() : digestOf(bytes));
    // The digest matches, so a different size is the manifest's damage, not the blob's.
    if (bytes.length !== entry.size) {
      throw new IntegrityError({
        ...manifestLocation(manifest),
        actor: entry.actor,
        subject: 'generation manifest',
        expected: `size ${bytes.length} for the state of ${entry.actor}, its blob's length`,
        actual: `size ${entry.size}`,
      });
    }
    this.#trust(key);
    return bytes;
  }

  /**
   * Hashes the states one after another and starts storing each as soon as its digest is known,
   * so large states are written while later ones are still being hashed (each blob once).
   */
  async #storeStates(p: ProjectName, drafts: StateDraft[], actors: ActorName[]): Promise<StateEntry[]> {
    const stores = new Map<Digest, Promise<void>>();
    const states: StateEntry[] = [];
    for (const [i, s] of drafts.entries()) {
      const digest = await digestOfAsync(s.bytes);
      states.push({ actor: actors[i]!, digest, size: s.bytes.length, codec: s.codec });
      if (stores.has(digest)) continue;
      const stored = this.#storeBlob(p, digest, s.bytes);
      // Awaited below with the others; this only keeps an early failure from counting as unhandled.
      stored.catch(() => undefined);
      stores.set(digest, stored);
    }
    await Promise.all(stores.values());
    return states;
  }

  /**
   * No hasBlob first: a blob that is there may be damaged, and writeBlob of an existing digest
   * makes the stored blob hold these bytes (the provider rewrites or compares, whichever is
   * cheaper for it), so a commit never names a blob that does not verify. The one exception is
   * a blob this Registry itself wrote, or read and verified, within the last minute (a warm
   * start's states, committed again unchanged): it verified just now, and handing it over again
   * would upload it again on a remote registry.
   */
  async #storeBlob(p: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const key = blobKey(p, digest);
    // With gc about, only this process's own recent write counts (gc.ts): a blob it only read may
    // be swept meanwhile, since the generations that named it may have been pruned.
    const gc = this.#provider.deleteBlob !== undefined;
    const since = gc ? this.#written.get(key) : this.#trusted.get(key);
    if (since !== undefined && performance.now() - since < (gc ? this.#writeBoundMs : TRUST_MS)) return;
    const started = performance.now();
    await this.#provider.writeBlob(p, digest, bytes);
    this.#trust(key);
    remember(this.#written, key, started, this.#writeBoundMs);
  }

  /** A quarter of the gc grace period (and never more than TRUST_MS): see gc.ts. */
  get #writeBoundMs(): number {
    return Math.min(TRUST_MS, this.#gcGraceMs / 4);
  }

  /**
   * Publishes a manifest naming `held` (digest → bytes) within the bound gc relies on: any blob
   * whose last write by this process is older than a quarter of the grace period is written
   * again first, and if the publish itself took long, the blobs are checked afterwards and any
   * that went written back (the bytes are still in hand). See gc.ts.
   */
  async #publishNaming(
    p: ProjectName,
    held: ReadonlyMap<Digest, Uint8Array>,
    publish: () => Promise<GenerationManifest>,
  ): Promise<GenerationManifest> {
    if (!this.#provider.deleteBlob) return publish();
    await Promise.all([...held].map(([digest, bytes]) => this.#storeBlob(p, digest, bytes)));
    const started = Math.min(...[...held.keys()].map((d) => this.#written.get(blobKey(p, d)) ?? performance.now()));
    const published = await publish();
    if (performance.now() - started > this.#gcGraceMs / 2)
      await blobsStillWritten(this.#provider, p, held, (d) => this.#written.delete(blobKey(p, d)));
    return published;
  }

  #trust(key: string): void {
    const now = performance.now();
    if (this.#trusted.size >= TRUSTED_MAX) {
      for (const [k, since] of this.#trusted) if (now - since >= TRUST_MS) this.#trusted.delete(k);
      if (this.#trusted.size >= TRUSTED_MAX) this.#trusted.clear();
    }
    this.#trusted.set(key, now);
  }

  async #publish(
    p: ProjectName,
    v: ReleaseVersion,
    build: (n: GenerationNumber) => GenerationManifest,
  ): Promise<GenerationManifest> {
    let published: GenerationManifest | undefined;
    const n = await this.#provider.publishGeneration(p, v, (generation) => {
      published = build(generation);
      return encodeManifest(published);
    });
    if (published === undefined || published.generation !== n) {
      // The provider published a different rendering than it reports; trust the stored one.
      return this.#manifest(p, v, n);
    }
    return published;
  }

  // ---- aliases ---------------------------------------------------------------------------

  #aliasBook: AliasBook | undefined;

  get #aliasesOf(): AliasBook {
    this.#aliasBook ??= new AliasBook(this.#provider, this.#clock, async (p, target) => {
      // A missing release explains itself here: #manifest looks it up on a miss.
      await this.#manifest(p, target.release, target.generation);
    });
    return this.#aliasBook;
  }

  /** The aliases that are set now, by name, each as the entry that set it. */
  async aliases(project: string): Promise<AliasEntry[]> {
    const p = projectName(project);
    await this.releaseVersions(p);
    return this.#aliasesOf.list(p);
  }

  /**
   * Where an alias points. `latest` is the newest generation of the newest release. NotFoundError
   * for an alias that is not set (never, or removed).
   */
  async resolveAlias(project: string, alias: string): Promise<AliasTarget> {
    const p = projectName(project);
    if (typeof alias === 'string' && isReservedAlias(alias)) {
      const release = await this.latestRelease(p);
      if (release === null) throw projectNotFound(p);
      // The number only: every caller reads the manifest next.
      const generation = await this.latest(p, release);
      if (generation === null) throw noGenerations(p, release);
      return { release, generation };
    }
    const a = aliasName(alias);
    const head = await this.#aliasesOf.head(p, a);
    if (head?.to == null) {
      await this.releaseVersions(p);
      throw new NotFoundError(
        { what: 'alias', project: p, name: a },
        `set it with \`statekeep alias set ${p} ${a} RELEASE GENERATION\`, or run \`statekeep alias list ${p}\``,
      );
    }
    return head.to;
  }

  /**
   * Points an alias at a generation that exists ('previous': back where it pointed before its
   * last move), atomically; with `expect`, only if it still holds that (ConflictError otherwise).
   */
  async setAlias(
    project: string,
    alias: string,
    to: { release: string; generation: number | string } | 'previous',
    options: { expect?: { release: string; generation: number | string } | null; reason?: string | null } = {},
  ): Promise<AliasEntry> {
    const p = projectName(project);
    const a = aliasName(alias);
    const target =
      to === 'previous' ? to : { release: releaseVersion(to.release), generation: generationNumber(to.generation) };
    return this.#aliasesOf.move(p, a, target, aliasMoveOptions(options));
  }

  /** Unsets an alias (recorded in its history like a move); with `expect`, only if it holds that. */
  async removeAlias(
    project: string,
    alias: string,
    options: { expect?: { release: string; generation: number | string } | null; reason?: string | null } = {},
  ): Promise<AliasEntry> {
    const p = projectName(project);
    const a = aliasName(alias);
    await this.releaseVersions(p);
    return this.#aliasesOf.move(p, a, null, aliasMoveOptions(options));
  }

  /** Every set and removal of an alias, newest first, read one entry at a time. */
  async *aliasHistory(project: string, alias: string): AsyncGenerator<AliasEntry> {
    const p = projectName(project);
    const a = aliasName(alias);
    await this.releaseVersions(p);
    yield* this.#aliasesOf.history(p, a);
  }

  // ---- verify ----------------------------------------------------------------------------

  /**
   * Re-reads and checks everything stored (or one project, release or generation): see
   * verify.ts. Findings go to `onFinding` as they are found; the summary comes back at the end.
   * A scope that names something absent is NotFoundError, before anything is checked.
   */
  async verify(
    scope: { project?: string; release?: string; generation?: number | string } = {},
    onFinding: (finding: Finding) => void = () => {},
  ): Promise<VerifySummary> {
    const checked: VerifyScope = {};
    if (scope.project !== undefined) {
      checked.project = projectName(scope.project);
      await this.releaseVersions(checked.project);
    }
    if (scope.release !== undefined && checked.project !== undefined) {
      checked.release = releaseVersion(scope.release);
      // Only that it exists: a damaged record is one of verify's findings, not a refusal.
      await this.#readRelease(checked.project, checked.release);
    }
    if (scope.generation !== undefined && checked.release !== undefined) {
      const [p, v, g] = [checked.project!, checked.release, generationNumber(scope.generation)];
      checked.generation = g;
      // Only that it is there, and without a listing, which refuses a release with a lost
      // manifest (verify's to report); a damaged manifest is one of verify's findings too.
      try {
        await this.#provider.readManifest(p, v, g);
      } catch (error) {
        if (hasCode(error, 'NOT_FOUND')) await this.#manifest(p, v, g);
        else if (!hasCode(error, 'INTEGRITY')) throw error;
      }
    }
    const projects = checked.project !== undefined ? [checked.project] : await this.projects();
    return new Verifier(this.#provider, onFinding).run(checked, projects);
  }
}

// A blob stored or verified this recently is taken as still intact; one verified longer ago (a
// long training run, a long-lived process) is written again, so damage meanwhile is repaired.
const TRUST_MS = 60_000;
const TRUSTED_MAX = 10_000;

function remember(map: Map<string, number>, key: string, at: number, keepMs: number): void {
  if (map.size >= TRUSTED_MAX) {
    const now = performance.now();
    for (const [k, since] of map) if (now - since >= keepMs) map.delete(k);
    if (map.size >= TRUSTED_MAX) map.clear();
  }
  map.set(key, at);
}

function blobKey(p: ProjectName, digest: Digest): string {
  return `${p}/${digest}`;
}

function ascending(numbers: readonly GenerationNumber[]): GenerationNumber[] {
  return [...numbers].sort((a, b) => a - b);
}

function environment(): { statekeep: string; node: string } {
  return { statekeep: STATEKEEP_VERSION, node: process.version };
}

function checkMetrics(metrics: Record<string, number>): Record<string, number> {
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new UsageError(
        `metric ${JSON.stringify(key)} is ${String(value)}, not a finite number`,
        'report metrics as finite numbers',
      );
    }
  }
  return { ...metrics };
}

function projectNotFound(p: ProjectName): NotFoundError {
  return new NotFoundError(
    { what: 'project', project: p },
    'run `statekeep list` to see the projects, or publish a release with `statekeep release`',
  );
}

function noGenerations(p: ProjectName, v: ReleaseVersion): NotFoundError {
  return new NotFoundError(
    { what: 'generation', project: p, release: v },
    `release ${v} has no generations yet; train it first`,
  );
}

function releaseExists(p: ProjectName, v: ReleaseVersion): AlreadyExistsError {
  return new AlreadyExistsError(
    { what: 'release', project: p, release: v },
    'releases are immutable; bump the version in package.json',
  );
}

function aliasMoveOptions(options: {
  expect?: { release: string; generation: number | string } | null;
  reason?: string | null;
}): MoveOptions {
  const moved: MoveOptions = { reason: options.reason ?? null };
  if (options.expect !== undefined)
    moved.expect =
      options.expect === null
        ? null
        : { release: releaseVersion(options.expect.release), generation: generationNumber(options.expect.generation) };
  return moved;
}
