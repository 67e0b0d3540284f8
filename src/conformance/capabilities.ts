import { LIFECYCLE_PROVIDER_METHODS, type Provider } from '../registry/spi.js';
import type { ConformanceTarget } from './target.js';

export interface Capability {
  /** What it means to have it, for the report. */
  readonly about: string;
  /** Whether the provider (or, for what a target supplies, the target) has it: its own say, not the caller's. */
  detect(provider: Provider, target: ConformanceTarget): boolean;
  /**
   * Throws when a provider that has it has it only in part; the kit runs it before each of its
   * tests, so a partial claim fails the capability instead of being reported absent.
   */
  check?(provider: Provider, target: ConformanceTarget): void;
}

// The Registry uses aliases only when the provider has all four (alias-book.ts); with some of
// them it refuses every alias operation, so the kit holds a partial set to be a broken claim.
const ALIAS_METHODS = ['appendAliasEntry', 'latestAliasEntry', 'readAliasEntry', 'listAliases'] as const;

const hasAnyAliasMethod = (provider: Provider): boolean => ALIAS_METHODS.some((m) => typeof provider[m] === 'function');

function checkAliasMethods(provider: Provider): void {
  const missing = ALIAS_METHODS.filter((m) => typeof provider[m] !== 'function');
  if (missing.length > 0)
    throw new Error(
      `the provider offers aliases only in part: add ${missing.join(', ')} (a provider offers all four alias methods or none)`,
    );
}

// Lifecycle (tombstones, blob deletion, release removal): all three methods or none; gc relies
// on each, so a partial set is a broken claim, like a partial alias set.
const hasAnyLifecycleMethod = (provider: Provider): boolean =>
  LIFECYCLE_PROVIDER_METHODS.some((m) => typeof provider[m] === 'function');

function checkLifecycleMethods(provider: Provider): void {
  const missing = LIFECYCLE_PROVIDER_METHODS.filter((m) => typeof provider[m] !== 'function');
  if (missing.length > 0)
    throw new Error(
      `the provider offers the lifecycle only in part: add ${missing.join(', ')} (a provider offers all three lifecycle methods or none)`,
    );
  if (typeof provider.listBlobs !== 'function')
    throw new Error('the provider offers the lifecycle without listBlobs: gc cannot sweep without listing blobs');
}

/**
 * The optional parts of the contract. A provider that has one is held to it; one that lacks it
 * is reported absent. A spec area for a new optional method names its key here.
 */
export const CAPABILITIES = {
  latestGeneration: {
    about: 'answers the highest generation without listing them',
    detect: (provider) => typeof provider.latestGeneration === 'function',
  },
  cleanup: {
    about: 'removes what crashed writers left behind',
    detect: (provider) => typeof provider.cleanup === 'function',
  },
  processes: {
    about: 'writers in several processes share one backend (the target gives a recipe)',
    detect: (_provider, target) => target.recipe !== undefined,
  },
  aliases: {
    about: `keeps aliases: append-only entry logs moved by compare-and-swap (${ALIAS_METHODS.join(', ')})`,
    detect: hasAnyAliasMethod,
    check: checkAliasMethods,
  },
  aliasProcesses: {
    about: 'alias moves from several processes race on one backend (aliases, and the target gives a recipe)',
    detect: (provider, target) => hasAnyAliasMethod(provider) && target.recipe !== undefined,
    check: checkAliasMethods,
  },
  lifecycle: {
    about: `prunes to tombstones, deletes blobs not written since a time, removes releases (${LIFECYCLE_PROVIDER_METHODS.join(', ')})`,
    detect: hasAnyLifecycleMethod,
    check: checkLifecycleMethods,
  },
  lifecycleProcesses: {
    about: 'gc runs while writer processes commit on one backend (lifecycle, and the target gives a recipe)',
    detect: (provider, target) => hasAnyLifecycleMethod(provider) && target.recipe !== undefined,
    check: checkLifecycleMethods,
  },
} satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof CAPABILITIES;
