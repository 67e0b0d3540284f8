import type { ConformanceSpec } from '../spec-context.js';
import type { Damage } from '../target.js';
import { commit, publish, registryOf } from '../fixtures.js';

export const integritySpec: ConformanceSpec = {
  area: 'integrity',
  tests({ it, expect, target }) {
    for (const how of ['flip', 'truncate', 'delete'] satisfies Damage[]) {
      it(`a ${how === 'flip' ? 'flipped byte in a' : how === 'truncate' ? 'truncated' : 'deleted'} blob gives INTEGRITY naming the place and both digests, never data`, async (provider) => {
        const registry = registryOf(provider);
        await publish(registry, 'p', '1.0.0');
        const big = new Uint8Array(10_000).map((_, i) => i % 251);
        const one = await commit(registry, 'p', '1.0.0', { scaler: big, model: 'intact' });
        const damaged = one.states[0]!;
        await target.damageBlob(provider, 'p', damaged.digest, how);
        const expected = {
          code: 'INTEGRITY',
          data: {
            project: 'p',
            release: '1.0.0',
            generation: 1,
            actor: 'scaler',
            expected: damaged.digest,
            actual: expect.any(String),
          },
        };
        await expect(registry.readState(one, 'scaler')).rejects.toMatchObject(expected);
        await expect(registry.readStates(one)).rejects.toMatchObject(expected);
        const error = (await registry.readState(one, 'scaler').catch((e: unknown) => e)) as {
          data: { actual: string };
        };
        expect(error.data.actual).not.toBe(damaged.digest);
        // The intact state of the same generation still reads.
        expect(new TextDecoder().decode(await registry.readState(one, 'model'))).toBe('intact');
      });
    }

    it('asking for an actor a generation does not hold is NOT_FOUND', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const one = await commit(registry, 'p', '1.0.0', { a: 'x' });
      await expect(registry.readState(one, 'b')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'state', actor: 'b' },
      });
    });
  },
};
