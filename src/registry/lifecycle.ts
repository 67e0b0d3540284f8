import type { Digest } from './digest.js';
import { hasCode, PrunedError } from './errors/index.js';
import { decodeManifest, type GenerationManifest } from './manifest.js';
import type { ProjectName } from './names.js';
import type { Provider } from './spi.js';
import { decodeTombstone, isTombstoneBytes, type GenerationTombstone } from './tombstone.js';
import type { GenerationNumber, ReleaseVersion } from './versions.js';

/** One generation as stored: its manifest, or once pruned its tombstone. */
export type StoredGeneration =
  | { generation: GenerationNumber; manifest: GenerationManifest; tombstone: null }
  | { generation: GenerationNumber; manifest: null; tombstone: GenerationTombstone };

/** The error for reading a pruned generation: NOT_FOUND with `data.pruned`, when and by which policy. */
export function prunedError(tombstone: GenerationTombstone): PrunedError {
  const { project, release, generation } = tombstone;
  return new PrunedError(
    {
      what: 'generation',
      project,
      release,
      generation,
      pruned: true,
      prunedAt: tombstone.prunedAt,
      policy: tombstone.policy.rule,
      policySource: tombstone.policy.description,
    },
    `its states may be gone; run \`statekeep list ${project} ${release}\` to see the generations that are kept`,
  );
}

/** Whether an error is the one for a pruned generation. */
export function isPruned(error: unknown): boolean {
  return hasCode(error, 'NOT_FOUND') && (error as { data?: { pruned?: unknown } }).data?.pruned === true;
}

/** Reads generations as manifests or tombstones, all at once; a missing one fails as `missing` words it. */
export class StoredGenerations {
  readonly #provider: Provider;
  readonly #missing: (p: ProjectName, v: ReleaseVersion, n: GenerationNumber) => Promise<unknown>;

  constructor(
    provider: Provider,
    missing: (p: ProjectName, v: ReleaseVersion, n: GenerationNumber) => Promise<unknown>,
  ) {
    this.#provider = provider;
    this.#missing = missing;
  }

  read(p: ProjectName, v: ReleaseVersion, numbers: readonly GenerationNumber[]): Promise<StoredGeneration[]> {
    return Promise.all(numbers.map((n) => this.#one(p, v, n)));
  }

  async #one(p: ProjectName, v: ReleaseVersion, n: GenerationNumber): Promise<StoredGeneration> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#provider.readManifest(p, v, n);
    } catch (error) {
      // The Registry's own read words a missing release or generation; it throws.
      if (hasCode(error, 'NOT_FOUND')) await this.#missing(p, v, n);
      throw error;
    }
    const at = { project: p, release: v, generation: n };
    if (isTombstoneBytes(bytes)) return { generation: n, manifest: null, tombstone: decodeTombstone(bytes, at) };
    return { generation: n, manifest: decodeManifest(bytes, at), tombstone: null };
  }
}

/**
 * After a publish that outlasted half the gc grace period: every blob the manifest names is
 * written again from the bytes still in hand. Written, not first checked with hasBlob: a gc's
 * deleteBlob that was called in time but takes effect only after such a check (a slow server, a
 * busy connection pool) would still delete a blob the check had seen; a write refreshes it, so
 * that deleteBlob finds it written since its cutoff and refuses, or, if it ran first, is undone.
 */
export async function blobsStillWritten(
  provider: Provider,
  p: ProjectName,
  held: ReadonlyMap<Digest, Uint8Array>,
  forget: (digest: Digest) => void,
): Promise<void> {
  await Promise.all(
    [...held].map(async ([digest, bytes]) => {
      forget(digest);
      await provider.writeBlob(p, digest, bytes);
    }),
  );
}
