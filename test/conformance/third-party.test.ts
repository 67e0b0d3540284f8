import path from 'node:path';
import { TOKENS } from '../../src/tokens.js';
import { constructProvider } from '../../src/platform/check-provider.js';
import { createContainer, loadPlatform } from '../../src/platform/index.js';
import type { Digest } from '../../src/registry/digest.js';
import type { Provider, ProviderClass } from '../../src/registry/spi.js';
import { sandbox, write } from '../platform/helpers.js';
import { runConformance, type Damage } from './kit.js';

const MODULE = path.resolve('test/platform/fixtures/memory-provider.js');

// A provider written outside statekeep (plain ESM, no statekeep import), loaded by module path
// through platform.yaml exactly as a user's would be, is held to the same contract.
runConformance({
  name: 'third-party module provider',
  create: async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), `registry:\n  default: mine\n  instances:\n    mine: { provider: ${JSON.stringify(MODULE)} }\n`);
    const platform = await loadPlatform({ env: {}, cwd: box.cwd, home: box.home });
    // Loaded and constructed the way the registry catalog does it for a Registry.
    const instance = platform.registry.instances.mine!;
    const cls = await createContainer(platform).getAsync<ProviderClass>(TOKENS.ProviderClass, { name: instance.provider });
    return constructProvider(cls, instance);
  },
  damageBlob: async (provider: Provider, project: string, digest: Digest, how: Damage) => {
    const blobs = (provider as unknown as { projects: Map<string, { blobs: Map<string, Uint8Array> }> }).projects.get(project)!.blobs;
    const blob = blobs.get(digest)!;
    if (how === 'delete') blobs.delete(digest);
    else if (how === 'truncate') blobs.set(digest, blob.slice(0, blob.length >> 1));
    else blob[blob.length >> 1]! ^= 0xff;
  },
});
