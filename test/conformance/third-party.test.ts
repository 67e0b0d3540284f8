import path from 'node:path';
import { TOKENS } from '../../src/platform/tokens.js';
import { constructProvider } from '../../src/platform/check-provider.js';
import { createContainer, loadPlatform } from '../../src/platform/index.js';
import type { ProviderClass } from '../../src/registry/spi.js';
import { sandbox, write } from '../platform/helpers.js';
import { damageHeldBlob } from './fixtures.js';
import { runConformance, VITEST } from './kit.js';

const MODULE = path.resolve('test/platform/fixtures/memory-provider.js');

// A provider written outside statekeep (plain ESM, no statekeep import), loaded by module path
// through platform.yaml exactly as a user's would be, is held to the same contract.
runConformance(
  VITEST,
  {
    name: 'third-party module provider',
    create: async () => {
      const box = sandbox();
      write(
        path.join(box.cwd, 'platform.yaml'),
        `registry:\n  default: mine\n  instances:\n    mine: { provider: ${JSON.stringify(MODULE)} }\n`,
      );
      const platform = await loadPlatform({ env: {}, cwd: box.cwd, home: box.home });
      // Loaded and constructed the way the registry catalog does it for a Registry.
      const instance = platform.registry.instances.mine!;
      const cls = await createContainer(platform).getAsync<ProviderClass>(TOKENS.ProviderClass, {
        name: instance.provider,
      });
      return constructProvider(cls, instance);
    },
    damageBlob: async (provider, project, digest, how) =>
      damageHeldBlob(
        (provider as unknown as { projects: Map<string, { blobs: Map<string, Uint8Array> }> }).projects.get(project)!
          .blobs,
        digest,
        how,
      ),
  },
  // It offers only the required methods: every optional capability is reported absent.
  { expected: { latestGeneration: 'absent', cleanup: 'absent', processes: 'absent', aliases: 'absent' } },
);
