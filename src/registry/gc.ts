import type { AliasTarget } from './aliases.js';
import type { Digest } from './digest.js';
import { hasCode, UnsupportedError } from './errors/index.js';
import { decodeManifest, type GenerationManifest } from './manifest.js';
import type { ProjectName } from './names.js';
import { decodeReleaseRecord } from './release-record.js';
import { DEFAULT_GC_GRACE_MS, decideRetention, type GenerationFacts, type RetentionPolicy } from './retention.js';
import type { Provider } from './spi.js';
import { decodeTombstone, encodeTombstone, isTombstoneBytes, tombstoneFor } from './tombstone.js';
import { compareReleases, isReleaseVersion, type GenerationNumber, type ReleaseVersion } from './versions.js';

/*
 * Why gc never deletes a blob that a commit relies on, with no lock between them.
 *
 * Let g be the grace period. A blob is deleted only if (1) no manifest, release record or alias
 * target gc read references it, and (2) the provider's deleteBlob finds it not written since
 * "now - g", atomically against writeBlob. A commit writes every blob it names (or, if this
 * process wrote it less than g/4 ago, counts on that write: Registry#storeBlob) and publishes
 * its manifest no later than g/4 after the oldest of those writes (it writes a blob again if
 * more time has passed: Registry#refreshBlobs). gc reads references starting at time R and
 * deletes only until R + g/4; past that it reads them again first (#sweep).
 * So for a commit that publishes at P naming a blob last written at w (P <= w + g/4):
 *   - if P <= R, gc read its manifest and keeps the blob;
 *   - if P > R, gc deletes at some D <= R + g/4 < P + g/4 <= w + g/2 < w + g, so the blob was
 *     written within g of D and deleteBlob leaves it alone.
 * The margin (g/2) absorbs clock differences between writers and the backend and the time a
 * publish takes. A commit whose publish outlasts it checks its blobs after publishing and
 * writes back any that went (Registry#refreshBlobs), while it still holds their bytes.
 * Everything rests on writers and gc agreeing on g: writers take it from the same retention
 * block of platform.yaml that gc does (RegistryOptions.gcGraceMs).
 */

/** What `gc` is asked to do. */
export interface GcOptions {
  /** Only this project (all projects when left out). */
  project?: ProjectName;
  /** Decide and count, change nothing. */
  dryRun?: boolean;
  /** Overrides the policy's grace period. */
  graceMs?: number;
  /** The policy of a project; null or absent: nothing of it is pruned (its blobs are still swept). */
  policyFor?: (project: ProjectName) => RetentionPolicy | null;
}

export interface PrunedGeneration {
  project: ProjectName;
  release: ReleaseVersion;
  generation: GenerationNumber;
  /** The policy's rule and where it comes from. */
  policy: string;
  source: string;
}

/** A project gc left unswept, and why (a damaged or lost manifest hides what it references). */
export interface GcSkipped {
  project: ProjectName;
  reason: string;
}

export interface GcReport {
  dryRun: boolean;
  graceMs: number;
  /** Generations pruned now (in a dry run: that would be). */
  pruned: PrunedGeneration[];
  /** Blobs deleted (in a dry run: that would be), and their bytes. */
  blobsDeleted: number;
  bytesFreed: number;
  /** Blobs nothing references but written within the grace period: a later gc takes them. */
  blobsRecent: number;
  /** Blobs nothing references that the provider cannot delete (it offers no deleteBlob). */
  blobsUnswept: number;
  /** Blobs something references: kept. */
  blobsReferenced: number;
  skipped: GcSkipped[];
}

type Stored =
  | { kind: 'manifest'; generation: GenerationNumber; bytes: Uint8Array; manifest: GenerationManifest }
  | {
      kind: 'tombstone';
      generation: GenerationNumber;
      created: string;
      parent: GenerationManifest['parent'];
      rollbackOf: GenerationNumber | null;
    };

interface ReleaseScan {
  version: ReleaseVersion;
  packageDigest: Digest | null;
  stored: Stored[];
}

/** Reading manifests this many at a time keeps a remote registry busy without flooding it. */
const READ_CONCURRENCY = 8;

/**
 * Retention and sweeping over the Provider contract: prunes what each project's policy lets go
 * (tombstones, via provider.tombstoneGeneration), then deletes blobs nothing references any more
 * and nobody wrote within the grace period (provider.deleteBlob). The safety argument is above.
 */
export class GarbageCollector {
  readonly #provider: Provider;
  readonly #clock: () => Date;
  readonly #aliasTargets: (p: ProjectName) => Promise<AliasTarget[]>;

  constructor(provider: Provider, clock: () => Date, aliasTargets: (p: ProjectName) => Promise<AliasTarget[]>) {
    this.#provider = provider;
    this.#clock = clock;
    this.#aliasTargets = aliasTargets;
  }

  /** `defaultGraceMs`: the grace period when neither the options nor a project's policy give one. */
  async run(
    projects: readonly ProjectName[],
    options: GcOptions = {},
    defaultGraceMs = DEFAULT_GC_GRACE_MS,
  ): Promise<GcReport> {
    const report: GcReport = {
      dryRun: options.dryRun === true,
      graceMs: options.graceMs ?? defaultGraceMs,
      pruned: [],
      blobsDeleted: 0,
      bytesFreed: 0,
      blobsRecent: 0,
      blobsUnswept: 0,
      blobsReferenced: 0,
      skipped: [],
    };
    const policies = projects.map((p) => options.policyFor?.(p) ?? null);
    if (policies.some(prunes) && !this.#provider.tombstoneGeneration) {
      throw new UnsupportedError(
        { provider: this.#provider.descriptor.name, operation: 'pruning generations (tombstoneGeneration)' },
        'remove the retention policy of this registry, or use a provider that offers the lifecycle methods',
      );
    }
    let grace = report.graceMs;
    for (const [i, p] of projects.entries()) {
      const policy = policies[i] ?? null;
      grace = options.graceMs ?? policy?.graceMs ?? defaultGraceMs;
      await this.#project(p, policy, grace, report);
    }
    report.graceMs = projects.length === 0 ? report.graceMs : grace;
    return report;
  }

  async #project(p: ProjectName, policy: RetentionPolicy | null, grace: number, report: GcReport): Promise<void> {
    let readAt = performance.now();
    let scan = await this.#scan(p);
    if (typeof scan === 'string') {
      report.skipped.push({ project: p, reason: scan });
      return;
    }
    const pruned = new Set<string>();
    if (policy !== null) {
      // Kept whatever the policy: what an alias points at, and what a live generation of another
      // release warm-started from (train --from), so its lineage stays readable.
      const targets = [...(await this.#aliasTargets(p)), ...crossReleaseParents(scan)];
      const now = this.#clock();
      for (const release of scan) {
        const aliased = new Set(
          targets.filter((t) => t.release === release.version).map((t) => t.generation as number),
        );
        const decision = decideRetention(release.stored.map(factsOf), aliased, policy, now);
        for (const n of decision.prune) {
          const stored = release.stored.find((s) => s.generation === n);
          if (stored?.kind !== 'manifest') continue;
          if (!report.dryRun) {
            const tombstone = tombstoneFor(
              stored.manifest,
              stored.bytes,
              { rule: policy.rule, description: policy.source },
              now,
            );
            await this.#provider.tombstoneGeneration!(p, release.version, n, encodeTombstone(tombstone));
          }
          pruned.add(`${release.version}#${n}`);
          report.pruned.push({
            project: p,
            release: release.version,
            generation: n,
            policy: policy.rule,
            source: policy.source,
          });
        }
      }
    }
    if (!this.#provider.listBlobs) return;
    let references = referencesOf(scan, pruned);
    for await (const blob of this.#provider.listBlobs(p)) {
      if (references.has(blob.digest)) {
        report.blobsReferenced += 1;
        continue;
      }
      if (!this.#provider.deleteBlob) {
        report.blobsUnswept += 1;
        continue;
      }
      let cutoff = cutoffOf(grace);
      if (blob.writtenAt >= cutoff) {
        report.blobsRecent += 1;
        continue;
      }
      // The references are only good for g/4 after they were read: a commit that published
      // since then may name blobs older than the cutoff (see the argument at the top).
      if (performance.now() - readAt > grace / 4) {
        readAt = performance.now();
        scan = await this.#scan(p);
        if (typeof scan === 'string') {
          report.skipped.push({ project: p, reason: scan });
          return;
        }
        references = referencesOf(scan, pruned);
        cutoff = cutoffOf(grace);
        if (references.has(blob.digest)) {
          report.blobsReferenced += 1;
          continue;
        }
      }
      if (report.dryRun || (await this.#provider.deleteBlob(p, blob.digest, cutoff))) {
        report.blobsDeleted += 1;
        report.bytesFreed += blob.size;
      } else {
        report.blobsRecent += 1;
      }
    }
  }

  /**
   * Every release of the project with its package digest and every stored generation, or why
   * not: a record, listing or manifest that does not read hides what it references, so nothing
   * of the project is swept (verify reports the damage).
   */
  async #scan(p: ProjectName): Promise<ReleaseScan[] | string> {
    const versions = (await this.#provider.listReleases(p)).filter(isReleaseVersion).sort(compareReleases);
    const scans: ReleaseScan[] = [];
    for (const v of versions) {
      try {
        const record = decodeReleaseRecord(await this.#provider.readRelease(p, v), { project: p, release: v });
        const numbers = [...(await this.#provider.listGenerations(p, v))].sort((a, b) => a - b);
        const stored = await inBatches(numbers, (n) => this.#read(p, v, n));
        scans.push({ version: v, packageDigest: record.package?.digest ?? null, stored });
      } catch (error) {
        if (hasCode(error, 'INTEGRITY') || hasCode(error, 'INCOMPATIBLE_FORMAT'))
          return `${error instanceof Error ? error.message : String(error)}; run \`statekeep verify ${p}\``;
        // A release removed while gc reads it holds nothing to keep.
        if (hasCode(error, 'NOT_FOUND')) continue;
        throw error;
      }
    }
    return scans;
  }

  async #read(p: ProjectName, v: ReleaseVersion, n: GenerationNumber): Promise<Stored> {
    const at = { project: p, release: v, generation: n };
    const bytes = await this.#provider.readManifest(p, v, n);
    if (isTombstoneBytes(bytes)) {
      const t = decodeTombstone(bytes, at);
      return { kind: 'tombstone', generation: n, created: t.created, parent: t.parent, rollbackOf: t.rollbackOf };
    }
    return { kind: 'manifest', generation: n, bytes, manifest: decodeManifest(bytes, at) };
  }
}

function prunes(policy: RetentionPolicy | null): boolean {
  return policy !== null && (policy.keepLast !== null || policy.keepWithinMs !== null);
}

/** Parents that live generations name in a release other than their own. */
function crossReleaseParents(
  scan: readonly ReleaseScan[],
): { release: ReleaseVersion; generation: GenerationNumber }[] {
  const parents: { release: ReleaseVersion; generation: GenerationNumber }[] = [];
  for (const release of scan)
    for (const stored of release.stored) {
      const parent = stored.kind === 'manifest' ? stored.manifest.parent : null;
      if (parent !== null && typeof parent !== 'number' && parent.release !== release.version) parents.push(parent);
    }
  return parents;
}

function factsOf(stored: Stored): GenerationFacts {
  const source = stored.kind === 'manifest' ? stored.manifest : stored;
  // Retention decides within one release: a parent in another one is kept by crossReleaseParents.
  const parent = typeof source.parent === 'number' || source.parent === null ? source.parent : null;
  return {
    generation: stored.generation,
    created: source.created,
    parent,
    rollbackOf: source.rollbackOf,
    pruned: stored.kind === 'tombstone',
  };
}

/** Every blob a kept manifest or a release record names. */
function referencesOf(scan: readonly ReleaseScan[], pruned: ReadonlySet<string>): Set<Digest> {
  const references = new Set<Digest>();
  for (const release of scan) {
    if (release.packageDigest !== null) references.add(release.packageDigest);
    for (const stored of release.stored) {
      if (stored.kind !== 'manifest' || pruned.has(`${release.version}#${stored.generation}`)) continue;
      if (stored.manifest.package !== null) references.add(stored.manifest.package);
      for (const state of stored.manifest.states) references.add(state.digest);
    }
  }
  return references;
}

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return results;
}

/**
 * Blobs written before this instant may go. A grace of 0 asks for no grace at all: a blob
 * written in this very millisecond counts as old too (clocks count whole milliseconds).
 */
function cutoffOf(grace: number): number {
  return Date.now() - grace + (grace === 0 ? 1 : 0);
}
