import type { Provider } from '../../registry/spi.js';
import type { Expect } from '../runner.js';
import type { ConformanceSpec } from '../spec-context.js';
import { commit, publish, registryOf } from '../fixtures.js';

const HOUR_MS = 3_600_000;

/** What readers see of release p 1.0.0; leftovers must never change it. */
async function readerView(provider: Provider): Promise<unknown> {
  const registry = registryOf(provider);
  const manifests = await registry.manifests('p', '1.0.0');
  const states = await Promise.all(manifests.map(async (m) => [...(await registry.readStates(m)).entries()]));
  return {
    projects: await registry.projects(),
    releases: await registry.releaseVersions('p'),
    generations: await registry.generations('p', '1.0.0'),
    latest: await registry.latest('p', '1.0.0'),
    states: states.map((s) => s.map(([actor, bytes]) => [actor, Buffer.from(bytes).toString('hex')])),
  };
}

function expectReport(expect: Expect, report: unknown, removed: number): void {
  expect(report).toEqual({ removed, bytes: expect.any(Number) });
  expect((report as { bytes: number }).bytes >= 0, 'bytes freed is not negative').toBe(true);
}

export const cleanupSpec: ConformanceSpec = {
  area: 'cleanup',
  capability: 'cleanup',
  tests({ it, expect, target }) {
    it("removes a crashed writer's leftovers, keeps those younger than the age asked, and readers never see them", async (provider) => {
      if (target.leaveLeftovers === undefined)
        throw new Error(
          `${target.name} offers cleanup(): give the conformance target leaveLeftovers() so the kit can check it`,
        );
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1', b: 'b1' });
      const before = await readerView(provider);
      const left = await target.leaveLeftovers(provider, { project: 'p', release: '1.0.0' });
      expect(left).toBeGreaterThan(0);
      expect(await readerView(provider)).toEqual(before);
      // Made a moment ago, they could belong to a writer still at work: the default age and an
      // hour both keep them.
      expect(await provider.cleanup!()).toEqual({ removed: 0, bytes: 0 });
      expect(await provider.cleanup!({ olderThanMs: HOUR_MS })).toEqual({ removed: 0, bytes: 0 });
      expect(await readerView(provider)).toEqual(before);
      expectReport(expect, await provider.cleanup!({ olderThanMs: 0 }), left);
      expect(await provider.cleanup!({ olderThanMs: 0 })).toEqual({ removed: 0, bytes: 0 });
      expect(await readerView(provider)).toEqual(before);
      // Writing goes on: a number the crashed writer held may stay burnt, but none is reused.
      const next = await commit(registry, 'p', '1.0.0', { a: 'a2' });
      expect(next.generation).toBeGreaterThan(1);
      expect(await registry.generations('p', '1.0.0')).toEqual([1, next.generation]);
    });

    it('takes nothing published, however old, from a registry without leftovers', async (provider) => {
      expect(await provider.cleanup!({ olderThanMs: 0 })).toEqual({ removed: 0, bytes: 0 });
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1' });
      await commit(registry, 'p', '1.0.0', { a: 'a1', b: 'b2' }, { parent: 1 });
      const before = await readerView(provider);
      expect(await provider.cleanup!({ olderThanMs: 0 })).toEqual({ removed: 0, bytes: 0 });
      expect(await readerView(provider)).toEqual(before);
      expect((await registry.pullRelease('p', '1.0.0')).payload.length).toBe(64);
    });
  },
};
