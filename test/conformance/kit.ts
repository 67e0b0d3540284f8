// The kit itself is src/conformance/, published as statekeep/conformance; the tests here call it
// with vitest as the runner, and provider tests take its names from here.
import { describe, expect, it } from 'vitest';
import type { TestRunner } from '../../src/conformance/index.js';

export type { ConformanceTarget, Damage, ProviderRecipe } from '../../src/conformance/index.js';
export { runConformance } from '../../src/conformance/index.js';

export const VITEST: TestRunner = { describe, it, expect };
