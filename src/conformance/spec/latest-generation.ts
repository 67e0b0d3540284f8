import type { ProjectName } from '../../registry/names.js';
import type { Provider } from '../../registry/spi.js';
import type { ReleaseVersion } from '../../registry/versions.js';
import type { ConformanceSpec } from '../spec-context.js';
import { commit, publish, registryOf } from '../fixtures.js';

/** What latestGeneration must agree with: the highest listed generation, or null. */
async function listedMax(provider: Provider, project: string, release: string): Promise<number | null> {
  const listed = await provider.listGenerations(project as ProjectName, release as ReleaseVersion);
  return listed.length === 0 ? null : Math.max(...listed);
}

export const latestGenerationSpec: ConformanceSpec = {
  area: 'latestGeneration',
  capability: 'latestGeneration',
  tests({ it, expect }) {
    it('returns what max(listGenerations) would: null, then the highest after commits, a rollback and racing commits', async (provider) => {
      const latest = (release: string) => provider.latestGeneration!('p' as ProjectName, release as ReleaseVersion);
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await publish(registry, 'p', '2.0.0');
      expect(await latest('1.0.0')).toBeNull();
      for (let i = 0; i < 3; i++) await commit(registry, 'p', '1.0.0', { a: `a${i}` });
      expect(await latest('1.0.0')).toBe(3);
      await registry.rollback('p', '1.0.0', 1);
      expect(await latest('1.0.0')).toBe(4);
      await Promise.all(Array.from({ length: 5 }, (_, i) => commit(registry, 'p', '1.0.0', { a: `racer-${i}` })));
      expect(await latest('1.0.0')).toBe(9);
      expect(await latest('1.0.0')).toBe(await listedMax(provider, 'p', '1.0.0'));
      // Each release on its own.
      expect(await latest('2.0.0')).toBeNull();
      await commit(registry, 'p', '2.0.0', { a: 'b1' });
      expect(await latest('2.0.0')).toBe(1);
      expect(await latest('1.0.0')).toBe(9);
    });
  },
};
