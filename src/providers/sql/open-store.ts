import type { ArtifactStore } from './artifact-store.js';
import type { ARTIFACT_STORES } from './describe.js';
import { PosixArtifactStore } from './posix-store.js';
import { S3ArtifactStore } from './s3-store.js';

/**
 * The artifact stores by `artifacts.store`. Each store imports its heavy parts (the AWS SDK) when
 * first used, so naming them here costs nothing. A new store: its file beside these, its options
 * in describe.ts (ARTIFACT_STORES), a line here.
 */
const STORES: Record<keyof typeof ARTIFACT_STORES, new (options: Record<string, unknown>) => ArtifactStore> = {
  s3: S3ArtifactStore,
  posix: PosixArtifactStore,
};

export function openStore(store: keyof typeof ARTIFACT_STORES, options: Record<string, unknown>): ArtifactStore {
  return new STORES[store](options);
}
