import { describe } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import { damageHeldBlob } from './fixtures.js';
import type { ConformanceTarget } from './kit.js';
import { aliasesSpec } from './spec/aliases.js';
import { verifySpec } from './spec/verify.js';

// One process: the compare-and-swap race is run with concurrent promises (no recipe).
const target: ConformanceTarget = {
  name: 'volatile',
  create: async () => new VolatileProvider(),
  damageBlob: async (provider, project, digest, how) =>
    damageHeldBlob(volatileStore(provider as VolatileProvider).get(project)!.blobs, digest, how),
};

describe('volatile conformance: aliases', () => aliasesSpec(target));
describe('volatile conformance: verify', () => verifySpec(target));
