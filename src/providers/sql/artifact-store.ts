import type { Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { CleanupReport } from '../../registry/spi.js';

/**
 * Where the sql provider keeps blob bytes: a small contract of its own, so that a third store
 * (GCS, Azure) is one file beside s3-store.ts and posix-store.ts plus one entry in open-store.ts
 * and describe.ts. The metadata (which blobs exist, when they were written) is PostgreSQL's; a
 * store only holds bytes under content addresses and never decides anything.
 *
 * Every method is idempotent, so the provider may repeat one after an ambiguous failure.
 */
export interface ArtifactStore {
  /** Where the bytes live, for messages and `statekeep config` (never a secret). */
  readonly target: string;
  /**
   * Stores the bytes under the digest durably before resolving, replacing whatever is there, so
   * the object holds exactly these bytes afterwards. Never holds a second copy of `bytes`.
   */
  put(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void>;
  /**
   * The stored bytes, unverified; each piece is handed to `onChunk` in order as it arrives, and
   * the pieces add up to the bytes returned. NotFoundError when there is no such object.
   */
  get(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array>;
  /** Removes the object durably; resolves whether or not it was there. */
  remove(project: ProjectName, digest: Digest): Promise<void>;
  /**
   * What writers that died mid-write left in the store (unfinished multipart uploads, temp files)
   * older than `olderThanMs`: removed, or with `dryRun` only counted. `writtenWithin` tells
   * whether the blob a leftover belongs to was written (announced) within that age by the
   * metadata's clock, for stores whose own timestamps cannot be trusted.
   */
  sweep(
    olderThanMs: number,
    dryRun: boolean,
    writtenWithin: (project: string, digest: Digest) => Promise<boolean>,
  ): Promise<CleanupReport>;
  close(): Promise<void>;
}
