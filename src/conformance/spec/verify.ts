import { digestOf } from '../../registry/digest.js';
import { projectName } from '../../registry/names.js';
import type { Finding } from '../../registry/verify.js';
import { bytes, commit, publish, registryOf } from '../fixtures.js';
import type { ConformanceSpec } from '../spec-context.js';

/**
 * Holds a provider to what verify needs of it: damage and loss are found where they are. Required,
 * but for the test that points an alias (optional: aliases); orphans are checked where the provider
 * lists blobs, and verify must report them unknown where it does not.
 */
export const verifySpec: ConformanceSpec = {
  area: 'verify',
  tests({ it, expect, target }) {
    it(
      'verify finds nothing in a sound registry, then a flipped and a deleted blob at the generations that reference them',
      async (provider) => {
        const registry = registryOf(provider);
        await publish(registry, 'p', '1.0.0');
        const one = await commit(registry, 'p', '1.0.0', { a: 'a1', b: 'shared' });
        const two = await commit(registry, 'p', '1.0.0', { a: 'a2', b: 'shared' });
        await registry.setAlias('p', 'production', { release: '1.0.0', generation: 2 });
        const sound = await registry.verify();
        expect(sound).toMatchObject({ checked: 1 + 1 + 2 + 3 + 1, damaged: 0, missing: 0 });
        expect(sound.orphaned === null || sound.orphaned === 0).toBe(true);

        await target.damageBlob(provider, 'p', one.states[0]!.digest, 'flip');
        await target.damageBlob(provider, 'p', two.states[1]!.digest, 'delete');
        const findings: Finding[] = [];
        const damaged = await registry.verify({ project: 'p' }, (f) => findings.push(f));
        expect(findings.map((f) => [f.code, f.place])).toEqual([
          ['BLOB_DAMAGED', { project: 'p', release: '1.0.0', generation: 1, actor: 'a' }],
          ['BLOB_MISSING', { project: 'p', release: '1.0.0', generation: 1, actor: 'b' }],
          ['BLOB_MISSING', { project: 'p', release: '1.0.0', generation: 2, actor: 'b' }],
        ]);
        expect(damaged).toMatchObject({ damaged: 1, missing: 2 });
      },
      { capability: 'aliases' },
    );

    it('verify counts a blob nothing references as orphaned (not damage), where the provider can list blobs', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1' });
      const orphan = bytes('stored, then never referenced');
      await provider.writeBlob(projectName('p'), digestOf(orphan), orphan);
      const findings: Finding[] = [];
      const summary = await registry.verify({ project: 'p' }, (f) => findings.push(f));
      if (provider.listBlobs === undefined) {
        expect(summary).toMatchObject({ orphaned: null, damaged: 0, missing: 0 });
        return expect(findings).toEqual([]);
      }
      expect(findings).toEqual([
        {
          code: 'ORPHANED_BLOB',
          kind: 'orphaned',
          place: { project: 'p' },
          digest: digestOf(orphan),
          size: orphan.length,
        },
      ]);
      expect(summary).toMatchObject({ orphaned: 1, orphanedBytes: orphan.length, damaged: 0, missing: 0 });
    });
  },
};
