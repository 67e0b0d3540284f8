import type { Digest } from '../../src/registry/digest.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import type { Provider } from '../../src/registry/spi.js';
import { runConformance, type Damage } from './kit.js';

runConformance({
  name: 'volatile',
  create: async () => new VolatileProvider(),
  damageBlob: async (provider: Provider, project: string, digest: Digest, how: Damage) => {
    const blobs = volatileStore(provider as VolatileProvider).get(project)!.blobs;
    const blob = blobs.get(digest)!;
    if (how === 'delete') blobs.delete(digest);
    else if (how === 'truncate') blobs.set(digest, blob.slice(0, Math.floor(blob.length / 2)));
    else blob[Math.floor(blob.length / 2)]! ^= 0xff;
  },
});
