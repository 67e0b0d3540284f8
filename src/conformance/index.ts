// statekeep/conformance: the provider contract as a test suite, for the authors of providers.
// It runs under the caller's test runner (describe, it and a Jest-compatible expect are passed in),
// so it pins none.

export { runConformance, type ConformanceOptions } from './kit.js';
export type { TestRunner, Expect, Assertion, AsyncAssertion } from './runner.js';
export type { ConformanceTarget, ProviderRecipe, Damage } from './target.js';
export { CAPABILITIES, type Capability, type CapabilityName } from './capabilities.js';
export type { ConformanceSummary, CapabilityStatus, Tally } from './report.js';
export type { ConformanceSpec, SpecContext, TestOptions } from './spec-context.js';
export { SPECS } from './specs.js';
export { runWriter, type WriterJob } from './writer-process.js';
export {
  startAliasRacer,
  type AliasRace,
  type AliasRaceOutcome,
  type AliasRacer,
  type RaceTarget,
} from './alias-writer-process.js';
export { damageHeldBlob } from './fixtures.js';
export { runCopyWriter, type CopyJob } from './copy-writer-process.js';
