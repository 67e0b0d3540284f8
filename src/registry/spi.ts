import type { Digest } from './digest.js';
import type * as Errors from './errors/index.js';
import type { ProjectName } from './names.js';
import type { GenerationNumber, ReleaseVersion } from './versions.js';

/** The version of the contract below; a provider declares the one it implements. */
export const SPI_VERSION = 1;

export interface ProviderDescriptor {
  /** The provider's name as platform.yaml spells it: posix, volatile, mlflow, or a module path. */
  readonly name: string;
  readonly spiVersion: typeof SPI_VERSION;
  /** Where it keeps things, for messages and `statekeep config` (never a secret). */
  readonly target: string;
}

/** Leftovers younger than this may belong to a writer that is still running. */
export const DEFAULT_CLEANUP_AGE_MS = 15 * 60 * 1000;

export interface CleanupOptions {
  /** Leftovers younger than this may belong to a live writer and are kept. Default: DEFAULT_CLEANUP_AGE_MS. */
  olderThanMs?: number;
}

export interface CleanupReport {
  /** Temporary files of crashed or aborted writers that were removed. */
  removed: number;
  /** Bytes they held. */
  bytes: number;
}

/**
 * What a registry backend must do: the least that lets the Registry layer above it be written
 * once. Arguments arrive already validated. Everything a provider returns must be complete:
 * a half-written blob, manifest or record is never visible through any method.
 *
 * Errors: a missing item is a NotFoundError; an existing write-once item is an
 * AlreadyExistsError; an unreachable backend is an UnavailableError.
 */
export interface Provider {
  readonly descriptor: ProviderDescriptor;

  /** Projects that hold at least one release. */
  listProjects(): Promise<string[]>;
  /** Versions of a project's releases, in no particular order; empty for an unknown project. */
  listReleases(project: ProjectName): Promise<string[]>;
  /** A release's record bytes. NotFoundError if the release does not exist. */
  readRelease(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array>;
  /** Creates a release with its record, atomically and durably. AlreadyExistsError if it exists. */
  writeRelease(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void>;

  /** Whether a project holds the blob with this content address. */
  hasBlob(project: ProjectName, digest: Digest): Promise<boolean>;
  /**
   * Stores a blob under its digest, durably before resolving. If a blob is already stored under the
   * digest, the provider makes sure it holds exactly these bytes (rewrites it, or compares it and
   * rewrites it if it differs), so a commit never names a damaged blob; an intact one may stay.
   */
  writeBlob(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void>;
  /**
   * The blob's bytes, unverified (the Registry verifies them). NotFoundError if absent.
   * A provider that reads in pieces may hand each piece to `onChunk`, in order, as soon as it
   * has it, so the Registry hashes while the rest is still being read; if it calls onChunk at
   * all, the pieces must add up to exactly the bytes it returns.
   */
  readBlob(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array>;

  /** Numbers of the release's published generations, in no particular order. */
  listGenerations(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]>;
  /** A published generation's manifest bytes. NotFoundError if it is not published. */
  readManifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array>;
  /**
   * Allocates the next generation number of the release and publishes the manifest that
   * `render` makes for it, as one atomic step: concurrent callers, in any process, never get the
   * same number, a number is never reused, and the generation becomes visible only complete.
   * The caller has made every blob the manifest names durable beforehand.
   */
  publishGeneration(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber>;

  /**
   * Optional: the highest published generation, or null. Must return what
   * max(listGenerations()) would; a provider offers it when it can answer without listing.
   */
  latestGeneration?(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null>;
  /** Optional: removes what crashed writers left behind. Readers ignore such leftovers anyway. */
  cleanup?(options?: CleanupOptions): Promise<CleanupReport>;
  /** Optional: releases connections or handles. */
  close?(): Promise<void>;

  // Aliases: a provider offers all four or none. An alias is an append-only log of numbered
  // entries, 1..N without gaps; the Registry encodes and checks the entries.

  /**
   * Optional: creates entry `entry` of the alias's log, durably, only if that number is free:
   * AlreadyExistsError when it exists. This exclusive create is what makes moves compare-and-swap.
   */
  appendAliasEntry?(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void>;
  /** Optional: the number of the alias's newest entry, 0 if it has none; must not slow down as the log grows. */
  latestAliasEntry?(project: ProjectName, alias: string): Promise<number>;
  /** Optional: an entry's bytes. NotFoundError if it does not exist. */
  readAliasEntry?(project: ProjectName, alias: string, entry: number): Promise<Uint8Array>;
  /** Optional: names of the project's aliases that have at least one entry, in no particular order. */
  listAliases?(project: ProjectName): Promise<string[]>;

  /**
   * Optional, for verify and gc: every blob the project holds with its stored size and `writtenAt`
   * (ms since the epoch, the backend's clock: when it was last written, by writeBlob or a rewrite of
   * an existing one), in no particular order.
   */
  listBlobs?(project: ProjectName): AsyncIterable<BlobListing>;
  /** Optional, for verify: what cleanup(options) would remove now, removing nothing. */
  leftovers?(options?: CleanupOptions): Promise<CleanupReport>;

  // Lifecycle: a provider offers all three or none.
  /**
   * Replaces a published generation's manifest with its tombstone, atomically and durably: afterwards readManifest
   * returns the tombstone bytes, listGenerations and latestGeneration still count the number, and the number is
   * never handed out again. NotFoundError if the generation is not published.
   */
  tombstoneGeneration?(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    tombstone: Uint8Array,
  ): Promise<void>;
  /**
   * Deletes a blob only if it has not been written since `notWrittenSince` (ms since the epoch, the backend's clock).
   * writeBlob of a blob that already exists counts as a write (it refreshes `writtenAt`). Atomic against writeBlob:
   * a writeBlob that resolves while deleteBlob runs either stops the deletion or leaves the blob stored and whole.
   * Returns whether it deleted; false (not an error) when the blob is absent or was written since.
   */
  deleteBlob?(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean>;
  /** Removes a release's record, generations and tombstones. NotFoundError if absent. */
  deleteRelease?(project: ProjectName, version: ReleaseVersion): Promise<void>;
}

/** One entry of listBlobs. */
export interface BlobListing {
  digest: Digest;
  /** Bytes stored. */
  size: number;
  /** When the blob was last written (writeBlob, including a rewrite of an existing one): ms since the epoch. */
  writtenAt: number;
}

/** The lifecycle methods: a provider offers all of them or none (a partial set is a broken claim). */
export const LIFECYCLE_PROVIDER_METHODS = [
  'tombstoneGeneration',
  'deleteBlob',
  'deleteRelease',
] as const satisfies readonly (keyof Provider)[];

/** The methods every provider implements (the others are optional); checked when a provider is opened. */
export const REQUIRED_PROVIDER_METHODS = [
  'listProjects',
  'listReleases',
  'readRelease',
  'writeRelease',
  'hasBlob',
  'writeBlob',
  'readBlob',
  'listGenerations',
  'readManifest',
  'publishGeneration',
] as const satisfies readonly (keyof Provider)[];

/**
 * What a provider module exports (built-in or third-party): a class whose constructor takes the
 * instance's options from platform.yaml, with `${VAR}` already filled in and relative paths
 * resolved against the platform file.
 */
export type ProviderClass = new (options: Record<string, unknown>, context: ProviderContext) => Provider;

export interface ProviderContext {
  /** The registry instance's name in platform.yaml, for messages. */
  instance: string;
  /**
   * statekeep's error classes, a convenience. The Registry recognises errors by their brand
   * (Symbol.for('statekeep.error')) and code, not by class, so errors of another copy of
   * statekeep, or a provider's own branded classes, are understood as well.
   */
  errors: typeof Errors;
}
