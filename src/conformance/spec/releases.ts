import { randomBytes } from 'node:crypto';
import { digestOf } from '../../registry/digest.js';
import type { ConformanceSpec } from '../spec-context.js';
import { EPOCH, publish, registryOf } from '../fixtures.js';

export const releasesSpec: ConformanceSpec = {
  area: 'releases',
  tests({ it, expect, target }) {
    it('a published release keeps its record and its package, verified on pull', async (provider) => {
      const registry = registryOf(provider);
      const payload = randomBytes(4096);
      const record = await registry.publishRelease('p', '1.0.0', { payload, info: { entry: 'main.js', commit: null } });
      expect(record).toEqual({
        format: 1,
        project: 'p',
        version: '1.0.0',
        created: EPOCH.toISOString(),
        package: { digest: digestOf(payload), size: 4096 },
        info: { entry: 'main.js', commit: null },
      });
      expect(await registry.release('p', '1.0.0')).toEqual(record);
      const pulled = await registry.pullRelease('p', '1.0.0');
      expect(Buffer.from(pulled.payload).equals(payload)).toBe(true);
    });

    it('refuses a release equal to or older than the latest, and writes nothing', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.2.0');
      await expect(publish(registry, 'p', '1.2.0')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(publish(registry, 'p', '1.1.9')).rejects.toMatchObject({
        code: 'RELEASE_ORDER',
        data: { latest: '1.2.0' },
      });
      await expect(publish(registry, 'p', '1.2.0-rc.1')).rejects.toMatchObject({ code: 'RELEASE_ORDER' });
      expect(await registry.releaseVersions('p')).toEqual(['1.2.0']);
    });

    it('refuses versions that are not canonical semver', async (provider) => {
      const registry = registryOf(provider);
      for (const bad of ['v1.0.0', '1.0', '', 'latest', '01.0.0', '1.0.0 ', '../1.0.0']) {
        await expect(publish(registry, 'p', bad)).rejects.toMatchObject({ code: 'INVALID_VERSION' });
      }
      expect(await registry.projects()).toEqual([]);
    });

    it('a damaged package is refused on pull', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const record = await registry.release('p', '1.0.0');
      await target.damageBlob(provider, 'p', record.package!.digest, 'flip');
      await expect(registry.pullRelease('p', '1.0.0')).rejects.toMatchObject({
        code: 'INTEGRITY',
        data: { project: 'p', release: '1.0.0', expected: record.package!.digest },
      });
    });
  },
};
