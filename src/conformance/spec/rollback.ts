import type { ConformanceSpec } from '../spec-context.js';
import { commit, publish, registryOf } from '../fixtures.js';

export const rollbackSpec: ConformanceSpec = {
  area: 'rollback',
  tests({ it, expect, target }) {
    it("rollback appends latest+1 with the target's exact digests and changes no earlier generation", async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const one = await commit(
        registry,
        'p',
        '1.0.0',
        { a: 'a1', b: 'b1' },
        { training: { lower: 0, upper: 100, rows: 100 } },
      );
      const two = await commit(registry, 'p', '1.0.0', { a: 'a2', b: 'b2' }, { parent: 1 });
      const three = await commit(registry, 'p', '1.0.0', { a: 'a3', b: 'b2' }, { parent: 2 });
      const four = await registry.rollback('p', '1.0.0', 1);
      expect(four).toMatchObject({
        generation: 4,
        mode: 'rollback',
        rollbackOf: 1,
        parent: 1,
        training: one.training,
        metrics: one.metrics,
      });
      expect(four.states).toEqual(one.states);
      expect(await registry.latest('p', '1.0.0')).toBe(4);
      expect(await registry.manifest('p', '1.0.0', 1)).toEqual(one);
      expect(await registry.manifest('p', '1.0.0', 2)).toEqual(two);
      expect(await registry.manifest('p', '1.0.0', 3)).toEqual(three);
      const states = await registry.readStates(four);
      expect([...states.values()].map((b) => new TextDecoder().decode(b))).toEqual(['a1', 'b1']);
      // Rolling back to a rollback is just as good.
      expect((await registry.rollback('p', '1.0.0', 4)).states).toEqual(one.states);
    });

    it('rollback to a generation that does not exist is NOT_FOUND, to none at all INVALID_VERSION, and creates nothing', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1' });
      await expect(registry.rollback('p', '1.0.0', 2)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { generation: 2 },
      });
      await expect(registry.rollback('p', '1.0.0', undefined as unknown as number)).rejects.toMatchObject({
        code: 'INVALID_VERSION',
      });
      expect(await registry.generations('p', '1.0.0')).toEqual([1]);
    });

    it('rollback to a damaged generation is refused and creates nothing', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const one = await commit(registry, 'p', '1.0.0', { a: 'a1' });
      await commit(registry, 'p', '1.0.0', { a: 'a2' });
      await target.damageBlob(provider, 'p', one.states[0]!.digest, 'flip');
      await expect(registry.rollback('p', '1.0.0', 1)).rejects.toMatchObject({
        code: 'INTEGRITY',
        data: { generation: 1, actor: 'a' },
      });
      expect(await registry.generations('p', '1.0.0')).toEqual([1, 2]);
    });
  },
};
