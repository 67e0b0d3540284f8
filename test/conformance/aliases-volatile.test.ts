import { describe } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import { damageHeldBlob } from './fixtures.js';
import { aliasesSpec } from './spec/aliases.js';

describe('volatile conformance: aliases', () =>
  aliasesSpec({
    name: 'volatile',
    create: async () => new VolatileProvider(),
    damageBlob: async (provider, project, digest, how) =>
      damageHeldBlob(volatileStore(provider as VolatileProvider).get(project)!.blobs, digest, how),
  }));
