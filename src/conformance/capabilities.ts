import type { Provider } from '../registry/spi.js';
import type { ConformanceTarget } from './target.js';

export interface Capability {
  /** What it means to have it, for the report. */
  readonly about: string;
  /** Whether the provider (or, for what a target supplies, the target) has it: its own say, not the caller's. */
  detect(provider: Provider, target: ConformanceTarget): boolean;
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
} satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof CAPABILITIES;
