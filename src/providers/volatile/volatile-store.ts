import type { VolatileProvider } from './volatile-provider.js';

export interface VolatileRelease {
  record: Uint8Array;
  generations: Map<number, Uint8Array>;
}

export interface VolatileProject {
  releases: Map<string, VolatileRelease>;
  blobs: Map<string, Uint8Array>;
  /** When each blob was last written (ms since the epoch), by writeBlob or a rewrite. */
  blobWrittenAt: Map<string, number>;
  /** Each alias's log: entry n at index n-1. */
  aliases: Map<string, Uint8Array[]>;
}

const stores = new WeakMap<VolatileProvider, Map<string, VolatileProject>>();

export function registerStore(provider: VolatileProvider, store: Map<string, VolatileProject>): void {
  stores.set(provider, store);
}

/**
 * The live maps behind a volatile provider. Not part of the public API: the conformance tests
 * use it to damage stored bytes the way a disk or a person could damage files.
 */
export function volatileStore(provider: VolatileProvider): Map<string, VolatileProject> {
  const store = stores.get(provider);
  if (store === undefined) throw new Error('not a volatile provider');
  return store;
}
