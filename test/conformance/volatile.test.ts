import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import { damageHeldBlob } from './fixtures.js';
import { runConformance, VITEST } from './kit.js';

runConformance(
  VITEST,
  {
    name: 'volatile',
    create: async () => new VolatileProvider(),
    damageBlob: async (provider, project, digest, how) =>
      damageHeldBlob(volatileStore(provider as VolatileProvider).get(project)!.blobs, digest, how),
  },
  // Nothing outlives its process, so there is nothing to clean up and no other process to share
  // with: the alias races are run with concurrent promises.
  {
    expected: {
      latestGeneration: 'passed',
      cleanup: 'absent',
      processes: 'absent',
      aliases: 'passed',
      aliasProcesses: 'absent',
      lifecycle: 'passed',
      lifecycleProcesses: 'absent',
    },
  },
);
