import { decodeAliasEntry, isAliasName, type AliasTarget } from './aliases.js';
import { Digester, type Digest } from './digest.js';
import { hasCode } from './errors/index.js';
import { decodeManifest } from './manifest.js';
import type { ProjectName } from './names.js';
import { decodeReleaseRecord } from './release-record.js';
import { DEFAULT_CLEANUP_AGE_MS, type Provider } from './spi.js';
import { decodeTombstone, isTombstoneBytes } from './tombstone.js';
import { compareReleases, isReleaseVersion, type GenerationNumber, type ReleaseVersion } from './versions.js';

export type FindingCode =
  | 'BLOB_DAMAGED'
  | 'BLOB_MISSING'
  | 'PACKAGE_DAMAGED'
  | 'PACKAGE_MISSING'
  | 'MANIFEST_DAMAGED'
  | 'MANIFEST_MISSING'
  | 'RELEASE_DAMAGED'
  | 'ALIAS_DAMAGED'
  | 'ALIAS_DANGLING'
  | 'ORPHANED_BLOB'
  | 'LEFTOVERS';

export type FindingKind = 'damaged' | 'missing' | 'orphaned' | 'leftover';

/** Where a finding is: as far down as it is known. */
export interface FindingPlace {
  project?: string;
  release?: string;
  generation?: number;
  actor?: string;
  alias?: string;
  entry?: number;
}

/** One thing verify found wrong, or worth knowing (orphans, leftovers). */
export interface Finding {
  code: FindingCode;
  kind: FindingKind;
  place: FindingPlace;
  /** The digest the referrer promises, or what a record should be. */
  expected?: string;
  /** What was found instead. */
  actual?: string;
  /** An orphan's digest, or the digest of a damaged or missing blob. */
  digest?: string;
  /** Bytes of an orphan, or of the leftovers. */
  size?: number;
  /** How many leftovers. */
  count?: number;
}

export interface VerifySummary {
  /** Items read and checked: blobs hashed, manifests, release records and alias entries parsed. */
  checked: number;
  damaged: number;
  missing: number;
  /** Blobs nothing references; null when not checked (a narrower scope, or a provider that cannot list). */
  orphaned: number | null;
  orphanedBytes: number | null;
  /** Bytes read and hashed. */
  bytes: number;
  /** Files of crashed writers; null when not checked (a scope below the registry, or not offered). */
  leftovers: number | null;
  leftoverBytes: number | null;
}

export interface VerifyScope {
  project?: ProjectName;
  release?: ReleaseVersion;
  generation?: GenerationNumber;
}

// A blob that was read is kept as what it holds, so every reference is checked against its own
// digest and size, not only the first one; null is a blob only named so far (a run's package),
// not an orphan, and hashed when its release's record references it.
type BlobStatus =
  | { read: true; digest: Digest; size: number }
  | { read: false; kind: 'damaged' | 'missing'; actual: string };

/**
 * Re-reads and checks a registry (or a project, release or generation of it): every referenced
 * blob hashed, every manifest, release record and alias entry parsed, every reference resolved.
 * It streams: one blob in memory at a time, findings handed out as they are found; what it keeps
 * grows only with the number of distinct blobs (their digests, to hash each once and find orphans).
 */
export class Verifier {
  readonly #provider: Provider;
  readonly #onFinding: (finding: Finding) => void;
  readonly #summary: VerifySummary = {
    checked: 0,
    damaged: 0,
    missing: 0,
    orphaned: null,
    orphanedBytes: null,
    bytes: 0,
    leftovers: null,
    leftoverBytes: null,
  };

  constructor(provider: Provider, onFinding: (finding: Finding) => void) {
    this.#provider = provider;
    this.#onFinding = onFinding;
  }

  async run(scope: VerifyScope, projects: ProjectName[]): Promise<VerifySummary> {
    const whole = scope.project === undefined;
    if (whole) {
      this.#summary.orphaned = this.#provider.listBlobs ? 0 : null;
      this.#summary.orphanedBytes = this.#summary.orphaned;
    }
    for (const p of projects) await this.#project(p, scope);
    if (whole && this.#provider.leftovers) {
      const report = await this.#provider.leftovers({ olderThanMs: DEFAULT_CLEANUP_AGE_MS });
      this.#summary.leftovers = report.removed;
      this.#summary.leftoverBytes = report.bytes;
      if (report.removed > 0)
        this.#report({ code: 'LEFTOVERS', kind: 'leftover', place: {}, count: report.removed, size: report.bytes });
    }
    return this.#summary;
  }

  async #project(p: ProjectName, scope: VerifyScope): Promise<void> {
    const blobs = new Map<Digest, BlobStatus | null>();
    const releases =
      scope.release !== undefined
        ? [scope.release]
        : (await this.#provider.listReleases(p)).filter(isReleaseVersion).sort(compareReleases);
    let complete = true;
    for (const v of releases) complete = (await this.#release(p, v, scope.generation, blobs)) && complete;
    if (scope.release !== undefined) return;
    await this.#aliases(p);
    // With a release's generations not all known, what they reference is not either.
    const listing = complete ? this.#provider.listBlobs?.(p) : undefined;
    if (listing === undefined) return;
    // Only a whole project's references tell what is orphaned.
    this.#summary.orphaned ??= 0;
    this.#summary.orphanedBytes ??= 0;
    for await (const { digest, size } of listing) {
      if (blobs.has(digest)) continue;
      this.#summary.orphaned += 1;
      this.#summary.orphanedBytes! += size;
      this.#report({ code: 'ORPHANED_BLOB', kind: 'orphaned', place: { project: p }, digest, size });
    }
  }

  async #release(
    p: ProjectName,
    v: ReleaseVersion,
    only: GenerationNumber | undefined,
    blobs: Map<Digest, BlobStatus | null>,
  ): Promise<boolean> {
    const place = { project: p, release: v };
    const record = await this.#parse(place, 'RELEASE_DAMAGED', async () =>
      decodeReleaseRecord(await this.#provider.readRelease(p, v), { project: p, release: v }),
    );
    if (record !== null && record.package !== null && only === undefined) {
      await this.#blob(p, record.package, blobs, place, 'PACKAGE_DAMAGED', 'PACKAGE_MISSING');
    }
    const { numbers, complete } = only !== undefined ? { numbers: [only], complete: true } : await this.#numbers(p, v);
    for (const g of numbers) {
      const at = { ...place, generation: g };
      let bytes: Uint8Array;
      try {
        bytes = await this.#provider.readManifest(p, v, g);
      } catch (error) {
        if (hasCode(error, 'NOT_FOUND')) {
          this.#report({ code: 'MANIFEST_MISSING', kind: 'missing', place: at, actual: 'no stored manifest' });
          continue;
        }
        if (!hasCode(error, 'INTEGRITY')) throw error;
        this.#report({ code: 'MANIFEST_DAMAGED', kind: 'damaged', place: at, actual: error.message });
        continue;
      }
      // A pruned generation's tombstone is checked (its checksum and fields) and names no blobs.
      if (isTombstoneBytes(bytes)) {
        await this.#parse(at, 'MANIFEST_DAMAGED', async () =>
          decodeTombstone(bytes, { project: p, release: v, generation: g }),
        );
        continue;
      }
      const manifest = await this.#parse(at, 'MANIFEST_DAMAGED', async () =>
        decodeManifest(bytes, { project: p, release: v, generation: g }),
      );
      if (manifest === null) continue;
      if (manifest.package !== null && !blobs.has(manifest.package))
        // A package the run executed is a release's; that release's own check hashes it.
        blobs.set(manifest.package, null);
      for (const state of manifest.states) {
        await this.#blob(p, state, blobs, { ...at, actor: state.actor }, 'BLOB_DAMAGED', 'BLOB_MISSING');
      }
    }
    return complete;
  }

  /**
   * The release's generation numbers, ascending. A provider that refuses to list them because one
   * below the newest is lost (INTEGRITY naming it) is probed from 1 to its latest instead, so the
   * loss is one finding among the others (its blobs show as orphans, as a damaged manifest's do).
   * Without a latest, the numbers above the lost one are unknown, and so are the blobs they name:
   * the project's orphans are then not counted.
   */
  async #numbers(p: ProjectName, v: ReleaseVersion): Promise<{ numbers: GenerationNumber[]; complete: boolean }> {
    try {
      return { numbers: [...(await this.#provider.listGenerations(p, v))].sort((a, b) => a - b), complete: true };
    } catch (error) {
      const lost = hasCode(error, 'INTEGRITY') ? error.data.generation : undefined;
      if (typeof lost !== 'number') throw error;
      const latest = await this.#provider.latestGeneration?.(p, v).catch(() => null);
      const known = latest != null && latest > lost;
      const last = known ? latest : lost;
      return { numbers: Array.from({ length: last }, (_, i) => (i + 1) as GenerationNumber), complete: known };
    }
  }

  async #aliases(p: ProjectName): Promise<void> {
    const provider = this.#provider;
    if (!provider.listAliases || !provider.latestAliasEntry || !provider.readAliasEntry) return;
    for (const alias of (await provider.listAliases(p)).filter(isAliasName).sort()) {
      let head: AliasTarget | null | undefined;
      for (let n = await provider.latestAliasEntry(p, alias); n >= 1; n--) {
        const read = provider.readAliasEntry.bind(provider);
        const entry = await this.#parse({ project: p, alias, entry: n }, 'ALIAS_DAMAGED', async () =>
          decodeAliasEntry(await read(p, alias, n), { project: p, alias, entry: n }),
        );
        if (head === undefined && entry !== null) head = entry.to;
      }
      if (head === undefined || head === null) continue;
      const at = { project: p, alias, release: head.release, generation: head.generation };
      try {
        const bytes = await provider.readManifest(p, head.release, head.generation);
        // Retention keeps what aliases point at; one that points at a pruned generation is dangling.
        if (isTombstoneBytes(bytes))
          this.#report({
            code: 'ALIAS_DANGLING',
            kind: 'missing',
            place: at,
            expected: `${head.release} #${head.generation}`,
            actual: 'a pruned generation',
          });
      } catch (error) {
        // A provider that checks manifests as it reads them: the damage is the manifest's finding.
        if (hasCode(error, 'INTEGRITY')) continue;
        if (!hasCode(error, 'NOT_FOUND')) throw error;
        this.#report({
          code: 'ALIAS_DANGLING',
          kind: 'missing',
          place: at,
          expected: `${head.release} #${head.generation}`,
          actual: 'no such generation',
        });
      }
    }
  }

  /** Reads and parses one document; damage is a finding (and null), anything else is thrown. */
  async #parse<T>(place: FindingPlace, code: FindingCode, read: () => Promise<T>): Promise<T | null> {
    try {
      const value = await read();
      this.#summary.checked += 1;
      return value;
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND')) {
        this.#report({ code, kind: 'missing', place, actual: error.message });
        return null;
      }
      if (!hasCode(error, 'INTEGRITY') && !hasCode(error, 'INCOMPATIBLE_FORMAT')) throw error;
      this.#summary.checked += 1;
      this.#report({ code, kind: 'damaged', place, actual: error.message });
      return null;
    }
  }

  /** Hashes a referenced blob once (later references reuse what it holds) and reports each bad reference. */
  async #blob(
    p: ProjectName,
    ref: { digest: Digest; size: number },
    blobs: Map<Digest, BlobStatus | null>,
    place: FindingPlace,
    damaged: FindingCode,
    missing: FindingCode,
  ): Promise<void> {
    let status = blobs.get(ref.digest);
    if (status == null) {
      status = await this.#hash(p, ref);
      blobs.set(ref.digest, status);
    }
    const problem = status.read ? mismatch(status, ref) : status;
    if (problem === null) return;
    this.#report({
      code: problem.kind === 'damaged' ? damaged : missing,
      kind: problem.kind,
      place,
      digest: ref.digest,
      expected: ref.digest,
      actual: problem.actual,
    });
  }

  async #hash(p: ProjectName, ref: { digest: Digest; size: number }): Promise<BlobStatus> {
    const digester = new Digester();
    let bytes: Uint8Array;
    try {
      bytes = await this.#provider.readBlob(p, ref.digest, (chunk) => digester.update(chunk));
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND')) return { read: false, kind: 'missing', actual: 'no stored blob' };
      if (hasCode(error, 'INTEGRITY')) return { read: false, kind: 'damaged', actual: error.message };
      throw error;
    }
    this.#summary.checked += 1;
    this.#summary.bytes += bytes.length;
    // A provider that does not hand out chunks is hashed here, once it has returned.
    if (digester.length !== bytes.length) {
      const whole = new Digester();
      whole.update(bytes);
      return { read: true, digest: whole.digest(), size: bytes.length };
    }
    return { read: true, digest: digester.digest(), size: bytes.length };
  }

  #report(finding: Finding): void {
    if (finding.kind === 'damaged') this.#summary.damaged += 1;
    if (finding.kind === 'missing') this.#summary.missing += 1;
    this.#onFinding(finding);
  }
}

/** What is wrong with a reference to a blob that holds `held`, or null when it is right. */
function mismatch(
  held: { digest: Digest; size: number },
  ref: { digest: Digest; size: number },
): { kind: 'damaged'; actual: string } | null {
  if (held.digest === ref.digest && held.size === ref.size) return null;
  return {
    kind: 'damaged',
    actual: held.size === ref.size ? held.digest : `${held.digest} (${held.size} of ${ref.size} bytes)`,
  };
}
