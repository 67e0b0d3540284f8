import type { ConformanceSpec } from '../spec-context.js';
import { commit, publish, registryOf } from '../fixtures.js';

export const listingSpec: ConformanceSpec = {
  area: 'listing',
  tests({ it, expect }) {
    it('a new registry lists no projects', async (provider) => {
      expect(await registryOf(provider).projects()).toEqual([]);
    });

    it('lists projects by name, releases by semver and generations by number', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'zeta', '0.1.0');
      await publish(registry, 'alpha', '1.0.0');
      await publish(registry, 'alpha', '1.1.0');
      for (let i = 0; i < 3; i++) await commit(registry, 'alpha', '1.1.0', { a: `s${i}` });
      expect(await registry.projects()).toEqual(['alpha', 'zeta']);
      expect(await registry.releaseVersions('alpha')).toEqual(['1.0.0', '1.1.0']);
      expect((await registry.releases('alpha')).map((r) => r.version)).toEqual(['1.0.0', '1.1.0']);
      expect(await registry.generations('alpha', '1.1.0')).toEqual([1, 2, 3]);
      expect(await registry.generations('alpha', '1.0.0')).toEqual([]);
      expect((await registry.manifests('alpha', '1.1.0')).map((m) => m.generation)).toEqual([1, 2, 3]);
    });

    it('orders releases as semver does: 1.9.0-rc.1 < 1.9.0 < 1.10.0', async (provider) => {
      const registry = registryOf(provider);
      for (const v of ['1.9.0-rc.1', '1.9.0', '1.10.0']) await publish(registry, 'p', v);
      expect(await registry.releaseVersions('p')).toEqual(['1.9.0-rc.1', '1.9.0', '1.10.0']);
      expect(await registry.latestRelease('p')).toBe('1.10.0');
    });

    it('listing an unknown project or release is NOT_FOUND', async (provider) => {
      const registry = registryOf(provider);
      await expect(registry.releaseVersions('ghost')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'project' },
      });
      await publish(registry, 'p', '1.0.0');
      await expect(registry.generations('p', '2.0.0')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'release', release: '2.0.0' },
      });
      await expect(registry.generations('ghost', '1.0.0')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'project' },
      });
      expect(await registry.latestRelease('ghost')).toBeNull();
    });
  },
};
