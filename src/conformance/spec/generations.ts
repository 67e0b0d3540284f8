import { digestOf, type Digest } from '../../registry/digest.js';
import type { CommitDraft, StateDraft } from '../../registry/registry.js';
import type { ConformanceSpec } from '../spec-context.js';
import { bytes, commit, countingBlobWrites, EPOCH, publish, registryOf } from '../fixtures.js';

export const generationsSpec: ConformanceSpec = {
  area: 'generations',
  tests({ it, expect }) {
    it('a commit publishes a complete manifest that reads back exactly', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const first = await commit(registry, 'p', '1.0.0', { imputer: 'i1', scaler: 's1' });
      const draftPackage = (await registry.release('p', '1.0.0')).package!.digest;
      const second = await registry.commit({
        project: 'p',
        release: '1.0.0',
        mode: 'tune',
        parent: 1,
        training: { lower: '2026-01-01T00:00:00Z', upper: '2026-02-01T00:00:00Z', rows: 42 },
        tuning: { score: 0.75, params: { depth: 3 }, trials: 8 },
        metrics: { accuracy: 0.9 },
        package: draftPackage,
        states: [
          { actor: 'scaler', bytes: bytes('s2'), codec: 'cbor' },
          { actor: 'imputer', bytes: bytes('i1'), codec: 'cbor' },
        ],
      });
      expect(first.generation).toBe(1);
      expect(second).toEqual({
        format: 1,
        project: 'p',
        release: '1.0.0',
        generation: 2,
        parent: 1,
        mode: 'tune',
        created: EPOCH.toISOString(),
        training: { lower: '2026-01-01T00:00:00Z', upper: '2026-02-01T00:00:00Z', rows: 42 },
        tuning: { score: 0.75, params: { depth: 3 }, trials: 8 },
        metrics: { accuracy: 0.9 },
        environment: { statekeep: expect.any(String), node: process.version },
        rollbackOf: null,
        package: draftPackage,
        // Manifest order is the order the actors were given in, not sorted.
        states: [
          { actor: 'scaler', digest: digestOf(bytes('s2')), size: 2, codec: 'cbor' },
          { actor: 'imputer', digest: digestOf(bytes('i1')), size: 2, codec: 'cbor' },
        ],
      });
      expect(await registry.manifest('p', '1.0.0', 2)).toEqual(second);
      expect(await registry.manifest('p', '1.0.0')).toEqual(second);
      const states = await registry.readStates(second);
      expect([...states.keys()]).toEqual(['scaler', 'imputer']);
      expect(new TextDecoder().decode(states.get('scaler' as never))).toBe('s2');
      expect(new TextDecoder().decode(await registry.readState(first, 'imputer'))).toBe('i1');
    });

    it('numbers generations 1, 2, 3 … and "latest" is the highest', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await publish(registry, 'p', '2.0.0');
      expect(await registry.latest('p', '1.0.0')).toBeNull();
      const made = [];
      for (let i = 0; i < 30; i++) made.push((await commit(registry, 'p', '1.0.0', { a: `state-${i}` })).generation);
      expect(made).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await registry.latest('p', '1.0.0')).toBe(30);
      expect((await registry.manifest('p', '1.0.0')).generation).toBe(30);
      // Each release counts on its own.
      expect((await commit(registry, 'p', '2.0.0', { a: 'x' })).generation).toBe(1);
    });

    it('commits racing in one process get distinct numbers 1..N', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const made = await Promise.all(
        Array.from({ length: 12 }, (_, i) => commit(registry, 'p', '1.0.0', { a: `racer-${i}` })),
      );
      expect(made.map((m) => m.generation).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      for (const m of made) expect(await registry.manifest('p', '1.0.0', m.generation)).toEqual(m);
    });

    it('unknown project, release or generation is NOT_FOUND, and a commit to one writes nothing', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await expect(registry.manifest('p', '1.0.0')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'generation' },
      });
      await expect(registry.manifest('p', '1.0.0', 7)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'generation', generation: 7 },
      });
      await expect(registry.manifest('p', '9.9.9', 1)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'release' },
      });
      await expect(registry.latest('nobody', '1.0.0')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'project' },
      });
      await expect(commit(registry, 'p', '1.0.1', { a: 'x' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'release' },
      });
      await expect(commit(registry, 'p', '1.0.0', { a: 'x' }, { parent: 5 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { generation: 5 },
      });
      expect(await registry.generations('p', '1.0.0')).toEqual([]);
      expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
    });

    it('refuses bad generation numbers, duplicate actors and non-finite metrics', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      for (const bad of [0, -1, 1.5, 'abc', '', '1e3', Number.NaN]) {
        await expect(registry.manifest('p', '1.0.0', bad as number)).rejects.toMatchObject({ code: 'INVALID_VERSION' });
      }
      await expect(
        registry.commit({
          project: 'p',
          release: '1.0.0',
          mode: 'train',
          parent: null,
          states: [
            { actor: 'a', bytes: bytes('1'), codec: 'raw' },
            { actor: 'a', bytes: bytes('2'), codec: 'raw' },
          ],
        }),
      ).rejects.toMatchObject({ code: 'USAGE' });
      await expect(commit(registry, 'p', '1.0.0', { a: 'x' }, { metrics: { loss: Number.NaN } })).rejects.toMatchObject(
        { code: 'USAGE' },
      );
      expect(await registry.generations('p', '1.0.0')).toEqual([]);
    });

    it('refuses with USAGE, before storing anything, a commit whose manifest would not read back', async (provider) => {
      await publish(registryOf(provider), 'p', '1.0.0');
      const counted = countingBlobWrites(provider);
      const registry = registryOf(counted.provider);
      const unreadable: Partial<CommitDraft>[] = [
        { training: { lower: 0, upper: 10, rows: 2.5 } },
        { training: { lower: Number.NaN, upper: 10, rows: 10 } },
        { training: { lower: 0, upper: Number.POSITIVE_INFINITY, rows: 10 } },
        { tuning: { score: Number.NaN, params: {}, trials: 1 } },
        { package: 'md5:0123' as Digest },
        { mode: 'rollback' as 'train' },
      ];
      for (const extra of unreadable) {
        await expect(commit(registry, 'p', '1.0.0', { a: 'x' }, extra)).rejects.toMatchObject({ code: 'USAGE' });
      }
      await expect(
        registry.commit({
          project: 'p',
          release: '1.0.0',
          mode: 'train',
          parent: null,
          states: [{ actor: 'a', bytes: bytes('x') } as StateDraft],
        }),
      ).rejects.toMatchObject({ code: 'USAGE' });
      expect(counted.writes()).toBe(0);
      expect(await registry.generations('p', '1.0.0')).toEqual([]);
    });

    it('a commit whose states cannot all be stored publishes nothing, and the next commit gets its number', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const failing = countingBlobWrites(provider, 2);
      await expect(
        commit(registryOf(failing.provider), 'p', '1.0.0', { a: 'a1', b: 'b1', c: 'c1' }),
      ).rejects.toMatchObject({ code: 'PROVIDER' });
      expect(await registry.generations('p', '1.0.0')).toEqual([]);
      expect(await registry.latest('p', '1.0.0')).toBeNull();
      expect((await commit(registry, 'p', '1.0.0', { a: 'a1', b: 'b1', c: 'c1' })).generation).toBe(1);
    });
  },
};
