import type { Digest } from '../registry/digest.js';
import type { Provider } from '../registry/spi.js';

export type Damage = 'flip' | 'truncate' | 'delete';

/** How a child process builds the same provider: a built module, its export, its options. */
export interface ProviderRecipe {
  /** An absolute path or file URL of an ES module that plain Node can import (built, not .ts). */
  module: string;
  export: string;
  options: Record<string, unknown>;
}

/**
 * What a backend supplies to be held to the registry contract. The kit owns the assertions; the
 * target owns the backend's lifecycle: a factory per test and a teardown after it.
 */
export interface ConformanceTarget {
  name: string;
  /** A fresh provider that sees no data of any other test. */
  create(): Promise<Provider>;
  /** Runs after every test, passed or failed. */
  destroy?(provider: Provider): Promise<void>;
  /** Damages a stored blob the way a disk, a person or a bad copy could. */
  damageBlob(provider: Provider, project: string, digest: Digest, how: Damage): Promise<void>;
  /**
   * Leaves in the backend, now, what a writer that crashed in the middle of a commit to this
   * release leaves there (temp files, unfinished versions); resolves with how many leftovers
   * `cleanup` should count. Needed to check a provider that offers `cleanup`.
   */
  leaveLeftovers?(provider: Provider, at: { project: string; release: string }): Promise<number>;
  /** A recipe for building, in another process, a provider that sees what this one sees. */
  recipe?(provider: Provider): ProviderRecipe;
  /** Writer processes × commits each for the multi-process test (when recipe is given). */
  processes?: { writers: number; commits: number };
}
