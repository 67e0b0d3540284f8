import { describe } from 'vitest';
import type { Digest } from '../../src/registry/digest.js';
import type { Provider } from '../../src/registry/spi.js';
import { dedupSpec } from './spec/dedup.js';
import { generationsSpec } from './spec/generations.js';
import { integritySpec } from './spec/integrity.js';
import { listingSpec } from './spec/listing.js';
import { namesSpec } from './spec/names.js';
import { processesSpec } from './spec/processes.js';
import { releasesSpec } from './spec/releases.js';
import { rollbackSpec } from './spec/rollback.js';

export type Damage = 'flip' | 'truncate' | 'delete';

/** How a child process builds the same provider: a module of the build, its export, options. */
export interface ProviderRecipe {
  module: string;
  export: string;
  options: Record<string, unknown>;
}

/**
 * What a backend supplies to be held to the registry contract. The kit owns the assertions;
 * the target owns the backend's lifecycle.
 */
export interface ConformanceTarget {
  name: string;
  /** A fresh provider that sees no data of any other test. */
  create(): Promise<Provider>;
  destroy?(provider: Provider): Promise<void>;
  /** Damages a stored blob the way a disk, a person or a bad copy could. */
  damageBlob(provider: Provider, project: string, digest: Digest, how: Damage): Promise<void>;
  /** A recipe for building, in another process, a provider that sees what this one sees. */
  recipe?(provider: Provider): ProviderRecipe;
  /** Writer processes × commits each for the multi-process test (when recipe is given). */
  processes?: { writers: number; commits: number };
}

/** Holds a provider to the registry contract: one describe block per contract area. */
export function runConformance(target: ConformanceTarget): void {
  describe(`${target.name} conformance`, () => {
    describe('listing', () => listingSpec(target));
    describe('releases', () => releasesSpec(target));
    describe('generations', () => generationsSpec(target));
    describe('rollback', () => rollbackSpec(target));
    describe('names', () => namesSpec(target));
    describe('dedup', () => dedupSpec(target));
    describe('integrity', () => integritySpec(target));
    // A backend shared between processes proves it with real writer processes.
    if (target.recipe !== undefined) describe('processes', () => processesSpec(target));
  });
}
