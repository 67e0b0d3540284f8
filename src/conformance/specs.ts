import type { ConformanceSpec } from './spec-context.js';
import { aliasesSpec } from './spec/aliases.js';
import { blobsSpec } from './spec/blobs.js';
import { cleanupSpec } from './spec/cleanup.js';
import { dedupSpec } from './spec/dedup.js';
import { gcProcessesSpec } from './spec/gc-processes.js';
import { generationsSpec } from './spec/generations.js';
import { integritySpec } from './spec/integrity.js';
import { latestGenerationSpec } from './spec/latest-generation.js';
import { lifecycleSpec } from './spec/lifecycle.js';
import { listingSpec } from './spec/listing.js';
import { namesSpec } from './spec/names.js';
import { processesSpec } from './spec/processes.js';
import { releasesSpec } from './spec/releases.js';
import { rollbackSpec } from './spec/rollback.js';
import { verifySpec } from './spec/verify.js';

/**
 * Every area of the provider contract, in the order the kit runs them.
 *
 * Adding an area is one module in ./spec/ and one line in this list. The module exports a
 * ConformanceSpec (./spec-context.ts):
 *
 *   export const aliasesSpec: ConformanceSpec = {
 *     area: 'aliases',              // the describe block's name and the report's key
 *     capability: 'aliases',        // only for an optional method: its key in CAPABILITIES
 *     tests({ it, expect, target }) {
 *       it('moves an alias to a newer generation', async (provider) => {
 *         const registry = registryOf(provider);   // ./fixtures.ts: registryOf, publish, commit …
 *         expect(await registry.projects()).toEqual([]);
 *       });
 *     },
 *   };
 *
 * `it` hands each test a fresh provider from the target's factory and tears it down afterwards;
 * `expect` is the caller's runner's; `target` gives what only the backend can do (damageBlob,
 * leaveLeftovers, recipe). An optional area names a capability whose `detect` looks at the
 * provider itself (./capabilities.ts, one entry per capability): its tests run when the provider
 * has it, and the report says absent when it does not. One test of an area can name a capability
 * of its own: it('…', body, { capability: 'aliases' }). A spec written in the old style,
 * `xSpec(target)` calling vitest's `it` around `withProvider(target, body)`, ports by turning
 * the function into this object: each `withProvider(target, body)` becomes `body`, and `it` and
 * `expect` come from the argument instead of vitest.
 */
export const SPECS: readonly ConformanceSpec[] = [
  listingSpec,
  releasesSpec,
  generationsSpec,
  rollbackSpec,
  namesSpec,
  dedupSpec,
  integritySpec,
  blobsSpec,
  latestGenerationSpec,
  cleanupSpec,
  processesSpec,
  aliasesSpec,
  verifySpec,
  lifecycleSpec,
  gcProcessesSpec,
];
